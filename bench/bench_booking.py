"""Booking benchmark: creation and availability under gunicorn ×4 on loopback, beside two floors
measured in the same run (the minimal JSON view, and the bare endpoints of bench/bare_booking.py
doing only the same lock + overlap check + insert, or the same queries), then races.

    .venv/bin/python bench/bench_booking.py [--database sqlite|postgres|both] [--requests 1500]

PostgreSQL uses its own database `bench_booking` (dropped and created afresh), never `test`.
Targets: ≥ 150 bookings/s and ≥ 300 availability requests/s at 8 clients, each ≥ 60% of its bare
floor; 7 races of 20 simultaneous identical requests for a free slot → exactly one accepted each.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from datetime import datetime, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import BENCH_DIR, setup_django  # noqa: E402
from bench.loadgen import Request, run_load  # noqa: E402
from bench.server import gunicorn  # noqa: E402

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_URL = "postgres://postgres@127.0.0.1:5432/bench_booking"
SPACES = 8  # bookings of one client round spread over eight spaces (each space row is its own lock)
ROUNDS = 3  # floors and ours interleaved; ratios are the median of the per-round ratios
MAX_SECONDS = 120


def fresh_postgres() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS bench_booking")
        conn.execute("CREATE DATABASE bench_booking")


def build():
    """An organization, a center open 00:00–23:59 every day, eight auto-accepting spaces for ours,
    eight for the bare floor, one for the races, and a kiosk token."""
    from dangqun.accounts.devices import register_device
    from dangqun.centers.services import create_center, create_space
    from dangqun.orgs.kinds import load_default_kinds
    from dangqun.orgs.models import OrganizationKind
    from dangqun.orgs.services import create_organization

    if not OrganizationKind.objects.exists():
        load_default_kinds(OrganizationKind)
    org = create_organization(actor=None, parent=None, name="压测市委", kind="local_committee")
    week = {day: ["00:00", "23:59"] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    center = create_center(
        actor=None, organization=org, data={"name": "压测中心", "slug": "bench", "opening_hours": week}
    )

    def space(name):
        return create_space(
            actor=None, center=center, data={"name": name, "capacity": 50, "auto_accept": True}
        )

    ours = [space(f"功能区{i}") for i in range(SPACES)]
    bare = [space(f"对照区{i}") for i in range(SPACES)]
    race = space("抢订区")
    _device, token = register_device(actor=None, organization=org, name="压测大屏", kind="kiosk")
    return ours, bare, race, token


def slots(spaces, count: int, *, offset_days: int):
    """`count` distinct free 30-minute slots, spread over the spaces, from tomorrow + offset on."""
    from django.utils import timezone

    first = timezone.localdate() + timedelta(days=1 + offset_days)
    per_day = 46  # 00:00 … 22:30 starts
    tz = timezone.get_current_timezone()
    for i in range(count):
        space = spaces[i % len(spaces)]
        n = i // len(spaces)
        day, index = first + timedelta(days=n // per_day), n % per_day
        start = timezone.make_aware(datetime.combine(day, time(0, 0)) + timedelta(minutes=30 * index), tz)
        yield space, start, start + timedelta(minutes=30)


def booking_requests(spaces, count, offset_days, token, *, bare: bool) -> list[Request]:
    out = []
    for space, start, end in slots(spaces, count, offset_days=offset_days):
        body = {"space_id": space.pk, "starts_at": start.isoformat(), "ends_at": end.isoformat()}
        if bare:
            out.append(Request.json("POST", "/bench/booking/book/", body))
        else:
            body.update(
                mode="borrow", purpose="压测", attendees=3, contact_name="王五", contact_mobile="13912345678"
            )
            out.append(
                Request.json("POST", "/api/v1/centers/bookings", body, {"Authorization": f"Bearer {token}"})
            )
    return out


def line(label: str, result, floors: dict[str, float]) -> str:
    ratios = "  ".join(f"{result.rate / rate:.0%} of {name}" for name, rate in floors.items())
    return (f"  {label:<34} {result.rate:8,.0f} req/s  p95 {result.percentile(95):6.1f} ms  "
            f"statuses {dict(result.statuses)}  {ratios}")  # fmt: skip


def best(results):
    return max(results, key=lambda r: r.rate)


def median_ratio(ours, floor) -> float:
    """Median over rounds of ours/floor, each pair measured back to back (robust on a busy machine)."""
    ratios = sorted(o.rate / f.rate for o, f in zip(ours, floor, strict=True))
    return ratios[len(ratios) // 2]


def load(host, port, requests, concurrency=8):
    return run_load(host, port, requests, concurrency=concurrency, max_seconds=MAX_SECONDS)


def run(database: str, count: int, races: int) -> bool:
    if database == "postgres":
        os.environ["DATABASE_URL"] = PG_URL
        fresh_postgres()
    else:
        os.environ.pop("DATABASE_URL", None)
    setup_django("booking", fresh=True)
    from django.db import connection

    ours, bare, race_space, token = build()
    days_per_round = count // (SPACES * 46) + 1
    print(
        f"\n== {connection.vendor}: {count} requests per run, 8 clients, best of {ROUNDS} rounds ==",
        flush=True,
    )
    ok = True
    with gunicorn(BENCH_DIR / "booking", database_url=os.environ.get("DATABASE_URL")) as (host, port):
        load(host, port, [Request("GET", "/bench/json/")] * 200)  # warm the workers
        floor_json, bare_book, our_book = [], [], []
        for round_ in range(ROUNDS):
            floor_json.append(load(host, port, [Request("GET", "/bench/json/")] * count))
            offset = round_ * days_per_round
            bare_book.append(load(host, port, booking_requests(bare, count, offset, token, bare=True)))
            our_book.append(load(host, port, booking_requests(ours, count, offset, token, bare=False)))
        floor, bare_b, ours_b = best(floor_json), best(bare_book), best(our_book)
        print("booking creation (each request a real insert in a distinct free slot):")
        print(line("minimal JSON view (floor)", floor, {}))
        print(line("bare lock+check+insert (floor)", bare_b, {"JSON": floor.rate}))
        print(line("POST /api/v1/centers/bookings", ours_b, {"JSON": floor.rate, "bare": bare_b.rate}))
        book_ratio = median_ratio(our_book, bare_book)
        print(f"  per round ours/bare: {', '.join(f'{o.rate:.0f}/{b.rate:.0f}' for o, b in zip(our_book, bare_book, strict=True))}"
              f"  → median ratio {book_ratio:.0%}")  # fmt: skip
        created_ok = all(set(r.statuses) == {201} for r in bare_book + our_book)
        ok &= created_ok and ours_b.rate >= 150 and book_ratio >= 0.6

        # Availability of full days (46 bookings each) of our spaces, same requests for both.
        from django.utils import timezone

        day = timezone.localdate() + timedelta(days=1)
        days = [day + timedelta(days=i % max(days_per_round * ROUNDS - 1, 1)) for i in range(count)]
        ours_req = [
            Request("GET", f"/api/v1/centers/spaces/{ours[i % SPACES].pk}/availability?day={d}")
            for i, d in enumerate(days)
        ]
        bare_req = [
            Request("GET", f"/bench/booking/availability/{ours[i % SPACES].pk}/?day={d}")
            for i, d in enumerate(days)
        ]
        bare_a, ours_a = [], []
        for _round in range(ROUNDS):
            bare_a.append(load(host, port, bare_req))
            ours_a.append(load(host, port, ours_req))
        bare_av, ours_av = best(bare_a), best(ours_a)
        print("availability of one space for one day (46 bookings in it):")
        print(line("bare same queries (floor)", bare_av, {"JSON": floor.rate}))
        print(line("GET …/spaces/{id}/availability", ours_av, {"JSON": floor.rate, "bare": bare_av.rate}))
        av_ratio = median_ratio(ours_a, bare_a)
        print(f"  per round ours/bare: {', '.join(f'{o.rate:.0f}/{b.rate:.0f}' for o, b in zip(ours_a, bare_a, strict=True))}"
              f"  → median ratio {av_ratio:.0%}")  # fmt: skip
        ok &= all(set(r.statuses) == {200} for r in bare_a + ours_a)
        ok &= ours_av.rate >= 300 and av_ratio >= 0.6

        # Races: 20 identical requests at once for one free slot, 7 times.
        print(f"races: {races} × 20 simultaneous identical requests for a free slot (kiosk POST):")
        start = timezone.make_aware(datetime.combine(day + timedelta(days=60), time(9, 0)))
        outcomes = []
        for i in range(races):
            lo = start + timedelta(hours=i)
            body = {"space_id": race_space.pk, "starts_at": lo.isoformat(), "ends_at": (lo + timedelta(hours=1)).isoformat(),
                    "mode": "borrow", "purpose": "抢订", "attendees": 5, "contact_name": "赵六", "contact_mobile": "13700137000"}  # fmt: skip
            request = Request.json(
                "POST", "/api/v1/centers/bookings", body, {"Authorization": f"Bearer {token}"}
            )
            result = load(host, port, [request] * 20, concurrency=20)
            outcomes.append(dict(result.statuses))
        from dangqun.centers.models import Booking

        accepted = Booking.objects.filter(space=race_space, status="accepted").count()
        print(f"  statuses per race: {outcomes}")
        print(f"  accepted rows in the database: {accepted} (expected {races})")
        ok &= all(o == {201: 1, 409: 19} for o in outcomes) and accepted == races
    print(f"  => {'PASS' if ok else 'FAIL'} ({connection.vendor})", flush=True)
    return ok


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--races", type=int, default=7)
    args = parser.parse_args()
    if args.database == "both":
        codes = [
            subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--database",
                    db,
                    "--requests",
                    str(args.requests),
                    "--races",
                    str(args.races),
                ],
                check=False,
            ).returncode  # fmt: skip
            for db in ("sqlite", "postgres")
        ]
        sys.exit(max(codes))
    sys.exit(0 if run(args.database, args.requests, args.races) else 1)


if __name__ == "__main__":
    main()
