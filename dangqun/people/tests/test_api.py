"""The JSON API: same scope, same masking, same 404 for other subtrees."""

import pytest

from dangqun.people.services import register_person
from dangqun.testing.factories import make_id_number, make_user, masses_data, member_data

pytestmark = pytest.mark.django_db


def test_api_requires_login(client):
    assert client.get("/api/v1/people/").status_code == 401


def test_search_in_scope_masked(client, tree):
    mine = register_person(actor=None, organization=tree.branch, data=member_data("朱晓荣"))
    register_person(actor=None, organization=tree.far_branch, data=masses_data("朱小蓉", id_number=make_id_number()))
    client.force_login(make_user(grants=[(tree.community, "secretary")]))
    body = client.get("/api/v1/people/", {"q": "zxr"}).json()
    assert [p["name"] for p in body] == ["朱晓荣"]
    assert body[0]["mobile"] == "138****8000"
    assert body[0]["id"] == mine.pk
    assert body[0]["member_status"] == "formal"


def test_other_subtree_is_404_with_code(client, tree):
    far = register_person(actor=None, organization=tree.far_branch, data=masses_data())
    client.force_login(make_user(grants=[(tree.community, "secretary")]))
    response = client.get(f"/api/v1/people/{far.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert client.get(f"/api/v1/orgs/{tree.far_county.pk}").status_code == 404


def test_org_counts_from_rollup(client, tree):
    register_person(actor=None, organization=tree.group, data=member_data())
    client.force_login(make_user(grants=[(tree.street, "committee")]))
    body = client.get(f"/api/v1/orgs/{tree.community.pk}").json()
    assert (body["name"], body["members_total"], body["suborgs_total"]) == ("顺城社区党委", 1, 2)
    children = client.get(f"/api/v1/orgs/{tree.street.pk}/children").json()
    assert [c["name"] for c in children] == ["顺城社区党委", "大观社区党委"]


def test_openapi_schema_served(client, tree):
    client.force_login(make_user(grants=[(tree.community, "secretary")]))
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/people/" in schema["paths"]
