"""Who sees what: every list and detail goes through these scopes (another district's filing is a
404, never a 403 leak). A cadre always sees their own 纪实, reports and filings."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm
from dangqun.orglife import structure
from dangqun.orglife.enums import ReportStatus
from dangqun.orglife.models import (
    Attendance,
    ContactPoint,
    Objection,
    OrgLifeReport,
    PublicNotice,
    QuarterlyFiling,
)
from dangqun.people.models import Person

ORGLIFE_PERMS = (Perm.REVIEW_FILINGS, Perm.REVIEW_RECORDS, Perm.MANAGE_ACTIVITIES)


def scope(user, perm: str, field: str) -> Q:
    return permissions.scope_q(user, perm, field)


def own(user, field: str = "cadre__user") -> Q:
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    return Q(**{field: user})


def cadre_of(user) -> Person | None:
    """The leading cadre linked to this login (None for everyone else), cached on the user."""
    if user is None or not user.is_authenticated:
        return None
    cached = getattr(user, "_orglife_cadre", False)
    if cached is not False:
        return cached
    person = (
        Person.objects.filter(user=user, party_profile__cadre_level__gt="")
        .select_related("organization", "organization__kind", "party_profile")
        .first()
    )
    if person is not None and not structure.is_cadre(person):
        person = None
    user._orglife_cadre = person
    return person


def may_use_orglife(user) -> bool:
    """A cadre, or staff holding one of the permissions the app's pages need somewhere."""
    return cadre_of(user) is not None or any(permissions.has_perm(user, perm) for perm in ORGLIFE_PERMS)


def attendances_visible_to(user) -> QuerySet[Attendance]:
    q = (
        own(user)
        | scope(user, Perm.MANAGE_ACTIVITIES, "cadre_path")
        | scope(user, Perm.REVIEW_RECORDS, "org_path")
        | scope(user, Perm.REVIEW_FILINGS, "cadre_path")
        | scope(user, Perm.REVIEW_FILINGS, "filing__copy_path")
    )
    return Attendance.objects.filter(q).select_related(
        "cadre", "activity", "activity__activity_type", "activity__organization", "contact_point", "filing"
    )


def get_attendance_for(user, pk) -> Attendance:
    try:
        return attendances_visible_to(user).get(pk=pk)
    except (Attendance.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def reports_visible_to(user) -> QuerySet[OrgLifeReport]:
    q = (
        own(user)
        | scope(user, Perm.MANAGE_ACTIVITIES, "cadre_path")
        | scope(user, Perm.REVIEW_RECORDS, "org_path")
        | scope(user, Perm.REVIEW_FILINGS, "cadre_path")
        | scope(user, Perm.REVIEW_FILINGS, "filing__copy_path")
    )
    return OrgLifeReport.objects.filter(q).select_related(
        "attendance", "cadre", "activity", "activity__activity_type", "filing"
    )


def get_report_for(user, pk) -> OrgLifeReport:
    try:
        return reports_visible_to(user).get(pk=pk)
    except (OrgLifeReport.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def reports_to_sign(user) -> QuerySet[OrgLifeReport]:
    """Submitted reports of meetings held where the viewer may sign (review_records), oldest first;
    never the viewer's own."""
    return (
        OrgLifeReport.objects.filter(
            scope(user, Perm.REVIEW_RECORDS, "org_path"), status=ReportStatus.SUBMITTED
        )
        .exclude(own(user))
        .select_related("attendance", "activity")
        .order_by("submitted_at", "id")
    )


def filings_visible_to(user) -> QuerySet[QuarterlyFiling]:
    q = (
        own(user)
        | scope(user, Perm.REVIEW_FILINGS, "org_path")
        | scope(user, Perm.REVIEW_FILINGS, "copy_path")
        | scope(user, Perm.MANAGE_ACTIVITIES, "org_path")
    )
    return QuarterlyFiling.objects.filter(q).select_related("cadre", "committee", "copy_to")


def get_filing_for(user, pk) -> QuarterlyFiling:
    try:
        return filings_visible_to(user).get(pk=pk)
    except (QuarterlyFiling.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def filings_to_review(user) -> QuerySet[QuarterlyFiling]:
    return (
        QuarterlyFiling.objects.filter(scope(user, Perm.REVIEW_FILINGS, "committee_path"), status="submitted")
        .exclude(own(user))
        .select_related("cadre", "committee", "copy_to")
        .order_by("submitted_at", "id")
    )


def contact_points_visible_to(user) -> QuerySet[ContactPoint]:
    q = (
        own(user)
        | scope(user, Perm.REVIEW_FILINGS, "district_path")
        | scope(user, Perm.REVIEW_FILINGS, "cadre_path")
        | scope(user, Perm.MANAGE_ACTIVITIES, "branch_path")
    )
    return ContactPoint.objects.filter(q).select_related("cadre", "branch", "cadre__organization")


def notices_visible_to(user) -> QuerySet[PublicNotice]:
    """The staff archive: live and taken-down notices (the branch posts them; the department
    receives the objections)."""
    q = (
        scope(user, Perm.REVIEW_FILINGS, "queue_path")
        | scope(user, Perm.REVIEW_FILINGS, "org_path")
        | scope(user, Perm.MANAGE_ACTIVITIES, "org_path")
    )
    return PublicNotice.objects.filter(q).select_related("report")


def get_notice_for(user, pk) -> PublicNotice:
    try:
        return notices_visible_to(user).get(pk=pk)
    except (PublicNotice.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def objections_visible_to(user) -> QuerySet[Objection]:
    return Objection.objects.filter(scope(user, Perm.REVIEW_FILINGS, "queue_path")).select_related("notice")


def get_objection_for(user, pk) -> Objection:
    try:
        return objections_visible_to(user).get(pk=pk)
    except (Objection.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
