"""Cleaning a person's fields: one place for the web form, the API and the roster import.

Every problem names the field and says what is wrong in the user's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, override
from django.utils.translation import gettext as _

from dangqun.core.dates import add_months
from dangqun.core.validators import (
    id_birth_date,
    id_gender,
    normalize_id_number,
    normalize_mobile,
    to_halfwidth,
)
from dangqun.people.enums import CadreLevel, Category, Gender, MemberStatus

FIELD_LABELS: dict[str, Any] = {
    "name": gettext_lazy("姓名"),
    "id_number": gettext_lazy("身份证号"),
    "gender": gettext_lazy("性别"),
    "birth_date": gettext_lazy("出生日期"),
    "mobile": gettext_lazy("手机号"),
    "ethnicity": gettext_lazy("民族"),
    "employer": gettext_lazy("工作单位"),
    "residence": gettext_lazy("居住地址"),
    "organization": gettext_lazy("所属组织"),
    "category": gettext_lazy("人员类别"),
    "status": gettext_lazy("党员状态"),
    "joined_on": gettext_lazy("入党日期"),
    "probation_ends_on": gettext_lazy("预备期满日期"),
    "confirmed_on": gettext_lazy("转正日期"),
    "cadre_level": gettext_lazy("干部级别"),
    "post": gettext_lazy("党内职务"),
    "is_floating": gettext_lazy("流动党员"),
}

# In display order (forms list them this way too).
PERSON_FIELDS = ("name", "id_number", "gender", "birth_date", "mobile", "ethnicity", "employer", "residence")
MEMBER_FIELDS = (
    "status",
    "joined_on",
    "probation_ends_on",
    "confirmed_on",
    "cadre_level",
    "post",
    "is_floating",
)

_NAME_RE = re.compile(r"^[\u3400-\u9fffA-Za-z·•．. ]{2,50}$")
_DATE_RES = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
_TRUE = {"是", "y", "yes", "true", "1", "√", "✓"}
_FALSE = {"否", "n", "no", "false", "0", ""}


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str
    code: str = "invalid"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip() if value.isascii() else to_halfwidth(value).strip()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return to_halfwidth(str(value)).strip()


def parse_date(value: Any) -> date | None:
    """A date from a cell or a form: date objects, 2001-07-01, 2001/7/1, 2001年7月1日, 20010701."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    for pattern in _DATE_RES:
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                break
    raise ValueError(text)


_choice_tables: dict[tuple[str, str], dict[str, str]] = {}


def _choice(value: Any, choices, aliases: dict[str, str], language: str) -> str | None:
    """The choice value for a cell: its code, its Chinese label, its label in the active language
    or an alias. Tables are built once per language (a roster runs this on every row)."""
    text = _text(value)
    key = (choices.__name__, language)
    table = _choice_tables.get(key)
    if table is None:
        table = {}
        for val, label in choices.choices:
            table[val] = val
            table[str(label)] = val
            with override("zh-hans"):
                table[str(label)] = val
        _choice_tables[key] = table
    found = table.get(text)
    return found if found is not None else aliases.get(text)


def clean_person_input(
    raw: dict[str, Any], *, today: date | None = None
) -> tuple[dict[str, Any], list[FieldError]]:
    """Return (cleaned, errors). `raw` holds strings, dates or None keyed by field name.

    cleaned["category"] tells member or masses; member fields are present only for members.
    """
    today = today or timezone.localdate()
    language = get_language() or ""
    errors: list[FieldError] = []
    cleaned: dict[str, Any] = {}

    name = _text(raw.get("name")).replace(" ", "")
    if not name:
        errors.append(FieldError("name", _("姓名不能为空"), "required"))
    elif not _NAME_RE.match(name):
        errors.append(FieldError("name", _("姓名只能包含汉字、字母和间隔号，长度 2–50"), "name_invalid"))
    cleaned["name"] = name

    id_raw = _text(raw.get("id_number"))
    id_number = None
    if not id_raw:
        errors.append(FieldError("id_number", _("身份证号不能为空"), "required"))
    else:
        try:
            id_number = normalize_id_number(id_raw, today=today)
        except ValidationError as exc:
            errors.append(
                FieldError("id_number", " ".join(str(m) for m in exc.messages), exc.code or "invalid")
            )
    cleaned["id_number"] = id_number

    gender = _choice(raw.get("gender"), Gender, {"男性": "M", "女性": "F", "m": "M", "f": "F"}, language)
    if _text(raw.get("gender")) and gender is None:
        errors.append(FieldError("gender", _("性别只能填“男”或“女”"), "gender_invalid"))
    if id_number:
        derived = id_gender(id_number)
        if gender and gender != derived:
            errors.append(
                FieldError(
                    "gender",
                    _("性别与身份证号不符（身份证号显示为%(g)s）") % {"g": Gender(derived).label},
                    "gender_mismatch",
                )
            )
        gender = derived
    cleaned["gender"] = gender or ""

    try:
        birth_date = parse_date(raw.get("birth_date"))
    except ValueError:
        errors.append(FieldError("birth_date", _("出生日期格式不正确，应为 1990-01-31"), "date_invalid"))
        birth_date = None
    if id_number:
        derived_birth = id_birth_date(id_number)
        if birth_date and birth_date != derived_birth:
            errors.append(
                FieldError(
                    "birth_date",
                    _("出生日期与身份证号不符（身份证号显示为 %(d)s）") % {"d": derived_birth.isoformat()},
                    "birth_mismatch",
                )
            )
        birth_date = derived_birth
    cleaned["birth_date"] = birth_date

    mobile_raw = _text(raw.get("mobile"))
    cleaned["mobile"] = ""
    if mobile_raw:
        try:
            cleaned["mobile"] = normalize_mobile(mobile_raw)
        except ValidationError as exc:
            errors.append(FieldError("mobile", " ".join(str(m) for m in exc.messages), "mobile_invalid"))

    for field, limit in (("ethnicity", 20), ("employer", 100), ("residence", 200)):
        text = _text(raw.get(field))
        if len(text) > limit:
            errors.append(FieldError(field, _("不能超过 %(n)d 个字") % {"n": limit}, "too_long"))
        cleaned[field] = text[:limit]

    category_raw = _text(raw.get("category"))
    category = _choice(
        category_raw, Category, {"中共党员": "member", "预备党员": "member", "正式党员": "member"}, language
    )
    if category is None:
        if category_raw:
            errors.append(FieldError("category", _("人员类别只能填“党员”或“群众”"), "category_invalid"))
        has_member_data = any(_text(raw.get(f)) for f in ("status", "joined_on"))
        category = Category.MEMBER if has_member_data else Category.MASSES
    cleaned["category"] = category
    if category == Category.MEMBER:
        _clean_member(raw, cleaned, errors, today, language)
    return cleaned, errors


