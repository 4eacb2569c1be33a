from datetime import date

import pytest

from dangqun.core.errors import DomainError
from dangqun.core.models import AuditEntry
from dangqun.orgs.models import OrgRollup
from dangqun.people.models import PartyMember, Person, PersonSearchKey
from dangqun.people.services import PersonInvalid, register_person, update_person
from dangqun.testing.factories import make_id_number, make_user, masses_data, member_data

pytestmark = pytest.mark.django_db


def counts(org):
    return OrgRollup.objects.values(
        "members_direct", "members_total", "masses_direct", "masses_total", "probationary_total"
    ).get(organization=org)


def test_register_member_updates_rollups_keys_and_audit(tree):
    person = register_person(actor=None, organization=tree.branch, data=member_data())
    assert person.org_path == tree.branch.path
    assert person.gender == "F"
    assert person.birth_date == date(1990, 3, 8)
    assert PartyMember.objects.get(person=person).status == "formal"
    keys = set(PersonSearchKey.objects.filter(person=person).values_list("key", flat=True))
    assert {"n刘慧", "pliuhui", "ilh", "m00083100831"} <= keys
    assert counts(tree.branch) == {
        "members_direct": 1,
        "members_total": 1,
        "masses_direct": 0,
        "masses_total": 0,
        "probationary_total": 0,
    }
    assert counts(tree.street)["members_total"] == 1
    assert counts(tree.street)["members_direct"] == 0
    assert counts(tree.far_county)["members_total"] == 0
    entry = AuditEntry.objects.get(action="people.person.created")
    assert entry.org_path == tree.branch.path
    assert "*" in entry.data["id_number"]


def test_member_refused_on_kind_that_holds_no_members(tree):
    with pytest.raises(DomainError) as exc:
        register_person(actor=None, organization=tree.street, data=member_data())
    assert exc.value.code == "org_cannot_hold_members"
    assert Person.objects.count() == 0


def test_invalid_fields_listed_together(tree):
    data = member_data(id_number="110105194912310021", mobile="12345678901", status="")
    with pytest.raises(PersonInvalid) as exc:
        register_person(actor=None, organization=tree.branch, data=data)
    assert [e.field for e in exc.value.errors] == ["id_number", "mobile", "status"]
    assert Person.objects.count() == 0


def test_secretary_cannot_register_outside_scope(tree):
    secretary = make_user(grants=[(tree.community, "secretary")])
    with pytest.raises(DomainError) as exc:
        register_person(actor=secretary, organization=tree.far_branch, data=masses_data())
    assert exc.value.code == "permission_denied"


def test_update_moves_counts_and_audits_masked_diff(tree):
    secretary = make_user(grants=[(tree.street, "secretary")])
    person = register_person(
        actor=secretary,
        organization=tree.branch,
        data=member_data(status="probationary", joined_on=date(2026, 1, 5)),
    )
    assert counts(tree.branch)["probationary_total"] == 1
    update_person(
        actor=secretary,
        person=person,
        data={"status": "formal", "mobile": "+86 139 0000 1111"},
        organization=tree.other_branch,
    )
    assert counts(tree.branch)["members_total"] == 0
    assert counts(tree.branch)["probationary_total"] == 0
    assert counts(tree.other_branch)["members_total"] == 1
    assert counts(tree.street)["members_total"] == 1
    person.refresh_from_db()
    assert person.mobile == "13900001111"
    entry = AuditEntry.objects.get(action="people.person.updated")
    assert entry.data["changes"]["mobile"] == ["138****8000", "139****1111"]
    assert entry.data["changes"]["status"] == ["probationary", "formal"]


def test_duplicate_id_number_refused(tree):
    number = make_id_number(date(1980, 1, 1))
    register_person(actor=None, organization=tree.branch, data=masses_data(id_number=number))
    with pytest.raises(DomainError) as exc:
        register_person(actor=None, organization=tree.branch, data=masses_data(name="李四", id_number=number))
    assert exc.value.code == "id_number_taken"


def test_birth_date_shown_only_with_view_pii(tree):
    from dangqun.people.selectors import PiiPolicy

    person = register_person(actor=None, organization=tree.branch, data=member_data())
    secretary = make_user(grants=[(tree.community, "secretary")])
    admin = make_user(grants=[(tree.street, "org_admin")])
    assert PiiPolicy.for_user(secretary).birth_date(person) == "1990 年"
    assert PiiPolicy.for_user(admin).birth_date(person) == "1990-03-08"
