"""Demo of journey 5 (晋宁区): a 区级领导 of 区委办公室党支部 with his contact point 教育体育局机关党支部,
a 组织生活会 at each (signed in, recorded with a photo), both 报告单 signed off by the branch
secretaries, last quarter's filing accepted by 区直属机关工委 (copied to 区委组织部), and the
public notice posted now for seven days. Another 区级领导's filing waits for review.

Through the services with actor None (or the demo logins where a signature needs a person);
dates are computed from today because the journey needs "last quarter" and "posted now".
Idempotent: every step looks its object up first, so a second run writes nothing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from dangqun.accounts.models import RoleGrant, User
from dangqun.accounts.services import create_user, grant_role
from dangqun.activities.enums import ActivityStatus, Audience, RecordStatus
from dangqun.activities.models import Activity, MeetingRecord
from dangqun.activities.services import activities as activity_services
from dangqun.activities.services import records as record_services
from dangqun.activities.services.attendance import enter_paper_sheet
from dangqun.core.errors import DomainError
from dangqun.orglife import services
from dangqun.orglife.enums import FilingStatus, ReportStatus
from dangqun.orglife.models import Attendance, ContactPoint, OrgLifeReport, QuarterlyFiling
from dangqun.orglife.quarters import Quarter
from dangqun.people.models import Person
from dangqun.people.services import link_user

LEADER_POST = "组织委员"
SECRETARY_POST = "支部书记"


@dataclass(frozen=True)
class Login:
    username: str
    org_key: str
    role: str
    person_post: str  # the linked person: the member of that branch holding this post ("" for none)


LOGINS = [
    Login("jn_leader", "jn_office", "member", LEADER_POST),  # the 区级领导 of journey 5
    Login("jn_office_sec", "jn_office", "secretary", SECRETARY_POST),
    Login("jn_edu_sec", "jn_edu", "secretary", SECRETARY_POST),
    Login("jn_organs", "jn_organs", "secretary", ""),  # reviewer at 区直属机关工委
]

LOGIN_HINTS = {
    "jn_leader": "区级领导：本支部与联系点的组织生活会纪实、报告单、季度报备（旅程 5）",
    "jn_office_sec": "支部书记：给本支部领导干部的报告单签字；放映签到动态码",
    "jn_edu_sec": "联系点支部书记：领导干部列席本支部组织生活会，签字",
    "jn_organs": "区直属机关工委：审核季度报备（抄送区委组织部）",
}


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _member(org, post: str, level: str | None = None) -> Person | None:
    people = Person.objects.filter(organization=org, party_profile__post=post)
    if level is not None:
        people = people.filter(party_profile__cadre_level=level)
    return people.select_related("party_profile").order_by("id").first()


def _login(spec: Login, orgs) -> tuple[User, int]:
    created = 0
    org = orgs[spec.org_key]
    user = User.objects.filter(username=spec.username).first()
    person = _member(org, spec.person_post) if spec.person_post else None
    if user is None:
        user = create_user(
            actor=None,
            username=spec.username,
            password=settings.DEMO_PASSWORD,
            display_name=person.name if person else "晋宁区直属机关工委",
        )
        created += 1
    if not RoleGrant.objects.filter(user=user, organization=org, role=spec.role).exists():
        grant_role(actor=None, user=user, organization=org, role=spec.role)
        created += 1
    if person is not None and person.user_id is None and not Person.objects.filter(user=user).exists():
        link_user(actor=None, person=person, user=user)
        created += 1
    return user, created


def _photo(seed: int) -> bytes:
    """A plain, deterministic picture standing in for the meeting photo."""
    image = Image.new("RGB", (640, 400), (178, 34, 34))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40 + seed * 10, 260, 600, 360), fill=(240, 220, 180))
    draw.ellipse((260, 60, 380, 180), fill=(255, 215, 0))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def _meeting(org, *, title: str, starts: datetime, host: Person, attendees: list[Person], guest: Person | None,
             seed: int) -> tuple[Activity, int]:  # fmt: skip
    """A 组织生活会 that took place (created only if absent), with paper sign-in and an approved record."""
    created = 0
    activity = Activity.objects.filter(organization=org, title=title, starts_at=starts).first()
    if activity is None:
        # A branch meeting; the contact point's cadre (`guest`) was invited when it was published
        # (the assignment is made first: orglife.services.invitations).
        activity = activity_services.create_activity(
            actor=None, organization=org, activity_type="org_life_meeting", title=title, place_text="机关党员活动室",
            starts_at=starts, ends_at=starts + timedelta(hours=2, minutes=30), audience=Audience.BRANCH, publish=True,
            description="对照党章党规，开展批评与自我批评。",
        )  # fmt: skip
        created += 1
    people = attendees + ([guest] if guest is not None else [])
    signed = set(
        activity.registrations.filter(checked_in_at__isnull=False).values_list("person_id", flat=True)
    )
    missing = [p.pk for p in people if p.pk not in signed]
    if missing and activity.status in (ActivityStatus.PUBLISHED, ActivityStatus.FINISHED):
        enter_paper_sheet(
            actor=None, activity=activity, person_ids=missing, signed_at=starts - timedelta(minutes=10)
        )
        created += 1
    if activity.status == ActivityStatus.PUBLISHED:
        activity = activity_services.finish_activity(
            actor=None, activity=activity, now=starts + timedelta(hours=3)
        )
        created += 1
    record = MeetingRecord.objects.filter(activity=activity).first()
    if record is None:
        record = record_services.start_record(actor=None, activity=activity)
        created += 1
    if record.status in (RecordStatus.DRAFT, RecordStatus.RETURNED):
        record_services.update_record(
            actor=None, record=record, host=host, recorder_name="办公室秘书",
            plan="一、学习党章和准则条例；二、对照检查；三、开展批评与自我批评；四、明确整改措施。",
            minutes="会议传达学习了有关文件精神。班子成员和党员逐一对照检查，开展批评与自我批评，明确整改措施。",
        )  # fmt: skip
        if not record.attachments.exists():
            record_services.add_attachment(actor=None, record=record, kind="photo", name="组织生活会.jpg",
                                           data=_photo(seed), caption="组织生活会现场")  # fmt: skip
        record = record_services.submit_record(actor=None, record=record)
        created += 1
    if record.status == RecordStatus.SUBMITTED:
        record_services.review_record(actor=None, record=record, approve=True)
        created += 1
    return activity, created


OUTLINE = ("一、学习体会：认真学习党章和《中国共产党支部工作条例》，以普通党员身份参加支部组织生活。\n"
           "二、查摆问题：深入基层调研不够经常；指导联系点工作还不够具体。\n"
           "三、整改措施：每季度到联系点参加一次组织生活，帮助解决一至两个实际问题。")  # fmt: skip


def _report(actor_cadre: User, cadre: Person, activity: Activity, signer: User, *, contact: bool) -> int:
    created = 0
    attendance = Attendance.objects.filter(cadre=cadre, activity=activity).first()
    if attendance is None:
        attendance = services.start_attendance(actor=actor_cadre, cadre=cadre, activity=activity)
        services.update_attendance(
            actor=actor_cadre, attendance=attendance, outline_text=OUTLINE,
            guidance="指导支部规范“三会一课”记录和主题党日“六有”资料，帮助理顺党员教育管理台账。" if contact else None,
        )  # fmt: skip
        created += 1
    report = OrgLifeReport.objects.filter(attendance=attendance).first()
    if report is None:
        report = services.create_report(actor=actor_cadre, attendance=attendance)
        created += 1
    if report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        report = services.update_report(
            actor=actor_cadre, report=report,
            speech_summary="以普通党员身份参加会议，作对照检查发言，查摆问题 2 条。",
            criticism="对其他同志提出批评意见 3 条，虚心接受批评意见 2 条。",
            rectification="一、每月至少开展一次基层调研；二、每季度到联系点参加一次组织生活。",
            public_summary="以普通党员身份参加组织生活会，作对照检查发言，开展批评与自我批评。"
            if not contact else "到联系点参加组织生活会，指导支部规范“三会一课”，并作交流发言。",
        )  # fmt: skip
        report = services.submit_report(actor=actor_cadre, report=report)
        created += 1
    if report.status == ReportStatus.SUBMITTED:
        services.sign_off_report(actor=signer, report=report, comment="情况属实。")
        created += 1
    return created


def load(result) -> int:
    orgs = result.orgs
    office, edu, gov = orgs["jn_office"], orgs["jn_edu"], orgs["jn_gov"]
    leader = _member(office, LEADER_POST, "county")
    office_secretary = _member(office, SECRETARY_POST)
    edu_secretary = _member(edu, SECRETARY_POST)
    if leader is None or office_secretary is None or edu_secretary is None:
        return 0
    created = 0
    users = {}
    for spec in LOGINS:
        users[spec.username], made = _login(spec, orgs)
        created += made
    if hasattr(result, "login_hints"):
        result.login_hints.update(LOGIN_HINTS)
    today = timezone.localdate()
    quarter = Quarter.of(today).previous()
    for year in sorted({quarter.year, today.year}):
        if not ContactPoint.objects.filter(
            cadre=leader, branch=edu, year=year, revoked_at__isnull=True
        ).exists():
            services.assign_contact_point(actor=None, cadre=leader, branch=edu, year=year,
                                          note="指导支部标准化规范化建设")  # fmt: skip
            created += 1

    own, made = _meeting(
        office, title=f"{quarter.year}年第{quarter.number}季度组织生活会", starts=_local(quarter.last_day - timedelta(days=20), 9),
        host=office_secretary, attendees=list(Person.objects.filter(organization=office, party_profile__isnull=False)
                                              .order_by("id")),
        guest=None, seed=1,
    )  # fmt: skip
    created += made
    at_contact, made = _meeting(
        edu, title=f"{quarter.year}年第{quarter.number}季度组织生活会", starts=_local(quarter.last_day - timedelta(days=13), 14, 30),
        host=edu_secretary, attendees=list(Person.objects.filter(organization=edu, party_profile__isnull=False)
                                           .order_by("id")),
        guest=leader, seed=2,
    )  # fmt: skip
    created += made
    created += _report(users["jn_leader"], leader, own, users["jn_office_sec"], contact=False)
    created += _report(users["jn_leader"], leader, at_contact, users["jn_edu_sec"], contact=True)

    filing = QuarterlyFiling.objects.filter(cadre=leader, year=quarter.year, quarter=quarter.number).first()
    if filing is None:
        filing = services.submit_filing(actor=None, cadre=leader, quarter=quarter,
                                        now=_local(quarter.last_day + timedelta(days=3), 10))  # fmt: skip
        created += 1
    if filing.status == FilingStatus.SUBMITTED:
        services.review_filing(
            actor=users["jn_organs"], filing=filing, accept=True, comment="材料齐全，同意备案。"
        )
        created += 1

    other = _member(gov, LEADER_POST, "county")
    if other is not None and not QuarterlyFiling.objects.filter(cadre=other, year=quarter.year,
                                                               quarter=quarter.number).exists():  # fmt: skip
        try:
            with transaction.atomic():
                services.submit_filing(actor=None, cadre=other, quarter=quarter,
                                       note="本季度参加了支部主题党日，未召开组织生活会。",
                                       now=_local(quarter.last_day + timedelta(days=5), 16))  # fmt: skip
            created += 1
        except DomainError:  # another demo gave this cadre a meeting that needs a report: leave it unfiled
            pass
    return created
