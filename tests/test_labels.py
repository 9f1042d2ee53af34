"""Figures and periods typed the way economists type them are read into the table's forms."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.data.periods import month_label
from indicators.errors import FigureError, PeriodError
from indicators.intake.labels import (
    Figure,
    format_figure,
    number_text,
    parse_chinese_period,
    parse_date_text,
    parse_figure,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("4691.85", Figure("4691.85", 4691.85)),
        ("4,691.85", Figure("4691.85", 4691.85)),
        ("约56.7", Figure("56.7", 56.7, "about")),
        ("56.7左右", Figure("56.7", 56.7, "about")),
        ("超过99%", Figure("99", 99.0, "more_than", "%")),
        ("4.8%", Figure("4.8", 4.8, None, "%")),
        ("近2000", Figure("2000", 2000.0, "nearly")),
        ("接近2000", Figure("2000", 2000.0, "nearly")),
        ("不少于30", Figure("30", 30.0, "at_least")),
        ("不到100", Figure("100", 100.0, "less_than")),
        ("不超过5", Figure("5", 5.0, "at_most")),
        ("不足100家", Figure("100", 100.0, "less_than", "家")),
        ("20余家", Figure("20", 20.0, "more_than", "家")),
        ("5000亿元以上", Figure("5000", 5000.0, "more_than", "亿元")),
        ("６.０", Figure("6.0", 6.0)),  # full-width digits; the decimal written stays
        ("４，６９１．８５ 亿元", Figure("4691.85", 4691.85, None, "亿元")),
        (" -2.3 % ", Figure("-2.3", -2.3, None, "%")),
        ("−2.3%", Figure("-2.3", -2.3, None, "%")),  # the typographic minus
    ],
)
def test_figures_as_typed(typed, expected):
    assert parse_figure(typed) == expected


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("", "empty"),
        ("约", "no number"),
        ("四千", "no number"),
        ("4,69.1", "thousands separators"),
        ("约56.7以上", "two different qualifiers"),
        ("3-5%", "more than one number"),
    ],
)
def test_figures_that_cannot_be_read_say_why_and_how_to_fix_them(typed, words):
    with pytest.raises(FigureError) as err:
        parse_figure(typed)
    assert words in str(err.value)
    assert err.value.fix


@pytest.mark.parametrize(
    ("typed", "year", "label"),
    [
        ("2023年", None, "2023"),
        ("2023年全年", None, "2023"),
        ("2023年前三季度", None, "2023Q1-Q3"),
        ("2024年一季度", None, "2024Q1"),
        ("2024年第二季度", None, "2024Q2"),
        ("2023年上半年", None, "2023H1"),
        ("2023年下半年", None, "2023H2"),
        ("2023年1-10月", None, "2023M01-M10"),
        ("2023年1—10月", None, "2023M01-M10"),
        ("2023年1至10月", None, "2023M01-M10"),
        ("2023年前10个月", None, "2023M01-M10"),
        ("2023年1-3月", None, "2023Q1"),  # the canonical form of the same months
        ("2023年10月", None, "2023M10"),
        ("2023年十二月", None, "2023M12"),
        ("1-10月", 2023, "2023M01-M10"),
        ("一季度", "2024", "2024Q1"),
        ("2023年底", None, "2023-12-31"),
        ("截至2023年末", None, "2023-12-31"),
        ("2023年12月31日", None, "2023-12-31"),
        ("2013-2023年", None, "2013-2023"),
        ("２０２３年 前三季度", None, "2023Q1-Q3"),  # full-width digits and a full-width space
        ("2023q1-q3", None, "2023Q1-Q3"),
        ("2023M01-M10", None, "2023M01-M10"),  # canonical labels pass through
        ("2023", None, "2023"),
    ],
)
def test_chinese_period_labels(typed, year, label):
    assert parse_chinese_period(typed, year=year) == label


def test_a_label_without_a_year_needs_the_year_column():
    with pytest.raises(PeriodError) as err:
        parse_chinese_period("1-10月")
    assert "no year" in str(err.value) and "`year` column" in str(err.value)


def test_a_label_and_a_year_column_that_disagree_are_refused():
    with pytest.raises(PeriodError, match="says 2023 but the year column says 2024"):
        parse_chinese_period("2023年1-10月", year=2024)


@pytest.mark.parametrize("typed", ["2023年第五季度", "2023年10-3月", "下个月", "2023年13月"])
def test_impossible_periods_are_refused(typed):
    with pytest.raises(PeriodError):
        parse_chinese_period(typed)


@pytest.mark.parametrize(
    ("typed", "partial", "iso"),
    [
        (dt.datetime(2024, 5, 11), False, "2024-05-11"),
        ("2024年5月11日", False, "2024-05-11"),
        ("2024/5/11", False, "2024-05-11"),
        ("2024年5月", True, "2024-05"),
        (2024, True, "2024"),
    ],
)
def test_dates_as_typed(typed, partial, iso):
    assert parse_date_text(typed, partial=partial) == iso


def test_number_cells_keep_the_decimals_their_format_shows():
    assert number_text(6.0, 1) == "6.0"
    assert number_text(4691.85) == "4691.85"
    assert number_text(3500.0) == "3500"
    assert number_text(2023) == "2023"


# -- laws ---------------------------------------------------------------------------------------

decimal_text = st.builds(
    lambda whole, frac, negative: ("-" if negative and whole else "") + str(whole) + (f".{frac}" if frac else ""),
    st.integers(0, 10**9),
    st.one_of(st.just(""), st.from_regex(r"\A[0-9]{1,4}\Z")),
    st.booleans(),
)


@given(
    decimal_text,
    st.sampled_from([None, "about", "more_than", "nearly", "at_least"]),
    st.sampled_from([None, "%", "亿元", "家", "万人"]),
    st.booleans(),
    st.booleans(),
)
def test_a_figure_formatted_as_economists_type_it_reads_back_as_itself(text, qualifier, unit, thousands, fullwidth):
    typed = format_figure(text, qualifier, unit, thousands=thousands, fullwidth=fullwidth)
    assert parse_figure(typed) == Figure(text, float(text), qualifier, unit)


CN = "一二三四"


@given(st.integers(1950, 2099), st.integers(1, 12), st.integers(1, 12), st.booleans())
def test_month_spans_written_in_chinese_read_back_as_their_canonical_label(year, a, b, fullwidth):
    first, last = min(a, b), max(a, b)
    typed = f"{year}年{first}月" if first == last else f"{year}年{first}-{last}月"
    if fullwidth:
        typed = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in typed)
    assert parse_chinese_period(typed) == month_label(year, first, last)


@given(st.integers(1950, 2099), st.integers(1, 4))
def test_quarters_written_in_chinese_read_back_as_their_canonical_label(year, quarter):
    assert parse_chinese_period(f"{year}年{CN[quarter - 1]}季度") == f"{year}Q{quarter}"
    assert parse_chinese_period(f"{CN[quarter - 1]}季度", year=year) == f"{year}Q{quarter}"
