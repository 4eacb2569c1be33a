"""Booking a space: request (single or weekly series), accept, reject, cancel.

The guarantee (no two overlapping active bookings unless both are 合用, and 合用 within capacity)
is checked inside one short transaction that first takes the lock: the space row FOR UPDATE on
PostgreSQL (backed by the exclusion constraints), the database write lock at BEGIN on SQLite
(transaction_mode=IMMEDIATE). Validation that needs no lock runs before it; the nearest free slots
of a refusal are computed after it, so the lock is held for a handful of statements only.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.centers import rules as center_rules
from dangqun.centers.enums import (
    ACTIVE_STATUSES,
    BookingMode,
    BookingStatus,
    Channel,
    can_transition,
)
from dangqun.centers.hours import bookable_window, local_bounds
from dangqun.centers.models import Booking, BookingSeries, Space
from dangqun.centers.selectors.availability import (
    Collision,
    collision_for,
    load_closed,
    load_window,
    nearest_free_slots,
)
from dangqun.centers.services.common import (
    aware,
    clean_positive,
    clean_text,
    format_day,
    format_range,
    format_when,
    may_manage,
)
from dangqun.centers.services.requesters import Requester, actor_label, clean_requester
from dangqun.core import audit
from dangqun.core.errors import DomainError


class SlotTaken(DomainError):
    """The range cannot be booked; `suggestions` holds the nearest free ranges [(start, end)]."""

    def __init__(self, code: str, message: str, *, field: str, suggestions: list[tuple[datetime, datetime]]):
        super().__init__(code, message, field=field, status=409)
        self.suggestions = suggestions


class SeriesConflict(DomainError):
    """Some dates of a series collide; `collisions` is [(date, reason text)]; nothing was written."""

    def __init__(self, message: str, collisions: list[tuple[date, str]]):
        super().__init__("series_conflict", message, field="starts_at", status=409)
        self.collisions = collisions


@dataclass
class _Plan:
    starts_at: datetime
    ends_at: datetime


class _Collided(Exception):
    def __init__(self, found: list[tuple[_Plan, Collision]]):
        self.found = found


def _check_range(
    space: Space, starts_at, ends_at, *, now: datetime, check_ahead: bool = True
) -> tuple[datetime, datetime]:
    """Aware, positive, not past, not too long or far ahead, inside one day's bookable hours."""
    starts_at = aware(starts_at, field="starts_at", label=_("开始时间"))
    ends_at = aware(ends_at, field="ends_at", label=_("结束时间"))
    if ends_at == starts_at:
        raise DomainError("range_empty", _("预约时长不能为零：结束时间必须晚于开始时间。"), field="ends_at")
    if ends_at < starts_at:
        raise DomainError("range_negative", _("结束时间必须晚于开始时间。"), field="ends_at")
    if starts_at < now:
        raise DomainError("range_past", _("开始时间已经过去，请选择以后的时间。"), field="starts_at")
    max_hours = center_rules.current(center_rules.MAX_HOURS)
    if ends_at - starts_at > timedelta(hours=max_hours):
        raise DomainError(
            "range_too_long", _("单次预约最长 %(h)d 小时。") % {"h": max_hours}, field="ends_at"
        )
    if check_ahead:
        days = center_rules.current(center_rules.MAX_DAYS_AHEAD)
        if starts_at > now + timedelta(days=days):
            raise DomainError(
                "range_too_far", _("最多只能提前 %(d)d 天预约。") % {"d": days}, field="starts_at"
            )
    day = timezone.localdate(starts_at)
    window = bookable_window(space.center.opening_hours, space.bookable_hours, day)
    if window is None:
        raise DomainError(
            "closed_day",
            _("“%(s)s”%(d)s不开放预约。") % {"s": space.name, "d": format_day(starts_at)},
            field="starts_at",
        )
    opens, closes = local_bounds(day, window)
    if starts_at < opens or ends_at > closes:
        raise DomainError(
            "outside_hours",
            _("所选时间不在“%(s)s”的可预约时间内（当天 %(o)s–%(c)s）。")
            % {"s": space.name, "o": f"{window[0]:%H:%M}", "c": f"{window[1]:%H:%M}"},
            field="starts_at" if starts_at < opens else "ends_at",
        )
    return starts_at, ends_at


