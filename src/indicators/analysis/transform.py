"""Transformations economists expect, on a series of levels.

The FRED set (``units=`` in FRED's API), each with its inverse, with FRED's formulas ("What
formulas are used to calculate growth rates?", FRED Help, Federal Reserve Bank of St. Louis):

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

``t`` is a *period*, not a row: ``x(t-1)`` is the level of the period before and ``x(t-n)`` that
of the same period a year earlier, ``n`` being the number of periods a year (1 annual, 2 half
years, 4 quarterly, 12 monthly). Where that period is missing from the series (or its level is
missing), the result is missing: growth into 2018 is never taken from 2016 because 2017 is absent.

The periods are read from the index, which may be

- integers: years (``n`` = 1), or, with ``n`` > 1, consecutive period numbers (0, 1, 2, ... as
  in a default index); years with ``n`` > 1 are refused (label the quarters instead);
- period labels as this project writes them: ``"2020"``, ``"2020H1"``, ``"2020Q3"``,
  ``"2020M07"`` (``n`` follows from the labels; year-to-date totals such as ``"2020Q1-Q3"``
  are refused: make single periods with :func:`indicators.ytd_to_single` first);
- a pandas ``PeriodIndex`` of years, quarters or months (``n`` follows from its frequency);
- a ``DatetimeIndex``, read as periods of the frequency ``n`` that must then be given.

``lin`` and ``log`` refer to no other period and take any index.

Plus the measures Chinese statistics publish: CAGR between two points, average annual growth over
a span, a share of a parent, a contribution to a parent's growth (贡献率) and the pull on it (拉动).

Bad input (a zero or negative base for a growth rate, a non-numeric series, an index whose
periods cannot be read) raises :class:`~indicators.errors.GrowthError` or
:class:`~indicators.errors.ParameterError` naming the value and the fix, never a numpy warning.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..data.periods import Period
from ..errors import GrowthError, ParameterError, PeriodError

TRANSFORMS = ("lin", "chg", "ch1", "pch", "pc1", "pca", "cch", "cca", "log")
_LOG_BASED = ("pch", "pc1", "pca", "cch", "cca", "log")
_PER_YEAR = {"year": 1, "half": 2, "quarter": 4, "month": 12}  # single periods only
_YEARS = range(1900, 2101)


def _check_n(n: int) -> int:
    if n not in (1, 2, 4, 12):
        raise ParameterError("n", n, "not a number of observations a year", "use 1, 2, 4 or 12")
    return n


def _label_ordinal(label: object) -> tuple[int, int]:
    """``(periods a year, period number)`` of a label such as ``2020``, ``2020Q3``, ``2020M07``."""
    try:
        period = Period.parse(str(label).strip())
    except PeriodError:
        period = None
    per_year = _PER_YEAR.get(period.kind) if period is not None else None
    if period is None or per_year is None:
        raise ParameterError(
            "series.index",
            label,
            "not a single period (a year, 2020H1, 2020Q3 or 2020M07)",
            "label each observation with one period; turn year-to-date totals into single periods with "
            "ytd_to_single() first",
        )
    return per_year, period.year * per_year + (period.start.month - 1) // (12 // per_year)


def _ordinals(index: pd.Index, n: int | None) -> tuple[np.ndarray, int]:
    """A period number for each label of ``index`` (consecutive periods differ by 1) and the
    number of periods a year. ``n`` is checked against what the index says."""

    def agreed(found: int, what: str) -> int:
        if n is not None and _check_n(n) != found:
            raise ParameterError("n", n, f"the index holds {what} ({found} a year)", f"pass n={found} or leave n out")
        return found

    if isinstance(index, pd.PeriodIndex):
        freq = index.freq
        kinds = (
            (pd.offsets.YearEnd, 1, "years"),
            (pd.offsets.QuarterEnd, 4, "quarters"),
            (pd.offsets.MonthEnd, 12, "months"),
        )
        found = next(((k, what) for cls, k, what in kinds if isinstance(freq, cls) and freq.n == 1), None)
        if found is None:
            raise ParameterError(
                "series.index",
                index.freqstr,
                "not a frequency of years, quarters or months",
                "use a PeriodIndex with freq 'Y', 'Q' or 'M'",
            )
        if index.hasnans:
            raise ParameterError(
                "series.index", "NaT", "a period is missing from the index", "drop the row or give its period"
            )
        return np.asarray(index.asi8, dtype=np.int64), agreed(*found)
    if isinstance(index, pd.DatetimeIndex):
        if n is None:
            raise ParameterError(
                "n",
                None,
                "a date does not say how long its period is",
                "pass n (1, 2, 4 or 12) or convert the index with .to_period('Q')",
            )
        if index.hasnans:
            raise ParameterError(
                "series.index", "NaT", "a date is missing from the index", "drop the row or give its date"
            )
        _check_n(n)
        return np.asarray(index.year * n + (index.month - 1) * n // 12, dtype=np.int64), n
    if pd.api.types.is_integer_dtype(index.dtype):
        values = np.asarray(index, dtype=np.int64)
        if n is not None and _check_n(n) > 1 and len(values) and all(v in _YEARS for v in values):
            raise ParameterError(
                "n",
                n,
                f"the index holds years ({values[0]}, ...), one observation a year",
                "label sub-annual periods as 2020Q3 or 2020M07, or pass n=1",
            )
        return values, 1 if n is None else _check_n(n)
    if index.dtype == object or pd.api.types.is_string_dtype(index.dtype):
        parsed = [_label_ordinal(label) for label in index]
        kinds = {k for k, _ in parsed}
        if len(kinds) > 1:
            raise ParameterError(
                "series.index", list(index[:3]), "periods of different lengths", "give one frequency per series"
            )
        found = kinds.pop() if kinds else (n or 1)
        names = {1: "years", 2: "half years", 4: "quarters", 12: "months"}
        return np.array([o for _, o in parsed], dtype=np.int64), agreed(found, names.get(found, "periods"))
    raise ParameterError(
        "series.index",
        str(index.dtype),
        "periods cannot be read from this index",
        "use years, period labels, a PeriodIndex or a DatetimeIndex",
    )


def _by_period(x: pd.Series, n: int | None) -> tuple[np.ndarray, np.ndarray, int]:
    """The period numbers of ``x`` and its levels looked up by period number, and ``n``."""
    ords, n = _ordinals(x.index, n)
    if len(set(ords.tolist())) != len(ords):
        seen: set[int] = set()
        dup = next(label for label, o in zip(x.index, ords.tolist(), strict=True) if o in seen or seen.add(o))
        raise ParameterError("series.index", dup, "a period appears twice", "give one value per period")
    return ords, x.to_numpy(dtype=float), n


def _lagged(ords: np.ndarray, values: np.ndarray, lag: int) -> np.ndarray:
    """The level of the period ``lag`` periods before each one (NaN where there is none)."""
    by_period = pd.Series(values, index=ords)
    return by_period.reindex(ords - lag).to_numpy(dtype=float)


def _positive(series: pd.Series, what: str) -> None:
    bad = series[(series <= 0) & series.notna()]
    if len(bad):
        raise GrowthError(
            f"{what} needs positive levels, but {bad.index[0]!r} is {bad.iloc[0]!r}",
            fix="use changes (chg, ch1) for series that can be zero or negative",
            value=bad.iloc[0],
        )


def transform(series: pd.Series, how: str, *, n: int | None = None) -> pd.Series:
    """Apply a FRED transformation (see the module docstring) to a series of levels, period by period.

    ``n`` (periods a year) follows from a period index; give it for an integer index of
    period numbers or a ``DatetimeIndex``. A result whose earlier period is missing is missing:
    ``transform(pd.Series([100., 106, 118], index=[2015, 2016, 2018]), "pch")`` is
    NaN, 6.0, NaN (2017 is not in the series).
    """
    if how not in TRANSFORMS:
        raise ParameterError("how", how, "not a transformation", f"use one of {', '.join(TRANSFORMS)}")
    x = pd.to_numeric(series, errors="raise").astype(float)
    if how in _LOG_BASED:
        _positive(x, f"transformation {how!r}")
    if how in ("lin", "log"):  # no period is referred to
        if n is not None:
            _check_n(n)
        return x.copy() if how == "lin" else np.log(x)
    ords, v, n = _by_period(x, n)
    ref = _lagged(ords, v, n if how in ("ch1", "pc1") else 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = {
            "chg": lambda: v - ref,
            "ch1": lambda: v - ref,
            "pch": lambda: (v / ref - 1) * 100,
            "pc1": lambda: (v / ref - 1) * 100,
            "pca": lambda: ((v / ref) ** n - 1) * 100,
            "cch": lambda: (np.log(v) - np.log(ref)) * 100,
            "cca": lambda: (np.log(v) - np.log(ref)) * 100 * n,
        }[how]()
    return pd.Series(out, index=x.index, name=x.name)


def invert(
    transformed: pd.Series, how: str, *, start: Sequence[float] | float | pd.Series, n: int | None = None
) -> pd.Series:
    """Undo :func:`transform`: levels from the transformed series and the starting level(s).

    ``start`` is the level of the first period (for ``chg``, ``pch``, ``pca``, ``cch``,
    ``cca``) or of the first ``n`` consecutive periods from the first one (for ``ch1`` and
    ``pc1``); ignored for ``lin`` and ``log``. Each later level is rebuilt from the level of the
    period it refers to (the one before, or a year before); where that level is unknown (a gap)
    or the transformed value is missing, the level is missing, and so is every level that
    depends on it: a change alone cannot say where the series stood after a gap. To bridge gaps,
    pass ``start`` as a series of known levels by period (at least the first period(s) and the
    period(s) after each gap); a level given there is used as is.
    """
    if how not in TRANSFORMS:
        raise ParameterError("how", how, "not a transformation", f"use one of {', '.join(TRANSFORMS)}")
    t = pd.to_numeric(transformed, errors="raise").astype(float)
    if how in ("lin", "log"):
        if n is not None:
            _check_n(n)
        return t.copy() if how == "lin" else np.exp(t)
    ords, v, n = _by_period(t, n)
    lag = n if how in ("ch1", "pc1") else 1
    if isinstance(start, pd.Series):
        anchor_ords, anchor_values, _ = _by_period(pd.to_numeric(start, errors="raise").astype(float), n)
        known = dict(zip(anchor_ords.tolist(), anchor_values.tolist(), strict=True))
    else:
        first = [start] if np.ndim(start) == 0 else list(start)
        if len(first) != lag:
            raise ParameterError("start", start, f"{how!r} needs the first {lag} level(s)", f"pass {lag} value(s)")
        base = int(ords.min()) if len(ords) else 0
        known = {base + i: float(level) for i, level in enumerate(first)}
    step = {
        "chg": lambda prev, d: prev + d,
        "ch1": lambda prev, d: prev + d,
        "pch": lambda prev, d: prev * (1 + d / 100),
        "pc1": lambda prev, d: prev * (1 + d / 100),
        "pca": lambda prev, d: prev * (1 + d / 100) ** (1 / n),
        "cch": lambda prev, d: prev * math.exp(d / 100),
        "cca": lambda prev, d: prev * math.exp(d / 100 / n),
    }[how]
    levels = dict(known)
    for i in np.argsort(ords, kind="stable"):
        period = int(ords[i])
        if period in known:
            continue
        prev = levels.get(period - lag, math.nan)
        levels[period] = step(prev, float(v[i])) if math.isfinite(prev) and math.isfinite(v[i]) else math.nan
    return pd.Series([levels[int(o)] for o in ords], index=t.index, name=transformed.name)


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


def contribution_to_growth(part: pd.Series, whole: pd.Series, *, n: int | None = None) -> pd.DataFrame:
    """The part's contribution to the whole's growth, as published in Chinese statistics.

    ``contribution_pct`` (贡献率): the part's change as a percentage of the whole's change;
    ``pull_pp`` (拉动): the part's change as percentage points of the whole's prior level, so
    that the pulls of all parts add up to the whole's growth rate. Changes are from the period
    before (as ``chg``), so a period whose previous period is missing has none. The first row is
    left out.
    """
    part, whole = part.align(whole, join="inner")
    ords, p, _ = _by_period(part.astype(float), n)
    w = whole.to_numpy(dtype=float)
    prior = _lagged(ords, w, 1)
    d_part, d_whole = p - _lagged(ords, p, 1), w - prior
    with np.errstate(invalid="ignore", divide="ignore"):
        contribution = d_part / np.where(d_whole != 0, d_whole, np.nan) * 100
        pull = d_part / np.where(prior > 0, prior, np.nan) * 100
    return pd.DataFrame({"contribution_pct": contribution, "pull_pp": pull}, index=part.index).iloc[1:]


def levels_from_growth(anchor_level: float, anchor_period, growth: pd.Series, *, n: int | None = None) -> pd.Series:
    """Levels implied by one known level and a series of period-on-period growth rates (%).

    ``growth[p]`` is the growth into period ``p`` from the period before (``pch``); levels are
    computed forwards and backwards from ``anchor_period``, period by period. A level is given
    only for the periods of ``growth``; where the chain breaks (the period before is not in the
    series, or a growth rate is missing) the levels beyond the break are missing, because a
    growth rate into a period whose predecessor is unknown says nothing about its level.
    """
    periods = list(growth.index)
    if anchor_period not in periods:
        raise ParameterError("anchor_period", anchor_period, "not in the growth series", f"use one of {periods}")
    ords, g, _ = _by_period(pd.to_numeric(growth, errors="raise").astype(float), n)
    rate = dict(zip(ords.tolist(), g.tolist(), strict=True))
    a0 = int(ords[periods.index(anchor_period)])
    levels = {a0: float(anchor_level)}
    for o in sorted(o for o in rate if o > a0):
        prev, r = levels.get(o - 1, math.nan), rate[o]
        levels[o] = prev * (1 + r / 100) if math.isfinite(prev) and math.isfinite(r) else math.nan
    for o in sorted((o for o in rate if o < a0), reverse=True):
        after, r = levels.get(o + 1, math.nan), rate.get(o + 1, math.nan)
        if not (math.isfinite(after) and math.isfinite(r)):
            levels[o] = math.nan
            continue
        if r <= -100:
            label = periods[ords.tolist().index(o + 1)]
            raise GrowthError(f"growth into {label!r} is {r}%", fix="check the growth rate", value=r)
        levels[o] = after / (1 + r / 100)
    return pd.Series([levels[int(o)] for o in ords], index=growth.index, name="level")


def growth_from_levels(levels: pd.Series, *, n: int | None = None) -> pd.Series:
    """Period-on-period growth (%) of a series of levels (``pch``, from the period before)."""
    return transform(levels, "pch", n=n)
