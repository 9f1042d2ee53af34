"""A target's assessment and a plan's: the results objects of :func:`~indicators.analysis.target_gap.target_gap`.

:class:`TargetAssessment` is the one source of a target's verdict, its numbers and the reasons
(codes with their arguments, rendered in English or Chinese by :func:`reason_text`);
:class:`TargetGapResult` holds a plan's assessments with ``summary_frame()`` and the counts.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from dataclasses import asdict, dataclass, field

import pandas as pd

from .progress import CATEGORIES, CATEGORY_COLOURS, LABELS

SCHEDULE_LABELS = {
    "en": {
        "achieved": "Achieved",
        "achieved_early": "Achieved early",
        "ahead": "Ahead of schedule",
        "on_schedule": "On schedule",
        "behind": "Behind schedule",
        "not_achieved": "Not achieved",
        "insufficient_data": "Insufficient data",
    },
    "zh": {
        "achieved": "已实现",
        "achieved_early": "提前实现",
        "ahead": "快于预期",
        "on_schedule": "基本符合预期",
        "behind": "滞后",
        "not_achieved": "未实现",
        "insufficient_data": "数据不足",
    },
}
SEVERITY = {
    "deterioration": 0,
    "limited_progress": 1,
    "acceleration_needed": 2,
    "insufficient_data": 3,
    "on_track": 4,
    "target_achieved": 5,
}


#: Why a target could not be (fully) assessed, in English and Chinese.
REASONS = {
    "met_before_start": ("met before the plan started", "规划开始前已达到"),
    "no_figure_since_start": (
        "no figure since the plan started ({start}); the latest is from {latest}",
        "规划开始（{start}）以来尚无数据，最新数据为{latest}",
    ),
    "not_after_baseline": ("the latest figure is not later than the baseline", "最新数据不晚于基期"),
    "nonpositive": (
        "growth rates need positive baseline, latest and target values",
        "基期值、最新值和目标值须为正数才能计算增速",
    ),
    "target_equals_baseline": ("the target equals the baseline: no growth is required", "目标等于基期值，无需增长"),
    "no_figure": (
        "no figure of {indicator} ({name}) in {region} published by {as_of}",
        "截至{as_of}尚无{name}的公布数据",
    ),
    "other_units": (
        "the figures are in {units}, which does not measure the same thing as the target's {unit}: "
        "record the figure in a unit of the same base",
        "已有数据的单位（{units}）与目标单位（{unit}）不可比",
    ),
    "no_level": (
        "no full-year or year-end level of {indicator} in {region} published by {as_of} "
        "({n} other figure(s) of other measures or periods)",
        "截至{as_of}尚无{name}的全年或年末总量数据（另有{n}个其他口径或时期的数据）",
    ),
    "no_baseline": (
        "no baseline: no level of {indicator} at or before the plan's start ({start})",
        "缺少基期值：规划开始（{start}）前没有{name}的总量数据",
    ),
    "no_growth": (
        "no growth rate of {indicator} for {year} published by {as_of}",
        "截至{as_of}尚无{name}{year}年的增速数据",
    ),
    "zero_growth_target": ("a growth target of zero gives no ratio", "目标增速为零，无法计算比值"),
    "no_total": (
        "no count or total of {indicator} for a period inside the plan ({start} to {deadline}) published by {as_of}",
        "截至{as_of}尚无规划期内（{start}至{deadline}）{name}的数据",
    ),
    "no_time": ("no time has elapsed in the plan yet", "规划期尚未开始"),
    "none_by_deadline": (
        "no level of {indicator} ({name}) in {region} for the deadline ({deadline}) or earlier; the first "
        "figure after it is for {first}, which cannot show whether the target was met in time",
        "截至目标期限（{deadline}）尚无{name}的数据，其后最早的数据为{first}，不能说明是否按期实现",
    ),
    "form_not_assessed": (
        "a target of the form {form} (average annual growth over the plan's span) is recorded, but the "
        "assessment has no method for this form yet",
        "{form}（规划期年均增速）目标已录入，但评估尚不支持此类目标",
    ),
}


def reason_text(code: str, args: tuple[tuple[str, str], ...] | dict, language: str = "en") -> str:
    """Render a reason code in ``language``; empty for no code."""
    if not code:
        return ""
    return REASONS[code][0 if language == "en" else 1].format(**dict(args))


def why(code: str, **args: object) -> dict:
    """The reason fields of an assessment: English text, code and arguments (for other languages)."""
    return {
        "reason": REASONS[code][0].format(**args),
        "reason_code": code,
        "reason_args": tuple(sorted((k, str(v)) for k, v in args.items())),
    }


@dataclass(frozen=True)
class TargetAssessment:
    """Where one target stands. Fractions (completion, CAGRs, elapsed) are fractions, not %."""

    target_id: str
    plan_id: str
    indicator_id: str
    region_id: str
    form: str
    comparator: str
    direction: str
    unit: str
    target_value: float
    deadline: dt.date
    plan_start: dt.date
    as_of: dt.date
    category: str
    schedule: str
    reason: str = ""
    reason_code: str = ""
    reason_args: tuple[tuple[str, str], ...] = ()
    baseline_value: float | None = None
    baseline_period: str | None = None
    baseline_source: str | None = None
    latest_value: float | None = None
    latest_period: str | None = None
    latest_source: str | None = None
    latest_status: str | None = None
    data_through: dt.date | None = None
    completion: float | None = None
    time_elapsed: float | None = None
    time_elapsed_as_of: float | None = None
    cagr_required: float | None = None
    cagr_observed: float | None = None
    cagr_required_remaining: float | None = None
    ratio: float | None = None
    score: float | None = None
    projected_value: float | None = None
    projected_lower: float | None = None
    projected_upper: float | None = None
    projection_method: str | None = None
    probability: float | None = None
    notes: tuple[str, ...] = ()

    def label(self, language: str = "en") -> str:
        return LABELS[language][self.category]

    def schedule_label(self, language: str = "en") -> str:
        return SCHEDULE_LABELS[language][self.schedule]

    def reason_in(self, language: str = "en") -> str:
        """The reason in ``language`` (``en`` or ``zh``)."""
        return reason_text(self.reason_code, self.reason_args, language) or self.reason

    @property
    def gap(self) -> float | None:
        """Target minus latest, in the target's unit (positive: still to go when higher is better)."""
        if self.latest_value is None:
            return None
        return self.target_value - self.latest_value

    def as_dict(self) -> dict:
        return asdict(self)

    def summary_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"value": pd.Series(self.as_dict())})

    def _repr_html_(self) -> str:
        head = html.escape(f"{self.target_id}: {self.label()} / {self.schedule_label()}")
        return f"<div><b>{head}</b>{self.summary_frame().to_html()}</div>"


