"""Writes on the service catalog (manage_centers on the center's organization) and on Open311 clients."""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm
from dangqun.core import audit
from dangqun.core.errors import DomainError
from dangqun.orgs.models import Organization
from dangqun.servicedesk.enums import PromiseUnit, TargetGroup
from dangqun.servicedesk.models import Open311Client, ServiceItem
from dangqun.servicedesk.tokens import hash_token

_CODE_RE = re.compile(r"[a-z0-9][a-z0-9-]{1,59}")
ITEM_FIELDS = (
    "code", "name", "group", "description", "target_groups", "required_materials", "promise_value",
    "promise_unit", "is_public", "is_active", "sort_order",
)  # fmt: skip


def _require_manage(actor, path: str) -> None:
    if actor is not None and not permissions.has_perm(actor, Perm.MANAGE_CENTERS, path):
        raise DomainError("permission_denied", _("您无权管理该中心的服务事项。"), status=403)


def _center_path(center) -> str:
    return center.org_path or center.organization.path


def _lines(value) -> list[str]:
    if isinstance(value, str):
        value = value.splitlines()
    return [str(v).strip()[:100] for v in (value or []) if str(v).strip()][:20]


def clean_item(data: dict[str, Any]) -> dict[str, Any]:
    code = (data.get("code") or "").strip().lower()
    if not _CODE_RE.fullmatch(code):
        raise DomainError(
            "code_invalid", _("事项代码只能用小写字母、数字和连字符，2 到 60 位。"), field="code"
        )
    name = (data.get("name") or "").strip()
    if not name:
        raise DomainError("name_required", _("请填写事项名称。"), field="name")
    if len(name) > 60:
        raise DomainError("name_too_long", _("事项名称不能超过 60 个字。"), field="name")
    groups = [g for g in (data.get("target_groups") or []) if g]
    unknown = [g for g in groups if g not in TargetGroup.values]
    if unknown:
        raise DomainError("target_group_invalid", _("未知的服务对象：%(g)s") % {"g": "、".join(unknown)},
                          field="target_groups")  # fmt: skip
    unit = data.get("promise_unit") or PromiseUnit.WORKING_DAYS
    if unit not in PromiseUnit.values:
        raise DomainError("promise_unit_invalid", _("未知的时限单位。"), field="promise_unit")
    value = data.get("promise_value")
    if value in ("", None):
        value = None
    else:
        try:
            value = int(value)
        except (TypeError, ValueError):
            value = -1
        if not 1 <= value <= 720:
            raise DomainError(
                "promise_invalid", _("承诺时限须是 1 到 720 之间的整数。"), field="promise_value"
            )
    return {
        "code": code,
        "name": name,
        "group": (data.get("group") or "").strip()[:40],
        "description": (data.get("description") or "").strip()[:2000],
        "target_groups": groups,
        "required_materials": _lines(data.get("required_materials")),
        "promise_value": value,
        "promise_unit": unit,
        "is_public": bool(data.get("is_public", True)),
        "is_active": bool(data.get("is_active", True)),
        "sort_order": int(data.get("sort_order") or 0),
    }


@transaction.atomic
def create_service_item(*, actor, center, data: dict[str, Any]) -> ServiceItem:
    path = _center_path(center)
    _require_manage(actor, path)
    cleaned = clean_item(data)
    if ServiceItem.objects.filter(code=cleaned["code"]).exists():
        raise DomainError("code_taken", _("事项代码“%(c)s”已被使用。") % {"c": cleaned["code"]}, field="code")
    if ServiceItem.objects.filter(center=center, name=cleaned["name"]).exists():
        raise DomainError("name_taken", _("本中心已有同名服务事项。"), field="name")
    try:
        with transaction.atomic():
            item = ServiceItem.objects.create(center=center, org_path=path, **cleaned)
    except IntegrityError as exc:
        raise DomainError("code_taken", _("事项代码或名称已被使用。"), field="code") from exc
    audit.record("servicedesk.item.created", actor=actor, obj=item, org_path=path, data=cleaned)
    return item


@transaction.atomic
def update_service_item(*, actor, item: ServiceItem, data: dict[str, Any]) -> ServiceItem:
    item = ServiceItem.objects.select_for_update().select_related("center").get(pk=item.pk)
    _require_manage(actor, item.org_path)
    before = {f: getattr(item, f) for f in ITEM_FIELDS}
    cleaned = clean_item({**before, **data})
    if ServiceItem.objects.filter(code=cleaned["code"]).exclude(pk=item.pk).exists():
        raise DomainError("code_taken", _("事项代码“%(c)s”已被使用。") % {"c": cleaned["code"]}, field="code")
    if (
        ServiceItem.objects.filter(center_id=item.center_id, name=cleaned["name"])
        .exclude(pk=item.pk)
        .exists()
    ):
        raise DomainError("name_taken", _("本中心已有同名服务事项。"), field="name")
    for field, value in cleaned.items():
        setattr(item, field, value)
    item.save()
    changes = audit.diff(before, cleaned)
    if changes:
        audit.record("servicedesk.item.updated", actor=actor, obj=item, data={"changes": changes})
    return item


@transaction.atomic
def register_open311_client(*, actor, organization: Organization, name: str) -> tuple[Open311Client, str]:
    """A client of the jurisdiction `organization`; returns the api_key (the only time it is shown)."""
    if actor is not None and not permissions.has_perm(actor, Perm.MANAGE_ORGS, organization.path):
        raise DomainError("permission_denied", _("您无权为该组织登记 Open311 客户端。"), status=403)
    name = (name or "").strip()[:100]
    if not name:
        raise DomainError("name_required", _("请填写客户端名称。"), field="name")
    api_key = secrets.token_urlsafe(32)
    client = Open311Client.objects.create(
        name=name, organization=organization, org_path=organization.path, key_hash=hash_token(api_key)
    )
    audit.record("servicedesk.open311_client.registered", actor=actor, obj=client, org_path=organization.path)
    return client, api_key


def client_for_key(api_key: str | None) -> Open311Client | None:
    if not api_key:
        return None
    client = Open311Client.objects.filter(key_hash=hash_token(api_key), is_active=True).first()
    if client is not None:
        Open311Client.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
    return client
