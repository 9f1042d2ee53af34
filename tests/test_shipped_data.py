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
    "ajunews_2018_02_06": 3,
    "ajunews_2018_02_13": 2,
    "bandao_2017_03_21": 12,
    "bandao_2017_06_06": 9,
    "bandao_2022_03": 4,
    "bandao_marine_2016": 3,
    "bgbf_xiangjiang_2017": 1,
    "bulletin_pudong_2023": 2,
    "bulletin_shandong_2023": 6,
    "bulletin_wcna_2022": 6,
    "businesswire_qingdao_2022_11_11": 4,
    "cgpnews_2016_03_11": 3,
    "chinadaily_2016_07_29": 8,
    "chinadaily_2017_09_11": 5,
    "chinadaily_2018_06_10": 2,
    "chinadaily_2019_06_25": 4,
    "chinadaily_2020_09_15": 1,
    "chinadaily_2020_12_16": 2,
    "chinadaily_2022_05_12": 3,
    "chinadaily_2022_08_24": 1,
    "chinadaily_2022_09_09": 3,
    "chinadaily_2022_09_28": 9,
    "chinadaily_2022_10_17": 1,
    "chinadaily_2022_10_20": 3,
    "chinadaily_2023_03_08": 3,
    "chinadaily_2023_12_20": 2,
    "chinadaily_2023_overview": 2,
    "chinadaily_2024_04_12": 3,
    "chinadaily_2024_04_28": 2,
    "chinadaily_2024_05_08": 4,
    "chinadaily_2024_05_11": 5,
    "chinadaily_jilin_2020_06_24": 5,
    "chinadaily_jinpu_2022_01_31": 8,
    "chinadaily_lanzhou_2022_09_20": 1,
    "chinadaily_zhoushan_2024_01_26": 3,
    "chinaidiom_xiangjiang": 1,
    "chinaservicesinfo_2020_03_09": 2,
    "chinaservicesinfo_2022_01_13": 3,
    "cqrb_2024_02_02": 1,
    "cri_2022_02_25": 3,
    "digipub_xixian_2026_01": 4,
    "dljp_2015_jinpu_2014": 11,
    "dljp_2022_12_16": 7,
    "dzwww_2018_08_10": 7,
    "dzwww_2023_02_01": 5,
    "euchina_qingdao": 1,
    "guanhai_2023_08_09": 4,
    "guanhai_qingdao_2021": 11,
    "gzrb_nansha_2022": 12,
    "hbzq_new_areas_2023": 3,
    "hdrenda_2016_work_report": 12,
    "huangdao_work_report_2018": 13,
    "huangdao_work_report_2026": 9,
    "jiemian_qingdao_cbec_2023": 4,
    "jiusongjiankang_qingdao_2023": 1,
    "klbdjy_qingdao_2021": 2,
    "nen_jinpu_2017_08_03": 6,
    "njxqhms_145_2025_12_13": 4,
    "peoplesdaily_2015_09_09": 3,
    "peoplesdaily_2024_07_29": 1,
    "peoplesdaily_it_2024_10_17": 3,
    "qdrb_2023_05_18_q1": 3,
    "qdxin_2024_first_5000": 5,
    "qingdao_145_press_2025_12_02": 6,
    "qingdao_census7_bulletin1": 1,
    "qingdao_plan_report_2024": 8,
    "qingdao_work_report_2020": 4,
    "qingdao_work_report_2021": 6,
    "qingdao_work_report_2022": 6,
    "qingdao_work_report_2025": 4,
    "qingdao_yearbook_2021": 7,
    "qingdaonews_2017_06_05": 2,
    "qingdaonews_2021_11_16": 6,
    "qingdaonews_2022_02_21": 2,
    "qingdaonews_2024_02_04": 5,
    "qingdaonews_2024_06_03": 2,
    "rednet_2017_09_25": 2,
    "reportify_qingdao_145": 4,
    "sdtoutiao_2025_02_08": 1,
    "seed_2023_02_innovation_breakthrough": 28,
    "seed_2023_11_new_areas_conference": 17,
    "seed_qdrb_2024_05_workpoints": 12,
    "seed_qdzb_2023_11_20_backbone": 30,
    "selectshandong_2023_09_28": 2,
    "shandong_press_2024_10_24": 2,
    "shangguan_pudong_2024": 3,
    "shine_pudong_2023_01_06": 4,
    "shine_zhoushan": 2,
    "sina_2021_03_08": 3,
    "studyofnet_new_areas_2021": 5,
    "tftnews_2024_07_01": 4,
    "ttnews_2019h1_gdp": 4,
    "web10100_2024_04_08": 5,
    "wenxiaobai_shandong_2024": 2,
    "wiki_mirror_wcna": 2,
    "xihaian_drc_2018_plan_report": 4,
    "xihaian_gov_2022_11_11": 3,
    "xinhua_shandong_2022_08_21": 5,
    "xinqu_shinian_2024_06_11": 6,
    "zghcl_wcna_intro": 4,
    "zhishi5_2021_05": 2,
    "zunxu_new_areas_2020": 7,
    "zuo_xingang_article": 2,
}
TARGETS_PER_SOURCE = {
    "bandao_2022_03": 3,
    "businesswire_qingdao_2022_11_11": 3,
    "chinadaily_2022_09_09": 1,
    "chinaservicesinfo_2022_01_13": 2,
    "gzrb_nansha_2022": 4,
    "huangdao_work_report_2025": 3,
    "ndrc_wcna_plan_2014": 4,
    "newsgd_nansha_2025": 1,
    "prnewswire_qingdao_2018_01_08": 2,
    "qdwb_2023_01_14": 3,
    "qingdaonews_2017_06_05": 5,
    "qingdaonews_2022_02_21": 7,
    "qingdaonews_2022_04_15": 4,
    "seed_2023_02_innovation_breakthrough": 9,
    "seed_2023_green_action_plan": 16,
    "seed_qdrb_2024_05_workpoints": 4,
    "shine_pudong_2023_01_06": 1,
    "xinhua_shandong_2012_03_31": 5,
    "xmwb_2015_07_06": 1,
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
        "wcna_mobilisation_2023": 9,
        "qingdao_wcna_workpoints_2024": 4,
        # the second figure list
        "wcna_zone_plan_2015": 5,
        "wcna_overall_plan_2014": 4,
        "wcna_action_2017_2019": 5,
        "huangdao_congress_2022_2026": 7,
        "wcna_annual_2022": 3,
        "wcna_annual_2025": 3,
        "qingdao_annual_2022": 4,
        "qingdao_marine_plan_2020": 2,
        "qingdao_marine_2021_2025": 1,
        "qingdao_innovative_city_2022_2026": 3,
        "shandong_annual_2023": 3,
        "pudong_annual_2022": 1,
        "pudong_five_year_2022_2026": 1,
        "pudong_annual_2023": 1,
        "nansha_annual_2023": 4,
        "nansha_annual_2025": 1,
        "jiangbei_2025": 1,
    }
    deadlines = set(targets["deadline"].str[:4])
    assert deadlines == {"2015", "2019", "2020", "2022", "2023", "2024", "2025", "2026"}


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
    assert (row["source_title"].iloc[0] or row["source_description"].iloc[0]) and row["quote"].iloc[0]


