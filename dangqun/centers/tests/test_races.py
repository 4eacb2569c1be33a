"""Concurrency: 20 simultaneous identical requests for a free slot → exactly one accepted.

PostgreSQL: threads in this process, each on its own connection to the test database (transactional
test, nothing wrapped). SQLite: pytest-django's in-memory database would give every thread the same
connection, so the race runs in a subprocess against a temporary database FILE with the production
settings (WAL, busy timeout, BEGIN IMMEDIATE) — see racing.py. The exclusion constraints themselves
are tested on PostgreSQL by writing past the service.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from dangqun.centers.models import Booking
from dangqun.centers.tests.racing import _setup_space, race

ROOT = Path(__file__).resolve().parents[3]


def _base():
    return timezone.localtime().replace(minute=0, second=0, microsecond=0) + timedelta(days=1)


@pytest.mark.django_db(transaction=True)
def test_race_in_process_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite races in a subprocess on a file database (test_race_on_sqlite_file)")
    space = _setup_space("pg")
    base = _base()
    for round_ in range(3):
        start = base + timedelta(hours=round_)
        outcomes = race(space.pk, start, start + timedelta(minutes=30))
        assert dict(outcomes) == {"accepted": 1, "slot_taken": 19}
    shared = _setup_space("pg-shared", sharing=True)
    outcomes = race(shared.pk, base, base + timedelta(hours=1), mode="shared", attendees=3)
    assert dict(outcomes) == {"accepted": 6, "capacity_full": 14}
    assert Booking.objects.filter(status="accepted").count() == 9


@pytest.mark.django_db
def test_race_on_sqlite_file(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL races in process (test_race_in_process_on_postgresql)")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.test", "DANGQUN_VAR_DIR": str(tmp_path)})
    done = subprocess.run(
        [sys.executable, "-m", "dangqun.centers.tests.racing"], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert (report["vendor"], report["journal"]) == ("sqlite", "wal")
    assert report["exclusive"] == [{"accepted": 1, "slot_taken": 19}] * 3
    assert report["shared"] == {"accepted": 6, "capacity_full": 14}
    assert report["rows"] == 9
    assert (tmp_path / "dangqun.sqlite3").exists()


@pytest.mark.django_db
def test_exclusion_constraints_hold_for_any_writer(tree, library):
    """Past the service (no lock, no check): PostgreSQL itself refuses the overlap."""
    if connection.vendor != "postgresql":
        pytest.skip("exclusion constraints exist on PostgreSQL only")
    start = _base()

    def row(mode, lo, hi, status="accepted"):
        return Booking(space=library, org_path=library.center.org_path, purpose="x", mode=mode, attendees=1,
                       starts_at=lo, ends_at=hi, status=status, requester_kind="person", contact_name="x")  # fmt: skip

    row("borrow", start, start + timedelta(hours=2)).save()
    for mode, lo, hi in [
        ("free_use", start + timedelta(hours=1), start + timedelta(hours=3)),
        ("shared", start + timedelta(minutes=30), start + timedelta(hours=1)),
    ]:
        with pytest.raises(IntegrityError), transaction.atomic():
            row(mode, lo, hi).save()
    row("borrow", start + timedelta(hours=2), start + timedelta(hours=3)).save()  # back to back
    row("borrow", start, start + timedelta(hours=2), status="cancelled").save()  # inactive rows never collide
    row("shared", start + timedelta(hours=3), start + timedelta(hours=4)).save()
    row("shared", start + timedelta(hours=3), start + timedelta(hours=4)).save()  # shared + shared is fine
    with pytest.raises(IntegrityError), transaction.atomic():
        row(
            "borrow", start + timedelta(hours=3, minutes=30), start + timedelta(hours=5), status="pending"
        ).save()
    assert Booking.objects.count() == 5
