"""Factories for tests (and benchmarks): valid ID numbers, a seed-like tree, users with grants."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import date

from dangqun.accounts.models import User
from dangqun.accounts.services import grant_role
from dangqun.core.validators import id_checksum_char
from dangqun.orgs.models import Organization
from dangqun.orgs.services import create_organization

PASSWORD = "Test@Pass123"
_serial = itertools.count(1)


def make_id_number(birth: date = date(1985, 6, 15), *, female: bool = False, area: str = "530102", seq: int | None = None) -> str:
    """A valid 18-digit ID number (GB 11643) for the given birth date and sex."""
    if seq is None:
        seq = next(_serial) % 500
    sequence = seq * 2 + (0 if female else 1)
    first17 = f"{area}{birth:%Y%m%d}{sequence % 1000:03d}"
    return first17 + id_checksum_char(first17)


def random_id_number(rng: random.Random, *, area: str = "530102") -> str:
    birth = date(rng.randint(1940, 2004), rng.randint(1, 12), rng.randint(1, 28))
    first17 = f"{area}{birth:%Y%m%d}{rng.randint(0, 999):03d}"
    return first17 + id_checksum_char(first17)


def make_user(username: str | None = None, *, grants: list[tuple[Organization, str]] = (), **fields) -> User:
    username = username or f"user{next(_serial)}"
    user = User.objects.create_user(username=username, password=PASSWORD, **fields)
    for organization, role in grants:
        grant_role(actor=None, user=user, organization=organization, role=role)
    return user


@dataclass
class Tree:
    district: Organization  # 五华区委
    street: Organization  # 大观街道党工委
    community: Organization  # 顺城社区党委
    branch: Organization  # 世邦魏理仕物业昆明分公司党支部
    group: Organization  # 第一党小组
    other_community: Organization  # 另一社区（同街道）
    other_branch: Organization
    far_county: Organization  # 陆良县委
    far_branch: Organization  # 金源花园小区党支部


def build_tree() -> Tree:
    district = create_organization(actor=None, parent=None, name="五华区委", kind="local_committee")
    street = create_organization(actor=None, parent=district, name="大观街道党工委", kind="working_committee")
    community = create_organization(actor=None, parent=street, name="顺城社区党委", kind="primary_committee")
    branch = create_organization(
        actor=None, parent=community, name="世邦魏理仕物业昆明分公司党支部", kind="branch"
    )
    group = create_organization(actor=None, parent=branch, name="第一党小组", kind="group")
    other_community = create_organization(actor=None, parent=street, name="大观社区党委", kind="primary_committee")
    other_branch = create_organization(actor=None, parent=other_community, name="大观社区第一党支部", kind="branch")
    far_county = create_organization(actor=None, parent=None, name="陆良县委", kind="local_committee")
    far_branch = create_organization(actor=None, parent=far_county, name="金源花园小区党支部", kind="branch")
    return Tree(district, street, community, branch, group, other_community, other_branch, far_county, far_branch)


def member_data(name: str = "刘慧", **overrides) -> dict:
    data = {
        "name": name,
        "id_number": make_id_number(date(1990, 3, 8), female=True),
        "mobile": "13800138000",
        "category": "member",
        "status": "formal",
        "joined_on": date(2015, 7, 1),
    }
    data.update(overrides)
    return data


def masses_data(name: str = "张三", **overrides) -> dict:
    data = {"name": name, "id_number": make_id_number(date(1970, 1, 2)), "mobile": "13912345678"}
    data.update(overrides)
    return data
