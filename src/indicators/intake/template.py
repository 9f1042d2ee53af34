"""``indicators template``: a workbook (or a folder of CSV files) to type figures into.

The workbook has one sheet per table an import can add to — ``observations`` (with one example
row, to overwrite), ``targets``, ``indicators`` and ``regions`` (to declare a new indicator or
region in the same workbook) — each header cell carrying a comment that says what the column
holds, drop-down lists for the columns with fixed values, a ``valid_ids`` sheet listing the
indicator, region, unit, plan and source ids and every allowed value, and a ``README`` sheet.
The CSV variant is the same tables as files, with ``valid_ids.csv`` beside them, written with
the byte-order mark Excel needs to read UTF-8. Names from the catalog are written as text, never
as formulas (:mod:`indicators.intake.formulas`).
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pandas as pd

from ..atomic import remove_stale_temporaries, write_atomically
from ..data.catalog import load_table
from ..data.tables import TABLES, Field
from ..errors import ParameterError
from ..textsafety import neutralise_frame, text_cells
from .rows import EXAMPLE_NOTE

TEMPLATE_TABLES = ("observations", "targets", "indicators", "regions")

#: What to type in a column, where the schema alone does not say it well.
HINTS = {
    "period": "as published: 2023年, 2024年一季度, 2023年上半年, 2023年前三季度, 2023年1-10月, 2023年底, 2013-2023年 "
    "(or 2023, 2024Q1, 2023H1, 2023Q1-Q3, 2023M01-M10, 2023-12-31)",
    "value": "the figure as read: 4,691.85 / 约56.7 / 超过99% / 4.8% / 近2000 / 不少于30 "
    "(约, 超过, 近, 不少于 and % are taken into qualifier and unit)",
    "target_value": "the target as read: 1500, 不少于1500",
    "qualifier": "empty = exact; about (约, 左右), more_than (超过, 以上), nearly (近), at_least (不少于)",
    "source_id": "empty = the source given with `indicators import --source`",
    "published": "when this figure was published, if not on its source's date (a revised figure): YYYY-MM-DD",
    "year": "only for a period written without its year (1-10月): the year, e.g. 2023",
    "quote": "the phrase the figure was read from, verbatim",
    "ref_region_id": "for share and contribution: the region it is a share of",
    "reading": "empty = as printed; where you had to infer something (period_inferred, scope_assumed, …, "
    "joined with ;) say what in the note",
    "quote_status": "empty = verbatim; summary where the quote is not the source's own words",
}

_VALID_LISTS = (
    ("indicator_id", "indicators", "indicator_id", "name_zh", "name_en", "unit"),
    ("region_id", "regions", "region_id", "name_zh", "name_en", "level"),
    ("unit", "units", "unit", "name_en", "base_unit", "factor"),
    ("plan_id", "plans", "plan_id", "title_zh", "title_en", "end"),
    ("source_id", "sources", "source_id", "title", "publisher", "date_published"),
)


def _describe(f: Field) -> str:
    parts = ["required" if f.required else "optional"]
    if f.name in HINTS:
        parts.append(HINTS[f.name])
    elif f.allowed:
        parts.append("one of: " + ", ".join(f.allowed))
    elif f.ref:
        parts.append(f"an id from the valid_ids sheet ({f.ref}), or one declared in the {f.ref} sheet")
    elif f.kind == "date":
        parts.append("a date: YYYY-MM-DD")
    elif f.kind == "number":
        parts.append("a number")
    return "; ".join(parts)


def _columns(table: str) -> list[str]:
    columns = TABLES[table].columns
    return [*columns, "year"] if table == "observations" else columns


def valid_ids(data_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Every id and allowed value a template row may use: ``list``, ``id``, ``name_zh`` /
    ``name_en`` (or the title) and ``detail``."""
    rows = []
    for listed, table, key, a, b, c in _VALID_LISTS:
        frame = load_table(table, data_dir=data_dir)
        rows += [
            {"list": listed, "id": r[key], "name_zh": r[a], "name_en": r[b], "detail": r[c]}
            for r in frame.to_dict("records")
        ]
    seen = set()
    for spec in TABLES.values():
        for f in spec.fields:
            if f.allowed and f.name not in seen:
                seen.add(f.name)
                rows += [{"list": f.name, "id": v, "name_zh": "", "name_en": "", "detail": ""} for v in f.allowed]
    return pd.DataFrame(rows, columns=["list", "id", "name_zh", "name_en", "detail"])


def example_row(data_dir: str | os.PathLike[str] | None = None) -> dict[str, str]:
    """The example observation: the West Coast New Area's GDP where the catalog has them."""
    indicators = load_table("indicators", data_dir=data_dir).set_index("indicator_id")
    regions = load_table("regions", data_dir=data_dir)
    indicator = "gdp" if "gdp" in indicators.index else str(indicators.index[0])
    region = "wcna" if "wcna" in set(regions["region_id"]) else str(regions["region_id"].iloc[0])
    return {
        "indicator_id": indicator,
        "region_id": region,
        "period": "2023年前三季度",
        "measure": "level",
        "ref_region_id": "",
        "value": "3,650.31",
        "unit": str(indicators.at[indicator, "unit"]),
        "price_basis": "current",
        "qualifier": "",
        "status": "reported",
        "source_id": "",
        "quote": "前三季度实现地区生产总值3650.31亿元",
        "note": EXAMPLE_NOTE,
        "published": "",
        "reading": "",
        "quote_status": "",
        "year": "",
    }


