"""One formatter for every figure a report shows: in tables, chart labels and captions, sentences.

A figure is shown at the precision it was published with (its ``value_text``), with its qualifier
in the report's language (约 / about, 近 / nearly, 超过 / more than, 不少于 / at least, 不到 / less
than, 不超过 / at most), in the unit the report's language writes (亿元, 万亿元, 万人 in Chinese;
billion yuan, trillion yuan, thousand persons in English — moved exactly, by powers of ten, never
losing or inventing a digit), with marks for derived figures (推算 / derived), official
expectations (预计 / expected), preliminary figures and flagged readings. A computed value (a
growth rate, a share of time elapsed) is rounded decimal half up (31.45 → 31.5).

Chinese figures are written as Chinese statistics write them (``5003.38亿元``, no thousands
separators, the unit right after the number); English ones with separators and a space
(``500.338 billion yuan``).
"""

from __future__ import annotations

import datetime as dt
import html
import math
from dataclasses import dataclass

from ..data.figures import as_decimal, convert_text, plain, round_half_up
from ..data.periods import Period
from ..errors import PeriodError

#: Each recorded unit as the report's language writes it: the display unit and its factor in
#: the recorded unit's base (so that the change of unit is a power of ten).
DISPLAY_UNITS: dict[str, dict[str, tuple[str, float]]] = {
    "zh": {
        "billion yuan": ("亿元", 1e8),
        "trillion yuan": ("万亿元", 1e12),
        "million yuan": ("亿元", 1e8),
        "billion US dollars": ("亿美元", 1e8),
        "million persons": ("万人", 1e4),
        "times": ("倍", 1.0),
    },
    "en": {
        "亿元": ("billion yuan", 1e9),
        "万亿元": ("trillion yuan", 1e12),
        "billion yuan": ("billion yuan", 1e9),
        "trillion yuan": ("trillion yuan", 1e12),
        "亿美元": ("billion US dollars", 1e9),
        "万美元": ("million US dollars", 1e6),
        "万人": ("thousand persons", 1e3),
        "万人次": ("thousand person-visits", 1e3),
        "万台": ("thousand units", 1e3),
        "万户": ("thousand entities", 1e3),
        "万亩": ("thousand mu", 1e3),
        "万吨/年": ("million tonnes a year", 1e6),
        "个": ("", 1.0),
        "家": ("", 1.0),
        "项": ("", 1.0),
        "条": ("", 1.0),
        "部": ("", 1.0),
        "天": ("days", 1.0),
        "分钟": ("minutes", 1.0),
        "times": ("times", 1.0),
        "元": ("yuan", 1.0),
        "万元": ("thousand yuan", 1e3),
        "万元/人": ("thousand yuan per person", 1e3),
        "人": ("persons", 1.0),
        "万家": ("thousand entities", 1e3),
    },
}

QUALIFIER_WORDS = {
    "zh": {
        "exact": "",
        "about": "约",
        "nearly": "近",
        "more_than": "超过",
        "at_least": "不少于",
        "less_than": "不到",
        "at_most": "不超过",
    },
    "en": {
        "exact": "",
        "about": "about",
        "nearly": "nearly",
        "more_than": "more than",
        "at_least": "at least",
        "less_than": "less than",
        "at_most": "at most",
    },
}

#: The marks a figure carries in the report's language, by status or reading.
MARKS = {
    "zh": {
        "derived": "推算",
        "estimate": "预计",
        "preliminary": "初步",
        "reading": "口径存疑",
    },
    "en": {
        "derived": "derived",
        "estimate": "expected",
        "preliminary": "preliminary",
        "reading": "reading flagged",
    },
}


