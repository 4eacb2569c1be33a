"""Who is a leading cadre, which committee a cadre files with, where 区级领导 filings are copied.

All of it is read from rules (dangqun.core.rules), so a tenant may change who counts as a cadre or a
district-level leader, which node kinds are 党委/党工委, and which department receives the copies.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from dangqun.core import rules
from dangqun.orglife import rules as keys
from dangqun.orgs.models import Organization
from dangqun.people.models import PartyMember, Person


def cadre_level_of(person: Person) -> str:
    try:
        profile = person.party_profile
    except PartyMember.DoesNotExist:
        return ""
    return profile.cadre_level or "" if profile is not None else ""


def _levels(key: str, person: Person, on: date | None) -> list[str]:
    return list(rules.value(key, on=on or timezone.localdate(), org_path=person.org_path) or [])


def is_cadre(person: Person, on: date | None = None) -> bool:
    """A leading cadre (领导干部): a party member whose cadre level the rule names."""
    level = cadre_level_of(person)
    return bool(level) and level in _levels(keys.CADRE_LEVELS, person, on)


def is_district_leader(person: Person, on: date | None = None) -> bool:
    """A 区级领导 (rule `orglife.district_leader_levels`, default: 县处级)."""
    level = cadre_level_of(person)
    return bool(level) and level in _levels(keys.DISTRICT_LEADER_LEVELS, person, on)


def is_posted_cadre(person: Person, on: date | None = None) -> bool:
    """Whether an accepted report of this cadre is posted publicly (rule `orglife.notice.cadre_levels`)."""
    level = cadre_level_of(person)
    return bool(level) and level in _levels(keys.NOTICE_LEVELS, person, on)


def own_branch(person: Person) -> Organization:
    """The cadre's branch: their organization, or its parent when they sit in a 党小组."""
    organization = person.organization
    if organization.kind_id == "group" and organization.depth > 1:
        return Organization.objects.select_related("kind").get(
            path=organization.path[: -Organization.steplen]
        )
    return organization


def own_branch_paths(person: Person) -> list[str]:
    """Organizer paths whose meetings are the cadre's own (the node and, for a 党小组, its branch)."""
    paths = [person.org_path]
    if person.organization.kind_id == "group" and len(person.org_path) > Organization.steplen:
        paths.append(person.org_path[: -Organization.steplen])
    return paths


def _nearest_ancestor(
    organization: Organization, kinds: list[str], *, include_self: bool
) -> Organization | None:
    paths = organization.ancestor_paths()
    if not include_self:
        paths = paths[:-1]
    return (
        Organization.objects.filter(path__in=paths, kind_id__in=kinds, dissolved_at__isnull=True)
        .select_related("kind")
        .order_by("-depth")
        .first()
    )


def committee_of(organization: Organization, on: date | None = None) -> Organization | None:
    """所属党委（党工委）: the nearest node above the branch whose kind the rule names."""
    kinds = rules.value(keys.COMMITTEE_KINDS, on=on or timezone.localdate(), org_path=organization.path)
    return _nearest_ancestor(organization, list(kinds), include_self=False)


def district_of(organization: Organization, on: date | None = None) -> Organization | None:
    kinds = rules.value(keys.DISTRICT_KINDS, on=on or timezone.localdate(), org_path=organization.path)
    return _nearest_ancestor(organization, list(kinds), include_self=True)


def copy_department(organization: Organization, on: date | None = None) -> Organization | None:
    """The 区委组织部 that receives copies: `org_id` from the rule, or the district's child node of
    the rule's kind whose name ends with the rule's suffix (default: a 工作部门 named …组织部)."""
    spec = rules.value(keys.COPY_DEPARTMENT, on=on or timezone.localdate(), org_path=organization.path) or {}
    if spec.get("org_id"):
        return Organization.objects.filter(pk=spec["org_id"], dissolved_at__isnull=True).first()
    district = district_of(organization, on)
    if district is None:
        return None
    candidates = Organization.objects.filter(
        path__under=district.path, depth=district.depth + 1, dissolved_at__isnull=True
    ).order_by("path")
    if spec.get("kind"):
        candidates = candidates.filter(kind_id=spec["kind"])
    suffix = spec.get("name_suffix") or ""
    return next((org for org in candidates if org.name.endswith(suffix)), None)
