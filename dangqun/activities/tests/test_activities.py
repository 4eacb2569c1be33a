"""Activities: catalog, creation with clear errors, transitions as data, permissions, finishing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dangqun.activities.catalog import ensure_catalog
from dangqun.activities.enums import ActivityStatus
from dangqun.activities.models import Activity, ActivityRollup, ActivityType, ComplianceRule, NeedCategory
from dangqun.activities.services.activities import (
    cancel_activity,
    create_activity,
    create_series,
    finish_activity,
    finish_ended_activities,
    publish_activity,
    update_activity,
)
from dangqun.activities.tests.factories import at, make_activity
from dangqun.core import rules
from dangqun.core.errors import DomainError
from dangqun.core.models import AuditEntry
from dangqun.testing.factories import make_user

pytestmark = pytest.mark.django_db


def test_catalog_is_seeded_from_rules_md():
    assert list(NeedCategory.objects.values_list("name", flat=True)) == [
        "文化娱乐",
        "社会公益",
        "技能提高",
        "人文关怀",
    ]
    assert list(ActivityType.objects.values_list("name", flat=True)) == [
        "支部党员大会", "支委会", "党小组会", "党课", "主题党日", "组织生活会", "民主评议党员",
        "沙龙", "道德讲堂", "志愿服务", "培训", "文体活动",
    ]  # fmt: skip
    active = {
        (r.activity_type.name, r.period, r.default_count)
        for r in ComplianceRule.objects.filter(is_active=True).select_related("activity_type")
    }
    assert active == {
        ("支部党员大会", "quarter", 1),
        ("支委会", "month", 1),
        ("党小组会", "month", 1),
        ("主题党日", "month", 1),
        ("组织生活会", "year", 1),
        ("民主评议党员", "year", 1),
    }
    assert rules.value("activities.freq.theme_day") == 1
    assert rules.value("activities.checkin.geofence_m") == 500
    assert ensure_catalog() == 0


def test_create_draft_then_publish_with_checkin_window_from_rules(tree):
    starts = at(days=3)
    activity = create_activity(
        actor=None, organization=tree.branch, activity_type="theme_day", title=" 三月 主题党日 ",
        starts_at=starts, ends_at=starts + timedelta(hours=2), place_text="党员活动室",
    )  # fmt: skip
    assert activity.status == ActivityStatus.DRAFT
    assert activity.title == "三月 主题党日"
    assert activity.org_path == tree.branch.path
    assert activity.rotating_checkin is True  # meetings default to the anti-proxy sign-in
    assert activity.checkin_opens_at == starts - timedelta(hours=2)
    assert activity.checkin_closes_at == starts + timedelta(hours=4)
    assert activity.need_category is None
    publish_activity(actor=None, activity=activity)
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.PUBLISHED and activity.published_at is not None
    actions = list(
        AuditEntry.objects.filter(object_type="activities.activity", object_id=str(activity.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == ["activities.activity.published", "activities.activity.created"]


def test_event_types_take_their_need_category(tree):
    activity = make_activity(tree.community, type_code="moral_lecture", audience="public")
    assert activity.need_category_id == "care"
    assert activity.rotating_checkin is False


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"title": ""}, "required", "title"),
        ({"title": "长" * 101}, "too_long", "title"),
        ({"place_text": ""}, "place_required", "place_text"),
        ({"ends_at": "same"}, "ends_before_start", "ends_at"),
        ({"capacity": 0}, "invalid_capacity", "capacity"),
        ({"capacity": -3}, "invalid_capacity", "capacity"),
        ({"geofence_m": 300}, "geofence_needs_point", "latitude"),
        ({"geofence_m": 5, "latitude": 25.04, "longitude": 102.7}, "invalid_geofence", "geofence_m"),
        ({"latitude": "abc"}, "invalid_number", "latitude"),
        ({"audience": "everyone"}, "invalid_audience", "audience"),
        ({"activity_type": "no_such"}, "type_required", "activity_type"),
        ({"registration_closes_at": "after_end"}, "registration_after_end", "registration_closes_at"),
    ],
)
def test_bad_input_is_refused_naming_the_field(tree, changes, code, field):
    starts = at(days=1)
    values = {
        "title": "党课", "activity_type": "party_lecture", "place_text": "会议室",
        "starts_at": starts, "ends_at": starts + timedelta(hours=1),
    }  # fmt: skip
    values.update(changes)
    if values["ends_at"] == "same":
        values["ends_at"] = starts
    if values.get("registration_closes_at") == "after_end":
        values["registration_closes_at"] = starts + timedelta(hours=2)
    with pytest.raises(DomainError) as error:
        create_activity(actor=None, organization=tree.branch, **values)
    assert (error.value.code, error.value.field) == (code, field)
    assert Activity.objects.count() == 0


def test_only_staff_of_the_subtree_may_create(tree):
    starts = at(days=1)
    values = {"title": "支委会", "activity_type": "branch_committee", "place_text": "会议室",
              "starts_at": starts, "ends_at": starts + timedelta(hours=1)}  # fmt: skip
    member = make_user(grants=[(tree.branch, "member")])
    far = make_user(grants=[(tree.far_county, "secretary")])
    for actor in (member, far):
        with pytest.raises(DomainError) as error:
            create_activity(actor=actor, organization=tree.branch, **values)
        assert error.value.status == 403
    staff = make_user(grants=[(tree.community, "committee")])
    activity = create_activity(actor=staff, organization=tree.branch, **values)
    assert activity.created_by == staff


def test_transitions_follow_the_table(tree):
    activity = make_activity(tree.branch, publish=False)
    with pytest.raises(DomainError) as error:
        finish_activity(actor=None, activity=activity)
    assert error.value.code == "invalid_transition"
    cancel_activity(actor=None, activity=activity, reason="天气原因")
    for call in (
        lambda: publish_activity(actor=None, activity=activity),
        lambda: cancel_activity(actor=None, activity=activity, reason="再次"),
    ):
        with pytest.raises(DomainError) as error:
            call()
        assert error.value.code == "invalid_transition"
    with pytest.raises(DomainError) as error:
        update_activity(actor=None, activity=activity, title="改名")
    assert error.value.code == "activity_closed"


def test_cancel_needs_a_reason(tree):
    activity = make_activity(tree.branch)
    with pytest.raises(DomainError) as error:
        cancel_activity(actor=None, activity=activity, reason="  ")
    assert (error.value.code, error.value.field) == ("required", "reason")


def test_finish_counts_held_and_participants_in_rollups_of_every_ancestor(tree):
    activity = make_activity(tree.branch, starts=at(hours=-3))
    finish_activity(actor=None, activity=activity)
    rows = {
        r.organization_id: (r.held_direct, r.held_total, r.participants_total)
        for r in ActivityRollup.objects.filter(activity_type="theme_day")
    }
    assert rows == {
        tree.district.pk: (0, 1, 0),
        tree.street.pk: (0, 1, 0),
        tree.community.pk: (0, 1, 0),
        tree.branch.pk: (1, 1, 0),
    }


def test_finishing_job_closes_only_ended_activities_and_is_idempotent(tree):
    ended = make_activity(tree.branch, starts=at(hours=-8))
    running = make_activity(tree.branch, starts=at(hours=-1))
    now = at()
    assert finish_ended_activities(now=now) == 1
    assert finish_ended_activities(now=now) == 0
    ended.refresh_from_db()
    running.refresh_from_db()
    assert (ended.status, running.status) == (ActivityStatus.FINISHED, ActivityStatus.PUBLISHED)


def test_series_and_update(tree):
    series = create_series(actor=None, organization=tree.branch, name="清风 主题党日 系列")
    with pytest.raises(DomainError) as error:
        create_series(actor=None, organization=tree.branch, name="清风 主题党日 系列")
    assert error.value.code == "series_exists"
    activity = make_activity(tree.branch, series=series)
    other = create_series(actor=None, organization=tree.community, name="社区系列")
    with pytest.raises(DomainError) as error:
        update_activity(actor=None, activity=activity, series=other)
    assert error.value.code == "series_other_org"
    starts = at(days=2)
    update_activity(actor=None, activity=activity, starts_at=starts, ends_at=starts + timedelta(hours=3))
    activity.refresh_from_db()
    assert activity.checkin_closes_at == starts + timedelta(hours=5)
    entry = AuditEntry.objects.filter(action="activities.activity.updated").get()
    assert set(entry.data["changes"]) == {"starts_at", "ends_at"}
