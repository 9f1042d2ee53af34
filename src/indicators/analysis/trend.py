"""Trend models for short annual series, with honest uncertainty.

* ``loglinear``: ordinary least squares of ``ln(level)`` on the year (statsmodels OLS): constant
  growth, confidence intervals for the trend and prediction intervals for a new year (Student t,
  n - 2 degrees of freedom), back-transformed to levels. Needs 3 years (gaps allowed).
* ``ets``: exponential smoothing with additive error and additive trend on ``ln(level)``
  (statsmodels ``ETSModel``, i.e. Holt's linear method with a likelihood), prediction intervals
  from the model. Needs a run of 8 consecutive years: on fewer, maximum likelihood drives the
  error variance towards zero and the intervals would claim a certainty the data do not have.
* ``cagr``: with exactly two years, only the compound-growth line through them, labelled as such,
  with no interval.

``method="auto"`` takes ETS where a run of 8 consecutive years exists, else the log-linear trend,
else the CAGR line. Below two years the result says "insufficient data" and why, never raises.
"""

from __future__ import annotations

import html
import math
import os
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import ParameterError
from .series import AnnualSeries, annual_series
from .transform import cagr

METHODS = ("auto", "loglinear", "ets", "cagr")
MIN_YEARS = {"cagr": 2, "loglinear": 3, "ets": 8}


@dataclass(frozen=True)
class TrendResult:
    """A fitted trend and its projection. ``status`` is ``ok``, ``cagr_only`` or
    ``insufficient_data`` (then ``reason`` says why, and the projection is empty)."""

    indicator_id: str
    region_id: str
    unit: str
    method: str
    status: str
    reason: str
    alpha: float
    observed: pd.Series = field(repr=False)
    fitted: pd.Series = field(repr=False)
    projection: pd.DataFrame = field(repr=False)
    growth_rate: float | None = None
    excluded: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    _log_draws: dict = field(default_factory=dict, repr=False)
    _t_dist: dict = field(default_factory=dict, repr=False)

    @property
    def n_obs(self) -> int:
        return len(self.observed)

    @property
    def label(self) -> str:
        if self.status == "insufficient_data":
            return "insufficient data"
        if self.method == "cagr":
            return "CAGR line through two points (no model, no interval)"
        if self.method == "ets":
            return "exponential smoothing (ETS, additive trend on logs)"
        return "log-linear trend (OLS on logs)"

    def value_at(self, year: int) -> pd.Series:
        """The projection row of ``year`` (mean, CI and PI bounds)."""
        if year not in self.projection.index:
            raise ParameterError("year", year, "not projected", f"use one of {list(self.projection.index)}")
        return self.projection.loc[year]

    def probability(self, year: int, threshold: float, *, comparator: str = "at_least") -> float | None:
        """P(level in ``year`` >= ``threshold``) (or <= for ``at_most``) under the model's
        predictive distribution; ``None`` for the CAGR line and without data."""
        if self.status != "ok" or threshold <= 0 or year not in self.projection.index:
            return None
        log_t = math.log(threshold)
        if year in self._log_draws:
            draws = self._log_draws[year]
            p = float(np.mean(draws >= log_t))
        else:
            from scipy import stats

            loc, scale, df = self._t_dist[year]
            p = float(stats.t.sf((log_t - loc) / scale, df))
        return p if comparator != "at_most" else 1 - p

    def summary_frame(self) -> pd.DataFrame:
        """Observed, fitted and projected levels by year."""
        frame = pd.DataFrame({"observed": self.observed, "fitted": self.fitted})
        frame = frame.join(self.projection, how="outer")
        frame.index.name = "year"
        return frame

    def describe(self) -> str:
        if self.status == "insufficient_data":
            return f"{self.indicator_id} in {self.region_id}: insufficient data — {self.reason}"
        g = "" if self.growth_rate is None else f", {self.growth_rate * 100:.2f}% a year"
        return f"{self.indicator_id} in {self.region_id}: {self.label} on {self.n_obs} years{g}"

    def _repr_html_(self) -> str:
        frame = self.summary_frame().round(2)
        return f"<div><p><b>{html.escape(self.describe())}</b></p>{frame.to_html(na_rep='')}</div>"