def test_the_2018_preliminary_figures_are_revisions_not_silent_duplicates(shipped_data):
    checks = indicators.load_table("checks", data_dir=shipped_data)
    revisions = checks[(checks["kind"] == "revision") & (checks["period"] == "2018")]
    assert set(revisions["indicator_id"]) == {"gdp", "budget_revenue"}
    obs = indicators.load_observations("gdp", "wcna", measure="level", include_derived=False, data_dir=shipped_data)
    in_2018 = obs[obs["period"] == "2018"]
    assert sorted(zip(in_2018["status"], in_2018["source_id"], strict=True)) == [
        ("preliminary", "xihaian_drc_2018_plan_report"),
        ("reported", "chinadaily_2019_06_25"),
        ("reported", "zghcl_wcna_intro"),  # the same 351.7 billion yuan in a later copy
    ]


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


# -- the second figure list and the audit ----------------------------------------------------


def _rows(table: str, **where: str) -> pd.DataFrame:
    frame = _raw(table)
    for column, value in where.items():
        frame = frame[frame[column] == value]
    return frame


@pytest.mark.parametrize(
    ("indicator", "region", "period", "measure", "source", "value", "unit"),
    [
        ("gdp", "wcna", "2015", "level", "hdrenda_2016_work_report", 2594.7, "亿元"),
        ("gdp", "wcna", "2016", "level", "bandao_2017_03_21", 2871, "亿元"),
        ("gdp", "wcna", "2016", "level", "chinadaily_2017_09_11", 287, "billion yuan"),
        ("gdp", "wcna", "2013-2016", "avg_annual_growth", "bandao_2017_03_21", 11.2, "%"),
        ("gdp", "wcna", "2021", "level", "qingdaonews_2022_02_21", 4368.53, "亿元"),
        ("budget_revenue", "wcna", "2015", "level", "hdrenda_2016_work_report", 197.7, "亿元"),
        ("disposable_income_per_capita", "wcna", "2015", "level", "hdrenda_2016_work_report", 33487, "元"),
        ("gdp", "qingdao", "2023", "level", "qingdao_plan_report_2024", 15760.34, "亿元"),
        ("resident_population", "qingdao", "2020-11-01", "level", "qingdao_census7_bulletin1", 10071722, "人"),
        ("gdp", "shandong", "2023", "level", "bulletin_shandong_2023", 92068.7, "亿元"),
        ("gdp", "xiangjiang", "2016", "level", "rednet_2017_09_25", 180112, "million yuan"),
        ("gdp", "xixian_direct", "2020-2025", "multiple", "digipub_xixian_2026_01", 1.6, "times"),
    ],
)
def test_second_list_figures_are_there_as_published(
    shipped_data, indicator, region, period, measure, source, value, unit
):
    obs = indicators.load_observations(indicator, region, measure=measure, include_derived=False, data_dir=shipped_data)
    row = obs[(obs["period"] == period) & (obs["source_id"] == source)]
    assert len(row) == 1
    assert_allclose(row["value"].iloc[0], value)
    assert row["unit"].iloc[0] == unit
    assert (row["source_title"].iloc[0] or row["source_description"].iloc[0]) and row["quote"].iloc[0]


