"""Validation of the raw tables with pandera, and the problems it finds.

:func:`validate_raw` reads every table (:mod:`indicators.data.tables`), builds a pandera schema
from the table definitions and the ids the tables actually hold, validates lazily, and turns every
failure into a :class:`~indicators.errors.Problem` that names the file, line, column, value and
the fix. Every problem is reported, not just the first.

Keys must be unique across a table's file and its imported batches, and references may point
from one to another. A problem names the file it is in
(``batches/<batch_id>/observations.csv``) and that file's line.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import PeriodError, Problem
from ..limits import FLOAT_DIGITS
from .periods import Period
from .tables import (
    GROWTH_FORMS,
    ID_PATTERN,
    NUMBER_PATTERN,
    PARTIAL_DATE,
    PERCENT_MEASURES,
    RELATIVE_MEASURES,
    SPAN_MEASURES,
    TABLES,
    Field,
    TableSpec,
    read_table,
)

if TYPE_CHECKING:  # pandera is imported when validating: loading data never needs it
    import pandera.pandas as pa


# -- checks ----------------------------------------------------------------------------------


def _blank(s: pd.Series) -> pd.Series:
    return s.astype(str).str.strip().eq("")


def _is_number(s: pd.Series) -> pd.Series:
    return s.astype(str).map(lambda v: bool(NUMBER_PATTERN.match(v)))


def float_problem(text: str) -> str | None:
    """Why a plain number (``NUMBER_PATTERN``) cannot be stored as a float unchanged, or ``None``:
    more significant digits than a float holds, or a magnitude outside a float's range (a
    401-digit number becomes infinity, a tiny one zero)."""
    digits = text.lstrip("-").replace(".", "")
    significant = digits.lstrip("0")
    if "." not in text:
        significant = significant.rstrip("0")  # trailing zeros of a whole number are its size, not digits
    if len(significant) > FLOAT_DIGITS:
        return f"it has {len(significant)} significant digits, more than the {FLOAT_DIGITS} a float holds"
    value = float(text)
    if math.isinf(value) or (significant and abs(value) < sys.float_info.min):
        return "it is outside the range of a float"
    return None


def _fits_float(s: pd.Series) -> pd.Series:
    return s.astype(str).map(lambda v: not NUMBER_PATTERN.match(v) or float_problem(v) is None)


def _is_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _is_partial_date(value: str) -> bool:
    if not PARTIAL_DATE.match(value):
        return False
    padded = value + "-01" * ((10 - len(value)) // 3)
    return _is_date(padded)


def _is_period(value: str) -> bool:
    try:
        Period.parse(value)
    except PeriodError:
        return False
    return True


def partial_date_start(value: str) -> dt.date:
    """The first day a partial date (``2024``, ``2024-05``, ``2024-05-03``) can stand for."""
    return dt.date.fromisoformat(value + "-01" * ((10 - len(value)) // 3))


def period_reason(value: str) -> str:
    try:
        Period.parse(value)
    except PeriodError as exc:
        return exc.reason
    return ""


@dataclass(frozen=True)
class Context:
    """The ids each table holds, and the units' base units, for reference checks."""

    ids: dict[str, set[str]]
    base_unit: dict[str, str]
    indicator_unit: dict[str, str]
    plan_span: dict[str, tuple[str, str]]


def _column_checks(spec: TableSpec, f: Field, ctx: Context) -> list[pa.Check]:
    import pandera.pandas as pa

    def optional(pred: Callable[[pd.Series], pd.Series]) -> Callable[[pd.Series], pd.Series]:
        if f.required:
            return pred
        return lambda s: _blank(s) | pred(s)

    checks = []
    if f.required:
        checks.append(pa.Check(lambda s: ~_blank(s), name="required"))
    checks.append(pa.Check(lambda s: s.astype(str).eq(s.astype(str).str.strip()), name="whitespace"))
    if f.kind == "id":
        checks.append(pa.Check(optional(lambda s: s.astype(str).str.match(ID_PATTERN)), name="id_format"))
    if f.kind == "enum" and f.several:
        checks.append(
            pa.Check(optional(lambda s: s.astype(str).map(lambda v: _several_ok(v, f.allowed))), name="allowed")
        )
    elif f.kind == "enum":
        allowed = set(f.allowed)
        checks.append(pa.Check(optional(lambda s: s.isin(allowed)), name="allowed"))
    if f.kind == "number":
        checks.append(pa.Check(optional(_is_number), name="number"))
        checks.append(pa.Check(_fits_float, name="float_range"))
        if f.positive:
            checks.append(pa.Check(lambda s: ~_is_number(s) | (pd.to_numeric(s, errors="coerce") > 0), name="positive"))
    if f.kind == "date":
        checks.append(pa.Check(optional(lambda s: s.astype(str).map(_is_date)), name="date"))
    if f.kind == "partial_date":
        checks.append(pa.Check(optional(lambda s: s.astype(str).map(_is_partial_date)), name="partial_date"))
    if f.kind == "period":
        checks.append(pa.Check(optional(lambda s: s.astype(str).map(_is_period)), name="period"))
    if f.ref:
        known = ctx.ids.get(f.ref, set())
        checks.append(pa.Check(optional(lambda s: s.isin(known)), name=f"ref:{f.ref}"))
    return checks


