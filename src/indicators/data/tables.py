"""The raw tables' definitions, and reading them.

Each table is declared once as a :class:`TableSpec`: its columns, what each column may hold,
which table it refers to, its key. :func:`read_table` reads a table as one frame from its file in
``data/raw/`` and the same file in every imported batch (``data/raw/batches/<batch_id>/``, see
:mod:`indicators.intake.raw_batches`), with the file and line each row came from. Validation
against these definitions is :mod:`indicators.data.schema`.
"""

from __future__ import annotations

import contextlib
import csv
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import Problem
from ..limits import max_field_chars

if TYPE_CHECKING:  # pandera is imported when validating: loading data never needs it
    pass

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
NUMBER_PATTERN = re.compile(r"^-?\d+(\.\d+)?$")
PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

RELIABILITY = ("official", "official_repost", "secondary")
#: The scheme of a source's address, where a stored copy of the page showed it (never guessed).
SCHEMES = ("https", "http")
LANGUAGES = ("zh", "en", "ko", "it", "es")
BASE_UNITS = (
    "yuan",
    "usd",
    "persons",
    "person_visits",
    "tonnes_per_year",
    "percent",
    "percentage_points",
    "count",
    "mu",
    "days",
    "minutes",
    "times",
)
REGION_LEVELS = ("country", "province", "city", "new_area", "district", "zone", "group")
SCOPES = ("whole", "directly_administered")
CATEGORIES = ("output", "industry", "trade", "investment", "innovation", "green", "social", "fiscal")
KINDS = ("flow", "stock", "rate", "ratio", "count")
DIRECTIONS = ("higher", "lower")
MEASURES = (
    "level",
    "yoy_growth",
    "seq_growth",
    "share",
    "contribution",
    "avg_annual_growth",
    "multiple",
    "completion",
)
PERCENT_MEASURES = ("yoy_growth", "seq_growth", "share", "contribution", "avg_annual_growth", "completion")
SPAN_MEASURES = ("avg_annual_growth", "multiple")
RELATIVE_MEASURES = ("share", "contribution")
PRICE_BASES = ("current", "comparable")
QUALIFIERS = ("exact", "about", "more_than", "nearly", "at_least", "less_than", "at_most")
RAW_STATUSES = ("reported", "preliminary", "estimate")
STATUSES = (*RAW_STATUSES, "derived")
COMPARATORS = ("at_least", "at_most", "equal")
FORMS = ("level", "cumulative", "growth", "new_count", "avg_annual_growth")
GROWTH_FORMS = ("growth", "avg_annual_growth")
BINDING = ("binding", "anticipatory")
#: How a figure was read where the source is ambiguous (data/raw/README.md, *Readings*); several
#: may be joined with ``;``. Empty means ``as_printed``.
READINGS = (
    "as_printed",
    "period_inferred",
    "measure_inferred",
    "indicator_inferred",
    "scope_assumed",
    "source_inferred",
    "range_lower_bound",
    "unit_corrected",
    "kind_inferred",
    "form_inferred",
)
#: Whether ``quote`` is the source's own words. Empty means ``verbatim``.
QUOTE_STATUSES = ("verbatim", "normalised", "summary")


@dataclass(frozen=True)
class Field:
    """One column of a raw table.

    ``kind`` is one of ``text``, ``id``, ``enum``, ``number``, ``date`` (ISO ``YYYY-MM-DD``),
    ``partial_date`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) and ``period``. A column with
    ``in_header=False`` may be left out of the header altogether; it then reads as empty. An
    ``enum`` with ``several=True`` holds one or more allowed values joined with ``;`` (each once;
    ``allowed[0]``, the default, only alone).
    """

    name: str
    kind: str = "text"
    required: bool = True
    allowed: tuple[str, ...] = ()
    ref: str | None = None
    positive: bool = False
    in_header: bool = True
    several: bool = False


@dataclass(frozen=True)
class TableSpec:
    name: str
    fields: tuple[Field, ...]
    key: tuple[str, ...]
    row_checks: tuple[str, ...] = field(default=())

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]


