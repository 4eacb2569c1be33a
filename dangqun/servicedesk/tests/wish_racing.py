"""Simultaneous claims on one wish, each thread on its own database connection.

`race()` runs in-process on PostgreSQL. pytest-django's SQLite test database lives in memory with a
shared cache (threads get "table is locked", not a real race), so for SQLite the test runs this module
as a script against a fresh database FILE with the production settings (WAL, BEGIN IMMEDIATE):

    DJANGO_SETTINGS_MODULE=config.settings.test DANGQUN_VAR_DIR=/tmp/x python -m dangqun.servicedesk.tests.wish_racing
"""

from __future__ import annotations

import json
import sys
import threading
from collections import Counter

CLAIMERS = 12
ROUNDS = 3
NAMES = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳"


def setup(slug: str = "race"):
    """A center, an approved wish per round, and CLAIMERS members with logins."""
    from datetime import date

    from dangqun.centers.services import create_center
    from dangqun.orgs.services import create_organization
    from dangqun.people.services import link_user, register_person
    from dangqun.testing.factories import make_id_number, make_user, member_data

    org = create_organization(actor=None, parent=None, name=f"认领竞争{slug}", kind="local_committee")
    branch = create_organization(actor=None, parent=org, name="认领竞争党支部", kind="branch")
    center = create_center(
        actor=None, organization=org, data={"name": f"心愿墙{slug}", "slug": f"wish-{slug}"}
    )
    users = []
    for i in range(CLAIMERS):
        user = make_user(f"racer-{slug}-{i}")
        person = register_person(
            actor=None, organization=branch,
            data=member_data(f"党员{NAMES[i]}", id_number=make_id_number(date(1980, 1, 1 + i), seq=600 + i),
                             mobile=f"1380000{i:04d}"),
        )  # fmt: skip
        link_user(actor=None, person=person, user=user)
        users.append(user.pk)
    return center, users


def new_wish(center, round_no: int):
    from dangqun.servicedesk import services

    wish = services.post_wish(
        actor=None, center=center, title=f"想要一台收音机{round_no}", name="王秀英", mobile="13512345678"
    ).wish
    return services.approve_wish(actor=None, wish=wish)


def race(wish_id: int, user_ids: list[int]) -> Counter:
    """Outcome counts ({"won": 1, "already_claimed": n-1}); every thread starts at one barrier."""
    from django.db import connection

    from dangqun.accounts.models import User
    from dangqun.core.errors import DomainError
    from dangqun.servicedesk import services
    from dangqun.servicedesk.models import Wish

    barrier = threading.Barrier(len(user_ids))
    outcomes: Counter = Counter()
    lock = threading.Lock()

    def client(user_id: int) -> None:
        try:
            user = User.objects.get(pk=user_id)
            wish = Wish.objects.get(pk=wish_id)
            barrier.wait(timeout=30)
            try:
                services.claim_wish(actor=user, wish=wish)
                result = "won"
            except DomainError as exc:
                result = exc.code
            except Exception as exc:  # noqa: BLE001 - reported; the test fails on it
                result = f"error:{type(exc).__name__}:{exc}"
            with lock:
                outcomes[result] += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(uid,)) for uid in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def main() -> None:
    """Script mode (SQLite file): migrate, race ROUNDS times, print one JSON line."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from dangqun.orgs.kinds import load_default_kinds
    from dangqun.orgs.models import OrganizationKind
    from dangqun.servicedesk.models import WishEvent

    if not OrganizationKind.objects.exists():
        load_default_kinds(OrganizationKind)
    center, users = setup()
    report = {"vendor": connection.vendor, "rounds": []}
    if connection.vendor == "sqlite":
        report["journal"] = connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]
    for round_no in range(ROUNDS):
        wish = new_wish(center, round_no)
        report["rounds"].append(dict(race(wish.pk, users)))
    report["claims"] = WishEvent.objects.filter(action="claim").count()
    print(json.dumps(report, ensure_ascii=False))
    connection.close()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