def _empty_projection() -> pd.DataFrame:
    return pd.DataFrame(
        columns=["mean", "mean_lower", "mean_upper", "pi_lower", "pi_upper"], index=pd.Index([], name="year")
    )


def _longest_run(years: list[int]) -> list[int]:
    best: list[int] = []
    run: list[int] = []
    for y in sorted(years):
        run = [*run, y] if run and y == run[-1] + 1 else [y]
        if len(run) >= len(best):
            best = run
    return best


def _insufficient(values: pd.Series, meta: dict, reason: str, alpha: float) -> TrendResult:
    return TrendResult(
        method="none",
        status="insufficient_data",
        reason=reason,
        alpha=alpha,
        observed=values,
        fitted=pd.Series(dtype=float),
        projection=_empty_projection(),
        **meta,
    )


def fit_trend(
    values: pd.Series,
    *,
    to_year: int | None = None,
    method: str = "auto",
    alpha: float = 0.05,
    indicator_id: str = "",
    region_id: str = "",
    unit: str = "",
    excluded: pd.DataFrame | None = None,
) -> TrendResult:
    """Fit a trend to annual levels (index: years) and project it to ``to_year``."""
    if method not in METHODS:
        raise ParameterError("method", method, "not a trend method", f"use one of {', '.join(METHODS)}")
    if not 0 < alpha < 1:
        raise ParameterError("alpha", alpha, "not a probability", "use e.g. 0.05 for 95% intervals")
    values = pd.Series(pd.to_numeric(values).astype(float).to_numpy(), index=[int(y) for y in values.index])
    values = values.sort_index()
    meta = {
        "indicator_id": indicator_id,
        "region_id": region_id,
        "unit": unit,
        "excluded": excluded if excluded is not None else pd.DataFrame(),
    }
    years = list(values.index)
    n = len(values)
    if n and (values <= 0).any():
        bad = values[values <= 0]
        return _insufficient(
            values, meta, f"levels must be positive for a growth trend ({bad.index[0]}: {bad.iloc[0]})", alpha
        )
    last = years[-1] if years else None
    if to_year is not None and last is not None and to_year <= last:
        raise ParameterError("to_year", to_year, f"not after the last observed year {last}", f"use a year after {last}")
    if method == "auto":
        method = "ets" if len(_longest_run(years)) >= MIN_YEARS["ets"] else "loglinear" if n >= 3 else "cagr"
    if n < MIN_YEARS[method]:
        why = f"{n} annual level(s) ({', '.join(map(str, years)) or 'none'}); {method} needs {MIN_YEARS[method]}"
        if excluded is not None and len(excluded):
            why += f"; {len(excluded)} other figure(s) not used (see .excluded)"
        return _insufficient(values, meta, why, alpha)
    horizon = list(range(last + 1, (to_year or last) + 1))

    if method == "cagr":
        first = years[0]
        rate = cagr(values.iloc[0], values.iloc[-1], last - first)
        fitted = pd.Series([values.iloc[0] * (1 + rate) ** (y - first) for y in years], index=years)
        proj = pd.DataFrame(
            {"mean": [values.iloc[-1] * (1 + rate) ** (y - last) for y in horizon]},
            index=pd.Index(horizon, name="year"),
        ).reindex(columns=_empty_projection().columns)
        return TrendResult(
            method="cagr",
            status="cagr_only",
            reason=f"only two years ({first}, {last}): the CAGR line, no model and no interval",
            alpha=alpha,
            observed=values,
            fitted=fitted,
            projection=proj,
            growth_rate=rate,
            **meta,
        )

    if method == "ets":
        return _fit_ets(values, horizon, alpha, meta)
    return _fit_loglinear(values, horizon, alpha, meta)


