"""Organization pages: authorization matrix, rollup counts, and the four structural changes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangqun.orgs.models import Organization
from dangqun.people.services import register_person
from dangqun.testing.factories import make_user, masses_data, member_data

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def secretary(tree):
    return make_user("sec", grants=[(tree.community, "secretary")])


@pytest.fixture
def org_admin(tree):
    return make_user("admin", grants=[(tree.community, "org_admin")])


@pytest.fixture
def foreigner(tree):
    """Holds the same roles, but on another county's subtree."""
    return make_user("far", grants=[(tree.far_county, "org_admin")])


@pytest.fixture
def member(tree):
    return make_user("member", grants=[(tree.branch, "member")])


# --- the authorization matrix -----------------------------------------------------------------

STAFF_PAGES = [
    ("orgs:detail", "community"),
    ("orgs:children", "community"),
    ("orgs:create-child", "community"),
    ("orgs:rename", "community"),
    ("orgs:move", "branch"),
    ("orgs:dissolve", "group"),
]


@pytest.mark.parametrize(("name", "node"), STAFF_PAGES)
def test_anonymous_is_sent_to_login(client, tree, name, node):
    response = client.get(reverse(name, args=[getattr(tree, node).pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@pytest.mark.parametrize(("name", "node"), STAFF_PAGES + [("orgs:tree", None)])
def test_member_only_gets_403(client, tree, member, name, node):
    client.force_login(member)
    args = [getattr(tree, node).pk] if node else []
    assert client.get(reverse(name, args=args)).status_code == 403


@pytest.mark.parametrize(("name", "node"), STAFF_PAGES)
def test_grant_elsewhere_in_tree_gets_404(client, tree, foreigner, name, node):
    client.force_login(foreigner)
    assert client.get(reverse(name, args=[getattr(tree, node).pk])).status_code == 404


@pytest.mark.parametrize(("name", "node"), STAFF_PAGES)
def test_org_admin_on_node_gets_200(client, tree, org_admin, name, node):
    client.force_login(org_admin)
    assert client.get(reverse(name, args=[getattr(tree, node).pk])).status_code == 200


@pytest.mark.parametrize(("name", "node"), STAFF_PAGES[2:])
def test_secretary_may_view_but_not_manage(client, tree, secretary, name, node):
    client.force_login(secretary)
    assert client.get(reverse("orgs:detail", args=[getattr(tree, node).pk])).status_code == 200
    assert client.get(reverse(name, args=[getattr(tree, node).pk])).status_code == 403


# --- tree and detail --------------------------------------------------------------------------


def test_tree_lists_scope_roots_only(client, tree, secretary):
    client.force_login(secretary)
    response = client.get(reverse("orgs:tree"))
    assert [o.name for o in response.context["roots"]] == ["顺城社区党委"]
    page = html(response)
    assert "陆良县委" not in page and "大观街道党工委" not in page
    assert reverse("orgs:children", args=[tree.community.pk]) in page


def test_children_partial_lists_active_children(client, tree, org_admin):
    client.force_login(org_admin)
    extra = Organization.objects.get(pk=tree.branch.pk)
    response = client.get(reverse("orgs:children", args=[tree.community.pk]), headers={"HX-Request": "true"})
    assert [n.pk for n in response.context["nodes"]] == [extra.pk]
    assert "<html" not in html(response)
    assert reverse("orgs:children", args=[tree.branch.pk]) in html(response)


def test_detail_shows_rollup_counts_children_and_visible_breadcrumb(client, tree, secretary):
    register_person(actor=None, organization=tree.branch, data=member_data())
    register_person(actor=None, organization=tree.community, data=masses_data())
    client.force_login(secretary)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("orgs:detail", args=[tree.community.pk]))

    assert response.status_code == 200
    tree_counts = [
        q["sql"]
        for q in captured.captured_queries
        if "COUNT(" in q["sql"].upper() and ("people_" in q["sql"] or "orgs_" in q["sql"])
    ]
    assert tree_counts == []  # counts come from the rollup row, never a COUNT over the tree
    rollup = response.context["rollup"]
    assert (rollup.members_total, rollup.masses_total, rollup.suborgs_total) == (1, 1, 2)
    assert [c.name for c in response.context["children"]] == ["世邦魏理仕物业昆明分公司党支部"]
    # The street and the district are above the secretary's grant: not shown.
    assert response.context["breadcrumb"] == []
    page = html(response)
    assert "大观街道党工委" not in page
    assert f"/people/?org={tree.community.pk}" in page
    assert reverse("people:org-people", args=[tree.community.pk]) in page

    response = client.get(reverse("orgs:detail", args=[tree.group.pk]))
    assert [a.name for a in response.context["breadcrumb"]] == [
        "顺城社区党委",
        "世邦魏理仕物业昆明分公司党支部",
    ]


def test_detail_hides_management_buttons_from_secretary(client, tree, secretary, org_admin):
    client.force_login(secretary)
    assert reverse("orgs:rename", args=[tree.branch.pk]) not in html(
        client.get(reverse("orgs:detail", args=[tree.branch.pk]))
    )
    client.force_login(org_admin)
    assert reverse("orgs:rename", args=[tree.branch.pk]) in html(
        client.get(reverse("orgs:detail", args=[tree.branch.pk]))
    )


def test_center_staff_sees_orgs_but_no_people_section(client, tree):
    client.force_login(make_user(grants=[(tree.community, "center_staff")]))
    response = client.get(reverse("orgs:detail", args=[tree.community.pk]))
    assert response.status_code == 200
    assert reverse("people:org-people", args=[tree.community.pk]) not in html(response)


# --- create, rename, move, dissolve -----------------------------------------------------------


def test_create_child_offers_only_kinds_allowed_under_parent(client, tree, org_admin):
    client.force_login(org_admin)
    response = client.get(reverse("orgs:create-child", args=[tree.branch.pk]))
    kinds = {k.code for k in response.context["form"].fields["kind"].queryset}
    assert kinds == {"group", "union", "youth_league", "women_federation", "social_org"}


def test_create_child(client, tree, org_admin):
    client.force_login(org_admin)
    response = client.post(
        reverse("orgs:create-child", args=[tree.branch.pk]), {"name": "第二党小组", "kind": "group"}
    )
    child = Organization.objects.get(name="第二党小组")
    assert response["Location"] == reverse("orgs:detail", args=[child.pk])
    assert child.path.startswith(tree.branch.path)


def test_create_child_refusals_shown_on_fields(client, tree, org_admin):
    client.force_login(org_admin)
    url = reverse("orgs:create-child", args=[tree.branch.pk])
    response = client.post(url, {"name": "第一党小组", "kind": "group"})
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["同一上级下已有名为“第一党小组”的组织。"]
    assert "同一上级下已有名为“第一党小组”的组织。" in html(response)
    response = client.post(url, {"name": "新党委", "kind": "primary_committee"})
    assert "kind" in response.context["form"].errors


def test_rename(client, tree, org_admin):
    client.force_login(org_admin)
    response = client.post(reverse("orgs:rename", args=[tree.group.pk]), {"name": "物业第一党小组"})
    assert response.status_code == 302
    assert Organization.objects.get(pk=tree.group.pk).name == "物业第一党小组"
    response = client.post(reverse("orgs:rename", args=[tree.group.pk]), {"name": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]


def test_move_targets_and_move(client, tree):
    admin = make_user(grants=[(tree.street, "org_admin")])
    client.force_login(admin)
    url = reverse("orgs:move", args=[tree.branch.pk])
    targets = {o.name for o in client.get(url).context["form"].fields["new_parent"].queryset}
    # Not its current parent, not its own subtree, not a kind it may not sit under, not out of scope.
    assert targets == {"大观街道党工委", "大观社区党委"}

    response = client.post(url, {"new_parent": tree.other_community.pk})
    assert response.status_code == 302
    moved = Organization.objects.get(pk=tree.branch.pk)
    assert moved.path.startswith(tree.other_community.path)


def test_move_refuses_target_outside_scope(client, tree, org_admin):
    client.force_login(org_admin)
    response = client.post(reverse("orgs:move", args=[tree.group.pk]), {"new_parent": tree.far_branch.pk})
    assert response.status_code == 200
    assert "new_parent" in response.context["form"].errors


def test_dissolve_confirmation_and_refusal_message(client, tree, org_admin):
    register_person(actor=None, organization=tree.group, data=member_data())
    client.force_login(org_admin)
    url = reverse("orgs:dissolve", args=[tree.group.pk])
    assert "确认撤销" in html(client.get(url))

    response = client.post(url)
    assert response.status_code == 400
    assert "“第一党小组”还有 1 名党员、0 名群众，请先转出后再撤销。" in html(response)
    assert Organization.objects.get(pk=tree.group.pk).dissolved_at is None

    response = client.post(reverse("orgs:dissolve", args=[tree.branch.pk]))
    assert "“世邦魏理仕物业昆明分公司党支部”下还有 1 个下级组织，请先撤销或转移。" in html(response)


def test_dissolve_empty_node(client, tree, org_admin):
    client.force_login(org_admin)
    response = client.post(reverse("orgs:dissolve", args=[tree.group.pk]))
    assert response["Location"] == reverse("orgs:detail", args=[tree.branch.pk])
    assert Organization.objects.get(pk=tree.group.pk).dissolved_at is not None
    children = client.get(reverse("orgs:detail", args=[tree.branch.pk])).context["children"]
    assert children == []
