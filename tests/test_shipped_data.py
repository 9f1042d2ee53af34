"""The shipped table: every source keeps its rows, the key figures are there as published,
and the build finds the known disagreements between sources."""

from __future__ import annotations

import pandas as pd
import pytest
from numpy.testing import assert_allclose

import indicators

from .conftest import REPO

# Rows per source in data/raw/. A change here must be deliberate: a row that drops out of
# the table (or is added) changes these counts, and the test says which source moved.
OBSERVATIONS_PER_SOURCE = {
    "aggregator_qingdao_district_ranking": 2,
    "ajunews_2016_02_01": 2,
    "ajunews_2017_02_03": 2,
    "bandao_marine_2016": 3,
    "bulletin_pudong_2023": 2,
    "bulletin_wcna_2022": 6,
    "chinadaily_2018_06_10": 2,
    "chinadaily_2019_06_25": 4,
    "chinadaily_2020_09_15": 1,
    "chinadaily_2022_05_12": 3,
    "chinadaily_2022_10_20": 3,
    "chinadaily_2023_overview": 2,
    "chinadaily_2024_04_12": 3,
    "chinadaily_2024_04_28": 2,
    "chinadaily_2024_05_11": 5,
    "chinadaily_zhoushan_2024_01_26": 2,
    "cqrb_2024_02_02": 1,
    "cri_2022_02_25": 2,
    "dljp_2022_12_16": 2,
    "dzwww_2023_02_01": 2,
    "euchina_qingdao": 1,
    "guanhai_2023_08_09": 4,
    "guanhai_qingdao_2021": 2,
    "gzrb_nansha_2022": 2,
    "hbzq_new_areas_2023": 3,
    "huangdao_work_report_2026": 2,
    "jiemian_qingdao_cbec_2023": 2,
    "jiusongjiankang_qingdao_2023": 1,
    "peoplesdaily_2024_07_29": 1,
    "qdrb_2023_05_18_q1": 3,
    "qdxin_2024_first_5000": 6,
    "qingdaonews_2021_11_16": 6,
    "qingdaonews_2024_06_03": 2,
    "sdtoutiao_2025_02_08": 1,
    "seed_2023_02_innovation_breakthrough": 28,
    "seed_2023_11_new_areas_conference": 17,
    "seed_qdrb_2024_05_workpoints": 12,
    "seed_qdzb_2023_11_20_backbone": 29,
    "shangguan_pudong_2024": 3,
    "shine_zhoushan": 3,
    "sina_2021_03_08": 3,
    "studyofnet_new_areas_2021": 5,
    "ttnews_2019h1_gdp": 1,
    "web10100_2024_04_08": 5,
    "xihaian_drc_2018_plan_report": 4,
    "xihaian_gov_2022_11_11": 3,
    "xinqu_shinian_2024_06_11": 6,
    "zhishi5_2021_05": 2,
    "zuo_xingang_article": 2,
}
TARGETS_PER_SOURCE = {
    "seed_2023_02_innovation_breakthrough": 10,
    "seed_2023_green_action_plan": 16,
    "seed_qdrb_2024_05_workpoints": 4,
}
SEED_DOCUMENTS = {
    # the five documents the project was created from, by title, publisher and date
    "seed_qdrb_2024_05_workpoints": ("发力“引领先行”：西海岸新区提能级", "2024-05"),
    "seed_2023_02_innovation_breakthrough": ("青岛西海岸新区 创新突破，全面实现高质量发展", "2023-02"),
    "seed_qdzb_2023_11_20_backbone": ("西海岸新区：挺起发展“硬脊梁”", "2023-11-20"),
    "seed_2023_11_new_areas_conference": ("勇担新使命 当好排头兵", "2023-11"),
    "seed_2023_green_action_plan": ("打造先行区建设示范标杆，新区这样发力", "2023"),
}


def _raw(name: str) -> pd.DataFrame:
    return pd.read_csv(REPO / "data" / "raw" / f"{name}.csv", dtype=str, keep_default_na=False)


def test_the_shipped_raw_tables_are_valid():
    assert indicators.validate(REPO / "data") == []


def test_rows_per_source_in_observations():
    assert _raw("observations")["source_id"].value_counts().sort_index().to_dict() == OBSERVATIONS_PER_SOURCE


def test_rows_per_source_in_targets():
    assert _raw("targets")["source_id"].value_counts().sort_index().to_dict() == TARGETS_PER_SOURCE


def test_every_source_is_used_and_cited_without_local_paths():
    sources = _raw("sources")
    used = set(OBSERVATIONS_PER_SOURCE) | set(TARGETS_PER_SOURCE) | set(_raw("plans")["source_id"])
    assert set(sources["source_id"]) == used
    for table in ("sources", "observations", "targets", "plans", "regions", "indicators"):
        text = (REPO / "data" / "raw" / f"{table}.csv").read_text(encoding="utf-8")
        assert "/work/" not in text and "seeds/" not in text and "shared/" not in text, table


