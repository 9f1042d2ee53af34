"""The data behind a report, inside the report: a CSV file per table and chart, a workbook of all.

A report is shared as one HTML file (mailed, copied to a share), so its downloads travel inside it
as ``data:`` links (``<a download="NAME.csv" href="data:text/csv;…">``): no script, nothing
fetched; the page's Content-Security-Policy allows them, a download being a navigation.

What a download holds is what the reader sees: the table's texts (:meth:`.blocks.Table.text_rows`:
the published precision, qualifiers, units, marks and note numbers), the chart's rows (the same
figures as its labels). Text from the data is never a formula in a spreadsheet
(:mod:`indicators.textsafety`): in CSV a text that would start one gets OWASP's ``'`` prefix; in
the workbook every cell is a string cell. CSV files are UTF-8 with a byte-order mark (so that
Excel reads Chinese) and CRLF line ends (RFC 4180).

The workbook and its zip entries are dated with the report's generation time, so that the same
report is the same bytes every time.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence

from markupsafe import Markup

from ..textsafety import neutralise, text_cells

CSV_MIME = "text/csv;charset=utf-8"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: What Excel allows in a sheet's name: 31 characters, none of these.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_FILE_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")

Rows = Sequence[Sequence[str]]


def csv_bytes(rows: Rows) -> bytes:
    """The rows as a CSV file: UTF-8 with a byte-order mark, CRLF, every text neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([neutralise(str(v)) for v in row])
    return out.getvalue().encode("utf-8-sig")


def data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def link(file_name: str, label: str, data: bytes, mime: str) -> Markup:
    """A download link holding ``data`` (escaped: the name and label may carry text from the data)."""
    return Markup('<a download="{}" href="{}">{}</a>').format(file_name, data_uri(data, mime), label)


def csv_link(file_name: str, label: str, rows: Rows) -> Markup:
    """A paragraph with the link to the rows as ``file_name`` (a CSV file)."""
    return Markup('<p class="ind-download">{}</p>').format(link(file_name, label, csv_bytes(rows), CSV_MIME))


def file_part(text: str) -> str:
    """A piece of a download's file name: ASCII letters, digits, ``_`` and ``-`` only."""
    return _FILE_UNSAFE.sub("-", text).strip("-") or "data"


def sheet_title(name: str, used: set[str]) -> str:
    """A sheet name Excel accepts (31 characters, no ``[]:*?/\\``), unique among ``used``."""
    base = _SHEET_FORBIDDEN.sub("_", name).strip("'") or "data"
    title, n = base[:31], 2
    while title.lower() in used:
        suffix = f"_{n}"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


def workbook_bytes(sheets: Iterable[tuple[str, Rows]], *, stamp: dt.datetime) -> bytes:
    """An xlsx workbook with a sheet per ``(name, rows)``; the first row of each is its header
    (bold, frozen). Every cell is a string cell; the file's dates are ``stamp``."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    bold = Font(bold=True)
    for name, rows in sheets:
        sheet = book.create_sheet(sheet_title(name, used))
        widths: dict[int, int] = {}
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                cell = sheet.cell(row=r, column=c, value=str(value))
                if r == 1:
                    cell.font = bold
                widths[c] = max(widths.get(c, 0), min(60, _width(str(value))))
        for c, width in widths.items():
            sheet.column_dimensions[sheet.cell(row=1, column=c).column_letter].width = width + 2
        sheet.freeze_panes = "A2"
    if not book.worksheets:
        book.create_sheet("data")
    text_cells(book)  # never a formula, whatever a text begins with
    naive = stamp.astimezone(dt.UTC).replace(tzinfo=None) if stamp.tzinfo else stamp
    book.properties.creator = "indicators"
    book.properties.created = naive
    raw = io.BytesIO()
    book.save(raw)
    return _dated(raw.getvalue(), naive)


def _width(text: str) -> int:
    """Columns a text takes in a spreadsheet: a CJK character takes two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _dated(xlsx: bytes, when: dt.datetime) -> bytes:
    """The workbook with every zip entry and its modification date set to ``when`` (openpyxl
    stamps the time of saving)."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = _MODIFIED.sub(rb"\g<1>" + stamp.encode() + rb"\g<2>", data)
            info = zipfile.ZipInfo(item.filename, date_time=when.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, data)
    return out.getvalue()
