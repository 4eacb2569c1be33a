"""Fixtures of the activities tests: the default catalog (a flush removes it), people, devices."""

from __future__ import annotations

import pytest

from dangqun.activities.tests import factories


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
def people(tree):
    return factories.People.build(tree)


@pytest.fixture
def scanner(tree):
    return factories.make_device(tree.community)
