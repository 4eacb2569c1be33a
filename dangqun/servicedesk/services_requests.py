"""Writes on service requests: filing, every transition (checked against enums.TRANSITIONS), status
notes, ratings with their follow-up, and overdue escalation. Each audits in its own transaction."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm
from dangqun.accounts.models import Device
from dangqun.buildings.models import Enterprise
from dangqun.core import audit
from dangqun.core.errors import DomainError
from dangqun.core.masking import mask_mobile
from dangqun.core.validators import normalize_mobile
from dangqun.orgs.models import Organization
from dangqun.servicedesk import attachments, states, workdays
from dangqun.servicedesk.enums import TRANSITIONS, Actor, Channel, Note, State, StateKind
from dangqun.servicedesk.models import RequestEvent, ServiceItem, ServiceRequest
from dangqun.servicedesk.tokens import hash_token, new_token

DESCRIPTION_MAX = 2000
NOTE_MAX = 1000


@dataclass(frozen=True)
class Filed:
    """A new request and its tracking token (shown once: QR on the kiosk, link on the phone)."""

    request: ServiceRequest
    token: str


# --- small checks -----------------------------------------------------------------------------


def _text(value, *, field: str, label: str, limit: int, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError(f"{field}_required", _("请填写%(label)s。") % {"label": label}, field=field)
    if len(text) > limit:
        raise DomainError(
            f"{field}_too_long",
            _("%(label)s不能超过 %(n)d 个字。") % {"label": label, "n": limit},
            field=field,
        )
    return text


def _mobile(raw: str, *, required: bool) -> str:
    if not (raw or "").strip():
        if required:
            raise DomainError("mobile_required", _("请填写手机号，以便工作人员联系您。"), field="mobile")
        return ""
    try:
        return normalize_mobile(raw)
    except ValidationError as exc:
        raise DomainError("mobile_invalid", " ".join(str(m) for m in exc.messages), field="mobile") from exc


def _is_staff_on(actor, path: str) -> bool:
    return actor is not None and permissions.has_perm(actor, Perm.HANDLE_REQUESTS, path)


def _require_staff(actor, request: ServiceRequest) -> None:
    if actor is not None and not _is_staff_on(actor, request.org_path):
        raise DomainError("permission_denied", _("您无权办理该诉求。"), status=403)


def is_requester(request: ServiceRequest, *, actor=None, token: str | None = None) -> bool:
    if token and hmac.compare_digest(hash_token(token), request.tracking_hash):
        return True
    return bool(
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and request.requester_user_id == actor.pk
    )


def _require_requester(request: ServiceRequest, *, actor, token) -> None:
    if not is_requester(request, actor=actor, token=token):
        raise DomainError("permission_denied", _("只有申请人本人可以这样做。"), status=403)


def _locked(request: ServiceRequest) -> ServiceRequest:
    return (
        ServiceRequest.objects.select_for_update().select_related("item", "organization").get(pk=request.pk)
    )


def _label(actor, role: str) -> str:
    if role == Actor.REQUESTER:
        return _("申请人")
    if actor is None:
        return _("系统")
    return str(actor)[:60]


def _record(
    request, action, *, actor, role, note="", public=False, before="", data=None, now=None
) -> RequestEvent:
    event = RequestEvent.objects.create(
        request=request,
        action=action,
        from_state=before,
        to_state=request.state,
        note=note,
        is_public=public,
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        actor_label=_label(actor, role),
        data=data or {},
        created_at=now or timezone.now(),
    )
    payload = {"from": before, "to": request.state, "by": role, **(data or {})}
    if note:
        payload["note"] = note[:200]
    signed_in = actor is not None and getattr(actor, "is_authenticated", False)
    audit.record(
        f"servicedesk.request.{action}",
        actor=actor if signed_in else None,
        obj=request,
        org_path=request.org_path,
        data=payload,
        actor_label="" if signed_in else _label(actor, role),
    )
    return event


def _move(request, action: str, *, role: str, note: str = "", target: str | None = None) -> str:
    """Check `action` from the current state against the table; set the new state. Returns the old."""
    rule = TRANSITIONS[action]
    if role not in rule.by:
        raise DomainError("permission_denied", _("您不能执行“%(a)s”。") % {"a": rule.label}, status=403)
    catalog = states.catalog()
    before = request.state
    to = rule.targets.get(before)
    if to is None:
        raise DomainError(
            "transition_not_allowed",
            _("诉求当前为“%(s)s”，不能%(a)s。") % {"s": states.info(before, catalog).name, "a": rule.label},
            status=409,
        )
    if target and target != to:
        chosen = catalog.get(target)
        if not rule.choose_kind or chosen is None or chosen.kind != rule.choose_kind or not chosen.is_active:
            raise DomainError("state_invalid", _("不能选择该状态。"), field="state")
        to = target
    if rule.note == Note.PUBLIC and not (note or "").strip():
        raise DomainError("note_required", _("请填写说明，申请人会看到这段说明。"), field="note")
    request.state = to
    request.state_kind = states.info(to, catalog).kind
    return before


# --- filing -----------------------------------------------------------------------------------


def _check_device(device, item: ServiceItem) -> None:
    """Only an active kiosk registered in the center's organization subtree files as a device."""
    covers = item.org_path.startswith(device.organization.path)
    if device.kind != Device.Kind.KIOSK or not device.is_active or not covers:
        raise DomainError("device_invalid", _("该设备不是本服务中心已登记的办事通大屏。"), field="device")