def missing(value: object) -> bool:
    """No figure: ``None``, NaN or an empty text."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, str) and not value.strip()


def group(text: str, language: str) -> str:
    """Thousands separators in English, none in Chinese (as the statistics write them)."""
    if language == "zh":
        return text
    sign, body = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, dot, frac = body.partition(".")
    return f"{sign}{int(whole):,}{dot}{frac}" if whole.isdigit() else text


@dataclass(frozen=True)
class Shown:
    """A figure as a report shows it; ``text`` for sentences and plain tables, ``html`` with
    its marks set apart."""

    number: str
    unit: str
    qualifier: str
    marks: tuple[str, ...]
    language: str

    @property
    def value_text(self) -> str:
        """Number and unit with the qualifier, without marks: ``约5003.38亿元``."""
        if self.language == "zh":
            return f"{self.qualifier}{self.number}{self.unit}"
        figure = f"{self.number} {self.unit}" if self.unit and self.unit != "%" else f"{self.number}{self.unit}"
        return f"{self.qualifier} {figure}" if self.qualifier else figure

    @property
    def text(self) -> str:
        if not self.marks:
            return self.value_text
        if self.language == "zh":
            return f"{self.value_text}（{'，'.join(self.marks)}）"
        return f"{self.value_text} ({', '.join(self.marks)})"

    @property
    def html(self) -> str:
        marks = "".join(f' <span class="ind-mark">{html.escape(m)}</span>' for m in self.marks)
        return html.escape(self.value_text) + marks

    def __str__(self) -> str:
        return self.text


class Numbers:
    """The formatter of one report language."""

    def __init__(self, language: str, factors: dict[str, float] | None = None):
        self.language = language
        self.factors = factors or {}  # unit → factor to its base unit (units.csv)

    # -- units --------------------------------------------------------------------------
    def display_unit(self, unit: str) -> str:
        """The unit a figure recorded in ``unit`` is shown in."""
        return DISPLAY_UNITS[self.language].get(unit, (unit, 0.0))[0]

    def _target(self, unit: str, to_unit: str | None) -> tuple[str, float | None]:
        """The display unit and its factor for a figure in ``unit`` shown in a column of ``to_unit``."""
        wanted = to_unit if to_unit is not None else unit
        label, factor = DISPLAY_UNITS[self.language].get(wanted, (wanted, 0.0))
        if not factor:
            factor = self.factors.get(wanted)
        return label, factor

    def scale(self, unit: str) -> float:
        """What a value in ``unit`` is multiplied by to be in the unit it is shown in (0.1 from
        亿元 to billion yuan); 1 where the unit is shown as it is."""
        factor = self._target(unit, None)[1]
        own = self.factors.get(unit)
        return own / factor if factor and own else 1.0

    def convert(self, text: str, unit: str, to_unit: str | None = None) -> tuple[str, str]:
        """``text`` (a figure in ``unit``) in the display unit of ``to_unit`` (default: its own
        unit's display unit), exactly; the figure's own unit where the change is not exact."""
        label, factor = self._target(unit, to_unit)
        own = self.factors.get(unit)
        if factor and own and factor != own:
            moved = convert_text(text, own, factor)
            if moved is not None:
                return moved, label
            return text, self.display_unit(unit)
        return text, label

    # -- figures ------------------------------------------------------------------------
    def figure(
        self,
        value: float | str | None,
        unit: str,
        *,
        text: str | None = None,
        qualifier: str = "exact",
        status: str = "reported",
        reading: str = "",
        to_unit: str | None = None,
        decimals: int | None = None,
    ) -> Shown | None:
        """A recorded figure: ``text`` is its value as published (default: ``value`` as written);
        ``decimals`` rounds it (half up) where a table wants fewer; ``to_unit`` is the column's unit."""
        if missing(value) and missing(text):
            return None
        written = str(text) if not missing(text) else plain(as_decimal(value))
        written, label = self.convert(written, unit, to_unit)
        if decimals is not None:
            written = plain(round_half_up(written, decimals))
        marks = []
        if status in ("derived", "estimate", "preliminary"):
            marks.append(MARKS[self.language][status])
        if reading and reading not in ("as_printed", "verbatim"):
            marks.append(MARKS[self.language]["reading"])
        qualifier = qualifier if isinstance(qualifier, str) and qualifier else "exact"
        return Shown(
            group(written, self.language),
            label,
            QUALIFIER_WORDS[self.language][qualifier],
            tuple(marks),
            self.language,
        )

    def bare(self, shown: Shown) -> str:
        """A figure without its unit, where an axis or a column header carries it: ``超过4000``."""
        if self.language == "zh":
            return f"{shown.qualifier}{shown.number}"
        return f"{shown.qualifier} {shown.number}".strip()

    def figure_text(self, value: float | str | None, unit: str, **kw: object) -> str:
        shown = self.figure(value, unit, **kw)  # type: ignore[arg-type]
        return "–" if shown is None else shown.text

    # -- computed values ----------------------------------------------------------------
    def number(self, value: float | None, decimals: int = 0) -> str:
        """A computed level, rounded half up."""
        if missing(value):
            return "–"
        return group(plain(round_half_up(float(value), decimals)), self.language)  # type: ignore[arg-type]

    def percent(self, value: float | None, *, decimals: int = 1, sign: bool = False) -> str:
        """A computed value already in percent (6.04 → ``6.0%``), rounded half up."""
        if missing(value):
            return "–"
        rounded = round_half_up(float(value), decimals)  # type: ignore[arg-type]
        prefix = "+" if sign and rounded > 0 else ""
        return f"{prefix}{plain(rounded)}%"

    def fraction(self, value: float | None, *, decimals: int = 1, sign: bool = False) -> str:
        """A fraction as a percentage (0.4286 → ``42.9%``)."""
        if missing(value):
            return "–"
        return self.percent(float(value) * 100, decimals=decimals, sign=sign)  # type: ignore[arg-type]

    def points(self, value: float | None, *, decimals: int = 1, sign: bool = True) -> str:
        """A change of a rate, in percentage points (``+1.2个百分点`` / ``+1.2 pp``); an amount
        (a shortfall) without the sign."""
        if missing(value):
            return "–"
        rounded = round_half_up(float(value), decimals)  # type: ignore[arg-type]
        text = f"{'+' if sign and rounded > 0 else ''}{plain(rounded)}"
        return f"{text}个百分点" if self.language == "zh" else f"{text} pp"


# -- periods ----------------------------------------------------------------------------------

_CN_QUARTERS = {1: "一季度", 2: "二季度", 3: "三季度", 4: "四季度"}
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _day(d: dt.date, language: str) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if language == "zh" else f"{d.day} {_MONTHS_EN[d.month - 1]} {d.year}"


def period_text(label: str, language: str) -> str:
    """A period as the statistics write it: ``2023Q1-Q3`` → 2023年前三季度 / Q1-Q3 2023,
    ``2024Q1`` → 2024年一季度 / Q1 2024, ``2023M01-M10`` → 2023年1-10月 / Jan-Oct 2023,
    ``2023-12-31`` → 2023年末 / end-2023, ``2022-01-01/2023-02-02`` → 2022年1月1日至2023年2月2日."""
    try:
        p = Period.parse(str(label))
    except PeriodError:
        return str(label)
    zh = language == "zh"
    y, m1, m2 = p.end.year, p.start.month, p.end.month
    if p.kind == "year":
        return f"{y}年" if zh else str(y)
    if p.kind == "quarter":
        q = (m1 - 1) // 3 + 1
        return f"{y}年{_CN_QUARTERS[q]}" if zh else f"Q{q} {y}"
    if p.kind == "half":
        h = 1 if m1 == 1 else 2
        return f"{y}年{'上' if h == 1 else '下'}半年" if zh else f"H{h} {y}"
    if p.kind == "months" and m1 == 1 and m2 == 9:
        return f"{y}年前三季度" if zh else f"Q1-Q3 {y}"
    if p.kind == "months":
        return f"{y}年{m1}-{m2}月" if zh else f"{_MONTHS_EN[m1 - 1]}-{_MONTHS_EN[m2 - 1]} {y}"
    if p.kind == "month":
        return f"{y}年{m1}月" if zh else f"{_MONTHS_EN[m1 - 1]} {y}"
    if p.kind == "span":
        return f"{p.start.year}-{y}年" if zh else f"{p.start.year}-{y}"
    if p.kind == "point":
        if (p.end.month, p.end.day) == (12, 31):
            return f"{y}年末" if zh else f"end-{y}"
        return _day(p.end, language)
    # a span of days
    if zh:
        same_year = p.start.year == p.end.year
        end = f"{p.end.month}月{p.end.day}日" if same_year else _day(p.end, "zh")
        if same_year and p.start.month == p.end.month:
            end = f"{p.end.day}日"
        return f"{_day(p.start, 'zh')}至{end}"
    if p.start.year == p.end.year and p.start.month == p.end.month:
        return f"{p.start.day}-{p.end.day} {_MONTHS_EN[p.end.month - 1]} {y}"
    return f"{_day(p.start, 'en')} - {_day(p.end, 'en')}"
