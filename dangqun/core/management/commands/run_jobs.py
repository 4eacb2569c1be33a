"""Run the periodic jobs that are due (or all with --all; forever with --loop)."""

from __future__ import annotations

import time
import traceback

from django.core.management.base import BaseCommand
from django.utils import timezone

from dangqun.core import jobs
from dangqun.core.models import JobRun


def run_due(*, force: bool = False, now=None, only: str | None = None) -> list[str]:
    """Run each due job once; returns the names that ran. One failing job never stops the others."""
    now = now or timezone.now()
    ran = []
    for name, job in sorted(jobs.registered().items()):
        if only and name != only:
            continue
        state, _ = JobRun.objects.get_or_create(name=name)
        if not force and state.last_started_at and now - state.last_started_at < job.every:
            continue
        state.last_started_at = now
        state.save(update_fields=["last_started_at"])
        try:
            result = job.run(now)
            state.last_result, state.last_error = str(result)[:2000], ""
        except Exception:  # noqa: BLE001 — record and go on with the next job
            state.last_error = traceback.format_exc()[-4000:]
        state.last_finished_at = timezone.now()
        state.save(update_fields=["last_result", "last_error", "last_finished_at"])
        ran.append(name)
    return ran


class Command(BaseCommand):
    help = "运行到期的定时任务（提醒、公示到期撤下、超时升级等）"

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="不论是否到期，全部运行一次")
        parser.add_argument("--job", help="只运行这一个任务")
        parser.add_argument("--loop", action="store_true", help="每分钟检查一次，一直运行")

    def handle(self, *args, all: bool, job: str | None, loop: bool, **options):
        while True:
            for name in run_due(force=all, only=job):
                state = JobRun.objects.get(name=name)
                outcome = f"出错：{state.last_error.splitlines()[-1]}" if state.last_error else state.last_result
                self.stdout.write(f"{timezone.localtime():%H:%M:%S} {name}: {outcome}")
            if not loop:
                return
            time.sleep(60)
