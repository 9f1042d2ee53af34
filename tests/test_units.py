"""Units: values as reported, next to values in base units."""

from __future__ import annotations

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from indicators.data.units import bounds, normalise

UNITS = pd.DataFrame(
    {
        "unit": ["亿元", "billion yuan", "万亿元", "亿美元", "万人", "万吨/年", "%", "家"],
        "base_unit": ["yuan", "yuan", "yuan", "usd", "persons", "tonnes_per_year", "percent", "count"],
        "factor": ["100000000", "1000000000", "1000000000000", "100000000", "10000", "10000", "1", "1"],
    }
)


def test_normalise_keeps_the_reported_value_and_adds_the_base_value():
    obs = pd.DataFrame(
        {
            "value": ["4691.85", "436.85", "1.78", "13.7", "199.35", "1100", "6.0", "1500"],
            "unit": ["亿元", "billion yuan", "万亿元", "亿美元", "万人", "万吨/年", "%", "家"],
        }
    )
    out = normalise(obs, UNITS)
    assert_allclose(out["value"], [4691.85, 436.85, 1.78, 13.7, 199.35, 1100, 6.0, 1500])
    assert_allclose(out["value_base"], [4.69185e11, 4.3685e11, 1.78e12, 1.37e9, 1.9935e6, 1.1e7, 6.0, 1500], rtol=1e-12)
    assert out["base_unit"].tolist() == [
        "yuan",
        "yuan",
        "yuan",
        "usd",
        "persons",
        "tonnes_per_year",
        "percent",
        "count",
    ]


@pytest.mark.parametrize(
    ("value", "text", "qualifier", "expected"),
    [
        (4369.0, "4369", "exact", (4368.5, 4369.5)),
        (436.85, "436.85", "exact", (436.845, 436.855)),
        (56.7, "56.7", "about", (53.865, 59.535)),
        (2000.0, "2000", "nearly", (1800.0, 2000.0)),
        (99.0, "99", "more_than", (99.0, float("inf"))),
    ],
)
def test_a_figure_stands_for_an_interval(value, text, qualifier, expected):
    assert_allclose(bounds(value, text, qualifier), expected)


def test_rounded_figures_from_two_sources_overlap():
    # WCNA GDP 2021: 436.85 billion yuan (China Daily) and 4369 亿元 (an aggregator)
    a = bounds(436.85, "436.85", "exact", 1e9)
    b = bounds(4369, "4369", "exact", 1e8)
    assert a[1] >= b[0] and b[1] >= a[0]
