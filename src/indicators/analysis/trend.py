"""Trend models for short annual series, honest about what a short series can say.

What enters a fit: the **final published** annual levels (status ``reported``). A level derived
from a published growth rate never does (the fit would agree with that rate by construction);
a preliminary figure (预计) for a year without a final one, and an estimate, travel beside the
projection as an official expectation (``expectations``) instead. ``fit_points`` lists exactly
the figures that entered the fit (year, value, obs_id, source_id, status), so that any sentence
about the fit can be generated from it.

How many are needed:

* 5 or more: a statistical projection with a prediction interval —
  ``loglinear``: ordinary least squares of ``ln(level)`` on the year (statsmodels OLS), constant
  growth, Student-t intervals with n - 2 degrees of freedom, back-transformed to levels (gaps
  allowed); ``ets``: exponential smoothing with additive error and additive trend on
  ``ln(level)`` (statsmodels ``ETSModel``, Holt's linear method with a likelihood) on a run of 8
  or more consecutive years ending at the latest level (on fewer, maximum likelihood drives the
  error variance towards zero and the intervals would claim a certainty the data lack);
* 3 or 4: at most the line "if the FIRST-LAST average growth continued" (``cagr``), labelled as
  such, with no interval (status ``cagr_only``);
* 2 or fewer: nothing (status ``insufficient_data``).

An interval too wide to be useful — upper over lower bound above 3 at the first projected year
— is not drawn, and neither is the projection it belongs to (status ``interval_too_wide``): the
reason says whether the series is too short (the interval would be narrow enough with a normal
quantile instead of Student's t) or too noisy.

ETS is fitted by maximum likelihood from several starting values (statsmodels' own, then a grid
of smoothing parameters); a fit counts only if the optimiser says it converged and raised no
convergence warning, and the converged fit with the best likelihood is kept. Starts are tried
until the best likelihood so far has been reached from two of them (or all were tried). If none
converges, the log-linear trend is used and the result's notes say so.

The projection starts after the latest final published year and never covers a year that
already has one (``published_years``). Later partial data — published year-to-date growth of
the current year — travel beside it as a labelled ``nowcast``.

``method="auto"`` takes ETS where 8 consecutive final levels end at the latest one, else the
log-linear trend on 5 or more, else the average-growth line on 3 or 4. A result that says less
than asked never raises: ``status``, ``reason_code`` and ``reason_args`` say which and why, in
English or Chinese (:mod:`.reasons`).
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Iterable, Iterator

import numpy as np
import pandas as pd

from ..data.catalog import load_observations
from ..errors import ParameterError
from .reasons import TREND_REASONS, pack
from .series import AnnualSeries, annual_series, as_date, current_figures, expected_figures, nowcast_figures
from .transform import cagr
from .trend_result import METHOD_LABELS, POINT_COLUMNS, STATUSES, TrendResult, empty_projection

METHODS = ("auto", "loglinear", "ets", "cagr")
#: Final published levels a method needs (``ets``: consecutive, ending at the latest).
MIN_YEARS = {"cagr": 3, "loglinear": 5, "ets": 8}
#: Upper over lower bound of the prediction interval at the first projected year above which
#: neither the interval nor the projection is shown.
MAX_INTERVAL_RATIO = 3.0
#: Starting values of the ETS smoothing parameters tried beside statsmodels' own: (alpha, beta
#: as a share of alpha), beta being bounded by alpha.
ETS_STARTS = ((0.3, 0.1), (0.3, 0.9), (0.8, 0.1), (0.8, 0.9))
#: Two starts whose log-likelihoods differ by no more than this reached the same optimum.
ETS_CONFIRM_LLF = 1e-4
#: Statuses whose figures enter a fit (derived, preliminary and estimated levels never do).
FITTED_STATUSES = ("reported",)


def _trailing_run(years: list[int]) -> list[int]:
    """The consecutive years ending at the latest one."""
    run: list[int] = []
    for y in sorted(years, reverse=True):
        if run and y != run[0] - 1:
            break
        run.insert(0, y)
    return run


def _points(values: pd.Series, figures: pd.DataFrame | None) -> pd.DataFrame:
    """One row per year of ``values`` with its provenance (empty where none was given)."""
    rows = []
    by_year = {} if figures is None else {int(r["year"]): r for r in figures.to_dict("records")}
    for year, value in values.items():
        r = by_year.get(int(year), {})
        rows.append(
            {
                "year": int(year),
                "value": float(value),
                "obs_id": str(r.get("obs_id", "")),
                "source_id": str(r.get("source_id", "")),
                "status": str(r.get("status", "")),
            }
        )
    return pd.DataFrame(rows, columns=POINT_COLUMNS)


_NOT_FITTED = {
    "derived": "derived from another figure: never fitted (the fit would agree with its inputs by construction)",
    "preliminary": "preliminary (预计): not a final figure, carried beside the projection as an expectation",
    "estimate": "an estimate: not a final figure, carried beside the projection as an expectation",
}


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
    figures: pd.DataFrame | None = None,
    published_years: Iterable[int] = (),
    nowcast: pd.DataFrame | None = None,
    expectations: pd.DataFrame | None = None,
) -> TrendResult:
    """Fit a trend to annual levels (index: years) and project it to ``to_year``.

    ``figures`` (the ``rows`` of an :class:`~.series.AnnualSeries`: ``year``, ``status``,
    ``obs_id``, ``source_id``) says where each level comes from: only final published levels
    are fitted. Without it every level given counts as one. ``published_years`` are never
    projected (they have a final figure outside ``values``); ``nowcast`` and ``expectations``
    are carried in the result as given.
    """
    if method not in METHODS:
        raise ParameterError("method", method, "not a trend method", f"use one of {', '.join(METHODS)}")
    if not 0 < alpha < 1:
        raise ParameterError("alpha", alpha, "not a probability", "use e.g. 0.05 for 95% intervals")
    values = pd.Series(pd.to_numeric(values).astype(float).to_numpy(), index=[int(y) for y in values.index])
    values = values.sort_index()
    points = _points(values, figures)
    fitted_mask = points["status"].isin(("", *FITTED_STATUSES))
    left_out = points[~fitted_mask]
    excluded = excluded.copy() if excluded is not None else pd.DataFrame()
    if len(left_out):
        extra = pd.DataFrame(
            {
                "period": left_out["year"].astype(str),
                "value_text": left_out["value"].map(lambda v: f"{v:g}"),
                "unit": unit,
                "status": left_out["status"],
                "source_id": left_out["source_id"],
                "reason": left_out["status"].map(_NOT_FITTED),
            }
        )
        excluded = pd.concat([excluded, extra], ignore_index=True)
    points = points[fitted_mask].reset_index(drop=True)
    meta = {
        "indicator_id": indicator_id,
        "region_id": region_id,
        "unit": unit,
        "excluded": excluded,
        "nowcast": nowcast if nowcast is not None else pd.DataFrame(),
        "expectations": expectations if expectations is not None else pd.DataFrame(),
    }
    last = int(values.index[-1]) if len(values) else None
    if to_year is not None and last is not None and to_year <= last:
        raise ParameterError("to_year", to_year, f"not after the last observed year {last}", f"use a year after {last}")
    series = pd.Series(points["value"].to_numpy(), index=points["year"].to_numpy())
    years = [int(y) for y in series.index]
    n = len(series)
    if n and (series <= 0).any():
        bad = series[series <= 0]
        return _nothing(values, meta, alpha, "nonpositive", year=bad.index[0], value=f"{bad.iloc[0]:g}")
    listed = ", ".join(map(str, years)) or "–"
    run = _trailing_run(years)
    if method == "auto":
        if n < MIN_YEARS["cagr"]:
            return _nothing(values, meta, alpha, "too_few_levels" if n else "no_levels", n=n, years=listed)
        method = "ets" if len(run) >= MIN_YEARS["ets"] else "loglinear" if n >= MIN_YEARS["loglinear"] else "cagr"
        line_reason = method == "cagr"
    else:
        line_reason = False
        if method == "ets" and len(run) < MIN_YEARS["ets"]:
            return _nothing(values, meta, alpha, "ets_needs_run", needed=MIN_YEARS["ets"], run=len(run))
        if n < MIN_YEARS[method]:
            return _nothing(
                values,
                meta,
                alpha,
                "method_needs_more",
                n=n,
                years=listed,
                needed=MIN_YEARS[method],
                method_en=METHOD_LABELS["en"][method].split(" (")[0] if method != "cagr" else "average-growth line",
                method_zh=METHOD_LABELS["zh"][method].split("（")[0] if method != "cagr" else "年均增速推算线",
            )
    never = set(int(y) for y in published_years) | set(years)
    horizon = [y for y in range(years[-1] + 1, (to_year or years[-1]) + 1) if y not in never]
    if method == "cagr":
        return _line(values, series, points, horizon, alpha, meta, line_reason)
    if method == "ets":
        used = series.loc[run]
        res, starts = _best_ets(used)
        if res is not None:
            notes = () if len(run) == n else (("ets_run", pack(first=run[0], last=run[-1])),)
            return _from_ets(values, used, points[points["year"].isin(run)], res, horizon, alpha, meta, notes)
        fallback = (("ets_not_converged", pack(starts=starts)),)
        return _fit_loglinear(values, series, points, horizon, alpha, meta, fallback)
    return _fit_loglinear(values, series, points, horizon, alpha, meta, ())


def _nothing(values: pd.Series, meta: dict, alpha: float, code: str, **args: object) -> TrendResult:
    return TrendResult(
        method="none",
        status="insufficient_data",
        reason=TREND_REASONS[code][0].format(**args),
        reason_code=code,
        reason_args=pack(**args),
        alpha=alpha,
        observed=values,
        fitted=pd.Series(dtype=float),
        projection=empty_projection(),
        **meta,
    )


def _line(
    values: pd.Series,
    series: pd.Series,
    points: pd.DataFrame,
    horizon: list[int],
    alpha: float,
    meta: dict,
    with_reason: bool,
) -> TrendResult:
    """The average-growth line from the first to the latest level: no model, no interval."""
    years = [int(y) for y in series.index]
    first, last = years[0], years[-1]
    rate = cagr(series.iloc[0], series.iloc[-1], last - first)
    fitted = pd.Series([series.iloc[0] * (1 + rate) ** (y - first) for y in years], index=years)
    proj = pd.DataFrame(
        {"mean": [series.iloc[-1] * (1 + rate) ** (y - last) for y in horizon]},
        index=pd.Index(horizon, name="year"),
    ).reindex(columns=empty_projection().columns)
    args = pack(n=len(years), years=", ".join(map(str, years)), first=first, last=last)
    return TrendResult(
        method="cagr",
        status="cagr_only",
        reason=TREND_REASONS["average_growth_line"][0].format(**dict(args)) if with_reason else "",
        reason_code="average_growth_line" if with_reason else "",
        reason_args=args if with_reason else (),
        alpha=alpha,
        observed=values,
        fitted=fitted,
        projection=proj,
        growth_rate=rate,
        fit_points=points.iloc[[0, -1]].reset_index(drop=True),
        **meta,
    )


def _too_wide(ratio: float, year: int, alpha: float, short: bool, n: int) -> dict:
    code = "interval_too_short" if short else "interval_too_noisy"
    args = pack(level=round((1 - alpha) * 100), year=year, ratio=f"{ratio:.1f}", n=n)
    return {"reason": TREND_REASONS[code][0].format(**dict(args)), "reason_code": code, "reason_args": args}


def _fit_loglinear(
    values: pd.Series,
    series: pd.Series,
    points: pd.DataFrame,
    horizon: list[int],
    alpha: float,
    meta: dict,
    notes: tuple,
) -> TrendResult:
    import statsmodels.api as sm
    from scipy import stats

    years = np.array(series.index, dtype=float)
    t0 = years[0]
    X = sm.add_constant(years - t0)
    fit = sm.OLS(np.log(series.to_numpy()), X).fit()
    fitted = pd.Series(np.exp(fit.fittedvalues), index=series.index)
    first = int(years[-1]) + 1
    asked = sorted({first, *horizon})
    pred = fit.get_prediction(sm.add_constant(np.array(asked, dtype=float) - t0, has_constant="add"))
    sf = pred.summary_frame(alpha=alpha)
    se = np.asarray(pred.se_obs)
    ratio = float(np.exp(sf["obs_ci_upper"].iloc[0] - sf["obs_ci_lower"].iloc[0]))
    common = dict(
        method="loglinear",
        alpha=alpha,
        observed=values,
        fitted=fitted,
        growth_rate=math.exp(fit.params[1]) - 1,
        fit_points=points,
        interval_ratio=ratio,
        log_likelihood=float(fit.llf),
        notes=notes,
        **meta,
    )
    if ratio > MAX_INTERVAL_RATIO:
        z_ratio = math.exp(2 * stats.norm.ppf(1 - alpha / 2) * se[0])
        return TrendResult(
            status="interval_too_wide",
            projection=empty_projection(),
            **_too_wide(ratio, first, alpha, z_ratio <= MAX_INTERVAL_RATIO, len(series)),
            **common,
        )
    rows, t_dist = [], {}
    for i, year in enumerate(asked):
        if year not in horizon:
            continue
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
        t_dist[year] = (float(sf["mean"].iloc[i]), float(se[i]), fit.df_resid)
    proj = pd.DataFrame(rows).set_index("year") if rows else empty_projection()
    return TrendResult(status="ok", reason="", projection=proj, _t_dist=t_dist, **common)


def _ets_log_series(used: pd.Series) -> pd.Series:
    run = [int(y) for y in used.index]
    return pd.Series(np.log(used.to_numpy()), index=pd.period_range(str(run[0]), periods=len(run), freq="Y"))


def _ets_tries(used: pd.Series) -> Iterator[tuple[tuple[float, float] | None, object, bool]]:
    from statsmodels.tools.sm_exceptions import ConvergenceWarning
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    y = _ets_log_series(used)
    model = ETSModel(y, error="add", trend="add")
    slope = float(np.mean(np.diff(y.to_numpy())))
    level = float(y.iloc[0]) - slope
    for start in (None, *ETS_STARTS):
        params = None if start is None else np.array([start[0], start[0] * start[1], level, slope])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            res = model.fit(start_params=params, disp=False)
        warned = False
        for w in caught:
            if issubclass(w.category, ConvergenceWarning):
                warned = True
            else:  # not ours to judge: pass it on
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        yield start, res, bool(res.mle_retvals.get("converged", False)) and not warned and bool(np.isfinite(res.llf))


def ets_fits(used: pd.Series) -> list[tuple[tuple[float, float] | None, object, bool]]:
    """Every ETS fit that :func:`fit_trend` may try on the levels ``used`` (consecutive years):
    from statsmodels' own starting values (``None``) and from each of :data:`ETS_STARTS`, with
    whether it converged (the optimiser says so and no convergence warning was raised)."""
    return list(_ets_tries(used))


def _best_ets(used: pd.Series) -> tuple[object | None, int]:
    """The converged fit with the best likelihood, and how many starts were tried. The starts
    are tried in order until the best likelihood so far has been reached from two of them
    (:data:`ETS_CONFIRM_LLF`), or all were tried."""
    best, confirmed, tried = None, 0, 0
    for _, res, ok in _ets_tries(used):
        tried += 1
        if not ok:
            continue
        if best is None or res.llf > best.llf + ETS_CONFIRM_LLF:
            best, confirmed = res, 1
        elif res.llf >= best.llf - ETS_CONFIRM_LLF:
            confirmed += 1
            best = res if res.llf > best.llf else best
        if confirmed >= 2:
            break
    return best, tried


def _from_ets(
    values: pd.Series,
    used: pd.Series,
    points: pd.DataFrame,
    res,
    horizon: list[int],
    alpha: float,
    meta: dict,
    notes: tuple,
) -> TrendResult:
    run = [int(y) for y in used.index]
    n = len(run)
    fitted = pd.Series(np.exp(res.fittedvalues.to_numpy()), index=run)
    steps = max([1, *(y - run[-1] for y in horizon)])
    pred = res.get_prediction(start=n, end=n + steps - 1).summary_frame(alpha=alpha)
    ratio = float(np.exp(pred["pi_upper"].iloc[0] - pred["pi_lower"].iloc[0]))
    growth = float(np.exp(np.mean(np.diff(np.log(fitted.to_numpy()))))) - 1
    common = dict(
        method="ets",
        alpha=alpha,
        observed=values,
        fitted=fitted,
        growth_rate=growth,
        fit_points=points.reset_index(drop=True),
        interval_ratio=ratio,
        log_likelihood=float(res.llf),
        notes=notes,
        **meta,
    )
    if ratio > MAX_INTERVAL_RATIO:
        return TrendResult(
            status="interval_too_wide",
            projection=empty_projection(),
            **_too_wide(ratio, run[-1] + 1, alpha, False, n),
            **common,
        )
    rows, draws = [], {}
    if horizon:
        sims = np.asarray(
            res.simulate(nsimulations=steps, repetitions=4000, anchor="end", rng=np.random.default_rng(20240603))
        )
        for i, year in enumerate(range(run[-1] + 1, run[-1] + steps + 1)):
            if year not in horizon:
                continue
            rows.append(
                {
                    "year": year,
                    "mean": math.exp(float(pred["mean"].iloc[i])),
                    "mean_lower": float("nan"),
                    "mean_upper": float("nan"),
                    "pi_lower": math.exp(float(pred["pi_lower"].iloc[i])),
                    "pi_upper": math.exp(float(pred["pi_upper"].iloc[i])),
                }
            )
            draws[year] = sims[i]
    proj = pd.DataFrame(rows).set_index("year") if rows else empty_projection()
    return TrendResult(status="ok", reason="", projection=proj, _log_draws=draws, **common)


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

    Only full-year levels at one price basis are considered
    (:func:`indicators.analysis.series.annual_series`), of which only the final published ones
    are fitted; what was left out is in the result's ``excluded``. The projection skips every
    year with a final published level (also outside ``start_year``-``end_year``); the
    year-to-date growth and the official expectations published after the latest final level
    come with it (``nowcast``, ``expectations``).
    """
    series: AnnualSeries = annual_series(indicator, region, as_of=as_of, data_dir=data_dir)
    values = series.values
    if start_year is not None:
        values = values[values.index >= start_year]
    if end_year is not None:
        values = values[values.index <= end_year]
    final = series.rows[series.rows["status"].isin(FITTED_STATUSES)]
    published_years = sorted(int(y) for y in final["year"])
    after = published_years[-1] if published_years else (min(series.years) - 1 if len(series) else 0)
    measures = ["level", "yoy_growth", "avg_annual_growth"]
    obs = current_figures(load_observations(indicator, region, measure=measures, data_dir=data_dir), as_date(as_of))
    nowcast = nowcast_figures(obs, after_year=after) if published_years else None  # nothing to be later than
    return fit_trend(  # fit_trend checks to_year against the last year
        values,
        to_year=to_year,
        method=method,
        alpha=alpha,
        indicator_id=indicator,
        region_id=region,
        unit=series.unit,
        excluded=series.excluded,
        figures=series.rows,
        published_years=published_years,
        nowcast=nowcast,
        expectations=expected_figures(obs, after_year=after),
    )


__all__ = ["METHODS", "MIN_YEARS", "STATUSES", "TrendResult", "ets_fits", "fit_trend", "trend"]
