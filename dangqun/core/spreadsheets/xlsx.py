"""A streaming reader for the first worksheet of an .xlsx file.

openpyxl builds an element per cell; at 100,000 rows that dominates an import.  This
reader scans the decompressed worksheet XML in 1 MB chunks with a few regular
expressions instead: rows are cut at ``</row>``, cells are matched by one pattern whose
fast branch captures ``<v>…</v>`` directly, and per-attribute-string lookups are cached
(``s="3" t="s"`` repeats on every row).  Small parts (workbook, rels, styles) go through
ElementTree.  Memory stays bounded: only the shared-string table and one chunk are held.

Merged ranges are listed after ``</sheetData>``, so ``XlsxBook`` makes one cheap first
pass that only decompresses and looks for that marker; it also checks the stream's CRC
before any row is handed out.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from xml.etree import ElementTree

from .base import FORMULA, NUMBER_PRECISION, error_corrupt
from .normalize import PRECISION_DIGITS, column_index, normalize_datetime, normalize_number, normalize_text

CHUNK_SIZE = 1 << 20

PLAIN, DATE, TIMEDELTA = 0, 1, 2

# Built-in number formats that are dates or times; 27–36 and 50–58 are the zh-CN/East-Asian
# built-ins (yyyy"年"m"月"d"日" and friends) that Chinese Excel writes without a definition.
_DATE_FORMAT_IDS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_TIMEDELTA_FORMAT_IDS = frozenset([46])
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|_.|\*.')
_FORMAT_ELAPSED = re.compile(r"\[(?:h+|m+|s+)\]", re.IGNORECASE)
_FORMAT_BRACKETS = re.compile(r"\[[^\]]*\]")
_FORMAT_DATE_CHARS = re.compile(r"[dmyhs]", re.IGNORECASE)

_XSTRING_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_ATTRIBUTE = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ROOT_PREFIX = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?(worksheet|sst)[\s>/]")
_MERGE_REF = re.compile(
    rb"""<(?:[\w.-]+:)?mergeCell\s[^>]*?ref\s*=\s*["']([A-Za-z]+[0-9]+(?::[A-Za-z]+[0-9]+)?)"""
)
_CELL_REF = re.compile(r"([A-Za-z]{1,3})([0-9]+)")

_EPOCH_1900 = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)
_MS_PER_DAY = 86_400_000
_DATE_CACHE_LIMIT = 200_000


def unescape_xml_text(text: str) -> str:
    """Decode XML entities, line-end normalization and Excel's ``_xHHHH_`` escapes."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in text:
        text = html.unescape(text)
    if "_x" in text:
        text = _XSTRING_ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), text)
    return text


def format_kind(format_id: int, code: str | None) -> int:
    """PLAIN, DATE or TIMEDELTA for a number format (custom ``code`` wins over the id)."""
    if code is None:
        if format_id in _TIMEDELTA_FORMAT_IDS:
            return TIMEDELTA
        return DATE if format_id in _DATE_FORMAT_IDS else PLAIN
    section = _FORMAT_LITERALS.sub("", code).split(";")[0]
    if _FORMAT_ELAPSED.search(section):
        return TIMEDELTA
    return DATE if _FORMAT_DATE_CHARS.search(_FORMAT_BRACKETS.sub("", section)) else PLAIN


def serial_to_datetime(serial: float, *, date1904: bool) -> dt.datetime | dt.time:
    """Excel serial → datetime (time of day for 0 ≤ serial < 1), with the 1900 leap-year bug."""
    day, fraction = divmod(serial, 1)
    milliseconds = round(fraction * _MS_PER_DAY)
    if 0 <= serial < 1 and milliseconds < _MS_PER_DAY:
        seconds, ms = divmod(milliseconds, 1000)
        minutes, second = divmod(seconds, 60)
        return dt.time(minutes // 60, minutes % 60, second, ms * 1000)
    if date1904:
        return _EPOCH_1904 + dt.timedelta(days=day, milliseconds=milliseconds)
    if 0 < serial < 60:
        day += 1
    return _EPOCH_1900 + dt.timedelta(days=day, milliseconds=milliseconds)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attribute(element: ElementTree.Element, name: str) -> str | None:
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value
    return None


class _Patterns:
    """The regular expressions for one namespace prefix ("" or e.g. "x:")."""

    def __init__(self, prefix: str) -> None:
        p = re.escape(prefix)
        self.prefix = prefix
        self.row_open = f"<{prefix}row"
        self.row_close = f"</{prefix}row>"
        self.sheet_data_close = f"</{prefix}sheetData>"
        self.formula = re.compile(rf"<{p}f[\s/>]")
        self.row_number = re.compile(r"""\sr\s*=\s*["']([0-9]+)""")
        self.cell = re.compile(
            rf"""<{p}c(?=[\s/>])(?:\s+r=["']([A-Z]{{1,3}})[0-9]+["'])?([^>]*?)"""
            rf"""(?:/>|>(?:<{p}v>([^<]*)</{p}v>|<{p}is><{p}t>([^<]*)</{p}t></{p}is>|(.*?))</{p}c>)""",
            re.DOTALL,
        )
        self.value = re.compile(rf"<{p}v>([^<]*)</{p}v>")
        self.phonetic = re.compile(rf"<{p}rPh[\s>].*?</{p}rPh>", re.DOTALL)
        self.text = re.compile(rf"<{p}t(?:\s[^>]*)?>([^<]*)</{p}t>")
        self.shared = re.compile(
            rf"""<{p}si>(?:<{p}t>([^<]*)</{p}t>|<{p}t xml:space="preserve">([^<]*)</{p}t>|(.*?))</{p}si>"""
            rf"""|<{p}si\s*/>""",
            re.DOTALL,
        )
        self.shared_close = f"</{prefix}si>"

    def rich_text(self, fragment: str) -> str:
        """The plain text of a rich-text or inline string (phonetic runs dropped)."""
        if "rPh" in fragment:
            fragment = self.phonetic.sub("", fragment)
        return unescape_xml_text("".join(self.text.findall(fragment)))


