"""Trend models on short annual series: honest intervals, honest refusals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from numpy.testing import assert_allclose

import indicators
from indicators import ParameterError, fit_trend


def test_loglinear_recovers_constant_growth_and_brackets_the_projection():
    years = list(range(2015, 2023))
    noise = np.array([0.01, -0.02, 0.015, 0.0, -0.01, 0.02, -0.015, 0.005])
    values = pd.Series(100 * 1.08 ** np.arange(8) * np.exp(noise), index=years)
    fit = fit_trend(values, to_year=2025, method="loglinear")
    assert (fit.status, fit.method) == ("ok", "loglinear")
    assert_allclose(fit.growth_rate, 0.08, atol=0.005)
    row = fit.value_at(2025)
    assert row["pi_lower"] < row["mean_lower"] < row["mean"] < row["mean_upper"] < row["pi_upper"]
    # the same numbers as statsmodels' own prediction, back-transformed
    X = sm.add_constant(np.arange(8.0))
    ols = sm.OLS(np.log(values.to_numpy()), X).fit()
    sf = ols.get_prediction(np.array([[1.0, 10.0]])).summary_frame(alpha=0.05)
    assert_allclose(
        row[["mean", "pi_lower", "pi_upper"]].to_numpy(float),
        np.exp(sf[["mean", "obs_ci_lower", "obs_ci_upper"]].to_numpy()[0]),
        rtol=1e-10,
    )


def test_probability_follows_the_predictive_distribution():
    values = pd.Series([100, 108, 119, 127, 140.0], index=range(2018, 2023))
    fit = fit_trend(values, to_year=2025, method="loglinear")
    mean = fit.value_at(2025)["mean"]
    assert_allclose(fit.probability(2025, mean), 0.5, atol=1e-9)  # the median of a log-normal
    lo, hi = fit.value_at(2025)[["pi_lower", "pi_upper"]]
    assert_allclose(fit.probability(2025, lo), 0.975, atol=1e-6)
    assert_allclose(fit.probability(2025, hi), 0.025, atol=1e-6)
    assert_allclose(fit.probability(2025, mean, comparator="at_most"), 0.5, atol=1e-9)


def test_ets_needs_eight_consecutive_years_and_gives_prediction_intervals():
    years = list(range(2013, 2023))
    values = pd.Series(100 * 1.07 ** np.arange(10) * np.exp(np.sin(np.arange(10)) / 50), index=years)
    fit = fit_trend(values, to_year=2025, method="ets")
    assert (fit.status, fit.method) == ("ok", "ets")
    row = fit.value_at(2025)
    assert row["pi_lower"] < row["mean"] < row["pi_upper"]
    assert 0 <= fit.probability(2025, row["mean"]) <= 1
    short = fit_trend(values.iloc[-5:], to_year=2025, method="ets")
    assert short.status == "insufficient_data" and "ets needs 8" in short.reason


def test_auto_picks_ets_on_long_runs_and_loglinear_on_short_or_gappy_series():
    long = pd.Series(100 * 1.05 ** np.arange(9) * np.exp(np.cos(np.arange(9)) / 40), index=range(2014, 2023))
    assert fit_trend(long, to_year=2025).method == "ets"
    gappy = long.drop([2016, 2019])
    assert fit_trend(gappy, to_year=2025).method == "loglinear"


def test_two_points_give_only_the_cagr_line_clearly_labelled():
    fit = fit_trend(pd.Series({2013: 494.0, 2023: 2000.0}), to_year=2025)
    assert (fit.status, fit.method) == ("cagr_only", "cagr")
    assert "no model and no interval" in fit.reason and "CAGR line" in fit.label
    assert_allclose(fit.value_at(2025)["mean"], 2000 * (2000 / 494) ** (2 / 10))
    assert np.isnan(fit.value_at(2025)["pi_lower"])
    assert fit.probability(2025, 2500) is None


@pytest.mark.parametrize("values", [pd.Series(dtype=float), pd.Series({2023: 5003.38})])
def test_below_two_points_the_result_says_insufficient_data_and_why(values):
    fit = fit_trend(values, to_year=2025)
    assert fit.status == "insufficient_data"
    assert "annual level" in fit.reason
    assert fit.projection.empty and "insufficient data" in fit.describe()


def test_projecting_into_the_past_is_a_parameter_error():
    with pytest.raises(ParameterError, match="to_year"):
        fit_trend(pd.Series({2020: 1.0, 2021: 2.0}), to_year=2021)


def test_shipped_gdp_trend_uses_annual_levels_only(shipped_data):
    fit = indicators.trend("gdp", "wcna", to_year=2025, data_dir=shipped_data)
    assert fit.status == "ok"
    assert list(fit.observed.index) == [2013, 2014, 2017, 2018, 2020, 2021, 2022, 2023]
    assert_allclose(fit.observed[2023], 5003.4)  # China Daily's 500.34 billion yuan, in 亿元
    reasons = set(fit.excluded["reason"])
    assert any("never mixed with annual data" in r for r in reasons)  # year-to-date totals left out
    assert any("a volume at the next year's prices" in r for r in reasons)  # 2016, derived at comparable prices
    assert "<table" in fit._repr_html_()


def test_an_indicator_without_annual_levels_is_insufficient_not_an_error(shipped_data):
    fit = indicators.trend("projects_signed_100m", "wcna", to_year=2025, data_dir=shipped_data)
    assert fit.status == "insufficient_data"
    assert "0 annual level(s)" in fit.reason and "not used" in fit.reason


def test_growth_table_prefers_published_rates_and_flags_differences(shipped_data):
    table = indicators.growth_table("gdp", "wcna", data_dir=shipped_data)
    assert table.loc[2023, "published"] == 6.0 and table.loc[2023, "used"] == 6.0
    assert_allclose(table.loc[2023, "recomputed"], (5003.4 / 4691.85 - 1) * 100)
    assert table.loc[2023, "flag"] == "differs"
    assert table.loc[2014, "basis"] == "recomputed"
