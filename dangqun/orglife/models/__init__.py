"""Models of the orglife app (one module per aggregate)."""

from dangqun.orglife.models.attendance import Attendance
from dangqun.orglife.models.contact import ContactPoint
from dangqun.orglife.models.filing import FilingEvent, QuarterlyFiling
from dangqun.orglife.models.notice import Objection, PublicNotice
from dangqun.orglife.models.report import OrgLifeReport, ReportEvent

__all__ = [
    "Attendance",
    "ContactPoint",
    "FilingEvent",
    "Objection",
    "OrgLifeReport",
    "PublicNotice",
    "QuarterlyFiling",
    "ReportEvent",
]
