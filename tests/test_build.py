"""The build: processed tables as CSV and Parquet, a content-hash data version, atomic writes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

import indicators
from indicators.data.build import PROCESSED_TABLES, build_lock
from indicators.data.paths import data_paths
from indicators.errors import LockError

from .conftest import held_elsewhere, snapshot


def test_build_writes_every_table_as_csv_and_parquet(data_dir):
    result = indicators.build(data_dir)
    for name in PROCESSED_TABLES:
        csv = pd.read_csv(data_dir / "processed" / f"{name}.csv", keep_default_na=False)
        parquet = pd.read_parquet(data_dir / "processed" / f"{name}.parquet")
        assert len(csv) == len(parquet) == result.counts[name]
        assert list(csv.columns) == list(parquet.columns)
    meta = json.loads((data_dir / "processed" / "version.json").read_text())
    assert meta["data_version"] == result.data_version
    assert meta["rows"]["observations"] == 8
    assert not list((data_dir / "processed").glob("*.tmp"))


def test_the_data_version_is_a_content_hash_of_the_raw_tables(data_dir):
    first = indicators.data_version(data_dir / "raw")
    assert first == indicators.data_version(data_dir / "raw")
    path = data_dir / "raw" / "sources.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("fixture", "fixture, edited"), encoding="utf-8")
    assert indicators.data_version(data_dir / "raw") != first


def test_every_number_carries_its_source(data_dir):
    obs = indicators.load_observations(data_dir=data_dir)
    for column in ("source_title", "source_publisher", "source_date", "source_accessed", "source_reliability"):
        assert (obs[column] != "").all(), column
    reported = obs[obs["status"] != "derived"]
    assert (reported["quote"] != "").all()
    assert reported["raw_line"].notna().all()


def test_units_are_normalised_beside_the_reported_value(data_dir):
    obs = indicators.load_observations("gdp", "wcna", measure="level", include_derived=False, data_dir=data_dir)
    q1 = obs[obs["period"] == "2024Q1"].iloc[0]
    assert (q1["value"], q1["value_text"], q1["unit"]) == (119.65, "119.65", "billion yuan")
    assert (q1["value_base"], q1["base_unit"]) == (119.65e9, "yuan")


def test_loading_rebuilds_processed_data_that_is_stale(data_dir):
    indicators.build(data_dir)
    path = data_dir / "raw" / "observations.csv"
    with open(path, "a", encoding="utf-8") as f:
        f.write("gdp,wcna,2023,level,,5003.38,亿元,current,exact,reported,daily_2024,fixture 2023,\n")
    obs = indicators.load_observations("gdp", "wcna", data_dir=data_dir)
    assert "2023" in set(obs["period"])
    meta = json.loads((data_dir / "processed" / "version.json").read_text())
    assert meta["data_version"] == indicators.data_version(data_dir / "raw")


def test_a_failure_while_writing_leaves_processed_as_it_was(data_dir, monkeypatch):
    indicators.build(data_dir)
    before = snapshot(data_dir / "processed")
    path = data_dir / "raw" / "sources.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("fixture", "changed"), encoding="utf-8")

    def boom(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", boom)
    with pytest.raises(OSError, match="disk full"):
        indicators.build(data_dir)
    assert snapshot(data_dir / "processed") == before


def test_a_second_build_at_the_same_time_gets_a_clear_error(data_dir):
    with held_elsewhere(build_lock(data_paths(data_dir))), pytest.raises(LockError, match="another `indicators build`"):
        indicators.build(data_dir)
    indicators.build(data_dir)  # and once the first is done, it works


def test_data_dir_without_raw_is_a_parameter_error(tmp_path: Path):
    with pytest.raises(indicators.ParameterError, match="data_dir"):
        indicators.build(tmp_path)


def _add_columns(path: Path, values: dict[int, tuple[str, ...]], columns: tuple[str, ...]) -> None:
    """Append optional columns to a raw CSV; ``values`` maps a file line to the new cells."""
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    blank = ("",) * len(columns)
    out = [rows[0] + list(columns)] + [row + list(values.get(i, blank)) for i, row in enumerate(rows[1:], start=2)]
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(out)


def test_readings_and_quote_status_reach_the_processed_tables(data_dir):
    """Blank means as printed and verbatim; a set reading travels to data/processed/, and a
    figure derived from a row with an inferred reading carries that reading."""
    raw = data_dir / "raw"
    _add_columns(
        raw / "observations.csv",
        {4: ("", "period_inferred;scope_assumed", "summary")},  # the 2024Q1 level
        ("published", "reading", "quote_status"),
    )
    _add_columns(raw / "targets.csv", {2: ("kind_inferred", "")}, ("reading", "quote_status"))
    indicators.build(data_dir)
    obs = pd.read_csv(data_dir / "processed" / "observations.csv", dtype=str, keep_default_na=False)
    level = obs[(obs["period"] == "2024Q1") & (obs["region_id"] == "wcna") & (obs["measure"] == "level")].iloc[0]
    assert (level["reading"], level["quote_status"]) == ("period_inferred;scope_assumed", "summary")
    derived = obs[(obs["status"] == "derived") & (obs["region_id"] == "qingdao")].iloc[0]
    assert derived["reading"] == "period_inferred;scope_assumed" and derived["quote_status"] == ""
    untouched = obs[(obs["period"] == "2022") & (obs["measure"] == "level")].iloc[0]
    assert (untouched["reading"], untouched["quote_status"]) == ("", "")
    targets = pd.read_csv(data_dir / "processed" / "targets.csv", dtype=str, keep_default_na=False)
    assert list(targets["reading"]) == ["kind_inferred"] and list(targets["quote_status"]) == [""]
