"""金源花园二期: exactly 180 households and 618 residents (the seed's figures).

Party members among them belong to 金源花园小区党支部 (the branch built in the compound); the others
are registered as masses with 西华社区党总支. The first five members born 1945–1958 stand for the
five old members the compound chose for its mediation room (矛盾调解室) — plain members until the
community app records that.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from dangqun.demo import generate as gen
from dangqun.demo.generate import AREA_CODES, SEED, Registry
from dangqun.demo.people import PersonSpec

COMPOUND = "金源花园二期"
HOUSEHOLDS = 180
RESIDENTS = 618
MEDIATORS = 5
# 8 buildings × 2 units × 6 floors × 2 flats = 192 flats, 180 of them lived in.
BUILDINGS, UNITS, FLOORS, FLATS = 8, 2, 6, 2
SIZE_WEIGHTS = [(1, 8), (2, 20), (3, 30), (4, 25), (5, 12), (6, 5)]
MAX_SIZE = 7

_WORK = ("个体经营", "陆良县人民医院", "陆良县第一中学", "同乐街道办事处", "陆良县供电局", "务工", "务农")


@dataclass(frozen=True)
class Resident:
    role: str  # head, spouse, child, elder
    born: date
    female: bool
    surname: str


def household_sizes(rng: random.Random) -> list[int]:
    """180 sizes summing to 618, drawn from a plausible distribution then nudged to the total."""
    sizes = [int(gen.weighted(rng, [(str(s), w) for s, w in SIZE_WEIGHTS])) for _ in range(HOUSEHOLDS)]
    while sum(sizes) != RESIDENTS:
        index = rng.randrange(HOUSEHOLDS)
        if sum(sizes) < RESIDENTS and sizes[index] < MAX_SIZE:
            sizes[index] += 1
        elif sum(sizes) > RESIDENTS and sizes[index] > 1:
            sizes[index] -= 1
    return sizes


def flats(rng: random.Random) -> list[str]:
    every = [
        f"{COMPOUND}{b}栋{u}单元{floor}{flat:02d}"
        for b in range(1, BUILDINGS + 1)
        for u in range(1, UNITS + 1)
        for floor in range(1, FLOORS + 1)
        for flat in range(1, FLATS + 1)
    ]
    chosen = set(rng.sample(range(len(every)), HOUSEHOLDS))
    return [every[i] for i in sorted(chosen)]


def _year(rng: random.Random, low: int, high: int) -> date:
    return gen.random_date(rng, date(low, 1, 1), date(high, 12, 31))


def _household(rng: random.Random, size: int) -> list[Resident]:
    """A family of `size`: a couple (or a single elder), children, and the head's parents."""
    family = gen.pick_surname(rng)
    if size == 1:
        return [Resident("head", _year(rng, 1938, 1960), rng.random() < 0.6, family)]
    elderly_couple = size == 2 and rng.random() < 0.5
    head_year = rng.randint(1940, 1958) if elderly_couple else rng.randint(1962, 1992)
    head_female = rng.random() < 0.2
    spouse_year = max(1936, min(1996, head_year + rng.randint(-4, 4)))
    people = [
        Resident("head", _year(rng, head_year, head_year), head_female, family),
        Resident("spouse", _year(rng, spouse_year, spouse_year), not head_female, gen.pick_surname(rng)),
    ]
    father_surname = family if not head_female else people[1].surname
    remaining = size - 2
    elders = 0 if remaining <= 1 or head_year < 1958 else min(2, remaining - 1)
    for _ in range(remaining - elders):
        first = max(head_year, spouse_year) + rng.randint(22, 34)
        year = min(first + rng.randint(0, 6), 2023)
        people.append(Resident("child", _year(rng, year, year), rng.random() < 0.5, father_surname))
    for index in range(elders):
        year = max(1930, head_year - rng.randint(24, 32))
        surname = family if index == 0 else gen.pick_surname(rng)
        people.append(Resident("elder", _year(rng, year, year), index == 1, surname))
    return people


def _member_chance(resident: Resident) -> float:
    age = gen.reference_date().year - resident.born.year
    if age < 21:
        return 0.0
    if resident.born.year <= 1958:
        return 0.16
    return 0.045


def resident_specs(registry: Registry) -> tuple[list[PersonSpec], list[str]]:
    """(specs, id numbers of the mediators). The same 618 people on every run."""
    rng = random.Random(f"{SEED}:jinyuan")
    area = AREA_CODES["luliang"]
    specs: list[PersonSpec] = []
    old_members: list[str] = []
    for flat, size in zip(flats(rng), household_sizes(rng), strict=True):
        for resident in _household(rng, size):
            name = gen.person_name(rng, resident.female, resident.surname)
            data = {
                "name": name,
                "id_number": registry.id_number(rng, area, resident.born, resident.female),
                "mobile": registry.mobile(rng) if resident.role != "child" or rng.random() < 0.3 else "",
                "ethnicity": gen.weighted(rng, gen.ETHNICITIES["qujing"]),
                "residence": flat,
            }
            age = gen.reference_date().year - resident.born.year
            if age >= 60:
                data["employer"] = "退休"
            elif age >= 18:
                data["employer"] = rng.choice(_WORK)
            if rng.random() < _member_chance(resident):
                probationary = age < 45 and rng.random() < 0.25
                data.update(gen.member_dates(rng, resident.born, probationary=probationary))
                data.update(category="member", is_floating=age < 50 and rng.random() < 0.12)
                specs.append(PersonSpec("jinyuan", data))
                if 1945 <= resident.born.year <= 1958 and not probationary:
                    old_members.append(data["id_number"])
            else:
                specs.append(PersonSpec("xihua", data))
    return specs, old_members[:MEDIATORS]
