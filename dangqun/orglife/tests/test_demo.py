"""The demo of journey 5: built through the services, idempotent, with a notice posted now."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from dangqun.activities.models import Invitation
from dangqun.orglife import models
from dangqun.orglife.services.notices import is_live

pytestmark = pytest.mark.django_db

MODELS = ["ContactPoint", "Attendance", "OrgLifeReport", "ReportEvent", "QuarterlyFiling", "FilingEvent",
          "PublicNotice", "Objection"]  # fmt: skip


def _counts() -> dict[str, int]:
    return {name: getattr(models, name).objects.count() for name in MODELS}


def test_demo_is_complete_and_idempotent():
    call_command("load_demo", "--small", verbosity=0)
    first = _counts()
    call_command("load_demo", "--small", verbosity=0)
    assert _counts() == first
    assert first["OrgLifeReport"] == 2 and first["PublicNotice"] == 2
    filing = models.QuarterlyFiling.objects.get(status="accepted")
    assert (filing.committee.name, filing.copy_to.name) == ("晋宁区直属机关工作委员会", "晋宁区委组织部")
    assert filing.is_district_leader and not filing.late
    assert all(is_live(n, timezone.now()) for n in models.PublicNotice.objects.all())
    assert {r.signed_by.username for r in models.OrgLifeReport.objects.all()} == {
        "jn_office_sec",
        "jn_edu_sec",
    }
    assert models.QuarterlyFiling.objects.filter(status="submitted").count() == 1
    # The contact point's meeting is a branch meeting the cadre was invited to (no public workaround).
    contact = models.Attendance.objects.select_related("activity", "cadre").get(role="contact")
    assert contact.activity.audience == "branch"
    invitation = Invitation.objects.get(activity=contact.activity)
    assert (invitation.person, invitation.reason) == (contact.cadre, "基层党建联系点")
