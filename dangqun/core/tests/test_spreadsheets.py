"""The spreadsheet layer: refusals, header detection, cell problems, openpyxl parity, exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from dangqun.core.spreadsheets import (
    CORRUPT,
    DUPLICATE_HEADER,
    EMPTY,
    ENCRYPTED,
    FORMULA,
    HEADER_NOT_FOUND,
    LEGACY_XLS,
    MERGED_CELL,
    NOT_SPREADSHEET,
    NUMBER_PRECISION,
    TOO_LARGE,
    SpreadsheetError,
    Table,
    column_letter,
    normalize_cell_value,
    normalize_header,
    open_table,
)
from dangqun.core.spreadsheets.xlsx import DATE, PLAIN, TIMEDELTA, format_kind

HEADERS = ["姓名", "身份证号", "手机号码", "出生日期"]
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
MB = 1024 * 1024


# -- helpers -------------------------------------------------------------------------------


def make_xlsx(
    rows: Iterable[Sequence[object]],
    *,
    merges: Sequence[str] = (),
    write_only: bool = False,
    formats: dict[str, str] | None = None,
    epoch: dt.datetime | None = None,
) -> bytes:
    workbook = Workbook(write_only=write_only)
    if epoch is not None:
        workbook.epoch = epoch
    sheet = workbook.create_sheet("花名册") if write_only else workbook.active
    for row in rows:
        sheet.append(list(row))
    for cell_range in merges:
        sheet.merge_cells(cell_range)
    for coordinate, number_format in (formats or {}).items():
        sheet[coordinate].number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def make_csv(rows: Iterable[Sequence[object]], *, encoding: str = "utf-8-sig", delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode(encoding)


def read(
    data: bytes,
    filename: str = "花名册.xlsx",
    *,
    required: Sequence[str] = ("姓名", "身份证号"),
    max_bytes: int = 5 * MB,
    header_search_rows: int = 20,
) -> Table:
    return open_table(
        io.BytesIO(data),
        filename=filename,
        max_bytes=max_bytes,
        required_headers=required,
        header_search_rows=header_search_rows,
    )


def refusal(data: bytes, filename: str = "花名册.xlsx", **kwargs) -> SpreadsheetError:
    with pytest.raises(SpreadsheetError) as caught:
        read(data, filename, **kwargs)
    return caught.value


def rewrite_part(data: bytes, part: str, transform) -> bytes:
    """Copy an .xlsx, passing one part's XML through ``transform``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == part:
                content = transform(content.decode()).encode()
            target.writestr(info.filename, content)
    return buffer.getvalue()


def rewrite_sheet(data: bytes, transform) -> bytes:
    return rewrite_part(data, "xl/worksheets/sheet1.xml", transform)


