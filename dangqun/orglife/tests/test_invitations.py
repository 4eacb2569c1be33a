"""A cadre is invited (列席) to the branch meetings of his contact point: at assignment, and when a
meeting of that branch is published while the assignment is in force. He signs in with the room
screen's rotating code like the branch's members; a cadre not assigned is refused."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dangqun.activities import rotating
from dangqun.activities.models import Invitation, Registration
from dangqun.activities.services.activities import create_activity, finish_activity, publish_activity
from dangqun.activities.services.attendance import enter_paper_sheet
from dangqun.activities.services.checkin import sign_in_with_rotating_code
from dangqun.core import rules
from dangqun.core.errors import DomainError
from dangqun.core.models import AuditEntry
from dangqun.orglife import services
from dangqun.orglife.models import Attendance
from dangqun.orglife.services.invitations import REASON
from dangqun.orglife.tests.factories import make_member
from dangqun.testing.factories import make_user

pytestmark = pytest.mark.django_db


def _branch_meeting(world, *, starts, publish=True, title="组织生活会"):
    return create_activity(
        actor=None, organization=world.tree.other_branch, activity_type="org_life_meeting", title=title,
        place_text="党员活动室", starts_at=starts, ends_at=starts + timedelta(hours=2), publish=publish,
        audience="branch",
    )  # fmt: skip


def _assign(world, cadre=None):
    return services.assign_contact_point(
        actor=world.department_user,
        cadre=cadre or world.cadre,
        branch=world.tree.other_branch,
        year=timezone.localdate().year,
    )


def _code(activity) -> str:
    valid = rules.value("activities.rotating.valid_seconds")
    return rotating.make(activity.pk, valid_seconds=valid, now=time.time())[0]


def test_assignment_invites_the_cadre_to_the_branchs_coming_meetings(world):
    coming = _branch_meeting(world, starts=timezone.now() + timedelta(days=3))
    draft = _branch_meeting(world, starts=timezone.now() + timedelta(days=4), publish=False, title="草稿")
    assert not Invitation.objects.exists()
    _assign(world)
    invitation = Invitation.objects.get()
    assert (invitation.activity, invitation.person, invitation.reason) == (coming, world.cadre, REASON)
    assert AuditEntry.objects.get(action="orglife.contact_point.assigned").data["invited"] == 1
    assert AuditEntry.objects.filter(action="activities.invitation.created").count() == 1
    # A draft is invited when it is published, not before.
    publish_activity(actor=None, activity=draft)
    assert set(Invitation.objects.values_list("activity_id", flat=True)) == {coming.pk, draft.pk}


def test_meeting_published_while_assigned_invites_the_cadre_once(world):
    _assign(world)
    meeting = _branch_meeting(world, starts=timezone.now() + timedelta(days=2))
    assert list(Invitation.objects.values_list("activity_id", "person_id", "reason")) == [
        (meeting.pk, world.cadre.pk, REASON)
    ]
    # Another branch's meeting is nobody's contact point: no invitation.
    create_activity(actor=None, organization=world.tree.branch, activity_type="org_life_meeting", title="本支部",
                    place_text="室", starts_at=timezone.now() + timedelta(days=2),
                    ends_at=timezone.now() + timedelta(days=2, hours=2), publish=True)  # fmt: skip
    assert Invitation.objects.count() == 1


def test_cadre_signs_in_at_the_contact_points_branch_meeting_and_the_jishi_shows_it(world, client):
    _assign(world)
    meeting = _branch_meeting(world, starts=timezone.now() - timedelta(minutes=10))
    answer = sign_in_with_rotating_code(user=world.cadre_user, code=_code(meeting))
    assert (answer.result, answer.name) == ("ok", "王建国")
    assert Registration.objects.get(activity=meeting, person=world.cadre).checked_in_at is not None
    finish_activity(actor=None, activity=meeting, now=timezone.now() + timedelta(hours=3))
    attendance = services.start_attendance(actor=world.cadre_user, cadre=world.cadre, activity=meeting)
    assert attendance.role == "contact" and attendance.contact_point.branch == world.tree.other_branch
    client.force_login(world.cadre_user)
    page = client.get(reverse("orglife:attendance", args=[attendance.pk])).content.decode()
    assert "动态码自助签到" in page and "签到记录中没有本人的签到" not in page


def test_a_cadre_not_assigned_is_refused(world):
    _assign(world)
    other_user = make_user("othercadre")
    other = make_member(world.tree.branch, "孙志强", cadre_level="county", user=other_user)
    meeting = _branch_meeting(world, starts=timezone.now() - timedelta(minutes=10))
    answer = sign_in_with_rotating_code(user=other_user, code=_code(meeting))
    assert answer.result == "not_invited"
    assert not Registration.objects.filter(person=other).exists()
    with pytest.raises(DomainError) as exc:
        enter_paper_sheet(actor=None, activity=meeting, person_ids=[other.pk])
    assert exc.value.code == "not_invited"
    finish_activity(actor=None, activity=meeting, now=timezone.now() + timedelta(hours=3))
    with pytest.raises(DomainError) as exc:
        services.start_attendance(actor=other_user, cadre=other, activity=meeting)
    assert exc.value.code == "not_your_meeting"
    assert not Attendance.objects.filter(cadre=other).exists()


def test_revoking_withdraws_the_invitations_to_meetings_not_yet_held(world):
    point = _assign(world)
    held = _branch_meeting(world, starts=timezone.now() - timedelta(minutes=10), title="已召开")
    coming = _branch_meeting(world, starts=timezone.now() + timedelta(days=5), title="下周")
    assert Invitation.objects.count() == 2
    services.revoke_contact_point(actor=world.department_user, contact_point=point)
    assert list(Invitation.objects.values_list("activity_id", flat=True)) == [held.pk]
    assert AuditEntry.objects.get(action="orglife.contact_point.revoked").data["withdrawn"] == 1
    # A meeting published after the revocation invites nobody.
    _branch_meeting(world, starts=timezone.now() + timedelta(days=9), title="再下周")
    assert not Invitation.objects.filter(activity=coming).exists() and Invitation.objects.count() == 1
