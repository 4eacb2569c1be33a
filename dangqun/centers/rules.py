"""Booking thresholds as rule data (DESIGN convention 6); defaults are ours (mark D)."""

from __future__ import annotations

import time

from dangqun.core import rules

MAX_DAYS_AHEAD = "centers.booking_max_days_ahead"
MAX_HOURS = "centers.booking_max_hours"
MAX_SERIES = "centers.booking_max_occurrences"
PHOTO_MAX_BYTES = "centers.photo_max_bytes"
PHOTO_MAX_PIXELS = "centers.photo_max_pixels"
SUGGESTIONS = "centers.booking_suggestions"
SUGGESTION_DAYS = "centers.booking_suggestion_days"


def register_defaults() -> None:
    rules.register(MAX_DAYS_AHEAD, 90, unit="days", mark="D", description="最多可提前多少天预约场地")
    rules.register(MAX_HOURS, 12, unit="hours", mark="D", description="单次场地预约的最长时长")
    rules.register(MAX_SERIES, 26, unit="occurrences", mark="D", description="一次周期预约最多的次数")
    rules.register(PHOTO_MAX_BYTES, 5 * 1024 * 1024, unit="bytes", mark="D", description="功能区照片大小上限")
    rules.register(
        PHOTO_MAX_PIXELS, 40_000_000, unit="pixels", mark="D", description="功能区照片像素上限（防解压炸弹）"
    )
    rules.register(SUGGESTIONS, 3, unit="slots", mark="D", description="时段被占用时推荐的最近空闲时段数")
    rules.register(SUGGESTION_DAYS, 7, unit="days", mark="D", description="推荐空闲时段时向前后查找的天数")


_TTL_SECONDS = 30.0
_memo: dict[str, tuple[float, object]] = {}


def current(key: str):
    """`rules.value(key)` for today, remembered for 30 s per process: the booking hot path reads
    four rules per request, and an administrator's change takes effect within half a minute."""
    now = time.monotonic()
    hit = _memo.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = rules.value(key)
    _memo[key] = (now + _TTL_SECONDS, value)
    return value


def forget() -> None:
    _memo.clear()
