"""Thresholds of the activities app, registered with dangqun.core.rules (RULES.md §2, §6).

Meeting frequencies are read through the compliance rule set (`ComplianceRule.rule_key`), so an
administrator may override a count from a date on, everywhere or for one subtree.
"""

from __future__ import annotations

from dangqun.activities.enums import AbsenceReason
from dangqun.core import rules

EXCLUDABLE_ABSENCES = "activities.quorum.excludable_absence_reasons"

FREQUENCIES = {
    # key suffix: (default count per period, unit, source, mark)
    "branch_assembly": (1, "per quarter", "支部条例 §11", "S"),
    "branch_committee": (1, "per month", "支部条例 §12", "S"),
    "group_meeting": (1, "per month", "支部条例 §13", "S"),
    "party_lecture": (1, "per quarter", "支部条例 §16; local practice", "L"),
    "theme_day": (1, "per month", "教育条例 §16", "V"),
    "org_life_meeting": (1, "per year", "教育条例 §17", "V"),
    "democratic_appraisal": (1, "per year", "教育条例 §18", "V"),
}


def frequency_key(type_code: str) -> str:
    return f"activities.freq.{type_code}"


def register_all() -> None:
    for code, (count, unit, source, mark) in FREQUENCIES.items():
        rules.register(frequency_key(code), count, unit=unit, source=source, mark=mark)
    rules.register(
        "activities.quorum.ordinary_inclusive",
        True,
        source="支部条例 §11 “半数以上” (RULES.md §2.1)",
        mark="S",
        description="true: 到会人数 ≥ 应到有表决权党员的一半即可开会；false: 须超过一半",
    )
    rules.register(
        EXCLUDABLE_ABSENCES,
        [AbsenceReason.SICK.value, AbsenceReason.DUTY.value, AbsenceReason.ABROAD.value],
        source="RULES.md §2.1 (应到: members who cannot attend for a long time; local practice)",
        mark="L",
        description="缺席原因中可以不计入应到人数的（无故缺席永远计入）；接收预备党员、转正等表决不受影响",
    )
    rules.register("activities.checkin.geofence_m", 500, unit="m", source="RULES.md §6", mark="D")
    rules.register(
        "activities.checkin.opens_before_minutes", 120, unit="minutes", source="RULES.md §6", mark="D"
    )
    rules.register(
        "activities.checkin.closes_after_minutes", 120, unit="minutes", source="RULES.md §6", mark="D"
    )
    rules.register(
        "activities.rotating.valid_seconds",
        30,
        unit="seconds",
        source="RULES.md §2 (sign-in must prove presence)",
        mark="D",
        overridable=False,
    )
    rules.register("activities.compliance.due_soon_days", 10, unit="days", mark="L")
    rules.register("activities.compliance.remind_days", 7, unit="days", mark="L")
    rules.register("activities.photo.max_bytes", 8 * 1024 * 1024, unit="bytes", mark="D")
    rules.register("activities.photo.max_pixels", 40_000_000, unit="pixels", mark="D")
    rules.register("activities.material.max_bytes", 20 * 1024 * 1024, unit="bytes", mark="D")


def excludable_absence_reasons(org_path: str = "") -> frozenset[str]:
    """The absence reasons that may leave a member out of "who should attend" (应到) in the subtree at
    `org_path`. An unexcused absence always counts, whatever the rule says."""
    configured = rules.value(EXCLUDABLE_ABSENCES, org_path=org_path)
    return frozenset(r for r in configured if r in AbsenceReason.values and r != AbsenceReason.UNEXCUSED)


def excludable_absence_labels(reasons: frozenset[str]) -> str:
    return "、".join(str(AbsenceReason(r).label) for r in AbsenceReason.values if r in reasons)
