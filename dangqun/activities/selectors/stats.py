"""Counts for the statistics page and the big screen, read from the rollups only."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Sum

from dangqun.activities.models import ActivityRollup, ActivityType, CenterActivityRollup, NeedCategory
from dangqun.activities.periods import Span
from dangqun.orgs.models import Organization


@dataclass
class Row:
    label: str
    held: int
    participants: int


def subtree_counts(organization: Organization, span: Span) -> dict:
    """Held and participants (人次) in the subtree, in total, by need category and by type."""
    rows = ActivityRollup.objects.filter(organization=organization, month__gte=span.start, month__lt=span.end)
    by_need = {
        r["need_code"]: (r["held"], r["participants"])
        for r in rows.values("need_code").annotate(
            held=Sum("held_total"), participants=Sum("participants_total")
        )
    }
    by_type = {
        r["activity_type_id"]: (r["held"], r["participants"])
        for r in rows.values("activity_type_id").annotate(
            held=Sum("held_total"), participants=Sum("participants_total")
        )
    }
    needs = [Row(n.name, *by_need.get(n.code, (0, 0))) for n in NeedCategory.objects.all()]
    if "" in by_need:
        needs.append(Row("", *by_need[""]))
    types = [Row(t.name, *by_type[t.code]) for t in ActivityType.objects.all() if t.code in by_type]
    return {
        "held": sum(h for h, _p in by_need.values()),
        "participants": sum(p for _h, p in by_need.values()),
        "by_need": needs,
        "by_type": types,
    }


def center_counts(org_path: str, span: Span) -> list[dict]:
    """Per center whose organization lies in the subtree: held and participants by need category."""
    from dangqun.centers.models import ServiceCenter

    centers = list(ServiceCenter.objects.filter(org_path__under=org_path).order_by("name")[:100])
    rows = (
        CenterActivityRollup.objects.filter(center__in=centers, month__gte=span.start, month__lt=span.end)
        .values("center_id", "need_code")
        .annotate(held=Sum("held"), participants=Sum("participants"))
    )
    needs = {n.code: n.name for n in NeedCategory.objects.all()}
    found: dict[int, dict] = {
        c.pk: {"center": c, "held": 0, "participants": 0, "by_need": []} for c in centers
    }
    for row in rows:
        entry = found[row["center_id"]]
        entry["held"] += row["held"]
        entry["participants"] += row["participants"]
        entry["by_need"].append(Row(needs.get(row["need_code"], ""), row["held"], row["participants"]))
    return list(found.values())
