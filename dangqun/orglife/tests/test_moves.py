"""A moved subtree drags every copied path of the app along (scopes keep working)."""

from __future__ import annotations

import pytest

from dangqun.orglife import services
from dangqun.orglife.models import Attendance, ContactPoint, OrgLifeReport, PublicNotice, QuarterlyFiling
from dangqun.orglife.selectors import access
from dangqun.orgs.models import Organization
from dangqun.orgs.services import move_organization

pytestmark = pytest.mark.django_db


def test_paths_follow_a_moved_community(world):
    world.contact_point()
    world.signed_report(world.own_meeting())
    filing = services.submit_filing(actor=world.cadre_user, cadre=world.cadre, quarter=world.quarter)
    services.review_filing(actor=world.committee_user, filing=filing, accept=True)
    move_organization(actor=None, organization=world.tree.community, new_parent=world.tree.other_community)
    branch = Organization.objects.get(pk=world.tree.branch.pk)
    community = Organization.objects.get(pk=world.tree.community.pk)
    assert Attendance.objects.filter(cadre_path=branch.path).count() == 1
    assert OrgLifeReport.objects.get().org_path == branch.path
    moved = QuarterlyFiling.objects.get()
    assert (moved.org_path, moved.committee_path) == (branch.path, community.path)
    assert moved.copy_path == world.department.path  # outside the moved subtree: unchanged
    assert PublicNotice.objects.get().org_path == branch.path
    assert ContactPoint.objects.get().cadre_path == branch.path
    from dangqun.accounts.models import User

    assert access.filings_visible_to(User.objects.get(pk=world.committee_user.pk)).count() == 1
