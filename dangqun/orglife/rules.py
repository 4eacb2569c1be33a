"""Thresholds of the orglife app (RULES.md §2.2, the 晋宁区 local rule, and §10.2 PIPL §25).

Every value is a versioned rule (dangqun.core.rules): an administrator may change it from a date
on, everywhere or for one subtree (a tenant option), without a release.
"""

from __future__ import annotations

from dangqun.core import rules

JINNING = "seed page, 晋宁区 规范领导干部组织生活 (RULES.md §2.2 local rule)"

CADRE_LEVELS = "orglife.cadre_levels"
DISTRICT_LEADER_LEVELS = "orglife.district_leader_levels"
REPORT_MEETING_TYPES = "orglife.report.meeting_types"
REPORT_EDITABLE_FIELDS = "orglife.report.editable_fields"
COMMITTEE_KINDS = "orglife.filing.committee_kinds"
DISTRICT_KINDS = "orglife.copy.district_kinds"
COPY_DEPARTMENT = "orglife.copy.department"
FILING_OPENS_DAYS = "orglife.filing.opens_days_before_end"
FILING_DUE_DAYS = "orglife.filing.due_days_after_end"
FILING_GRACE_DAYS = "orglife.filing.grace_days"
FILING_REMIND_DAYS = "orglife.filing.remind_days_before_due"
NOTICE_DAYS = "orglife.notice.days"
NOTICE_LEVELS = "orglife.notice.cadre_levels"
NOTICE_PHONE = "orglife.notice.supervision_phone"
NOTICE_BASIS = "orglife.notice.basis"
NOTICE_FULL_NAME = "orglife.notice.full_name"
OBJECTION_MAX_CHARS = "orglife.objection.max_chars"
OBJECTION_MAX_BODY = "orglife.objection.max_body_bytes"
OBJECTION_PER_IP_HOUR = "orglife.objection.per_ip_per_hour"
OBJECTION_MIN_SECONDS = "orglife.objection.min_fill_seconds"
OBJECTION_MAX_AGE = "orglife.objection.form_max_age_seconds"
OBJECTION_RESPONSE_DAYS = "orglife.objection.response_days"
OUTLINE_MAX_BYTES = "orglife.outline.max_bytes"

# Fields of the 报告单 the cadre may change; the facts read from the meeting record are not listed.
DEFAULT_EDITABLE = ["post", "meeting_content", "speech_summary", "criticism", "rectification", "guidance",
                    "public_summary"]  # fmt: skip


def register_all() -> None:
    rules.register(CADRE_LEVELS, ["county", "township"], unit="people.CadreLevel", source=JINNING, mark="L",
                   description="哪些干部级别的党员算作“领导干部”，需要填写报告单、按季度报备")  # fmt: skip
    rules.register(DISTRICT_LEADER_LEVELS, ["county"], unit="people.CadreLevel", source=JINNING, mark="L",
                   description="哪些干部级别算作“区级领导”：报告单抄报区委组织部")  # fmt: skip
    rules.register(REPORT_MEETING_TYPES, ["org_life_meeting"], unit="activities.ActivityType", source=JINNING,
                   mark="L", description="参加哪些会议后须填写《党员领导干部参加党的组织生活报告单》")  # fmt: skip
    rules.register(REPORT_EDITABLE_FIELDS, DEFAULT_EDITABLE, unit="fields", mark="D",
                   description="报告单中本人可以修改的栏目；其余栏目取自会议记录，不可修改")  # fmt: skip
    rules.register(COMMITTEE_KINDS, ["primary_committee", "working_committee", "joint_committee", "local_committee"],
                   unit="orgs.OrganizationKind", source=JINNING, mark="L",
                   description="“所属党委（党工委）”：支部之上最近的这些类型的组织")  # fmt: skip
    rules.register(DISTRICT_KINDS, ["local_committee"], unit="orgs.OrganizationKind", mark="L",
                   description="“区”：支部之上最近的这些类型的组织（区委）")  # fmt: skip
    rules.register(COPY_DEPARTMENT, {"kind": "department", "name_suffix": "组织部", "org_id": None},
                   source=JINNING, mark="L",
                   description="区级领导报备抄报的部门：区委下名称以“组织部”结尾的工作部门；可直接指定 org_id")  # fmt: skip
    rules.register(FILING_OPENS_DAYS, 15, unit="days", mark="D",
                   description="季度结束前多少天起可以报备本季度")  # fmt: skip
    rules.register(FILING_DUE_DAYS, 15, unit="days", source=JINNING + "（截止日期为配置项）", mark="L",
                   description="季度结束后多少天内须完成报备")  # fmt: skip
    rules.register(FILING_GRACE_DAYS, 15, unit="days", mark="L",
                   description="超过截止日期后多少天内显示黄色，之后显示红色")  # fmt: skip
    rules.register(
        FILING_REMIND_DAYS, 5, unit="days", mark="L", description="截止日期前多少天提醒未报备的干部"
    )
    rules.register(NOTICE_DAYS, 7, unit="calendar days", source=JINNING + "：“公示一周”", mark="L")
    rules.register(NOTICE_LEVELS, ["county"], unit="people.CadreLevel", source=JINNING, mark="L",
                   description="哪些干部的报告单审核通过后在所在党支部公示；其他干部公示为可选项")  # fmt: skip
    rules.register(NOTICE_PHONE, "12380", unit="phone", source="组织部门 12380 举报电话（各地可改为本地监督电话）",
                   mark="L")  # fmt: skip
    rules.register(
        NOTICE_BASIS,
        "《晋宁区规范领导干部组织生活》：区级领导参加组织生活《报告单》在其所在党支部公示一周，公布监督电话，"
        "接受党员群众监督。公示只含姓名、职务、会议、日期和摘要，到期自动撤下（《个人信息保护法》第二十五条）。",
        source="RULES.md §2.2; PIPL §25",
        mark="L",
    )
    rules.register(NOTICE_FULL_NAME, True, source=JINNING + "（公示须署实名）", mark="L",
                   description="公示页显示全名；为 false 时按“张*”显示")  # fmt: skip
    rules.register(OBJECTION_MAX_CHARS, 2000, unit="characters", mark="D")
    rules.register(OBJECTION_MAX_BODY, 64 * 1024, unit="bytes", mark="D", overridable=False)
    rules.register(OBJECTION_PER_IP_HOUR, 5, unit="per hour", mark="D", overridable=False)
    rules.register(OBJECTION_MIN_SECONDS, 3, unit="seconds", mark="D", overridable=False)
    rules.register(OBJECTION_MAX_AGE, 2 * 3600, unit="seconds", mark="D", overridable=False)
    rules.register(OBJECTION_RESPONSE_DAYS, 15, unit="calendar days", source="GB/T 35273 §8.7 (15 working days)",
                   mark="L", description="组织部答复异议的期限")  # fmt: skip
    rules.register(OUTLINE_MAX_BYTES, 10 * 1024 * 1024, unit="bytes", mark="D")
