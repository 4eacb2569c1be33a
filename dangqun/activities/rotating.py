"""Rotating sign-in codes for the room screen (anti-proxy sign-in, RULES.md §2).

A code is `<activity id>.<window>.<mac>`: `window` counts steps of half the validity since the
epoch, `mac` is an HMAC-SHA256 (key derived from SECRET_KEY) over the activity id and window.
A code is accepted in its own window and the next one, so it lives between ½ and 1 × the
validity (30 s by default); the screen fetches a fresh code every step. A screenshot forwarded a
minute later is `rotating_code_expired`; a code for another activity or with a bad MAC is
refused as unknown.
"""

from __future__ import annotations

import hmac
import time
from dataclasses import dataclass

from django.utils.crypto import salted_hmac

_SALT = "dangqun.activities.rotating"
MAC_CHARS = 16


@dataclass(frozen=True)
class Parsed:
    activity_id: int
    window: int
    mac: str


def step_seconds(valid_seconds: int) -> int:
    return max(1, valid_seconds // 2)


def window_at(now: float, valid_seconds: int) -> int:
    return int(now // step_seconds(valid_seconds))


def _mac(activity_id: int, window: int) -> str:
    return salted_hmac(_SALT, f"{activity_id}:{window}", algorithm="sha256").hexdigest()[:MAC_CHARS]


def make(activity_id: int, *, valid_seconds: int, now: float | None = None) -> tuple[str, float]:
    """(code, seconds until the screen should show the next one)."""
    now = time.time() if now is None else now
    step = step_seconds(valid_seconds)
    window = window_at(now, valid_seconds)
    return f"{activity_id}.{window}.{_mac(activity_id, window)}", (window + 1) * step - now


def _is_number(text: str) -> bool:
    """ASCII digits only (str.isdigit also accepts "²", which int() refuses), at most 18 of them."""
    return 0 < len(text) <= 18 and text.isascii() and text.isdigit()


def parse(code: str) -> Parsed | None:
    """The parts of a well-formed code whose MAC is right, else None (forged or garbled)."""
    parts = (code or "").strip().split(".")
    if len(parts) != 3 or not all(_is_number(p) for p in parts[:2]) or len(parts[2]) != MAC_CHARS:
        return None
    if not parts[2].isascii():  # compare_digest refuses non-ASCII text
        return None
    activity_id, window = int(parts[0]), int(parts[1])
    if not hmac.compare_digest(parts[2], _mac(activity_id, window)):
        return None
    return Parsed(activity_id, window, parts[2])


def is_fresh(parsed: Parsed, *, valid_seconds: int, now: float | None = None) -> bool:
    now = time.time() if now is None else now
    current = window_at(now, valid_seconds)
    return current - 1 <= parsed.window <= current
