"""Reports that say one true thing: every figure, verdict and sentence the same everywhere it is
shown, at the precision and with the qualifier it was published with, in one language.

Each report records what it shows (``Report.shown_frame()``: section, key, role, the figure's
number, unit, qualifier and marks, or a verdict); the consistency test builds every section as
the report's notebook does and holds the report to showing each figure one way. The other tests
are named for the defects readers found in the shipped reports.
"""

from __future__ import annotations

import re

import pytest

from indicators.reporting import AuditReport, OverviewReport, PeerReport, TargetGapReport, TrendReport


def _trend(rep: TrendReport) -> str:
    parts = [rep.header(), rep.headline(), rep.chart(), rep.commentary()]
    parts += [rep.growth_table(), rep.share_table(), rep.values_table(), rep.source_notes()]
    return "".join(p._repr_html_() for p in parts)


def _gap(rep: TargetGapReport) -> str:
    parts = [rep.header(), rep.headline(), rep.summary(), rep.gap_chart(), rep.targets_table()]
    parts += [rep.details(), rep.missing(), rep.source_notes()]
    return "".join(p._repr_html_() for p in parts)


def _overview(rep: OverviewReport) -> str:
    parts = [rep.header(), rep.latest_table(), rep.coverage(), rep.parent_table(), rep.source_notes()]
    return "".join(p._repr_html_() for p in parts)


def _peers(rep: PeerReport) -> str:
    return "".join(p._repr_html_() for p in (rep.header(), rep.body(), rep.source_notes()))


def _audit(rep: AuditReport) -> str:
    parts = [rep.header(), *rep.reliability(), rep.conflicts(), rep.deflators(), rep.mismatches()]
    parts += [rep.derived(), rep.qualifiers(), rep.readings(), rep.source_notes()]
    return "".join(p._repr_html_() for p in parts)


REPORTS = {
    "trend_gdp": (lambda d, lang: TrendReport(indicator="gdp", region="wcna", language=lang, data_dir=d), _trend),
    "trend_urbanization": (
        lambda d, lang: TrendReport(indicator="urbanization_rate", region="wcna", language=lang, data_dir=d),
        _trend,
    ),
    "trend_marine": (lambda d, lang: TrendReport(indicator="marine_gdp", language=lang, data_dir=d), _trend),
    "gap_mobilisation": (
        lambda d, lang: TargetGapReport(plan="wcna_mobilisation_2023", language=lang, data_dir=d),
        _gap,
    ),
    "gap_green": (
        lambda d, lang: TargetGapReport(
            plan="wcna_green_action_2023_2025", as_of="2025-06-30", language=lang, data_dir=d
        ),
        _gap,
    ),
    "overview": (lambda d, lang: OverviewReport(region="wcna", language=lang, data_dir=d), _overview),
    "peers": (lambda d, lang: PeerReport(indicators="gdp", language=lang, data_dir=d), _peers),
    "peers_growth": (
        lambda d, lang: PeerReport(indicators="gdp", measure="yoy_growth", language=lang, data_dir=d),
        _peers,
    ),
    "audit": (lambda d, lang: AuditReport(language=lang, data_dir=d), _audit),
}


@pytest.fixture(scope="module")
def built(shipped_data):
    """Every report kind in both languages, built section by section as its notebook does."""
    out = {}
    for name, (make, render) in REPORTS.items():
        for lang in ("zh", "en"):
            rep = make(shipped_data, lang)
            out[(name, lang)] = (rep, render(rep))
    return out


@pytest.mark.parametrize("name", sorted(REPORTS))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_figure_is_shown_one_way_in_charts_tables_and_sentences(built, name, lang):
    rep, _ = built[(name, lang)]
    shown = rep.shown_frame()
    assert len(shown), "the report records what it shows"
    figures = shown[shown["number"] != ""]
    for key, rows in figures.groupby("key"):
        forms = rows[["number", "unit", "qualifier", "marks"]].drop_duplicates()
        assert len(forms) == 1, f"{key} is shown {len(forms)} ways:\n{rows.to_string()}"
    verdicts = shown[shown["verdict"] != ""]
    for key, rows in verdicts.groupby("key"):
        assert rows["verdict"].nunique() == 1 and rows["text"].nunique() == 1, f"{key}:\n{rows.to_string()}"


@pytest.mark.parametrize("name", sorted(REPORTS))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_figure_recorded_is_on_the_page(built, name, lang):
    rep, page = built[(name, lang)]
    text = re.sub(r"<[^>]+>", "", page).replace("&#39;", "'").replace("&amp;", "&")
    figures = rep.shown_frame()
    for number in set(figures.loc[figures["role"].isin(["table", "sentence"]), "number"]) - {""}:
        assert number in text, f"{number} recorded but not shown"


def test_one_target_has_one_verdict_in_the_chart_the_table_the_paragraph_and_the_key_points(built):
    rep, page = built[("gap_mobilisation", "zh")]
    marine = rep.result["t2023_marine_gdp_growth"]
    assert marine.verdict == "target_missed"  # 12% required, 6.9% published
    rows = rep.shown_frame()
    mine = rows[rows["key"] == "t2023_marine_gdp_growth:verdict"]
    assert set(mine["role"]) >= {"table", "sentence"} and set(mine["verdict"]) == {"target_missed"}
    assert "有限进展" not in page and "数据不足" not in page.split("尚无数据的目标")[0]


