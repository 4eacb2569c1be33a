"""Validators: every vector of RULES.md §9.1–§9.3 plus property tests for the ID checksum."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from dangqun.core.validators import (
    CREDIT_CHARSET,
    CREDIT_WEIGHTS,
    ID_CHECK_CHARS,
    ID_WEIGHTS,
    classify_phone,
    credit_code_check_char,
    id_birth_date,
    id_checksum_char,
    id_checksum_ok,
    id_document_type,
    id_gender,
    normalize_credit_code,
    normalize_id_number,
    normalize_mobile,
    org_code_check_char,
    to_halfwidth,
)

TODAY = date(2026, 6, 1)


def error_of(func: Callable, *args, **kwargs) -> tuple[str, str]:
    """``(code, message)`` of the ValidationError ``func`` raises."""
    with pytest.raises(ValidationError) as info:
        func(*args, **kwargs)
    return info.value.code, str(info.value.message)


def with_check(first17: str) -> str:
    return first17 + id_checksum_char(first17)


# --- to_halfwidth -------------------------------------------------------------------------------


def test_to_halfwidth_maps_fullwidth_ascii_and_ideographic_space():
    assert to_halfwidth("１３８　ＡＢＣ－ｘ！～") == "138 ABC-x!~"


def test_to_halfwidth_covers_the_whole_block():
    fullwidth = "".join(chr(c) for c in range(0xFF01, 0xFF5F))
    assert to_halfwidth(fullwidth) == "".join(chr(c) for c in range(0x21, 0x7F))


def test_to_halfwidth_leaves_other_text_alone():
    assert to_halfwidth("张三 abc 123、。《》\u00b7") == "张三 abc 123、。《》\u00b7"


# --- ID numbers: constants and checksum ---------------------------------------------------------


def test_id_weights_are_powers_of_two_mod_11():
    assert list(ID_WEIGHTS) == [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    assert list(ID_WEIGHTS) == [2 ** (18 - i) % 11 for i in range(1, 18)]


def test_id_check_char_table_maps_remainders():
    expected = {0: "1", 1: "0", 2: "X", 3: "9", 4: "8", 5: "7", 6: "6", 7: "5", 8: "4", 9: "3", 10: "2"}
    assert {r: ID_CHECK_CHARS[r] for r in range(11)} == expected


def test_id_checksum_char_of_the_standard_example():
    assert id_checksum_char("11010519491231002") == "X"


@pytest.mark.parametrize("bad", ["", "1101051949123100", "110105194912310021", "1101051949123100X", "abc"])
def test_id_checksum_char_rejects_anything_but_17_digits(bad):
    assert error_of(id_checksum_char, bad)[0] == "id_format"


def test_id_checksum_char_rejects_non_ascii_digits():
    assert error_of(id_checksum_char, "1101051949123100٢")[0] == "id_format"


# --- ID numbers: RULES.md §9.1 vectors ----------------------------------------------------------


@pytest.mark.parametrize("raw", ["11010519491231002X", "11010519491231002x"])
def test_vector_standard_example_is_valid_and_female(raw):
    assert normalize_id_number(raw, today=TODAY) == "11010519491231002X"
    assert id_checksum_ok(raw)
    assert id_gender(raw) == "F"
    assert id_birth_date(raw) == date(1949, 12, 31)
    assert id_document_type(raw) == "resident"


def test_vector_1880_passes_checksum_and_is_male_but_fails_the_floor():
    assert id_checksum_ok("440524188001010014")
    assert id_gender("440524188001010014") == "M"
    assert id_birth_date("440524188001010014") == date(1880, 1, 1)
    assert error_of(normalize_id_number, "440524188001010014", today=TODAY) == (
        "id_too_old",
        "出生年份早于 1900 年",
    )


def test_year_floor_is_configurable():
    assert normalize_id_number("440524188001010014", today=TODAY, year_floor=1850) == "440524188001010014"
    code, message = error_of(normalize_id_number, "11010519491231002X", today=TODAY, year_floor=1950)
    assert (code, message) == ("id_too_old", "出生年份早于 1950 年")


def test_vector_bad_check_names_the_expected_char():
    assert not id_checksum_ok("110105194912310021")
    assert error_of(normalize_id_number, "110105194912310021", today=TODAY) == (
        "id_checksum",
        "身份证号校验位错误，应为 X",
    )


def test_vector_leap_day_2000_is_valid():
    assert normalize_id_number("110105200002291235", today=TODAY) == "110105200002291235"
    assert id_birth_date("110105200002291235") == date(2000, 2, 29)
    assert id_gender("110105200002291235") == "M"


def test_vector_1900_02_29_passes_checksum_but_is_not_a_date():
    assert id_checksum_ok("110105190002291239")
    assert error_of(normalize_id_number, "110105190002291239", today=TODAY) == (
        "id_birth_date",
        "身份证号中的出生日期无效：1900-02-29",
    )
    assert error_of(id_birth_date, "110105190002291239")[0] == "id_birth_date"


def test_vector_often_quoted_1234_fails_the_checksum_first():
    assert not id_checksum_ok("110105190002291234")
    assert error_of(normalize_id_number, "110105190002291234", today=TODAY) == (
        "id_checksum",
        "身份证号校验位错误，应为 9",
    )


def test_vector_foreign_permanent_resident_checksum():
    assert id_checksum_ok("931156198501010016")
    assert id_document_type("931156198501010016") == "foreign_permanent"
    assert normalize_id_number("931156198501010016", today=TODAY) == "931156198501010016"


def test_vector_15_digit_upgrade():
    assert normalize_id_number("110105491231002", today=TODAY) == "11010519491231002X"


# --- ID numbers: normalisation and the remaining checks -----------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        " 11010519491231002x ",
        "110105 19491231 002X",
        "１１０１０５１９４９１２３１００２ｘ",
        "110105\u300019491231002X",
        "\t11010519491231002X\n",
    ],
)
def test_id_input_is_cleaned(raw):
    assert normalize_id_number(raw, today=TODAY) == "11010519491231002X"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "请填写身份证号"),
        ("   ", "请填写身份证号"),
        (None, "请填写身份证号"),
        ("1101051949123100", "身份证号应为 18 位（或 15 位旧号），当前为 16 位"),
        ("1101051949123100211", "身份证号应为 18 位（或 15 位旧号），当前为 19 位"),
        ("11010519491231002Y", "身份证号只能包含数字，最后一位可以是 X"),
        ("1101051949123X002X", "身份证号只有最后一位可以是 X"),
        ("11010519491231002XX", "身份证号只有最后一位可以是 X"),
        ("1101051949123100X", "身份证号应为 18 位（或 15 位旧号），当前为 17 位"),
        ("110105-19491231002X", "身份证号只能包含数字，最后一位可以是 X"),
        ("abc", "身份证号只能包含数字，最后一位可以是 X"),
        ("11010549123100X", "15 位旧身份证号只能包含数字"),
    ],
)
def test_id_format_errors(raw, message):
    assert error_of(normalize_id_number, raw, today=TODAY) == ("id_format", message)


def test_id_starting_with_zero_is_rejected():
    code, message = error_of(normalize_id_number, with_check("01010519491231002"), today=TODAY)
    assert (code, message) == ("id_format", "身份证号首位不能为 0")


def test_id_born_today_is_accepted_and_tomorrow_is_future():
    born_today = with_check("11010520260601123")
    assert normalize_id_number(born_today, today=TODAY) == born_today
    tomorrow = with_check("11010520260602123")
    assert error_of(normalize_id_number, tomorrow, today=TODAY) == ("id_future", "出生日期不能晚于今天")


def test_id_future_uses_the_local_date_by_default():
    assert error_of(normalize_id_number, with_check("11010529990101123"))[0] == "id_future"


@pytest.mark.parametrize("birth", ["19491301", "19490100", "19490231", "20230229", "00000101"])
def test_id_impossible_birth_dates(birth):
    code, message = error_of(normalize_id_number, with_check(f"110105{birth}123"), today=TODAY)
    assert code == "id_birth_date"
    assert message == f"身份证号中的出生日期无效：{birth[:4]}-{birth[4:6]}-{birth[6:]}"


def test_id_checks_run_in_order_format_checksum_date_future_floor():
    # Bad checksum and bad date: the checksum is reported.
    assert error_of(normalize_id_number, "110105190002291230", today=TODAY)[0] == "id_checksum"
    # Bad date and before the floor: the date is reported.
    assert error_of(normalize_id_number, with_check("11010518990229123"), today=TODAY)[0] == "id_birth_date"


def test_id_error_messages_are_lazy_and_complete():
    with pytest.raises(ValidationError) as info:
        normalize_id_number("110105194912310021", today=TODAY)
    assert info.value.messages == ["身份证号校验位错误，应为 X"]


@pytest.mark.parametrize(
    ("prefix", "kind"),
    [
        ("81", "hk_mo_tw_permit"),
        ("82", "hk_mo_tw_permit"),
        ("83", "hk_mo_tw_permit"),
        ("84", "resident"),
        ("11", "resident"),
        ("53", "resident"),
        ("91", "foreign_permanent"),
        ("93", "foreign_permanent"),
    ],
)
def test_id_document_type(prefix, kind):
    number = with_check(prefix + "000019900101123")
    assert id_document_type(number) == kind
    assert normalize_id_number(number, today=TODAY) == number


@pytest.mark.parametrize("digit", "0123456789")
def test_id_gender_follows_the_17th_digit(digit):
    number = with_check("1101051990010112" + digit)
    assert id_gender(number) == ("M" if int(digit) % 2 else "F")


@pytest.mark.parametrize("func", [id_birth_date, id_gender, id_document_type])
@pytest.mark.parametrize("bad", ["", "110105491231002", "11010519491231002Y", "abc"])
def test_id_helpers_reject_malformed_input(func, bad):
    assert error_of(func, bad)[0] == "id_format"


@pytest.mark.parametrize(
    "bad", ["", "110105491231002", "11010519491231002Y", "1101051949123100２X", None, 123]
)
def test_id_checksum_ok_is_false_for_malformed_input(bad):
    assert id_checksum_ok(bad) is False


# --- ID numbers: properties ---------------------------------------------------------------------

seventeen_digits = st.text(alphabet="0123456789", min_size=17, max_size=17)


@given(seventeen_digits)
def test_any_17_digits_with_computed_check_pass(first17):
    assert id_checksum_ok(first17 + id_checksum_char(first17))
    assert id_checksum_ok((first17 + id_checksum_char(first17)).lower())


@given(seventeen_digits, st.integers(min_value=0, max_value=17), st.integers(min_value=1, max_value=10))
def test_any_single_character_change_fails_the_checksum(first17, position, shift):
    valid = first17 + id_checksum_char(first17)
    alphabet = "0123456789X" if position == 17 else "0123456789"
    old = alphabet.index(valid[position])
    new = alphabet[(old + shift) % len(alphabet)]
    if new == valid[position]:  # shift of 10 on the digit alphabet wraps to itself
        new = alphabet[(old + 1) % len(alphabet)]
    changed = valid[:position] + new + valid[position + 1 :]
    assert changed != valid
    assert not id_checksum_ok(changed)


@given(
    st.sampled_from(["11", "31", "44", "53", "65", "81", "82", "83", "93"]),
    st.text(alphabet="0123456789", min_size=4, max_size=4),
    st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    st.text(alphabet="0123456789", min_size=3, max_size=3),
)
def test_any_well_formed_id_round_trips(region, county, born, sequence):
    number = with_check(f"{region}{county}{born:%Y%m%d}{sequence}")
    assert normalize_id_number(number.lower(), today=TODAY) == number
    assert id_birth_date(number) == born


# --- phones: RULES.md §9.3 vectors --------------------------------------------------------------


@pytest.mark.parametrize("raw", ["13800138000", "+8613800138000", "0086 138-0013-8000", "8613800138000"])
def test_vector_mobiles_normalise(raw):
    assert normalize_mobile(raw) == "13800138000"
    assert classify_phone(raw) == ("mobile", "13800138000")


def test_vector_192_mobile_is_valid():
    assert normalize_mobile("19212345678") == "19212345678"


@pytest.mark.parametrize("raw", ["12345678901", "1380013800"])
def test_vector_invalid_mobiles(raw):
    assert error_of(normalize_mobile, raw) == ("mobile_invalid", f"手机号格式不正确：{raw}")
    assert error_of(classify_phone, raw) == ("phone_invalid", f"电话号码格式不正确：{raw}")


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [("010-12345678", "010-12345678"), ("0755-1234567", "0755-1234567"), ("0871-65123456", "0871-65123456")],
)
def test_vector_landlines(raw, normalized):
    assert classify_phone(raw) == ("landline", normalized)
    assert error_of(normalize_mobile, raw)[0] == "mobile_invalid"


def test_vector_service_number():
    assert classify_phone("4001234567") == ("service", "4001234567")


# --- phones: further cases ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "138 0013 8000",
        "138-0013-8000",
        "１３８００１３８０００",
        "＋８６　１３８００１３８０００",
        "+86 138 0013 8000",
        "0086-13800138000",
        " 13800138000 ",
    ],
)
def test_mobile_separators_and_fullwidth(raw):
    assert normalize_mobile(raw) == "13800138000"


@pytest.mark.parametrize("prefix", "3456789")
def test_mobile_second_digit_3_to_9(prefix):
    assert normalize_mobile(f"1{prefix}012345678") == f"1{prefix}012345678"


@pytest.mark.parametrize(
    "raw",
    [
        "10012345678",
        "11012345678",
        "12012345678",
        "138001380001",
        "1440123456789",  # 13-digit IoT number
        "86138001380",  # "86" is only a prefix when 11 digits follow
        "+86 1380013800",
        "1380013800a",
        "138.0013.8000",
        "(+86)13800138000",
    ],
)
def test_mobile_rejects(raw):
    assert error_of(normalize_mobile, raw)[0] == "mobile_invalid"


def test_mobile_empty_input():
    assert error_of(normalize_mobile, "") == ("mobile_invalid", "请填写手机号")
    assert error_of(normalize_mobile, "  ") == ("mobile_invalid", "请填写手机号")
    assert error_of(normalize_mobile, None) == ("mobile_invalid", "请填写手机号")


def test_mobile_error_shortens_long_input():
    code, message = error_of(normalize_mobile, "1" * 100)
    assert code == "mobile_invalid"
    assert message == "手机号格式不正确：" + "1" * 32 + "…"


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("01012345678", "010-12345678"),
        ("010 1234 5678", "010-12345678"),
        ("021-87654321", "021-87654321"),
        ("087165123456", "0871-65123456"),
        ("０８７１－６５１２３４５６", "0871-65123456"),
        ("+86 871 65123456", "0871-65123456"),
        ("0086 10 12345678", "010-12345678"),
        ("+86-755-1234567", "0755-1234567"),
        ("+86 0871 65123456", "0871-65123456"),
        ("0086-010-12345678", "010-12345678"),
    ],
)
def test_landline_forms(raw, normalized):
    assert classify_phone(raw) == ("landline", normalized)


@pytest.mark.parametrize(
    ("raw", "normalized"), [("400-123-4567", "4001234567"), ("800 123 4567", "8001234567")]
)
def test_service_forms(raw, normalized):
    assert classify_phone(raw) == ("service", normalized)


@pytest.mark.parametrize(
    "raw",
    [
        "0871-123456",
        "0871-123456789",
        "871-65123456",
        "010-1234567890",
        "4001234",
        "5001234567",
        "abc",
        "110",
    ],
)
def test_classify_phone_rejects(raw):
    assert error_of(classify_phone, raw)[0] == "phone_invalid"


def test_classify_phone_empty_input():
    assert error_of(classify_phone, "") == ("phone_invalid", "请填写电话号码")


# --- unified social credit code: RULES.md §9.2 vectors ------------------------------------------


def test_credit_weights_are_powers_of_three_mod_31():
    assert list(CREDIT_WEIGHTS) == [3 ** (i - 1) % 31 for i in range(1, 18)]
    assert len(CREDIT_CHARSET) == 31
    assert not set("IOSVZ") & set(CREDIT_CHARSET)


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L", "9135052155323005XL"])
def test_vector_valid_credit_codes(code):
    assert normalize_credit_code(code) == (code, [])


def test_vector_standard_example_org_code_is_valid():
    assert org_code_check_char("M000100Y") == "4"


def test_vector_org_check_x():
    assert org_code_check_char("55323005") == "X"


def test_vector_sum_divisible_by_31_folds_to_zero():
    assert credit_code_check_char("91350100000000166") == "0"
    assert normalize_credit_code("913501000000001660") == ("913501000000001660", [])


def test_vector_bad_credit_check_names_the_expected_char():
    assert error_of(normalize_credit_code, "91350100M000100Y44") == (
        "credit_code_checksum",
        "统一社会信用代码校验位错误，应为 3",
    )


def test_vector_letter_o_is_rejected():
    assert error_of(normalize_credit_code, "91350100M000100O43") == (
        "credit_code_charset",
        "统一社会信用代码含有非法字符：O（不使用 I、O、S、V、Z）",
    )


@pytest.mark.parametrize("letter", "IOSVZ")
def test_excluded_letters_are_rejected(letter):
    code, message = error_of(normalize_credit_code, f"91350100M000100{letter}43")
    assert code == "credit_code_charset"
    assert f"：{letter}（" in message


# --- unified social credit code: further cases --------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "91350100m000100y43",
        " 91350100M000100Y43 ",
        "9135 0100 M000 100Y 43",
        "９１３５０１００Ｍ０００１００Ｙ４３",
    ],
)
def test_credit_code_is_cleaned_and_upper_cased(raw):
    assert normalize_credit_code(raw) == ("91350100M000100Y43", [])


@pytest.mark.parametrize("raw", ["", "91350100M000100Y4", "91350100M000100Y433", None])
def test_credit_code_length(raw):
    code, message = error_of(normalize_credit_code, raw)
    assert code == "credit_code_format"
    assert message.startswith("统一社会信用代码应为 18 位")


def test_credit_code_charset_lists_each_bad_char_once():
    assert error_of(normalize_credit_code, "91350100M0-0100O4O")[1] == (
        "统一社会信用代码含有非法字符：-、O（不使用 I、O、S、V、Z）"
    )


def test_org_code_mismatch_is_only_a_warning():
    code, warnings = normalize_credit_code("91350100M000100Y30")
    assert code == "91350100M000100Y30"
    assert warnings == ["组织机构代码（第 9–17 位）校验位不符，应为 4"]


def test_org_code_check_folds_11_to_zero_and_10_to_x():
    assert org_code_check_char("60003734") == "1"
    bodies = {org_code_check_char(f"{n:08d}") for n in range(0, 2000)}
    assert {"0", "X"} <= bodies


@given(st.text(alphabet=CREDIT_CHARSET, min_size=17, max_size=17))
def test_any_credit_body_with_computed_check_passes(body):
    code = body + credit_code_check_char(body)
    assert normalize_credit_code(code)[0] == code


@given(
    st.text(alphabet=CREDIT_CHARSET, min_size=17, max_size=17),
    st.integers(min_value=0, max_value=17),
    st.integers(min_value=1, max_value=30),
)
def test_any_single_credit_character_change_fails(body, position, shift):
    valid = body + credit_code_check_char(body)
    new = CREDIT_CHARSET[(CREDIT_CHARSET.index(valid[position]) + shift) % 31]
    changed = valid[:position] + new + valid[position + 1 :]
    assert error_of(normalize_credit_code, changed)[0] == "credit_code_checksum"
