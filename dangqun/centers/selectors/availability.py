"""Availability of a space: what each slot of a day holds, whether a range fits, the nearest free
ranges, and which spaces of a center are free right now (for the kiosk).

Everything is computed in Python from two queries (active bookings and blackouts over the range),
so one day costs the same as one slot and a week costs the same as a day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from dangqun.centers.enums import ACTIVE_STATUSES, BookingMode, BookingStatus, SlotState
from dangqun.centers.hours import bookable_window, day_bounds, local_bounds
from dangqun.centers.models import Blackout, Booking, ServiceCenter, Space


@dataclass(frozen=True)
class Busy:
    """An active booking as the grid sees it (no personal data)."""

    booking_id: int
    starts_at: datetime
    ends_at: datetime
    mode: str
    status: str
    attendees: int

    @property
    def is_shared(self) -> bool:
        return self.mode == BookingMode.SHARED


@dataclass(frozen=True)
class Closed:
    starts_at: datetime
    ends_at: datetime
    reason: str


@dataclass(frozen=True)
class Collision:
    """Why a range does not fit: "blackout" (with the reason), "taken", or "full" (`used` people)."""

    kind: str
    reason: str = ""
    used: int = 0


def load_busy(space_id: int, start: datetime, end: datetime) -> list[Busy]:
    rows = Booking.objects.filter(
        space_id=space_id, status__in=ACTIVE_STATUSES, starts_at__lt=end, ends_at__gt=start
    ).values_list("pk", "starts_at", "ends_at", "mode", "status", "attendees")
    return [Busy(*row) for row in rows]


def load_closed(center_id: int, space_id: int, start: datetime, end: datetime) -> list[Closed]:
    rows = Blackout.objects.filter(
        Q(space__isnull=True) | Q(space_id=space_id),
        center_id=center_id,
        starts_at__lt=end,
        ends_at__gt=start,
    ).values_list("starts_at", "ends_at", "reason")
    return [Closed(*row) for row in rows]


_WINDOW_SQL = (
    "SELECT 'b', id, starts_at, ends_at, mode, status, attendees, '' FROM {booking}"
    " WHERE space_id = %s AND ends_at > %s AND starts_at < %s AND status IN (%s, %s)"
    " UNION ALL "
    "SELECT 'c', id, starts_at, ends_at, '', '', 0, reason FROM {blackout}"
    " WHERE center_id = %s AND (space_id IS NULL OR space_id = %s) AND ends_at > %s AND starts_at < %s"
)


def _aware(value) -> datetime:
    """A datetime column read by raw SQL: SQLite gives naive UTC text, PostgreSQL aware datetimes."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=UTC)


def load_window(
    space_id: int, center_id: int, start: datetime, end: datetime
) -> tuple[list[Busy], list[Closed]]:
    """Active bookings of the space and blackouts over it that touch [start, end), in ONE statement
    (the hot path of booking and availability; the ORM form is load_busy + load_closed)."""
    ops = connection.ops
    lo, hi = ops.adapt_datetimefield_value(start), ops.adapt_datetimefield_value(end)
    sql = _WINDOW_SQL.format(booking=Booking._meta.db_table, blackout=Blackout._meta.db_table)
    params = [space_id, lo, hi, *ACTIVE_STATUSES, center_id, space_id, lo, hi]
    with connection.cursor() as cursor:
        cursor.execute(sql, [str(p) if isinstance(p, BookingStatus) else p for p in params])
        rows = cursor.fetchall()
    busy = [Busy(pk, _aware(a), _aware(b), mode, status, people) for kind, pk, a, b, mode, status, people, _r in rows
            if kind == "b"]  # fmt: skip
    closed = [
        Closed(_aware(a), _aware(b), reason) for kind, _pk, a, b, _m, _s, _p, reason in rows if kind == "c"
    ]
    return busy, closed


