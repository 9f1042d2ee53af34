"""Transformations: the FRED set and its inverses, CAGR, shares and contributions.

FRED's formulas ("What formulas are used to calculate growth rates?", FRED Help, Federal Reserve
Bank of St. Louis) refer to x(t-1), the previous *period*, and x(t-n), the same period a year
earlier (n = 1 annual, 4 quarterly, 12 monthly). The expected values below are worked by hand
from those formulas, with each period's reference period written out; NaN where it is missing.
"""

from __future__ import annotations

import math

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


# --- by period, as FRED defines the units ------------------------------------------------------

NAN = math.nan

# Annual, 2017 missing. Hand working (reference period in brackets):
#   2016 [2015]: chg 106-100 = 6; pch 106/100-1 = 6%; cch 100*ln 1.06 = 5.826890812
#   2018 [2017 missing]: every change is NaN
#   2019 [2018]: chg 125.08-118 = 7.08; pch 125.08/118-1 = 6%; cch 100*ln 1.06 = 5.826890812
# With n = 1, ch1 = chg, pc1 = pca = pch and cca = cch.
ANNUAL_GAP = pd.Series([100.0, 106.0, 118.0, 125.08], index=[2015, 2016, 2018, 2019])
ANNUAL_EXPECTED = {
    "lin": [100.0, 106.0, 118.0, 125.08],
    "chg": [NAN, 6.0, NAN, 7.08],
    "ch1": [NAN, 6.0, NAN, 7.08],
    "pch": [NAN, 6.0, NAN, 6.0],
    "pc1": [NAN, 6.0, NAN, 6.0],
    "pca": [NAN, 6.0, NAN, 6.0],
    "cch": [NAN, 5.826890812, NAN, 5.826890812],
    "cca": [NAN, 5.826890812, NAN, 5.826890812],
    # ln 100, ln 106, ln 118, ln 125.08
    "log": [4.605170186, 4.663439094, 4.770684624, 4.828953533],
}

# Quarterly, 2020Q2 missing.
#   period   level   prev (x(t-1))     year ago (x(t-4))
#   2019Q1   100     -                 -
#   2019Q2   102     2019Q1 100        -
#   2019Q3   104     2019Q2 102        -
#   2019Q4   105     2019Q3 104        -
#   2020Q1   103     2019Q4 105        2019Q1 100
#   2020Q3   110.24  2020Q2 missing    2019Q3 104
#   2020Q4   108     2020Q3 110.24     2019Q4 105
# chg: 2, 2, 1, -2, NaN, 108-110.24 = -2.24
# ch1: 2020Q1 103-100 = 3; 2020Q3 110.24-104 = 6.24; 2020Q4 108-105 = 3
# pch: 102/100-1 = 2%; 104/102-1 = 1.960784314%; 105/104-1 = 0.961538462%;
#      103/105-1 = -1.904761905%; NaN; 108/110.24-1 = -2.031930334%
# pc1: 103/100-1 = 3%; 110.24/104-1 = 6%; 108/105-1 = 2.857142857%
# pca: 1.02**4-1 = 8.243216%; (104/102)**4-1 = 8.076847975%; (105/104)**4-1 = 3.901983672%;
#      (103/105)**4-1 = -7.404111661%; NaN; (108/110.24)**4-1 = -7.883335561%
# cch: 100 ln(102/100) = 1.980262730; 100 ln(104/102) = 1.941808586; 100 ln(105/104) = 0.956945102;
#      100 ln(103/105) = -1.923136193; NaN; 100 ln(108/110.24) = -2.052858014; cca = 4 * cch
QUARTERS = ["2019Q1", "2019Q2", "2019Q3", "2019Q4", "2020Q1", "2020Q3", "2020Q4"]
QUARTERLY_GAP = pd.Series([100.0, 102.0, 104.0, 105.0, 103.0, 110.24, 108.0], index=QUARTERS)
_CCH_Q = [NAN, 1.980262730, 1.941808586, 0.956945102, -1.923136193, NAN, -2.052858014]
QUARTERLY_EXPECTED = {
    "lin": [100.0, 102.0, 104.0, 105.0, 103.0, 110.24, 108.0],
    "chg": [NAN, 2.0, 2.0, 1.0, -2.0, NAN, -2.24],
    "ch1": [NAN, NAN, NAN, NAN, 3.0, 6.24, 3.0],
    "pch": [NAN, 2.0, 1.960784314, 0.961538462, -1.904761905, NAN, -2.031930334],
    "pc1": [NAN, NAN, NAN, NAN, 3.0, 6.0, 2.857142857],
    "pca": [NAN, 8.243216, 8.076847975, 3.901983672, -7.404111661, NAN, -7.883335561],
    "cch": _CCH_Q,
    "cca": [4 * v for v in _CCH_Q],
    # ln 100, ln 102, ln 104, ln 105, ln 103, ln 110.24, ln 108
    "log": [4.605170186, 4.624972813, 4.644390899, 4.653960350, 4.634728988, 4.702659807, 4.682131227],
}

