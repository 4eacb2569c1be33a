"""Invitations (列席): a person outside the audience is invited; every attendance decision honours
it (registration, rotating-code sign-in, paper sheet, hand check-in, visibility); revocation."""

from __future__ import annotations

import time

import pytest

from dangqun.activities import rotating
from dangqun.activities.models import Invitation, Registration, ScanLog
from dangqun.activities.selectors.activities import upcoming_for, viewable_activity
from dangqun.activities.selectors.records import photos_of, record_of
from dangqun.activities.services import invite_person, revoke_invitation
from dangqun.activities.services.activities import cancel_activity
from dangqun.activities.services.attendance import check_in_by_hand, enter_paper_sheet
from dangqun.activities.services.checkin import sign_in_with_rotating_code
from dangqun.activities.services.records import add_attachment, start_record
from dangqun.activities.services.registrations import person_may_attend, register_person
from dangqun.activities.tests.factories import at, make_activity, make_member
from dangqun.activities.tests.test_records import jpeg_with_exif, png_bytes
from dangqun.core.errors import DomainError
from dangqun.core.models import AuditEntry
from dangqun.testing.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def cadre(tree):
    """A leading cadre (member of his own organ's branch elsewhere) whose contact point is the branch."""
    user = make_user("cadre", grants=[(tree.far_branch, "member")])
    return make_member(tree.far_branch, "王书记", post="支部委员", user=user)


@pytest.fixture
def meeting(tree, people):
    return make_activity(tree.branch, type_code="branch_assembly", starts=at(hours=-0.25))


def code_for(activity):
    return rotating.make(activity.pk, valid_seconds=30, now=time.time())[0]


def test_not_invited_is_refused_everywhere(tree, meeting, cadre, people):
    assert not person_may_attend(meeting, cadre)
    with pytest.raises(DomainError) as error:
        register_person(actor=cadre.user, activity=meeting, person=cadre)
    assert error.value.code == "not_invited"
    assert sign_in_with_rotating_code(user=cadre.user, code=code_for(meeting)).result == "not_invited"
    with pytest.raises(DomainError) as error:
        enter_paper_sheet(actor=people.secretary_user, activity=meeting, person_ids=[cadre.pk])
    assert (error.value.code, error.value.field) == ("not_invited", "person_ids")
    with pytest.raises(DomainError) as error:
        register_person(actor=people.secretary_user, activity=meeting, person=cadre)
    assert error.value.code == "not_invited"
    assert not Registration.objects.filter(activity=meeting, person=cadre).exists()


def test_invited_person_may_register_and_sign_in(tree, meeting, cadre, people):
    invitation = invite_person(actor=people.secretary_user, activity=meeting, person=cadre, reason="联系点")
    assert (invitation.person, invitation.reason, invitation.invited_by) == (
        cadre,
        "联系点",
        people.secretary_user,
    )
    assert person_may_attend(meeting, cadre)
    entry = AuditEntry.objects.get(action="activities.invitation.created")
    assert entry.data["person_id"] == cadre.pk and entry.org_path == tree.branch.path
    answer = sign_in_with_rotating_code(user=cadre.user, code=code_for(meeting))
    assert (answer.result, answer.name) == ("ok", "王书记")
    assert Registration.objects.get(activity=meeting, person=cadre).checked_in_at is not None


def test_invited_person_registers_from_the_account(tree, cadre, people):
    later = make_activity(tree.branch, type_code="branch_assembly", starts=at(days=2))
    invite_person(actor=None, activity=later, person=cadre)
    registration = register_person(actor=cadre.user, activity=later, person=cadre)
    assert registration.status == "confirmed"
    assert later in upcoming_for(cadre.user, start=at(), end=at(days=3))
    assert viewable_activity(cadre.user, later.pk) == later


