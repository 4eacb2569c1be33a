"""Tracking tokens: shown once (QR, link), only their SHA-256 is stored and looked up."""

from __future__ import annotations

import hashlib
import secrets


def hash_token(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """(token, hash): 32 URL-safe characters from 24 random bytes."""
    token = secrets.token_urlsafe(24)
    return token, hash_token(token)
