"""Shared fixtures: a small tree like the seed's, users with grants on it."""

from __future__ import annotations

import pytest

from dangqun.testing import factories


@pytest.fixture
def tree(db):
    return factories.build_tree()


@pytest.fixture
def make_user(db):
    return factories.make_user
