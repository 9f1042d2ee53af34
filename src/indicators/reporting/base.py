"""The report notebooks' library: validated parameters, then one displayable block per section.

A notebook is a parameters cell, one constructor call (which checks every parameter and stops
with one message naming the parameter and the valid choices) and one call per section::

    rep = TrendReport(indicator=indicator, region=region, language=language)
    rep.header()          # title, parameters, data version, when and with which package version
    rep.chart()           # embedded PNG
    rep.values_table()    # pandas Styler, each figure with its numbered source note
    rep.source_notes()    # the numbered notes cited above

Every block has an HTML representation, so the same notebook reads well in JupyterLab and in
the exported offline HTML.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import os
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from ..data.build import read_version
from ..data.catalog import get_indicator, get_region, load_table
from ..errors import ParameterError
from ..version import __version__
from .charts import to_png
from .i18n import check_language, fmt_value, t

PathLike = str | os.PathLike[str] | None


def notebook_setup() -> None:
    """Call once at the top of a report notebook: the CJK chart font, and one-line error
    messages (a wrong parameter shows its message, not a traceback)."""
    from .fonts import setup_matplotlib

    setup_matplotlib()
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - outside Jupyter
        return
    ip = get_ipython()
    if ip is not None:
        ip.InteractiveTB.set_mode(mode="Minimal")  # as %xmode Minimal, without printing


@dataclass(frozen=True)
class Block:
    """A piece of report HTML."""

    html: str

    def _repr_html_(self) -> str:
        return self.html


@dataclass(frozen=True)
class Picture:
    """An embedded PNG chart with alternative text."""

    png: bytes
    alt: str
    caption: str = ""

    def _repr_html_(self) -> str:
        data = base64.b64encode(self.png).decode("ascii")
        cap = f"<figcaption>{html.escape(self.caption)}</figcaption>" if self.caption else ""
        return (
            f'<figure class="ind-figure"><img src="data:image/png;base64,{data}" alt="{html.escape(self.alt)}"/>'
            f"{cap}</figure>"
        )

    def _repr_png_(self) -> bytes:
        return self.png


def esc(x: object) -> str:
    return html.escape("" if x is None else str(x))


def int_param(name: str, value: object, low: int, high: int, fix: str) -> int:
    try:
        number = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ParameterError(name, value, "not a whole number", fix) from None
    if not low <= number <= high:
        raise ParameterError(name, value, f"outside {low}-{high}", fix)
    return number


STATUS_ORDER = {"reported": 0, "preliminary": 1, "derived": 2, "estimate": 3}


def by_status(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows with published figures first, then preliminary, derived and expected ones."""
    return rows.iloc[rows["status"].map(STATUS_ORDER).fillna(9).argsort(kind="stable")]


def id_list(value: str | Iterable[str]) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [str(v).strip() for v in value if str(v).strip()]


