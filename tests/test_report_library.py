"""The report library without notebooks: parameters, tables, commentary, charts and glyphs."""

from __future__ import annotations

import re
import warnings

import matplotlib
import pandas as pd
import pytest

from indicators import ParameterError, UnknownIndicatorError, UnknownPlanError, UnknownRegionError
from indicators.reporting import AuditReport, OverviewReport, PeerReport, TargetGapReport, TrendReport
from indicators.reporting.charts import gap_chart, sparkline, to_png, trend_chart
from indicators.reporting.fonts import CSS_FONT_STACK, glyph_warnings, setup_matplotlib


@pytest.mark.parametrize(
    ("factory", "error", "parameter"),
    [
        (lambda d: TrendReport(indicator="gpd", data_dir=d), UnknownIndicatorError, "indicator"),
        (lambda d: TrendReport(region="atlantis", data_dir=d), UnknownRegionError, "region"),
        (lambda d: TrendReport(indicator="gdp", region="xiongan", data_dir=d), ParameterError, "region"),
        (lambda d: TrendReport(horizon=-1, data_dir=d), ParameterError, "horizon"),
        (lambda d: TrendReport(start_year=2030, end_year=2020, data_dir=d), ParameterError, "start_year"),
        (lambda d: TrendReport(start_year=1990, end_year=1995, data_dir=d), ParameterError, "start_year"),
        (lambda d: TrendReport(language="fr", data_dir=d), ParameterError, "language"),
        (lambda d: TargetGapReport(plan="nope", data_dir=d), UnknownPlanError, "plan"),
        (lambda d: TargetGapReport(as_of="2999-01-01", data_dir=d), ParameterError, "as_of"),
        (lambda d: OverviewReport(region="xiongan", data_dir=d), ParameterError, "region"),
        (lambda d: PeerReport(regions="wcna,atlantis", data_dir=d), UnknownRegionError, "regions"),
        (lambda d: PeerReport(indicators="", data_dir=d), ParameterError, "indicators"),
    ],
)
def test_a_wrong_parameter_names_itself_and_the_choices(shipped_data, factory, error, parameter):
    with pytest.raises(error) as err:
        factory(shipped_data)
    message = str(err.value)
    assert f"'{parameter}'" in message
    assert any(word in message for word in ("Valid choices", "use one of", "use ", "give ", "swap", "choose"))


def test_trend_report_tables_cite_numbered_sources(shipped_data):
    rep = TrendReport(indicator="gdp", region="wcna", data_dir=shipped_data)
    html = rep.values_table()._repr_html_()
    assert '<td class="ind-num">4691.85</td>' in html  # the column says 亿元 once
    assert re.search(r'<a class="ind-ref" href="#note-(\d+)"', html)
    notes = rep.source_notes().html
    assert notes.count("<li") == len(rep._notes) > 3
    assert "青岛西海岸新区2022年国民经济和社会发展统计公报" in notes
    header = rep.header().html
    assert "地区生产总值趋势报告：青岛西海岸新区" in header and rep.meta["data_version"] in header


def test_trend_commentary_states_latest_growth_projection_and_caveats(shipped_data):
    zh = TrendReport(indicator="gdp", region="wcna", data_dir=shipped_data).commentary().html
    assert "2023年为5003.4亿元" in zh and "增长6.0%" in zh and "预测区间" in zh and "推算数" in zh
    en = TrendReport(indicator="gdp", region="wcna", language="en", data_dir=shipped_data).commentary().html
    assert "was 500.34 billion yuan" in en and "prediction interval" in en
    # a revision is named as one, with both figures and their dates
    revision = next(p for p in re.findall(r"<p>(.*?)</p>", en) if p.startswith("Revision: 2018 level"))
    assert "350 billion yuan" in revision and "2019-01-01" in revision
    assert "351.7 billion yuan" in revision and "2019-06-25" in revision
    # real growth against nominal levels: the implied deflator, in one sentence
    assert "Implied deflators:" in en and "not a contradiction" in en


def test_a_two_point_series_says_so(shipped_data):
    rep = TrendReport(indicator="retail_sales", region="wcna", data_dir=shipped_data)
    assert (rep.fit.status, rep.fit.reason_code) == ("insufficient_data", "too_few_levels")
    assert rep.chart().caption.startswith("仅有2个已公布的年度总量数据（2013, 2023）")
    assert rep.fit.projection.empty and "不作预测" in rep.commentary().html


def test_target_gap_report_colours_and_explains_every_target(shipped_data):
    rep = TargetGapReport(plan="wcna_mobilisation_2023", as_of="2024-12-31", data_dir=shipped_data)
    table = rep.targets_table()._repr_html_()
    assert "background:#82071e" in table  # target missed: the marine-GDP growth target
    details = rep.details().html
    assert details.count('class="ind-target"') == len(rep.assessed) == 1
    assert "差5.1个百分点（所需增量的42.5%）" in details
    # the eight targets without any figure are listed once, each with the figure it needs
    missing = rep.missing().html
    assert missing.count("<li>") == len(rep.without) == 8 and "需要" in missing


