"""The progress measure of Open SDG and Statistics Canada.

With a target (Open SDG's "methodology 2")::

    CAGR_o = (x_t / x_0) ** (1 / (t - t_0)) - 1            observed growth since the base year
    CAGR_r = (target / x_0) ** (1 / (T - t_0)) - 1         growth needed from the base to the target
    R      = sign(x_0) * d * CAGR_o / |CAGR_r|              d = +1 if higher is better, -1 if lower

A target already met is "target achieved" whatever R is. Otherwise R >= 0.95 is on track,
0.60 <= R < 0.95 progress that needs acceleration, 0 <= R < 0.60 limited progress, R < 0
deterioration (each band includes its lower bound).

Without a target ("methodology 1") the growth itself is judged: v = sign(x_0) * d * CAGR_o
against 1.5%, 0.5% and 0 a year.

The score (-5 to 5) maps each band linearly so that the band edges score 2.5, 0 and -2.5 (and a
target achieved scores 5), with Open SDG's constants; a score's band gives back the category. Base and target values of
zero are replaced by 0.001, as Open SDG does; a base year missing from the data moves to the
next year that has data.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from ..errors import ParameterError

CATEGORIES = (
    "target_achieved",
    "on_track",
    "acceleration_needed",
    "limited_progress",
    "deterioration",
    "insufficient_data",
)
LABELS = {
    "en": {
        "target_achieved": "Target achieved",
        "on_track": "On track",
        "acceleration_needed": "Progress, acceleration needed",
        "limited_progress": "Limited progress",
        "deterioration": "Deterioration",
        "insufficient_data": "Insufficient data",
    },
    "zh": {
        "target_achieved": "已实现目标",
        "on_track": "进展顺利",
        "acceleration_needed": "有进展，需加快",
        "limited_progress": "进展有限",
        "deterioration": "倒退",
        "insufficient_data": "数据不足",
    },
}
#: The stoplight colour of each category, in charts, tables and the HTML of results.
CATEGORY_COLOURS = {
    "target_achieved": "#1a7f37",
    "on_track": "#2da44e",
    "acceleration_needed": "#d4a72c",
    "limited_progress": "#e16f24",
    "deterioration": "#cf222e",
    "insufficient_data": "#8c959f",
}
#: Open SDG's status names (sdg-build, newest progress code) for our categories.
OPEN_SDG_STATUS = {
    "target_achieved": "target_achieved",
    "on_track": "substantial_progress",
    "acceleration_needed": "moderate_progress",
    "limited_progress": "limited_progress",
    "deterioration": "deterioration",
    "insufficient_data": "not_available",
}
TARGET_THRESHOLDS = {"high": 0.95, "med": 0.60, "low": 0.0}
NO_TARGET_THRESHOLDS = {"high": 0.015, "med": 0.005, "low": 0.0}


@dataclass(frozen=True)
class ProgressResult:
    """The progress measure of one series. ``ratio`` is R (with a target) or the direction-
    adjusted growth v (without one)."""

    category: str
    reason: str
    method: int | None = None
    score: float | None = None
    ratio: float | None = None
    cagr_observed: float | None = None
    cagr_required: float | None = None
    base_year: int | None = None
    base_value: float | None = None
    current_year: int | None = None
    current_value: float | None = None
    target: float | None = None
    target_year: int | None = None
    direction: str = "higher"

    @property
    def open_sdg_status(self) -> str:
        return OPEN_SDG_STATUS[self.category]

    def label(self, language: str = "en") -> str:
        return LABELS[language][self.category]

    def summary_frame(self) -> pd.DataFrame:
        fields = [
            "category",
            "score",
            "ratio",
            "cagr_observed",
            "cagr_required",
            "base_year",
            "base_value",
            "current_year",
            "current_value",
            "target",
            "target_year",
            "direction",
            "reason",
        ]
        return pd.DataFrame({"value": [getattr(self, f) for f in fields]}, index=fields)

    def _repr_html_(self) -> str:
        return f"<div><b>{html.escape(self.label())}</b>{self.summary_frame().to_html()}</div>"


def _growth(v1: float, v0: float, t1: float, t0: float) -> float:
    return (v1 / v0) ** (1 / (t1 - t0)) - 1


def category_from_ratio(ratio: float, thresholds: dict[str, float] = TARGET_THRESHOLDS) -> str:
    """The band of a ratio R (or of v without a target); lower bounds are inclusive."""
    if ratio >= thresholds["high"]:
        return "on_track"
    if ratio >= thresholds["med"]:
        return "acceleration_needed"
    if ratio >= thresholds["low"]:
        return "limited_progress"
    return "deterioration"


def score_with_target(ratio: float) -> float:
    """Score of R: 0.95 → 2.5, 0.6 → 0, 0 → -2.5, clipped to -5..5."""
    if ratio >= 0.6:
        return min((ratio - 0.6) * 5 / 0.7, 5.0)
    return max((ratio - 0.6) * 2.5 / 0.6, -5.0)


def score_without_target(v: float, thresholds: dict[str, float] = NO_TARGET_THRESHOLDS) -> float:
    """Score of the direction-adjusted growth v, with Open SDG's constants (set for its default
    thresholds 1.5%, 0.5%, 0): high → 2.5, med → 0, low → -2.5, -2% or below → -5."""
    if v >= thresholds["high"]:
        return min(500 * v - 5, 5.0)
    if v >= thresholds["med"]:
        return 250 * v - 1.25
    if v >= thresholds["low"]:
        return 500 * v - 2.5
    return max(125 * v - 2.5, -5.0)


def category_from_score(score: float) -> str:
    if score >= 2.5:
        return "on_track"
    if score >= 0:
        return "acceleration_needed"
    if score >= -2.5:
        return "limited_progress"
    return "deterioration"


def progress(
    years: Sequence[int],
    values: Sequence[float],
    *,
    target: float | None = None,
    target_year: int = 2030,
    base_year: int = 2015,
    direction: str = "higher",
    thresholds: dict[str, float] | None = None,
) -> ProgressResult:
    """The progress measure of an annual series (see the module docstring).

    ``direction`` is ``higher`` (Open SDG ``positive``) or ``lower`` (``negative``) is better.
    """
    if direction not in ("higher", "lower"):
        raise ParameterError("direction", direction, "not a direction", "use 'higher' or 'lower'")
    series = pd.Series(list(map(float, values)), index=list(map(int, years))).dropna()
    if series.index.has_duplicates:
        dup = int(series.index[series.index.duplicated()][0])
        raise ParameterError("years", dup, "a year appears twice", "give one value per year")
    base = dict(target=target, target_year=target_year, direction=direction)
    if series.empty:
        return ProgressResult("insufficient_data", "no values", **base)
    current_year = int(series.index.max())
    if base_year not in series.index:
        later = series.index[series.index > base_year]
        if base_year > current_year or later.empty:
            return ProgressResult(
                "insufficient_data", f"the base year {base_year} is after the latest data ({current_year})", **base
            )
        base_year = int(later.min())
    if current_year - base_year < 1:
        return ProgressResult("insufficient_data", f"only one year of data from the base year {base_year}", **base)
    x0, xt = float(series[base_year]), float(series[current_year])
    d = 1.0 if direction == "higher" else -1.0
    known = dict(base_year=base_year, base_value=x0, current_year=current_year, current_value=xt)
    x0_used = 0.001 if x0 == 0 else x0
    if (x0_used > 0) != (xt > 0) and xt != 0:
        return ProgressResult("insufficient_data", "the base and the latest value have opposite signs", **base, **known)
    if xt == 0 or (xt / x0_used) <= 0:
        return ProgressResult("insufficient_data", "a growth rate from or to zero is undefined", **base, **known)
    sign = 1.0 if x0_used > 0 else -1.0
    cagr_o = _growth(xt, x0_used, current_year, base_year)

    if target is None:
        th = thresholds or NO_TARGET_THRESHOLDS
        v = sign * d * cagr_o
        score = score_without_target(v, th)
        return ProgressResult(
            category_from_ratio(v, th),
            "",
            method=1,
            score=score,
            ratio=v,
            cagr_observed=cagr_o,
            **base,
            **known,
        )

    achieved = xt >= target if direction == "higher" else xt <= target
    if achieved:
        return ProgressResult("target_achieved", "", method=2, score=5.0, cagr_observed=cagr_o, **base, **known)
    if target_year <= base_year:
        return ProgressResult(
            "insufficient_data", f"the target year {target_year} is not after the base year", **base, **known
        )
    target_used = 0.001 if target == 0 else target
    if target_used / x0_used <= 0:
        return ProgressResult("insufficient_data", "the target and the base value have opposite signs", **base, **known)
    cagr_r = _growth(target_used, x0_used, target_year, base_year)
    if cagr_r == 0:
        return ProgressResult("insufficient_data", "the target equals the base value", **base, **known)
    ratio = sign * d * cagr_o / abs(cagr_r)
    th = thresholds or TARGET_THRESHOLDS
    return ProgressResult(
        category_from_ratio(ratio, th),
        "",
        method=2,
        score=score_with_target(ratio),
        ratio=ratio,
        cagr_observed=cagr_o,
        cagr_required=cagr_r,
        **base,
        **known,
    )


def is_finite(x: float | None) -> bool:
    return x is not None and math.isfinite(x)
