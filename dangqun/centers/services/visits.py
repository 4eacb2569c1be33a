"""Group visit reservations (团体参观) of a center, e.g. the 大理经开区 center's 三坊一照壁.

Visitors of overlapping active visits never exceed the center's `visit_capacity`; checked under
the center row's lock (PostgreSQL) or the write lock taken at BEGIN (SQLite).
"""

from __future__ import annotations

import hmac
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.centers import rules as center_rules
from dangqun.centers.enums import ACTIVE_STATUSES, BookingStatus, Channel, can_transition
from dangqun.centers.hours import local_bounds, window_on
from dangqun.centers.models import Blackout, GroupVisit, ServiceCenter
from dangqun.centers.services.common import (
    aware,
    clean_positive,
    clean_text,
    format_day,
    format_range,
    may_manage,
)
from dangqun.centers.services.requesters import Requester, actor_label, clean_requester
from dangqun.core import audit
from dangqun.core.errors import DomainError


def _peak(rows: list[tuple[datetime, datetime, int]], start: datetime, end: datetime) -> int:
    events = []
    for lo, hi, people in rows:
        lo, hi = max(lo, start), min(hi, end)
        if lo < hi:
            events += [(lo, people), (hi, -people)]
    events.sort(key=lambda e: (e[0], e[1]))  # departures first at the same instant
    peak = load = 0
    for _when, delta in events:
        load += delta
        peak = max(peak, load)
    return peak


def request_group_visit(
    *, actor, center: ServiceCenter, starts_at: datetime, visitors, group_name: str, requester: Requester | None = None,
    channel: str = Channel.WEB, needs_guide: bool = True, note: str = "", device=None, now: datetime | None = None,
) -> GroupVisit:  # fmt: skip
    """Reserve a visit of `center.visit_minutes` from `starts_at`; pending until staff confirm (staff's own
    reservations are confirmed at once)."""
    now = now or timezone.now()
    if not center.is_active or not center.accepts_group_visits:
        raise DomainError("no_visits", _("“%(c)s”不接受团体参观预约。") % {"c": center.name}, field="center")
    group_name = clean_text(group_name, field="group_name", label=_("参观团体名称"), limit=100, required=True)
    note = clean_text(note, field="note", label=_("备注"), limit=200)
    visitors = clean_positive(visitors, field="visitors", label=_("参观人数"), maximum=1_000_000)
    if visitors > center.visit_capacity:
        raise DomainError(
            "over_capacity",
            _("参观人数 %(n)d 超过本中心同时接待上限 %(c)d 人，请分批预约。")
            % {"n": visitors, "c": center.visit_capacity},
            field="visitors",
        )
    fields = clean_requester(actor=actor, center=center, requester=requester, channel=channel, device=device)
    starts_at = aware(starts_at, field="starts_at", label=_("参观时间"))
    ends_at = starts_at + timedelta(minutes=center.visit_minutes)
    if starts_at < now:
        raise DomainError("range_past", _("参观时间已经过去，请选择以后的时间。"), field="starts_at")
    days = center_rules.current(center_rules.MAX_DAYS_AHEAD)
    if starts_at > now + timedelta(days=days):
        raise DomainError("range_too_far", _("最多只能提前 %(d)d 天预约。") % {"d": days}, field="starts_at")
    day = timezone.localdate(starts_at)
    window = window_on(center.opening_hours, day)
    if window is None:
        raise DomainError(
            "closed_day", _("本中心%(d)s不开放。") % {"d": format_day(starts_at)}, field="starts_at"
        )
    opens, closes = local_bounds(day, window)
    if starts_at < opens or ends_at > closes:
        raise DomainError(
            "outside_hours",
            _("参观须在开放时间内（当天 %(o)s–%(c)s），每场 %(m)d 分钟。")
            % {"o": f"{window[0]:%H:%M}", "c": f"{window[1]:%H:%M}", "m": center.visit_minutes},
            field="starts_at",
        )
    staff = (actor is None and channel == Channel.SYSTEM) or (
        actor is not None and may_manage(actor, center.org_path)
    )
    with transaction.atomic():
        ServiceCenter.objects.select_for_update().filter(pk=center.pk).values_list("pk", flat=True).get()
        closed = Blackout.objects.filter(
            center=center, space__isnull=True, starts_at__lt=ends_at, ends_at__gt=starts_at
        ).first()
        if closed is not None:
            raise DomainError(
                "blackout", _("该时段本中心暂停开放（%(r)s）。") % {"r": closed.reason}, field="starts_at"
            )
        rows = list(
            GroupVisit.objects.filter(
                center=center, status__in=ACTIVE_STATUSES, starts_at__lt=ends_at, ends_at__gt=starts_at
            ).values_list("starts_at", "ends_at", "visitors")
        )
        used = _peak(rows, starts_at, ends_at)
        if used + visitors > center.visit_capacity:
            raise DomainError(
                "visits_full",
                _("%(w)s 已有 %(u)d 人预约参观，最多还可接待 %(l)d 人。")
                % {
                    "w": format_range(starts_at, ends_at),
                    "u": used,
                    "l": max(center.visit_capacity - used, 0),
                },
                field="visitors",
                status=409,
            )
        status = BookingStatus.ACCEPTED if staff else BookingStatus.PENDING
        visit = GroupVisit.objects.create(
            center=center, org_path=center.org_path, group_name=group_name, visitors=visitors, starts_at=starts_at,
            ends_at=ends_at, needs_guide=bool(needs_guide), note=note, status=status,
            decided_at=timezone.now() if staff else None, **fields,
        )  # fmt: skip
        audit.record(
            "centers.visit.requested", actor=actor, actor_label=actor_label(actor, fields), obj=visit,
            data={"range": format_range(starts_at, ends_at), "visitors": visitors, "status": status},
        )  # fmt: skip
    return visit


