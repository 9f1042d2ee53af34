"""Trend models on short annual series: honest intervals, honest refusals.

What a series can say depends on how many final published levels it has: 5 or more give a
projection with a prediction interval, 3 or 4 at most the line "if the average growth
continued", 2 or fewer nothing. Derived and preliminary levels never enter a fit; an interval
wider than a factor of 3 is not shown; ETS keeps the best of several starting values.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from numpy.testing import assert_allclose
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

import indicators
from indicators import ParameterError, fit_trend
from indicators.analysis.trend import ets_fits

#: 12 years of a level whose growth slows from 12% to under 3% a year.
SLOWING = pd.Series([100, 112, 123, 132, 140, 147, 153, 159, 164, 169, 174, 179.0], index=range(2014, 2026))


def _log_years(values: pd.Series) -> pd.Series:
    return pd.Series(
        np.log(values.to_numpy()), index=pd.period_range(str(values.index[0]), periods=len(values), freq="Y")
    )


def _no_internal_ids(text: str) -> None:
    assert text
    assert not re.search(r"[a-z]+_[a-z]+|\bo-[0-9a-f]{6,}|loglinear|\bets\b|cagr", text), text


# -- how many levels a statement needs ------------------------------------------------------


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


def test_five_final_levels_give_a_projection_with_an_interval():
    values = pd.Series([100, 108, 119, 127, 140.0], index=range(2018, 2023))
    fit = fit_trend(values, to_year=2024)
    assert (fit.status, fit.method, fit.n_obs) == ("ok", "loglinear", 5)
    assert fit.value_at(2024)[["pi_lower", "pi_upper"]].notna().all()
    assert fit.reason_code == ""


@pytest.mark.parametrize("n", [3, 4])
def test_three_or_four_levels_give_only_the_average_growth_line_without_an_interval(n):
    values = pd.Series([100, 110, 118, 130.0][:n], index=range(2019, 2019 + n))
    last, end = 2018 + n, values.iloc[-1]
    fit = fit_trend(values, to_year=2025)
    assert (fit.status, fit.method) == ("cagr_only", "cagr")
    rate = (end / 100) ** (1 / (n - 1)) - 1  # the average growth from 2019 to the last year
    assert_allclose(fit.growth_rate, rate)
    assert_allclose(fit.value_at(2025)["mean"], end * (1 + rate) ** (2025 - last))
    assert fit.projection[["pi_lower", "pi_upper", "mean_lower"]].isna().all().all()
    assert fit.probability(2025, 150) is None
    assert fit.label_in("en") == f"if the 2019-{last} average growth continued (no model, no interval)"
    assert fit.label_in("zh").startswith(f"按2019-{last}年年均增速延续")
    assert fit.reason_code == "average_growth_line"
    assert dict(fit.reason_args) == {
        "n": str(n),
        "years": ", ".join(map(str, values.index)),
        "first": "2019",
        "last": str(last),
    }
    assert "an interval needs 5" in fit.reason_in("en") and "区间至少需要5个数据" in fit.reason_in("zh")
    assert fit.fit_years == [2019, last]  # the line rests on its two ends


@pytest.mark.parametrize(
    ("values", "code"),
    [
        (pd.Series(dtype=float), "no_levels"),
        (pd.Series({2023: 5003.38}), "too_few_levels"),
        (pd.Series({2013: 494.0, 2023: 2000.0}), "too_few_levels"),
    ],
)
def test_two_levels_or_fewer_give_nothing_and_say_why(values, code):
    fit = fit_trend(values, to_year=2025)
    assert (fit.status, fit.reason_code) == ("insufficient_data", code)
    assert fit.projection.empty and fit.fitted.empty and fit.fit_points.empty
    assert "annual level" in fit.reason and "insufficient data" in fit.describe()
    assert "年度总量数据" in fit.reason_in("zh")


def test_a_method_asked_for_with_too_few_levels_says_what_it_needs():
    values = pd.Series([100, 110, 118, 130.0], index=range(2019, 2023))
    fit = fit_trend(values, to_year=2025, method="loglinear")
    assert (fit.status, fit.reason_code) == ("insufficient_data", "method_needs_more")
    assert fit.reason_in("en") == "4 published annual level(s) (2019, 2020, 2021, 2022); the log-linear trend needs 5"
    assert fit.reason_in("zh").endswith("对数线性趋势至少需要5个")


def test_ets_needs_eight_consecutive_years_up_to_the_latest():
    years = list(range(2013, 2023))
    values = pd.Series(100 * 1.07 ** np.arange(10) * np.exp(np.sin(np.arange(10)) / 50), index=years)
    fit = fit_trend(values, to_year=2025, method="ets")
    assert (fit.status, fit.method) == ("ok", "ets")
    row = fit.value_at(2025)
    assert row["pi_lower"] < row["mean"] < row["pi_upper"]
    assert 0 <= fit.probability(2025, row["mean"]) <= 1
    short = fit_trend(values.iloc[-5:], to_year=2025, method="ets")
    assert (short.status, short.reason_code, dict(short.reason_args)) == (
        "insufficient_data",
        "ets_needs_run",
        {"needed": "8", "run": "5"},
    )
    # a long run that ends before the latest level is not used: the projection starts at the latest
    broken = values.drop(2021)
    assert fit_trend(broken, to_year=2025, method="ets").reason_code == "ets_needs_run"


def test_auto_picks_ets_on_long_runs_and_loglinear_on_short_or_gappy_series():
    long = pd.Series(100 * 1.05 ** np.arange(9) * np.exp(np.cos(np.arange(9)) / 40), index=range(2014, 2023))
    assert fit_trend(long, to_year=2025).method == "ets"
    gappy = long.drop([2016, 2019])
    assert fit_trend(gappy, to_year=2025).method == "loglinear"


def test_projecting_into_the_past_is_a_parameter_error():
    with pytest.raises(ParameterError, match="to_year"):
        fit_trend(pd.Series({2020: 1.0, 2021: 2.0}), to_year=2021)


# -- what enters a fit ------------------------------------------------------------------------


def test_derived_and_preliminary_levels_never_enter_a_fit():
    values = pd.Series([100, 108, 119, 127, 140, 152, 160.0], index=range(2016, 2023))
    figures = pd.DataFrame(
        {
            "year": range(2016, 2023),
            "status": ["derived", "reported", "reported", "reported", "reported", "reported", "preliminary"],
            "obs_id": [f"o-{i}" for i in range(7)],
            "source_id": ["s_derived", *["s_final"] * 5, "s_draft"],
        }
    )
    fit = fit_trend(values, to_year=2024, figures=figures)
    assert fit.fit_years == [2017, 2018, 2019, 2020, 2021]
    assert fit.fit_points[["obs_id", "source_id", "status"]].values.tolist() == [
        [f"o-{i}", "s_final", "reported"] for i in range(1, 6)
    ]
    assert fit.fit_points["value"].tolist() == [108, 119, 127, 140, 152]
    # the same fit as statsmodels on the final levels alone
    ols = sm.OLS(np.log([108, 119, 127, 140, 152.0]), sm.add_constant(np.arange(5.0))).fit()
    assert_allclose(fit.growth_rate, np.exp(ols.params[1]) - 1)
    # the year of the preliminary figure is projected (it has no final figure yet)
    assert list(fit.projection.index) == [2022, 2023, 2024]
    left_out = fit.excluded.set_index("period")
    assert left_out.at["2016", "reason"].startswith("derived from another figure: never fitted")
    assert left_out.at["2022", "reason"].startswith("preliminary (预计): not a final figure")
    assert fit.summary_frame().loc[2016:2022, "in_fit"].tolist() == [False, True, True, True, True, True, False]


def test_shipped_gdp_trend_fits_the_final_annual_levels_and_lists_them(shipped_data):
    fit = indicators.trend("gdp", "wcna", to_year=2025, data_dir=shipped_data)
    assert (fit.status, fit.method) == ("ok", "loglinear")
    assert fit.fit_years == [2013, 2014, 2015, 2016, 2017, 2018, 2020, 2021, 2022, 2023]
    points = fit.fit_points.set_index("year")
    assert_allclose(points.at[2023, "value"], 5003.4)  # China Daily's 500.34 billion yuan, in 亿元
    assert points.at[2018, "source_id"] == "chinadaily_2019_06_25"  # the final 351.7 billion, not the 预计 3500
    assert set(points["status"]) == {"reported"} and points["obs_id"].str.startswith("o-").all()
    reasons = set(fit.excluded["reason"])
    assert any("never mixed with annual data" in r for r in reasons)  # year-to-date totals left out
    assert any("a volume at the next year's prices" in r for r in reasons)  # 2016, derived at comparable prices
    assert "<table" in fit._repr_html_()


def test_four_final_levels_give_the_average_growth_line_and_a_preliminary_one_is_not_fitted(shipped_data):
    # budget revenue: final levels for 2014, 2015, 2016 and 2018; 2017 known only as the 预计 243.7
    fit = indicators.trend("budget_revenue", "wcna", to_year=2020, data_dir=shipped_data)
    assert (fit.status, fit.reason_code) == ("cagr_only", "average_growth_line")
    assert fit.fit_years == [2014, 2018]  # the line runs between the first and the last final level
    assert set(fit.fit_points["status"]) == {"reported"}
    assert fit.excluded.set_index("period").at["2017", "status"] == "preliminary"
    assert fit.projection["pi_lower"].isna().all()  # no interval


def test_an_indicator_without_annual_levels_is_insufficient_not_an_error(shipped_data):
    fit = indicators.trend("projects_signed_100m", "wcna", to_year=2025, data_dir=shipped_data)
    assert (fit.status, fit.reason_code) == ("insufficient_data", "no_levels")
    assert len(fit.excluded)


# -- intervals too wide to be useful ------------------------------------------------------------


def _interval_ratio(values: list[float]) -> tuple[float, float]:
    """Upper over lower bound of the 95% prediction interval one year ahead, by statsmodels, and
    the same with the normal quantile instead of Student's t."""
    n = len(values)
    ols = sm.OLS(np.log(values), sm.add_constant(np.arange(float(n)))).fit()
    pred = ols.get_prediction(np.array([[1.0, n]]))
    sf = pred.summary_frame(alpha=0.05)
    return float(np.exp(sf["obs_ci_upper"].iloc[0] - sf["obs_ci_lower"].iloc[0])), float(
        np.exp(2 * 1.959964 * np.asarray(pred.se_obs)[0])
    )


