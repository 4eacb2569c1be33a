"""Review findings of issue 3: who may leave the expected count, locked sign-in of a submitted
record, non-quorate meetings in compliance, offline scans after the finish job, forged rotating
codes, control characters in codes and nonces, member + guest double registration, refused hand
check-ins in the scan log, JPEG comments."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from dangqun.activities import passes, rotating
from dangqun.activities.enums import Period
from dangqun.activities.forms import AbsenceForm
from dangqun.activities.images import clean_photo
from dangqun.activities.models import Absence, Activity, ActivityRollup, Registration, ScanLog
from dangqun.activities.periods import Span
from dangqun.activities.selectors.compliance import compliance_report
from dangqun.activities.selectors.records import attendance, sign_in_sheet
from dangqun.activities.services import rollups
from dangqun.activities.services.activities import create_activity, finish_activity, finish_ended_activities
from dangqun.activities.services.attendance import check_in_by_hand, enter_paper_sheet
from dangqun.activities.services.checkin import scan_pass
from dangqun.activities.services.records import (
    record_vote,
    review_record,
    set_absence,
    start_record,
    submit_record,
    update_record,
)
from dangqun.activities.services.registrations import (
    cancel_registration,
    register_guest,
    register_person,
)
from dangqun.activities.tests.factories import at, make_activity, make_member
from dangqun.core.errors import DomainError
from dangqun.testing.factories import make_user

pytestmark = pytest.mark.django_db
Q1 = Span(Period.QUARTER, date(2025, 1, 1))


@pytest.fixture
def assembly(tree):
    """A 支部党员大会 that started 3 hours ago (still open for an hour); 10 voting full members."""
    formal = [make_member(tree.branch, f"党员{'一二三四五六七八九十'[i]}") for i in range(10)]
    activity = make_activity(tree.branch, type_code="branch_assembly", starts=at(hours=-3), hours=4)
    return activity, formal


def attend(activity, people):
    enter_paper_sheet(actor=None, activity=activity, person_ids=[p.pk for p in people])


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (0, 0, 255)).save(out, format="PNG")
    return out.getvalue()


# 1. Only an ill / on duty / abroad absentee may leave "应到"; membership votes count everyone ------


@pytest.mark.parametrize("reason", ["unexcused", "leave", "other"])
def test_other_absences_cannot_leave_the_expected_count(assembly, reason):
    activity, formal = assembly
    attend(activity, formal[:3])
    record = start_record(actor=None, activity=activity)
    with pytest.raises(DomainError) as error:
        set_absence(actor=None, record=record, person=formal[5], reason=reason, counts_as_expected=False)
    assert (error.value.code, error.value.field) == ("absence_must_count", "counts_as_expected")
    assert not Absence.objects.filter(record=record).exists()
    set_absence(actor=None, record=record, person=formal[5], reason=reason)  # counted: fine
    assert attendance(activity, record).voting_should_attend == 10


def test_unexcused_absences_do_not_make_an_admission_vote_quorate(assembly):
    """The reviewer's case: 10 voting members, 3 present, 5 unexcused 'not expected'."""
    activity, formal = assembly
    attend(activity, formal[:3])
    record = start_record(actor=None, activity=activity)
    for person in formal[3:8]:
        with pytest.raises(DomainError):
            set_absence(
                actor=None, record=record, person=person, reason="unexcused", counts_as_expected=False
            )
    # A row written before the fix does not shrink the base either.
    Absence.objects.create(record=record, person=formal[3], reason="unexcused", counts_as_expected=False)
    assert attendance(activity, record).voting_should_attend == 10
    vote = record_vote(actor=None, record=record, kind="admission", subject="接收某某", yes=3)
    assert (vote.quorate, vote.passed) == (False, False)


def test_admission_base_is_every_voting_member_whatever_the_exclusions(assembly):
    """RULES.md §2.1: 10 voting members, 5 present → admission not quorate, even with the other
    5 abroad / ill / on duty and left out of the ordinary count."""
    activity, formal = assembly
    attend(activity, formal[:5])
    record = start_record(actor=None, activity=activity)
    for person, reason in zip(formal[5:], ["abroad", "sick", "duty", "abroad", "sick"], strict=True):
        set_absence(actor=None, record=record, person=person, reason=reason, counts_as_expected=False)
    present = attendance(activity, record)
    assert (present.voting_should_attend, present.voting_members, present.voting_present) == (5, 10, 5)
    ordinary = record_vote(actor=None, record=record, kind="ordinary", subject="一般事项", yes=5)
    assert (ordinary.quorate, ordinary.passed) == (True, True)
    for kind in ("admission", "confirmation"):
        vote = record_vote(actor=None, record=record, kind=kind, subject="接收某某", yes=5)
        assert (vote.quorate, vote.passed) == (False, False)


