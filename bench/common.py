"""Shared set-up for benchmarks: a throwaway database under var/bench, never the demo's."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"


def setup_django(db_name: str = "bench", *, fresh: bool = False) -> None:
    """Point the app at var/bench/<db_name>/ (or DATABASE_URL if set) and migrate."""
    sys.path.insert(0, str(ROOT))
    var_dir = BENCH_DIR / db_name
    if fresh and not os.environ.get("DATABASE_URL"):
        for suffix in ("", "-wal", "-shm"):
            (var_dir / f"dangqun.sqlite3{suffix}").unlink(missing_ok=True)
    var_dir.mkdir(parents=True, exist_ok=True)
    os.environ["DANGQUN_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]
