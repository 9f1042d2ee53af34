"""The export: the processed table with its metadata for colleagues who work in Excel."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

import indicators
from indicators.cli import main
from indicators.intake.export import SHEETS, export_data


@pytest.fixture
def exported(data_dir, tmp_path) -> dict[str, pd.DataFrame]:
    path = export_data("xlsx", out=tmp_path / "table.xlsx", data_dir=data_dir).path
    return pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False)


def test_the_workbook_holds_the_tables_and_the_metadata(exported):
    assert list(exported) == list(SHEETS)
    obs = exported["observations"]
    assert len(obs) == 8 and {"value_text", "published", "vintage", "source_title", "formula"} <= set(obs.columns)
    assert set(exported["sources"]["source_id"]) == {"bulletin_2022", "daily_2024"}
    assert "亿元" in set(exported["units"]["unit"])


def test_the_metadata_gives_the_data_version_and_every_derivation_with_its_formula(exported, data_dir):
    about = exported["about"].set_index("key")["value"]
    assert about["data_version"] == indicators.data_version(data_dir / "raw")
    assert about["rows: observations"] == "8"
    derivations = exported["derivations"].set_index("period")
    assert derivations.loc["2024Q2", "formula"] == "level(2024H1) - level(2024Q1) = 2,500 亿元 - 119.65 billion yuan"
    assert len(derivations) == 3


def test_figures_keep_the_text_they_were_reported_with(exported):
    obs = exported["observations"].set_index(["period", "measure"])
    assert obs.loc[("2022", "level"), "value_text"] == "4691.85"
    assert obs.loc[("2022", "level"), "published"] == "2023-04"


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_csv_and_parquet_are_a_folder_with_one_file_per_sheet(fmt, data_dir, tmp_path, capsys):
    code = main(["--data-dir", str(data_dir), "export", "--format", fmt, "--out", str(tmp_path / "out")])
    assert code == 0 and f"as {fmt} to" in capsys.readouterr().out
    assert sorted(p.stem for p in (tmp_path / "out").iterdir()) == sorted(SHEETS)
    if fmt == "csv":
        assert (tmp_path / "out" / "observations.csv").read_bytes().startswith(b"\xef\xbb\xbf")
        obs = pd.read_csv(tmp_path / "out" / "observations.csv", encoding="utf-8-sig")
    else:
        obs = pd.read_parquet(tmp_path / "out" / "observations.parquet")
    assert len(obs) == 8


def test_the_default_name_carries_the_data_version(data_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = export_data(data_dir=data_dir)
    assert result.path == tmp_path.joinpath("exports", f"indicators_{result.data_version}.xlsx").relative_to(tmp_path)
    assert openpyxl.load_workbook(tmp_path / result.path).sheetnames[0] == "about"


def test_a_failure_while_writing_leaves_the_previous_export_as_it_was(data_dir, tmp_path, monkeypatch):
    path = export_data("xlsx", out=tmp_path / "exports" / "table.xlsx", data_dir=data_dir).path
    before = path.read_bytes()

    def boom(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_excel", boom)
    with pytest.raises(OSError, match="disk full"):
        export_data("xlsx", out=path, data_dir=data_dir)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == ["table.xlsx"]  # no temporary left behind


def test_an_unknown_format_names_the_choices(data_dir):
    with pytest.raises(indicators.ParameterError, match="xlsx, csv, parquet"):
        export_data("ods", data_dir=data_dir)