def test_absence_form_offers_the_checkbox_only_for_allowed_reasons(client, tree, people, assembly):
    activity, formal = assembly
    form = AbsenceForm(formal)
    assert form.fields["reason"].widget.attrs["data-excludable"] == "abroad duty sick"
    start_record(actor=None, activity=activity)
    client.force_login(people.secretary_user)
    url = reverse("activities:record-absence", args=[activity.pk])
    response = client.post(url, {"person": formal[4].pk, "reason": "unexcused", "detail": ""})  # unchecked
    assert response.status_code == 400
    assert "无故缺席都计入应到人数" in response.content.decode()
    assert not Absence.objects.filter(person=formal[4]).exists()
    response = client.post(url, {"person": formal[4].pk, "reason": "abroad", "detail": ""})
    assert response.status_code == 302
    assert Absence.objects.get(person=formal[4]).counts_as_expected is False


# 2. A submitted / approved record's sign-in is locked -------------------------------------------


def _submitted(activity, host):
    finish_activity(actor=None, activity=activity)
    record = start_record(actor=None, activity=activity)
    update_record(actor=None, record=record, host=host, recorder=host, plan="计划", minutes="纪要")
    return submit_record(actor=None, record=record)


def test_paper_sheet_and_hand_check_in_refused_once_the_record_is_submitted(tree, people, assembly):
    activity, formal = assembly
    attend(activity, formal[:6])
    late = register_person(actor=None, activity=Activity.objects.get(pk=activity.pk), person=people.liu)
    record = _submitted(activity, formal[0])
    before = sign_in_sheet(activity)
    for attempt in (
        lambda: enter_paper_sheet(actor=people.secretary_user, activity=activity, person_ids=[formal[7].pk]),
        lambda: check_in_by_hand(actor=people.secretary_user, registration=late),
    ):
        with pytest.raises(DomainError) as error:
            attempt()
        assert error.value.code == "record_locked"
        assert "已锁定" in error.value.message
    assert ScanLog.objects.filter(registration=late, method="manual", result="closed").count() == 1
    superior = make_user("shuncheng", grants=[(tree.community, "secretary")])
    review_record(actor=superior, record=record, approve=True)
    with pytest.raises(DomainError) as error:
        enter_paper_sheet(actor=people.secretary_user, activity=activity, person_ids=[formal[8].pk])
    assert error.value.code == "record_locked"
    assert sign_in_sheet(activity) == before
    assert Registration.objects.filter(activity=activity, checked_in_at__isnull=False).count() == 6


def test_returned_record_may_be_completed_again(tree, people, assembly):
    activity, formal = assembly
    attend(activity, formal[:6])
    record = _submitted(activity, formal[0])
    superior = make_user("shuncheng", grants=[(tree.community, "secretary")])
    review_record(actor=superior, record=record, approve=False, comment="请补录签到")
    assert enter_paper_sheet(actor=None, activity=activity, person_ids=[formal[7].pk]) == {
        "admitted": 1,
        "already": 0,
    }


# 3. A meeting without a quorum is not a valid (recorded) meeting for compliance -----------------


def test_non_quorate_assembly_is_not_green(client, tree):
    formal = [make_member(tree.branch, f"党员{'一二三四五六七八九十'[i]}") for i in range(10)]
    starts = timezone.make_aware(datetime(2025, 2, 12, 9, 0))
    activity = create_activity(actor=None, organization=tree.branch, activity_type="branch_assembly",
                               title="支部党员大会", starts_at=starts, ends_at=starts + timedelta(hours=2),
                               place_text="会议室", publish=True)  # fmt: skip
    attend(activity, formal[:1])
    finish_activity(actor=None, activity=activity, now=starts + timedelta(hours=3))
    record = start_record(actor=None, activity=activity)
    update_record(actor=None, record=record, host_name="书记", recorder_name="委员", minutes="纪要")
    record = submit_record(actor=None, record=record)
    assert (record.quorum_met, record.voting_present, record.voting_should_attend) == (False, 1, 10)

    report = compliance_report(tree.street, Q1, today=date(2025, 6, 1))
    node = next(n for n in report.nodes if n.organization.pk == tree.branch.pk)
    status = next(s for s in node.statuses if s is not None and s.rule.activity_type_id == "branch_assembly")
    cell = status.cells[0]
    assert (cell.held, cell.recorded) == (1, 0)
    assert cell.state != "met" and cell.light != "green"
    # The rollups agree with a recount (verify_activity_rollups), also after a return.
    row = ActivityRollup.objects.get(organization=tree.branch, activity_type_id="branch_assembly")
    assert row.recorded_direct == 0
    assert rollups.recompute_rows()[(tree.branch.pk, row.month, "branch_assembly", "")] == {
        "held": 1,
        "recorded": 0,
        "participants": 1,
    }
    superior = make_user("shuncheng", grants=[(tree.community, "secretary")])
    review_record(actor=superior, record=record, approve=False, comment="未达法定人数")
    row.refresh_from_db()
    assert row.recorded_direct == 0

    client.force_login(superior)
    page = client.get(reverse("activities:compliance-node", args=[tree.branch.pk]) + "?period=2025-Q1")
    assert page.status_code == 200
    assert "未达法定人数" in page.content.decode()


