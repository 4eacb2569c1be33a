"""Check-in: device scans of passes, members' own sign-in with the rotating code, staff by hand.

The decision is a conditional UPDATE (… SET checked_in_at = now WHERE id = ? AND checked_in_at IS
NULL AND status = 'confirmed'): of any number of simultaneous scans of one pass exactly one
updates the row, the others read `already_checked_in`. Every attempt writes a ScanLog row in the
same transaction; a unique (device, client_nonce) makes a retried request return the first answer.

The device path is kept short on purpose (see docs/decisions/0004-checkin-hot-path.md): one pass
lookup joined with its activity, one UPDATE, one INSERT, in one short transaction; no rules, no
rollups, no AuditEntry (the scan log is the audit trail of device scans).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from dangqun.activities import geo, passes, rotating
from dangqun.activities.enums import (
    RECORDED_STATUSES,
    ActivityStatus,
    Direction,
    RegistrationSource,
    RegistrationStatus,
    ScanMethod,
    ScanResult,
)
from dangqun.activities.models import Activity, MeetingRecord, Registration, ScanLog
from dangqun.core import rules

# An offline scanner's clock may run a little fast; beyond this its time is not believed.
CLOCK_SKEW = timedelta(minutes=5)
# Offline scans older than this are refused as closed (the batch came far too late).
OFFLINE_MAX_AGE = timedelta(days=7)

_PASS_FIELDS = (
    "id", "status", "name", "checked_in_at", "checked_out_at", "activity_id",
    "activity__id", "activity__status", "activity__org_path", "activity__checkin_opens_at",
    "activity__checkin_closes_at",
)  # fmt: skip


@dataclass(frozen=True)
class ScanAnswer:
    """What a scanner (or a phone) is told. `replayed`: the first answer to the same nonce."""

    result: str
    scan_id: int
    registration_id: int | None
    name: str
    at: datetime
    replayed: bool = False

    @property
    def ok(self) -> bool:
        return self.result == ScanResult.OK

    @property
    def message(self) -> str:
        return str(ScanResult(self.result).label)


def _answer(scan: ScanLog, name: str = "", *, replayed: bool = False) -> ScanAnswer:
    return ScanAnswer(scan.result, scan.pk, scan.registration_id, name, scan.server_time, replayed)


def _replay(nonce_filter: dict) -> ScanAnswer | None:
    scan = ScanLog.objects.filter(**nonce_filter).select_related("registration").first()
    if scan is None:
        return None
    return _answer(scan, scan.registration.name if scan.registration else "", replayed=True)


def record_locked(activity: Activity) -> bool:
    """Whether the meeting record of `activity` is submitted or approved: its sign-in is frozen."""
    return MeetingRecord.objects.filter(activity_id=activity.pk, status__in=RECORDED_STATUSES).exists()


def clean_nonce(raw: str | None) -> str:
    """A client nonce without control characters (PostgreSQL refuses NUL in text)."""
    return "".join(ch for ch in (raw or "") if ch.isprintable())[:64]


def _window_result(activity: Activity, at: datetime, *, offline: bool = False) -> str | None:
    """None when a check-in at `at` is inside the window. An offline scan is judged at its device
    time even after the activity was finished (the batch came after the finish job), unless the
    meeting record is already submitted or approved."""
    if activity.status == ActivityStatus.CANCELLED:
        return ScanResult.CANCELLED
    if activity.status == ActivityStatus.FINISHED and (not offline or record_locked(activity)):
        return ScanResult.CLOSED
    if activity.status == ActivityStatus.DRAFT or at < activity.checkin_opens_at:
        return ScanResult.NOT_OPEN_YET
    if at > activity.checkin_closes_at:
        return ScanResult.CLOSED
    return None


def _admit(registration_id: int, direction: str, at: datetime, method: str) -> bool:
    """The conditional UPDATE: True for exactly one of any number of concurrent callers."""
    rows = Registration.objects.filter(pk=registration_id, status=RegistrationStatus.CONFIRMED)
    if direction == Direction.ENTRY:
        return rows.filter(checked_in_at__isnull=True).update(checked_in_at=at, checkin_method=method) == 1
    return (
        rows.filter(checked_in_at__isnull=False, checked_out_at__isnull=True).update(checked_out_at=at) == 1
    )


def _decide(registration: Registration, direction: str, at: datetime, method: str) -> str:
    """Result for a registration whose activity is open (the registration row is not yet locked)."""
    if registration.status == RegistrationStatus.CANCELLED:
        return ScanResult.CANCELLED
    if registration.status == RegistrationStatus.WAITLISTED:
        return ScanResult.CAPACITY_FULL
    if _admit(registration.pk, direction, at, method):
        return ScanResult.OK
    if direction == Direction.ENTRY:
        return ScanResult.ALREADY_CHECKED_IN
    return ScanResult.NOT_CHECKED_IN if registration.checked_in_at is None else ScanResult.ALREADY_CHECKED_OUT


def scan_pass(
    *,
    device,
    activity_id: int,
    code: str,
    direction: str = Direction.ENTRY,
    client_nonce: str = "",
    device_time: datetime | None = None,
    offline: bool = False,
    now: datetime | None = None,
) -> ScanAnswer:
    """A scanner read `code` at the door of activity `activity_id`.

    The device may scan for activities of its organization's subtree only. Offline scans are
    decided at their device time (bounded by CLOCK_SKEW and OFFLINE_MAX_AGE).
    """
    server_time = now or timezone.now()
    at = server_time
    if offline and device_time is not None:
        at = min(device_time, server_time + CLOCK_SKEW)
    code = passes.normalize(code)
    nonce = clean_nonce(client_nonce)
    # Reads first, outside the transaction: the write lock (SQLite takes it at BEGIN) is then held
    # only for the conditional UPDATE and the INSERT. A stale read cannot admit twice: the UPDATE
    # re-checks status and checked_in_at itself.
    activity, registration, result = _resolve(device, activity_id, code, offline, at, server_time)
    try:
        with transaction.atomic():
            if result is None:
                result = _decide(registration, direction, at, ScanMethod.SCANNER)
                if offline and result == ScanResult.OK and direction == Direction.ENTRY:
                    _late_offline_admission(activity.pk)
            scan = ScanLog.objects.create(
                activity=activity,
                registration=registration,
                device=device,
                method=ScanMethod.SCANNER,
                direction=direction,
                result=result,
                code_hint="" if registration is not None else code[:3],
                client_nonce=nonce,
                device_time=device_time,
                server_time=server_time,
                offline=offline,
                org_path=activity.org_path if activity is not None else "",
            )
    except IntegrityError:
        if not nonce:
            raise
        answer = _replay({"device": device, "client_nonce": nonce})
        if answer is None:
            raise
        return answer
    return _answer(scan, registration.name if registration is not None else "")


def _resolve(device, activity_id, code, offline, at, server_time):
    """(activity, registration, result or None when the registration is to be admitted)."""
    registration = None
    if passes.looks_valid(code):
        registration = (
            Registration.objects.select_related("activity").only(*_PASS_FIELDS).filter(pass_code=code).first()
        )
    activity = (
        registration.activity
        if registration is not None and registration.activity_id == activity_id
        else None
    )
    if activity is None:
        activity = Activity.objects.only("id", "org_path").filter(pk=activity_id).first()
    if activity is None or not activity.org_path.startswith(device.organization.path):
        return None, None, ScanResult.WRONG_ACTIVITY
    if registration is None:
        return activity, None, ScanResult.UNKNOWN_PASS
    if registration.activity_id != activity.pk:
        return activity, None, ScanResult.WRONG_ACTIVITY
    if offline and at < server_time - OFFLINE_MAX_AGE:
        return activity, registration, ScanResult.CLOSED
    return activity, registration, _window_result(activity, at, offline=offline)


def _late_offline_admission(activity_id: int) -> None:
    """An offline entry admitted after the activity was finished counts in the participants
    (participants, rollups), as a late paper-sheet entry does."""
    from dangqun.activities.services.activities import late_admission

    activity = Activity.objects.filter(pk=activity_id, status=ActivityStatus.FINISHED).first()
    if activity is not None:
        late_admission(activity)


# --- a member's own phone and the rotating code on the room screen --------------------------------


def _distance(activity: Activity, latitude, longitude) -> int | None:
    if latitude is None or longitude is None or activity.latitude is None or activity.longitude is None:
        return None
    return round(
        geo.haversine_m(
            float(activity.latitude), float(activity.longitude), float(latitude), float(longitude)
        )
    )


def _as_decimal(value) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except ArithmeticError:
        return None
    return number if abs(number) <= 180 else None


def rotating_code_activity(code: str, *, now: float | None = None) -> tuple[Activity | None, str | None]:
    """(activity, None) for a fresh valid code; (activity or None, result code) otherwise."""
    parsed = rotating.parse(code)
    if parsed is None:
        return None, ScanResult.UNKNOWN_PASS
    activity = (
        Activity.objects.select_related("activity_type", "organization").filter(pk=parsed.activity_id).first()
    )
    if activity is None or not activity.rotating_checkin:
        return None, ScanResult.UNKNOWN_PASS
    valid = rules.value("activities.rotating.valid_seconds")
    if not rotating.is_fresh(parsed, valid_seconds=valid, now=now):
        return activity, ScanResult.ROTATING_CODE_EXPIRED
    return activity, None


def sign_in_with_rotating_code(
    *,
    user,
    code: str,
    latitude=None,
    longitude=None,
    client_nonce: str = "",
    now: datetime | None = None,
) -> ScanAnswer:
    """A logged-in member scanned the room screen's code with their own phone."""
    server_time = now or timezone.now()
    nonce = clean_nonce(client_nonce)
    try:
        with transaction.atomic():
            return _sign_in(user, code, _as_decimal(latitude), _as_decimal(longitude), nonce, server_time)
    except IntegrityError:
        if not nonce:
            raise
        answer = _replay({"device__isnull": True, "user": user, "client_nonce": nonce})
        if answer is None:
            raise
        return answer