# Monthly, 2020M03 and 2021M02 missing: 2020M01..M12 are 100, 101, -, 103, ..., 111 (100 + month - 1),
# then 2021M01 105, 2021M03 107, 2021M04 108.07.
#   2021M01: prev 2020M12 111 -> chg -6, pch 105/111-1 = -5.405405405%; year ago 2020M01 100 -> pc1 5%
#   2021M03: prev 2021M02 missing -> chg, pch, pca, cch, cca NaN; year ago 2020M03 missing -> ch1, pc1 NaN
#   2021M04: prev 2021M03 107 -> chg 1.07, pch 1%, pca 1.01**12-1 = 12.682503013%,
#            cch 100 ln 1.01 = 0.995033085, cca 1200 ln 1.01 = 11.940397024;
#            year ago 2020M04 103 -> ch1 5.07, pc1 108.07/103-1 = 4.922330097%
#   2020M04: prev 2020M03 missing -> NaN (but 2020M05 from 2020M04: chg 1)
MONTHS = [f"2020M{m:02d}" for m in range(1, 13) if m != 3] + ["2021M01", "2021M03", "2021M04"]
MONTHLY_GAP = pd.Series([100.0 + m - 1 for m in range(1, 13) if m != 3] + [105.0, 107.0, 108.07], index=MONTHS)
MONTHLY_EXPECTED = {  # the last three periods: 2021M01, 2021M03, 2021M04
    "lin": [105.0, 107.0, 108.07],
    "chg": [-6.0, NAN, 1.07],
    "ch1": [5.0, NAN, 5.07],
    "pch": [-5.405405405, NAN, 1.0],
    "pc1": [5.0, NAN, 4.922330097],
    "pca": [((105 / 111) ** 12 - 1) * 100, NAN, 12.682503013],
    "cch": [-5.556985115, NAN, 0.995033085],
    "cca": [-66.68382138, NAN, 11.940397024],
    # ln 105, ln 107, ln 108.07
    "log": [4.653960350, 4.672828834, 4.682779165],
}


@pytest.mark.parametrize("how", TRANSFORMS)
def test_annual_units_refer_to_the_previous_year_not_the_previous_row(how):
    assert_allclose(transform(ANNUAL_GAP, how), ANNUAL_EXPECTED[how], rtol=1e-8)


def test_growth_into_a_year_after_a_missing_year_is_missing():
    growth = transform(pd.Series([100.0, 106, 118], index=[2015, 2016, 2018]), "pch")
    assert math.isnan(growth[2018])  # not 11.32, the growth over two years
    assert_allclose(growth[2016], 6.0)


@pytest.mark.parametrize("how", TRANSFORMS)
@pytest.mark.parametrize(
    "index",
    [
        QUARTERS,
        pd.PeriodIndex(QUARTERS, freq="Q"),
        pd.DatetimeIndex(
            ["2019-03-31", "2019-06-30", "2019-09-30", "2019-12-31", "2020-03-31", "2020-09-30", "2020-12-31"]
        ),
    ],
    ids=["labels", "PeriodIndex", "DatetimeIndex"],
)
def test_quarterly_units_by_period_for_each_index_kind(how, index):
    series = pd.Series(QUARTERLY_GAP.to_numpy(), index=index)
    n = 4 if isinstance(index, pd.DatetimeIndex) else None  # dates need n; periods say it
    result = transform(series, how, n=n)
    assert_allclose(result, QUARTERLY_EXPECTED[how], rtol=1e-8)
    assert result.index.equals(series.index)


def test_a_missing_quarter_no_longer_shifts_the_year_ago_comparison():
    pc1 = transform(QUARTERLY_GAP, "pc1")
    # by row, 2020Q3 would be compared with 2019Q2 (the 4th row before): 110.24/102-1 = 8.08%
    assert_allclose(pc1["2020Q3"], 6.0)
    assert_allclose(pc1["2020Q4"], 2.857142857)


