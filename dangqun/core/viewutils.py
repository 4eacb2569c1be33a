"""Small helpers every view shares: keyset cursors, query strings, service errors on forms."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from dangqun.core.errors import DomainError


def form_error_from(form, exc: DomainError) -> None:
    """Attach a service's refusal to the field it names (or to the form as a whole)."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


def encode_cursor(*values: Any) -> str:
    raw = json.dumps(list(values), ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str | None, size: int) -> list | None:
    """The values of a cursor, or None when absent or tampered with (the list restarts)."""
    if not token:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        values = json.loads(raw.decode())
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(values, list) or len(values) != size:
        return None
    return values


def query_without(request, *names: str) -> str:
    """The current query string minus `names`, for links that keep the filters."""
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()
