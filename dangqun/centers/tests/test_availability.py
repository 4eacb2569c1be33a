"""Availability selectors: the day grid, free ranges, nearest free slots, spaces free now, visits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangqun.centers.enums import Channel
from dangqun.centers.models import GroupVisit
from dangqun.centers.selectors import availability, nearest_free_slots, spaces_free_now, week_availability
from dangqun.centers.services import (
    Requester,
    cancel_group_visit,
    create_blackout,
    create_center,
    decide_group_visit,
    request_group_visit,
)
from dangqun.centers.tests.conftest import WEEK, at
from dangqun.centers.tests.helpers import book
from dangqun.core.errors import DomainError
from dangqun.testing.factories import make_user

pytestmark = pytest.mark.django_db


def test_day_grid_states(library, center, thursday):
    book(library, at(thursday, 9), at(thursday, 10))  # exclusive, accepted
    book(library, at(thursday, 10), at(thursday, 11), auto_accept=False)  # exclusive, pending
    book(library, at(thursday, 19), at(thursday, 21), mode="shared", attendees=8)
    create_blackout(actor=None, center=center, space=library, starts_at=at(thursday, 12), ends_at=at(thursday, 13),
                    reason="保洁")  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        day = availability(library, thursday)
    assert len(queries) == 1  # bookings and blackouts in one statement
    assert (day.opens, day.closes, len(day.slots)) == (at(thursday, 8), at(thursday, 21), 26)
    by_start = {s.starts_at: s for s in day.slots}
    assert by_start[at(thursday, 9)].state == "taken"
    assert by_start[at(thursday, 10, 30)].state == "pending"
    assert by_start[at(thursday, 12, 30)].state == "blackout"
    assert (by_start[at(thursday, 19)].state, by_start[at(thursday, 19)].remaining) == ("shared", 12)
    assert (by_start[at(thursday, 8)].state, by_start[at(thursday, 8)].remaining) == ("free", 20)
    assert day.free_ranges() == [
        (at(thursday, 8), at(thursday, 9)),
        (at(thursday, 11), at(thursday, 12)),
        (at(thursday, 13), at(thursday, 19)),
    ]


def test_closed_days_and_past_slots(library, thursday):
    sunday = thursday + timedelta(days=3)
    assert availability(library, sunday).is_open is False
    day = availability(library, thursday, now=at(thursday, 9, 15))
    assert [s.state for s in day.slots[:4]] == [
        "past",
        "past",
        "free",
        "free",
    ]  # 09:00–09:30 is still going on


def test_week_costs_one_query(library, thursday):
    with CaptureQueriesContext(connection) as queries:
        days = week_availability(library, thursday)
    assert (len(queries), len(days), [d.is_open for d in days]) == (
        1,
        7,
        [True, True, True, False, True, True, True],
    )


def test_nearest_free_slots_skip_the_past_and_other_days(library, thursday):
    book(library, at(thursday, 8), at(thursday, 14), mode="borrow")
    book(library, at(thursday, 14), at(thursday, 21), mode="borrow")
    found = nearest_free_slots(library, at(thursday, 19), at(thursday, 21), mode="borrow", attendees=5,
                               now=at(thursday, 7))  # fmt: skip
    friday = thursday + timedelta(days=1)
    # Friday 08:00 is 13 h after the asked start, nearer than Friday 19:00; Wednesday is past.
    assert found == [(at(friday, 8), at(friday, 10)), (at(friday, 8, 30), at(friday, 10, 30)),
                     (at(friday, 9), at(friday, 11))]  # fmt: skip


def test_spaces_free_now(center, library, lounge, thursday):
    book(library, at(thursday, 9), at(thursday, 10))
    create_blackout(actor=None, center=center, space=lounge, starts_at=at(thursday, 15), ends_at=at(thursday, 16),
                    reason="检修")  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        free = spaces_free_now(center, now=at(thursday, 9, 30))
    assert len(queries) == 3
    assert [(f.space.name, f.until) for f in free] == [("休闲吧", at(thursday, 15))]
    free = spaces_free_now(center, now=at(thursday, 10))
    assert [(f.space.name, f.until) for f in free] == [
        ("党建图书馆", at(thursday, 21)),
        ("休闲吧", at(thursday, 15)),
    ]
    assert spaces_free_now(center, now=at(thursday, 22)) == []


@pytest.fixture
def dali(tree):
    return create_center(actor=None, organization=tree.far_branch, data={
        "name": "大理经开区党群活动服务中心", "slug": "dali-edz", "opening_hours": WEEK,
        "accepts_group_visits": True, "visit_capacity": 60, "visit_minutes": 90})  # fmt: skip


def visit(center, start, visitors, **kw):
    return request_group_visit(actor=kw.pop("actor", None), center=center, starts_at=start, visitors=visitors,
                               group_name=kw.pop("group", "第一党支部参观团"),
                               requester=kw.pop("requester", Requester.person("杨丽", "13908723456")),
                               channel=kw.pop("channel", Channel.PHONE), **kw)  # fmt: skip


def test_group_visits_share_the_centers_capacity(dali, thursday):
    first = visit(dali, at(thursday, 9, 30), 35)
    assert (first.status, first.ends_at, first.channel) == ("pending", at(thursday, 11), "phone")
    with pytest.raises(DomainError) as exc:
        visit(dali, at(thursday, 10), 30)
    assert (exc.value.code, exc.value.field, exc.value.status) == ("visits_full", "visitors", 409)
    assert "最多还可接待 25 人" in exc.value.message
    assert visit(dali, at(thursday, 10), 25).pk
    assert visit(dali, at(thursday, 11, 30), 60).pk  # both groups have left by 11:30
    assert GroupVisit.objects.count() == 3


@pytest.mark.parametrize(
    ("hour", "visitors", "code", "field"),
    [
        (9, 61, "over_capacity", "visitors"),
        (20, 10, "outside_hours", "starts_at"),
        (7, 10, "outside_hours", "starts_at"),
    ],
)
def test_group_visit_refusals(dali, thursday, hour, visitors, code, field):
    with pytest.raises(DomainError) as exc:
        visit(dali, at(thursday, hour), visitors)
    assert (exc.value.code, exc.value.field) == (code, field)
    assert GroupVisit.objects.count() == 0


def test_group_visits_only_where_accepted(center, thursday):
    with pytest.raises(DomainError) as exc:
        visit(center, at(thursday, 10), 10)
    assert (exc.value.code, exc.value.field) == ("no_visits", "center")


def test_group_visit_decisions(dali, thursday, tree):
    staff = make_user(grants=[(tree.far_county, "center_staff")])
    first = visit(dali, at(thursday, 9, 30), 20)
    assert decide_group_visit(actor=staff, visit=first, accept=True).status == "accepted"
    second = visit(dali, at(thursday, 14), 20)
    with pytest.raises(DomainError) as exc:
        decide_group_visit(actor=staff, visit=second, accept=False)
    assert exc.value.field == "decision_note"
    with pytest.raises(DomainError) as exc:
        cancel_group_visit(actor=None, visit=second, public_code="nope")
    assert exc.value.status == 403
    assert cancel_group_visit(actor=None, visit=second, public_code=second.public_code).status == "cancelled"
    outsider = make_user(grants=[(tree.community, "center_staff")])
    with pytest.raises(DomainError) as exc:
        decide_group_visit(actor=outsider, visit=first, accept=False, note="x")
    assert exc.value.status == 403
