"""The overview report: a region's indicators, the headline ones first, each with its latest full
year, the latest year-to-date figure beside it, its change, a sparkline and its source; which
years have data; the region against its parent.

"Latest" is the latest full year (a year-end point for stocks), never a single quarter; a later
year-to-date figure stands beside it. A figure much older than the region's newest data is
flagged. Periods are written as the statistics write them (2023年前三季度 / Q1-Q3 2023).
"""

from __future__ import annotations

import base64

import pandas as pd
from markupsafe import Markup

from ..analysis.series import published_by, select_annual
from ..data.catalog import get_region, load_observations, load_table
from ..data.periods import Period
from ..data.vintages import preferred
from ..errors import ParameterError
from .base import PathLike, Report
from .blocks import Block, Cell, note
from .charts import SPARKLINE_PX_PER_INCH, display_size, sparkline, to_png

#: The indicators an economist reads first, in this order (those the region has).
HEADLINE = (
    "gdp",
    "industrial_va_above_size",
    "industrial_output_above_size",
    "fixed_asset_investment",
    "foreign_trade",
    "fdi_actual",
    "budget_revenue",
    "retail_sales",
)
CATEGORY_ORDER = ("output", "industry", "investment", "trade", "fiscal", "social", "innovation", "green")
#: A latest year this many years or more before the region's newest full year is flagged as old.
OLD_AFTER_YEARS = 2


