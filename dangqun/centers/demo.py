"""Demo data of the centers app: the seed's three centers, their spaces, and bookings this week.

Built through the services (actor None, the system channel), idempotent: each center is found by
slug, each space by name, each booking by space + purpose + start, each visit by group + start.
Dates are computed from today (always in the future, as the services require): "the coming
Thursday" is 1–7 days ahead, so the journey-3 salon is always bookable and visible this week.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from dangqun.buildings.models import Enterprise
from dangqun.centers.enums import BookingMode, Channel
from dangqun.centers.models import Blackout, Booking, GroupVisit, ServiceCenter, Space
from dangqun.centers.services import (
    Requester,
    create_blackout,
    create_center,
    create_space,
    request_booking,
    request_group_visit,
    request_series,
)
from dangqun.people.models import Person

DAILY = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _hours(weekdays: tuple[str, str], weekend: tuple[str, str] | None) -> dict:
    hours = {day: list(weekdays) for day in DAILY[:5]}
    if weekend:
        hours.update({day: list(weekend) for day in DAILY[5:]})
    return hours


# (slug, organization key, center fields, [(space name, space fields)])
CENTERS = [
    ("jinling", "cbre", {
        "name": "“金领”党群服务中心",
        "address": "昆明市五华区顺城片区 招银大厦副楼大厅",
        "opening_hours": _hours(("08:30", "21:00"), ("09:00", "17:00")),
        "description": "大观街道党工委在招银大厦建成的全省首个以物业牵头的楼宇“金领”党群服务中心，"
                       "面向楼宇企业员工乃至整个顺城金融圈开放；中午休息或下班后都可以来休息、学习。",
    }, [
        ("休闲吧", {"capacity": 30, "equipment": "沙发、茶水、无线网络", "auto_accept": True, "allows_sharing": True,
                 "description": "午间和下班后的休息交流空间。"}),
        ("心愿墙", {"bookable": False, "description": "微心愿展示墙：群众许愿，党员认领。"}),
        ("喜马拉雅声音图书馆", {"capacity": 6, "equipment": "有声读物终端、降噪耳机", "auto_accept": True,
                         "description": "扫码即听的有声图书馆。"}),
        ("党建图书馆", {"capacity": 20, "equipment": "投影仪、音响、党建书架", "allows_sharing": True,
                   "description": "党建读物与学习空间，可举办沙龙、读书会、党课。"}),
    ]),
    ("dali-edz", "dali_edz", {
        "name": "大理经开区党群活动服务中心",
        "address": "大理经济技术开发区创业园内",
        "floor_area_m2": 2700,
        "opening_hours": _hours(("09:00", "17:30"), ("09:00", "17:30")),
        "accepts_group_visits": True, "visit_capacity": 60, "visit_minutes": 90,
        "description": "以大理白族民居“三坊一照壁、四合五天井”为主线命名各功能布局，"
                       "免费向各级党组织、党员、基层干部、入党积极分子和群众开放。",
    }, [
        ("党史坊", {"capacity": 40, "equipment": "党史展陈、讲解设备", "allows_sharing": True, "description": "“三坊”之一。"}),
        ("党示坊", {"capacity": 40, "equipment": "展板、电子屏", "allows_sharing": True, "description": "“三坊”之一。"}),
        ("党视坊", {"capacity": 60, "equipment": "投影、音响、座椅", "description": "“三坊”之一，影音学习室。"}),
        ("向心壁", {"bookable": False, "description": "“一照壁”。"}),
        ("乡愁小院", {"capacity": 80, "allows_sharing": True, "description": "“四合”：庭院活动空间。"}),
    ]),
    ("mekong", "mekong", {
        "name": "云南湄公河集团党群活动中心",
        "address": "普洱市思茅区 云南湄公河集团有限公司",
        "floor_area_m2": 600,
        "opening_hours": _hours(("08:30", "21:00"), ("08:30", "21:00")),
        "description": "集团党总支高标准建设的 600 平方米党群活动中心，设“云岭先锋”党建书架和“全国工会职工书屋”。",
    }, [
        ("“云岭先锋”党建书架", {"bookable": False, "description": "规范建设的党建书架。"}),
        ("全国工会职工书屋", {"capacity": 40, "auto_accept": True, "allows_sharing": True, "equipment": "上万册图书、阅览桌",
                       "description": "收集上万册党建、政论、科技、业务图书。"}),
    ]),
]  # fmt: skip


def coming(weekday: int, today: date) -> date:
    """The next `weekday` strictly after today (1–7 days ahead)."""
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _at(day: date, hh: int, mm: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hh, mm)))


def _center(result, slug: str, org_key: str, fields: dict) -> tuple[ServiceCenter, int]:
    center = ServiceCenter.objects.filter(slug=slug).first()
    if center is not None:
        return center, 0
    staff = (
        Person.objects.filter(pk=result.people_by_key.get("centerstaff")).first()
        if slug == "jinling"
        else None
    )
    data = {"slug": slug, **fields}
    if staff is not None:
        data.update(contact_name=staff.name, phone=staff.mobile)
    return create_center(actor=None, organization=result.orgs[org_key], data=data), 1


def _book(space: Space, starts_at, ends_at, mode, purpose, attendees, requester, *, accept=True) -> int:
    if Booking.objects.filter(space=space, purpose=purpose, starts_at=starts_at).exists():
        return 0
    request_booking(actor=None, space=space, starts_at=starts_at, ends_at=ends_at, mode=mode, purpose=purpose,
                    attendees=attendees, requester=requester, channel=Channel.SYSTEM, auto_accept=accept)  # fmt: skip
    return 1


def load(result) -> int:
    created = 0
    spaces: dict[tuple[str, str], Space] = {}
    centers: dict[str, ServiceCenter] = {}
    for slug, org_key, fields, space_specs in CENTERS:
        center, n = _center(result, slug, org_key, fields)
        created += n
        centers[slug] = center
        for order, (name, space_fields) in enumerate(space_specs):
            space = Space.objects.filter(center=center, name=name).select_related("center").first()
            if space is None:
                space = create_space(
                    actor=None, center=center, data={"name": name, "sort_order": order, **space_fields}
                )
                created += 1
            spaces[(slug, name)] = space

    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    orgs = result.orgs
    liuhui = Person.objects.filter(pk=result.people_by_key.get("liuhui")).first()
    bank = Enterprise.objects.filter(name="大华银行昆明分行").first()
    library = spaces[("jinling", "党建图书馆")]
    thursday = coming(3, today)
    created += _book(library, _at(thursday, 19), _at(thursday, 21), BookingMode.SHARED, "读书沙龙：新阶层青年读书会", 8,
                     Requester.of_organization(orgs["guihai"]))  # fmt: skip
    friday = coming(4, today)
    if bank is not None:
        created += _book(library, _at(friday, 10), _at(friday, 11, 30), BookingMode.BORROW, "新员工入职培训", 20,
                         Requester.of_enterprise(bank, name="王敏", mobile="13808712345"), accept=False)  # fmt: skip
    created += _book(spaces[("jinling", "休闲吧")], _at(tomorrow, 12), _at(tomorrow, 13, 30), BookingMode.SHARED,
                     "午间青年交流会", 15, Requester.of_organization(orgs["tower_youth"]))  # fmt: skip
    if liuhui is not None:
        after = tomorrow + timedelta(days=1)
        created += _book(spaces[("jinling", "喜马拉雅声音图书馆")], _at(after, 12, 30), _at(after, 13, 30),
                         BookingMode.FREE_USE, "午休听书", 1, Requester.person(liuhui.name, liuhui.mobile))  # fmt: skip
    tuesday = coming(1, today)
    salon = "HRP职业发展沙龙"
    if not Booking.objects.filter(space=library, purpose=salon, starts_at=_at(tuesday, 18, 30)).exists():
        request_series(actor=None, space=library, starts_at=_at(tuesday, 18, 30), ends_at=_at(tuesday, 20, 30), count=4,
                       mode=BookingMode.SHARED, purpose=salon, attendees=10, requester=Requester.of_organization(orgs["hrp"]),
                       channel=Channel.SYSTEM, auto_accept=True)  # fmt: skip
        created += 4

    saturday = coming(5, today)
    created += _book(spaces[("dali-edz", "乡愁小院")], _at(saturday, 15), _at(saturday, 17), BookingMode.SHARED,
                     "乡愁故事会", 30, Requester.of_organization(orgs["dali_park"]))  # fmt: skip
    dali = centers["dali-edz"]
    visits = [
        (coming(2, today), 9, 30, "大理经开区创业园第一党支部 主题党日参观", 35,
         Requester.person("杨丽", "13908723456"), Channel.PHONE),  # pending: staff confirm the guide
        (saturday, 14, 0, "大理经开区创业园第二党支部 参观学习", 50,
         Requester.of_organization(orgs["dali_park2"]), Channel.SYSTEM),  # confirmed
    ]  # fmt: skip
    for day, hh, mm, group, visitors, requester, channel in visits:
        if not GroupVisit.objects.filter(center=dali, group_name=group, starts_at=_at(day, hh, mm)).exists():
            request_group_visit(actor=None, center=dali, starts_at=_at(day, hh, mm), visitors=visitors,
                                group_name=group, requester=requester, channel=channel)  # fmt: skip
            created += 1

    bookhouse = spaces[("mekong", "全国工会职工书屋")]
    created += _book(bookhouse, _at(tomorrow, 18), _at(tomorrow, 20), BookingMode.SHARED, "职工读书分享会", 25,
                     Requester.of_organization(orgs["mekong_union"]))  # fmt: skip
    monday = coming(0, today)
    reason = "图书盘点"
    if not Blackout.objects.filter(
        center=bookhouse.center, reason=reason, starts_at=_at(monday, 8, 30)
    ).exists():
        create_blackout(actor=None, center=bookhouse.center, space=bookhouse, starts_at=_at(monday, 8, 30),
                        ends_at=_at(monday, 12), reason=reason)  # fmt: skip
        created += 1
    return created
