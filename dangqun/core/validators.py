"""Normalise and validate Chinese identifiers: ID numbers, phones, credit codes (RULES.md §9).

Every failure raises ``ValidationError`` with a clerk-readable Chinese message and a stable code.
"""

from __future__ import annotations

import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

__all__ = [
    "classify_phone",
    "credit_code_check_char",
    "id_birth_date",
    "id_checksum_char",
    "id_checksum_ok",
    "id_document_type",
    "id_gender",
    "normalize_credit_code",
    "normalize_id_number",
    "normalize_mobile",
    "org_code_check_char",
    "to_halfwidth",
]

# --- full-width → half-width -------------------------------------------------------------------

_HALFWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_HALFWIDTH[0x3000] = 0x20


def to_halfwidth(text: str) -> str:
    """Map full-width ASCII (U+FF01–U+FF5E) to ASCII and U+3000 to a plain space."""
    return text.translate(_HALFWIDTH)


def _compact(raw: str | None, drop: str) -> str:
    """Half-width ``raw`` with all whitespace and the characters in ``drop`` removed."""
    text = to_halfwidth(raw or "")
    text = "".join(text.split())
    for ch in drop:
        text = text.replace(ch, "")
    return text


def _shown(value: str, limit: int = 32) -> str:
    """The user's input, shortened for an error message."""
    return value if len(value) <= limit else value[:limit] + "…"


# --- resident ID (GB 11643-1999) ---------------------------------------------------------------

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"

_ID17_RE = re.compile(r"[0-9]{17}")
_ID18_RE = re.compile(r"[0-9]{17}[0-9X]")
_ID15_RE = re.compile(r"[0-9]{15}")
_ID_CHARS_RE = re.compile(r"[0-9X]*")


def _id_format_error(message) -> ValidationError:
    return ValidationError(message, code="id_format")


def id_checksum_char(first17: str) -> str:
    """The MOD 11-2 check character for the first 17 digits of an ID number."""
    if not _ID17_RE.fullmatch(first17 or ""):
        raise _id_format_error(_("身份证号前 17 位必须是数字"))
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def id_checksum_ok(id18: str) -> bool:
    """True when an 18-character ID number has the right check character (nothing else checked)."""
    if not isinstance(id18, str) or not _ID18_RE.fullmatch(id18.upper()):
        return False
    return id_checksum_char(id18[:17]) == id18[17].upper()


def _require_id18(id18: str) -> str:
    if not isinstance(id18, str) or not _ID18_RE.fullmatch(id18.upper()):
        raise _id_format_error(_("身份证号应为 18 位（或 15 位旧号）"))
    return id18.upper()


def id_birth_date(id18: str) -> date:
    """The birth date in positions 7–14; raises ``id_birth_date`` if it is not a real date."""
    id18 = _require_id18(id18)
    digits = id18[6:14]
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        shown = f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
        raise ValidationError(
            format_lazy(_("身份证号中的出生日期无效：{date}"), date=shown), code="id_birth_date"
        ) from None


def id_gender(id18: str) -> str:
    """``"M"`` when the 17th digit is odd, else ``"F"``."""
    id18 = _require_id18(id18)
    return "M" if int(id18[16]) % 2 else "F"


def id_document_type(id18: str) -> str:
    """``"hk_mo_tw_permit"`` (81/82/83), ``"foreign_permanent"`` (9…) or ``"resident"``."""
    id18 = _require_id18(id18)
    if id18[:2] in ("81", "82", "83"):
        return "hk_mo_tw_permit"
    if id18[0] == "9":
        return "foreign_permanent"
    return "resident"


def _today() -> date:
    return timezone.localdate() if settings.USE_TZ else date.today()


def normalize_id_number(raw: str, *, today: date | None = None, year_floor: int = 1900) -> str:
    """Clean, upgrade (15 → 18) and fully validate an ID number; returns the 18-character form.

    Checks, in order: format, checksum, real birth date, not in the future, year ≥ ``year_floor``.
    """
    value = _compact(raw, "").upper()
    if not value:
        raise _id_format_error(_("请填写身份证号"))
    if _ID15_RE.fullmatch(value):
        first17 = value[:6] + "19" + value[6:]
        value = first17 + id_checksum_char(first17)
    if not _ID18_RE.fullmatch(value):
        if not _ID_CHARS_RE.fullmatch(value):
            raise _id_format_error(_("身份证号只能包含数字，最后一位可以是 X"))
        if "X" in value[:-1]:
            raise _id_format_error(_("身份证号只有最后一位可以是 X"))
        if len(value) == 15:
            raise _id_format_error(_("15 位旧身份证号只能包含数字"))
        raise _id_format_error(
            format_lazy(_("身份证号应为 18 位（或 15 位旧号），当前为 {count} 位"), count=len(value))
        )
    if value[0] == "0":
        raise _id_format_error(_("身份证号首位不能为 0"))
    expected = id_checksum_char(value[:17])
    if value[17] != expected:
        raise ValidationError(
            format_lazy(_("身份证号校验位错误，应为 {expected}"), expected=expected), code="id_checksum"
        )
    born = id_birth_date(value)
    if born > (today or _today()):
        raise ValidationError(_("出生日期不能晚于今天"), code="id_future")
    if born.year < year_floor:
        raise ValidationError(format_lazy(_("出生年份早于 {year} 年"), year=year_floor), code="id_too_old")
    return value


