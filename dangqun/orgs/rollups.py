"""Keep OrgRollup rows current: one UPDATE over the ancestors per change (path prefixes)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F

from dangqun.orgs.models import ROLLUP_FIELDS, Organization, OrgRollup

STEPLEN = Organization.steplen
TOTAL_FIELDS = tuple(f for f in ROLLUP_FIELDS if f.endswith("_total"))


def ancestor_paths(path: str, *, include_self: bool = True) -> list[str]:
    end = len(path) // STEPLEN + (1 if include_self else 0)
    return [path[: i * STEPLEN] for i in range(1, end)]


def apply_delta(path: str, *, include_self: bool = True, direct: dict[str, int] | None = None, **totals: int):
    """Add `totals` to the node at `path` (optional) and every ancestor; `direct` to the node only."""
    updates = {name: F(name) + value for name, value in totals.items() if value}
    if updates:
        OrgRollup.objects.filter(
            organization__path__in=ancestor_paths(path, include_self=include_self)
        ).update(**updates)
    direct_updates = {name: F(name) + value for name, value in (direct or {}).items() if value}
    if direct_updates:
        OrgRollup.objects.filter(organization__path=path).update(**direct_updates)


def apply_deltas(deltas: Iterable[tuple[str, dict[str, int], dict[str, int]]]) -> None:
    """Many changes at once (imports): [(path, totals, direct)], summed per node before writing."""
    summed: dict[str, dict[str, int]] = {}
    direct_summed: dict[str, dict[str, int]] = {}
    for path, totals, direct in deltas:
        for ancestor in ancestor_paths(path):
            bucket = summed.setdefault(ancestor, {})
            for name, value in totals.items():
                bucket[name] = bucket.get(name, 0) + value
        bucket = direct_summed.setdefault(path, {})
        for name, value in direct.items():
            bucket[name] = bucket.get(name, 0) + value
    for path, totals in summed.items():
        updates = {n: F(n) + v for n, v in totals.items() if v}
        if updates:
            OrgRollup.objects.filter(organization__path=path).update(**updates)
    for path, direct in direct_summed.items():
        updates = {n: F(n) + v for n, v in direct.items() if v}
        if updates:
            OrgRollup.objects.filter(organization__path=path).update(**updates)
