"""Quorum per RULES.md §2.1, with its test cases (10 voting full members should attend)."""

from __future__ import annotations

import pytest

from dangqun.activities.quorum import decide, membership_quorate, ordinary_quorate


def test_five_present_ordinary_quorate_but_five_yes_fails_and_admission_not_quorate():
    assert ordinary_quorate(should_attend=10, present=5) is True
    assert decide(membership=False, should_attend=10, present=5, yes=5).passed is False  # 5 is not > 5
    admission = decide(membership=True, should_attend=10, present=5, yes=5)
    assert (admission.quorate, admission.passed) == (False, False)


def test_six_present_written_view_counts_for_admission():
    assert decide(membership=True, should_attend=10, present=6, yes=5, written_yes=1).passed is True
    assert decide(membership=True, should_attend=10, present=6, yes=5).passed is False


def test_nine_present_needs_six_yes():
    assert decide(membership=True, should_attend=10, present=9, yes=5).passed is False
    assert decide(membership=True, should_attend=10, present=9, yes=6).passed is True
    assert decide(membership=False, should_attend=10, present=9, yes=6).passed is True


def test_exclusive_reading_of_ordinary_quorum():
    assert ordinary_quorate(should_attend=10, present=5, inclusive=False) is False
    assert ordinary_quorate(should_attend=10, present=6, inclusive=False) is True
    assert ordinary_quorate(should_attend=9, present=5, inclusive=True) is True
    assert ordinary_quorate(should_attend=9, present=4, inclusive=True) is False


@pytest.mark.parametrize("should", [0, -1])
def test_nobody_to_attend_is_never_quorate(should):
    assert ordinary_quorate(should_attend=should, present=0) is False
    assert membership_quorate(should_attend=should, present=0) is False


def test_written_views_do_not_count_for_ordinary_business():
    assert decide(membership=False, should_attend=10, present=6, yes=5, written_yes=3).passed is False
