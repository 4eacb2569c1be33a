"""The 纪实 and 报告单 as shown on pages and printed in PDFs: one reading of the meeting record."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from dangqun.orglife import collect, meetings
from dangqun.orglife.models import Attendance, OrgLifeReport, QuarterlyFiling


@dataclass
class AttendanceDoc:
    """One 纪实: the cadre's own additions plus what the meeting record and scan log say."""

    attendance: Attendance
    signed_in_at: datetime | None
    sign_in_method: str
    photo_count: int
    photos: list = field(default_factory=list)
    record_status: str = ""
    recorded: bool = False
    host_name: str = ""
    missing: list[str] = field(default_factory=list)

    @property
    def activity(self):
        return self.attendance.activity


def attendance_doc(attendance: Attendance, *, with_photos: bool = False) -> AttendanceDoc:
    activity = attendance.activity
    sign_in = meetings.sign_in_of(activity, attendance.cadre_id)
    record = meetings.record_of(activity)
    photos = meetings.photos_of(record)
    recorded = meetings.record_is_recorded(record)
    doc = AttendanceDoc(
        attendance=attendance,
        signed_in_at=sign_in.at if sign_in else None,
        sign_in_method=sign_in.method_label if sign_in else "",
        photo_count=len(photos),
        photos=photos if with_photos else [],
        record_status=str(record.get_status_display()) if record else "",
        recorded=recorded,
        host_name=record.host_name if record else "",
    )
    doc.missing = collect.missing_pieces(
        attendance, signed_in=sign_in is not None, photo_count=len(photos), recorded=recorded
    )
    return doc


@dataclass
class FilingDoc:
    filing: QuarterlyFiling
    attendances: list[AttendanceDoc]
    reports: list[OrgLifeReport]


def filing_doc(filing: QuarterlyFiling) -> FilingDoc:
    attendances = (
        Attendance.objects.filter(filing=filing)
        .select_related(
            "activity",
            "activity__activity_type",
            "activity__organization",
            "contact_point",
            "contact_point__branch",
        )  # fmt: skip
        .order_by("meeting_on", "id")
    )
    reports = list(
        OrgLifeReport.objects.filter(filing=filing).select_related("attendance").order_by("meeting_on", "id")
    )
    return FilingDoc(filing, [attendance_doc(a) for a in attendances], reports)
