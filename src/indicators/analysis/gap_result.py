"""A target's assessment and a plan's: the results objects of :func:`~indicators.analysis.target_gap.target_gap`.

:class:`TargetAssessment` is the one source of a target's verdict, its numbers and the reasons
(codes with their arguments, rendered in English or Chinese by :func:`reason_text`): whatever
displays a target reads these fields and recomputes none of them.
:class:`TargetGapResult` holds a plan's assessments with ``summary_frame()`` and the counts.

The **verdict** (:data:`VERDICTS`) is Open SDG's progress category
(:data:`indicators.analysis.progress.CATEGORIES`) before the deadline. From the deadline on it is
final: ``target_achieved`` or ``target_missed`` once the outcome for the deadline is published,
``awaiting_outcome`` until then (the last in-progress category kept as
``in_progress_category``); never an in-progress category, never insufficient data.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from dataclasses import asdict, dataclass, field

import pandas as pd

from .progress import CATEGORIES, CATEGORY_COLOURS, LABELS
from .reasons import GAP_NOTES, GAP_REASONS, Args, pack, render

#: Every verdict: Open SDG's categories (before the deadline), then the two only a deadline gives.
VERDICTS = (*CATEGORIES, "target_missed", "awaiting_outcome")
VERDICT_LABELS = {
    "en": {**LABELS["en"], "target_missed": "Target missed", "awaiting_outcome": "Awaiting the outcome"},
    "zh": {**LABELS["zh"], "target_missed": "未实现目标", "awaiting_outcome": "待公布结果"},
}
#: The stoplight colour of each verdict, in charts, tables and the HTML of results.
VERDICT_COLOURS = {**CATEGORY_COLOURS, "target_missed": "#82071e", "awaiting_outcome": "#0969da"}
#: Verdicts that are final once the deadline has passed.
FINAL_VERDICTS = ("target_achieved", "target_missed")

SCHEDULE_LABELS = {
    "en": {
        "achieved": "Achieved",
        "achieved_early": "Achieved early",
        "already_met": "Met before the plan started",
        "ahead": "Ahead of schedule",
        "on_schedule": "On schedule",
        "behind": "Behind schedule",
        "not_achieved": "Not achieved",
        "awaiting_outcome": "Awaiting the outcome",
        "insufficient_data": "Insufficient data",
    },
    "zh": {
        "achieved": "已实现",
        "achieved_early": "提前实现",
        "already_met": "规划前已达到",
        "ahead": "快于预期",
        "on_schedule": "基本符合预期",
        "behind": "滞后",
        "not_achieved": "未实现",
        "awaiting_outcome": "待公布结果",
        "insufficient_data": "数据不足",
    },
}
SEVERITY = {
    "target_missed": 0,
    "deterioration": 1,
    "limited_progress": 2,
    "acceleration_needed": 3,
    "awaiting_outcome": 4,
    "insufficient_data": 5,
    "on_track": 6,
    "target_achieved": 7,
}

#: Why a target could not be (fully) assessed, in English and Chinese (:mod:`.reasons`).
REASONS = GAP_REASONS


def reason_text(code: str, args: Args | dict, language: str = "en") -> str:
    """Render a reason code in ``language``; empty for no code."""
    return render(GAP_REASONS, code, args, language)


def why(code: str, **args: object) -> dict:
    """The reason fields of an assessment: English text, code and arguments (for other languages)."""
    return {"reason": REASONS[code][0].format(**args), "reason_code": code, "reason_args": pack(**args)}


def note(code: str, **args: object) -> tuple[str, Args]:
    """A note (:data:`~.reasons.GAP_NOTES`) as stored in ``TargetAssessment.note_codes``."""
    return (code, pack(**args))


@dataclass(frozen=True)
class TargetAssessment:
    """Where one target stands. Fractions (completion, CAGRs, elapsed, shares) are fractions, not %.

    ``verdict`` (:data:`VERDICTS`) is the verdict and ``final`` says whether it can still change;
    ``schedule`` the 序时进度 label consistent with it; ``met_before_start`` flags a target the
    baseline already met; ``shortfall`` (target minus outcome, positive when short, in the
    target's unit) and ``shortfall_share`` (of the change that was required) come with a missed
    target; ``in_progress_category`` keeps the last in-progress category while the outcome is
    awaited. ``category`` is the verdict under its former name.
    """

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
    verdict: str
    schedule: str
    reason: str = ""
    reason_code: str = ""
    reason_args: Args = ()
    final: bool = False
    met_before_start: bool = False
    shortfall: float | None = None
    shortfall_share: float | None = None
    in_progress_category: str | None = None
    baseline_value: float | None = None
    baseline_period: str | None = None
    baseline_source: str | None = None
    #: the observation the baseline is (``None`` for a baseline the plan states itself)
    baseline_obs_id: str | None = None
    latest_value: float | None = None
    latest_period: str | None = None
    latest_source: str | None = None
    latest_status: str | None = None
    #: the observation(s) of the latest figure, ``;``-joined for a total or a chain of rates
    latest_obs_id: str | None = None
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
    note_codes: tuple[tuple[str, Args], ...] = ()

    @property
    def category(self) -> str:
        """The verdict (the name this field had before verdicts after the deadline existed)."""
        return self.verdict

    @property
    def colour(self) -> str:
        """The verdict's stoplight colour."""
        return VERDICT_COLOURS[self.verdict]

    def label(self, language: str = "en") -> str:
        """The verdict's label in ``language``."""
        return VERDICT_LABELS[language][self.verdict]

    verdict_label = label

    def schedule_label(self, language: str = "en") -> str:
        return SCHEDULE_LABELS[language][self.schedule]

    def in_progress_label(self, language: str = "en") -> str:
        """The last in-progress category while the outcome is awaited; empty otherwise."""
        return VERDICT_LABELS[language][self.in_progress_category] if self.in_progress_category else ""

    def reason_in(self, language: str = "en") -> str:
        """The reason in ``language`` (``en`` or ``zh``)."""
        return reason_text(self.reason_code, self.reason_args, language) or self.reason

    def notes_in(self, language: str = "en") -> list[str]:
        """The notes in ``language``."""
        return [render(GAP_NOTES, code, args, language) for code, args in self.note_codes]

    @property
    def gap(self) -> float | None:
        """Target minus latest, in the target's unit (positive: still to go when higher is better)."""
        if self.latest_value is None:
            return None
        return self.target_value - self.latest_value

    def as_dict(self) -> dict:
        return {**asdict(self), "category": self.verdict}

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

    def ordered(self) -> tuple[TargetAssessment, ...]:
        """The assessments, the worst gaps first (the order of :meth:`summary_frame`)."""
        return tuple(
            sorted(
                self.assessments,
                key=lambda a: (SEVERITY[a.verdict], math.inf if a.ratio is None else a.ratio, a.target_id),
            )
        )

    def summary_frame(self) -> pd.DataFrame:
        """One row per target, the worst gaps first."""
        frame = pd.DataFrame([a.as_dict() for a in self.ordered()])
        return frame.set_index("target_id") if len(frame) else frame

    def category_counts(self) -> pd.Series:
        """How many targets have each verdict (every verdict listed, zeros included)."""
        counts = pd.Series([a.verdict for a in self.assessments], dtype=object).value_counts()
        return counts.reindex(list(VERDICTS), fill_value=0).astype(int)

    verdict_counts = category_counts

    def describe(self) -> str:
        counts = self.category_counts()
        parts = ", ".join(f"{n} {VERDICT_LABELS['en'][c].lower()}" for c, n in counts.items() if n)
        scope = self.plan or self.region or "all plans"
        return f"{len(self)} targets of {scope} as of {self.as_of}: {parts}"

    def _repr_html_(self) -> str:
        rows = []
        for a in self.ordered():
            ratio = "" if a.ratio is None else f"{a.ratio:.2f}"
            rows.append(
                f"<tr><td>{html.escape(a.target_id)}</td>"
                f"<td style='background:{a.colour};color:white'>{html.escape(a.label())}</td>"
                f"<td>{html.escape(a.schedule_label())}</td>"
                f"<td>{ratio}</td>"
                f"<td>{html.escape(a.reason_in())}</td></tr>"
            )
        return (
            f"<div><p><b>{html.escape(self.describe())}</b></p><table><thead><tr><th>target</th><th>verdict</th>"
            f"<th>schedule</th><th>R</th><th>reason</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        )
