"""Rows of a spreadsheet read into raw-table rows: each cell normalised the way economists type
it (:mod:`indicators.intake.labels`), the figure's qualifier and unit merged into their columns,
and every cell that cannot be read reported as a :class:`~indicators.errors.Problem` with the
sheet, the row the spreadsheet shows, the column and the fix. :mod:`indicators.intake.importer`
turns the rows into a batch.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..data.build import OBSERVATION_COLUMNS
from ..data.tables import TABLES, Field
from ..errors import FigureError, PeriodError, Problem
from .labels import normalise_text, number_text, parse_chinese_period, parse_date_text, parse_figure
from .spreadsheets import Cell, SheetRows

#: Marks the template's example row; a row that still carries it is refused.
EXAMPLE_NOTE = "示例 example: overwrite this row with a figure, or delete it"

#: Columns an import may carry beside the table's own: the ``year`` a label without one
#: (``1-10月``) belongs to, and the columns the build and ``indicators export`` add.
EXTRA_COLUMNS = frozenset(
    {
        "year",
        *OBSERVATION_COLUMNS,
        "target_value_base",
        "base_unit",
        "plan_title_zh",
        "plan_title_en",
        "plan_start",
        "plan_end",
        "batch",
        "raw_file",
        "raw_line",
    }
)

#: Words typed for enum values, as the raw tables write them.
SYNONYMS = {
    "qualifier": {
        "约": "about",
        "左右": "about",
        "大约": "about",
        "超过": "more_than",
        "以上": "more_than",
        "突破": "more_than",
        "逾": "more_than",
        "近": "nearly",
        "接近": "nearly",
        "不少于": "at_least",
        "不低于": "at_least",
        "不到": "less_than",
        "不足": "less_than",
        "不超过": "at_most",
        "精确": "exact",
    },
    "price_basis": {"现价": "current", "当年价": "current", "可比价": "comparable", "不变价": "comparable"},
    "status": {"公布": "reported", "初步": "preliminary", "预计": "preliminary", "预估": "estimate"},
    "comparator": {"不少于": "at_least", "不低于": "at_least", "不高于": "at_most", "不超过": "at_most"},
    "binding": {"约束性": "binding", "预期性": "anticipatory"},
}


@dataclass
class ImportRow:
    """A row to import: its table, where it came from (``label``, spreadsheet ``row``; the
    new source's row comes from ``--source``), its normalised values and its cells as typed."""

    table: str
    label: str
    row: int | None
    values: dict[str, str]
    typed: dict[str, str]
    from_options: bool = False


class CellProblem(Exception):
    def __init__(self, message: str, fix: str):
        self.message = message
        self.fix = fix
        super().__init__(message)


# -- cells -----------------------------------------------------------------------------------


def _text(cell: Cell) -> str:
    v = cell.value
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int | float):
        return number_text(v, cell.decimals)
    if isinstance(v, dt.datetime | dt.date):
        return parse_date_text(v)
    return str(v).strip()


def _number(cell: Cell) -> tuple[str, str | None, str | None]:
    """A number cell or a figure as typed: (plain number, qualifier, unit)."""
    if cell.blank:
        return "", None, None
    if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
        if cell.percent:  # a cell formatted 0.0% holds 4.8% as 0.048
            text = number_text(round(cell.value * 100, 10))
            shown = len(text.partition(".")[2])
            if cell.decimals is not None and cell.decimals > shown:
                text = f"{float(text):.{cell.decimals}f}"
            return text, None, "%"
        return number_text(cell.value, cell.decimals), None, None
    try:
        figure = parse_figure(cell.value)
    except FigureError as exc:
        raise CellProblem(f"not a figure ({exc.reason})", exc.fix) from None
    return figure.text, figure.qualifier, figure.unit


def _field_value(f: Field, cell: Cell, year: Cell | None) -> str:
    if cell.blank:
        return ""
    if f.kind == "text":
        return _text(cell)
    if f.kind == "id":
        return normalise_text(_text(cell)).lower()
    if f.kind == "enum":
        word = normalise_text(_text(cell))
        return SYNONYMS.get(f.name, {}).get(word, word.lower())
    if f.kind in ("date", "partial_date"):
        try:
            return parse_date_text(cell.value, partial=f.kind == "partial_date")
        except ValueError:
            fix = "write YYYY-MM-DD (2024-05-11), 2024年5月11日, or use a date cell"
            if f.kind == "partial_date":
                fix += "; YYYY-MM or YYYY when only that much is known"
            raise CellProblem("not a date", fix) from None
    if f.kind == "period":
        if isinstance(cell.value, dt.datetime | dt.date):
            return parse_date_text(cell.value)
        try:
            return parse_chinese_period(_text(cell), year=None if year is None or year.blank else _text(year))
        except PeriodError as exc:
            raise CellProblem(f"not a period ({exc.reason})", _PERIOD_FIX) from None
    if f.kind == "number":
        number, qualifier, unit = _number(cell)
        if qualifier or unit:
            raise CellProblem(
                "a plain number is expected here", "type the number alone (1500), without 约/超过 or a unit"
            )
        return number
    raise AssertionError(f.kind)  # pragma: no cover - every kind is handled above