def test_every_reading_and_quote_status_is_from_the_vocabulary():
    from indicators.data.tables import QUOTE_STATUSES, READINGS

    for table in ("observations", "targets"):
        frame = _raw(table)
        for value in frame["reading"]:
            parts = value.split(";") if value else []
            assert set(parts) <= set(READINGS) and len(parts) == len(set(parts)), (table, value)
            assert "as_printed" not in parts or len(parts) == 1, (table, value)
        assert set(frame["quote_status"]) <= {"", *QUOTE_STATUSES}, table
    assert "summary" in set(_raw("observations")["quote_status"])  # the vocabulary is in use


# The audit's doubtful readings D1-D14: (item, table, row selector, rows selected, the reading each must carry).
DOUBTFUL = [
    ("D1", "observations", dict(indicator_id="marine_gdp", period="2013-2022"), 1, "period_inferred"),
    (
        "D2",
        "observations",
        dict(indicator_id="marine_gdp", source_id="seed_qdrb_2024_05_workpoints"),
        3,
        "indicator_inferred",
    ),
    (
        "D2",
        "observations",
        dict(indicator_id="marine_gdp", source_id="seed_qdrb_2024_05_workpoints"),
        3,
        "period_inferred",
    ),
    ("D3", "observations", dict(region_id="wcna", measure="completion"), 2, "measure_inferred"),
    ("D4", "targets", dict(target_id="t2023_marine_key_projects"), 1, "form_inferred"),
    ("D4", "targets", dict(target_id="t2023_marine_key_projects_investment"), 1, "form_inferred"),
    ("D4", "targets", dict(target_id="t2023_thousand_mu_parks"), 1, "form_inferred"),
    ("D4", "targets", dict(target_id="t2023_urban_renewal_projects"), 1, "form_inferred"),
    ("D4", "targets", dict(target_id="t2023_urban_renewal_projects_investment"), 1, "form_inferred"),
    ("D5", "targets", dict(target_id="t2023_urban_renewal_projects"), 1, "scope_assumed"),
    ("D5", "targets", dict(target_id="t2023_urban_renewal_projects_investment"), 1, "scope_assumed"),
    ("D6", "observations", dict(indicator_id="fdi_actual", measure="contribution"), 1, "measure_inferred"),
    ("D7", "observations", dict(period="2022-01-01/2023-02-02"), 4, "period_inferred"),
    (
        "D8",
        "observations",
        dict(region_id="liangjiang", source_id="seed_2023_11_new_areas_conference"),
        3,
        "scope_assumed",
    ),
    ("D9", "observations", dict(indicator_id="copper_clearance_days_after"), 1, "range_lower_bound"),
    (
        "D10",
        "observations",
        dict(indicator_id="gdp", region_id="wcna", period="2013", measure="level"),
        1,
        "period_inferred",
    ),
    (
        "D11",
        "observations",
        dict(indicator_id="gdp", period="2024Q1", measure="share", source_id="seed_qdrb_2024_05_workpoints"),
        1,
        "period_inferred",
    ),
    ("D12", "observations", dict(indicator_id="city_key_projects_selected"), 1, "period_inferred"),
    ("D12", "observations", dict(indicator_id="city_key_projects_investment", period="2023"), 2, "period_inferred"),
    ("D13", "targets", dict(target_id="t2025_charging_piles"), 1, "kind_inferred"),
    ("D13", "targets", dict(target_id="t2025_lng_capacity"), 1, "kind_inferred"),
    ("D14", "targets", dict(target_id="t2025_urbanization_rate"), 1, "indicator_inferred"),
]


