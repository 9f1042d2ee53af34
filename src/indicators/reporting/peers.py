"""The peer comparison: the West Coast New Area beside the other national-level new areas.

One reference year (the latest year that most of the areas published), each area's published
figure for it (an area without one shows its nearest other year, labelled on its bar), the same
figure in the chart and the table, bounds (超过4000亿元) shown as bounds, one unit per column, and
every area without a figure listed with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from markupsafe import Markup

from ..data.catalog import get_indicator, get_region, load_observations, load_table
from ..data.vintages import preferred
from ..errors import ParameterError
from .base import PathLike, Report, id_list
from .blocks import Block, Cell, Picture, join, note
from .charts import peer_chart
from .numbers import Shown

MEASURES = ("level", "yoy_growth")
#: The area the comparison is about (highlighted in the charts, ranked in the headline).
FOCUS = "wcna"
LOWER_BOUNDS, UPPER_BOUNDS = ("more_than", "at_least"), ("less_than", "at_most")


def bounds(row: pd.Series) -> tuple[float, float]:
    """The range a figure allows, in its base unit: a point, or open above (more than, at least)
    or below (less than, at most)."""
    value = float(row["value_base"]) if "value_base" in row and pd.notna(row["value_base"]) else float(row["value"])
    if row["qualifier"] in LOWER_BOUNDS:
        return value, float("inf")
    if row["qualifier"] in UPPER_BOUNDS:
        return float("-inf"), value
    return value, value


def rank_range(mine: pd.Series, others: list[pd.Series]) -> tuple[int, int]:
    """The places a figure can take among ``others`` (1 is the highest): a bound the figure
    lies inside of could be above or below it, so the place is a range."""
    lo, hi = bounds(mine)
    above = below = 0
    for other in others:
        o_lo, o_hi = bounds(other)
        if o_lo > hi or (o_lo == hi and other["qualifier"] == "more_than"):
            above += 1
        elif o_hi < lo or (o_hi == lo and other["qualifier"] == "less_than"):
            below += 1
    return above + 1, len(others) + 1 - below


@dataclass(frozen=True)
class Entry:
    """One area in a comparison: the figure shown (``row``, of ``year``) or the reason there is none."""

    region_id: str
    year: int | None = None
    row: pd.Series | None = field(default=None, repr=False)
    reason: str = ""


@dataclass(frozen=True)
class Comparison:
    """An indicator across the areas: the reference year and one entry per area."""

    reference: int | None
    entries: tuple[Entry, ...]

    @property
    def shown(self) -> list[Entry]:
        return [e for e in self.entries if e.row is not None]

    @property
    def without(self) -> list[Entry]:
        return [e for e in self.entries if e.row is None]


class PeerReport(Report):
    """The West Coast New Area beside the other national-level new areas, scope shown."""

    kind = "peers"

    def __init__(
        self,
        *,
        indicators: str = "gdp",
        measure: str = "level",
        regions: str = "",
        language: str = "zh",
        data_dir: PathLike = None,
    ):
        super().__init__(language=language, data_dir=data_dir)
        self.indicator_ids = id_list(indicators)
        if not self.indicator_ids:
            raise ParameterError("indicators", indicators, "empty", "give one or more indicator ids, comma-separated")
        for ind in self.indicator_ids:
            get_indicator(ind, data_dir=data_dir, parameter="indicators")
        if measure not in MEASURES:
            raise ParameterError("measure", measure, "not a measure the comparison shows", f"use one of: {MEASURES}")
        self.measure = measure
        regions_table = load_table("regions", data_dir=data_dir).set_index("region_id")
        obs = load_observations(self.indicator_ids, data_dir=data_dir)
        level = regions_table["level"]
        parent_level = regions_table["parent_id"].map(level)
        # national-level new areas, and a new area's other statistical scope (直管区 under 全域),
        # not the districts or zones inside one
        scope = regions_table["scope"].fillna("").astype(str)
        other_scope = (parent_level == "new_area") & scope.ne("")
        new_areas = list(regions_table.index[(level == "new_area") | other_scope])
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
        self.obs = obs[obs["region_id"].isin(chosen)]
        self.parameters = {
            "indicators": ", ".join(f"{i} ({self.indicator_name(i)})" for i in self.indicator_ids),
            "measure": self.t(f"measure.{measure}"),
            "regions": ", ".join(self._label(r) for r in chosen),
            "language": self.language,
        }
        self.comparisons = {ind: self._compare(ind) for ind in self.indicator_ids}

    def name_parts(self) -> list[str]:
        return ["-".join(self.indicator_ids)] if len(self.indicator_ids) <= 3 else []

    def contents_entries(self) -> list[tuple[str, str]]:
        """One section per indicator (:meth:`body`)."""
        return [(f"peers-{ind}", self._heading(ind)) for ind in self.indicator_ids]

    def index_facts(self) -> dict[str, str]:
        return {
            "indicator": ",".join(self.indicator_ids),
            "headline": self.t(
                "peers.index_headline",
                year=self.comparisons[self.indicator_ids[0]].reference or "–",
                n=len(self.comparisons[self.indicator_ids[0]].shown),
            ),
        }

    @property
    def title(self) -> str:
        names = ("、" if self.language == "zh" else ", ").join(self.indicator_name(i) for i in self.indicator_ids)
        if self.measure == "yoy_growth":
            names = self.t("peers.growth_of", indicator=names)
        return self.t("peers.title", indicator=names)

    def _label(self, region_id: str) -> str:
        """The region's name with its statistical scope, unless the name already says it."""
        scope = self.regions_table.at[region_id, "scope"]
        name = self.region_name(region_id)
        word = self.t(f"scope.{scope}") if scope else ""
        if not word or word in name:
            return name
        return f"{name}（{word}）" if self.language == "zh" else f"{name} ({word})"

    # -- the comparison ------------------------------------------------------------------
    def _candidates(self, indicator: str) -> pd.DataFrame:
        """Published full-year figures of the measure: no derived volumes, no expectations;
        levels at current prices."""
        obs = self.obs[
            (self.obs["indicator_id"] == indicator)
            & (self.obs["measure"] == self.measure)
            & (self.obs["period_kind"] == "year")
            & self.obs["status"].isin(["reported", "preliminary"])
        ]
        if self.measure == "level":
            obs = obs[obs["price_basis"].isin(["current", ""]) | obs["price_basis"].isna()]
        return obs.assign(year=obs["period"].astype(int))

    def _compare(self, indicator: str) -> Comparison:
        """One entry per area: the figure shown (reference year, else the nearest other year,
        the later of two equally near) or the reason there is none."""
        obs = self._candidates(indicator)
        per_year = obs.groupby("year")["region_id"].nunique()
        reference = int(per_year[per_year == per_year.max()].index.max()) if len(per_year) else None
        entries = []
        for r in self.region_ids:
            mine = obs[obs["region_id"] == r]
            if mine.empty:
                entries.append(Entry(r, reason=self._reason(indicator, r)))
                continue
            year = int(min(mine["year"].unique(), key=lambda y: (abs(y - reference), -y)))
            entries.append(Entry(r, year, preferred(mine[mine["year"] == year])))
        return Comparison(reference, tuple(entries))

    def _reason(self, indicator: str, region: str) -> str:
        """Why an area has no figure in the comparison, naming what the table does hold."""
        other = self.obs[
            (self.obs["indicator_id"] == indicator)
            & (self.obs["region_id"] == region)
            & (self.obs["measure"] == self.measure)
        ]
        if other.empty:
            return self.t("peers.reason.none", measure=self.t(f"measure.{self.measure}"))
        latest = other.sort_values(["period_end", "period_start"]).iloc[-1]
        shown = self.show(
            "peers.reasons", str(latest["obs_id"]), latest["value"], latest["unit"], **self._figure_kw(latest)
        )
        # the figure's marks say derived, preliminary or expected; a comparable volume needs more
        comparable = latest["status"] == "derived" and latest["price_basis"] == "comparable"
        what = self.t("peers.comparable_volume") if comparable else ""
        return self.t(
            "peers.reason.other",
            period=self.period(latest["period"]),
            figure=shown.text if shown else "–",
            what=what,
        )

    def _figure_kw(self, row: pd.Series) -> dict:
        reading = row.get("reading", "")
        return {
            "text": row["value_text"],
            "qualifier": row["qualifier"],
            "status": row["status"],
            "reading": reading if isinstance(reading, str) else "",
            "period": str(row["period"]),
        }

    def _heading(self, indicator: str) -> str:
        name = self.indicator_name(indicator)
        return self.t("peers.growth_of", indicator=name) if self.measure == "yoy_growth" else name

    def _unit(self, indicator: str) -> str:
        return "%" if self.measure == "yoy_growth" else get_indicator(indicator, data_dir=self.data_dir).unit

    def figures(self, indicator: str, role: str) -> list[tuple[Entry, Shown]]:
        """Each area with a figure, and the figure as ``role`` shows it."""
        out = []
        for e in self.comparisons[indicator].shown:
            shown = self.show(
                f"peers.{indicator}",
                str(e.row["obs_id"]),
                e.row["value"],
                e.row["unit"],
                role=role,
                to_unit=self._unit(indicator),
                **self._figure_kw(e.row),
            )
            out.append((e, shown))
        return out

    # -- blocks ------------------------------------------------------------------------------
    def headline(self) -> Block:
        """What to take away: where the West Coast New Area stands among the areas with a figure
        for the reference year (a place, or a range of places where a bound leaves the order
        open) and the highest figure, per indicator; for one indicator, also how many areas the
        comparison holds."""
        section = "peers.headline"
        if len(self.indicator_ids) > 1:
            return self.headline_box(self._standing(ind, section) for ind in self.indicator_ids[:5])
        ind = self.indicator_ids[0]
        c = self.comparisons[ind]
        same = [e for e in c.shown if e.year == c.reference]
        shown = {e.region_id: s for e, s in self.figures(ind, "headline")}
        items = [self._standing(ind, section, highest=False)]
        if FOCUS in self.region_ids:  # else the standing says the highest
            highest = self._highest(same, shown, lead=False)
            items.append(self.tm("peers.h.top", indicator=self._heading(ind), highest=highest) if highest else "")
        counts = {"n": len(same), "other": len(c.shown) - len(same), "none": len(c.without)}
        for key, n in counts.items():
            self.record(section, f"count:{key}", str(n), role="headline")
        if c.reference is not None:
            items.append(self.tm("peers.h.coverage", year=self.period(str(c.reference)), **counts))
        return self.headline_box(items)

    def _standing(self, indicator: str, section: str, *, highest: bool = True) -> Markup:
        """The West Coast New Area's place (and, with ``highest``, the highest figure)."""
        c = self.comparisons[indicator]
        words = {
            "indicator": self._heading(indicator),
            "region": self._label(FOCUS) if FOCUS in self.region_ids else "",
        }
        same = [e for e in c.shown if e.year == c.reference]
        shown = {e.region_id: s for e, s in self.figures(indicator, "headline")}
        mine = next((e for e in c.entries if e.region_id == FOCUS), None)
        if mine is None:  # the West Coast New Area is not among the areas chosen
            return self.tm("peers.h.top", indicator=words["indicator"], highest=self._highest(same, shown, lead=False))
        figure = Markup(shown[FOCUS].html) if FOCUS in shown else Markup("")
        cite = self.cite_html(mine.row["source_id"]) if mine.row is not None else Markup("")
        words["highest"] = self._highest(same, shown) if highest else Markup("")
        if mine.row is None:
            return self.tm("peers.h.none", reason=mine.reason, **words)
        if mine.year != c.reference:
            year = self.period(str(c.reference))
            return self.tm(
                "peers.h.other_year", period=self.period(str(mine.year)), year=year, figure=figure, cite=cite, **words
            )
        first, last = rank_range(mine.row, [e.row for e in same if e is not mine])
        place = str(first) if first == last else self.t("peers.h.places", first=first, last=last)
        self.record(section, f"{indicator}:rank", place, role="headline", period=str(c.reference))
        period = self.period(str(c.reference))
        return self.tm("peers.h.rank", period=period, figure=figure, cite=cite, n=len(same), place=place, **words)

    def _highest(self, same: list[Entry], shown: dict[str, Shown], *, lead: bool = True) -> Markup:
        """The highest figure of the reference year; "the highest exact figure" where a bound
        (more than ...) leaves it open; nothing where it is the West Coast New Area's own (its
        place says so). ``lead``: as a clause after the area's place."""
        exact = [e for e in same if e.row["qualifier"] not in LOWER_BOUNDS + UPPER_BOUNDS]
        top = max(exact, key=lambda e: bounds(e.row)[0], default=None)
        if top is None or (lead and top.region_id == FOCUS):
            return Markup("")
        certain = rank_range(top.row, [e.row for e in same if e is not top]) == (1, 1)
        key = ("peers.h.highest" if certain else "peers.h.highest_exact") + ("" if lead else "_alone")
        return self.tm(
            key,
            region=self._label(top.region_id),
            figure=Markup(shown[top.region_id].html),
            cite=self.cite_html(top.row["source_id"]),
        )

    def body(self) -> Block:
        """One section per indicator: the chart, the table, and the areas without a figure."""
        parts = []
        for ind in self.indicator_ids:
            inner = [self.chart(ind), self.table(ind), self.missing(ind)]
            parts.append(
                Markup('<section id="peers-{}"><h2>{}</h2>{}</section>').format(
                    ind, self._heading(ind), Markup("").join(Markup(p._repr_html_()) for p in inner)
                )
            )
        return Block(join(parts))

    def table(self, indicator: str):
        reference = self.comparisons[indicator].reference
        unit = self.unit_name(self._unit(indicator))
        value_col = self.t("peers.col.figure", unit=unit) if unit and unit != "%" else self.t("col.value")
        table = self.new_table(
            [self.t("col.region"), self.t("col.scope"), self.t("col.year"), value_col, self.t("col.source")],
            key=f"peers.{indicator}",
            numeric=(3,),
            sheet=self.indicator_name(indicator),
        )
        for e, shown in self.figures(indicator, "table"):
            region, row = e.region_id, e.row
            scope = self.regions_table.at[region, "scope"]
            year_text = self.period(str(e.year))
            if e.year != reference:
                year_text = f"{year_text}{self.t('peers.not_reference')}"
            table.add(
                [
                    self._label(region),
                    self.t(f"scope.{scope}") if scope else "",
                    year_text,
                    self.in_column(shown, unit_in_header=value_col != self.t("col.value")),
                    Cell(self.cite(row["source_id"]), self.cite_html(row["source_id"])),
                ]
            )
        table.caption = self.t("peers.caption", year=self.period(str(reference))) if reference else ""
        return table

    def missing(self, indicator: str) -> Block:
        """The areas without a figure, each with the reason."""
        without = self.comparisons[indicator].without
        if not without:
            return Block("")
        sep = "：" if self.language == "zh" else ": "
        items = join(Markup("<li>{}{}{}</li>").format(self._label(e.region_id), sep, e.reason) for e in without)
        return Block(Markup("<h3>{}</h3><ul class='ind-missing'>{}</ul>").format(self.t("peers.without"), items))

    def chart(self, indicator: str) -> Picture | Block:
        shown = self.figures(indicator, "chart")
        if not shown:
            return note(self.t("none"))
        reference = self.comparisons[indicator].reference
        other = "（{}年）" if self.language == "zh" else " ({})"
        frame = pd.DataFrame(
            {
                "region_id": [e.region_id for e, _ in shown],
                "label": [
                    self._label(e.region_id) + ("" if e.year == reference else other.format(e.year)) for e, _ in shown
                ],
                "value": [float(s.number.replace(",", "")) for _, s in shown],
                "text": [self.numbers.bare(s) for _, s in shown],
                "bound": [e.row["qualifier"] for e, _ in shown],
            }
        )
        unit = self.unit_name(self._unit(indicator))
        fig = peer_chart(
            frame, title=self.indicator_name(indicator), unit=unit, highlight="wcna", language=self.language
        )
        caption = self.t("peers.chart_caption", year=self.period(str(reference)))
        data = [[self.t("col.region"), self.t("col.year"), self.t("col.value"), self.t("col.source")]]
        data += [
            [self._label(e.region_id), self.period(str(e.year)), s.text, self.cite(e.row["source_id"])]
            for e, s in shown
        ]
        return self.picture(
            fig,
            alt=self.title,
            caption=caption,
            data=data,
            key=f"peers.{indicator}.chart",
            sheet=f"{self.indicator_name(indicator)} ({self.t('download.chart_sheet')})",
        )
