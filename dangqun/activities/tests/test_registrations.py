"""Registration: members, guests, one per person (database constraint), window, capacity and the
waiting list promoted in order, cancellation, audience."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from dangqun.activities import passes
from dangqun.activities.enums import RegistrationStatus
from dangqun.activities.models import Activity, Registration
from dangqun.activities.services.activities import cancel_activity, update_activity
from dangqun.activities.services.registrations import cancel_registration, register_guest, register_person
from dangqun.activities.tests.factories import at, make_activity, make_member
from dangqun.core.errors import DomainError
from dangqun.core.models import AuditEntry
from dangqun.testing.factories import make_user

pytestmark = pytest.mark.django_db


def test_member_registers_and_gets_a_pass_without_look_alike_characters(tree, people):
    activity = make_activity(tree.branch)
    registration = register_person(actor=people.member_user, activity=activity, person=people.liu)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.name == "刘慧"
    assert passes.looks_valid(registration.pass_code)
    assert not set(registration.pass_code) & set("0O1IL")
    assert len(passes.display(registration.pass_code)) == 11
    svg = passes.qr_svg(registration.pass_code)
    assert svg.startswith("<svg") and "<script" not in svg
    activity.refresh_from_db()
    assert activity.confirmed_count == 1


def test_pass_codes_are_random(tree):
    codes = {passes.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert set("".join(codes)) == set(passes.ALPHABET)


def test_duplicate_registration_is_refused_and_the_database_enforces_it(tree, people):
    activity = make_activity(tree.branch)
    first = register_person(actor=people.member_user, activity=activity, person=people.liu)
    with pytest.raises(DomainError) as error:
        register_person(actor=people.member_user, activity=activity, person=people.liu)
    assert error.value.code == "already_registered"
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            activity=activity, person=people.liu, name="刘慧", source="self", pass_code=passes.new_code()
        )
    assert Registration.objects.filter(activity=activity).count() == 1
    assert first.pk == Registration.objects.get().pk


def test_member_cannot_register_someone_else_but_staff_can(tree, people):
    activity = make_activity(tree.branch)
    with pytest.raises(DomainError) as error:
        register_person(actor=people.member_user, activity=activity, person=people.yang)
    assert error.value.code == "permission_denied"
    registration = register_person(actor=people.secretary_user, activity=activity, person=people.liu)
    assert registration.source == "staff"


def test_audience_branch_takes_its_groups_but_not_other_branches(tree, people):
    activity = make_activity(tree.branch, audience="branch")
    in_group = make_member(tree.group, "小组成员")
    elsewhere = make_member(tree.other_branch, "外支部党员")
    assert register_person(actor=None, activity=activity, person=in_group).status == "confirmed"
    with pytest.raises(DomainError) as error:
        register_person(actor=None, activity=activity, person=elsewhere)
    assert error.value.code == "not_invited"
    street_day = make_activity(tree.street, audience="subtree")
    assert register_person(actor=None, activity=street_day, person=elsewhere).status == "confirmed"


def test_registration_window(tree, people):
    starts = at(days=5)
    activity = make_activity(
        tree.branch, starts=starts,
        registration_opens_at=starts - timedelta(days=3), registration_closes_at=starts - timedelta(days=1),
    )  # fmt: skip
    with pytest.raises(DomainError) as error:
        register_person(actor=None, activity=activity, person=people.liu)
    assert error.value.code == "registration_not_open"
    assert "报名将于" in error.value.message
    with pytest.raises(DomainError) as error:
        register_person(actor=None, activity=activity, person=people.liu, now=starts - timedelta(hours=12))
    assert (error.value.code, error.value.message) == ("registration_closed", "报名已截止。")
    ok = register_person(actor=None, activity=activity, person=people.liu, now=starts - timedelta(days=2))
    assert ok.status == "confirmed"


def test_no_registration_on_drafts_or_cancelled(tree, people):
    draft = make_activity(tree.branch, publish=False)
    with pytest.raises(DomainError) as error:
        register_person(actor=None, activity=draft, person=people.liu)
    assert error.value.code == "registration_closed"
    cancelled = make_activity(tree.branch)
    cancel_activity(actor=None, activity=cancelled, reason="改期")
    with pytest.raises(DomainError) as error:
        register_person(actor=None, activity=cancelled, person=people.liu)
    assert error.value.code == "activity_cancelled"


def test_guest_registration_validates_name_and_mobile(tree):
    activity = make_activity(tree.community, type_code="moral_lecture", audience="public")
    guest = register_guest(activity=activity, name="张 三", mobile="+86 138-0013-8000")
    assert (guest.name, guest.mobile, guest.person_id) == ("张 三", "13800138000", None)
    for name, mobile, code, field in [
        ("", "13800138000", "required", "name"),
        ("<script>", "13800138000", "invalid_name", "name"),
        ("李四", "12345678901", "invalid_mobile", "mobile"),
        ("李四", "13800138000", "already_registered", "mobile"),
    ]:
        with pytest.raises(DomainError) as error:
            register_guest(activity=activity, name=name, mobile=mobile)
        assert (error.value.code, error.value.field) == (code, field)
    assert "手机号格式不正确" in _message(
        lambda: register_guest(activity=activity, name="李四", mobile="1234")
    )
    members_only = make_activity(tree.branch)
    with pytest.raises(DomainError) as error:
        register_guest(activity=members_only, name="李四", mobile="13912345678")
    assert error.value.code == "not_public"
    entry = AuditEntry.objects.get(action="activities.registration.created")
    assert entry.data["mobile"] == "138****8000"


def _message(call) -> str:
    with pytest.raises(DomainError) as error:
        call()
    return error.value.message


def test_capacity_waiting_list_and_promotion_in_order(tree):
    activity = make_activity(tree.community, type_code="salon", audience="public", capacity=2)
    a = register_guest(activity=activity, name="甲甲", mobile="13900000001")
    b = register_guest(activity=activity, name="乙乙", mobile="13900000002")
    c = register_guest(activity=activity, name="丙丙", mobile="13900000003")
    d = register_guest(activity=activity, name="丁丁", mobile="13900000004")
    assert [r.status for r in (a, b, c, d)] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert (c.waitlist_no, d.waitlist_no) == (1, 2)
    cancel_registration(actor=None, registration=b, pass_code=b.pass_code)
    statuses = dict(Registration.objects.values_list("name", "status"))
    assert statuses == {"甲甲": "confirmed", "乙乙": "cancelled", "丙丙": "confirmed", "丁丁": "waitlisted"}
    activity.refresh_from_db()
    assert (activity.confirmed_count, activity.waitlist_count) == (2, 1)
    # A larger capacity promotes the rest; a smaller one may not drop confirmed places.
    update_activity(actor=None, activity=activity, capacity=3)
    assert Registration.objects.get(pk=d.pk).status == "confirmed"
    with pytest.raises(DomainError) as error:
        update_activity(actor=None, activity=activity, capacity=2)
    assert (error.value.code, error.value.field) == ("capacity_below_confirmed", "capacity")
    # Registering again after cancelling reuses the row and joins the end of the queue.
    again = register_guest(activity=activity, name="乙乙", mobile="13900000002")
    assert (again.pk, again.status, again.waitlist_no) == (b.pk, "waitlisted", 3)
    activity.refresh_from_db()
    assert (activity.confirmed_count, activity.waitlist_count) == (3, 1)


def test_the_database_refuses_more_confirmed_than_capacity(tree):
    activity = make_activity(tree.community, type_code="salon", audience="public", capacity=1)
    register_guest(activity=activity, name="甲甲", mobile="13900000001")
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(confirmed_count=2)


def test_cancel_permissions(tree, people):
    activity = make_activity(tree.branch)
    registration = register_person(actor=people.member_user, activity=activity, person=people.liu)
    stranger = make_user(grants=[(tree.other_branch, "secretary")])
    with pytest.raises(DomainError) as error:
        cancel_registration(actor=stranger, registration=registration)
    assert error.value.status == 403
    with pytest.raises(DomainError):
        cancel_registration(actor=stranger, registration=registration, pass_code="WRONGCODE2")
    cancel_registration(actor=people.member_user, registration=registration)
    with pytest.raises(DomainError) as error:
        cancel_registration(actor=people.member_user, registration=registration)
    assert error.value.code == "invalid_transition"