@dataclass(frozen=True)
class TargetGapResult:
    """The assessment of a set of targets (a plan, a region, or all) at one as-of date."""

    as_of: dt.date
    plan: str | None
    region: str | None
    assessments: tuple[TargetAssessment, ...] = field(repr=False)

    def __len__(self) -> int:
        return len(self.assessments)

    def __getitem__(self, target_id: str) -> TargetAssessment:
        for a in self.assessments:
            if a.target_id == target_id:
                return a
        raise KeyError(target_id)

    def summary_frame(self) -> pd.DataFrame:
        """One row per target, the worst gaps first."""
        frame = pd.DataFrame([a.as_dict() for a in self.assessments])
        if frame.empty:
            return frame
        frame["_sev"] = frame["category"].map(SEVERITY)
        frame["_r"] = frame["ratio"].fillna(math.inf)
        frame = frame.sort_values(["_sev", "_r", "target_id"], kind="stable").drop(columns=["_sev", "_r"])
        return frame.set_index("target_id")

    def category_counts(self) -> pd.Series:
        """How many targets in each category (every category listed, zeros included)."""
        counts = pd.Series([a.category for a in self.assessments], dtype=object).value_counts()
        return counts.reindex(list(CATEGORIES), fill_value=0).astype(int)

    def describe(self) -> str:
        counts = self.category_counts()
        parts = ", ".join(f"{n} {LABELS['en'][c].lower()}" for c, n in counts.items() if n)
        scope = self.plan or self.region or "all plans"
        return f"{len(self)} targets of {scope} as of {self.as_of}: {parts}"

    def _repr_html_(self) -> str:
        frame = self.summary_frame()
        rows = []
        for target_id, r in frame.iterrows():
            colour = CATEGORY_COLOURS[r["category"]]
            ratio = "" if pd.isna(r["ratio"]) else f"{r['ratio']:.2f}"
            rows.append(
                f"<tr><td>{html.escape(str(target_id))}</td>"
                f"<td style='background:{colour};color:white'>{html.escape(LABELS['en'][r['category']])}</td>"
                f"<td>{html.escape(SCHEDULE_LABELS['en'][r['schedule']])}</td>"
                f"<td>{ratio}</td>"
                f"<td>{html.escape(str(r['reason']))}</td></tr>"
            )
        return (
            f"<div><p><b>{html.escape(self.describe())}</b></p><table><thead><tr><th>target</th><th>category</th>"
            f"<th>schedule</th><th>R</th><th>reason</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        )