def test_a_target_below_its_baseline_is_said_to_be(built):
    rep, page = built[("gap_green", "zh")]
    urbanisation = rep.result["t2025_urbanization_rate"]
    assert urbanisation.met_before_start and urbanisation.verdict == "target_achieved"
    assert "目标低于基期水平" in page


def test_a_rate_is_a_line_with_changes_in_percentage_points(built):
    rep, _ = built[("trend_urbanization", "zh")]
    assert rep.rate
    growth = rep.growth_table()._repr_html_()
    assert "较上年变化" in growth and "个百分点" in growth and "同比增长" not in growth


def test_no_projection_from_two_points_and_no_interval_from_four(shipped_data):
    retail = TrendReport(indicator="retail_sales", region="wcna", data_dir=shipped_data)
    assert retail.fit.projection.empty and "不作预测" in retail.commentary().html
    budget = TrendReport(indicator="budget_revenue", region="wcna", data_dir=shipped_data)
    assert budget.fit.status == "cagr_only" and budget.fit.projection["pi_lower"].isna().all()
    assert "预测区间" not in budget.commentary().html


def test_the_published_average_growth_is_shown_not_the_reports_own(built):
    rep, page = built[("trend_marine", "zh")]
    published, computed = rep.average_growth()
    if published is not None:
        assert computed is None and published["value_text"] in page


def test_derived_figures_are_shown_at_the_precision_and_with_the_qualifier_their_inputs_allow(built):
    _, page = built[("audit", "zh")]
    for wrong in ("7506.03", "4950.49", "约57.27", "12.99"):
        assert wrong not in page
    assert "近5000亿元" in page  # Qingdao's 2023 marine GDP: 近2000 ÷ 40.4%


def test_the_qualifier_of_a_published_figure_is_never_dropped(built):
    _, page = built[("trend_marine", "zh")]
    assert "近2000亿元" in page and "为2000亿元" not in page


def test_an_official_expectation_stands_beside_the_projection(built):
    _, zh = built[("trend_gdp", "zh")]
    assert "官方预计2025年超过5500亿元" in zh
    _, en = built[("trend_gdp", "en")]
    assert "official expectation for 2025: more than 550 billion yuan" in en


def test_peers_compare_one_reference_year_with_the_same_figure_in_chart_and_table(built):
    rep, page = built[("peers", "en")]
    comparison = rep.comparisons["gdp"]
    years = [e.year for e in comparison.shown]
    assert years.count(comparison.reference) >= len(years) / 2
    rows = rep.shown_frame()
    for _, group in rows[rows["section"] == "peers.gdp"].groupby("key"):
        assert set(group["role"]) == {"chart", "table"}
    without = comparison.without
    assert without and all(e.reason for e in without)  # every area left out says why
    assert all(rep.region_name(e.region_id) in page.split("Areas without a comparable figure")[1] for e in without)
    assert "billion yuan" in page and "亿元" not in re.sub(r"<blockquote>.*?</blockquote>", "", page)


def test_chinese_reports_write_units_in_chinese_and_english_ones_in_english(built):
    for name in REPORTS:
        _, zh = built[(name, "zh")]
        _, en = built[(name, "en")]
        tables_zh = "".join(re.findall(r"<table class=\"ind-table\".*?</table>", zh, flags=re.S))
        tables_zh = re.sub(r"<td class=\"ind-(quote|curator)\">.*?</td>", "", tables_zh)  # the data's own words
        assert "billion yuan" not in tables_zh and "trillion yuan" not in tables_zh, name
        assert not re.search(r"\d (100 million yuan|10 thousand persons)", en), name


def test_the_overview_calls_latest_the_latest_full_year_and_flags_old_figures(built):
    rep, page = built[("overview", "zh")]
    gdp = next(r for r in rep.rows if r["indicator_id"] == "gdp")
    assert gdp["latest"]["period"] == "2023"  # a full year, not 2024Q1
    assert "较旧" in page  # e.g. a 2018 budget revenue beside 2023 figures
    assert not re.search(r"\d{4}-\d{2}-\d{2}/\d{4}", page)  # spans of days as the statistics write them
    first_rows = re.findall(r"<tr><td>([^<]+)</td>", rep.latest_table()._repr_html_())[:2]
    assert first_rows[0] == "地区生产总值"


def test_a_chinese_report_is_chinese_and_an_english_one_english(built):
    for name in REPORTS:
        _, zh = built[(name, "zh")]
        assert "[title not recorded]" not in zh and "제목" not in zh and "[标题未记录]" not in zh, name
        headers = re.findall(r"<th scope='col'>([^<]*)</th>", zh)
        assert all(not h or re.search(r"[\u4e00-\u9fff]", h) or h.isdigit() for h in headers), (name, headers)
        _, en = built[(name, "en")]
        # quotes, the source list and curators' notes are the data's own words; everything else is ours
        text = re.sub(
            r"<blockquote>.*?</blockquote>|<li value=.*?</li>|<td class=\"ind-(curator|quote)\">.*?</td>",
            "",
            en,
            flags=re.S,
        )
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", re.sub(r"<[^>]+>", "", text)), name  # no internal ids
