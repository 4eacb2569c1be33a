"""Pinyin search keys: surname readings, compound surnames, mixed scripts. No timing tests here;
see bench/bench_pinyin.py."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangqun.core.pinyin import (
    COMPOUND_SURNAMES,
    SURNAME_READINGS,
    char_readings,
    name_pinyin_keys,
    query_is_ascii_letters,
)


def test_plain_name():
    assert name_pinyin_keys("朱晓荣") == (["zhuxiaorong"], ["zxr"])


def test_surname_without_alternatives_takes_only_its_first_reading():
    # 朱 also reads shú in pypinyin's table; only table surnames expand.
    assert name_pinyin_keys("朱晓荣")[0] == ["zhuxiaorong"]


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("曾小明", ["zengxiaoming", "cengxiaoming"], ["zxm", "cxm"]),
        ("单田芳", ["shantianfang", "dantianfang"], ["stf", "dtf"]),
        ("解晓东", ["xiexiaodong", "jiexiaodong"], ["xxd", "jxd"]),
        ("仇英", ["qiuying", "chouying"], ["qy", "cy"]),
        ("区伟", ["ouwei", "quwei"], ["ow", "qw"]),
        ("查良镛", ["zhaliangyong", "chaliangyong"], ["zly", "cly"]),
        ("朴树", ["piaoshu", "pushu"], ["ps"]),
        ("盖伟", ["gewei", "gaiwei"], ["gw"]),
        ("乐嘉", ["yuejia", "lejia"], ["yj", "lj"]),
    ],
)
def test_heteronym_surnames_give_every_reading_surname_reading_first(name, full, initials):
    assert name_pinyin_keys(name) == (full, initials)


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("欧阳娜娜", ["ouyangnana"], ["oynn"]),
        ("司马光", ["simaguang"], ["smg"]),
        ("上官婉儿", ["shangguanwaner"], ["sgwe"]),
        ("诸葛亮", ["zhugeliang"], ["zgl"]),
        ("东方朔", ["dongfangshuo"], ["dfs"]),
        ("皇甫谧", ["huangfumi"], ["hfm"]),
        ("尉迟恭", ["yuchigong", "weichigong"], ["ycg", "wcg"]),
        ("公孙胜", ["gongsunsheng"], ["gss"]),
        ("慕容复", ["murongfu"], ["mrf"]),
        ("令狐冲", ["linghuchong"], ["lhc"]),
        ("长孙无忌", ["zhangsunwuji", "changsunwuji"], ["zswj", "cswj"]),
        ("宇文化及", ["yuwenhuaji"], ["ywhj"]),
        ("司徒雷登", ["situleideng"], ["stld"]),
        ("夏侯惇", ["xiahoudun"], ["xhd"]),
        ("端木蕻良", ["duanmuhongliang"], ["dmhl"]),
        ("万俟卨", ["moqixie", "wansixie"], ["mqx", "wsx"]),
    ],
)
def test_compound_surnames(name, full, initials):
    assert name_pinyin_keys(name) == (full, initials)


def test_compound_surname_alone_is_read_as_two_characters():
    # Two characters only: surname 尉 plus given name 迟, not the compound 尉迟.
    assert name_pinyin_keys("尉迟") == (["weichi", "yuchi"], ["wc", "yc"])


def test_given_name_uses_the_first_reading_only():
    # 乐 and 曾 expand as surnames, but in a given name they take pypinyin's first reading.
    assert name_pinyin_keys("王乐曾") == (["wangleceng"], ["wlc"])


def test_minority_name_with_middle_dot():
    assert name_pinyin_keys("阿依古丽·买买提") == (["ayigulimaimaiti"], ["ayglmmt"])


@pytest.mark.parametrize("dot", ["·", "•", "・", "．", "."])
def test_dot_variants_are_dropped(dot):
    assert name_pinyin_keys(f"阿依古丽{dot}买买提") == (["ayigulimaimaiti"], ["ayglmmt"])


def test_dotted_name_does_not_expand_a_table_surname():
    assert name_pinyin_keys("乐·买买提") == (["lemaimaiti"], ["lmmt"])


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("张 三", ["zhangsan"], ["zs"]),
        ("  张三\u3000", ["zhangsan"], ["zs"]),
        ("李Mary", ["limary"], ["lm"]),
        ("John Smith", ["johnsmith"], ["js"]),
        ("王２号", ["wang2hao"], ["w2h"]),
        ("ＡＢ李", ["abli"], ["al"]),
        ("Müller", ["muller"], ["m"]),
        ("吕女", ["lvnv"], ["ln"]),
        ("张-三", ["zhangsan"], ["zs"]),
        ("曾", ["zeng", "ceng"], ["z", "c"]),
    ],
)
def test_mixed_scripts_and_separators(name, full, initials):
    assert name_pinyin_keys(name) == (full, initials)


@pytest.mark.parametrize("name", ["", "   ", "·", "-", None])
def test_empty_or_symbol_only_names(name):
    assert name_pinyin_keys(name) == ([], [])


def test_results_are_fresh_lists():
    first = name_pinyin_keys("曾小明")
    first[0].append("mutated")
    assert name_pinyin_keys("曾小明")[0] == ["zengxiaoming", "cengxiaoming"]


def test_char_readings_strip_tones_and_map_u_umlaut():
    assert char_readings("朱") == ("zhu", "shu")
    assert char_readings("绿") == ("lv", "lu")
    assert char_readings("a") == ()


def test_surname_tables_are_plain_ascii_and_surname_reading_is_a_real_reading():
    for surname, readings in SURNAME_READINGS.items():
        assert len(surname) == 1
        assert all(re.fullmatch(r"[a-z]+", r) for r in readings), surname
        assert set(readings) <= set(char_readings(surname)), surname
        assert len(set(readings)) == len(readings), surname
    for surname, readings in COMPOUND_SURNAMES.items():
        assert len(surname) == 2
        for reading in readings:
            syllables = reading.split()
            assert len(syllables) == 2, surname
            for ch, syllable in zip(surname, syllables, strict=True):
                assert syllable in char_readings(ch), (surname, syllable)


hanzi = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
name_chars = st.one_of(hanzi, st.sampled_from("abcXYZ019 ·-＿ＡＢ１"))


@given(st.text(alphabet=name_chars, max_size=8))
def test_keys_are_lower_ascii_deduplicated_and_paired(name):
    full, initials = name_pinyin_keys(name)
    for key in full + initials:
        assert re.fullmatch(r"[a-z0-9]+", key)
    assert len(set(full)) == len(full)
    assert len(set(initials)) == len(initials)
    assert len(initials) <= len(full)
    assert bool(full) == bool(initials)


@given(st.text(alphabet=hanzi.filter(lambda c: bool(char_readings(c))), min_size=1, max_size=4))
def test_initials_are_first_letters_of_the_syllables(name):
    full, initials = name_pinyin_keys(name)
    assert len(initials[0]) == len(name)
    assert initials[0][0] == full[0][0]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("zxr", True),
        ("ZhuXiaoRong", True),
        (" zhu xiaorong ", True),
        ("", False),
        ("   ", False),
        (None, False),
        ("朱", False),
        ("zhu1", False),
        ("138", False),
        ("zhū", False),
        ("zhu-xr", False),
        ("ｚｘｒ", False),
    ],
)
def test_query_is_ascii_letters(query, expected):
    assert query_is_ascii_letters(query) is expected


def test_characters_without_pinyin_are_dropped():
    assert char_readings("\u5159") == ()
    assert name_pinyin_keys("王\u5159明") == (["wangming"], ["wm"])