def test_an_interval_wider_than_a_factor_of_three_is_not_shown_a_short_series():
    levels = [100, 130, 115, 160, 140.0]
    ratio, z_ratio = _interval_ratio(levels)
    assert ratio > 3 >= z_ratio  # too wide because 5 points give few degrees of freedom
    fit = fit_trend(pd.Series(levels, index=range(2019, 2024)), to_year=2026)
    assert (fit.status, fit.method, fit.reason_code) == ("interval_too_wide", "loglinear", "interval_too_short")
    assert_allclose(fit.interval_ratio, ratio)
    assert fit.projection.empty and fit.probability(2026, 150) is None
    assert len(fit.fitted) == 5  # the fitted trend stays; its projection does not
    assert fit.reason_in("en").startswith("the 95% prediction interval for 2024 would span a factor of 3.4")
    assert "5 levels are too few" in fit.reason_in("en") and "个数据太少" in fit.reason_in("zh")


def test_an_interval_wider_than_a_factor_of_three_is_not_shown_a_noisy_series():
    levels = [100, 160, 90, 170, 120, 210, 130, 250, 160, 260.0]
    ratio, z_ratio = _interval_ratio(levels)
    assert ratio > z_ratio > 3  # too wide whatever the quantile: the data scatter too much
    fit = fit_trend(pd.Series(levels, index=range(2014, 2024)), to_year=2026, method="loglinear")
    assert (fit.status, fit.reason_code) == ("interval_too_wide", "interval_too_noisy")
    assert_allclose(fit.interval_ratio, ratio)
    assert "too noisy" in fit.reason_in("en") and "数据波动太大" in fit.reason_in("zh")