# 4. Offline scans uploaded after the finish job are judged at their device time ----------------


def test_offline_scan_uploaded_after_the_finish_job(tree, scanner):
    day = make_activity(
        tree.community, type_code="salon", audience="public", capacity=5, starts=at(hours=-0.5)
    )
    early = register_guest(activity=day, name="来宾甲", mobile="13900000001")
    late = register_guest(activity=day, name="来宾乙", mobile="13900000002")
    other = register_guest(activity=day, name="来宾丙", mobile="13900000003")
    assert finish_ended_activities(now=day.checkin_closes_at + timedelta(minutes=15)) == 1
    upload = day.checkin_closes_at + timedelta(hours=1)
    inside = day.starts_at + timedelta(minutes=10)
    answer = scan_pass(device=scanner, activity_id=day.pk, code=early.pass_code, offline=True,
                       device_time=inside, now=upload)  # fmt: skip
    assert answer.result == "ok"
    after = day.checkin_closes_at + timedelta(minutes=5)
    assert scan_pass(device=scanner, activity_id=day.pk, code=late.pass_code, offline=True,
                     device_time=after, now=upload).result == "closed"  # fmt: skip
    assert scan_pass(device=scanner, activity_id=day.pk, code=other.pass_code, now=upload).result == "closed"
    day.refresh_from_db()
    assert day.participants == 1  # counted like a late paper-sheet entry
    row = ActivityRollup.objects.get(organization=tree.community, activity_type_id="salon")
    assert row.participants_direct == 1


def test_offline_scan_after_finish_refused_when_the_record_is_submitted(tree, scanner, assembly):
    activity, formal = assembly
    attend(activity, formal[:6])
    registration = register_person(actor=None, activity=activity, person=formal[8])
    _submitted(activity, formal[0])
    answer = scan_pass(device=scanner, activity_id=activity.pk, code=registration.pass_code, offline=True,
                       device_time=activity.starts_at + timedelta(minutes=5))  # fmt: skip
    assert answer.result == "closed"


# 5. A forged rotating code with non-ASCII digits is unknown, not a 500 ------------------------


@pytest.mark.parametrize(
    "code",
    [
        "\u00b2.1.abcdefabcdefabcd",
        "1.\u0663.abcdefabcdefabcd",
        "1.1.ａｂｃｄｅｆａｂｃｄｅｆａｂｃｄ",
        "9" * 5000 + ".1.x",
    ],
)
def test_forged_rotating_codes_are_unknown(client, people, code):
    assert rotating.parse(code) is None
    client.force_login(people.member_user)
    if len(code) < 100:
        page = client.get(reverse("activities:sign-in", args=[quote(code, safe="")]))
        assert page.status_code == 200
        assert "无效" in page.content.decode() or "二维码" in page.content.decode()
        page = client.get("/activities/s/" + quote(code) + "/")
        assert page.status_code == 200
    answer = client.post("/api/v1/activities/signin", {"code": code[:80]}, content_type="application/json")
    assert answer.status_code == 200
    assert answer.json()["result"] == "unknown_pass"


# 6. NUL / control characters in a scanned code or nonce ---------------------------------------


def test_nul_in_code_and_nonce_is_an_unknown_pass_with_a_scan_row(client, tree, scanner):
    assert passes.normalize("\x00ab-\x1fc") == "ABC"
    activity = make_activity(tree.community, type_code="salon", audience="public", starts=at(hours=-0.5))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {scanner.token}"}
    for body in ({"code": "\x00AB"}, {"code": "ABC", "client_nonce": "a\x00b"}):
        response = client.post("/api/v1/activities/checkin", {"activity_id": activity.pk, **body},
                               content_type="application/json", **auth)  # fmt: skip
        assert response.status_code == 200
        assert response.json()["result"] == "unknown_pass"
    scans = list(
        ScanLog.objects.filter(activity=activity).order_by("id").values_list("code_hint", "client_nonce")
    )
    assert scans == [("AB", ""), ("ABC", "ab")]


