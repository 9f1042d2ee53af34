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

    An exact figure stands for itself plus or minus half a unit in its last digit (4369 亿元
    covers 4368.5 to 4369.5); "about" is taken as ±5%, "nearly" as up to 10% below, "more
    than" and "at least" as anything from the figure up, "less than" and "at most" as anything
    from zero to the figure.
    """
    if qualifier in _QUALIFIER_BOUNDS:
        lo, hi = _QUALIFIER_BOUNDS[qualifier]
        a, b = value * lo * factor, value * hi * factor
        return (min(a, b), max(a, b))
    half = 0.5 * 10 ** (-decimals(text))
    return ((value - half) * factor, (value + half) * factor)