def to_shared_strings(data: bytes) -> bytes:
    """Move the inline strings openpyxl writes into a shared-string table, as Excel and WPS do."""
    source = zipfile.ZipFile(io.BytesIO(data))
    strings: dict[str, int] = {}

    def share(match: re.Match) -> str:
        index = strings.setdefault(match.group(2), len(strings))
        return f'<c{match.group(1)}t="s"><v>{index}</v></c>'

    sheet = re.sub(
        r'<c([^>]*?)t="inlineStr"><is>(.*?)</is></c>', share, source.read("xl/worksheets/sheet1.xml").decode()
    )
    table = "".join(f"<si>{content}</si>" for content in strings)
    parts = {
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": f'<sst xmlns="{MAIN_NS}" uniqueCount="{len(strings)}">{table}</sst>',
        "[Content_Types].xml": source.read("[Content_Types].xml")
        .decode()
        .replace(
            "</Types>",
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        ),
        "xl/_rels/workbook.xml.rels": source.read("xl/_rels/workbook.xml.rels")
        .decode()
        .replace(
            "</Relationships>",
            '<Relationship Id="rIdStrings" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/sharedStrings"/></Relationships>',
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            target.writestr(name, parts.pop(name, None) or source.read(name))
        for name, content in parts.items():
            target.writestr(name, content)
    return buffer.getvalue()


def replace_sheet_data(rows_xml: str) -> bytes:
    """A workbook whose sheetData is exactly ``rows_xml``."""
    return rewrite_sheet(
        make_xlsx([["x"]]),
        lambda xml: re.sub(
            r"<sheetData>.*</sheetData>", lambda _m: f"<sheetData>{rows_xml}</sheetData>", xml
        ),
    )


def openpyxl_rows(data: bytes, table: Table) -> list[tuple[int, dict[str, object], set[str]]]:
    """What openpyxl (read-only, the reference) sees below the header, normalized like ours.

    Returns ``(row, cells, formula_headers)`` for rows holding at least one non-formula value.
    """
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    expected = []
    for number, row in enumerate(workbook.worksheets[0].iter_rows(values_only=True), 1):
        if number <= table.header_row:
            continue
        cells: dict[str, object] = dict.fromkeys(table.headers)
        formulas = set()
        for column, header in table.columns:
            value = row[column - 1] if column <= len(row) else None
            if isinstance(value, str) and value.startswith("="):
                formulas.add(header)
            else:
                cells[header] = normalize_cell_value(value)
        if any(value is not None for value in cells.values()):
            expected.append((number, cells, formulas))
    workbook.close()
    return expected


def assert_same_as_openpyxl(data: bytes, table: Table) -> None:
    ours = list(table.rows())
    expected = openpyxl_rows(data, table)
    assert [row.number for row in ours] == [number for number, _cells, _formulas in expected]
    for row, (number, cells, formulas) in zip(ours, expected, strict=True):
        compared = {header: value for header, value in row.cells.items() if header not in formulas}
        assert compared == {header: value for header, value in cells.items() if header not in formulas}, (
            number
        )
        assert {p.header for p in row.problems if p.code == FORMULA} == formulas, number


# -- refusals ------------------------------------------------------------------------------


def test_empty_file_is_refused():
    assert refusal(b"").code == EMPTY
    assert refusal(b"\xef\xbb\xbf", "a.csv").code == EMPTY


def test_oversize_file_is_refused_with_sizes_in_message():
    data = make_xlsx([HEADERS, ["张三", "110101199001011234", "13800138000", None]])
    error = refusal(data, max_bytes=len(data) - 1)
    assert error.code == TOO_LARGE
    assert str(error).startswith("文件过大：") and "上限" in str(error) and "MB" in str(error)


def test_oversize_check_works_on_non_seekable_streams():
    class Pipe(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self._source = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            chunk = self._source.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    data = make_xlsx([HEADERS, ["张三", "110101199001011234", None, None]])
    with pytest.raises(SpreadsheetError) as caught:
        open_table(Pipe(data), filename="a.xlsx", max_bytes=100, required_headers=["姓名"])
    assert caught.value.code == TOO_LARGE
    table = open_table(Pipe(data), filename="a.xlsx", max_bytes=MB, required_headers=["姓名"])
    assert [row.cells["姓名"] for row in table.rows()] == ["张三"]


def test_renamed_png_is_refused():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    for name in ("花名册.xlsx", "花名册.csv"):
        error = refusal(png, name)
        assert error.code == NOT_SPREADSHEET
        assert str(error) == "只支持 .xlsx 或 .csv 表格文件"


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (b"#!/bin/sh\nrm -rf /\n", "花名册.csv"),
        (b"<script>alert(1)</script>", "花名册.csv"),
        (b"<?php system($_GET['c']); ?>", "花名册.xlsx"),
        ("姓名,身份证号\n张三,110101199001011234\n".encode(), "run.sh"),
        ("姓名,身份证号\n张三,110101199001011234\n".encode(), "花名册.xlsx"),
    ],
)
def test_scripts_and_text_under_other_names_are_refused(content, filename):
    assert refusal(content, filename).code == NOT_SPREADSHEET


def test_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    assert refusal(buffer.getvalue()).code == NOT_SPREADSHEET


def test_legacy_xls_is_refused():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "Workbook".encode("utf-16-le") + b"\x00" * 512
    for name in ("花名册.xls", "花名册.xlsx"):
        error = refusal(ole, name)
        assert error.code == LEGACY_XLS
        assert ".xlsx" in str(error) and "另存为" in str(error)


def test_html_disguised_as_xls_is_refused_as_legacy():
    assert refusal(b"<html><table><tr><td>1</td></tr></table></html>", "导出.xls").code == LEGACY_XLS


def test_password_protected_xlsx_is_refused():
    ole = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 504
        + "EncryptionInfo".encode("utf-16-le")
        + b"\x00" * 100
        + "EncryptedPackage".encode("utf-16-le")
        + b"\x00" * 512
    )
    error = refusal(ole)
    assert error.code == ENCRYPTED
    assert "密码" in str(error)


