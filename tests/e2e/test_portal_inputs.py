"""Date and time pickers on the phone pages (360 px) and the kiosk: as tall as the other fields,
large readable digits (portal.css, shared by mobile.css and kiosk.css)."""

from __future__ import annotations

import pytest

from dangqun.portal.tests.builders import build_place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Put one field of each type in the page's first form, the way Django renders them, and measure.
MEASURE = """() => {
  const form = document.querySelector('form.m-form, form.k-form, main form');
  const out = {};
  for (const type of ['text', 'date', 'time', 'datetime-local']) {
    const box = document.createElement('div');
    box.className = 'f';
    const input = document.createElement('input');
    input.type = type;
    box.appendChild(input);
    form.prepend(box);
    const r = input.getBoundingClientRect();
    const s = getComputedStyle(input);
    out[type] = {height: r.height, width: r.width, font: parseFloat(s.fontSize), color: s.color};
  }
  out.viewport = document.documentElement.clientWidth;
  out.scroll = document.documentElement.scrollWidth;
  return out;
}"""


@pytest.mark.parametrize(
    "viewport,path,min_height,min_font",
    [
        ({"width": 360, "height": 740}, "/m/i/jinling-registration/", 48, 18),
        ({"width": 1080, "height": 1920}, "/kiosk/jinling/i/jinling-registration/", 64, 22),
    ],
    ids=["phone-360", "kiosk"],
)
def test_date_and_time_fields_are_large_and_readable(
    browser, live_server, tree, screenshot_dir, viewport, path, min_height, min_font
):
    build_place(tree)
    context = browser.new_context(viewport=viewport, locale="zh-CN", has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}{path}")
    sizes = page.evaluate(MEASURE)
    for kind in ("date", "time", "datetime-local"):
        measured = sizes[kind]
        assert measured["height"] >= min_height, (kind, measured)
        assert measured["font"] >= min_font, (kind, measured)
        assert abs(measured["height"] - sizes["text"]["height"]) <= 2, (kind, measured, sizes["text"])
        assert measured["width"] <= sizes["viewport"], (kind, measured)
    assert sizes["scroll"] <= sizes["viewport"]
    name = "phone" if viewport["width"] == 360 else "kiosk"
    page.screenshot(path=str(screenshot_dir / f"portal_time_inputs_{name}.png"))
    context.close()
