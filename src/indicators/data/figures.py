"""A figure's precision and qualifier: rounding, significant figures, exact unit changes, and what
arithmetic on published figures may claim.

Figures are published as text (``"31.45"``, ``"近2000"``); their precision is the decimals written
and their qualifier says which side of the printed number the truth lies. Everything here works on
that text with :class:`decimal.Decimal`, never on binary floats, so that 31.45 rounds to 31.5 and
1.95 to 2.0 (decimal rounding, half away from zero, as statistical offices round).

A **derived** figure (a parent level from a level and a share, a prior year's level from a level
and its growth) may claim no more than its inputs allow:

* **precision** — a product or quotient keeps as many significant figures as its least precise
  input (:func:`significant_figures`; the trailing zeros of a whole number such as ``2000`` are not
  significant), a sum or difference as many decimals as its least precise input;
* **qualifier** — each input's qualifier is a side of the truth (:data:`SIDE`: exact, about, a lower
  bound such as 超过, an upper bound such as 近); the result's side follows from whether it grows
  or falls with that input (:func:`combine_qualifiers`). A quotient by "more than 99%" is an upper
  bound ("less than"), never "about"; one from "nearly 2000" is a "nearly" figure. Bounds that
  point different ways say nothing, and the derivation is not made.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

#: Which side of the printed number the truth lies on, per qualifier.
SIDE = {
    "exact": "point",
    "about": "about",
    "more_than": "lower",
    "at_least": "lower",
    "nearly": "upper",
    "less_than": "upper",
    "at_most": "upper",
}


def as_decimal(value: float | int | str | Decimal) -> Decimal:
    """The number as written: a text or a Decimal unchanged, a float by its shortest repr
    (``0.1`` is ``Decimal("0.1")``, not the binary expansion)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value!r}")
        return Decimal(repr(value))
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return number


def round_half_up(value: float | int | str | Decimal, decimals: int) -> Decimal:
    """``value`` rounded to ``decimals`` places (negative: to tens, hundreds…), half away from zero."""
    number = as_decimal(value)
    return number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def plain(number: Decimal) -> str:
    """A Decimal as plain text, never in exponent form (``Decimal("7.5E+3")`` → ``"7500"``)."""
    text = format(number, "f")
    return "0" if text in ("-0", "-0.0") else text


def decimals_of(text: str | Decimal) -> int:
    """Decimals written in a number (``"4691.85"`` → 2, ``"2000"`` → 0)."""
    exponent = as_decimal(text).as_tuple().exponent
    return max(0, -int(exponent))


def significant_figures(text: str | Decimal) -> int:
    """Significant figures of a number as written: ``"4691.85"`` 6, ``"40.4"`` 3, ``"0.05"`` 1,
    ``"2000"`` 1 (a whole number's trailing zeros are not significant), ``"2000.0"`` 5."""
    number = as_decimal(text)
    if number == 0:
        return 1
    digits = number.as_tuple().digits
    exponent = int(number.as_tuple().exponent)
    stripped = list(digits)
    while stripped and stripped[0] == 0:
        stripped.pop(0)
    if exponent >= 0:  # a whole number: trailing zeros say nothing
        while len(stripped) > 1 and stripped[-1] == 0:
            stripped.pop()
    return max(1, len(stripped))


def to_significant(value: float | Decimal, figures: int) -> Decimal:
    """``value`` rounded half up to ``figures`` significant figures (7506.03 at 2 → 7500)."""
    number = as_decimal(value)
    if number == 0:
        return Decimal(0)
    magnitude = number.copy_abs().adjusted()  # the exponent of the leading digit
    return round_half_up(number, figures - 1 - magnitude)


def shown_decimals(number: Decimal) -> int:
    """Decimals a rounded Decimal shows (never negative: 7.5E+3 shows none)."""
    return max(0, -int(number.as_tuple().exponent))


def quotient_text(value: float, inputs: Iterable[str | None], *, whole: bool = False) -> str:
    """A product or quotient of published figures, at the significant figures of its least
    precise input. An input given as ``None`` is exact (a count of items: 6 项 is exactly six);
    ``whole`` rounds a count of items to whole numbers at most."""
    figures = [significant_figures(t) for t in inputs if t is not None]
    number = to_significant(value, min(figures)) if figures else as_decimal(value)
    if whole and shown_decimals(number) > 0:
        number = round_half_up(number, 0)
    return plain(number)


def difference_text(value: float, inputs: Iterable[str]) -> str:
    """A sum or difference of published figures (in one unit), at the decimals of its least
    precise input."""
    return plain(round_half_up(value, min(decimals_of(t) for t in inputs)))


def growth_factor_text(growth_text: str) -> str:
    """The factor ``1 + g/100`` as precisely as the growth rate was written (6.0% → ``1.060``)."""
    return plain((Decimal(100) + as_decimal(growth_text)).scaleb(-2))


def combine_qualifiers(inputs: Iterable[tuple[str, int]]) -> str | None:
    """The qualifier a derived figure carries, from ``(qualifier, sign)`` of each input, where
    ``sign`` is +1 if the result grows with that input and -1 if it falls (a divisor).

    Exact inputs give an exact result; "about" inputs alone give "about"; bounds that all point the
    same way give a bound that way, whatever "about" inputs beside them ("nearly" when every upper
    bound was a "nearly"); bounds that point opposite ways give ``None`` — nothing can be said, so
    nothing is derived.
    """
    sides: list[tuple[str, str]] = []  # (side after orientation, qualifier)
    for qualifier, sign in inputs:
        side = SIDE[qualifier or "exact"]
        if sign < 0 and side in ("lower", "upper"):
            side = "upper" if side == "lower" else "lower"
        sides.append((side, qualifier or "exact"))
    kinds = {s for s, _ in sides} - {"point"}
    if not kinds:
        return "exact"
    if kinds == {"about"}:
        return "about"
    kinds.discard("about")  # an approximate input blurs a bound but does not turn it around
    if kinds == {"lower"}:
        strict = any(q in ("more_than", "nearly", "less_than") for s, q in sides if s == "lower")
        return "more_than" if strict else "at_least"
    if kinds == {"upper"}:
        uppers = [q for s, q in sides if s == "upper"]
        if all(q == "nearly" for q in uppers):
            return "nearly"
        strict = any(q in ("more_than", "nearly", "less_than") for q in uppers)
        return "less_than" if strict else "at_most"
    return None


def convert_text(text: str, factor_from: float, factor_to: float) -> str | None:
    """A figure moved exactly to another unit of the same base unit when the factors differ by a
    power of ten (289.20 billion yuan → 2892.0 亿元; 199.35 万人 → 1993.5 thousand persons), keeping
    the precision it was published with (a whole number stays whole where it can: 2000 亿元 → 200
    billion yuan). ``None`` when the change is not a power of ten."""
    ratio = as_decimal(repr(float(factor_from))) / as_decimal(repr(float(factor_to)))
    power = ratio.adjusted()
    if ratio != Decimal(1).scaleb(power):
        return None
    number = as_decimal(text)
    shifted = number.scaleb(power)
    places = max(0, decimals_of(text) - power)
    if decimals_of(text) == 0 and shifted == shifted.to_integral_value():
        places = 0  # a whole number's written zeros are not significant: 2000 亿元 is 200 billion yuan
    return plain(shifted.quantize(Decimal(1).scaleb(-places)))
