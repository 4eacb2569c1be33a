"""Rules as data (DESIGN convention 6): every threshold is a versioned row with an effective date.

Apps register their defaults (from RULES.md) with `register`; an administrator may add rows that
override a default from a date on, for everyone or for one organization's subtree (where the rule
allows tenants to override it). `value(key, on=…, org_path=…)` answers with the row in force.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

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


def value(key: str, *, on: date | None = None, org_path: str = "") -> Any:
    """The value in force on `on` for the organization at `org_path` (deepest override wins)."""
    from dangqun.core.models import RuleValue

    if key not in _DEFAULTS:
        raise KeyError(f"unknown rule {key!r}")
    on = on or timezone.localdate()
    rows = RuleValue.objects.filter(key=key, effective_from__lte=on).order_by("-effective_from", "-id")
    best = None
    for row in rows:
        scope = row.org_path
        if scope and not (_DEFAULTS[key].overridable and org_path.startswith(scope)):
            continue
        if best is None or len(scope) > len(best.org_path):
            best = row
    return best.value if best is not None else _DEFAULTS[key].value