# -- ETS: several starting values, the best likelihood, a checked convergence -------------------


def test_ets_keeps_the_best_of_several_starts_where_statsmodels_default_stops_short():
    y = _log_years(SLOWING)
    # statsmodels from its default start: converges, at a poor optimum (no smoothing at all)
    default = ETSModel(y, error="add", trend="add").fit(disp=False)
    assert default.mle_retvals["converged"]
    assert default.params.iloc[0] < 1e-3  # smoothing_level
    # statsmodels from another start finds a much better likelihood: the reference fit
    slope = float(np.mean(np.diff(y.to_numpy())))
    reference = ETSModel(y, error="add", trend="add").fit(
        start_params=np.array([0.8, 0.72, float(y.iloc[0]) - slope, slope]), disp=False
    )
    assert reference.mle_retvals["converged"] and reference.llf > default.llf + 10
    ref = reference.get_prediction(start=12, end=12).summary_frame(alpha=0.05).iloc[0]

    fit = fit_trend(SLOWING, to_year=2026, method="ets")
    assert (fit.status, fit.method) == ("ok", "ets")
    assert_allclose(fit.log_likelihood, reference.llf, rtol=1e-6)
    row = fit.value_at(2026)
    assert_allclose(
        row[["mean", "pi_lower", "pi_upper"]].to_numpy(float), np.exp(ref[["mean", "pi_lower", "pi_upper"]]), rtol=1e-4
    )
    # the default start's 2026 forecast lies outside the converged fit's prediction interval
    default_2026 = float(np.exp(default.get_prediction(start=12, end=12).summary_frame()["mean"].iloc[0]))
    assert default_2026 > row["pi_upper"]
    assert_allclose(default_2026, 198.2, atol=0.05)
    assert_allclose(row[["mean", "pi_lower", "pi_upper"]].to_numpy(float), [184.1, 180.4, 187.9], atol=0.05)
    # the kept fit is the best of every start that converged
    tried = ets_fits(SLOWING)
    assert len(tried) == 5 and tried[0][0] is None
    assert_allclose(fit.log_likelihood, max(res.llf for _, res, ok in tried if ok), atol=1e-4)