def test_paper_sheet_and_hand_check_in_of_an_invited_person(tree, meeting, cadre, people):
    invite_person(actor=people.secretary_user, activity=meeting, person=cadre)
    counts = enter_paper_sheet(
        actor=people.secretary_user, activity=meeting, person_ids=[cadre.pk, people.liu.pk]
    )
    assert counts == {"admitted": 2, "already": 0}
    other = make_member(tree.other_branch, "邻支部书记")
    invite_person(actor=people.secretary_user, activity=meeting, person=other)
    registration = register_person(actor=people.secretary_user, activity=meeting, person=other)
    assert check_in_by_hand(actor=people.secretary_user, registration=registration) == "ok"
    assert ScanLog.objects.filter(activity=meeting, result="ok").count() == 3


def test_invite_is_idempotent_and_unique(tree, meeting, cadre, people):
    first = invite_person(actor=None, activity=meeting, person=cadre)
    assert invite_person(actor=None, activity=meeting, person=cadre).pk == first.pk
    assert Invitation.objects.count() == 1
    assert AuditEntry.objects.filter(action="activities.invitation.created").count() == 1
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(activity=meeting, person=cadre)


def test_only_managers_invite(tree, meeting, cadre, people):
    for actor in (people.member_user, make_user(grants=[(tree.other_branch, "secretary")]), cadre.user):
        with pytest.raises(DomainError) as error:
            invite_person(actor=actor, activity=meeting, person=cadre)
        assert error.value.code == "permission_denied"
    assert not Invitation.objects.exists()
    with pytest.raises(DomainError) as error:
        invite_person(actor=None, activity=meeting, person=cadre, reason="很长" * 101)
    assert error.value.field == "reason"
    with pytest.raises(DomainError) as error:
        invite_person(actor=None, activity=meeting, person=None)
    assert (error.value.code, error.value.field) == ("person_required", "person")
    assert not Invitation.objects.exists()


def test_cancelled_activity_takes_no_invitations(tree, meeting, cadre):
    cancel_activity(actor=None, activity=meeting, reason="改期")
    with pytest.raises(DomainError) as error:
        invite_person(actor=None, activity=meeting, person=cadre)
    assert error.value.code == "activity_cancelled"


def test_revoke(tree, meeting, cadre, people):
    invite_person(actor=None, activity=meeting, person=cadre)
    with pytest.raises(DomainError):
        revoke_invitation(actor=people.member_user, activity=meeting, person=cadre)
    assert revoke_invitation(actor=people.secretary_user, activity=meeting, person=cadre, reason="调整")
    assert not revoke_invitation(actor=people.secretary_user, activity=meeting, person=cadre)
    assert not person_may_attend(meeting, cadre)
    assert sign_in_with_rotating_code(user=cadre.user, code=code_for(meeting)).result == "not_invited"
    assert AuditEntry.objects.filter(action="activities.invitation.revoked").count() == 1


def test_record_of_and_photos_of(tree):
    activity = make_activity(tree.branch, type_code="theme_day", starts=at(hours=-3))
    assert record_of(activity) is None
    assert list(photos_of(None)) == []
    record = start_record(actor=None, activity=activity)
    assert record_of(activity) == record
    assert list(photos_of(record)) == []
    first = add_attachment(actor=None, record=record, kind="photo", name="a.jpg", data=jpeg_with_exif())
    second = add_attachment(actor=None, record=record, kind="photo", name="b.png", data=png_bytes())
    add_attachment(
        actor=None, record=record, kind="material", name="议程.pdf", data=b"%PDF-1.4\n1 0 obj\n%%EOF\n"
    )
    assert list(photos_of(record)) == [first, second]


def test_an_invited_guest_does_not_count_for_the_quorum(tree, meeting, cadre, people):
    from dangqun.activities.selectors.records import attendance

    invite_person(actor=None, activity=meeting, person=cadre)
    enter_paper_sheet(actor=None, activity=meeting, person_ids=[cadre.pk, people.liu.pk])
    seen = attendance(meeting)
    assert cadre.pk not in seen.expected_ids and seen.voting_present == 1 and seen.present_total == 2
