"""The PDF font: Noto Sans CJK SC from Debian's fonts-noto-cjk, plus a smaller derived copy.

WeasyPrint embeds a subset of every font it uses, and the subsetting keeps glyph ids up to the
highest one used (Noto CJK's punctuation sits near id 63,000), which makes it most of a PDF's
rendering time. So the product derives, once, a copy of the same font holding only the GB 2312
characters, ASCII/Latin-1 and the CJK punctuation, with its glyphs renumbered (highest id about
8,000), stored under var/fonts/. PDFs name it first and the system font second, so any character
outside the copy (a rare name such as 堃) still comes from the system font. Same glyphs, same
licence (SIL OFL, no reserved name). Building takes about 15 s, once; `manage.py
orglife_build_font` does it at deployment, otherwise the first PDF does.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from django.conf import settings

SUBSET_FAMILY = "Noto Sans CJK SC GB"
SUBSET_VERSION = "gb2312-1"
_EXTRA_RANGES = [(0x20, 0x7F), (0xA0, 0x180), (0x2000, 0x2070), (0x2100, 0x2200), (0x2460, 0x2500),
                 (0x25A0, 0x2600), (0x3000, 0x3040), (0xFF00, 0xFFF0)]  # fmt: skip


@lru_cache(maxsize=8)
def installed(family: str) -> tuple[str, int] | None:
    """(file, face index) fontconfig uses for `family`; None when the family is not installed
    (fc-match then answers with a fallback of another name)."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    answer = subprocess.run(  # noqa: S603 — fixed program, the family is one argument
        [fc_match, "-f", "%{family}\n%{file}\n%{index}", family], capture_output=True, text=True, timeout=10,
        check=False,
    )  # fmt: skip
    lines = answer.stdout.split("\n")
    if len(lines) < 3 or family.casefold() not in [n.strip().casefold() for n in lines[0].split(",")]:
        return None
    return lines[1], int(lines[2] or 0)


def charset() -> set[int]:
    codepoints: set[int] = set()
    for low, high in _EXTRA_RANGES:
        codepoints.update(range(low, high))
    for cp in range(0x4E00, 0xA000):
        try:
            chr(cp).encode("gb2312")
        except UnicodeEncodeError:
            continue
        codepoints.add(cp)
    return codepoints


def subset_path(source: Path) -> Path:
    stat = source.stat()
    digest = hashlib.sha1(
        f"{source}:{stat.st_size}:{stat.st_mtime_ns}:{SUBSET_VERSION}".encode()
    ).hexdigest()[:12]
    return Path(settings.VAR_DIR) / "fonts" / f"noto-sans-cjk-sc-gb-{digest}.otf"


def build_subset(source: Path, index: int, target: Path) -> Path:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one builder at a time; the others find it done
        if target.exists():
            return target
        font = TTFont(str(source), fontNumber=index, lazy=True)
        options = subset.Options()
        options.layout_features = []
        options.notdef_outline = True
        options.hinting = False
        options.desubroutinize = False
        options.drop_tables += ["GSUB", "GPOS", "BASE", "VORG", "vhea", "vmtx", "DSIG"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=charset())
        subsetter.subset(font)
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        font.save(str(temporary))
        os.replace(temporary, target)
    return target


def subset_font(family: str, *, build: bool = True) -> Path | None:
    """The derived copy of `family` (built now if missing and `build`), or None: then PDFs use the
    system font alone. `ORGLIFE_PDF_FONT_SUBSET = False` turns the copy off."""
    if not getattr(settings, "ORGLIFE_PDF_FONT_SUBSET", True):
        return None
    found = installed(family)
    if found is None:
        return None
    source, index = Path(found[0]), found[1]
    target = subset_path(source)
    if target.exists():
        return target
    return build_subset(source, index, target) if build else None