def peak_shared(busy: list[Busy], start: datetime, end: datetime) -> int:
    """The most people that shared bookings put in the space at any instant of [start, end)."""
    events: list[tuple[datetime, int]] = []
    for item in busy:
        lo, hi = max(item.starts_at, start), min(item.ends_at, end)
        if item.is_shared and lo < hi:
            events += [(lo, item.attendees), (hi, -item.attendees)]
    events.sort(key=lambda e: (e[0], e[1]))  # at the same instant, departures first (half-open)
    peak = load = 0
    for _when, delta in events:
        load += delta
        peak = max(peak, load)
    return peak


def collision_for(
    busy: list[Busy], closed: list[Closed], start: datetime, end: datetime, *, mode: str, attendees: int,
    capacity: int,
) -> Collision | None:  # fmt: skip
    """None when [start, end) can take this request, else why not."""
    for period in closed:
        if period.starts_at < end and period.ends_at > start:
            return Collision("blackout", reason=period.reason)
    overlapping = [b for b in busy if b.starts_at < end and b.ends_at > start]
    if not overlapping:
        return None
    if mode != BookingMode.SHARED or any(not b.is_shared for b in overlapping):
        return Collision("taken")
    used = peak_shared(overlapping, start, end)
    if used + attendees > capacity:
        return Collision("full", used=used)
    return None


@dataclass
class Slot:
    starts_at: datetime
    ends_at: datetime
    state: str
    used: int = 0
    remaining: int = 0
    bookings: list[Busy] = field(default_factory=list)


@dataclass
class DayAvailability:
    space: Space
    day: date
    opens: datetime | None
    closes: datetime | None
    slots: list[Slot]

    @property
    def is_open(self) -> bool:
        return self.opens is not None

    def free_ranges(self) -> list[tuple[datetime, datetime]]:
        """Consecutive free slots merged into ranges."""
        ranges: list[tuple[datetime, datetime]] = []
        for slot in self.slots:
            if slot.state != SlotState.FREE:
                continue
            if ranges and ranges[-1][1] == slot.starts_at:
                ranges[-1] = (ranges[-1][0], slot.ends_at)
            else:
                ranges.append((slot.starts_at, slot.ends_at))
        return ranges


def _slot_state(space: Space, start, end, inside: list[Busy], blacked_out: bool, now) -> Slot:
    slot = Slot(start, end, SlotState.FREE, bookings=inside)
    if end <= now:
        slot.state = SlotState.PAST
    elif blacked_out:
        slot.state = SlotState.BLACKOUT
    elif any(not b.is_shared and b.status == BookingStatus.ACCEPTED for b in inside):
        slot.state = SlotState.TAKEN
    elif any(not b.is_shared for b in inside):
        slot.state = SlotState.PENDING
    elif inside:
        slot.state = SlotState.SHARED
        slot.used = peak_shared(inside, start, end)
    if slot.state in (SlotState.FREE, SlotState.SHARED):
        slot.remaining = max(space.capacity - slot.used, 0)
    return slot


def _buckets(items, opens: datetime, step: timedelta, count: int) -> list[list]:
    """items (with starts_at/ends_at) put into the slots [opens + i·step, …) they overlap."""
    buckets: list[list] = [[] for _ in range(count)]
    for item in items:
        first = max(int((item.starts_at - opens) / step), 0)
        last = min(-int(-(item.ends_at - opens) / step), count)  # ceil
        for index in range(first, last):
            buckets[index].append(item)
    return buckets


def _day(space: Space, day: date, busy, closed, now) -> DayAvailability:
    window = bookable_window(space.center.opening_hours, space.bookable_hours, day)
    if window is None or not space.bookable or not space.is_active:
        return DayAvailability(space, day, None, None, [])
    opens, closes = local_bounds(day, window)
    step = timedelta(minutes=space.slot_minutes)
    starts = []
    start = opens
    while start < closes:
        starts.append(start)
        start += step
    busy_in = _buckets(
        (b for b in busy if b.starts_at < closes and b.ends_at > opens), opens, step, len(starts)
    )
    closed_in = _buckets(
        (c for c in closed if c.starts_at < closes and c.ends_at > opens), opens, step, len(starts)
    )
    slots = [
        _slot_state(space, lo, min(lo + step, closes), busy_in[i], bool(closed_in[i]), now)
        for i, lo in enumerate(starts)
    ]
    return DayAvailability(space, day, opens, closes, slots)


