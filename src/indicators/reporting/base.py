"""The report notebooks' library: validated parameters, then one displayable block per section.

A notebook is a parameters cell, one constructor call (which checks every parameter and stops
with one message naming the parameter and the valid choices) and one call per section::

    rep = TrendReport(indicator=indicator, region=region, language=language)
    rep.header()          # title, parameters, data version, when and with which package version
    rep.headline()        # the three to five things to take away
    rep.contents()        # links to the sections (a report of more than three)
    rep.section("section.chart", rep.chart())         # embedded PNG, its data as CSV
    rep.section("section.values", rep.values_table()) # each figure with its numbered source note
    rep.source_notes()    # the numbered notes cited above, and the whole data as a workbook

Every block has an HTML representation, so the same notebook reads well in JupyterLab and in
the exported offline HTML.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Iterable

import pandas as pd
from markupsafe import Markup

from ..data.build import read_version
from ..data.catalog import get_indicator, get_region, load_table
from ..data.vintages import known_by
from ..errors import ParameterError
from ..version import __version__
from .blocks import Block, Cell, Picture, Table, join
from .charts import display_size, to_png
from .i18n import check_language, t, tm
from .numbers import Numbers, Shown, period_text
from .pages import ReportPage

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


def int_param(name: str, value: object, low: int, high: int, fix: str) -> int:
    try:
        number = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ParameterError(name, value, "not a whole number", fix) from None
    if not low <= number <= high:
        raise ParameterError(name, value, f"outside {low}-{high}", fix)
    return number


def id_list(value: str | Iterable[str]) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [str(v).strip() for v in value if str(v).strip()]


class Report(ReportPage):
    """What every report shares: language, header, source notes, figures, tables and pictures.

    Every figure a report shows goes through :meth:`show` (one formatter, :mod:`.numbers`) and is
    recorded with the section and the role it is shown in (table, chart, sentence, headline), so
    that :meth:`shown_frame` lists the figures of each section as shown, and a test can hold the
    report to showing one figure one way everywhere.
    """

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
        self._referenced: set[int] = set()  # note numbers whose first marker carries the back-link anchor
        self._tables = 0
        self._downloads: dict[str, Table | Picture] = {}  # by key: what the workbook holds
        self._names: dict[str, str] = {}  # catalog names already looked up
        self._sources = load_table("sources", data_dir=data_dir).set_index("source_id")
        self._units = load_table("units", data_dir=data_dir).set_index("unit")
        self.numbers = Numbers(self.language, {u: float(f) for u, f in self._units["factor"].items()})
        self._shown: list[dict] = []
        self.meta = read_version(data_dir) or {}

    # -- names ---------------------------------------------------------------------------
    def t(self, key: str, **kw: object) -> str:
        return t(key, self.language, **kw)

    def tm(self, key: str, **kw: object) -> Markup:
        """The text for ``key`` as HTML, its arguments escaped unless they are Markup."""
        return tm(key, self.language, **kw)

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
        return self.numbers.display_unit(unit)

    def period(self, label: str) -> str:
        """A period as the statistics write it (2023年前三季度 / Q1-Q3 2023)."""
        return period_text(label, self.language)

    # -- figures -------------------------------------------------------------------------
    def show(
        self,
        section: str,
        key: str,
        value: float | str | None,
        unit: str,
        *,
        text: str | None = None,
        qualifier: str = "exact",
        status: str = "reported",
        reading: str = "",
        period: str = "",
        role: str = "table",
        to_unit: str | None = None,
        decimals: int | None = None,
        verdict: str = "",
    ) -> Shown | None:
        """Format a figure with the report's one formatter and record where it is shown."""
        shown = self.numbers.figure(
            value,
            unit,
            text=text,
            qualifier=qualifier,
            status=status,
            reading=reading,
            to_unit=to_unit,
            decimals=decimals,
        )
        self._shown.append(
            {
                "section": section,
                "key": key,
                "role": role,
                "period": period,
                "text": "" if shown is None else shown.text,
                "number": "" if shown is None else shown.number,
                "unit": "" if shown is None else shown.unit,
                "qualifier": "" if shown is None else shown.qualifier,
                "marks": "" if shown is None else "|".join(shown.marks),
                "verdict": verdict,
            }
        )
        return shown

    def show_row(self, section: str, row: pd.Series, *, role: str = "table", **kw: object) -> Shown | None:
        """An observation as shown: its published text, unit, qualifier, status and reading."""
        reading = row.get("reading", "")
        return self.show(
            section,
            str(row.get("obs_id", "")),
            row["value"],
            row["unit"],
            text=row.get("value_text"),
            qualifier=row["qualifier"],
            status=row["status"],
            reading=reading if isinstance(reading, str) else "",
            period=str(row["period"]),
            role=role,
            **kw,  # type: ignore[arg-type]
        )

    def record(self, section: str, key: str, text: str, *, role: str, period: str = "", verdict: str = "") -> None:
        """Record a shown value that is not a figure (a verdict, a computed rate)."""
        self._shown.append(
            {
                "section": section,
                "key": key,
                "role": role,
                "period": period,
                "text": text,
                "number": "",
                "unit": "",
                "qualifier": "",
                "marks": "",
                "verdict": verdict,
            }
        )

    def shown_frame(self, section: str | None = None) -> pd.DataFrame:
        """Every figure shown so far: section, key, role, period, text, number, unit, qualifier,
        marks, verdict. One row per showing."""
        frame = pd.DataFrame(
            self._shown,
            columns=["section", "key", "role", "period", "text", "number", "unit", "qualifier", "marks", "verdict"],
        )
        return frame if section is None else frame[frame["section"] == section].reset_index(drop=True)

    def value(self, value: float | None, unit: str, qualifier: str = "exact", text: str | None = None) -> str:
        return self.numbers.figure_text(value, unit, qualifier=qualifier, text=text)

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
        """A reported figure as text with its note number: ``约56.7亿元 [3]``."""
        value = self.value(row["value"], row["unit"], row["qualifier"], row["value_text"])
        return f"{value} {self.cite(row['source_id'])}"

    @property
    def title(self) -> str:
        raise NotImplementedError

    # -- blocks ----------------------------------------------------------------------------
    def header(self) -> Block:
        params = join(
            Markup("<tr><th>{}</th><td>{}</td></tr>").format(self.t(f"param.{k}"), v)
            for k, v in self.parameters.items()
        )
        meta = [
            (self.t("data_version"), self.meta.get("data_version", "")),
            (self.t("generated"), self.generated_at.strftime("%Y-%m-%d %H:%M UTC")),
            (self.t("package"), f"indicators {__version__}"),
        ]
        meta_html = join((Markup("{}: <code>{}</code>").format(k, v) for k, v in meta), " · ")
        lang = "zh-CN" if self.language == "zh" else "en"
        # what an index of reports shows of this one, read from the page (batch.index)
        facts = {
            "language": self.language,
            "kind": self.kind,
            "data-version": self.meta.get("data_version", ""),
            "data-as-of": str(getattr(self, "as_of", None) or self.data_as_of()),
            **{k: v for k, v in self.index_facts().items() if v},
        }
        attrs = join(Markup(' data-{}="{}"').format(k, v) for k, v in facts.items())
        return Block(
            Markup(
                '<header class="ind-header" lang="{}"{}><h1>{}</h1>'
                '<p class="ind-meta">{}</p>'
                '<table class="ind-params"><caption>{}</caption>{}</table></header>'
            ).format(lang, attrs, self.title, meta_html, self.t("parameters"), params)
        )

    def index_facts(self) -> dict[str, str]:
        """What an index lists of the report beside its title: ``region``, ``indicator``,
        ``plan`` and one ``headline`` figure or verdict, in the report's language."""
        return {}

    def data_as_of(self) -> str:
        """The newest publication date among the sources: what the data are as of."""
        dates = [d for d in self._sources["date_published"].astype(str) if d]
        return max(dates, key=known_by).strip() if dates else ""

    def heading(self, key: str, level: int = 2) -> Block:
        return Block(Markup("<h{}>{}</h{}>").format(level, self.t(key), level))

    def section(self, key: str, *parts: object) -> Block:
        """A titled section holding blocks, pictures or tables (anything with HTML)."""
        inner = Markup("").join(Markup(p._repr_html_()) for p in parts)  # type: ignore[attr-defined]
        anchor = key.replace(".", "-")
        return Block(Markup('<section id="{}"><h2>{}</h2>{}</section>').format(anchor, self.t(key), inner))

    def check(self) -> None:
        """Fail loudly if any chart was drawn with missing glyphs (Chinese shown as boxes)."""
        if self.glyph_warnings:
            raise RuntimeError(
                f"{len(self.glyph_warnings)} missing-glyph warning(s), e.g. {self.glyph_warnings[0]!r}. "
                "Fix: run `bash scripts/install-system-deps.sh fonts` or set INDICATORS_CJK_FONT"
            )

    # -- source notes ----------------------------------------------------------------------
    def note_numbers(self, source_ids: str | Iterable[str]) -> list[int]:
        """The note numbers of sources (``a;b`` or a list), numbering new ones in order of use."""
        ids = id_list(source_ids.replace(";", ",")) if isinstance(source_ids, str) else id_list(source_ids)
        numbers = []
        for sid in ids:
            if sid not in self._notes:
                self._notes[sid] = len(self._notes) + 1
            numbers.append(self._notes[sid])
        return sorted(set(numbers))

    def cite(self, source_ids: str | Iterable[str]) -> str:
        """The note markers of sources as text: ``[1, 3]``."""
        numbers = self.note_numbers(source_ids)
        return "[" + ", ".join(str(n) for n in numbers) + "]" if numbers else ""

    def cite_html(self, source_ids: str | Iterable[str]) -> Markup:
        """The note markers as links to their notes; the first marker of a note is the target of
        the note's link back."""
        links = []
        for n in self.note_numbers(source_ids):
            anchor = Markup("") if n in self._referenced else Markup(' id="ref-{}"').format(n)
            self._referenced.add(n)
            links.append(Markup('<a class="ind-ref" href="#note-{}"{}>{}</a>').format(n, anchor, n))
        return Markup("[{}]").format(Markup(", ").join(links)) if links else Markup("")

    def in_column(self, shown: Shown | None, *, unit_in_header: bool) -> Cell:
        """A figure in a table cell; without its unit where the column header carries it."""
        if shown is None:
            return Cell("–")
        if unit_in_header:
            shown = dataclasses.replace(shown, unit="")
        return Cell(shown.text, Markup(shown.html))

    def cited(self, shown: Shown | None, source_ids: str | Iterable[str]) -> Cell:
        """A table cell holding a figure and its note markers."""
        if shown is None:
            return Cell("–")
        marker = self.cite(source_ids)
        return Cell(
            f"{shown.text} {marker}".strip(), Markup("{} {}").format(Markup(shown.html), self.cite_html(source_ids))
        )

    def source_title(self, source_id: str) -> str:
        """A source's title; where it was not recorded, that said in the report's language, and
        what the document is."""
        s = self._sources.loc[source_id]
        if s["title"]:
            return str(s["title"])
        description = s.get("description", "")
        return f"{self.t('title_not_recorded')} {description}".strip()

    def source_address(self, source_id: str) -> Markup:
        """A source's address, a link where its scheme is recorded (http or https, never guessed)."""
        s = self._sources.loc[source_id]
        scheme = s.get("scheme", "")
        if scheme in ("http", "https"):
            return Markup('<a class="ind-source-link" href="{}://{}" rel="noopener noreferrer">{}</a>').format(
                scheme, s["address"], s["address"]
            )
        return Markup("{}").format(s["address"])

    def source_notes(self) -> Block:
        """The numbered notes cited above, then the report's whole data as a workbook."""
        return Block(self._notes_html() + Markup(self.downloads()._repr_html_()))

    def _notes_html(self) -> Markup:
        if not self._notes:
            return Markup('<section class="ind-notes" id="notes"><h2>{}</h2><p>{}</p></section>').format(
                self.t("sources"), self.t("none")
            )
        items = []
        for sid, n in sorted(self._notes.items(), key=lambda kv: kv[1]):
            s = self._sources.loc[sid]
            address = Markup(", {}").format(self.source_address(sid)) if s["address"] else Markup("")
            rel = self.t(f"reliability.{s['reliability']}")
            title = self.source_title(sid)
            back = Markup(' <a class="ind-back" href="#ref-{}" aria-label="{}">↩</a>').format(n, self.t("back_to_text"))
            items.append(
                Markup('<li value="{}" id="note-{}">{}, {}, {}{} ({} {}; {}){}</li>').format(
                    n,
                    n,
                    title,
                    s["publisher"],
                    s["date_published"],
                    address,
                    self.t("accessed"),
                    s["date_accessed"],
                    rel,
                    back if n in self._referenced else Markup(""),
                )
            )
        return Markup('<section class="ind-notes" id="notes"><h2>{}</h2><ol>{}</ol></section>').format(
            self.t("sources"), Markup("").join(items)
        )

    def source_address_text(self, source_id: str) -> str:
        """A source's address as text, with its scheme where one is recorded."""
        s = self._sources.loc[source_id]
        scheme = s.get("scheme", "")
        return f"{scheme}://{s['address']}" if scheme in ("http", "https") and s["address"] else str(s["address"])

    # -- pictures and tables -----------------------------------------------------------------
    def picture(
        self,
        fig,
        alt: str,
        caption: str = "",
        *,
        data: Iterable[Iterable[object]] = (),
        key: str = "",
        sheet: str = "",
    ) -> Picture:
        """A chart, shown at its display size and drawn at twice that; ``data`` are the rows it
        draws, header first, as text (the same figures as its labels: take them from
        :meth:`show`), offered as a CSV file and a sheet of the workbook (``sheet`` names it;
        default: the section's title for ``key``)."""
        width, height = display_size(fig)
        rows = tuple(tuple("" if v is None else str(v) for v in row) for row in data)
        key = key or f"{self.kind}.chart"
        return self.offer(
            key,
            Picture(
                to_png(fig, self.glyph_warnings),
                alt=alt,
                caption=caption,
                width=width,
                height=height,
                data=rows,
                download_label=self.t("download.chart_csv"),
                sheet=sheet,
            ),
        )

    def new_table(
        self,
        columns: list[str],
        *,
        key: str = "",
        caption: str = "",
        numeric: Iterable[int] = (),
        sheet: str = "",
        print_compact: bool = False,
    ) -> Table:
        """A report table; with a ``key`` (unique in the report) it offers its rows as a CSV file
        and a sheet of the workbook (``sheet`` names it; default: the section's title for ``key``).
        ``print_compact``: a long appendix table, printed small in two columns."""
        table = Table(
            columns,
            caption=caption,
            key=key,
            numeric=frozenset(numeric),
            download_label=self.t("download.csv"),
            sheet=sheet,
            print_compact=print_compact,
        )
        return self.offer(key, table) if key else table