def _f(name: str, kind: str = "text", **kw) -> Field:
    return Field(name, kind, **kw)


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(
            "sources",
            (
                _f("source_id", "id"),
                _f("title", required=False),
                _f("description", required=False, in_header=False),
                _f("publisher"),
                _f("date_published", "partial_date"),
                _f("address", required=False),
                _f("scheme", "enum", required=False, allowed=SCHEMES, in_header=False),
                _f("date_accessed", "date"),
                _f("reliability", "enum", allowed=RELIABILITY),
                _f("language", "enum", allowed=LANGUAGES),
                _f("note", required=False),
            ),
            key=("source_id",),
            row_checks=("accessed_after_published", "address_without_scheme", "title_or_description"),
        ),
        TableSpec(
            "units",
            (
                _f("unit"),
                _f("base_unit", "enum", allowed=BASE_UNITS),
                _f("factor", "number", positive=True),
                _f("name_en"),
            ),
            key=("unit",),
        ),
        TableSpec(
            "regions",
            (
                _f("region_id", "id"),
                _f("name_zh"),
                _f("name_en"),
                _f("level", "enum", allowed=REGION_LEVELS),
                _f("parent_id", "id", required=False, ref="regions"),
                _f("scope", "enum", required=False, allowed=SCOPES),
                _f("note", required=False),
            ),
            key=("region_id",),
            row_checks=("parent_unless_country",),
        ),
        TableSpec(
            "indicators",
            (
                _f("indicator_id", "id"),
                _f("name_zh"),
                _f("name_en"),
                _f("unit", ref="units"),
                _f("category", "enum", allowed=CATEGORIES),
                _f("kind", "enum", allowed=KINDS),
                _f("direction", "enum", allowed=DIRECTIONS),
                _f("description"),
            ),
            key=("indicator_id",),
        ),
        TableSpec(
            "observations",
            (
                _f("indicator_id", "id", ref="indicators"),
                _f("region_id", "id", ref="regions"),
                _f("period", "period"),
                _f("measure", "enum", allowed=MEASURES),
                _f("ref_region_id", "id", required=False, ref="regions"),
                _f("value", "number"),
                _f("unit", ref="units"),
                _f("price_basis", "enum", required=False, allowed=PRICE_BASES),
                _f("qualifier", "enum", allowed=QUALIFIERS),
                _f("status", "enum", allowed=RAW_STATUSES),
                _f("source_id", "id", ref="sources"),
                _f("quote"),
                _f("note", required=False),
                _f("published", "partial_date", required=False, in_header=False),
                _f("reading", "enum", required=False, allowed=READINGS, several=True, in_header=False),
                _f("quote_status", "enum", required=False, allowed=QUOTE_STATUSES, in_header=False),
            ),
            key=(
                "indicator_id",
                "region_id",
                "period",
                "measure",
                "ref_region_id",
                "price_basis",
                "source_id",
                "published",
            ),
            row_checks=(
                "ref_region_for_relative_measures",
                "percent_unit_for_rates",
                "level_unit_matches_catalog",
                "span_period_for_span_measures",
                "plausible_value",
            ),
        ),
        TableSpec(
            "plans",
            (
                _f("plan_id", "id"),
                _f("title_zh"),
                _f("title_en"),
                _f("issuer"),
                _f("region_id", "id", ref="regions"),
                _f("start", "date"),
                _f("end", "date"),
                _f("source_id", "id", ref="sources"),
                _f("note", required=False),
            ),
            key=("plan_id",),
            row_checks=("plan_end_after_start",),
        ),
        TableSpec(
            "targets",
            (
                _f("target_id", "id"),
                _f("plan_id", "id", ref="plans"),
                _f("indicator_id", "id", ref="indicators"),
                _f("region_id", "id", ref="regions"),
                _f("comparator", "enum", allowed=COMPARATORS),
                _f("target_value", "number"),
                _f("unit", ref="units"),
                _f("deadline", "date"),
                _f("form", "enum", allowed=FORMS),
                _f("binding", "enum", required=False, allowed=BINDING),
                _f("baseline_period", "period", required=False),
                _f("baseline_value", "number", required=False),
                _f("source_id", "id", ref="sources"),
                _f("quote"),
                _f("note", required=False),
                _f("reading", "enum", required=False, allowed=READINGS, several=True, in_header=False),
                _f("quote_status", "enum", required=False, allowed=QUOTE_STATUSES, in_header=False),
            ),
            key=("target_id",),
            row_checks=(
                "deadline_within_plan",
                "baseline_complete",
                "target_unit_matches",
            ),
        ),
    )
}

