"""Journey 11: a clerk uploads a roster with one wrong ID number, reads exactly which row is wrong,
sees that nothing was imported, fixes the file and imports every row at once."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from playwright.sync_api import expect

from dangqun.people.models import Person
from dangqun.testing.factories import PASSWORD, make_id_number, make_user
from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def roster_file(tmp_path, rows, name):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["顺城社区党员花名册"])
    sheet.merge_cells("A1:G1")
    sheet.append(["姓名", "身份证号", "所属组织", "人员类别", "手机号", "党员状态", "入党日期"])
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def test_bad_row_named_nothing_imported_then_fixed_file_imports(page, live_server, tree, tmp_path, screenshot_dir):
    make_user("shuncheng", display_name="阮玉华", grants=[(tree.community, "secretary")])
    good = [
        ["朱晓荣", make_id_number(date(1972, 3, 3)), tree.branch.name, "党员", "+86 13800138000", "正式党员", "1995-07-01"],
        ["王芳", make_id_number(date(1988, 8, 8), female=True), tree.community.name, "群众", "１３７００００１１１１", "", ""],
        ["曾强", make_id_number(date(1990, 1, 9)), tree.group.name, "党员", "13900001111", "正式党员", "2012-06-30"],
    ]
    bad = [list(r) for r in good]
    bad[1][1] = "110105194912310021"

    login(page, live_server, "shuncheng", PASSWORD)
    page.goto(f"{live_server.url}/people/roster/import/")
    page.set_input_files("#id_file", str(roster_file(tmp_path, bad, "花名册.xlsx")))
    page.click("#roster-upload-form button[type=submit]")

    errors = page.locator("#roster-errors")
    expect(errors).to_contain_text("身份证号校验位错误，应为 X")
    expect(errors.locator("tbody tr")).to_have_count(1)
    expect(errors.locator("tbody tr td").nth(0)).to_have_text("4")
    expect(errors.locator("tbody tr td").nth(1)).to_have_text("B")
    expect(page.locator("#roster-not-imported")).to_be_visible()
    expect(page.locator("#roster-commit")).to_have_count(0)
    page.screenshot(path=str(screenshot_dir / "roster_report.png"), full_page=True)
    assert Person.objects.count() == 0

    page.goto(f"{live_server.url}/people/roster/import/")
    page.set_input_files("#id_file", str(roster_file(tmp_path, good, "花名册-已改.xlsx")))
    page.click("#roster-upload-form button[type=submit]")
    expect(page.locator("#roster-error-count")).to_have_text("0")
    page.click("#roster-commit")
    expect(page.locator("#roster-committed")).to_be_visible()
    expect(page.locator(".messages")).to_contain_text("新增 3 人")
    assert set(Person.objects.values_list("name", flat=True)) == {"朱晓荣", "王芳", "曾强"}

    page.goto(f"{live_server.url}/people/?q=zq")
    expect(page.locator("#people-results")).to_contain_text("曾强")
    assert page.console_errors == []
