"""Builders for the activities tests (through the services, like the demo)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from dangqun.accounts.devices import register_device
from dangqun.activities.services.activities import create_activity
from dangqun.people.models import Person
from dangqun.people.services import link_user, register_person
from dangqun.testing.factories import make_id_number, make_user, member_data

_seq = itertools.count(100)


def at(days: float = 0, hours: float = 0) -> datetime:
    """Now plus an offset, on a whole minute."""
    return (timezone.now() + timedelta(days=days, hours=hours)).replace(second=0, microsecond=0)


def make_member(organization, name: str, *, status: str = "formal", post: str = "", user=None) -> Person:
    seq = next(_seq)
    data = member_data(
        name,
        id_number=make_id_number(date(1970 + seq % 20, 1 + seq % 12, 1 + seq % 27), seq=seq),
        mobile=f"139{seq:08d}",
        status=status,
        joined_on=date(2010, 7, 1),
        post=post,
    )
    if status == "probationary":
        data["probation_ends_on"] = date(2027, 7, 1)
    person = register_person(actor=None, organization=organization, data=data)
    if user is not None:
        person = link_user(actor=None, person=person, user=user)
    return person


def make_activity(organization, *, type_code: str = "theme_day", starts: datetime | None = None, hours: float = 2,
                  publish: bool = True, **values):  # fmt: skip
    starts = starts or at(hours=1)
    values.setdefault("title", "测试活动")
    values.setdefault("place_text", "党员活动室")
    return create_activity(
        actor=None,
        organization=organization,
        activity_type=type_code,
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        publish=publish,
        **values,
    )


def make_device(organization, name: str = "签到扫码枪"):
    device, token = register_device(actor=None, organization=organization, name=name, kind="scanner")
    device.token = token
    return device


@dataclass
class People:
    """Members of the property branch with logins: 杨志宇 (secretary), 刘慧 (member)."""

    secretary_user: object
    member_user: object
    yang: Person
    liu: Person

    @classmethod
    def build(cls, tree) -> People:
        secretary_user = make_user("yangzhiyu", grants=[(tree.branch, "secretary")])
        member_user = make_user("liuhui", grants=[(tree.branch, "member")])
        yang = make_member(tree.branch, "杨志宇", post="支部书记", user=secretary_user)
        liu = make_member(tree.branch, "刘慧", user=member_user)
        return cls(secretary_user, member_user, yang, liu)
