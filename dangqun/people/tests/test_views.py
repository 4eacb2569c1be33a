"""People pages: authorization matrix, search and filters, keyset pages, masking, form errors."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from dangqun.core.models import AuditEntry
from dangqun.people.models import Person
from dangqun.people.services import register_person
from dangqun.testing.factories import make_id_number, make_user, masses_data, member_data

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def html(response) -> str:
    return response.content.decode()


def names(response) -> list[str]:
    return [row["person"].name for row in response.context["rows"]]


def field_block(page: str, field: str) -> str:
    """The HTML of one form field's block (label, widget, errors)."""
    start = page.index(f'id="field-{field}"')
    return page[start : page.index("</div>", start)]


@pytest.fixture
def liu(tree):
    return register_person(actor=None, organization=tree.branch, data=member_data())


@pytest.fixture
def far_person(tree):
    return register_person(actor=None, organization=tree.far_branch, data=masses_data("李四"))


@pytest.fixture
def secretary(tree):
    return make_user("sec", grants=[(tree.community, "secretary")])


@pytest.fixture
def org_admin(tree):
    return make_user("admin", grants=[(tree.community, "org_admin")])


@pytest.fixture
def foreigner(tree):
    return make_user("far", grants=[(tree.far_county, "secretary")])


@pytest.fixture
def member(tree):
    return make_user("member", grants=[(tree.branch, "member")])


# --- the authorization matrix -----------------------------------------------------------------


def detail_pages(person, tree):
    return [
        reverse("people:detail", args=[person.pk]),
        reverse("people:edit", args=[person.pk]),
        reverse("people:org-people", args=[tree.branch.pk]),
        reverse("people:new") + f"?org={tree.branch.pk}",
        reverse("people:list") + f"?org={tree.branch.pk}",
    ]