@pytest.mark.parametrize("how", TRANSFORMS)
@pytest.mark.parametrize("kind", ["labels", "PeriodIndex"])
def test_monthly_units_by_period(how, kind):
    index = MONTHS if kind == "labels" else pd.PeriodIndex([m.replace("M", "-") for m in MONTHS], freq="M")
    result = transform(pd.Series(MONTHLY_GAP.to_numpy(), index=index), how)
    assert_allclose(result.iloc[-3:], MONTHLY_EXPECTED[how], rtol=1e-8)
    if how not in ("lin", "log"):
        assert math.isnan(result.iloc[2])  # 2020M04: 2020M03 is missing


@pytest.mark.parametrize("how", TRANSFORMS)
def test_annual_period_index_and_year_labels_agree_with_integer_years(how):
    by_int = transform(ANNUAL_GAP, how)
    by_label = transform(pd.Series(ANNUAL_GAP.to_numpy(), index=["2015", "2016", "2018", "2019"]), how)
    by_period = transform(
        pd.Series(ANNUAL_GAP.to_numpy(), index=pd.PeriodIndex(["2015", "2016", "2018", "2019"], freq="Y")), how
    )
    assert_allclose(by_label, by_int.to_numpy())
    assert_allclose(by_period, by_int.to_numpy())


def test_half_years_have_two_periods_a_year():
    halves = pd.Series([100.0, 104.0, 103.0, 108.16], index=["2020H1", "2020H2", "2021H1", "2021H2"])
    assert_allclose(transform(halves, "pc1"), [NAN, NAN, 3.0, 4.0])  # 103/100-1, 108.16/104-1
    assert_allclose(transform(halves, "pca").iloc[1], 8.16)  # 1.04**2-1


def test_a_missing_level_counts_as_a_missing_period():
    levels = pd.Series([100.0, NAN, 110.0, 121.0], index=[2020, 2021, 2022, 2023])
    assert_allclose(transform(levels, "pch"), [NAN, NAN, NAN, 10.0])


def test_an_unsorted_index_is_read_by_period():
    shuffled = QUARTERLY_GAP.iloc[[6, 0, 3, 5, 1, 4, 2]]
    assert_allclose(transform(shuffled, "pc1"), pd.Series(QUARTERLY_EXPECTED["pc1"], index=QUARTERS)[shuffled.index])


@pytest.mark.parametrize(
    ("series", "n", "match"),
    [
        (QUARTERLY_GAP, 12, "quarters"),
        (pd.Series([1.0, 2.0], index=pd.DatetimeIndex(["2020-01-31", "2020-02-29"])), None, "pass n"),
        (pd.Series([1.0, 2.0], index=[2020, 2021]), 4, "years"),
        (pd.Series([1.0, 2.0], index=["2020Q1", "2020M02"]), None, "different lengths"),
        (pd.Series([1.0, 2.0], index=["2020Q1", "2020Q1-Q3"]), None, "ytd_to_single"),
        (pd.Series([1.0, 2.0], index=["2020Q1", "2020Q1"]), None, "twice"),
        (pd.Series([1.0, 2.0], index=pd.PeriodIndex(["2020-01-01", "2020-01-02"], freq="D")), None, "'Q'"),
        (pd.Series([1.0, 2.0], index=[2020.0, 2021.0]), None, "periods cannot be read"),
    ],
    ids=["n-disagrees", "dates-without-n", "years-with-n4", "mixed", "year-to-date", "duplicate", "daily", "float"],
)
def test_an_index_whose_periods_cannot_be_read_is_a_parameter_error_with_the_fix(series, n, match):
    with pytest.raises(ParameterError, match=match) as err:
        transform(series, "pch", n=n)
    assert "Fix:" in str(err.value)


