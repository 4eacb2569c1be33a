"""Writes on people. Each checks scope, cleans input, keeps search keys and rollups, audits."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm
from dangqun.core import audit
from dangqun.core.errors import DomainError
from dangqun.core.masking import mask_id_number, mask_mobile
from dangqun.orgs import rollups
from dangqun.orgs.models import Organization
from dangqun.people.enums import Category, MemberStatus
from dangqun.people.fields import FIELD_LABELS, MEMBER_FIELDS, PERSON_FIELDS, FieldError, clean_person_input
from dangqun.people.models import PartyMember, Person, PersonSearchKey
from dangqun.people.search import keys_for


class PersonInvalid(DomainError):
    """Bad input: `errors` lists every field problem at once."""

    def __init__(self, errors: list[FieldError]):
        first = errors[0]
        message = "；".join(f"{FIELD_LABELS.get(e.field, e.field)}：{e.message}" for e in errors)
        super().__init__(first.code, message, field=first.field)
        self.errors = errors


def rollup_counts(*, is_member: bool, status: str | None, is_floating: bool) -> tuple[dict, dict]:
    """(totals, direct) deltas that one person adds to their organization."""
    if is_member:
        totals = {
            "members_total": 1,
            "probationary_total": 1 if status == MemberStatus.PROBATIONARY else 0,
            "floating_total": 1 if is_floating else 0,
        }
        return totals, {"members_direct": 1}
    return {"masses_total": 1}, {"masses_direct": 1}


def _negate(counts: dict) -> dict:
    return {k: -v for k, v in counts.items()}


def _require(actor, perm: str, path: str) -> None:
    if actor is not None and not permissions.has_perm(actor, perm, path):
        raise DomainError("permission_denied", _("您无权管理该组织的人员。"), status=403)


def _check_organization(organization: Organization, category: str) -> None:
    if organization.dissolved_at is not None:
        raise DomainError("org_dissolved", _("所属组织已撤销。"), field="organization")
    if category == Category.MEMBER and not organization.kind.holds_members:
        raise DomainError(
            "org_cannot_hold_members",
            _("“%(n)s”（%(k)s）不能直接编入党员，请选择党支部或党小组。")
            % {"n": organization.name, "k": organization.kind.name},
            field="organization",
        )


def _audit_view(values: dict[str, Any]) -> dict[str, Any]:
    """Personal data in the audit log is masked too."""
    masked = dict(values)
    if masked.get("id_number"):
        masked["id_number"] = mask_id_number(masked["id_number"])
    if masked.get("mobile"):
        masked["mobile"] = mask_mobile(masked["mobile"])
    return masked


def _write_keys(person: Person) -> None:
    PersonSearchKey.objects.filter(person=person).delete()
    PersonSearchKey.objects.bulk_create(
        PersonSearchKey(person=person, key=key, org_path=person.org_path)
        for key in keys_for(person.name, person.mobile, person.id_number)
    )


@transaction.atomic
def register_person(*, actor, organization: Organization, data: dict[str, Any]) -> Person:
    """Register a person (with a member profile when category is 党员)."""
    _require(actor, Perm.EDIT_PEOPLE, organization.path)
    cleaned, errors = clean_person_input(data)
    if errors:
        raise PersonInvalid(errors)
    _check_organization(organization, cleaned["category"])
    if Person.objects.filter(id_number=cleaned["id_number"]).exists():
        raise DomainError("id_number_taken", _("该身份证号已登记。"), field="id_number")
    person = Person(organization=organization, org_path=organization.path)
    for field in PERSON_FIELDS:
        setattr(person, field, cleaned[field])
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:
        raise DomainError("id_number_taken", _("该身份证号已登记。"), field="id_number") from exc
    is_member = cleaned["category"] == Category.MEMBER
    if is_member:
        PartyMember.objects.create(person=person, **{f: cleaned[f] for f in MEMBER_FIELDS})
    _write_keys(person)
    totals, direct = rollup_counts(
        is_member=is_member, status=cleaned.get("status"), is_floating=cleaned.get("is_floating", False)
    )
    rollups.apply_delta(organization.path, direct=direct, **totals)
    audit.record(
        "people.person.created",
        actor=actor,
        obj=person,
        data=_audit_view({k: cleaned.get(k) for k in PERSON_FIELDS + ("category",)}),
    )
    return person


def snapshot(person: Person) -> dict[str, Any]:
    values: dict[str, Any] = {f: getattr(person, f) for f in PERSON_FIELDS}
    profile = PartyMember.objects.filter(person_id=person.pk).first()
    values["category"] = Category.MEMBER if profile else Category.MASSES
    for field in MEMBER_FIELDS:
        values[field] = getattr(profile, field) if profile else None
    values["organization"] = person.organization_id
    return values


@transaction.atomic
def update_person(
    *, actor, person: Person, data: dict[str, Any], organization: Organization | None = None
) -> Person:
    """Change a person's fields (and organization); the audit entry carries the masked diff."""
    person = Person.objects.select_for_update().select_related("organization").get(pk=person.pk)
    _require(actor, Perm.EDIT_PEOPLE, person.org_path)
    target = organization or person.organization
    if target.pk != person.organization_id:
        _require(actor, Perm.EDIT_PEOPLE, target.path)
    before = snapshot(person)
    merged = {**before, **data}
    cleaned, errors = clean_person_input(merged)
    if errors:
        raise PersonInvalid(errors)
    _check_organization(target, cleaned["category"])
    if Person.objects.filter(id_number=cleaned["id_number"]).exclude(pk=person.pk).exists():
        raise DomainError("id_number_taken", _("该身份证号已登记。"), field="id_number")

    was_member = before["category"] == Category.MEMBER
    old_counts = rollup_counts(
        is_member=was_member, status=before["status"], is_floating=bool(before["is_floating"])
    )
    for field in PERSON_FIELDS:
        setattr(person, field, cleaned[field])
    old_path = person.org_path
    person.organization = target
    person.org_path = target.path
    person.save()
    is_member = cleaned["category"] == Category.MEMBER
    if is_member:
        PartyMember.objects.update_or_create(person=person, defaults={f: cleaned[f] for f in MEMBER_FIELDS})
    elif was_member:
        PartyMember.objects.filter(person=person).delete()
    _write_keys(person)
    new_counts = rollup_counts(
        is_member=is_member, status=cleaned.get("status"), is_floating=cleaned.get("is_floating", False)
    )
    if old_counts != new_counts or old_path != person.org_path:
        rollups.apply_delta(old_path, direct=_negate(old_counts[1]), **_negate(old_counts[0]))
        rollups.apply_delta(person.org_path, direct=new_counts[1], **new_counts[0])
    after = snapshot(person)
    changes = audit.diff(_audit_view(before), _audit_view(after))
    if changes:
        audit.record("people.person.updated", actor=actor, obj=person, data={"changes": changes})
    return person


@transaction.atomic
def link_user(*, actor, person: Person, user) -> Person:
    """Link a login to a person (so a member sees their own records). Refused if either is linked."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    _require(actor, Perm.EDIT_PEOPLE, person.org_path)
    if person.user_id is not None:
        if person.user_id == user.pk:
            return person
        raise DomainError("person_linked", _("该人员已关联其他账号。"), field="user")
    if Person.objects.filter(user=user).exists():
        raise DomainError("user_linked", _("该账号已关联其他人员。"), field="user")
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    audit.record("people.person.user_linked", actor=actor, obj=person, data={"username": user.get_username()})
    return person