@pytest.mark.parametrize(("item", "table", "where", "n", "reading"), DOUBTFUL, ids=[f"{d[0]}-{d[4]}" for d in DOUBTFUL])
def test_every_doubtful_reading_of_the_audit_is_flagged(item, table, where, n, reading):
    rows = _rows(table, **where)
    assert len(rows) == n, (item, len(rows))
    for value, note in zip(rows["reading"], rows["note"], strict=True):
        assert reading in value.split(";"), (item, value)
        assert note, item  # the note says what was assumed


def test_the_urbanisation_target_below_the_actuals_says_so():
    note = _rows("targets", target_id="t2025_urbanization_rate")["note"].iloc[0]
    assert "82.86%" in note and "83.5%" in note


def test_quotes_that_are_not_the_sources_words_are_marked():
    obs = _raw("observations")
    summary = obs[obs["quote_status"] == "summary"]
    # E6-E15: the figure list's cells in place of the source's words
    for source, n in {
        "aggregator_qingdao_district_ranking": 1,
        "chinadaily_2024_04_12": 3,
        "chinadaily_2024_05_11": 2,
        "cri_2022_02_25": 1,
        "chinadaily_zhoushan_2024_01_26": 3,
    }.items():
        assert (summary["source_id"] == source).sum() == n, source
    # where the second list supplies the source's words, they replace the cell
    cri = _rows("observations", source_id="cri_2022_02_25", indicator_id="gdp", measure="level")
    assert cri["quote"].iloc[0] == "GDP of Sichuan Tianfu New District Exceeds 400 Billion Yuan"
    assert cri["quote_status"].iloc[0] == ""