def _sign_in(user, code, latitude, longitude, nonce, server_time) -> ScanAnswer:
    from dangqun.activities.services.registrations import person_may_attend

    activity, result = rotating_code_activity(code, now=server_time.timestamp())
    registration = None
    distance = None
    person = getattr(user, "person", None) if user is not None else None
    if result is None:
        result = _window_result(activity, server_time)
    if result is None and activity.geofence_m:
        distance = _distance(activity, latitude, longitude)
        if distance is None or distance > activity.geofence_m:
            result = ScanResult.OUTSIDE_AREA
    if result is None:
        if person is None:
            result = ScanResult.NOT_INVITED
        else:
            registration = Registration.objects.filter(activity=activity, person=person).first()
            if registration is None:
                if not person_may_attend(activity, person):
                    result = ScanResult.NOT_INVITED
                else:
                    registration, result = _walk_in(activity, person, user)
    if result is None:
        result = _decide(registration, Direction.ENTRY, server_time, ScanMethod.ROTATING)
    scan = ScanLog.objects.create(
        activity=activity,
        registration=registration,
        user=user,
        method=ScanMethod.ROTATING,
        direction=Direction.ENTRY,
        result=result,
        code_hint="",
        client_nonce=nonce,
        server_time=server_time,
        latitude=latitude,
        longitude=longitude,
        distance_m=distance,
        org_path=activity.org_path if activity is not None else "",
    )
    return _answer(scan, registration.name if registration is not None else "")


def _walk_in(activity: Activity, person, user) -> tuple[Registration | None, str | None]:
    """A member of the audience who did not register: take a seat now (if any is left)."""
    from dangqun.activities.services.common import lock_activity
    from dangqun.activities.services.registrations import _create

    locked = lock_activity(activity.pk)
    if locked.capacity is not None and locked.confirmed_count >= locked.capacity:
        return None, ScanResult.CAPACITY_FULL
    registration = _create(
        locked, person=person, name=person.name, source=RegistrationSource.SIGN_IN, registered_by=user
    )
    return registration, None
