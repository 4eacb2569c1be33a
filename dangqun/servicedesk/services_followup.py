"""Writes by the requester (token or own login) and after resolution: supplying documents,
cancelling, reopening, rating (好差评) with the supervisor's follow-up, and overdue escalation."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm
from dangqun.core import audit, rules
from dangqun.core.errors import DomainError
from dangqun.orgs.models import Organization
from dangqun.servicedesk import attachments, workdays
from dangqun.servicedesk import rules as keys
from dangqun.servicedesk.enums import Actor, FollowUpState, StateKind
from dangqun.servicedesk.models import Rating, RatingFollowUp, ServiceRequest
from dangqun.servicedesk.services_requests import (
    NOTE_MAX,
    _is_staff_on,
    _locked,
    _move,
    _record,
    _require_requester,
    _text,
    is_requester,
)

# --- requester (or staff) steps ----------------------------------------------------------------


def _role(actor, request, token) -> str:
    if is_requester(request, actor=actor, token=token):
        return Actor.REQUESTER
    if actor is None or _is_staff_on(actor, request.org_path):
        return Actor.STAFF
    raise DomainError("permission_denied", _("只有申请人本人或办理人员可以这样做。"), status=403)


@transaction.atomic
def supply_info(
    *, request: ServiceRequest, note: str = "", attachments_in=(), token: str | None = None, actor=None,
    now: datetime | None = None,
) -> ServiceRequest:  # fmt: skip
    """The requester answers 请补充材料 with a note and/or files; handling goes on."""
    now = now or timezone.now()
    request = _locked(request)
    _require_requester(request, actor=actor, token=token)
    note = _text(note, field="note", label=_("补充说明"), limit=NOTE_MAX)
    checked = attachments.check_files(attachments_in, org_path=request.org_path)
    if not note and not checked:
        raise DomainError("supply_empty", _("请填写补充说明或上传材料。"), field="note")
    before = _move(request, "supply_info", role=Actor.REQUESTER)
    request.save()
    event = _record(request, "supply_info", actor=actor, role=Actor.REQUESTER, note=note, public=True,
                    before=before, data={"attachments": len(checked)}, now=now)  # fmt: skip
    attachments.store(request, checked, event=event, by_requester=True)
    return request


@transaction.atomic
def cancel_request(
    *,
    request: ServiceRequest,
    note: str = "",
    token: str | None = None,
    actor=None,
    now: datetime | None = None,
) -> ServiceRequest:
    now = now or timezone.now()
    request = _locked(request)
    role = _role(actor, request, token)
    note = _text(note, field="note", label=_("撤回原因"), limit=NOTE_MAX)
    before = _move(request, "cancel", role=role)
    request.closed_at = now
    request.save()
    _record(request, "cancel", actor=actor, role=role, note=note, public=True, before=before, now=now)
    return request


@transaction.atomic
def reopen_request(
    *, request: ServiceRequest, note: str, token: str | None = None, actor=None, now: datetime | None = None
) -> ServiceRequest:
    """Only the requester or staff reopen (RULES.md §8.2); a rated request keeps its rating."""
    now = now or timezone.now()
    request = _locked(request)
    role = _role(actor, request, token)
    note = _text(note, field="note", label=_("重新办理的原因"), limit=NOTE_MAX)
    before = _move(request, "reopen", role=role, note=note)
    request.resolved_at = None
    request.closed_at = None
    request.save()
    _record(request, "reopen", actor=actor, role=role, note=note, public=True, before=before, now=now)
    return request


def negative_score_max(org_path: str) -> int:
    return int(rules.value(keys.NEGATIVE_SCORE_MAX, org_path=org_path))


def _score(raw) -> int:
    try:
        score = int(raw)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise DomainError("score_invalid", _("请选择 1 到 5 分的评价。"), field="score")
    return score


@transaction.atomic
def rate_request(
    *, request: ServiceRequest, score, comment: str = "", token: str | None = None, actor=None,
    now: datetime | None = None,
) -> Rating:  # fmt: skip
    """好差评: once per request, after it was resolved. A negative rating opens a follow-up in the
    queue of the organization above the handler, due in the configured rectification time."""
    now = now or timezone.now()
    request = _locked(request)
    _require_requester(request, actor=actor, token=token)
    score = _score(score)
    comment = _text(comment, field="comment", label=_("评价内容"), limit=500)
    if request.resolved_at is None:
        raise DomainError("not_resolved", _("诉求办结后才能评价。"), status=409)
    if Rating.objects.filter(request=request).exists():
        raise DomainError("already_rated", _("您已经评价过了。"), status=409)
    before = _move(request, "rate", role=Actor.REQUESTER)
    request.closed_at = request.closed_at or now
    request.save()
    try:
        with transaction.atomic():
            rating = Rating.objects.create(request=request, score=score, comment=comment, created_at=now)
    except IntegrityError as exc:
        raise DomainError("already_rated", _("您已经评价过了。"), status=409) from exc
    _record(request, "rate", actor=actor, role=Actor.REQUESTER, before=before, data={"score": score}, now=now)
    if score <= negative_score_max(request.org_path):
        _open_follow_up(rating, request, now)
    return rating


def _supervisor_of(organization: Organization) -> Organization:
    parent_path = organization.path[: -organization.steplen]
    if not parent_path:
        return organization
    return Organization.objects.get(path=parent_path)


def _open_follow_up(rating: Rating, request: ServiceRequest, now: datetime) -> RatingFollowUp:
    supervisor = _supervisor_of(request.organization)
    days = int(rules.value(keys.RECTIFY_WORKING_DAYS, on=timezone.localdate(now), org_path=supervisor.path))
    follow_up = RatingFollowUp.objects.create(
        rating=rating,
        request=request,
        organization=supervisor,
        org_path=supervisor.path,
        due_on=workdays.add_working_days(timezone.localdate(now), days, org_path=supervisor.path),
        created_at=now,
    )
    audit.record(
        "servicedesk.followup.opened",
        obj=follow_up,
        org_path=supervisor.path,
        data={"request": request.pk, "score": rating.score, "due_on": follow_up.due_on.isoformat()},
    )
    return follow_up


@transaction.atomic
def answer_follow_up(
    *, actor, follow_up: RatingFollowUp, answer: str, visited: bool, now: datetime | None = None
) -> RatingFollowUp:
    """整改答复: the supervisor's answer also reaches the requester as a public status note."""
    now = now or timezone.now()
    follow_up = RatingFollowUp.objects.select_for_update().select_related("request").get(pk=follow_up.pk)
    if actor is not None and not permissions.has_perm(actor, Perm.HANDLE_REQUESTS, follow_up.org_path):
        raise DomainError("permission_denied", _("您无权督办该差评。"), status=403)
    if follow_up.state != FollowUpState.OPEN:
        raise DomainError("already_answered", _("该差评已整改答复。"), status=409)
    answer = _text(answer, field="answer", label=_("整改与答复"), limit=NOTE_MAX, required=True)
    follow_up.state = FollowUpState.ANSWERED
    follow_up.answer = answer
    follow_up.visited = bool(visited)
    follow_up.answered_by = actor
    follow_up.answered_at = now
    follow_up.save()
    request = follow_up.request
    _record(request, "note", actor=actor, role=Actor.STAFF, note=answer, public=True, before=request.state,
            data={"follow_up": True, "visited": bool(visited)}, now=now)  # fmt: skip
    audit.record("servicedesk.followup.answered", actor=actor, obj=follow_up, org_path=follow_up.org_path,
                 data={"visited": bool(visited)})  # fmt: skip
    return follow_up


# --- the overdue job ----------------------------------------------------------------------------


def escalate_overdue(now: datetime, *, batch: int = 500) -> int:
    """Open requests past their promised time go up to the organization above (once each).
    Idempotent: the conditional update on `escalated_at IS NULL` wins only once per request."""
    escalated = 0
    due = (
        ServiceRequest.objects.filter(state_kind=StateKind.OPEN, due_at__lt=now, escalated_at__isnull=True)
        .select_related("organization")
        .order_by("due_at", "id")[:batch]
    )
    for request in list(due):
        with transaction.atomic():
            supervisor = _supervisor_of(request.organization)
            won = ServiceRequest.objects.filter(
                pk=request.pk, escalated_at__isnull=True, state_kind=StateKind.OPEN
            ).update(escalated_at=now, escalated_to=supervisor)
            if not won:
                continue
            request.refresh_from_db()
            note = _("已超过承诺办结时间，已上报“%(o)s”督办。") % {"o": supervisor.name}
            _record(request, "escalate", actor=None, role=Actor.SYSTEM, note=note, public=False,
                    before=request.state, data={"to_org": supervisor.name}, now=now)  # fmt: skip
            escalated += 1
    return escalated
