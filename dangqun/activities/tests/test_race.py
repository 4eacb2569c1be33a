"""Twenty simultaneous scans of one pass give exactly one `ok` — on PostgreSQL in-process (one
connection per thread to the test database), on SQLite in a subprocess against a file database
with the production settings (WAL, IMMEDIATE), because the in-memory test database cannot race."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from dangqun.activities.tests import race

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_simultaneous_scans_admit_once(tmp_path):
    if connection.vendor == "sqlite":
        completed = subprocess.run(
            [sys.executable, "-m", "dangqun.activities.tests.race", str(tmp_path)],
            cwd=ROOT, capture_output=True, text=True, timeout=600,
            env={k: v for k, v in __import__("os").environ.items() if k != "DATABASE_URL"},
        )  # fmt: skip
        assert completed.returncode == 0, completed.stderr[-3000:]
        out = json.loads(completed.stdout.strip().splitlines()[-1])
        assert out["vendor"] == "sqlite" and out["database"].startswith(str(tmp_path))
    else:
        device_id, activity_id, codes = race.build_scene()
        out = {"races": [], "same_nonce": None}
        for code in codes[:-1]:
            out["races"].append(dict(race.race(device_id=device_id, activity_id=activity_id, code=code)))
        out["same_nonce"] = dict(
            race.race(device_id=device_id, activity_id=activity_id, code=codes[-1], same_nonce=True)
        )
        out.update(race.ok_rows(activity_id))
    assert out["races"] == [{"ok": 1, "already_checked_in": 19}] * 5
    # Twenty retries of one request (same nonce): one decision, every caller gets it.
    assert out["same_nonce"] == {"ok": 20}
    assert (out["checked_in"], out["ok_scans"], out["scans"]) == (6, 6, 101)
