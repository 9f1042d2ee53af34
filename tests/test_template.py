"""The template: a workbook (or CSV files) with the observation and target columns, the valid
ids, and one example row that cannot be imported by mistake."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from indicators.cli import main
from indicators.data.tables import TABLES
from indicators.intake.rows import EXAMPLE_NOTE
from indicators.intake.template import write_template


@pytest.fixture
def workbook(data_dir, tmp_path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(write_template(tmp_path / "template.xlsx", data_dir=data_dir))


def _header(sheet) -> list[str]:
    return [c.value for c in sheet[1] if c.value is not None]


def test_the_workbook_has_a_sheet_per_importable_table_and_the_reference_sheets(workbook):
    assert workbook.sheetnames == ["README", "observations", "targets", "indicators", "regions", "valid_ids"]
    assert _header(workbook["observations"]) == [*TABLES["observations"].columns, "year"]
    assert _header(workbook["targets"]) == TABLES["targets"].columns


def test_the_example_row_shows_a_figure_as_typed_and_is_marked(workbook):
    sheet = workbook["observations"]
    example = dict(zip(_header(sheet), [c.value for c in sheet[2]], strict=False))
    assert (example["indicator_id"], example["period"], example["value"]) == ("gdp", "2023年前三季度", "3,650.31")
    assert example["note"] == EXAMPLE_NOTE
    assert sheet.max_row == 2 or all(c.value is None for row in sheet.iter_rows(min_row=3) for c in row)


def test_the_valid_ids_sheet_lists_indicators_regions_units_and_allowed_values(workbook):
    rows = list(workbook["valid_ids"].values)
    ids = pd.DataFrame(rows[1:], columns=rows[0])
    listed = ids.groupby("list")["id"].apply(set)
    assert listed["indicator_id"] == {"gdp", "high_tech_enterprises"}
    assert listed["region_id"] == {"china", "shandong", "qingdao", "wcna"}
    assert {"亿元", "%", "家"} <= listed["unit"]
    assert listed["measure"] == set(TABLES["observations"].fields[3].allowed)


def test_every_header_says_what_the_column_holds(workbook):
    sheet = workbook["observations"]
    comments = {c.value: c.comment.text for c in sheet[1] if c.value}
    assert "约56.7" in comments["value"] and "超过99%" in comments["value"]
    assert "2023年前三季度" in comments["period"]
    assert "one of: reported, preliminary, estimate" in comments["status"]


def test_the_columns_with_fixed_values_offer_them_in_a_drop_down(workbook):
    sheet = workbook["observations"]
    header = _header(sheet)
    by_column = {}
    for validation in sheet.data_validations.dataValidation:
        first = str(validation.sqref).split(":")[0]  # e.g. D2
        by_column[header[sheet[first].column - 1]] = validation.formula1
    assert by_column["measure"].startswith('"level,yoy_growth')
    assert by_column["indicator_id"].startswith("valid_ids!$B$")


def test_the_csv_variant_is_the_same_tables_as_files(data_dir, tmp_path, capsys):
    code = main(["--data-dir", str(data_dir), "template", "--format", "csv", "--out", str(tmp_path / "tpl")])
    assert code == 0 and "wrote the template" in capsys.readouterr().out
    files = sorted(p.name for p in (tmp_path / "tpl").iterdir())
    assert files == ["README.txt", "indicators.csv", "observations.csv", "regions.csv", "targets.csv", "valid_ids.csv"]
    raw = (tmp_path / "tpl" / "observations.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs to read UTF-8
    obs = pd.read_csv(tmp_path / "tpl" / "observations.csv", encoding="utf-8-sig", dtype=str)
    assert obs["note"].tolist() == [EXAMPLE_NOTE]


def test_writing_the_template_again_replaces_it(data_dir, tmp_path):
    path = write_template(tmp_path / "out" / "t.xlsx", data_dir=data_dir)
    path.write_bytes(b"not a workbook")
    write_template(path, data_dir=data_dir)
    assert openpyxl.load_workbook(path).sheetnames[0] == "README"
    assert [p.name for p in path.parent.iterdir()] == ["t.xlsx"]  # no temporary left behind
