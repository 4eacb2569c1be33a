"""Generic, fast spreadsheet layer for roster imports (.xlsx/.csv) and exports.

It knows nothing about people: ``open_table`` finds the header row and yields normalized
cell values keyed by header; the roster import maps headers to fields.
"""

from .base import (
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
    CellProblem,
    SheetRow,
    SpreadsheetError,
    Table,
)
from .normalize import column_letter, normalize_cell_value, normalize_header, normalize_text
from .reader import open_table
from .writer import Sheet, neutralize_formula, write_csv, write_xlsx

__all__ = [
    "CORRUPT",
    "DUPLICATE_HEADER",
    "EMPTY",
    "ENCRYPTED",
    "FORMULA",
    "HEADER_NOT_FOUND",
    "LEGACY_XLS",
    "MERGED_CELL",
    "NOT_SPREADSHEET",
    "NUMBER_PRECISION",
    "TOO_LARGE",
    "CellProblem",
    "SheetRow",
    "SpreadsheetError",
    "Table",
    "column_letter",
    "neutralize_formula",
    "normalize_cell_value",
    "normalize_header",
    "normalize_text",
    "open_table",
    "write_csv",
    "write_xlsx",
    "Sheet",
]
