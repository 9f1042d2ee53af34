"""Reading the rows of a workbook or CSV file to be imported, cell by cell, with the row
numbers the user sees.

A workbook's sheets named after a raw table (``observations``, ``targets``, ``indicators``,
``regions``, ``sources``, ``units``, ``plans``) are read; sheets the template and the export
write for reference (``README``, ``valid_ids``, ``about``, ``derivations``, ``checks``,
``batches``) are
skipped, and any other sheet is reported as ignored. A CSV file is one table: the one its name
ends with (``observations.csv``, ``2024_targets.csv``), else the one whose columns its header
shares most. A CSV may be UTF-8 (with or without the BOM Excel writes) or GB18030 (Excel's
"CSV" on a Chinese Windows). A folder is read as the CSV files in it.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..data.tables import TABLES
from ..errors import Problem
from .labels import normalise_text

#: Sheets written for reference by the template and the export, never imported.
REFERENCE_SHEETS = frozenset({"readme", "valid_ids", "about", "derivations", "checks", "batches", "说明"})
#: A workbook sheet or CSV file is one of these tables (sources and units included, so that an
#: export can be imported back).
IMPORTABLE = ("sources", "units", "regions", "indicators", "plans", "observations", "targets")


@dataclass(frozen=True)
class Cell:
    """A cell as read: its value (text, number, date or ``None``) and, for a number, the
    decimals its format shows (``0.00`` → 2; ``None`` when the format does not fix them) and
    whether it is formatted as a percentage (Excel stores ``4.8%`` as 0.048)."""

    value: object
    decimals: int | None = None
    percent: bool = False

    @property
    def text(self) -> str:
        """The cell as text, for messages."""
        if self.value is None:
            return ""
        if isinstance(self.value, dt.datetime):
            return self.value.date().isoformat() if self.value.time() == dt.time() else self.value.isoformat()
        return str(self.value)

    @property
    def blank(self) -> bool:
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())


@dataclass(frozen=True)
class SheetRows:
    """The rows of one table in one file: ``label`` names it in problems (``FILE.xlsx:sheet``
    or ``FILE.csv``); each row is its number as the user sees it and its cells by column."""

    label: str
    table: str
    header: tuple[str, ...]
    header_row: int
    rows: tuple[tuple[int, dict[str, Cell]], ...] = field(repr=False)


@dataclass(frozen=True)
class ReadFiles:
    sheets: tuple[SheetRows, ...]
    ignored: tuple[str, ...]
    problems: tuple[Problem, ...]


def _column_name(value: object) -> str:
    return normalise_text("" if value is None else value).lower()


def _decimals(number_format: str | None) -> int | None:
    """Decimals a number format fixes: ``0.00`` → 2, ``#,##0.0`` → 1, ``0.0%`` → 1, ``0`` → 0,
    ``General`` → None."""
    if not number_format or number_format == "General":
        return None
    m = re.match(r"^[#,]*0(?:\.(0+))?%?$", number_format.split(";")[0])
    if not m:
        return None
    return len(m[1]) if m[1] else 0


def _number_cell(value: object, number_format: str | None) -> Cell:
    percent = bool(number_format) and number_format.split(";")[0].endswith("%")
    return Cell(value, _decimals(number_format), percent)


def _table_from_name(name: str) -> str | None:
    key = _column_name(name)
    for table in IMPORTABLE:
        if key == table or key.endswith(f"_{table}") or key.endswith(f"-{table}"):
            return table
    return None


def _table_from_header(header: list[str]) -> str | None:
    """The table whose required key columns the header has, sharing most columns with it."""
    fields = {t: {f.name: f for f in TABLES[t].fields} for t in IMPORTABLE}
    candidates = [
        t for t in IMPORTABLE if all(k in header for k in TABLES[t].key if fields[t][k].required and k != "source_id")
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda t: len(set(header) & set(TABLES[t].columns)))


def _rows(label: str, table: str, raw_rows: Iterator[tuple[int, list[Cell]]]) -> SheetRows | None:
    header: list[str] | None = None
    header_row = 0
    rows: list[tuple[int, dict[str, Cell]]] = []
    for number, cells in raw_rows:
        if header is None:
            if all(c.blank for c in cells):
                continue
            header = [_column_name(c.value) for c in cells]
            while header and not header[-1]:
                header.pop()
            header_row = number
            continue
        if all(c.blank for c in cells):
            continue
        padded = cells + [Cell(None)] * (len(header) - len(cells))
        rows.append((number, {name: padded[i] for i, name in enumerate(header) if name}))
    if header is None:
        return None
    return SheetRows(label, table, tuple(h for h in header if h), header_row, tuple(rows))


def _read_xlsx(path: Path) -> tuple[list[SheetRows], list[str], list[Problem]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a file that is not a workbook
        return [], [], [Problem(path.name, None, None, None, f"cannot open the workbook ({exc})", "save it as .xlsx")]
    sheets, ignored = [], []
    try:
        for ws in book.worksheets:
            name = _column_name(ws.title)
            if name in REFERENCE_SHEETS:
                continue
            table = name if name in IMPORTABLE else None
            if table is None:
                ignored.append(f"{path.name}:{ws.title}")
                continue

            def cells(ws=ws) -> Iterator[tuple[int, list[Cell]]]:
                for number, row in enumerate(ws.iter_rows(min_row=1), start=1):
                    yield (
                        number,
                        [
                            _number_cell(c.value, getattr(c, "number_format", None))
                            if isinstance(c.value, int | float) and not isinstance(c.value, bool)
                            else Cell(c.value)
                            for c in row
                        ],
                    )

            read = _rows(f"{path.name}:{ws.title}", table, cells())
            if read is not None:
                sheets.append(read)
    finally:
        book.close()
    return sheets, ignored, []


def _read_csv(path: Path) -> tuple[list[SheetRows], list[str], list[Problem]]:
    if _column_name(path.stem) in REFERENCE_SHEETS:
        return [], [], []
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes nearly any byte string
        return [], [], [Problem(path.name, None, None, None, "neither UTF-8 nor GB18030", "save it as UTF-8 CSV")]
    reader = list(csv.reader(text.splitlines()))
    header = [_column_name(h) for h in reader[0]] if reader else []
    table = _table_from_name(path.stem) or _table_from_header(header)
    if table is None:
        return [], [path.name], []
    read = _rows(path.name, table, ((i, [Cell(v) for v in row]) for i, row in enumerate(reader, start=1)))
    return ([read] if read is not None else []), [], []


def read_files(paths: list[Path]) -> ReadFiles:
    """The rows of every table in the files (workbooks, CSV files, folders of CSV files)."""
    sheets: list[SheetRows] = []
    ignored: list[str] = []
    problems: list[Problem] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            members = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv")
            if not members:
                problems.append(
                    Problem(str(path), None, None, None, "the folder holds no .csv file", "import .xlsx or .csv files")
                )
            for member in members:
                got = _read_csv(member)
                sheets += got[0]
                ignored += got[1]
                problems += got[2]
            continue
        if not path.exists():
            problems.append(Problem(str(path), None, None, None, "the file does not exist", "check the path"))
            continue
        suffix = path.suffix.lower()
        if suffix in (".xlsx", ".xlsm"):
            got = _read_xlsx(path)
        elif suffix == ".csv":
            got = _read_csv(path)
        else:
            problems.append(
                Problem(
                    path.name,
                    None,
                    None,
                    None,
                    f"cannot import a {suffix or 'file without extension'}",
                    "save the sheet as .xlsx (Excel workbook) or .csv (UTF-8)",
                )
            )
            continue
        sheets += got[0]
        ignored += got[1]
        problems += got[2]
    if not sheets and not problems:
        problems.append(
            Problem(
                ", ".join(Path(p).name for p in paths),
                None,
                None,
                None,
                "no sheet or file named after a table",
                f"name the sheet (or the CSV file) after the table its rows belong to: {', '.join(IMPORTABLE)}",
            )
        )
    return ReadFiles(tuple(sheets), tuple(ignored), tuple(problems))