class Report:
    """What every report shares: language, header, source notes, tables and figures."""

    kind = "report"

    def __init__(self, *, language: str = "zh", data_dir: PathLike = None):
        self.language = check_language(language)
        self.data_dir = data_dir
        self.parameters: dict[str, object] = {}
        # a batch stamps all its reports with its start time (INDICATORS_GENERATED_AT)
        stamp = os.environ.get("INDICATORS_GENERATED_AT")
        self.generated_at = (
            dt.datetime.fromisoformat(stamp) if stamp else dt.datetime.now(dt.UTC).replace(microsecond=0)
        )
        self.glyph_warnings: list[str] = []
        self._notes: dict[str, int] = {}
        self._tables = 0
        self._names: dict[str, str] = {}  # catalog names already looked up
        self._sources = load_table("sources", data_dir=data_dir).set_index("source_id")
        self._units = load_table("units", data_dir=data_dir).set_index("unit")
        self.meta = read_version(data_dir) or {}

    # -- names ---------------------------------------------------------------------------
    def t(self, key: str, **kw: object) -> str:
        return t(key, self.language, **kw)

    def indicator_name(self, indicator_id: str) -> str:
        if indicator_id not in self._names:
            self._names[indicator_id] = get_indicator(indicator_id, data_dir=self.data_dir).name(self.language)
        return self._names[indicator_id]

    def region_name(self, region_id: str) -> str:
        key = f"region:{region_id}"
        if key not in self._names:
            self._names[key] = get_region(region_id, data_dir=self.data_dir).name(self.language)
        return self._names[key]

    def unit_name(self, unit: str) -> str:
        """The unit as the reader's language writes it (English: no word for plain counts)."""
        if self.language == "zh" or unit == "%" or unit not in self._units.index:
            return unit
        if self._units.at[unit, "base_unit"] == "count" and float(self._units.at[unit, "factor"]) == 1:
            return ""
        return str(self._units.at[unit, "name_en"])

    def value(self, value: float | None, unit: str, qualifier: str = "exact", text: str | None = None) -> str:
        return fmt_value(
            value, self.unit_name(unit) if unit != "%" else unit, qualifier=qualifier, language=self.language, text=text
        )

    def as_of_date(self, as_of: str) -> dt.date | None:
        """The ``as_of`` parameter: empty for everything, else a date that is not in the future."""
        if not as_of:
            return None
        try:
            day = dt.date.fromisoformat(str(as_of))
        except ValueError:
            raise ParameterError("as_of", as_of, "not an ISO date", "write YYYY-MM-DD, or leave it empty") from None
        if day > dt.date.today():
            raise ParameterError("as_of", as_of, "in the future", f"use a date up to today ({dt.date.today()})")
        return day

    def figure(self, row: pd.Series) -> str:
        """A reported figure as text with its note number: ``约56.7 亿元 [3]``."""
        value = self.value(row["value"], row["unit"], row["qualifier"], row["value_text"])
        return f"{value} {self.cite(row['source_id'])}"

    @property
    def title(self) -> str:
        raise NotImplementedError

    # -- blocks ----------------------------------------------------------------------------
    def header(self) -> Block:
        params = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in self.parameters.items())
        meta = [
            (self.t("data_version"), self.meta.get("data_version", "")),
            (self.t("generated"), self.generated_at.strftime("%Y-%m-%d %H:%M UTC")),
            (self.t("package"), f"indicators {__version__}"),
        ]
        meta_html = " · ".join(f"{esc(k)}: <code>{esc(v)}</code>" for k, v in meta)
        return Block(
            f'<header class="ind-header"><h1>{esc(self.title)}</h1>'
            f'<p class="ind-meta">{meta_html}</p>'
            f'<table class="ind-params"><caption>{esc(self.t("parameters"))}</caption>{params}</table></header>'
        )

    def heading(self, key: str, level: int = 2) -> Block:
        return Block(f"<h{level}>{esc(self.t(key))}</h{level}>")

    def section(self, key: str, *parts: object) -> Block:
        """A titled section holding blocks, pictures or tables (anything with HTML)."""
        inner = "".join(p._repr_html_() for p in parts)  # type: ignore[attr-defined]
        return Block(f"<section><h2>{esc(self.t(key))}</h2>{inner}</section>")

    def check(self) -> None:
        """Fail loudly if any chart was drawn with missing glyphs (Chinese shown as boxes)."""
        if self.glyph_warnings:
            raise RuntimeError(
                f"{len(self.glyph_warnings)} missing-glyph warning(s), e.g. {self.glyph_warnings[0]!r}. "
                "Fix: run `bash scripts/install-system-deps.sh fonts` or set INDICATORS_CJK_FONT"
            )

    def cite(self, source_ids: str | Iterable[str]) -> str:
        """The note numbers of sources (``a;b`` or a list), numbering new ones in order of use."""
        ids = id_list(source_ids.replace(";", ",")) if isinstance(source_ids, str) else id_list(source_ids)
        numbers = []
        for sid in ids:
            if sid not in self._notes:
                self._notes[sid] = len(self._notes) + 1
            numbers.append(self._notes[sid])
        return "[" + ", ".join(str(n) for n in sorted(set(numbers))) + "]" if numbers else ""

    def source_notes(self) -> Block:
        if not self._notes:
            return Block(
                f'<section class="ind-notes"><h2>{esc(self.t("sources"))}</h2><p>{esc(self.t("none"))}</p></section>'
            )
        items = []
        for sid, n in sorted(self._notes.items(), key=lambda kv: kv[1]):
            s = self._sources.loc[sid]
            address = f", {esc(s['address'])}" if s["address"] else ""
            rel = self.t(f"reliability.{s['reliability']}")
            items.append(
                f'<li value="{n}">{esc(s["title"])}, {esc(s["publisher"])}, {esc(s["date_published"])}{address} '
                f"({esc(self.t('accessed'))} {esc(s['date_accessed'])}; {esc(rel)})</li>"
            )
        return Block(f'<section class="ind-notes"><h2>{esc(self.t("sources"))}</h2><ol>{"".join(items)}</ol></section>')

    def picture(self, fig, alt: str, caption: str = "") -> Picture:
        return Picture(to_png(fig, self.glyph_warnings), alt=alt, caption=caption)

    def styled(
        self,
        frame: pd.DataFrame,
        *,
        colours: dict[str, dict[str, str]] | None = None,
        html_columns: Iterable[str] = (),
    ):
        """A report table: no index, the house style; ``colours`` maps a column to a value→colour
        map for stoplight cells. Table ids count up within the report (Styler's default is
        random), so the same report is the same HTML every time.

        Every cell and column header is HTML-escaped (pandas' Styler does not escape by default,
        and names, titles and quotes come from the data), except the cells of ``html_columns``,
        which the report builds as HTML itself (escaping what it puts in them)."""
        self._tables += 1
        styler = frame.style.hide(axis="index").set_table_attributes('class="ind-table"')
        styler = styler.set_uuid(f"{self.kind}{self._tables}")
        raw = set(html_columns)
        text_columns = [c for c in frame.columns if c not in raw]
        if text_columns:
            styler = styler.format(escape="html", subset=text_columns)
        styler = styler.format_index(escape="html", axis="columns")
        for column, mapping in (colours or {}).items():
            if column in frame.columns:
                styler = styler.map(
                    lambda v, m=mapping: f"background-color: {m[v]}; color: white; font-weight: 600" if v in m else "",
                    subset=[column],
                )
        return styler
