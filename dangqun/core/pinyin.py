"""Pinyin search keys for personal names, fast enough for 100,000-row imports.

Readings come from pypinyin's per-character table, cached per character with tones stripped
(``ü`` → ``v``). Only the surname is expanded to its alternative readings (曾 → zeng, ceng); the
given name takes the first, most common reading of each character. pypinyin's phrase-aware
``lazy_pinyin`` costs about 30 µs per name, far over the 5 µs budget, so it is not used.
"""

from __future__ import annotations

import unicodedata

__all__ = [
    "COMPOUND_SURNAMES",
    "SURNAME_READINGS",
    "char_readings",
    "name_pinyin_keys",
    "query_is_ascii_letters",
]

# Single-character surnames whose surname reading differs from the everyday one, or that users
# commonly type either way. The surname reading comes first; one-reading rows pin the surname
# reading in case pypinyin reorders its table.
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "曾": ("zeng", "ceng"),
    "单": ("shan", "dan"),
    "解": ("xie", "jie"),
    "仇": ("qiu", "chou"),
    "区": ("ou", "qu"),
    "查": ("zha", "cha"),
    "朴": ("piao", "pu"),
    "盖": ("ge", "gai"),
    "乐": ("yue", "le"),
    "尉": ("wei", "yu"),
    "缪": ("miao", "mou", "miu"),
    "覃": ("qin", "tan"),
    "翟": ("zhai", "di"),
    "种": ("chong", "zhong"),
    "召": ("shao", "zhao"),
    "繁": ("po", "fan"),
    "秘": ("bi", "mi"),
    "员": ("yun", "yuan"),
    "牟": ("mou", "mu"),
    "句": ("gou", "ju"),
    "能": ("nai", "neng"),
    "折": ("she", "zhe"),
    "卜": ("bu", "bo"),
    "阚": ("kan", "han"),
    "郇": ("huan", "xun"),
    "祭": ("zhai", "ji"),
    "乜": ("nie", "mie"),
    "藏": ("zang", "cang"),
    "长": ("chang", "zhang"),
    "重": ("chong", "zhong"),
    "洗": ("xian", "xi"),
    "隗": ("wei", "kui"),
    "颉": ("xie", "jie"),
    "都": ("du", "dou"),
    "柏": ("bai", "bo"),
    "宿": ("su", "xiu"),
    "车": ("che", "ju"),
    "沈": ("shen",),
    "万": ("wan",),
    "于": ("yu",),
    "叶": ("ye",),
    "石": ("shi",),
    "冯": ("feng",),
    "任": ("ren",),
    "华": ("hua",),
    "褚": ("chu",),
    "令": ("ling",),
    "朝": ("chao", "zhao"),
}

# Two-character surnames, one syllable per character; surname reading first, then the reading
# a user may type instead.
COMPOUND_SURNAMES: dict[str, tuple[str, ...]] = {
    "欧阳": ("ou yang",),
    "司马": ("si ma",),
    "上官": ("shang guan",),
    "诸葛": ("zhu ge",),
    "东方": ("dong fang",),
    "皇甫": ("huang fu",),
    "尉迟": ("yu chi", "wei chi"),
    "公孙": ("gong sun",),
    "慕容": ("mu rong",),
    "令狐": ("ling hu",),
    "长孙": ("zhang sun", "chang sun"),
    "宇文": ("yu wen",),
    "司徒": ("si tu",),
    "夏侯": ("xia hou",),
    "端木": ("duan mu",),
    "万俟": ("mo qi", "wan si"),
    "澹台": ("tan tai", "dan tai"),
    "轩辕": ("xuan yuan",),
    "南宫": ("nan gong",),
    "呼延": ("hu yan",),
    "赫连": ("he lian",),
    "钟离": ("zhong li",),
    "淳于": ("chun yu",),
    "鲜于": ("xian yu",),
    "申屠": ("shen tu",),
    "闻人": ("wen ren",),
}


