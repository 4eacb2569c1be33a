"""招银大厦 and its 37 enterprises: the seven the seed names, thirty generated, with coverage.

Credit codes are synthetic (valid under GB 32100, organisation-code check included), never the
real registrations of the named banks and firms.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from dangqun.buildings.models import Building, Enterprise
from dangqun.buildings.services import create_building, register_enterprise, set_coverage
from dangqun.demo.generate import SEED, Registry
from dangqun.orgs.models import Organization

BUILDING_NAME = "招银大厦"
BUILDING_ADDRESS = "昆明市五华区顺城街"
PROPERTY_COMPANY = "北京世邦魏理仕物业管理有限公司昆明分公司"
ENTERPRISE_COUNT = 37  # "公司服务入驻招银大厦的37家企业"

# (name, floor, employees, foreign, Fortune Global 500, credit-code head).
# Fortune flags: 招商银行 is on the list itself, 中信银行 through its parent CITIC Group, Standard
# Chartered PLC has been on it; UOB, Maybank, PwC (a partnership network) and New Oriental are not.
NAMED: list[tuple[str, str, int, bool, bool, str]] = [
    ("渣打银行昆明分行", "18层", 45, True, True, "91"),
    ("大华银行昆明分行", "16层", 38, True, False, "91"),
    ("马来亚银行昆明分行", "17层", 26, True, False, "91"),
    ("招商银行昆明分行", "1–6层", 420, False, True, "91"),
    ("中信银行昆明分行", "7–9层", 180, False, True, "91"),
    ("新东方昆明学校", "10–11层", 120, False, False, "52"),  # 民办学校: 民政 registration, type 2
    ("普华永道昆明办公室", "21层", 60, True, False, "91"),
]
NAMED_FLOORS = {18, 16, 17, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 21}

TRADE_NAMES = (
    "鼎信", "恒泰", "聚源", "金汇", "博远", "瑞丰", "华璟", "天诚", "睿达", "佳禾", "德润", "嘉和",
    "启航", "汇通", "正和", "宏图", "泽远", "锦程", "滇信", "翠湖", "春城", "金碧", "南屏", "明远",
    "同创", "云帆", "志诚", "弘毅", "信达", "安和", "璟瑞", "致远", "合力", "远景", "昆仑", "世纪",
)  # fmt: skip

# (industry + legal form, credit-code head, employees range)
INDUSTRIES: list[tuple[str, str, tuple[int, int]]] = [
    ("投资咨询有限公司", "91", (5, 30)),
    ("信息技术有限公司", "91", (8, 60)),
    ("人力资源服务有限公司", "91", (6, 40)),
    ("会计师事务所有限公司", "91", (8, 45)),
    ("律师事务所", "31", (6, 50)),  # 司法行政 registration, type 1
    ("保险代理有限公司", "91", (10, 60)),
    ("广告传媒有限公司", "91", (5, 25)),
    ("建筑设计有限公司", "91", (10, 80)),
    ("资产管理有限公司", "91", (5, 20)),
    ("文化传播有限公司", "91", (4, 20)),
    ("供应链管理有限公司", "91", (6, 40)),
    ("教育科技有限公司", "91", (8, 50)),
    ("电子商务有限公司", "91", (5, 40)),
    ("工程造价咨询有限公司", "91", (6, 30)),
    ("税务师事务所有限公司", "91", (4, 15)),
    ("医药科技有限公司", "91", (8, 45)),
    ("旅游发展有限公司", "91", (6, 35)),
    ("网络科技有限公司", "91", (5, 50)),
    ("融资担保有限公司", "91", (8, 30)),
]

# How many of the generated enterprises (in order) each party organization covers; the rest are
# uncovered, which is what the street's coverage work is about.
COVERAGE_PLAN: list[tuple[str, int]] = [("cbre", 5), ("tower_joint", 8)]


@dataclass(frozen=True)
class EnterpriseSpec:
    name: str
    credit_code: str
    floor: str
    employees: int
    is_foreign: bool
    is_fortune_500: bool
    cover_key: str | None


def enterprise_specs(registry: Registry) -> list[EnterpriseSpec]:
    """The 37 enterprises, the same on every run."""
    rng = random.Random(f"{SEED}:enterprises")
    specs = [
        EnterpriseSpec(name, registry.credit_code(rng, head, "530100"), floor, staff, foreign, f500, None)
        for name, floor, staff, foreign, f500, head in NAMED
    ]
    covers = [key for key, count in COVERAGE_PLAN for _ in range(count)]
    free_floors = [n for n in range(12, 29) if n not in NAMED_FLOORS]
    names = {spec.name for spec in specs}
    trades: set[str] = set()
    generated = 0
    while len(specs) < ENTERPRISE_COUNT:
        industry, head, (low, high) = rng.choice(INDUSTRIES)
        prefix = "云南" if rng.random() < 0.6 else "昆明"
        trade = rng.choice(TRADE_NAMES)
        if trade in trades:
            continue
        trades.add(trade)
        name = f"{prefix}{trade}{industry}"
        names.add(name)
        floor = f"{rng.choice(free_floors)}层"
        cover = covers[generated] if generated < len(covers) else None
        specs.append(
            EnterpriseSpec(
                name,
                registry.credit_code(rng, head, "530102"),
                floor,
                rng.randint(low, high),
                False,
                False,
                cover,
            )
        )
        generated += 1
    return specs


def covered_by(specs: list[EnterpriseSpec], key: str) -> list[str]:
    return [spec.name for spec in specs if spec.cover_key == key]


@dataclass
class EnterpriseResult:
    building: Building
    created: int


def build_enterprises(orgs: dict[str, Organization], specs: list[EnterpriseSpec]) -> EnterpriseResult:
    """Find the building and each enterprise by name; create (and cover) only what is missing."""
    community = orgs["shuncheng"]
    building = Building.objects.filter(organization=community, name=BUILDING_NAME).first()
    created = 0
    if building is None:
        building = create_building(
            actor=None,
            organization=community,
            name=BUILDING_NAME,
            address=BUILDING_ADDRESS,
            property_company=PROPERTY_COMPANY,
        )
        created += 1
    existing = set(Enterprise.objects.filter(building=building).values_list("name", flat=True))
    for spec in specs:
        if spec.name in existing:
            continue  # a later change (coverage, staff count) by a user is left alone
        enterprise = register_enterprise(
            actor=None,
            building=building,
            name=spec.name,
            credit_code=spec.credit_code,
            floor=spec.floor,
            employees=spec.employees,
            is_foreign=spec.is_foreign,
            is_fortune_500=spec.is_fortune_500,
        )
        created += 1
        if spec.cover_key:
            set_coverage(actor=None, enterprise=enterprise, party_organization=orgs[spec.cover_key])
    return EnterpriseResult(building=building, created=created)