def _fit_loglinear(values: pd.Series, horizon: list[int], alpha: float, meta: dict) -> TrendResult:
    import statsmodels.api as sm

    years = np.array(values.index, dtype=float)
    t0 = years[0]
    X = sm.add_constant(years - t0)
    fit = sm.OLS(np.log(values.to_numpy()), X).fit()
    fitted = pd.Series(np.exp(fit.fittedvalues), index=values.index)
    rows, t_dist = [], {}
    if horizon:
        Xn = sm.add_constant(np.array(horizon, dtype=float) - t0, has_constant="add")
        pred = fit.get_prediction(Xn)
        sf = pred.summary_frame(alpha=alpha)
        for i, year in enumerate(horizon):
            rows.append(
                {
                    "year": year,
                    "mean": math.exp(sf["mean"].iloc[i]),
                    "mean_lower": math.exp(sf["mean_ci_lower"].iloc[i]),
                    "mean_upper": math.exp(sf["mean_ci_upper"].iloc[i]),
                    "pi_lower": math.exp(sf["obs_ci_lower"].iloc[i]),
                    "pi_upper": math.exp(sf["obs_ci_upper"].iloc[i]),
                }
            )
            t_dist[year] = (float(sf["mean"].iloc[i]), float(np.asarray(pred.se_obs)[i]), fit.df_resid)
    proj = pd.DataFrame(rows).set_index("year") if rows else _empty_projection()
    return TrendResult(
        method="loglinear",
        status="ok",
        reason="",
        alpha=alpha,
        observed=values,
        fitted=fitted,
        projection=proj,
        growth_rate=math.exp(fit.params[1]) - 1,
        _t_dist=t_dist,
        **meta,
    )


def _fit_ets(values: pd.Series, horizon: list[int], alpha: float, meta: dict) -> TrendResult:
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    run = _longest_run(list(values.index))
    used = values.loc[run]
    y = pd.Series(np.log(used.to_numpy()), index=pd.period_range(str(run[0]), periods=len(run), freq="Y"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter on short series; the fit is checked below
        res = ETSModel(y, error="add", trend="add").fit(disp=False)
    fitted = pd.Series(np.exp(res.fittedvalues.to_numpy()), index=run)
    rows, draws = [], {}
    if horizon:
        steps = horizon[-1] - run[-1]
        pred = res.get_prediction(start=len(y), end=len(y) + steps - 1).summary_frame(alpha=alpha)
        sims = res.simulate(nsimulations=steps, repetitions=4000, anchor="end", rng=np.random.default_rng(20240603))
        sims = np.asarray(sims)
        for i, year in enumerate(range(run[-1] + 1, horizon[-1] + 1)):
            if year not in horizon:
                continue
            mean_log = float(pred["mean"].iloc[i])
            rows.append(
                {
                    "year": year,
                    "mean": math.exp(mean_log),
                    "mean_lower": float("nan"),
                    "mean_upper": float("nan"),
                    "pi_lower": math.exp(float(pred["pi_lower"].iloc[i])),
                    "pi_upper": math.exp(float(pred["pi_upper"].iloc[i])),
                }
            )
            draws[year] = sims[i]
    proj = pd.DataFrame(rows).set_index("year") if rows else _empty_projection()
    growth = float(np.exp(np.mean(np.diff(np.log(fitted.to_numpy()))))) - 1  # ETS has 8+ fitted years
    return TrendResult(
        method="ets",
        status="ok",
        reason="" if len(run) == len(values) else f"fitted on the consecutive years {run[0]}-{run[-1]}",
        alpha=alpha,
        observed=values,
        fitted=fitted,
        projection=proj,
        growth_rate=growth,
        _log_draws=draws,
        **meta,
    )


def trend(
    indicator: str,
    region: str = "wcna",
    *,
    to_year: int | None = None,
    method: str = "auto",
    alpha: float = 0.05,
    start_year: int | None = None,
    end_year: int | None = None,
    as_of: str | None = None,
    data_dir: str | os.PathLike[str] | None = None,
) -> TrendResult:
    """Fit a trend to an indicator's annual levels in a region and project it to ``to_year``.

    Only full-year levels at one price basis are used (:func:`indicators.analysis.series.annual_series`);
    what was left out is in the result's ``excluded``.
    """
    series: AnnualSeries = annual_series(indicator, region, as_of=as_of, data_dir=data_dir)
    values = series.values
    if start_year is not None:
        values = values[values.index >= start_year]
    if end_year is not None:
        values = values[values.index <= end_year]
    return fit_trend(  # fit_trend checks to_year against the last year
        values,
        to_year=to_year,
        method=method,
        alpha=alpha,
        indicator_id=indicator,
        region_id=region,
        unit=series.unit,
        excluded=series.excluded,
    )