def _detect_prefix(head: bytes) -> str:
    match = _ROOT_PREFIX.search(head)
    if match is None:
        raise error_corrupt()
    return f"{match.group(1).decode()}:" if match.group(1) else ""


class _ColumnIndex(dict):
    def __missing__(self, letters: str) -> int:
        index = self[letters] = column_index(letters)
        return index


class XlsxBook:
    """The parts of a workbook needed to read its first visible worksheet."""

    def __init__(self, archive: zipfile.ZipFile, *, max_xml_bytes: int) -> None:
        self._archive = archive
        self._max_xml_bytes = max_xml_bytes
        self._names = {info.filename.lower(): info.filename for info in archive.infolist()}
        workbook = self._parse("xl/workbook.xml")
        relations = self._relations("xl/_rels/workbook.xml.rels")
        self.date1904 = self._is_date1904(workbook)
        self.sheet_path = self._first_sheet_path(workbook, relations)
        styles_path = self._related(relations, "/styles", "xl/styles.xml")
        self.style_kinds = self._style_kinds(styles_path)
        strings_path = self._related(relations, "/sharedStrings", "xl/sharedStrings.xml")
        self.shared_strings = self._shared_strings(strings_path)
        self.merged_ranges: list[tuple[int, int, int, int]] = []
        self._date_cache: dict[str, object] = {}
        self._patterns = self._prescan_sheet()

    # -- small parts ---------------------------------------------------------------------

    def _member(self, path: str) -> str | None:
        return self._names.get(path.lower())

    def _parse(self, path: str) -> ElementTree.Element:
        member = self._member(path)
        if member is None:
            raise error_corrupt()
        return ElementTree.fromstring(self._archive.read(member))

    def _relations(self, path: str) -> dict[str, tuple[str, str]]:
        if self._member(path) is None:
            return {}
        base = posixpath.dirname(posixpath.dirname(path))
        relations = {}
        for element in self._parse(path):
            target = element.get("Target", "")
            if element.get("TargetMode") == "External" or not target:
                continue
            resolved = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
            relations[element.get("Id", "")] = (element.get("Type", ""), posixpath.normpath(resolved))
        return relations

    @staticmethod
    def _related(relations: Mapping[str, tuple[str, str]], type_suffix: str, default: str) -> str:
        for rel_type, target in relations.values():
            if rel_type.endswith(type_suffix):
                return target
        return default

    @staticmethod
    def _is_date1904(workbook: ElementTree.Element) -> bool:
        for element in workbook:
            if _local(element.tag) == "workbookPr":
                return element.get("date1904", "0").lower() in ("1", "true")
        return False

    def _first_sheet_path(
        self, workbook: ElementTree.Element, relations: Mapping[str, tuple[str, str]]
    ) -> str:
        visible, hidden = [], []
        for element in workbook.iter():
            if _local(element.tag) != "sheet":
                continue
            rel_type, target = relations.get(_attribute(element, "id") or "", ("", ""))
            if rel_type.endswith("/worksheet") and self._member(target):
                (hidden if element.get("state") in ("hidden", "veryHidden") else visible).append(target)
        if not visible and not hidden:
            raise error_corrupt()
        return self._member((visible or hidden)[0]) or ""

    def _style_kinds(self, path: str) -> list[int]:
        if self._member(path) is None:
            return []
        custom: dict[int, str] = {}
        kinds: list[int] = []
        for element in self._parse(path):
            name = _local(element.tag)
            if name == "numFmts":
                for fmt in element:
                    custom[int(fmt.get("numFmtId", "0"))] = fmt.get("formatCode", "")
            elif name == "cellXfs":
                for xf in element:
                    format_id = int(xf.get("numFmtId", "0"))
                    kinds.append(format_kind(format_id, custom.get(format_id)))
        return kinds

    # -- streamed parts ------------------------------------------------------------------

    def _chunks(self, member: str) -> Iterator[bytes]:
        total = 0
        with self._archive.open(member) as stream:
            while chunk := stream.read(CHUNK_SIZE):
                total += len(chunk)
                if total > self._max_xml_bytes:
                    raise error_corrupt()
                yield chunk

    def _texts(self, member: str, boundary: str) -> Iterator[str]:
        """Decoded text in pieces that each end right after ``boundary`` (or at the end)."""
        marker = boundary.encode()
        pending = b""
        for chunk in self._chunks(member):
            data = pending + chunk if pending else chunk
            cut = data.rfind(marker)
            if cut < 0:
                pending = data
                continue
            cut += len(marker)
            pending = data[cut:]
            yield data[:cut].decode("utf-8")
        if pending:
            yield pending.decode("utf-8")

    def _shared_strings(self, path: str) -> list[str | None]:
        member = self._member(path)
        if member is None:
            return []
        with self._archive.open(member) as stream:
            patterns = _Patterns(_detect_prefix(stream.read(4096)))
        strings: list[str | None] = []
        for text in self._texts(member, patterns.shared_close):
            for plain, preserved, rich in patterns.shared.findall(text):
                value = plain or preserved
                if value:
                    value = unescape_xml_text(value)
                elif rich:
                    value = patterns.rich_text(rich)
                strings.append(normalize_text(value) if value else None)
        return strings

    def _prescan_sheet(self) -> _Patterns:
        """Read the whole sheet once: namespace prefix, CRC check, merged ranges."""
        patterns: _Patterns | None = None
        marker = b""
        carry = b""
        tail: bytes | None = None
        for chunk in self._chunks(self.sheet_path):
            if patterns is None:
                patterns = _Patterns(_detect_prefix(chunk[:65536]))
                marker = patterns.sheet_data_close.encode()
            if tail is None:
                data = carry + chunk
                found = data.find(marker)
                if found < 0:
                    carry = data[-len(marker) :]
                    continue
                tail = data[found:]
            else:
                tail += chunk
            cut = tail.rfind(b">") + 1
            self._add_merges(tail[:cut])
            tail = tail[cut:]
        if patterns is None:
            raise error_corrupt()
        return patterns

    def _add_merges(self, data: bytes) -> None:
        for ref in _MERGE_REF.findall(data):
            first, _, last = ref.decode().upper().partition(":")
            (c1, r1), (c2, r2) = _split_ref(first), _split_ref(last or first)
            self.merged_ranges.append((min(c1, c2), min(r1, r2), max(c1, c2), max(r1, r2)))

    # -- rows ----------------------------------------------------------------------------

    def scan(
        self, wanted: Mapping[int, str] | None, first_row: int = 1
    ) -> Iterator[tuple[int, dict, list[tuple[object, int, str]] | None, bool]]:
        """Yield ``(row_number, values, problems, has_data)`` for each row with cells.

        ``values`` maps a key to a normalized non-empty value: the header name from
        ``wanted`` (column index → header; other columns are skipped) or, when ``wanted``
        is None, the column index.  ``problems`` lists ``(key, column, code)``.
        ``has_data`` is False when the only values are formula results.
        """
        try:
            yield from self._scan(wanted, first_row)
        except (zipfile.BadZipFile, zlib.error, EOFError, UnicodeDecodeError, ValueError, IndexError) as exc:
            raise error_corrupt() from exc

    def _scan(
        self, wanted: Mapping[int, str] | None, first_row: int
    ) -> Iterator[tuple[int, dict, list[tuple[object, int, str]] | None, bool]]:
        # One flat hot loop on purpose: at ~1.2 M cells per import, every helper call and
        # attribute lookup per cell shows up in the benchmark.
        pats = self._patterns
        shared = self.shared_strings
        cell_findall = pats.cell.findall
        row_number_search = pats.row_number.search
        row_open, row_close, formula_search = pats.row_open, pats.row_close, pats.formula.search
        columns = _ColumnIndex()
        cell_info: dict[str, tuple[str, int]] = {}
        dates = self._date_cache
        row_number = 0
        for text in self._texts(self.sheet_path, row_close):
            end = text.find(pats.sheet_data_close)
            if end >= 0:
                text = text[:end]
            for piece in text.split(row_close):
                start = piece.rfind(row_open)
                if start < 0:
                    continue
                head_end = piece.find(">", start)
                match = row_number_search(piece, start, head_end)
                row_number = int(match.group(1)) if match else row_number + 1
                if row_number < first_row or piece[head_end - 1] == "/":
                    continue
                values: dict = {}
                problems: list[tuple[object, int, str]] | None = None
                has_data = False
                column = 0
                for letters, rest, fast_value, fast_text, inner in cell_findall(piece, head_end):
                    if letters:
                        column = columns[letters]
                        info = cell_info.get(rest) or self._cell_info(rest, cell_info)
                    else:
                        column, info = self._unlettered_cell(rest, column, cell_info)
                    if not (fast_value or fast_text or inner):
                        continue
                    if wanted is None:
                        key: object = column
                    else:
                        key = wanted.get(column)
                        if key is None:
                            continue
                    if fast_text:
                        if "&" in fast_text or "_x" in fast_text or "\r" in fast_text:
                            fast_text = unescape_xml_text(fast_text)
                        value = normalize_text(fast_text)
                        if value is not None:
                            values[key] = value
                            has_data = True
                        continue
                    cell_type, style_kind = info
                    formula = False
                    if fast_value:
                        raw = fast_value
                    else:
                        formula = formula_search(inner) is not None
                        if cell_type == "inlineStr":
                            raw = pats.rich_text(inner)
                        else:
                            found = pats.value.search(inner)
                            raw = found.group(1) if found else ""
                        if formula:
                            problems = problems or []
                            problems.append((key, column, FORMULA))
                        if not raw:
                            continue
                    if cell_type == "s":
                        value = shared[int(raw)]
                    elif cell_type == "n":
                        if style_kind:
                            value = dates.get(raw) if style_kind == DATE else None
                            if value is None:
                                value = self._date_value(raw, style_kind)
                        elif raw.isdigit():
                            value = raw.lstrip("0") or "0" if raw[0] == "0" else raw
                            if len(value) >= PRECISION_DIGITS:
                                problems = problems or []
                                problems.append((key, column, NUMBER_PRECISION))
                        else:
                            value, lost = normalize_number(float(raw) if _looks_float(raw) else int(raw))
                            if lost:
                                problems = problems or []
                                problems.append((key, column, NUMBER_PRECISION))
                    else:
                        value = self._typed_value(cell_type, raw)
                    if value is None:
                        continue
                    values[key] = value
                    has_data = has_data or not formula
                if values or problems:
                    yield row_number, values, problems, has_data

    @staticmethod
    def _parse_attributes(rest: str) -> dict[str, str]:
        return {name: double or single for name, double, single in _ATTRIBUTE.findall(rest)}

    def _cell_info(self, rest: str, cache: dict[str, tuple[str, int]]) -> tuple[str, int]:
        attributes = self._parse_attributes(rest)
        cell_type = attributes.get("t", "n")
        style = int(attributes.get("s", "0") or 0)
        kinds = self.style_kinds
        info = (cell_type, kinds[style] if cell_type == "n" and style < len(kinds) else PLAIN)
        if "r" not in attributes:
            cache[rest] = info
        return info

    def _unlettered_cell(self, rest: str, column: int, cache: dict) -> tuple[int, tuple[str, int]]:
        """A cell whose ``r`` is missing or not the first attribute."""
        reference = self._parse_attributes(rest).get("r")
        match = _CELL_REF.match(reference) if reference else None
        column = column_index(match.group(1)) if match else column + 1
        return column, cache.get(rest) or self._cell_info(rest, cache)

    def _typed_value(self, cell_type: str, raw: str) -> object:
        if cell_type in ("str", "inlineStr", "e"):
            return normalize_text(raw if cell_type == "inlineStr" else unescape_xml_text(raw))
        if cell_type == "b":
            return raw.strip().lower() in ("1", "true")
        if cell_type == "d":
            return normalize_datetime(dt.datetime.fromisoformat(raw.strip().rstrip("Z")))
        raise ValueError(f"unknown cell type {cell_type!r}")

    def _date_value(self, raw: str, style_kind: int) -> object:
        serial = float(raw)
        try:
            if style_kind == TIMEDELTA:
                return dt.timedelta(days=serial)
            moment = serial_to_datetime(serial, date1904=self.date1904)
        except (OverflowError, ValueError):
            return normalize_number(serial)[0]
        value = normalize_datetime(moment) if isinstance(moment, dt.datetime) else moment
        if len(self._date_cache) < _DATE_CACHE_LIMIT:
            self._date_cache[raw] = value
        return value


def _looks_float(raw: str) -> bool:
    return "." in raw or "e" in raw or "E" in raw


def _split_ref(ref: str) -> tuple[int, int]:
    match = _CELL_REF.fullmatch(ref)
    if match is None:
        raise error_corrupt()
    return column_index(match.group(1)), int(match.group(2))
