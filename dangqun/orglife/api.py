"""JSON for the orglife pages' scripts and other clients: the quarter overview, filings, a report."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm
from dangqun.core.errors import DomainError
from dangqun.orglife.quarters import Quarter, parse
from dangqun.orglife.selectors import access, overview
from dangqun.orgs.selectors import get_organization_for

router = Router(tags=["领导干部组织生活"])


class OverviewOut(Schema):
    organization: str
    quarter: str
    due_on: date
    due: int
    filed: int
    accepted: int
    returned: int
    pending_review: int
    overdue: int
    late: int
    objections_open: int


class FilingOut(Schema):
    id: int
    cadre: str
    year: int
    quarter: int
    status: str
    committee: str
    copy_to: str
    is_district_leader: bool
    submitted_at: datetime
    late: bool


class ReportOut(Schema):
    id: int
    cadre: str
    post: str
    meeting: str
    meeting_type: str
    meeting_on: date
    signed_in_at: datetime
    status: str
    signed_by: str
    signed_at: datetime | None


def _quarter(year: int | None, number: int | None) -> Quarter:
    if year is None and number is None:
        return Quarter.of(timezone.localdate())
    quarter = parse(year, number)
    if quarter is None:
        raise DomainError("invalid_quarter", _("季度无效。"), field="quarter")
    return quarter


@router.get("/overview", response=OverviewOut)
def quarter_overview(request, org: int, year: int | None = None, quarter: int | None = None):
    if not permissions.has_perm(request.user, Perm.REVIEW_FILINGS):
        raise DomainError("permission_denied", _("无权查看。"), status=403)
    root = get_organization_for(request.user, org, Perm.REVIEW_FILINGS)
    q = _quarter(year, quarter)
    result = overview.quarter_overview(request.user, root=root, quarter=q, today=timezone.localdate())
    return {
        "organization": root.name, "quarter": q.code, "due_on": result.deadlines.due_on, "due": result.due,
        "filed": result.filed, "accepted": result.accepted, "returned": result.returned,
        "pending_review": result.pending_review, "overdue": result.overdue, "late": result.late,
        "objections_open": result.objections_open,
    }  # fmt: skip


@router.get("/filings", response=list[FilingOut])
def filings(request, year: int | None = None, quarter: int | None = None):
    q = _quarter(year, quarter)
    rows = (
        access.filings_visible_to(request.user)
        .filter(year=q.year, quarter=q.number)
        .order_by("-submitted_at", "-id")
    )
    return [
        {
            "id": f.pk, "cadre": f.cadre_name, "year": f.year, "quarter": f.quarter, "status": f.status,
            "committee": f.committee.name, "copy_to": f.copy_to.name if f.copy_to else "",
            "is_district_leader": f.is_district_leader, "submitted_at": f.submitted_at, "late": f.late,
        }
        for f in rows[:500]
    ]  # fmt: skip


@router.get("/reports/{report_id}", response=ReportOut)
def report(request, report_id: int):
    item = access.get_report_for(request.user, report_id)
    return {
        "id": item.pk, "cadre": item.cadre_name, "post": item.post, "meeting": item.meeting_title,
        "meeting_type": item.meeting_type, "meeting_on": item.meeting_on, "signed_in_at": item.signed_in_at,
        "status": item.status, "signed_by": item.signed_by_name, "signed_at": item.signed_at,
    }  # fmt: skip
