"""Units: the value as reported beside the value in its base unit."""

from __future__ import annotations

import math

import pandas as pd

#: Half a unit in the last reported digit, per qualifier, as (low, high) multipliers of value.
_QUALIFIER_BOUNDS = {
    "about": (0.95, 1.05),
    "nearly": (0.90, 1.00),
    "more_than": (1.00, math.inf),
    "at_least": (1.00, math.inf),
    "less_than": (0.00, 1.00),
    "at_most": (0.00, 1.00),
}


def decimals(text: str) -> int:
    """Number of decimals written in a reported number (``"4691.85"`` → 2)."""
    text = str(text)
    return len(text.split(".", 1)[1]) if "." in text else 0


def normalise(frame: pd.DataFrame, units: pd.DataFrame, *, value: str = "value", unit: str = "unit") -> pd.DataFrame:
    """Add ``<value>_base`` and ``base_unit`` columns next to the reported value and unit."""
    factor = dict(zip(units["unit"], pd.to_numeric(units["factor"]), strict=True))
    base = dict(zip(units["unit"], units["base_unit"], strict=True))
    out = frame.copy()
    numbers = pd.to_numeric(out[value])
    out[value] = numbers
    out[f"{value}_base"] = numbers * out[unit].map(factor)
    out["base_unit"] = out[unit].map(base)
    return out


def bounds(value: float, text: str, qualifier: str, factor: float = 1.0) -> tuple[float, float]:
    """The interval a reported figure stands for, in base units.

    An exact figure stands for itself plus or minus half a unit in its last significant digit
    (4369 亿元 covers 4368.5 to 4369.5, 260 billion yuan 255 to 265: :func:`half_unit`); "about"
    is taken as ±5%, "nearly" as up to 10% below, "more than" and "at least" as anything from the
    figure up, "less than" and "at most" as anything from zero to the figure.
    """
    if qualifier in _QUALIFIER_BOUNDS:
        lo, hi = _QUALIFIER_BOUNDS[qualifier]
        a, b = value * lo * factor, value * hi * factor
        return (min(a, b), max(a, b))
    return ((value - half_unit(text, factor)) * factor, (value + half_unit(text, factor)) * factor)


def half_unit(text: str, factor: float = 1.0) -> float:
    """Half a unit in the last significant digit of a reported number: ``4691.85`` 0.005,
    ``4369`` 0.5. A whole number in a scaled unit (亿元, 万人, billion yuan: ``factor`` above 1)
    is a rounded magnitude whose trailing zeros are not significant: ``260`` billion yuan is
    255 to 265, ``3500`` 亿元 3450 to 3550. Counts, percentages and other plain units keep
    their last digit (68 个 is 67.5 to 68.5)."""
    places = decimals(text)
    if places == 0 and factor > 1:
        digits = str(text).strip().lstrip("+-").split(".")[0]
        if digits.strip("0"):
            return 0.5 * 10 ** (len(digits) - len(digits.rstrip("0")))
    return 0.5 * 10 ** (-places)
