"""Target verdicts: one assessment per target, final after the deadline.

Before the deadline a target gets Open SDG's category of progress; from the deadline on it is
achieved or missed once the outcome is published (with the shortfall), and awaiting its outcome
until then — never a category of progress, never "insufficient data". A target the baseline
already met is achieved with a flag that says so. The schedule label agrees with the verdict,
and the report shows what the assessment says, nothing else.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from indicators import target_gap
from indicators.analysis.gap_result import FINAL_VERDICTS, VERDICT_COLOURS, VERDICTS
from indicators.analysis.progress import CATEGORIES
from indicators.reporting import TargetGapReport

from .conftest import FIXTURES

#: The schedule labels each verdict may carry: a report never shows two verdicts for a target.
SCHEDULES = {
    "target_achieved": {"achieved", "achieved_early", "already_met"},
    "target_missed": {"not_achieved"},
    "awaiting_outcome": {"awaiting_outcome"},
    "insufficient_data": {"insufficient_data"},
    "on_track": {"ahead", "on_schedule"},
    "acceleration_needed": {"behind"},
    "limited_progress": {"behind"},
    "deterioration": {"behind"},
}


@pytest.fixture
def gap_data(tmp_path: Path) -> Path:
    """tests/fixtures/raw_targets: one assessable target of every form."""
    root = tmp_path / "data"
    shutil.copytree(FIXTURES / "raw_targets", root / "raw")
    return root


def _append(data_dir: Path, table: str, *lines: str) -> None:
    with open(data_dir / "raw" / f"{table}.csv", "a", encoding="utf-8") as f:
        f.writelines(line + "\n" for line in lines)


def _bulletin_2025(data_dir: Path, *observations: str) -> Path:
    _append(
        data_dir,
        "sources",
        "bulletin_2025,Fixture 2025 bulletin,Fixture statistics bureau,2026-04-15,,2026-11-22,official,zh,fixture",
    )
    _append(data_dir, "observations", *observations)
    return data_dir


# -- after the deadline, with the outcome: achieved or missed -------------------------------------


@pytest.mark.parametrize("as_of", ["2025-06-30", None])
def test_the_2023_marine_gdp_growth_target_was_missed(shipped_data, as_of):
    a = target_gap("wcna_mobilisation_2023", as_of=as_of, data_dir=shipped_data)["t2023_marine_gdp_growth"]
    assert (a.verdict, a.final, a.latest_value, a.latest_period) == ("target_missed", True, 6.9, "2023")
    assert_allclose([a.shortfall, a.shortfall_share], [12 - 6.9, (12 - 6.9) / 12])  # 5.1 points, 42.5%
    assert (a.schedule, a.in_progress_category) == ("not_achieved", None)
    assert (a.label("en"), a.label("zh"), a.schedule_label("zh")) == ("Target missed", "未实现目标", "未实现")
    assert a.category == a.verdict and a.colour == VERDICT_COLOURS["target_missed"]


@pytest.mark.parametrize(
    ("value", "verdict", "shortfall"),
    [(1400, "target_missed", 100), (1500, "target_achieved", None), (1600, "target_achieved", None)],
)
def test_a_level_target_is_judged_on_the_figure_for_its_deadline(gap_data, value, verdict, shortfall):
    data = _bulletin_2025(
        gap_data, f"high_tech_enterprises,wcna,2025,level,,{value},家,,exact,reported,bulletin_2025,x,"
    )
    a = target_gap("fyp_14", as_of="2026-06-30", data_dir=data)["high_tech_fyp"]
    assert (a.verdict, a.final, a.latest_period) == (verdict, True, "2025")
    assert a.schedule == ("not_achieved" if shortfall else "achieved")
    if shortfall:  # 1500 required 700 more than the baseline of 800
        assert_allclose([a.shortfall, a.shortfall_share, a.completion], [100, 100 / 700, 600 / 700])
    else:
        assert a.shortfall is None and a.shortfall_share is None


def test_a_revised_outcome_is_the_one_judged(gap_data):
    # 2023 marine growth: 6.9% in the bulletin (2024-04-15), revised to 7.2% on 2024-09-01
    _append(
        gap_data,
        "sources",
        "revision_2024,Fixture revision,Fixture newspaper,2024-09-01,,2026-11-22,official,zh,fixture",
    )
    _append(
        gap_data,
        "observations",
        "marine_gdp,wcna,2023,yoy_growth,,7.2,%,comparable,exact,reported,revision_2024,海洋生产总值增长7.2%,",
    )
    before = target_gap("plan_2023", as_of="2024-06-30", data_dir=gap_data)["marine_growth_2023"]
    after = target_gap("plan_2023", as_of="2024-12-31", data_dir=gap_data)["marine_growth_2023"]
    assert (before.latest_value, before.latest_source) == (6.9, "bulletin_2023")
    assert (after.latest_value, after.latest_source, after.verdict) == (7.2, "revision_2024", "target_missed")
    assert_allclose(after.shortfall, 12 - 7.2)


def test_a_total_is_judged_once_it_covers_the_whole_plan(gap_data):
    # new jobs 2023-2025, 21 万人 required: 7.5 (2023) + 3.0 (2024H1) so far
    waiting = target_gap("green_2023_2025", as_of="2026-01-31", data_dir=gap_data)["new_jobs_2025"]
    assert (waiting.verdict, waiting.in_progress_category) == ("awaiting_outcome", "on_track")
    _bulletin_2025(
        gap_data,
        "new_jobs,wcna,2024H2,level,,4.0,万人,,exact,reported,bulletin_2025,x,",
        "new_jobs,wcna,2025,level,,6.0,万人,,exact,reported,bulletin_2025,x,",
    )
    a = target_gap("green_2023_2025", as_of="2026-06-30", data_dir=gap_data)["new_jobs_2025"]
    assert (a.verdict, a.final) == ("target_missed", True)
    assert_allclose([a.latest_value, a.shortfall, a.shortfall_share], [20.5, 0.5, 0.5 / 21])


def test_an_at_least_total_already_reached_stays_achieved(gap_data):
    _append(
        gap_data,
        "sources",
        "yearend_2024,Fixture year-end report,观海新闻,2025-01-20,,2026-11-22,official,zh,fixture",
    )
    _append(gap_data, "observations", "new_jobs,wcna,2024H2,level,,12.0,万人,,exact,reported,yearend_2024,x,")
    during = target_gap("green_2023_2025", as_of="2025-03-01", data_dir=gap_data)["new_jobs_2025"]
    assert (during.verdict, during.final, during.schedule) == ("target_achieved", False, "achieved_early")
    after = target_gap("green_2023_2025", as_of="2026-03-01", data_dir=gap_data)["new_jobs_2025"]
    assert (after.verdict, after.final) == ("target_achieved", True)  # totals only grow


# -- after the deadline, without the outcome: awaiting it ------------------------------------------


def test_after_the_deadline_without_the_outcome_the_verdict_awaits_it(gap_data):
    # 2024-01-31: the 2023 deadline has passed; only the growth of 2023Q1-Q3 (10%) is published
    result = target_gap("plan_2023", as_of="2024-01-31", data_dir=gap_data)
    growth = result["marine_growth_2023"]
    assert (growth.verdict, growth.final, growth.schedule) == ("awaiting_outcome", False, "awaiting_outcome")
    assert growth.in_progress_category == "acceleration_needed"  # 10% against 12%: R = 0.83
    assert_allclose(growth.ratio, 10 / 12)
    assert (
        growth.reason_in("en") == "the deadline (2023-12-31) has passed and its outcome was not published by 2024-01-31"
    )
    assert growth.reason_in("zh") == "目标期限（2023-12-31）已过，截至2024-01-31尚未公布结果"
    assert (growth.label("zh"), growth.in_progress_label("en")) == ("待公布结果", "Progress, acceleration needed")
    count = result["projects_2023"]  # 206 of 250 projects by October
    assert (count.verdict, count.in_progress_category) == ("awaiting_outcome", "on_track")


def test_a_level_target_awaits_the_figure_for_its_deadline(gap_data):
    # 2026-03-01: the 2025 figure is not out; the last in-progress assessment is kept beside
    a = target_gap("fyp_14", as_of="2026-03-01", data_dir=gap_data)["high_tech_fyp"]
    assert (a.verdict, a.in_progress_category, a.latest_period) == ("awaiting_outcome", "acceleration_needed", "2023")
    assert_allclose(a.ratio, 0.836, atol=5e-4)


@pytest.mark.parametrize("as_of", ["2024-01-31", "2024-09-30", "2026-01-31", "2026-11-30"])
def test_after_the_deadline_a_verdict_is_never_a_category_of_progress(gap_data, shipped_data, as_of):
    for data in (gap_data, shipped_data):
        for a in target_gap(as_of=as_of, data_dir=data).assessments:
            if a.as_of >= a.deadline:
                assert a.verdict in ("target_achieved", "target_missed", "awaiting_outcome"), a
                assert a.final == (a.verdict in FINAL_VERDICTS)
            else:
                assert a.verdict in CATEGORIES and not a.final, a
            assert a.schedule in SCHEDULES[a.verdict], a


# -- met before the plan started --------------------------------------------------------------------


def test_a_target_below_the_baseline_is_achieved_and_flagged(gap_data, shipped_data):
    a = target_gap("green_2023_2025", as_of="2024-09-30", data_dir=gap_data)["urbanization_2025"]
    assert (a.verdict, a.met_before_start, a.schedule, a.final) == ("target_achieved", True, "already_met", False)
    assert (a.schedule_label("en"), a.schedule_label("zh")) == ("Met before the plan started", "规划前已达到")
    # the shipped 2025 urbanisation target of 82%: 82.86% in 2022 already, 83.5% in 2023
    shipped = target_gap("wcna_green_action_2023_2025", as_of="2025-06-30", data_dir=shipped_data)
    u = shipped["t2025_urbanization_rate"]
    assert (u.verdict, u.met_before_start, u.baseline_value, u.latest_value) == ("target_achieved", True, 82.86, 83.5)
    assert u.reason_in("zh") == "规划开始前已达到"
    later = target_gap("wcna_green_action_2023_2025", as_of="2026-06-30", data_dir=shipped_data)
    u = later["t2025_urbanization_rate"]  # the 2025 figure is not published yet
    assert (u.verdict, u.in_progress_category, u.met_before_start) == ("awaiting_outcome", "target_achieved", True)


def test_reasons_name_indicators_and_regions_not_their_ids(gap_data):
    result = target_gap(as_of="2015-01-01", data_dir=gap_data)
    a = result["high_tech_2025"]
    assert (
        a.reason_in("en") == "no figure of High-tech enterprises in Qingdao West Coast New Area published by 2015-01-01"
    )
    assert a.reason_in("zh") == "截至2015-01-01尚无高新技术企业的公布数据"
    for a in result.assessments:
        assert a.indicator_id not in a.reason_in("en") and a.region_id not in a.reason_in("en")


# -- one verdict on display ---------------------------------------------------------------------------


def test_the_report_shows_the_assessment_s_verdict_everywhere(shipped_data, monkeypatch):
    import indicators.reporting.gap_report as gap_report

    charted: list[pd.DataFrame] = []
    real = gap_report.gap_chart
    monkeypatch.setattr(gap_report, "gap_chart", lambda frame, **kw: charted.append(frame) or real(frame, **kw))
    rep = TargetGapReport(
        plan="wcna_green_action_2023_2025", as_of=str(dt.date(2024, 12, 31)), language="en", data_dir=shipped_data
    )
    assessments = {a.target_id: a for a in rep.result.assessments}
    table = rep.targets_table()
    verdict_column = list(table.columns).index("Assessment")
    assert [row[verdict_column].text for row in table.rows] == [a.label("en") for a in rep.assessed]
    rep.gap_chart()
    for chart in charted:
        for target_id, row in chart.iterrows():
            a = assessments[target_id]
            assert (row["label"], row["colour"]) == (a.label("en"), a.colour)
    details = rep.details().html
    for a in rep.assessed:
        assert a.label("en") in details
    marine = TargetGapReport(plan="wcna_mobilisation_2023", language="en", data_dir=shipped_data)
    assert marine.result["t2023_marine_gdp_growth"].verdict == "target_missed"
    text = marine.details().html
    assert "Target missed" in text and "5.1 pp short (42.5% of the change required)" in text
    assert all(v in VERDICTS for v in rep.result.category_counts().index)
