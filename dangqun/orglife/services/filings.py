"""Quarterly filing: one per cadre per quarter, with the parent committee (and, for 区级领导, a copy
to the 区委组织部); reviewers accept or return; an accepted filing is locked and its 区级领导
reports are posted for public notice."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.accounts.enums import Perm
from dangqun.core import audit, rules
from dangqun.core.errors import DomainError
from dangqun.orglife import collect, meetings, structure, tasks
from dangqun.orglife import rules as keys
from dangqun.orglife.enums import FILING_TRANSITIONS, FilingStatus
from dangqun.orglife.models import Attendance, FilingEvent, OrgLifeReport, QuarterlyFiling
from dangqun.orglife.quarters import Quarter
from dangqun.orglife.services.attendance import ensure_attendance
from dangqun.orglife.services.common import (
    clean_text,
    is_self,
    require_perm,
    require_self_or_staff,
    user_or_none,
)
from dangqun.orglife.services.notices import post_notice
from dangqun.people.models import Person


def _already_filed(filing: QuarterlyFiling) -> DomainError:
    return DomainError(
        "already_filed",
        _("%(q)s已经报备（%(s)s），不能重复报备。被退回的报备请修改后重新提交。")
        % {"q": Quarter(filing.year, filing.quarter).label, "s": filing.get_status_display()},
        status=409,
    )


def _event(filing: QuarterlyFiling, source: str, target: str, actor, comment: str, now: datetime) -> None:
    if source and target not in FILING_TRANSITIONS[source]:
        raise DomainError(
            "invalid_transition",
            _("报备当前为“%(s)s”，不能改为“%(t)s”。")
            % {"s": FilingStatus(source).label, "t": FilingStatus(target).label},
            status=409,
        )
    FilingEvent.objects.create(
        filing=filing,
        from_status=source,
        to_status=target,
        actor=user_or_none(actor),
        comment=comment,
        at=now,
    )


def _check_window(quarter: Quarter, cadre: Person, now: datetime) -> None:
    today = timezone.localdate(now)
    opens = quarter.opens_on(rules.value(keys.FILING_OPENS_DAYS, on=today, org_path=cadre.org_path))
    if today < opens:
        raise DomainError(
            "filing_not_open",
            _("%(q)s的报备从 %(d)s 起开放。") % {"q": quarter.label, "d": opens.isoformat()},
            field="quarter",
        )


def _gather(cadre: Person, quarter: Quarter, actor) -> collect.QuarterContents:
    """The quarter's contents; meetings signed in at without a 纪实 get one now (from the scan log)."""
    contents = collect.quarter_contents(cadre, quarter)
    if contents.undocumented:
        for row in contents.undocumented:
            ensure_attendance(cadre, row.activity, actor=actor)
        contents = collect.quarter_contents(cadre, quarter)
    missing = contents.reports_missing
    if missing:
        titles = "、".join(
            f"{meetings.meeting_day(row.activity):%m-%d} {row.activity.title}" for row in missing
        )
        raise DomainError(
            "reports_not_ready",
            _("以下会议的报告单尚未填写或未经支部书记签字：%(t)s。") % {"t": titles},
            field="quarter",
        )
    return contents


def _snapshot(contents: collect.QuarterContents) -> dict:
    return {
        "attendances": [
            {
                "id": row.attendance.pk,
                "activity": row.activity.pk,
                "title": row.activity.title,
                "date": meetings.meeting_day(row.activity).isoformat(),
                "role": row.attendance.role,
                "signed_in": row.signed_in,
                "outline": row.attendance.has_outline,
            }
            for row in contents.rows
            if row.attendance is not None
        ],
        "reports": [
            {"id": r.pk, "title": r.meeting_title, "date": r.meeting_on.isoformat(), "signed_by": r.signed_by_name,
             "signed_at": r.signed_at.isoformat() if r.signed_at else None}
            for r in contents.reports if r.status == "signed_off"
        ],
    }  # fmt: skip


def _attach(filing: QuarterlyFiling, contents: collect.QuarterContents) -> None:
    Attendance.objects.filter(filing=filing).update(filing=None)
    OrgLifeReport.objects.filter(filing=filing).update(filing=None)
    Attendance.objects.filter(pk__in=[a.pk for a in contents.attendances]).update(filing=filing)
    OrgLifeReport.objects.filter(pk__in=[r.pk for r in contents.reports if r.status == "signed_off"]).update(
        filing=filing
    )


