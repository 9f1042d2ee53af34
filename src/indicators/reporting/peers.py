"""The peer comparison: the West Coast New Area beside the other national-level new areas."""

from __future__ import annotations

import pandas as pd

from ..data.catalog import get_indicator, get_region, load_observations, load_table
from ..errors import ParameterError
from .base import STATUS_ORDER, Block, PathLike, Picture, Report, by_status, esc, id_list
from .charts import peer_chart
from .i18n import fmt_pct


class PeerReport(Report):
    """The West Coast New Area beside the other national-level new areas, scope shown."""

    kind = "peers"

    def __init__(self, *, indicators: str = "gdp", regions: str = "", language: str = "zh", data_dir: PathLike = None):
        super().__init__(language=language, data_dir=data_dir)
        self.indicator_ids = id_list(indicators)
        if not self.indicator_ids:
            raise ParameterError("indicators", indicators, "empty", "give one or more indicator ids, comma-separated")
        for ind in self.indicator_ids:
            get_indicator(ind, data_dir=data_dir, parameter="indicators")
        regions_table = load_table("regions", data_dir=data_dir).set_index("region_id")
        obs = load_observations(self.indicator_ids, data_dir=data_dir)
        level = regions_table["level"]
        parent_level = regions_table["parent_id"].map(level)
        # national-level new areas, and a new area's other statistical scope (直管区 under 全域)
        new_areas = list(regions_table.index[(level == "new_area") | (parent_level == "new_area")])
        with_data = sorted(set(obs["region_id"]) & set(new_areas))
        chosen = id_list(regions) or with_data
        for r in chosen:
            get_region(r, data_dir=data_dir, parameter="regions")
            if r not in with_data:
                raise ParameterError(
                    "regions",
                    r,
                    f"no figures of {', '.join(self.indicator_ids)} for this new area",
                    f"use some of: {', '.join(with_data)}",
                )
        self.region_ids = chosen
        self.regions_table = regions_table
        # published figures only: no derived volumes at comparable prices, no expected values
        self.obs = obs[obs["region_id"].isin(chosen) & obs["status"].isin(["reported", "preliminary"])]
        self.parameters = {
            "indicators": ", ".join(self.indicator_ids),
            "regions": ", ".join(chosen),
            "language": self.language,
        }

    @property
    def title(self) -> str:
        return self.t(
            "peers.title",
            indicator="、".join(self.indicator_name(i) for i in self.indicator_ids)
            if self.language == "zh"
            else ", ".join(self.indicator_name(i) for i in self.indicator_ids),
        )

    def _label(self, region_id: str) -> str:
        """The region's name with its statistical scope, unless the name already says it."""
        scope = self.regions_table.at[region_id, "scope"]
        name = self.region_name(region_id)
        word = self.t(f"scope.{scope}") if scope else ""
        if not word or word in name:
            return name
        return f"{name}（{word}）" if self.language == "zh" else f"{name} ({word})"

    def table(self, indicator: str):
        obs = self.obs[(self.obs["indicator_id"] == indicator) & (self.obs["period_kind"] == "year")]
        levels = obs[obs["measure"] == "level"]
        years = sorted(levels["period"].unique())
        rows = []
        for r in self.region_ids:
            row = {self.t("col.region"): self._label(r)}
            for y in years:
                g = by_status(levels[(levels["region_id"] == r) & (levels["period"] == y)])
                row[y] = "" if g.empty else self.figure(g.iloc[0])
            growth = obs[(obs["region_id"] == r) & (obs["measure"] == "yoy_growth")].sort_values("period")
            row[self.t("col.published")] = (
                ""
                if growth.empty
                else (
                    f"{fmt_pct(growth.iloc[-1]['value'])} ({growth.iloc[-1]['period']}) "
                    f"{self.cite(growth.iloc[-1]['source_id'])}"
                )
            )
            rows.append(row)
        return self.styled(pd.DataFrame(rows))

    def body(self) -> Block:
        """One section per indicator: the chart of the latest figures and the table by year."""
        parts = []
        for ind in self.indicator_ids:
            chart, table = self.chart(ind), self.table(ind)
            parts.append(
                f"<section><h2>{esc(self.indicator_name(ind))}</h2>{chart._repr_html_()}{table._repr_html_()}</section>"
            )
        return Block("".join(parts))

    def chart(self, indicator: str) -> Picture | Block:
        obs = self.obs[
            (self.obs["indicator_id"] == indicator)
            & (self.obs["measure"] == "level")
            & (self.obs["period_kind"] == "year")
            & (self.obs["status"] != "estimate")
        ]
        if obs.empty:
            return Block(f"<p class='ind-note'>{esc(self.t('none'))}</p>")
        # each region's latest year, its published figure before a preliminary one
        ranked = obs.assign(_rank=-obs["status"].map(STATUS_ORDER))
        latest = ranked.sort_values(["period", "_rank"], kind="stable").groupby("region_id").tail(1)
        frame = pd.DataFrame(
            {
                "region_id": latest["region_id"],
                "label": [f"{self._label(r)} {p}" for r, p in zip(latest["region_id"], latest["period"], strict=True)],
                "value": latest["value_base"]
                / float(self._units.at[get_indicator(indicator, data_dir=self.data_dir).unit, "factor"]),
            }
        )
        unit = self.unit_name(get_indicator(indicator, data_dir=self.data_dir).unit)
        fig = peer_chart(frame, title=self.indicator_name(indicator), unit=unit, highlight="wcna")
        caption = (
            "每个新区的最新年度数据（年份见标签）；口径不同的数据不宜直接比较。"
            if self.language == "zh"
            else "Each new area's latest annual figure (year in the label); "
            "figures of different scope are not strictly comparable."
        )
        return self.picture(fig, alt=self.title, caption=caption)
