"""Fixtures of the orglife tests: the activities catalog (a flush removes it) and a small district."""

from __future__ import annotations

import pytest

from dangqun.orglife.tests import factories


@pytest.fixture(autouse=True)
def activity_catalog(request):
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not {"db", "transactional_db", "live_server"} & set(request.fixturenames):
        return
    transactional = (
        marker is not None and marker.kwargs.get("transaction")
    ) or "live_server" in request.fixturenames
    request.getfixturevalue("transactional_db" if transactional else "db")
    from dangqun.activities.catalog import ensure_catalog

    ensure_catalog()


@pytest.fixture
def world(tree):
    return factories.World.build(tree)
