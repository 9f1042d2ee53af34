"""``indicators import``: rows from a workbook or CSV file added to ``data/raw/`` as a new batch.

1. **Read** every sheet named after a raw table (:mod:`indicators.spreadsheets`).
2. **Normalise** each cell the way economists type it (:mod:`indicators.labels`): ``4,691.85``,
   ``约56.7`` (the 约 goes to the qualifier column), ``超过99%`` (more than, unit ``%``),
   ``2023年前三季度`` (→ ``2023Q1-Q3``), ``1-10月`` with the year from the row's ``year`` column,
   full-width digits and spaces, date cells. A blank ``source_id`` is the batch's source
   (``--source``), a blank qualifier is ``exact``, and a ``published`` date equal to the
   source's own date is left blank (it is the default).
3. **Compare** with what ``data/raw/`` holds: a row already there (same key, same values) is
   not added again; a row with the key of an existing row but other values is refused — rows
   are never edited; a revised figure is a new vintage with its own ``published`` date or
   source. Importing a file whose normalised content was imported before adds nothing and
   names the earlier batch.
4. **Validate** the union of the existing tables and the new batch with the raw-table schema
   (:func:`indicators.schema.validate_raw` on a staged copy of ``data/raw/``): every problem is
   listed with the file and sheet, the row as the spreadsheet numbers it, the column, the value
   as typed and the fix, and nothing is added — an import is all or nothing.
5. **Add** the batch folder (:mod:`indicators.raw_batches`), written complete and renamed into place.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import html
import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import __version__
from .build import OBSERVATION_COLUMNS
from .errors import FigureError, ImportRejectedError, PeriodError, Problem
from .labels import normalise_text, number_text, parse_chinese_period, parse_date_text, parse_figure
from .paths import data_paths
from .raw_batches import MANIFEST, import_lock, install_batch, list_batches, next_batch_id
from .schema import BATCHES, TABLES, Field, validate_raw
from .spreadsheets import Cell, SheetRows, read_files

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
        "精确": "exact",
    },
    "price_basis": {"现价": "current", "当年价": "current", "可比价": "comparable", "不变价": "comparable"},
    "status": {"公布": "reported", "初步": "preliminary", "预计": "preliminary", "预估": "estimate"},
    "comparator": {"不少于": "at_least", "不低于": "at_least", "不高于": "at_most", "不超过": "at_most"},
    "binding": {"约束性": "binding", "预期性": "anticipatory"},
}
_SOURCE_FIELDS = ("title", "publisher", "date_published", "address", "date_accessed", "reliability", "language", "note")


@dataclass(frozen=True)
class ImportResult:
    """What an import did. ``batch_id`` is ``None`` when nothing was added."""

    files: tuple[str, ...]
    source_id: str | None
    batch_id: str | None
    added: dict[str, int]
    already_present: dict[str, int]
    derived_skipped: int
    content_hash: str
    duplicate_of: str | None = None
    ignored: tuple[str, ...] = ()
    dry_run: bool = False
    folder: Path | None = field(default=None, repr=False)

    @property
    def n_added(self) -> int:
        return sum(self.added.values())

    def summary_frame(self) -> pd.DataFrame:
        tables = sorted(set(self.added) | set(self.already_present))
        return pd.DataFrame(
            {
                "added": [self.added.get(t, 0) for t in tables],
                "already_present": [self.already_present.get(t, 0) for t in tables],
            },
            index=pd.Index(tables, name="table"),
        )

    def describe(self) -> str:
        files = ", ".join(self.files)
        if self.duplicate_of:
            return f"{files} was imported before as batch {self.duplicate_of}; nothing added"
        present = sum(self.already_present.values())
        parts = []
        if self.n_added:
            counts = ", ".join(f"{n} {t}" for t, n in sorted(self.added.items()) if n)
            verb = "would add" if self.dry_run else "added"
            where = f" as batch {self.batch_id}" if self.batch_id else ""
            parts.append(f"{files}: {verb} {counts}{where}")
        else:
            parts.append(f"{files}: nothing added, every row is already in data/raw/")
        if present and self.n_added:
            parts.append(f"{present} row(s) already in data/raw/ were left out")
        if self.derived_skipped:
            parts.append(f"{self.derived_skipped} derived row(s) skipped (the build makes them)")
        if self.ignored:
            parts.append(f"ignored (not a table): {', '.join(self.ignored)}")
        if self.dry_run:
            parts.append("dry run: nothing was written")
        return "; ".join(parts)

    def _repr_html_(self) -> str:
        return f"<div><p>{html.escape(self.describe())}</p>{self.summary_frame().to_html()}</div>"


@dataclass
class _Row:
    """A row to import: its table, where it came from (``label``, spreadsheet ``row``; the
    new source's row comes from ``--source``), its normalised values and its cells as typed."""

    table: str
    label: str
    row: int | None
    values: dict[str, str]
    typed: dict[str, str]
    from_options: bool = False


#: The command-line option each sources column comes from.
SOURCE_OPTIONS = {
    "source_id": "--source",
    "title": "--title",
    "publisher": "--publisher",
    "date_published": "--published",
    "address": "--address",
    "date_accessed": "--accessed",
    "reliability": "--reliability",
    "language": "--language",
    "note": "--source-note",
}


class _Bad(Exception):
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
        raise _Bad(f"not a figure ({exc.reason})", exc.fix) from None
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
            raise _Bad("not a date", fix) from None
    if f.kind == "period":
        if isinstance(cell.value, dt.datetime | dt.date):
            return parse_date_text(cell.value)
        try:
            return parse_chinese_period(_text(cell), year=None if year is None or year.blank else _text(year))
        except PeriodError as exc:
            raise _Bad(f"not a period ({exc.reason})", _PERIOD_FIX) from None
    if f.kind == "number":
        number, qualifier, unit = _number(cell)
        if qualifier or unit:
            raise _Bad("a plain number is expected here", "type the number alone (1500), without 约/超过 or a unit")
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
            raise _Bad(
                f"the figure says unit {unit!r} but the unit column says {row['unit']!r}",
                "make them agree, or type the number alone",
            )
        row["unit"] = unit
    if qualifier_col is not None:
        if qualifier is not None and row.get(qualifier_col) and row[qualifier_col] != qualifier:
            raise _Bad(
                f"the figure says {qualifier!r} but the qualifier column says {row[qualifier_col]!r}",
                "make them agree, or type the number alone and keep the qualifier column",
            )
        row[qualifier_col] = row.get(qualifier_col) or qualifier or "exact"
    if comparator_col is not None and qualifier is not None:
        wanted = {"at_least": "at_least", "more_than": "at_least"}.get(qualifier)
        if wanted is None:
            raise _Bad(
                f"a target cannot be {qualifier!r}",
                "type the target as a number and set comparator to at_least, at_most or equal",
            )
        if row.get(comparator_col) and row[comparator_col] != wanted:
            raise _Bad(
                f"the target says {qualifier!r} but the comparator column says {row[comparator_col]!r}",
                "make them agree, or type the number alone",
            )
        row[comparator_col] = wanted


# -- rows ------------------------------------------------------------------------------------


def _sheet_rows(sheet: SheetRows, problems: list[Problem]) -> tuple[list[_Row], int]:
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
    rows: list[_Row] = []
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
            except _Bad as bad:
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
            except _Bad as bad:
                problems.append(Problem(sheet.label, number, value_col, cell.text, bad.message, bad.fix, "row"))
                values[value_col] = ""
                if qualifier_col is not None:
                    values[qualifier_col] = values.get(qualifier_col) or "exact"  # the value is the problem
        rows.append(_Row(spec.name, sheet.label, number, values, typed))
    return rows, derived


# -- the source ------------------------------------------------------------------------------


def _source_row(source: Mapping[str, str], today: dt.date) -> dict[str, str]:
    """The sources row a ``--source`` description stands for (dates as typed are read, the
    address loses its scheme, accessed defaults to today and the language to zh)."""
    row = {k: "" if v is None else str(v).strip() for k, v in source.items()}
    for key in ("source_id", "reliability", "language"):
        row[key] = normalise_text(row.get(key, "")).lower()
    for key in ("date_published", "date_accessed"):
        if row.get(key):
            with contextlib.suppress(ValueError):  # the schema names a date it cannot read
                row[key] = parse_date_text(row[key], partial=key == "date_published")
    row["date_accessed"] = row.get("date_accessed") or today.isoformat()
    row["language"] = row.get("language") or "zh"
    row["address"] = row.get("address", "").split("://", 1)[-1]
    return {c: row.get(c, "") for c in TABLES["sources"].columns}


def _resolve_source(
    source: str | Mapping[str, str] | None,
    existing: pd.DataFrame,
    declared: list[_Row],
    today: dt.date,
    problems: list[Problem],
    label: str,
) -> tuple[str | None, dict[str, str] | None]:
    """The batch's source id, and its new sources row (``None`` if it exists already)."""
    if source is None:
        return None, None
    known = {str(r["source_id"]): r for r in existing.to_dict("records")}
    known.update({r.values["source_id"]: r.values for r in declared})
    if isinstance(source, str):
        sid = normalise_text(source).lower()
        if sid not in known:
            problems.append(
                Problem(
                    label,
                    None,
                    "--source",
                    sid,
                    "unknown source",
                    "name a source in data/raw/sources.csv (`indicators list sources`), or describe a new one: "
                    "--source ID --title … --publisher … --published YYYY-MM-DD --reliability official",
                )
            )
            return None, None
        return sid, None
    given = dict(source)
    sid = normalise_text(given.get("source_id", "")).lower()
    if not sid:
        problems.append(Problem(label, None, "--source", None, "the source has no id", "pass --source ID"))
        return None, None
    if sid in known:
        have = known[sid]
        differ = [
            k
            for k in _SOURCE_FIELDS
            if k in given and given[k] not in (None, "") and _source_row(given, today)[k] != str(have.get(k, ""))
        ]
        if differ:
            problems.append(
                Problem(
                    label,
                    None,
                    "--source",
                    sid,
                    f"source {sid!r} exists already with another {', '.join(differ)}",
                    "sources are never edited: pass --source with its id alone to use it, or give the new one a new id",
                )
            )
        return sid, None
    return sid, _source_row(given, today)


# -- comparing with data/raw/ ----------------------------------------------------------------


def _same(spec_name: str, a: Mapping[str, str], b: Mapping[str, object]) -> list[str]:
    """The columns where an imported row differs from an existing one (numbers by value)."""
    differ = []
    for f in TABLES[spec_name].fields:
        x, y = str(a.get(f.name, "")), b.get(f.name, "")
        y = "" if y is None or (isinstance(y, float) and pd.isna(y)) else str(y)
        if f.kind == "number" and x and y:
            try:
                if float(x) == float(y):
                    continue
            except ValueError:
                pass
        if x != y:
            differ.append(f.name)
    return differ


def _content_hash(rows: list[_Row], source_id: str | None) -> str:
    payload = {"source_id": source_id, "rows": [[r.table, sorted(r.values.items())] for r in rows]}
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def _write_table(path: Path, table: str, rows: list[_Row]) -> dict[int, _Row]:
    """Write rows as a raw CSV; returns each row's line in the file (embedded line breaks count)."""
    columns = TABLES[table].columns
    lines: dict[int, _Row] = {}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    line = 2
    for row in rows:
        start = buffer.tell()
        writer.writerow([row.values.get(c, "") for c in columns])
        lines[line] = row
        line += buffer.getvalue()[start:].count("\n")
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return lines


def _map_problem(p: Problem, batch_id: str, lines: dict[str, dict[int, _Row]]) -> Problem:
    """A problem in the staged batch, named by the sheet and row (or option) it came from."""
    prefix = f"{BATCHES}/{batch_id}/"
    if not p.file.startswith(prefix):
        return p
    table = Path(p.file).stem
    row = lines.get(table, {}).get(p.row or -1)
    if row is None:
        return p
    if row.from_options:
        return Problem("--source", None, SOURCE_OPTIONS.get(p.column or "", p.column), p.value, p.message, p.fix)
    columns = (p.column or "").split(",")
    typed = row.typed.get(p.column or "") if len(columns) == 1 else None
    if not typed and p.column in ("unit", "qualifier", "comparator"):  # taken from the figure as typed
        typed = row.typed.get("value") or row.typed.get("target_value")
    value = typed if typed not in (None, "") else p.value
    fix = re.sub(r"\bto (\w+)\.csv", r"to \1.csv (or declare it in a `\1` sheet of the import)", p.fix)
    return Problem(row.label, row.row, p.column, value, p.message, fix, "row")


# -- the import ------------------------------------------------------------------------------


def import_files(
    files: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    source: str | Mapping[str, str] | None = None,
    dry_run: bool = False,
    data_dir: str | os.PathLike[str] | None = None,
) -> ImportResult:
    """Import the rows of workbooks or CSV files into ``data/raw/`` as one new batch.

    ``source`` is the source of rows whose ``source_id`` is blank: the id of a source already
    in the table, or a mapping describing a new one (``source_id``, ``title``, ``publisher``,
    ``date_published``, ``reliability``; optionally ``address``, ``date_accessed`` (default
    today), ``language`` (default ``zh``), ``note``), which becomes a row of the batch's
    ``sources.csv``. Raises :class:`~indicators.errors.ImportRejectedError` listing every bad
    row, with nothing added. See the module docstring.
    """
    paths = data_paths(data_dir)
    file_list = [Path(files)] if isinstance(files, str | os.PathLike) else [Path(f) for f in files]
    names = tuple(p.name for p in file_list)
    label = ", ".join(names)
    read = read_files(file_list)
    if read.problems:
        raise ImportRejectedError(read.problems, what=label)
    existing, invalid = validate_raw(paths.raw)
    if invalid:
        raise ImportRejectedError(invalid, what="data/raw/ before the import (fix it first, `indicators validate`)")
    today = dt.date.today()
    problems: list[Problem] = []
    rows: list[_Row] = []
    derived = 0
    for sheet in read.sheets:
        got, skipped = _sheet_rows(sheet, problems)
        rows += got
        derived += skipped
    source_id, new_source = _resolve_source(
        source, existing["sources"], [r for r in rows if r.table == "sources"], today, problems, label
    )
    source_dates = {
        str(s): str(d)
        for s, d in zip(existing["sources"]["source_id"], existing["sources"]["date_published"], strict=True)
    }
    source_dates.update(
        {r.values["source_id"]: r.values.get("date_published", "") for r in rows if r.table == "sources"}
    )
    if new_source is not None:
        source_dates[new_source["source_id"]] = new_source["date_published"]
    for row in rows:
        if "source_id" in TABLES[row.table].columns and not row.values.get("source_id"):
            if source_id is None:
                problems.append(
                    Problem(
                        row.label,
                        row.row,
                        "source_id",
                        None,
                        "no source",
                        "fill in source_id, or give the file's source with --source",
                        "row",
                    )
                )
            row.values["source_id"] = source_id or ""
        if row.table == "observations" and row.values.get("published") == source_dates.get(row.values["source_id"]):
            row.values["published"] = ""
    content_hash = _content_hash(rows, source_id)
    result = {
        "files": names,
        "source_id": source_id,
        "derived_skipped": derived,
        "content_hash": content_hash,
        "ignored": read.ignored,
        "dry_run": dry_run,
    }
    for batch in list_batches(paths.raw):
        if batch.content_hash == content_hash and not problems:
            return ImportResult(**result, batch_id=None, added={}, already_present={}, duplicate_of=batch.batch_id)

    new_rows, present = _compare(rows, existing, problems)
    if not new_rows:
        if problems:
            raise ImportRejectedError(problems, what=label)
        return ImportResult(**result, batch_id=None, added={}, already_present=present)
    if new_source is not None:
        new_rows.insert(0, _Row("sources", "--source", None, new_source, {}, from_options=True))
    added = {t: n for t in TABLES if (n := sum(r.table == t for r in new_rows))}
    with import_lock(paths.raw), tempfile.TemporaryDirectory(prefix=".import-", dir=paths.root) as tmp:
        staged_raw = Path(tmp) / "raw"
        shutil.copytree(paths.raw, staged_raw, ignore=shutil.ignore_patterns(".*"))
        batch_id = next_batch_id(paths.raw, date=today.isoformat(), content_hash=content_hash)
        folder = staged_raw / BATCHES / batch_id
        folder.mkdir(parents=True)
        lines = {t: _write_table(folder / TABLES[t].file, t, [r for r in new_rows if r.table == t]) for t in added}
        manifest = {
            "batch_id": batch_id,
            "imported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "files": list(names),
            "source_id": source_id,
            "content_hash": content_hash,
            "rows": added,
            "already_present": present,
            "package_version": __version__,
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        # the schema's problems beside those found reading the cells (each cell named once)
        seen = {(p.file, p.row, p.column) for p in problems}
        for p in validate_raw(staged_raw)[1]:
            mapped = _map_problem(p, batch_id, lines)
            if (mapped.file, mapped.row, mapped.column) not in seen:
                seen.add((mapped.file, mapped.row, mapped.column))
                problems.append(mapped)
        if problems:
            raise ImportRejectedError(sorted(problems, key=lambda p: (p.file, p.row or 0)), what=label)
        if dry_run:
            return ImportResult(**result, batch_id=batch_id, added=added, already_present=present)
        final = install_batch(folder, paths.raw)
    return ImportResult(**result, batch_id=batch_id, added=added, already_present=present, folder=final)


def _compare(
    rows: list[_Row], existing: dict[str, pd.DataFrame], problems: list[Problem]
) -> tuple[list[_Row], dict[str, int]]:
    """The rows not yet in ``data/raw/``; a row whose key is taken by different values is a problem."""
    new_rows: list[_Row] = []
    present: dict[str, int] = {}
    index: dict[str, dict[tuple, dict]] = {}
    for row in rows:
        spec = TABLES[row.table]
        if row.table not in index:
            frame = existing[row.table]
            index[row.table] = {tuple(str(r[k]) for k in spec.key): r for r in frame.to_dict("records")}
        key = tuple(str(row.values.get(k, "")) for k in spec.key)
        have = index[row.table].get(key)
        if have is None:
            new_rows.append(row)
            continue
        differ = _same(row.table, row.values, have)
        if not differ:
            present[row.table] = present.get(row.table, 0) + 1
            continue
        where = f"{have['raw_file']} line {have['raw_line']}"
        shown = ", ".join(f"{c} {have.get(c, '')!r}" for c in differ[:3])
        named = ", ".join(f"{k} {v}" for k, v in zip(spec.key, key, strict=True) if v)
        fix = (
            "existing rows are never edited: a revised figure is a new vintage, so give its publication date in the "
            "`published` column (or its own source)"
            if row.table == "observations"
            else f"existing rows are never edited: give the new row its own {spec.key[0]}, or correct {where} in review"
        )
        problems.append(
            Problem(
                row.label,
                row.row,
                differ[0],
                row.typed.get(differ[0]) or row.values.get(differ[0]),
                f"a row with the same key ({named}) is in {where} with {shown}",
                fix,
                "row",
            )
        )
    return new_rows, present