def test_ets_that_converges_from_no_start_falls_back_to_the_loglinear_trend_and_says_so():
    exact = pd.Series(100 * 1.07 ** np.arange(10), index=range(2013, 2023))  # no noise: no likelihood maximum
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        raw = ETSModel(_log_years(exact), error="add", trend="add").fit(disp=False)
    assert not raw.mle_retvals["converged"] and caught  # statsmodels warns, and says so
    assert not any(ok for _, _, ok in ets_fits(exact))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the warnings were checked, not let through or silenced blindly
        fit = fit_trend(exact, to_year=2025)
    assert (fit.status, fit.method) == ("ok", "loglinear")
    assert fit.notes == (("ets_not_converged", (("starts", "5"),)),)
    assert fit.notes_in("en") == [
        "exponential smoothing did not converge from any of 5 starting values; the log-linear trend is used instead"
    ]
    assert "未收敛" in fit.notes_in("zh")[0]
    assert_allclose(fit.growth_rate, 0.07)


# -- where the projection starts, and what travels beside it ------------------------------------


def test_a_projection_never_covers_a_year_with_a_published_figure(shipped_data):
    # the West Coast's 2023 GDP is published: a fit that ends in 2022 is projected to 2024-2025 only
    fit = indicators.trend("gdp", "wcna", end_year=2022, to_year=2025, data_dir=shipped_data)
    assert fit.fit_years[-1] == 2022 and fit.status == "ok"
    assert list(fit.projection.index) == [2024, 2025]
    values = pd.Series([100, 108, 119, 127, 140.0], index=range(2018, 2023))
    skipped = fit_trend(values, to_year=2025, published_years=[2023])
    assert list(skipped.projection.index) == [2024, 2025]