def test_the_inverse_does_not_bridge_a_gap_unless_told_the_level_after_it():
    pch = transform(ANNUAL_GAP, "pch")
    # from 2015 alone: 2016 = 100 * 1.06; 2018 cannot be known (2017 is missing), nor 2019 after it
    assert_allclose(invert(pch, "pch", start=100.0), [100.0, 106.0, NAN, NAN])
    # given the level of 2018 (the period after the gap), the chain goes on: 2019 = 118 * 1.06
    anchors = pd.Series({2015: 100.0, 2018: 118.0})
    assert_allclose(invert(pch, "pch", start=anchors), ANNUAL_GAP)
    # a year-ago change needs the four quarters it starts from; 2020Q3 from 2019Q3 still works
    ch1 = transform(QUARTERLY_GAP, "ch1")
    back = invert(ch1, "ch1", start=[100.0, 102.0, 104.0, 105.0])
    assert_allclose(back, QUARTERLY_GAP)  # each quarter's year-ago quarter is known


quarter_labels = st.lists(st.booleans(), min_size=6, max_size=20).map(
    lambda keep: [f"{2015 + i // 4}Q{i % 4 + 1}" for i, k in enumerate(keep) if k or i < 4]
)


@given(levels_strategy, quarter_labels, st.sampled_from(TRANSFORMS))
def test_inverting_with_the_levels_where_the_change_is_undefined_gives_the_series_back(values, labels, how):
    # a quarterly series with gaps; the inverse gets the level wherever the transformation has no
    # reference period (the start of the series and the period after each gap)
    labels = labels[: len(values)]
    series = pd.Series(values[: len(labels)], index=labels)
    out = transform(series, how)
    if how in ("lin", "log"):
        start = series.iloc[:1]
    else:
        undefined = out.isna()
        start = series[undefined]
    assert_allclose(invert(out, how, start=start), series, rtol=1e-7)


@given(levels_strategy, st.sampled_from(TRANSFORMS), st.sampled_from([1, 4, 12]))
def test_without_gaps_by_period_is_by_row(values, how, n):
    series = pd.Series(values)
    lag = n if how in ("ch1", "pc1") else 1
    x, prev = series.to_numpy(), series.shift(lag).to_numpy()  # the row `lag` rows before
    by_row = {
        "lin": x,
        "chg": x - prev,
        "ch1": x - prev,
        "pch": (x / prev - 1) * 100,
        "pc1": (x / prev - 1) * 100,
        "pca": ((x / prev) ** n - 1) * 100,
        "cch": (np.log(x) - np.log(prev)) * 100,
        "cca": (np.log(x) - np.log(prev)) * 100 * n,
        "log": np.log(x),
    }[how]
    assert_allclose(transform(series, how, n=n), by_row, rtol=1e-9)


def test_levels_from_growth_stop_at_a_gap():
    growth = transform(ANNUAL_GAP, "pch")  # NaN, 6, NaN, 6
    # from 2016 = 106: 2015 = 106 / 1.06 = 100; 2018 has no growth from 2017, so 2018 and 2019 are unknown
    assert_allclose(levels_from_growth(106.0, 2016, growth), [100.0, 106.0, NAN, NAN])
    # from 2019 = 125.08: 2018 = 125.08 / 1.06 = 118; 2016 cannot come from 2018 across the gap
    assert_allclose(levels_from_growth(125.08, 2019, growth), [NAN, NAN, 118.0, 125.08])


def test_levels_from_quarterly_growth_labels():
    growth = pd.Series([NAN, 2.0, 1.0, 5.0], index=["2020Q1", "2020Q2", "2020Q3", "2021Q1"])
    # 2020Q2 = 100 * 1.02 = 102; 2020Q3 = 102 * 1.01 = 103.02; 2021Q1 follows 2020Q4, which is missing
    assert_allclose(levels_from_growth(100.0, "2020Q1", growth), [100.0, 102.0, 103.02, NAN])


def test_a_contribution_needs_the_previous_period():
    part = pd.Series({2019: 40.0, 2020: 44.0, 2022: 50.0})
    whole = pd.Series({2019: 100.0, 2020: 110.0, 2022: 130.0})
    c = contribution_to_growth(part, whole)
    # 2020: part +4 of whole +10 = 40%; pull 4/100 = 4 points. 2022: 2021 is missing, so nothing.
    assert_allclose(c.loc[2020], [40.0, 4.0])
    assert c.loc[2022].isna().all()


def test_levels_and_logs_refer_to_no_other_period_and_take_any_index():
    odd = pd.Series([1.0, np.e], index=[0.5, 1.5])  # a float index: no periods to read
    assert_allclose(transform(odd, "log"), [0.0, 1.0])
    assert_allclose(invert(transform(odd, "log"), "log", start=1.0), odd)
    assert transform(odd, "lin").equals(odd)
