"""Device tokens: registration (token shown once), lookup by hash, deactivation, and the django-ninja auth.

Scanners and kiosks call the API many times a second, so each process keeps the device a token
names for `DEVICE_CACHE_SECONDS` (default 30). Deactivating a device through `deactivate_device`
drops it from this process at once; other processes refuse it within that time.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import timedelta

from django.conf import settings
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


_clock = time.monotonic  # replaced in tests
_cached_devices: dict[str, tuple[float, Device]] = {}


def clear_cache(**_signal_kwargs) -> None:
    _cached_devices.clear()


def _active_device(token_hash: str) -> Device | None:
    now = _clock()
    hit = _cached_devices.get(token_hash)
    if hit is not None and now - hit[0] < getattr(settings, "DEVICE_CACHE_SECONDS", 30):
        return hit[1]
    device = Device.objects.select_related("organization").filter(token_hash=token_hash, is_active=True).first()
    if device is None:
        _cached_devices.pop(token_hash, None)  # unknown tokens are never cached: no memory for forgers
        return None
    _cached_devices[token_hash] = (now, device)
    return device


def device_for_token(token: str | None, *, kind: str | None = None) -> Device | None:
    if not token:
        return None
    device = _active_device(hash_token(token))
    if device is None or (kind is not None and device.kind != kind):
        return None
    now = timezone.now()
    if device.last_seen_at is None or now - device.last_seen_at > _TOUCH_EVERY:
        Device.objects.filter(pk=device.pk).update(last_seen_at=now)
        device.last_seen_at = now
    return device


@transaction.atomic
def deactivate_device(*, actor, device: Device) -> Device:
    """Switch a lost or retired device off: its token stops working (here at once, elsewhere within
    DEVICE_CACHE_SECONDS)."""
    if actor is not None and not permissions.has_perm(actor, Perm.MANAGE_ORGS, device.organization.path):
        raise DomainError("permission_denied", _("您无权停用该设备。"), status=403)
    if not device.is_active:
        raise DomainError("already_inactive", _("该设备已停用。"))
    device.is_active = False
    device.save(update_fields=["is_active"])
    audit.record("accounts.device.deactivated", actor=actor, obj=device, org_path=device.organization.path)
    return device


class DeviceTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` for device endpoints; the Device lands in request.auth."""

    def __init__(self, kind: str | None = None):
        super().__init__()
        self.kind = kind

    def authenticate(self, request, token):
        return device_for_token(token, kind=self.kind)
