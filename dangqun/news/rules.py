"""Thresholds of the notices app, as rules (dangqun.core.rules)."""

from dangqun.core import rules

REMIND_INTERVAL = "news.remind_interval_minutes"

rules.register(
    REMIND_INTERVAL,
    10,
    unit="分钟",
    source="设计默认：防止重复点击“再次提醒”造成重复推送与邮件",
    mark="D",
    description="同一通知两次“再次提醒”之间的最短间隔",
)
