"""Fixtures of the centers tests: the 金领 center (on the property branch) with its 党建图书馆."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from dangqun.centers.services import create_center, create_space

WEEK = {day: ["08:00", "21:00"] for day in ("mon", "tue", "wed", "thu", "fri", "sat")}  # Sunday closed


def next_weekday(weekday: int, *, at_least: int = 2) -> date:
    """The first `weekday` (0 = Monday) at least `at_least` days from today."""
    day = timezone.localdate() + timedelta(days=at_least)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def thursday() -> date:
    return next_weekday(3)


@pytest.fixture
def center(tree):
    return create_center(
        actor=None,
        organization=tree.branch,
        data={
            "name": "“金领”党群服务中心",
            "slug": "jinling",
            "address": "招银大厦副楼大厅",
            "opening_hours": WEEK,
        },
    )


@pytest.fixture
def library(center):
    return create_space(
        actor=None,
        center=center,
        data={"name": "党建图书馆", "capacity": 20, "allows_sharing": True, "equipment": "投影仪"},
    )


@pytest.fixture
def lounge(center):
    return create_space(
        actor=None,
        center=center,
        data={"name": "休闲吧", "capacity": 30, "auto_accept": True, "sort_order": 1},
    )


@pytest.fixture
def far_center(tree):
    return create_center(
        actor=None,
        organization=tree.far_branch,
        data={"name": "金源花园党群活动室", "slug": "jinyuan", "opening_hours": WEEK},
    )


@pytest.fixture(autouse=True)
def fresh_rule_memo():
    """The booking rules are remembered for 30 s per process; every test starts from the database."""
    from dangqun.centers import rules

    rules.forget()
    yield
    rules.forget()
