"""The English catalog: complete, placeholders intact, compiled, used by pages and services, current.

When a test here fails after you added or changed a source string, run
`scripts/update-translations.sh`, translate the new or fuzzy entries in
dangqun/locale/en/LC_MESSAGES/django.po, run the script again and commit the .po and the .mo.
"""

from __future__ import annotations

import gettext as gnu_gettext
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from dangqun.core.errors import DomainError

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
PO_PATH = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
# The same folders scripts/update-translations.sh leaves out; "locale" keeps makemessages from
# writing into the real catalog (it sends a file's strings to the nearest enclosing locale/ folder).
IGNORE_PATTERNS = [".venv", "node_modules", "var", "bench", "locale"]
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
PRINTF = re.compile(r"%(?:\((\w+)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?([diouxXeEfFgGcrsa%])")
BRACE = re.compile(r"(?<!\{)\{(\w*)(?:[!:][^{}]*)?\}(?!\})")
FIX = (
    "Run scripts/update-translations.sh, translate what it reports, run it again and commit the .po and .mo."
)


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)


def _unquote(token: str) -> str:
    body = token.strip()[1:-1]
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), body)


def parse_po(path: Path) -> tuple[Entry, list[Entry]]:
    """(header, entries) of a .po file; obsolete (#~) entries are left out."""
    entries: list[Entry] = []
    current = Entry()
    target: tuple[str, int] | None = None
    started = False

    def finish():
        nonlocal current, started
        if started:
            entries.append(current)
        current, started = Entry(), False

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            target = None
        elif line.startswith("#~"):
            continue
        elif line.startswith("#,"):
            if started:
                finish()
            current.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid_plural "):
            current.msgid_plural = _unquote(line[len("msgid_plural ") :])
            target = ("msgid_plural", 0)
        elif line.startswith("msgid "):
            if started:
                finish()
            started = True
            current.msgid = _unquote(line[len("msgid ") :])
            target = ("msgid", 0)
        elif line.startswith("msgstr"):
            match = re.match(r"msgstr(?:\[(\d+)\])?\s+(\".*\")$", line)
            assert match, f"cannot parse {path}: {raw!r}"
            index = int(match.group(1) or 0)
            current.msgstr[index] = _unquote(match.group(2))
            target = ("msgstr", index)
        elif line.startswith('"') and target is not None:
            kind, index = target
            if kind == "msgstr":
                current.msgstr[index] += _unquote(line)
            elif kind == "msgid_plural":
                current.msgid_plural = (current.msgid_plural or "") + _unquote(line)
            else:
                current.msgid += _unquote(line)
        else:
            raise AssertionError(f"cannot parse {path}: {raw!r}")
    finish()
    header = next((e for e in entries if e.msgid == ""), Entry())
    return header, [e for e in entries if e.msgid != ""]


def _label(entry: Entry) -> str:
    return repr(entry.msgid)


def _problems(entries: list[Entry]) -> list[str]:
    problems = []
    for entry in entries:
        expected = 2 if entry.msgid_plural is not None else 1
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {_label(entry)}")
        if len(entry.msgstr) != expected or any(not entry.msgstr.get(i) for i in range(expected)):
            problems.append(f"untranslated: {_label(entry)}")
    return problems


def _printf(text: str) -> tuple[set[str], list[str]]:
    named, positional = set(), []
    for name, conversion in PRINTF.findall(text):
        if conversion == "%":
            continue
        if name:
            named.add(f"%({name}){conversion}")
        else:
            positional.append(f"%{conversion}")
    return named, positional


def _braces(text: str) -> set[str]:
    return {"{" + name + "}" for name in BRACE.findall(text)}


@pytest.fixture(scope="module")
def catalog() -> tuple[Entry, list[Entry]]:
    assert PO_PATH.exists(), f"{PO_PATH} is missing. {FIX}"
    return parse_po(PO_PATH)


# (a) complete and compiled


def test_catalog_header(catalog):
    header, entries = catalog
    text = header.msgstr.get(0, "")
    assert "fuzzy" not in header.flags
    assert "Language: en\\n" in text.replace("\n", "\\n")
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in text
    assert "charset=UTF-8" in text
    assert len(entries) > 300


def test_every_entry_is_translated_and_none_is_fuzzy(catalog):
    _header, entries = catalog
    problems = _problems(entries)
    assert not problems, f"{len(problems)} problem(s) in {PO_PATH}:\n" + "\n".join(problems) + f"\n{FIX}"


def test_compiled_catalog_matches_the_po(catalog):
    """The committed django.mo was compiled from the committed django.po (the app reads the .mo)."""
    _header, entries = catalog
    assert MO_PATH.exists(), f"{MO_PATH} is missing. {FIX}"
    with MO_PATH.open("rb") as fh:
        mo = gnu_gettext.GNUTranslations(fh)
    stale = []
    for entry in entries:
        if entry.msgid_plural is None:
            if mo.gettext(entry.msgid) != entry.msgstr[0]:
                stale.append(_label(entry))
        else:
            for n, index in ((1, 0), (2, 1)):
                if mo.ngettext(entry.msgid, entry.msgid_plural, n) != entry.msgstr[index]:
                    stale.append(_label(entry))
    assert not stale, f"django.mo is older than django.po for {len(stale)} entries, e.g. {stale[:5]}. {FIX}"


