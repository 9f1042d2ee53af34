"""The target-gap report: where a plan's targets stand at an as-of date."""

from __future__ import annotations

import pandas as pd

from ..analysis.gap_result import VERDICT_COLOURS, VERDICT_LABELS, TargetGapResult
from ..analysis.target_gap import target_gap
from ..data.catalog import get_plan, get_region, load_table
from ..errors import ParameterError
from .base import Block, PathLike, Picture, Report
from .blocks import esc
from .charts import gap_chart
from .commentary import target_paragraph
from .i18n import fmt_fraction, fmt_number


class TargetGapReport(Report):
    """Where a plan's targets stand at an as-of date."""

    kind = "target_gap"

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
        self.targets = load_table("targets", data_dir=data_dir).set_index("target_id")
        self.parameters = {
            "plan": f"{plan} ({self.plan.title_zh if self.language == 'zh' else self.plan.title_en})"
            if self.plan
            else self.t("gap.all"),
            "region": region or "–",
            "as_of": str(self.result.as_of),
            "language": self.language,
        }

    @property
    def title(self) -> str:
        if self.plan is not None:
            scope = self.plan.title_zh if self.language == "zh" else self.plan.title_en
        elif self.region is not None:
            scope = self.region.name(self.language)
        else:
            scope = self.t("gap.all")
        return self.t("gap.title", scope=scope)

    def _target_label(self, target_id: str) -> str:
        row = self.targets.loc[target_id]
        return f"{self.indicator_name(row['indicator_id'])} ({str(row['deadline'])[:4]})"

    def summary(self) -> Block:
        counts = self.result.category_counts()
        chips = "".join(
            f'<span class="ind-chip" style="background:{VERDICT_COLOURS[c]}">'
            f"{esc(VERDICT_LABELS[self.language][c])}: {n}</span>"
            for c, n in counts.items()
        )
        if self.language == "zh":
            text = f"截至{self.result.as_of}，共{len(self.result)}项目标，依据截至该日已公布的数据评估。"
        else:
            text = f"{len(self.result)} targets, assessed from the figures published by {self.result.as_of}."
        return Block(f'<div class="ind-summary"><p>{esc(text)}</p><p>{chips}</p></div>')

    def targets_table(self):
        # every verdict, label and number comes from the assessment: nothing is recomputed here
        rows = []
        assessments = self.result.ordered()
        for a in assessments:
            unit = a.unit
            target_row = self.targets.loc[a.target_id]
            comp = {"at_least": "≥", "at_most": "≤", "equal": "="}[a.comparator]
            projected = "–"
            if a.projected_value is not None:
                projected = fmt_number(a.projected_value, decimals=1)
                if a.projected_lower is not None:
                    low, high = (fmt_number(v, decimals=1) for v in (a.projected_lower, a.projected_upper))
                    projected += f" ({low}–{high})"
            rows.append(
                {
                    self.t("col.indicator"): self._target_label(a.target_id),
                    self.t("col.target"): f"{comp} {self.value(a.target_value, unit)}",
                    self.t("col.baseline"): "–"
                    if a.baseline_value is None
                    else f"{self.value(a.baseline_value, unit)} ({a.baseline_period})",
                    self.t("col.latest"): "–"
                    if a.latest_value is None
                    else f"{self.value(a.latest_value, unit)} ({str(a.latest_period).replace(';', ', ')})",
                    self.t("col.completion"): f"{fmt_fraction(a.completion)} / {fmt_fraction(a.time_elapsed)}",
                    self.t("col.cagr_required"): f"{fmt_fraction(a.cagr_required)} / {fmt_fraction(a.cagr_observed)}",
                    self.t("col.ratio"): "–" if a.ratio is None else f"{a.ratio:.2f}",
                    self.t("col.projected"): projected,
                    self.t("col.probability"): fmt_fraction(a.probability, decimals=0),
                    self.t("col.category"): a.label(self.language),
                    self.t("col.schedule"): a.schedule_label(self.language),
                    self.t("col.source"): self.cite(target_row["source_id"]),
                }
            )
        table = pd.DataFrame(rows)
        colours = {a.label(self.language): a.colour for a in assessments}
        return self.styled(table, colours={self.t("col.category"): colours})

    def gap_chart(self) -> Picture:
        assessments = self.result.ordered()
        frame = pd.DataFrame(
            {
                "completion": [a.completion for a in assessments],
                "time_elapsed": [a.time_elapsed for a in assessments],
                "colour": [a.colour for a in assessments],
                "label": [a.label(self.language) for a in assessments],
            },
            index=[a.target_id for a in assessments],
        )
        labels = {a.target_id: self._target_label(a.target_id) for a in assessments}
        fig = gap_chart(frame, labels=labels, language=self.language)
        caption = (
            "条形为完成度（按评估着色），黑线为时间进度（序时进度）。"
            if self.language == "zh"
            else "Bars: completion, coloured by assessment; black line: share of the plan's time elapsed."
        )
        return self.picture(fig, alt=self.title, caption=caption)

    def details(self) -> Block:
        parts = []
        for a in self.result.ordered():
            row = self.targets.loc[a.target_id]
            parts.append(
                f'<section class="ind-target"><h3><span class="ind-dot" style="background:{a.colour}"></span>'
                f"{esc(self._target_label(a.target_id))}</h3>"
                f"<p>{esc(target_paragraph(self, a.target_id, a, row))}</p>"
                f"<blockquote>{esc(row['quote'])} {self.cite(row['source_id'])}</blockquote></section>"
            )
        return Block("".join(parts))
