"""``open_table``: check an upload, tell XLSX from CSV by content, find the header row."""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO
from xml.etree import ElementTree

from .base import (
    FORMULA,
    MERGED_CELL,
    NUMBER_PRECISION,
    CellProblem,
    SheetRow,
    Table,
    cell_problem,
    error_corrupt,
    error_duplicate_headers,
    error_empty,
    error_encrypted,
    error_legacy_xls,
    error_missing_headers,
    error_not_spreadsheet,
    error_too_large,
)
from .normalize import normalize_header, normalize_text
from .xlsx import XlsxBook

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_BINARY_MAGICS = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"%PDF",
    b"\x1f\x8b",
    b"\x7fELF",
    b"MZ",
    b"Rar!",
    b"7z\xbc\xaf",
    b"RIFF",
)
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NOT_TABLE_STARTS = ("<", "#!", "{")
_SCIENTIFIC = re.compile(r"[+-]?[0-9](?:\.[0-9]+)?[eE]\+?[0-9]+")
_COPY_CHUNK = 1 << 20
_SPOOL_IN_MEMORY = 16 << 20
# A zip bomb must not keep a worker busy: decompressed XML per part is capped.
_XML_EXPANSION = 200
_XML_FLOOR = 256 << 20


def open_table(
    fileobj: IO[bytes],
    *,
    filename: str,
    max_bytes: int,
    required_headers: Sequence[str],
    header_search_rows: int = 20,
) -> Table:
    """Open an uploaded .xlsx or .csv file and locate its header row.

    The file's kind is decided by its content; the name only refines messages and keeps
    arbitrary text files (scripts) from being read as CSV.  Keep ``fileobj`` open while
    iterating ``rows()``.  Raises ``SpreadsheetError`` when the file cannot be used.
    """
    stream, size = _seekable(fileobj, max_bytes)
    if size == 0:
        raise error_empty()
    if size > max_bytes:
        raise error_too_large(size, max_bytes)
    head = stream.read(8)
    stream.seek(0)
    extension = os.path.splitext(filename.replace("\\", "/"))[1].lower()
    required = list(dict.fromkeys(name for name in map(normalize_header, required_headers) if name))
    if head.startswith(OLE2_MAGIC):
        raise error_encrypted() if _ENCRYPTED_STREAM in stream.read() else error_legacy_xls()
    if head.startswith(ZIP_MAGICS):
        book = _open_book(stream, max_xml_bytes=max(max_bytes * _XML_EXPANSION, _XML_FLOOR))
        return XlsxTable.open(book, required, header_search_rows)
    text = _decode_text(stream.read())
    if extension == ".xls":
        raise error_legacy_xls()
    if text is None or extension != ".csv":
        raise error_not_spreadsheet()
    if not text.strip("\ufeff"):
        raise error_empty()
    return CsvTable.open(text, required, header_search_rows)