def _several_ok(value: str, allowed: tuple[str, ...]) -> bool:
    """``value`` is allowed values joined with ``;``, each once, the default (``allowed[0]``) only alone."""
    parts = value.split(";")
    return set(parts) <= set(allowed) and len(set(parts)) == len(parts) and (len(parts) == 1 or allowed[0] not in parts)


def _num(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s.where(_is_number(s)), errors="coerce")


def _row_check(name: str, ctx: Context) -> tuple[str, Callable[[pd.DataFrame], pd.Series]]:
    """A row-wise check: ``(column to blame, predicate)``. Rows it cannot judge pass."""
    base = ctx.base_unit

    if name == "accessed_after_published":

        def pred(df: pd.DataFrame) -> pd.Series:
            def ok(row: pd.Series) -> bool:
                pub, acc = str(row["date_published"]), str(row["date_accessed"])
                if not (_is_partial_date(pub) and _is_date(acc)):
                    return True
                return dt.date.fromisoformat(acc) >= partial_date_start(pub)

            return df.apply(ok, axis=1)

        return "date_accessed", pred
    if name == "address_without_scheme":
        return "address", lambda df: ~df["address"].astype(str).str.contains(r"^\w+://|\s", regex=True)
    if name == "title_or_description":
        return "title", lambda df: ~(_blank(df["title"]) & _blank(df["description"]))
    if name == "parent_unless_country":

        def pred(df: pd.DataFrame) -> pd.Series:
            country = df["level"].eq("country")
            has_parent = ~_blank(df["parent_id"])
            return (country & ~has_parent) | (~country & has_parent & df["parent_id"].ne(df["region_id"]))

        return "parent_id", pred
    if name == "ref_region_for_relative_measures":

        def pred(df: pd.DataFrame) -> pd.Series:
            relative = df["measure"].isin(RELATIVE_MEASURES)
            has_ref = ~_blank(df["ref_region_id"])
            return (relative & has_ref & df["ref_region_id"].ne(df["region_id"])) | (~relative & ~has_ref)

        return "ref_region_id", pred
    if name == "percent_unit_for_rates":

        def pred(df: pd.DataFrame) -> pd.Series:
            pct = df["measure"].isin(PERCENT_MEASURES)
            multiple = df["measure"].eq("multiple")
            unit_base = df["unit"].map(base)
            return (~pct | unit_base.eq("percent")) & (~multiple | unit_base.eq("times"))

        return "unit", pred
    if name == "level_unit_matches_catalog":

        def pred(df: pd.DataFrame) -> pd.Series:
            level = df["measure"].eq("level")
            have = df["unit"].map(base)
            want = df["indicator_id"].map(ctx.indicator_unit).map(base)
            unknown = have.isna() | want.isna()
            return ~level | unknown | have.eq(want)

        return "unit", pred
    if name == "span_period_for_span_measures":

        def pred(df: pd.DataFrame) -> pd.Series:
            def ok(row: pd.Series) -> bool:
                label = str(row["period"])
                if not _is_period(label):
                    return True
                is_span = Period.parse(label).kind == "span"
                return is_span == (row["measure"] in SPAN_MEASURES)

            return df.apply(ok, axis=1)

        return "period", pred
    if name == "plausible_value":

        def pred(df: pd.DataFrame) -> pd.Series:
            v = _num(df["value"])
            m = df["measure"]
            ok = pd.Series(True, index=df.index)
            ok &= ~(m.eq("level") & (v < 0))
            ok &= ~(m.eq("share") & ((v <= 0) | (v > 100)))
            ok &= ~(m.isin(("yoy_growth", "seq_growth", "avg_annual_growth")) & ((v <= -100) | (v > 1000)))
            ok &= ~(m.eq("contribution") & ((v < -1000) | (v > 1000)))
            ok &= ~(m.eq("completion") & ((v < 0) | (v > 10000)))
            ok &= ~(m.eq("multiple") & (v <= 0))
            return ok

        return "value", pred
    if name == "plan_end_after_start":

        def pred(df: pd.DataFrame) -> pd.Series:
            s, e = df["start"].astype(str), df["end"].astype(str)
            both = s.map(_is_date) & e.map(_is_date)
            return ~both | (e >= s)

        return "end", pred
    if name == "deadline_within_plan":

        def pred(df: pd.DataFrame) -> pd.Series:
            def ok(row: pd.Series) -> bool:
                span = ctx.plan_span.get(str(row["plan_id"]))
                deadline = str(row["deadline"])
                if span is None or not _is_date(deadline) or not all(map(_is_date, span)):
                    return True
                return span[0] <= deadline <= span[1]

            return df.apply(ok, axis=1)

        return "deadline", pred
    if name == "baseline_complete":
        return "baseline_value", lambda df: _blank(df["baseline_period"]).eq(_blank(df["baseline_value"]))
    if name == "target_unit_matches":

        def pred(df: pd.DataFrame) -> pd.Series:
            have = df["unit"].map(base)
            want = df["indicator_id"].map(ctx.indicator_unit).map(base)
            growth = df["form"].isin(GROWTH_FORMS)
            unknown = have.isna() | want.isna()
            return unknown | (growth & have.eq("percent")) | (~growth & have.eq(want))

        return "unit", pred
    raise KeyError(name)


