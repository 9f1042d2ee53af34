"""Figures and periods as economists type them, read into the raw tables' canonical forms.

The raw tables hold plain ASCII numbers (``4691.85``), a separate qualifier (``about``) and
canonical period labels (``2023Q1-Q3``). Spreadsheets hold what people type: ``4,691.85``,
``约56.7``, ``超过99%``, ``4.8%``, ``2023年前三季度``, ``2024年一季度``, ``1-10月``, with full-width
digits and stray spaces. :func:`parse_figure` and :func:`parse_chinese_period` turn the one into
the other and refuse, with the reason and the fix, whatever they cannot read unambiguously;
:func:`format_figure` writes a figure the way it is typed (the inverse, for tests and templates).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from ..data.periods import Period, month_label
from ..errors import FigureError, PeriodError

# Qualifier words, longest first so that 不少于 is not read as 少于 and 接近 not as 近.
_PREFIX_QUALIFIERS = (
    ("不少于", "at_least"),
    ("不低于", "at_least"),
    ("不超过", "at_most"),
    ("不高于", "at_most"),
    ("至少", "at_least"),
    ("至多", "at_most"),
    ("不到", "less_than"),
    ("不足", "less_than"),
    ("低于", "less_than"),
    ("超过", "more_than"),
    ("突破", "more_than"),
    ("高于", "more_than"),
    ("大约", "about"),
    ("接近", "nearly"),
    ("将近", "nearly"),
    ("约", "about"),
    ("逾", "more_than"),
    ("近", "nearly"),
)
_SUFFIX_QUALIFIERS = (
    ("以上", "more_than"),
    ("左右", "about"),
    ("多", "more_than"),
    ("余", "more_than"),
    ("以下", "less_than"),
)
#: The words :func:`format_figure` writes for each qualifier (the first of each in the tables above).
QUALIFIER_WORDS = {
    "about": "约",
    "more_than": "超过",
    "nearly": "近",
    "at_least": "不少于",
    "less_than": "不到",
    "at_most": "不超过",
}

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?")
_DASHES = str.maketrans({c: "-" for c in "—–－~～〜‒−"})
_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def normalise_text(text: object) -> str:
    """Full-width digits, letters, signs and spaces to ASCII (Unicode NFKC), trimmed."""
    return unicodedata.normalize("NFKC", str(text)).strip()


def _squeeze(text: object) -> str:
    return re.sub(r"\s+", "", normalise_text(text).translate(_DASHES))


# -- figures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A typed figure: the number as plain text (``4691.85``), its value, qualifier and unit.

    ``qualifier`` and ``unit`` are ``None`` where the text does not say (``4691.85``): the
    row's own qualifier and unit columns then decide.
    """

    text: str
    value: float
    qualifier: str | None = None
    unit: str | None = None


def parse_figure(text: object) -> Figure:
    """Read a figure as typed: ``"4,691.85"`` → 4691.85; ``"约56.7"`` → 56.7 about;
    ``"超过99%"`` → 99 more than, unit ``%``; ``"近2000"`` → nearly; ``"不少于30"`` → at least;
    ``"20余"`` / ``"20多"`` / ``"20以上"`` → more than; full-width digits and commas as well.

    The number keeps the decimals it was typed with (``"6.0"`` stays ``"6.0"``: rounding
    decides the interval a figure stands for). Raises :class:`FigureError` with the fix.
    """
    raw = str(text)
    s = _squeeze(text)
    if not s:
        raise FigureError(raw, "the value is empty", "type the figure, e.g. 4691.85")
    qualifiers: list[str] = []
    for word, qualifier in _PREFIX_QUALIFIERS:
        if s.startswith(word):
            qualifiers.append(qualifier)
            s = s[len(word) :]
            break
    m = _NUMBER.match(s)
    if not m:
        raise FigureError(
            raw,
            "no number where one was expected",
            "type digits with an optional decimal point (4691.85), optionally after 约/超过/近/不少于",
        )
    number = m.group(0)
    rest = s[m.end() :]
    if rest[:1].isdigit() or rest[:1] in {",", "."}:
        raise FigureError(
            raw,
            "the thousands separators are misplaced",
            "separate thousands in groups of three (4,691.85) or write the number without them",
        )
    for word, qualifier in _SUFFIX_QUALIFIERS:
        if rest.startswith(word):
            qualifiers.append(qualifier)
            rest = rest[len(word) :]
            break
    unit = rest or None
    for word, qualifier in _SUFFIX_QUALIFIERS:
        if unit and unit.endswith(word) and len(unit) > len(word):
            qualifiers.append(qualifier)
            unit = unit[: -len(word)]
            break
    if len(set(qualifiers)) > 1:
        raise FigureError(raw, "two different qualifiers", "keep one of 约/超过/近/不少于 (or 左右/以上)")
    if unit is not None and re.search(r"\d", unit):
        raise FigureError(raw, "more than one number", "one figure per cell: split ranges and lists into rows")
    plain = number.replace(",", "").lstrip("+")
    return Figure(plain, float(plain), qualifiers[0] if qualifiers else None, unit)


