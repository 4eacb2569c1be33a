"""Meeting record pages: edit (draft / returned), attachments, absences, votes, submit, review,
the sign-in sheet, and the review queue of the superior organization."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.accounts import permissions
from dangqun.accounts.decorators import staff_view
from dangqun.accounts.enums import Perm
from dangqun.activities.enums import EDITABLE_RECORD_STATUSES, QuorumRule, RecordStatus
from dangqun.activities.forms import AbsenceForm, AttachmentForm, RecordForm, ReviewForm, VoteForm
from dangqun.activities.models import Absence, MeetingRecord, RecordAttachment
from dangqun.activities.rules import excludable_absence_reasons
from dangqun.activities.selectors.activities import get_activity_for_record
from dangqun.activities.selectors.records import (
    attendance,
    expected_members,
    records_to_review,
    sign_in_sheet,
)
from dangqun.activities.services import records as services
from dangqun.core.errors import DomainError
from dangqun.core.viewutils import form_error_from
from dangqun.people.models import Person

UPLOAD_LIMIT = 25 * 1024 * 1024


def _context(request, activity, record, **forms):
    user = request.user
    people = list(expected_members(activity).order_by("name", "id")[:500])
    can_edit = (
        record is not None
        and record.status in EDITABLE_RECORD_STATUSES
        and permissions.has_perm(user, Perm.MANAGE_ACTIVITIES, activity.org_path)
    )
    parent = activity.org_path[:-4]
    present = attendance(activity, record)
    initial = {}
    if record is not None:
        initial = {
            "host": str(record.host_id or ""), "host_name": "" if record.host_id else record.host_name,
            "recorder": str(record.recorder_id or ""), "recorder_name": "" if record.recorder_id else record.recorder_name,
            "plan": record.plan, "notes": record.notes, "minutes": record.minutes,
        }  # fmt: skip
    names = {p.pk: p.name for p in people}
    return {
        "activity": activity,
        "record": record,
        "can_edit": can_edit,
        "can_start": record is None and permissions.has_perm(user, Perm.MANAGE_ACTIVITIES, activity.org_path),
        "can_review": record is not None
        and record.status == RecordStatus.SUBMITTED
        and bool(parent)
        and permissions.has_perm(user, Perm.REVIEW_RECORDS, parent),
        "form": forms.get("form") or RecordForm(people, initial=initial),
        "attachment_form": forms.get("attachment_form") or AttachmentForm(),
        "absence_form": forms.get("absence_form")
        or AbsenceForm(
            [p for p in people if p.pk in present.absent_ids], excludable=excludable_absence_reasons(activity.org_path)
        ),
        "vote_form": forms.get("vote_form") or VoteForm(),
        "review_form": forms.get("review_form") or ReviewForm(),
        "sheet": sign_in_sheet(activity),
        "present": present,
        "absent_without_reason": sorted(
            names[pk]
            for pk in present.absent_ids - {a.person_id for a in (record.absences.all() if record else [])}
        ),
        "has_quorum": activity.activity_type.quorum != QuorumRule.NONE,
        "photos": record.attachments.filter(kind="photo") if record else [],
        "materials": record.attachments.filter(kind="material") if record else [],
        "events": record.events.select_related("actor") if record else [],
    }


def _record(activity) -> MeetingRecord | None:
    return MeetingRecord.objects.filter(activity=activity).select_related("host", "recorder").first()


@staff_view()
def record_page(request, pk: int):
    activity = get_activity_for_record(request.user, pk)
    if not activity.activity_type.is_meeting:
        raise Http404
    record = _record(activity)
    form = None
    if request.method == "POST" and record is not None:
        people = list(expected_members(activity).order_by("name", "id")[:500])
        form = RecordForm(people, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            by_pk = {str(p.pk): p for p in people}
            fields = {
                "plan": data["plan"], "notes": data["notes"], "minutes": data["minutes"],
                "host": by_pk.get(data["host"]), "host_name": data["host_name"],
                "recorder": by_pk.get(data["recorder"]), "recorder_name": data["recorder_name"],
            }  # fmt: skip
            try:
                services.update_record(actor=request.user, record=record, **fields)
            except DomainError as exc:
                form_error_from(form, exc)
            else:
                messages.success(request, _("记录已保存。"))
                return redirect("activities:record", pk=activity.pk)
    return render(request, "activities/record.html", _context(request, activity, record, form=form))


@require_POST
@staff_view(Perm.MANAGE_ACTIVITIES)
def record_start(request, pk: int):
    activity = get_activity_for_record(request.user, pk)
    try:
        services.start_record(actor=request.user, activity=activity)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("activities:record", pk=activity.pk)


def _mutate(request, pk: int, call, success: str, form_key: str | None = None, form=None):
    activity = get_activity_for_record(request.user, pk)
    record = _record(activity)
    if record is None:
        raise Http404
    try:
        call(record)
    except DomainError as exc:
        if form is not None:
            form_error_from(form, exc)
            return render(
                request,
                "activities/record.html",
                _context(request, activity, record, **{form_key: form}),
                status=400,
            )
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("activities:record", pk=activity.pk)


@require_POST
@staff_view(Perm.MANAGE_ACTIVITIES)
def record_attachment(request, pk: int):
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _mutate(
            request, pk, lambda r: _raise(_("请选择要上传的文件。"), "file"), "", "attachment_form", form
        )
    upload = form.cleaned_data["file"]
    if upload.size > UPLOAD_LIMIT:
        return _mutate(request, pk, lambda r: _raise(_("文件过大。"), "file"), "", "attachment_form", form)
    data = upload.read()

    def call(record):
        services.add_attachment(actor=request.user, record=record, kind=form.cleaned_data["kind"], name=upload.name,
                                data=data, caption=form.cleaned_data["caption"])  # fmt: skip

    return _mutate(request, pk, call, _("已上传。"), "attachment_form", form)


def _raise(message, field):
    raise DomainError("invalid", message, field=field)


@require_POST
@staff_view(Perm.MANAGE_ACTIVITIES)
def record_attachment_delete(request, pk: int, attachment_pk: int):
    activity = get_activity_for_record(request.user, pk)
    attachment = RecordAttachment.objects.filter(record__activity=activity, pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    return _mutate(
        request,
        pk,
        lambda r: services.remove_attachment(actor=request.user, attachment=attachment),
        _("已删除。"),
    )


@staff_view()
def record_attachment_file(request, pk: int, attachment_pk: int):
    """Files are served only through the record's permission check."""
    activity = get_activity_for_record(request.user, pk)
    attachment = RecordAttachment.objects.filter(record__activity=activity, pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    disposition = "inline" if attachment.kind == "photo" else "attachment"
    response["Content-Disposition"] = (
        f"{disposition}; filename=\"file{attachment.file.name[-5:]}\"; filename*=UTF-8''{_quote(attachment.original_name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


@require_POST
@staff_view(Perm.MANAGE_ACTIVITIES)
def record_absence(request, pk: int):
    activity = get_activity_for_record(request.user, pk)
    people = list(expected_members(activity))
    form = AbsenceForm(people, request.POST, excludable=excludable_absence_reasons(activity.org_path))
    if not form.is_valid():
        return _mutate(
            request, pk, lambda r: _raise(_("请选择缺席人员和原因。"), "person"), "", "absence_form", form
        )
    person = Person.objects.get(pk=form.cleaned_data["person"])

    def call(record):
        services.set_absence(actor=request.user, record=record, person=person, reason=form.cleaned_data["reason"],
                             detail=form.cleaned_data["detail"], counts_as_expected=form.cleaned_data["counts_as_expected"])  # fmt: skip

    return _mutate(request, pk, call, _("已登记缺席。"), "absence_form", form)


@require_POST
@staff_view(Perm.MANAGE_ACTIVITIES)
def record_absence_delete(request, pk: int, absence_pk: int):
    activity = get_activity_for_record(request.user, pk)
    absence = Absence.objects.filter(record__activity=activity, pk=absence_pk).first()
    if absence is None:
        raise Http404
    return _mutate(
        request, pk, lambda r: services.remove_absence(actor=request.user, absence=absence), _("已删除。")
    )


@require_POST
@staff_view(Perm.MANAGE_ACTIVITIES)
def record_vote(request, pk: int):
    form = VoteForm(request.POST)
    if not form.is_valid():
        return _mutate(
            request, pk, lambda r: _raise(_("请填写表决事项和票数。"), "subject"), "", "vote_form", form
        )

    def call(record):
        services.record_vote(actor=request.user, record=record, **form.cleaned_data)

    return _mutate(request, pk, call, _("已记录表决结果。"), "vote_form", form)


@require_POST
@staff_view(Perm.MANAGE_ACTIVITIES)
def record_submit(request, pk: int):
    return _mutate(
        request, pk, lambda r: services.submit_record(actor=request.user, record=r), _("已提交上级审核。")
    )


@require_POST
@staff_view(Perm.REVIEW_RECORDS)
def record_review(request, pk: int):
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _mutate(
            request, pk, lambda r: _raise(_("请选择审核结果。"), "decision"), "", "review_form", form
        )
    approve = form.cleaned_data["decision"] == "approve"

    def call(record):
        services.review_record(
            actor=request.user, record=record, approve=approve, comment=form.cleaned_data["comment"]
        )

    return _mutate(
        request, pk, call, _("已审核通过。") if approve else _("已退回修改。"), "review_form", form
    )


@staff_view()
def sign_in_sheet_page(request, pk: int):
    activity = get_activity_for_record(request.user, pk)
    record = _record(activity)
    context = {
        "activity": activity,
        "record": record,
        "sheet": sign_in_sheet(activity),
        "present": attendance(activity, record),
    }
    return render(request, "activities/sign_in_sheet.html", context)


@staff_view(Perm.REVIEW_RECORDS)
def review_queue(request):
    rows = list(records_to_review(request.user)[:200])
    return render(request, "activities/reviews.html", {"rows": rows})