# -- reading ---------------------------------------------------------------------------------

_FIELD_LIMIT = threading.Lock()


@contextlib.contextmanager
def _csv_field_limit(limit: int) -> Iterator[None]:
    """Let the csv module read fields of up to ``limit`` characters (its default is 131,072) for
    the time of one read; the setting is global, so reads take turns."""
    with _FIELD_LIMIT:
        old = csv.field_size_limit(max(limit, csv.field_size_limit()))
        try:
            yield
        finally:
            csv.field_size_limit(old)


@dataclass(frozen=True)
class LongField:
    """A CSV field over :func:`indicators.limits.max_field_chars`: its record's first line, its
    position in the record and its length."""

    line: int
    index: int
    length: int

    def problem(self, file: str, header: list[str], limit: int, *, row_label: str = "line") -> Problem:
        column = header[self.index] if self.index < len(header) else f"field {self.index + 1}"
        return Problem(
            file,
            self.line,
            column,
            None,
            f"the field is {self.length:,} characters long, over the limit of {limit:,}",
            "shorten it (a quote is the phrase a figure was read from), or raise the limit with the "
            "INDICATORS_MAX_FIELD_CHARS environment variable",
            row_label,
        )


def csv_records(lines: list[str]) -> tuple[list[tuple[int, list[str]]], list[LongField]]:
    """Every record of a CSV file (its ``lines``, with their line ends) with the line it starts
    on, and the fields longer than the limit; a record with such a field is left out. Fields
    of any length are read (so none crashes the csv module), up to the text's own length."""
    limit = max_field_chars()
    records: list[tuple[int, list[str]]] = []
    long: list[LongField] = []
    with _csv_field_limit(sum(map(len, lines)) + 1):
        reader = csv.reader(lines)
        line = 0
        for row in reader:
            start = line + 1
            line = reader.line_num
            over = [LongField(start, i, len(cell)) for i, cell in enumerate(row) if len(cell) > limit]
            if over:
                long += over
                continue
            records.append((start, row))
    return records, long


def read_csv_rows(
    path: Path,
    spec: TableSpec,
    problems: list[Problem],
    loose_keys: set[str] | None = None,
    *,
    file: str | None = None,
) -> pd.DataFrame | None:
    """Read a raw CSV as text, indexed by line number; record file-level problems.

    Rows with the wrong number of fields are reported and left out of the frame; their key
    (where the header has the key column) goes into ``loose_keys`` so that other tables'
    references to them are not reported as unknown on top. Columns that may be left out of
    the header (``in_header=False``) are added, empty, where they are. ``file`` is the name
    problems are reported under (default: the table's file name).
    """
    file = file or spec.file
    if not path.exists():
        problems.append(
            Problem(file, None, None, None, "the file is missing", f"restore {file} (git checkout data/raw/{file})")
        )
        return None
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(
            Problem(
                file,
                None,
                None,
                None,
                f"the file is not UTF-8 ({exc.reason} at byte {exc.start})",
                "save it as UTF-8 CSV",
            )
        )
        return None
    records, long = csv_records(text.splitlines(keepends=True))
    if long and long[0].line == 1:  # the header itself
        problems += [f.problem(file, [], max_field_chars()) for f in long]
        return None
    if not records:
        problems.append(
            Problem(file, None, None, None, "the file is empty", f"restore the header row: {','.join(spec.columns)}")
        )
        return None
    header = [h.strip() for h in records[0][1]]
    problems += [f.problem(file, header, max_field_chars()) for f in long]
    rows: list[list[str]] = []
    lines: list[int] = []
    filled = bool(long)
    for start, row in records[1:]:
        if not row or all(not cell.strip() for cell in row):
            continue
        filled = True
        if len(row) != len(header):
            key_col = spec.key[0]
            if loose_keys is not None and key_col in header and header.index(key_col) < len(row):
                loose_keys.add(row[header.index(key_col)].strip())
            problems.append(
                Problem(
                    file,
                    start,
                    None,
                    ",".join(row)[:80],
                    f"the row has {len(row)} fields but the header has {len(header)}",
                    'quote fields that contain commas ("a, b") and check for a missing or extra comma',
                )
            )
            continue
        rows.append(row)
        lines.append(start)
    if not filled:
        problems.append(
            Problem(
                file,
                None,
                None,
                None,
                "the table has a header but no rows",
                f"add its rows, or restore the file (git checkout data/raw/{spec.file})",
            )
        )
        return None
    frame = pd.DataFrame(rows, columns=header, index=pd.Index(lines, name="line"), dtype=object)
    for f in spec.fields:
        if not f.in_header and f.name not in frame.columns:
            frame[f.name] = ""
    return frame.astype(object)


