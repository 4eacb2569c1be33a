import pytest
from django.http import Http404

from dangqun.buildings.models import Building, Enterprise
from dangqun.buildings.selectors import (
    CoverageSummary,
    buildings_visible_to,
    coverage_summary,
    get_building_for,
)
from dangqun.buildings.services import create_building, register_enterprise, set_coverage
from dangqun.core.errors import DomainError
from dangqun.core.models import AuditEntry
from dangqun.core.validators import credit_code_check_char
from dangqun.orgs.services import create_organization, dissolve_organization
from dangqun.testing.factories import make_user

pytestmark = pytest.mark.django_db

VALID_CODES = ["91350100M000100Y43", "91110000600037341L", "9135052155323005XL", "913501000000001660"]


@pytest.fixture
def building(tree):
    return create_building(
        actor=None,
        organization=tree.community,
        name="招银大厦",
        address="昆明市五华区顺城街",
        property_company="北京世邦魏理仕物业管理有限公司昆明分公司",
    )


def test_create_building_audited_on_its_organization(tree):
    admin = make_user(grants=[(tree.street, "org_admin")])
    building = create_building(actor=admin, organization=tree.community, name=" 招银大厦 ", address="顺城街")
    assert building.name == "招银大厦"
    entry = AuditEntry.objects.get(action="buildings.building.created")
    assert entry.actor == admin
    assert entry.org_path == tree.community.path
    assert entry.object_id == str(building.pk)
    assert entry.data["name"] == "招银大厦"


def test_duplicate_building_name_refused_under_same_organization(tree, building):
    with pytest.raises(DomainError) as exc:
        create_building(actor=None, organization=tree.community, name="招银大厦")
    assert (exc.value.code, exc.value.field) == ("name_taken", "name")
    other = create_building(actor=None, organization=tree.other_community, name="招银大厦")
    assert Building.objects.filter(name="招银大厦").count() == 2
    assert other.organization == tree.other_community


def test_building_name_required(tree):
    with pytest.raises(DomainError) as exc:
        create_building(actor=None, organization=tree.community, name="  ")
    assert (exc.value.code, exc.value.field) == ("name_required", "name")


@pytest.mark.parametrize("role, org_attr", [("secretary", "community"), ("org_admin", "far_county")])
def test_create_building_needs_manage_orgs_on_the_node(tree, role, org_attr):
    user = make_user(grants=[(getattr(tree, org_attr), role)])
    with pytest.raises(DomainError) as exc:
        create_building(actor=user, organization=tree.community, name="招银大厦")
    assert exc.value.code == "permission_denied"
    assert exc.value.status == 403
    assert Building.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="buildings.").exists()


def test_register_enterprise_normalizes_code_and_audits(tree, building):
    admin = make_user(grants=[(tree.street, "org_admin")])
    enterprise = register_enterprise(
        actor=admin,
        building=building,
        name="渣打银行昆明分行",
        credit_code=" 91350100m000100y43 ",
        floor="12F",
        employees=40,
        is_foreign=True,
    )
    assert enterprise.credit_code == "91350100M000100Y43"
    assert (enterprise.floor, enterprise.employees, enterprise.is_foreign) == ("12F", 40, True)
    assert enterprise.party_organization is None
    entry = AuditEntry.objects.get(action="buildings.enterprise.registered")
    assert entry.actor == admin
    assert entry.org_path == tree.community.path
    assert entry.data["credit_code"] == "91350100M000100Y43"
    assert "warnings" not in entry.data


@pytest.mark.parametrize("code", VALID_CODES)
def test_standard_vectors_accepted(building, code):
    assert (
        register_enterprise(actor=None, building=building, name=f"单位{code}", credit_code=code).credit_code
        == code
    )