def test_overview_peers_and_audit_build(shipped_data):
    overview = OverviewReport(region="wcna", data_dir=shipped_data)
    assert "ind-spark" in overview.latest_table()._repr_html_()
    assert "●" in overview.coverage()._repr_html_()
    assert "青岛市" in overview.parent_table()._repr_html_()
    peers = PeerReport(indicators="gdp", data_dir=shipped_data)
    assert {"wcna", "pudong", "liangjiang"} <= set(peers.region_ids)
    assert "全域" in peers.body().html
    audit = AuditReport(data_dir=shipped_data)
    assert "修订" in audit.conflicts()._repr_html_()
    assert "2023年上半年 − 2023年一季度" in audit.derived()._repr_html_()
    for rep in (overview, peers, audit):
        rep.check()


def test_charts_render_chinese_without_missing_glyphs():
    setup_matplotlib()
    observed = pd.Series({2021: 4368.5, 2022: 4691.85, 2023: 5003.4})
    levels = pd.DataFrame(
        {"year": [2021, 2022, 2023], "value": observed.to_list(), "kind": "published", "text": ["", "", "5003.4"]}
    )
    projection = pd.DataFrame(
        {"mean": [5400.0], "mean_lower": [5300.0], "mean_upper": [5500.0], "pi_lower": [5200.0], "pi_upper": [5600.0]},
        index=pd.Index([2024], name="year"),
    )
    changes = pd.DataFrame({"year": [2022, 2023], "growth": [4.8, 6.0], "recomputed": [7.4, 6.6]})
    figs = [
        trend_chart(
            levels,
            observed,
            projection,
            changes,
            title="地区生产总值：青岛西海岸新区",
            unit="亿元",
            language="zh",
            line_label="对数线性趋势",
            interval_label="95%预测区间",
            change_label="同比增长（%）",
        ),
        gap_chart(
            pd.DataFrame(
                {
                    "completion": [0.43, None],
                    "time_elapsed": [0.6, None],
                    "text": ["42.9%", ""],
                    "colour": ["#d4a72c", "#8c959f"],
                    "label": ["有进展，需加快", "数据不足"],
                },
                index=["a", "b"],
            ),
            labels={"a": "高新技术企业数 (2025)", "b": "人才总量 (2025)"},
            language="zh",
        ),
        sparkline(observed),
    ]
    sink: list[str] = []
    for fig in figs:
        assert len(to_png(fig, sink)) > 1000
    assert sink == []


def test_the_glyph_detector_catches_boxes():
    from matplotlib.figure import Figure

    caught: list[str] = []
    with matplotlib.rc_context({"font.family": "DejaVu Sans"}):
        fig = Figure()
        fig.suptitle("西海岸新区")
        to_png(fig, caught)
    assert caught and "missing" in caught[0]


def test_other_warnings_pass_through_the_glyph_detector():
    with pytest.warns(UserWarning, match="unrelated"), glyph_warnings() as caught:
        warnings.warn("unrelated", UserWarning, stacklevel=1)
    assert caught == []


def test_a_report_with_boxes_fails_its_check(shipped_data):
    rep = AuditReport(data_dir=shipped_data)
    rep.glyph_warnings.append("Glyph 35199 missing from font(s) DejaVu Sans.")
    with pytest.raises(RuntimeError, match="fonts"):
        rep.check()


def test_the_css_names_a_cjk_font_stack_first():
    assert CSS_FONT_STACK.startswith('"Noto Sans CJK SC"') and "Microsoft YaHei" in CSS_FONT_STACK


def test_the_trend_report_shows_what_was_known_at_its_as_of_date(shipped_data):
    # WCNA GDP 2018: 3500 亿元 preliminary (district report, 2019-01), 351.7 billion yuan final (2019-06-25)
    before = TrendReport(indicator="gdp", region="wcna", as_of="2019-03-31", data_dir=shipped_data)
    after = TrendReport(indicator="gdp", region="wcna", as_of="2019-07-31", data_dir=shipped_data)
    assert before.values.index.max() == after.values.index.max() == 2018
    assert before.values[2018] == 3500 and after.values[2018] == 3517
    assert "2019-03-31" in before.header().html
    with pytest.raises(ParameterError, match=r"'as_of'.*in the future"):
        TrendReport(as_of="2999-01-01", data_dir=shipped_data)
    with pytest.raises(ParameterError, match=r"'as_of'.*YYYY-MM-DD"):
        OverviewReport(as_of="31.12.2024", data_dir=shipped_data)
