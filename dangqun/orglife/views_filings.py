"""Filing pages: the cadre files the quarter; the committee reviews; the department's overview."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.accounts import permissions
from dangqun.accounts.decorators import staff_view
from dangqun.accounts.enums import Perm
from dangqun.core import audit
from dangqun.core.errors import DomainError
from dangqun.core.spreadsheets import Sheet, write_xlsx
from dangqun.core.viewutils import decode_cursor, encode_cursor, form_error_from, query_without
from dangqun.orglife import collect, documents, pdf, quarters, services
from dangqun.orglife.enums import FilingStatus, Light
from dangqun.orglife.forms import CommentForm, FilingForm
from dangqun.orglife.models import QuarterlyFiling
from dangqun.orglife.selectors import access, overview
from dangqun.orglife.services.common import is_self
from dangqun.orglife.views_cadre import _quarter_from, comment_form_error, require_orglife_user
from dangqun.orgs.selectors import get_organization_for, scope_roots

PAGE_SIZE = 50


@login_required
def filing_new(request):
    """The cadre's quarter before filing: what goes in, what is missing; then file it (once)."""
    cadre = access.cadre_of(request.user)
    if cadre is None:
        raise PermissionDenied
    quarter = _quarter_from(request, filing=True)
    existing = QuarterlyFiling.objects.filter(cadre=cadre, year=quarter.year, quarter=quarter.number).first()
    if existing is not None and request.method == "GET":
        return redirect("orglife:filing", pk=existing.pk)
    form = FilingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            filing = services.submit_filing(
                actor=request.user, cadre=cadre, quarter=quarter, note=form.cleaned_data["note"]
            )
        except DomainError as exc:
            form_error_from(form, exc)
        else:
            messages.success(request, _("%(q)s已报备。") % {"q": quarter.label})
            return redirect("orglife:filing", pk=filing.pk)
    contents = collect.quarter_contents(cadre, quarter)
    docs = [documents.attendance_doc(row.attendance) for row in contents.rows if row.attendance is not None]
    context = {"cadre": cadre, "quarter": quarter, "contents": contents, "docs": docs, "form": form}
    return render(request, "orglife/filing_new.html", context)


@staff_view(Perm.REVIEW_FILINGS)
def filing_list(request):
    user = request.user
    quarter = _quarter_from(request, filing=True)
    to_review = list(access.filings_to_review(user)[:100])
    recent = list(
        access.filings_visible_to(user)
        .filter(year=quarter.year, quarter=quarter.number)
        .order_by("-submitted_at", "-id")[:100]
    )
    return render(request, "orglife/filing_list.html", {"to_review": to_review, "recent": recent, "quarter": quarter,
                                                        "previous": quarter.previous(), "next": quarter.next()})  # fmt: skip


def _filing_actions(user, filing) -> dict:
    return {
        "can_review": filing.status == FilingStatus.SUBMITTED
        and permissions.has_perm(user, Perm.REVIEW_FILINGS, filing.committee_path)
        and not is_self(user, filing.cadre),
        "can_resubmit": filing.status == FilingStatus.RETURNED
        and (
            is_self(user, filing.cadre) or permissions.has_perm(user, Perm.MANAGE_ACTIVITIES, filing.org_path)
        ),
    }


@login_required
def filing_detail(request, pk: int):
    require_orglife_user(request)
    filing = access.get_filing_for(request.user, pk)
    context = {
        "filing": filing,
        "quarter": quarters.Quarter(filing.year, filing.quarter),
        "doc": documents.filing_doc(filing),
        "actions": _filing_actions(request.user, filing),
        "comment_form": CommentForm(),
        "events": filing.events.select_related("actor"),
        "notices": [getattr(r, "notice", None) for r in filing.reports.all()],
    }
    return render(request, "orglife/filing.html", context)


@login_required
@require_POST
def filing_action(request, pk: int, action: str):
    require_orglife_user(request)
    filing = access.get_filing_for(request.user, pk)
    form = CommentForm(request.POST)
    if action in {"accept", "return"} and comment_form_error(request, form):
        return redirect("orglife:filing", pk=filing.pk)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        if action == "accept":
            services.review_filing(actor=request.user, filing=filing, accept=True, comment=comment)
            done = _("已审核通过。")
        elif action == "return":
            services.review_filing(actor=request.user, filing=filing, accept=False, comment=comment)
            done = _("已退回。")
        elif action == "resubmit":
            services.resubmit_filing(actor=request.user, filing=filing)
            done = _("已重新提交。")
        else:
            raise Http404
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied from None
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("orglife:filing", pk=filing.pk)


