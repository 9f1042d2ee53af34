"""The progress measure of Open SDG and Statistics Canada.

Sources: "Progress Measurement Methodology for the Sustainable Development Goals" (Open SDG
documentation, ``docs/progress-methodology.md``, Statistics Canada's method as released with Open
SDG 2.4.0, October 2025), the ``progress_calculation_options`` entry of Open SDG's indicator
configuration documentation, and sdg-build's ``sdg/ProgressMeasure.py`` (commit 139fede7). Their
formulas and constants are used; none of their code is.

With a target (Open SDG's "methodology 2")::

    CAGR_o = (x_t / x_0) ** (1 / (t - t_0)) - 1            observed growth since the base year
    CAGR_r = (target / x_0) ** (1 / (T - t_0)) - 1         growth needed from the base to the target
    R      = sign(x_0) * d * CAGR_o / |CAGR_r|              d = +1 if higher is better, -1 if lower

R >= 0.95 is on track, 0.60 <= R < 0.95 progress that needs acceleration, 0 <= R < 0.60
limited progress, R < 0 deterioration (each band includes its lower bound).

Without a target ("methodology 1") the growth itself is judged: v = sign(x_0) * d * CAGR_o
against 1.5%, 0.5% and 0 a year.

The rules, in the order they apply:

1. **A target that is met is achieved before anything else is computed**: the latest value at
   or beyond the target (``>=`` if higher is better, ``<=`` if lower) is "target achieved", score
   5, whatever the growth, the base year or the signs (12 → 0 with a target of at most 5 is
   achieved; the -100% growth to zero is not an obstacle).
2. The base year missing from the data moves to the next year that has data; the latest year is
   the last with data; fewer than two years from the base is insufficient data.
3. **Zeros**: a base value or a target of 0 is replaced by 0.001, as Open SDG does (an
   exponential model cannot start from or aim at zero); the target of 0 is also compared as
   0.001 in rule 1. ``base_value_used`` and ``target_used`` show the numbers used and
   ``reason`` says so. A latest value of 0 is a growth of -100%, well defined.
4. A base and a latest value of opposite signs are insufficient data (so does Open SDG). With
   negative values ``sign(x_0)`` flips the direction.
5. **A target equal to the base value and not met** is deterioration (R = -inf, score -5): the
   growth needed is zero, and since the target is not met the series has moved away from it.
   (sdg-build's formula divides by zero here.)
6. **Limit** (``limit=``, without a target only, as in Open SDG): a natural ceiling when higher
   is better (a share cannot pass 100%) or a floor when lower is better. Thresholds above 0 are
   multiplied by ``C`` (``a`` = 4.44)::

       C = 1 - (|x_0| / |L|) ** a               if |x_0| <= |L|
       C = 1 - ((2|L| - |x_0|) / |L|) ** a      if |L| < |x_0| < 2|L|
       C = 1                                    if |x_0| >= 2|L|   (also when both are 0)

   and a positive growth is scored on ``v / C``. With ``C`` = 0 (the base at the limit) any
   growth >= 0 is on track with score 5. Thresholds at or below 0 are not scaled (Open SDG's
   documentation; its code scales them too, which only differs for custom negative thresholds).
   A limit given with a target is ignored, as Open SDG does, and ``reason`` says so.

The score (-5 to 5, Open SDG's aggregation score) is piecewise linear: with a target R = -0.6 →
-5, 0.6 → 0, 0.95 → 2.5, 1.3 → 5; without one v = -2% → -5, 0 → -2.5, 0.5% → 0, 1.5% → 2.5,
2% → 5. A target achieved scores 5. With the default thresholds a score's band gives back the
category. Custom ``thresholds`` (``high``, ``med``, ``low``; any left out keeps its default)
move the category bands and the knots of the score as in sdg-build, but not its slopes, which
Open SDG set for the defaults: with custom thresholds the score's band and the category may differ.

Where Open SDG's formulas give nonsense the result is "insufficient data" with the reason, not a
number: a target year not after the base year (sdg-build divides by zero or compounds
backwards), a base value and a target of opposite signs (e.g. a negative base with a target of
0, used as 0.001: the root of a negative ratio), a base beyond its limit or a limit of the other
sign (sdg-build only warns "may yield unexpected results"), and a base year after the latest data
(sdg-build raises).
"""

from __future__ import annotations

import html
import math
import numbers
from collections.abc import Mapping, Sequence
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
#: Open SDG's replacement for a base value or a target of zero.
ZERO_REPLACEMENT = 0.001
#: The exponent ``a`` of Open SDG's scaling factor near a natural limit.
LIMIT_EXPONENT = 4.44


