"""The device check-in endpoint under gunicorn ×4 on loopback, beside its two floors.

    .venv/bin/python bench/bench_checkin.py [--database sqlite|postgres|both] [--scans 2000]

For each database and for 8 and 32 concurrent scanners, in one run on one server:
- floor 1: the minimal JSON view (GET /bench/json/);
- floor 2: the bare check-in (POST /bench/checkin/: the same pass lookup, conditional UPDATE and
  scan-log INSERT, with no auth, rules, audit or rollups);
- the real endpoint (POST /api/v1/activities/checkin with a scanner's Bearer token and a nonce),
  first scans (every pass new: an `ok` each) and re-scans (`already_checked_in`).
Then 5 races of 20 simultaneous scans of one pass through the real endpoint: exactly one `ok`
each, checked in the responses and in the database.

Targets (issue 3): ≥ 300 first-scan check-ins/s at 8 scanners with p95 ≤ 50 ms; the real endpoint
≥ 60% of the bare one; zero duplicate admissions. PostgreSQL uses its own database bench_checkin
(dropped and re-created), never `test`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import BENCH_DIR, percentile, setup_django  # noqa: E402
from bench.loadgen import Request, run_load  # noqa: E402
from bench.server import gunicorn  # noqa: E402

PG_URL = "postgres://postgres@127.0.0.1:5432/bench_checkin"
CONCURRENCY = (8, 32)
RACES, RACERS = 5, 20
ROUNDS = 4


class Merged:
    """Several loadgen results of one kind, read as one (rates over the summed time)."""

    def __init__(self, label: str):
        self.label = label
        self.latencies_ms: list[float] = []
        self.bodies: list[bytes] = []
        self.seconds = 0.0

    def add(self, result) -> None:
        self.latencies_ms += result.latencies_ms
        self.bodies += result.bodies
        self.seconds += result.seconds

    @property
    def rate(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0

    def percentile(self, pct: float) -> float:
        return percentile(self.latencies_ms, pct) if self.latencies_ms else 0.0


def recreate_pg_database() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS bench_checkin WITH (FORCE)")
        conn.execute("CREATE DATABASE bench_checkin")


def build(passes_needed: int):
    """An activity running now, `passes_needed` confirmed registrations, a scanner token."""
    from datetime import timedelta

    from django.utils import timezone

    from dangqun.accounts.devices import register_device
    from dangqun.activities import passes
    from dangqun.activities.catalog import ensure_catalog
    from dangqun.activities.models import Registration
    from dangqun.activities.services.activities import create_activity
    from dangqun.orgs.models import OrganizationKind
    from dangqun.orgs.services import create_organization

    if not OrganizationKind.objects.exists():
        from dangqun.orgs.kinds import load_default_kinds

        load_default_kinds(OrganizationKind)
    ensure_catalog()
    tag = uuid.uuid4().hex[:6]
    root = create_organization(actor=None, parent=None, name=f"压测区委{tag}", kind="local_committee")
    branch = create_organization(actor=None, parent=root, name="压测支部", kind="branch")
    starts = timezone.now() - timedelta(minutes=30)
    activity = create_activity(
        actor=None, organization=branch, activity_type="salon", title="压测活动", place_text="大厅",
        starts_at=starts, ends_at=starts + timedelta(hours=6), audience="public", publish=True,
    )  # fmt: skip
    codes: set[str] = set()
    while len(codes) < passes_needed:
        codes.add(passes.new_code())
    codes_list = sorted(codes)
    Registration.objects.bulk_create(
        [
            Registration(activity=activity, name="来宾", mobile=f"13{i:09d}", source="self", pass_code=code)
            for i, code in enumerate(codes_list)
        ],
        batch_size=2000,
    )
    _device, token = register_device(actor=None, organization=root, name="压测扫码枪", kind="scanner")
    return activity.pk, codes_list, token


def real(activity_id: int, code: str, token: str) -> Request:
    body = {"activity_id": activity_id, "code": code, "client_nonce": uuid.uuid4().hex}
    return Request.json("POST", "/api/v1/activities/checkin", body, {"Authorization": f"Bearer {token}"})


def bare(activity_id: int, code: str) -> Request:
    return Request.json("POST", "/bench/checkin/", {"activity_id": activity_id, "code": code})


def results_of(result) -> dict[str, int]:
    counts: dict[str, int] = {}
    for body in result.bodies:
        try:
            key = json.loads(body)["result"]
        except (ValueError, KeyError):
            key = f"http-{body[:40]!r}"
        counts[key] = counts.get(key, 0) + 1
    return counts


def line(label: str, result, floor=None) -> str:
    text = f"  {label:<34} {result.rate:8,.0f}/s  p50 {result.percentile(50):6.1f} ms  p95 {result.percentile(95):6.1f} ms"
    if floor is not None and floor.rate:
        text += f"  = {result.rate / floor.rate:5.0%} of {floor_label(floor)}"
    return text


def floor_label(result) -> str:
    return getattr(result, "label", "floor")


def run_one(database: str, scans: int) -> dict:
    if database == "postgres":
        recreate_pg_database()
        os.environ["DATABASE_URL"] = PG_URL
        setup_django("checkin_pg")
    else:
        os.environ.pop("DATABASE_URL", None)
        setup_django("checkin", fresh=True)
    from django.db import connections

    per_phase = scans
    needed = 2 * len(CONCURRENCY) * per_phase + RACES
    activity_id, codes, token = build(needed)
    connections.close_all()
    pools = {}
    cursor = 0
    for concurrency in CONCURRENCY:
        for kind in ("real", "bare"):
            pools[(kind, concurrency)] = codes[cursor : cursor + per_phase]
            cursor += per_phase
    race_codes = codes[cursor : cursor + RACES]

    summary = {"database": database, "phases": {}, "races": []}
    var_dir = BENCH_DIR / ("checkin_pg" if database == "postgres" else "checkin")
    print(f"\n== {database}: {per_phase} scans per phase, gunicorn ×4 on loopback ==", flush=True)
    with gunicorn(var_dir, database_url=PG_URL if database == "postgres" else None) as (host, port):
        # Warm every worker (imports, connections) before measuring.
        run_load(host, port, [Request("GET", "/bench/json/")] * 200, concurrency=8)
        run_load(host, port, [real(activity_id, "WARMUP2345", token)] * 100, concurrency=8)
        run_load(host, port, [bare(activity_id, "WARMUP2345")] * 100, concurrency=8)
        for concurrency in CONCURRENCY:
            # Interleave the floors and the endpoint in rounds, so that the load other processes put
            # on this shared machine falls on all of them alike.
            floor, bare_first, real_first = Merged("JSON floor"), Merged("bare first scans"), Merged("real")
            bare_again, real_again = Merged("bare re-scans"), Merged("real re-scans")
            bare_pool, real_pool = pools[("bare", concurrency)], pools[("real", concurrency)]
            size = max(1, per_phase // ROUNDS)
            for start in range(0, per_phase, size):
                bare_chunk, real_chunk = bare_pool[start : start + size], real_pool[start : start + size]
                floor.add(
                    run_load(
                        host,
                        port,
                        [Request("GET", "/bench/json/")] * len(bare_chunk),
                        concurrency=concurrency,
                    )
                )
                bare_first.add(run_load(host, port, [bare(activity_id, c) for c in bare_chunk],
                                        concurrency=concurrency, keep_bodies=True))  # fmt: skip
                real_first.add(run_load(host, port, [real(activity_id, c, token) for c in real_chunk],
                                        concurrency=concurrency, keep_bodies=True))  # fmt: skip
            for start in range(0, per_phase, size):
                bare_chunk, real_chunk = bare_pool[start : start + size], real_pool[start : start + size]
                bare_again.add(run_load(host, port, [bare(activity_id, c) for c in bare_chunk],
                                        concurrency=concurrency, keep_bodies=True))  # fmt: skip
                real_again.add(run_load(host, port, [real(activity_id, c, token) for c in real_chunk],
                                        concurrency=concurrency, keep_bodies=True))  # fmt: skip
            print(f" {concurrency} concurrent scanners", flush=True)
            print(line("minimal JSON view (floor)", floor))
            print(line("bare check-in, first scans", bare_first, floor))
            print(line("real check-in, first scans", real_first, bare_first))
            print(line("bare check-in, re-scans", bare_again, floor))
            print(line("real check-in, re-scans", real_again, bare_again))
            outcome = {
                "bare_first": results_of(bare_first),
                "real_first": results_of(real_first),
                "bare_again": results_of(bare_again),
                "real_again": results_of(real_again),
            }
            print(f"  results: {outcome}")
            summary["phases"][concurrency] = {
                "json": floor.rate,
                "bare_first": bare_first.rate,
                "real_first": real_first.rate,
                "real_first_p95": real_first.percentile(95),
                "bare_again": bare_again.rate,
                "real_again": real_again.rate,
                "real_again_p95": real_again.percentile(95),
                "outcome": outcome,
            }
        for code in race_codes:
            race = run_load(host, port, [real(activity_id, code, token) for _ in range(RACERS)],
                            concurrency=RACERS, keep_bodies=True)  # fmt: skip
            summary["races"].append(results_of(race))
    from dangqun.activities.models import Registration, ScanLog

    db_ok = {
        code: (
            Registration.objects.filter(pass_code=code, checked_in_at__isnull=False).count(),
            ScanLog.objects.filter(registration__pass_code=code, result="ok").count(),
        )
        for code in race_codes
    }
    duplicates = sum(max(0, ok - 1) for _admitted, ok in db_ok.values())
    summary["race_db"] = list(db_ok.values())
    summary["duplicate_admissions"] = duplicates
    print(f" races of {RACERS} simultaneous scans of one pass: {summary['races']}")
    print(
        f"  database (checked in, ok scans) per raced pass: {summary['race_db']}; duplicate admissions: {duplicates}"
    )
    eight = summary["phases"][8]
    verdict = (
        eight["real_first"] >= 300
        and eight["real_first_p95"] <= 50
        and eight["real_first"] >= 0.6 * eight["bare_first"]
        and duplicates == 0
        and all(r == {"ok": 1, "already_checked_in": RACERS - 1} for r in summary["races"])
    )
    print(
        f" targets at 8 scanners (≥ 300/s, p95 ≤ 50 ms, ≥ 60% of bare, no duplicates): {'MET' if verdict else 'NOT MET'}"
    )
    return summary


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--scans", type=int, default=2000, help="scans per phase")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON at the end")
    args = parser.parse_args()
    if args.database == "both":
        for database in ("sqlite", "postgres"):
            subprocess.run(
                [sys.executable, __file__, "--database", database, "--scans", str(args.scans)], check=True
            )
        return
    summary = run_one(args.database, args.scans)
    if args.json:
        print(json.dumps(summary, default=str))


if __name__ == "__main__":
    main()
