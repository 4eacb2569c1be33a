"""Roster import: dry run names row, column and reason; commit writes all rows or none."""

import io
from datetime import date

import openpyxl
import pytest

from dangqun.core.errors import DomainError
from dangqun.core.models import AuditEntry
from dangqun.orgs.models import OrgRollup
from dangqun.orgs.services import create_organization
from dangqun.people import roster
from dangqun.people.models import PartyMember, Person, PersonSearchKey
from dangqun.people.rollup_check import differences
from dangqun.people.services import register_person
from dangqun.testing.factories import make_id_number, make_user, masses_data, member_data

pytestmark = pytest.mark.django_db

HEADERS = ["姓名", "身份证号", "所属组织", "人员类别", "手机号", "党员状态", "入党日期", "流动党员"]


def xlsx(rows, headers=HEADERS, title="顺城社区党员花名册（2026年）"):
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.fixture
def secretary(tree):
    return make_user("ruanyuhua", grants=[(tree.community, "secretary")])


def good_rows(tree):
    return [
        [
            "朱晓荣",
            make_id_number(date(1975, 4, 2)),
            tree.branch.name,
            "党员",
            "+86 138-0013-8000",
            "正式党员",
            "2001-07-01",
            "否",
        ],
        [
            "曾小明",
            make_id_number(date(1996, 9, 9)),
            tree.group.name,
            "党员",
            "１３９１２３４５６７８",
            "预备党员",
            date(2026, 3, 1),
            "",
        ],
        [
            "王芳",
            make_id_number(date(1988, 12, 12), female=True),
            tree.community.name,
            "群众",
            "13700001111",
            "",
            "",
            "",
        ],
    ]


def test_good_file_dry_run_then_commit(tree, secretary):
    plan = roster.analyse(xlsx(good_rows(tree)), filename="roster.xlsx", actor=secretary)
    assert plan.errors == []
    assert plan.rows_total == 3
    assert len(plan.to_create) == 3
    assert Person.objects.count() == 0  # the dry run writes nothing

    result = roster.commit(plan, actor=secretary, filename="roster.xlsx")
    assert result == {"created": 3, "updated": 0, "unchanged": 0}
    zeng = Person.objects.get(name="曾小明")
    assert zeng.mobile == "13912345678"
    assert zeng.party_profile.status == "probationary"
    assert zeng.party_profile.probation_ends_on == date(2027, 3, 1)
    assert {"pzengxiaoming", "pcengxiaoming", "izxm", "icxm"} <= set(
        PersonSearchKey.objects.filter(person=zeng).values_list("key", flat=True)
    )
    assert OrgRollup.objects.get(organization=tree.street).members_total == 2
    assert OrgRollup.objects.get(organization=tree.community).masses_direct == 1
    assert differences() == []
    entry = AuditEntry.objects.get(action="people.roster.imported")
    assert entry.data["created"] == 3
    assert entry.org_path == tree.community.path


def test_one_bad_row_reports_row_column_reason_and_writes_nothing(tree, secretary):
    rows = good_rows(tree)
    rows[1][1] = "110105194912310021"  # wrong check character
    plan = roster.analyse(xlsx(rows), filename="roster.xlsx", actor=secretary)
    assert [str(e) for e in plan.errors] == ["第 4 行 B 列（身份证号）：身份证号校验位错误，应为 X"]
    with pytest.raises(DomainError) as exc:
        roster.commit(plan, actor=secretary, filename="roster.xlsx")
    assert exc.value.code == "roster_has_errors"
    assert Person.objects.count() == 0
    assert PartyMember.objects.count() == 0
    assert OrgRollup.objects.get(organization=tree.street).members_total == 0


def test_each_kind_of_bad_row_is_named(tree, secretary):
    first = make_id_number(date(1980, 1, 1))
    rows = [
        ["甲乙", "110105190002291239", tree.branch.name, "群众", "", "", "", ""],  # 1900-02-29
        ["丙丁", first, tree.branch.name, "群众", "", "", "", ""],
        ["戊己", first, tree.branch.name, "群众", "", "", "", ""],  # duplicate in file
        ["庚辛", make_id_number(date(1981, 1, 1)), "不存在的支部", "群众", "", "", "", ""],
        ["壬癸", make_id_number(date(1982, 1, 1)), tree.branch.name, "群众", "12345678901", "", "", ""],
        [
            "子丑",
            make_id_number(date(1983, 1, 1)),
            tree.far_branch.name,
            "群众",
            "",
            "",
            "",
            "",
        ],  # out of scope
        ["寅卯", make_id_number(date(1984, 1, 1)), "招银大厦工会", "党员", "", "正式党员", "2010-01-01", ""],
    ]
    create_organization(actor=None, parent=tree.community, name="招银大厦工会", kind="union")
    plan = roster.analyse(xlsx(rows), filename="r.xlsx", actor=secretary)
    messages = [str(e) for e in plan.errors]
    assert messages[0] == "第 3 行 B 列（身份证号）：身份证号中的出生日期无效：1900-02-29"
    assert messages[1] == "第 5 行 B 列（身份证号）：与第 4 行身份证号重复"
    assert messages[2].startswith("第 6 行 C 列（所属组织）：找不到组织“不存在的支部”")
    assert messages[3].startswith("第 7 行 E 列（手机号）：")
    assert messages[4].startswith("第 8 行 C 列（所属组织）：找不到组织“金源花园小区党支部”")
    assert (
        messages[5]
        == "第 9 行 C 列（所属组织）：“招银大厦工会”（工会）不能直接编入党员，请填写党支部或党小组"
    )
    assert len(messages) == 6


