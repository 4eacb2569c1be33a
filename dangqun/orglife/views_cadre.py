"""The cadre's pages: their quarter (calendar of meetings at their branch and contact points), the
纪实 of each meeting, the 报告单 (page and PDF). Staff of the branch see the same pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm
from dangqun.activities.models import Activity
from dangqun.core.errors import DomainError
from dangqun.core.viewutils import form_error_from
from dangqun.orglife import collect, documents, pdf, quarters, services
from dangqun.orglife.enums import EDITABLE_REPORT_STATUSES, AttendanceRole, FilingStatus, ReportStatus
from dangqun.orglife.forms import AttendanceForm, CommentForm, OutlineFileForm, ReportForm
from dangqun.orglife.models import QuarterlyFiling
from dangqun.orglife.selectors import access
from dangqun.orglife.services.common import is_self
from dangqun.orglife.services.reports import _labels, editable_fields
from dangqun.orgs.selectors import scope_roots


def require_orglife_user(request) -> None:
    if not access.may_use_orglife(request.user):
        raise PermissionDenied


def _quarter_from(request, *, filing: bool = False) -> quarters.Quarter:
    """The quarter asked for; by default today's (or, for filing pages, the one being filed)."""
    asked = quarters.parse(request.GET.get("year"), request.GET.get("quarter"))
    if asked is not None:
        return asked
    today = timezone.localdate()
    return quarters.filing_quarter(today) if filing else quarters.Quarter.of(today)


BRANCH_KINDS = ("branch", "joint_branch", "group")


@login_required
def home(request):
    """The entry: a cadre's own quarter (unless reports wait for their signature); a branch
    secretary's sign-off queue; a committee's or the
    department's quarter overview."""
    user = request.user
    reviews = permissions.has_perm(user, Perm.REVIEW_RECORDS)
    if access.cadre_of(user) is not None:
        # A secretary who is a cadre too: reports waiting for the signature come first.
        if reviews and access.reports_to_sign(user).exists():
            return redirect("orglife:signoff")
        return redirect("orglife:me")
    roots = list(scope_roots(user, Perm.REVIEW_FILINGS))
    if roots and not all(root.kind_id in BRANCH_KINDS for root in roots):
        return redirect("orglife:overview")
    if reviews:
        return redirect("orglife:signoff")
    if roots:
        return redirect("orglife:overview")
    raise PermissionDenied


@login_required
def my_quarter(request):
    cadre = access.cadre_of(request.user)
    if cadre is None:
        raise PermissionDenied
    quarter = _quarter_from(request)
    contents = collect.quarter_contents(cadre, quarter)
    filing = QuarterlyFiling.objects.filter(cadre=cadre, year=quarter.year, quarter=quarter.number).first()
    due = quarters.filing_quarter(timezone.localdate())
    unfiled = (
        due
        if due != quarter
        and not QuarterlyFiling.objects.filter(cadre=cadre, year=due.year, quarter=due.number).exists()
        else None
    )
    points = list(
        cadre.orglife_contact_points.filter(year=quarter.year, revoked_at__isnull=True).select_related(
            "branch"
        )
    )
    context = {
        "cadre": cadre,
        "quarter": quarter,
        "previous": quarter.previous(),
        "next": quarter.next(),
        "contents": contents,
        "filing": filing,
        "points": points,
        "unfiled": unfiled,
        "now": timezone.now(),
    }
    return render(request, "orglife/my_quarter.html", context)


@login_required
@require_POST
def attendance_start(request, activity_pk: int):
    cadre = access.cadre_of(request.user)
    if cadre is None:
        raise PermissionDenied
    activity = get_object_or_404(Activity, pk=activity_pk)
    try:
        attendance = services.start_attendance(actor=request.user, cadre=cadre, activity=activity)
    except DomainError as exc:
        if exc.code == "not_your_meeting":
            raise Http404 from None
        messages.error(request, exc.message)
        return redirect("orglife:me")
    return redirect("orglife:attendance", pk=attendance.pk)


def comment_form_error(request, form) -> bool:
    """Report an invalid comment (e.g. too long) naming the field; True when there was one, and
    then the action is not taken (a silently dropped comment would sign or accept without it)."""
    if form.is_valid():
        return False
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        messages.error(
            request,
            _("%(f)s有误，未办理：%(e)s") % {"f": label, "e": " ".join(errors)} if label else errors[0],
        )
    return True


def _may_edit(user, cadre) -> bool:
    return is_self(user, cadre) or permissions.has_perm(user, Perm.MANAGE_ACTIVITIES, cadre.org_path)


def _filing_open(filing) -> bool:
    return filing is None or filing.status == FilingStatus.RETURNED


@login_required
def attendance_detail(request, pk: int):
    require_orglife_user(request)
    attendance = access.get_attendance_for(request.user, pk)
    editable = _may_edit(request.user, attendance.cadre) and _filing_open(attendance.filing)
    contact = attendance.role == AttendanceRole.CONTACT_POINT
    form = AttendanceForm(request.POST or None, contact=contact,
                          initial={"outline_text": attendance.outline_text, "guidance": attendance.guidance})  # fmt: skip
    file_form = OutlineFileForm()
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.update_attendance(actor=request.user, attendance=attendance, **form.cleaned_data)
            except DomainError as exc:
                form_error_from(form, exc)
            else:
                messages.success(request, _("纪实已保存。"))
                return redirect("orglife:attendance", pk=attendance.pk)
    context = {
        "doc": documents.attendance_doc(attendance, with_photos=True),
        "attendance": attendance,
        "form": form,
        "file_form": file_form,
        "editable": editable,
        "report": getattr(attendance, "report", None),
        "needs_report": _needs_report(attendance),
        "quarter": quarters.Quarter.of(attendance.meeting_on),
        "is_own": is_self(request.user, attendance.cadre),
    }
    return render(request, "orglife/attendance.html", context)


