"""Public types of the spreadsheet layer: errors, rows, cell problems, the Table interface."""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .normalize import column_letter

Message = str | Promise

EMPTY = "empty"
TOO_LARGE = "too_large"
NOT_SPREADSHEET = "not_spreadsheet"
LEGACY_XLS = "legacy_xls"
ENCRYPTED = "encrypted"
CORRUPT = "corrupt"
HEADER_NOT_FOUND = "header_not_found"
DUPLICATE_HEADER = "duplicate_header"

MERGED_CELL = "merged_cell"
FORMULA = "formula"
NUMBER_PRECISION = "number_precision"


class SpreadsheetError(Exception):
    """The upload cannot be read as a table; ``message`` is shown to the user as is."""

    def __init__(self, code: str, message: Message) -> None:
        super().__init__(code, message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True, slots=True)
class CellProblem:
    """Something wrong with one cell that the user must fix in the file."""

    row: int
    column: str
    header: str
    code: str
    message: Message


@dataclass(slots=True)
class SheetRow:
    """One non-blank data row; ``cells`` has every header as a key (None when blank)."""

    number: int
    cells: dict[str, object]
    problems: list[CellProblem] = field(default_factory=list)


_PROBLEM_TEXT = {
    MERGED_CELL: _("第 {row} 行 {column} 列（{header}）：单元格为合并单元格，请拆分后逐行填写"),
    FORMULA: _("第 {row} 行 {column} 列（{header}）：单元格含公式，请改为数值后再导入"),
    NUMBER_PRECISION: _(
        "第 {row} 行 {column} 列（{header}）：数字过长，Excel 只保留 15 位有效数字，末尾已丢失，"
        "请将该列设置为“文本”格式后重新填写"
    ),
}


def cell_problem(row: int, column: int, header: str, code: str) -> CellProblem:
    letter = column_letter(column)
    message = format_lazy(_PROBLEM_TEXT[code], row=row, column=letter, header=header)
    return CellProblem(row=row, column=letter, header=header, code=code, message=message)


def _megabytes(size: int) -> str:
    value = math.ceil(size / 1024 / 1024 * 10) / 10
    return f"{value:g}"


def error_empty() -> SpreadsheetError:
    return SpreadsheetError(EMPTY, _("文件为空，请选择填写好的表格文件"))


def error_too_large(size: int, limit: int) -> SpreadsheetError:
    message = format_lazy(
        _("文件过大：{size} MB，上限 {limit} MB"), size=_megabytes(size), limit=_megabytes(limit)
    )
    return SpreadsheetError(TOO_LARGE, message)


def error_not_spreadsheet() -> SpreadsheetError:
    return SpreadsheetError(NOT_SPREADSHEET, _("只支持 .xlsx 或 .csv 表格文件"))


def error_legacy_xls() -> SpreadsheetError:
    return SpreadsheetError(LEGACY_XLS, _("不支持旧版 .xls 格式，请在 Excel 中“另存为”.xlsx 后再上传"))


def error_encrypted() -> SpreadsheetError:
    return SpreadsheetError(ENCRYPTED, _("文件设有打开密码，请在 Excel 中取消密码后再上传"))


def error_corrupt() -> SpreadsheetError:
    return SpreadsheetError(CORRUPT, _("文件已损坏或格式异常，无法读取，请在 Excel 中重新保存后再上传"))


def error_missing_headers(missing: Sequence[str], search_rows: int) -> SpreadsheetError:
    if missing:
        message = format_lazy(_("未找到表头：缺少必填列 {missing}"), missing="、".join(missing))
    else:
        message = format_lazy(_("未找到表头：表格前 {rows} 行没有内容"), rows=search_rows)
    return SpreadsheetError(HEADER_NOT_FOUND, message)


def error_duplicate_headers(row: int, names: Sequence[str]) -> SpreadsheetError:
    quoted = "、".join(f"“{name}”" for name in names)
    message = format_lazy(
        _("表头重复：第 {row} 行有多个 {names} 列，请删除或改名后再上传"), row=row, names=quoted
    )
    return SpreadsheetError(DUPLICATE_HEADER, message)


class Table(ABC):
    """A header row plus an iterator over the data rows below it.

    ``columns`` pairs each header with its 1-based column index.
    """

    kind: str

    def __init__(self, *, header_row: int, columns: list[tuple[int, str]]) -> None:
        self.header_row = header_row
        self.columns = columns
        self.headers = [name for _index, name in columns]

    @abstractmethod
    def rows(self) -> Iterator[SheetRow]:
        """Yield every non-blank row after the header row, in file order."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} header_row={self.header_row} headers={self.headers!r}>"
