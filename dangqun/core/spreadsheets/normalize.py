"""Value and header normalization shared by the XLSX and CSV readers.

The same functions are applied to openpyxl's values in the tests, so "what our
reader yields" and "what openpyxl yields, normalized" can be compared directly.
"""

from __future__ import annotations

import datetime as dt
import re

# Full-width digits, Latin letters and the ideographic space → half-width.  Cell values
# keep full-width punctuation (（）、：) because Chinese text legitimately uses it.
_VALUE_WIDTH_TABLE = {0x3000: " "}
for _start, _end in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)):
    _VALUE_WIDTH_TABLE.update({code: chr(code - 0xFEE0) for code in range(_start, _end + 1)})

# Headers are matched against names, so the whole full-width ASCII block is folded.
_HEADER_WIDTH_TABLE = {0x3000: " ", **{code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}}

_INVISIBLE_EDGES = "\u200b\u200c\u200d\u2060\ufeff"
_NEEDS_FOLDING = re.compile("[\u3000\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u200b-\u200d\u2060\ufeff]")
_SPACE_BETWEEN_WIDE = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")
_SPACE_RUN = re.compile(r"\s+")
_REQUIRED_MARK = re.compile(r"^\*+\s*|\s*(?:\*+|\(必填\))$")

# Excel keeps 15 significant digits; a whole number with more digits was typed into a
# numeric cell (an ID card number, a bank account) and its tail is already lost.
PRECISION_DIGITS = 16


def normalize_text(value: str) -> str | None:
    """Trim, fold full-width digits/letters/space to half-width; empty → None."""
    if not value.isascii() and _NEEDS_FOLDING.search(value):
        value = value.translate(_VALUE_WIDTH_TABLE).strip().strip(_INVISIBLE_EDGES)
    return value.strip() or None


def normalize_number(value: int | float) -> tuple[str | float, bool]:
    """Whole numbers become digit strings (13800138000.0 → "13800138000").

    Returns ``(value, precision_lost)``; non-whole floats are returned unchanged.
    """
    if isinstance(value, float):
        if not value.is_integer():
            return value, False
        value = int(value)
    text = str(value)
    return text, len(text) - (text[0] == "-") >= PRECISION_DIGITS


def normalize_datetime(value: dt.datetime) -> dt.date | dt.datetime:
    """A datetime at midnight is a date typed in a date-formatted cell."""
    if value.tzinfo is None and value.time() == dt.time(0):
        return value.date()
    return value


def normalize_cell_value(value: object) -> object:
    """Normalize one raw cell value (as openpyxl or a CSV reader yields it)."""
    if value is None:
        return None
    if isinstance(value, str):
        return normalize_text(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return normalize_number(value)[0]
    if isinstance(value, dt.datetime):
        return normalize_datetime(value)
    return value


def normalize_header(value: object) -> str | None:
    """Canonical header name: trimmed, half-width, without ``*`` or ``（必填）`` marks.

    Whitespace between two CJK characters is dropped ("姓  名", "身份证\\n号码"), other
    runs of whitespace collapse to one space.
    """
    if value is None:
        return None
    if isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = str(value)
    text = text.translate(_HEADER_WIDTH_TABLE).strip(_INVISIBLE_EDGES)
    text = _SPACE_BETWEEN_WIDE.sub("", text)
    text = _SPACE_RUN.sub(" ", text).strip()
    previous = None
    while previous != text:
        previous = text
        text = _REQUIRED_MARK.sub("", text).strip()
    return text or None


def column_letter(index: int) -> str:
    """1 → "A", 27 → "AA"."""
    letters = ""
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def column_index(letters: str) -> int:
    """ "A" → 1, "AA" → 27."""
    index = 0
    for char in letters.upper():
        index = index * 26 + ord(char) - 64
    return index