def test_truncated_xlsx_is_refused_as_corrupt():
    data = make_xlsx([HEADERS, *[["张三", "110101199001011234", None, None]] * 50])
    assert refusal(data[: len(data) // 2]).code == CORRUPT


def test_xlsx_with_broken_xml_is_refused_as_corrupt():
    data = make_xlsx([HEADERS])
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            content = b"<workbook><sheets><sheet" if info.filename == "xl/workbook.xml" else source.read(info)
            target.writestr(info.filename, content)
    assert refusal(broken.getvalue()).code == CORRUPT


def test_missing_required_headers_are_listed():
    data = make_xlsx([["顺城社区党员花名册"], ["姓名", "手机号码"], ["张三", "13800138000"]])
    error = refusal(data, required=["姓名", "身份证号*"])
    assert error.code == HEADER_NOT_FOUND
    assert str(error) == "未找到表头：缺少必填列 身份证号"
    assert "姓名、身份证号" in str(refusal(make_xlsx([["随便"]]), required=["姓名", "身份证号"]))


def test_header_beyond_search_rows_is_not_found():
    data = make_xlsx([*[["说明"]] * 5, HEADERS, ["张三", "110101199001011234", None, None]])
    assert read(data, header_search_rows=6).header_row == 6
    assert refusal(data, header_search_rows=5).code == HEADER_NOT_FOUND


def test_duplicate_headers_are_refused():
    error = refusal(make_xlsx([["姓名", "身份证号", "姓名 "], ["张三", "1", "李四"]]))
    assert error.code == DUPLICATE_HEADER
    assert "“姓名”" in str(error) and "第 1 行" in str(error)


# -- header detection ----------------------------------------------------------------------


def test_header_found_below_merged_title_and_normalized():
    data = make_xlsx(
        [
            ["顺城社区党员花名册 2026年"],
            [],
            ["  姓 名 ", "身份证号（必填）", "*手机号码", "出生\n日期*", None, "ＱＱ号"],
            ["张三", "110101199001011234", "13800138000", dt.date(1990, 1, 1), None, "12345"],
        ],
        merges=["A1:F2"],
    )
    table = read(data, required=["姓名*", "身份证号", "手机号码（必填）"])
    assert table.kind == "xlsx"
    assert table.header_row == 3
    assert table.headers == ["姓名", "身份证号", "手机号码", "出生日期", "QQ号"]
    assert [column for column, _header in table.columns] == [1, 2, 3, 4, 6]
    [row] = table.rows()
    assert row.number == 4 and row.problems == []
    assert row.cells == {
        "姓名": "张三",
        "身份证号": "110101199001011234",
        "手机号码": "13800138000",
        "出生日期": dt.date(1990, 1, 1),
        "QQ号": "12345",
    }


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("姓名*", "姓名"),
        ("＊姓名", "姓名"),
        ("身份证号（必填）", "身份证号"),
        ("身份证号(必填)*", "身份证号"),
        ("　手机　号码　", "手机号码"),
        ("Ｅｍａｉｌ  Address", "Email Address"),
        ("所在党组织（支部）", "所在党组织(支部)"),
        ("", None),
        (None, None),
    ],
)
def test_normalize_header(raw, expected):
    assert normalize_header(raw) == expected


def test_blank_rows_are_skipped_and_numbers_are_real_rows():
    data = make_xlsx(
        [
            HEADERS,
            ["张三", "1", None, None],
            [None, None, None, None],
            [],
            ["   ", None, None, None],
            ["李四", "2", None, None],
        ]
    )
    assert [(row.number, row.cells["姓名"]) for row in read(data).rows()] == [(2, "张三"), (6, "李四")]


# -- cell problems and values --------------------------------------------------------------


def test_merged_data_cells_are_reported_with_row_and_column():
    data = make_xlsx(
        [
            ["顺城社区党员花名册"],
            ["序号", "姓名", "身份证号"],
            [1, "张三", "110101199001011234"],
            [2, "李四", "110101199001011235"],
            [3, None, "110101199001011236"],
        ],
        merges=["A1:C1", "B4:B5"],
    )
    rows = list(read(data).rows())
    assert [row.problems for row in rows][0] == []
    merged = [problem for row in rows for problem in row.problems]
    assert [(p.row, p.column, p.header, p.code) for p in merged] == [
        (4, "B", "姓名", MERGED_CELL),
        (5, "B", "姓名", MERGED_CELL),
    ]
    assert str(merged[0].message) == "第 4 行 B 列（姓名）：单元格为合并单元格，请拆分后逐行填写"


