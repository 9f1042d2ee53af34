"""Year-to-date (累计) data as Chinese statistics publish it.

Flows are published as cumulative totals from January: 一季度 (``2023Q1``), 上半年 (``2023H1``),
前三季度 (``2023Q1-Q3``), 1-10月 (``2023M01-M10``), 全年 (``2023``). :func:`ytd_to_single`
turns such totals into single periods (Q2 = H1 − Q1) and :func:`single_to_ytd` back.

Cumulative *growth rates* cannot be differenced: the growth of Q3 alone depends on the level of
Q3 a year earlier, which the year-to-date rates do not give. :func:`single_period_growth`
refuses with the reason and the fix (difference the levels of both years, then compare).
"""

from __future__ import annotations

import pandas as pd

from ..data.periods import Period, month_label
from ..errors import IndicatorsError, ParameterError


class CumulativeGrowthError(IndicatorsError, ValueError):
    """Differencing year-to-date growth rates, which gives a meaningless number."""


def _parse_index(series: pd.Series) -> list[Period]:
    periods = [Period.parse(str(label)) for label in series.index]
    for p in periods:
        if not p.is_month_based:
            raise ParameterError("series", p.label, "not a month-based period", "use year-to-date periods of one year")
    return periods


def ytd_to_single(cumulative: pd.Series, *, kind: str = "flow") -> pd.Series:
    """Single periods from year-to-date totals of a flow, year by year.

    The first total of a year is itself a single period (Q1, or H1 when Q1 is missing); each
    later one minus the one before gives the months in between (``2023Q1-Q3`` minus ``2023H1``
    is ``2023Q3``). Only flows add up over time: a stock or a rate raises.
    """
    if kind != "flow":
        raise ParameterError(
            "kind", kind, "only flows (totals over a period) can be split into periods", "pass the levels of a flow"
        )
    periods = _parse_index(cumulative)
    for p in periods:
        if not p.is_year_to_date:
            raise ParameterError(
                "cumulative",
                p.label,
                "not a year-to-date total (it does not start in January)",
                "pass totals such as 2023Q1, 2023H1, 2023Q1-Q3, 2023",
            )
    values = dict(zip(periods, pd.to_numeric(cumulative).astype(float), strict=True))
    out: dict[str, float] = {}
    for year in sorted({p.year for p in periods}):
        ends = sorted((p for p in periods if p.year == year), key=lambda p: p.end)
        previous: Period | None = None
        for p in ends:
            if previous is None:
                out[p.label] = values[p]
            else:
                out[p.minus_months(previous).label] = values[p] - values[previous]
            previous = p
    return pd.Series(out, name=cumulative.name, dtype=float)


def single_to_ytd(single: pd.Series) -> pd.Series:
    """Year-to-date totals from single periods that follow each other from January."""
    periods = _parse_index(single)
    values = dict(zip(periods, pd.to_numeric(single).astype(float), strict=True))
    out: dict[str, float] = {}
    for year in sorted({p.year for p in periods}):
        parts = sorted((p for p in periods if p.year == year), key=lambda p: p.start)
        month, total = 1, 0.0
        for p in parts:
            if p.start.month != month:
                raise ParameterError(
                    "single",
                    p.label,
                    f"a gap before it: the months from {month:02d} are missing",
                    "pass consecutive periods starting in January",
                )
            total += values[p]
            out[month_label(year, 1, p.end.month)] = total
            month = p.end.month + 1
    return pd.Series(out, name=single.name, dtype=float)


def single_period_growth(cumulative_growth: pd.Series) -> pd.Series:
    """Refused: single-period growth cannot be had from cumulative growth rates."""
    raise CumulativeGrowthError(
        "cumulative (year-to-date) growth rates cannot be differenced into single-period rates: "
        "the growth of one quarter depends on that quarter's level a year earlier, which the "
        "cumulative rates do not give, and the rates weight each quarter by the prior year's "
        "level. Fix: turn the year-to-date LEVELS of both years into single periods with "
        "ytd_to_single(), then compute growth with transform(..., 'pc1')"
    )
