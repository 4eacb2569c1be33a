"""Shared fixtures: a small tree like the seed's, users with grants on it."""

from __future__ import annotations

import pytest

from dangqun.testing import factories

_DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture(autouse=True)
def fresh_rules_cache():
    """A rolled-back test leaves no rule rows or devices behind in the process's caches."""
    from dangqun.accounts import devices
    from dangqun.core import rules

    rules.clear_cache()
    devices.clear_cache()
    yield
    rules.clear_cache()
    devices.clear_cache()


@pytest.fixture(autouse=True)
def organization_kinds(request):
    """The kind rules come from a data migration; a transactional test's flush wipes them, so put
    them back for every test that uses the database."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not _DB_FIXTURES & set(request.fixturenames):
        return
    transactional = (marker is not None and marker.kwargs.get("transaction")) or "live_server" in request.fixturenames
    request.getfixturevalue("transactional_db" if transactional else "db")
    from dangqun.orgs.kinds import load_default_kinds
    from dangqun.orgs.models import OrganizationKind

    if not OrganizationKind.objects.exists():
        load_default_kinds(OrganizationKind)
    if transactional:  # the activity types and the other catalogs are data migrations too
        from dangqun.activities.catalog import ensure_catalog

        ensure_catalog()


@pytest.fixture
def tree(db):
    return factories.build_tree()


@pytest.fixture
def make_user(db):
    return factories.make_user
