"""Choices of the orglife app and the allowed state transitions, as data (leaf module)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AttendanceRole(models.TextChoices):
    """In which capacity a cadre attended: as an ordinary member of their own branch, or at a
    基层党建联系点 they guide."""

    OWN_BRANCH = "own", _("本支部（以普通党员身份）")
    CONTACT_POINT = "contact", _("基层党建联系点（指导）")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待支部书记签字")
    SIGNED_OFF = "signed_off", _("支部书记已签字")
    RETURNED = "returned", _("已退回修改")


REPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    ReportStatus.DRAFT: frozenset({ReportStatus.SUBMITTED}),
    ReportStatus.SUBMITTED: frozenset({ReportStatus.SIGNED_OFF, ReportStatus.RETURNED}),
    ReportStatus.RETURNED: frozenset({ReportStatus.SUBMITTED}),
    # Reopened only while its filing is returned (or not yet filed); an accepted filing locks it.
    ReportStatus.SIGNED_OFF: frozenset({ReportStatus.DRAFT}),
}
EDITABLE_REPORT_STATUSES = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})


class FilingStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已报备待审核")
    ACCEPTED = "accepted", _("已审核通过")
    RETURNED = "returned", _("已退回")


# A filing is created submitted (filing = submission); returned filings are submitted again.
FILING_TRANSITIONS: dict[str, frozenset[str]] = {
    FilingStatus.SUBMITTED: frozenset({FilingStatus.ACCEPTED, FilingStatus.RETURNED}),
    FilingStatus.RETURNED: frozenset({FilingStatus.SUBMITTED}),
    FilingStatus.ACCEPTED: frozenset(),
}


class NoticeStatus(models.TextChoices):
    POSTED = "posted", _("公示中")
    TAKEN_DOWN = "taken_down", _("已撤下")


NOTICE_TRANSITIONS: dict[str, frozenset[str]] = {
    NoticeStatus.POSTED: frozenset({NoticeStatus.TAKEN_DOWN}),
    NoticeStatus.TAKEN_DOWN: frozenset(),
}


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("待答复")
    ANSWERED = "answered", _("已答复")


OBJECTION_TRANSITIONS: dict[str, frozenset[str]] = {
    ObjectionStatus.OPEN: frozenset({ObjectionStatus.ANSWERED}),
    ObjectionStatus.ANSWERED: frozenset(),
}


class ObjectionOutcome(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("反映属实，已督促整改")
    PARTLY = "partly", _("部分属实，已督促整改")
    UNFOUNDED = "unfounded", _("经核查不属实")
    NOT_ACTIONABLE = "not_actionable", _("内容不具体，无法核查")


class Light(models.TextChoices):
    """The state of one cadre's filing for a quarter, as the department's page colours it."""

    GREEN = "green", _("按时报备")
    GREY = "grey", _("未到截止日期")
    AMBER = "amber", _("逾期")
    RED = "red", _("严重逾期")