@transaction.atomic
def file_request(
    *,
    actor,
    item: ServiceItem,
    description: str,
    name: str = "",
    mobile: str = "",
    enterprise: Enterprise | None = None,
    unit: str = "",
    urgent: bool = False,
    description_public: bool = False,
    attachments_in=(),
    channel: str = Channel.WEB,
    open311_client=None,
    device=None,
    now: datetime | None = None,
) -> Filed:
    """File a request. Anonymous callers (kiosk, phone) give a name and a mobile; a logged-in user
    files as themselves; staff file on someone's behalf (channel staff) with that person's details.
    `device` is the registered kiosk the request was filed at (recorded on the request)."""
    now = now or timezone.now()
    item = ServiceItem.objects.select_related("center", "center__organization").get(pk=item.pk)
    if not item.is_active or (not item.is_public and channel != Channel.STAFF):
        raise DomainError("item_unavailable", _("该服务事项暂不受理。"), field="item")
    if channel not in Channel.values:
        raise DomainError("channel_invalid", _("未知的来源。"), field="channel")
    description = _text(
        description, field="description", label=_("诉求内容"), limit=DESCRIPTION_MAX, required=True
    )
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    on_behalf = channel == Channel.STAFF
    if on_behalf and not _is_staff_on(actor, item.org_path):
        raise DomainError("permission_denied", _("您无权代为登记该中心的诉求。"), status=403)
    requester_user = actor if authenticated and not on_behalf else None
    fallback_name = ""
    if requester_user is not None:
        person = getattr(requester_user, "person", None)
        fallback_name = (
            (person.name if person else "") or requester_user.display_name or requester_user.username
        )
    name = _text(name or fallback_name, field="name", label=_("联系人姓名"), limit=50, required=True)
    mobile = _mobile(
        mobile or (requester_user.mobile if requester_user is not None else ""),
        required=requester_user is None,
    )
    unit = _text(
        unit or (enterprise.name if enterprise else ""), field="unit", label=_("所在单位"), limit=100
    )
    if device is not None:
        _check_device(device, item)
    checked = attachments.check_files(attachments_in, org_path=item.org_path)
    organization = item.center.organization
    token, token_hash = new_token()
    catalog = states.catalog()
    request = ServiceRequest.objects.create(
        item=item,
        organization=organization,
        org_path=organization.path,
        state=State.SUBMITTED,
        state_kind=states.info(State.SUBMITTED, catalog).kind,
        description=description,
        description_public=bool(description_public),
        is_urgent=bool(urgent),
        channel=channel,
        requester_user=requester_user,
        requester_name=name,
        requester_mobile=mobile,
        enterprise=enterprise,
        requester_unit=unit,
        tracking_hash=token_hash,
        due_at=workdays.deadline(now, item.promise_value, item.promise_unit, org_path=organization.path),
        open311_client=open311_client,
        device=device,
    )
    ServiceRequest.objects.filter(pk=request.pk).update(created_at=now, updated_at=now)
    request.created_at = request.updated_at = now
    role = Actor.STAFF if on_behalf else Actor.REQUESTER
    event = _record(
        request, "submit", actor=actor if on_behalf or requester_user else None, role=role,
        data={"item": item.code, "channel": channel, "mobile": mask_mobile(mobile), "urgent": bool(urgent),
              "attachments": len(checked), **({"device": device.pk} if device is not None else {})},
        now=now,
    )  # fmt: skip
    attachments.store(request, checked, event=event, by_requester=not on_behalf)
    return Filed(request, token)


