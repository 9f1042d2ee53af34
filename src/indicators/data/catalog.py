"""Loading the processed tables, and look-ups in the catalog.

Every loader checks that ``data/processed/`` was built from the raw tables as they are now (the
data version in ``version.json`` against a fresh hash of ``data/raw/``, and the layout of the
processed tables against the one this package writes) and rebuilds it if not,
so a notebook never shows numbers from stale processed files.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, fields
from functools import lru_cache

import pandas as pd

from ..errors import ParameterError, UnknownIndicatorError, UnknownPlanError, UnknownRegionError, UnknownSourceError
from .build import PROCESSED_FORMAT, build, data_version, read_version
from .paths import data_paths
from .vintages import as_known_on

PathLike = str | os.PathLike[str] | None


def _ensure_built(data_dir: PathLike) -> str:
    paths = data_paths(data_dir)
    current = data_version(paths.raw)
    meta = read_version(data_dir)
    if meta is None or meta.get("data_version") != current or meta.get("processed_format") != PROCESSED_FORMAT:
        build(data_dir)
    return current


@lru_cache(maxsize=32)
def _read(processed: str, name: str, version: str) -> pd.DataFrame:
    del version  # part of the cache key only
    frame = pd.read_parquet(os.path.join(processed, f"{name}.parquet"))
    for col in frame.columns:
        if isinstance(frame[col].dtype, pd.StringDtype):
            frame[col] = frame[col].astype(object).where(frame[col].notna(), "")
    return frame


def load_table(name: str, *, data_dir: PathLike = None) -> pd.DataFrame:
    """One processed table (``observations``, ``targets``, ``sources``, ``regions``,
    ``indicators``, ``plans``, ``units``, ``checks``), as a fresh copy."""
    version = _ensure_built(data_dir)
    return _read(str(data_paths(data_dir).processed), name, f"{version}/{PROCESSED_FORMAT}").copy()


def _filter(frame: pd.DataFrame, column: str, value: str | list[str] | None) -> pd.DataFrame:
    if value is None:
        return frame
    values = [value] if isinstance(value, str) else list(value)
    return frame[frame[column].isin(values)]


def load_observations(
    indicator: str | list[str] | None = None,
    region: str | list[str] | None = None,
    *,
    measure: str | list[str] | None = None,
    include_derived: bool = True,
    as_of: str | dt.date | None = None,
    data_dir: PathLike = None,
) -> pd.DataFrame:
    """Observations with their provenance, optionally for some indicators, regions, measures.

    Unknown ids raise :class:`UnknownIndicatorError` / :class:`UnknownRegionError` naming the
    valid choices. ``include_derived=False`` keeps only published figures.

    Without ``as_of`` every row is returned, every vintage of a revised figure included. With
    ``as_of`` (an ISO date), what was known that day: of each figure, the rows of its latest
    vintage published by then (:mod:`indicators.data.vintages`) — the preliminary figure before the
    final one was published, the final one after. Two sources that published different values
    the same day both stay (the build reports their conflict).
    """
    as_of_date = _as_of(as_of)
    for ind in [indicator] if isinstance(indicator, str) else indicator or []:
        get_indicator(ind, data_dir=data_dir)
    for reg in [region] if isinstance(region, str) else region or []:
        get_region(reg, data_dir=data_dir)
    obs = load_table("observations", data_dir=data_dir)
    obs = _filter(obs, "indicator_id", indicator)
    obs = _filter(obs, "region_id", region)
    obs = _filter(obs, "measure", measure)
    if as_of_date is not None:
        obs = as_known_on(obs, as_of_date)
    if not include_derived:
        obs = obs[obs["status"] != "derived"]
    return obs.reset_index(drop=True)


def _as_of(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ParameterError("as_of", value, "not an ISO date", "write YYYY-MM-DD, e.g. 2019-03-31") from None


def load_targets(plan: str | None = None, *, region: str | None = None, data_dir: PathLike = None) -> pd.DataFrame:
    """Targets with their plan and source, optionally for one plan or region."""
    if plan is not None:
        get_plan(plan, data_dir=data_dir)
    if region is not None:
        get_region(region, data_dir=data_dir)
    targets = load_table("targets", data_dir=data_dir)
    targets = _filter(targets, "plan_id", plan)
    targets = _filter(targets, "region_id", region)
    return targets.reset_index(drop=True)


@dataclass(frozen=True)
class Indicator:
    indicator_id: str
    name_zh: str
    name_en: str
    unit: str
    category: str
    kind: str
    direction: str
    description: str

    def name(self, language: str = "en") -> str:
        return self.name_zh if language == "zh" else self.name_en


@dataclass(frozen=True)
class Region:
    region_id: str
    name_zh: str
    name_en: str
    level: str
    parent_id: str
    scope: str
    note: str

    def name(self, language: str = "en") -> str:
        return self.name_zh if language == "zh" else self.name_en


@dataclass(frozen=True)
class Plan:
    plan_id: str
    title_zh: str
    title_en: str
    issuer: str
    region_id: str
    start: str
    end: str
    source_id: str
    note: str


def _lookup(table: str, key: str, value: str, cls, error, data_dir: PathLike, parameter: str | None):
    version = _ensure_built(data_dir)
    entries = _entries(str(data_paths(data_dir).processed), table, key, cls, f"{version}/{PROCESSED_FORMAT}")
    if value not in entries:
        raise error(value, list(entries), parameter=parameter)
    return entries[value]


@lru_cache(maxsize=32)
def _entries(processed: str, table: str, key: str, cls, version: str) -> dict:
    """The (frozen) catalog entries of a table by id, built once per data version."""
    entries = {}
    for row in _read(processed, table, version).to_dict("records"):
        entries.setdefault(row[key], cls(**{f.name: str(row[f.name]) for f in fields(cls)}))
    return entries


def get_indicator(indicator_id: str, *, data_dir: PathLike = None, parameter: str = "indicator") -> Indicator:
    """The catalog entry of an indicator; :class:`UnknownIndicatorError` if there is none."""
    return _lookup("indicators", "indicator_id", indicator_id, Indicator, UnknownIndicatorError, data_dir, parameter)


def get_region(region_id: str, *, data_dir: PathLike = None, parameter: str = "region") -> Region:
    """A region; :class:`UnknownRegionError` if there is none."""
    return _lookup("regions", "region_id", region_id, Region, UnknownRegionError, data_dir, parameter)


def get_plan(plan_id: str, *, data_dir: PathLike = None, parameter: str = "plan") -> Plan:
    """A plan; :class:`UnknownPlanError` if there is none."""
    return _lookup("plans", "plan_id", plan_id, Plan, UnknownPlanError, data_dir, parameter)


def get_source(source_id: str, *, data_dir: PathLike = None) -> pd.Series:
    """A source's row (title, publisher, dates, address, reliability)."""
    frame = load_table("sources", data_dir=data_dir)
    match = frame[frame["source_id"] == source_id]
    if match.empty:
        raise UnknownSourceError(source_id, frame["source_id"].tolist(), parameter="source")
    return match.iloc[0]


def cite(source_id: str, *, data_dir: PathLike = None) -> str:
    """A citation: title, publisher, date published (address, accessed)."""
    s = get_source(source_id, data_dir=data_dir)
    text = f"{s['title']}, {s['publisher']}, {s['date_published']}"
    if s["address"]:
        text += f", {s['address']}"
    return text + f" (accessed {s['date_accessed']})"
