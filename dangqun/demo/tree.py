"""The demo's organization tree, from the seed page: Kunming, Qujing, Dali, Wenshan, Pu'er.

Centers (the 大理经开区党群活动服务中心, the "金领" center) are not organizations; they belong to
the centers app and are skipped here.
"""

from __future__ import annotations

from dataclasses import dataclass

from dangqun.orgs.models import Organization
from dangqun.orgs.services import create_organization

# (key, parent key, name, kind code), parents first.
ORGS: list[tuple[str, str | None, str, str]] = [
    # 昆明市 — 五华区: 大观街道, 顺城社区, 招银大厦
    ("kunming", None, "昆明市委", "local_committee"),
    ("wuhua", "kunming", "五华区委", "local_committee"),
    ("daguan", "wuhua", "大观街道党工委", "working_committee"),
    ("shuncheng", "daguan", "顺城社区党委", "primary_committee"),
    ("cbre", "shuncheng", "世邦魏理仕物业昆明分公司党支部", "branch"),
    ("sc1", "shuncheng", "顺城社区第一党支部", "branch"),
    ("sc2", "shuncheng", "顺城社区第二党支部", "branch"),
    ("new_class", "shuncheng", "新阶层党支部", "branch"),
    ("tower_joint", "shuncheng", "楼宇联合党支部", "joint_branch"),
    ("tower_union", "cbre", "招银大厦工会", "union"),
    ("tower_youth", "cbre", "招银大厦团支部", "youth_league"),
    ("tower_women", "cbre", "招银大厦妇联", "women_federation"),
    ("guihai", "shuncheng", "归海加油站", "social_org"),
    ("hrp", "shuncheng", "HRP人才服务站", "social_org"),
    # 晋宁区: 领导干部组织生活
    ("jinning", "kunming", "晋宁区委", "local_committee"),
    ("jn_org_dept", "jinning", "晋宁区委组织部", "department"),
    ("jn_org_dept_branch", "jn_org_dept", "晋宁区委组织部机关党支部", "branch"),
    ("jn_organs", "jinning", "晋宁区直属机关工作委员会", "working_committee"),
    ("jn_office", "jn_organs", "晋宁区委办公室党支部", "branch"),
    ("jn_gov", "jn_organs", "晋宁区人民政府办公室党支部", "branch"),
    ("jn_edu", "jn_organs", "晋宁区教育体育局机关党支部", "branch"),
    # 西山区: 纪委监委主题党日
    ("xishan", "kunming", "西山区委", "local_committee"),
    ("xs_cdi", "xishan", "西山区纪委监委", "department"),
    ("xs_cdi_branch", "xs_cdi", "西山区纪委监委机关党支部", "branch"),
    # 曲靖市 — 陆良县: 金源花园二期
    ("qujing", None, "曲靖市委", "local_committee"),
    ("luliang", "qujing", "陆良县委", "local_committee"),
    ("tongle", "luliang", "同乐街道党工委", "working_committee"),
    ("xihua", "tongle", "西华社区党总支", "general_branch"),
    ("jinyuan", "xihua", "金源花园小区党支部", "branch"),
    ("xh1", "xihua", "西华社区第一党支部", "branch"),
    ("xh2", "xihua", "西华社区第二党支部", "branch"),
    ("elders", "jinyuan", "老年人协会", "social_org"),
    ("square_dance", "jinyuan", "广场舞协会", "social_org"),
    # 大理州 — 大理经开区 (its 党群活动服务中心 is a center, not an organization)
    ("dali", None, "大理州委", "local_committee"),
    ("dali_edz", "dali", "大理经开区党工委", "working_committee"),
    ("dali_park", "dali_edz", "大理经开区创业园党委", "primary_committee"),
    ("dali_park1", "dali_park", "大理经开区创业园第一党支部", "branch"),
    ("dali_park2", "dali_park", "大理经开区创业园第二党支部", "branch"),
    # 文山州: 一校一院
    ("wenshan", None, "文山州委", "local_committee"),
    ("ws_school", "wenshan", "文山州委党校", "institution"),
    ("laoshan", "wenshan", "老山干部学院", "institution"),
    ("ws_school_branch", "wenshan", "文山州委党校机关党支部", "branch"),
    # 普洱市 — 思茅区: 湄公河集团
    ("puer", None, "普洱市委", "local_committee"),
    ("simao", "puer", "思茅区委", "local_committee"),
    ("mekong", "simao", "云南湄公河集团有限公司党总支", "general_branch"),
    ("mekong1", "mekong", "云南湄公河集团有限公司第一党支部", "branch"),
    ("mekong2", "mekong", "云南湄公河集团有限公司第二党支部", "branch"),
    ("mekong3", "mekong", "云南湄公河集团有限公司第三党支部", "branch"),
    ("mekong_union", "mekong", "云南湄公河集团有限公司工会", "union"),
]

ROOT_KEYS = [key for key, parent, _name, _kind in ORGS if parent is None]


@dataclass
class TreeResult:
    orgs: dict[str, Organization]
    created: int


def _existing(parent: Organization | None, name: str) -> Organization | None:
    siblings = Organization.objects.get_children(parent) if parent else Organization.objects.get_root_nodes()
    return siblings.filter(name=name, dissolved_at__isnull=True).select_related("kind").first()


def build_tree() -> TreeResult:
    """Find each node by name under its parent; create it (through the service) only if missing."""
    orgs: dict[str, Organization] = {}
    created = 0
    for key, parent_key, name, kind in ORGS:
        parent = orgs[parent_key] if parent_key else None
        node = _existing(parent, name)
        if node is None:
            node = create_organization(actor=None, parent=parent, name=name, kind=kind)
            created += 1
        orgs[key] = node
    return TreeResult(orgs=orgs, created=created)
