"""QR codes of public pages, as SVG made by segno from the page's absolute URL.

One function makes every symbol (the served .svg files, the inline codes on the kiosk and the
board), so a test can regenerate a symbol from the URL it should hold and compare.
"""

from __future__ import annotations

import segno

DARK = "#1f1d1b"
LIGHT = "#ffffff"


def make(url: str) -> segno.QRCode:
    return segno.make(url, error="m", micro=False)


def svg_inline(url: str, *, scale: int = 8) -> str:
    """An <svg> element (no XML declaration), sized by CSS through its viewBox."""
    return make(url).svg_inline(scale=scale, border=2, dark=DARK, light=LIGHT, omitsize=True)


def svg_document(url: str, *, scale: int = 8) -> str:
    """A standalone SVG file (served with image/svg+xml)."""
    return '<?xml version="1.0" encoding="utf-8"?>\n' + svg_inline(url, scale=scale).replace(
        "<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1
    )