def test_formulas_are_reported():
    data = make_xlsx(
        [
            ["姓名", "身份证号", "党龄"],
            ["张三", "110101199001011234", "=2026-1990"],
            [None, None, "=2026-1991"],
        ]
    )
    rows = list(read(data).rows())
    assert len(rows) == 1, "a row holding nothing but formulas is not user data"
    [problem] = rows[0].problems
    assert (problem.row, problem.column, problem.header, problem.code) == (2, "C", "党龄", FORMULA)
    assert str(problem.message) == "第 2 行 C 列（党龄）：单元格含公式，请改为数值后再导入"


def test_formula_cached_values_and_string_results_are_read():
    sheet = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="B1" t="inlineStr"><is><t>身份证号</t>'
        '</is></c><c r="C1" t="inlineStr"><is><t>备注</t></is></c></row>'
        '<row r="2"><c r="A2" t="str"><f>"张"&amp;"三"</f><v>张三</v></c>'
        '<c r="B2"><f>1+1</f><v>2</v></c><c r="C2" t="inlineStr"><is><t>ok</t></is></c></row>'
    )
    data = replace_sheet_data(sheet)
    [row] = read(data).rows()
    assert row.cells == {"姓名": "张三", "身份证号": "2", "备注": "ok"}
    assert [problem.column for problem in row.problems] == ["A", "B"]
    assert {problem.code for problem in row.problems} == {FORMULA}


def test_full_width_characters_are_folded():
    data = make_xlsx(
        [
            ["姓名", "身份证号", "手机号码", "所在支部"],
            [
                "　张三　",
                "１１０１０１１９９００１０１１２３Ｘ",
                "１３８ ００１３ ８０００",
                "第一支部（退休）",
            ],
        ]
    )
    [row] = read(data).rows()
    assert row.cells == {
        "姓名": "张三",
        "身份证号": "11010119900101123X",
        "手机号码": "138 0013 8000",
        "所在支部": "第一支部（退休）",
    }


def test_whole_numbers_become_digit_strings():
    data = make_xlsx(
        [
            ["姓名", "身份证号", "手机号码", "党费", "序号", "负数"],
            ["张三", "110101199001011234", 13800138000.0, 12.5, 7, -3.0],
        ]
    )
    [row] = read(data).rows()
    assert row.cells["手机号码"] == "13800138000"
    assert row.cells["党费"] == 12.5
    assert row.cells["序号"] == "7"
    assert row.cells["负数"] == "-3"
    assert row.problems == []


def test_long_numbers_report_lost_precision():
    data = make_xlsx(
        [
            ["姓名", "身份证号", "银行卡号"],
            ["张三", 110101199001011234, 1.10101199001011e17],
            ["李四", 123456789012345, 6222020200112233.0],
        ]
    )
    first, second = read(data).rows()
    assert first.cells["身份证号"] == "110101199001011200", "openpyxl writes 1.101011990010112e+17"
    assert first.cells["银行卡号"] == "110101199001011008"
    assert [(p.column, p.code) for p in first.problems] == [("B", NUMBER_PRECISION), ("C", NUMBER_PRECISION)]
    assert "文本" in str(first.problems[0].message) and "第 2 行 B 列（身份证号）" in str(
        first.problems[0].message
    )
    assert second.cells["身份证号"] == "123456789012345"
    assert [(p.column, p.code) for p in second.problems] == [("C", NUMBER_PRECISION)]


def test_dates_and_datetimes():
    data = make_xlsx(
        [
            ["姓名", "身份证号", "出生日期", "入党日期", "登记时间", "中文日期"],
            [
                "张三",
                "1",
                dt.date(1990, 1, 31),
                dt.datetime(2010, 7, 1),
                dt.datetime(2026, 3, 5, 9, 30),
                44927,
            ],
            ["李四", "2", dt.date(1900, 1, 1), dt.date(1900, 3, 1), None, None],
        ],
        formats={"F2": 'yyyy"年"m"月"d"日"'},
    )
    first, second = read(data).rows()
    assert first.cells["出生日期"] == dt.date(1990, 1, 31)
    assert first.cells["入党日期"] == dt.date(2010, 7, 1)
    assert first.cells["登记时间"] == dt.datetime(2026, 3, 5, 9, 30)
    assert first.cells["中文日期"] == dt.date(2023, 1, 1)
    assert second.cells["出生日期"] == dt.date(1900, 1, 1)
    assert second.cells["入党日期"] == dt.date(1900, 3, 1)


