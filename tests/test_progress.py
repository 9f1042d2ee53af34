"""The Open SDG / Statistics Canada progress measure, checked against Open SDG's fixtures."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from indicators import ParameterError, progress
from indicators.analysis.progress import (
    CATEGORIES,
    NO_TARGET_THRESHOLDS,
    OPEN_SDG_STATUS,
    category_from_ratio,
    category_from_score,
    limit_coefficient,
    score_with_target,
    score_without_target,
)

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
    from indicators.analysis.progress import LABELS

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


# --- Open SDG's published method, worked by hand -----------------------------------------------
# tests/fixtures/open_sdg/progress_hand_worked.json: each case gives the series, the options, the
# expected category, score and intermediate numbers, and the arithmetic ("working") that gives them
# from "Progress Measurement Methodology for the Sustainable Development Goals" (Open SDG docs).
HAND = json.loads((FIXTURES / "open_sdg" / "progress_hand_worked.json").read_text(encoding="utf-8"))["cases"]


def test_the_hand_worked_cases_cover_what_the_method_distinguishes():
    kw = [c["kwargs"] for c in HAND]
    assert len(HAND) >= 30
    assert {c["expected"]["category"] for c in HAND} == set(CATEGORIES)
    assert any("target" in k for k in kw) and any("target" not in k for k in kw)
    assert {k.get("direction", "higher") for k in kw} == {"higher", "lower"}
    assert any("limit" in k for k in kw) and any("thresholds" in k for k in kw)
    assert any(0 in c["values"] for c in HAND) and any(min(c["values"]) < 0 for c in HAND)
    assert any(k.get("target") == 0 for k in kw)


def _float(x):
    return -math.inf if x == "-inf" else x


@pytest.mark.parametrize("case", HAND, ids=[c["name"] for c in HAND])
def test_hand_worked_case(case):
    result = progress(case["years"], case["values"], **case["kwargs"])
    exp = case["expected"]
    assert result.category == exp["category"], case["working"]
    for field in ("score", "ratio", "coefficient"):
        if exp[field] is None:
            assert getattr(result, field) is None, field
    for field in ("score", "ratio", "cagr_observed", "cagr_required", "coefficient"):
        if exp[field] is not None:
            assert_allclose(getattr(result, field), _float(exp[field]), rtol=1e-8, atol=1e-12, err_msg=field)
    if exp["reason_contains"]:
        assert exp["reason_contains"] in result.reason
    if result.category == "insufficient_data":
        assert result.reason  # a refusal always says why


def test_the_brief_example_a_fall_to_zero_meets_an_at_most_target():
    result = progress([2015, 2019], [12, 0], target=5, target_year=2025, direction="lower")
    assert (result.category, result.score, result.cagr_observed) == ("target_achieved", 5.0, -1.0)


def test_band_edges_are_inclusive_and_scores_meet_there():
    # R exactly at 0.95, 0.6 and 0; v exactly at 1.5%, 0.5% and 0 (the functions, at the thresholds)
    assert [category_from_ratio(r) for r in (0.95, 0.6, 0.0)] == ["on_track", "acceleration_needed", "limited_progress"]
    assert_allclose([score_with_target(r) for r in (1.3, 0.95, 0.6, 0.0, -0.6)], [5, 2.5, 0, -2.5, -5], atol=1e-12)
    v = [0.02, 0.015, 0.005, 0.0, -0.02]
    assert [category_from_ratio(x, NO_TARGET_THRESHOLDS) for x in v[1:4]] == [
        "on_track",
        "acceleration_needed",
        "limited_progress",
    ]
    assert_allclose([score_without_target(x) for x in v], [5, 2.5, 0, -2.5, -5], atol=1e-12)
    # just below each edge the score is continuous
    for edge, score in ((0.015, 2.5), (0.005, 0.0), (0.0, -2.5)):
        assert_allclose(score_without_target(edge - 1e-12), score, atol=1e-8)
    assert score_with_target(-math.inf) == -5.0


def test_the_scaling_factor_near_a_limit():
    # C = 1 - (b/L)^4.44 below the limit, 1 - ((2L - b)/L)^4.44 between L and 2L, 1 beyond
    assert limit_coefficient(100, 100) == 0.0
    assert_allclose(limit_coefficient(50, 100), 1 - 0.5**4.44)
    assert_allclose(limit_coefficient(150, 100), 1 - 0.5**4.44)  # the same distance from a floor
    assert limit_coefficient(200, 100) == 1.0 and limit_coefficient(0, 0) == 1.0
    assert limit_coefficient(-50, -100) == limit_coefficient(50, 100)


@given(st.floats(1.0, 99.0), st.floats(-0.05, 0.05), st.integers(1, 10))
def test_a_limit_never_worsens_progress_towards_it(base, growth, years):
    assume(base * (1 + growth) ** years < 100)
    values = [base, base * (1 + growth) ** years]
    free = progress([2015, 2015 + years], values)
    near = progress([2015, 2015 + years], values, limit=100)
    order = list(CATEGORIES)
    assert order.index(near.category) <= order.index(free.category)
    assert near.score >= free.score - 1e-9


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(thresholds={"top": 0.9}), "high, med and low"),
        (dict(thresholds={"high": 0.5, "med": 0.7}), "high >= med >= low"),
        (dict(target=math.nan), "target"),
        (dict(limit="100"), "limit"),
        (dict(direction="up"), "'higher' or 'lower'"),
    ],
)
def test_bad_options_are_parameter_errors_with_the_fix(kwargs, match):
    with pytest.raises(ParameterError, match=match) as err:
        progress([2015, 2016], [1.0, 2.0], **kwargs)
    assert "Fix:" in str(err.value)


def test_the_numbers_used_are_reported():
    result = progress([2015, 2019], [0, 2.0], target=0, direction="lower")
    assert (result.base_value, result.base_value_used, result.target, result.target_used) == (0, 0.001, 0, 0.001)
    frame = result.summary_frame()
    assert {"base_value_used", "target_used", "limit", "coefficient", "thresholds_used"} <= set(frame.index)
    assert "0.001" in result._repr_html_()