# -- messages --------------------------------------------------------------------------------


def _explain(spec: TableSpec, column: str | None, check: str, value: str | None, ctx: Context) -> tuple[str, str]:
    """The message and the fix for one failed check."""
    f = next((f for f in spec.fields if f.name == column), None)
    if check == "column_in_dataframe":
        return (
            f"the column {value!r} is missing",
            f"add the column {value!r}; the header must be: {','.join(spec.columns)}",
        )
    if check == "column_in_schema":
        return (
            f"the column {value!r} is not part of the {spec.name} table",
            f"remove it or rename it to one of: {', '.join(spec.columns)}",
        )
    if check == "multiple_fields_uniqueness":
        return (
            f"duplicate key ({', '.join(spec.key)}): another row has the same values",
            "remove the duplicate row, or tell the rows apart (a different source, period or measure)",
        )
    if check == "required":
        return "the value is empty", f"fill in {column} (see data/raw/README.md)"
    if check == "whitespace":
        return "the value has leading or trailing spaces", "remove the spaces"
    if check == "id_format":
        return "not a valid id", "use lower-case ASCII letters, digits and underscores, starting with a letter"
    if check == "allowed" and f is not None:
        extra = ""
        if spec.name == "observations" and column == "status" and value == "derived":
            extra = "; derived figures are made by `indicators build`, so remove the row"
        if f.several:
            extra += f"; several are joined with ';' ({f.allowed[0]} only alone)"
        return "not an allowed value", f"use one of: {', '.join(f.allowed)}{extra}"
    if check == "number":
        return (
            "not a plain number",
            "write digits with an optional decimal point (4691.85): no thousands separators, "
            "no %, no 约/超过 (those go in the qualifier column), no full-width digits",
        )
    if check == "float_range":
        return (
            f"not a number a float can hold ({float_problem(value or '')})",
            f"give the figure as published, with at most {FLOAT_DIGITS} significant digits "
            "(a very large or small figure in a larger or smaller unit)",
        )
    if check == "positive":
        return "must be greater than zero", "give the positive conversion factor to the base unit"
    if check == "date":
        return "not an ISO date", "write YYYY-MM-DD, e.g. 2023-12-31"
    if check == "partial_date":
        return "not an ISO date", "write YYYY-MM-DD, or YYYY-MM / YYYY when only that much is known"
    if check == "period":
        return f"not a period ({period_reason(value or '')})", (
            "write YYYY, YYYYQn, YYYYH1, YYYYQ1-Q3, YYYYMmm-Mnn, YYYYMmm, YYYY-YYYY, YYYY-MM-DD or "
            "YYYY-MM-DD/YYYY-MM-DD (data/raw/README.md, Periods)"
        )
    if check.startswith("ref:"):
        table = check.split(":", 1)[1]
        key = TABLES[table].key[0]
        return (
            f"unknown {key} (not in {table}.csv)",
            f"add a row for it to {table}.csv, or correct the spelling",
        )
    row_messages = {
        "accessed_after_published": ("accessed before it was published", "check date_accessed and date_published"),
        "address_without_scheme": (
            "the address has a scheme or spaces",
            "write it without http:// or https:// and put the scheme in the scheme column",
        ),
        "title_or_description": (
            "neither a title nor a description",
            "copy the document's title, or, where it was not recorded, describe the document in description",
        ),
        "parent_unless_country": (
            "every region but the country needs a parent (and not itself)",
            "set parent_id to the region it lies in",
        ),
        "ref_region_for_relative_measures": (
            "share and contribution need ref_region_id (another region); other measures must leave it empty",
            "name the region the share or contribution is of, or clear the column",
        ),
        "percent_unit_for_rates": (
            "growth, shares, contributions and completion are in %, multiples in times",
            "set unit to % (or times for measure multiple)",
        ),
        "level_unit_matches_catalog": (
            "the unit does not measure the same thing as the indicator's catalog unit",
            "use a unit with the same base unit as the indicator (units.csv), or a different indicator",
        ),
        "span_period_for_span_measures": (
            "avg_annual_growth and multiple need a multi-year span period (YYYY-YYYY), other measures must not use one",
            "write the span as base year-end year (2013-2023), or change the measure",
        ),
        "plausible_value": (
            "implausible value for the measure (a negative level, a share outside 0-100, growth at or below -100%)",
            "check the value and the measure",
        ),
        "plan_end_after_start": ("the plan ends before it starts", "check start and end"),
        "deadline_within_plan": (
            "the deadline lies outside the plan's span (before its start or after its end)",
            "check the deadline, or the plan's start and end in plans.csv",
        ),
        "baseline_complete": (
            "baseline_period and baseline_value go together",
            "fill in both or leave both empty",
        ),
        "target_unit_matches": (
            "the unit does not fit the target: growth and avg_annual_growth targets are in %, "
            "others in a unit like the indicator's",
            "correct the unit or the form",
        ),
    }
    name = check.split(":", 1)[0]
    return row_messages.get(name, (f"failed check {check}", "see data/raw/README.md"))


