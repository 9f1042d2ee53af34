"""What a report page offers around its sections: the headline box, the contents, and the data
behind every table and chart as CSV files and one workbook, inside the page (:mod:`.downloads`).

:class:`ReportPage` is a part of :class:`~.base.Report` (it uses the report's language, title,
parameters, source notes and data version).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TypeVar

from markupsafe import Markup

from ..version import __version__
from .blocks import Block, Picture, Table, join
from .downloads import XLSX_MIME, file_part, link, workbook_bytes

Offered = TypeVar("Offered", Table, Picture)


class ReportPage:
    """The headline box, the contents and the downloads of a report."""

    kind = "report"
    #: The keys of the report's sections in the order its notebook shows them (the contents).
    SECTIONS: tuple[str, ...] = ()
    #: A report of more sections than three has a table of contents.
    CONTENTS_FROM = 4

    # -- the headline box and the contents ---------------------------------------------------
    def headline_box(self, items: Iterable[object]) -> Block:
        """The headline box: the things to take away (at most five), each escaped unless Markup."""
        items = [i for i in items if i][:5]
        if not items:
            return Block("")
        return Block(
            Markup('<aside class="ind-headline" aria-label="{}"><h2>{}</h2><ul>{}</ul></aside>').format(
                self.t("headline"), self.t("headline"), join(Markup("<li>{}</li>").format(i) for i in items)
            )
        )

    def contents_entries(self) -> list[tuple[str, str]]:
        """The report's sections as ``(id, title)``, in order (from :attr:`SECTIONS`; the ids
        :meth:`~.base.Report.section` gives them)."""
        return [(key.replace(".", "-"), self.t(key)) for key in self.SECTIONS]

    def contents(self) -> Block:
        """Links to the report's sections where it has more than three (else nothing), and to
        its source notes and downloads."""
        entries = self.contents_entries()
        if len(entries) < self.CONTENTS_FROM:
            return Block("")
        entries += [("notes", self.t("sources")), ("downloads", self.t("download.title"))]
        items = join(Markup('<li><a href="#{}">{}</a></li>').format(anchor, title) for anchor, title in entries)
        return Block(
            Markup('<nav class="ind-contents" aria-label="{}"><h2>{}</h2><ol>{}</ol></nav>').format(
                self.t("contents"), self.t("contents"), items
            )
        )

    # -- downloads -----------------------------------------------------------------------------
    def name_parts(self) -> list[str]:
        """What tells this report from another of its kind in a download's file name (ids)."""
        return []

    @property
    def file_stem(self) -> str:
        """The start of the report's download names: ``trend_gdp_wcna_zh``."""
        return "_".join(file_part(p) for p in (self.kind, *self.name_parts(), self.language))

    def _suffix(self, key: str) -> str:
        return key.split(".", 1)[1] if key.startswith(f"{self.kind}.") else key

    def offer(self, key: str, item: Offered) -> Offered:
        """``item`` with its CSV file name, registered for the workbook under ``key`` (unique in
        the report: a table made again with the same key replaces the earlier one)."""
        name = f"{self.file_stem}_{file_part(self._suffix(key))}.csv"
        if isinstance(item, Picture):
            item = dataclasses.replace(item, file_name=name if item.data else "")
        else:
            item.file_name = name
        self._downloads[key] = item
        return item

    @property
    def offered(self) -> dict[str, Table | Picture]:
        """Every table and chart offered for download so far, by key (what the workbook holds)."""
        return dict(self._downloads)

    def sheet_name(self, key: str) -> str:
        """A sheet's name: the title of the section ``key`` names, else the key."""
        suffix = self._suffix(key)
        title = self.t(f"section.{suffix}")
        return suffix if title == f"section.{suffix}" else title

    def workbook_sheets(self) -> list[tuple[str, list[list[str]]]]:
        """The workbook's sheets: the report's facts, every table and chart with rows, and the
        source notes."""
        about = [
            [self.t("sheet.item"), self.t("sheet.value")],
            [self.t("sheet.title"), self.title],
            *([self.t(f"param.{k}"), str(v)] for k, v in self.parameters.items()),
            [self.t("data_version"), str(self.meta.get("data_version", ""))],
            [self.t("sheet.generated"), self.generated_at.strftime("%Y-%m-%d %H:%M UTC")],
            [self.t("package"), f"indicators {__version__}"],
        ]
        sheets = [(self.t("sheet.report"), about)]
        for key, item in self._downloads.items():
            rows = item.text_rows()
            if len(rows) > 1:
                sheets.append((item.sheet or self.sheet_name(key), rows))
        header = ["note", "source_title", "publisher", "published", "address", "accessed", "reliability"]
        notes = [[self.t(f"sheet.{h}") for h in header]]
        for sid, n in sorted(self._notes.items(), key=lambda kv: kv[1]):
            s = self._sources.loc[sid]
            notes.append(
                [
                    str(n),
                    self.source_title(sid),
                    str(s["publisher"]),
                    str(s["date_published"]),
                    self.source_address_text(sid),
                    str(s["date_accessed"]),
                    self.t(f"reliability.{s['reliability']}"),
                ]
            )
        return [*sheets, (self.t("sources"), notes)]

    def workbook(self) -> bytes:
        """The report's whole data as an xlsx workbook (:meth:`workbook_sheets`)."""
        return workbook_bytes(self.workbook_sheets(), stamp=self.generated_at)

    def downloads(self) -> Block:
        """The report's whole data as one workbook, inside the page."""
        return Block(
            Markup(
                '<section class="ind-downloads" id="downloads"><h2>{}</h2><p>{}</p><p class="ind-download">{}</p>'
                "</section>"
            ).format(
                self.t("download.title"),
                self.t("download.note"),
                link(f"{self.file_stem}.xlsx", self.t("download.workbook"), self.workbook(), XLSX_MIME),
            )
        )
