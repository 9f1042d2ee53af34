"""The target-gap report: where a plan's targets stand at an as-of date.

Every verdict, label and number shown reads the one :class:`~indicators.analysis.gap_result.TargetAssessment`
of its target (nothing is recomputed here), and every figure goes through the report's one
formatter: the chart, the table, the paragraphs and the small chart of each target say the same.
After its deadline a target's verdict is final (achieved, or missed with the shortfall) or awaits
the outcome; targets with no figure at all are listed at the end with the figure each would need.
"""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from ..analysis.gap_result import FINAL_VERDICTS, VERDICT_COLOURS, VERDICT_LABELS, TargetAssessment, TargetGapResult
from ..analysis.series import annual_series
from ..analysis.target_gap import target_gap
from ..data.catalog import get_plan, get_region, load_observations, load_table
from ..data.figures import as_decimal, plain
from ..errors import ParameterError, UnknownIndicatorError
from .base import PathLike, Report
from .blocks import Block, Cell, Picture, join, note
from .charts import gap_chart, target_chart
from .commentary import target_sentences
from .numbers import Shown


class TargetGapReport(Report):
    """Where a plan's targets stand at an as-of date."""

    kind = "target_gap"
    SECTIONS = ("section.summary", "section.gap_chart", "section.targets", "section.details")

    def __init__(
        self,
        *,
        plan: str = "wcna_green_action_2023_2025",
        region: str = "",
        as_of: str = "",
        language: str = "zh",
        data_dir: PathLike = None,
    ):
        super().__init__(language=language, data_dir=data_dir)
        self.plan = get_plan(plan, data_dir=data_dir, parameter="plan") if plan else None
        self.region = get_region(region, data_dir=data_dir, parameter="region") if region else None
        self.result: TargetGapResult = target_gap(
            plan or None, region=region or None, as_of=as_of or None, data_dir=data_dir
        )
        if not len(self.result):
            choices = sorted(set(load_table("targets", data_dir=data_dir)["plan_id"]))
            raise ParameterError(
                "plan", plan, "no targets for this plan and region", f"use one of: {', '.join(choices)}"
            )
        self.as_of = self.result.as_of
        self.targets = load_table("targets", data_dir=data_dir).set_index("target_id")
        self.obs = load_observations(data_dir=data_dir)
        self.by_id = self.obs.set_index("obs_id")
        self.parameters = {
            "plan": f"{plan} ({self.plan.title_zh if self.language == 'zh' else self.plan.title_en})"
            if self.plan
            else self.t("gap.all"),
            "region": region or "–",
            "as_of": str(self.result.as_of),
            "language": self.language,
        }
        ordered = self.result.ordered()
        self.assessed = [a for a in ordered if a.latest_value is not None]
        self.without = [a for a in ordered if a.latest_value is None]

    @property
    def title(self) -> str:
        if self.plan is not None:
            scope = self.plan.title_zh if self.language == "zh" else self.plan.title_en
        elif self.region is not None:
            scope = self.region.name(self.language)
        else:
            scope = self.t("gap.all")
        return self.t("gap.title", scope=scope)

    def name_parts(self) -> list[str]:
        return [
            p
            for p in (
                self.plan.plan_id if self.plan is not None else "all",
                self.region.region_id if self.region is not None else "",
            )
            if p
        ]

    def contents_entries(self) -> list[tuple[str, str]]:
        """The sections, and the list of targets without figures where there is one."""
        entries = super().contents_entries()
        if self.without:
            entries.append(("gap-missing", self.t("gap.missing_title")))
        return entries

    def index_facts(self) -> dict[str, str]:
        return {
            "plan": self.plan.plan_id if self.plan is not None else "",
            "region": self.region.region_id if self.region is not None else "",
            "headline": self.counts_text(),
        }

    # -- what a target says ------------------------------------------------------------------
    def label_of(self, a: TargetAssessment) -> str:
        """A target's name: its indicator and deadline year, and its region where the report's
        targets are for more than one."""
        name = self.indicator_name(a.indicator_id)
        if len({x.region_id for x in self.result.assessments}) > 1:
            region = self.region_name(a.region_id)
            name = f"{region}{name}" if self.language == "zh" else f"{name}, {region}"
        return f"{name}（{a.deadline.year}）" if self.language == "zh" else f"{name} ({a.deadline.year})"

    def verdict_cell(self, section: str, a: TargetAssessment, role: str) -> Cell:
        """The verdict as a coloured tag, recorded so that every place shows the same one."""
        label = a.label(self.language)
        self.record(section, f"{a.target_id}:verdict", label, role=role, verdict=a.verdict)
        return Cell(
            label,
            Markup('<span class="ind-verdict" style="background:{}">{}</span>').format(a.colour, label),
        )

    def target_figure(self, section: str, a: TargetAssessment, role: str):
        # the target as the plan wrote it: 300 亿元, not 300.0
        return self.show(
            section, f"{a.target_id}:target", plain(as_decimal(a.target_value).normalize()), a.unit, role=role
        )

    def latest_figure(self, section: str, a: TargetAssessment, role: str):
        """The latest figure: the observation as published where there is one, else the total
        or the chained average the assessment made (in its unit)."""
        ids = [i for i in str(a.latest_obs_id or "").split(";") if i]
        if len(ids) == 1 and ids[0] in self.by_id.index:
            row = self.by_id.loc[ids[0]].copy()
            row["obs_id"] = ids[0]
            return self.show_row(section, row, role=role, to_unit=a.unit if a.form != "growth" else None)
        if a.latest_value is None:
            return None
        decimals = (
            1
            if a.unit == "%"
            else max((_decimals(self.by_id.loc[i]["value_text"]) for i in ids if i in self.by_id.index), default=0)
        )
        return self.show(
            section,
            f"{a.target_id}:latest",
            round(a.latest_value, decimals),
            a.unit,
            decimals=decimals,
            status="derived",
            period=str(a.latest_period),
            role=role,
        )

    def baseline_figure(self, section: str, a: TargetAssessment, role: str):
        if a.baseline_value is None:
            return None
        if a.baseline_obs_id and a.baseline_obs_id in self.by_id.index:
            row = self.by_id.loc[a.baseline_obs_id].copy()
            row["obs_id"] = a.baseline_obs_id
            return self.show_row(section, row, role=role, to_unit=a.unit)
        stated = self.targets.loc[a.target_id].get("baseline_value")
        return self.show(
            section,
            f"{a.target_id}:baseline",
            a.baseline_value,
            a.unit,
            text=str(stated),
            period=str(a.baseline_period),
            role=role,
        )

    def name_in_sentence(self, indicator_id: str) -> str:
        """An indicator's name inside an English sentence (lower case unless it is an acronym)."""
        name = self.indicator_name(indicator_id)
        if self.language == "en" and name[1:2].islower():
            return name[:1].lower() + name[1:]
        return name

    def counts_text(self) -> str:
        counts = pd.Series([a.verdict for a in self.result.assessments]).value_counts()
        parts = [self.t("gap.count", label=VERDICT_LABELS[self.language][v], n=int(n)) for v, n in counts.items()]
        return ("，" if self.language == "zh" else ", ").join(parts)

    # -- blocks ----------------------------------------------------------------------------------
    def headline(self) -> Block:
        """The verdict counts, then the targets that matter most (final verdicts and those
        falling behind first, then the others with a figure), then how many have no figure."""
        items = [self.tm("gap.headline.counts", n=len(self.result), counts=self.counts_text(), as_of=str(self.as_of))]
        urgent = [
            a
            for a in self.assessed
            if a.verdict in FINAL_VERDICTS or a.verdict in ("deterioration", "limited_progress")
        ]
        others = [a for a in self.assessed if a not in urgent]
        room = 4 if self.without else 5
        for a in (urgent + others)[: max(0, room - len(items))]:
            sentence = target_sentences(self, a, section="gap.headline", short=True)
            items.append(Markup("{}：{}" if self.language == "zh" else "{}: {}").format(self.label_of(a), sentence))
        if self.without:
            items.append(self.tm("gap.headline.without", n=len(self.without)))
        return self.headline_box(items)

    def summary(self) -> Block:
        counts = pd.Series([a.verdict for a in self.result.assessments]).value_counts()
        chips = join(
            Markup('<span class="ind-chip" style="background:{}">{}: {}</span>').format(
                VERDICT_COLOURS[v], VERDICT_LABELS[self.language][v], int(n)
            )
            for v, n in counts.items()
        )
        text = self.t("gap.summary", n=len(self.result), as_of=str(self.as_of))
        return Block(Markup('<div class="ind-summary"><p>{}</p><p>{}</p></div>').format(text, chips))

    def targets_table(self):
        if not self.assessed:
            return note(self.t("gap.none_assessed"))
        table = self.new_table(
            [
                self.t("col.indicator"),
                self.t("col.target"),
                self.t("col.category"),
                self.t("col.baseline"),
                self.t("col.latest"),
                self.t("gap.col.progress"),
                self.t("gap.col.growth"),
                self.t("gap.col.gap"),
                self.t("col.source"),
            ],
            key="target_gap.targets",
        )
        for a in self.assessed:
            target = self.target_figure("gap.targets", a, "table")
            base = self.baseline_figure("gap.targets", a, "table")
            latest = self.latest_figure("gap.targets", a, "table")
            latest_cell = Cell("–")
            if latest is not None:
                period = self.period(str(a.latest_period).split(";")[-1])
                latest_cell = Cell(
                    f"{latest.text}（{period}）" if self.language == "zh" else f"{latest.text} ({period})",
                    Markup("{}（{}）" if self.language == "zh" else "{} ({})").format(Markup(latest.html), period),
                )
            base_cell = Cell("–")
            if base is not None:
                period = self.period(str(a.baseline_period))
                base_cell = Cell(
                    f"{base.text}（{period}）" if self.language == "zh" else f"{base.text} ({period})",
                    Markup("{}（{}）" if self.language == "zh" else "{} ({})").format(Markup(base.html), period),
                )
            progress = "–"
            if a.completion is not None and a.time_elapsed is not None:
                progress = self.t(
                    "gap.progress",
                    completion=self.numbers.fraction(a.completion),
                    elapsed=self.numbers.fraction(a.time_elapsed),
                )
                self.record(
                    "gap.targets", f"{a.target_id}:completion", self.numbers.fraction(a.completion), role="table"
                )
            growth = "–"
            if a.cagr_required is not None:
                growth = self.t(
                    "gap.growth",
                    required=self.numbers.fraction(a.cagr_required),
                    observed=self.numbers.fraction(a.cagr_observed),
                )
            gap = self.shortfall_text("gap.targets", a, "table")
            sources = ";".join(
                dict.fromkeys(
                    s for s in [self.targets.loc[a.target_id, "source_id"], *str(a.latest_source or "").split(";")] if s
                )
            )
            table.add(
                [
                    self.label_of(a),
                    Cell(self.comparator_text(a, target.text), Markup(self.comparator_text(a, target.html))),
                    self.verdict_cell("gap.targets", a, "table"),
                    base_cell,
                    latest_cell,
                    progress,
                    growth,
                    gap,
                    Cell(self.cite(sources), self.cite_html(sources)),
                ]
            )
        return table

    def comparator_text(self, a: TargetAssessment, figure: str) -> str:
        word = self.t(f"gap.comparator.{a.comparator}")
        return f"{word}{figure}" if self.language == "zh" else f"{word} {figure}".strip()

    def shortfall_text(self, section: str, a: TargetAssessment, role: str) -> str:
        """A missed target's shortfall in the target's unit (percentage points for a rate), and
        the share of the change that was required."""
        if a.shortfall is None:
            return "–"
        if a.unit == "%":
            amount = self.numbers.points(a.shortfall, sign=False)
        else:
            amount = self.numbers.figure(round(a.shortfall, 2), a.unit).text
        text = self.t("gap.short", amount=amount)
        if a.shortfall_share is not None:
            text = self.t("gap.shortfall", amount=amount, share=self.numbers.fraction(a.shortfall_share))
        self.record(section, f"{a.target_id}:shortfall", amount, role=role)
        return text

    def gap_chart(self) -> Picture | Block:
        with_completion = [a for a in self.assessed if a.completion is not None]
        if not with_completion:
            return note(self.t("gap.no_completion"))
        frame = pd.DataFrame(
            {
                "completion": [a.completion for a in with_completion],
                "time_elapsed": [a.time_elapsed for a in with_completion],
                "text": [self.numbers.fraction(a.completion) for a in with_completion],
                "colour": [a.colour for a in with_completion],
                "label": [a.label(self.language) for a in with_completion],
            },
            index=[a.target_id for a in with_completion],
        )
        # the rows the chart draws, as shown (its CSV download)
        data = [[self.t("col.target"), self.t("col.category"), self.t("gap.col.completion"), self.t("gap.col.elapsed")]]
        for a in with_completion:
            self.record("gap.chart", f"{a.target_id}:verdict", a.label(self.language), role="chart", verdict=a.verdict)
            self.record("gap.chart", f"{a.target_id}:completion", self.numbers.fraction(a.completion), role="chart")
            data.append(
                [
                    self.label_of(a),
                    a.label(self.language),
                    self.numbers.fraction(a.completion),
                    self.numbers.fraction(a.time_elapsed),
                ]
            )
        labels = {a.target_id: self.label_of(a) for a in with_completion}
        fig = gap_chart(frame, labels=labels, language=self.language)
        return self.picture(
            fig, alt=self.title, caption=self.t("gap.chart_caption"), data=data, key="target_gap.gap_chart"
        )

    def details(self) -> Block:
        parts = []
        for a in self.assessed:
            row = self.targets.loc[a.target_id]
            tag = self.verdict_cell("gap.details", a, "sentence")
            chart = self.target_picture(a)
            parts.append(
                Markup(
                    '<section class="ind-target" id="target-{}"><h3>{} {}</h3><p>{}</p>{}'
                    "<blockquote>{} {}</blockquote></section>"
                ).format(
                    a.target_id,
                    self.label_of(a),
                    tag.html,
                    target_sentences(self, a, section="gap.details"),
                    Markup(chart._repr_html_()) if chart is not None else Markup(""),
                    row["quote"],
                    self.cite_html(row["source_id"]),
                )
            )
        return Block(join(parts))

    def projection_figure(self, section: str, a: TargetAssessment, role: str) -> Shown | None:
        """The trend's projection for the deadline's year, as every place shows it (约…)."""
        if a.projected_value is None:
            return None
        shown = self.numbers.figure(a.projected_value, a.unit, decimals=0, qualifier="about")
        self.record(section, f"{a.target_id}:projection", shown.text, role=role)
        return shown

    def target_picture(self, a: TargetAssessment) -> Picture | None:
        """The small chart of one target (see :func:`~.charts.target_chart`), its rows offered
        as a CSV file with the figures as the report shows them, the notes of its sources under it."""
        growth = a.form in ("growth", "avg_annual_growth")
        if not growth and (a.form != "level" or a.unit == ""):
            return None
        points = self._growth_points(a) if growth else self._level_points(a)
        if points is None:
            return None
        observed, rows = points
        section = "gap.target_chart"
        labels = self._chart_labels()
        data: list[list[str]] = [
            [self.t("col.chart_year"), self.t("col.chart_series"), self.t("col.chart_value"), self.t("col.source")]
        ]
        cited: list[str] = []  # the sources of what it draws

        def add(year: int, kind: str, text: str, source_id: str = "") -> None:
            data.append([str(year), labels[kind], text, self.cite(source_id) if source_id else ""])
            cited.append(source_id)

        for year, row in rows:
            shown = self.show_row(section, row, role="chart", to_unit=None if growth else a.unit)
            kind = "derived" if row["status"] == "derived" else "observed"
            add(year, kind, shown.text if shown else "–", row["source_id"])
        baseline = None
        if not growth and a.baseline_value is not None and a.baseline_period:
            baseline = (int(str(a.baseline_period)[:4]), float(a.baseline_value))
            shown = self.baseline_figure(section, a, "chart")
            if shown is not None:
                add(baseline[0], "baseline", shown.text)
        target = self.target_figure(section, a, "chart")
        add(a.deadline.year, "target", self.comparator_text(a, target.text), self.targets.loc[a.target_id, "source_id"])
        projected = None
        if not growth and a.projected_value is not None and a.deadline.year not in set(observed["year"]):
            projected = (a.deadline.year, float(a.projected_value), a.projected_lower, a.projected_upper)
            add(a.deadline.year, "projection", self.projection_figure(section, a, "chart").text)
        fig = target_chart(
            observed,
            baseline=baseline,
            target=(a.deadline.year, a.target_value),
            projected=projected,
            colour=a.colour,
            unit="%" if growth else self.unit_name(a.unit),
            language=self.language,
            growth=growth,
            labels=labels,
        )
        sources = ";".join(dict.fromkeys(sid for sid in cited if sid))
        return self.picture(
            fig,
            alt=self.label_of(a),
            caption=self.tm("gap.chart.sources", notes=self.cite_html(sources)),
            data=data,
            key=f"target_gap.{a.target_id}",
            sheet=self.label_of(a),
        )

    def _growth_points(self, a: TargetAssessment) -> tuple[pd.DataFrame, list[tuple[int, pd.Series]]] | None:
        """A growth target's published full-year growth rates from the year before the plan to
        its deadline: what the chart draws, and the observation behind each year."""
        rows = self.obs[
            (self.obs["indicator_id"] == a.indicator_id)
            & (self.obs["region_id"] == a.region_id)
            & (self.obs["measure"] == "yoy_growth")
            & (self.obs["period_kind"] == "year")
            & self.obs["status"].isin(["reported", "preliminary"])
        ]
        years = pd.to_numeric(rows["period"], errors="coerce")
        rows = rows[(years >= a.plan_start.year - 1) & (years <= a.deadline.year)]
        if rows.empty:
            return None
        rows = rows.assign(year=rows["period"].astype(int)).groupby("year", as_index=False).first()
        observed = rows[["year", "value"]].assign(kind="published")
        return observed, [(int(row["year"]), row) for _, row in rows.iterrows()]

    def _level_points(self, a: TargetAssessment) -> tuple[pd.DataFrame, list[tuple[int, pd.Series]]] | None:
        """A level target's full-year levels (in the target's unit) from three years before the
        plan to its deadline: what the chart draws, and the observation behind each year."""
        try:
            series = annual_series(a.indicator_id, a.region_id, as_of=self.as_of, data_dir=self.data_dir)
        except UnknownIndicatorError:
            return None
        if not len(series):
            return None
        factor = self.numbers.factors.get(series.unit, 1.0) / self.numbers.factors.get(a.unit, 1.0)
        start = a.plan_start.year - 3
        values = series.values[(series.values.index >= start) & (series.values.index <= a.deadline.year)] * factor
        if values.empty:
            return None
        observed = pd.DataFrame(
            {"year": values.index.astype(int), "value": values.to_numpy(float), "kind": "published"}
        )
        by_year = series.rows.set_index("year")
        rows = [(int(y), by_year.loc[[y]].iloc[-1]) for y in observed["year"] if y in by_year.index]
        return observed, rows

    def _chart_labels(self) -> dict[str, str]:
        return {
            key: self.t(f"gap.chart.{key}")
            for key in ("observed", "derived", "baseline", "target", "path", "projection")
        }

    def missing(self) -> Block:
        """Targets with no figure at all, each with the figure it would need."""
        if not self.without:
            return Block("")
        items = []
        for a in self.without:
            start, year = a.plan_start.year, a.deadline.year
            need = self.t(
                f"gap.need.{a.form}",
                name=self.name_in_sentence(a.indicator_id),
                region=self.region_name(a.region_id),
                year=year,
                span=f"{start}-{year}" if start != year else str(year),
                base=start - 1,
            )
            tag = self.verdict_cell("gap.missing", a, "table")
            items.append(
                Markup("<li>{} {}：{}</li>" if self.language == "zh" else "<li>{} {}: {}</li>").format(
                    self.label_of(a), tag.html, need
                )
            )
        return Block(
            Markup("<section id='gap-missing'><h2>{}</h2><ul class='ind-missing'>{}</ul></section>").format(
                self.t("gap.missing_title"), join(items)
            )
        )


def _decimals(text: object) -> int:
    text = str(text)
    return len(text.partition(".")[2]) if "." in text else 0