# --- staff transitions ------------------------------------------------------------------------


def _staff_step(actor, request, action, *, note="", target=None):
    request = _locked(request)
    _require_staff(actor, request)
    before = _move(request, action, role=Actor.STAFF, note=note, target=target)
    return request, before


@transaction.atomic
def accept_request(
    *, actor, request: ServiceRequest, note: str = "", now: datetime | None = None
) -> ServiceRequest:
    """受理: the promise clock keeps running from filing; the expected date starts at the promise."""
    now = now or timezone.now()
    request, before = _staff_step(actor, request, "accept")
    note = _text(note, field="note", label=_("说明"), limit=NOTE_MAX)
    request.accepted_at = request.accepted_at or now
    request.expected_at = request.expected_at or request.due_at
    request.save()
    _record(request, "accept", actor=actor, role=Actor.STAFF, note=note, public=True, before=before, now=now)
    return request


@transaction.atomic
def reject_request(
    *, actor, request: ServiceRequest, reason: str, now: datetime | None = None
) -> ServiceRequest:
    now = now or timezone.now()
    reason = _text(reason, field="note", label=_("不予受理的原因"), limit=NOTE_MAX)
    request, before = _staff_step(actor, request, "reject", note=reason)
    request.closed_at = now
    request.save()
    _record(
        request, "reject", actor=actor, role=Actor.STAFF, note=reason, public=True, before=before, now=now
    )
    return request


def _check_handler(handler, request: ServiceRequest) -> None:
    if (
        handler is None
        or not handler.is_active
        or not permissions.has_perm(handler, Perm.HANDLE_REQUESTS, request.org_path)
    ):
        raise DomainError("handler_invalid", _("承办人须是有权办理本诉求的工作人员。"), field="handler")


@transaction.atomic
def assign_request(
    *, actor, request: ServiceRequest, handler, note: str = "", now: datetime | None = None
) -> ServiceRequest:
    now = now or timezone.now()
    request, before = _staff_step(actor, request, "assign")
    _check_handler(handler, request)
    note = _text(note, field="note", label=_("说明"), limit=NOTE_MAX)
    request.handler = handler
    request.save()
    _record(request, "assign", actor=actor, role=Actor.STAFF, note=note, public=False, before=before,
            data={"handler": handler.get_username()}, now=now)  # fmt: skip
    return request


def _clean_expected(expected_at, request: ServiceRequest) -> datetime:
    if expected_at is None:
        raise DomainError("expected_required", _("请填写预计办结时间。"), field="expected_at")
    if timezone.is_naive(expected_at):
        expected_at = timezone.make_aware(expected_at)
    if expected_at < request.created_at:
        raise DomainError("expected_before_filing", _("预计办结时间不能早于提交时间。"), field="expected_at")
    return expected_at


@transaction.atomic
def start_request(
    *, actor, request: ServiceRequest, expected_at: datetime, note: str = "", now: datetime | None = None
) -> ServiceRequest:
    """开始办理 with an expected date the requester sees (Open311 expected_datetime)."""
    now = now or timezone.now()
    request, before = _staff_step(actor, request, "start")
    request.expected_at = _clean_expected(expected_at, request)
    if request.handler_id is None and actor is not None:
        request.handler = actor
    note = _text(note, field="note", label=_("说明"), limit=NOTE_MAX)
    request.save()
    _record(request, "start", actor=actor, role=Actor.STAFF, note=note, public=True, before=before,
            data={"expected_at": request.expected_at.isoformat()}, now=now)  # fmt: skip
    return request


@transaction.atomic
def set_expected(
    *, actor, request: ServiceRequest, expected_at: datetime, note: str = "", now: datetime | None = None
) -> ServiceRequest:
    now = now or timezone.now()
    request = _locked(request)
    _require_staff(actor, request)
    if request.state_kind != StateKind.OPEN:
        raise DomainError("transition_not_allowed", _("诉求已办结，不能再改预计时间。"), status=409)
    request.expected_at = _clean_expected(expected_at, request)
    request.save()
    note = _text(note, field="note", label=_("说明"), limit=NOTE_MAX)
    _record(request, "set_expected", actor=actor, role=Actor.STAFF, note=note, public=True, before=request.state,
            data={"expected_at": request.expected_at.isoformat()}, now=now)  # fmt: skip
    return request


