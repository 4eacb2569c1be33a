"""Builders of the portal's test data (used by the fixtures and by the browser tests): the 金领
center with spaces, a catalog, today's activities, members with logins, and a wall with wishes in
every public state. All through the owning apps' services."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from dangqun.accounts.devices import register_device
from dangqun.activities.catalog import ensure_catalog
from dangqun.activities.services.activities import create_activity
from dangqun.centers.services import create_center, create_space
from dangqun.people.services import link_user, register_person
from dangqun.servicedesk import services as desk
from dangqun.servicedesk.enums import PromiseUnit
from dangqun.testing.factories import build_tree, make_id_number, make_user, member_data

EVERY_DAY = {day: ["08:00", "21:00"] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
WISHER = ("王秀英", "13888041267")
_seq = itertools.count(300)


def make_member(organization, name: str, *, username: str | None = None, grants=()):
    seq = next(_seq)
    user = make_user(username, display_name=name, grants=grants) if username else None
    person = register_person(
        actor=None,
        organization=organization,
        data=member_data(
            name,
            id_number=make_id_number(date(1960 + seq % 20, 1 + seq % 12, 1 + seq % 27), seq=seq),
            mobile=f"139{seq:08d}",
        ),
    )
    if user is not None:
        person = link_user(actor=None, person=person, user=user)
    return person, user


@dataclass
class Place:
    tree: object
    center: object
    library: object
    lounge: object
    wall_space: object
    registration: object  # the 代办企业登记注册 item
    consult: object
    theme_day: object  # the property branch's 主题党日, at the library, today
    salon: object  # a public salon this month (guests may register)
    liuhui: object  # user
    liu: object  # person
    yang_user: object


def build_place(tree=None) -> Place:
    """The center, its spaces and catalog, today's 主题党日 and a public salon, 刘慧 and 杨志宇."""
    ensure_catalog()
    tree = tree or build_tree()
    center = create_center(
        actor=None,
        organization=tree.community,
        data={
            "name": "“金领”党群服务中心",
            "slug": "jinling",
            "address": "招银大厦副楼大厅",
            "opening_hours": EVERY_DAY,
            "phone": "0871-63161234",
        },
    )
    library = create_space(
        actor=None,
        center=center,
        data={"name": "党建图书馆", "capacity": 20, "allows_sharing": True, "equipment": "投影仪"},
    )
    lounge = create_space(
        actor=None,
        center=center,
        data={"name": "休闲吧", "capacity": 30, "auto_accept": True, "sort_order": 1},
    )
    wall_space = create_space(
        actor=None, center=center, data={"name": "心愿墙", "bookable": False, "capacity": 0, "sort_order": 2}
    )
    registration = desk.create_service_item(
        actor=None,
        center=center,
        data={
            "code": "jinling-registration",
            "name": "代办企业登记注册",
            "group": "企业服务",
            "target_groups": ["enterprise"],
            "required_materials": ["登记申请书", "法定代表人身份证复印件"],
            "promise_value": 5,
            "promise_unit": PromiseUnit.WORKING_DAYS,
            "description": "帮助入驻企业代办设立、变更、分支机构登记。",
        },
    )
    consult = desk.create_service_item(
        actor=None,
        center=center,
        data={"code": "jinling-consult", "name": "政策咨询", "group": "企业服务", "sort_order": 1},
    )
    now = timezone.now().replace(second=0, microsecond=0)
    theme_day = create_activity(
        actor=None,
        organization=tree.branch,
        activity_type="theme_day",
        title="主题党日：学习贯彻党的二十届四中全会精神",
        space=library,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=3),
        publish=True,
    )
    salon = create_activity(
        actor=None,
        organization=tree.community,
        activity_type="salon",
        title="楼宇青年读书沙龙",
        space=lounge,
        audience="public",
        capacity=2,
        starts_at=now - timedelta(minutes=30),
        ends_at=now + timedelta(hours=2),
        publish=True,
    )
    liu, liuhui = make_member(tree.branch, "刘慧", username="liuhui", grants=[(tree.branch, "member")])
    _yang, yang_user = make_member(
        tree.branch, "杨志宇", username="yangzhiyu", grants=[(tree.branch, "secretary")]
    )
    return Place(
        tree,
        center,
        library,
        lounge,
        wall_space,
        registration,
        consult,
        theme_day,
        salon,
        liuhui,
        liu,
        yang_user,
    )


def post_wish(center, title: str, *, approve: bool = True, **kwargs):
    posted = desk.post_wish(
        actor=None, center=center, title=title, name=WISHER[0], mobile=WISHER[1], **kwargs
    )
    if approve:
        desk.approve_wish(actor=None, wish=posted.wish)
    return posted


def build_wall(place: Place) -> dict:
    """An open wish, one claimed by 杨志宇, one thanked (with a consented name), one pending."""
    radio = post_wish(place.center, "想要一台收音机", description="退休在家，想听听新闻和滇剧。")
    phone = post_wish(place.center, "想学用智能手机视频通话")
    desk.claim_wish(actor=place.yang_user, wish=phone.wish)
    glasses = post_wish(place.center, "想要一副老花镜", consent_name_shown=True, shown_name="李奶奶")
    desk.claim_wish(actor=place.yang_user, wish=glasses.wish)
    desk.fulfil_wish(actor=place.yang_user, wish=glasses.wish, note="已送到家里。")
    desk.confirm_wish(wish=glasses.wish, token=glasses.token, thanks="谢谢党员同志！", rating=5)
    pending = post_wish(place.center, "想要一套大字版象棋", approve=False)
    return {"radio": radio, "phone": phone, "glasses": glasses, "pending": pending}


def build_kiosk_device(place: Place):
    """A registered kiosk of the community (its token kept on the object for the tests)."""
    device, token = register_device(
        actor=None, organization=place.tree.community, name="大厅办事通 1 号", kind="kiosk"
    )
    device.token = token
    return device