BATCHES = "batches"


def batch_dirs(raw_dir: Path) -> list[Path]:
    """The imported batches' folders under ``raw_dir/batches/``, oldest first (by name)."""
    root = Path(raw_dir) / BATCHES
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def table_files(raw_dir: Path, spec: TableSpec) -> list[tuple[str, Path, str]]:
    """``(name in problems, path, batch id)`` of every file of a table: the curated file
    first (batch id empty), then each batch's file where the batch has one."""
    files = [(spec.file, Path(raw_dir) / spec.file, "")]
    for folder in batch_dirs(raw_dir):
        path = folder / spec.file
        if path.exists():
            files.append((f"{BATCHES}/{folder.name}/{spec.file}", path, folder.name))
    return files


def _header_problems(file: str, frame: pd.DataFrame, spec: TableSpec) -> list[Problem]:
    wanted = [f.name for f in spec.fields]
    missing = [c for c in wanted if c not in frame.columns]
    extra = [c for c in frame.columns if c not in wanted]
    problems = [
        Problem(file, None, c, None, f"the column {c!r} is missing", f"the header must be: {','.join(spec.columns)}")
        for c in missing
    ]
    problems += [
        Problem(
            file,
            None,
            c,
            None,
            f"the column {c!r} is not part of the {spec.name} table",
            f"remove it or rename it to one of: {', '.join(spec.columns)}",
        )
        for c in extra
    ]
    return problems


def read_table(
    raw_dir: Path, spec: TableSpec, problems: list[Problem], loose_keys: set[str]
) -> tuple[pd.DataFrame | None, pd.DataFrame]:
    """A table read from all its files, as one frame with a fresh integer index, and beside
    it ``origin`` (same index): the ``file`` and ``line`` each row came from and its ``batch``.

    The curated file is read as :func:`read_csv_rows` reads it (a missing or odd column is
    left to the schema to report); a batch file whose header is not the table's is reported
    and its rows left out (their keys count as known, so references to them are not reported
    on top).
    """
    frames: list[pd.DataFrame] = []
    origins: list[pd.DataFrame] = []
    base: pd.DataFrame | None = None
    for file, path, batch in table_files(raw_dir, spec):
        frame = read_csv_rows(path, spec, problems, loose_keys, file=file)
        if frame is None:
            continue
        if batch:
            header = _header_problems(file, frame, spec)
            if header:
                problems.extend(header)
                key = spec.key[0]
                if key in frame.columns:
                    loose_keys.update(frame[key].astype(str))
                continue
        else:
            base = frame
        frames.append(frame)
        origins.append(pd.DataFrame({"file": file, "line": frame.index.astype(int), "batch": batch}))
    if base is None:
        return None, pd.DataFrame(columns=["file", "line", "batch"])
    columns = list(base.columns)
    union = pd.concat([f.reindex(columns=columns, fill_value="") for f in frames], ignore_index=True)
    origin = pd.concat(origins, ignore_index=True)
    return union.astype(object), origin