def _needs_report(attendance) -> bool:
    from dangqun.orglife import meetings

    return meetings.requires_report(attendance.activity)


@login_required
@require_POST
def attendance_upload(request, pk: int):
    require_orglife_user(request)
    attendance = access.get_attendance_for(request.user, pk)
    if not _may_edit(request.user, attendance.cadre):
        raise PermissionDenied
    form = OutlineFileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件。"))
        return redirect("orglife:attendance", pk=pk)
    upload = form.cleaned_data["outline_file"]
    try:
        services.attach_outline(
            actor=request.user, attendance=attendance, name=upload.name, data=upload.read()
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("发言提纲已上传。"))
    return redirect("orglife:attendance", pk=pk)


@login_required
def attendance_file(request, pk: int):
    require_orglife_user(request)
    attendance = access.get_attendance_for(request.user, pk)
    if not attendance.outline_file:
        raise Http404
    response = FileResponse(attendance.outline_file.open("rb"), content_type=attendance.outline_type,
                            as_attachment=True, filename=attendance.outline_name)  # fmt: skip
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def report_new(request, attendance_pk: int):
    require_orglife_user(request)
    attendance = access.get_attendance_for(request.user, attendance_pk)
    try:
        report = services.create_report(actor=request.user, attendance=attendance)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("orglife:attendance", pk=attendance.pk)
    return redirect("orglife:report-edit", pk=report.pk)


def _report_actions(user, report) -> dict:
    own_side = _may_edit(user, report.cadre) and _filing_open(report.filing)
    signer = (
        permissions.has_perm(user, Perm.REVIEW_RECORDS, report.org_path)
        and not is_self(user, report.cadre)
        and report.status == ReportStatus.SUBMITTED
    )
    return {
        "can_edit": own_side and report.status in EDITABLE_REPORT_STATUSES,
        "can_submit": own_side and report.status in EDITABLE_REPORT_STATUSES,
        "can_reopen": own_side and report.status == ReportStatus.SIGNED_OFF,
        "can_sign": signer,
    }


@login_required
def report_detail(request, pk: int):
    require_orglife_user(request)
    report = access.get_report_for(request.user, pk)
    url = request.build_absolute_uri(reverse("orglife:report", args=[report.pk]))
    notice = getattr(report, "notice", None)
    context = {
        "report": report,
        "qr": pdf.qr_svg(url),
        "actions": _report_actions(request.user, report),
        "comment_form": CommentForm(),
        "events": report.events.select_related("actor"),
        "notice": notice,
    }
    return render(request, "orglife/report.html", context)


@login_required
def report_edit(request, pk: int):
    require_orglife_user(request)
    report = access.get_report_for(request.user, pk)
    if not _report_actions(request.user, report)["can_edit"]:
        raise PermissionDenied
    fields = editable_fields(report)
    initial = {name: getattr(report, name) for name in fields}
    form = ReportForm(request.POST or None, fields=fields, labels=_labels(), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_report(actor=request.user, report=report, **form.cleaned_data)
            if "submit" in request.POST:
                services.submit_report(actor=request.user, report=report)
        except DomainError as exc:
            form_error_from(form, exc)
        else:
            done = _("已提交支部书记签字。") if "submit" in request.POST else _("报告单已保存。")
            messages.success(request, done)
            return redirect("orglife:report", pk=report.pk)
    return render(request, "orglife/report_form.html", {"report": report, "form": form})


@login_required
@require_POST
def report_action(request, pk: int, action: str):
    require_orglife_user(request)
    report = access.get_report_for(request.user, pk)
    form = CommentForm(request.POST)
    if action in {"sign", "return"} and comment_form_error(request, form):
        return redirect("orglife:report", pk=report.pk)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    calls = {
        "submit": (
            lambda: services.submit_report(actor=request.user, report=report),
            _("已提交支部书记签字。"),
        ),
        "sign": (
            lambda: services.sign_off_report(actor=request.user, report=report, comment=comment),
            _("已签字。"),
        ),
        "return": (
            lambda: services.return_report(actor=request.user, report=report, comment=comment),
            _("已退回。"),
        ),
        "reopen": (
            lambda: services.reopen_report(actor=request.user, report=report),
            _("已撤回，可以修改。"),
        ),
    }
    if action not in calls:
        raise Http404
    call, done = calls[action]
    try:
        call()
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied from None
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("orglife:report", pk=report.pk)


@login_required
def report_pdf(request, pk: int):
    require_orglife_user(request)
    report = access.get_report_for(request.user, pk)
    try:
        content = pdf.report_pdf(report)
    except DomainError as exc:
        return HttpResponse(exc.message, status=exc.status, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="report-{report.pk}.pdf"'
    return response
