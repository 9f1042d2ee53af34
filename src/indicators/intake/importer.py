"""``indicators import``: rows from a workbook or CSV file added to ``data/raw/`` as a new batch.

1. **Read** every sheet named after a raw table (:mod:`indicators.intake.spreadsheets`).
2. **Normalise** each cell the way economists type it (:mod:`indicators.intake.labels`): ``4,691.85``,
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
   (:func:`indicators.data.schema.validate_raw` on a staged copy of ``data/raw/``): every problem is
   listed with the file and sheet, the row as the spreadsheet numbers it, the column, the value
   as typed and the fix, and nothing is added — an import is all or nothing.
5. **Add** the batch folder (:mod:`indicators.intake.raw_batches`), written complete and renamed into place.
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
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..atomic import remove_stale_temporaries, temporary_path, write_error
from ..data.paths import data_paths
from ..data.schema import validate_raw
from ..data.tables import BATCHES, TABLES
from ..errors import ImportRejectedError, Problem
from ..version import __version__
from .labels import normalise_text, parse_date_text
from .raw_batches import MANIFEST, import_lock, install_batch, list_batches, next_batch_id
from .rows import ImportRow, sheet_rows
from .spreadsheets import read_files

_SOURCE_FIELDS = (
    "title",
    "publisher",
    "date_published",
    "address",
    "scheme",
    "date_accessed",
    "reliability",
    "language",
    "note",
)


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


# -- the source ------------------------------------------------------------------------------


def _source_row(source: Mapping[str, str], today: dt.date) -> dict[str, str]:
    """The sources row a ``--source`` description stands for (dates as typed are read, the
    address's scheme goes to the scheme column, accessed defaults to today and the language to zh)."""
    row = {k: "" if v is None else str(v).strip() for k, v in source.items()}
    for key in ("source_id", "reliability", "language"):
        row[key] = normalise_text(row.get(key, "")).lower()
    for key in ("date_published", "date_accessed"):
        if row.get(key):
            with contextlib.suppress(ValueError):  # the schema names a date it cannot read
                row[key] = parse_date_text(row[key], partial=key == "date_published")
    row["date_accessed"] = row.get("date_accessed") or today.isoformat()
    row["language"] = row.get("language") or "zh"
    scheme, sep, rest = row.get("address", "").partition("://")
    if sep:  # an address typed with its scheme: the scheme is recorded, not dropped
        row["address"], row["scheme"] = rest, scheme.lower()
    return {c: row.get(c, "") for c in TABLES["sources"].columns}


def _resolve_source(
    source: str | Mapping[str, str] | None,
    existing: pd.DataFrame,
    declared: list[ImportRow],
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


def _content_hash(rows: list[ImportRow], source_id: str | None) -> str:
    payload = {"source_id": source_id, "rows": [[r.table, sorted(r.values.items())] for r in rows]}
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def _write_table(path: Path, table: str, rows: list[ImportRow]) -> dict[int, ImportRow]:
    """Write rows as a raw CSV; returns each row's line in the file (embedded line breaks count)."""
    columns = TABLES[table].columns
    lines: dict[int, ImportRow] = {}
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


def _map_problem(p: Problem, batch_id: str, lines: dict[str, dict[int, ImportRow]]) -> Problem:
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
    rows: list[ImportRow] = []
    derived = 0
    for sheet in read.sheets:
        got, skipped = sheet_rows(sheet, problems)
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
        new_rows.insert(0, ImportRow("sources", "--source", None, new_source, {}, from_options=True))
    added = {t: n for t in TABLES if (n := sum(r.table == t for r in new_rows))}
    with import_lock(paths.raw), _staging(paths.root) as tmp:
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


@contextlib.contextmanager
def _staging(root: Path) -> Iterator[Path]:
    """A working folder beside ``data/raw/`` for one import, removed afterwards; one left by an
    import that was killed is removed by the next (under the import lock)."""
    remove_stale_temporaries(root)
    folder = temporary_path(root / "import")
    try:
        folder.mkdir()
    except OSError as exc:
        raise write_error(exc, root) from None
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _compare(
    rows: list[ImportRow], existing: dict[str, pd.DataFrame], problems: list[Problem]
) -> tuple[list[ImportRow], dict[str, int]]:
    """The rows not yet in ``data/raw/``; a row whose key is taken by different values is a problem."""
    new_rows: list[ImportRow] = []
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
