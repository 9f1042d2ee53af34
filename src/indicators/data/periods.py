"""Periods as Chinese statistics publish them.

A period label is text in one canonical form (the grammar in ``data/raw/README.md``):

=========================  ===========================================================
``2023``                   calendar year (for a stock: at year end)
``2023Q1``                 one quarter (Q1 is also the year-to-date total to March)
``2023H1`` / ``2023H2``    half year (H1 is also the year-to-date total to June)
``2023Q1-Q3``              cumulative January to September (前三季度)
``2023M01-M10``            cumulative months (1-10月)
``2023M10``                one month
``2013-2023``              multi-year span from the base year to the end year
``2023-12-31``             a point in time
``2023-01-21/2023-01-27``  a span of days
=========================  ===========================================================

Each month-based span has exactly one label (``2023M01-M03`` is written ``2023Q1``) so that
labels can serve as keys.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from ..errors import PeriodError

PeriodKind = Literal["year", "quarter", "half", "months", "month", "span", "point", "days"]

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_HALF = re.compile(r"^(\d{4})H([12])$")
_Q1_Q3 = re.compile(r"^(\d{4})Q1-Q([1-4])$")
_MONTHS = re.compile(r"^(\d{4})M(\d{2})-M(\d{2})$")
_MONTH = re.compile(r"^(\d{4})M(\d{2})$")
_SPAN = re.compile(r"^(\d{4})-(\d{4})$")
_POINT = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DAYS = re.compile(r"^(\d{4}-\d{2}-\d{2})/(\d{4}-\d{2}-\d{2})$")

_MIN_YEAR, _MAX_YEAR = 1949, 2100


def month_label(year: int, first: int, last: int) -> str:
    """The canonical label of the months ``first``..``last`` (inclusive) of ``year``."""
    if not (1 <= first <= last <= 12):
        raise PeriodError(f"{year}M{first:02d}-M{last:02d}", "months must satisfy 1 <= first <= last <= 12")
    if (first, last) == (1, 12):
        return f"{year}"
    if last - first == 2 and first in (1, 4, 7, 10):
        return f"{year}Q{(first + 2) // 3}"
    if (first, last) == (1, 6):
        return f"{year}H1"
    if (first, last) == (7, 12):
        return f"{year}H2"
    if (first, last) == (1, 9):
        return f"{year}Q1-Q3"
    if first == last:
        return f"{year}M{first:02d}"
    return f"{year}M{first:02d}-M{last:02d}"


@dataclass(frozen=True, order=False)
class Period:
    """A parsed period label. Build one with :meth:`parse`."""

    label: str
    kind: PeriodKind
    start: dt.date
    end: dt.date

    @staticmethod
    def parse(label: str) -> Period:
        """Parse a canonical period label; raise :class:`PeriodError` naming the fix."""
        return _parse(str(label).strip())

    # -- month-based periods ---------------------------------------------------------------
    @property
    def is_month_based(self) -> bool:
        """A whole number of calendar months within one year."""
        return self.kind in ("year", "quarter", "half", "months", "month")

    @property
    def first_month(self) -> int | None:
        return self.start.month if self.is_month_based else None

    @property
    def last_month(self) -> int | None:
        return self.end.month if self.is_month_based else None

    @property
    def n_months(self) -> int | None:
        if not self.is_month_based:
            return None
        return self.end.month - self.start.month + 1

    @property
    def is_year_to_date(self) -> bool:
        """Starts in January (一季度, 上半年, 前三季度, 1-10月 and the full year itself)."""
        return self.is_month_based and self.start.month == 1

    @property
    def year(self) -> int:
        """The year the period ends in."""
        return self.end.year

    @property
    def base_year(self) -> int | None:
        """For a multi-year span: the base year (growth is measured from its level)."""
        return self.start.year if self.kind == "span" else None

    @property
    def n_years(self) -> int | None:
        """For a multi-year span: the number of years of growth (end year minus base year)."""
        return self.end.year - self.start.year if self.kind == "span" else None

    def minus_months(self, other: Period) -> Period:
        """The months of ``self`` not in ``other``, where ``other`` is a leading part of it.

        ``2023Q1-Q3`` minus ``2023H1`` is ``2023Q3``. Used to turn two year-to-date totals
        into one single period.
        """
        if not (self.is_month_based and other.is_month_based and self.year == other.year):
            raise PeriodError(self.label, f"cannot subtract {other.label!r}: not months of one year")
        if other.start != self.start or other.end >= self.end:
            raise PeriodError(self.label, f"{other.label!r} is not a leading part of it")
        return Period.parse(month_label(self.year, other.end.month + 1, self.end.month))

    def __str__(self) -> str:
        return self.label


def _month_period(label: str, year: int, first: int, last: int) -> Period:
    canonical = month_label(year, first, last)
    if canonical != label:
        raise PeriodError(label, f"the same months are written {canonical!r}; use that form")
    if first == last:
        kind: PeriodKind = "month"
    elif (first, last) == (1, 12):
        kind = "year"
    elif last - first == 2 and first in (1, 4, 7, 10):
        kind = "quarter"
    elif (first, last) in ((1, 6), (7, 12)):
        kind = "half"
    else:
        kind = "months"
    end = dt.date(year, last, calendar.monthrange(year, last)[1])
    return Period(label, kind, dt.date(year, first, 1), end)


def _check_year(label: str, year: int) -> int:
    if not (_MIN_YEAR <= year <= _MAX_YEAR):
        raise PeriodError(label, f"year {year} is outside {_MIN_YEAR}-{_MAX_YEAR}")
    return year


def _date(label: str, text: str) -> dt.date:
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        raise PeriodError(label, f"{text!r} is not a calendar date") from None
    _check_year(label, value.year)
    return value


@lru_cache(maxsize=4096)
def _parse(label: str) -> Period:
    if not label:
        raise PeriodError(label, "the period is empty")
    if m := _YEAR.match(label):
        return _month_period(label, _check_year(label, int(m[1])), 1, 12)
    if m := _QUARTER.match(label):
        q = int(m[2])
        return _month_period(label, _check_year(label, int(m[1])), 3 * q - 2, 3 * q)
    if m := _HALF.match(label):
        h = int(m[2])
        return _month_period(label, _check_year(label, int(m[1])), 6 * h - 5, 6 * h)
    if m := _Q1_Q3.match(label):
        return _month_period(label, _check_year(label, int(m[1])), 1, 3 * int(m[2]))
    if m := _MONTHS.match(label):
        first, last = int(m[2]), int(m[3])
        if not (1 <= first < last <= 12):
            raise PeriodError(label, "months must be 01-12 with the first before the last")
        return _month_period(label, _check_year(label, int(m[1])), first, last)
    if m := _MONTH.match(label):
        month = int(m[2])
        if not 1 <= month <= 12:
            raise PeriodError(label, "the month must be 01-12")
        return _month_period(label, _check_year(label, int(m[1])), month, month)
    if m := _SPAN.match(label):
        base, last = _check_year(label, int(m[1])), _check_year(label, int(m[2]))
        if last <= base:
            raise PeriodError(label, "the end year must come after the base year")
        return Period(label, "span", dt.date(base, 1, 1), dt.date(last, 12, 31))
    if _POINT.match(label):
        day = _date(label, label)
        return Period(label, "point", day, day)
    if m := _DAYS.match(label):
        first, last = _date(label, m[1]), _date(label, m[2])
        if last < first:
            raise PeriodError(label, "the last day comes before the first")
        return Period(label, "days", first, last)
    raise PeriodError(label, "it matches none of the period forms")
