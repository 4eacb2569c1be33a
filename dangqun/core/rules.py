"""Rules as data (DESIGN convention 6): every threshold is a versioned row with an effective date.

Apps register their defaults (from RULES.md) with `register`; an administrator may add rows that
override a default from a date on, for everyone or for one organization's subtree (where the rule
allows tenants to override it). `value(key, on=…, org_path=…)` answers with the row in force.

Rules are read on hot paths (every booking, every check-in) and change a few times a year, so each
process keeps a key's rows for `RULES_CACHE_SECONDS` (default 30): a save or delete clears this
process's copy at once, other processes see the change within that time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True)
class RuleDefault:
    key: str
    value: Any
    unit: str
    source: str
    mark: str  # V S M L D (RULES.md marks)
    overridable: bool = True
    description: str = ""


_DEFAULTS: dict[str, RuleDefault] = {}


def register(key: str, value: Any, *, unit: str = "", source: str = "", mark: str = "D",
             overridable: bool = True, description: str = "") -> None:  # fmt: skip
    _DEFAULTS[key] = RuleDefault(key, value, unit, source, mark, overridable, description)


def defaults() -> dict[str, RuleDefault]:
    return dict(_DEFAULTS)


_clock = time.monotonic  # replaced in tests
_cached_rows: dict[str, tuple[float, list[tuple[date, str, Any]]]] = {}


def clear_cache(**_signal_kwargs) -> None:
    """Forget every cached rule row in this process (RuleValue saved or deleted; tests)."""
    _cached_rows.clear()


def _rows(key: str) -> list[tuple[date, str, Any]]:
    """(effective_from, org_path, value) of the key's rows, newest first."""
    from dangqun.core.models import RuleValue

    now = _clock()
    hit = _cached_rows.get(key)
    if hit is not None and now - hit[0] < getattr(settings, "RULES_CACHE_SECONDS", 30):
        return hit[1]
    rows = list(
        RuleValue.objects.filter(key=key)
        .order_by("-effective_from", "-id")
        .values_list("effective_from", "org_path", "value")
    )
    _cached_rows[key] = (now, rows)
    return rows


def value(key: str, *, on: date | None = None, org_path: str = "") -> Any:
    """The value in force on `on` for the organization at `org_path` (deepest override wins)."""
    if key not in _DEFAULTS:
        raise KeyError(f"unknown rule {key!r}")
    on = on or timezone.localdate()
    best: tuple[date, str, Any] | None = None
    for row in _rows(key):
        effective_from, scope, _value = row
        if effective_from > on:
            continue
        if scope and not (_DEFAULTS[key].overridable and org_path.startswith(scope)):
            continue
        if best is None or len(scope) > len(best[1]):
            best = row
    return best[2] if best is not None else _DEFAULTS[key].value
