"""The one formatter of figures (indicators.reporting.numbers): published precision, qualifiers and
units in the report's language, exact unit changes, marks for derived and flagged figures."""

from __future__ import annotations

import pytest

from indicators.reporting.numbers import Numbers, period_text

FACTORS = {
    "亿元": 1e8,
    "billion yuan": 1e9,
    "trillion yuan": 1e12,
    "万亿元": 1e12,
    "万人": 1e4,
    "亿美元": 1e8,
    "%": 1.0,
    "项": 1.0,
}


@pytest.fixture
def zh() -> Numbers:
    return Numbers("zh", FACTORS)


@pytest.fixture
def en() -> Numbers:
    return Numbers("en", FACTORS)


def test_chinese_reports_write_english_units_in_chinese_exactly(zh):
    # the defects: "289.20 billion yuan" and "1.20015 trillion yuan" in Chinese reports
    assert zh.figure(289.2, "billion yuan", text="289.20").text == "2892.0亿元"
    assert zh.figure(1.20015, "trillion yuan", text="1.20015").text == "1.20015万亿元"
    assert zh.figure(1.20015, "trillion yuan", text="1.20015", to_unit="亿元").text == "12001.5亿元"


def test_english_reports_write_chinese_units_in_english_exactly(en):
    # the defects: "5,994 100 million yuan" and "(10 thousand persons)"
    assert en.figure(5994, "亿元").text == "599.4 billion yuan"
    assert en.figure(5003.38, "亿元").text == "500.338 billion yuan"
    assert en.figure(199.35, "万人").text == "1,993.5 thousand persons"
    assert en.figure(17.4, "亿美元").text == "1.74 billion US dollars"


def test_chinese_figures_are_written_as_the_statistics_write_them(zh, en):
    assert zh.figure(15760.34, "亿元").text == "15760.34亿元"
    assert en.figure(15760.34, "亿元").text == "1,576.034 billion yuan"


def test_the_qualifier_is_never_dropped(zh, en):
    # the defect: "2023年为2,000亿元" where the source says 近2000
    assert zh.figure(2000, "亿元", qualifier="nearly").text == "近2000亿元"
    assert en.figure(2000, "亿元", qualifier="nearly").text == "nearly 200 billion yuan"
    assert zh.figure(99, "%", qualifier="more_than").text == "超过99%"
    assert en.figure(57, "亿元", qualifier="less_than").text == "less than 5.7 billion yuan"


def test_published_precision_is_kept_and_rounding_is_half_up(zh):
    assert zh.figure(1.95, "%").text == "1.95%"
    assert zh.figure(1.95, "%", decimals=1).text == "2.0%"  # not 1.9%
    assert zh.figure(31.45, "%", decimals=1).text == "31.5%"  # not 31.4%
    assert zh.figure(6.0, "%", text="6.0").text == "6.0%"  # the written zero stays
    assert zh.percent(14.95) == "15.0%"


def test_derived_expected_and_flagged_figures_are_marked(zh, en):
    assert zh.figure(13, "项", status="derived").text == "13项（推算）"
    assert en.figure(5500, "亿元", qualifier="more_than", status="estimate").text == (
        "more than 550 billion yuan (expected)"
    )
    assert zh.figure(32, "%", reading="period_inferred").text == "32%（口径存疑）"
    assert zh.figure(32, "%", reading="as_printed").text == "32%"
    assert en.figure(13, "项", status="derived").html == '13 <span class="ind-mark">derived</span>'


def test_changes_of_rates_are_in_percentage_points(zh, en):
    assert zh.points(0.66) == "+0.7个百分点"
    assert en.points(-1.25) == "-1.3 pp"  # half away from zero


def test_no_figure_is_a_dash(zh):
    assert zh.figure_text(None, "亿元") == "–"
    assert zh.percent(float("nan")) == "–"


def test_markup_in_a_figure_is_escaped_in_html(zh):
    shown = zh.figure(1, "<b>x</b>")
    assert "<b>" not in shown.html and "&lt;b&gt;" in shown.html


@pytest.mark.parametrize(
    ("label", "zh", "en"),
    [
        ("2023", "2023年", "2023"),
        ("2024Q1", "2024年一季度", "Q1 2024"),
        ("2023H1", "2023年上半年", "H1 2023"),
        ("2023Q1-Q3", "2023年前三季度", "Q1-Q3 2023"),
        ("2023M01-M10", "2023年1-10月", "Jan-Oct 2023"),
        ("2023M10", "2023年10月", "Oct 2023"),
        ("2013-2023", "2013-2023年", "2013-2023"),
        ("2023-12-31", "2023年末", "end-2023"),
        ("2023-11-17", "2023年11月17日", "17 Nov 2023"),
        ("2023-01-21/2023-01-27", "2023年1月21日至27日", "21-27 Jan 2023"),
        # the defect: "2022-01-01/2023-02-02" shown as is
        ("2022-01-01/2023-02-02", "2022年1月1日至2023年2月2日", "1 Jan 2022 - 2 Feb 2023"),
    ],
)
def test_periods_are_written_as_the_statistics_write_them(label, zh, en):
    assert period_text(label, "zh") == zh
    assert period_text(label, "en") == en