@dataclass(frozen=True)
class ProgressResult:
    """The progress measure of one series. ``ratio`` is R (with a target) or the direction-
    adjusted growth v (without one). ``base_value_used`` and ``target_used`` are the numbers the
    formulas used (0 becomes 0.001); ``coefficient`` is the scaling factor C near a ``limit``
    and ``thresholds_used`` the (high, med, low) thresholds the category was judged against."""

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
    limit: float | None = None
    coefficient: float | None = None
    thresholds_used: tuple[float, float, float] | None = None
    base_value_used: float | None = None
    target_used: float | None = None

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
            "base_value_used",
            "current_year",
            "current_value",
            "target",
            "target_used",
            "target_year",
            "direction",
            "limit",
            "coefficient",
            "thresholds_used",
            "reason",
        ]
        return pd.DataFrame({"value": [getattr(self, f) for f in fields]}, index=fields)

    def _repr_html_(self) -> str:
        return f"<div><b>{html.escape(self.label())}</b>{self.summary_frame().to_html()}</div>"


def _growth(v1: float, v0: float, t1: float, t0: float) -> float:
    if v1 == 0:
        return -1.0  # a fall to zero, whatever the span (avoids a root of -0.0)
    return (v1 / v0) ** (1 / (t1 - t0)) - 1


def category_from_ratio(ratio: float, thresholds: Mapping[str, float] = TARGET_THRESHOLDS) -> str:
    """The band of a ratio R (or of v without a target); lower bounds are inclusive."""
    if ratio >= thresholds["high"]:
        return "on_track"
    if ratio >= thresholds["med"]:
        return "acceleration_needed"
    if ratio >= thresholds["low"]:
        return "limited_progress"
    return "deterioration"


def score_with_target(ratio: float, thresholds: Mapping[str, float] = TARGET_THRESHOLDS) -> float:
    """Score of R: -0.6 → -5, 0.6 → 0, 0.95 → 2.5, 1.3 → 5, clipped to -5..5 (R = -inf → -5).

    The two slopes change at ``thresholds["med"]`` (0.6 by default), as in sdg-build."""
    slope = 5 / 0.7 if ratio >= thresholds["med"] else 5 / 1.2
    return min(max((ratio - 0.6) * slope, -5.0), 5.0)


def score_without_target(
    v: float, thresholds: Mapping[str, float] = NO_TARGET_THRESHOLDS, *, coefficient: float = 1.0
) -> float:
    """Score of the direction-adjusted growth v, with Open SDG's constants (set for its default
    thresholds 1.5%, 0.5%, 0): high → 2.5, med → 0, low → -2.5, -2% or below → -5, 2% or above → 5,
    clipped to -5..5 (with custom thresholds the middle pieces could leave that range).

    ``coefficient`` is the scaling factor C near a limit: a positive v is scored as v / C, and
    with C = 0 any v >= 0 scores 5."""
    if coefficient == 0 and v >= 0:
        return 5.0
    x = v / coefficient if v > 0 else v
    if x >= thresholds["high"]:
        score = 500 * x - 5
    elif x >= thresholds["med"]:
        score = 250 * x - 1.25
    elif x >= thresholds["low"]:
        score = 500 * x - 2.5
    else:
        score = 125 * v - 2.5
    return min(max(score, -5.0), 5.0)


def category_from_score(score: float) -> str:
    if score >= 2.5:
        return "on_track"
    if score >= 0:
        return "acceleration_needed"
    if score >= -2.5:
        return "limited_progress"
    return "deterioration"


def limit_coefficient(base_value: float, limit: float) -> float:
    """Open SDG's scaling factor C for a base value near a natural limit (see the module
    docstring): 0 at the limit, 1 from twice the limit (and when both are 0)."""
    b, lim = abs(base_value), abs(limit)
    if b >= 2 * lim:
        return 1.0
    if b <= lim:
        return 1 - (b / lim) ** LIMIT_EXPONENT
    return 1 - ((2 * lim - b) / lim) ** LIMIT_EXPONENT


def _thresholds(given: Mapping[str, float] | None, defaults: Mapping[str, float]) -> dict[str, float]:
    merged = dict(defaults)
    for key, value in (given or {}).items():
        if key not in defaults:
            raise ParameterError("thresholds", dict(given), f"unknown key {key!r}", "use the keys high, med and low")
        if not (isinstance(value, numbers.Real) and math.isfinite(value)):
            raise ParameterError("thresholds", dict(given), f"{key} is not a finite number", "give numbers")
        merged[key] = float(value)
    if not merged["high"] >= merged["med"] >= merged["low"]:
        raise ParameterError("thresholds", dict(given), "they are not in order", "give high >= med >= low")
    return merged


def _number(name: str, value: float | None) -> None:
    if value is not None and not (isinstance(value, numbers.Real) and math.isfinite(value)):
        raise ParameterError(name, value, "not a finite number", f"give {name} as a number or leave it out")