def test_year_to_date_growth_and_official_expectations_travel_beside_the_projection(shipped_data):
    fit = indicators.trend("gdp", "wcna", to_year=2026, data_dir=shipped_data)
    assert list(fit.projection.index) == [2024, 2025, 2026]  # from the latest final level, 2023
    nowcast = fit.nowcast.set_index("period")
    assert list(nowcast.index) == ["2024Q1"]
    assert (nowcast.at["2024Q1", "value"], nowcast.at["2024Q1", "measure"]) == (6.0, "yoy_growth")
    expected = fit.expectations.set_index("period")
    assert set(expected.index) == {"2025", "2020-2025"}
    assert (expected.at["2025", "value"], expected.at["2025", "qualifier"], expected.at["2025", "status"]) == (
        5500.0,
        "more_than",
        "estimate",
    )
    beside = fit.beside_projection("zh")
    assert beside["kind"].tolist() == ["nowcast", "expectation", "expectation"]
    assert beside["label"].tolist() == ["已公布的年内累计增速（非预测）", "官方预计数", "官方预计数"]
    assert fit.beside_projection("en")["label"].iloc[0] == "published year-to-date growth (not a projection)"
    assert fit_trend(pd.Series([1.0, 2, 3], index=[2020, 2021, 2022])).beside_projection().empty


def test_a_preliminary_figure_without_a_final_one_is_an_expectation_not_a_fitted_level(shipped_data):
    # on 2019-03-31 the 2018 GDP was known only as the district's 预计 3500 亿元
    fit = indicators.trend("gdp", "wcna", to_year=2019, as_of="2019-03-31", data_dir=shipped_data)
    assert 2018 not in fit.fit_years and fit.status == "cagr_only"  # four final levels, 2014-2017
    expected = fit.expectations.set_index(["period", "measure"])
    assert expected.at[("2018", "level"), "value"] == 3500
    assert expected.at[("2018", "level"), "status"] == "preliminary"


def test_reasons_and_labels_name_no_internal_ids():
    cases = [
        fit_trend(pd.Series(dtype=float)),
        fit_trend(pd.Series({2020: 1.0, 2021: 2.0})),
        fit_trend(pd.Series([100, 110, 118.0], index=range(2019, 2022))),
        fit_trend(pd.Series([100, 110, 118.0], index=range(2019, 2022)), method="ets"),
        fit_trend(pd.Series([100, 110, 118.0, 120], index=range(2019, 2023)), method="loglinear"),
        fit_trend(pd.Series([100, 130, 115, 160, 140.0], index=range(2019, 2024))),
        fit_trend(pd.Series([100, -1.0, 3, 4, 5], index=range(2019, 2024))),
    ]
    for fit in cases:
        for language in ("en", "zh"):
            _no_internal_ids(fit.reason_in(language))
            _no_internal_ids(fit.label_in(language))


def test_growth_table_prefers_published_rates_and_flags_differences(shipped_data):
    table = indicators.growth_table("gdp", "wcna", data_dir=shipped_data)
    assert table.loc[2023, "published"] == 6.0 and table.loc[2023, "used"] == 6.0
    assert_allclose(table.loc[2023, "recomputed"], (5003.4 / 4691.85 - 1) * 100)
    assert table.loc[2023, "flag"] == "differs"
    assert table.loc[2014, "basis"] == "recomputed"