# --- phones ------------------------------------------------------------------------------------

_MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")
_SERVICE_RE = re.compile(r"(?:400|800)[0-9]{7}")
_LANDLINE_RE = re.compile(r"0[0-9]{2,3}-?[0-9]{7,8}")
_DIGITS_RE = re.compile(r"[0-9]+")


def _strip_country_code(number: str) -> tuple[str, bool]:
    """Remove +86 / 0086 / 86 when a national number follows; flag whether one was removed.

    ``86`` alone is only taken as a prefix when exactly 11 digits follow (a mobile number);
    ``+86`` and ``0086`` are also accepted before a landline, with or without its trunk 0.
    """
    for prefix, lengths in (("+86", range(9, 13)), ("0086", range(9, 13)), ("86", (11,))):
        if number.startswith(prefix):
            rest = number[len(prefix) :]
            if len(rest) in lengths and _DIGITS_RE.fullmatch(rest):
                return rest, True
    return number, False


def normalize_mobile(raw: str) -> str:
    """An 11-digit mainland mobile number (``^1[3-9]\\d{9}$``) from user input."""
    value = _compact(raw, "-")
    if not value:
        raise ValidationError(_("请填写手机号"), code="mobile_invalid")
    number = _strip_country_code(value)[0]
    if not _MOBILE_RE.fullmatch(number):
        raise ValidationError(
            format_lazy(_("手机号格式不正确：{value}"), value=_shown(to_halfwidth(raw.strip()))),
            code="mobile_invalid",
        )
    return number


def _landline_area_length(digits: str) -> int:
    """010 and 02x are 3-digit area codes; every other mainland area code has 4 digits."""
    return 3 if digits[1] in "12" else 4


def classify_phone(raw: str) -> tuple[str, str]:
    """``("mobile" | "landline" | "service", normalized)``.

    Mobiles become 11 digits, 400/800 numbers 10 digits, landlines ``AREA-LOCAL`` (``0871-65123456``).
    """
    value = _compact(raw, "-")
    if not value:
        raise ValidationError(_("请填写电话号码"), code="phone_invalid")
    number, stripped = _strip_country_code(value)
    if _MOBILE_RE.fullmatch(number):
        return "mobile", number
    if _SERVICE_RE.fullmatch(number):
        return "service", number
    if stripped and not number.startswith("0"):
        number = "0" + number  # international form of a landline drops the trunk 0
    if _LANDLINE_RE.fullmatch(number):
        split = _landline_area_length(number)
        area, local = number[:split], number[split:]
        if 7 <= len(local) <= 8:
            return "landline", f"{area}-{local}"
    raise ValidationError(
        format_lazy(_("电话号码格式不正确：{value}"), value=_shown(to_halfwidth((raw or "").strip()))),
        code="phone_invalid",
    )


# --- unified social credit code (GB 32100-2015) ------------------------------------------------

CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_VALUES = {ch: i for i, ch in enumerate(CREDIT_CHARSET)}

ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_VALUES = {ch: i for i, ch in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}


def credit_code_check_char(first17: str) -> str:
    """The GB 32100 check character for 17 characters already in the credit-code charset."""
    total = sum(_CREDIT_VALUES[ch] * w for ch, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARSET[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    """The GB 11714 check character for an 8-character organisation code body."""
    total = sum(_ORG_VALUES[ch] * w for ch, w in zip(first8, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def normalize_credit_code(raw: str) -> tuple[str, list[str]]:
    """The upper-cased 18-character code and a list of warnings.

    Length, charset and the final check character are errors; an organisation-code check
    mismatch (positions 9–17) is only a warning because legacy registrations carry them.
    """
    value = _compact(raw, "").upper()
    if len(value) != 18:
        raise ValidationError(
            format_lazy(_("统一社会信用代码应为 18 位，当前为 {count} 位"), count=len(value)),
            code="credit_code_format",
        )
    bad = [ch for ch in value if ch not in _CREDIT_VALUES]
    if bad:
        raise ValidationError(
            format_lazy(
                _("统一社会信用代码含有非法字符：{chars}（不使用 I、O、S、V、Z）"),
                chars="、".join(dict.fromkeys(bad)),
            ),
            code="credit_code_charset",
        )
    expected = credit_code_check_char(value[:17])
    if value[17] != expected:
        raise ValidationError(
            format_lazy(_("统一社会信用代码校验位错误，应为 {expected}"), expected=expected),
            code="credit_code_checksum",
        )
    warnings: list[str] = []
    org_expected = org_code_check_char(value[8:16])
    if value[16] != org_expected:
        warnings.append(
            gettext("组织机构代码（第 9–17 位）校验位不符，应为 {expected}").format(expected=org_expected)
        )
    return value, warnings
