"""The overview report: every indicator of a region, its latest value, change and coverage."""

from __future__ import annotations

import base64

import pandas as pd

from ..analysis.series import is_comparable_volume, published_by, select_annual
from ..data.catalog import get_region, load_observations, load_table
from ..errors import ParameterError
from .base import Block, PathLike, Report, by_status, esc
from .charts import sparkline, to_png
from .i18n import fmt_pct


class OverviewReport(Report):
    """Every indicator of a region: latest value, change, sparkline; coverage; against the parent."""

    kind = "overview"

    def __init__(self, *, region: str = "wcna", as_of: str = "", language: str = "zh", data_dir: PathLike = None):
        super().__init__(language=language, data_dir=data_dir)
        self.reg = get_region(region, data_dir=data_dir, parameter="region")
        self.as_of = self.as_of_date(as_of)
        obs = published_by(load_observations(data_dir=data_dir), self.as_of)
        with_data = sorted(obs["region_id"].unique())
        if region not in with_data:
            raise ParameterError("region", region, "no figures for this region", f"use one of: {', '.join(with_data)}")
        self.obs = obs[obs["region_id"] == region]
        self.all_obs = obs
        self.indicators = load_table("indicators", data_dir=data_dir).set_index("indicator_id")
        self.parameters = {
            "region": f"{region} ({self.reg.name(self.language)})",
            "as_of": str(self.as_of or "–"),
            "language": self.language,
        }

    @property
    def title(self) -> str:
        return self.t("overview.title", region=self.reg.name(self.language))

    def latest_table(self):
        # a volume at another year's prices is never shown as a level
        levels = self.obs[
            (self.obs["measure"] == "level") & (self.obs["status"] != "estimate") & ~is_comparable_volume(self.obs)
        ]
        rows = []
        for ind, group in levels.groupby("indicator_id"):
            group = group.sort_values(["period_end", "period_start"])
            latest = group.iloc[-1]
            change = self._change(ind, latest)
            spark = ""
            enough = group["period_kind"].isin(["year", "point"]).sum() >= 3  # else no sparkline to draw
            series = (
                None
                if not enough
                else select_annual(
                    group,
                    indicator_id=ind,
                    region_id=self.reg.region_id,
                    unit=latest["unit"],
                    factor=float(self._units.at[latest["unit"], "factor"]),
                    kind=self.indicators.at[ind, "kind"],
                )
            )
            if series is not None and len(series) >= 3:
                png = to_png(sparkline(series.values), self.glyph_warnings)
                spark = (
                    f'<img class="ind-spark" style="height:22px;width:auto" alt="{esc(ind)}" '
                    f'src="data:image/png;base64,{base64.b64encode(png).decode()}"/>'
                )
            rows.append(
                {
                    self.t("col.indicator"): self.indicator_name(ind),
                    self.t("col.period"): latest["period"],
                    self.t("col.value"): self.value(
                        latest["value"], latest["unit"], latest["qualifier"], latest["value_text"]
                    ),
                    self.t("col.change"): change,
                    self.t("col.sparkline"): spark,
                    self.t("col.source"): self.cite(latest["source_id"]),
                    "_cat": self.indicators.at[ind, "category"],
                }
            )
        frame = pd.DataFrame(rows).sort_values(["_cat", self.t("col.indicator")]).drop(columns="_cat")
        return self.styled(frame)

    def _change(self, indicator: str, latest: pd.Series) -> str:
        growth = self.obs[
            (self.obs["indicator_id"] == indicator)
            & (self.obs["measure"] == "yoy_growth")
            & (self.obs["period"] == latest["period"])
        ]
        if len(growth):
            g = growth.iloc[0]
            return f"{fmt_pct(g['value'], sign=True)} {self.cite(g['source_id'])}"
        if latest["period_kind"] == "year":
            prior = self.obs[
                (self.obs["indicator_id"] == indicator)
                & (self.obs["measure"] == "level")
                & (self.obs["period"] == str(int(latest["period"]) - 1))
                & (self.obs["status"] != "estimate")
                & ~is_comparable_volume(self.obs)
            ]
            if len(prior) and float(prior.iloc[0]["value_base"]) > 0:
                pct = (float(latest["value_base"]) / float(prior.iloc[0]["value_base"]) - 1) * 100
                return fmt_pct(pct, sign=True)
        return "–"

    def coverage(self):
        annualish = self.obs.assign(year=pd.to_datetime(self.obs["period_end"]).dt.year)
        years = list(range(int(annualish["year"].min()), int(annualish["year"].max()) + 1))
        rows = []
        for ind, group in annualish.groupby("indicator_id"):
            row = {self.t("col.indicator"): self.indicator_name(ind)}
            for y in years:
                g = group[group["year"] == y]
                if g.empty:
                    row[str(y)] = ""
                elif (g["period_kind"].isin(["year", "point"]) & (g["measure"] == "level")).any():
                    row[str(y)] = "●"
                else:
                    row[str(y)] = "○"
            rows.append(row)
        frame = pd.DataFrame(rows)
        styler = self.styled(frame).map(
            lambda v: (
                "background-color: #1f4e79; color: white; text-align: center"
                if v == "●"
                else ("background-color: #9dc3e6; text-align: center" if v == "○" else "")
            ),
            subset=[str(y) for y in years],
        )
        legend = (
            "● 全年或年末总量；○ 仅有季度、累计、增速或比重等数据"
            if self.language == "zh"
            else "● a full-year or year-end level; ○ only part-year, growth, share or other figures"
        )
        return styler.set_caption(legend)

    def parent_table(self):
        parent = self.reg.parent_id
        if not parent:
            return Block(f"<p class='ind-note'>{esc(self.t('none'))}</p>")
        # shares only of current-price levels: never of a volume at another year's prices
        mine = self.obs[
            (self.obs["measure"] == "level") & (self.obs["status"] != "estimate") & ~is_comparable_volume(self.obs)
        ]
        theirs = self.all_obs[
            (self.all_obs["region_id"] == parent)
            & (self.all_obs["measure"] == "level")
            & ~is_comparable_volume(self.all_obs)
        ]
        shares = self.obs[(self.obs["measure"] == "share") & (self.obs["ref_region_id"] == parent)]
        rows = []
        for (ind, period), g in mine.groupby(["indicator_id", "period"]):
            p = theirs[(theirs["indicator_id"] == ind) & (theirs["period"] == period)]
            if p.empty:
                continue
            a, b = by_status(g).iloc[0], by_status(p).iloc[0]
            published = shares[(shares["indicator_id"] == ind) & (shares["period"] == period)]
            if len(published):
                pub = published.iloc[0]
                share = f"{self.value(pub['value'], '%', pub['qualifier'])} {self.cite(pub['source_id'])}"
            else:
                share = fmt_pct(float(a["value_base"]) / float(b["value_base"]) * 100) + "*"
            rows.append(
                {
                    self.t("col.indicator"): self.indicator_name(ind),
                    self.t("col.period"): period,
                    self.reg.name(self.language): self.figure(a),
                    self.region_name(parent): self.figure(b),
                    self.t("col.share"): share,
                }
            )
        if not rows:
            return Block(f"<p class='ind-note'>{esc(self.t('none'))}</p>")
        note = (
            "* 按两地总量计算；其余为公布比重。"
            if self.language == "zh"
            else "* computed from the two levels; the others are published shares."
        )
        return self.styled(pd.DataFrame(rows)).set_caption(note)