@pytest.mark.parametrize(
    "raw, code",
    [
        ("91350100M000100Y44", "credit_code_checksum"),
        ("91350100M000100O43", "credit_code_charset"),
        ("91350100M000100Y4", "credit_code_format"),
    ],
)
def test_bad_credit_code_refused_naming_the_field(building, raw, code):
    with pytest.raises(DomainError) as exc:
        register_enterprise(actor=None, building=building, name="大华银行昆明分行", credit_code=raw)
    assert exc.value.code == code
    assert exc.value.field == "credit_code"
    assert "统一社会信用代码" in exc.value.message
    assert Enterprise.objects.count() == 0
    assert not AuditEntry.objects.filter(action="buildings.enterprise.registered").exists()


def test_checksum_error_names_the_expected_character(building):
    with pytest.raises(DomainError) as exc:
        register_enterprise(
            actor=None, building=building, name="大华银行昆明分行", credit_code="91350100M000100Y44"
        )
    assert exc.value.message == "统一社会信用代码校验位错误，应为 3"


def test_org_code_mismatch_is_kept_as_warning(building):
    first17 = "91350100M000100Y5"  # organisation-code check should be 4
    code = first17 + credit_code_check_char(first17)
    enterprise = register_enterprise(
        actor=None, building=building, name="马来亚银行昆明分行", credit_code=code
    )
    assert enterprise.credit_code == code
    entry = AuditEntry.objects.get(action="buildings.enterprise.registered")
    assert entry.data["warnings"] == ["组织机构代码（第 9–17 位）校验位不符，应为 4"]


def test_enterprise_without_credit_code_allowed(building):
    first = register_enterprise(actor=None, building=building, name="HRP人才服务站", credit_code="")
    second = register_enterprise(actor=None, building=building, name="归海加油站")
    assert (first.credit_code, second.credit_code) == (None, None)


def test_duplicate_enterprise_name_refused(building):
    register_enterprise(actor=None, building=building, name="招商银行昆明分行", credit_code=VALID_CODES[0])
    with pytest.raises(DomainError) as exc:
        register_enterprise(
            actor=None, building=building, name="招商银行昆明分行", credit_code=VALID_CODES[1]
        )
    assert (exc.value.code, exc.value.field) == ("name_taken", "name")
    assert Enterprise.objects.count() == 1


def test_duplicate_credit_code_refused(building):
    register_enterprise(actor=None, building=building, name="招商银行昆明分行", credit_code=VALID_CODES[0])
    with pytest.raises(DomainError) as exc:
        register_enterprise(
            actor=None, building=building, name="中信银行昆明分行", credit_code=VALID_CODES[0]
        )
    assert (exc.value.code, exc.value.field) == ("credit_code_taken", "credit_code")
    assert Enterprise.objects.count() == 1


@pytest.mark.parametrize("employees", [-1, "12", True])
def test_employees_must_be_a_count(building, employees):
    with pytest.raises(DomainError) as exc:
        register_enterprise(actor=None, building=building, name="新东方", employees=employees)
    assert (exc.value.code, exc.value.field) == ("employees_invalid", "employees")


def test_register_enterprise_outside_scope_refused(tree, building):
    user = make_user(grants=[(tree.far_county, "org_admin")])
    with pytest.raises(DomainError) as exc:
        register_enterprise(actor=user, building=building, name="普华永道")
    assert exc.value.code == "permission_denied"


def _four(building):
    return [
        register_enterprise(actor=None, building=building, name=name, employees=employees)
        for name, employees in (("甲公司", 10), ("乙公司", 20), ("丙公司", 30), ("丁公司", 45))
    ]


def test_coverage_counts(tree, building):
    a, b, c, d = _four(building)
    assert coverage_summary(building) == CoverageSummary(
        total=4, covered=0, uncovered=4, uncovered_employees=105
    )
    set_coverage(actor=None, enterprise=a, party_organization=tree.branch)
    joint = create_organization(actor=None, parent=tree.community, name="楼宇联合党支部", kind="joint_branch")
    set_coverage(actor=None, enterprise=c, party_organization=joint)
    summary = coverage_summary(building)
    assert (summary.total, summary.covered, summary.uncovered, summary.uncovered_employees) == (4, 2, 2, 65)
    assert summary.coverage_rate == 0.5
    set_coverage(actor=None, enterprise=c, party_organization=None)
    summary = coverage_summary(building)
    assert (summary.covered, summary.uncovered_employees) == (1, 95)


