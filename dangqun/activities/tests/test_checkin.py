"""Check-in: every result code, nonces, offline scans, exit, rotating code and geofence, staff."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from dangqun.activities import rotating
from dangqun.activities.enums import ScanResult
from dangqun.activities.models import Activity, ActivityRollup, Registration, ScanLog
from dangqun.activities.services.activities import cancel_activity, finish_activity
from dangqun.activities.services.attendance import check_in_by_hand, enter_paper_sheet
from dangqun.activities.services.checkin import scan_pass, sign_in_with_rotating_code
from dangqun.activities.services.registrations import cancel_registration, register_guest, register_person
from dangqun.activities.tests.factories import at, make_activity, make_device, make_member
from dangqun.core.errors import DomainError
from dangqun.core.models import AuditEntry
from dangqun.testing.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(tree):
    """A public event of the community, running now, two seats."""
    return make_activity(
        tree.community, type_code="salon", audience="public", capacity=2, starts=at(hours=-0.5)
    )


def guest(activity, n: int):
    return register_guest(activity=activity, name=f"来宾{'甲乙丙丁'[n]}", mobile=f"1390000000{n}")


def scan(device, activity, code, **kw):
    return scan_pass(device=device, activity_id=activity.pk, code=code, **kw)


def test_ok_then_already_checked_in_and_every_scan_is_logged(day, scanner):
    registration = guest(day, 0)
    first = scan(scanner, day, registration.pass_code.lower())
    assert (first.result, first.name, first.ok, first.message) == ("ok", "来宾甲", True, "签到成功")
    again = scan(scanner, day, registration.pass_code)
    assert again.result == ScanResult.ALREADY_CHECKED_IN
    registration.refresh_from_db()
    assert registration.checked_in_at == first.at and registration.checkin_method == "scanner"
    assert list(ScanLog.objects.values_list("result", "registration_id")) == [
        ("ok", registration.pk),
        ("already_checked_in", registration.pk),
    ]
    assert not AuditEntry.objects.filter(action__startswith="activities.checkin").exists()


def test_unknown_and_forged_passes(day, scanner):
    for code in ("ABCDE23456", "not a code", "0O1IL0O1IL", ""):
        assert scan(scanner, day, code).result == ScanResult.UNKNOWN_PASS
    hints = list(ScanLog.objects.values_list("code_hint", flat=True))
    assert hints == ["ABC", "NOT", "0O1", ""]


def test_pass_of_another_activity(tree, day, scanner):
    other = make_activity(tree.community, type_code="salon", audience="public", starts=at(hours=-0.5))
    registration = guest(other, 0)
    answer = scan(scanner, day, registration.pass_code)
    assert answer.result == ScanResult.WRONG_ACTIVITY
    assert Registration.objects.get(pk=registration.pk).checked_in_at is None


def test_device_may_only_scan_for_its_subtree(tree, day):
    far_device = make_device(tree.far_county)
    registration = guest(day, 0)
    assert scan(far_device, day, registration.pass_code).result == ScanResult.WRONG_ACTIVITY
    assert (
        scan_pass(device=far_device, activity_id=999999, code=registration.pass_code).result
        == "wrong_activity"
    )
    assert Registration.objects.get(pk=registration.pk).checked_in_at is None


def test_cancelled_registration_and_cancelled_activity(tree, day, scanner):
    registration = guest(day, 0)
    cancel_registration(actor=None, registration=registration)
    assert scan(scanner, day, registration.pass_code).result == ScanResult.CANCELLED
    other = make_activity(tree.community, type_code="salon", audience="public", starts=at(hours=-0.5))
    kept = guest(other, 1)
    cancel_activity(actor=None, activity=other, reason="停电")
    assert scan(scanner, other, kept.pass_code).result == ScanResult.CANCELLED


def test_not_open_yet_and_closed(tree, scanner):
    later = make_activity(tree.community, type_code="salon", audience="public", starts=at(hours=5))
    early = guest(later, 0)
    assert scan(scanner, later, early.pass_code).result == ScanResult.NOT_OPEN_YET
    assert scan(scanner, later, early.pass_code, now=later.starts_at - timedelta(hours=1)).result == "ok"
    over = make_activity(tree.community, type_code="salon", audience="public", starts=at(hours=5))
    late = guest(over, 1)
    assert (
        scan(scanner, over, late.pass_code, now=over.ends_at + timedelta(hours=3)).result == ScanResult.CLOSED
    )
    finish_activity(actor=None, activity=over, now=over.ends_at + timedelta(hours=3))
    assert scan(scanner, over, late.pass_code, now=over.ends_at).result == ScanResult.CLOSED


def test_waitlisted_pass_is_capacity_full(day, scanner):
    guest(day, 0), guest(day, 1)
    waiting = guest(day, 2)
    assert waiting.status == "waitlisted"
    assert scan(scanner, day, waiting.pass_code).result == ScanResult.CAPACITY_FULL


def test_retried_request_returns_the_first_answer(day, scanner):
    registration = guest(day, 0)
    first = scan(scanner, day, registration.pass_code, client_nonce="n-1")
    retry = scan(scanner, day, registration.pass_code, client_nonce="n-1")
    assert (first.result, retry.result, retry.replayed, retry.scan_id) == ("ok", "ok", True, first.scan_id)
    assert ScanLog.objects.count() == 1
    # A retry of a refused scan returns the refusal, even if the pass would now pass.
    later = guest(day, 1)
    refused = scan(
        scanner, day, later.pass_code, client_nonce="n-2", now=day.checkin_closes_at + timedelta(minutes=1)
    )
    retry = scan(scanner, day, later.pass_code, client_nonce="n-2")
    assert (refused.result, retry.result, retry.replayed) == ("closed", "closed", True)
    other_device = make_device(day.organization, "第二台")
    assert scan(other_device, day, later.pass_code, client_nonce="n-2").result == "ok"


def test_exit_scans(day, scanner):
    registration = guest(day, 0)
    assert scan(scanner, day, registration.pass_code, direction="exit").result == ScanResult.NOT_CHECKED_IN
    scan(scanner, day, registration.pass_code)
    assert scan(scanner, day, registration.pass_code, direction="exit").result == ScanResult.OK
    assert (
        scan(scanner, day, registration.pass_code, direction="exit").result == ScanResult.ALREADY_CHECKED_OUT
    )
    registration.refresh_from_db()
    assert registration.checked_out_at > registration.checked_in_at


def test_offline_scans_are_decided_at_device_time(day, scanner):
    registration = guest(day, 0)
    scanned = day.starts_at + timedelta(minutes=10)
    answer = scan(scanner, day, registration.pass_code, offline=True, device_time=scanned,
                  now=day.checkin_closes_at + timedelta(hours=1))  # fmt: skip
    assert answer.result == ScanResult.OK
    log = ScanLog.objects.get()
    assert (log.offline, log.device_time) == (True, scanned)
    assert log.server_time > log.device_time
    assert Registration.objects.get(pk=registration.pk).checked_in_at == scanned


# --- rotating code on the room screen ---------------------------------------------------------


@pytest.fixture
def meeting(tree, people):
    return make_activity(tree.branch, type_code="branch_assembly", starts=at(hours=-0.25))


def code_for(activity, seconds_ago: float = 0):
    return rotating.make(activity.pk, valid_seconds=30, now=time.time() - seconds_ago)[0]


def test_member_signs_in_with_a_fresh_code_without_registering(meeting, people):
    answer = sign_in_with_rotating_code(user=people.member_user, code=code_for(meeting))
    assert (answer.result, answer.name) == ("ok", "刘慧")
    registration = Registration.objects.get(activity=meeting)
    assert (registration.person, registration.source, registration.checkin_method) == (
        people.liu,
        "sign_in",
        "rotating",
    )
    assert (
        sign_in_with_rotating_code(user=people.member_user, code=code_for(meeting)).result
        == "already_checked_in"
    )


def test_a_code_from_a_minute_ago_is_expired(meeting, people):
    answer = sign_in_with_rotating_code(user=people.member_user, code=code_for(meeting, seconds_ago=60))
    assert answer.result == ScanResult.ROTATING_CODE_EXPIRED
    assert (
        sign_in_with_rotating_code(user=people.member_user, code=code_for(meeting, seconds_ago=10)).result
        == "ok"
    )


def test_forged_codes_and_codes_of_other_activities(tree, meeting, people):
    code = code_for(meeting)
    activity_id, window, mac = code.split(".")
    forged = f"{activity_id}.{window}.{'0' * 16}"
    other = make_activity(tree.branch, type_code="theme_day", starts=at(hours=-0.25))
    moved = f"{other.pk}.{window}.{mac}"
    for bad in (forged, moved, "garbage", ""):
        assert sign_in_with_rotating_code(user=people.member_user, code=bad).result == ScanResult.UNKNOWN_PASS
    assert not Registration.objects.exists()


def test_outsiders_and_people_without_a_person_record(tree, meeting):
    far_user = make_user()
    make_member(tree.other_branch, "外支部", user=far_user)
    assert sign_in_with_rotating_code(user=far_user, code=code_for(meeting)).result == ScanResult.NOT_INVITED
    assert (
        sign_in_with_rotating_code(user=make_user(), code=code_for(meeting)).result == ScanResult.NOT_INVITED
    )


def test_geofence(tree, people):
    activity = make_activity(
        tree.branch, type_code="theme_day", starts=at(hours=-0.25),
        latitude="25.040580", longitude="102.712250", geofence_m=500,
    )  # fmt: skip
    code = code_for(activity)
    assert sign_in_with_rotating_code(user=people.member_user, code=code).result == ScanResult.OUTSIDE_AREA
    far = sign_in_with_rotating_code(user=people.member_user, code=code, latitude=25.0506, longitude=102.7123)
    assert far.result == ScanResult.OUTSIDE_AREA
    assert ScanLog.objects.order_by("id").last().distance_m == 1114
    near = sign_in_with_rotating_code(
        user=people.member_user, code=code, latitude=25.0430, longitude=102.7130
    )
    assert near.result == "ok"
    assert ScanLog.objects.order_by("id").last().distance_m == 279  # Δφ 269 m, Δλ 76 m


def test_member_nonce_replays(meeting, people):
    first = sign_in_with_rotating_code(
        user=people.member_user, code=code_for(meeting), client_nonce="phone-1"
    )
    again = sign_in_with_rotating_code(user=people.member_user, code="garbage", client_nonce="phone-1")
    assert (again.result, again.replayed, again.scan_id) == ("ok", True, first.scan_id)


# --- staff: by hand, paper sheet --------------------------------------------------------------


def test_manual_check_in_is_audited_and_needs_a_grant(tree, meeting, people):
    registration = register_person(actor=None, activity=meeting, person=people.yang)
    stranger = make_user(grants=[(tree.other_branch, "secretary")])
    with pytest.raises(DomainError):
        check_in_by_hand(actor=stranger, registration=registration)
    assert check_in_by_hand(actor=people.secretary_user, registration=registration, note="手机没电") == "ok"
    assert check_in_by_hand(actor=people.secretary_user, registration=registration) == "already_checked_in"
    entry = AuditEntry.objects.filter(action="activities.checkin.manual").order_by("id").first()
    assert entry.data == {"name": "杨志宇", "result": "ok", "note": "手机没电"}
    assert ScanLog.objects.filter(method="manual").count() == 2


def test_paper_sheet_after_the_event_counts_in_rollups(tree, meeting, people):
    extra = make_member(tree.group, "赵小组")
    outsider = make_member(tree.other_branch, "外人")
    sign_in_with_rotating_code(user=people.member_user, code=code_for(meeting))
    finish_activity(actor=None, activity=meeting)
    with pytest.raises(DomainError) as error:
        enter_paper_sheet(
            actor=people.secretary_user, activity=meeting, person_ids=[people.yang.pk, outsider.pk]
        )
    assert error.value.code == "not_invited" and "外人" in error.value.message
    assert ScanLog.objects.filter(method="paper").count() == 0  # nothing half-written
    counts = enter_paper_sheet(
        actor=people.secretary_user, activity=meeting, person_ids=[people.yang.pk, extra.pk, people.liu.pk]
    )
    assert counts == {"admitted": 2, "already": 1}
    meeting.refresh_from_db()
    assert meeting.participants == 3
    row = ActivityRollup.objects.get(organization=tree.branch)
    assert (row.held_direct, row.participants_direct) == (1, 3)
    assert ActivityRollup.objects.get(organization=tree.street).participants_total == 3
    assert AuditEntry.objects.filter(action="activities.checkin.paper_sheet").count() == 1


def test_paper_sheet_time_must_fall_in_the_window(meeting, people):
    with pytest.raises(DomainError) as error:
        enter_paper_sheet(actor=None, activity=meeting, person_ids=[people.yang.pk],
                          signed_at=meeting.starts_at - timedelta(days=1))  # fmt: skip
    assert (error.value.code, error.value.field) == ("signed_outside_window", "signed_at")


def test_database_allows_one_ok_entry_per_registration(day, scanner):
    from django.db import IntegrityError, transaction

    registration = guest(day, 0)
    scan(scanner, day, registration.pass_code)
    with pytest.raises(IntegrityError), transaction.atomic():
        ScanLog.objects.create(
            activity=day, registration=registration, method="manual", direction="entry", result="ok",
            server_time=at(), org_path=day.org_path,
        )  # fmt: skip
    assert Activity.objects.get(pk=day.pk).confirmed_count == 1


def test_haversine_one_degree_of_latitude():
    from dangqun.activities.geo import haversine_m

    assert round(haversine_m(25.0, 102.7, 26.0, 102.7)) == 111195
    assert round(haversine_m(0, 0, 0, 180)) == 20015114  # half the circumference: π · 6 371 008.8 m
