"""Display masks for personal data (RULES.md §10.3), used on screens and in exports.

Every function accepts ``None`` or ``""`` and returns ``""``. A value too short for its pattern is
starred completely: a mask never reveals more than its pattern allows.
"""

from __future__ import annotations

from typing import Any

__all__ = ["mask_id_number", "mask_id_number_staff", "mask_landline", "mask_mobile", "mask_name"]

STAR = "*"


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _keep_ends(text: str, head: int, tail: int, min_hidden: int) -> str | None:
    """``text`` with all but ``head`` and ``tail`` characters starred, or ``None`` if fewer than
    ``min_hidden`` characters would be hidden."""
    hidden = len(text) - head - tail
    if hidden < min_hidden:
        return None
    return text[:head] + STAR * hidden + (text[-tail:] if tail else "")


def _all_stars(text: str) -> str:
    return STAR * len(text)


def mask_id_number(value: Any) -> str:
    """``110***********002X``: first 3 and last 4 characters shown."""
    text = _text(value)
    return _keep_ends(text, 3, 4, 8) or _all_stars(text)


def mask_id_number_staff(value: Any) -> str:
    """``110105********002X``: region code and last 4 shown, birth date hidden.

    Values that cannot take the staff pattern fall back to the stricter public mask.
    """
    text = _text(value)
    if len(text) == 18:
        return text[:6] + STAR * 8 + text[-4:]
    return mask_id_number(text)


def mask_mobile(value: Any) -> str:
    """``138****8000``: first 3 and last 4 digits shown."""
    text = _text(value)
    return _keep_ends(text, 3, 4, 4) or _all_stars(text)


def mask_landline(value: Any) -> str:
    """``0871-****3456``: area code and last 4 digits shown (at least 3 local digits hidden)."""
    text = _text(value)
    area, sep, local = text.partition("-")
    if sep and 3 <= len(area) <= 4 and area.startswith("0") and area.isdigit():
        masked = _keep_ends(local, 0, 4, 3)
        return f"{area}-{masked}" if masked else _all_stars(text)
    if text.startswith("0") and text.isdigit() and 10 <= len(text) <= 12:
        split = 3 if text[1] in "12" else 4  # 010 and 02x are the only 3-digit area codes
        masked = _keep_ends(text[split:], 0, 4, 3)
        return text[:split] + masked if masked else _all_stars(text)
    return _keep_ends(text, 0, 4, 4) or _all_stars(text)


def mask_name(value: Any) -> str:
    """``张*`` for two characters, ``张*明`` / ``欧**明`` for three or more; one character is starred."""
    text = _text(value)
    if len(text) <= 1:
        return _all_stars(text)
    if len(text) == 2:
        return text[0] + STAR
    return text[0] + STAR * (len(text) - 2) + text[-1]
