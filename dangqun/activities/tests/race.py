"""Races for the check-in tests: N threads, each with its own database connection, released at
once by a barrier, scan the same pass. Also runnable as a script against a fresh file SQLite
database (WAL, IMMEDIATE transactions — the production settings), because pytest-django's
in-memory SQLite test database is one shared-cache connection and would not race at all:

    python -m dangqun.activities.tests.race <empty dir>   → prints JSON results
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections import Counter


def race(
    *, device_id: int, activity_id: int, code: str, threads: int = 20, same_nonce: bool = False
) -> Counter:
    """Results of `threads` simultaneous scans of `code` (each its own nonce, or all the same)."""
    from django.db import connection

    from dangqun.accounts.models import Device
    from dangqun.activities.services.checkin import scan_pass

    barrier = threading.Barrier(threads)
    results: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        try:
            device = Device.objects.select_related("organization").get(pk=device_id)
            barrier.wait(timeout=30)
            answer = scan_pass(
                device=device, activity_id=activity_id, code=code,
                client_nonce=f"{code}-same" if same_nonce else f"{code}-{n}",
            )  # fmt: skip
            with lock:
                results.append(answer.result)
        except BaseException as exc:  # noqa: BLE001 — reported to the test
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=120)
    if errors:
        raise errors[0]
    return Counter(results)


def build_scene(races: int = 5):
    """A public activity running now, one registration per race, a scanner. Returns ids and codes."""
    from datetime import timedelta

    from dangqun.accounts.devices import register_device
    from dangqun.activities.catalog import ensure_catalog
    from dangqun.activities.services.activities import create_activity
    from dangqun.activities.services.registrations import register_guest
    from dangqun.orgs.models import OrganizationKind
    from dangqun.orgs.services import create_organization

    if not OrganizationKind.objects.exists():
        from dangqun.orgs.kinds import load_default_kinds

        load_default_kinds(OrganizationKind)
    ensure_catalog()
    from django.utils import timezone

    root = create_organization(actor=None, parent=None, name="竞争测试区委", kind="local_committee")
    starts = timezone.now() - timedelta(minutes=30)
    activity = create_activity(
        actor=None, organization=root, activity_type="salon", title="竞争测试", place_text="大厅",
        starts_at=starts, ends_at=starts + timedelta(hours=2), audience="public", publish=True,
    )  # fmt: skip
    codes = [
        register_guest(
            activity=activity, name=f"来宾{'一二三四五六七八九十'[i % 10]}", mobile=f"1370000{i:04d}"
        ).pass_code
        for i in range(races + 1)
    ]
    device, _token = register_device(actor=None, organization=root, name="竞争扫码枪", kind="scanner")
    return device.pk, activity.pk, codes


def ok_rows(activity_id: int) -> dict[str, int]:
    from dangqun.activities.models import Registration, ScanLog

    return {
        "checked_in": Registration.objects.filter(
            activity_id=activity_id, checked_in_at__isnull=False
        ).count(),
        "ok_scans": ScanLog.objects.filter(activity_id=activity_id, result="ok").count(),
        "scans": ScanLog.objects.filter(activity_id=activity_id).count(),
    }


def main(var_dir: str) -> None:
    os.environ["DANGQUN_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    device_id, activity_id, codes = build_scene()
    out = {"vendor": connection.vendor, "database": str(connection.settings_dict["NAME"]), "races": []}
    for code in codes[:-1]:
        out["races"].append(dict(race(device_id=device_id, activity_id=activity_id, code=code)))
    out["same_nonce"] = dict(
        race(device_id=device_id, activity_id=activity_id, code=codes[-1], same_nonce=True)
    )
    out.update(ok_rows(activity_id))
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1])
