"""Helpers the orglife services share: who may act for a cadre, locks of filed records, clean text."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm
from dangqun.core.errors import DomainError
from dangqun.orglife.enums import FilingStatus
from dangqun.orglife.models import QuarterlyFiling
from dangqun.orglife.quarters import Quarter
from dangqun.people.models import Person


def user_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def is_self(actor, person: Person) -> bool:
    return actor is not None and person.user_id is not None and person.user_id == actor.pk


def require_self_or_staff(actor, cadre: Person) -> None:
    """The cadre themself, or the branch's staff (manage_activities on the cadre's node) acting for
    them; None is the system (demo, jobs)."""
    if actor is None or is_self(actor, cadre):
        return
    if not permissions.has_perm(actor, Perm.MANAGE_ACTIVITIES, cadre.org_path):
        raise DomainError("permission_denied", _("只有本人或所在支部的工作人员可以办理。"), status=403)


def require_perm(actor, perm: str, path: str, message: str) -> None:
    if actor is not None and not permissions.has_perm(actor, perm, path):
        raise DomainError("permission_denied", message, status=403)


def require_not_filed(filing, *, what: str) -> None:
    """Edits of filed material: refused while the filing awaits review, and for good once accepted."""
    if filing is None or filing.status == FilingStatus.RETURNED:
        return
    if filing.status == FilingStatus.ACCEPTED:
        raise DomainError(
            "filing_accepted",
            _("%(w)s所在的季度报备已审核通过并锁定，不能再修改。") % {"w": what},
            status=409,
        )
    raise DomainError(
        "filing_pending", _("%(w)s已随季度报备提交，审核结果出来前不能修改。") % {"w": what}, status=409
    )


def require_quarter_open(cadre: Person, meeting_on, *, what: str) -> None:
    """New 纪实 or 报告单 for a meeting of a quarter the cadre already filed: refused while the filing
    awaits review (the reviewer returns it first, then it is refiled with the new material) and for
    good once accepted; allowed when the filing was returned. Locks the cadre's row like
    submit_filing, so the two cannot cross."""
    Person.objects.select_for_update(of=("self",)).filter(pk=cadre.pk).first()
    quarter = Quarter.of(meeting_on)
    filing = QuarterlyFiling.objects.filter(
        cadre_id=cadre.pk, year=quarter.year, quarter=quarter.number
    ).first()
    if filing is None or filing.status == FilingStatus.RETURNED:
        return
    if filing.status == FilingStatus.ACCEPTED:
        raise DomainError(
            "quarter_accepted",
            _("%(q)s的季度报备已审核通过并锁定，不能再添加%(w)s。") % {"q": quarter.label, "w": what},
            field="activity",
            status=409,
        )
    raise DomainError(
        "quarter_pending",
        _(
            "%(q)s的季度报备已提交，正在审核，不能再添加%(w)s。请联系审核人员先退回报备，"
            "补充后随报备重新提交。"
        )
        % {"q": quarter.label, "w": what},
        field="activity",
        status=409,
    )


def clean_text(value, *, field: str, label: str, max_length: int, required: bool = False) -> str:
    """Trimmed text; one line (spaces collapsed) for short fields. Markup is kept as plain text and
    always rendered escaped."""
    raw = "" if value is None else str(value)
    text = " ".join(raw.split()) if max_length <= 300 else raw.replace("\r\n", "\n").strip()
    if "\x00" in text:
        raise DomainError("invalid_text", _("%(f)s含有无效字符。") % {"f": label}, field=field)
    if required and not text:
        raise DomainError("required", _("请填写%(f)s。") % {"f": label}, field=field)
    if len(text) > max_length:
        raise DomainError(
            "too_long",
            _("%(f)s不能超过 %(n)d 个字（现有 %(m)d 个字）。")
            % {"f": label, "n": max_length, "m": len(text)},
            field=field,
        )
    return text
