"""Default organization kinds and where each may stand (DESIGN: rules are data).

Loaded by a data migration; an administrator may edit the rows later.
"""

# code, name, category, holds_members, allowed_at_root, sort_order, allowed parent codes
PARTY_BODIES = ["local_committee", "working_committee", "primary_committee", "joint_committee"]
BRANCH_PARENTS = PARTY_BODIES + ["general_branch", "department"]
MASS_PARENTS = PARTY_BODIES + ["general_branch", "branch", "joint_branch"]

DEFAULT_KINDS = [
    ("local_committee", "地方党委", "party", False, True, 10, ["local_committee"]),
    ("working_committee", "党工委", "party", False, False, 20, ["local_committee"]),
    ("department", "工作部门", "other", False, False, 25, ["local_committee"]),
    ("primary_committee", "党委", "party", True, False, 30, PARTY_BODIES + ["department"]),
    ("joint_committee", "联合党委", "party", True, False, 35, PARTY_BODIES),
    ("general_branch", "党总支", "party", True, False, 40, PARTY_BODIES + ["department"]),
    ("branch", "党支部", "party", True, False, 50, BRANCH_PARENTS),
    ("joint_branch", "联合党支部", "party", True, False, 55, BRANCH_PARENTS),
    ("group", "党小组", "party", True, False, 60, ["branch", "joint_branch"]),
    ("union", "工会", "mass", False, False, 70, MASS_PARENTS),
    ("youth_league", "共青团", "mass", False, False, 71, MASS_PARENTS),
    ("women_federation", "妇联", "mass", False, False, 72, MASS_PARENTS),
    ("social_org", "社会组织", "social", False, False, 80, MASS_PARENTS + ["department"]),
    (
        "institution",
        "院校与教育基地",
        "other",
        False,
        False,
        90,
        ["local_committee", "department", "institution"],
    ),
]


def load_default_kinds(OrganizationKind) -> None:
    for code, name, category, holds, root, order, _parents in DEFAULT_KINDS:
        OrganizationKind.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "category": category,
                "holds_members": holds,
                "allowed_at_root": root,
                "sort_order": order,
            },
        )
    for code, *_rest, parents in DEFAULT_KINDS:
        OrganizationKind.objects.get(code=code).allowed_parents.set(parents)
