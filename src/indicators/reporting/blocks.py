"""The pieces a report is made of, each with its HTML and the plain text behind it.

Text from data is untrusted: every string is escaped when a block is rendered, unless it is
:class:`~markupsafe.Markup` built here from escaped parts. A table cell is a :class:`Cell` with the
text a reader sees (used for CSV downloads and sentences) and, where it carries markup (a source
note link, a mark), its HTML; a table renders its own HTML (no Styler), so nothing reaches the
page unescaped and the same report is the same HTML every time.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from .downloads import csv_link


def esc(value: object) -> Markup:
    """Escaped text (``None`` is empty); Markup passes through."""
    return escape("" if value is None else value)


def join(parts: Iterable[object], sep: str = "") -> Markup:
    """Concatenate, escaping every part that is not Markup."""
    return Markup(esc(sep)).join(esc(p) for p in parts)


@dataclass(frozen=True)
class Cell:
    """A table cell: ``text`` as a reader sees it, ``html`` where it carries markup, a CSS class."""

    text: str
    html: Markup | None = None
    cls: str = ""

    def render(self) -> Markup:
        return self.html if self.html is not None else esc(self.text)


def cell(value: object, html: Markup | None = None, cls: str = "") -> Cell:
    if isinstance(value, Cell):
        return value
    return Cell("" if value is None else str(value), html, cls)


@dataclass(frozen=True)
class Block:
    """A piece of report HTML (trusted: built from escaped parts)."""

    html: str

    def _repr_html_(self) -> str:
        return str(self.html)


@dataclass(frozen=True)
class Picture:
    """An embedded PNG chart with alternative text, a caption, and the data it draws.

    ``width`` and ``height`` are the CSS pixels it is shown at (the PNG is drawn at twice that
    for sharp screens, :func:`.charts.to_png`); ``data`` are the rows it draws, header first, as
    text (the same figures as its labels), offered as ``file_name`` (a CSV file) under the link
    text ``download_label``."""

    png: bytes
    alt: str
    caption: str = ""
    width: int | None = None
    height: int | None = None
    data: tuple[tuple[str, ...], ...] = ()
    file_name: str = ""
    download_label: str = ""
    sheet: str = ""  # the name of its sheet in the report's workbook (default: its section's)

    def text_rows(self) -> list[list[str]]:
        """The rows the chart draws, header first (what its CSV download holds)."""
        return [list(row) for row in self.data]

    def _repr_html_(self) -> str:
        data = base64.b64encode(self.png).decode("ascii")
        cap = Markup("<figcaption>{}</figcaption>").format(self.caption) if self.caption else Markup("")
        size = Markup("")
        if self.width and self.height:
            size = Markup(' width="{}" height="{}"').format(self.width, self.height)
        download = Markup("")
        if self.data and self.file_name:
            download = csv_link(self.file_name, self.download_label or "CSV", self.text_rows())
        return str(
            Markup('<figure class="ind-figure"><img src="data:image/png;base64,{}" alt="{}"{}/>{}{}</figure>').format(
                data, self.alt, size, cap, download
            )
        )

    def _repr_png_(self) -> bytes:
        return self.png


@dataclass
class Table:
    """A report table: a header row and rows of cells; ``key`` names the section its figures
    belong to (see :meth:`indicators.reporting.base.Report.shown_frame`)."""

    columns: Sequence[str]
    rows: list[list[Cell]] = field(default_factory=list)
    caption: str = ""
    key: str = ""
    numeric: frozenset[int] = frozenset()  # column positions aligned right
    file_name: str = ""  # the CSV download of the table (none without a name)
    download_label: str = ""
    sheet: str = ""  # the name of its sheet in the report's workbook (default: its section's)
    print_compact: bool = False  # printed small, in two columns (a long appendix table)

    def add(self, values: Sequence[object]) -> None:
        if len(values) != len(self.columns):
            raise ValueError(f"a row of {len(values)} cells in a table of {len(self.columns)} columns")
        self.rows.append([cell(v) for v in values])

    def __len__(self) -> int:
        return len(self.rows)

    def text_rows(self) -> list[list[str]]:
        """The table as a reader sees it, header first (what a CSV download holds)."""
        return [list(self.columns), *([c.text for c in row] for row in self.rows)]

    def _repr_html_(self) -> str:
        def td(i: int, c: Cell) -> Markup:
            classes = " ".join(x for x in (c.cls, "ind-num" if i in self.numeric else "") if x)
            attr = Markup(' class="{}"').format(classes) if classes else Markup("")
            return Markup("<td{}>{}</td>").format(attr, c.render())

        head = join(Markup("<th scope='col'>{}</th>").format(c) for c in self.columns)
        body = join(Markup("<tr>{}</tr>").format(join(td(i, c) for i, c in enumerate(row))) for row in self.rows)
        cap = Markup("<caption>{}</caption>").format(self.caption) if self.caption else Markup("")
        key = Markup(' data-section="{}"').format(self.key) if self.key else Markup("")
        download = Markup("")
        if self.file_name and self.rows:
            download = csv_link(self.file_name, self.download_label or "CSV", self.text_rows())
        return str(
            Markup('<div class="ind-table-wrap{}"><table class="ind-table"{}>{}<thead><tr>{}</tr></thead>').format(
                " print-compact" if self.print_compact else "", key, cap, head
            )
            + Markup("<tbody>{}</tbody></table></div>{}").format(body, download)
        )


def note(text: object) -> Block:
    """A muted remark (no data, a reason)."""
    return Block(str(Markup("<p class='ind-note'>{}</p>").format(text)))
