"""Users around the seed-like tree: a street secretary who sends, branch secretaries who receive."""

from __future__ import annotations

import pytest

from dangqun.news.services import send_notice
from dangqun.testing.factories import make_user


@pytest.fixture
def street_sec(tree):
    return make_user("zhuxr", display_name="朱晓荣", grants=[(tree.street, "secretary")])


@pytest.fixture
def branch_sec(tree):
    return make_user(
        "yangzy", display_name="杨志宇", email="yang@example.com", grants=[(tree.branch, "secretary")]
    )


@pytest.fixture
def community_sec(tree):
    return make_user("ruanyh", display_name="阮玉华", grants=[(tree.community, "secretary")])


@pytest.fixture
def other_branch_sec(tree):
    return make_user("dgsec", display_name="大观支部书记", grants=[(tree.other_branch, "secretary")])


@pytest.fixture
def far_sec(tree):
    return make_user("far", display_name="陆良书记", grants=[(tree.far_county, "secretary")])


@pytest.fixture
def far_branch_sec(tree):
    return make_user("farbranch", display_name="金源书记", grants=[(tree.far_branch, "secretary")])


@pytest.fixture
def member(tree):
    return make_user("member", display_name="普通党员", grants=[(tree.branch, "member")])


@pytest.fixture
def send(tree, street_sec):
    """send_notice with sensible defaults: 大观街道党工委 → the given recipients."""

    def _send(recipients, **overrides):
        kwargs = {
            "actor": street_sec,
            "organization": tree.street,
            "title": "请报送三会一课记录",
            "body": "各支部：\n请于月底前上传会议记录。",
            "recipients": recipients,
            "requires_confirmation": True,
            "category": "reminder",
        }
        kwargs.update(overrides)
        return send_notice(**kwargs)

    return _send
