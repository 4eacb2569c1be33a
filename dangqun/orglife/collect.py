"""What one cadre's quarter holds: meetings at their branch and contact points, sign-ins, 纪实,
reports, and the pieces still missing (listed from the records, never guessed)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from dangqun.activities.models import Activity
from dangqun.orglife import meetings, structure
from dangqun.orglife.enums import AttendanceRole, FilingStatus, ReportStatus
from dangqun.orglife.models import Attendance, ContactPoint, OrgLifeReport, QuarterlyFiling
from dangqun.orglife.quarters import Quarter
from dangqun.people.models import Person


@dataclass
class MeetingRow:
    """One meeting of the quarter as the cadre's calendar shows it."""

    activity: Activity
    role: str
    signed_in: bool
    attendance: Attendance | None = None
    report: OrgLifeReport | None = None
    needs_report: bool = False
    # The quarter's filing when it is submitted or accepted (it then holds the quarter's material).
    filing: QuarterlyFiling | None = None

    @property
    def outside_filing(self) -> bool:
        """Attended, but not in the quarter's submitted or accepted filing (held or recorded after
        it): the material is still missing until the filing is returned and filed again."""
        if self.filing is None or not self.signed_in:
            return False
        if self.attendance is None or self.attendance.filing_id != self.filing.pk:
            return True
        return self.needs_report and (self.report is None or self.report.filing_id != self.filing.pk)

    @property
    def report_missing(self) -> bool:
        """Attended a meeting that takes a 报告单, and no signed-off report yet (or the signed-off
        report is not in the quarter's filing)."""
        return (
            self.needs_report
            and self.signed_in
            and (self.report is None or self.report.status != ReportStatus.SIGNED_OFF or self.outside_filing)
        )


@dataclass
class QuarterContents:
    cadre: Person
    quarter: Quarter
    rows: list[MeetingRow] = field(default_factory=list)

    @property
    def attendances(self) -> list[Attendance]:
        return [row.attendance for row in self.rows if row.attendance is not None]

    @property
    def reports(self) -> list[OrgLifeReport]:
        return [row.report for row in self.rows if row.report is not None]

    @property
    def undocumented(self) -> list[MeetingRow]:
        """Meetings the cadre signed in at without a 纪实 yet (filing creates them)."""
        return [row for row in self.rows if row.signed_in and row.attendance is None]

    @property
    def reports_missing(self) -> list[MeetingRow]:
        return [row for row in self.rows if row.report_missing]

    @property
    def outside_filing(self) -> list[MeetingRow]:
        return [row for row in self.rows if row.outside_filing]


def contact_paths(cadre: Person, year: int) -> dict[str, ContactPoint]:
    points = ContactPoint.objects.filter(cadre=cadre, year=year, revoked_at__isnull=True).order_by("id")
    found: dict[str, ContactPoint] = {}
    for point in points:
        found.setdefault(point.branch_path, point)
    return found


def quarter_contents(cadre: Person, quarter: Quarter) -> QuarterContents:
    """Every meeting of the quarter at the cadre's own branch or contact points, plus any 纪实 the
    cadre recorded in the quarter (a contact point revoked later keeps its 纪实)."""
    own = structure.own_branch_paths(cadre)
    points = contact_paths(cadre, quarter.year)
    activities = list(meetings.meetings_at(own + list(points), quarter.first_day, quarter.last_day))
    attendances = {
        a.activity_id: a
        for a in Attendance.objects.filter(
            cadre=cadre, meeting_on__gte=quarter.first_day, meeting_on__lte=quarter.last_day
        ).select_related("activity", "activity__activity_type", "activity__organization", "contact_point")
    }
    reports = {
        r.activity_id: r
        for r in OrgLifeReport.objects.filter(
            cadre=cadre, meeting_on__gte=quarter.first_day, meeting_on__lte=quarter.last_day
        )  # fmt: skip
    }
    known = {a.pk for a in activities}
    activities += [a.activity for a in attendances.values() if a.activity_id not in known]
    activities.sort(key=lambda a: (a.starts_at, a.pk))
    signed = meetings.signed_in_activity_ids(cadre.pk, [a.pk for a in activities])
    filing = QuarterlyFiling.objects.filter(
        cadre=cadre, year=quarter.year, quarter=quarter.number, status__in=(FilingStatus.SUBMITTED, FilingStatus.ACCEPTED)
    ).first()  # fmt: skip
    contents = QuarterContents(cadre, quarter)
    for activity in activities:
        attendance = attendances.get(activity.pk)
        if attendance is not None:
            role = attendance.role
        else:
            role = AttendanceRole.OWN_BRANCH if activity.org_path in own else AttendanceRole.CONTACT_POINT
        contents.rows.append(
            MeetingRow(
                activity=activity,
                role=role,
                signed_in=activity.pk in signed,
                attendance=attendance,
                report=reports.get(activity.pk),
                needs_report=meetings.requires_report(activity),
                filing=filing,
            )
        )
    return contents


def missing_pieces(attendance: Attendance, *, signed_in: bool, photo_count: int, recorded: bool) -> list[str]:
    """What the 纪实 of one attendance still lacks (RULES.md §2.2: sign-in, photos, outline, guidance)."""
    missing = []
    if not signed_in:
        missing.append(_("签到记录"))
    if photo_count == 0:
        missing.append(_("会议照片"))
    if not attendance.has_outline:
        missing.append(_("发言提纲"))
    if attendance.role == AttendanceRole.CONTACT_POINT and not attendance.guidance.strip():
        missing.append(_("指导联系点情况"))
    if not recorded:
        missing.append(_("会议记录（未提交）"))
    return missing
