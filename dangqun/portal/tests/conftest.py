"""Fixtures of the portal tests (the data itself is built in builders.py)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from dangqun.portal.tests import builders


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counters live in the cache: every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def place(tree) -> builders.Place:
    return builders.build_place(tree)


@pytest.fixture
def wall(place) -> dict:
    return builders.build_wall(place)


@pytest.fixture
def kiosk_device(place):
    return builders.build_kiosk_device(place)