def _surname_keys(readings: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """``("yu chi", "wei chi")`` → ``(("yuchi", "yc"), ("weichi", "wc"))``."""
    return tuple(("".join(r.split()), "".join(s[0] for s in r.split())) for r in readings)


# surname -> ((full spelling, initials), ...), surname reading first.
_SINGLE_KEYS = {ch: _surname_keys(r) for ch, r in SURNAME_READINGS.items()}
_COMPOUND_KEYS = {pair: _surname_keys(r) for pair, r in COMPOUND_SURNAMES.items()}

# Middle dots used in transliterated (minority and foreign) names; they separate words.
_NAME_DOTS = "·•‧・･.．"

# Character kinds in the cache.
_SKIP, _HANZI, _ALNUM = 0, 1, 2

# char -> (first reading or lower-cased ASCII character, kind); filled on first sight.
_CHAR_CACHE: dict[str, tuple[str, int]] = {}
# char -> every distinct reading, tone-free, in pypinyin's order.
_READINGS_CACHE: dict[str, tuple[str, ...]] = {}
_pinyin_dict: dict[int, str] | None = None


def _raw_readings(ch: str) -> str | None:
    global _pinyin_dict
    if _pinyin_dict is None:
        from pypinyin.pinyin_dict import pinyin_dict

        _pinyin_dict = pinyin_dict
    return _pinyin_dict.get(ord(ch))


def _plain(reading: str) -> str:
    """``"zhū"`` → ``"zhu"``, ``"lǜ"`` → ``"lv"``: ASCII letters only."""
    decomposed = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
    return "".join(c for c in decomposed if "a" <= c <= "z")


def char_readings(ch: str) -> tuple[str, ...]:
    """Every tone-free reading of one character (empty for characters without pinyin)."""
    cached = _READINGS_CACHE.get(ch)
    if cached is None:
        raw = _raw_readings(ch)
        plain = (_plain(r) for r in raw.split(",")) if raw else ()
        cached = _READINGS_CACHE[ch] = tuple(dict.fromkeys(p for p in plain if p))
    return cached


def _classify(ch: str) -> tuple[str, int]:
    """Work out and cache how one character contributes to the keys."""
    code = ord(ch)
    plain = chr(code - 0xFEE0) if 0xFF01 <= code <= 0xFF5E else ch  # full-width ASCII
    if plain.isascii():
        info = (plain.lower(), _ALNUM) if plain.isalnum() else ("", _SKIP)
    else:
        readings = char_readings(plain)
        if readings:
            info = (readings[0], _HANZI)
        else:  # accented Latin (é, ü) keeps its base letter; anything else is dropped
            base = "".join(c for c in unicodedata.normalize("NFD", plain) if c.isascii() and c.isalnum())
            info = (base.lower(), _ALNUM) if base else ("", _SKIP)
    _CHAR_CACHE[ch] = info
    return info


def _surname(name: str) -> tuple[int, tuple[tuple[str, str], ...]] | None:
    """``(length, keys)`` of a surname that needs more than its first reading, else ``None``."""
    keys = _COMPOUND_KEYS.get(name[:2]) if len(name) > 2 else None
    if keys is not None:
        length = 2
    else:
        keys = _SINGLE_KEYS.get(name[0])
        if keys is None:
            return None
        length = 1
    if any(dot in name for dot in _NAME_DOTS):  # transliterated name: no surname
        return None
    return length, keys


def name_pinyin_keys(name: str) -> tuple[list[str], list[str]]:
    """``(full_spellings, initials)`` for a name, lower-case ASCII, deduplicated, surname reading first.

    ``"朱晓荣"`` → ``(["zhuxiaorong"], ["zxr"])``; ``"曾力"`` → ``(["zengli", "cengli"], ["zl", "cl"])``.
    Latin letters and digits are kept (a run of them gives one initial); spaces, middle dots
    and other symbols are dropped. Names written with a middle dot (阿依古丽·买买提) have no
    surname, so nothing is expanded.
    """
    name = name.strip() if name else ""
    if not name:
        return [], []
    surname = _surname(name)
    start = surname[0] if surname else 0

    cache = _CHAR_CACHE
    full: list[str] = []
    initials: list[str] = []
    in_word = False
    for ch in name[start:] if start else name:
        info = cache.get(ch)
        if info is None:
            info = _classify(ch)
        piece, kind = info
        if kind == _HANZI:
            full.append(piece)
            initials.append(piece[0])
            in_word = False
        elif kind == _ALNUM:
            full.append(piece)
            if not in_word:
                initials.append(piece)
                in_word = True
        else:
            in_word = False
    rest_full = "".join(full)
    rest_initials = "".join(initials)
    if surname is None:
        return ([rest_full], [rest_initials]) if rest_full else ([], [])

    keys = surname[1]
    spellings = list(dict.fromkeys(full_s + rest_full for full_s, _ in keys))
    return spellings, list(dict.fromkeys(init_s + rest_initials for _, init_s in keys))


def query_is_ascii_letters(q: str) -> bool:
    """True when a search query, spaces ignored, is only ASCII letters (a pinyin query)."""
    if not q:
        return False
    compact = "".join(q.split())
    return bool(compact) and compact.isascii() and compact.isalpha()
