"""Load the whole demo in one transaction: tree, building and enterprises, people, logins.

Idempotent: every object is looked up first (by name under its parent, by ID number, by username)
and only what is missing is created, through the services, with actor None.
"""

from __future__ import annotations

import importlib
import importlib.util
import time
from dataclasses import dataclass, field

from django.db import transaction

from dangqun.buildings.models import Building
from dangqun.demo.accounts import AccountsResult, build_accounts
from dangqun.demo.enterprises import EnterpriseSpec, build_enterprises, covered_by, enterprise_specs
from dangqun.demo.generate import Registry
from dangqun.demo.people import (
    Context,
    PersonSpec,
    generated_specs,
    named_specs,
    register_specs,
    reserve_named,
)
from dangqun.demo.residents import resident_specs
from dangqun.demo.tree import build_tree
from dangqun.orgs.models import Organization

# Each feature app may add its own demo data: a module `dangqun.<app>.demo` with
# `load(result: DemoResult) -> int` (rows created), idempotent like the rest of the demo.
FEATURE_DEMOS = [
    "dangqun.centers.demo",
    "dangqun.news.demo",
    "dangqun.activities.demo",
    "dangqun.servicedesk.demo",
    "dangqun.orglife.demo",
]


@dataclass
class DemoResult:
    orgs: dict[str, Organization]
    building: Building
    accounts: AccountsResult
    mediators: list[int]  # person pks of the compound's five mediators
    people_total: int
    created: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    people_by_key: dict[str, int] = field(default_factory=dict)  # named person key → Person pk
    login_hints: dict[str, str] = field(default_factory=dict)  # feature demos' logins: username → 先试试

    @property
    def created_total(self) -> int:
        return sum(self.created.values())


@dataclass
class Plan:
    """Everything the demo will hold, computed without touching the database."""

    named: list[PersonSpec]
    residents: list[PersonSpec]
    mediator_ids: list[str]
    enterprises: list[EnterpriseSpec]
    generated: list[PersonSpec]

    @property
    def people(self) -> list[PersonSpec]:
        return self.named + self.residents + self.generated


def plan(*, small: bool = False) -> Plan:
    """The same plan on every call: generation runs in a fixed order from fixed seeds."""
    registry = Registry()
    reserve_named(registry)
    residents, mediator_ids = resident_specs(registry)
    enterprises = enterprise_specs(registry)
    ctx = Context(
        registry,
        employer_groups={
            "tower": [spec.name for spec in enterprises],
            "cbre": covered_by(enterprises, "cbre"),
            "tower_joint": covered_by(enterprises, "tower_joint"),
        },
    )
    named = named_specs(ctx)
    return Plan(named, residents, mediator_ids, enterprises, generated_specs(ctx, small=small))


@transaction.atomic
def load_demo(*, small: bool = False) -> DemoResult:
    """Build (or complete) the demo. `small` keeps every named entity and the seed's exact counts
    (37 enterprises, 180 households / 618 residents) but generates few people elsewhere."""
    started = time.perf_counter()
    demo = plan(small=small)
    tree = build_tree()
    built = build_enterprises(tree.orgs, demo.enterprises)
    registered = register_specs(demo.people, tree.orgs)
    by_key = {spec.key: registered.people[spec.data["id_number"]] for spec in demo.named}
    accounts = build_accounts(tree.orgs, by_key)
    result = DemoResult(
        orgs=tree.orgs,
        building=built.building,
        accounts=accounts,
        mediators=[registered.people[number] for number in demo.mediator_ids],
        people_total=len(demo.people),
        created={
            "organizations": tree.created,
            "buildings_and_enterprises": built.created,
            "people": registered.created,
            "accounts_grants_links": accounts.created,
        },
    )
    result.people_by_key = by_key
    for module_name in FEATURE_DEMOS:
        if importlib.util.find_spec(module_name) is not None:
            created = importlib.import_module(module_name).load(result)
            result.created[module_name.split(".")[1]] = created
    result.seconds = time.perf_counter() - started
    return result
