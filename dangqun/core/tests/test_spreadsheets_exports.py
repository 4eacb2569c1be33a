"""Spreadsheet layer, second half: parity with openpyxl, CSV input, and exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from dangqun.core.spreadsheets import (
    FORMULA,
    MERGED_CELL,
    NUMBER_PRECISION,
    neutralize_formula,
    open_table,
    write_csv,
    write_xlsx,
)
from dangqun.core.tests.test_spreadsheets import (
    MB,
    assert_same_as_openpyxl,
    make_csv,
    make_xlsx,
    read,
    rewrite_sheet,
    to_shared_strings,
)

# -- parity with openpyxl ------------------------------------------------------------------


def mixed_rows() -> list[list[object]]:
    return [
        ["顺城社区党员花名册 2026年"],
        ["序号", "姓名", "身份证号", "手机号码", "出生日期", "党费", "在职", *[None] * 20, "备注"],
        [1, "张三", "110101199001011234", 13800138000, dt.date(1980, 2, 29), 12.5, True],
        [2, " 李四 ", "11010119900101123X", "13800138001", dt.datetime(1975, 5, 6, 7, 8, 9), 0.1, False],
        [],
        [None, "王五", None, None, None, None, dt.time(8, 30), *[None] * 20, "流动党员 & <外出>"],
        [4, "赵六", "=C3", '=D3&""', None, "=F3*2", None],
        [5, "钱七", "１１０１０１", None, dt.date(2000, 1, 1), -7, None, *[None] * 20, "  "],
    ]


def stored(data: bytes, strings: str) -> bytes:
    return to_shared_strings(data) if strings == "shared" else data


@pytest.mark.parametrize("strings", ["inline", "shared"])
@pytest.mark.parametrize("write_only", [False, True], ids=["normal", "write-only"])
def test_values_match_openpyxl(write_only, strings):
    data = stored(make_xlsx(mixed_rows(), write_only=write_only), strings)
    table = read(data)
    assert table.headers[-1] == "备注" and table.columns[-1][0] == 28
    assert_same_as_openpyxl(data, table)


@pytest.mark.parametrize("strings", ["inline", "shared"])
def test_values_match_openpyxl_with_merges_and_rich_text(strings):
    rows = mixed_rows()
    rows[3][1] = CellRichText(["李", TextBlock(InlineFont(b=True), "四"), " "])
    data = stored(make_xlsx(rows, merges=["A1:AB1", "B7:C7"]), strings)
    table = read(data)
    assert_same_as_openpyxl(data, table)
    assert [(p.row, p.column) for row in table.rows() for p in row.problems if p.code == MERGED_CELL] == [
        (7, "B"),
        (7, "C"),
    ]


@pytest.mark.parametrize("strings", ["inline", "shared"])
def test_cells_without_references_match_openpyxl(strings):
    data = rewrite_sheet(
        stored(make_xlsx(mixed_rows()), strings), lambda xml: re.sub(r' r="[A-Z]*[0-9]+"', "", xml)
    )
    table = read(data)
    assert table.header_row == 2
    assert_same_as_openpyxl(data, table)


def test_namespace_prefixed_sheet_matches_openpyxl():
    def prefix(xml: str) -> str:
        xml = re.sub(r"<(/?)(?=[A-Za-z])", r"<\1x:", xml)
        return xml.replace(' xmlns="', ' xmlns:x="', 1)

    data = rewrite_sheet(to_shared_strings(make_xlsx(mixed_rows())), prefix)
    table = read(data)
    assert_same_as_openpyxl(data, table)


# -- CSV -----------------------------------------------------------------------------------


def test_csv_in_gb18030_with_title_row():
    rows = [
        ["顺城社区党员花名册"],
        ["姓名", "身份证号*", "手机号码"],
        ["张三", "１１０１０１１９９００１０１１２３４", "13800138000"],
    ]
    table = read(make_csv(rows, encoding="gb18030"), "花名册.csv")
    assert table.kind == "csv" and table.header_row == 2
    [row] = table.rows()
    assert row.number == 3
    assert row.cells == {"姓名": "张三", "身份证号": "110101199001011234", "手机号码": "13800138000"}


def test_csv_utf8_bom_tab_separated_and_problems():
    rows = [
        ["姓名", "身份证号", "党龄"],
        ["张三", "1.10101E+17", "=1+1"],
        ["", "", ""],
        ["李四", "110101199001011234", "5"],
    ]
    table = read(make_csv(rows, delimiter="\t"), "花名册.csv")
    first, second = table.rows()
    assert [(p.row, p.column, p.code) for p in first.problems] == [
        (2, "B", NUMBER_PRECISION),
        (2, "C", FORMULA),
    ]
    assert first.cells["党龄"] == "=1+1"
    assert second.number == 4 and second.problems == []


def test_django_upload_is_accepted():
    upload = SimpleUploadedFile("花名册.csv", make_csv([["姓名", "身份证号"], ["张三", "1"]]))
    table = open_table(upload, filename=upload.name, max_bytes=MB, required_headers=["姓名"])
    assert [row.cells for row in table.rows()] == [{"姓名": "张三", "身份证号": "1"}]


# -- exports -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["=1+1", "+86", "-2", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_neutralize_formula_prefixes_dangerous_strings(value):
    assert neutralize_formula(value) == "'" + value


@pytest.mark.parametrize("value", ["张三", "a=b", "", None, -2, 3.5, dt.date(2026, 1, 1)])
def test_neutralize_formula_leaves_other_values(value):
    assert neutralize_formula(value) == value


def test_write_xlsx_round_trip():
    rows = [
        ['=HYPERLINK("http://x")', "110101199001011234", "13800138000", dt.date(1990, 1, 1), 3],
        ["张三", "11010119900101123X", "+8613800138000", None, -1],
    ]
    data = write_xlsx(["姓名", "身份证号", "手机号码", "出生日期", "序号"], rows, sheet_title="花名册/2026")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "花名册_2026"
    assert sheet["A1"].font.b and sheet["A1"].value == "姓名"
    assert sheet["A2"].value == '\'=HYPERLINK("http://x")' and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == "110101199001011234" and sheet["B2"].number_format == "@"
    assert sheet["C3"].value == "'+8613800138000"
    assert sheet["D2"].value == dt.datetime(1990, 1, 1)
    assert sheet["E3"].value == -1
    [first, second] = read(data).rows()
    assert first.cells["姓名"] == '\'=HYPERLINK("http://x")' and first.problems == []
    assert second.cells["身份证号"] == "11010119900101123X"


def test_write_csv_round_trip():
    data = write_csv(
        ["姓名", "身份证号", "备注"], [["=cmd|' /C calc'!A0", "110101199001011234", None], ["张三", "1", 2]]
    )
    assert data.startswith(b"\xef\xbb\xbf")
    records = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert records == [
        ["姓名", "身份证号", "备注"],
        ["'=cmd|' /C calc'!A0", "110101199001011234", ""],
        ["张三", "1", "2"],
    ]
    rows = list(read(data, "导出.csv").rows())
    assert rows[0].cells["姓名"] == "'=cmd|' /C calc'!A0" and rows[0].problems == []