def progress(
    years: Sequence[int],
    values: Sequence[float],
    *,
    target: float | None = None,
    target_year: int = 2030,
    base_year: int = 2015,
    direction: str = "higher",
    thresholds: Mapping[str, float] | None = None,
    limit: float | None = None,
) -> ProgressResult:
    """The progress measure of an annual series, by Open SDG's rules (see the module docstring).

    ``direction`` is ``higher`` (Open SDG ``positive``) or ``lower`` (``negative``) is better.
    ``thresholds`` overrides some of ``high``/``med``/``low``; ``limit`` is a natural ceiling
    (higher is better) or floor (lower is better), used without a target only.
    """
    if direction not in ("higher", "lower"):
        raise ParameterError("direction", direction, "not a direction", "use 'higher' or 'lower'")
    _number("target", target)
    _number("limit", limit)
    th = _thresholds(thresholds, NO_TARGET_THRESHOLDS if target is None else TARGET_THRESHOLDS)
    series = pd.Series(list(map(float, values)), index=list(map(int, years))).dropna()
    if series.index.has_duplicates:
        dup = int(series.index[series.index.duplicated()][0])
        raise ParameterError("years", dup, "a year appears twice", "give one value per year")
    target_used = None if target is None else (ZERO_REPLACEMENT if target == 0 else float(target))
    base = dict(target=target, target_year=target_year, direction=direction, limit=limit, target_used=target_used)
    if series.empty:
        return ProgressResult("insufficient_data", "no values", **base)
    current_year = int(series.index.max())
    xt = float(series[current_year])
    d = 1.0 if direction == "higher" else -1.0
    notes = [] if target != 0 else ["the target 0 is used as 0.001, as Open SDG does"]

    # where the base is, if anywhere
    if base_year not in series.index:
        later = series.index[series.index > base_year]
        base_year = int(later.min()) if len(later) else base_year
    found = base_year in series.index
    x0 = float(series[base_year]) if found else None
    x0_used = None if x0 is None else (ZERO_REPLACEMENT if x0 == 0 else x0)
    if x0 == 0:
        notes.append("the base value 0 is used as 0.001, as Open SDG does")
    known = dict(current_year=current_year, current_value=xt, base_value_used=x0_used)
    if found:
        known.update(base_year=base_year, base_value=x0)
    span = current_year - base_year
    opposite = x0_used is not None and (x0_used > 0 > xt or x0_used < 0 < xt)
    cagr_o = _growth(xt, x0_used, current_year, base_year) if found and span >= 1 and not opposite else None
    if limit is not None and target is not None:
        notes.append("the limit is ignored with a target, as Open SDG does")

    def result(category: str, why: str = "", **kw) -> ProgressResult:
        return ProgressResult(category, "; ".join([why, *notes] if why else notes), **base, **known, **kw)

    # rule 1: a target met is achieved, whatever else
    if target_used is not None and (xt >= target_used if d > 0 else xt <= target_used):
        return result("target_achieved", method=2, score=5.0, cagr_observed=cagr_o)
    if not found:
        return result("insufficient_data", f"the base year {base_year} is after the latest data ({current_year})")
    if span < 1:
        return result("insufficient_data", f"only one year of data from the base year {base_year}")
    if opposite:
        return result("insufficient_data", "the base and the latest value have opposite signs")
    sign = -1.0 if x0 < 0 else 1.0

    if target is None:
        c = 1.0
        if limit is not None:
            kind = "ceiling" if d > 0 else "floor"
            if (x0 > limit) if d > 0 else (x0 < limit):
                why = f"the base value {x0:g} is beyond the limit {limit:g}, a {kind} when {direction} is better"
                return result("insufficient_data", why + "; check the limit or the data", method=1)
            if x0 * limit < 0:
                why = f"the limit {limit:g} and the base value {x0:g} have opposite signs"
                return result("insufficient_data", why, method=1)
            c = limit_coefficient(x0, limit)
        scaled = {k: t * c if t > 0 else t for k, t in th.items()}
        v = sign * d * cagr_o
        return result(
            category_from_ratio(v, scaled),
            method=1,
            score=score_without_target(v, th, coefficient=c),
            ratio=v,
            cagr_observed=cagr_o,
            coefficient=None if limit is None else c,
            thresholds_used=(scaled["high"], scaled["med"], scaled["low"]),
        )

    if target_year <= base_year:
        why = f"the target year {target_year} is not after the base year {base_year}"
        return result("insufficient_data", why, method=2, cagr_observed=cagr_o)
    if (target_used > 0) != (x0_used > 0):
        why = f"the target {target_used:g} and the base value {x0:g} have opposite signs"
        return result("insufficient_data", why, method=2, cagr_observed=cagr_o)
    cagr_r = _growth(target_used, x0_used, target_year, base_year)
    extra = dict(
        method=2, cagr_observed=cagr_o, cagr_required=cagr_r, thresholds_used=(th["high"], th["med"], th["low"])
    )
    if cagr_r == 0:
        why = "the target equals the base value and is not met: the series moved away from it (R = -inf)"
        return result("deterioration", why, score=score_with_target(-math.inf, th), ratio=-math.inf, **extra)
    ratio = sign * d * cagr_o / abs(cagr_r)
    return result(category_from_ratio(ratio, th), score=score_with_target(ratio, th), ratio=ratio, **extra)


def is_finite(x: float | None) -> bool:
    return x is not None and math.isfinite(x)
