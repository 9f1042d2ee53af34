"""Look-ups: unknown ids raise errors that name the parameter, suggest, and list the choices."""

from __future__ import annotations

import pytest

import indicators
from indicators import IndicatorsError, UnknownIndicatorError, UnknownPlanError, UnknownRegionError


def test_catalog_entries(data_dir):
    gdp = indicators.get_indicator("gdp", data_dir=data_dir)
    assert (gdp.name("zh"), gdp.name("en"), gdp.unit, gdp.direction) == (
        "地区生产总值",
        "Gross domestic product",
        "亿元",
        "higher",
    )
    wcna = indicators.get_region("wcna", data_dir=data_dir)
    assert (wcna.parent_id, wcna.scope) == ("qingdao", "whole")


def test_an_unknown_indicator_is_a_key_error_with_suggestions(data_dir):
    with pytest.raises(UnknownIndicatorError) as err:
        indicators.get_indicator("gpd", data_dir=data_dir)
    assert isinstance(err.value, KeyError) and isinstance(err.value, IndicatorsError)
    message = str(err.value)
    assert message.startswith("unknown indicator 'gpd' (parameter 'indicator')")
    assert "Did you mean 'gdp'?" in message
    assert "indicators list indicators" in message
    assert err.value.choices == ["gdp", "high_tech_enterprises"]


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda d: indicators.load_observations(region="west_coast", data_dir=d), UnknownRegionError),
        (lambda d: indicators.load_observations("gdp", "atlantis", data_dir=d), UnknownRegionError),
        (lambda d: indicators.load_targets("no_such_plan", data_dir=d), UnknownPlanError),
        (lambda d: indicators.load_observations(["gdp", "nope"], data_dir=d), UnknownIndicatorError),
    ],
)
def test_loaders_check_their_ids(data_dir, call, error):
    with pytest.raises(error):
        call(data_dir)


def test_load_observations_filters(data_dir):
    obs = indicators.load_observations("gdp", "wcna", measure=["level", "share"], data_dir=data_dir)
    assert set(obs["measure"]) == {"level", "share"}
    assert set(obs["region_id"]) == {"wcna"}
    published = indicators.load_observations("gdp", include_derived=False, data_dir=data_dir)
    assert "derived" not in set(published["status"])


def test_load_targets_carries_plan_and_source(data_dir):
    targets = indicators.load_targets("green_2023_2025", data_dir=data_dir)
    row = targets.iloc[0]
    assert (row["plan_start"], row["plan_end"], row["target_value"], row["target_value_base"]) == (
        "2023-01-01",
        "2025-12-31",
        1500,
        1500,
    )
    assert row["source_publisher"] == "China Daily"


def test_cite_names_title_publisher_and_date(data_dir):
    assert indicators.cite("daily_2024", data_dir=data_dir) == (
        "Fixture daily report, China Daily, 2024-05-11, example.org/daily.html (accessed 2026-11-22)"
    )
