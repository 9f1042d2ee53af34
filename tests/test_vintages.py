"""Vintages: a figure published again with another value is a revision, and ``as_of`` gives what
was known on a date — the latest vintage published by then, as ALFRED does for FRED."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

import indicators
from indicators.analysis.series import annual_series
from indicators.cli import main
from indicators.data.vintages import known_by

REVISION_DAY = "2019-06-25"  # chinadaily_2019_06_25 gives the final 2018 GDP


def _gdp_2018(shipped_data: Path, as_of: str | None) -> pd.DataFrame:
    obs = indicators.load_observations(
        "gdp", "wcna", measure="level", include_derived=False, as_of=as_of, data_dir=shipped_data
    )
    return obs[obs["period"] == "2018"]


def test_the_shipped_2018_gdp_preliminary_and_final_figures_are_two_vintages(shipped_data):
    both = _gdp_2018(shipped_data, None).set_index("vintage").sort_index()
    assert both.index.tolist() == [1, 2, 3]
    assert (both.at[1, "value_text"], both.at[1, "unit"], both.at[1, "status"]) == ("3500", "亿元", "preliminary")
    assert (both.at[2, "value_text"], both.at[2, "unit"], both.at[2, "status"]) == ("351.7", "billion yuan", "reported")
    # a later copy (second figure list) repeats the final figure: a third vintage that confirms it
    assert (both.at[3, "value_text"], both.at[3, "source_id"]) == ("351.7", "zghcl_wcna_intro")
    assert both["published"].tolist() == ["2019-01-01", REVISION_DAY, "2020"]  # their sources' dates


@pytest.mark.parametrize(
    ("as_of", "values", "sources"),
    [
        ("2019-01-01", ["3500"], ["xihaian_drc_2018_plan_report"]),
        ("2019-06-24", ["3500"], ["xihaian_drc_2018_plan_report"]),  # the day before the revision
        (REVISION_DAY, ["351.7"], ["chinadaily_2019_06_25"]),  # the day it was published
        # the 2020 copy agrees, so it confirms the revised figure and both are kept
        ("2024-12-31", ["351.7", "351.7"], ["chinadaily_2019_06_25", "zghcl_wcna_intro"]),
    ],
)
def test_as_of_picks_the_vintage_known_on_either_side_of_the_revision(shipped_data, as_of, values, sources):
    known = _gdp_2018(shipped_data, as_of)
    assert known["value_text"].tolist() == values
    assert known["source_id"].tolist() == sources


def test_nothing_of_2018_was_known_before_its_first_publication(shipped_data):
    assert _gdp_2018(shipped_data, "2018-12-31").empty


def test_without_as_of_every_vintage_is_returned(shipped_data):
    assert len(_gdp_2018(shipped_data, None)) == 3
    growth = indicators.load_observations("gdp", "wcna", measure="yoy_growth", data_dir=shipped_data)
    assert sorted(growth[growth["period"] == "2018"]["value_text"]) == ["10", "10.9", "9.8"]


def test_the_annual_series_as_of_a_date_uses_the_vintage_then_known(shipped_data):
    before = annual_series("gdp", "wcna", as_of="2019-03-31", data_dir=shipped_data)
    after = annual_series("gdp", "wcna", as_of="2019-07-31", data_dir=shipped_data)
    assert before.values[2018] == pytest.approx(3500)
    assert after.values[2018] == pytest.approx(3517)
    reasons = after.excluded.set_index("source_id")["reason"]
    assert reasons["xihaian_drc_2018_plan_report"].startswith("revised: a later vintage (chinadaily_2019_06_25")


def test_a_later_publication_that_agrees_confirms_and_does_not_replace_the_earlier_figure(shipped_data):
    # 2022 GDP: the bulletin (2023-04, official repost) and an aggregator (2023, secondary) agree
    obs = indicators.load_observations("gdp", "wcna", measure="level", as_of="2024-01-31", data_dir=shipped_data)
    rows = obs[obs["period"] == "2022"]
    assert set(rows["source_id"]) == {"bulletin_wcna_2022", "aggregator_qingdao_district_ranking"}
    series = annual_series("gdp", "wcna", as_of="2024-01-31", data_dir=shipped_data)
    assert series.rows.set_index("year").at[2022, "source_id"] == "bulletin_wcna_2022"  # the more reliable


def _append(data_dir: Path, table: str, *lines: str) -> None:
    with open(data_dir / "raw" / f"{table}.csv", "a", encoding="utf-8") as f:
        f.writelines(line + "\n" for line in lines)


@pytest.fixture
def revised_high_tech_count(data_dir: Path) -> Path:
    """High-tech enterprises: 800 at the end of 2022; for 2023 a preliminary 1000 published
    2024-01-10, revised to 1100 on 2024-04-01 (the minimal table's 2025 target is 1500)."""
    _append(
        data_dir,
        "sources",
        "work_report_2024,Fixture work report,Fixture district government,2024-01-10,,2026-11-22,official,zh,fixture",
        "bulletin_2023,Fixture 2023 bulletin,Fixture statistics bureau,2024-04-01,,2026-11-22,official,zh,fixture",
    )
    _append(
        data_dir,
        "observations",
        "high_tech_enterprises,wcna,2022,level,,800,家,,exact,reported,bulletin_2022,高新技术企业800家,",
        "high_tech_enterprises,wcna,2023,level,,1000,家,,exact,preliminary,work_report_2024,预计达到1000家,",
        "high_tech_enterprises,wcna,2023,level,,1100,家,,exact,reported,bulletin_2023,高新技术企业1100家,",
    )
    return data_dir


@pytest.mark.parametrize(("as_of", "latest"), [("2024-02-01", 1000), ("2024-04-01", 1100)])
def test_the_target_gap_reproduces_what_was_known_at_the_time(revised_high_tech_count, as_of, latest):
    gap = indicators.target_gap("green_2023_2025", as_of=as_of, data_dir=revised_high_tech_count)
    row = gap.summary_frame().loc["high_tech_2025"]
    assert (row["latest_period"], row["latest_value"], row["baseline_value"]) == ("2023", latest, 800)


def test_partial_publication_dates_are_known_at_the_end_of_their_month_or_year():
    assert known_by("2023-04") == dt.date(2023, 4, 30)
    assert known_by("2024") == dt.date(2024, 12, 31)
    assert known_by("2019-06-25") == dt.date(2019, 6, 25)


def test_a_figure_dated_by_month_only_is_not_known_before_that_month_ends(data_dir):
    # bulletin_2022 is dated 2023-04
    def known(as_of: str) -> list[str]:
        obs = indicators.load_observations("gdp", "wcna", as_of=as_of, include_derived=False, data_dir=data_dir)
        return sorted(obs["period"] + " " + obs["measure"])

    assert known("2023-04-29") == []
    assert known("2023-04-30") == ["2022 level", "2022 yoy_growth"]


def test_a_row_can_carry_its_own_publication_date(data_dir):
    # a revised 2022 GDP from the same bulletin source, republished on a later date of its own
    path = data_dir / "raw" / "observations.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] += ",published"
    lines[1:] = [line + "," for line in lines[1:]]
    lines.append("gdp,wcna,2022,level,,4700.2,亿元,current,exact,reported,bulletin_2022,修订为4700.2亿元,,2024-01-15")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    indicators.build(data_dir)
    obs = indicators.load_observations("gdp", "wcna", measure="level", include_derived=False, data_dir=data_dir)
    rows = obs[obs["period"] == "2022"].set_index("vintage")
    assert rows["published"].to_dict() == {1: "2023-04", 2: "2024-01-15"}
    for as_of, value in (("2024-01-14", "4691.85"), ("2024-01-15", "4700.2")):
        known = indicators.load_observations("gdp", "wcna", measure="level", as_of=as_of, data_dir=data_dir)
        assert known[known["period"] == "2022"]["value_text"].tolist() == [value]
    checks = indicators.load_table("checks", data_dir=data_dir)
    assert checks["kind"].tolist() == ["revision"]
    assert "2024-01-15" in checks["message"].iloc[0]


def test_as_of_that_is_not_a_date_is_a_parameter_error(data_dir):
    with pytest.raises(indicators.ParameterError, match="as_of"):
        indicators.load_observations("gdp", as_of="last year", data_dir=data_dir)


def test_show_vintages_lists_each_figures_revision_history(capsys, shipped_data):
    args = ["show", "gdp", "--region", "wcna", "--measure", "level", "--vintages"]
    code = main(["--data-dir", str(shipped_data), *args])
    out = capsys.readouterr().out
    assert code == 0
    lines = [line.split() for line in out.splitlines() if line.split()[:2] == ["wcna", "2018"]]
    assert [w[4:] for w in lines] == [
        ["1", "2019-01-01", "3500", "亿元", "exact", "preliminary", "xihaian_drc_2018_plan_report"],
        ["2", REVISION_DAY, "351.7", "billion", "yuan", "exact", "reported", "chinadaily_2019_06_25", "revised"],
        ["3", "2020", "351.7", "billion", "yuan", "exact", "reported", "zghcl_wcna_intro", "confirmed"],
    ]
    assert "confirmed" in out  # 2022: the aggregator repeats the bulletin