def test_coverage_by_dissolved_organization_counts_as_uncovered(tree, building):
    a, *_rest = _four(building)
    joint = create_organization(actor=None, parent=tree.community, name="楼宇联合党支部", kind="joint_branch")
    set_coverage(actor=None, enterprise=a, party_organization=joint)
    dissolve_organization(actor=None, organization=joint)
    summary = coverage_summary(building)
    assert (summary.covered, summary.uncovered, summary.uncovered_employees) == (0, 4, 105)


def test_empty_building_summary(building):
    summary = coverage_summary(building)
    assert (summary.total, summary.covered, summary.uncovered, summary.uncovered_employees) == (0, 0, 0, 0)
    assert summary.coverage_rate == 0.0


def test_set_coverage_audits_change_and_skips_no_change(tree, building):
    admin = make_user(grants=[(tree.street, "org_admin")])
    enterprise = register_enterprise(actor=None, building=building, name="普华永道昆明办公室")
    set_coverage(actor=admin, enterprise=enterprise, party_organization=tree.branch)
    set_coverage(actor=admin, enterprise=enterprise, party_organization=tree.branch)
    entries = AuditEntry.objects.filter(action="buildings.enterprise.coverage_changed")
    assert entries.count() == 1
    assert entries.get().data == {"party_organization": [None, "世邦魏理仕物业昆明分公司党支部"]}
    enterprise.refresh_from_db()
    assert enterprise.party_organization == tree.branch


def test_mass_organization_cannot_cover(tree, building):
    union = create_organization(actor=None, parent=tree.community, name="招银大厦工会", kind="union")
    enterprise = register_enterprise(actor=None, building=building, name="新东方昆明学校")
    with pytest.raises(DomainError) as exc:
        set_coverage(actor=None, enterprise=enterprise, party_organization=union)
    assert (exc.value.code, exc.value.field) == ("not_party_organization", "party_organization")
    enterprise.refresh_from_db()
    assert enterprise.party_organization is None


def test_set_coverage_needs_manage_on_building_and_view_on_party_org(tree, building):
    enterprise = register_enterprise(actor=None, building=building, name="大华银行昆明分行")
    secretary = make_user(grants=[(tree.community, "secretary")])
    with pytest.raises(DomainError) as exc:
        set_coverage(actor=secretary, enterprise=enterprise, party_organization=tree.branch)
    assert exc.value.code == "permission_denied"
    admin = make_user(grants=[(tree.street, "org_admin")])
    with pytest.raises(DomainError) as exc:
        set_coverage(actor=admin, enterprise=enterprise, party_organization=tree.far_branch)
    assert exc.value.code == "permission_denied"
    assert not AuditEntry.objects.filter(action="buildings.enterprise.coverage_changed").exists()


def test_buildings_visible_to_follows_grants(tree, building):
    register_enterprise(actor=None, building=building, name="甲公司")
    far = create_building(actor=None, organization=tree.far_county, name="金源花园商业楼")
    street_staff = make_user(grants=[(tree.street, "center_staff")])
    far_staff = make_user(grants=[(tree.far_county, "secretary")])
    nobody = make_user()
    visible = list(buildings_visible_to(street_staff))
    assert visible == [building]
    assert visible[0].enterprises_total == 1
    assert list(buildings_visible_to(far_staff)) == [far]
    assert list(buildings_visible_to(nobody)) == []
    assert get_building_for(street_staff, building.pk) == building
    with pytest.raises(Http404):
        get_building_for(street_staff, far.pk)
