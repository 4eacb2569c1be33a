"""The floor every load benchmark is read against: a minimal JSON view under gunicorn ×4."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import BENCH_DIR, setup_django  # noqa: E402
from bench.loadgen import Request, run_load  # noqa: E402
from bench.server import gunicorn  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=5000)
    args = parser.parse_args()
    setup_django("json")
    with gunicorn(BENCH_DIR / "json") as (host, port):
        for concurrency in (8, 32):
            result = run_load(host, port, [Request("GET", "/bench/json/")] * args.requests, concurrency=concurrency)
            print(f"minimal JSON view, {concurrency} clients: {result.rate:,.0f} req/s, p95 {result.percentile(95):.1f} ms, statuses {dict(result.statuses)}")


if __name__ == "__main__":
    main()
