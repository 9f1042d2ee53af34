"""Target gap: completion against time elapsed, required against observed growth, R and its
category, projections, for every target form; bad input gives a result or a clear error."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from numpy.testing import assert_allclose

import indicators
from indicators import ParameterError, UnknownPlanError, target_gap
from indicators.analysis.gap_result import VERDICTS
from indicators.analysis.gap_rules import assess_series

from .conftest import FIXTURES


@pytest.fixture
def gap_data(tmp_path):
    """tests/fixtures/raw_targets: one assessable target of every form."""
    root = tmp_path / "data"
    shutil.copytree(FIXTURES / "raw_targets", root / "raw")
    return root


def test_the_worked_example():
    # high-tech enterprises 800 (2020) to 1100 (2023), target 1500 by 2025
    r = assess_series(
        [2020, 2021, 2022, 2023], [800, 900, 1000, 1100], target=1500, deadline_year=2025, baseline_year=2020
    )
    assert_allclose(r["cagr_observed"], 0.1120, atol=5e-5)
    assert_allclose(r["cagr_required"], 0.1340, atol=5e-5)
    assert_allclose(r["ratio"], 0.836, atol=5e-4)
    assert r["category"] == "acceleration_needed"
    assert_allclose(r["completion"], 0.429, atol=5e-4)
    assert_allclose(r["time_elapsed"], 0.60)
    assert r["schedule"] == "behind"
    assert_allclose(r["cagr_required_remaining"], 0.1677, atol=5e-5)


def test_the_worked_example_from_the_table(gap_data):
    a = target_gap("fyp_14", as_of="2024-06-30", data_dir=gap_data)["high_tech_fyp"]
    assert (a.baseline_value, a.baseline_period, a.latest_value, a.latest_period) == (800, "2020", 1100, "2023")
    assert_allclose([a.completion, a.time_elapsed, a.ratio], [3 / 7, 0.6, 0.836], atol=5e-4)
    assert a.time_elapsed_as_of > a.time_elapsed  # the as-of date is later than the data
    assert (a.category, a.schedule) == ("acceleration_needed", "behind")
    assert a.schedule_label("zh") == "滞后" and a.label("zh") == "有进展，需加快"
    # four yearly levels: only the line of the 2020-2023 average growth, no interval, no probability
    assert a.projection_method == "cagr" and a.projected_lower is None and a.probability is None
    assert_allclose(a.projected_value, 1100 * (1100 / 800) ** (2 / 3))
    assert a.note_codes == (("line_only", (("first", "2020"), ("last", "2023"))),)


def test_baseline_is_the_last_level_before_the_plan(gap_data):
    a = target_gap("green_2023_2025", as_of="2024-09-30", data_dir=gap_data)["high_tech_2025"]
    assert (a.baseline_period, a.baseline_value, a.latest_value) == ("2022", 1000, 1100)
    assert_allclose([a.completion, a.time_elapsed], [0.2, 1 / 3])
    assert_allclose(a.cagr_required, 1.5 ** (1 / 3) - 1)


def test_an_at_most_target_wants_the_value_to_fall(gap_data):
    a = target_gap("green_2023_2025", as_of="2024-09-30", data_dir=gap_data)["unemployment_2025"]
    assert a.direction == "lower"
    assert_allclose(a.completion, 0.4)
    assert a.ratio > 0 and a.category == "on_track" and a.schedule == "ahead"


def test_a_target_met_before_the_plan_is_achieved(gap_data):
    a = target_gap("green_2023_2025", as_of="2024-09-30", data_dir=gap_data)["urbanization_2025"]
    assert (a.category, a.schedule) == ("target_achieved", "already_met")
    assert a.completion is None and a.reason == "met before the plan started" and a.met_before_start


def test_a_cumulative_total_compares_pace_with_time(gap_data):
    a = target_gap("green_2023_2025", as_of="2024-09-30", data_dir=gap_data)["new_jobs_2025"]
    assert_allclose(a.latest_value, 10.5)  # 2023 plus 2024H1, no double counting
    assert_allclose(a.completion, 0.5)
    assert a.schedule == "on_schedule" and a.category == "on_track"
    assert a.projection_method == "pace"


def test_a_count_of_new_items(gap_data):
    a = target_gap("plan_2023", as_of="2023-12-15", data_dir=gap_data)["projects_2023"]
    assert_allclose([a.completion, a.time_elapsed], [206 / 250, 10 / 12], atol=2e-3)
    assert a.schedule == "on_schedule"


def test_a_growth_target_compares_growth_with_growth(gap_data):
    during = target_gap("plan_2023", as_of="2023-12-15", data_dir=gap_data)["marine_growth_2023"]
    assert (during.latest_period, during.latest_value) == ("2023Q1-Q3", 10.0)
    assert any("year-to-date" in n for n in during.notes)
    assert_allclose(during.ratio, 10 / 12)
    after = target_gap("plan_2023", as_of="2024-06-30", data_dir=gap_data)["marine_growth_2023"]
    assert (after.latest_period, after.latest_value, after.schedule) == ("2023", 6.9, "not_achieved")
    assert (after.verdict, after.final) == ("target_missed", True)  # the outcome, not a category of progress
    assert_allclose(after.ratio, 0.575)


def test_only_figures_published_by_the_as_of_date_are_used(gap_data):
    early = target_gap("green_2023_2025", as_of="2024-03-01", data_dir=gap_data)["high_tech_2025"]
    assert early.latest_period == "2022"  # the 2023 figure was published on 2024-04-15
    assert early.category == "insufficient_data" and "since the plan started" in early.reason


def test_an_as_of_date_before_any_data_gives_insufficient_data_with_reasons(gap_data):
    result = target_gap(as_of="2015-01-01", data_dir=gap_data)
    assert result.category_counts()["insufficient_data"] == len(result) == 7
    assert all("published by 2015-01-01" in a.reason for a in result.assessments)


def test_plan_summary_counts_and_orders_worst_first(gap_data):
    result = target_gap(as_of="2024-09-30", data_dir=gap_data)
    counts = result.category_counts()
    assert counts.sum() == 7 and counts["on_track"] == 2 and counts["target_achieved"] == 1
    assert counts["target_missed"] == 1 and counts["awaiting_outcome"] == 1  # the two 2023 targets
    frame = result.summary_frame()
    assert frame.index[0] == "marine_growth_2023"  # a missed target comes before the rest
    assert frame["category"].iloc[-1] == "target_achieved"
    assert "7 targets of all plans" in result.describe()
    assert "background:" in result._repr_html_()


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"plan": "no_such_plan"}, UnknownPlanError, "Valid choices"),
        ({"as_of": "2999-01-01"}, ParameterError, "in the future"),
        ({"as_of": "31/12/2024"}, ParameterError, "YYYY-MM-DD"),
        ({"region": "atlantis"}, indicators.UnknownRegionError, "atlantis"),
    ],
)
def test_wrong_parameters_are_named(gap_data, kwargs, error, words):
    with pytest.raises(error, match=words):
        target_gap(data_dir=gap_data, **kwargs)


def test_every_shipped_target_has_a_category_or_a_reason(shipped_data):
    result = target_gap(as_of=dt.date(2025, 6, 30), data_dir=shipped_data)
    assert len(result) == 78
    for a in result.assessments:
        assert a.verdict in VERDICTS
        if a.verdict in ("insufficient_data", "awaiting_outcome"):
            assert a.reason
    assert result["t2025_urbanization_rate"].category == "target_achieved"
    marine = result["t2023_marine_gdp_growth"]
    assert (marine.latest_value, marine.verdict, marine.schedule) == (6.9, "target_missed", "not_achieved")


def test_growth_rates_from_a_zero_or_negative_base_are_a_reason_not_a_crash():
    from indicators import level_gap

    out = level_gap(
        baseline=0.0,
        baseline_date=dt.date(2022, 12, 31),
        latest=5.0,
        latest_date=dt.date(2023, 12, 31),
        target=10.0,
        plan_start=dt.date(2023, 1, 1),
        deadline=dt.date(2025, 12, 31),
    )
    assert out["category"] == "insufficient_data" and "positive" in out["reason"]
    assert_allclose(out["completion"], 0.5)  # completion needs no growth rate


def test_an_unknown_indicator_or_region_names_the_choices(gap_data):
    with pytest.raises(indicators.UnknownIndicatorError, match="Did you mean 'high_tech_enterprises'"):
        indicators.trend("high_tech_enterprise", "wcna", data_dir=gap_data)
    with pytest.raises(indicators.UnknownRegionError, match="parameter 'region'"):
        indicators.trend("high_tech_enterprises", "west_coast", data_dir=gap_data)


def test_a_level_target_whose_deadline_has_passed_is_judged_on_figures_up_to_the_deadline(shipped_data):
    result = target_gap("wcna_overall_plan_2014", as_of=dt.date(2025, 6, 30), data_dir=shipped_data)
    gdp = result["t2020_overall_gdp"]  # 5000 亿元 by 2020: GDP passed 5000 only in 2023
    assert (gdp.latest_period, gdp.schedule) == ("2020", "not_achieved")
    assert gdp.latest_value in (3721.68, 3751.16)  # the two sources that disagree on 2020
    zone = target_gap("wcna_zone_plan_2015", as_of=dt.date(2025, 6, 30), data_dir=shipped_data)
    population = zone["t2015_zone_population"]  # the first 'total population' is of 2016-07-29
    # no figure for the deadline's year: a later one cannot show the outcome, which is awaited
    assert (population.verdict, population.reason_code) == ("awaiting_outcome", "awaiting_outcome")
    assert population.latest_value is None
    assert "2015-12-31" in population.reason and "2015-12-31" in population.reason_in("zh")
