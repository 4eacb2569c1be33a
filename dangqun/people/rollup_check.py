"""Recompute organization rollups from the rows and compare with the stored ones."""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction

from dangqun.orgs.models import ROLLUP_FIELDS, Organization, OrgRollup
from dangqun.orgs.rollups import ancestor_paths
from dangqun.people.enums import MemberStatus
from dangqun.people.models import Person


def recompute() -> dict[str, dict[str, int]]:
    """{path: counts} computed from people and the tree, by one pass over each table."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for path in Organization.objects.values_list("path", flat=True):
        counts[path]  # every node gets a row, zeros included
    rows = Person.objects.values_list("org_path", "party_profile__status", "party_profile__is_floating")
    for org_path, status, floating in rows.iterator(chunk_size=5000):
        direct = counts[org_path]
        if status is None:
            direct["masses_direct"] += 1
            fields = ["masses_total"]
        else:
            direct["members_direct"] += 1
            fields = ["members_total"]
            if status == MemberStatus.PROBATIONARY:
                fields.append("probationary_total")
            if floating:
                fields.append("floating_total")
        for ancestor in ancestor_paths(org_path):
            for field in fields:
                counts[ancestor][field] += 1
    for path in Organization.objects.filter(dissolved_at__isnull=True).values_list("path", flat=True):
        for ancestor in ancestor_paths(path, include_self=False):
            counts[ancestor]["suborgs_total"] += 1
    return counts


def differences() -> list[tuple[str, str, int, int]]:
    """[(path, field, stored, actual)] for every drifted number."""
    actual = recompute()
    stored = {
        row["organization__path"]: row
        for row in OrgRollup.objects.values("organization__path", *ROLLUP_FIELDS)
    }
    drift = []
    for path, counts in actual.items():
        row = stored.get(path, {})
        for field in ROLLUP_FIELDS:
            if row.get(field, 0) != counts.get(field, 0):
                drift.append((path, field, row.get(field, 0), counts.get(field, 0)))
    return drift


@transaction.atomic
def fix() -> int:
    """Overwrite every rollup row with recomputed counts; returns the number of nodes."""
    actual = recompute()
    organizations = list(Organization.objects.only("pk", "path"))
    for organization in organizations:
        counts = actual.get(organization.path, {})
        OrgRollup.objects.update_or_create(
            organization=organization, defaults={f: counts.get(f, 0) for f in ROLLUP_FIELDS}
        )
    return len(organizations)
