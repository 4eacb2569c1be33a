"""Start the real app under gunicorn (4 workers) on loopback for a load benchmark."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(var_dir: Path, *, workers: int = 4, database_url: str | None = None):
    """Yield (host, port) of a gunicorn serving config.wsgi with the bench endpoints mounted."""
    port = free_port()
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DJANGO_DEBUG": "false",
            "DANGQUN_VAR_DIR": str(var_dir),
            "DANGQUN_BENCH_ENDPOINTS": "1",
            "DANGQUN_REQUEST_LOG_LEVEL": "ERROR",  # 409s are the races' expected answers
        }
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    command = [
        str(Path(sys.executable).parent / "gunicorn"), "config.wsgi:application",
        "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
        "--access-logfile", "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
            time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        time.sleep(1.0)  # let every worker boot
        yield "127.0.0.1", port
    finally:
        process.terminate()
        process.wait(timeout=30)
