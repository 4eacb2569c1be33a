"""People of the demo: the seed's named people, a few invented ones behind the demo logins, and
generated members and masses for every organization outside 金源花园 (see residents.py)."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from dangqun.core.dates import add_months
from dangqun.core.validators import id_checksum_char
from dangqun.demo import generate as gen
from dangqun.demo.generate import AREA_CODES, SEED, Registry
from dangqun.orgs.models import Organization
from dangqun.people.models import Person
from dangqun.people.services import register_person

# People the seed names, and its reporters: generated people never take these names.
SEED_NAMES = {"朱晓荣", "李岱", "阮玉华", "杨志宇", "刘慧", "张馨云", "张彤", "杨峥", "张登海", "黄鹏",
              "赵元刚", "陈墨", "王银行", "李克", "顾贵明", "王霞"}  # fmt: skip
INVENTED_NAMES = {"何丽萍", "段思雨", "张宇航", "沈丽华", "孔德明"}
gen.FORBIDDEN_NAMES.update(SEED_NAMES | INVENTED_NAMES)


@dataclass(frozen=True)
class PersonSpec:
    org_key: str
    data: dict
    key: str = ""  # set for the people the demo logins link to


def _fixed_id(area: str, birth: date, sequence: int) -> str:
    first17 = f"{AREA_CODES[area]}{birth:%Y%m%d}{sequence:03d}"
    return first17 + id_checksum_char(first17)


def _named(key, name, org_key, *, area, birth, seq, mobile, joined=None, **extra) -> PersonSpec:
    data = {"name": name, "id_number": _fixed_id(area, birth, seq), "mobile": mobile, "ethnicity": "汉族"}
    if joined is not None:
        data.update(category="member", status="formal", joined_on=joined, confirmed_on=add_months(joined, 12))
    data.update(extra)
    return PersonSpec(org_key=org_key, data=data, key=key)


WUHUA_HOME = "昆明市五华区"
CBRE = "北京世邦魏理仕物业管理有限公司昆明分公司"

# The seed's people (sex and ages invented where the page is silent), then the invented ones.
NAMED_PEOPLE: list[PersonSpec] = [
    _named("zhuxiaorong", "朱晓荣", "sc1", area="wuhua", birth=date(1971, 8, 16), seq=31, mobile="13908711630",
           joined=date(1994, 6, 28), post="大观街道党工委书记", cadre_level="township",
           employer="昆明市五华区大观街道办事处", residence=WUHUA_HOME + "顺城街36号"),
    _named("lidai", "李岱", "sc2", area="wuhua", birth=date(1976, 3, 22), seq=57, mobile="13708712205",
           joined=date(1999, 11, 12), post="大观街道党工委副书记", cadre_level="township",
           employer="昆明市五华区大观街道办事处", residence=WUHUA_HOME + "武成路118号"),
    _named("ruanyuhua", "阮玉华", "sc1", area="wuhua", birth=date(1969, 11, 5), seq=82, mobile="13888427316",
           joined=date(1992, 7, 1), post="顺城社区党委书记", employer="五华区大观街道顺城社区居民委员会",
           residence=WUHUA_HOME + "三市街52号"),
    _named("yangzhiyu", "杨志宇", "cbre", area="wuhua", birth=date(1982, 5, 19), seq=113, mobile="15887013524",
           joined=date(2006, 5, 20), post="支部书记", employer=CBRE, residence=WUHUA_HOME + "西昌路210号"),
    _named("liuhui", "刘慧", "cbre", area="wuhua", birth=date(1991, 4, 12), seq=228, mobile="18313869075",
           joined=date(2014, 6, 18), residence=WUHUA_HOME + "人民中路77号"),  # employer set from the building
    _named("orgadmin", "何丽萍", "sc2", area="wuhua", birth=date(1980, 9, 9), seq=164, mobile="13577120438",
           joined=date(2003, 12, 16), post="大观街道党工委组织委员", cadre_level="township",
           employer="昆明市五华区大观街道办事处", residence=WUHUA_HOME + "大观路61号"),
    _named("centerstaff", "段思雨", "shuncheng", area="wuhua", birth=date(1995, 12, 1), seq=86,
           mobile="18787160922", ethnicity="白族", employer="顺城社区“金领”党群服务中心",
           residence=WUHUA_HOME + "崇仁街15号"),
    _named("masses1", "张宇航", "shuncheng", area="wuhua", birth=date(1993, 7, 7), seq=135, mobile="15198741276",
           employer="招商银行昆明分行", residence=WUHUA_HOME + "华山南路33号"),
    _named("xihua", "沈丽华", "xihua", area="luliang", birth=date(1970, 2, 14), seq=62, mobile="13987481560",
           joined=date(1996, 7, 1), post="西华社区党总支书记", employer="陆良县同乐街道西华社区居民委员会",
           residence="曲靖市陆良县同乐街道西华社区西华路8号"),
    _named("jinning", "孔德明", "jn_org_dept_branch", area="jinning", birth=date(1978, 10, 20), seq=171,
           mobile="13759461283", joined=date(2001, 6, 30), post="支部书记", cadre_level="township",
           employer="晋宁区委组织部", residence="昆明市晋宁区昆阳街道月山社区18号"),
]  # fmt: skip

BRANCH_POSTS = ("支部书记", "组织委员", "宣传委员", "纪检委员")


@dataclass(frozen=True)
class Population:
    """Generated people for one organization: (full, small) counts and what they look like."""

    org_key: str
    members: tuple[int, int]
    masses: tuple[int, int] = (0, 0)
    area: str = "wuhua"
    region: str = "kunming"
    employers: tuple[str, ...] = ()
    homes: tuple[str, ...] = ()
    posts: tuple[str, ...] = BRANCH_POSTS
    county_cadres: int = 0
    township_cadres: int = 0
    floating_rate: float = 0.03
    probationary_rate: float = 0.06
    masses_born: tuple[int, int] = (1962, 2003)


_SC_HOMES = tuple(
    WUHUA_HOME + s for s in ("顺城街", "三市街", "崇仁街", "武成路", "大观路", "西昌路", "人民中路")
)
_SC_WORK = ("退休", "个体经营", "昆明市五华区大观街道办事处", "五华区大观街道顺城社区居民委员会", "自由职业")
_JN_HOMES = ("昆明市晋宁区昆阳街道月山社区", "昆明市晋宁区昆阳街道康宁社区", "昆明市晋宁区宝峰街道宝峰社区")
_LL_HOMES = ("曲靖市陆良县同乐街道西华社区", "曲靖市陆良县同乐街道同乐社区", "曲靖市陆良县中枢街道东门社区")
_LL_WORK = ("退休", "个体经营", "陆良县人民医院", "陆良县第一中学", "同乐街道办事处", "务工")
_DALI_WORK = ("大理苍洱生物科技有限公司", "大理洱源数据服务有限公司", "大理风花电子商务有限公司",
              "大理三坊文化创意有限公司", "大理经开区创业服务中心", "大理下关沱茶文创有限公司")  # fmt: skip
_DALI_HOMES = ("大理市下关镇", "大理市满江街道", "大理市太和街道")
_MEKONG = ("云南湄公河集团有限公司",)
_SIMAO_HOMES = ("普洱市思茅区思茅镇", "普洱市思茅区南屏镇", "普洱市思茅区倚象镇")

POPULATIONS: list[Population] = [
    Population("cbre", (18, 3), employers=(CBRE, CBRE, "@cbre"), homes=_SC_HOMES, posts=("", "组织委员", "宣传委员")),
    Population("sc1", (35, 3), employers=_SC_WORK, homes=_SC_HOMES),
    Population("sc2", (32, 3), employers=_SC_WORK, homes=_SC_HOMES),
    Population("new_class", (20, 3), employers=("@tower",), homes=_SC_HOMES),
    Population("tower_joint", (15, 3), employers=("@tower_joint",), homes=_SC_HOMES),
    Population("shuncheng", (0, 0), (600, 10), employers=("@tower",), homes=_SC_HOMES),
    Population("jn_org_dept_branch", (20, 3), area="jinning", employers=("晋宁区委组织部",), homes=_JN_HOMES,
               posts=("", "组织委员", "宣传委员", "纪检委员"), township_cadres=4),
    Population("jn_office", (25, 3), area="jinning", employers=("晋宁区委办公室",), homes=_JN_HOMES,
               county_cadres=3, township_cadres=3),
    Population("jn_gov", (25, 3), area="jinning", employers=("晋宁区人民政府办公室",), homes=_JN_HOMES,
               county_cadres=3, township_cadres=3),
    Population("jn_edu", (30, 3), area="jinning", employers=("晋宁区教育体育局",), homes=_JN_HOMES,
               township_cadres=2),
    Population("xs_cdi_branch", (40, 3), area="xishan", employers=("西山区纪委监委",),
               homes=("昆明市西山区前卫街道", "昆明市西山区福海街道", "昆明市西山区金碧街道"), township_cadres=4),
    Population("xh1", (30, 3), area="luliang", region="qujing", employers=_LL_WORK, homes=_LL_HOMES),
    Population("xh2", (25, 3), area="luliang", region="qujing", employers=_LL_WORK, homes=_LL_HOMES),
    Population("dali_park1", (30, 3), area="dali", region="dali", employers=_DALI_WORK, homes=_DALI_HOMES),
    Population("dali_park2", (28, 3), area="dali", region="dali", employers=_DALI_WORK, homes=_DALI_HOMES),
    Population("dali_park", (0, 0), (200, 5), area="dali", region="dali", employers=_DALI_WORK,
               homes=_DALI_HOMES, masses_born=(1975, 2004)),
    Population("ws_school_branch", (30, 3), area="wenshan", region="wenshan",
               employers=("文山州委党校", "文山州委党校", "老山干部学院"),
               homes=("文山市开化街道", "文山市卧龙街道", "文山市新平街道")),
    Population("mekong1", (30, 3), area="simao", region="puer", employers=_MEKONG, homes=_SIMAO_HOMES,
               floating_rate=0.08),
    Population("mekong2", (25, 3), area="simao", region="puer", employers=_MEKONG, homes=_SIMAO_HOMES,
               floating_rate=0.08),
    Population("mekong3", (20, 3), area="simao", region="puer", employers=_MEKONG, homes=_SIMAO_HOMES,
               floating_rate=0.08),
    Population("mekong", (0, 0), (300, 5), area="simao", region="puer", employers=_MEKONG, homes=_SIMAO_HOMES,
               masses_born=(1970, 2004)),
]  # fmt: skip


@dataclass
class Context:
    """What the people generators need from the rest of the demo."""

    registry: Registry
    employer_groups: dict[str, list[str]] = field(default_factory=dict)  # "@tower" → names


def _employer(rng: random.Random, pop: Population, ctx: Context) -> str:
    choice = rng.choice(pop.employers) if pop.employers else ""
    if choice.startswith("@"):
        group = ctx.employer_groups.get(choice[1:]) or [""]
        return rng.choice(group)
    return choice


def _base(rng: random.Random, pop: Population, ctx: Context, born: date, *, mobile_rate: float) -> dict:
    female = rng.random() < 0.45
    return {
        "name": gen.person_name(rng, female),
        "id_number": ctx.registry.id_number(rng, AREA_CODES[pop.area], born, female),
        "mobile": ctx.registry.mobile(rng) if rng.random() < mobile_rate else "",
        "ethnicity": gen.weighted(rng, gen.ETHNICITIES[pop.region]),
        "employer": _employer(rng, pop, ctx),
        "residence": f"{rng.choice(pop.homes)}{rng.randint(1, 240)}号" if pop.homes else "",
    }


def _members(pop: Population, ctx: Context, count: int) -> list[PersonSpec]:
    """The first `count` of the population's members: the same people whatever `count` is."""
    rng = random.Random(f"{SEED}:{pop.org_key}:members")
    specs = []
    for index in range(count):
        cadre = ""
        if index < pop.county_cadres:
            cadre = "county"
        elif index < pop.county_cadres + pop.township_cadres:
            cadre = "township"
        probationary = not cadre and index >= len(pop.posts) and rng.random() < pop.probationary_rate
        if cadre:
            born = gen.random_date(rng, date(1966, 1, 1), date(1982, 12, 31))
        elif probationary:
            born = gen.random_date(rng, date(1988, 1, 1), date(2002, 12, 31))
        else:
            born = gen.random_date(rng, date(1950, 1, 1), date(1999, 12, 31))
        data = _base(rng, pop, ctx, born, mobile_rate=0.97)
        data.update(gen.member_dates(rng, born, probationary=probationary))
        data.update(
            category="member",
            cadre_level=cadre,
            post=pop.posts[index] if index < len(pop.posts) and pop.members[0] >= 7 else "",
            is_floating=not cadre and rng.random() < pop.floating_rate,
        )
        specs.append(PersonSpec(pop.org_key, data))
    return specs