def format_figure(
    text: str,
    qualifier: str | None = None,
    unit: str | None = None,
    *,
    thousands: bool = False,
    fullwidth: bool = False,
) -> str:
    """A plain number written as it is typed: ``("4691.85", "about", thousands=True)`` →
    ``"约4,691.85"``. The inverse of :func:`parse_figure`."""
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    if thousands:
        whole = f"{int(whole):,}" if whole.isdigit() else whole
    number = sign + whole + ("." + frac if frac else "")
    if fullwidth:
        number = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() or c in ",." else c for c in number)
    word = QUALIFIER_WORDS.get(qualifier or "", "")
    return f"{word}{number}{unit or ''}"


def number_text(value: float | int, decimals: int | None = None) -> str:
    """A number from a spreadsheet cell as plain text: the decimals the cell shows where its
    format says (``0.00``), else the shortest text that reads back as the same number."""
    if isinstance(value, bool):
        raise FigureError(str(value), "a true/false cell, not a number", "type the figure")
    if isinstance(value, int):
        return str(value)
    if decimals is not None:
        return f"{value:.{decimals}f}"
    text = repr(float(value))
    if "e" in text or "E" in text:
        text = f"{value:.10f}".rstrip("0").rstrip(".")
    return text[:-2] if text.endswith(".0") else text


# -- periods ----------------------------------------------------------------------------------

_Y = r"(?:(\d{4})年?)?"
_NUM = r"(\d{1,2}|十[一二]?|[一二两三四五六七八九十])"


def _cn_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text.startswith("十"):
        return 10 + (_CN_DIGITS[text[1]] if len(text) > 1 else 0)
    return _CN_DIGITS[text]


_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"^{_Y}(?:全年|年度)?$"), "year"),
    (re.compile(rf"^{_Y}(?:前三季度|第?一至三季度|1-3季度|一到三季度)$"), "q1_q3"),
    (re.compile(rf"^{_Y}第?([一二三四1-4])季度$"), "quarter"),
    (re.compile(rf"^{_Y}(上|下)半年$"), "half"),
    (re.compile(rf"^{_Y}(?:前{_NUM}个?月)$"), "first_months"),
    (re.compile(rf"^{_Y}{_NUM}月?(?:-|至|到){_NUM}月(?:份)?$"), "months"),
    (re.compile(rf"^{_Y}{_NUM}月(?:份)?$"), "month"),
    (re.compile(r"^(?:截至|截止)?(\d{4})年?(?:底|末|年底|年末)$"), "year_end"),
    (re.compile(r"^(?:截至|截止)?(\d{4})年(\d{1,2})月(\d{1,2})日(?:止)?$"), "date"),
    (re.compile(r"^(\d{4})(?:年)?(?:-|至|到)(\d{4})年?$"), "span"),
)


