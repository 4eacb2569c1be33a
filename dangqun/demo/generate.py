"""Deterministic generators for demo data: names, ID numbers, mobiles, dates, credit codes.

Everything draws from a `random.Random` handed in by the caller; nothing reads the clock except
`reference_date`, which only caps the fixed demo date so that no generated date lies in the future.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from dangqun.core.dates import add_months
from dangqun.core.validators import (
    CREDIT_CHARSET,
    credit_code_check_char,
    id_checksum_char,
    org_code_check_char,
)

SEED = 20190701
# The demo's "today": every generated date is on or before it (probation ends may lie after).
DEMO_DATE = date(2026, 7, 1)

# Yunnan county-level division codes (GB/T 2260) used by the demo.
AREA_CODES = {
    "wuhua": "530102",  # 五华区
    "xishan": "530112",  # 西山区
    "jinning": "530115",  # 晋宁区
    "luliang": "530322",  # 陆良县
    "simao": "530802",  # 思茅区
    "wenshan": "532601",  # 文山市
    "dali": "532901",  # 大理市
}

# (surname, weight). 曾、单、解、仇 read differently as surnames; search must find both readings.
SURNAMES: list[tuple[str, int]] = [
    ("李", 30), ("王", 26), ("张", 24), ("刘", 18), ("陈", 16), ("杨", 20), ("赵", 10), ("黄", 9), ("周", 8),
    ("吴", 8), ("徐", 6), ("孙", 6), ("朱", 5), ("马", 7), ("胡", 5), ("郭", 5), ("何", 6), ("高", 5), ("罗", 7),
    ("郑", 4), ("梁", 4), ("谢", 4), ("宋", 3), ("唐", 4), ("许", 3), ("韩", 3), ("冯", 3), ("邓", 4), ("曹", 3),
    ("彭", 3), ("肖", 3), ("田", 3), ("董", 3), ("袁", 3), ("潘", 2), ("蒋", 2), ("蔡", 2), ("余", 3), ("杜", 2),
    ("叶", 2), ("苏", 2), ("魏", 2), ("吕", 2), ("丁", 2), ("沈", 2), ("段", 5), ("钱", 2), ("尹", 3), ("龙", 2),
    ("普", 3), ("字", 2), ("杞", 1), ("和", 2), ("熊", 2), ("孔", 1), ("施", 2), ("鲁", 2), ("番", 1), ("刀", 1),
    ("岩", 1), ("陶", 2), ("毛", 1), ("曾", 3), ("单", 2), ("解", 2), ("仇", 2),
]  # fmt: skip
_SURNAME_CHOICES = [s for s, _w in SURNAMES]
_SURNAME_WEIGHTS = [w for _s, w in SURNAMES]

MALE_CHARS = (
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林阳建国峰亮成志文东海兵晨博武江云松德荣昌"
)
FEMALE_CHARS = "芳娜敏静丽艳娟霞燕玲桂英梅琳洁萍红玉兰雪慧婷倩莉琴云莲瑶佳颖欣怡悦璐春秀凤丹蓉琼"

MOBILE_PREFIXES = ["133", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159",
                   "177", "180", "181", "182", "183", "187", "188", "189", "199"]  # fmt: skip

# (ethnicity, weight) by region; 大理 is the 白族 prefecture, 文山 壮族苗族, 普洱 many 哈尼族 and 彝族.
ETHNICITIES: dict[str, list[tuple[str, int]]] = {
    "kunming": [("汉族", 86), ("彝族", 6), ("回族", 3), ("白族", 3), ("哈尼族", 2)],
    "qujing": [("汉族", 93), ("彝族", 5), ("回族", 2)],
    "dali": [("白族", 55), ("汉族", 35), ("彝族", 7), ("回族", 3)],
    "wenshan": [("汉族", 55), ("壮族", 25), ("苗族", 15), ("彝族", 5)],
    "puer": [("汉族", 55), ("哈尼族", 20), ("彝族", 15), ("傣族", 10)],
}

FORBIDDEN_NAMES: set[str] = set()  # names of the seed's real people; filled by people.py


def reference_date() -> date:
    """DEMO_DATE, or today if the clock is earlier (then dates stay valid, if not reproducible)."""
    return min(DEMO_DATE, timezone.localdate())


def weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _w in pairs], weights=[w for _v, w in pairs])[0]


def random_date(rng: random.Random, start: date, end: date) -> date:
    """A day in [start, end]."""
    span = (end - start).days
    return date.fromordinal(start.toordinal() + rng.randint(0, max(span, 0)))


def given_name(rng: random.Random, female: bool) -> str:
    chars = FEMALE_CHARS if female else MALE_CHARS
    if rng.random() < 0.3:
        return rng.choice(chars)
    return rng.choice(chars) + rng.choice(chars)


def person_name(rng: random.Random, female: bool, surname: str | None = None) -> str:
    while True:
        name = (surname or rng.choices(_SURNAME_CHOICES, weights=_SURNAME_WEIGHTS)[0]) + given_name(
            rng, female
        )
        if name not in FORBIDDEN_NAMES and len(set(name)) == len(name):
            return name


def pick_surname(rng: random.Random) -> str:
    return rng.choices(_SURNAME_CHOICES, weights=_SURNAME_WEIGHTS)[0]


@dataclass
class Registry:
    """Identifiers already handed out in this run, so none repeats."""

    id_numbers: set[str] = field(default_factory=set)
    mobiles: set[str] = field(default_factory=set)
    credit_codes: set[str] = field(default_factory=set)

    def id_number(self, rng: random.Random, area: str, birth: date, female: bool) -> str:
        while True:
            sequence = rng.randint(0, 499) * 2 + (0 if female else 1)
            first17 = f"{area}{birth:%Y%m%d}{sequence:03d}"
            value = first17 + id_checksum_char(first17)
            if value not in self.id_numbers:
                self.id_numbers.add(value)
                return value

    def mobile(self, rng: random.Random) -> str:
        while True:
            value = rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"
            if value not in self.mobiles:
                self.mobiles.add(value)
                return value

    def credit_code(self, rng: random.Random, head: str, division: str) -> str:
        """A GB 32100 code: `head` (authority + entity type), division, organisation code, check.

        Half the bodies follow the post-2015 pattern (MA6…, Yunnan), half an older numeric one.
        """
        while True:
            if rng.random() < 0.5:
                letters = "".join(c for c in CREDIT_CHARSET if c.isalpha())
                pool = "0123456789" * 3 + letters
                body = "MA6" + "".join(rng.choice(pool) for _ in range(5))
            else:
                body = str(rng.choice("3567")) + "".join(rng.choice("0123456789") for _ in range(7))
            first17 = head + division + body + org_code_check_char(body)
            value = first17 + credit_code_check_char(first17)
            if value not in self.credit_codes:
                self.credit_codes.add(value)
                return value


def member_dates(rng: random.Random, birth: date, *, probationary: bool) -> dict:
    """joined_on / probation_ends_on / confirmed_on for a member born on `birth`."""
    ref = reference_date()
    if probationary:
        joined = random_date(rng, add_months(ref, -11), add_months(ref, -1))
        return {"status": "probationary", "joined_on": joined, "probation_ends_on": add_months(joined, 12)}
    earliest = add_months(birth, 12 * 19)
    latest = min(add_months(birth, 12 * 50), add_months(ref, -14))
    joined = random_date(rng, earliest, max(earliest, latest))
    return {"status": "formal", "joined_on": joined, "confirmed_on": add_months(joined, 12)}
