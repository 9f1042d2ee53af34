"""Periods: every form Chinese statistics publish, one canonical label each."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators import Period, PeriodError
from indicators.data.periods import month_label


@pytest.mark.parametrize(
    ("label", "kind", "start", "end"),
    [
        ("2023", "year", "2023-01-01", "2023-12-31"),
        ("2024Q1", "quarter", "2024-01-01", "2024-03-31"),
        ("2023H1", "half", "2023-01-01", "2023-06-30"),
        ("2023H2", "half", "2023-07-01", "2023-12-31"),
        ("2023Q1-Q3", "months", "2023-01-01", "2023-09-30"),
        ("2023M01-M10", "months", "2023-01-01", "2023-10-31"),
        ("2024M02", "month", "2024-02-01", "2024-02-29"),
        ("2013-2023", "span", "2013-01-01", "2023-12-31"),
        ("2022-12-31", "point", "2022-12-31", "2022-12-31"),
        ("2023-01-21/2023-01-27", "days", "2023-01-21", "2023-01-27"),
    ],
)
def test_each_published_form_parses(label, kind, start, end):
    p = Period.parse(label)
    assert (p.kind, p.start, p.end) == (kind, dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    assert str(p) == label


def test_year_to_date_spans_start_in_january():
    assert Period.parse("2023Q1-Q3").is_year_to_date
    assert Period.parse("2023H1").is_year_to_date
    assert Period.parse("2023").is_year_to_date
    assert not Period.parse("2023Q3").is_year_to_date
    assert not Period.parse("2013-2023").is_year_to_date


def test_multi_year_span_counts_growth_years_from_the_base_year():
    span = Period.parse("2013-2023")
    assert (span.base_year, span.n_years) == (2013, 10)
    assert Period.parse("2020-2025").n_years == 5


@pytest.mark.parametrize(
    ("label", "canonical"),
    [("2023M01-M03", "2023Q1"), ("2023M01-M06", "2023H1"), ("2023M01-M09", "2023Q1-Q3"), ("2023M01-M12", "2023")],
)
def test_each_span_of_months_has_one_label(label, canonical):
    with pytest.raises(PeriodError, match=canonical):
        Period.parse(label)


@pytest.mark.parametrize(
    "label",
    [
        "",
        "2023Q5",
        "2023H3",
        "2023年",
        "2023M13",
        "2023M10-M02",
        "2025-2020",
        "2023-02-30",
        "1800",
        "2023-02-01/2023-01-01",
    ],
)
def test_unreadable_periods_are_rejected_with_the_grammar(label):
    with pytest.raises(PeriodError) as err:
        Period.parse(label)
    assert "YYYYQ1-Q3" in str(err.value)
    assert isinstance(err.value, ValueError)


def test_subtracting_year_to_date_spans_gives_the_single_period():
    assert Period.parse("2023Q1-Q3").minus_months(Period.parse("2023H1")).label == "2023Q3"
    assert Period.parse("2023").minus_months(Period.parse("2023Q1-Q3")).label == "2023Q4"
    assert Period.parse("2023H1").minus_months(Period.parse("2023Q1")).label == "2023Q2"
    with pytest.raises(PeriodError):
        Period.parse("2023Q1").minus_months(Period.parse("2023H1"))


@given(st.integers(1950, 2099), st.integers(1, 12), st.integers(1, 12))
def test_month_labels_round_trip(year, a, b):
    first, last = min(a, b), max(a, b)
    p = Period.parse(month_label(year, first, last))
    assert (p.start.month, p.end.month, p.year) == (first, last, year)
    assert month_label(year, p.start.month, p.end.month) == p.label
