"""Write audit entries in the caller's transaction (DESIGN convention 2)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from dangqun.core import request_context
from dangqun.core.models import AuditEntry


def record(
    action: str,
    *,
    actor=None,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
    result: str = AuditEntry.Result.SUCCESS,
    org_path: str = "",
    actor_label: str = "",
) -> AuditEntry:
    context = request_context.current()
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    # Without an actor the change comes from the system itself (migrations, demo, jobs).
    label = actor_label or (actor.get_username() if actor is not None else "system")
    if obj is not None and not org_path:
        org_path = _org_path_of(obj)
    return AuditEntry.objects.create(
        occurred_at=timezone.now(),
        actor=actor,
        actor_label=label[:150],
        ip=context.ip,
        action=action,
        result=result,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        org_path=org_path,
        data=_jsonable(data or {}),
    )


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields that changed."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def _org_path_of(obj: models.Model) -> str:
    for attr in ("org_path", "path"):
        value = getattr(obj, attr, None)
        if isinstance(value, str):
            return value
    organization = getattr(obj, "organization", None)
    return getattr(organization, "path", "") or ""


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