def test_anonymous_is_sent_to_login(client, tree, liu):
    for url in detail_pages(liu, tree) + [reverse("people:list")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(LOGIN), url


def test_member_only_gets_403(client, tree, liu, member):
    client.force_login(member)
    for url in detail_pages(liu, tree) + [reverse("people:list")]:
        assert client.get(url).status_code == 403, url


def test_grant_elsewhere_gets_404_and_no_foreign_rows(client, tree, liu, far_person, foreigner):
    client.force_login(foreigner)
    for url in detail_pages(liu, tree):
        assert client.get(url).status_code == 404, url
    response = client.get(reverse("people:list"))
    assert names(response) == ["李四"]
    assert "刘慧" not in html(response)
    assert names(client.get(reverse("people:list"), {"q": "lh"})) == []


def test_secretary_on_node_sees_own_people_only(client, tree, liu, far_person, secretary):
    client.force_login(secretary)
    for url in detail_pages(liu, tree):
        assert client.get(url).status_code == 200, url
    response = client.get(reverse("people:list"))
    assert names(response) == ["刘慧"]
    assert "李四" not in html(response)


def test_committee_may_view_but_not_edit(client, tree, liu):
    client.force_login(make_user(grants=[(tree.community, "committee")]))
    assert client.get(reverse("people:detail", args=[liu.pk])).status_code == 200
    assert client.get(reverse("people:edit", args=[liu.pk])).status_code == 403
    assert client.get(reverse("people:new")).status_code == 403
    page = html(client.get(reverse("people:list")))
    assert reverse("people:new") not in page


# --- search, filters, pages -------------------------------------------------------------------


def register(org, name, *, member=True, **overrides):
    seq = register.counter = getattr(register, "counter", 100) + 1
    make = member_data if member else masses_data
    return register_person(
        actor=None,
        organization=org,
        data=make(name, id_number=make_id_number(date(1975, 5, 5), seq=seq), **overrides),
    )


def test_search_by_initials_name_and_mobile_tail(client, tree, liu, secretary):
    register(tree.group, "朱晓荣", mobile="13600001111")
    client.force_login(secretary)
    url = reverse("people:list")
    assert names(client.get(url, {"q": "zxr"})) == ["朱晓荣"]
    assert names(client.get(url, {"q": "刘"})) == ["刘慧"]
    assert names(client.get(url, {"q": "1111"})) == ["朱晓荣"]
    assert names(client.get(url, {"q": "nobody"})) == []
    assert "没有符合条件的人员。" in html(client.get(url, {"q": "nobody"}))


def test_search_htmx_returns_results_fragment(client, tree, liu, secretary):
    client.force_login(secretary)
    response = client.get(
        reverse("people:list"), {"q": "lh"}, headers={"HX-Request": "true", "HX-Target": "people-results"}
    )
    assert "<html" not in html(response)
    assert "刘慧" in html(response)


def test_filters(client, tree, liu, secretary):
    register(tree.group, "王建国", status="probationary", joined_on=date(2024, 7, 1), is_floating=True)
    register(tree.community, "张三", member=False)
    register(tree.other_branch, "赵六", member=False)
    client.force_login(secretary)
    url = reverse("people:list")

    def found(**params):  # the database's collation orders the names; compare as sets of names
        return sorted(names(client.get(url, params)))

    assert found() == ["刘慧", "张三", "王建国"]
    assert found(category="member") == ["刘慧", "王建国"]
    assert names(client.get(url, {"category": "masses"})) == ["张三"]
    assert names(client.get(url, {"status": "probationary"})) == ["王建国"]
    assert names(client.get(url, {"floating": "on"})) == ["王建国"]
    assert names(client.get(url, {"gender": "F"})) == ["刘慧"]
    assert found(org=tree.branch.pk) == ["刘慧", "王建国"]
    assert names(client.get(url, {"org": tree.group.pk, "q": "wjg"})) == ["王建国"]
    # A subtree outside the viewer's scope is a 404, not an empty list.
    assert client.get(url, {"org": tree.other_branch.pk}).status_code == 404
    assert client.get(url, {"org": "abc"}).status_code == 404


def test_keyset_pages_of_twenty(client, tree, secretary):
    for i in range(25):
        register(tree.branch, f"测试{chr(0x4E00 + i)}", member=False)
    client.force_login(secretary)
    first = client.get(reverse("people:list"))
    page1 = names(first)
    assert len(page1) == 20
    cursor = first.context["next_cursor"]
    assert f"after={cursor}" in html(first)
    second = client.get(reverse("people:list"), {"after": cursor})
    page2 = names(second)
    assert len(page2) == 5
    assert not set(page1) & set(page2)
    assert second.context["next_cursor"] == ""
    assert len(set(Person.objects.values_list("name", flat=True))) == len(page1 + page2)


def test_list_query_count_is_flat(client, tree, secretary):
    register(tree.branch, "单一", member=False)
    client.force_login(secretary)
    url = reverse("people:list")
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as one:
        assert len(names(client.get(url))) == 1
    for i in range(19):
        register(tree.group if i % 2 else tree.branch, f"批量{chr(0x4E00 + i)}", member=bool(i % 3))
    with CaptureQueriesContext(connection) as twenty:
        assert len(names(client.get(url))) == 20
    assert len(one.captured_queries) == len(twenty.captured_queries)


# --- masking ----------------------------------------------------------------------------------


def test_secretary_sees_masked_pii_and_nothing_audited(client, tree, liu, secretary):
    client.force_login(secretary)
    page = html(client.get(reverse("people:detail", args=[liu.pk])))
    assert "138****8000" in page
    assert "13800138000" not in page
    assert liu.id_number not in page
    assert f"{liu.id_number[:3]}***********{liu.id_number[-4:]}" in page
    assert "13800138000" not in html(client.get(reverse("people:list")))
    edit = html(client.get(reverse("people:edit", args=[liu.pk])))
    assert "13800138000" not in edit and liu.id_number not in edit
    assert not AuditEntry.objects.filter(action="people.pii.viewed").exists()


def test_org_admin_sees_full_pii_and_it_is_audited(client, tree, liu, org_admin):
    client.force_login(org_admin)
    page = html(client.get(reverse("people:detail", args=[liu.pk])))
    assert "13800138000" in page
    assert liu.id_number in page
    entry = AuditEntry.objects.get(action="people.pii.viewed")
    assert entry.actor == org_admin
    assert entry.object_id == str(liu.pk)
    client.get(reverse("people:list"))
    assert AuditEntry.objects.filter(action="people.pii.viewed").count() == 2


# --- register and edit ------------------------------------------------------------------------


def person_post(org, **overrides):
    data = {
        "name": "朱晓荣",
        "id_number": make_id_number(date(1988, 8, 8), female=True, seq=321),
        "mobile": "13700001234",
        "organization": str(org.pk),
        "category": "member",
        "status": "formal",
        "joined_on": "2012-07-01",
        "cadre_level": "",
    }
    data.update(overrides)
    return data


def test_register_person(client, tree, secretary):
    client.force_login(secretary)
    response = client.post(reverse("people:new"), person_post(tree.branch))
    person = Person.objects.get(name="朱晓荣")
    assert response["Location"] == reverse("people:detail", args=[person.pk])
    assert person.party_profile.status == "formal"
    assert person.gender == "F"


def test_register_errors_shown_next_to_each_field(client, tree, secretary):
    client.force_login(secretary)
    data = person_post(tree.branch, id_number="110105194912310021", mobile="12345678901", status="")
    response = client.post(reverse("people:new"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"id_number", "mobile", "status"}
    page = html(response)
    assert "请修正下面标出的错误。" in page
    for field in ("id_number", "mobile", "status"):
        block = field_block(page, field)
        assert "field-error" in block
        assert str(form.errors[field][0]) in block
    assert "field-error" not in field_block(page, "name")
    assert not Person.objects.exists()


def test_register_member_on_kind_without_members_refused_on_organization(client, tree):
    client.force_login(make_user(grants=[(tree.street, "org_admin")]))
    response = client.post(reverse("people:new"), person_post(tree.street))
    assert "不能直接编入党员" in str(response.context["form"].errors["organization"])


def test_new_form_preselects_org_and_offers_only_editable_orgs(client, tree, secretary):
    client.force_login(secretary)
    form = client.get(reverse("people:new"), {"org": tree.group.pk}).context["form"]
    assert form.initial["organization"] == str(tree.group.pk)
    offered = {label.strip() for _pk, label in form.fields["organization"].widget.choices[1:]}
    assert offered == {"顺城社区党委", "世邦魏理仕物业昆明分公司党支部", "第一党小组"}


def test_edit_without_view_pii_keeps_masked_values(client, tree, liu, secretary):
    client.force_login(secretary)
    data = person_post(tree.group, name="刘慧敏", id_number="", mobile="", joined_on="2015-07-01")
    response = client.post(reverse("people:edit", args=[liu.pk]), data)
    assert response.status_code == 302
    liu.refresh_from_db()
    assert liu.name == "刘慧敏"
    assert liu.mobile == "13800138000"
    assert liu.organization_id == tree.group.pk
    assert AuditEntry.objects.filter(action="people.person.updated").count() == 1


def test_edit_errors_shown(client, tree, liu, secretary):
    client.force_login(secretary)
    data = person_post(tree.branch, name="刘", id_number="", mobile="", joined_on="2030-01-01")
    response = client.post(reverse("people:edit", args=[liu.pk]), data)
    form = response.context["form"]
    assert set(form.errors) == {"name", "joined_on"}
    assert "field-error" in field_block(html(response), "joined_on")


def test_roster_links_follow_permissions(client, tree, secretary):
    try:
        export_url = reverse("people:roster-export")
    except NoReverseMatch:
        pytest.skip("people.roster_urls not enabled yet")
    client.force_login(secretary)
    assert export_url in html(client.get(reverse("people:list")))
    client.force_login(make_user(grants=[(tree.community, "committee")]))
    assert export_url not in html(client.get(reverse("people:list")))


def test_missing_organization_still_reports_every_field(client, tree, secretary):
    client.force_login(secretary)
    response = client.post(reverse("people:new"), person_post(tree.branch, organization="", mobile="123"))
    errors = response.context["form"].errors
    assert errors["organization"] == ["请选择所属组织。"]
    assert set(errors) == {"organization", "mobile"}


def test_organization_outside_scope_is_a_field_error(client, tree, secretary):
    client.force_login(secretary)
    response = client.post(reverse("people:new"), person_post(tree.far_branch))
    assert response.status_code == 200
    assert response.context["form"].errors["organization"] == ["所选组织不存在或不在您的管辖范围内。"]
    assert not Person.objects.exists()
