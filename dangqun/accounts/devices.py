"""Device tokens: registration (token shown once), lookup by hash, and the django-ninja auth."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm
from dangqun.accounts.models import Device
from dangqun.core import audit
from dangqun.core.errors import DomainError

_TOUCH_EVERY = timedelta(minutes=5)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def register_device(*, actor, organization, name: str, kind: str) -> tuple[Device, str]:
    """Create a device; returns it with its token (the only time the token is visible)."""
    if actor is not None and not permissions.has_perm(actor, Perm.MANAGE_ORGS, organization.path):
        raise DomainError("permission_denied", _("您无权为该组织登记设备。"), status=403)
    if kind not in Device.Kind.values:
        raise DomainError("invalid_kind", _("未知设备类型。"), field="kind")
    token = secrets.token_urlsafe(32)
    device = Device.objects.create(name=name, kind=kind, organization=organization, token_hash=hash_token(token))
    audit.record("accounts.device.registered", actor=actor, obj=device, org_path=organization.path, data={"kind": kind})
    return device, token


def device_for_token(token: str | None, *, kind: str | None = None) -> Device | None:
    if not token:
        return None
    device = (
        Device.objects.select_related("organization")
        .filter(token_hash=hash_token(token), is_active=True)
        .first()
    )
    if device is None or (kind is not None and device.kind != kind):
        return None
    now = timezone.now()
    if device.last_seen_at is None or now - device.last_seen_at > _TOUCH_EVERY:
        Device.objects.filter(pk=device.pk).update(last_seen_at=now)
    return device


class DeviceTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` for device endpoints; the Device lands in request.auth."""

    def __init__(self, kind: str | None = None):
        super().__init__()
        self.kind = kind

    def authenticate(self, request, token):
        return device_for_token(token, kind=self.kind)
