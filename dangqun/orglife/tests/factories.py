"""Builders for the orglife tests, through the services (like the demo).

`World` is a district like 晋宁区 on the shared test tree: 五华区委 (the district) with a
“五华区委组织部” department; a 区级领导 in the property branch (committee: 顺城社区党委) whose
contact point is 大观社区第一党支部; the secretaries of both branches, the committee's reviewer and
the department, each with a login.
"""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from PIL import Image

from dangqun.activities.services.activities import create_activity, finish_activity
from dangqun.activities.services.attendance import enter_paper_sheet
from dangqun.activities.services.records import (
    add_attachment,
    review_record,
    start_record,
    submit_record,
    update_record,
)
from dangqun.orglife import services
from dangqun.orglife.quarters import Quarter
from dangqun.orgs.services import create_organization
from dangqun.people.models import Person
from dangqun.people.services import link_user, register_person
from dangqun.testing.factories import make_id_number, make_user, member_data

_seq = itertools.count(300)


def make_member(organization, name: str, *, cadre_level: str = "", post: str = "", user=None) -> Person:
    seq = next(_seq)
    data = member_data(
        name,
        id_number=make_id_number(date(1960 + seq % 15, 1 + seq % 12, 1 + seq % 27), seq=seq),
        mobile=f"137{seq:08d}",
        joined_on=date(2000, 7, 1),
        post=post,
        cadre_level=cadre_level,
    )
    person = register_person(actor=None, organization=organization, data=data)
    if user is not None:
        person = link_user(actor=None, person=person, user=user)
    return person


def local(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def photo_bytes(seed: int = 0) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (seed % 256, 90, 40)).save(out, "JPEG")
    return out.getvalue()


def held_meeting(organization, *, starts: datetime, attendees=(), type_code: str = "org_life_meeting",
                 title: str = "2025年度组织生活会", host=None, audience: str | None = None, record: bool = True,
                 photos: int = 1):  # fmt: skip
    """A meeting that took place: published, signed in on the paper sheet, finished, recorded."""
    values = {"audience": audience} if audience else {}
    activity = create_activity(
        actor=None, organization=organization, activity_type=type_code, title=title, place_text="党员活动室",
        starts_at=starts, ends_at=starts + timedelta(hours=2), publish=True, **values,
    )  # fmt: skip
    if attendees:
        enter_paper_sheet(
            actor=None, activity=activity, person_ids=[p.pk for p in attendees], signed_at=starts
        )
    activity = finish_activity(actor=None, activity=activity, now=starts + timedelta(hours=3))
    if record:
        rec = start_record(actor=None, activity=activity)
        names = {"host": host} if host is not None else {"host_name": "赵敏"}
        update_record(
            actor=None,
            record=rec,
            recorder_name="记录员",
            plan="会议议程。",
            minutes="学习党章，开展批评与自我批评。",
            **names,
        )
        for index in range(photos):
            add_attachment(
                actor=None, record=rec, kind="photo", name=f"会议{index}.jpg", data=photo_bytes(index)
            )
        rec = submit_record(actor=None, record=rec)
        review_record(actor=None, record=rec, approve=True)
    return activity


@dataclass
class World:
    tree: object
    department: object  # 五华区委组织部
    cadre: Person  # 区级领导, 世邦 branch
    cadre_user: object
    township: Person  # 乡科级 cadre, same branch
    secretary: Person
    secretary_user: object
    contact_secretary_user: object
    committee_user: object  # review_filings on 顺城社区党委
    department_user: object  # review_filings on the district (区委组织部)
    far_user: object  # review_filings in another county
    quarter: Quarter

    @classmethod
    def build(cls, tree) -> World:
        department = create_organization(
            actor=None, parent=tree.district, name="五华区委组织部", kind="department"
        )
        cadre_user = make_user("cadre", display_name="王建国")
        cadre = make_member(tree.branch, "王建国", cadre_level="county", post="区委常委", user=cadre_user)
        township = make_member(tree.branch, "李卫东", cadre_level="township")
        secretary_user = make_user("secretary", grants=[(tree.branch, "secretary")])
        secretary = make_member(tree.branch, "杨志宇", post="支部书记", user=secretary_user)
        contact_secretary_user = make_user("contactsec", grants=[(tree.other_branch, "secretary")])
        make_member(tree.other_branch, "赵敏", post="支部书记", user=contact_secretary_user)
        committee_user = make_user("committee", grants=[(tree.community, "secretary")])
        department_user = make_user("department", grants=[(tree.district, "org_admin")])
        far_user = make_user("far", grants=[(tree.far_county, "org_admin")])
        quarter = Quarter.of(timezone.localdate()).previous()
        return cls(tree, department, cadre, cadre_user, township, secretary, secretary_user, contact_secretary_user,
                   committee_user, department_user, far_user, quarter)  # fmt: skip

    @property
    def filing_time(self) -> datetime:
        """A moment inside the filing window, before the deadline."""
        return local(self.quarter.last_day + timedelta(days=2), 10)

    def meeting_time(self, offset_days: int = 20) -> datetime:
        return local(self.quarter.first_day + timedelta(days=offset_days), 9)

    def contact_point(self):
        return services.assign_contact_point(
            actor=self.department_user,
            cadre=self.cadre,
            branch=self.tree.other_branch,
            year=self.quarter.year,
        )

    def own_meeting(self, **kwargs):
        kwargs.setdefault("attendees", [self.cadre, self.secretary])
        kwargs.setdefault("host", self.secretary)
        return held_meeting(self.tree.branch, starts=self.meeting_time(kwargs.pop("offset", 20)), **kwargs)

    def contact_meeting(self, **kwargs):
        """A branch meeting of the contact point (audience: the branch); the cadre signs in because
        the assignment invited him (call `contact_point()` first)."""
        kwargs.setdefault("attendees", [self.cadre])
        return held_meeting(
            self.tree.other_branch, starts=self.meeting_time(kwargs.pop("offset", 30)), **kwargs
        )

    def signed_report(self, activity, *, summary: str = "带头学习党章，查摆问题三条。"):
        """纪实 + report filled, submitted and signed off by the right secretary."""
        attendance = services.start_attendance(actor=self.cadre_user, cadre=self.cadre, activity=activity)
        attendance = services.update_attendance(
            actor=self.cadre_user, attendance=attendance, outline_text="一、学习体会\n二、查摆问题\n三、整改措施",
            guidance="指导支部规范三会一课记录。" if attendance.role == "contact" else None,
        )  # fmt: skip
        report = services.create_report(actor=self.cadre_user, attendance=attendance)
        report = services.update_report(
            actor=self.cadre_user,
            report=report,
            speech_summary=summary,
            public_summary="参加组织生活会并作对照检查发言。",
        )
        report = services.submit_report(actor=self.cadre_user, report=report)
        signer = (
            self.secretary_user
            if activity.organization_id == self.tree.branch.pk
            else self.contact_secretary_user
        )
        return services.sign_off_report(actor=signer, report=report, comment="情况属实。")
