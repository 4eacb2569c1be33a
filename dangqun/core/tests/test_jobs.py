from datetime import UTC, datetime, timedelta

import pytest

from dangqun.core import jobs
from dangqun.core.management.commands.run_jobs import run_due
from dangqun.core.models import JobRun

pytestmark = pytest.mark.django_db
calls: list[datetime] = []


@pytest.fixture(autouse=True)
def sample_jobs():
    calls.clear()
    jobs.register("test.tick", every=timedelta(hours=1))(lambda now: calls.append(now) or len(calls))

    def broken(now):
        raise RuntimeError("boom")

    jobs.register("test.broken", every=timedelta(hours=1))(broken)
    yield
    jobs._JOBS.pop("test.tick")
    jobs._JOBS.pop("test.broken")


def test_due_jobs_run_once_per_period_and_failures_are_recorded():
    t0 = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    assert "test.tick" in run_due(now=t0, only="test.tick")
    assert run_due(now=t0 + timedelta(minutes=30), only="test.tick") == []
    assert run_due(now=t0 + timedelta(hours=1), only="test.tick") == ["test.tick"]
    assert calls == [t0, t0 + timedelta(hours=1)]
    assert JobRun.objects.get(name="test.tick").last_result == "2"
    run_due(now=t0, only="test.broken")
    assert "RuntimeError: boom" in JobRun.objects.get(name="test.broken").last_error
