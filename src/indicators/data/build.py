"""``indicators build``: raw tables in, validated and enriched processed tables out.

1. Validate every raw table (:func:`indicators.data.schema.validate_raw`); on any problem raise
   :class:`~indicators.errors.DataValidationError` listing them all and write nothing.
2. Normalise units next to the reported values, parse periods, attach each figure's source
   (producer, title, date published, address, date accessed, reliability).
3. Derive what follows arithmetically, and check figures against each other
   (:mod:`indicators.data.derive`).
4. Write ``data/processed/`` as CSV and Parquet plus ``version.json`` (the data version is a
   content hash of the raw tables, imported batches included), each file to a temporary name
   first and then renamed, under a lock so that two builds never interleave.

Every observation gets its publication date (``published``: its own, else its source's) and
its ``vintage`` among the rows of the same figure (:mod:`indicators.data.vintages`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..atomic import AtomicWrites, remove_stale_temporaries, write_error
from ..errors import DataValidationError, LockError
from ..version import __version__
from .derive import Deriver, obs_id
from .paths import DataPaths, data_paths
from .periods import Period
from .schema import validate_raw
from .tables import TABLES, batch_dirs
from .units import normalise
from .vintages import latest_date, number_vintages

PROCESSED_TABLES = ("observations", "targets", "sources", "regions", "indicators", "plans", "units", "checks")
VERSION_FILE = "version.json"
#: The layout of the processed tables; loaders rebuild processed data written with another one
#: (2: ``published``, ``vintage``, ``batch`` and ``raw_file`` added; 3: ``reading`` and
#: ``quote_status`` added to observations and targets; 4: ``source_description`` and
#: ``source_scheme``).
PROCESSED_FORMAT = 4

OBSERVATION_COLUMNS = [
    "obs_id",
    "indicator_id",
    "region_id",
    "period",
    "period_kind",
    "period_start",
    "period_end",
    "measure",
    "ref_region_id",
    "value",
    "value_text",
    "unit",
    "value_base",
    "base_unit",
    "price_basis",
    "qualifier",
    "status",
    "published",
    "vintage",
    "source_id",
    "quote",
    "quote_status",
    "reading",
    "note",
    "formula",
    "inputs",
    "batch",
    "raw_file",
    "raw_line",
    "source_title",
    "source_description",
    "source_publisher",
    "source_date",
    "source_address",
    "source_scheme",
    "source_accessed",
    "source_reliability",
]


def data_version(raw_dir: Path) -> str:
    """Content hash of the raw tables (names and bytes) and of every imported batch (its
    manifest and tables), 12 hex digits."""
    raw_dir = Path(raw_dir)
    digest = hashlib.sha256()
    for name in sorted(TABLES):
        path = raw_dir / TABLES[name].file
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
    for folder in batch_dirs(raw_dir):
        for path in sorted(p for p in folder.iterdir() if p.is_file()):
            digest.update(f"batches/{folder.name}/{path.name}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@dataclass(frozen=True)
class BuildResult:
    """What a build produced."""

    data_version: str
    processed_dir: Path
    counts: dict[str, int]
    derived: int
    findings: pd.DataFrame = field(repr=False)

    def summary_frame(self) -> pd.DataFrame:
        return pd.DataFrame(sorted(self.counts.items()), columns=["table", "rows"]).set_index("table")

    def describe(self) -> str:
        kinds = self.findings["kind"].value_counts().to_dict() if len(self.findings) else {}
        checks = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "none"
        return (
            f"built data version {self.data_version} in {self.processed_dir}: "
            f"{self.counts['observations']} observations ({self.derived} derived), "
            f"{self.counts['targets']} targets, {self.counts['sources']} sources; checks: {checks}"
        )


def _sources_frame(sources: pd.DataFrame) -> pd.DataFrame:
    """The provenance columns every observation carries (``source_…``)."""
    columns = ("title", "description", "publisher", "date_published", "address", "scheme", "date_accessed")
    renamed = {c: f"source_{c}" for c in (*columns, "reliability")}
    renamed.update(date_published="source_date", date_accessed="source_accessed")
    frame = sources.reindex(columns=["source_id", *columns, "reliability"], fill_value="")
    return frame.rename(columns=renamed)


def _attach_sources(frame: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Provenance columns; a derived row lists the sources of its inputs, ``;``-joined."""
    src = _sources_frame(sources)
    cols = [c for c in src.columns if c != "source_id"]
    table = {row["source_id"]: row for row in src.to_dict("records")}
    out = frame.copy()
    ids = [[s for s in str(v).split(";") if s in table] for v in out["source_id"]]
    for col in cols:
        out[col] = [";".join(str(table[s][col]) for s in row) for row in ids]
    return out


def _with_periods(frame: pd.DataFrame) -> pd.DataFrame:
    parsed = frame["period"].map(Period.parse)
    out = frame.copy()
    out["period_kind"] = parsed.map(lambda p: p.kind)
    out["period_start"] = parsed.map(lambda p: p.start.isoformat())
    out["period_end"] = parsed.map(lambda p: p.end.isoformat())
    return out