class OverviewReport(Report):
    """Every indicator of a region: latest value, change, sparkline; coverage; against the parent."""

    kind = "overview"
    SECTIONS = ("section.latest", "section.coverage", "section.parent")

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
        self.rows = self._latest_rows()

    def name_parts(self) -> list[str]:
        return [self.reg.region_id]

    def index_facts(self) -> dict[str, str]:
        return {"region": self.reg.region_id, "headline": self.t("overview.index_headline", n=len(self.rows))}

    @property
    def title(self) -> str:
        return self.t("overview.title", region=self.reg.name(self.language))

    # -- what is latest --------------------------------------------------------------------
    def _levels(self, indicator: str) -> pd.DataFrame:
        """Published levels that can stand for the indicator in a year: full years (year-end
        points for stocks, rates and counts); never expectations or derived volumes."""
        kind = self.indicators.at[indicator, "kind"]
        allowed = ("year",) if kind == "flow" else ("year", "point")
        lv = self.obs[
            (self.obs["indicator_id"] == indicator)
            & (self.obs["measure"] == "level")
            & self.obs["status"].isin(["reported", "preliminary"])
        ]
        return lv[lv["period_kind"].isin(allowed)]

    def _latest_rows(self) -> list[dict]:
        """One entry per indicator with a level: its latest full-year (or point) figure, the
        latest year-to-date figure after it, and the published growth of each."""
        out = []
        for ind in sorted(set(self.obs["indicator_id"])):
            levels = self._levels(ind)
            if levels.empty:
                continue
            ends = pd.to_datetime(levels["period_end"])
            latest = preferred(levels[ends == ends.max()])
            ytd = self.obs[
                (self.obs["indicator_id"] == ind)
                & (self.obs["measure"] == "level")
                & (self.obs["period_kind"].isin(["quarter", "half", "months", "month"]))
                & self.obs["status"].isin(["reported", "preliminary"])
                & (pd.to_datetime(self.obs["period_end"]) > ends.max())
            ]
            ytd = ytd[ytd["period"].map(lambda p: Period.parse(p).is_year_to_date)]
            later = None
            if len(ytd):
                last_end = pd.to_datetime(ytd["period_end"]).max()
                later = preferred(ytd[pd.to_datetime(ytd["period_end"]) == last_end])
            out.append({"indicator_id": ind, "latest": latest, "later": later})
        return out

    def _growth(self, indicator: str, period: str) -> pd.Series | None:
        g = self.obs[
            (self.obs["indicator_id"] == indicator)
            & (self.obs["measure"] == "yoy_growth")
            & (self.obs["period"] == period)
            & self.obs["status"].isin(["reported", "preliminary"])
        ]
        return preferred(g) if len(g) else None

    def _order(self) -> list[dict]:
        head = [r for i in HEADLINE for r in self.rows if r["indicator_id"] == i]
        rest = [r for r in self.rows if r["indicator_id"] not in HEADLINE]
        rank = {c: n for n, c in enumerate(CATEGORY_ORDER)}
        rest.sort(key=lambda r: (rank.get(self.indicators.at[r["indicator_id"], "category"], 99), r["indicator_id"]))
        return head + rest

    def frontier(self) -> int | None:
        """The region's newest full year among its headline indicators (else all indicators)."""
        head = [r for r in self.rows if r["indicator_id"] in HEADLINE] or self.rows
        years = [pd.Timestamp(r["latest"]["period_end"]).year for r in head]
        return max(years) if years else None

    # -- blocks ------------------------------------------------------------------------------
    def headline(self) -> Block:
        """What to take away: the latest full year of the first three headline indicators whose
        figure is not old, with their growth (the figures of the table below), and how many
        indicators have data and how many of them are old."""
        section = "overview.headline"
        items = []
        frontier = self.frontier()
        recent = [
            r
            for r in self._order()
            if r["indicator_id"] in HEADLINE
            and (frontier is None or pd.Timestamp(r["latest"]["period_end"]).year > frontier - OLD_AFTER_YEARS)
        ]
        for entry in recent[:3]:
            ind, latest = entry["indicator_id"], entry["latest"]
            shown = self.show_row(section, latest, role="headline")
            ids = [latest["source_id"]]
            kind = self.indicators.at[ind, "kind"]
            growth = None if kind in ("rate", "ratio") else self._growth(ind, latest["period"])
            words = {"indicator": self.indicator_name(ind), "period": self.period(latest["period"])}
            if growth is None:
                items.append(self.tm("overview.h.latest", figure=Markup(shown.html), cite=self.cite_html(ids), **words))
                continue
            gs = self.show_row(section, growth, role="headline")
            basis = self.t("overview.comparable") if growth["price_basis"] == "comparable" else ""
            ids.append(growth["source_id"])
            items.append(
                self.tm(
                    "overview.h.latest_growth",
                    figure=Markup(shown.html),
                    growth=Markup("{}{}").format(Markup(gs.html), basis),
                    cite=self.cite_html(";".join(ids)),
                    **words,
                )
            )
        if frontier is not None:
            old = [r for r in self.rows if pd.Timestamp(r["latest"]["period_end"]).year <= frontier - OLD_AFTER_YEARS]
            self.record(section, "indicators", str(len(self.rows)), role="headline")
            self.record(section, "old", str(len(old)), role="headline")
            key = "overview.h.coverage_old" if old else "overview.h.coverage"
            items.append(
                self.tm(key, n=len(self.rows), old=len(old), year=frontier - OLD_AFTER_YEARS, frontier=frontier)
            )
        return self.headline_box(items)

    def latest_table(self):
        frontier = self.frontier()
        table = self.new_table(
            [
                self.t("col.indicator"),
                self.t("overview.col.latest_year"),
                self.t("col.value"),
                self.t("overview.col.change"),
                self.t("overview.col.year_to_date"),
                self.t("col.sparkline"),
                self.t("col.source"),
            ],
            key="overview.latest",
            caption=self.t("overview.caption", years=OLD_AFTER_YEARS),
        )
        for entry in self._order():
            ind, latest, later = entry["indicator_id"], entry["latest"], entry["later"]
            shown = self.show_row("overview.latest", latest)
            year = pd.Timestamp(latest["period_end"]).year
            period = self.period(latest["period"])
            old = frontier is not None and year <= frontier - OLD_AFTER_YEARS
            period_cell = Cell(period)
            if old:
                flag = self.t("overview.old")
                period_cell = Cell(
                    f"{period}（{flag}）" if self.language == "zh" else f"{period} ({flag})",
                    Markup('{} <span class="ind-mark ind-old">{}</span>').format(period, flag),
                )
            sources = [latest["source_id"]]
            change = self._change_cell(ind, latest, sources)
            later_cell = Cell("")
            if later is not None:
                later_shown = self.show_row("overview.latest", later)
                g = self._growth(ind, later["period"])
                text = f"{self.period(later['period'])} {later_shown.text}"
                html = Markup("{} {}").format(self.period(later["period"]), Markup(later_shown.html))
                if g is not None:
                    gs = self.show_row("overview.latest", g)
                    word = self.t("overview.growth_word")
                    text += f"，{word}{gs.text}" if self.language == "zh" else f", {word} {gs.text}"
                    html += Markup("，{}{}" if self.language == "zh" else ", {} {}").format(word, Markup(gs.html))
                    sources.append(g["source_id"])
                sources.append(later["source_id"])
                later_cell = Cell(text, html)
            source_ids = ";".join(dict.fromkeys(s for s in ";".join(sources).split(";") if s))
            table.add(
                [
                    self.indicator_name(ind),
                    period_cell,
                    Cell(shown.text, Markup(shown.html)),
                    change,
                    later_cell,
                    self._spark(ind),
                    Cell(self.cite(source_ids), self.cite_html(source_ids)),
                ]
            )
        return table

    def _change_cell(self, indicator: str, latest: pd.Series, sources: list[str]) -> Cell:
        """The published growth of the latest period; for a rate, the change in percentage points
        from the year before (same vintage: the best published figures of both years)."""
        kind = self.indicators.at[indicator, "kind"]
        if kind in ("rate", "ratio"):
            levels = self._levels(indicator)
            year = pd.Timestamp(latest["period_end"]).year
            before = levels[pd.to_datetime(levels["period_end"]).dt.year == year - 1]
            if before.empty:
                return Cell("–")
            prior = preferred(before)
            text = self.numbers.points(float(latest["value"]) - float(prior["value"]))
            self.record("overview.latest", f"{indicator}:change", text, role="table", period=str(latest["period"]))
            since = self.t("overview.vs", year=year - 1)
            return Cell(f"{text}（{since}）" if self.language == "zh" else f"{text} ({since})")
        g = self._growth(indicator, latest["period"])
        if g is None:
            return Cell("–")
        gs = self.show_row("overview.latest", g)
        sources.append(g["source_id"])
        basis = self.t("overview.comparable") if g["price_basis"] == "comparable" else ""
        return Cell(f"{gs.text}{basis}", Markup("{}{}").format(Markup(gs.html), basis))

    def _spark(self, indicator: str) -> Cell:
        levels = self._levels(indicator)
        if levels["period"].nunique() < 3:
            return Cell("")
        latest = preferred(levels)
        series = select_annual(
            levels,
            indicator_id=indicator,
            region_id=self.reg.region_id,
            unit=latest["unit"],
            factor=float(self._units.at[latest["unit"], "factor"]),
            kind=self.indicators.at[indicator, "kind"],
        )
        if len(series) < 3:
            return Cell("")
        fig = sparkline(series.values)
        png = to_png(fig, self.glyph_warnings, px_per_inch=SPARKLINE_PX_PER_INCH)
        width, height = display_size(fig, SPARKLINE_PX_PER_INCH)
        years = f"{series.years[0]}-{series.years[-1]}"
        return Cell(
            "",
            Markup('<img class="ind-spark" alt="{}" width="{}" height="{}" src="data:image/png;base64,{}"/>').format(
                f"{self.indicator_name(indicator)} {years}", width, height, base64.b64encode(png).decode()
            ),
        )

    def coverage(self):
        annualish = self.obs.assign(year=pd.to_datetime(self.obs["period_end"]).dt.year)
        years = list(range(int(annualish["year"].min()), int(annualish["year"].max()) + 1))
        table = self.new_table(
            [self.t("col.indicator"), *(str(y) for y in years)],
            key="overview.coverage",
            caption=self.t("overview.coverage_legend"),
        )
        for entry in self._order():
            ind = entry["indicator_id"]
            group = annualish[annualish["indicator_id"] == ind]
            full = set(pd.to_datetime(self._levels(ind)["period_end"]).dt.year)
            cells: list[object] = [self.indicator_name(ind)]
            for y in years:
                if y in full:
                    cells.append(Cell("●", cls="ind-cov-full"))
                elif (group["year"] == y).any():
                    cells.append(Cell("○", cls="ind-cov-part"))
                else:
                    cells.append(Cell(""))
            table.add(cells)
        return table

    def parent_table(self):
        """The region's published levels beside its parent's, with the published share (or the
        share computed from the two published levels, marked)."""
        parent = self.reg.parent_id
        if not parent:
            return note(self.t("none"))
        theirs = self.all_obs[
            (self.all_obs["region_id"] == parent)
            & (self.all_obs["measure"] == "level")
            & self.all_obs["status"].isin(["reported", "preliminary"])
        ]
        shares = self.obs[(self.obs["measure"] == "share") & (self.obs["ref_region_id"] == parent)]
        table = self.new_table(
            [
                self.t("col.indicator"),
                self.t("col.period"),
                self.reg.name(self.language),
                self.region_name(parent),
                self.t("col.share"),
                self.t("col.source"),
            ],
            key="overview.parent",
            caption=self.t("overview.parent_caption"),
        )
        mine = self.obs[(self.obs["measure"] == "level") & self.obs["status"].isin(["reported", "preliminary"])]
        for (ind, period), g in mine.groupby(["indicator_id", "period"]):
            p = theirs[(theirs["indicator_id"] == ind) & (theirs["period"] == period)]
            if p.empty:
                continue
            a, b = preferred(g), preferred(p)
            if a["price_basis"] != b["price_basis"]:
                continue
            sa = self.show_row("overview.parent", a)
            sb = self.show_row("overview.parent", b, to_unit=a["unit"])
            published = shares[(shares["indicator_id"] == ind) & (shares["period"] == period)]
            sources = [a["source_id"], b["source_id"]]
            if len(published):
                pub = preferred(published)
                share = self.show_row("overview.parent", pub)
                share_cell = Cell(share.text, Markup(share.html))
                sources.append(pub["source_id"])
            else:
                text = self.numbers.percent(float(a["value_base"]) / float(b["value_base"]) * 100)
                mark = self.numbers.figure(1, "%", status="derived").marks[0]
                self.record("overview.parent", f"{ind}:{period}:share", text, role="table", period=str(period))
                share_cell = Cell(
                    f"{text}（{mark}）" if self.language == "zh" else f"{text} ({mark})",
                    Markup('{} <span class="ind-mark">{}</span>').format(text, mark),
                )
            ids = ";".join(dict.fromkeys(";".join(sources).split(";")))
            table.add(
                [
                    self.indicator_name(ind),
                    self.period(period),
                    Cell(sa.text, Markup(sa.html)),
                    Cell(sb.text, Markup(sb.html)),
                    share_cell,
                    Cell(self.cite(ids), self.cite_html(ids)),
                ]
            )
        if not len(table):
            return note(self.t("none"))
        return table
