"""`make bench`: every benchmark, each figure beside its floor (import, search, pinyin, check-in,
booking and availability, the quarter's 报告单 PDFs).

    .venv/bin/python bench/run_all.py [--quick]

--quick uses smaller sizes (a smoke run); the closing notes quote the full sizes.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(script: str, *args: str) -> None:
    print(f"\n$ {Path(sys.executable).name} bench/{script} {' '.join(args)}", flush=True)
    subprocess.run([sys.executable, str(HERE / script), *args], check=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        run("bench_import.py", "--rows", "10000")
        run("bench_search.py", "--persons", "100000", "--queries", "100")
    else:
        run("bench_import.py", "--rows", "100000")
        run("bench_search.py", "--persons", "1000000", "--queries", "300")
    run("bench_pinyin.py")
    if args.quick:
        run("bench_checkin.py", "--database", "sqlite", "--scans", "500")
        run("bench_booking.py", "--database", "sqlite", "--requests", "500", "--races", "2")
        run("bench_reports_pdf.py", "--cadres", "100")
    else:
        run("bench_checkin.py", "--database", "both", "--scans", "2000")
        run("bench_booking.py", "--database", "both")
        run("bench_reports_pdf.py", "--cadres", "1000")


if __name__ == "__main__":
    main()
