"""Transformations: the FRED set and its inverses, CAGR, shares and contributions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from indicators import (
    GrowthError,
    ParameterError,
    average_annual_growth,
    cagr,
    contribution_to_growth,
    growth_from_levels,
    invert,
    levels_from_growth,
    share_of,
    transform,
)
from indicators.analysis.transform import TRANSFORMS

LEVELS = pd.Series([100.0, 110.0, 121.0, 133.1], index=[2020, 2021, 2022, 2023])


def test_fred_transformations_on_a_known_series():
    assert_allclose(transform(LEVELS, "chg").iloc[1:], [10, 11, 12.1])
    assert_allclose(transform(LEVELS, "pch").iloc[1:], [10, 10, 10])
    assert_allclose(transform(LEVELS, "pc1").iloc[1:], [10, 10, 10])
    assert_allclose(transform(LEVELS, "cch").iloc[1:], [100 * np.log(1.1)] * 3)
    assert_allclose(transform(LEVELS, "log"), np.log(LEVELS))
    quarterly = pd.Series([100.0, 102.0, 104.04, 106.1208, 108.243216])
    # 2% a quarter compounds to 8.243216% a year
    assert_allclose(transform(quarterly, "pca", n=4).iloc[1:], [8.243216] * 4, rtol=1e-9)
    assert_allclose(transform(quarterly, "pc1", n=4).iloc[4], 8.243216, rtol=1e-9)
    assert_allclose(transform(quarterly, "cca", n=4).iloc[1:], [400 * np.log(1.02)] * 4)


def test_cagr_of_the_worked_example():
    assert_allclose(cagr(800, 1100, 3), 0.1120, atol=5e-5)
    assert_allclose(cagr(800, 1500, 5), 0.1340, atol=5e-5)
    assert_allclose(cagr(1100, 1500, 2), 0.1677, atol=5e-5)


def test_average_annual_growth_over_a_span_is_from_its_base_year():
    # marine GDP 494 亿元 (2013) to about 2000 亿元 (2023): the published 14.9% a year
    levels = pd.Series({2013: 494.0, 2023: 2000.0})
    assert_allclose(average_annual_growth(levels, 2013, 2023), 0.1500, atol=5e-4)


@pytest.mark.parametrize(("start", "end"), [(0, 100), (-5, 100), (100, 0), (100, -1)])
def test_cagr_refuses_zero_or_negative_levels_with_the_fix(start, end):
    with pytest.raises(GrowthError) as err:
        cagr(start, end, 3)
    assert "positive" in str(err.value) and "Fix:" in str(err.value)
    assert isinstance(err.value, ValueError)


def test_log_based_transformations_refuse_non_positive_levels():
    with pytest.raises(GrowthError, match="2021"):
        transform(pd.Series([1.0, 0.0, 2.0], index=[2020, 2021, 2022]), "pch")
    assert transform(pd.Series([1.0, -1.0]), "chg").iloc[1] == -2.0  # changes are fine


def test_unknown_transformation_names_the_choices():
    with pytest.raises(ParameterError, match="pc1"):
        transform(LEVELS, "yoy")


# economic series: a positive start and period growth between -50% and +100%
levels_strategy = st.tuples(
    st.floats(1.0, 1e6), st.lists(st.floats(-0.5, 1.0, allow_nan=False), min_size=4, max_size=19)
).map(lambda t: list(np.cumprod([t[0], *(1 + g for g in t[1])])))


@given(levels_strategy, st.sampled_from(TRANSFORMS), st.sampled_from([1, 4]))
def test_inverting_a_transformation_gives_the_levels_back(values, how, n):
    series = pd.Series(values)
    lag = n if how in ("ch1", "pc1") else 1
    back = invert(transform(series, how, n=n), how, start=values[:lag] if lag > 1 else values[0], n=n)
    assert_allclose(back, series, rtol=1e-7)


@given(st.floats(1.0, 1e6), st.floats(-50, 100), st.integers(1, 30))
def test_a_growth_rate_applied_and_inverted_gives_the_level_back(level, pct, years):
    end = level * (1 + pct / 100) ** years
    assert_allclose(cagr(level, end, years), pct / 100, rtol=1e-7, atol=1e-9)


@given(levels_strategy)
def test_levels_from_growth_invert_growth_from_levels(values):
    levels = pd.Series(values, index=range(2000, 2000 + len(values)))
    growth = growth_from_levels(levels)
    anchor = 2000 + len(values) // 2
    assert_allclose(levels_from_growth(levels[anchor], anchor, growth), levels, rtol=1e-9)


def test_share_and_contribution_to_a_parents_growth():
    part = pd.Series({2021: 4368.5, 2022: 4691.85})
    whole = pd.Series({2021: 14136.46, 2022: 14920.75})
    assert_allclose(share_of(part, whole), [30.9025, 31.4452], atol=1e-3)
    c = contribution_to_growth(part, whole).loc[2022]
    assert_allclose(c["contribution_pct"], (4691.85 - 4368.5) / (14920.75 - 14136.46) * 100)
    assert_allclose(c["pull_pp"], (4691.85 - 4368.5) / 14136.46 * 100)


@given(st.lists(st.tuples(st.floats(1, 1000), st.floats(1, 1000)), min_size=2, max_size=8))
def test_the_pulls_of_all_parts_add_up_to_the_whole_growth(pairs):
    a = pd.Series([p[0] for p in pairs])
    b = pd.Series([p[1] for p in pairs])
    whole = a + b
    pulls = contribution_to_growth(a, whole)["pull_pp"] + contribution_to_growth(b, whole)["pull_pp"]
    assert_allclose(pulls, transform(whole, "pch").iloc[1:], rtol=1e-9, atol=1e-9)
