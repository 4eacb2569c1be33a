"""Models of the activities app (one module per aggregate)."""

from dangqun.activities.models.activity import Activity, ActivitySeries
from dangqun.activities.models.catalog import ActivityType, ComplianceRule, NeedCategory
from dangqun.activities.models.checkin import ScanLog
from dangqun.activities.models.invitation import Invitation
from dangqun.activities.models.record import (
    Absence,
    MeetingRecord,
    MeetingVote,
    RecordAttachment,
    RecordEvent,
)
from dangqun.activities.models.registration import Registration
from dangqun.activities.models.rollup import ActivityRollup, CenterActivityRollup

__all__ = [
    "Absence",
    "Activity",
    "ActivityRollup",
    "ActivitySeries",
    "ActivityType",
    "CenterActivityRollup",
    "ComplianceRule",
    "Invitation",
    "MeetingRecord",
    "MeetingVote",
    "NeedCategory",
    "RecordAttachment",
    "RecordEvent",
    "Registration",
    "ScanLog",
]
