"""Importing a workbook or CSV file: validated with the raw tables' schema, added as a new batch,
all or nothing, never editing existing rows, and never twice."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import indicators
from indicators.cli import main
from indicators.data.catalog import get_source
from indicators.errors import ImportRejectedError, LockError
from indicators.intake.export import export_data
from indicators.intake.importer import import_files
from indicators.intake.raw_batches import import_lock
from indicators.intake.template import write_template

from .conftest import FIXTURES, snapshot

IMPORTS = FIXTURES / "import"
NEW_SOURCE = {
    "source_id": "qdrb_2023_11_20",
    "title": "西海岸新区前三季度经济运行情况",
    "publisher": "青岛日报",
    "date_published": "2023年11月20日",
    "reliability": "official",
    "address": "https://example.org/qdrb/2023-11-20.html",
}

# case -> (spreadsheet row, column, words the message or fix must contain)
BAD_ROWS = {
    "bad_value": (3, "value", "not a figure"),
    "period_without_year": (3, "period", "`year` column"),
    "unknown_indicator": (3, "indicator_id", "indicators"),
    "unknown_region": (3, "region_id", "regions"),
    "unknown_unit": (3, "unit", "units"),
    "bad_measure": (3, "measure", "one of: level"),
    "qualifier_disagrees": (3, "value", "qualifier column"),
    "unit_disagrees": (3, "value", "unit column"),
    "missing_quote": (3, "quote", "empty"),
    "implausible_share": (3, "value", "implausible"),
    "bad_published": (3, "published", "not a date"),
    "duplicate_rows": (3, "indicator_id,region_id,period", "duplicate"),
    "changes_an_existing_row": (3, "value", "never edited"),
    "example_row": (2, None, "example row"),
    "unknown_column": (1, "comment", "not a column"),
    "unknown_reading": (3, "reading", "period_inferred"),
}


@pytest.fixture
def built(data_dir: Path) -> Path:
    """The minimal table, built, so that a refused import can be shown to change nothing."""
    indicators.build(data_dir)
    return data_dir


def _observations(data_dir: Path, **filters) -> pd.DataFrame:
    return indicators.load_observations(include_derived=False, data_dir=data_dir, **filters)


@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_every_kind_of_bad_row_is_refused_naming_where_and_nothing_changes(case, built):
    raw, processed = snapshot(built / "raw"), snapshot(built / "processed")
    with pytest.raises(ImportRejectedError) as err:
        import_files(IMPORTS / f"{case}.csv", source=NEW_SOURCE, data_dir=built)
    row, column, words = BAD_ROWS[case]
    problems = [p for p in err.value.problems if p.file == f"{case}.csv" and p.row == row]
    assert problems, err.value
    problem = next((p for p in problems if column is None or (p.column or "").startswith(column)), None)
    assert problem is not None, err.value
    assert words in f"{problem.message} {problem.fix}"
    assert problem.fix
    assert f"{case}.csv, row {row}" in str(err.value) and "nothing was added to data/raw/" in str(err.value)
    assert snapshot(built / "raw") == raw
    assert snapshot(built / "processed") == processed


def test_the_bad_value_is_shown_as_typed(built):
    with pytest.raises(ImportRejectedError) as err:
        import_files(IMPORTS / "bad_value.csv", source=NEW_SOURCE, data_dir=built)
    assert [p.value for p in err.value.problems] == ["四千亿元"]


def test_both_duplicate_rows_are_named(built):
    with pytest.raises(ImportRejectedError) as err:
        import_files(IMPORTS / "duplicate_rows.csv", source=NEW_SOURCE, data_dir=built)
    assert {p.row for p in err.value.problems} == {2, 3}


def test_rows_without_a_source_need_one(built):
    with pytest.raises(ImportRejectedError) as err:
        import_files(IMPORTS / "figures_as_typed.csv", data_dir=built)
    assert {(p.row, p.column) for p in err.value.problems} == {
        (2, "source_id"),
        (3, "source_id"),
        (4, "source_id"),
        (5, "source_id"),
    }
    assert "--source" in err.value.problems[0].fix


def test_an_unknown_source_id_is_refused_with_the_fix(built):
    with pytest.raises(ImportRejectedError, match="unknown source") as err:
        import_files(IMPORTS / "figures_as_typed.csv", source="qdrb", data_dir=built)
    assert "--title" in err.value.problems[0].fix


def test_a_new_source_with_a_bad_field_is_named_by_its_option(built):
    with pytest.raises(ImportRejectedError) as err:
        import_files(IMPORTS / "figures_as_typed.csv", source={**NEW_SOURCE, "reliability": "blog"}, data_dir=built)
    assert [(p.file, p.column) for p in err.value.problems] == [("--source", "--reliability")]


def test_figures_typed_as_economists_type_them_are_imported_as_a_new_batch(built):
    result = import_files(IMPORTS / "figures_as_typed.csv", source=NEW_SOURCE, data_dir=built)
    assert result.added == {"sources": 1, "observations": 4}
    folder = built / "raw" / "batches" / result.batch_id
    assert sorted(p.name for p in folder.iterdir()) == ["batch.json", "observations.csv", "sources.csv"]
    manifest = json.loads((folder / "batch.json").read_text(encoding="utf-8"))
    assert manifest["files"] == ["figures_as_typed.csv"] and manifest["source_id"] == "qdrb_2023_11_20"
    obs = _observations(built, as_of="2023-11-30").set_index("period")
    assert obs.loc["2023Q1-Q3", ["value", "qualifier", "unit"]].tolist() == [3650.31, "exact", "亿元"]
    assert obs.loc["2023M01-M10", ["value", "qualifier", "unit"]].tolist() == [5.9, "about", "%"]
    assert obs.loc["2023", ["value", "qualifier"]].tolist() == [5000, "more_than"]
    assert set(obs.loc[["2023Q1-Q3", "2023"], "batch"]) == {result.batch_id}
    assert obs.loc["2023", "raw_file"] == f"batches/{result.batch_id}/observations.csv"
    assert obs.loc["2023", "raw_line"] == 5
    assert obs.loc["2023", "published"] == "2023-11-20"
    source = get_source("qdrb_2023_11_20", data_dir=built)
    assert (source["date_published"], source["address"]) == ("2023-11-20", "example.org/qdrb/2023-11-20.html")
    assert source["scheme"] == "https"  # the address was typed with its scheme: recorded, not dropped


def test_existing_rows_are_never_edited_and_the_data_version_changes(built):
    before = {name: (built / "raw" / f"{name}.csv").read_bytes() for name in ("observations", "sources")}
    version = indicators.data_version(built / "raw")
    import_files(IMPORTS / "figures_as_typed.csv", source=NEW_SOURCE, data_dir=built)
    assert {name: (built / "raw" / f"{name}.csv").read_bytes() for name in before} == before
    assert indicators.data_version(built / "raw") != version


def test_importing_the_same_file_twice_adds_nothing_the_second_time_and_says_so(built, capsys):
    first = import_files(IMPORTS / "figures_as_typed.csv", source=NEW_SOURCE, data_dir=built)
    raw = snapshot(built / "raw")
    again = ["import", str(IMPORTS / "figures_as_typed.csv"), "--source", "qdrb_2023_11_20"]
    code = main(["--data-dir", str(built), *again])
    out = capsys.readouterr().out
    assert code == 0
    assert f"was imported before as batch {first.batch_id}; nothing added" in out
    assert snapshot(built / "raw") == raw


def test_rows_already_in_the_table_are_left_out_of_a_new_batch(built):
    import_files(IMPORTS / "figures_as_typed.csv", source=NEW_SOURCE, data_dir=built)
    extended = built / "more_observations.csv"
    lines = (IMPORTS / "figures_as_typed.csv").read_text(encoding="utf-8").splitlines()
    lines.append("gdp,wcna,2023年一季度,level,,1105.96,亿元,current,,reported,,一季度实现1105.96亿元,,,")
    extended.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_files(extended, source="qdrb_2023_11_20", data_dir=built)
    assert result.added == {"observations": 1}
    assert result.already_present == {"observations": 4}


def test_readings_are_imported_and_a_file_without_them_gets_the_defaults(built):
    plain = import_files(IMPORTS / "figures_as_typed.csv", source=NEW_SOURCE, data_dir=built)
    batch = pd.read_csv(
        built / "raw" / "batches" / plain.batch_id / "observations.csv", dtype=str, keep_default_na=False
    )
    assert set(batch["reading"]) == {""} and set(batch["quote_status"]) == {""}  # as printed, verbatim
    flagged = built / "flagged.csv"
    flagged.write_text(
        "indicator_id,region_id,period,measure,value,unit,price_basis,status,source_id,quote,note,reading,quote_status\n"
        "gdp,wcna,2023年一季度,level,1105.96,亿元,current,reported,qdrb_2023_11_20,1105.96亿元,"
        "the year is not printed,period_inferred;scope_assumed,summary\n",
        encoding="utf-8",
    )
    import_files(flagged, data_dir=built)
    obs = _observations(built, region="wcna", measure="level").set_index("period")
    assert obs.loc["2023Q1", ["reading", "quote_status"]].tolist() == ["period_inferred;scope_assumed", "summary"]
    assert obs.loc["2023Q1-Q3", ["reading", "quote_status"]].tolist() == ["", ""]


def test_a_revised_figure_is_imported_as_a_new_vintage(built):
    revision = built / "revision.csv"
    revision.write_text(
        "indicator_id,region_id,period,measure,value,unit,price_basis,status,source_id,quote,published\n"
        'gdp,wcna,2022年,level,"4,700.2",亿元,current,reported,bulletin_2022,修订为4700.2亿元,2024年1月15日\n',
        encoding="utf-8",
    )
    result = import_files(revision, data_dir=built)
    assert result.added == {"observations": 1}
    obs = _observations(built, region="wcna", measure="level")
    assert obs[obs["period"] == "2022"].set_index("vintage")["value"].to_dict() == {1: 4691.85, 2: 4700.2}
    assert indicators.load_table("checks", data_dir=built)["kind"].tolist() == ["revision"]


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def new_indicator_xlsx(tmp_path: Path) -> Path:
    """A workbook declaring a new indicator and a new region, with figures for both."""
    obs_header = ["indicator_id", "region_id", "period", "measure", "value", "unit", "status", "quote"]
    return _workbook(
        tmp_path / "new_indicator.xlsx",
        {
            "indicators": [
                ["indicator_id", "name_zh", "name_en", "unit", "category", "kind", "direction", "description"],
                [
                    "new_enterprises",
                    "新增市场主体",
                    "New market entities",
                    "家",
                    "industry",
                    "count",
                    "higher",
                    "Market entities registered in the period",
                ],
            ],
            "regions": [
                ["region_id", "name_zh", "name_en", "level", "parent_id", "scope", "note"],
                ["lingshan_bay", "灵山湾影视文化产业区", "Lingshan Bay", "zone", "wcna", "", ""],
            ],
            "observations": [
                obs_header,
                ["new_enterprises", "lingshan_bay", "2023年", "level", 1200, "家", "reported", "新增市场主体1200家"],
                ["new_enterprises", "wcna", "2023年", "level", "超过3万", None, "reported", "新增市场主体超过3万家"],
            ],
            "notes": [["anything"], ["is ignored"]],
        },
    )


def test_a_new_indicator_and_region_can_be_declared_in_the_same_workbook(built, new_indicator_xlsx):
    with pytest.raises(ImportRejectedError) as err:  # 超过3万: 万 is not a unit of the catalog
        import_files(new_indicator_xlsx, source=NEW_SOURCE, data_dir=built)
    (problem,) = err.value.problems
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "new_indicator.xlsx:observations",
        3,
        "unit",
        "超过3万",
    )
    assert "new_indicator.xlsx:observations, row 3, column 'unit'" in str(err.value)
    book = openpyxl.load_workbook(new_indicator_xlsx)
    book["observations"]["E3"] = "超过30,000家"
    book.save(new_indicator_xlsx)
    result = import_files(new_indicator_xlsx, source=NEW_SOURCE, data_dir=built)
    assert result.added == {"sources": 1, "regions": 1, "indicators": 1, "observations": 2}
    assert result.ignored == ("new_indicator.xlsx:notes",)
    assert indicators.get_region("lingshan_bay", data_dir=built).parent_id == "wcna"
    obs = _observations(built, indicator="new_enterprises").set_index("region_id")
    assert obs.loc["wcna", ["value", "qualifier", "unit"]].tolist() == [30000, "more_than", "家"]
    assert obs.loc["lingshan_bay", "value"] == 1200


def test_every_problem_is_listed_not_just_the_first(built, tmp_path):
    header = ["indicator_id", "region_id", "period", "measure", "value", "unit", "price_basis", "status", "quote"]
    path = _workbook(
        tmp_path / "filled.xlsx",
        {
            "observations": [
                header,
                ["gdp", "wcna", "2023年前三季度", "level", "3,650.31", "亿元", "current", "reported", "q"],
                ["gdp", "wcna", "1-10月", "yoy_growth", "约5.9%", None, "comparable", "reported", "q"],
                ["gdp", "wcna", "2023年上半年", "level", "2,379.41", "亿元", "current", "final", "q"],
                ["gdp", "wcna", "2023年", "level", "超过3万", None, "current", "reported", "q"],
            ]
        },
    )
    with pytest.raises(ImportRejectedError) as err:
        import_files(path, source="daily_2024", data_dir=built)
    found = [(p.file, p.row, p.column) for p in err.value.problems]
    assert found == [
        ("filled.xlsx:observations", 3, "period"),  # found reading the cells
        ("filled.xlsx:observations", 4, "status"),  # found by the schema
        ("filled.xlsx:observations", 5, "unit"),
    ]


def test_number_cells_are_read_with_the_decimals_and_percent_their_format_shows(built, tmp_path):
    header = ["indicator_id", "region_id", "period", "measure", "value", "price_basis", "status", "quote"]
    path = _workbook(
        tmp_path / "formats.xlsx",
        {
            "observations": [
                header,
                ["gdp", "wcna", "2023年一季度", "yoy_growth", 0.058, "comparable", "reported", "增长5.8%"],
                ["gdp", "wcna", "2023年上半年", "yoy_growth", 0.06, "comparable", "reported", "增长6.0%"],
            ]
        },
    )
    book = openpyxl.load_workbook(path)
    book["observations"]["E2"].number_format = "0%"  # shows 6%: the value is read as stored, 5.8
    book["observations"]["E3"].number_format = "0.0%"  # shows 6.0%: the typed decimal is kept
    book.save(path)
    import_files(path, source="daily_2024", data_dir=built)
    obs = _observations(built, measure="yoy_growth").set_index("period")
    assert obs.loc[["2023Q1", "2023H1"], "value_text"].tolist() == ["5.8", "6.0"]
    assert set(obs.loc[["2023Q1", "2023H1"], "unit"]) == {"%"}


def test_a_target_typed_with_its_comparator_is_read(built, tmp_path):
    header = ["target_id", "plan_id", "indicator_id", "region_id", "target_value", "unit", "deadline", "form", "quote"]
    path = _workbook(
        tmp_path / "targets.xlsx",
        {
            "targets": [
                header,
                [
                    "high_tech_2024",
                    "green_2023_2025",
                    "high_tech_enterprises",
                    "wcna",
                    "不少于1,300家",
                    None,
                    "2024年12月31日",
                    "level",
                    "2024年高新技术企业不少于1300家",
                ],
            ]
        },
    )
    assert import_files(path, source="daily_2024", data_dir=built).added == {"targets": 1}
    target = indicators.load_targets("green_2023_2025", data_dir=built).set_index("target_id").loc["high_tech_2024"]
    assert (target["comparator"], target["target_value"], target["unit"], target["deadline"]) == (
        "at_least",
        1300,
        "家",
        "2024-12-31",
    )


def test_a_gb18030_csv_from_a_chinese_excel_is_read(built, tmp_path):
    path = tmp_path / "observations.csv"
    path.write_bytes((IMPORTS / "figures_as_typed.csv").read_text(encoding="utf-8").encode("gb18030"))
    assert import_files(path, source=NEW_SOURCE, data_dir=built).added["observations"] == 4


def test_a_dry_run_validates_and_writes_nothing(built):
    raw = snapshot(built / "raw")
    result = import_files(IMPORTS / "figures_as_typed.csv", source=NEW_SOURCE, dry_run=True, data_dir=built)
    assert result.added == {"sources": 1, "observations": 4} and "dry run" in result.describe()
    assert snapshot(built / "raw") == raw


def test_a_hand_edited_batch_is_validated_with_its_file_and_line(built):
    result = import_files(IMPORTS / "figures_as_typed.csv", source=NEW_SOURCE, data_dir=built)
    path = built / "raw" / "batches" / result.batch_id / "observations.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2023M01-M10", "2023M01-M13"), encoding="utf-8")
    with pytest.raises(indicators.DataValidationError) as err:
        indicators.build(built)
    (problem,) = err.value.problems
    assert (problem.file, problem.row, problem.column) == (f"batches/{result.batch_id}/observations.csv", 4, "period")


def test_a_second_import_at_the_same_time_gets_a_clear_error(built):
    with import_lock(built / "raw"), pytest.raises(LockError, match="another `indicators import`"):
        import_files(IMPORTS / "figures_as_typed.csv", source=NEW_SOURCE, data_dir=built)


def test_round_trip_template_filled_imported_built_exported_reimported(built, tmp_path, capsys):
    template = write_template(tmp_path / "template.xlsx", data_dir=built)
    book = openpyxl.load_workbook(template)
    sheet = book["observations"]
    header = [c.value for c in sheet[1]]
    filled = [
        # overwrites the example row (row 2), as the README sheet says
        {
            "indicator_id": "gdp",
            "region_id": "wcna",
            "period": "2023年前三季度",
            "measure": "level",
            "value": "3,650.31",
            "unit": "亿元",
            "price_basis": "current",
            "status": "reported",
            "quote": "前三季度实现地区生产总值3650.31亿元",
        },
        {
            "indicator_id": "gdp",
            "region_id": "wcna",
            "period": "1-10月",
            "measure": "yoy_growth",
            "value": "约5.9%",
            "price_basis": "comparable",
            "status": "reported",
            "quote": "增长5.9%左右",
            "year": 2023,
        },
        {
            "indicator_id": "gdp",
            "region_id": "wcna",
            "period": "2023年前三季度",
            "measure": "share",
            "ref_region_id": "qingdao",
            "value": "31%",
            "status": "reported",
            "quote": "占全市31%",
        },
    ]
    for r, row in enumerate(filled, start=2):
        for c, name in enumerate(header, start=1):
            sheet.cell(row=r, column=c).value = row.get(name)
    book.save(tmp_path / "filled_template.xlsx")

    code = main(
        [
            "--data-dir",
            str(built),
            "import",
            str(tmp_path / "filled_template.xlsx"),
            "--source",
            "qdrb_2023_11_20",
            "--title",
            NEW_SOURCE["title"],
            "--publisher",
            NEW_SOURCE["publisher"],
            "--published",
            "2023-11-20",
            "--reliability",
            "official",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0 and "added 3 observations, 1 sources as batch" in out, err
    indicators.build(built)
    obs = _observations(built, measure=["level", "share", "yoy_growth"])
    assert {"2023Q1-Q3", "2023M01-M10"} <= set(obs["period"])

    exported = export_data("xlsx", out=tmp_path / "export.xlsx", data_dir=built).path
    raw = snapshot(built / "raw")
    again = import_files(exported, data_dir=built)
    assert again.n_added == 0 and again.batch_id is None
    assert again.already_present["observations"] == len(obs)
    assert again.derived_skipped == len(indicators.load_observations(data_dir=built)) - len(obs)
    assert "nothing added, every row is already in data/raw/" in again.describe()
    assert snapshot(built / "raw") == raw


def test_import_refused_on_the_command_line_exits_1_listing_the_rows(built, capsys):
    code = main(["--data-dir", str(built), "import", str(IMPORTS / "bad_value.csv"), "--source", "daily_2024"])
    _, err = capsys.readouterr()
    assert code == 1
    assert "bad_value.csv, row 3, column 'value': not a figure" in err
    assert "nothing was added to data/raw/" in err


def test_a_new_source_needs_its_id_on_the_command_line(built, capsys):
    code = main(["--data-dir", str(built), "import", str(IMPORTS / "figures_as_typed.csv"), "--title", "x"])
    assert code == 2 and "pass --source ID" in capsys.readouterr().err
