"""Simultaneous identical booking requests in threads (each thread its own database connection).

`race()` is used in-process by the PostgreSQL test. pytest-django's SQLite test database lives in
memory, where every thread shares one connection (no real race), so for SQLite the test runs this
module as a script against a fresh database FILE (WAL, the same IMMEDIATE settings as production):

    DJANGO_SETTINGS_MODULE=config.settings.test DANGQUN_VAR_DIR=/tmp/x python -m dangqun.centers.tests.racing
"""

from __future__ import annotations

import json
import sys
import threading
from collections import Counter
from datetime import datetime


def race(space_id: int, starts_at: datetime, ends_at: datetime, *, clients: int = 20, mode: str = "borrow",
         attendees: int = 5) -> Counter:  # fmt: skip
    """Outcome counts: {"accepted": n, "slot_taken": n, ...}; every thread starts at the same barrier."""
    from django.db import connection

    from dangqun.centers.enums import Channel
    from dangqun.centers.models import Space
    from dangqun.centers.services import Requester, request_booking
    from dangqun.core.errors import DomainError

    barrier = threading.Barrier(clients)
    outcomes: Counter = Counter()
    lock = threading.Lock()

    def client(index: int) -> None:
        try:
            space = Space.objects.select_related("center").get(pk=space_id)
            barrier.wait(timeout=30)
            try:
                booking = request_booking(
                    actor=None, space=space, starts_at=starts_at, ends_at=ends_at, mode=mode, purpose="抢订",
                    attendees=attendees, requester=Requester.person(f"申请人{index}", "13800138000"),
                    channel=Channel.PHONE,
                )  # fmt: skip
                result = booking.status
            except DomainError as exc:
                result = exc.code
            except Exception as exc:  # noqa: BLE001 - reported, the test fails on it
                result = f"error:{type(exc).__name__}:{exc}"
            with lock:
                outcomes[result] += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def _setup_space(name: str, *, capacity: int = 20, sharing: bool = False):
    from dangqun.centers.services import create_center, create_space
    from dangqun.orgs.services import create_organization

    org = create_organization(actor=None, parent=None, name=f"竞争测试{name}", kind="local_committee")
    week = {day: ["00:00", "23:59"] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    center = create_center(
        actor=None, organization=org, data={"name": name, "slug": f"race-{name}", "opening_hours": week}
    )
    return create_space(
        actor=None, center=center,
        data={"name": "党建图书馆", "capacity": capacity, "auto_accept": True, "allows_sharing": sharing},
    )  # fmt: skip


def main() -> None:
    """Script mode (SQLite file): migrate, then run the races; prints one JSON line."""
    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from dangqun.orgs.kinds import load_default_kinds
    from dangqun.orgs.models import OrganizationKind

    if not OrganizationKind.objects.exists():
        load_default_kinds(OrganizationKind)
    exclusive = _setup_space("exclusive")
    shared = _setup_space("shared", capacity=20, sharing=True)
    base = timezone.localtime().replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    report = {"vendor": connection.vendor, "journal": ""}
    if connection.vendor == "sqlite":
        report["journal"] = connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]
    report["exclusive"] = [
        dict(race(exclusive.pk, base + timedelta(hours=i), base + timedelta(hours=i, minutes=30)))
        for i in range(3)
    ]
    # 20 clients × 3 people for 合用 up to 20: exactly 6 get in.
    report["shared"] = dict(race(shared.pk, base, base + timedelta(hours=1), mode="shared", attendees=3))
    from dangqun.centers.models import Booking

    report["rows"] = Booking.objects.filter(status="accepted").count()
    print(json.dumps(report, ensure_ascii=False))
    connection.close()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
