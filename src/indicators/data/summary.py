"""A summary of the curated table: indicators, regions, periods covered, targets."""

from __future__ import annotations

import html
import os
from dataclasses import dataclass, field

import pandas as pd

from .build import read_version
from .catalog import load_table


@dataclass(frozen=True)
class TableSummary:
    """What the curated table holds. ``summary_frame()`` has one row per indicator."""

    data_version: str
    n_observations: int
    n_derived: int
    n_sources: int
    n_regions_with_data: int
    n_targets: int
    by_indicator: pd.DataFrame = field(repr=False)
    by_region: pd.DataFrame = field(repr=False)
    by_plan: pd.DataFrame = field(repr=False)
    checks: pd.DataFrame = field(repr=False)

    def summary_frame(self) -> pd.DataFrame:
        return self.by_indicator.copy()

    def describe(self) -> str:
        with pd.option_context(
            "display.width",
            200,
            "display.max_rows",
            500,
            "display.max_colwidth",
            60,
            "display.unicode.east_asian_width",
            True,
        ):
            kinds = self.checks["kind"].value_counts().to_dict() if len(self.checks) else {}
            parts = [
                f"Data version {self.data_version}: {self.n_observations} observations "
                f"({self.n_derived} derived) of {len(self.by_indicator)} indicators in "
                f"{self.n_regions_with_data} regions, from {self.n_sources} sources; "
                f"{self.n_targets} targets in {len(self.by_plan)} plans.",
                "",
                "Indicators (observations, regions, periods covered):",
                self.by_indicator.to_string(),
                "",
                "Regions:",
                self.by_region.to_string(),
                "",
                "Targets by plan:",
                self.by_plan.to_string(),
                "",
                "Checks between figures: "
                + (", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "none")
                + " (run `indicators checks` to list them)",
            ]
        return "\n".join(parts)

    def _repr_html_(self) -> str:
        head = html.escape(self.describe().split("\n", 1)[0])
        return (
            f"<div><p><b>{head}</b></p>{self.by_indicator.to_html()}"
            f"<h4>Targets by plan</h4>{self.by_plan.to_html()}</div>"
        )


def _span(periods: pd.DataFrame) -> str:
    first = periods.sort_values("period_start").iloc[0]["period"]
    last = periods.sort_values("period_end").iloc[-1]["period"]
    return first if first == last else f"{first} … {last}"


def table_summary(*, data_dir: str | os.PathLike[str] | None = None) -> TableSummary:
    """Summarise the processed table (building it first if it is stale)."""
    obs = load_table("observations", data_dir=data_dir)
    indicators = load_table("indicators", data_dir=data_dir).set_index("indicator_id")
    regions = load_table("regions", data_dir=data_dir).set_index("region_id")
    targets = load_table("targets", data_dir=data_dir)
    plans = load_table("plans", data_dir=data_dir).set_index("plan_id")
    checks = load_table("checks", data_dir=data_dir)
    meta = read_version(data_dir) or {}

    rows = []
    for ind, group in obs.groupby("indicator_id"):
        rows.append(
            {
                "indicator": ind,
                "name": indicators.at[ind, "name_zh"] if ind in indicators.index else "",
                "unit": indicators.at[ind, "unit"] if ind in indicators.index else "",
                "obs": len(group),
                "derived": int((group["status"] == "derived").sum()),
                "regions": group["region_id"].nunique(),
                "periods": _span(group),
                "measures": ",".join(sorted(group["measure"].unique())),
            }
        )
    by_indicator = pd.DataFrame(rows).set_index("indicator")
    unobserved = [i for i in indicators.index if i not in by_indicator.index]
    if unobserved:
        extra = pd.DataFrame(
            {
                "name": [indicators.at[i, "name_zh"] for i in unobserved],
                "unit": [indicators.at[i, "unit"] for i in unobserved],
                "obs": 0,
                "derived": 0,
                "regions": 0,
                "periods": "(targets only)",
                "measures": "",
            },
            index=pd.Index(unobserved, name="indicator"),
        )
        by_indicator = pd.concat([by_indicator, extra])

    reg_rows = []
    for reg, group in obs.groupby("region_id"):
        reg_rows.append(
            {
                "region": reg,
                "name": regions.at[reg, "name_zh"] if reg in regions.index else "",
                "level": regions.at[reg, "level"] if reg in regions.index else "",
                "scope": regions.at[reg, "scope"] if reg in regions.index else "",
                "obs": len(group),
                "indicators": group["indicator_id"].nunique(),
                "periods": _span(group),
            }
        )
    by_region = pd.DataFrame(reg_rows).set_index("region").sort_values("obs", ascending=False)

    plan_rows = []
    for plan, group in targets.groupby("plan_id"):
        plan_rows.append(
            {
                "plan": plan,
                "title": plans.at[plan, "title_zh"] if plan in plans.index else "",
                "span": f"{plans.at[plan, 'start']} … {plans.at[plan, 'end']}" if plan in plans.index else "",
                "targets": len(group),
                "deadlines": ", ".join(sorted(group["deadline"].unique())),
            }
        )
    by_plan = pd.DataFrame(plan_rows).set_index("plan") if plan_rows else pd.DataFrame()

    return TableSummary(
        data_version=str(meta.get("data_version", "")),
        n_observations=len(obs),
        n_derived=int((obs["status"] == "derived").sum()),
        n_sources=obs["source_id"].str.split(";").explode().nunique(),
        n_regions_with_data=obs["region_id"].nunique(),
        n_targets=len(targets),
        by_indicator=by_indicator,
        by_region=by_region,
        by_plan=by_plan,
        checks=checks,
    )