_PERIOD_FIX = (
    "write the period as published (2023年, 2024年一季度, 2023年上半年, 2023年前三季度, 2023年1-10月, 2023年底) "
    "or in the table's form (2023, 2024Q1, 2023H1, 2023Q1-Q3, 2023M01-M10, 2023-12-31); a label without a "
    "year (1-10月) needs the row's `year` column"
)


def _merge_figure(
    row: dict[str, str], cell: Cell, *, value_col: str, qualifier_col: str | None, comparator_col: str | None
) -> None:
    """The value column of a row, with the qualifier and unit the figure was typed with."""
    number, qualifier, unit = _number(cell)
    row[value_col] = number
    if unit is not None:
        unit = normalise_text(unit)
        if row.get("unit") and row["unit"] != unit:
            raise CellProblem(
                f"the figure says unit {unit!r} but the unit column says {row['unit']!r}",
                "make them agree, or type the number alone",
            )
        row["unit"] = unit
    if qualifier_col is not None:
        if qualifier is not None and row.get(qualifier_col) and row[qualifier_col] != qualifier:
            raise CellProblem(
                f"the figure says {qualifier!r} but the qualifier column says {row[qualifier_col]!r}",
                "make them agree, or type the number alone and keep the qualifier column",
            )
        row[qualifier_col] = row.get(qualifier_col) or qualifier or "exact"
    if comparator_col is not None and qualifier is not None:
        wanted = {"at_least": "at_least", "more_than": "at_least", "at_most": "at_most", "less_than": "at_most"}.get(
            qualifier
        )
        if wanted is None:
            raise CellProblem(
                f"a target cannot be {qualifier!r}",
                "type the target as a number and set comparator to at_least, at_most or equal",
            )
        if row.get(comparator_col) and row[comparator_col] != wanted:
            raise CellProblem(
                f"the target says {qualifier!r} but the comparator column says {row[comparator_col]!r}",
                "make them agree, or type the number alone",
            )
        row[comparator_col] = wanted


# -- rows ------------------------------------------------------------------------------------


def sheet_rows(sheet: SheetRows, problems: list[Problem]) -> tuple[list[ImportRow], int]:
    spec = TABLES[sheet.table]
    header = set(sheet.header)
    for column in sheet.header:
        if column not in spec.columns and column not in EXTRA_COLUMNS:
            problems.append(
                Problem(
                    sheet.label,
                    sheet.header_row,
                    column,
                    None,
                    f"not a column of the {spec.name} table",
                    f"rename it to one of: {', '.join(spec.columns)} (or `year`), or delete the column",
                    "row",
                )
            )
    optional = {"qualifier", "source_id", "unit", "comparator"}  # may come from --source or the figure as typed
    for f in spec.fields:
        if f.name not in header and f.required and f.name not in optional:
            problems.append(
                Problem(
                    sheet.label,
                    sheet.header_row,
                    f.name,
                    None,
                    f"the column {f.name!r} is missing",
                    f"add it; the {spec.name} columns are: {', '.join(spec.columns)}",
                    "row",
                )
            )
    rows: list[ImportRow] = []
    derived = 0
    for number, cells in sheet.rows:
        typed = {c: cells[c].text for c in cells}
        if EXAMPLE_NOTE in typed.values():
            problems.append(
                Problem(
                    sheet.label,
                    number,
                    None,
                    None,
                    "this is the template's example row",
                    "overwrite it with a figure you read, or delete the row",
                    "row",
                )
            )
            continue
        if spec.name == "observations" and typed.get("status", "").strip() == "derived":
            derived += 1  # the build makes derived rows (an exported table holds them)
            continue
        values: dict[str, str] = {}
        year = cells.get("year")
        for f in spec.fields:
            cell = cells.get(f.name, Cell(None))
            if f.name in ("value", "target_value"):
                continue  # read last, with the qualifier and unit columns
            try:
                values[f.name] = _field_value(f, cell, year)
            except CellProblem as bad:
                problems.append(Problem(sheet.label, number, f.name, cell.text, bad.message, bad.fix, "row"))
                values[f.name] = ""
        for value_col, qualifier_col, comparator_col in (
            ("value", "qualifier", None),
            ("target_value", None, "comparator"),
        ):
            if value_col not in spec.columns:
                continue
            cell = cells.get(value_col, Cell(None))
            if spec.name == "observations" and not cells.get("value_text", Cell(None)).blank:
                cell = cells["value_text"]  # an exported table: the figure as reported
            try:
                _merge_figure(
                    values, cell, value_col=value_col, qualifier_col=qualifier_col, comparator_col=comparator_col
                )
            except CellProblem as bad:
                problems.append(Problem(sheet.label, number, value_col, cell.text, bad.message, bad.fix, "row"))
                values[value_col] = ""
                if qualifier_col is not None:
                    values[qualifier_col] = values.get(qualifier_col) or "exact"  # the value is the problem
        rows.append(ImportRow(spec.name, sheet.label, number, values, typed))
    return rows, derived