def test_1904_date_system():
    data = make_xlsx(
        [["姓名", "身份证号", "出生日期"], ["张三", "1", dt.date(1990, 1, 31)]], epoch=CALENDAR_MAC_1904
    )
    [row] = read(data).rows()
    assert row.cells["出生日期"] == dt.date(1990, 1, 31)


def test_problem_columns_beyond_z():
    header = ["姓名", "身份证号", *[f"列{n}" for n in range(3, 28)], "备注"]
    data = make_xlsx([header, ["张三", "1", *[None] * 25, "=1+1"]])
    [row] = read(data).rows()
    assert [(p.column, p.header) for p in row.problems] == [("AB", "备注")]
    assert column_letter(28) == "AB" and column_letter(703) == "AAA"


def test_shared_strings_rich_runs_phonetics_and_escapes():
    data = to_shared_strings(make_xlsx([["姓名", "身份证号", "备注"], ["a", "b", "c"]]))
    table = (
        "<si><t>姓名</t></si><si><t>身份证号</t></si><si><t>备注</t></si>"
        '<si><r><rPr><b/></rPr><t>张</t></r><r><t xml:space="preserve">三 </t></r>'
        '<rPh sb="0" eb="1"><t>ちょう</t></rPh></si>'
        "<si><t>１１０１０１１９９００１０１１２３４</t></si>"
        '<si><t xml:space="preserve"> A &amp; B&#10;C_x000D_ _x005F_x0041_ </t></si>'
    )
    data = rewrite_part(
        data, "xl/sharedStrings.xml", lambda xml: re.sub(r"<si>.*</si>", lambda _m: table, xml)
    )
    [row] = read(data).rows()
    # Excel escapes a literal "_x0041_" as "_x005F_x0041_" and a CR as "_x000D_" (ECMA-376 ST_Xstring).
    assert row.cells == {"姓名": "张三", "身份证号": "110101199001011234", "备注": "A & B\nC\r _x0041_"}


def test_inline_rich_text_with_font_family_is_not_a_formula():
    rows_xml = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="B1" t="inlineStr"><is><t>身份证号</t>'
        '</is></c></row><row r="2"><c r="A2" t="inlineStr"><is><r><rPr><rFont val="宋体"/><family val="3"/>'
        '<b/></rPr><t>张</t></r><r><t>三</t></r></is></c><c r="B2" t="inlineStr"><is><t>1</t></is></c></row>'
    )
    [row] = read(replace_sheet_data(rows_xml)).rows()
    assert row.cells == {"姓名": "张三", "身份证号": "1"} and row.problems == []


def test_first_visible_sheet_is_read():
    workbook = Workbook()
    workbook.active.title = "下拉选项"
    workbook.active.append(["党员类型"])
    workbook.active.sheet_state = "hidden"
    roster = workbook.create_sheet("花名册")
    roster.append(["姓名", "身份证号"])
    roster.append(["张三", "1"])
    workbook.active = 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert [row.cells["姓名"] for row in read(buffer.getvalue()).rows()] == ["张三"]


@pytest.mark.parametrize(
    ("format_id", "code", "kind"),
    [
        (0, None, PLAIN),
        (14, None, DATE),
        (31, None, DATE),  # zh-CN built-in yyyy"年"m"月"d"日"
        (46, None, TIMEDELTA),
        (164, "0.00", PLAIN),
        (164, "@", PLAIN),
        (164, '"d"0', PLAIN),
        (164, "[Red]0.00;[Blue]-0.00", PLAIN),
        (164, '[DBNum1][$-804]yyyy"年"m"月"d"日"', DATE),
        (164, "yyyy/mm/dd hh:mm", DATE),
        (164, "[h]:mm:ss", TIMEDELTA),
    ],
)
def test_number_format_kinds(format_id, code, kind):
    assert format_kind(format_id, code) == kind
