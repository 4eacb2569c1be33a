"""Staff pages of the service desk: the request queue, a request with its actions, attachments,
and the supervisors' follow-up queue of negative ratings. Thin: forms parse, services decide."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.accounts.decorators import staff_view
from dangqun.accounts.enums import Perm
from dangqun.core import audit
from dangqun.core.errors import DomainError
from dangqun.core.viewutils import decode_cursor, encode_cursor, form_error_from, query_without
from dangqun.servicedesk import selectors, services, states
from dangqun.servicedesk.enums import EVENT_LABELS, TRANSITIONS, StateKind
from dangqun.servicedesk.forms import ACTION_FIELDS, FollowUpForm, RequestActionForm, RequestFilterForm, aware
from dangqun.servicedesk.models import Rating, RequestAttachment, ServiceRequest

PAGE_SIZE = 20
# The order in which a request's action forms appear.
ACTION_ORDER = (
    "accept",
    "assign",
    "start",
    "request_info",
    "resolve",
    "refer",
    "reject",
    "close",
    "reopen",
    "cancel",
)


@staff_view(Perm.HANDLE_REQUESTS)
def queue(request):
    user = request.user
    now = timezone.now()
    catalog = states.catalog()
    form = RequestFilterForm(user, request.GET or None, catalog=catalog)
    rows = form.apply(selectors.requests_visible_to(user), now=now).order_by("-created_at", "-id")
    cursor = decode_cursor(request.GET.get("after"), 2)
    if cursor is not None:
        try:
            when = datetime.fromisoformat(str(cursor[0]))
            rows = rows.filter(Q(created_at__lt=when) | Q(created_at=when, pk__lt=int(cursor[1])))
        except (TypeError, ValueError):
            cursor = None
    page = list(rows[: PAGE_SIZE + 1])
    has_more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    policy = selectors.RequesterPolicy(user)
    selectors.audit_pii_shown(user, page, policy)
    context = {
        "form": form,
        "rows": [
            {
                "request": r,
                "state": states.info(r.state, catalog),
                "mobile": policy.mobile(r),
                "overdue": r.state_kind == StateKind.OPEN and r.due_at < now,
            }
            for r in page
        ],
        "counts": selectors.queue_counts(user, now=now),
        "next_cursor": encode_cursor(page[-1].created_at.isoformat(), page[-1].pk) if has_more else "",
        "is_first_page": cursor is None,
        "filter_query": query_without(request, "after"),
        "follow_ups_open": selectors.open_follow_up_count(user),
    }
    template = (
        "servicedesk/partials/queue_rows.html"
        if request.htmx and request.htmx.target == "queue-results"
        else "servicedesk/queue.html"
    )
    return render(request, template, context)


DANGEROUS = {"reject", "close", "cancel"}
SECONDARY = {"refer", "reject", "close", "cancel"}  # folded under "其他操作"
STAFF_LABELS = {"cancel": _("代申请人撤回")}


def _action_forms(request_obj: ServiceRequest, user, bound: RequestActionForm | None = None) -> list[dict]:
    forms = []
    for action in ACTION_ORDER:
        if request_obj.state not in TRANSITIONS[action].targets:
            continue
        form = (
            bound
            if bound is not None and bound.action == action
            else RequestActionForm(action, request_obj, user)
        )
        forms.append(
            {
                "form": form,
                "action": action,
                "label": STAFF_LABELS.get(action, TRANSITIONS[action].label),
                "danger": action in DANGEROUS,
                "secondary": action in SECONDARY,
            }
        )
    return forms


def _detail(
    request, request_obj: ServiceRequest, *, bound: RequestActionForm | None = None, status: int = 200
):
    user = request.user
    policy = selectors.RequesterPolicy(user)
    selectors.audit_pii_shown(user, [request_obj], policy)
    catalog = states.catalog()
    is_open = request_obj.state_kind == StateKind.OPEN

    def extra(action):
        return (
            bound
            if bound is not None and bound.action == action
            else RequestActionForm(action, request_obj, user)
        )

    forms = _action_forms(request_obj, user, bound)
    shown = {entry["action"] for entry in forms} | {"note", "expected"}
    stray = []
    if bound is not None and bound.action not in shown:  # e.g. the state changed meanwhile
        stray = [str(e) for errors in bound.errors.values() for e in errors]
    context = {
        "stray_errors": stray,
        "req": request_obj,
        "state": states.info(request_obj.state, catalog),
        "public": selectors.public_status(request_obj),
        "mobile": policy.mobile(request_obj),
        "pii_shown": policy.allows(request_obj),
        "events": [
            {
                "event": e,
                "label": EVENT_LABELS.get(e.action, e.action),
                "state": states.info(e.to_state, catalog),
            }
            for e in selectors.history(request_obj, public_only=False)
        ],
        "attachments": list(request_obj.attachments.all()),
        "forms": [f for f in forms if not f["secondary"]],
        "more_forms": [f for f in forms if f["secondary"]],
        "open_more": bound is not None and bound.action in SECONDARY,
        "note_form": extra("note"),
        "expected_form": extra("expected") if is_open else None,
        "is_open": is_open,
        "overdue": is_open and request_obj.due_at < timezone.now(),
        "rating": Rating.objects.filter(request=request_obj).first(),
    }
    return render(request, "servicedesk/request_detail.html", context, status=status)


@staff_view(Perm.HANDLE_REQUESTS)
def request_detail(request, pk: int):
    return _detail(request, selectors.get_request_for(request.user, pk))


def _perform(action: str, user, request_obj: ServiceRequest, form: RequestActionForm):
    note = form.value("note") or ""
    if action == "accept":
        return services.accept_request(actor=user, request=request_obj, note=note)
    if action == "reject":
        return services.reject_request(actor=user, request=request_obj, reason=note)
    if action == "assign":
        return services.assign_request(
            actor=user, request=request_obj, handler=form.value("handler"), note=note
        )
    if action == "start":
        return services.start_request(actor=user, request=request_obj, expected_at=aware(form.value("expected_at")),
                                      note=note)  # fmt: skip
    if action == "request_info":
        return services.request_info(actor=user, request=request_obj, note=note)
    if action == "resolve":
        return services.resolve_request(actor=user, request=request_obj, note=note)
    if action == "refer":
        organization = form.value("organization")
        if organization is None:
            raise DomainError("organization_invalid", _("请选择转交的组织。"), field="organization")
        return services.refer_request(actor=user, request=request_obj, organization=organization, note=note)
    if action == "close":
        return services.close_request(
            actor=user, request=request_obj, note=note, state=form.value("state") or None
        )
    if action == "reopen":
        return services.reopen_request(actor=user, request=request_obj, note=note)
    if action == "cancel":
        return services.cancel_request(actor=user, request=request_obj, note=note)
    if action == "note":
        return services.add_note(
            actor=user, request=request_obj, note=note, public=bool(form.value("public"))
        )
    if action == "expected":
        return services.set_expected(actor=user, request=request_obj, expected_at=aware(form.value("expected_at")),
                                     note=note)  # fmt: skip
    if action == "urgent":
        return services.set_urgent(actor=user, request=request_obj, urgent=bool(form.value("urgent")))
    raise Http404


DONE_MESSAGES = {
    "accept": _("已受理。"),
    "reject": _("已不予受理，申请人会看到原因。"),
    "assign": _("已分派承办人。"),
    "start": _("已开始办理。"),
    "request_info": _("已请申请人补充材料。"),
    "resolve": _("已办结，等待申请人评价。"),
    "refer": _("已转办。"),
    "close": _("已关闭。"),
    "reopen": _("已重新办理。"),
    "cancel": _("已撤回。"),
    "note": _("已添加说明。"),
    "expected": _("已更新预计办结时间。"),
    "urgent": _("已更新“急难愁”标记。"),
}


@require_POST
@staff_view(Perm.HANDLE_REQUESTS)
def request_action(request, pk: int, action: str):
    if action not in ACTION_FIELDS:
        raise Http404
    user = request.user
    request_obj = selectors.get_request_for(user, pk)
    form = RequestActionForm(action, request_obj, user, request.POST)
    if form.is_valid():
        try:
            _perform(action, user, request_obj, form)
        except DomainError as exc:
            if exc.status == 403:
                raise
            form_error_from(form, exc)
        else:
            messages.success(request, DONE_MESSAGES[action])
            try:
                selectors.get_request_for(user, pk)
            except Http404:  # referred out of the viewer's scope
                return redirect("servicedesk:queue")
            return redirect("servicedesk:request", pk=pk)
    request_obj = selectors.get_request_for(user, pk)
    return _detail(request, request_obj, bound=form, status=400)


@staff_view(Perm.HANDLE_REQUESTS)
def attachment(request, pk: int, attachment_id: int):
    request_obj = selectors.get_request_for(request.user, pk)
    try:
        row = request_obj.attachments.get(pk=attachment_id)
    except (RequestAttachment.DoesNotExist, ValueError):
        raise Http404 from None
    audit.record("servicedesk.attachment.downloaded", actor=request.user, obj=request_obj,
                 data={"attachment": row.pk, "name": row.original_name})  # fmt: skip
    content_type = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}[row.kind]
    response = FileResponse(row.file.open("rb"), as_attachment=True, filename=row.original_name,
                            content_type=content_type)  # fmt: skip
    return response


@staff_view(Perm.HANDLE_REQUESTS)
def follow_ups(request):
    rows = list(selectors.follow_ups_visible_to(request.user)[:200])
    return render(request, "servicedesk/follow_ups.html", {"rows": rows, "today": timezone.localdate()})


@staff_view(Perm.HANDLE_REQUESTS)
def follow_up(request, pk: int):
    item = selectors.get_follow_up_for(request.user, pk)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_follow_up(actor=request.user, follow_up=item, answer=form.cleaned_data["answer"],
                                      visited=form.cleaned_data["visited"])  # fmt: skip
        except DomainError as exc:
            form_error_from(form, exc)
        else:
            messages.success(request, _("已整改答复，申请人会看到这段答复。"))
            return redirect("servicedesk:follow-ups")
    context = {"item": item, "form": form, "req": item.request, "rating": item.rating}
    return render(request, "servicedesk/follow_up.html", context, status=400 if form.errors else 200)