README_LINES = (
    "How to fill in this workbook / 填写说明",
    "",
    "1. One row per figure you read, in the `observations` sheet: overwrite the example row (row 2).",
    "   每行一个数据：在 observations 表中填写，覆盖第2行示例。",
    "2. Type values the way they are published: 4,691.85 / 约56.7 / 超过99% / 4.8%; periods as 2023年前三季度, "
    "2024年一季度, 1-10月 (with the year in the `year` column).",
    "3. Ids (indicator, region, unit, plan, source) and allowed values are in the `valid_ids` sheet; the header "
    "cells' comments say what each column holds.",
    "4. A new indicator or region: add a row to the `indicators` or `regions` sheet and use its id.",
    "5. Leave source_id empty to use the source given on import:",
    "   indicators import FILE.xlsx --source my_source --title … --publisher … --published 2024-05-11 "
    "--reliability official",
    "6. Nothing is added unless every row is valid; the errors name the sheet, row, column and the fix.",
    "   Importing the same file again adds nothing. A revised figure is a new row with its `published` date.",
)


def _write_xlsx(path: Path, data_dir: str | os.PathLike[str] | None) -> None:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    ids = valid_ids(data_dir)
    book = Workbook()
    readme = book.active
    readme.title = "README"
    for line in README_LINES:
        readme.append([line])
    readme.column_dimensions["A"].width = 120
    ranges: dict[str, str] = {}
    ids_sheet_rows = ids.to_dict("records")
    for table in TEMPLATE_TABLES:
        sheet = book.create_sheet(table)
        columns = _columns(table)
        sheet.append(columns)
        if table == "observations":
            sample = example_row(data_dir)
            for i, name in enumerate(columns, start=1):
                sheet.cell(row=2, column=i, value=sample[name] or None).font = Font(italic=True, color="808080")
        fields = {f.name: f for f in TABLES[table].fields}
        for i, name in enumerate(columns, start=1):
            cell = sheet.cell(row=1, column=i)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
            text = _describe(fields[name]) if name in fields else HINTS[name]
            cell.comment = Comment(f"{name}: {text}", "indicators", width=320, height=140)
            sheet.column_dimensions[get_column_letter(i)].width = max(12, min(40, len(name) + 4))
            # every cell is text, so that 2023 stays a period label and 4,691.85 a figure as typed
            for row in range(2, 501):
                sheet.cell(row=row, column=i).number_format = "@"
        sheet.freeze_panes = "A2"
        for i, name in enumerate(columns, start=1):
            f = fields.get(name)
            if f is None or not (f.allowed or f.ref):
                continue
            if f.allowed:
                formula = '"' + ",".join(f.allowed) + '"'
            else:
                listed = {"indicators": "indicator_id", "regions": "region_id", "units": "unit", "plans": "plan_id"}
                key = listed.get(f.ref or "", "source_id")
                formula = ranges.setdefault(key, _range(ids_sheet_rows, key))
            validation = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=False)
            sheet.add_data_validation(validation)
            letter = get_column_letter(i)
            validation.add(f"{letter}2:{letter}500")
    sheet = book.create_sheet("valid_ids")
    sheet.append(list(ids.columns))
    for row in ids.itertuples(index=False):
        sheet.append(list(row))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    text_cells(book)  # names from the catalog are text, never formulas
    book.save(path)


def _range(rows: list[dict], listed: str) -> str:
    lines = [i for i, r in enumerate(rows, start=2) if r["list"] == listed]
    if not lines:
        return '""'
    return f"valid_ids!$B${min(lines)}:$B${max(lines)}"


def _csv_text(frame: pd.DataFrame) -> str:
    buffer = io.StringIO()
    neutralise_frame(frame).to_csv(buffer, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    return buffer.getvalue()


def _write_csv_folder(folder: Path, data_dir: str | os.PathLike[str] | None) -> None:
    folder.mkdir()
    for table in TEMPLATE_TABLES:
        columns = _columns(table)
        rows = [example_row(data_dir)] if table == "observations" else []
        frame = pd.DataFrame(rows, columns=columns)
        (folder / f"{table}.csv").write_text(_csv_text(frame), encoding="utf-8-sig")
    (folder / "valid_ids.csv").write_text(_csv_text(valid_ids(data_dir)), encoding="utf-8-sig")
    (folder / "README.txt").write_text("\n".join(README_LINES) + "\n", encoding="utf-8")


def write_template(
    out: str | os.PathLike[str] | None = None,
    *,
    format: str = "xlsx",
    data_dir: str | os.PathLike[str] | None = None,
) -> Path:
    """Write the template: a workbook (``format="xlsx"``, default ``indicators_template.xlsx``)
    or a folder of CSV files (``format="csv"``, default ``indicators_template/``), written
    under a temporary name and renamed into place (an existing template is replaced)."""
    if format not in ("xlsx", "csv"):
        raise ParameterError("format", format, "not a template format", "use xlsx or csv")
    path = Path(out) if out is not None else Path("indicators_template" + (".xlsx" if format == "xlsx" else ""))
    remove_stale_temporaries(path.parent, name=path.name)  # left by a run that was killed
    if format == "xlsx":
        return write_atomically(path, lambda staged: _write_xlsx(staged, data_dir))
    return write_atomically(path, lambda staged: _write_csv_folder(staged, data_dir))