# -- validation ------------------------------------------------------------------------------


def build_schema(spec: TableSpec, ctx: Context) -> pa.DataFrameSchema:
    import pandera.pandas as pa

    columns = {f.name: pa.Column(object, checks=_column_checks(spec, f, ctx), nullable=False) for f in spec.fields}
    df_checks = []
    for name in spec.row_checks:
        column, pred = _row_check(name, ctx)
        needed = set(spec.columns)

        def guarded(df: pd.DataFrame, pred=pred, needed=needed) -> pd.Series:
            if not needed.issubset(df.columns):
                return pd.Series(True, index=df.index)
            return pred(df).astype(bool)

        df_checks.append(pa.Check(guarded, name=f"{name}:{column}"))
    return pa.DataFrameSchema(columns, checks=df_checks, strict=True, unique=list(spec.key), ordered=False)


def _context(frames: dict[str, pd.DataFrame | None], loose: dict[str, set[str]]) -> Context:
    def ids(table: str) -> set[str]:
        df = frames.get(table)
        key = TABLES[table].key[0]
        if df is None or key not in df.columns:
            return set(loose.get(table, ()))
        return set(df[key].astype(str)) | loose.get(table, set())

    def mapping(table: str, key: str, value: str) -> dict[str, str]:
        df = frames.get(table)
        if df is None or not {key, value}.issubset(df.columns):
            return {}
        return dict(zip(df[key].astype(str), df[value].astype(str), strict=True))

    plans = frames.get("plans")
    spans: dict[str, tuple[str, str]] = {}
    if plans is not None and {"plan_id", "start", "end"}.issubset(plans.columns):
        spans = {
            str(p): (str(s), str(e)) for p, s, e in zip(plans["plan_id"], plans["start"], plans["end"], strict=True)
        }
    return Context(
        ids={name: ids(name) for name in TABLES},
        base_unit=mapping("units", "unit", "base_unit"),
        indicator_unit=mapping("indicators", "indicator_id", "unit"),
        plan_span=spans,
    )


