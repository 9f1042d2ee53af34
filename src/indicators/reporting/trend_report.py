"""The trend report: an indicator's series in a region, its trend and projection, with sources."""

from __future__ import annotations

import pandas as pd

from ..analysis.series import annual_series, growth_table, is_comparable_volume, published_by
from ..analysis.trend import TrendResult, trend
from ..data.catalog import get_indicator, get_region, load_observations
from ..errors import ParameterError
from .base import Block, PathLike, Picture, Report, int_param
from .blocks import esc
from .charts import trend_chart
from .commentary import trend_commentary
from .i18n import fmt_pct


class TrendReport(Report):
    """An indicator's series in a region: levels, growth, trend and projection, share of the
    parent, the figures with their sources, and commentary."""

    kind = "trend"

    def __init__(
        self,
        *,
        indicator: str = "gdp",
        region: str = "wcna",
        start_year: int = 0,
        end_year: int = 0,
        horizon: int = 2,
        as_of: str = "",
        language: str = "zh",
        data_dir: PathLike = None,
    ):
        super().__init__(language=language, data_dir=data_dir)
        self.ind = get_indicator(indicator, data_dir=data_dir, parameter="indicator")
        self.reg = get_region(region, data_dir=data_dir, parameter="region")
        self.as_of = self.as_of_date(as_of)
        # what was known at as_of: each figure's latest vintage published by then
        obs = published_by(load_observations(indicator, data_dir=data_dir), self.as_of)
        regions_with_data = sorted(obs["region_id"].unique())
        if region not in regions_with_data:
            raise ParameterError(
                "region",
                region,
                f"no figures of {indicator} for this region",
                f"use one of: {', '.join(regions_with_data) or '(none: choose another indicator)'}",
            )
        self.horizon = int_param("horizon", horizon, 0, 15, "give the number of years to project, 0-15")
        start = int_param("start_year", start_year, 0, 2100, "give a year, or 0 for the earliest with data")
        end = int_param("end_year", end_year, 0, 2100, "give a year, or 0 for the latest with data")
        if start and end and start > end:
            raise ParameterError("start_year", start_year, f"after end_year {end_year}", "swap them")
        self.obs = obs[obs["region_id"] == region]
        self.series = annual_series(indicator, region, as_of=self.as_of, data_dir=data_dir)
        values = self.series.values
        if start:
            values = values[values.index >= start]
        if end:
            values = values[values.index <= end]
        if (start or end) and values.empty and len(self.series):
            raise ParameterError(
                "start_year" if start else "end_year",
                start or end,
                "no annual figure in the chosen years",
                f"choose years within {self.series.years[0]}-{self.series.years[-1]}",
            )
        self.values = values
        last = int(values.index.max()) if len(values) else None
        self.fit: TrendResult = trend(
            indicator,
            region,
            to_year=last + self.horizon if last is not None and self.horizon else None,
            start_year=start or None,
            end_year=end or None,
            as_of=self.as_of,
            data_dir=data_dir,
        )
        growth = growth_table(indicator, region, as_of=self.as_of, data_dir=data_dir)
        if not growth.empty and len(values):
            growth = growth[(growth.index >= values.index.min()) & (growth.index <= values.index.max())]
        self.growth = growth
        self.parameters = {
            "indicator": f"{indicator} ({self.ind.name(self.language)})",
            "region": f"{region} ({self.reg.name(self.language)})",
            "start_year": start or "auto",
            "end_year": end or "auto",
            "horizon": self.horizon,
            "as_of": str(self.as_of or "–"),
            "language": self.language,
        }

    @property
    def title(self) -> str:
        return self.t("trend.title", indicator=self.ind.name(self.language), region=self.reg.name(self.language))

    def chart(self) -> Picture | Block:
        if self.values.empty:
            return Block(f"<p class='ind-note'>{esc(self.fit.reason_in(self.language) or self.t('chart.no_data'))}</p>")
        fig = trend_chart(
            self.values,
            self.fit.fitted,
            self.fit.projection,
            self.growth,
            title=self.title,
            unit=self.unit_name(self.ind.unit),
            language=self.language,
            alpha=self.fit.alpha,
            method_label=self._method_label(),
        )
        return self.picture(fig, alt=self.title, caption=self._fit_caption())

    def _method_label(self) -> str:
        return self.fit.label_in(self.language)

    def _fit_caption(self) -> str:
        if self.fit.status in ("insufficient_data", "interval_too_wide", "cagr_only"):
            return self.fit.reason_in(self.language) or self.fit.label_in(self.language)
        if self.language == "zh":
            level = round((1 - self.fit.alpha) * 100)
            return f"{self._method_label()}，{self.fit.n_obs}个年度数据，现价总量；阴影为{level}%预测区间。"
        level = round((1 - self.fit.alpha) * 100)
        return f"{self.fit.label} on {self.fit.n_obs} annual levels; shading: {level}% prediction interval."

    def growth_table(self):
        if self.growth.empty:
            return Block(f"<p class='ind-note'>{esc(self.t('none'))}</p>")
        g = self.growth.reset_index()
        frame = pd.DataFrame(
            {
                self.t("col.year"): g["year"].astype(str),
                self.t("col.published"): g["published"].map(lambda v: fmt_pct(v)),
                self.t("col.recomputed"): g["recomputed"].map(lambda v: fmt_pct(v)),
                self.t("col.difference"): g["difference"].map(lambda v: "–" if pd.isna(v) else f"{v:+.1f}"),
                self.t("col.source"): g["source_id"].map(lambda s: self.cite(s) if isinstance(s, str) and s else ""),
            }
        )
        return self.styled(frame)

    def share_table(self):
        shares = self.obs[self.obs["measure"] == "share"]
        if shares.empty:
            return Block(f"<p class='ind-note'>{esc(self.t('none'))}</p>")
        shares = shares.sort_values(["period_start", "period_end"])
        frame = pd.DataFrame(
            {
                self.t("col.period"): shares["period"],
                self.t("col.of"): shares["ref_region_id"].map(self.region_name),
                self.t("col.share"): [
                    self.value(v, "%", q) for v, q in zip(shares["value"], shares["qualifier"], strict=True)
                ],
                self.t("col.source"): shares["source_id"].map(self.cite),
            }
        )
        return self.styled(frame)

    def values_table(self):
        obs = self.obs[self.obs["measure"].isin(["level", "yoy_growth", "avg_annual_growth"])]
        obs = obs[~is_comparable_volume(obs)]  # a volume at another year's prices is not a level
        if len(self.values):
            lo, hi = self.values.index.min(), self.values.index.max()
            years = pd.to_datetime(obs["period_end"]).dt.year
            obs = obs[(years >= lo) & (years <= hi + 2)]
        obs = obs.sort_values(["period_start", "period_end", "measure"])
        measure = {
            "zh": {"level": "总量", "yoy_growth": "同比增长", "avg_annual_growth": "年均增长"},
            "en": {"level": "level", "yoy_growth": "growth", "avg_annual_growth": "average growth"},
        }[self.language]
        frame = pd.DataFrame(
            {
                self.t("col.period"): obs["period"],
                "": obs["measure"].map(measure),
                self.t("col.value"): [
                    self.value(v, u, q, text=vt)
                    for v, u, q, vt in zip(obs["value"], obs["unit"], obs["qualifier"], obs["value_text"], strict=True)
                ],
                self.t("col.status"): obs["status"].map(lambda s: self.t(f"status.{s}")),
                self.t("col.source"): obs["source_id"].map(self.cite),
            }
        )
        return self.styled(frame)

    def commentary(self) -> Block:
        return Block(f"<div class='ind-commentary'>{trend_commentary(self)}</div>")
