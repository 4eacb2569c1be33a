"""Masks of RULES.md §10.3: the documented patterns, empty input, and values too short to mask."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangqun.core.masking import mask_id_number, mask_id_number_staff, mask_landline, mask_mobile, mask_name

ALL_MASKS = [mask_id_number, mask_id_number_staff, mask_mobile, mask_landline, mask_name]


@pytest.mark.parametrize("mask", ALL_MASKS)
@pytest.mark.parametrize("empty", [None, "", "   "])
def test_empty_values_give_empty_string(mask, empty):
    assert mask(empty) == ""


def test_id_number_public_pattern():
    assert mask_id_number("11010519491231002X") == "110***********002X"


def test_id_number_staff_pattern_hides_the_birth_date():
    assert mask_id_number_staff("11010519491231002X") == "110105********002X"


@pytest.mark.parametrize("mask", [mask_id_number, mask_id_number_staff])
def test_id_number_masks_keep_length_and_hide_the_birth_date(mask):
    masked = mask("11010519491231002X")
    assert len(masked) == 18
    assert "19491231" not in masked
    assert "1949" not in masked


def test_old_15_digit_id_number():
    assert mask_id_number("110105491231002") == "110********1002"
    assert mask_id_number_staff("110105491231002") == "110********1002"


@pytest.mark.parametrize("value", ["1", "1234567", "12345678901234"])
def test_short_id_numbers_are_fully_starred(value):
    assert mask_id_number(value) == "*" * len(value)
    assert mask_id_number_staff(value) == "*" * len(value)


def test_mobile_pattern():
    assert mask_mobile("13800138000") == "138****8000"


@pytest.mark.parametrize("value", ["1", "138", "1380013", "1380013800"])
def test_short_mobiles_are_fully_starred(value):
    assert mask_mobile(value) == "*" * len(value)


def test_mobile_accepts_non_string_values():
    assert mask_mobile(13800138000) == "138****8000"


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("0871-65123456", "0871-****3456"),
        ("010-12345678", "010-****5678"),
        ("0755-1234567", "0755-***4567"),
        ("087165123456", "0871****3456"),
        ("01012345678", "010****5678"),
        ("4001234567", "******4567"),
    ],
)
def test_landline_patterns(value, masked):
    assert mask_landline(value) == masked


@pytest.mark.parametrize("value", ["0871-123456", "0871-123", "0871-", "010-", "12345", "1234567"])
def test_short_landlines_are_fully_starred(value):
    assert mask_landline(value) == "*" * len(value)


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("张三", "张*"),
        ("张三明", "张*明"),
        ("欧阳晓明", "欧**明"),
        ("阿依古丽·买买提", "阿******提"),
        (" 张三 ", "张*"),
        ("张", "*"),
    ],
)
def test_name_patterns(value, masked):
    assert mask_name(value) == masked


@pytest.mark.parametrize("mask", ALL_MASKS)
@given(value=st.text(min_size=1, max_size=30).filter(lambda s: s.strip() and s == s.strip()))
def test_masks_keep_length_and_always_hide_something(mask, value):
    masked = mask(value)
    assert len(masked) == len(value)
    assert "*" in masked
    assert all(m in ("*", v) for m, v in zip(masked, value, strict=True))


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_mobile_mask_shows_only_prefix_and_tail(number):
    masked = mask_mobile(number)
    assert masked[:3] == number[:3]
    assert masked[-4:] == number[-4:]
    assert masked[3:7] == "****"