def test_the_seed_documents_are_sources_by_title_and_date():
    sources = _raw("sources").set_index("source_id")
    for source_id, (title, date) in SEED_DOCUMENTS.items():
        assert (sources.at[source_id, "title"], sources.at[source_id, "date_published"]) == (title, date)


def test_every_plan_has_its_targets():
    targets = _raw("targets")
    counts = targets["plan_id"].value_counts().to_dict()
    assert counts == {
        "wcna_green_action_2023_2025": 16,
        "wcna_mobilisation_2023": 10,
        "qingdao_wcna_workpoints_2024": 4,
    }
    deadlines = set(targets["deadline"].str[:4])
    assert deadlines == {"2023", "2024", "2025"}


@pytest.mark.parametrize(
    ("indicator", "region", "period", "measure", "value", "unit"),
    [
        ("gdp", "wcna", "2022", "level", 4691.85, "亿元"),
        ("gdp", "wcna", "2023Q1-Q3", "level", 3650.31, "亿元"),
        ("gdp", "wcna", "2023Q1-Q3", "share", 31, "%"),
        ("gdp", "wcna", "2024Q1", "yoy_growth", 6.0, "%"),
        ("gdp", "wcna", "2021", "level", 436.85, "billion yuan"),
        ("gdp", "qingdao", "2022", "level", 14920.75, "亿元"),
        ("cbec_trade", "wcna", "2022", "level", 103.4, "亿元"),
        ("fdi_actual", "wcna", "2023M01-M10", "level", 9.47, "亿美元"),
        ("projects_signed_100m", "wcna", "2023M01-M10", "level", 206, "个"),
        ("industrial_output_above_size", "wcna", "2022", "level", 4445.5, "亿元"),
        ("marine_gdp", "wcna", "2013-2023", "avg_annual_growth", 14.9, "%"),
        ("gdp", "pudong", "2023", "level", 16715.15, "亿元"),
    ],
)
def test_key_figures_are_there_as_published(shipped_data, indicator, region, period, measure, value, unit):
    obs = indicators.load_observations(indicator, region, measure=measure, include_derived=False, data_dir=shipped_data)
    row = obs[obs["period"] == period]
    assert len(row) >= 1
    assert_allclose(row["value"].iloc[0], value)
    assert row["unit"].iloc[0] == unit
    assert row["source_title"].iloc[0] and row["quote"].iloc[0]


def test_the_2018_preliminary_figures_are_revisions_not_silent_duplicates(shipped_data):
    checks = indicators.load_table("checks", data_dir=shipped_data)
    revisions = checks[(checks["kind"] == "revision") & (checks["period"] == "2018")]
    assert set(revisions["indicator_id"]) == {"gdp", "budget_revenue"}
    obs = indicators.load_observations("gdp", "wcna", measure="level", include_derived=False, data_dir=shipped_data)
    assert sorted(obs[obs["period"] == "2018"]["status"]) == ["preliminary", "reported"]


def test_published_growth_is_never_replaced_by_recomputed_growth(shipped_data):
    checks = indicators.load_table("checks", data_dir=shipped_data)
    gdp = checks[(checks["indicator_id"] == "gdp") & (checks["region_id"] == "wcna") & (checks["period"] == "2023")]
    # real 6.0% against nominal levels (+6.6%) is the price change, not a disagreement
    assert set(gdp["kind"]) == {"implied_deflator"}
    assert all("implied deflator +0.6%" in m for m in gdp["message"])
    growth = indicators.load_observations("gdp", "wcna", measure="yoy_growth", data_dir=shipped_data)
    assert set(growth[growth["period"] == "2023"]["value"]) == {6.0}


def test_wcna_quarters_of_2023_are_derived_from_year_to_date_totals(shipped_data):
    obs = indicators.load_observations("gdp", "wcna", measure="level", data_dir=shipped_data)
    derived = obs[obs["status"] == "derived"].set_index("period")
    assert_allclose(derived.loc["2023Q2", "value"], 2379.41 - 1105.96)
    assert_allclose(derived.loc["2023Q3", "value"], 3650.31 - 2379.41)
    assert_allclose(derived.loc["2023Q4", "value"], 5003.38 - 3650.31, atol=0.05)


def test_scope_is_in_the_data_for_peers():
    regions = _raw("regions").set_index("region_id")
    assert regions.at["liangjiang", "scope"] == "whole"
    assert regions.at["liangjiang_direct", "scope"] == "directly_administered"
    assert regions.at["liangjiang_direct", "parent_id"] == "liangjiang"
    assert regions.at["wcna", "parent_id"] == "qingdao"