def test_missing_required_column_refused(tree, secretary):
    headers = ["姓名", "所属组织"]
    with pytest.raises(DomainError) as exc:
        roster.analyse(
            xlsx([["刘慧", tree.branch.name]], headers=headers), filename="r.xlsx", actor=secretary
        )
    assert "身份证号" in exc.value.message


def test_merged_cells_and_formulas_in_data_rows(tree, secretary):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    sheet.append(
        [
            "刘慧",
            make_id_number(date(1990, 3, 8), female=True),
            tree.branch.name,
            "党员",
            "",
            "正式党员",
            "2015-07-01",
            "否",
        ]
    )
    sheet.append(["李四", make_id_number(date(1991, 3, 8)), tree.branch.name, "群众", "=1+1", "", "", ""])
    sheet.append(["王五", make_id_number(date(1992, 3, 8)), tree.branch.name, "群众", "", "", "", ""])
    sheet.merge_cells("C3:C4")
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    plan = roster.analyse(buffer, filename="r.xlsx", actor=secretary)
    messages = [str(e) for e in plan.errors]
    assert "第 3 行 E 列（手机号）：单元格含公式，请改为数值后再导入" in messages
    assert any(m.startswith("第 3 行 C 列（所属组织）：单元格为合并单元格") for m in messages)
    assert any(m.startswith("第 4 行 C 列（所属组织）：") for m in messages)


def test_not_a_spreadsheet_and_oversize(tree, secretary, settings):
    with pytest.raises(DomainError) as exc:
        roster.analyse(io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 100), filename="roster.xlsx", actor=secretary)
    assert exc.value.message == "只支持 .xlsx 或 .csv 表格文件"
    settings.ROSTER_UPLOAD_MAX_BYTES = 1000
    with pytest.raises(DomainError) as exc:
        roster.analyse(xlsx(good_rows(tree)), filename="roster.xlsx", actor=secretary)
    assert exc.value.message.startswith("文件过大")


def test_csv_with_full_width_digits(tree, secretary):
    number = make_id_number(date(1970, 5, 5))
    wide = number.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    text = "姓名,身份证号,所属组织,手机号\n张三," + wide + "," + tree.community.name + ",0086 137 0000 2222\n"
    plan = roster.analyse(io.BytesIO(text.encode("utf-8-sig")), filename="r.csv", actor=secretary)
    assert plan.errors == []
    roster.commit(plan, actor=secretary, filename="r.csv")
    person = Person.objects.get()
    assert person.id_number == number
    assert person.mobile == "13700002222"
    assert not person.is_member


def test_upsert_by_id_number_keeps_values_of_blank_cells(tree, secretary):
    existing = register_person(actor=None, organization=tree.branch, data=member_data(mobile="13800138000"))
    rows = [["刘慧", existing.id_number, tree.group.name, "", "", "", "", ""]]
    plan = roster.analyse(xlsx(rows), filename="r.xlsx", actor=secretary)
    assert plan.errors == []
    assert len(plan.to_update) == 1
    roster.commit(plan, actor=secretary, filename="r.xlsx")
    existing.refresh_from_db()
    assert existing.organization_id == tree.group.pk
    assert existing.mobile == "13800138000"
    assert existing.party_profile.status == "formal"
    assert OrgRollup.objects.get(organization=tree.branch).members_direct == 0
    assert OrgRollup.objects.get(organization=tree.group).members_direct == 1
    assert differences() == []
    plan = roster.analyse(xlsx(rows), filename="r.xlsx", actor=secretary)
    assert (len(plan.to_update), plan.unchanged) == (0, 1)


def test_existing_person_outside_scope_is_refused_without_leaking(tree, secretary):
    outsider = register_person(actor=None, organization=tree.far_branch, data=masses_data())
    rows = [["张三", outsider.id_number, tree.branch.name, "群众", "", "", "", ""]]
    plan = roster.analyse(xlsx(rows), filename="r.xlsx", actor=secretary)
    assert [str(e) for e in plan.errors] == [
        "第 3 行 B 列（身份证号）：该身份证号已登记在您无权管理的组织，请联系上级组织办理转接"
    ]
    assert tree.far_branch.name not in str(plan.errors[0])


def test_export_masks_and_neutralizes_formulas(tree, secretary):
    from dangqun.people.roster_export import export_roster
    from dangqun.people.selectors import people_visible_to

    register_person(
        actor=None,
        organization=tree.branch,
        data=masses_data(name="张三", mobile="13912345678") | {"employer": '=HYPERLINK("x")'},
    )
    register_person(
        actor=None, organization=tree.far_branch, data=masses_data(name="李四", id_number=make_id_number())
    )
    content, count = export_roster(secretary, people_visible_to(secretary), fmt="xlsx")
    assert count == 1
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "张三"
    assert rows[1][4] == "139****5678"
    assert "*" in rows[1][3]
    assert rows[1][6] == '\'=HYPERLINK("x")'
    assert not AuditEntry.objects.filter(action="people.roster.exported_unmasked").exists()

    admin = make_user(grants=[(tree.street, "org_admin")])
    content, _count = export_roster(admin, people_visible_to(admin), fmt="csv")
    assert "13912345678" in content.decode("utf-8-sig")
    assert AuditEntry.objects.filter(action="people.roster.exported_unmasked", actor=admin).count() == 1
