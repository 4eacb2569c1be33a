"""Passes: random secrets without look-alike characters, shown as a QR code and a short code.

The QR encodes exactly the pass code (upper-case letters and digits → QR alphanumeric mode, a small
and fast-scanning symbol) and nothing else: no URL, so a phone that scans someone's pass opens
nothing and learns nothing. A scanner sends the text it read to the device API.
"""

from __future__ import annotations

import secrets

import segno

# No 0/O, 1/I/L: what is read aloud or typed from a printed pass cannot be mistaken.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 10  # 31^10 ≈ 8·10^14 (≈ 49.5 bits): not guessable at any scan rate a door allows
GROUP = 5


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(raw: str | None) -> str:
    """What a person or scanner typed → the stored form (upper case, no spaces, hyphens or control
    characters: PostgreSQL refuses NUL in text, and the scan log keeps a hint of the code)."""
    text = "".join(ch for ch in "".join((raw or "").split()) if ch.isprintable())
    return text.replace("-", "").upper()[:32]


def looks_valid(code: str) -> bool:
    return len(code) == LENGTH and all(ch in ALPHABET for ch in code)


def display(code: str) -> str:
    """ABCDE-FGHJK: easier to read out and type."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def hint(raw: str) -> str:
    """What the scan log keeps of a presented code: its first three characters."""
    return normalize(raw)[:3]


def qr_svg(text: str, *, scale: int = 6) -> str:
    """An inline SVG QR code (no XML declaration; a viewBox, no fixed size: CSS sizes it)."""
    return segno.make(text, error="m", micro=False).svg_inline(
        scale=scale, border=2, dark="#1f2328", omitsize=True
    )
