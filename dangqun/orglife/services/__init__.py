"""Writes of the orglife app, one module per aggregate; the public functions are re-exported here."""

from dangqun.orglife.services.attendance import (
    attach_outline,
    remove_outline_file,
    start_attendance,
    update_attendance,
)
from dangqun.orglife.services.contacts import assign_contact_point, revoke_contact_point
from dangqun.orglife.services.filings import resubmit_filing, review_filing, submit_filing
from dangqun.orglife.services.notices import (
    answer_objection,
    file_objection,
    take_down_expired,
    take_down_notice,
)
from dangqun.orglife.services.reminders import send_filing_reminders
from dangqun.orglife.services.reports import (
    create_report,
    reopen_report,
    return_report,
    sign_off_report,
    submit_report,
    update_report,
)

__all__ = [
    "answer_objection",
    "assign_contact_point",
    "attach_outline",
    "create_report",
    "file_objection",
    "remove_outline_file",
    "reopen_report",
    "resubmit_filing",
    "return_report",
    "review_filing",
    "revoke_contact_point",
    "send_filing_reminders",
    "sign_off_report",
    "start_attendance",
    "submit_filing",
    "submit_report",
    "take_down_expired",
    "take_down_notice",
    "update_attendance",
    "update_report",
]
