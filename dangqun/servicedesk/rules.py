"""Thresholds of the service desk and the wish wall as rule data (DESIGN convention 6)."""

from __future__ import annotations

from dangqun.core import rules

ATTACHMENT_MAX_BYTES = "servicedesk.attachment_max_bytes"
ATTACHMENT_MAX_COUNT = "servicedesk.attachment_max_count"
DEFAULT_PROMISE_WORKING_DAYS = "servicedesk.default_promise_working_days"
NEGATIVE_SCORE_MAX = "servicedesk.negative_score_max"
RECTIFY_WORKING_DAYS = "servicedesk.rectify_working_days"
HOLIDAYS = "servicedesk.holidays"
MAKEUP_WORKDAYS = "servicedesk.makeup_workdays"
WALL_DONE_DAYS = "servicedesk.wall_done_days"
OPEN311_DEFAULT_DAYS = "servicedesk.open311_default_days"
OPEN311_MAX_RESULTS = "servicedesk.open311_max_results"


def register_defaults() -> None:
    rules.register(
        ATTACHMENT_MAX_BYTES, 10 * 1024 * 1024, unit="bytes", mark="D", description="每个附件的大小上限"
    )
    rules.register(ATTACHMENT_MAX_COUNT, 5, unit="files", mark="D", description="每次提交的附件数上限")
    rules.register(
        DEFAULT_PROMISE_WORKING_DAYS,
        5,
        unit="working_days",
        mark="L",
        description="服务事项未设承诺时限时的默认办结时限",
    )
    rules.register(
        NEGATIVE_SCORE_MAX,
        2,
        unit="score",
        source="国办发〔2019〕51号（五级评价：不满意、非常不满意为差评）",
        mark="S",
        description="评分不高于此值为差评，转督办回访",
    )
    rules.register(
        RECTIFY_WORKING_DAYS,
        5,
        unit="working_days",
        source="RULES.md §8.2（5/7/15 天，各地不同）",
        mark="L",
        description="差评整改答复时限",
    )
    rules.register(
        HOLIDAYS, [], unit="dates", mark="L", description="法定节假日（不计入工作日），ISO 日期列表"
    )
    rules.register(MAKEUP_WORKDAYS, [], unit="dates", mark="L", description="调休上班的周末，ISO 日期列表")
    rules.register(WALL_DONE_DAYS, 30, unit="days", mark="D", description="已完成的心愿在心愿墙上保留的天数")
    rules.register(
        OPEN311_DEFAULT_DAYS,
        90,
        unit="days",
        source="Open311 GeoReport v2（默认返回近 90 天）",
        mark="S",
        overridable=False,
    )
    rules.register(
        OPEN311_MAX_RESULTS,
        1000,
        unit="requests",
        source="Open311 GeoReport v2（最多 1000 条）",
        mark="S",
        overridable=False,
    )
