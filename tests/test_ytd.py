"""Year-to-date (累计) totals into single periods and back; cumulative growth is never differenced."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from indicators import CumulativeGrowthError, ParameterError, single_to_ytd, ytd_to_single
from indicators.analysis.ytd import single_period_growth

# WCNA GDP 2023 as published: 一季度, 上半年, 前三季度, 全年 (亿元)
WCNA_2023 = pd.Series({"2023Q1": 1105.96, "2023H1": 2379.41, "2023Q1-Q3": 3650.31, "2023": 5003.38})


def test_quarters_from_the_published_year_to_date_totals():
    single = ytd_to_single(WCNA_2023)
    assert list(single.index) == ["2023Q1", "2023Q2", "2023Q3", "2023Q4"]
    assert_allclose(single, [1105.96, 1273.45, 1270.90, 1353.07], atol=1e-9)


def test_a_missing_total_leaves_a_longer_period():
    single = ytd_to_single(WCNA_2023.drop("2023H1"))
    assert list(single.index) == ["2023Q1", "2023M04-M09", "2023Q4"]


def test_single_periods_back_to_year_to_date():
    assert_allclose(single_to_ytd(ytd_to_single(WCNA_2023)), WCNA_2023)


@given(st.lists(st.floats(0, 1e5, allow_nan=False), min_size=12, max_size=12), st.sets(st.integers(1, 12), min_size=1))
def test_year_to_date_round_trip(monthly, ends):
    ends = sorted(ends | {12})
    from indicators.data.periods import month_label

    cumulative = pd.Series({month_label(2023, 1, m): sum(monthly[:m]) for m in ends})
    assert_allclose(single_to_ytd(ytd_to_single(cumulative)), cumulative, rtol=1e-9, atol=1e-6)


def test_only_flows_split_into_periods():
    with pytest.raises(ParameterError, match="only flows"):
        ytd_to_single(WCNA_2023, kind="stock")


def test_totals_must_start_in_january():
    with pytest.raises(ParameterError, match="year-to-date"):
        ytd_to_single(pd.Series({"2023Q2": 1.0}))


def test_a_gap_in_single_periods_is_named():
    with pytest.raises(ParameterError, match="2023Q3"):
        single_to_ytd(pd.Series({"2023Q1": 1.0, "2023Q3": 1.0}))


def test_cumulative_growth_rates_are_never_differenced():
    growth = pd.Series({"2023Q1": 5.8, "2023H1": 6.0, "2023Q1-Q3": 6.1})
    with pytest.raises(CumulativeGrowthError) as err:
        single_period_growth(growth)
    message = str(err.value)
    assert "level a year earlier" in message and "ytd_to_single" in message
    assert isinstance(err.value, ValueError)