# (b) placeholders


def test_placeholders_survive_translation(catalog):
    _header, entries = catalog
    problems = []
    for entry in entries:
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        for text in entry.msgstr.values():
            if "python-format" in entry.flags:
                want_named = set().union(*(_printf(s)[0] for s in sources))
                got_named, got_positional = _printf(text)
                if got_named != want_named or got_positional != _printf(entry.msgid)[1]:
                    problems.append(f"{_label(entry)} -> {text!r}")
            if "python-brace-format" in entry.flags and _braces(text) != set().union(
                *(_braces(s) for s in sources)
            ):
                problems.append(f"{_label(entry)} -> {text!r}")
            # Whatever the flags say, a named placeholder of the source must not get lost.
            for name in re.findall(r"%\(\w+\)", entry.msgid):
                if name not in text:
                    problems.append(f"{_label(entry)} lost {name}")
    assert not problems, "placeholders differ:\n" + "\n".join(problems)


def test_placeholder_checks_catch_mistakes():
    assert _printf("已登记 %(n)s，%(m)d 人，100%%") == ({"%(n)s", "%(m)d"}, [])
    assert _printf("%s and %d") == (set(), ["%s", "%d"])
    assert _braces("第 {row} 行 {column} 列 {{literal}}") == {"{row}", "{column}"}
    broken = [Entry(msgid="%(n)d 处错误", msgstr={0: "%(n)s errors"}, flags={"python-format"})]
    broken.append(Entry(msgid="x", msgstr={0: ""}))
    broken.append(Entry(msgid="y", msgstr={0: "y"}, flags={"fuzzy"}))
    assert _problems(broken) == ["untranslated: 'x'", "fuzzy: 'y'"]
    assert _printf(broken[0].msgstr[0])[0] != _printf(broken[0].msgid)[0]


# (c) pages


def _visible_cjk(html: str) -> list[str]:
    """Chinese text left on an English page, except each language's own name in the switcher."""
    html = re.sub(r"<option[^>]*>[^<]*</option>", "", html)
    return sorted(set(re.findall(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]+", html)))


@pytest.mark.django_db
def test_login_page_in_english(client):
    # The language switch sets this cookie; the browser's Accept-Language is deliberately ignored
    # (dangqun.core.middleware.ChosenLanguageMiddleware).
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        response = client.get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "Log in" in html
    assert "登录" not in html
    assert _visible_cjk(html) == []
    assert ">简体中文</option>" in html  # Chinese readers can still find their way back


@pytest.mark.django_db
def test_login_page_stays_chinese_by_default(client):
    html = client.get("/accounts/login/").content.decode()
    assert "登录" in html
    assert "Log in" not in html


# (d) service messages


@pytest.mark.django_db
def test_domain_error_from_a_service_is_english():
    from dangqun.orgs.services import create_organization

    with translation.override("en"), pytest.raises(DomainError) as english:
        create_organization(actor=None, parent=None, name="x", kind="branch")
    with translation.override("zh-hans"), pytest.raises(DomainError) as chinese:
        create_organization(actor=None, parent=None, name="x", kind="branch")
    assert english.value.code == chinese.value.code == "kind_not_allowed"
    assert "top level" in english.value.message
    # The kind's name is data (quoted); the sentence around it must be English.
    assert not CJK.search(re.sub(r"“[^”]*”", "", english.value.message)), english.value.message
    assert CJK.search(re.sub(r"“[^”]*”", "", chinese.value.message))


def test_lazy_labels_follow_the_active_language():
    from dangqun.people.enums import Category

    with translation.override("en"):
        assert str(Category.MASSES.label) == "Non-member"
    with translation.override("zh-hans"):
        assert str(Category.MASSES.label) == "群众"


# (e) the catalog is current


def test_catalog_is_up_to_date_with_the_source(tmp_path, monkeypatch, catalog):
    missing = [tool for tool in ("xgettext", "msguniq", "msgmerge", "msgattrib") if not shutil.which(tool)]
    if missing:
        pytest.skip(f"GNU gettext is not installed (no {', '.join(missing)}): apt-get install -y gettext")
    copy = tmp_path / "en" / "LC_MESSAGES" / "django.po"
    copy.parent.mkdir(parents=True)
    shutil.copyfile(PO_PATH, copy)
    monkeypatch.chdir(settings.BASE_DIR)
    with override_settings(LOCALE_PATHS=[str(tmp_path)]):
        call_command(
            "makemessages", locale=["en"], no_location=True, ignore_patterns=IGNORE_PATTERNS, verbosity=0
        )
    _header, regenerated = parse_po(copy)
    problems = _problems(regenerated)
    assert not problems, (
        f"the source has strings that {PO_PATH} does not translate:\n" + "\n".join(problems) + f"\n{FIX}"
    )
    _header, committed = catalog
    stale = sorted({e.msgid for e in committed} - {e.msgid for e in regenerated})
    assert not stale, f"{PO_PATH} keeps strings no longer in the source: {stale[:10]}. {FIX}"
