"""Thresholds of the last mile (phone pages and kiosk) as rule data; defaults are ours (mark D)."""

from __future__ import annotations

from dangqun.core import rules

POSTS_PER_WINDOW = "portal.anonymous_posts_per_window"
KIOSK_POSTS_PER_WINDOW = "portal.kiosk_posts_per_window"
WINDOW_SECONDS = "portal.rate_window_seconds"
KIOSK_IDLE_SECONDS = "portal.kiosk_idle_seconds"

# The idle time a test (or a technician) may ask for with ?idle=N: never longer than this.
IDLE_OVERRIDE_MAX = 60


def register_defaults() -> None:
    rules.register(
        POSTS_PER_WINDOW,
        10,
        unit="submissions",
        mark="D",
        description="同一 IP（或同一账号）在一个时间窗内可提交的表单数（手机页面）",
    )
    rules.register(
        KIOSK_POSTS_PER_WINDOW,
        60,
        unit="submissions",
        mark="D",
        description="已登记的办事通大屏在一个时间窗内可提交的表单数",
    )
    rules.register(WINDOW_SECONDS, 600, unit="seconds", mark="D", description="提交频率限制的时间窗")
    rules.register(
        KIOSK_IDLE_SECONDS, 60, unit="seconds", mark="D", description="办事通大屏无人操作后返回首页的秒数"
    )


def value(key: str, *, org_path: str = ""):
    return rules.value(key, org_path=org_path)