def _check_space(space: Space, mode: str, attendees) -> int:
    if not space.is_active or not space.bookable or not space.center.is_active:
        raise DomainError("not_bookable", _("“%(s)s”不接受预约。") % {"s": space.name}, field="space")
    if mode not in BookingMode.values:
        raise DomainError("mode_invalid", _("请选择使用方式（免费使用、借用或合用）。"), field="mode")
    if mode == BookingMode.SHARED and not space.allows_sharing:
        raise DomainError(
            "sharing_not_allowed",
            _("“%(s)s”不接受合用，请选择免费使用或借用。") % {"s": space.name},
            field="mode",
        )
    attendees = clean_positive(attendees, field="attendees", label=_("参加人数"), maximum=1_000_000)
    if attendees > space.capacity:
        raise DomainError(
            "over_capacity",
            _("参加人数 %(n)d 超过“%(s)s”的容纳人数 %(c)d。")
            % {"n": attendees, "s": space.name, "c": space.capacity},
            field="attendees",
        )
    return attendees


def _collision_text(space: Space, plan: _Plan, collision: Collision) -> str:
    when = format_range(plan.starts_at, plan.ends_at)
    if collision.kind == "blackout":
        return _("%(w)s “%(s)s”暂停使用（%(r)s）") % {"w": when, "s": space.name, "r": collision.reason}
    if collision.kind == "full":
        left = max(space.capacity - collision.used, 0)
        return _("%(w)s 合用人数已满：已有 %(u)d 人，“%(s)s”容纳 %(c)d 人，还可加入 %(l)d 人") % {
            "w": when, "u": collision.used, "s": space.name, "c": space.capacity, "l": left,
        }  # fmt: skip
    return _("%(w)s “%(s)s”已被占用") % {"w": when, "s": space.name}


def _locked_space(space: Space | int) -> Space:
    """The space row FOR UPDATE (PostgreSQL; on SQLite the transaction already holds the write lock),
    fresh, with its center: every booking of one space passes here one at a time."""
    pk = space.pk if isinstance(space, Space) else space
    try:
        return Space.objects.select_for_update(of=("self",)).select_related("center").get(pk=pk)
    except (Space.DoesNotExist, ValueError, TypeError):
        raise DomainError("space_not_found", _("找不到该功能区。"), field="space", status=404) from None


@transaction.atomic
def _insert(
    space: Space, plans: list[_Plan], **kwargs
) -> tuple[list[Booking], list[tuple[_Plan, Collision]]]:
    """Take the lock, then check and insert (series)."""
    capacity = Space.objects.select_for_update().filter(pk=space.pk).values_list("capacity", flat=True).get()
    return _insert_locked(space, plans, capacity=capacity, **kwargs)


def _insert_locked(space: Space, plans: list[_Plan], *, capacity: int, mode: str, attendees: int, skip: bool,
                   fields: dict[str, Any], label: str, actor) -> tuple[list[Booking], list[tuple[_Plan, Collision]]]:  # fmt: skip
    """Under the lock: check every plan against the bookings and blackouts, insert the ones that fit."""
    lo, hi = min(p.starts_at for p in plans), max(p.ends_at for p in plans)
    busy, closed = load_window(space.pk, space.center_id, lo, hi)
    fits, collided = [], []
    for plan in plans:
        found = collision_for(
            busy, closed, plan.starts_at, plan.ends_at, mode=mode, attendees=attendees, capacity=capacity
        )
        (collided.append((plan, found)) if found else fits.append(plan))
    if collided and (not skip or not fits):
        raise _Collided(collided)
    created = []
    for plan in fits:
        booking = Booking(space=space, org_path=space.center.org_path, mode=mode, attendees=attendees,
                          starts_at=plan.starts_at, ends_at=plan.ends_at, **fields)  # fmt: skip
        try:
            booking.save(force_insert=True)
        except IntegrityError:  # the exclusion constraint: only reachable by a writer that skipped the lock
            raise _Collided([(plan, Collision("taken"))]) from None
        audit.record(
            "centers.booking.requested", actor=actor, actor_label=label, obj=booking, org_path=booking.org_path,
            data={"space": space.pk, "range": format_range(plan.starts_at, plan.ends_at), "mode": mode,
                  "attendees": attendees, "status": booking.status, "channel": booking.channel},
        )  # fmt: skip
        created.append(booking)
    return created, collided