def _problems_from(
    spec: TableSpec, frame: pd.DataFrame, err: pa.errors.SchemaErrors, ctx: Context, origin: pd.DataFrame
) -> list[Problem]:
    out: list[Problem] = []
    seen: set[tuple] = set()
    cases = err.failure_cases
    for rec in cases.to_dict("records"):
        check = str(rec["check"])
        index = rec["index"]
        row = None if index is None or pd.isna(index) else int(index)
        file = spec.file if row is None else str(origin.at[row, "file"])
        line = None if row is None else int(origin.at[row, "line"])
        column = rec["column"] if isinstance(rec["column"], str) else None
        value = rec["failure_case"]
        if check in ("column_in_dataframe", "column_in_schema"):
            message, fix = _explain(spec, None, check, str(value), ctx)
            out.append(Problem(spec.file, None, str(value), None, message, fix))
            continue
        elif ":" in check and not check.startswith("ref:"):
            # a row check: blame the column named in the check, show that column's value
            column = check.split(":", 1)[1]
            value = frame.at[row, column] if row is not None and column in frame.columns else value
        elif check == "multiple_fields_uniqueness":
            column = ",".join(spec.key)
            value = " | ".join(str(frame.at[row, k]) for k in spec.key) if row is not None else None
        key = (check, row, column)
        if key in seen:
            continue
        seen.add(key)
        message, fix = _explain(spec, column, check, None if value is None else str(value), ctx)
        out.append(Problem(file, line, column, None if value is None else str(value), message, fix))
    return out


def _region_cycles(frame: pd.DataFrame | None, origin: pd.DataFrame) -> list[Problem]:
    if frame is None or not {"region_id", "parent_id"}.issubset(frame.columns):
        return []
    parent = dict(zip(frame["region_id"], frame["parent_id"], strict=True))
    where = dict(zip(frame["region_id"], zip(origin["file"], origin["line"], strict=True), strict=True))
    problems = []
    for start in parent:
        seen, node = set(), start
        while node in parent and parent[node] and node not in seen:
            seen.add(node)
            node = parent[node]
        if node == start and seen and len(seen) > 1:
            problems.append(
                Problem(
                    where[start][0],
                    int(where[start][1]),
                    "parent_id",
                    parent[start],
                    "the parents form a cycle",
                    "follow parent_id up to china and break the loop",
                )
            )
    return problems


ORIGIN_COLUMNS = ("raw_file", "raw_line", "batch")


def _problem_order(p: Problem) -> tuple:
    name = Path(p.file).stem
    table = list(TABLES).index(name) if name in TABLES else 99
    return (table, p.file != f"{name}.csv", p.file, p.row or 0, p.column or "")


def validate_raw(raw_dir: Path) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Read and validate every raw table (the curated files and every imported batch).

    Returns the tables and every problem found. Each table carries, after its own columns,
    ``raw_file`` (``observations.csv`` or ``batches/<batch_id>/observations.csv``),
    ``raw_line`` (the line in that file) and ``batch`` (empty for the curated files).
    """
    import pandera.pandas as pa

    raw_dir = Path(raw_dir)
    problems: list[Problem] = []
    loose: dict[str, set[str]] = {name: set() for name in TABLES}
    read = {name: read_table(raw_dir, spec, problems, loose[name]) for name, spec in TABLES.items()}
    frames = {name: frame for name, (frame, _) in read.items()}
    ctx = _context(frames, loose)
    for name, spec in TABLES.items():
        frame, origin = read[name]
        if frame is None:
            continue
        try:
            build_schema(spec, ctx).validate(frame, lazy=True)
        except pa.errors.SchemaErrors as err:
            problems.extend(_problems_from(spec, frame, err, ctx, origin))
    problems.extend(_region_cycles(frames.get("regions"), read["regions"][1]))
    problems.sort(key=_problem_order)
    tables = {}
    for name, (frame, origin) in read.items():
        if frame is None:
            continue
        tables[name] = frame.assign(
            raw_file=origin["file"].to_numpy(), raw_line=origin["line"].to_numpy(), batch=origin["batch"].to_numpy()
        )
    return tables, problems
