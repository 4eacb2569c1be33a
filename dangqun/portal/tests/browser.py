"""Helpers of the portal's browser tests (tests/e2e/test_portal_*.py): a page in its own context
(phone, kiosk or desk size) that records console errors, and empty rate-limit counters around each
test (every browser posts from 127.0.0.1, and the live server's cache outlives a test)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

PHONE = {"width": 360, "height": 740}


def open_page(browser, viewport, *, mobile: bool = False):
    context = browser.new_context(viewport=viewport, locale="zh-CN", has_touch=True, is_mobile=mobile)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.console_errors = []
    page.on("console", lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None)
    return page


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Import into a test module to use: start (and leave) with empty rate-limit counters."""
    cache.clear()
    yield
    cache.clear()