def _refusal(space: Space, plan: _Plan, collision: Collision, *, mode: str, attendees: int, now) -> SlotTaken:
    suggestions = nearest_free_slots(
        space, plan.starts_at, plan.ends_at, mode=mode, attendees=attendees, now=now,
        limit=center_rules.current(center_rules.SUGGESTIONS), days=center_rules.current(center_rules.SUGGESTION_DAYS),
        latest=now + timedelta(days=center_rules.current(center_rules.MAX_DAYS_AHEAD)),
    )  # fmt: skip
    message = _collision_text(space, plan, collision) + _("。")
    if suggestions:
        message += _("最近的空闲时段：%(list)s。") % {
            "list": "、".join(format_range(s, e) for s, e in suggestions)
        }
    else:
        message += _("前后 %(d)d 天内没有同样长度的空闲时段。") % {
            "d": center_rules.current(center_rules.SUGGESTION_DAYS)
        }
    code, field = {"blackout": ("blackout", "starts_at"), "full": ("capacity_full", "attendees")}.get(
        collision.kind, ("slot_taken", "starts_at")
    )
    return SlotTaken(code, message, field=field, suggestions=suggestions)


def _prepare(
    *, actor, space: Space, mode, purpose, attendees, requester, channel, device, auto_accept
) -> dict:
    attendees = _check_space(space, mode, attendees)
    purpose = clean_text(purpose, field="purpose", label=_("用途"), limit=200, required=True)
    fields = clean_requester(
        actor=actor, center=space.center, requester=requester, channel=channel, device=device
    )
    staff = (actor is None and channel == Channel.SYSTEM) or (
        actor is not None and may_manage(actor, space.center.org_path)
    )
    accept = space.auto_accept or staff
    if staff and auto_accept is not None:
        accept = auto_accept
    fields.update(purpose=purpose, status=BookingStatus.ACCEPTED if accept else BookingStatus.PENDING)
    if accept:
        fields.update(decided_at=timezone.now(), decided_by=actor if fields["user"] is not None else None)
        fields["decision_note"] = _("自动通过") if not staff else ""
    return {"attendees": attendees, "fields": fields}


def request_booking(
    *, actor, space: Space | int, starts_at: datetime, ends_at: datetime, mode: str, purpose: str, attendees,
    requester: Requester | None = None, channel: str = Channel.WEB, device=None, idempotency_key: str | None = None,
    auto_accept: bool | None = None, now: datetime | None = None,
) -> Booking:  # fmt: skip
    """Book `space` (a Space or its id) for [starts_at, ends_at). Accepted at once where the space auto-accepts (or staff
    book); pending otherwise — a pending request holds its slot until staff decide.

    Refusals: DomainError naming the field; SlotTaken (409) with the nearest free ranges when the
    slot is taken, the space is closed then, or 合用 is full. `idempotency_key` (devices): the same
    key from the same device or user returns the booking it made the first time.
    """
    now = now or timezone.now()
    if idempotency_key:
        owner = f"d{device.pk}" if device is not None else (f"u{actor.pk}" if actor is not None else "a")
        idempotency_key = f"{owner}:{idempotency_key}"[:64]
        existing = Booking.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    held: dict[str, Any] = {}
    try:
        with transaction.atomic():  # BEGIN IMMEDIATE on SQLite: the write lock first, then check and insert
            locked = held["space"] = _locked_space(space)
            prepared = _prepare(actor=actor, space=locked, mode=mode, purpose=purpose, attendees=attendees,
                                requester=requester, channel=channel, device=device, auto_accept=auto_accept)  # fmt: skip
            held["attendees"] = prepared["attendees"]
            lo, hi = _check_range(locked, starts_at, ends_at, now=now)
            plan = held["plan"] = _Plan(lo, hi)
            fields = {**prepared["fields"], "idempotency_key": idempotency_key}
            created, _none = _insert_locked(
                locked, [plan], capacity=locked.capacity, mode=mode, attendees=prepared["attendees"], skip=False,
                fields=fields, label=actor_label(actor, fields), actor=actor,
            )  # fmt: skip
    except _Collided as exc:  # the lock is released: now find the nearest free slots
        raise _refusal(held["space"], held["plan"], exc.found[0][1], mode=mode, attendees=held["attendees"],
                       now=now) from None  # fmt: skip
    return created[0]


