"""The results object of a trend: :class:`TrendResult`, with its labels in English and Chinese.

Built by :func:`~indicators.analysis.trend.fit_trend` and :func:`~indicators.analysis.trend.trend`
(see :mod:`.trend` for the rules); read by reports through its fields and ``*_in(language)``
methods, never recomputed.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import ParameterError
from .reasons import TREND_REASONS, Args, render

#: Status of a result: a projection with its interval; the average-growth line only; a model
#: whose interval is too wide to show (no projection); nothing.
STATUSES = ("ok", "cagr_only", "interval_too_wide", "insufficient_data")

METHOD_LABELS = {
    "en": {
        "loglinear": "log-linear trend (OLS on logs)",
        "ets": "exponential smoothing (ETS, additive trend on logs)",
        "cagr": "if the {first}-{last} average growth continued (no model, no interval)",
        "none": "insufficient data",
    },
    "zh": {
        "loglinear": "对数线性趋势",
        "ets": "指数平滑（ETS）",
        "cagr": "按{first}-{last}年年均增速延续（无模型、无区间）",
        "none": "数据不足",
    },
}
#: How a report labels the nowcast and the expectations it shows beside a projection.
NOWCAST_LABEL = {
    "en": "published year-to-date growth (not a projection)",
    "zh": "已公布的年内累计增速（非预测）",
}
EXPECTATION_LABEL = {"en": "official expectation (预计)", "zh": "官方预计数"}

#: The columns of ``fit_points``.
POINT_COLUMNS = ["year", "value", "obs_id", "source_id", "status"]


@dataclass(frozen=True)
class TrendResult:
    """A fitted trend and its projection.

    ``status`` (:data:`STATUSES`): ``ok`` (model, projection and prediction interval),
    ``cagr_only`` (the average-growth line, no interval), ``interval_too_wide`` (a model whose
    interval would be too wide: fitted values but no projection), ``insufficient_data``
    (nothing). ``reason_code``/``reason_args`` say why it is less than ``ok``
    (:meth:`reason_in`), ``notes`` how it was fitted (:meth:`notes_in`). ``observed`` holds the
    levels given, ``fit_points`` the figures that entered the fit, ``nowcast`` and
    ``expectations`` what was published after the latest final level.
    """

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
    reason_code: str = ""
    reason_args: Args = ()
    notes: tuple[tuple[str, Args], ...] = ()
    fit_points: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=POINT_COLUMNS), repr=False)
    interval_ratio: float | None = None
    log_likelihood: float | None = None
    nowcast: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    expectations: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    _log_draws: dict = field(default_factory=dict, repr=False)
    _t_dist: dict = field(default_factory=dict, repr=False)

    @property
    def n_obs(self) -> int:
        """How many figures entered the fit."""
        return len(self.fit_points)

    @property
    def fit_years(self) -> list[int]:
        return [int(y) for y in self.fit_points["year"]]

    @property
    def label(self) -> str:
        return self.label_in("en")

    def label_in(self, language: str = "en") -> str:
        """The method as a reader would name it; the average-growth line with its years."""
        method = self.method if self.status != "insufficient_data" else "none"
        years = self.fit_years or [0]
        return METHOD_LABELS[language][method].format(first=years[0], last=years[-1])

    def reason_in(self, language: str = "en") -> str:
        """Why the result says less than a projection with an interval, in ``language``."""
        return render(TREND_REASONS, self.reason_code, self.reason_args, language) or self.reason

    def notes_in(self, language: str = "en") -> list[str]:
        """How the trend was fitted (a run of consecutive years, a fallback), in ``language``."""
        return [render(TREND_REASONS, code, args, language) for code, args in self.notes]

    def beside_projection(self, language: str = "en") -> pd.DataFrame:
        """What a report shows beside the projection, labelled in ``language``: the ``nowcast``
        (kind ``nowcast``) and the official ``expectations`` (kind ``expectation``), one row per
        figure with its provenance and ``label``."""
        parts = [
            frame.assign(kind=kind, label=labels[language])
            for kind, frame, labels in (
                ("nowcast", self.nowcast, NOWCAST_LABEL),
                ("expectation", self.expectations, EXPECTATION_LABEL),
            )
            if len(frame)
        ]
        if not parts:
            return pd.DataFrame(columns=["kind", "label", "year", "period", "measure", "value", "unit", "status"])
        frame = pd.concat(parts, ignore_index=True)
        return frame[["kind", "label", *[c for c in frame.columns if c not in ("kind", "label")]]]

    def value_at(self, year: int) -> pd.Series:
        """The projection row of ``year`` (mean, CI and PI bounds)."""
        if year not in self.projection.index:
            raise ParameterError("year", year, "not projected", f"use one of {list(self.projection.index)}")
        return self.projection.loc[year]

    def probability(self, year: int, threshold: float, *, comparator: str = "at_least") -> float | None:
        """P(level in ``year`` >= ``threshold``) (or <= for ``at_most``) under the model's
        predictive distribution; ``None`` without a model and an interval."""
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
        """Observed levels (``in_fit``: whether each entered the fit), fitted and projected levels by year."""
        frame = pd.DataFrame(
            {"observed": self.observed, "in_fit": [y in set(self.fit_years) for y in self.observed.index]},
            index=self.observed.index,
        )
        frame = frame.join(pd.DataFrame({"fitted": self.fitted}), how="outer").join(self.projection, how="outer")
        frame.index.name = "year"
        return frame

    def describe(self, *, language: str = "en") -> str:
        zh = language == "zh"
        head = f"{self.indicator_id} in {self.region_id}: "
        if self.status == "insufficient_data":
            return head + ("数据不足：" if zh else "insufficient data — ") + self.reason_in(language)
        g = "" if self.growth_rate is None else f", {self.growth_rate * 100:.2f}%" + ("/年" if zh else " a year")
        count = "" if self.method == "cagr" else (f"，{self.n_obs}个数据" if zh else f" on {self.n_obs} years")
        text = head + self.label_in(language) + count + g
        if self.status == "interval_too_wide":
            text += ("；" if zh else "; ") + self.reason_in(language)
        return text

    def _repr_html_(self) -> str:
        frame = self.summary_frame().round(2)
        return f"<div><p><b>{html.escape(self.describe())}</b></p>{frame.to_html(na_rep='')}</div>"


def _empty_projection() -> pd.DataFrame:
    return pd.DataFrame(
        columns=["mean", "mean_lower", "mean_upper", "pi_lower", "pi_upper"], index=pd.Index([], name="year")
    )


def empty_projection() -> pd.DataFrame:
    return pd.DataFrame(
        columns=["mean", "mean_lower", "mean_upper", "pi_lower", "pi_upper"], index=pd.Index([], name="year")
    )
