"""Contact points (assigned per year by the department) and 纪实 (the cadre's own records)."""

from __future__ import annotations

import pytest

from dangqun.core.errors import DomainError
from dangqun.core.models import AuditEntry
from dangqun.orglife import services
from dangqun.orglife.models import Attendance, ContactPoint
from dangqun.orglife.tests.factories import held_meeting, make_member

pytestmark = pytest.mark.django_db


def test_department_assigns_a_contact_point(world):
    point = world.contact_point()
    assert (point.cadre, point.branch, point.year) == (
        world.cadre,
        world.tree.other_branch,
        world.quarter.year,
    )
    assert point.district_path == world.tree.district.path
    entry = AuditEntry.objects.get(action="orglife.contact_point.assigned")
    assert entry.actor == world.department_user and entry.data["branch"] == "大观社区第一党支部"


def test_assigning_twice_is_refused(world):
    world.contact_point()
    with pytest.raises(DomainError) as exc:
        world.contact_point()
    assert exc.value.code == "already_assigned"
    assert ContactPoint.objects.count() == 1


def test_only_the_district_department_assigns(world):
    with pytest.raises(DomainError) as exc:
        services.assign_contact_point(
            actor=world.committee_user,
            cadre=world.cadre,
            branch=world.tree.other_branch,
            year=world.quarter.year,
        )
    assert (exc.value.code, exc.value.status) == ("permission_denied", 403)


@pytest.mark.parametrize(
    ("branch_attr", "code"),
    [("branch", "own_branch"), ("far_branch", "outside_district"), ("community", "not_a_branch")],
)
def test_contact_point_must_be_another_branch_of_the_district(world, branch_attr, code):
    branch = getattr(world.tree, branch_attr)
    if code == "not_a_branch":
        branch = world.department
    with pytest.raises(DomainError) as exc:
        services.assign_contact_point(
            actor=world.department_user, cadre=world.cadre, branch=branch, year=world.quarter.year
        )
    assert exc.value.code == code
    assert exc.value.field == "branch"


def test_only_leading_cadres_get_contact_points(world):
    plain = make_member(world.tree.branch, "普通党员")
    with pytest.raises(DomainError) as exc:
        services.assign_contact_point(actor=world.department_user, cadre=plain, branch=world.tree.other_branch,
                                      year=world.quarter.year)  # fmt: skip
    assert exc.value.code == "not_cadre"


def test_revoked_contact_point_frees_the_slot(world):
    point = world.contact_point()
    services.revoke_contact_point(actor=world.department_user, contact_point=point)
    again = world.contact_point()
    assert again.pk != point.pk
    assert ContactPoint.objects.filter(revoked_at__isnull=False).count() == 1


def test_attendance_at_own_branch_and_contact_point(world):
    world.contact_point()
    own = services.start_attendance(actor=world.cadre_user, cadre=world.cadre, activity=world.own_meeting())
    contact = services.start_attendance(
        actor=world.cadre_user, cadre=world.cadre, activity=world.contact_meeting()
    )
    assert (own.role, own.contact_point) == ("own", None)
    assert contact.role == "contact" and contact.contact_point.branch == world.tree.other_branch
    # A second call returns the same 纪实.
    assert (
        services.start_attendance(actor=world.cadre_user, cadre=world.cadre, activity=own.activity).pk
        == own.pk
    )


def test_meeting_elsewhere_is_not_the_cadres(world):
    meeting = held_meeting(
        world.tree.other_branch, starts=world.meeting_time(), audience="public", attendees=[world.cadre]
    )
    with pytest.raises(DomainError) as exc:
        services.start_attendance(actor=world.cadre_user, cadre=world.cadre, activity=meeting)
    assert exc.value.code == "not_your_meeting"
    assert Attendance.objects.count() == 0


def test_someone_else_cannot_write_a_cadres_record(world):
    with pytest.raises(DomainError) as exc:
        services.start_attendance(
            actor=world.contact_secretary_user, cadre=world.cadre, activity=world.own_meeting()
        )
    assert exc.value.status == 403


def test_guidance_only_at_a_contact_point(world):
    attendance = services.start_attendance(
        actor=world.cadre_user, cadre=world.cadre, activity=world.own_meeting()
    )
    with pytest.raises(DomainError) as exc:
        services.update_attendance(actor=world.cadre_user, attendance=attendance, guidance="指导")
    assert exc.value.code == "guidance_only_contact"


def test_outline_file_is_checked_by_content(world):
    attendance = services.start_attendance(
        actor=world.cadre_user, cadre=world.cadre, activity=world.own_meeting()
    )
    attendance = services.attach_outline(actor=world.cadre_user, attendance=attendance, name="提纲.pdf",
                                         data=b"%PDF-1.7\n%fake but starts right\n")  # fmt: skip
    assert (attendance.outline_name, attendance.outline_type) == ("提纲.pdf", "application/pdf")
    with pytest.raises(DomainError) as exc:
        services.attach_outline(
            actor=world.cadre_user, attendance=attendance, name="x.exe", data=b"MZ\x90\x00\x03"
        )
    assert exc.value.code == "unsupported_file"
    text = services.attach_outline(actor=world.cadre_user, attendance=attendance, name="提纲.txt",
                                   data="一、学习体会".encode("gb18030"))  # fmt: skip
    assert text.outline_name == "提纲.txt" and text.outline_file.read().decode() == "一、学习体会"