def _seekable(fileobj: IO[bytes], max_bytes: int) -> tuple[IO[bytes], int]:
    """The upload as a seekable stream plus its size (or a size just over the limit)."""
    try:
        seekable = fileobj.seekable()
    except (AttributeError, OSError, ValueError):
        seekable = False
    if seekable:
        fileobj.seek(0, os.SEEK_END)
        size = fileobj.tell()
        fileobj.seek(0)
        return fileobj, size
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)
    size = 0
    while chunk := fileobj.read(_COPY_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            break
        spool.write(chunk)
    spool.seek(0)
    return spool, size


def _decode_text(data: bytes) -> str | None:
    """The text of a would-be CSV file, or None when it is binary or obviously not a table."""
    if data.startswith(_BINARY_MAGICS):
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return None
    if _CONTROL_CHARS.search(text) or text.lstrip().startswith(_NOT_TABLE_STARTS):
        return None
    return text


def _open_book(stream: IO[bytes], *, max_xml_bytes: int) -> XlsxBook:
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise error_corrupt() from exc
    names = {name.lower() for name in archive.namelist()}
    if "[content_types].xml" not in names or "xl/workbook.xml" not in names:
        raise error_not_spreadsheet()
    if any(info.flag_bits & 0x1 for info in archive.infolist()):
        raise error_encrypted()
    try:
        return XlsxBook(archive, max_xml_bytes=max_xml_bytes)
    except (
        ElementTree.ParseError,
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        KeyError,
        ValueError,
        IndexError,
        RuntimeError,
        NotImplementedError,
        UnicodeDecodeError,
    ) as exc:
        raise error_corrupt() from exc


def find_header(
    rows: Iterable[tuple[int, Mapping[int, object]]], required: Sequence[str], search_rows: int
) -> tuple[int, list[tuple[int, str]]]:
    """The first row (within ``search_rows``) holding every required header.

    ``rows`` yields ``(row_number, {column_index: value})``.  Returns the row number and
    ``[(column_index, header), …]`` for the row's non-empty cells.
    """
    best_missing = list(required)
    for number, values in rows:
        if number > search_rows:
            break
        columns = [
            (column, name) for column, value in sorted(values.items()) if (name := normalize_header(value))
        ]
        if not columns:
            continue
        present = {name for _column, name in columns}
        missing = [name for name in required if name not in present]
        if not missing:
            counts = Counter(name for _column, name in columns)
            duplicates = [name for name, count in counts.items() if count > 1]
            if duplicates:
                raise error_duplicate_headers(number, duplicates)
            return number, columns
        if len(missing) < len(best_missing):
            best_missing = missing
    raise error_missing_headers(best_missing, search_rows)


class XlsxTable(Table):
    kind = "xlsx"

    def __init__(self, book: XlsxBook, *, header_row: int, columns: list[tuple[int, str]]) -> None:
        super().__init__(header_row=header_row, columns=columns)
        self._book = book

    @classmethod
    def open(cls, book: XlsxBook, required: Sequence[str], search_rows: int) -> XlsxTable:
        raw_rows = ((number, values) for number, values, _problems, _data in book.scan(None))
        header_row, columns = find_header(raw_rows, required, search_rows)
        return cls(book, header_row=header_row, columns=columns)

    def rows(self) -> Iterator[SheetRow]:
        wanted = dict(self.columns)
        template = dict.fromkeys(self.headers)
        merges = _MergeIndex(self._book.merged_ranges, wanted, self.header_row)
        for number, values, problems, has_data in self._book.scan(wanted, first_row=self.header_row + 1):
            if not has_data:
                continue
            found = (
                [cell_problem(number, column, key, code) for key, column, code in problems]
                if problems
                else []
            )
            if merges:
                found.extend(
                    cell_problem(number, column, wanted[column], MERGED_CELL) for column in merges.at(number)
                )
                found.sort(key=_problem_order)
            yield SheetRow(number, {**template, **values}, found)


def _problem_order(problem: CellProblem) -> tuple[int, str]:
    return len(problem.column), problem.column


class _MergeIndex:
    """Which header columns of a data row lie inside a merged range (rows ascending)."""

    def __init__(
        self, ranges: Sequence[tuple[int, int, int, int]], columns: Mapping[int, str], header_row: int
    ) -> None:
        self._columns = sorted(columns)
        self._ranges = sorted(
            (top, bottom, left, right)
            for left, top, right, bottom in ranges
            if bottom > header_row and any(left <= column <= right for column in self._columns)
        )
        self._next = 0
        self._active: list[tuple[int, int, int, int]] = []
        self._last_row = 0

    def __bool__(self) -> bool:
        return bool(self._ranges)

    def at(self, row: int) -> list[int]:
        if row < self._last_row:
            self._next, self._active = 0, []
        self._last_row = row
        while self._next < len(self._ranges) and self._ranges[self._next][0] <= row:
            self._active.append(self._ranges[self._next])
            self._next += 1
        self._active = [span for span in self._active if span[1] >= row]
        return [
            column for column in self._columns if any(span[2] <= column <= span[3] for span in self._active)
        ]


class CsvTable(Table):
    kind = "csv"

    def __init__(self, text: str, delimiter: str, *, header_row: int, columns: list[tuple[int, str]]) -> None:
        super().__init__(header_row=header_row, columns=columns)
        self._text = text
        self._delimiter = delimiter

    @classmethod
    def open(cls, text: str, required: Sequence[str], search_rows: int) -> CsvTable:
        delimiter = _sniff_delimiter(text)
        records = _records(text, delimiter)
        raw_rows = ((number, dict(enumerate(record, 1))) for number, record in records)
        header_row, columns = find_header(raw_rows, required, search_rows)
        return cls(text, delimiter, header_row=header_row, columns=columns)

    def rows(self) -> Iterator[SheetRow]:
        template = dict.fromkeys(self.headers)
        for number, record in _records(self._text, self._delimiter):
            if number <= self.header_row:
                continue
            values: dict[str, object] = {}
            problems: list[CellProblem] = []
            for column, header in self.columns:
                value = normalize_text(record[column - 1]) if column <= len(record) else None
                if value is None:
                    continue
                values[header] = value
                if value.startswith("="):
                    problems.append(cell_problem(number, column, header, FORMULA))
                elif _SCIENTIFIC.fullmatch(value):
                    problems.append(cell_problem(number, column, header, NUMBER_PRECISION))
            if values:
                yield SheetRow(number, {**template, **values}, problems)


def _sniff_delimiter(text: str) -> str:
    for line in io.StringIO(text):
        if line.strip():
            return "\t" if "\t" in line and "," not in line else ","
    return ","


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    try:
        yield from enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1)
    except csv.Error as exc:
        raise error_corrupt() from exc
