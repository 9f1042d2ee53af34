"""Transformations economists expect, on a series of levels.

The FRED set (``units=`` in FRED's API), each with its inverse:

======  ==================================================  ===========================
code    transformation                                      formula
======  ==================================================  ===========================
lin     levels                                              x(t)
chg     change                                              x(t) - x(t-1)
ch1     change from a year ago                              x(t) - x(t-n)
pch     percent change                                      (x(t)/x(t-1) - 1) * 100
pc1     percent change from a year ago                      (x(t)/x(t-n) - 1) * 100
pca     compounded annual rate of change                    ((x(t)/x(t-1))**n - 1) * 100
cch     continuously compounded rate of change              (ln x(t) - ln x(t-1)) * 100
cca     continuously compounded annual rate of change       (ln x(t) - ln x(t-1)) * 100 * n
log     natural log                                         ln x(t)
======  ==================================================  ===========================

``n`` is the number of observations a year (1 annual, 4 quarterly, 12 monthly). Plus the
measures Chinese statistics publish: CAGR between two points, average annual growth over a span,
a share of a parent, a contribution to a parent's growth (贡献率) and the pull on it (拉动).

Bad input (a zero or negative base for a growth rate, a non-numeric series) raises
:class:`~indicators.errors.GrowthError` naming the value and the fix, never a numpy warning.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import GrowthError, ParameterError

TRANSFORMS = ("lin", "chg", "ch1", "pch", "pc1", "pca", "cch", "cca", "log")
_LOG_BASED = ("pch", "pc1", "pca", "cch", "cca", "log")


def _check_n(n: int) -> int:
    if n not in (1, 2, 4, 12):
        raise ParameterError("n", n, "not a number of observations a year", "use 1, 2, 4 or 12")
    return n


def _positive(series: pd.Series, what: str) -> None:
    bad = series[(series <= 0) & series.notna()]
    if len(bad):
        raise GrowthError(
            f"{what} needs positive levels, but {bad.index[0]!r} is {bad.iloc[0]!r}",
            fix="use changes (chg, ch1) for series that can be zero or negative",
            value=bad.iloc[0],
        )


def transform(series: pd.Series, how: str, *, n: int = 1) -> pd.Series:
    """Apply a FRED transformation (see the module docstring) to a series of levels."""
    if how not in TRANSFORMS:
        raise ParameterError("how", how, "not a transformation", f"use one of {', '.join(TRANSFORMS)}")
    n = _check_n(n)
    x = pd.to_numeric(series, errors="raise").astype(float)
    if how in _LOG_BASED:
        _positive(x, f"transformation {how!r}")
    if how == "lin":
        return x.copy()
    if how == "chg":
        return x.diff()
    if how == "ch1":
        return x.diff(n)
    if how == "pch":
        return (x / x.shift(1) - 1) * 100
    if how == "pc1":
        return (x / x.shift(n) - 1) * 100
    if how == "pca":
        return ((x / x.shift(1)) ** n - 1) * 100
    if how == "cch":
        return np.log(x).diff() * 100
    if how == "cca":
        return np.log(x).diff() * 100 * n
    return np.log(x)


def invert(transformed: pd.Series, how: str, *, start: Sequence[float] | float, n: int = 1) -> pd.Series:
    """Undo :func:`transform`: levels from the transformed series and the starting level(s).

    ``start`` is the first level (for ``chg``, ``pch``, ``pca``, ``cch``, ``cca``) or the first
    ``n`` levels (for ``ch1`` and ``pc1``); ignored for ``lin`` and ``log``.
    """
    if how not in TRANSFORMS:
        raise ParameterError("how", how, "not a transformation", f"use one of {', '.join(TRANSFORMS)}")
    n = _check_n(n)
    t = pd.to_numeric(transformed, errors="raise").astype(float)
    if how == "lin":
        return t.copy()
    if how == "log":
        return np.exp(t)
    lag = n if how in ("ch1", "pc1") else 1
    first = [start] if isinstance(start, int | float) else list(start)
    if len(first) != lag:
        raise ParameterError("start", start, f"{how!r} needs the first {lag} level(s)", f"pass {lag} value(s)")
    values = list(map(float, first))
    step = {
        "chg": lambda prev, v: prev + v,
        "ch1": lambda prev, v: prev + v,
        "pch": lambda prev, v: prev * (1 + v / 100),
        "pc1": lambda prev, v: prev * (1 + v / 100),
        "pca": lambda prev, v: prev * (1 + v / 100) ** (1 / n),
        "cch": lambda prev, v: prev * math.exp(v / 100),
        "cca": lambda prev, v: prev * math.exp(v / 100 / n),
    }[how]
    for v in t.iloc[lag:]:
        values.append(step(values[-lag], float(v)))
    return pd.Series(values, index=t.index, name=transformed.name)


def cagr(start: float, end: float, years: float) -> float:
    """Compound annual growth rate from ``start`` to ``end`` over ``years`` years, as a fraction.

    ``cagr(800, 1100, 3)`` is 0.1120 (11.20% a year).
    """
    if not (isinstance(years, int | float) and years > 0):
        raise GrowthError(f"the span is {years!r} years", fix="give a positive number of years", value=years)
    for name, v in (("start", start), ("end", end)):
        if v is None or not math.isfinite(float(v)):
            raise GrowthError(f"the {name} level is {v!r}", fix="give a finite number", value=v)
    if start <= 0 or end <= 0:
        bad = start if start <= 0 else end
        raise GrowthError(
            f"a compound growth rate needs positive levels, got start={start!r}, end={end!r}",
            fix="use the change (end - start) for series that can be zero or negative",
            value=bad,
        )
    return (end / start) ** (1 / years) - 1


def average_annual_growth(levels: pd.Series, start_year: int, end_year: int) -> float:
    """Average annual growth (a fraction) of an annual series from ``start_year`` (the base) to
    ``end_year``: the CAGR over ``end_year - start_year`` years (Chinese 年均增长)."""
    missing = [y for y in (start_year, end_year) if y not in levels.index]
    if missing:
        raise GrowthError(
            f"no level for {missing} in the series (years {list(levels.index)})",
            fix="choose years the series has",
            value=missing[0],
        )
    return cagr(float(levels[start_year]), float(levels[end_year]), end_year - start_year)


def level_from_average_growth(base_level: float, rate: float, years: int) -> float:
    """The level after ``years`` years of average growth ``rate`` (a fraction) from ``base_level``."""
    return base_level * (1 + rate) ** years


def share_of(part: pd.Series, whole: pd.Series) -> pd.Series:
    """The part as a percentage of the whole, aligned on the index."""
    part, whole = part.align(whole, join="inner")
    if (whole <= 0).any():
        raise GrowthError("a share needs a positive whole", fix="check the parent's levels", value=float(whole.min()))
    return part / whole * 100


def contribution_to_growth(part: pd.Series, whole: pd.Series) -> pd.DataFrame:
    """The part's contribution to the whole's growth, as published in Chinese statistics.

    ``contribution_pct`` (贡献率): the part's change as a percentage of the whole's change;
    ``pull_pp`` (拉动): the part's change as percentage points of the whole's prior level, so
    that the pulls of all parts add up to the whole's growth rate.
    """
    part, whole = part.align(whole, join="inner")
    d_part, d_whole = part.diff(), whole.diff()
    prior = whole.shift(1)
    contribution = (d_part / d_whole.where(d_whole != 0)) * 100
    pull = d_part / prior.where(prior > 0) * 100
    return pd.DataFrame({"contribution_pct": contribution, "pull_pp": pull}).iloc[1:]


def levels_from_growth(anchor_level: float, anchor_period, growth: pd.Series) -> pd.Series:
    """Levels implied by one known level and a series of period-on-period growth rates (%).

    ``growth[p]`` is the growth into period ``p`` from the period before; levels are computed
    forwards and backwards from ``anchor_period``.
    """
    periods = list(growth.index)
    if anchor_period not in periods:
        raise ParameterError("anchor_period", anchor_period, "not in the growth series", f"use one of {periods}")
    i0 = periods.index(anchor_period)
    levels = {anchor_period: float(anchor_level)}
    for i in range(i0 + 1, len(periods)):
        levels[periods[i]] = levels[periods[i - 1]] * (1 + float(growth.iloc[i]) / 100)
    for i in range(i0, 0, -1):
        g = float(growth.iloc[i])
        if g <= -100:
            raise GrowthError(f"growth into {periods[i]!r} is {g}%", fix="check the growth rate", value=g)
        levels[periods[i - 1]] = levels[periods[i]] / (1 + g / 100)
    return pd.Series([levels[p] for p in periods], index=growth.index, name="level")


def growth_from_levels(levels: pd.Series) -> pd.Series:
    """Period-on-period growth (%) of a series of levels (``pch``)."""
    return transform(levels, "pch")
