"""Search keys for people and the query that uses them.

Keys are prefixed by kind (n name, p full pinyin, i initials, m mobile reversed, d ID reversed),
so one index on (key, org_path) serves every kind of query with a prefix range scan; reversing
phones and ID numbers turns "the last digits" into a prefix.
"""

from __future__ import annotations

import re

from dangqun.core.pinyin import name_pinyin_keys
from dangqun.core.validators import to_halfwidth

KEY_MAX = 64
_DIGITS = re.compile(r"^\d{3,18}[xX]?$|^\d{3,18}$")
_LETTERS = re.compile(r"^[a-zA-Z]{1,40}$")


def keys_for(name: str, mobile: str = "", id_number: str | None = None) -> list[str]:
    keys = ["n" + name]
    full, initials = name_pinyin_keys(name)
    keys.extend("p" + spelling for spelling in full)
    keys.extend("i" + letters for letters in initials)
    if mobile:
        keys.append("m" + mobile[::-1])
    if id_number:
        keys.append("d" + id_number[::-1])
    seen: set[str] = set()
    unique = []
    for key in keys:
        key = key[:KEY_MAX]
        if key not in seen:
            seen.add(key)
            unique.append(key)
    return unique


def query_prefixes(query: str) -> list[str]:
    """What a typed query means, as key prefixes. Empty when the query is too short to search."""
    q = to_halfwidth(query or "").strip().replace(" ", "")
    if not q:
        return []
    if _DIGITS.match(q):
        tail = q.upper()[::-1]
        if q.upper().endswith("X") or len(q) > 11:
            return ["d" + tail]
        return ["m" + tail, "d" + tail]
    if _LETTERS.match(q):
        low = q.lower()
        return ["i" + low, "p" + low]
    if len(q) >= 1 and not q.isascii():
        return ["n" + q]
    return []


def prefix_upper_bound(prefix: str) -> str:
    """The smallest string greater than every string starting with `prefix`."""
    return prefix + "\U0010ffff"
