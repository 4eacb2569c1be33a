"""Choices of the activities app and the allowed state transitions, as data (leaf module)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    CANCELLED = "cancelled", _("已取消")
    FINISHED = "finished", _("已结束")


ACTIVITY_TRANSITIONS: dict[str, frozenset[str]] = {
    ActivityStatus.DRAFT: frozenset({ActivityStatus.PUBLISHED, ActivityStatus.CANCELLED}),
    ActivityStatus.PUBLISHED: frozenset({ActivityStatus.CANCELLED, ActivityStatus.FINISHED}),
    ActivityStatus.CANCELLED: frozenset(),
    ActivityStatus.FINISHED: frozenset(),
}


class Audience(models.TextChoices):
    BRANCH = "branch", _("本组织党员（含党小组）")
    SUBTREE = "subtree", _("本组织及下级组织党员")
    PUBLIC = "public", _("公开（群众也可报名）")


class QuorumRule(models.TextChoices):
    NONE = "none", _("不计算法定人数")
    ORDINARY = "ordinary", _("半数以上有表决权党员到会")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("已报名")
    WAITLISTED = "waitlisted", _("候补")
    CANCELLED = "cancelled", _("已取消")


REGISTRATION_TRANSITIONS: dict[str, frozenset[str]] = {
    RegistrationStatus.CONFIRMED: frozenset({RegistrationStatus.CANCELLED}),
    RegistrationStatus.WAITLISTED: frozenset({RegistrationStatus.CONFIRMED, RegistrationStatus.CANCELLED}),
    # Registering again after a cancellation reuses the row (one registration per person).
    RegistrationStatus.CANCELLED: frozenset({RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED}),
}


class RegistrationSource(models.TextChoices):
    SELF = "self", _("本人报名")
    STAFF = "staff", _("工作人员代报")
    SIGN_IN = "sign_in", _("现场签到")
    PAPER = "paper", _("纸质签到表补录")


class Direction(models.TextChoices):
    ENTRY = "entry", _("签到")
    EXIT = "exit", _("签退")


class ScanMethod(models.TextChoices):
    SCANNER = "scanner", _("扫码设备")
    ROTATING = "rotating", _("动态码自助签到")
    MANUAL = "manual", _("工作人员手工签到")
    PAPER = "paper", _("纸质签到表补录")


class ScanResult(models.TextChoices):
    """Machine result codes of a scan (stable: scanners and tests read them)."""

    OK = "ok", _("签到成功")
    ALREADY_CHECKED_IN = "already_checked_in", _("已签到，请勿重复扫码")
    UNKNOWN_PASS = "unknown_pass", _("无效的入场码")
    WRONG_ACTIVITY = "wrong_activity", _("该入场码不属于本活动")
    CANCELLED = "cancelled", _("报名或活动已取消")
    NOT_OPEN_YET = "not_open_yet", _("签到尚未开始")
    CLOSED = "closed", _("签到已结束")
    CAPACITY_FULL = "capacity_full", _("名额已满（候补未转正）")
    ROTATING_CODE_EXPIRED = "rotating_code_expired", _("签到码已过期，请重新扫描屏幕上的二维码")
    OUTSIDE_AREA = "outside_area", _("不在活动地点范围内")
    NOT_CHECKED_IN = "not_checked_in", _("尚未签到，不能签退")
    ALREADY_CHECKED_OUT = "already_checked_out", _("已签退")
    NOT_INVITED = "not_invited", _("您不在本活动的参加范围内")


class RecordStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交待审核")
    APPROVED = "approved", _("已审核通过")
    RETURNED = "returned", _("已退回修改")


RECORD_TRANSITIONS: dict[str, frozenset[str]] = {
    RecordStatus.DRAFT: frozenset({RecordStatus.SUBMITTED}),
    RecordStatus.SUBMITTED: frozenset({RecordStatus.APPROVED, RecordStatus.RETURNED}),
    RecordStatus.RETURNED: frozenset({RecordStatus.SUBMITTED}),
    RecordStatus.APPROVED: frozenset(),
}

# A record counts as "recorded" for compliance once submitted (and while approved).
RECORDED_STATUSES = frozenset({RecordStatus.SUBMITTED, RecordStatus.APPROVED})
EDITABLE_RECORD_STATUSES = frozenset({RecordStatus.DRAFT, RecordStatus.RETURNED})


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("活动照片")
    MATERIAL = "material", _("会议材料")


class AbsenceReason(models.TextChoices):
    LEAVE = "leave", _("请假（事假）")
    SICK = "sick", _("病假")
    DUTY = "duty", _("公差外出")
    ABROAD = "abroad", _("出国（境）")
    OTHER = "other", _("其他")
    UNEXCUSED = "unexcused", _("无故缺席")



class VoteKind(models.TextChoices):
    ORDINARY = "ordinary", _("一般事项")
    ADMISSION = "admission", _("接收预备党员")
    CONFIRMATION = "confirmation", _("预备党员转正")
    EXTENSION = "extension", _("延长预备期")
    CANCELLATION = "cancellation", _("取消预备党员资格")


# Votes on membership (细则 2014 §20, §33): strict majority quorum, written views count.
MEMBERSHIP_VOTES = frozenset(
    {VoteKind.ADMISSION, VoteKind.CONFIRMATION, VoteKind.EXTENSION, VoteKind.CANCELLATION}
)


class Period(models.TextChoices):
    MONTH = "month", _("每月")
    QUARTER = "quarter", _("每季度")
    YEAR = "year", _("每年")


class ComplianceState(models.TextChoices):
    """One branch × rule × period."""

    MET = "met", _("已完成")  # held and recorded (record submitted or approved)
    UNRECORDED = "unrecorded", _("已开展，尚无有效记录")  # not submitted, or submitted without quorum
    PENDING = "pending", _("进行中")  # open period, deadline not yet near
    DUE_SOON = "due_soon", _("即将到期")
    MISSED = "missed", _("未完成")  # the period ended short
    FUTURE = "future", _("未开始")


STATE_LIGHT = {
    ComplianceState.MET: "green",
    ComplianceState.PENDING: "green",
    ComplianceState.FUTURE: "green",
    ComplianceState.UNRECORDED: "amber",
    ComplianceState.DUE_SOON: "amber",
    ComplianceState.MISSED: "red",
}


class Light(models.TextChoices):
    GREEN = "green", _("绿")
    AMBER = "amber", _("黄")
    RED = "red", _("红")
