"""Derived figures: what follows arithmetically from published ones, marked with formula and inputs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from numpy.testing import assert_allclose

import indicators


def _append(data_dir: Path, table: str, *lines: str) -> None:
    with open(data_dir / "raw" / f"{table}.csv", "a", encoding="utf-8") as f:
        for line in lines:
            f.write(line + "\n")


def _derived(data_dir: Path) -> pd.DataFrame:
    obs = indicators.load_observations(data_dir=data_dir)
    return obs[obs["status"] == "derived"].set_index(["region_id", "period"])


def test_prior_year_level_from_a_level_and_its_growth(data_dir):
    row = _derived(data_dir).loc[("wcna", "2021")]
    # 4691.85 / 1.048 = 4476.96, at the four significant figures of the factor 1.048
    assert row["value_text"] == "4477"
    assert_allclose(row["value"], 4477)
    assert row["unit"] == "亿元"
    assert row["price_basis"] == "comparable"  # the growth was at comparable prices
    assert "not the nominal 2021 level" in row["note"]
    assert "4,691.85 / (1 + 4.8/100)" in row["formula"]
    assert len(row["inputs"].split(";")) == 2
    assert row["source_title"].startswith("青岛西海岸新区2022年")


def test_a_published_level_wins_over_a_derived_one(data_dir):
    _append(
        data_dir,
        "observations",
        "gdp,wcna,2021,level,,4368.5,亿元,current,exact,reported,bulletin_2022,fixture 2021,",
    )
    derived = _derived(data_dir)
    assert ("wcna", "2021") not in derived.index


def test_single_quarter_from_two_year_to_date_levels(data_dir):
    row = _derived(data_dir).loc[("wcna", "2024Q2")]
    # H1 2500 亿元 minus Q1 119.65 billion yuan (= 1196.5 亿元), in the catalog unit, at the
    # decimals of the less precise input (2500: none): 1303.5 rounds half up to 1304
    assert row["value_text"] == "1304"
    assert_allclose(row["value"], 1304)
    assert row["unit"] == "亿元"
    assert row["formula"] == "level(2024H1) - level(2024Q1) = 2,500 亿元 - 119.65 billion yuan"


def test_no_single_quarter_from_levels_of_a_stock(data_dir):
    _append(
        data_dir,
        "observations",
        "high_tech_enterprises,wcna,2024Q1,level,,900,家,,exact,reported,daily_2024,fixture,",
        "high_tech_enterprises,wcna,2024H1,level,,950,家,,exact,reported,daily_2024,fixture,",
    )
    derived = _derived(data_dir)
    assert not (derived["indicator_id"] == "high_tech_enterprises").any()


def test_parent_level_from_a_level_and_its_share(data_dir):
    row = _derived(data_dir).loc[("qingdao", "2024Q1")]
    # 1196.5 / 0.3196 = 3743.74, shown at the four significant figures of 31.96%
    assert row["value_text"] == "3744"
    assert_allclose(row["value"], 3744)
    # 119.65 and 31.96 are rounded (±0.005 each): the note gives the range that allows
    assert "allows 3,743.00 to 3,744.48 亿元" in row["note"]


def test_real_growth_against_nominal_levels_gives_the_implied_deflator_not_a_mismatch(data_dir):
    _append(
        data_dir,
        "observations",
        "gdp,wcna,2023,level,,5003.38,亿元,current,exact,reported,daily_2024,fixture 2023,",
        "gdp,wcna,2023,yoy_growth,,6.0,%,comparable,exact,reported,daily_2024,fixture 6.0%,",
    )
    indicators.build(data_dir)
    checks = indicators.load_table("checks", data_dir=data_dir)
    assert not (checks["kind"] == "growth_mismatch").any()
    deflator = checks[checks["kind"] == "implied_deflator"]
    assert len(deflator) == 1
    # nominal 5003.38 / 4691.85 - 1 = 6.64%; real 6.0%: deflator 1.0664 / 1.060 - 1 = +0.6%
    assert "nominal growth 6.6%" in deflator.iloc[0]["message"]
    assert "implied deflator +0.6%" in deflator.iloc[0]["message"]
    growth = indicators.load_observations("gdp", "wcna", measure="yoy_growth", data_dir=data_dir)
    assert sorted(growth["value"]) == [4.8, 6.0]  # the published rates, untouched


def test_nominal_growth_that_disagrees_with_nominal_levels_is_a_mismatch_and_kept(data_dir):
    _append(
        data_dir,
        "observations",
        "gdp,wcna,2023,level,,5003.38,亿元,current,exact,reported,daily_2024,fixture 2023,",
        "gdp,wcna,2023,yoy_growth,,9.0,%,current,exact,reported,daily_2024,fixture 9.0%,",
    )
    indicators.build(data_dir)
    checks = indicators.load_table("checks", data_dir=data_dir)
    mismatch = checks[checks["kind"] == "growth_mismatch"]
    assert len(mismatch) == 1
    assert "published 9.0% (daily_2024) vs 6.64% recomputed" in mismatch.iloc[0]["message"]
    growth = indicators.load_observations("gdp", "wcna", measure="yoy_growth", data_dir=data_dir)
    assert sorted(growth["value"]) == [4.8, 9.0]


def test_two_sources_that_disagree_on_the_same_day_both_stay_and_are_a_conflict(data_dir):
    # bulletin_2022 is dated 2023-04; a second source of that month gives another 2022 GDP
    _append(
        data_dir,
        "sources",
        "other_2023_04,Fixture other paper,Other paper,2023-04,,2026-11-22,secondary,zh,fixture",
    )
    _append(
        data_dir,
        "observations",
        "gdp,wcna,2022,level,,4650,亿元,current,exact,reported,other_2023_04,fixture conflicting,",
    )
    indicators.build(data_dir)
    levels = indicators.load_observations("gdp", "wcna", measure="level", include_derived=False, data_dir=data_dir)
    assert len(levels[levels["period"] == "2022"]) == 2
    assert set(levels[levels["period"] == "2022"]["vintage"]) == {1}  # one vintage, two rows
    checks = indicators.load_table("checks", data_dir=data_dir)
    assert checks["kind"].tolist() == ["conflict"]


def test_a_later_figure_that_differs_is_a_revision_not_a_conflict(data_dir):
    # daily_2024 (2024-05-11) gives the 2022 GDP that bulletin_2022 (2023-04) gave: a later vintage
    _append(
        data_dir,
        "observations",
        "gdp,wcna,2022,level,,4650,亿元,current,exact,reported,daily_2024,fixture revised,",
    )
    indicators.build(data_dir)
    levels = indicators.load_observations("gdp", "wcna", measure="level", include_derived=False, data_dir=data_dir)
    both = levels[levels["period"] == "2022"].set_index("source_id")
    assert both["vintage"].to_dict() == {"bulletin_2022": 1, "daily_2024": 2}
    checks = indicators.load_table("checks", data_dir=data_dir)
    assert checks["kind"].tolist() == ["revision"]


def test_a_preliminary_figure_that_differs_is_a_revision(data_dir):
    _append(
        data_dir,
        "observations",
        "gdp,wcna,2022,level,,4600,亿元,current,exact,preliminary,daily_2024,fixture preliminary,",
    )
    indicators.build(data_dir)
    assert indicators.load_table("checks", data_dir=data_dir)["kind"].tolist() == ["revision"]


def test_agreement_within_rounding_is_not_a_conflict(data_dir):
    _append(
        data_dir,
        "observations",
        "gdp,wcna,2022,level,,469.185,billion yuan,current,exact,reported,daily_2024,fixture same,",
    )
    indicators.build(data_dir)
    assert indicators.load_table("checks", data_dir=data_dir).empty


@pytest.mark.parametrize("share", ["31.96", "32"])
def test_derived_parent_disagreeing_with_a_published_one_is_reported(data_dir, share):
    _append(
        data_dir,
        "observations",
        "gdp,qingdao,2024Q1,level,,3500,亿元,current,exact,reported,daily_2024,fixture published parent,",
    )
    if share != "31.96":
        path = data_dir / "raw" / "observations.csv"
        path.write_text(path.read_text(encoding="utf-8").replace(",31.96,", f",{share},"), encoding="utf-8")
    indicators.build(data_dir)
    checks = indicators.load_table("checks", data_dir=data_dir)
    assert checks["kind"].tolist() == ["derived_mismatch"]
    assert ("qingdao", "2024Q1") not in _derived(data_dir).index


def test_a_parent_level_from_a_nearly_figure_is_nearly_and_as_precise_as_its_inputs(data_dir):
    _append(
        data_dir,
        "observations",
        "gdp,wcna,2020,level,,2000,亿元,current,nearly,reported,daily_2024,近2000亿元,",
        "gdp,wcna,2020,share,qingdao,40.4,%,,exact,reported,daily_2024,占全市40.4%,",
    )
    row = _derived(data_dir).loc[("qingdao", "2020")]
    # 近2000 / 40.4% = 4950.5, never "约4,950.49": one significant figure, and still "nearly"
    assert (row["value_text"], row["qualifier"]) == ("5000", "nearly")


def test_a_parent_level_from_a_share_of_more_than_99_percent_is_an_upper_bound(data_dir):
    _append(
        data_dir,
        "observations",
        "gdp,wcna,2020,level,,56.7,亿元,current,about,reported,daily_2024,约56.7亿元,",
        "gdp,wcna,2020,share,qingdao,99,%,,more_than,reported,daily_2024,超过99%,",
    )
    row = _derived(data_dir).loc[("qingdao", "2020")]
    assert (row["value_text"], row["qualifier"]) == ("57", "less_than")


def test_no_parent_level_where_the_bounds_point_opposite_ways(data_dir):
    _append(
        data_dir,
        "observations",
        "gdp,wcna,2020,level,,1700,亿元,current,more_than,reported,daily_2024,1700多亿元,",
        "gdp,wcna,2020,share,qingdao,30,%,,more_than,reported,daily_2024,超过三成,",
    )
    assert ("qingdao", "2020") not in _derived(data_dir).index