# 7. A member cannot also register as a guest with her own mobile ------------------------------


def test_member_cannot_register_again_as_a_guest(tree, people):
    public = make_activity(tree.branch, type_code="salon", audience="public", capacity=5)
    registration = register_person(actor=people.member_user, activity=public, person=people.liu)
    with pytest.raises(DomainError) as error:
        register_guest(activity=public, name="刘慧", mobile=f"+86 {people.liu.mobile}")
    assert (error.value.code, error.value.field) == ("already_registered", "mobile")
    assert Registration.objects.filter(activity=public).count() == 1
    cancel_registration(actor=people.member_user, registration=registration)
    register_guest(activity=public, name="刘慧", mobile=people.liu.mobile)  # the seat was given back


# 8. Hand check-in: not before the window; refused attempts stay in the scan log ---------------


def test_hand_check_in_before_the_window_is_refused_and_logged(tree, people):
    activity = make_activity(tree.branch, type_code="theme_day", starts=at(days=7))
    registration = register_person(actor=None, activity=activity, person=people.liu)
    with pytest.raises(DomainError) as error:
        check_in_by_hand(actor=people.secretary_user, registration=registration)
    assert error.value.code == "not_open_yet"
    registration.refresh_from_db()
    assert registration.checked_in_at is None
    assert list(ScanLog.objects.values_list("method", "result")) == [("manual", "not_open_yet")]


def test_refused_hand_check_in_leaves_a_scan_row(tree, people):
    activity = make_activity(tree.branch, type_code="theme_day", starts=at(hours=-0.5))
    registration = register_person(actor=None, activity=activity, person=people.liu)
    cancel_registration(actor=None, registration=registration)
    with pytest.raises(DomainError) as error:
        check_in_by_hand(actor=people.secretary_user, registration=registration, note="忘带手机")
    assert error.value.code == "cancelled"
    assert list(ScanLog.objects.values_list("method", "result", "note")) == [
        ("manual", "cancelled", "忘带手机")
    ]
    other = register_person(actor=None, activity=activity, person=people.yang)
    assert check_in_by_hand(actor=people.secretary_user, registration=other) == "ok"


# 9. A JPEG comment does not survive the photo clean-up -----------------------------------------


def test_jpeg_comment_is_removed():
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 20, 30)).save(out, format="JPEG", comment=b"secret-gps 25.03,102.7")
    assert b"secret-gps" in out.getvalue()
    clean = clean_photo(out.getvalue(), max_bytes=10**6, max_pixels=10**6)
    assert b"secret-gps" not in clean.content
    assert "comment" not in Image.open(io.BytesIO(clean.content)).info
    transparent = io.BytesIO()
    Image.new("P", (8, 8), 0).save(transparent, format="PNG", transparency=0)
    kept = clean_photo(transparent.getvalue(), max_bytes=10**6, max_pixels=10**6)
    assert "transparency" in Image.open(io.BytesIO(kept.content)).info


def test_excludable_absence_reasons_are_a_rule_but_unexcused_always_counts(tree):
    from datetime import date

    from dangqun.activities.rules import EXCLUDABLE_ABSENCES, excludable_absence_reasons
    from dangqun.core.models import RuleValue

    assert excludable_absence_reasons(tree.branch.path) == {"sick", "duty", "abroad"}
    RuleValue.objects.create(key=EXCLUDABLE_ABSENCES, value=["sick", "unexcused", "nonsense"],
                             effective_from=date(2020, 1, 1), org_path=tree.community.path)  # fmt: skip
    assert excludable_absence_reasons(tree.branch.path) == {"sick"}
    assert excludable_absence_reasons(tree.far_branch.path) == {"sick", "duty", "abroad"}


def test_record_page_shows_the_membership_vote_base_beside_the_ordinary_one(client, people, assembly):
    activity, formal = assembly
    attend(activity, formal[:5])
    record = start_record(actor=None, activity=activity)
    for person in formal[5:]:
        set_absence(actor=None, record=record, person=person, reason="abroad", counts_as_expected=False)
    client.force_login(people.secretary_user)
    page = client.get(reverse("activities:record", args=[activity.pk])).content.decode()
    present = attendance(activity, record)  # the fixture's secretary and committee members count too
    assert present.voting_members - present.voting_should_attend == 5
    assert f'<dd id="voting-should">{present.voting_should_attend}</dd>' in page
    assert f'<dd id="voting-members">{present.voting_members}</dd>' in page
