"""Periodic jobs: apps register idempotent functions of `now`; `manage.py run_jobs` runs them.

The embedded mode runs `run_jobs --loop` beside the web server (see `make run`); the scale mode
calls the same functions from a scheduler (Celery beat or cron). A job takes the current time as
an argument, so tests run it with a frozen clock, and it must be safe to run twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    run: Callable[[datetime], object]
    description: str = ""


_JOBS: dict[str, Job] = {}


def register(name: str, *, every: timedelta, description: str = ""):
    """Decorator: `@jobs.register("activities.reminders", every=timedelta(hours=1))`."""

    def decorator(function: Callable[[datetime], object]):
        _JOBS[name] = Job(name, every, function, description)
        return function

    return decorator


def registered() -> dict[str, Job]:
    return dict(_JOBS)
