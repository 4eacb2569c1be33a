"""Compliance reminders: in-app notices (read confirmation required; the news app's email backend
is pluggable) to the branch secretaries before a period ends — by the daily job, or by a superior
from the compliance page (journey 6). Idempotent per node, rule and period (dedupe key)."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.accounts.enums import Perm
from dangqun.activities.periods import Span, span_param
from dangqun.activities.selectors.compliance import due_reminders, node_report
from dangqun.activities.services.common import require
from dangqun.core import audit
from dangqun.core.errors import DomainError
from dangqun.orgs.models import Organization

ROLES = ("secretary",)


def _send(*, actor, organization: Organization, title: str, body: str, link: str, due: date, key: str | None):
    from dangqun.news.selectors import recipients_for_organization
    from dangqun.news.services import send_notice

    recipients = list(recipients_for_organization(organization, roles=ROLES))
    if not recipients:
        return None
    return send_notice(
        actor=actor,
        organization=organization,
        title=title,
        body=body,
        recipients=recipients,
        requires_confirmation=True,
        category="reminder",
        link=link,
        due_date=due,
        dedupe_key=key,
    )


def _link(organization: Organization, span: Span) -> str:
    return reverse("activities:compliance-node", args=[organization.pk]) + f"?period={span_param(span)}"


def send_due_reminders(*, now: datetime) -> int:
    """The job: remind every root's nodes whose open period ends soon and is not yet held."""
    today = timezone.localtime(now).date()
    sent = 0
    for root in Organization.objects.filter(depth=1, dissolved_at__isnull=True).order_by("path"):
        for organization, rule, cell in due_reminders(root, today=today):
            key = f"activities.compliance:{organization.pk}:{rule.code}:{cell.span.start:%Y%m%d}"
            title = _("提醒：%(t)s（%(p)s）尚未召开") % {"t": rule.activity_type.name, "p": cell.span.label}
            body = _(
                "%(o)s：按《%(s)s》，%(p)s应召开%(t)s %(n)d 次，目前已召开 %(h)d 次，本期将于 %(d)s 结束。请及时安排并填写会议记录。"
            ) % {
                "o": organization.name,
                "s": rule.source or _("组织生活制度"),
                "p": cell.span.label,
                "t": rule.activity_type.name,
                "n": cell.required,
                "h": cell.held,
                "d": cell.span.last_day.isoformat(),
            }
            with transaction.atomic():
                notice = _send(actor=None, organization=organization, title=title, body=body,
                               link=_link(organization, cell.span), due=cell.span.last_day, key=key)  # fmt: skip
            sent += 1 if notice is not None else 0
    return sent


@transaction.atomic
def remind_node(*, actor, organization: Organization, span: Span, today: date | None = None):
    """A superior reminds a branch of what is missing or due in `span` (journey 6)."""
    today = today or timezone.localdate()
    require(actor, Perm.SEND_NOTICES, organization.path, _("您无权向该组织发送提醒。"))
    parent = organization.path[: -Organization.steplen]
    if actor is not None and not (parent and require_on_parent(actor, parent)):
        raise DomainError("permission_denied", _("只有上级组织才能发送督办提醒。"), status=403)
    status = node_report(organization, span, today=today)
    open_items = [
        (s.rule, c)
        for s in status.statuses
        if s is not None
        for c in s.cells
        if c.state in ("missed", "due_soon", "unrecorded", "pending")
    ]
    if not open_items:
        raise DomainError("nothing_due", _("该组织本期组织生活均已完成，无需提醒。"))
    lines = [
        _("%(t)s（%(p)s）：应 %(n)d 次，已开展 %(h)d 次，已记录 %(r)d 次")
        % {
            "t": rule.activity_type.name,
            "p": cell.span.label,
            "n": cell.required,
            "h": cell.held,
            "r": cell.recorded,
        }
        for rule, cell in open_items
    ]
    title = _("督办提醒：%(o)s %(p)s 组织生活") % {"o": organization.name, "p": span.label}
    body = _("请对照以下事项抓紧落实，并在系统中填写会议记录：") + "\n" + "\n".join(lines)
    notice = _send(actor=actor, organization=organization, title=title, body=body,
                   link=_link(organization, span), due=span.last_day if span.last_day >= today else None, key=None)  # fmt: skip
    if notice is None:
        raise DomainError("no_recipient", _("该组织没有书记账号，无法发送提醒。"))
    audit.record(
        "activities.compliance.reminded",
        actor=actor,
        obj=organization,
        data={"period": span.label, "items": len(open_items), "notice": notice.pk},
    )
    return notice


def require_on_parent(actor, parent_path: str) -> bool:
    from dangqun.accounts import permissions

    return permissions.has_perm(actor, Perm.SEND_NOTICES, parent_path)
