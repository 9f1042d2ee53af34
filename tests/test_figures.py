"""A figure's precision and qualifier (indicators.data.figures): decimal rounding half up, the
significant figures a derived figure may claim, the qualifier its inputs imply, exact unit changes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.data.figures import (
    combine_qualifiers,
    convert_text,
    difference_text,
    growth_factor_text,
    quotient_text,
    round_half_up,
    significant_figures,
    to_significant,
)


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        ("31.45", 1, "31.5"),  # a binary float rounds 31.45 down to 31.4
        (1.95, 1, "2.0"),  # and 1.95 down to 1.9
        ("2.5", 0, "3"),
        ("-2.5", 0, "-3"),  # half away from zero
        ("0.125", 2, "0.13"),
        ("7506.03", -2, "7.5E+3"),
    ],
)
def test_rounding_is_decimal_half_up_on_the_figure_as_published(value, decimals, expected):
    assert str(round_half_up(value, decimals)) == expected


def test_binary_floats_would_round_the_published_figures_down():
    """The reason for the module: Python's own rounding of the binary float gives the other answer."""
    assert f"{31.45:.1f}" == "31.4" and f"{1.95:.1f}" == "1.9"


@pytest.mark.parametrize(
    ("text", "figures"),
    [("4691.85", 6), ("40.4", 3), ("0.05", 1), ("2000", 1), ("2000.0", 5), ("99", 2), ("1.060", 4), ("0", 1)],
)
def test_significant_figures_as_written(text, figures):
    assert significant_figures(text) == figures


def test_a_parent_level_from_nearly_2000_and_40_4_percent_is_a_nearly_figure_of_one_significant_figure():
    # 近2000 / 40.4% = 4950.5: "2000" carries one significant figure
    assert quotient_text(2000 / 0.404, ["2000", "40.4"]) == "5000"
    assert combine_qualifiers([("nearly", +1), ("exact", -1)]) == "nearly"


def test_a_quotient_by_more_than_99_percent_is_an_upper_bound_never_about():
    # 约56.7 / 超过99% ≤ 57.3: the share is a lower bound, so the quotient is an upper one
    assert combine_qualifiers([("about", +1), ("more_than", -1)]) == "less_than"
    assert combine_qualifiers([("exact", +1), ("at_least", -1)]) == "at_most"
    assert quotient_text(56.7 / 0.99, ["56.7", "99"]) == "57"


def test_bounds_that_point_opposite_ways_say_nothing():
    assert combine_qualifiers([("more_than", +1), ("more_than", -1)]) is None
    assert combine_qualifiers([("nearly", +1), ("nearly", -1)]) is None


def test_exact_inputs_give_an_exact_figure_and_about_stays_about():
    assert combine_qualifiers([("exact", +1), ("exact", -1)]) == "exact"
    assert combine_qualifiers([("about", +1), ("exact", -1)]) == "about"


def test_a_count_of_items_is_exact_and_its_quotient_is_a_whole_number():
    # 6 项 / 46.2% = 12.99: three significant figures from 46.2%, then whole items
    assert quotient_text(6 / 0.462, [None, "46.2"], whole=True) == "13"


def test_a_prior_years_level_keeps_the_precision_of_its_growth_factor():
    assert growth_factor_text("6.0") == "1.060"
    assert growth_factor_text("-3") == "0.97"
    assert quotient_text(5003.38 / 1.06, ["5003.38", growth_factor_text("6.0")]) == "4720"


def test_a_difference_keeps_the_decimals_of_its_least_precise_input():
    assert difference_text(3650.31 - 2379.41, ["3650.31", "2379.41"]) == "1270.90"
    assert difference_text(2500 - 1196.5, ["2500", "1196.5"]) == "1304"


@pytest.mark.parametrize(
    ("text", "frm", "to", "expected"),
    [
        ("289.20", 1e9, 1e8, "2892.0"),  # billion yuan → 亿元
        ("1.20015", 1e12, 1e8, "12001.5"),  # trillion yuan → 亿元
        ("5003.38", 1e8, 1e9, "500.338"),  # 亿元 → billion yuan: one more decimal, nothing lost
        ("199.35", 1e4, 1e3, "1993.5"),  # 万人 → thousand persons
        ("17.4", 1e8, 1e9, "1.74"),  # 亿美元 → billion US dollars
        ("2000", 1e8, 1e9, "200"),  # a whole number's written zeros are not significant
        ("5994", 1e8, 1e9, "599.4"),
        ("5", 1e8, 7.0, None),  # not a power of ten apart
    ],
)
def test_unit_changes_are_exact_decimal_shifts(text, frm, to, expected):
    assert convert_text(text, frm, to) == expected


@given(st.decimals(min_value=-(10**6), max_value=10**6, places=3, allow_nan=False), st.integers(0, 3))
def test_rounding_half_up_is_within_half_a_unit_and_ties_go_away_from_zero(number, places):
    rounded = round_half_up(number, places)
    unit = Decimal(1).scaleb(-places)
    assert abs(rounded - number) <= unit / 2
    if abs(rounded - number) == unit / 2 and number != 0:
        assert abs(rounded) > abs(number)


@given(st.decimals(min_value=Decimal("0.001"), max_value=10**9, places=3, allow_nan=False), st.integers(1, 6))
def test_rounding_to_significant_figures_is_idempotent_and_keeps_at_most_that_many(number, figures):
    once = to_significant(number, figures)
    assert to_significant(once, figures) == once
    assert significant_figures(format(once.normalize(), "f")) <= figures


@given(st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False), st.integers(-3, 3))
def test_a_unit_change_keeps_the_value_and_never_invents_precision(number, power):
    text = format(number, "f")
    there = convert_text(text, 10.0**power, 1.0)
    assert there is not None and Decimal(there) == Decimal(text).scaleb(power)
    assert significant_figures(there) <= significant_figures(text)  # no digit is invented
    assert Decimal(convert_text(there, 1.0, 10.0**power)) == Decimal(text)