def request_series(
    *, actor, space: Space, starts_at: datetime, ends_at: datetime, count: int, mode: str, purpose: str,
    attendees, interval_weeks: int = 1, skip_conflicts: bool = False, requester: Requester | None = None,
    channel: str = Channel.WEB, device=None, auto_accept: bool | None = None, now: datetime | None = None,
) -> tuple[BookingSeries, list[Booking]]:  # fmt: skip
    """A weekly series stored one row per occurrence. All or nothing by default: when any date collides
    nothing is written and SeriesConflict lists the dates. With `skip_conflicts` the free dates are
    booked and the others are recorded in `series.skipped_dates`."""
    now = now or timezone.now()
    limit = center_rules.current(center_rules.MAX_SERIES)
    count = clean_positive(count, field="count", label=_("重复次数"), minimum=2, maximum=limit)
    interval_weeks = clean_positive(interval_weeks, field="interval_weeks", label=_("间隔周数"), maximum=4)
    prepared = _prepare(actor=actor, space=space, mode=mode, purpose=purpose, attendees=attendees,
                        requester=requester, channel=channel, device=device, auto_accept=auto_accept)  # fmt: skip
    starts_at, ends_at = _check_range(space, starts_at, ends_at, now=now)
    step = timedelta(weeks=interval_weeks)
    plans = []
    tz = timezone.get_current_timezone()
    first = timezone.localtime(starts_at).replace(tzinfo=None)
    for index in range(count):  # the same local wall-clock time every week
        lo = timezone.make_aware(first + step * index, tz)
        plans.append(_Plan(lo, lo + (ends_at - starts_at)))
    days = center_rules.current(center_rules.MAX_DAYS_AHEAD)
    if plans[-1].starts_at > now + timedelta(days=days):
        raise DomainError(
            "series_too_far",
            _("最后一次（%(d)s）超出了可提前预约的 %(n)d 天。")
            % {"d": format_when(plans[-1].starts_at), "n": days},
            field="count",
        )
    try:
        with transaction.atomic():
            series = BookingSeries.objects.create(
                space=space, interval_weeks=interval_weeks, requested_count=count,
                created_by=actor if actor is not None and actor.is_authenticated else None,
            )  # fmt: skip
            fields = {**prepared["fields"], "series": series}
            created, collided = _insert(space, plans, mode=mode, attendees=prepared["attendees"], skip=skip_conflicts,
                                        fields=fields, label=actor_label(actor, fields), actor=actor)  # fmt: skip
            if collided:
                series.skipped_dates = [timezone.localdate(p.starts_at).isoformat() for p, _c in collided]
                series.save(update_fields=["skipped_dates", "updated_at"])
            audit.record(
                "centers.booking_series.requested", actor=actor, actor_label=actor_label(actor, fields), obj=series,
                org_path=space.center.org_path,
                data={"count": count, "created": [b.pk for b in created], "skipped": series.skipped_dates},
            )  # fmt: skip
    except _Collided as exc:
        collisions = [(timezone.localdate(p.starts_at), _collision_text(space, p, c)) for p, c in exc.found]
        if len(exc.found) == count:
            message = _("所有日期都无法预约：%(list)s。")
        else:
            message = _("以下日期无法预约，整组未提交（可勾选“跳过冲突日期”只预约其余日期）：%(list)s。")
        raise SeriesConflict(
            message % {"list": "；".join(text for _d, text in collisions)}, collisions
        ) from None
    return series, created


def _locked(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("space", "space__center")
        .get(pk=booking.pk)
    )


def _move(booking: Booking, target: str) -> None:
    if not can_transition(booking.status, target):
        raise DomainError(
            "transition_invalid",
            _("该预约当前为“%(a)s”，不能改为“%(b)s”。")
            % {"a": BookingStatus(booking.status).label, "b": BookingStatus(target).label},
            field="status",
            status=409,
        )