def test_full_year_2023_figures_are_not_known_before_the_year_ended(shipped_data):
    # E1, E2: a page whose address carries 2023-08-16 reports full-year 2023 figures
    rows = _rows("observations", source_id="chinadaily_2023_overview")
    assert set(rows["published"]) == {"2024"}
    early = indicators.load_observations("gdp", "wcna", as_of="2023-09-01", data_dir=shipped_data)
    assert not ((early["period"] == "2023") & (early["source_id"] == "chinadaily_2023_overview")).any()
    assert not (early["period"] == "2023").any()
    later = indicators.load_observations("gdp", "wcna", as_of="2025-01-01", data_dir=shipped_data)
    assert ((later["period"] == "2023") & (later["source_id"] == "chinadaily_2023_overview")).sum() == 2


def test_attributions_the_wording_does_not_support_are_fixed():
    # E3: a page dated 2022 cannot print 2022 GDP; E4: an echo of China Daily's +6.0% is gone
    assert _rows("observations", source_id="shine_zhoushan", period="2022").empty
    zhoushan = _rows("observations", region_id="zhoushan", period="2022")
    assert list(zhoushan["source_id"]) == ["chinadaily_zhoushan_2024_01_26"]
    assert list(zhoushan["reading"]) == ["source_inferred"]
    assert _rows("observations", indicator_id="gdp", source_id="qdxin_2024_first_5000", measure="yoy_growth").empty


def test_the_hand_typed_target_is_gone():
    # E5: 打造千亿级产业集群 prints no count
    assert _rows("targets", target_id="t2023_industry_clusters_100bn").empty
    assert "打造千亿级产业集群" in (REPO / "data" / "raw" / "README.md").read_text(encoding="utf-8")


def test_population_concepts_are_distinct_indicators():
    catalog = _raw("indicators").set_index("indicator_id")
    assert catalog.at["resident_population", "name_zh"] == "常住人口"
    assert "口径未注明" in catalog.at["population_total", "name_zh"]
    resident = _rows("observations", indicator_id="resident_population", region_id="wcna")
    total = _rows("observations", indicator_id="population_total", region_id="wcna")
    assert sorted(resident["value"].astype(float)) == [199.35, 200.78]
    assert sorted(zip(total["value"].astype(float), total["unit"], strict=True)) == [
        (1.8, "million persons"),
        (1.84, "million persons"),
        (2.08, "million persons"),
    ]
    # 总人口 and 人口规模 targets go with the 'total population', never with resident population
    targets = _raw("targets")
    assert set(targets[targets["quote"].str.contains("人口规模|总人口")]["indicator_id"]) == {"population_total"}


def test_a_gdp_level_revised_after_the_census_is_two_vintages(shipped_data):
    # 2272 亿元 (2017, the start of the 三年 comparison, year not printed) and 2453 亿元 (2024)
    obs = indicators.load_observations("gdp", "wcna", measure="level", include_derived=False, data_dir=shipped_data)
    y2014 = obs[obs["period"] == "2014"].sort_values("vintage")
    assert list(zip(y2014["vintage"], y2014["value"], y2014["source_id"], strict=True)) == [
        (1, 2272.0, "bandao_2017_06_06"),
        (2, 2453.0, "qdxin_2024_first_5000"),
    ]
    assert y2014["reading"].iloc[0] == "period_inferred"
    known_2020 = indicators.load_observations("gdp", "wcna", measure="level", as_of="2020-01-01", data_dir=shipped_data)
    assert list(known_2020[known_2020["period"] == "2014"]["value"]) == [2272.0]
    known_2025 = indicators.load_observations("gdp", "wcna", measure="level", as_of="2025-01-01", data_dir=shipped_data)
    assert list(known_2025[known_2025["period"] == "2014"]["value"]) == [2453.0]
    y2013 = obs[obs["period"] == "2013"]
    assert list(y2013["value"]) == [2121.0] and list(y2013["reading"]) == ["period_inferred"]