@transaction.atomic
def request_info(*, actor, request: ServiceRequest, note: str, now: datetime | None = None) -> ServiceRequest:
    """Ask the requester for a missing document: a public status note, state 待补充材料."""
    now = now or timezone.now()
    note = _text(note, field="note", label=_("需要补充的材料"), limit=NOTE_MAX)
    request, before = _staff_step(actor, request, "request_info", note=note)
    request.save()
    _record(
        request, "request_info", actor=actor, role=Actor.STAFF, note=note, public=True, before=before, now=now
    )
    return request


@transaction.atomic
def resolve_request(
    *, actor, request: ServiceRequest, note: str, now: datetime | None = None
) -> ServiceRequest:
    now = now or timezone.now()
    note = _text(note, field="note", label=_("办结说明"), limit=NOTE_MAX)
    request, before = _staff_step(actor, request, "resolve", note=note)
    request.resolved_at = now
    request.save()
    _record(request, "resolve", actor=actor, role=Actor.STAFF, note=note, public=True, before=before, now=now)
    return request


@transaction.atomic
def refer_request(
    *, actor, request: ServiceRequest, organization: Organization, note: str = "", now: datetime | None = None
) -> ServiceRequest:
    """转办: the request moves to another organization's queue (its staff accept it there)."""
    now = now or timezone.now()
    if organization is None or organization.dissolved_at is not None:
        raise DomainError("organization_invalid", _("请选择一个有效的组织。"), field="organization")
    request, before = _staff_step(actor, request, "refer")
    if organization.pk == request.organization_id:
        raise DomainError("organization_same", _("诉求已在该组织办理。"), field="organization")
    note = _text(note, field="note", label=_("转办说明"), limit=NOTE_MAX)
    source = request.organization
    request.organization = organization
    request.org_path = organization.path
    request.handler = None
    request.save()
    public_note = _("已转交“%(o)s”办理。") % {"o": organization.name}
    _record(request, "refer", actor=actor, role=Actor.STAFF, note=public_note, public=True, before=before,
            data={"from_org": source.name, "to_org": organization.name}, now=now)  # fmt: skip
    if note:
        _record(
            request,
            "note",
            actor=actor,
            role=Actor.STAFF,
            note=note,
            public=False,
            before=request.state,
            now=now,
        )
    return request


@transaction.atomic
def close_request(
    *, actor, request: ServiceRequest, note: str = "", state: str | None = None, now: datetime | None = None
) -> ServiceRequest:
    """关闭, optionally into a configured closing state (重复诉求 …)."""
    now = now or timezone.now()
    note = _text(note, field="note", label=_("说明"), limit=NOTE_MAX)
    request, before = _staff_step(actor, request, "close", note=note, target=state)
    request.closed_at = now
    request.save()
    _record(
        request, "close", actor=actor, role=Actor.STAFF, note=note, public=bool(note), before=before, now=now
    )
    return request


@transaction.atomic
def add_note(
    *, actor, request: ServiceRequest, note: str, public: bool, now: datetime | None = None
) -> RequestEvent:
    """A status note: public ones reach the requester and Open311 (status_notes)."""
    now = now or timezone.now()
    request = _locked(request)
    _require_staff(actor, request)
    note = _text(note, field="note", label=_("说明"), limit=NOTE_MAX, required=True)
    ServiceRequest.objects.filter(pk=request.pk).update(updated_at=now)
    return _record(request, "note", actor=actor, role=Actor.STAFF, note=note, public=bool(public),
                   before=request.state, now=now)  # fmt: skip


@transaction.atomic
def set_urgent(
    *, actor, request: ServiceRequest, urgent: bool, now: datetime | None = None
) -> ServiceRequest:
    """The 急、难、愁 flag."""
    request = _locked(request)
    _require_staff(actor, request)
    if request.is_urgent == bool(urgent):
        return request
    request.is_urgent = bool(urgent)
    request.save()
    _record(request, "flag_urgent" if urgent else "unflag_urgent", actor=actor, role=Actor.STAFF,
            before=request.state, now=now)  # fmt: skip
    return request
