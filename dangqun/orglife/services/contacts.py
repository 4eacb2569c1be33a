"""基层党建联系点: assigned per year by the organization department, revoked with history kept."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.accounts.enums import Perm
from dangqun.core import audit
from dangqun.core.errors import DomainError
from dangqun.orglife import structure
from dangqun.orglife.models import ContactPoint
from dangqun.orglife.services import invitations
from dangqun.orglife.services.common import clean_text, require_perm, user_or_none
from dangqun.orgs.models import Organization
from dangqun.people.models import Person


def _check_branch(branch: Organization) -> None:
    if branch.dissolved_at is not None:
        raise DomainError("org_dissolved", _("所选联系点已撤销。"), field="branch")
    kind = branch.kind
    if kind.category != "party" or not kind.holds_members or kind.code == "group":
        raise DomainError(
            "not_a_branch",
            _("联系点须是基层党组织（党支部、党总支或基层党委），不能是“%(k)s”。") % {"k": kind.name},
            field="branch",
        )


@transaction.atomic
def assign_contact_point(
    *, actor, cadre: Person, branch: Organization, year: int, note: str = "", now: datetime | None = None
) -> ContactPoint:
    """The department assigns `branch` as a contact point of `cadre` for `year`.

    The actor needs review_filings on the cadre's district (区委); the branch lies in the same
    district and is not the cadre's own branch.
    """
    now = now or timezone.now()
    cadre = Person.objects.select_related("organization", "organization__kind", "party_profile").get(
        pk=cadre.pk
    )
    if not structure.is_cadre(cadre):
        raise DomainError(
            "not_cadre", _("%(n)s不是领导干部，不能确定联系点。") % {"n": cadre.name}, field="cadre"
        )
    district = structure.district_of(cadre.organization)
    if district is None:
        raise DomainError(
            "no_district", _("未找到%(n)s所在的区（县）委。") % {"n": cadre.name}, field="cadre"
        )
    require_perm(actor, Perm.REVIEW_FILINGS, district.path, _("只有区委组织部可以确定领导干部的联系点。"))
    branch = Organization.objects.select_related("kind").get(pk=branch.pk)
    _check_branch(branch)
    if not branch.path.startswith(district.path):
        raise DomainError(
            "outside_district", _("联系点须在%(d)s范围内。") % {"d": district.name}, field="branch"
        )
    if branch.path in structure.own_branch_paths(cadre):
        raise DomainError("own_branch", _("联系点不能是本人所在的支部。"), field="branch")
    this_year = timezone.localdate(now).year
    if not isinstance(year, int) or not this_year - 1 <= year <= this_year + 1:
        raise DomainError(
            "invalid_year",
            _("年度须在 %(a)d 至 %(b)d 之间。") % {"a": this_year - 1, "b": this_year + 1},
            field="year",
        )
    note = clean_text(note, field="note", label=_("联系内容"), max_length=200)
    taken = ContactPoint.objects.filter(
        cadre=cadre, branch=branch, year=year, revoked_at__isnull=True
    ).exists()
    if taken:
        raise DomainError(
            "already_assigned", _("该联系点本年度已确定，无需重复添加。"), field="branch", status=409
        )
    point = ContactPoint(
        cadre=cadre,
        branch=branch,
        year=year,
        cadre_path=cadre.org_path,
        branch_path=branch.path,
        district_path=district.path,
        note=note,
        assigned_by=user_or_none(actor),
        assigned_at=now,
    )
    try:
        with transaction.atomic():
            point.save()
    except IntegrityError as exc:
        raise DomainError(
            "already_assigned", _("该联系点本年度已确定，无需重复添加。"), field="branch", status=409
        ) from exc
    # Invited (列席) to the branch's coming meetings of the year; later ones when published.
    invited = invitations.invite_to_branch_meetings(point, now=now)
    audit.record(
        "orglife.contact_point.assigned",
        actor=actor,
        obj=point,
        org_path=district.path,
        data={"cadre": cadre.name, "branch": branch.name, "year": year, "note": note, "invited": invited},
    )
    return point


@transaction.atomic
def revoke_contact_point(*, actor, contact_point: ContactPoint, now: datetime | None = None) -> ContactPoint:
    """End an assignment; its 纪实 stay (the row is kept, marked revoked)."""
    point = (
        ContactPoint.objects.select_for_update(of=("self",))
        .select_related("cadre", "branch")
        .get(pk=contact_point.pk)
    )
    require_perm(actor, Perm.REVIEW_FILINGS, point.district_path, _("只有区委组织部可以撤销联系点。"))
    if point.revoked_at is not None:
        raise DomainError("already_revoked", _("该联系点已撤销。"), status=409)
    point.revoked_at = now or timezone.now()
    point.revoked_by = user_or_none(actor)
    point.save(update_fields=["revoked_at", "revoked_by"])
    withdrawn = invitations.withdraw_from_branch_meetings(point, now=point.revoked_at)
    audit.record(
        "orglife.contact_point.revoked",
        actor=actor,
        obj=point,
        org_path=point.district_path,
        data={
            "cadre": point.cadre.name,
            "branch": point.branch.name,
            "year": point.year,
            "withdrawn": withdrawn,
        },
    )
    return point
