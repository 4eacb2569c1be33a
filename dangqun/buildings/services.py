"""Writes on buildings and their enterprises: register, cover with a party organization, audit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm
from dangqun.buildings.models import Building, Enterprise
from dangqun.core import audit
from dangqun.core.errors import DomainError
from dangqun.core.validators import normalize_credit_code
from dangqun.orgs.enums import KindCategory
from dangqun.orgs.models import Organization


def _require_manage(actor, path: str) -> None:
    if actor is not None and not permissions.has_perm(actor, Perm.MANAGE_ORGS, path):
        raise DomainError("permission_denied", _("您无权管理该组织的楼宇。"), status=403)


def _text(value: str | None, *, field: str, label: str, limit: int, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError(f"{field}_required", _("请填写%(label)s。") % {"label": label}, field=field)
    if len(text) > limit:
        raise DomainError(
            f"{field}_too_long",
            _("%(label)s不能超过 %(n)d 个字。") % {"label": label, "n": limit},
            field=field,
        )
    return text


def _clean_credit_code(raw: str | None) -> tuple[str | None, list[str]]:
    if raw is None or not str(raw).strip():
        return None, []
    try:
        return normalize_credit_code(str(raw))
    except ValidationError as exc:
        raise DomainError(
            exc.code or "credit_code_invalid", " ".join(str(m) for m in exc.messages), field="credit_code"
        ) from exc


@transaction.atomic
def create_building(
    *, actor, organization: Organization, name: str, address: str = "", property_company: str = ""
) -> Building:
    """Register a tower under the party organization that looks after it (属地党组织)."""
    _require_manage(actor, organization.path)
    if organization.dissolved_at is not None:
        raise DomainError("org_dissolved", _("属地党组织已撤销。"), field="organization")
    name = _text(name, field="name", label=_("楼宇名称"), limit=100, required=True)
    address = _text(address, field="address", label=_("地址"), limit=200)
    property_company = _text(property_company, field="property_company", label=_("物业服务企业"), limit=100)
    taken = DomainError(
        "name_taken",
        _("“%(o)s”下已有名为“%(n)s”的楼宇。") % {"o": organization.name, "n": name},
        field="name",
    )
    if Building.objects.filter(organization=organization, name=name).exists():
        raise taken
    building = Building(
        organization=organization, name=name, address=address, property_company=property_company
    )
    try:
        with transaction.atomic():
            building.save()
    except IntegrityError as exc:
        raise taken from exc
    audit.record(
        "buildings.building.created",
        actor=actor,
        obj=building,
        org_path=organization.path,
        data={"name": name, "address": address, "property_company": property_company},
    )
    return building


@transaction.atomic
def register_enterprise(
    *,
    actor,
    building: Building,
    name: str,
    credit_code: str | None = None,
    floor: str = "",
    employees: int = 0,
    is_foreign: bool = False,
    is_fortune_500: bool = False,
) -> Enterprise:
    """Register an enterprise moving into a building (入驻单位), uncovered until `set_coverage`.

    The credit code is optional (some units register before they have one) but, when given, must
    pass GB 32100; an organisation-code mismatch is kept as a warning in the audit entry.
    """
    organization = building.organization
    _require_manage(actor, organization.path)
    name = _text(name, field="name", label=_("单位名称"), limit=100, required=True)
    code, warnings = _clean_credit_code(credit_code)
    floor = _text(floor, field="floor", label=_("楼层"), limit=20)
    if isinstance(employees, bool) or not isinstance(employees, int) or employees < 0:
        raise DomainError("employees_invalid", _("员工人数须为不小于 0 的整数。"), field="employees")
    if Enterprise.objects.filter(building=building, name=name).exists():
        raise DomainError(
            "name_taken",
            _("“%(b)s”已登记名为“%(n)s”的单位。") % {"b": building.name, "n": name},
            field="name",
        )
    code_taken = DomainError("credit_code_taken", _("该统一社会信用代码已登记。"), field="credit_code")
    if code is not None and Enterprise.objects.filter(credit_code=code).exists():
        raise code_taken
    enterprise = Enterprise(
        building=building,
        name=name,
        credit_code=code,
        floor=floor,
        employees=employees,
        is_foreign=bool(is_foreign),
        is_fortune_500=bool(is_fortune_500),
    )
    try:
        with transaction.atomic():
            enterprise.save()
    except IntegrityError as exc:
        if Enterprise.objects.filter(building=building, name=name).exists():
            raise DomainError("name_taken", _("该楼宇已登记同名单位。"), field="name") from exc
        raise code_taken from exc
    data: dict = {"name": name, "building": building.name, "credit_code": code, "employees": employees}
    if warnings:
        data["warnings"] = warnings
    audit.record(
        "buildings.enterprise.registered", actor=actor, obj=enterprise, org_path=organization.path, data=data
    )
    return enterprise


@transaction.atomic
def set_coverage(*, actor, enterprise: Enterprise, party_organization: Organization | None) -> Enterprise:
    """Record which party organization covers an enterprise (None: uncovered).

    The actor manages the building's organization and must at least see the covering one.
    Setting the coverage it already has writes nothing.
    """
    # Lock the row alone: PostgreSQL refuses FOR UPDATE across the nullable coverage join.
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    path = (
        Building.objects.filter(pk=enterprise.building_id).values_list("organization__path", flat=True).get()
    )
    _require_manage(actor, path)
    if party_organization is not None:
        party_organization = Organization.objects.select_related("kind").get(pk=party_organization.pk)
        if actor is not None and not permissions.has_perm(actor, Perm.VIEW_ORGS, party_organization.path):
            raise DomainError("permission_denied", _("您无权使用该党组织。"), status=403)
        if party_organization.kind.category != KindCategory.PARTY:
            raise DomainError(
                "not_party_organization",
                _("“%(n)s”（%(k)s）不是党组织，不能覆盖企业。")
                % {"n": party_organization.name, "k": party_organization.kind.name},
                field="party_organization",
            )
        if party_organization.dissolved_at is not None:
            raise DomainError("org_dissolved", _("该党组织已撤销。"), field="party_organization")
    new_id = party_organization.pk if party_organization is not None else None
    if enterprise.party_organization_id == new_id:
        return enterprise
    old = Organization.objects.filter(pk=enterprise.party_organization_id).first()
    enterprise.party_organization = party_organization
    enterprise.save(update_fields=["party_organization", "updated_at"])
    audit.record(
        "buildings.enterprise.coverage_changed",
        actor=actor,
        obj=enterprise,
        org_path=path,
        data={
            "party_organization": [
                old.name if old is not None else None,
                party_organization.name if party_organization is not None else None,
            ]
        },
    )
    return enterprise