def _masses(pop: Population, ctx: Context, count: int) -> list[PersonSpec]:
    rng = random.Random(f"{SEED}:{pop.org_key}:masses")
    low, high = pop.masses_born
    specs = []
    for _ in range(count):
        born = gen.random_date(rng, date(low, 1, 1), date(high, 12, 31))
        specs.append(PersonSpec(pop.org_key, _base(rng, pop, ctx, born, mobile_rate=0.85)))
    return specs


def reserve_named(registry: Registry) -> None:
    """Keep generated people off the named people's ID numbers and mobiles."""
    for spec in NAMED_PEOPLE:
        registry.id_numbers.add(spec.data["id_number"])
        registry.mobiles.add(spec.data["mobile"])


def named_specs(ctx: Context) -> list[PersonSpec]:
    """The named people; 刘慧 works for the first enterprise the property branch covers."""
    specs = []
    for spec in NAMED_PEOPLE:
        if spec.key == "liuhui":
            employer = (ctx.employer_groups.get("cbre") or [""])[0]
            spec = PersonSpec(spec.org_key, {**spec.data, "employer": employer}, spec.key)
        specs.append(spec)
    return specs


def generated_specs(ctx: Context, *, small: bool) -> list[PersonSpec]:
    specs: list[PersonSpec] = []
    for pop in POPULATIONS:
        specs += _members(pop, ctx, pop.members[1 if small else 0])
        specs += _masses(pop, ctx, pop.masses[1 if small else 0])
    return specs


@dataclass
class RegisterResult:
    people: dict[str, int]  # id_number → person pk, for every spec
    created: int


def register_specs(specs: Iterable[PersonSpec], orgs: dict[str, Organization]) -> RegisterResult:
    """Register each spec not yet known by its ID number (through the service); skip the rest."""
    specs = list(specs)
    known: dict[str, int] = {}
    ids = [spec.data["id_number"] for spec in specs]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        known.update(Person.objects.filter(id_number__in=chunk).values_list("id_number", "pk"))
    created = 0
    for spec in specs:
        number = spec.data["id_number"]
        if number in known:
            continue
        person = register_person(actor=None, organization=orgs[spec.org_key], data=spec.data)
        known[number] = person.pk
        created += 1
    return RegisterResult(people=known, created=created)
