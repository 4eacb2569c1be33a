"""Demo data of the activities app, through the services (actor None), idempotent.

- 世邦魏理仕物业党支部: this month's 主题党日 in the "金领" center's 党建图书馆 (public, open for
  registration: journey 1), a 支部党员大会 this quarter with sign-in, absences, a vote and an
  approved record, and its monthly meetings;
- 大观街道's other branches: enough meetings this quarter that the compliance page shows green,
  amber and red branches (journey 6);
- 西山区纪委监委: the “清风西山” 主题党日 series;
- 金源花园: the 老年人协会's 道德讲堂 on the community's activity list (journey 7).

Dates are computed from today: the meetings lie in the months of the current quarter before this
month (or, in a quarter's first month, in the previous quarter) and earlier this month. Every
activity is found by (organizer, title) before it is created, so a second run writes nothing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from dangqun.activities.catalog import ensure_catalog
from dangqun.activities.enums import Period, RecordStatus
from dangqun.activities.models import Activity, ActivitySeries, Registration
from dangqun.activities.periods import month_start, span_of
from dangqun.activities.selectors.records import attendance
from dangqun.activities.services.activities import create_activity, create_series, finish_activity
from dangqun.activities.services.attendance import enter_paper_sheet
from dangqun.activities.services.records import (
    add_attachment,
    record_vote,
    review_record,
    set_absence,
    start_record,
    submit_record,
    update_record,
)
from dangqun.activities.services.registrations import register_person
from dangqun.centers.services.bookings import SlotTaken
from dangqun.core.dates import add_months
from dangqun.people.models import Person

GREEN, AMBER, RED = "green", "amber", "red"
# 大观街道's branches and how they keep 三会一课 in the demo.
DAGUAN_BRANCHES = [
    ("cbre", GREEN),
    ("sc1", GREEN),
    ("new_class", GREEN),
    ("tower_joint", AMBER),
    ("sc2", RED),
]


@dataclass
class Clock:
    now: datetime
    today: date
    months: list[date]  # the months of history: this quarter before this month (or last quarter)
    this_month: date

    @classmethod
    def from_now(cls) -> Clock:
        now = timezone.localtime()
        today = now.date()
        this_month = month_start(today)
        quarter = span_of(Period.QUARTER, today)
        months = [m for m in quarter.months if m < this_month] or quarter.previous().months
        return cls(now, today, months, this_month)

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    def earlier_this_month(self) -> date | None:
        """A day of this month before today (five days back at most), or None on the 1st."""
        if self.today.day == 1:
            return None
        return max(self.this_month, self.today - timedelta(days=5))


def _photo(seed: int) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 200), (200 - seed % 60, 40 + seed % 80, 50))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 300, 180), outline=(255, 230, 160), width=4)
    draw.text((40, 90), f"DANGQUN DEMO {seed}", fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _members(organization, limit: int = 40) -> list[Person]:
    return list(
        Person.objects.filter(org_path__under=organization.path, party_profile__isnull=False).order_by("id")[
            :limit
        ]
    )


class Builder:
    def __init__(self, result, clock: Clock):
        self.result = result
        self.orgs = result.orgs
        self.clock = clock
        self.created = 0

    def person(self, key: str) -> Person | None:
        pk = self.result.people_by_key.get(key)
        return Person.objects.filter(pk=pk).first() if pk else None

    def activity(
        self, org_key: str, title: str, type_code: str, starts: datetime, hours: float = 2, **values
    ):
        organization = self.orgs[org_key]
        found = Activity.objects.filter(organization=organization, title=title).first()
        if found is not None:
            return found, False
        values.setdefault("place_text", "党员活动室")
        activity = create_activity(
            actor=None, organization=organization, activity_type=type_code, title=title, starts_at=starts,
            ends_at=starts + timedelta(hours=hours), publish=True, **values,
        )  # fmt: skip
        self.created += 1
        return activity, True

    def held(self, org_key: str, title: str, type_code: str, starts: datetime, *, record: str = RecordStatus.SUBMITTED,
             attendance: float = 0.8, **values):  # fmt: skip
        """A meeting that took place: sign-in from the paper sheet, finished, and its record."""
        activity, new = self.activity(org_key, title, type_code, starts, **values)
        if not new:
            return activity
        people = _members(activity.organization)
        present = people[: max(1, round(len(people) * attendance))] if people else []
        if present:
            enter_paper_sheet(
                actor=None, activity=activity, person_ids=[p.pk for p in present], signed_at=starts
            )
        finish_activity(actor=None, activity=activity, now=max(activity.ends_at, starts))
        if record != "none":
            self.record(activity, present, people, status=record)
        return activity

    def record(self, activity, present, people, *, status: str, vote: bool = False):
        record = start_record(actor=None, activity=activity)
        host = present[0] if present else None
        update_record(
            actor=None,
            record=record,
            host=host,
            host_name="" if host else "支部书记",
            recorder=present[1] if len(present) > 1 else host,
            recorder_name="" if host else "组织委员",
            plan=f"{activity.title}：学习传达上级精神，交流讨论，安排下阶段工作。",
            notes="一、学习党章和《中国共产党支部工作条例（试行）》有关内容；\n二、党员逐一发言交流；\n三、研究下阶段工作。",
            minutes=f"会议由{host.name if host else '支部书记'}主持，应到、实到人数见签到表。会议学习了有关文件，研究了支部近期工作。",
        )
        expected_ids = attendance(activity, record).expected_ids
        for person in people:
            if person.pk in expected_ids and person not in present and len(record.absences.all()) < 2:
                set_absence(
                    actor=None, record=record, person=person, reason="duty", detail="外出公干，已请假"
                )
        if activity.activity_type_id == "theme_day":
            add_attachment(actor=None, record=record, kind="photo", name="活动现场.png", data=_photo(activity.pk),
                           caption="活动现场")  # fmt: skip
        voting_present = attendance(activity, record).voting_present
        if vote and voting_present:
            record_vote(actor=None, record=record, kind="ordinary", subject="通过支部下季度工作计划",
                        yes=voting_present - 1, abstain=1 if voting_present > 1 else 0)  # fmt: skip
        if status in (RecordStatus.SUBMITTED, RecordStatus.APPROVED):
            submit_record(actor=None, record=record)
        if status == RecordStatus.APPROVED:
            review_record(actor=None, record=record, approve=True, comment="记录完整，同意。")
        return record


def _label(month: date) -> str:
    return f"{month.year}年{month.month}月"


def _meetings_of_branch(b: Builder, key: str, color: str) -> None:
    clock = b.clock
    name = b.orgs[key].name
    for index, month in enumerate(clock.months):
        if color == RED:
            continue  # nothing held: the months gone by are missed
        record = RecordStatus.SUBMITTED
        if color == AMBER and index == len(clock.months) - 1:
            record = RecordStatus.DRAFT  # held, the record not yet submitted
        b.held(
            key,
            f"{_label(month)}主题党日",
            "theme_day",
            clock.at(month + timedelta(days=9), 15),
            record=record,
        )
        b.held(key, f"{_label(month)}支委会", "branch_committee", clock.at(month + timedelta(days=4), 17, 30),
               record=RecordStatus.SUBMITTED)  # fmt: skip
    if color != RED:
        quarter = clock.months[0]
        title = f"{quarter.year}年第{(quarter.month - 1) // 3 + 1}季度支部党员大会"
        if key != "cbre":  # the property branch's assembly is built with its vote below
            b.held(
                key,
                title,
                "branch_assembly",
                clock.at(quarter + timedelta(days=14), 16),
                record=RecordStatus.APPROVED,
            )
        year_start = date(clock.months[0].year, 1, 1)
        b.held(key, f"{year_start.year}年度组织生活会", "org_life_meeting", clock.at(clock.months[0] + timedelta(days=20), 14),
               hours=3)  # fmt: skip
        b.held(key, f"{year_start.year}年度民主评议党员", "democratic_appraisal",
               clock.at(clock.months[0] + timedelta(days=21), 14), hours=3)  # fmt: skip
    earlier = clock.earlier_this_month()
    if earlier is not None and color == GREEN:
        b.held(key, f"{_label(clock.this_month)}支委会", "branch_committee", clock.at(earlier, 8, 0), hours=1)
        if key != "cbre":  # the property branch's 主题党日 of this month is still to come (journey 1)
            b.held(key, f"{_label(clock.this_month)}主题党日", "theme_day", clock.at(earlier, 9, 30))
    _ = name


def _cbre(b: Builder) -> None:
    clock = b.clock
    quarter = clock.months[0]
    title = f"{quarter.year}年第{(quarter.month - 1) // 3 + 1}季度支部党员大会"
    if not Activity.objects.filter(organization=b.orgs["cbre"], title=title).exists():
        activity, _new = b.activity("cbre", title, "branch_assembly", clock.at(quarter + timedelta(days=14), 16),
                                    place_text="招银大厦 12 楼会议室")  # fmt: skip
        people = _members(activity.organization)
        present = people[: max(1, len(people) - 2)]
        enter_paper_sheet(
            actor=None, activity=activity, person_ids=[p.pk for p in present], signed_at=activity.starts_at
        )
        finish_activity(actor=None, activity=activity, now=activity.ends_at)
        b.record(activity, present, people, status=RecordStatus.APPROVED, vote=True)

    # This month's 主题党日 in the “金领” center (journey 1): public, open for registration.
    title = f"{_label(clock.this_month)}主题党日：重温入党誓词·楼宇党员交流"
    starts = _upcoming_this_month(clock)
    space = _jinling_space()
    values = {"audience": "public", "capacity": 30, "description": (
        "世邦魏理仕物业党支部联合招银大厦各入驻企业党员开展主题党日：重温入党誓词，交流学习体会。"
        "欢迎所在企业尚未建立党组织的党员报名参加。"
    )}  # fmt: skip
    fallback = {"place_text": "招银大厦“金领”党群服务中心 党建图书馆"}
    try:  # the activity reserves the space; should the slot be taken, name the place in text
        activity, new = b.activity("cbre", title, "theme_day", starts, **values,
                                   **({"space": space, "place_text": ""} if space is not None else fallback))  # fmt: skip
    except SlotTaken:
        activity, new = b.activity("cbre", title, "theme_day", starts, **values, **fallback)
    if new:
        yang = b.person("yangzhiyu")
        if yang is not None:
            register_person(actor=None, activity=activity, person=yang)
        for person in _members(activity.organization, 6):
            if person.pk not in b.result.people_by_key.values():
                if not Registration.objects.filter(activity=activity, person=person).exists():
                    register_person(actor=None, activity=activity, person=person)


def _upcoming_this_month(clock: Clock) -> datetime:
    """Later this month (two days ahead when the month allows, else today in the evening)."""
    end = add_months(clock.this_month, 1) - timedelta(days=1)
    day = min(clock.today + timedelta(days=2), end)
    starts = clock.at(day, 14, 30)
    if starts < clock.now + timedelta(hours=1):
        starts = (clock.now + timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
    return starts


def _jinling_space():
    from dangqun.centers.models import Space

    return Space.objects.filter(center__slug="jinling", name="党建图书馆").select_related("center").first()


def _xishan_series(b: Builder) -> None:
    organization = b.orgs["xs_cdi_branch"]
    series = ActivitySeries.objects.filter(organization=organization, name="“清风西山”主题党日").first()
    if series is None:
        series = create_series(actor=None, organization=organization, name="“清风西山”主题党日",
                               description="西山区纪委监委机关党支部每月一次的主题党日系列：廉政教育、警示教育、走进基层。")  # fmt: skip
        b.created += 1
    topics = ["参观廉政教育基地", "观看警示教育片并交流", "走进社区听民声"]
    for index, month in enumerate(b.clock.months[-2:]):
        b.held("xs_cdi_branch", f"“清风西山”主题党日（{_label(month)}）：{topics[index % 3]}", "theme_day",
               b.clock.at(month + timedelta(days=11), 14, 30), series=series, record=RecordStatus.APPROVED)  # fmt: skip
    upcoming = add_months(b.clock.this_month, 1) + timedelta(days=11)
    b.activity("xs_cdi_branch", f"“清风西山”主题党日（{_label(upcoming)}）：{topics[2]}", "theme_day",
               b.clock.at(upcoming, 14, 30), series=series, place_text="西山区纪委监委 三楼会议室")  # fmt: skip


def _jinyuan(b: Builder) -> None:
    """The 老年人协会's 道德讲堂 in 金源花园 (one held last month, one to come)."""
    clock = b.clock
    last = clock.months[-1]
    place = "陆良县同乐街道西华社区 金源花园二期 老年人活动室"
    b.held("elders", f"道德讲堂（{_label(last)}）：孝老爱亲 邻里和睦", "moral_lecture",
           clock.at(last + timedelta(days=14), 9, 30), audience="public", place_text=place, record="none")  # fmt: skip
    b.activity("elders", f"道德讲堂（{_label(clock.this_month)}）：诚实守信 好家风", "moral_lecture",
               _upcoming_this_month(clock), audience="public", place_text=place, capacity=60,
               description="金源花园老年人协会主办：身边好人讲身边事，欢迎小区居民参加。")  # fmt: skip


def load(result) -> int:
    ensure_catalog()
    builder = Builder(result, Clock.from_now())
    for key, color in DAGUAN_BRANCHES:
        _meetings_of_branch(builder, key, color)
    _cbre(builder)
    _xishan_series(builder)
    _jinyuan(builder)
    return builder.created