@login_required
def filing_pdf(request, pk: int):
    """The archived PDF of an accepted filing (as accepted), else rendered now."""
    require_orglife_user(request)
    filing = access.get_filing_for(request.user, pk)
    filename = f"filing-{filing.year}Q{filing.quarter}-{filing.pk}.pdf"
    if filing.archive_pdf:
        return FileResponse(filing.archive_pdf.open("rb"), content_type="application/pdf", filename=filename)
    try:
        content = pdf.filing_pdf(filing)
    except DomainError as exc:
        return HttpResponse(exc.message, status=exc.status, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _overview_root(request):
    if request.GET.get("org"):
        return get_organization_for(request.user, request.GET["org"], Perm.REVIEW_FILINGS)
    root = scope_roots(request.user, Perm.REVIEW_FILINGS).first()
    if root is None:
        raise Http404
    return root


@staff_view(Perm.REVIEW_FILINGS)
def overview_page(request):
    user = request.user
    root = _overview_root(request)
    quarter = _quarter_from(request, filing=True)
    today = timezone.localdate()
    cursor = decode_cursor(request.GET.get("after"), 3)
    if cursor is not None and not all(isinstance(v, t) for v, t in zip(cursor, (str, str, int), strict=True)):
        cursor = None
    summary = overview.quarter_overview(user, root=root, quarter=quarter, today=today)
    rows, next_key = overview.cadre_rows(user, root=root, quarter=quarter, today=today,
                                         after=tuple(cursor) if cursor else None, limit=PAGE_SIZE)  # fmt: skip
    context = {
        "summary": summary,
        "rows": rows,
        "quarter": quarter,
        "previous": quarter.previous(),
        "next": quarter.next(),
        "roots": scope_roots(user, Perm.REVIEW_FILINGS),
        "root": root,
        "next_cursor": encode_cursor(*next_key) if next_key else "",
        "is_first_page": cursor is None,
        "filter_query": query_without(request, "after"),
        "lights": Light,
    }
    return render(request, "orglife/overview.html", context)


def _summary_sheet(summary: overview.Overview) -> Sheet:
    """The second sheet "汇总": the quarter's totals as the overview page shows them."""
    rows = [
        (_("组织"), summary.root.name),
        (_("季度"), summary.quarter.label),
        (_("截止日期"), summary.deadlines.due_on),
        (_("应报备"), summary.due),
        (_("已报备"), summary.filed),
        (_("已通过"), summary.accepted),
        (_("已退回"), summary.returned),
        (_("待审核"), summary.pending_review),
        (_("逾期未报"), summary.overdue),
        (_("逾期报备"), summary.late),
        (_("待答复异议"), summary.objections_open),
    ]
    return Sheet(_("汇总"), [_("项目"), _("数量")], rows)


@staff_view(Perm.REVIEW_FILINGS)
def overview_export(request):
    user = request.user
    root = _overview_root(request)
    quarter = _quarter_from(request, filing=True)
    today = timezone.localdate()
    rows, _next = overview.cadre_rows(user, root=root, quarter=quarter, today=today, limit=None)
    headers = [_("姓名"), _("所在组织"), _("干部级别"), _("区级领导"), _("报备状态"), _("报备时间"), _("逾期报备"),
               _("审核时间"), _("提示")]  # fmt: skip
    data = [
        (
            row.person.name,
            row.person.organization.name,
            str(row.person.party_profile.get_cadre_level_display()),
            _("是") if row.district_leader else _("否"),
            row.state,
            row.filing.submitted_at if row.filing else None,
            (_("是") if row.filing.late else _("否")) if row.filing else "",
            row.filing.reviewed_at if row.filing else None,
            str(Light(row.light).label),
        )
        for row in rows
    ]
    summary = overview.quarter_overview(user, root=root, quarter=quarter, today=today)
    content = write_xlsx(headers, data, sheet_title=f"{quarter.code}", extra_sheets=[_summary_sheet(summary)])
    audit.record("orglife.overview.exported", actor=user, obj=root,
                 data={"quarter": quarter.code, "rows": len(data)})  # fmt: skip
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="orglife-{quarter.code}.xlsx"'
    return response
