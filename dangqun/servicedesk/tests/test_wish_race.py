"""Simultaneous claims on one wish: exactly one member wins, every other gets already_claimed.

PostgreSQL: threads in this process on their own connections. SQLite: a subprocess on a database
file with the production settings (see wish_racing.py for why).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from dangqun.servicedesk.enums import WishState
from dangqun.servicedesk.models import Wish, WishEvent
from dangqun.servicedesk.tests.wish_racing import CLAIMERS, ROUNDS, new_wish, race, setup

ROOT = Path(__file__).resolve().parents[3]
EXPECTED = {"won": 1, "already_claimed": CLAIMERS - 1}


@pytest.mark.django_db(transaction=True)
def test_claim_race_in_process_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite races in a subprocess on a file database")
    center, users = setup("pg")
    for round_no in range(ROUNDS):
        wish = new_wish(center, round_no)
        assert dict(race(wish.pk, users)) == EXPECTED
        wish.refresh_from_db()
        assert wish.state == WishState.CLAIMED
    assert Wish.objects.filter(state=WishState.CLAIMED).count() == ROUNDS
    assert WishEvent.objects.filter(action="claim").count() == ROUNDS


@pytest.mark.django_db
def test_claim_race_on_sqlite_file(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL races in process")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.test", "DANGQUN_VAR_DIR": str(tmp_path)})
    done = subprocess.run(
        [sys.executable, "-m", "dangqun.servicedesk.tests.wish_racing"], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert (report["vendor"], report["journal"]) == ("sqlite", "wal")
    assert report["rounds"] == [EXPECTED] * ROUNDS
    assert report["claims"] == ROUNDS