@transaction.atomic
def submit_filing(
    *, actor, cadre: Person, quarter: Quarter, note: str = "", now: datetime | None = None
) -> QuarterlyFiling:
    """File the quarter: every 纪实 of the quarter and its signed-off reports, as ONE filing.

    Refused when the quarter was already filed (unique per cadre and quarter), before the filing
    window opens, or while a 报告单 of an attended meeting is missing or unsigned.
    """
    now = now or timezone.now()
    cadre = (
        Person.objects.select_for_update(of=("self",))
        .select_related("organization", "organization__kind", "party_profile")
        .get(pk=cadre.pk)
    )
    require_self_or_staff(actor, cadre)
    if not structure.is_cadre(cadre):
        raise DomainError("not_cadre", _("只有领导干部需要按季度报备。"), field="cadre")
    existing = QuarterlyFiling.objects.filter(cadre=cadre, year=quarter.year, quarter=quarter.number).first()
    if existing is not None:
        raise _already_filed(existing)
    _check_window(quarter, cadre, now)
    note = clean_text(note, field="note", label=_("报备说明"), max_length=2000)
    contents = _gather(cadre, quarter, actor)
    if not contents.attendances and not note:
        raise DomainError(
            "note_required", _("本季度没有组织生活纪实，请在报备说明中写明原因。"), field="note"
        )
    branch = structure.own_branch(cadre)
    committee = structure.committee_of(branch)
    if committee is None:
        raise DomainError(
            "no_committee", _("未找到%(b)s的上级党委（党工委）。") % {"b": branch.name}, field="cadre"
        )
    leader = structure.is_district_leader(cadre)
    copy_to = structure.copy_department(branch) if leader else None
    if leader and copy_to is None:
        raise DomainError(
            "no_copy_department", _("未找到应抄报的区委组织部，请管理员检查规则“orglife.copy.department”。"),
            field="cadre",
        )  # fmt: skip
    today = timezone.localdate(now)
    due = quarter.due_on(rules.value(keys.FILING_DUE_DAYS, on=today, org_path=cadre.org_path))
    filing = QuarterlyFiling(
        cadre=cadre,
        year=quarter.year,
        quarter=quarter.number,
        status=FilingStatus.SUBMITTED,
        org_path=cadre.org_path,
        committee=committee,
        committee_path=committee.path,
        copy_to=copy_to,
        copy_path=copy_to.path if copy_to else "",
        is_district_leader=leader,
        cadre_name=cadre.name,
        note=note,
        contents=_snapshot(contents),
        due_on=due,
        first_submitted_at=now,
        submitted_at=now,
        late=today > due,
        submitted_by=user_or_none(actor),
    )
    try:
        with transaction.atomic():
            filing.save()
    except IntegrityError as exc:
        raise _already_filed(
            QuarterlyFiling.objects.get(cadre=cadre, year=quarter.year, quarter=quarter.number)
        ) from exc
    _event(filing, "", FilingStatus.SUBMITTED, actor, note, now)
    _attach(filing, contents)
    audit.record(
        "orglife.filing.submitted",
        actor=actor,
        obj=filing,
        data={
            "quarter": quarter.code, "committee": committee.name, "copy_to": copy_to.name if copy_to else "",
            "attendances": len(filing.contents["attendances"]), "reports": len(filing.contents["reports"]),
            "late": filing.late,
        },
    )  # fmt: skip
    return filing


def _lock(filing: QuarterlyFiling) -> QuarterlyFiling:
    return (
        QuarterlyFiling.objects.select_for_update(of=("self",))
        .select_related("cadre", "cadre__organization", "cadre__organization__kind", "cadre__party_profile")
        .get(pk=filing.pk)
    )


@transaction.atomic
def resubmit_filing(
    *, actor, filing: QuarterlyFiling, note: str | None = None, now: datetime | None = None
) -> QuarterlyFiling:
    """Submit a returned filing again, with its contents gathered afresh."""
    now = now or timezone.now()
    filing = _lock(filing)
    require_self_or_staff(actor, filing.cadre)
    if filing.status != FilingStatus.RETURNED:
        raise DomainError("not_returned", _("只有被退回的报备可以重新提交。"), status=409)
    if note is not None:
        filing.note = clean_text(note, field="note", label=_("报备说明"), max_length=2000)
    quarter = Quarter(filing.year, filing.quarter)
    contents = _gather(filing.cadre, quarter, actor)
    if not contents.attendances and not filing.note:
        raise DomainError(
            "note_required", _("本季度没有组织生活纪实，请在报备说明中写明原因。"), field="note"
        )
    _event(filing, filing.status, FilingStatus.SUBMITTED, actor, filing.note, now)
    filing.status = FilingStatus.SUBMITTED
    filing.contents = _snapshot(contents)
    filing.submitted_at = now
    filing.late = timezone.localdate(now) > filing.due_on
    filing.save()
    _attach(filing, contents)
    audit.record("orglife.filing.resubmitted", actor=actor, obj=filing, data={"quarter": quarter.code,
                 "late": filing.late})  # fmt: skip
    return filing


@transaction.atomic
def review_filing(
    *, actor, filing: QuarterlyFiling, accept: bool, comment: str = "", now: datetime | None = None
) -> QuarterlyFiling:
    """Accept (locks the filing, posts 区级领导 reports) or return with comments. Reviewers hold
    review_filings on the committee the filing went to; nobody reviews their own filing."""
    now = now or timezone.now()
    filing = _lock(filing)
    require_perm(
        actor,
        Perm.REVIEW_FILINGS,
        filing.committee_path,
        _("只有所属党委（党工委）有审核权限的人员可以审核。"),
    )
    if is_self(actor, filing.cadre):
        raise DomainError("cannot_review_own", _("不能审核本人的报备。"), status=403)
    comment = clean_text(comment, field="comment", label=_("审核意见"), max_length=2000, required=not accept)
    if filing.status != FilingStatus.SUBMITTED:
        raise DomainError(
            "not_submitted",
            _("报备当前为“%(s)s”，不在待审核状态。") % {"s": filing.get_status_display()},
            status=409,
        )
    target = FilingStatus.ACCEPTED if accept else FilingStatus.RETURNED
    _event(filing, filing.status, target, actor, comment, now)
    filing.status = target
    filing.reviewed_by = user_or_none(actor)
    filing.reviewed_at = now
    filing.review_comment = comment
    posted = []
    if accept:
        filing.accepted_at = now
    filing.save()
    if accept and structure.is_posted_cadre(filing.cadre, timezone.localdate(now)):
        reports = (
            OrgLifeReport.objects.filter(filing=filing).select_related("cadre").order_by("meeting_on", "id")
        )
        posted = [post_notice(report=report, filing=filing, now=now).pk for report in reports]
    audit.record(
        f"orglife.filing.{target}", actor=actor, obj=filing,
        data={"quarter": f"{filing.year}Q{filing.quarter}", "comment": comment, "notices": posted},
    )  # fmt: skip
    if accept:
        transaction.on_commit(partial(tasks.archive_filing_pdf, filing.pk), robust=True)
    return filing