def _locked(visit: GroupVisit) -> GroupVisit:
    return GroupVisit.objects.select_for_update(of=("self",)).select_related("center").get(pk=visit.pk)


def may_handle(actor, visit: GroupVisit, public_code: str | None = None) -> bool:
    """The requester (login or the secret code of the phone link) or staff of the center."""
    if public_code and hmac.compare_digest(public_code, visit.public_code):
        return True
    if actor is None or not actor.is_authenticated:
        return False
    return visit.user_id == actor.pk or may_manage(actor, visit.org_path)


def _move(visit: GroupVisit, target: str) -> None:
    if not can_transition(visit.status, target):
        raise DomainError(
            "transition_invalid",
            _("该预约当前为“%(a)s”，不能改为“%(b)s”。")
            % {"a": BookingStatus(visit.status).label, "b": BookingStatus(target).label},
            field="status",
            status=409,
        )


@transaction.atomic
def decide_group_visit(*, actor, visit: GroupVisit, accept: bool, note: str = "") -> GroupVisit:
    visit = _locked(visit)
    if actor is not None and not may_manage(actor, visit.org_path):
        raise DomainError("permission_denied", _("您无权审核该参观预约。"), status=403)
    target = BookingStatus.ACCEPTED if accept else BookingStatus.REJECTED
    _move(visit, target)
    note = clean_text(note, field="decision_note", label=_("审核意见"), limit=200, required=not accept)
    visit.status, visit.decided_by, visit.decided_at, visit.decision_note = (
        target,
        actor,
        timezone.now(),
        note,
    )
    visit.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    audit.record(f"centers.visit.{target}", actor=actor, obj=visit, data={"note": note})
    return visit


@transaction.atomic
def cancel_group_visit(
    *, actor, visit: GroupVisit, reason: str = "", public_code: str | None = None
) -> GroupVisit:
    visit = _locked(visit)
    if not may_handle(actor, visit, public_code):
        raise DomainError("permission_denied", _("您无权取消该参观预约。"), status=403)
    _move(visit, BookingStatus.CANCELLED)
    visit.status = BookingStatus.CANCELLED
    visit.cancelled_by = actor if actor is not None and actor.is_authenticated else None
    visit.cancelled_at = timezone.now()
    visit.cancel_reason = clean_text(reason, field="cancel_reason", label=_("取消原因"), limit=200)
    visit.save(update_fields=["status", "cancelled_by", "cancelled_at", "cancel_reason", "updated_at"])
    audit.record("centers.visit.cancelled", actor=actor, obj=visit, data={"reason": visit.cancel_reason})
    return visit