def prepare(tables: dict[str, pd.DataFrame]) -> tuple[dict[str, pd.DataFrame], int]:
    """Turn validated raw tables into the processed tables (no I/O)."""
    units = tables["units"]
    sources = tables["sources"]
    obs = tables["observations"].copy().reset_index(drop=True)
    obs["value_text"] = obs["value"]
    obs = normalise(obs, units)
    obs["obs_id"] = obs.apply(obs_id, axis=1)
    obs["formula"] = ""
    obs["inputs"] = ""
    obs = _attach_sources(obs, sources)
    obs["published"] = obs["published"].where(obs["published"] != "", obs["source_date"])

    derived, findings = Deriver(obs, tables["indicators"], units).run()
    if len(derived):
        derived = normalise(derived, units)
        derived["raw_line"] = pd.NA
        derived["raw_file"] = ""
        derived["batch"] = ""
        derived = _attach_sources(derived, sources)
        published = dict(zip(obs["obs_id"], obs["published"], strict=True))
        derived["published"] = derived["inputs"].map(lambda ids: latest_date([published[i] for i in ids.split(";")]))
        reading = dict(zip(obs["obs_id"], obs["reading"], strict=True))
        derived["reading"] = derived["inputs"].map(lambda ids: _inherited_reading([reading[i] for i in ids.split(";")]))
        derived["quote_status"] = ""
        obs = pd.concat([obs, derived], ignore_index=True)
    obs["vintage"] = number_vintages(obs)
    obs = _with_periods(obs)
    obs["raw_line"] = obs["raw_line"].astype("Int64")
    obs = obs[OBSERVATION_COLUMNS].sort_values(
        ["indicator_id", "region_id", "period_start", "period_end", "measure", "status", "source_id"], kind="stable"
    )

    plans = _without_origin(tables["plans"])
    targets = tables["targets"].copy().reset_index(drop=True)
    targets = normalise(targets, units, value="target_value")
    targets["baseline_value"] = pd.to_numeric(targets["baseline_value"].replace("", pd.NA))
    targets = targets.merge(
        plans[["plan_id", "title_zh", "title_en", "start", "end"]].rename(
            columns={"title_zh": "plan_title_zh", "title_en": "plan_title_en", "start": "plan_start", "end": "plan_end"}
        ),
        on="plan_id",
        how="left",
    )
    targets = _attach_sources(targets, sources)

    out = {
        "observations": obs.reset_index(drop=True),
        "targets": targets,
        "sources": _without_origin(sources).reset_index(drop=True),
        "regions": _without_origin(tables["regions"]).reset_index(drop=True),
        "indicators": _without_origin(tables["indicators"]).reset_index(drop=True),
        "plans": plans.reset_index(drop=True),
        "units": _without_origin(units).reset_index(drop=True),
        "checks": findings,
    }
    return out, len(derived)


def _inherited_reading(readings: list[str]) -> str:
    """A derived figure carries the readings (period inferred, scope assumed, …) of its inputs."""
    parts = [p for value in readings for p in str(value).split(";") if p and p != "as_printed"]
    return ";".join(dict.fromkeys(parts))


def _without_origin(frame: pd.DataFrame) -> pd.DataFrame:
    """A catalog table keeps the ``batch`` it was imported in, not the file and line."""
    return frame.drop(columns=["raw_file", "raw_line"], errors="ignore")


@contextlib.contextmanager
def build_lock(paths: DataPaths) -> Iterator[None]:
    """An exclusive lock on ``data/processed/``; a second build gets a clear error."""
    lock_path = paths.processed / ".build.lock"
    try:
        paths.processed.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "w")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise write_error(exc, paths.processed) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockError(
                f"another `indicators build` is writing {paths.processed} (lock {lock_path}). "
                "Wait for it to finish and run again."
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _for_parquet(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].astype("string")
    return out


def build(data_dir: str | os.PathLike[str] | None = None) -> BuildResult:
    """Validate the raw tables and (re)write ``data/processed/``. See the module docstring."""
    paths = data_paths(data_dir)
    version = data_version(paths.raw)
    tables, problems = validate_raw(paths.raw)
    if problems:
        raise DataValidationError(problems)
    processed, n_derived = prepare(tables)
    with build_lock(paths):
        remove_stale_temporaries(paths.processed)  # left by a build that was killed
        counts = {name: len(processed[name]) for name in PROCESSED_TABLES}
        meta = {
            "data_version": version,
            "processed_format": PROCESSED_FORMAT,
            "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "package_version": __version__,
            "pandas_version": pd.__version__,
            "rows": counts,
            "derived": n_derived,
        }
        # everything is written to temporary names first, then renamed into place, the version file last
        with AtomicWrites(within=paths.processed) as files:
            for name in PROCESSED_TABLES:
                frame = processed[name]
                files.stage(paths.processed / f"{name}.csv", lambda p, f=frame: f.to_csv(p, index=False))
                files.stage(
                    paths.processed / f"{name}.parquet", lambda p, f=frame: _for_parquet(f).to_parquet(p, index=False)
                )
            files.text(paths.processed / VERSION_FILE, json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    return BuildResult(version, paths.processed, counts, n_derived, processed["checks"])


def read_version(data_dir: str | os.PathLike[str] | None = None) -> dict | None:
    """The processed data's ``version.json``, or ``None`` if it was never built."""
    path = data_paths(data_dir).processed / VERSION_FILE
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def validate(data_dir: str | os.PathLike[str] | None = None) -> list:
    """Every problem in the raw tables (an empty list when they are valid)."""
    return validate_raw(data_paths(data_dir).raw)[1]
