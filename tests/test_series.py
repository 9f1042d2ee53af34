"""Annual series and growth tables pair only figures that belong together: one vintage (a
superseded figure never stands beside a later one), current-price levels only (a volume at
another year's prices is never a level), and no growth "recomputed" from a level that was
itself derived from that growth."""

from __future__ import annotations

from pathlib import Path

import pytest
from numpy.testing import assert_allclose

import indicators
from indicators.analysis.series import annual_series, growth_table, is_comparable_volume
from indicators.reporting import OverviewReport, TrendReport


def _append(data_dir: Path, table: str, *lines: str) -> None:
    with open(data_dir / "raw" / f"{table}.csv", "a", encoding="utf-8") as f:
        f.writelines(line + "\n" for line in lines)


@pytest.fixture
def revised_growth(data_dir: Path) -> Path:
    """WCNA GDP: 2021 and 2022 levels; the 2022 growth published as 4.8% by the bulletin
    (2023-04, an official repost) and revised to 5.1% by a later, less reliable source
    (2024-06-30): the later vintage supersedes the earlier whatever the sources' ranks."""
    _append(
        data_dir,
        "sources",
        "history_2022,Fixture history,Fixture statistics bureau,2022-03-01,,2026-11-22,official,zh,fixture",
        "revision_2024,Fixture revision,Fixture statistics bureau,2024-06-30,,2026-11-22,official,zh,fixture",
    )
    _append(
        data_dir,
        "observations",
        "gdp,wcna,2021,level,,4400,亿元,current,exact,reported,history_2022,生产总值4400亿元,",
        "gdp,wcna,2022,yoy_growth,,5.1,%,comparable,exact,reported,revision_2024,比上年增长5.1%,",
    )
    return data_dir


def test_a_superseded_growth_rate_never_stands_beside_the_revised_figures(revised_growth):
    table = growth_table("gdp", "wcna", data_dir=revised_growth)
    assert (table.at[2022, "published"], table.at[2022, "source_id"]) == (5.1, "revision_2024")
    assert_allclose(table.at[2022, "recomputed"], (4691.85 / 4400 - 1) * 100)
    before = growth_table("gdp", "wcna", as_of="2024-01-31", data_dir=revised_growth)
    assert (before.at[2022, "published"], before.at[2022, "source_id"]) == (4.8, "bulletin_2022")


def test_the_2018_budget_revenue_pairs_the_revised_level_with_the_revised_growth(shipped_data):
    # 2018: 262.7 亿元 and +7.8% preliminary (2019-01-01); 26.27 billion yuan and +10.5% (2019-06-25)
    table = growth_table("budget_revenue", "wcna", data_dir=shipped_data)
    assert (table.at[2018, "published"], table.at[2018, "source_id"]) == (10.5, "chinadaily_2019_06_25")
    series = annual_series("budget_revenue", "wcna", data_dir=shipped_data).rows.set_index("year")
    assert (series.at[2018, "source_id"], series.at[2018, "status"]) == ("chinadaily_2019_06_25", "reported")
    # 2017 is known only as the district's preliminary 243.7 (预计): not a final figure, so growth
    # recomputed from it against 2018 stands beside the published rate only with that said
    assert series.at[2017, "status"] == "preliminary"
    assert table.at[2018, "recomputed_note"] == "preliminary level"
    # what was known before the revision: the preliminary pair, nothing else
    early = growth_table("budget_revenue", "wcna", as_of="2019-03-01", data_dir=shipped_data)
    assert (early.at[2018, "published"], early.at[2018, "source_id"]) == (7.8, "xihaian_drc_2018_plan_report")
    early_series = annual_series("budget_revenue", "wcna", as_of="2019-03-01", data_dir=shipped_data)
    assert early_series.rows.set_index("year").at[2018, "status"] == "preliminary"


@pytest.fixture
def volume_only(data_dir: Path) -> Path:
    """Qingdao's 2023 GDP level without a stated price basis and its comparable-price growth:
    the build derives 2022 as a volume at 2023 prices."""
    _append(
        data_dir,
        "sources",
        "qingdao_2024,Fixture Qingdao report,Fixture city bureau,2024-02-01,,2026-11-22,official,zh,fixture",
    )
    _append(
        data_dir,
        "observations",
        "gdp,qingdao,2023,level,,15760.34,亿元,,exact,reported,qingdao_2024,生产总值15760.34亿元,",
        "gdp,qingdao,2023,yoy_growth,,5.9,%,comparable,exact,reported,qingdao_2024,增长5.9%,",
    )
    return data_dir


def test_a_comparable_price_volume_is_never_a_level_of_the_series(volume_only):
    obs = indicators.load_observations("gdp", "qingdao", measure="level", data_dir=volume_only)
    volume = obs[is_comparable_volume(obs)]
    assert volume["period"].tolist() == ["2022"]
    # 15760.34 / 1.059 = 14882.3, shown at the four significant figures of the factor 1.059
    assert volume["value_text"].iloc[0] == "14880"
    series = annual_series("gdp", "qingdao", data_dir=volume_only)
    assert series.years == [2023]
    reason = series.excluded.set_index("period").at["2022", "reason"]
    assert reason.startswith("a volume at the next year's prices")


def test_shares_and_tables_of_levels_leave_comparable_price_volumes_out(shipped_data):
    # Qingdao's 2014 GDP exists only as a volume at 2015 prices (derived from the 2015 level and
    # +8.1%): no share of the West Coast New Area's 2014 current-price level is computed from it
    parent = OverviewReport(region="wcna", data_dir=shipped_data).parent_table()._repr_html_()
    assert "2014" not in parent and "青岛市" in parent
    # the volume of 2016 at 2017 prices (289.20 billion yuan, derived from 2017 and its real growth) is
    # not a level: the table shows the published 2016 level and 2017's 321.3 billion, in 亿元
    values = TrendReport(indicator="gdp", region="wcna", data_dir=shipped_data).values_table()._repr_html_()
    assert "2892" not in values and "3213" in values and "2871" in values
