"""``indicators export``: the processed table for colleagues who work in Excel.

One workbook (``xlsx``), or a folder of files (``csv``, UTF-8 with the byte-order mark Excel
needs; ``parquet``), holding:

* ``about``: the data version, when the table was built and exported, the package version,
  the rows per table, and how to read the columns;
* ``observations`` and ``targets`` as built (every vintage, derived figures with their
  formulas, the provenance of every number);
* the metadata: ``sources``, ``units``, ``indicators``, ``regions``, ``plans``,
  ``derivations`` (each derived figure with its formula and inputs), ``checks`` and
  ``batches`` (every import: when, from which files, with which source).

Text is written as text (:mod:`indicators.intake.formulas`): in a workbook as string cells,
in CSV with the neutralising ``'`` before a text that a spreadsheet would take for a formula;
numbers stay numbers. Written under a temporary name and renamed into place. A workbook or CSV
folder exported here can be given back to ``indicators import``: the rows already in
``data/raw/`` are recognised and nothing is added twice.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..atomic import remove_stale_temporaries, write_atomically
from ..data.build import read_version
from ..data.catalog import load_table
from ..data.paths import data_paths
from ..errors import ParameterError
from ..textsafety import neutralise_frame, text_cells
from ..version import __version__
from .raw_batches import list_batches

FORMATS = ("xlsx", "csv", "parquet")
SHEETS = (
    "about",
    "observations",
    "targets",
    "sources",
    "units",
    "indicators",
    "regions",
    "plans",
    "derivations",
    "checks",
    "batches",
)
DERIVATION_COLUMNS = [
    "obs_id",
    "indicator_id",
    "region_id",
    "period",
    "measure",
    "value",
    "unit",
    "price_basis",
    "qualifier",
    "formula",
    "inputs",
    "source_id",
    "published",
    "note",
]
ABOUT_NOTES = (
    ("value", "the figure as reported, in `unit`; `value_text` as written in the source; `value_base` in `base_unit`"),
    ("published", "when the figure was published (its own date, else its source's date_published)"),
    ("vintage", "1 for a figure's first publication date, 2 for a revision published later, …"),
    ("status", "reported, preliminary, estimate, or derived (computed by the build: see `derivations`)"),
    ("schema", "data/raw/README.md in the project describes every column"),
)


@dataclass(frozen=True)
class ExportResult:
    """Where the export was written and what it holds."""

    path: Path
    format: str
    data_version: str
    rows: dict[str, int] = field(repr=False)

    def describe(self) -> str:
        return (
            f"exported data version {self.data_version} as {self.format} to {self.path}: "
            f"{self.rows['observations']} observations, {self.rows['targets']} targets, {self.rows['sources']} sources"
        )

    def summary_frame(self) -> pd.DataFrame:
        return pd.DataFrame(sorted(self.rows.items()), columns=["sheet", "rows"]).set_index("sheet")

    def _repr_html_(self) -> str:
        return f"<div><p>{html.escape(self.describe())}</p>{self.summary_frame().to_html()}</div>"


def export_sheets(*, data_dir: str | os.PathLike[str] | None = None) -> dict[str, pd.DataFrame]:
    """The export's tables by sheet name (see the module docstring), built if stale."""
    tables = {
        name: load_table(name, data_dir=data_dir)
        for name in ("observations", "targets", "sources", "units", "indicators", "regions", "plans", "checks")
    }
    obs = tables["observations"]
    derivations = obs.loc[obs["status"] == "derived", DERIVATION_COLUMNS].reset_index(drop=True)
    batches = pd.DataFrame(
        [
            {
                "batch_id": b.batch_id,
                "imported_at": b.manifest.get("imported_at", ""),
                "files": ", ".join(b.manifest.get("files", [])),
                "source_id": b.manifest.get("source_id") or "",
                "rows": ", ".join(f"{n} {t}" for t, n in b.manifest.get("rows", {}).items()),
                "content_hash": b.content_hash,
            }
            for b in list_batches(data_paths(data_dir).raw)
        ],
        columns=["batch_id", "imported_at", "files", "source_id", "rows", "content_hash"],
    )
    meta = read_version(data_dir) or {}  # load_table has just (re)built it where it was stale
    version = str(meta.get("data_version", ""))
    about_rows = [
        ("title", "Economic indicators of the Qingdao West Coast New Area, with the source of every number"),
        ("data_version", version),
        ("built_at", str(meta.get("built_at", ""))),
        ("exported_at", dt.datetime.now(dt.UTC).isoformat(timespec="seconds")),
        ("package_version", __version__),
        *((f"rows: {name}", str(len(frame))) for name, frame in tables.items()),
        *ABOUT_NOTES,
    ]
    about = pd.DataFrame(about_rows, columns=["key", "value"])
    sheets = {"about": about, **tables, "derivations": derivations, "batches": batches}
    return {name: sheets[name] for name in SHEETS}


def _xlsx(path: Path, sheets: dict[str, pd.DataFrame]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    buffer = io.BytesIO()
    writer = pd.ExcelWriter(buffer, engine="openpyxl")  # closed (saved) only once every sheet is written
    for name, frame in sheets.items():
        frame.to_excel(writer, sheet_name=name, index=False)
        sheet = writer.sheets[name]
        sheet.freeze_panes = "A2"
        for i, column in enumerate(frame.columns, start=1):
            sheet.cell(row=1, column=i).font = Font(bold=True)
            width = max([len(str(column)), *(len(str(v)) for v in frame[column].head(200))], default=8)
            sheet.column_dimensions[get_column_letter(i)].width = min(60, max(8, width + 2))
    text_cells(writer.book)  # a quote beginning with "=" is text, never a live formula
    writer.close()
    path.write_bytes(buffer.getvalue())


def _csv(folder: Path, sheets: dict[str, pd.DataFrame]) -> None:
    folder.mkdir()
    for name, frame in sheets.items():
        neutralise_frame(frame).to_csv(folder / f"{name}.csv", index=False, encoding="utf-8-sig", lineterminator="\n")


def _parquet(folder: Path, sheets: dict[str, pd.DataFrame]) -> None:
    folder.mkdir()
    for name, frame in sheets.items():
        out = frame.copy()
        for column in out.columns:
            if out[column].dtype == object:
                out[column] = out[column].astype("string")
        out.to_parquet(folder / f"{name}.parquet", index=False)


def export_data(
    format: str = "xlsx",
    *,
    out: str | os.PathLike[str] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
) -> ExportResult:
    """Export the processed table (see the module docstring). ``out`` defaults to
    ``exports/indicators_<data version>.xlsx`` (``…_csv/``, ``…_parquet/`` for the folders)."""
    if format not in FORMATS:
        raise ParameterError("format", format, "not an export format", f"use one of {', '.join(FORMATS)}")
    sheets = export_sheets(data_dir=data_dir)
    version = str(sheets["about"].set_index("key").at["data_version", "value"])
    default = f"indicators_{version}.xlsx" if format == "xlsx" else f"indicators_{version}_{format}"
    path = Path(out) if out is not None else Path("exports") / default
    writer = {"xlsx": _xlsx, "csv": _csv, "parquet": _parquet}[format]
    remove_stale_temporaries(path.parent, name=path.name)  # left by an export that was killed
    write_atomically(path, lambda staged: writer(staged, sheets))
    return ExportResult(path, format, version, {name: len(frame) for name, frame in sheets.items()})