def test_the_build_reports_where_the_second_list_disagrees(shipped_data):
    checks = indicators.load_table("checks", data_dir=shipped_data)
    gdp = checks[(checks["indicator_id"] == "gdp") & (checks["region_id"] == "wcna")]
    in_2020 = gdp[(gdp["period"] == "2020") & (gdp["measure"] == "level")]
    assert list(in_2020["kind"]) == ["conflict"]  # two sources, the same inferred year
    assert "3751.16" in in_2020["message"].iloc[0] and "3721.68" in in_2020["message"].iloc[0]
    growth_2018 = gdp[(gdp["period"] == "2018") & (gdp["measure"] == "yoy_growth")]
    disagreements = growth_2018[growth_2018["kind"].isin(("revision", "conflict"))]
    # the preliminary "about 10%" was revised to 10.9%; an aggregator's later 9.8% does not revise
    # China Daily's official figure: it conflicts with it
    kinds = {
        frozenset(m for m in ("10.9 %", "9.8 %", "10 %") if m in msg): k
        for msg, k in zip(disagreements["message"], disagreements["kind"], strict=True)
    }
    assert kinds[frozenset({"10.9 %", "9.8 %"})] == "conflict"
    assert {k for pair, k in kinds.items() if "10 %" in pair} == {"revision"}
    messages = " ".join(disagreements["message"])
    assert all(value in messages for value in ("10.9 %", "9.8 %", "10 %"))
    level_2014 = gdp[(gdp["period"] == "2014") & (gdp["measure"] == "level")]
    assert list(level_2014["kind"]) == ["revision"]


def test_processed_tables_carry_the_readings(shipped_data):
    obs = indicators.load_observations("gdp", "wcna", include_derived=False, data_dir=shipped_data)
    assert {"reading", "quote_status"} <= set(obs.columns)
    summary = obs[obs["source_id"] == "aggregator_qingdao_district_ranking"]
    assert set(summary[summary["measure"] == "level"]["quote_status"]) == {"summary"}
    targets = indicators.load_targets("wcna_green_action_2023_2025", data_dir=shipped_data).set_index("target_id")
    assert targets.at["t2025_charging_piles", "reading"] == "kind_inferred"
    assert targets.at["t2025_hightech_enterprises", "reading"] == ""


def test_average_growth_targets_are_assessed_as_growth_not_as_levels(shipped_data):
    result = indicators.target_gap("wcna_action_2017_2019", as_of="2026-01-01", data_dir=shipped_data)
    forms = {a.target_id: a for a in result.assessments if a.form == "avg_annual_growth"}
    assert set(forms) == {
        "t2019_gdp_avg_growth",
        "t2019_budget_revenue_avg_growth",
        "t2019_marine_gdp_avg_growth",
        "t2019_fai_avg_growth",
    }
    # no 2019 figure in the table: every outcome is awaited, what the years so far say kept beside
    assert {a.verdict for a in forms.values()} == {"awaiting_outcome"}
    gdp = forms["t2019_gdp_avg_growth"]
    # 2017 +11.1% and 2018 +10.9% published (comparable prices), chained: 11.0% a year against ~12%
    assert gdp.latest_period == "2016-2018" and gdp.unit == "%"
    assert gdp.latest_value == pytest.approx(((1.111 * 1.109) ** 0.5 - 1) * 100)
    assert gdp.in_progress_category == "acceleration_needed"


def test_second_list_sources_say_how_their_date_was_known():
    sources = _raw("sources")
    second = sources[sources["note"].str.startswith("Second figure list.")]
    assert len(second) == 65
    for source_id, note in zip(second["source_id"], second["note"], strict=True):
        assert any(word in note for word in ("stated", "address", "inferred")), source_id