def availability(space: Space, day: date, *, now: datetime | None = None) -> DayAvailability:
    """The slots of one local day (two queries; `space.center` should be select_related)."""
    return week_availability(space, day, days=1, now=now)[0]


def week_availability(
    space: Space, first: date, *, days: int = 7, now: datetime | None = None
) -> list[DayAvailability]:
    now = now or timezone.now()
    start = day_bounds(first)[0]
    end = day_bounds(first + timedelta(days=days - 1))[1]
    busy, closed = load_window(space.pk, space.center_id, start, end)
    return [_day(space, first + timedelta(days=i), busy, closed, now) for i in range(days)]


def nearest_free_slots(
    space: Space, starts_at: datetime, ends_at: datetime, *, mode: str, attendees: int, limit: int = 3,
    days: int = 7, latest: datetime | None = None, now: datetime | None = None,
) -> list[tuple[datetime, datetime]]:  # fmt: skip
    """Up to `limit` ranges as long as the requested one, on the slot grid, that this request would
    fit into, nearest to the requested start first (within ±`days`, never in the past)."""
    now = now or timezone.now()
    duration = ends_at - starts_at
    asked = timezone.localdate(starts_at)
    first = max(asked - timedelta(days=days), timezone.localdate(now))
    last = asked + timedelta(days=days)
    if last < first:
        return []
    lo, hi = day_bounds(first)[0], day_bounds(last)[1]
    busy, closed = load_window(space.pk, space.center_id, lo, hi)
    step = timedelta(minutes=space.slot_minutes)
    found: list[datetime] = []
    day = first
    while day <= last:
        window = bookable_window(space.center.opening_hours, space.bookable_hours, day)
        if window is not None:
            start, closes = local_bounds(day, window)
            while start + duration <= closes:
                if (
                    start >= now
                    and start != starts_at
                    and (latest is None or start <= latest)
                    and collision_for(
                        busy,
                        closed,
                        start,
                        start + duration,
                        mode=mode,
                        attendees=attendees,
                        capacity=space.capacity,
                    )
                    is None
                ):
                    found.append(start)
                start += step
        day += timedelta(days=1)
    found.sort(key=lambda s: (abs(s - starts_at), s))
    return [(s, s + duration) for s in found[:limit]]


@dataclass(frozen=True)
class FreeSpace:
    space: Space
    until: datetime


def spaces_free_now(center: ServiceCenter, *, now: datetime | None = None) -> list[FreeSpace]:
    """Bookable spaces of `center` open now with nothing booked and no blackout at this moment,
    each with the time it stays free until (closing, the next booking or blackout). Three queries."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    day_end = day_bounds(today)[1]
    spaces = list(
        Space.objects.filter(center=center, is_active=True, bookable=True).order_by("sort_order", "pk")
    )
    ids = [s.pk for s in spaces]
    busy: dict[int, list[tuple[datetime, datetime]]] = {}
    for space_id, lo, hi in Booking.objects.filter(
        space_id__in=ids, status__in=ACTIVE_STATUSES, starts_at__lt=day_end, ends_at__gt=now
    ).values_list("space_id", "starts_at", "ends_at"):
        busy.setdefault(space_id, []).append((lo, hi))
    closed = list(
        Blackout.objects.filter(center=center, starts_at__lt=day_end, ends_at__gt=now).values_list(
            "space_id", "starts_at", "ends_at"
        )
    )
    free = []
    for space in spaces:
        space.center = center
        window = bookable_window(center.opening_hours, space.bookable_hours, today)
        if window is None:
            continue
        opens, closes = local_bounds(today, window)
        if not opens <= now < closes:
            continue
        taken = busy.get(space.pk, []) + [(lo, hi) for sid, lo, hi in closed if sid in (None, space.pk)]
        if any(lo <= now < hi for lo, hi in taken):
            continue
        until = min([closes] + [lo for lo, _hi in taken if lo > now])
        free.append(FreeSpace(space, until))
    return free
