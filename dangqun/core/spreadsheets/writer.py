"""Exports as .xlsx and .csv, with spreadsheet formula injection neutralized (OWASP)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain, islice

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL_XML_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_DIGIT_TEXT = re.compile(r"[0-9]+[Xx]?")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_WIDTH_SAMPLE_ROWS = 200
_MAX_WIDTH = 60


def neutralize_formula(value: object) -> object:
    """Prefix ``'`` to a string that a spreadsheet app would run as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_TRIGGERS):
        return "'" + value
    return value


@dataclass(frozen=True)
class Sheet:
    """A further sheet of a workbook (e.g. totals beside the rows)."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[object]]


def write_xlsx(
    headers: Sequence[str], rows: Iterable[Sequence[object]], *, sheet_title: str, extra_sheets: Sequence[Sheet] = ()
) -> bytes:
    """A workbook: the rows on the first sheet, then `extra_sheets`; each with a bold frozen header,
    strings neutralized, digit strings kept as text."""
    workbook = Workbook(write_only=True)
    for sheet_spec in (Sheet(sheet_title, headers, rows), *extra_sheets):
        _write_sheet(workbook, sheet_spec)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_sheet(workbook: Workbook, spec: Sheet) -> None:
    sheet = workbook.create_sheet(title=_sheet_title(spec.title))
    rows = iter(spec.rows)
    sample = list(islice(rows, _WIDTH_SAMPLE_ROWS))
    _set_column_widths(sheet, spec.headers, sample)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_header_cell(sheet, header, bold) for header in spec.headers])
    for row in chain(sample, rows):
        sheet.append([_xlsx_value(sheet, value) for value in row])


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 with a BOM (so Excel shows Chinese), CRLF line ends, strings neutralized."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_value(header) for header in headers])
    writer.writerows([_csv_value(value) for value in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet_title(title: str) -> str:
    cleaned = _SHEET_TITLE_FORBIDDEN.sub("_", str(title)).strip("'").strip()
    return cleaned[:31] or "Sheet1"


def _as_text(value: object) -> str:
    text = neutralize_formula(str(value))
    return _ILLEGAL_XML_CHARS.sub("", text)


def _naive(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


def _header_cell(sheet: WriteOnlyWorksheet, header: str, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=_as_text(header))
    cell.font = font
    return cell


def _xlsx_value(sheet: WriteOnlyWorksheet, value: object) -> object:
    if value is None or isinstance(value, bool | int | float | dt.date):
        return _naive(value) if isinstance(value, dt.datetime) else value
    text = _as_text(value)
    if _DIGIT_TEXT.fullmatch(text):
        # ID card numbers, phones: stay text when the user edits them in Excel.
        cell = WriteOnlyCell(sheet, value=text)
        cell.number_format = "@"
        return cell
    return text


def _csv_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return _naive(value).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool | int | float):
        return value
    return neutralize_formula(str(value))


def _display_width(value: object) -> int:
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    return sum(2 if ord(char) > 0x2E7F else 1 for char in text)


def _set_column_widths(
    sheet: WriteOnlyWorksheet, headers: Sequence[str], sample: Sequence[Sequence[object]]
) -> None:
    for index, header in enumerate(headers):
        widest = max(
            [_display_width(header)]
            + [_display_width(row[index]) for row in sample if index < len(row) and row[index] is not None]
        )
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(widest + 2, _MAX_WIDTH)
