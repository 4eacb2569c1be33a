"""Default catalog (RULES.md §2 and the seed page): need categories, activity types, and the
三会一课 rule set. Loaded by a data migration; `ensure_catalog()` puts it back after a test flush.
"""

from __future__ import annotations

from dangqun.activities.rules import frequency_key

NEED_CATEGORIES = [
    # code, name, order
    ("culture", "文化娱乐", 10),
    ("public_good", "社会公益", 20),
    ("skills", "技能提高", 30),
    ("care", "人文关怀", 40),
]

ACTIVITY_TYPES = [
    # code, name, is_meeting, quorum, default need, order
    ("branch_assembly", "支部党员大会", True, "ordinary", None, 10),
    ("branch_committee", "支委会", True, "ordinary", None, 20),
    ("group_meeting", "党小组会", True, "none", None, 30),
    ("party_lecture", "党课", True, "none", None, 40),
    ("theme_day", "主题党日", True, "none", None, 50),
    ("org_life_meeting", "组织生活会", True, "none", None, 60),
    ("democratic_appraisal", "民主评议党员", True, "none", None, 70),
    ("salon", "沙龙", False, "none", "culture", 110),
    ("moral_lecture", "道德讲堂", False, "none", "care", 120),
    ("volunteer_service", "志愿服务", False, "none", "public_good", 130),
    ("training", "培训", False, "none", "skills", 140),
    ("culture_sports", "文体活动", False, "none", "culture", 150),
]

BRANCH_KINDS = ["branch", "joint_branch"]

COMPLIANCE_RULES = [
    # code, type, period, kinds, min members, source, order, active
    ("branch_assembly_quarterly", "branch_assembly", "quarter", BRANCH_KINDS, None, "支部条例 §11", 10, True),
    ("branch_committee_monthly", "branch_committee", "month", BRANCH_KINDS, 7, "支部条例 §12, §20", 20, True),
    ("group_meeting_monthly", "group_meeting", "month", ["group"], None, "支部条例 §13", 30, True),
    ("theme_day_monthly", "theme_day", "month", BRANCH_KINDS, None, "教育条例 §16", 40, True),
    (
        "party_lecture_quarterly",
        "party_lecture",
        "quarter",
        BRANCH_KINDS,
        None,
        "支部条例 §16（地方做法）",
        50,
        False,
    ),
    ("org_life_meeting_yearly", "org_life_meeting", "year", BRANCH_KINDS, None, "教育条例 §17", 60, True),
    (
        "democratic_appraisal_yearly",
        "democratic_appraisal",
        "year",
        BRANCH_KINDS,
        None,
        "教育条例 §18",
        70,
        True,
    ),
]


def load_catalog(NeedCategory, ActivityType, ComplianceRule) -> int:  # noqa: N803 — model classes
    """Create the missing default rows (existing rows, possibly edited by an admin, are kept)."""
    created = 0
    for code, name, order in NEED_CATEGORIES:
        _obj, made = NeedCategory.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": order}
        )
        created += made
    for code, name, is_meeting, quorum, need, order in ACTIVITY_TYPES:
        _obj, made = ActivityType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "is_meeting": is_meeting,
                "quorum": quorum,
                "default_need_id": need,
                "sort_order": order,
            },
        )
        created += made
    for code, type_code, period, kinds, min_members, source, order, active in COMPLIANCE_RULES:
        _obj, made = ComplianceRule.objects.get_or_create(
            code=code,
            defaults={
                "activity_type_id": type_code,
                "period": period,
                "default_count": 1,
                "rule_key": frequency_key(type_code),
                "org_kinds": kinds,
                "min_members": min_members,
                "source": source,
                "sort_order": order,
                "is_active": active,
            },
        )
        created += made
    return created


def ensure_catalog() -> int:
    """The defaults, if a flush (transactional tests) removed them."""
    from dangqun.activities.models import ActivityType, ComplianceRule, NeedCategory

    if ActivityType.objects.exists():
        return 0
    return load_catalog(NeedCategory, ActivityType, ComplianceRule)
