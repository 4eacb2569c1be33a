"""Keep ActivityRollup / CenterActivityRollup current, in the caller's transaction.

Each change adds deltas to the rows of one (month, type, need) key on the organizer node and all
its ancestors: the rows are created if missing (INSERT … ON CONFLICT DO NOTHING, safe under
concurrency), then one UPDATE adds the deltas with F() expressions.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Case, F, IntegerField, Value, When
from django.db.models.functions import Concat, Substr

from dangqun.activities.models import (
    Activity,
    ActivityRollup,
    ActivitySeries,
    CenterActivityRollup,
    MeetingRecord,
    ScanLog,
)
from dangqun.activities.periods import local_month
from dangqun.orgs.models import Organization

STEPLEN = Organization.steplen


def ancestor_paths(path: str, *, include_self: bool = True) -> list[str]:
    end = len(path) // STEPLEN + (1 if include_self else 0)
    return [path[: i * STEPLEN] for i in range(1, end)]


def _apply(node_ids: list[int], own_id: int | None, key: dict, deltas: dict[str, int]) -> None:
    deltas = {name: value for name, value in deltas.items() if value}
    if not deltas or not node_ids:
        return
    ActivityRollup.objects.bulk_create(
        [ActivityRollup(organization_id=node_id, **key) for node_id in node_ids], ignore_conflicts=True
    )
    updates = {}
    for name, value in deltas.items():
        updates[f"{name}_total"] = F(f"{name}_total") + value
        if own_id is not None:
            updates[f"{name}_direct"] = F(f"{name}_direct") + Case(
                When(organization_id=own_id, then=Value(value)), default=Value(0), output_field=IntegerField()
            )
    ActivityRollup.objects.filter(organization_id__in=node_ids, **key).update(**updates)


def _key(activity: Activity) -> dict:
    return {
        "month": local_month(activity.starts_at),
        "activity_type_id": activity.activity_type_id,
        "need_code": activity.need_category_id or "",
    }


def add(activity: Activity, *, held: int = 0, recorded: int = 0, participants: int = 0) -> None:
    """Add to the counts of `activity`'s organizer, its ancestors and its center."""
    ids = list(
        Organization.objects.filter(path__in=ancestor_paths(activity.org_path)).values_list("id", flat=True)
    )
    _apply(
        ids,
        activity.organization_id,
        _key(activity),
        {"held": held, "recorded": recorded, "participants": participants},
    )
    if activity.center_id is not None and (held or participants):
        key = {
            "center_id": activity.center_id,
            "month": local_month(activity.starts_at),
            "need_code": activity.need_category_id or "",
        }
        CenterActivityRollup.objects.bulk_create([CenterActivityRollup(**key)], ignore_conflicts=True)
        CenterActivityRollup.objects.filter(**key).update(
            held=F("held") + held, participants=F("participants") + participants
        )


def move_subtree(*, old_path: str, new_path: str) -> None:
    """A subtree moved (orgs.signals.subtree_moved): rewrite copied paths, move the totals."""
    rest = Substr("org_path", len(old_path) + 1)
    for model in (Activity, ActivitySeries, MeetingRecord, ScanLog):
        model.objects.filter(org_path__startswith=old_path).update(org_path=Concat(Value(new_path), rest))
    node = Organization.objects.filter(path=new_path).first()
    if node is None:
        return
    old_ids = list(
        Organization.objects.filter(path__in=ancestor_paths(old_path, include_self=False)).values_list(
            "id", flat=True
        )
    )
    new_ids = list(
        Organization.objects.filter(path__in=ancestor_paths(new_path, include_self=False)).values_list(
            "id", flat=True
        )
    )
    rows = ActivityRollup.objects.filter(organization=node).values(
        "month", "activity_type_id", "need_code", "held_total", "recorded_total", "participants_total"
    )
    for row in rows:
        key = {
            "month": row["month"],
            "activity_type_id": row["activity_type_id"],
            "need_code": row["need_code"],
        }
        moving = {name: row[f"{name}_total"] for name in ("held", "recorded", "participants")}
        _apply(old_ids, None, key, {k: -v for k, v in moving.items()})
        _apply(new_ids, None, key, moving)


def recompute_rows() -> dict[tuple[int, date, str, str], dict[str, int]]:
    """The direct counts recomputed from activities and records (for verify_activity_rollups)."""
    from dangqun.activities.enums import RECORDED_STATUSES, ActivityStatus

    found: dict[tuple[int, date, str, str], dict[str, int]] = {}
    finished = Activity.objects.filter(status=ActivityStatus.FINISHED).values(
        "id", "organization_id", "starts_at", "activity_type_id", "need_category_id", "participants"
    )
    recorded = set(
        MeetingRecord.objects.filter(status__in=RECORDED_STATUSES)
        .exclude(quorum_met=False)  # a meeting without a quorum does not count as recorded
        .values_list("activity_id", flat=True)
    )
    for row in finished:
        key = (
            row["organization_id"],
            local_month(row["starts_at"]),
            row["activity_type_id"],
            row["need_category_id"] or "",
        )
        bucket = found.setdefault(key, {"held": 0, "recorded": 0, "participants": 0})
        bucket["held"] += 1
        bucket["recorded"] += 1 if row["id"] in recorded else 0
        bucket["participants"] += row["participants"]
    return found


def expected_rows(direct: dict[tuple[int, date, str, str], dict[str, int]]) -> dict[tuple, dict[str, int]]:
    """Every row's expected direct and total counts from the direct counts (totals summed up)."""
    paths = dict(Organization.objects.values_list("id", "path"))
    ids_by_path = {path: pk for pk, path in paths.items()}
    rows: dict[tuple, dict[str, int]] = {}
    for (org_id, month, type_code, need), counts in direct.items():
        for path in ancestor_paths(paths[org_id]):
            bucket = rows.setdefault((ids_by_path[path], month, type_code, need), {})
            for name, value in counts.items():
                bucket[f"{name}_total"] = bucket.get(f"{name}_total", 0) + value
                if path == paths[org_id]:
                    bucket[f"{name}_direct"] = bucket.get(f"{name}_direct", 0) + value
    return {key: {name: row.get(name, 0) for name in COUNTER_FIELDS} for key, row in rows.items()}


COUNTER_FIELDS = tuple(f"{n}_{k}" for n in ("held", "recorded", "participants") for k in ("direct", "total"))


def rebuild(expected: dict[tuple, dict[str, int]]) -> None:
    """Replace every ActivityRollup row (the verify command's --fix)."""
    ActivityRollup.objects.all().delete()
    ActivityRollup.objects.bulk_create(
        [
            ActivityRollup(
                organization_id=org_id, month=month, activity_type_id=type_code, need_code=need, **counts
            )
            for (org_id, month, type_code, need), counts in expected.items()
        ],
        batch_size=1000,
    )
