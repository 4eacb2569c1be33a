"""load_demo: the seed's entities, exact counts, valid identifiers, consistent rollups, idempotence.

The command runs once per class (`--small`: every named entity and the exact 37 / 180 / 618, fewer
generated members elsewhere); the full plan is checked without the database.
"""

from __future__ import annotations

import re
from datetime import date
from io import StringIO

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from dangqun.accounts import permissions
from dangqun.accounts.models import RoleGrant, User
from dangqun.buildings.models import Building, Enterprise
from dangqun.buildings.selectors import coverage_summary
from dangqun.core.dates import add_months
from dangqun.core.models import AuditEntry
from dangqun.core.validators import normalize_credit_code, normalize_id_number
from dangqun.demo.loader import plan
from dangqun.orgs.models import Organization
from dangqun.people import rollup_check
from dangqun.people.fields import clean_person_input
from dangqun.people.models import PartyMember, Person
from dangqun.people.selectors import search_person_ids

ROOTS = {"昆明市委", "曲靖市委", "大理州委", "文山州委", "普洱市委"}

# (name, kind, parent name)
NAMED_ORGS = [
    ("五华区委", "local_committee", "昆明市委"),
    ("晋宁区委", "local_committee", "昆明市委"),
    ("西山区委", "local_committee", "昆明市委"),
    ("大观街道党工委", "working_committee", "五华区委"),
    ("顺城社区党委", "primary_committee", "大观街道党工委"),
    ("世邦魏理仕物业昆明分公司党支部", "branch", "顺城社区党委"),
    ("顺城社区第一党支部", "branch", "顺城社区党委"),
    ("顺城社区第二党支部", "branch", "顺城社区党委"),
    ("新阶层党支部", "branch", "顺城社区党委"),
    ("楼宇联合党支部", "joint_branch", "顺城社区党委"),
    ("招银大厦工会", "union", "世邦魏理仕物业昆明分公司党支部"),
    ("招银大厦团支部", "youth_league", "世邦魏理仕物业昆明分公司党支部"),
    ("招银大厦妇联", "women_federation", "世邦魏理仕物业昆明分公司党支部"),
    ("归海加油站", "social_org", "顺城社区党委"),
    ("HRP人才服务站", "social_org", "顺城社区党委"),
    ("陆良县委", "local_committee", "曲靖市委"),
    ("同乐街道党工委", "working_committee", "陆良县委"),
    ("西华社区党总支", "general_branch", "同乐街道党工委"),
    ("金源花园小区党支部", "branch", "西华社区党总支"),
    ("老年人协会", "social_org", "金源花园小区党支部"),
    ("广场舞协会", "social_org", "金源花园小区党支部"),
    ("大理经开区党工委", "working_committee", "大理州委"),
    ("大理经开区创业园党委", "primary_committee", "大理经开区党工委"),
    ("思茅区委", "local_committee", "普洱市委"),
    ("云南湄公河集团有限公司党总支", "general_branch", "思茅区委"),
    ("云南湄公河集团有限公司工会", "union", "云南湄公河集团有限公司党总支"),
    ("文山州委党校", "institution", "文山州委"),
    ("老山干部学院", "institution", "文山州委"),
    ("晋宁区委组织部", "department", "晋宁区委"),
    ("西山区纪委监委", "department", "西山区委"),
    ("西山区纪委监委机关党支部", "branch", "西山区纪委监委"),
]

EXPECTED_GRANTS = {
    "admin": {("system_admin", r) for r in ROOTS},
    "security": {("security_admin", r) for r in ROOTS},
    "auditor": {("audit_admin", r) for r in ROOTS},
    "zhuxiaorong": {("secretary", "大观街道党工委")},
    "lidai": {("committee", "大观街道党工委")},
    "ruanyuhua": {("secretary", "顺城社区党委")},
    "yangzhiyu": {("secretary", "世邦魏理仕物业昆明分公司党支部")},
    "orgadmin": {("org_admin", "大观街道党工委")},
    "centerstaff": {("center_staff", "顺城社区党委")},
    "liuhui": {("member", "世邦魏理仕物业昆明分公司党支部")},
    "masses1": {("masses", "顺城社区党委")},
    "xihua": {("secretary", "西华社区党总支")},
    "jinning": {("org_admin", "晋宁区委")},
}
LINKED = {
    "zhuxiaorong": "朱晓荣",
    "lidai": "李岱",
    "ruanyuhua": "阮玉华",
    "yangzhiyu": "杨志宇",
    "liuhui": "刘慧",
}

RESIDENCE_RE = re.compile(r"^金源花园二期[1-8]栋[12]单元[1-6]0[12]$")


def org(name: str) -> Organization:
    return Organization.objects.select_related("kind").get(name=name)


def parent_name(node: Organization) -> str | None:
    parent = Organization.objects.get_parent(node)
    return parent.name if parent else None


class LoadDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        out = StringIO()
        call_command("load_demo", "--small", stdout=out)
        cls.output = out.getvalue()

    def test_roots_and_named_organizations(self):
        self.assertEqual(set(Organization.objects.get_root_nodes().values_list("name", flat=True)), ROOTS)
        for name, kind, parent in NAMED_ORGS:
            node = org(name)
            self.assertEqual((node.kind_id, parent_name(node)), (kind, parent), name)
        self.assertFalse(Organization.objects.filter(name__contains="服务中心").exists())  # centers skipped

    def test_branches_with_members(self):
        for parent, count in (("大理经开区创业园党委", 2), ("云南湄公河集团有限公司党总支", 3)):
            branches = Organization.objects.get_children(org(parent)).filter(kind="branch")
            self.assertEqual(branches.count(), count)
            for branch in branches:
                self.assertGreaterEqual(branch.rollup.members_direct, 3, branch.name)
        self.assertGreaterEqual(
            Organization.objects.get_descendants(org("晋宁区委")).filter(kind="branch").count(), 3
        )

    def test_named_people(self):
        zhu = Person.objects.select_related("party_profile", "organization").get(name="朱晓荣")
        self.assertEqual(zhu.organization.name, "顺城社区第一党支部")
        self.assertEqual(zhu.party_profile.cadre_level, "township")
        community = org("顺城社区党委")
        for name in ("李岱", "阮玉华"):
            person = Person.objects.get(name=name)
            self.assertTrue(person.org_path.startswith(community.path), name)
            self.assertTrue(person.is_member)
        branch = org("世邦魏理仕物业昆明分公司党支部")
        for name in ("杨志宇", "刘慧"):
            person = Person.objects.get(name=name)
            self.assertEqual(person.organization, branch)
            self.assertTrue(person.is_member)
        self.assertEqual(Person.objects.get(name="刘慧").gender, "F")

    def test_community_secretary_finds_zhu_by_initials(self):
        ruan = User.objects.get(username="ruanyuhua")
        zhu = Person.objects.get(name="朱晓荣")
        self.assertIn(zhu.pk, search_person_ids(ruan, "zxr"))
        self.assertIn(zhu.pk, search_person_ids(ruan, "zhuxiaorong"))
        self.assertEqual(search_person_ids(User.objects.get(username="xihua"), "zxr"), [])

    def test_building_and_enterprises(self):
        building = Building.objects.get(name="招银大厦")
        self.assertEqual(
            (building.organization.name, building.address, building.property_company),
            ("顺城社区党委", "昆明市五华区顺城街", "北京世邦魏理仕物业管理有限公司昆明分公司"),
        )
        enterprises = Enterprise.objects.filter(building=building)
        self.assertEqual(enterprises.count(), 37)
        for enterprise in enterprises:
            self.assertEqual(normalize_credit_code(enterprise.credit_code), (enterprise.credit_code, []))
        flags = {
            prefix: enterprises.filter(name__startswith=prefix)
            .values_list("is_foreign", "is_fortune_500")
            .get()
            for prefix in ("渣打银行", "大华银行", "马来亚银行", "招商银行", "中信银行", "新东方", "普华永道")
        }
        self.assertEqual(
            flags,
            {
                "渣打银行": (True, True),
                "大华银行": (True, False),
                "马来亚银行": (True, False),
                "招商银行": (False, True),
                "中信银行": (False, True),
                "新东方": (False, False),
                "普华永道": (True, False),
            },
        )

    def test_coverage(self):
        building = Building.objects.get(name="招银大厦")
        enterprises = Enterprise.objects.filter(building=building)
        self.assertEqual(
            enterprises.filter(party_organization__name="世邦魏理仕物业昆明分公司党支部").count(), 5
        )
        self.assertEqual(enterprises.filter(party_organization__name="楼宇联合党支部").count(), 8)
        uncovered = enterprises.filter(party_organization__isnull=True)
        summary = coverage_summary(building)
        self.assertEqual((summary.total, summary.covered, summary.uncovered), (37, 13, 24))
        self.assertEqual(summary.uncovered_employees, sum(uncovered.values_list("employees", flat=True)))
        self.assertIn("已覆盖 13 家，未覆盖 24 家", self.output)

    def test_compound_households_and_residents(self):
        residents = Person.objects.filter(residence__startswith="金源花园二期")
        self.assertEqual(residents.count(), 618)
        self.assertEqual(residents.values("residence").distinct().count(), 180)
        for residence in residents.values_list("residence", flat=True).distinct():
            self.assertRegex(residence, RESIDENCE_RE)
        branch, general = org("金源花园小区党支部"), org("西华社区党总支")
        members = residents.filter(party_profile__isnull=False)
        self.assertEqual(set(members.values_list("organization", flat=True)), {branch.pk})
        self.assertEqual(
            set(residents.filter(party_profile__isnull=True).values_list("organization", flat=True)),
            {general.pk},
        )
        self.assertTrue(25 <= members.count() <= 50, members.count())
        old = members.filter(birth_date__lte=date(1960, 12, 31)).count()
        self.assertGreaterEqual(old, 5)  # the five mediators come from the old members

    def test_identifiers_valid_and_people_plausible(self):
        for number, gender, birth in Person.objects.values_list("id_number", "gender", "birth_date"):
            self.assertEqual(normalize_id_number(number), number)
            self.assertEqual(gender, "M" if int(number[16]) % 2 else "F")
            self.assertEqual(birth.strftime("%Y%m%d"), number[6:14])
        codes = {n[:6] for n in Person.objects.values_list("id_number", flat=True)}
        self.assertLessEqual(codes, {"530102", "530112", "530115", "530322", "530802", "532601", "532901"})
        probationary = PartyMember.objects.filter(status="probationary")
        self.assertTrue(probationary.exists())
        for member in probationary:
            self.assertEqual(member.probation_ends_on, add_months(member.joined_on, 12))
            self.assertIsNone(member.confirmed_on)
        self.assertTrue(PartyMember.objects.filter(is_floating=True).exists())
        jinning = org("晋宁区委")
        self.assertGreaterEqual(
            PartyMember.objects.filter(
                cadre_level="county", person__org_path__startswith=jinning.path
            ).count(),
            3,
        )
        self.assertTrue(PartyMember.objects.filter(cadre_level="township").exists())
        for surname in "曾单解仇":
            self.assertTrue(Person.objects.filter(name__startswith=surname).exists(), surname)

    def test_rollups_match_rows(self):
        street = org("大观街道党工委")
        self.assertEqual(
            street.rollup.members_total,
            PartyMember.objects.filter(person__org_path__startswith=street.path).count(),
        )
        self.assertEqual(
            street.rollup.masses_total,
            Person.objects.filter(org_path__startswith=street.path, party_profile__isnull=True).count(),
        )
        self.assertGreater(street.rollup.members_total, 0)
        self.assertEqual(rollup_check.differences(), [])

    def test_logins_grants_and_links(self):
        for username, grants in EXPECTED_GRANTS.items():
            user = User.objects.get(username=username)
            self.assertTrue(user.check_password(settings.DEMO_PASSWORD), username)
            actual = set(RoleGrant.objects.filter(user=user).values_list("role", "organization__name"))
            self.assertEqual(actual, grants, username)
            self.assertIn(username, self.output)
        for username, name in LINKED.items():
            self.assertEqual(Person.objects.get(user__username=username).name, name)
        for username in ("admin", "security", "auditor"):
            self.assertFalse(Person.objects.filter(user__username=username).exists())
        self.assertFalse(permissions.is_staff_user(User.objects.get(username="liuhui")))
        orgadmin = User.objects.get(username="orgadmin")
        self.assertTrue(permissions.has_perm(orgadmin, "view_pii", org("顺城社区第一党支部").path))
        for header in ("用户名", "密码", "角色", "组织", "先试试"):
            self.assertIn(header, self.output)
        table = self.output.split("用户名", 1)[1]
        for username in User.objects.filter(grants__isnull=False).values_list("username", flat=True).distinct():
            self.assertIn(f"\n{username} ", table, "every demo login with a grant is in the table")

    def test_second_run_writes_nothing(self):
        models = apps.get_models(include_auto_created=True)
        before = {model._meta.label: model._default_manager.count() for model in models}
        self.assertGreater(before[AuditEntry._meta.label], 0)
        out = StringIO()
        with CaptureQueriesContext(connection) as queries:
            call_command("load_demo", "--small", stdout=out)
        after = {model._meta.label: model._default_manager.count() for model in models}
        self.assertEqual(after, before)
        writes = [
            q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        ]
        self.assertEqual(writes, [])
        self.assertIn("未写入任何记录", out.getvalue())


def test_plan_is_deterministic_and_small_is_part_of_full():
    first, again, full = plan(small=True), plan(small=True), plan(small=False)
    assert [s.data for s in first.people] == [s.data for s in again.people]
    assert first.enterprises == full.enterprises
    small_ids = {s.data["id_number"] for s in first.people}
    full_ids = {s.data["id_number"] for s in full.people}
    assert small_ids <= full_ids


def test_full_plan_is_valid_input():
    full = plan(small=False)
    people = full.people
    assert 2000 <= len(people) <= 3000
    assert len({s.data["id_number"] for s in people}) == len(people)
    assert len(full.residents) == 618
    assert len({s.data["residence"] for s in full.residents}) == 180
    assert len(full.mediator_ids) == 5
    for spec in people:
        _cleaned, errors = clean_person_input(spec.data)
        assert errors == [], (spec.data["name"], errors)
