"""Workbench, shared view helpers, and the security headers every page carries."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from dangqun.core.viewutils import decode_cursor, encode_cursor
from dangqun.people.services import register_person
from dangqun.testing.factories import make_id_number, make_user, masses_data, member_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def html(response) -> str:
    return response.content.decode()


def test_workbench_anonymous_goes_to_login(client):
    response = client.get(reverse("workbench"))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_member_only_gets_their_own_home_not_the_workbench(client, tree):
    member = make_user(grants=[(tree.branch, "member")])
    client.force_login(member)
    response = client.get(reverse("workbench"))
    assert response.status_code == 200
    assert "我报名的活动" in html(response) and "管辖范围" not in html(response)
    assert 'href="/orgs/"' not in html(response)


def test_user_without_any_grant_gets_their_own_home(client, db):
    client.force_login(make_user())
    response = client.get(reverse("workbench"))
    assert response.status_code == 200
    assert "我的" in html(response) and "管辖范围" not in html(response)


def test_workbench_secretary_sees_rollup_counts_of_scope_root(client, tree):
    from datetime import date

    register_person(actor=None, organization=tree.branch, data=member_data())
    register_person(
        actor=None,
        organization=tree.group,
        data=member_data(
            "王建国",
            id_number=make_id_number(date(1980, 1, 1)),
            status="probationary",
            joined_on=date(2024, 7, 1),
            is_floating=True,
        ),
    )
    register_person(actor=None, organization=tree.community, data=masses_data())
    register_person(actor=None, organization=tree.far_branch, data=masses_data("李四"))
    secretary = make_user(grants=[(tree.community, "secretary")])
    client.force_login(secretary)

    response = client.get(reverse("workbench"))

    assert response.status_code == 200
    page = html(response)
    assert "顺城社区党委" in page
    assert "陆良县委" not in page
    cards = response.context["cards"]
    assert [c["org"].pk for c in cards] == [tree.community.pk]
    rollup = cards[0]["rollup"]
    assert (
        rollup.members_total,
        rollup.probationary_total,
        rollup.floating_total,
        rollup.masses_total,
        rollup.suborgs_total,
    ) == (2, 1, 1, 1, 2)
    assert f"/people/?org={tree.community.pk}" in page
    assert f"/people/new/?org={tree.community.pk}" in page
    # A secretary does not manage the structure.
    assert reverse("orgs:create-child", args=[tree.community.pk]) not in page


def test_workbench_two_roots_for_two_grants(client, tree):
    user = make_user(grants=[(tree.other_community, "committee"), (tree.far_branch, "org_admin")])
    client.force_login(user)
    response = client.get(reverse("workbench"))
    assert [c["org"].name for c in response.context["cards"]] == ["大观社区党委", "金源花园小区党支部"]
    page = html(response)
    assert reverse("orgs:create-child", args=[tree.far_branch.pk]) in page
    assert reverse("orgs:create-child", args=[tree.other_community.pk]) not in page


def test_workbench_audit_admin_sees_audit_link_without_org_cards(client, tree):
    auditor = make_user(grants=[(tree.district, "audit_admin")])
    client.force_login(auditor)
    response = client.get(reverse("workbench"))
    assert response.status_code == 200
    assert response.context["cards"] == []
    assert reverse("audit:log") in html(response)


def test_workbench_counts_come_from_rollup_not_count_queries(client, tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(make_user(grants=[(tree.district, "org_admin")]))
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("workbench"))
    assert not any("COUNT(" in q["sql"].upper() for q in captured.captured_queries)


def test_csp_header_without_unsafe_inline(client, tree):
    for url in (reverse("accounts:login"),):
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp
        assert "style-src 'self'" in csp
        assert "unsafe-inline" not in csp
    client.force_login(make_user(grants=[(tree.community, "secretary")]))
    response = client.get(reverse("workbench"))
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "no-store"


def test_pages_have_no_inline_script_or_style(client, tree):
    register_person(actor=None, organization=tree.branch, data=member_data())
    client.force_login(make_user(grants=[(tree.district, "org_admin")]))
    urls = [
        reverse("workbench"),
        reverse("orgs:tree"),
        reverse("orgs:detail", args=[tree.branch.pk]),
        reverse("people:list"),
        reverse("people:new"),
    ]
    for url in urls:
        page = html(client.get(url))
        assert "style=" not in page, url
        assert " onclick=" not in page and " onchange=" not in page, url
        for chunk in page.split("<script")[1:]:
            assert chunk.lstrip().startswith("src="), url


def test_htmx_request_from_anonymous_gets_client_redirect(client):
    response = client.get(reverse("people:list"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("accounts:login")


def test_cursor_round_trip_and_tampering():
    token = encode_cursor("朱晓荣", 42)
    assert decode_cursor(token, 2) == ["朱晓荣", 42]
    assert decode_cursor(token, 3) is None
    assert decode_cursor("not*base64", 2) is None
    assert decode_cursor("", 2) is None
    assert decode_cursor(None, 2) is None