def parse_chinese_period(text: object, year: int | str | None = None) -> str:
    """The canonical label of a period written as Chinese statistics write it.

    ``2023年`` → ``2023``; ``2023年前三季度`` → ``2023Q1-Q3``; ``2024年一季度`` → ``2024Q1``;
    ``2023年上半年`` → ``2023H1``; ``2023年1-10月`` / ``1—10月`` / ``前10个月`` → ``2023M01-M10``;
    ``2023年10月`` → ``2023M10``; ``2023年底`` → ``2023-12-31``; ``2023年12月31日`` →
    ``2023-12-31``; ``2013-2023年`` → ``2013-2023``. Canonical labels are returned as they are.
    A label without a year (``1-10月``) takes ``year``; without one, :class:`PeriodError` names
    the fix. Full-width digits, dashes and spaces are accepted.
    """
    s = _squeeze(text)
    if not s:
        raise PeriodError(str(text), "the period is empty")
    canonical = s.upper() if re.match(r"^\d{4}[qhm]", s, re.IGNORECASE) else s
    try:
        return Period.parse(canonical).label
    except PeriodError:
        pass
    for pattern, form in _PATTERNS:
        m = pattern.match(s)
        if m:
            return _label(str(text), form, m, year)
    raise PeriodError(
        str(text),
        "it matches none of the period forms (2023年, 2024年一季度, 2023年上半年, 2023年前三季度, 2023年1-10月, "
        "2023年10月, 2023年底, 2013-2023年)",
    )


def _year(text: str, found: str | None, year: int | str | None) -> int:
    if found:
        if year not in (None, "") and int(normalise_text(year)) != int(found):
            raise PeriodError(text, f"the label says {found} but the year column says {year}; correct one of them")
        return int(found)
    if year in (None, ""):
        raise PeriodError(
            text, "the label has no year; write it with its year (2023年1-10月) or fill in the row's `year` column"
        )
    try:
        return int(normalise_text(year))
    except ValueError:
        raise PeriodError(text, f"the year column holds {year!r}, not a year such as 2023") from None


def _label(text: str, form: str, m: re.Match[str], year: int | str | None) -> str:
    if form == "date":
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            raise PeriodError(text, "not a calendar date") from None
    if form == "year_end":
        return f"{int(m[1])}-12-31"
    if form == "span":
        return Period.parse(f"{m[1]}-{m[2]}").label
    y = _year(text, m[1], year)
    if form == "year":
        label = month_label(y, 1, 12)
    elif form == "q1_q3":
        label = month_label(y, 1, 9)
    elif form == "quarter":
        q = _cn_number(m[2])
        label = month_label(y, 3 * q - 2, 3 * q)
    elif form == "half":
        label = month_label(y, 1, 6) if m[2] == "上" else month_label(y, 7, 12)
    elif form == "first_months":
        label = month_label(y, 1, _month(text, m[2]))
    elif form == "months":
        first, last = _month(text, m[2]), _month(text, m[3])
        if first >= last:
            raise PeriodError(text, "the first month must come before the last")
        label = month_label(y, first, last)
    else:  # month
        month = _month(text, m[2])
        label = month_label(y, month, month)
    return Period.parse(label).label


def _month(text: str, found: str) -> int:
    month = _cn_number(found)
    if not 1 <= month <= 12:
        raise PeriodError(text, f"month {month} is not 1-12")
    return month


# -- dates ------------------------------------------------------------------------------------

_CN_DATE = re.compile(r"^(\d{4})(?:年|[-/.])(\d{1,2})(?:(?:月|[-/.])(\d{1,2})日?|月)?$")


def parse_date_text(value: object, *, partial: bool = False) -> str:
    """An ISO date from a spreadsheet cell: a date cell, ``2023-05-08``, ``2023/5/8``,
    ``2023年5月8日``; with ``partial``, also ``2023年5月`` → ``2023-05`` and ``2023`` (when
    only that much is known). Raises ``ValueError`` where it is not a date."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool) and partial and float(value).is_integer():
        value = int(value)
    s = _squeeze(value)
    if partial and re.fullmatch(r"\d{4}年?", s):
        return s[:4]
    m = _CN_DATE.match(s)
    if not m:
        raise ValueError(s)
    y, mo = int(m[1]), int(m[2])
    if m[3] is None:
        if not partial or not 1 <= mo <= 12:
            raise ValueError(s)
        return f"{y:04d}-{mo:02d}"
    return dt.date(y, mo, int(m[3])).isoformat()
