"""Calendar arithmetic for deadlines (RULES.md §3: months clamped to the month end)."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """2024-01-31 + 1 → 2024-02-29; 2024-02-29 + 12 → 2025-02-28."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))