def _require_staff(actor, booking: Booking) -> None:
    if actor is not None and not may_manage(actor, booking.org_path):
        raise DomainError("permission_denied", _("您无权审核该预约。"), status=403)


@transaction.atomic
def accept_booking(*, actor, booking: Booking, note: str = "") -> Booking:
    booking = _locked(booking)
    _require_staff(actor, booking)
    _move(booking, BookingStatus.ACCEPTED)
    closed = load_closed(booking.space.center_id, booking.space_id, booking.starts_at, booking.ends_at)
    if closed:
        raise DomainError(
            "blackout",
            _("该时段场地暂停使用（%(r)s），不能通过。") % {"r": closed[0].reason},
            field="status",
            status=409,
        )
    booking.status = BookingStatus.ACCEPTED
    booking.decided_by, booking.decided_at = actor, timezone.now()
    booking.decision_note = clean_text(note, field="decision_note", label=_("审核意见"), limit=200)
    booking.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    audit.record("centers.booking.accepted", actor=actor, obj=booking, data={"note": booking.decision_note})
    return booking


@transaction.atomic
def reject_booking(*, actor, booking: Booking, note: str) -> Booking:
    booking = _locked(booking)
    _require_staff(actor, booking)
    _move(booking, BookingStatus.REJECTED)
    note = clean_text(note, field="decision_note", label=_("未通过的原因"), limit=200, required=True)
    booking.status = BookingStatus.REJECTED
    booking.decided_by, booking.decided_at, booking.decision_note = actor, timezone.now(), note
    booking.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    audit.record("centers.booking.rejected", actor=actor, obj=booking, data={"note": note})
    return booking


def may_cancel(actor, booking: Booking, public_code: str | None = None) -> bool:
    if public_code and hmac.compare_digest(public_code, booking.public_code):
        return True
    if actor is None or not actor.is_authenticated:
        return False
    return booking.user_id == actor.pk or may_manage(actor, booking.org_path)


def cancel_locked(*, actor, booking: Booking, reason: str) -> Booking:
    """Cancel a booking whose row (or space) the caller has locked."""
    _move(booking, BookingStatus.CANCELLED)
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_by = actor if actor is not None and actor.is_authenticated else None
    booking.cancelled_at = timezone.now()
    booking.cancel_reason = reason
    booking.save(update_fields=["status", "cancelled_by", "cancelled_at", "cancel_reason", "updated_at"])
    audit.record("centers.booking.cancelled", actor=actor, obj=booking, data={"reason": reason})
    return booking


@transaction.atomic
def cancel_booking(*, actor, booking: Booking, reason: str = "", public_code: str | None = None,
                   now: datetime | None = None) -> Booking:  # fmt: skip
    """Cancel one booking (one occurrence of a series): its requester (login or the secret code of
    the phone link) or staff of the center. Not once it has ended."""
    booking = _locked(booking)
    if not may_cancel(actor, booking, public_code):
        raise DomainError("permission_denied", _("您无权取消该预约。"), status=403)
    _move(booking, BookingStatus.CANCELLED)
    if booking.ends_at <= (now or timezone.now()):
        raise DomainError("booking_over", _("该预约已经结束，不能取消。"), field="status", status=409)
    reason = clean_text(reason, field="cancel_reason", label=_("取消原因"), limit=200)
    return cancel_locked(actor=actor, booking=booking, reason=reason)


@transaction.atomic
def cancel_series(
    *, actor, series: BookingSeries, reason: str = "", now: datetime | None = None
) -> list[Booking]:
    """Cancel every occurrence of a series that has not started yet."""
    now = now or timezone.now()
    rows = list(
        Booking.objects.select_for_update(of=("self",))
        .filter(series=series, status__in=ACTIVE_STATUSES, starts_at__gt=now)
        .select_related("space", "space__center")
        .order_by("pk")
    )
    if rows and not all(may_cancel(actor, b) for b in rows):
        raise DomainError("permission_denied", _("您无权取消该预约。"), status=403)
    reason = clean_text(reason, field="cancel_reason", label=_("取消原因"), limit=200)
    return [cancel_locked(actor=actor, booking=b, reason=reason) for b in rows]
