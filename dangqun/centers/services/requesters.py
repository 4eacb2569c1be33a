"""Who a booking or visit is for, and whether the one asking may speak for them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from dangqun.accounts.models import RoleGrant
from dangqun.buildings.models import Enterprise
from dangqun.centers.enums import Channel, RequesterKind
from dangqun.centers.models import ServiceCenter
from dangqun.centers.services.common import clean_mobile, clean_text, may_manage
from dangqun.core.errors import DomainError
from dangqun.core.masking import mask_mobile, mask_name
from dangqun.orgs.models import Organization
from dangqun.people.models import Person


@dataclass(frozen=True)
class Requester:
    """An organization, an enterprise, or a person (name + mobile; the only choice without login)."""

    kind: str = RequesterKind.PERSON
    organization: Organization | None = None
    enterprise: Enterprise | None = None
    name: str = ""
    mobile: str = ""

    @classmethod
    def person(cls, name: str = "", mobile: str = "") -> Requester:
        return cls(RequesterKind.PERSON, name=name, mobile=mobile)

    @classmethod
    def of_organization(cls, organization: Organization, *, name: str = "", mobile: str = "") -> Requester:
        return cls(RequesterKind.ORGANIZATION, organization=organization, name=name, mobile=mobile)

    @classmethod
    def of_enterprise(cls, enterprise: Enterprise, *, name: str = "", mobile: str = "") -> Requester:
        return cls(RequesterKind.ENTERPRISE, enterprise=enterprise, name=name, mobile=mobile)


def _authenticated(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def belongs_to(actor, organization: Organization) -> bool:
    """Holds any role (member included) on the organization or above it."""
    return RoleGrant.objects.filter(
        user=actor,
        organization__path__in=organization.ancestor_paths(),
        organization__dissolved_at__isnull=True,
    ).exists()


def works_for(actor, enterprise: Enterprise) -> bool:
    """The actor's person record names the enterprise as employer, or the actor belongs to the
    party organization covering it."""
    employer = Person.objects.filter(user=actor).values_list("employer", flat=True).first()
    if employer and employer.strip() == enterprise.name:
        return True
    covering = enterprise.party_organization
    return covering is not None and belongs_to(actor, covering)


def clean_requester(
    *, actor, center: ServiceCenter, requester: Requester | None, channel: str, device=None
) -> dict[str, Any]:
    """The requester columns of a booking or visit, or a DomainError naming the field."""
    requester = requester or Requester.person()
    if channel not in Channel.values:
        raise DomainError("channel_invalid", _("未知的申请来源。"), field="channel")
    system = actor is None and channel == Channel.SYSTEM
    anonymous = not system and not _authenticated(actor)
    staff = system or (not anonymous and may_manage(actor, center.org_path))
    if device is not None and not center.org_path.startswith(device.organization.path):
        raise DomainError("device_elsewhere", _("该设备不属于本服务中心。"), status=403)
    fallback = ""
    if _authenticated(actor):
        fallback = actor.display_name or actor.get_username()
    elif system:
        body = requester.organization or requester.enterprise
        fallback = body.name if body is not None else ""
    name = clean_text(
        requester.name or fallback, field="contact_name", label=_("联系人姓名"), limit=50, required=True
    )
    mobile = clean_mobile(requester.mobile, required=anonymous)
    values: dict[str, Any] = {
        "requester_kind": requester.kind,
        "organization": None,
        "enterprise": None,
        "user": actor if _authenticated(actor) else None,
        "contact_name": name,
        "contact_mobile": mobile,
        "channel": channel,
    }
    if requester.kind == RequesterKind.PERSON:
        return values
    if requester.kind not in RequesterKind.values:
        raise DomainError("requester_invalid", _("请选择申请方类型。"), field="requester_kind")
    if anonymous:
        raise DomainError("anonymous_body", _("未登录时只能以个人名义申请。"), field="requester_kind")
    if requester.kind == RequesterKind.ORGANIZATION:
        organization = requester.organization
        if organization is None:
            raise DomainError("organization_required", _("请选择申请组织。"), field="organization")
        if organization.dissolved_at is not None:
            raise DomainError("org_dissolved", _("该组织已撤销。"), field="organization")
        if not staff and not belongs_to(actor, organization):
            raise DomainError(
                "not_member",
                _("您不属于“%(n)s”，不能以其名义申请。") % {"n": organization.name},
                field="organization",
                status=403,
            )
        values["organization"] = organization
        return values
    enterprise = requester.enterprise
    if enterprise is None:
        raise DomainError("enterprise_required", _("请选择申请企业。"), field="enterprise")
    if not staff and not works_for(actor, enterprise):
        raise DomainError(
            "not_employee",
            _("您不是“%(n)s”的员工，不能以其名义申请。") % {"n": enterprise.name},
            field="enterprise",
            status=403,
        )
    values["enterprise"] = enterprise
    return values


def actor_label(actor, values: dict[str, Any]) -> str:
    """The audit label of an anonymous requester: channel, masked name and mobile."""
    if _authenticated(actor):
        return ""
    if values["channel"] == Channel.SYSTEM:
        return "system"
    return f"{values['channel']}:{mask_name(values['contact_name'])} {mask_mobile(values['contact_mobile'])}".strip()