def _clean_member(raw, cleaned, errors, today, language) -> None:
    status_raw = _text(raw.get("status"))
    status = _choice(status_raw, MemberStatus, {"正式": "formal", "预备": "probationary"}, language)
    if status is None:
        if status_raw:
            errors.append(FieldError("status", _("党员状态只能填“正式党员”或“预备党员”"), "status_invalid"))
        else:
            errors.append(FieldError("status", _("党员须填写党员状态（正式党员/预备党员）"), "required"))
    cleaned["status"] = status

    dates = {}
    for field in ("joined_on", "probation_ends_on", "confirmed_on"):
        try:
            dates[field] = parse_date(raw.get(field))
        except ValueError:
            errors.append(FieldError(field, _("日期格式不正确，应为 2001-07-01"), "date_invalid"))
            dates[field] = None
        if field != "probation_ends_on" and dates[field] and dates[field] > today:
            errors.append(FieldError(field, _("日期不能晚于今天"), "date_future"))
    joined = dates["joined_on"]
    if joined is None and not any(e.field == "joined_on" for e in errors):
        errors.append(FieldError("joined_on", _("党员须填写入党日期"), "required"))
    birth = cleaned.get("birth_date")
    if joined and birth and add_months(birth, 18 * 12) > joined:
        errors.append(FieldError("joined_on", _("入党时未满 18 周岁"), "too_young"))
    if status == MemberStatus.PROBATIONARY and joined:
        probation_end = dates["probation_ends_on"] or add_months(joined, 12)
        if probation_end <= joined:
            errors.append(FieldError("probation_ends_on", _("预备期满日期须晚于入党日期"), "date_order"))
        dates["probation_ends_on"] = probation_end
        dates["confirmed_on"] = None
    elif status == MemberStatus.FORMAL:
        dates["probation_ends_on"] = None
        if dates["confirmed_on"] and joined and dates["confirmed_on"] < joined:
            errors.append(FieldError("confirmed_on", _("转正日期不能早于入党日期"), "date_order"))
    cleaned.update(dates)

    level_raw = _text(raw.get("cadre_level"))
    level = _choice(
        level_raw, CadreLevel, {"无": "", "否": "", "县处级": "county", "乡科级": "township"}, language
    )
    if level is None:
        errors.append(
            FieldError("cadre_level", _("干部级别只能填“县处级及以上”“乡科级及以下”或留空"), "cadre_invalid")
        )
        level = ""
    cleaned["cadre_level"] = level

    floating_raw = _text(raw.get("is_floating")).lower()
    if isinstance(raw.get("is_floating"), bool):
        cleaned["is_floating"] = raw["is_floating"]
    elif floating_raw in _TRUE:
        cleaned["is_floating"] = True
    elif floating_raw in _FALSE:
        cleaned["is_floating"] = False
    else:
        errors.append(FieldError("is_floating", _("流动党员只能填“是”或“否”"), "bool_invalid"))
        cleaned["is_floating"] = False
    post = _text(raw.get("post"))
    if len(post) > 50:
        errors.append(FieldError("post", _("不能超过 %(n)d 个字") % {"n": 50}, "too_long"))
    cleaned["post"] = post[:50]
