import pytest

from dangqun.core.errors import DomainError
from dangqun.core.models import AuditEntry
from dangqun.orgs import selectors
from dangqun.orgs.models import Organization, OrgRollup
from dangqun.orgs.services import (
    create_organization,
    dissolve_organization,
    move_organization,
    rename_organization,
)
from dangqun.people import rollup_check
from dangqun.people.models import Person, PersonSearchKey
from dangqun.people.services import register_person
from dangqun.testing.factories import make_id_number, make_user, masses_data, member_data

pytestmark = pytest.mark.django_db


def test_group_only_under_branch(tree):
    with pytest.raises(DomainError) as exc:
        create_organization(actor=None, parent=tree.community, name="党小组甲", kind="group")
    assert exc.value.code == "kind_not_allowed"
    assert "党小组" in exc.value.message and "党支部" in exc.value.message
    create_organization(actor=None, parent=tree.branch, name="第二党小组", kind="group")


def test_branch_not_at_root_and_not_under_group(tree):
    with pytest.raises(DomainError) as exc:
        create_organization(actor=None, parent=None, name="孤立支部", kind="branch")
    assert exc.value.code == "kind_not_allowed"
    with pytest.raises(DomainError):
        create_organization(actor=None, parent=tree.group, name="支部下的支部", kind="branch")


def test_mass_and_social_orgs_in_tree(tree):
    union = create_organization(actor=None, parent=tree.community, name="招银大厦工会", kind="union")
    assert Organization.objects.get_parent(union) == tree.community
    create_organization(actor=None, parent=tree.branch, name="归海加油站", kind="social_org")
    assert OrgRollup.objects.get(organization=tree.community).suborgs_total == 4


def test_sibling_names_unique(tree):
    with pytest.raises(DomainError) as exc:
        create_organization(actor=None, parent=tree.street, name="顺城社区党委", kind="primary_committee")
    assert exc.value.code == "name_taken"


def test_rename_audited_and_permission_checked(tree):
    admin = make_user(grants=[(tree.street, "org_admin")])
    outsider = make_user(grants=[(tree.far_county, "org_admin")])
    with pytest.raises(DomainError):
        rename_organization(actor=outsider, organization=tree.community, name="改名")
    rename_organization(actor=admin, organization=tree.community, name="顺城社区党委（新）")
    entry = AuditEntry.objects.get(action="orgs.organization.renamed")
    assert entry.data == {"name": ["顺城社区党委", "顺城社区党委（新）"]}
    assert entry.actor == admin


def test_move_subtree_carries_people_counts_and_search_scope(tree):
    register_person(actor=None, organization=tree.branch, data=member_data())
    register_person(
        actor=None, organization=tree.group, data=member_data(name="杨志宇", id_number=make_id_number())
    )
    register_person(actor=None, organization=tree.community, data=masses_data())
    assert selectors.subtree_member_count(tree.street.pk) == 2

    moved = move_organization(actor=None, organization=tree.branch, new_parent=tree.other_community)
    assert moved.path.startswith(tree.other_community.path)
    assert selectors.subtree_member_count(tree.community.pk) == 0
    assert selectors.subtree_member_count(tree.other_community.pk) == 2
    assert selectors.subtree_member_count(tree.street.pk) == 2
    assert OrgRollup.objects.get(organization=tree.community).masses_total == 1
    assert OrgRollup.objects.get(organization=tree.community).suborgs_total == 0
    assert OrgRollup.objects.get(organization=tree.other_community).suborgs_total == 3
    assert set(Person.objects.filter(name__in=["刘慧", "杨志宇"]).values_list("org_path", flat=True)) == {
        moved.path,
        moved.path + Organization.objects.get(pk=tree.group.pk).path[-4:],
    }
    assert PersonSearchKey.objects.filter(org_path__startswith=moved.path).count() >= 8
    assert rollup_check.differences() == []


def test_move_into_own_subtree_refused(tree):
    with pytest.raises(DomainError) as exc:
        move_organization(actor=None, organization=tree.community, new_parent=tree.branch)
    assert exc.value.code in {"move_into_self", "kind_not_allowed"}
    with pytest.raises(DomainError) as exc:
        move_organization(actor=None, organization=tree.branch, new_parent=tree.group)
    assert exc.value.code == "move_into_self"


def test_dissolve_refused_while_children_or_people_remain(tree):
    with pytest.raises(DomainError) as exc:
        dissolve_organization(actor=None, organization=tree.branch)
    assert exc.value.code == "has_children"
    assert "1 个下级组织" in exc.value.message
    dissolve_organization(actor=None, organization=tree.group)
    register_person(actor=None, organization=tree.branch, data=member_data())
    with pytest.raises(DomainError) as exc:
        dissolve_organization(actor=None, organization=tree.branch)
    assert exc.value.code == "has_people"
    assert "1 名党员" in exc.value.message
    assert Organization.objects.get(pk=tree.branch.pk).dissolved_at is None
    assert OrgRollup.objects.get(organization=tree.branch).suborgs_total == 0


def test_scope_and_404_outside(tree):
    from django.http import Http404

    secretary = make_user(grants=[(tree.community, "secretary")])
    visible = set(selectors.organizations_visible_to(secretary).values_list("name", flat=True))
    assert visible == {"顺城社区党委", "世邦魏理仕物业昆明分公司党支部", "第一党小组"}
    with pytest.raises(Http404):
        selectors.get_organization_for(secretary, tree.far_branch.pk)
    with pytest.raises(Http404):
        selectors.get_organization_for(secretary, tree.street.pk)


def test_verify_rollups_detects_and_fixes_drift(tree):
    register_person(actor=None, organization=tree.branch, data=member_data())
    OrgRollup.objects.filter(organization=tree.street).update(members_total=99)
    assert rollup_check.differences() == [(tree.street.path, "members_total", 99, 1)]
    rollup_check.fix()
    assert rollup_check.differences() == []
