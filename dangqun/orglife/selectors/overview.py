"""The organization department's page per quarter: cadres due, filed, accepted, returned, overdue,
objections open, and one row per cadre coloured by its filing state (deadline and grace from rules)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from dangqun.accounts.enums import Perm
from dangqun.core import rules
from dangqun.orglife import rules as keys
from dangqun.orglife.enums import FilingStatus, Light, ObjectionStatus
from dangqun.orglife.models import Objection, QuarterlyFiling
from dangqun.orglife.quarters import Quarter
from dangqun.orglife.selectors.access import scope
from dangqun.orgs.models import Organization
from dangqun.people.models import Person


@dataclass(frozen=True)
class Deadlines:
    due_on: date
    red_after: date

    def light(self, filing: QuarterlyFiling | None, today: date) -> str:
        if filing is not None and filing.status != FilingStatus.RETURNED:
            return Light.AMBER if filing.late else Light.GREEN
        if today <= self.due_on:
            return Light.GREY
        return Light.AMBER if today <= self.red_after else Light.RED


def deadlines(quarter: Quarter, root: Organization, today: date) -> Deadlines:
    due = quarter.due_on(int(rules.value(keys.FILING_DUE_DAYS, on=today, org_path=root.path)))
    grace = int(rules.value(keys.FILING_GRACE_DAYS, on=today, org_path=root.path))
    return Deadlines(due, due + timedelta(days=grace))


def cadres_under(user, root: Organization, today: date) -> QuerySet[Person]:
    levels = list(rules.value(keys.CADRE_LEVELS, on=today, org_path=root.path) or [])
    return Person.objects.filter(
        scope(user, Perm.REVIEW_FILINGS, "org_path"),
        org_path__under=root.path,
        party_profile__cadre_level__in=levels,
    )


@dataclass
class CadreRow:
    person: Person
    filing: QuarterlyFiling | None
    light: str
    district_leader: bool

    @property
    def state(self) -> str:
        if self.filing is not None:
            return str(self.filing.get_status_display())
        return str(Light(self.light).label) if self.light != Light.GREY else _("未报备")


@dataclass
class Overview:
    quarter: Quarter
    root: Organization
    deadlines: Deadlines
    today: date
    due: int = 0
    filed: int = 0
    accepted: int = 0
    returned: int = 0
    pending_review: int = 0
    overdue: int = 0
    late: int = 0
    objections_open: int = 0
    rows: list[CadreRow] = field(default_factory=list)


def _filings(user, root: Organization, quarter: Quarter) -> QuerySet[QuarterlyFiling]:
    return QuarterlyFiling.objects.filter(
        scope(user, Perm.REVIEW_FILINGS, "org_path"), org_path__under=root.path, year=quarter.year,
        quarter=quarter.number,
    )  # fmt: skip


def quarter_overview(user, *, root: Organization, quarter: Quarter, today: date) -> Overview:
    """The counts (a few aggregate queries, whatever the number of cadres)."""
    result = Overview(quarter, root, deadlines(quarter, root, today), today)
    result.due = cadres_under(user, root, today).count()
    by_status = dict(
        _filings(user, root, quarter).values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    result.accepted = by_status.get(FilingStatus.ACCEPTED, 0)
    result.returned = by_status.get(FilingStatus.RETURNED, 0)
    result.pending_review = by_status.get(FilingStatus.SUBMITTED, 0)
    result.filed = result.accepted + result.returned + result.pending_review
    result.late = _filings(user, root, quarter).filter(late=True).count()
    if today > result.deadlines.due_on:
        result.overdue = result.due - result.accepted - result.pending_review
    result.objections_open = (
        Objection.objects.filter(
            scope(user, Perm.REVIEW_FILINGS, "queue_path")
            | scope(user, Perm.REVIEW_FILINGS, "notice__org_path"),
            Q(queue_path__under=root.path) | Q(notice__org_path__under=root.path),
            status=ObjectionStatus.OPEN,
        )
        .distinct()
        .count()
    )
    return result


def cadre_rows(
    user,
    *,
    root: Organization,
    quarter: Quarter,
    today: date,
    after: tuple | None = None,
    limit: int | None = 50,
) -> tuple[list[CadreRow], tuple | None]:
    """One row per cadre, in tree order, keyset-paginated by (org_path, name, id)."""
    marks = deadlines(quarter, root, today)
    leaders = set(rules.value(keys.DISTRICT_LEADER_LEVELS, on=today, org_path=root.path) or [])
    people = (
        cadres_under(user, root, today)
        .select_related("organization", "party_profile")
        .order_by("org_path", "name", "id")
    )
    if after is not None:
        path, name, pk = after
        people = people.filter(
            Q(org_path__gt=path) | Q(org_path=path, name__gt=name) | Q(org_path=path, name=name, id__gt=pk)
        )
    chunk = list(people[: limit + 1] if limit else people)
    more = limit is not None and len(chunk) > limit
    chunk = chunk[:limit] if limit else chunk
    filings = {
        f.cadre_id: f
        for f in QuarterlyFiling.objects.filter(
            cadre__in=[p.pk for p in chunk], year=quarter.year, quarter=quarter.number
        )  # fmt: skip
    }
    rows = [
        CadreRow(
            person=p,
            filing=filings.get(p.pk),
            light=marks.light(filings.get(p.pk), today),
            district_leader=p.party_profile.cadre_level in leaders,
        )
        for p in chunk
    ]
    last = chunk[-1] if chunk else None
    cursor = (last.org_path, last.name, last.pk) if more and last is not None else None
    return rows, cursor
