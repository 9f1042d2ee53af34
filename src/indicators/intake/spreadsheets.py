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

Workbooks are read in streaming mode (a row at a time, whatever size a sheet declares), and a
sheet or CSV file is read up to :func:`~indicators.limits.max_sheet_rows` rows and
:func:`~indicators.limits.max_sheet_columns` columns, a CSV field up to
:func:`~indicators.limits.max_field_chars` characters; beyond that the file is refused naming
the sheet, row and column and the limit. A CSV text cell loses the neutralising ``'`` that
``indicators export`` puts before text a spreadsheet would take for a formula
(:func:`indicators.intake.formulas.restore`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..data.tables import TABLES, csv_records
from ..errors import Problem
from ..limits import max_field_chars, max_sheet_columns, max_sheet_rows
from ..textsafety import restore
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


class TooLarge(Exception):
    """A sheet or CSV file over the row or column limit (:mod:`indicators.limits`)."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def _too_many_rows(label: str, number: int) -> TooLarge:
    limit = max_sheet_rows()
    return TooLarge(
        Problem(
            label,
            number,
            None,
            None,
            f"the sheet goes on past row {limit:,} (the limit of rows read from one sheet)",
            "delete the rows below the data (a stray cell far down counts), split the sheet, or raise "
            "INDICATORS_MAX_SHEET_ROWS",
            "row",
        )
    )


def _too_many_columns(label: str, number: int, count: int) -> TooLarge:
    limit = max_sheet_columns()
    return TooLarge(
        Problem(
            label,
            number,
            None,
            None,
            f"the row has {count:,} columns, over the limit of {limit:,}",
            "delete the cells right of the data (a stray cell far right counts), or raise INDICATORS_MAX_SHEET_COLUMNS",
            "row",
        )
    )


def _capped(label: str, rows: Iterator[tuple[int, list]]) -> Iterator[tuple[int, list]]:
    """``rows`` as they come, refused (:class:`TooLarge`) past the row or column limit."""
    max_rows, max_columns = max_sheet_rows(), max_sheet_columns()
    for number, cells in rows:
        if number > max_rows:
            raise _too_many_rows(label, number)
        if len(cells) > max_columns:
            while cells and getattr(cells[-1], "value", None) in (None, ""):
                cells = cells[:-1]  # blank cells at the end of a row do not count
            if len(cells) > max_columns:
                raise _too_many_columns(label, number, len(cells))
        yield number, cells


def _read_xlsx(path: Path) -> tuple[list[SheetRows], list[str], list[Problem]]:
    import openpyxl

    try:
        # streaming: a row at a time, so a sheet declaring a million rows costs nothing to open
        book = openpyxl.load_workbook(path, data_only=True, read_only=True)
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
            label = f"{path.name}:{ws.title}"
            # the size a sheet declares may be wrong either way: read what is there, row by row
            ws.reset_dimensions()

            def cells(ws=ws, label=label) -> Iterator[tuple[int, list[Cell]]]:
                numbered = ((n, list(row)) for n, row in enumerate(ws.iter_rows(), start=1))
                for number, row in _capped(label, numbered):
                    yield (
                        number,
                        [
                            _number_cell(c.value, getattr(c, "number_format", None))
                            if isinstance(c.value, int | float) and not isinstance(c.value, bool)
                            else Cell(c.value)
                            for c in row
                        ],
                    )

            try:
                read = _rows(label, table, cells())
            except TooLarge as exc:
                return [], [], [exc.problem]
            if read is not None:
                sheets.append(read)
    except Exception as exc:  # a damaged sheet inside a workbook that opened
        return [], [], [Problem(path.name, None, None, None, f"cannot read the workbook ({exc})", "save it as .xlsx")]
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
    records, long = csv_records(text.splitlines(keepends=True))
    header = [_column_name(h) for h in records[0][1]] if records and records[0][0] == 1 else []
    if long:
        labels = [h or "" for h in header]
        return [], [], [f.problem(path.name, labels, max_field_chars(), row_label="row") for f in long]
    table = _table_from_name(path.stem) or _table_from_header(header)
    if table is None:
        return [], [path.name], []
    rows = ((line, [Cell(restore(v)) for v in row]) for line, row in records)
    try:
        read = _rows(path.name, table, _capped(path.name, rows))
    except TooLarge as exc:
        return [], [], [exc.problem]
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
    if sheets and not problems and not any(sheet.rows for sheet in sheets):
        problems.append(
            Problem(
                ", ".join(Path(p).name for p in paths),
                None,
                None,
                None,
                "every sheet or CSV file named after a table has a header but no rows",
                "fill in the rows below the header, or import the file that holds them",
            )
        )
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
