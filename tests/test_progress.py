"""The Open SDG / Statistics Canada progress measure, checked against Open SDG's fixtures."""

from __future__ import annotations

import json

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from indicators import ParameterError, progress
from indicators.analysis.progress import OPEN_SDG_STATUS, category_from_score

from .conftest import FIXTURES

# Cases derived from open-sdg/sdg-build's progress-calculation fixtures (their data, the rules of
# their newest progress code, sdg-build commit 139fede7); the file records for each case the data
# file and commit it came from. Their numbers are used; none of their code is.
CASES = json.loads((FIXTURES / "open_sdg" / "progress_cases.json").read_text(encoding="utf-8"))
NEWEST = [c for c in CASES if c["ruleset"] == "lib_139fede7"]


def _run(case):
    cfg = case["config"]
    return progress(
        case["years"],
        case["values"],
        target=cfg["target"],
        target_year=cfg["target_year"],
        base_year=cfg["base_year"],
        direction="higher" if cfg["direction"] == "positive" else "lower",
    )


def test_there_are_fixtures_for_every_category_open_sdg_uses():
    assert {c["expected"] for c in NEWEST} >= {
        "target_achieved",
        "substantial_progress",
        "moderate_progress",
        "deterioration",
    }
    assert len(NEWEST) == 9


@pytest.mark.parametrize("case", NEWEST, ids=[c["indicator"] for c in NEWEST])
def test_open_sdg_categories_and_scores(case):
    result = _run(case)
    assert result.open_sdg_status == case["expected"]
    assert_allclose(result.score, case["expected_score"], rtol=1e-3, atol=1e-3)


@pytest.mark.parametrize("case", NEWEST, ids=lambda c: c["indicator"])
def test_open_sdg_intermediate_numbers(case):
    result = _run(case)
    inter = case["intermediate"]
    assert result.base_year == inter["base_year_used"] and result.current_year == inter["current_year"]
    assert_allclose(result.cagr_observed, inter["cagr_observed"], rtol=1e-9)
    if result.category == "target_achieved":
        assert result.ratio is None  # Open SDG computes R here but ignores it
    else:
        expected = inter["ratio"] if "ratio" in inter else inter["progress_value"]
        assert_allclose(result.ratio, expected, rtol=1e-9)


def test_a_missing_base_year_moves_to_the_next_year_with_data():
    result = progress([2018, 2019, 2020], [91.0, 91.5, 92.3], base_year=2015, direction="higher")
    assert result.base_year == 2018


def test_too_little_data_is_a_result_not_an_exception():
    assert progress([2020], [5.0]).category == "insufficient_data"
    assert progress([], []).category == "insufficient_data"
    assert "after the latest data" in progress([2010, 2011], [1.0, 2.0], base_year=2015).reason


def test_the_score_band_gives_back_the_category():
    for case in NEWEST:
        result = _run(case)
        if result.category != "target_achieved":
            assert category_from_score(result.score) == result.category


def test_duplicate_years_are_a_parameter_error():
    with pytest.raises(ParameterError, match="twice"):
        progress([2020, 2020], [1.0, 2.0])


series = st.lists(st.floats(1.0, 1e4, allow_nan=False), min_size=2, max_size=8)


@given(series, st.sampled_from(["higher", "lower"]))
def test_a_target_already_met_is_always_achieved(values, direction):
    years = list(range(2015, 2015 + len(values)))
    latest = values[-1]
    target = latest * (0.9 if direction == "higher" else 1.1)
    result = progress(years, values, target=target, direction=direction)
    assert result.category == "target_achieved" and result.score == 5.0


@given(series)
def test_flipping_the_desired_direction_flips_the_sign_without_a_target(values):
    years = list(range(2015, 2015 + len(values)))
    up = progress(years, values, direction="higher")
    down = progress(years, values, direction="lower")
    assert_allclose(up.ratio, -down.ratio)


def test_every_category_has_an_open_sdg_name_and_labels():
    from indicators.analysis.progress import CATEGORIES, LABELS

    for c in CATEGORIES:
        assert c in OPEN_SDG_STATUS and c in LABELS["en"] and c in LABELS["zh"]


@given(st.floats(-0.5, 0.5), st.floats(0.001, 0.5).flatmap(lambda r: st.sampled_from([r, -r])))
def test_flipping_direction_flips_r_in_the_level_gap(cagr_growth, required):
    import datetime as dt

    from indicators import level_gap

    assume(abs(cagr_growth) > 1e-6)
    base, years = 100.0, 3
    latest = base * (1 + cagr_growth) ** years
    target = base * (1 + required) ** 5
    common = dict(
        baseline=base,
        baseline_date=dt.date(2020, 12, 31),
        latest=latest,
        latest_date=dt.date(2023, 12, 31),
        target=target,
        plan_start=dt.date(2021, 1, 1),
        deadline=dt.date(2025, 12, 31),
        comparator="equal",
    )
    up = level_gap(direction="higher", **common)
    down = level_gap(direction="lower", **common)
    assume(up["category"] != "target_achieved")
    assert_allclose(up["ratio"], -down["ratio"])
