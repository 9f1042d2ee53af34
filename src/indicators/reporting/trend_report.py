"""The trend report: an indicator's series in a region, its trend and projection, with sources.

Every figure comes from the observations as published and is shown through the report's one
formatter (:meth:`~.base.Report.show_row`): published levels, derived levels, official
expectations (预计) and year-to-date figures look different in the chart and say so in the
tables; the projection is drawn only as the trend result allows (:mod:`indicators.analysis.trend`),
with a caption saying what it rests on; a rate is drawn as a line, its changes in percentage points.
"""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from ..analysis.series import annual_series, growth_table, is_comparable_volume, published_by
from ..analysis.trend import TrendResult, trend
from ..data.catalog import get_indicator, get_region, load_observations, load_table
from ..data.figures import plain, to_significant
from ..data.vintages import preferred
from ..errors import ParameterError
from .base import PathLike, Report, int_param
from .blocks import Block, Cell, Picture, join, note
from .charts import trend_chart
from .commentary import trend_sentences

#: Significant figures of a projected level (a model's number, not a published one).
PROJECTION_FIGURES = 3


class TrendReport(Report):
    """An indicator's series in a region: levels, growth, trend and projection, share of the
    parent, the figures with their sources, and commentary."""

    kind = "trend"
    SECTIONS = ("section.chart", "section.commentary", "section.growth", "section.share", "section.values")

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
        self.by_id = self.obs.set_index("obs_id")
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
        self.years = (int(values.index.min()), int(values.index.max())) if len(values) else None
        last = self.years[1] if self.years else None
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
        if not growth.empty and self.years:
            growth = growth[(growth.index >= self.years[0]) & (growth.index <= self.years[1])]
        self.growth = growth
        self.rate = self.ind.kind in ("rate", "ratio")
        self.checks = load_table("checks", data_dir=data_dir)
        self.checks = self.checks[
            (self.checks["indicator_id"] == indicator) & (self.checks["region_id"] == region)
        ].reset_index(drop=True)
        self.parameters = {
            "indicator": f"{indicator} ({self.ind.name(self.language)})",
            "region": f"{region} ({self.reg.name(self.language)})",
            "start_year": start or self.t("auto"),
            "end_year": end or self.t("auto"),
            "horizon": self.horizon,
            "as_of": str(self.as_of or "–"),
            "language": self.language,
        }

    @property
    def title(self) -> str:
        return self.t("trend.title", indicator=self.ind.name(self.language), region=self.reg.name(self.language))

    def name_parts(self) -> list[str]:
        return [self.ind.indicator_id, self.reg.region_id]

    def index_facts(self) -> dict[str, str]:
        facts = {"region": self.reg.region_id, "indicator": self.ind.indicator_id}
        if self.years:
            row, growth = self.level_row(self.years[1]), self.growth_row(self.years[1])
            if row is not None:
                level = self.show_level("index", row, "headline").text
                g = "" if growth is None else self.show_row("index", growth, role="headline").text
                facts["headline"] = (
                    self.t("trend.index_headline", period=self.period(str(self.years[1])), level=level, growth=g)
                    if g
                    else f"{self.period(str(self.years[1]))} {level}"
                )
        return facts

    # -- the figures ---------------------------------------------------------------------------
    def level_row(self, year: int) -> pd.Series | None:
        """The published observation that stands for the level of ``year`` (its own unit and text)."""
        rows = self.series.rows
        match = rows[rows["year"] == year]
        if match.empty:
            return None
        return self.observation(match.iloc[0]["obs_id"])

    def observation(self, obs_id: str) -> pd.Series | None:
        """The observation ``obs_id`` as loaded (its own unit and published text)."""
        if obs_id not in self.by_id.index:
            return None
        row = self.by_id.loc[obs_id].copy()
        row["obs_id"] = obs_id
        return row

    def growth_row(self, year: int) -> pd.Series | None:
        """The published growth observation of ``year`` the growth table uses."""
        if self.growth.empty or year not in self.growth.index or pd.isna(self.growth.at[year, "published"]):
            return None
        sid = self.growth.at[year, "source_id"]
        rows = self.obs[
            (self.obs["measure"] == "yoy_growth") & (self.obs["period"] == str(year)) & (self.obs["source_id"] == sid)
        ]
        return rows.iloc[0] if len(rows) else None

    def show_level(self, section: str, row: pd.Series, role: str):
        """A level in the indicator's catalog unit, as the report's language writes it."""
        return self.show_row(section, row, role=role, to_unit=self.ind.unit)

    def projected(
        self, section: str, year: int, value: float, role: str, *, bound: str = "", series: str = "projection"
    ) -> str:
        """A projected level (or, with ``bound``, a bound of its interval; with ``series="fit"``
        the fitted trend): a model's number, shown at three significant figures, the level "about"."""
        text = plain(to_significant(value, PROJECTION_FIGURES))
        shown = self.show(
            section,
            f"{series}:{year}{':' + bound if bound else ''}",
            text,
            self.ind.unit,
            qualifier="exact" if bound else "about",
            period=str(year),
            role=role,
            to_unit=self.ind.unit,
        )
        return shown.text

    def average_growth(self) -> tuple[pd.Series | None, float | None]:
        """The published average annual growth over the years shown (14.9%, never the report's
        own 15.0% beside it), else the growth of the fitted levels computed from the first and the
        last (``None`` for the published row then)."""
        if not self.years:
            return None, None
        first, last = self.years
        spans = self.obs[(self.obs["measure"] == "avg_annual_growth") & (self.obs["period"] == f"{first}-{last}")]
        spans = spans[spans["status"] != "estimate"]
        if len(spans):
            return preferred(spans), None
        points = self.fit.fit_points
        if len(points) >= 2 and float(points["value"].iloc[0]) > 0:
            a, b = points.iloc[0], points.iloc[-1]
            n = int(b["year"]) - int(a["year"])
            return None, ((float(b["value"]) / float(a["value"])) ** (1 / n) - 1) * 100 if n else None
        return None, None

    # -- blocks ----------------------------------------------------------------------------------
    def headline(self) -> Block:
        """The three to five things to take away, from the same figures as the sections below."""
        return self.headline_box(trend_sentences(self, section="trend.headline", short=True))

    def chart(self) -> Picture | Block:
        if self.values.empty:
            return note(self.fit.reason_in(self.language) or self.t("chart.no_data"))
        section = "trend.chart"
        labels = {
            "published": self.t("chart.published_level"),
            "derived": self.t("chart.derived_level"),
            "expected": self.t("chart.expected"),
            "projection": self.t("chart.projection"),
            "growth": self.t("chart.published_growth"),
            "recomputed": self.t("chart.change_pp") if self.rate else self.t("chart.recomputed_growth"),
            "nowcast": self.t("chart.nowcast"),
        }
        # the rows the chart draws, as shown (its CSV download)
        data: list[list[str]] = [
            [self.t("col.chart_year"), self.t("col.chart_series"), self.t("col.chart_value"), self.t("col.source")]
        ]
        rows = []
        for year in self.values.index:
            row = self.level_row(int(year))
            if row is None:
                continue
            shown = self.show_level(section, row, "chart")
            kind = "derived" if row["status"] == "derived" else "published"
            rows.append(
                {"year": int(year), "value": self._number(shown), "kind": kind, "text": self.numbers.bare(shown)}
            )
            data.append([str(int(year)), labels[kind], shown.text, self.cite(row["source_id"])])
        for _, e in self.fit.expectations.iterrows():
            if e["measure"] != "level" or e["obs_id"] not in self.by_id.index:
                continue
            row = self.observation(e["obs_id"])
            shown = self.show_level(section, row, "chart")
            rows.append({"year": int(e["year"]), "value": self._number(shown), "kind": "expected", "text": shown.text})
            data.append([str(int(e["year"])), labels["expected"], shown.text, self.cite(row["source_id"])])
        levels = pd.DataFrame(rows, columns=["year", "value", "kind", "text"])
        projection = self.fit.projection if self.fit.status in ("ok", "cagr_only") else self.fit.projection.iloc[0:0]
        fitted = self.fit.fitted if self.fit.status in ("ok", "interval_too_wide") else self.fit.fitted.iloc[0:0]
        if self.fit.status == "cagr_only":  # the line of the average growth, no model
            fitted = self.fit.fitted
        changes = self._changes()
        line_label = self.fit.label_in(self.language) if len(fitted) or len(projection) else ""
        interval_label = (
            self.t("chart.interval", p=round((1 - self.fit.alpha) * 100)) if self.fit.status == "ok" else ""
        )
        data += self._model_rows(section, fitted, projection, line_label, interval_label, labels)
        data += self._change_rows(section, changes, labels)
        # the chart is drawn in the unit the figures are shown in (billion yuan in English)
        scale = self.numbers.scale(self.ind.unit)
        fig = trend_chart(
            levels,
            fitted * scale,
            projection * scale,
            changes,
            title=self.title,
            unit=self.unit_name(self.ind.unit),
            language=self.language,
            rate=self.rate,
            line_label=line_label,
            interval_label=interval_label,
            change_label=self.t("chart.change_pp_axis") if self.rate else self.t("chart.growth"),
            labels=labels,
        )
        return self.picture(fig, alt=self.title, caption=self._caption(), data=data, key=section)

    def _model_rows(self, section, fitted, projection, line_label, interval_label, labels) -> list[list[str]]:
        """The fitted trend and the projection the chart draws, as model numbers are shown."""
        out = []
        for year, value in fitted.items():
            out.append(
                [str(year), line_label, self.projected(section, int(year), float(value), "chart", series="fit"), ""]
            )
        for year, p in projection.iterrows():
            out.append(
                [str(year), labels["projection"], self.projected(section, int(year), float(p["mean"]), "chart"), ""]
            )
            if interval_label and pd.notna(p["pi_lower"]) and pd.notna(p["pi_upper"]):
                for bound, column in (("low", "pi_lower"), ("high", "pi_upper")):
                    text = self.projected(section, int(year), float(p[column]), "chart", bound=bound)
                    out.append([str(year), self.t(f"chart.{bound}", label=interval_label), text, ""])
        return out

    def _change_rows(self, section: str, changes: pd.DataFrame, labels: dict[str, str]) -> list[list[str]]:
        """The lower panel's bars as shown: published growth and the year-to-date growth with
        their notes, growth recomputed from levels (or a rate's change in points)."""
        out = []
        for _, c in changes.sort_values("year").iterrows() if len(changes) else ():
            year = int(c["year"])
            if pd.notna(c.get("growth")) and (row := self.growth_row(year)) is not None:
                shown = self.show_row(section, row, role="chart")
                out.append([str(year), labels["growth"], shown.text, self.cite(row["source_id"])])
            if pd.notna(c.get("recomputed")):
                value = float(c["recomputed"])
                text = self.numbers.points(value) if self.rate else self.numbers.percent(value)
                self.record(section, f"recomputed:{year}", text, role="chart", period=str(year))
                out.append([str(year), labels["recomputed"], text, ""])
            if pd.notna(c.get("nowcast")):
                for _, n in self.fit.nowcast.iterrows():
                    if int(n["year"]) == year and n["measure"] == "yoy_growth" and n["obs_id"] in self.by_id.index:
                        row = self.observation(n["obs_id"])
                        shown = self.show_row(section, row, role="chart")
                        out.append(
                            [
                                self.period(str(row["period"])),
                                labels["nowcast"],
                                shown.text,
                                self.cite(row["source_id"]),
                            ]
                        )
        return out

    @staticmethod
    def _number(shown) -> float:
        return float(str(shown.number).replace(",", ""))

    def _changes(self) -> pd.DataFrame:
        """The lower panel: published growth beside growth computed from the published levels
        (flows, stocks), or the change in percentage points (rates); the year-to-date growth
        published after the latest level, marked as such."""
        if self.rate:
            v = self.values
            years = [y for y in v.index if y - 1 in v.index]
            return pd.DataFrame({"year": years, "recomputed": [float(v[y] - v[y - 1]) for y in years]})
        frame = pd.DataFrame(columns=["year", "growth", "recomputed", "nowcast"])
        if not self.growth.empty:
            g = self.growth.reset_index()
            frame = pd.DataFrame({"year": g["year"], "growth": g["published"], "recomputed": g["recomputed"]})
        for _, n in self.fit.nowcast.iterrows():
            if n["measure"] == "yoy_growth":
                frame = pd.concat(
                    [frame, pd.DataFrame({"year": [int(n["year"])], "nowcast": [float(n["value"])]})], ignore_index=True
                )
        return frame.astype({"year": int}) if len(frame) else frame

    def _caption(self) -> str:
        """What the chart's line rests on: the figures fitted and the method, or why none."""
        fit = self.fit
        parts = []
        if fit.status in ("ok", "interval_too_wide", "cagr_only") and fit.n_obs:
            years = fit.fit_years
            parts.append(
                self.t(
                    "trend.caption.fit",
                    method=fit.label_in(self.language),
                    n=fit.n_obs,
                    first=years[0],
                    last=years[-1],
                )
            )
        if fit.status != "ok":
            parts.append(fit.reason_in(self.language))
        else:
            parts.append(self.t("chart.interval", p=round((1 - fit.alpha) * 100)))
        parts.append(self.t("trend.caption.markers"))
        return ("；" if self.language == "zh" else "; ").join(p for p in parts if p)

    def commentary(self) -> Block:
        sentences = trend_sentences(self, section="trend.commentary")
        return Block(
            Markup("<div class='ind-commentary'>{}</div>").format(
                join(Markup("<p>{}</p>").format(s) for s in sentences)
            )
        )

    def growth_table(self):
        if self.rate:
            return self._rate_changes_table()
        if self.growth.empty:
            return note(self.t("none"))
        table = self.new_table(
            [
                self.t("col.year"),
                self.t("col.published"),
                self.t("col.recomputed"),
                self.t("col.difference"),
                self.t("col.source"),
            ],
            key="trend.growth",
            numeric=(1, 2, 3),
            caption=self.t("trend.growth_caption"),
        )
        for year, g in self.growth.iterrows():
            row = self.growth_row(int(year))
            published = Cell("–")
            if row is not None:
                shown = self.show_row("trend.growth", row)
                basis = self.t("trend.comparable") if row["price_basis"] == "comparable" else ""
                published = Cell(f"{shown.text}{basis}", Markup("{}{}").format(Markup(shown.html), basis))
            rec = "–" if pd.isna(g["recomputed"]) else self.numbers.percent(g["recomputed"])
            if g.get("recomputed_note") == "preliminary level" and rec != "–":
                rec += self.t("trend.from_preliminary")
            diff = "–" if pd.isna(g["difference"]) else self.numbers.points(g["difference"])
            sid = g["source_id"] if isinstance(g["source_id"], str) else ""
            table.add([self.period(str(year)), published, rec, diff, Cell(self.cite(sid), self.cite_html(sid))])
        return table

    def _rate_changes_table(self):
        v = self.values
        years = [int(y) for y in v.index if y - 1 in v.index]
        if not years:
            return note(self.t("none"))
        table = self.new_table(
            [self.t("col.year"), self.t("col.value"), self.t("trend.col.change_pp"), self.t("col.source")],
            key="trend.growth",
            numeric=(1, 2),
        )
        for year in years:
            row, before = self.level_row(year), self.level_row(year - 1)
            if row is None or before is None:
                continue
            shown = self.show_level("trend.growth", row, "table")
            change = self.numbers.points(float(row["value"]) - float(before["value"]))
            self.record("trend.growth", f"{row['obs_id']}:change", change, role="table", period=str(year))
            ids = f"{row['source_id']};{before['source_id']}"
            table.add(
                [
                    self.period(str(year)),
                    Cell(shown.text, Markup(shown.html)),
                    change,
                    Cell(self.cite(ids), self.cite_html(ids)),
                ]
            )
        return table

    def share_table(self):
        shares = self.obs[self.obs["measure"] == "share"]
        if shares.empty:
            return note(self.t("none"))
        shares = shares.sort_values(["period_start", "period_end"])
        table = self.new_table(
            [self.t("col.period"), self.t("col.of"), self.t("col.share"), self.t("col.source")],
            key="trend.share",
            numeric=(2,),
        )
        for _, row in shares.iterrows():
            shown = self.show_row("trend.share", row)
            table.add(
                [
                    self.period(row["period"]),
                    self.region_name(row["ref_region_id"]),
                    Cell(shown.text, Markup(shown.html)),
                    Cell(self.cite(row["source_id"]), self.cite_html(row["source_id"])),
                ]
            )
        return table

    def values_table(self):
        """Every published figure of the years shown: levels in the indicator's unit (one unit in
        the column), growth rates beside them; a volume at another year's prices is not a level
        and is left out."""
        obs = self.obs[self.obs["measure"].isin(["level", "yoy_growth", "avg_annual_growth"])]
        obs = obs[~is_comparable_volume(obs)]
        if self.years:
            lo, hi = self.years
            years = pd.to_datetime(obs["period_end"]).dt.year
            obs = obs[(years >= lo) & (years <= hi + 2)]
        obs = obs.sort_values(["period_end", "period_start", "measure"])
        unit = self.unit_name(self.ind.unit)
        table = self.new_table(
            [
                self.t("col.period"),
                self.t("trend.col.level", unit=unit) if unit and unit != "%" else self.t("col.value"),
                self.t("trend.col.growth"),
                self.t("col.status"),
                self.t("col.source"),
            ],
            key="trend.values",
            numeric=(1, 2),
            print_compact=True,
        )
        for _, row in obs.iterrows():
            if row["measure"] == "level":
                shown = self.show_level("trend.values", row, "table")
                level = self.in_column(shown, unit_in_header=bool(unit) and unit != "%")
                growth = Cell("")
            else:
                shown = self.show_row("trend.values", row)
                prefix = self.t("trend.average") if row["measure"] == "avg_annual_growth" else ""
                if prefix:
                    growth = Cell(f"{prefix}{shown.text}", Markup("{}{}").format(prefix, Markup(shown.html)))
                else:
                    growth = Cell(shown.text, Markup(shown.html))
                level = Cell("")
            table.add(
                [
                    self.period(row["period"]),
                    level,
                    growth,
                    self.t(f"status.{row['status']}"),
                    Cell(self.cite(row["source_id"]), self.cite_html(row["source_id"])),
                ]
            )
        return table
