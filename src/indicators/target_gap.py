"""Target-gap assessment: where each plan target stands at an as-of date.

For each target, from what was known at the as-of date: of each figure whose period had ended,
its latest vintage published by then (:mod:`indicators.vintages`; a preliminary figure until
the final one is published), so an assessment is reproduced as it would have been made then:

* **baseline** (the plan's stated one, else the latest level at or before the plan's start),
  **latest** value, target, deadline and desired direction (``at_least`` → higher is better,
  ``at_most`` → lower, ``equal`` → the catalog's direction);
* **completion** ``(latest - baseline) / (target - baseline)`` against **time elapsed**
  ``(t - plan start) / (deadline - plan start)``, the Chinese 序时进度 benchmark, labelled as in
  Five-Year-Plan evaluations: 已实现 / 提前实现 (achieved, early), 快于预期 (ahead),
  基本符合预期 (on schedule, within ``tolerance``), 滞后 (behind), 未实现 (deadline passed).
  ``t`` is the end of the period the latest figure refers to: comparing a 2023 figure with the
  time elapsed at a later as-of date would call every target late. The share elapsed at the
  as-of date is reported beside it (``time_elapsed_as_of``);
* **required CAGR** from the baseline to the target by the deadline, **observed CAGR** since the
  baseline, the required CAGR for the remaining years, and the Open SDG / Statistics Canada ratio
  ``R = d * CAGR_observed / |CAGR_required|`` with its category (:mod:`indicators.progress`);
* the **projected** value at the deadline from the trend model (:mod:`indicators.trend`) with its
  prediction interval, and the **probability** of reaching the target under the model.

The target forms are handled: a level by a deadline (also at-most targets and shares in
percent; once the deadline has passed, only figures up to the deadline count), a growth rate for
a period (growth is compared with growth; a year-to-date rate stands in, flagged, before the full
year is published), a cumulative total over the plan's span and a count of new items (observed
pace against the pace required). An average annual growth over the plan's span
(``avg_annual_growth``) has no method yet. A target that cannot be assessed gets the category
``insufficient_data`` and the reason, never an exception.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import os
from dataclasses import asdict, dataclass, field

import pandas as pd

from .catalog import get_indicator, get_plan, get_region, load_observations, load_targets
from .errors import ParameterError
from .periods import Period
from .progress import CATEGORIES, CATEGORY_COLOURS, LABELS, TARGET_THRESHOLDS, category_from_ratio, score_with_target
from .series import as_date, known_by, published_by, select_annual
from .trend import fit_trend

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


def _why(code: str, **args: object) -> dict:
    """The reason fields of an assessment: English text, code and arguments (for other languages)."""
    return {
        "reason": REASONS[code][0].format(**args),
        "reason_code": code,
        "reason_args": tuple(sorted((k, str(v)) for k, v in args.items())),
    }


def _years_between(a: dt.date, b: dt.date) -> float:
    """Years from ``a`` to ``b``: whole years between two year ends (2020-12-31 to 2023-12-31
    is 3), otherwise days / 365.25."""
    if (a.month, a.day) == (12, 31) and (b.month, b.day) == (12, 31):
        return float(b.year - a.year)
    return (b - a).days / 365.25


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


# -- helpers ---------------------------------------------------------------------------------


def _direction(comparator: str, catalog_direction: str) -> str:
    if comparator == "at_least":
        return "higher"
    if comparator == "at_most":
        return "lower"
    return catalog_direction


def _met(value: float, target: float, comparator: str, direction: str) -> bool:
    if comparator == "at_least":
        return value >= target
    if comparator == "at_most":
        return value <= target
    return abs(value - target) <= 0.005 * abs(target) if target else value == 0


def _schedule(
    completion: float | None,
    elapsed: float | None,
    achieved: bool,
    t: dt.date | None,
    deadline: dt.date,
    tolerance: float,
) -> str:
    if achieved:
        return "achieved_early" if t is not None and t < deadline else "achieved"
    if t is not None and t >= deadline:
        return "not_achieved"
    if completion is None or elapsed is None:
        return "insufficient_data"
    if completion >= elapsed + tolerance:
        return "ahead"
    if completion >= elapsed - tolerance:
        return "on_schedule"
    return "behind"


def _elapsed(start: dt.date, deadline: dt.date, t: dt.date) -> float:
    """Share of the plan's span (from the start of ``start`` to the end of ``deadline``) gone by
    the end of ``t``, in 0..1."""
    eve = start - dt.timedelta(days=1)
    return min(max(_years_between(eve, t) / _years_between(eve, deadline), 0.0), 1.0)


def level_gap(
    *,
    baseline: float,
    baseline_date: dt.date,
    latest: float,
    latest_date: dt.date,
    target: float,
    plan_start: dt.date,
    deadline: dt.date,
    comparator: str = "at_least",
    direction: str = "higher",
    tolerance: float = 0.05,
) -> dict:
    """The arithmetic of a level target: completion against time elapsed, observed and required
    CAGR, the CAGR required for the remaining years, R, its category and the schedule label.
    ``reason`` is set (and the growth figures left out) where growth rates are undefined."""
    achieved = _met(latest, target, comparator, direction)
    already = _met(baseline, target, comparator, direction)
    completion = (latest - baseline) / (target - baseline) if target != baseline and not already else None
    elapsed = _elapsed(plan_start, deadline, latest_date)
    out: dict = {
        "completion": completion,
        "time_elapsed": elapsed,
        "schedule": _schedule(completion, elapsed, achieved, latest_date, deadline, tolerance),
        "category": "target_achieved" if achieved else "insufficient_data",
        **(_why("met_before_start") if achieved and already else {"reason": "", "reason_code": "", "reason_args": ()}),
    }
    if achieved:
        out["score"] = 5.0
        return out
    if latest_date < plan_start:
        out.update(schedule="insufficient_data", **_why("no_figure_since_start", start=plan_start, latest=latest_date))
        return out
    done = _years_between(baseline_date, latest_date)
    total = _years_between(baseline_date, deadline)
    left = _years_between(latest_date, deadline)
    if done <= 0:
        out.update(_why("not_after_baseline"))
        return out
    if min(baseline, latest, target) <= 0:
        out.update(_why("nonpositive"))
        return out
    cagr_r = (target / baseline) ** (1 / total) - 1
    if cagr_r == 0:
        out.update(_why("target_equals_baseline"))
        return out
    d = 1.0 if direction == "higher" else -1.0
    cagr_o = (latest / baseline) ** (1 / done) - 1
    ratio = d * cagr_o / abs(cagr_r)
    out.update(
        cagr_observed=cagr_o,
        cagr_required=cagr_r,
        cagr_required_remaining=(target / latest) ** (1 / left) - 1 if left > 0 else None,
        ratio=ratio,
        score=score_with_target(ratio),
        category=category_from_ratio(ratio, TARGET_THRESHOLDS),
    )
    return out


def _best(rows: pd.DataFrame) -> pd.Series:
    rank = {"reported": 0, "preliminary": 1, "derived": 2, "estimate": 3}
    rel = {"official": 0, "official_repost": 1, "secondary": 2}
    ordered = rows.assign(
        _s=rows["status"].map(rank).fillna(9),
        _r=rows["source_reliability"].map(lambda s: min(rel.get(x, 9) for x in str(s).split(";"))),
    ).sort_values(["_s", "_r", "source_date"], ascending=[True, True, False], kind="stable")
    return ordered.iloc[0]


def _level_rows(obs: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Levels that can stand for the indicator at a point: full years (year-end for stocks)
    and, for stocks and rates, points in time."""
    lv = obs[(obs["measure"] == "level") & (obs["status"] != "estimate")]
    allowed = ("year",) if kind == "flow" else ("year", "point")
    lv = lv[lv["period_kind"].isin(allowed)]
    derived_comparable = (lv["status"] == "derived") & (lv["price_basis"] == "comparable")
    return lv[~derived_comparable]


# -- assessment -------------------------------------------------------------------------------


class _Assessor:
    def __init__(
        self,
        target: pd.Series,
        obs: pd.DataFrame,
        as_of: dt.date,
        tolerance: float,
        data_dir: str | os.PathLike[str] | None,
    ):
        self.t = target
        self.as_of = as_of
        self.tolerance = tolerance
        self.data_dir = data_dir
        self.ind = get_indicator(target["indicator_id"], data_dir=data_dir)
        self.direction = _direction(target["comparator"], self.ind.direction)
        self.d = 1.0 if self.direction == "higher" else -1.0
        self.deadline = dt.date.fromisoformat(target["deadline"])
        self.start = dt.date.fromisoformat(target["plan_start"])
        self.value = float(target["target_value"])
        self.base_unit_factor = float(target["target_value_base"]) / self.value if self.value else 1.0
        self.obs = obs
        self.notes: list[str] = []

    def base(self, category: str, schedule: str, **kw) -> TargetAssessment:
        return TargetAssessment(
            target_id=self.t["target_id"],
            plan_id=self.t["plan_id"],
            indicator_id=self.t["indicator_id"],
            region_id=self.t["region_id"],
            form=self.t["form"],
            comparator=self.t["comparator"],
            direction=self.direction,
            unit=self.t["unit"],
            target_value=self.value,
            deadline=self.deadline,
            plan_start=self.start,
            as_of=self.as_of,
            category=category,
            schedule=schedule,
            time_elapsed_as_of=_elapsed(self.start, self.deadline, self.as_of),
            notes=tuple(self.notes),
            **kw,
        )

    def to_target_unit(self, row: pd.Series) -> float:
        return float(row["value_base"]) / self.base_unit_factor

    def insufficient(self, code: str, *, kw: dict | None = None, **args: object) -> TargetAssessment:
        """Insufficient data, for the reason ``code`` (:data:`REASONS`) with ``args``."""
        names = {
            "indicator": self.ind.indicator_id,
            "name": self.ind.name_zh,
            "region": self.t["region_id"],
            "as_of": self.as_of,
        }
        needed = {k: v for k, v in names.items() if "{" + k + "}" in "".join(REASONS[code])}
        return self.base("insufficient_data", "insufficient_data", **_why(code, **needed, **args), **(kw or {}))

    def run(self) -> TargetAssessment:
        if self.t["form"] == "avg_annual_growth":
            return self.insufficient("form_not_assessed", form=self.t["form"])
        if self.obs.empty:
            return self.insufficient("no_figure")
        if self.t["form"] == "growth":
            return self.growth()
        if self.t["form"] in ("cumulative", "new_count"):
            return self.cumulative()
        return self.level()

    # a level by a deadline --------------------------------------------------------------
    def level(self) -> TargetAssessment:
        rows = _level_rows(self.obs, self.ind.kind)
        other_units = rows[rows["base_unit"] != self.t["base_unit"]]
        rows = rows[rows["base_unit"] == self.t["base_unit"]]
        if rows.empty and len(other_units):
            return self.insufficient(
                "other_units", units=", ".join(sorted(set(other_units["unit"]))), unit=self.t["unit"]
            )
        if rows.empty:
            return self.insufficient("no_level", n=len(self.obs))
        rows = rows.assign(_end=pd.to_datetime(rows["period_end"]).dt.date)
        if (rows["_end"] > self.deadline).all():
            return self.insufficient("none_by_deadline", deadline=self.deadline, first=rows["_end"].min())
        rows = rows[rows["_end"] <= self.deadline]  # a figure after the deadline cannot show it was met in time
        latest_end = rows["_end"].max()
        latest = _best(rows[rows["_end"] == latest_end])
        latest_value = self.to_target_unit(latest)
        t = latest_end
        achieved = _met(latest_value, self.value, self.t["comparator"], self.direction)
        latest_kw = dict(
            latest_value=latest_value,
            latest_period=latest["period"],
            latest_source=latest["source_id"],
            latest_status=latest["status"],
            data_through=t,
        )
        baseline = self.baseline(rows)
        if baseline is None:
            if achieved:
                return self.base(
                    "target_achieved", _schedule(None, None, True, t, self.deadline, 0), score=5.0, **latest_kw
                )
            return self.insufficient("no_baseline", start=self.start, kw=latest_kw)
        b_value, b_period, b_source, b_date = baseline
        gap = level_gap(
            baseline=b_value,
            baseline_date=b_date,
            latest=latest_value,
            latest_date=t,
            target=self.value,
            plan_start=self.start,
            deadline=self.deadline,
            comparator=self.t["comparator"],
            direction=self.direction,
            tolerance=self.tolerance,
        )
        category, schedule = gap.pop("category"), gap.pop("schedule")
        return self.base(
            category,
            schedule,
            baseline_value=b_value,
            baseline_period=b_period,
            baseline_source=b_source,
            **latest_kw,
            **gap,
            **self.project(latest_end),
        )

    def baseline(self, rows: pd.DataFrame) -> tuple[float, str, str, dt.date] | None:
        if str(self.t.get("baseline_period", "")) and not pd.isna(self.t.get("baseline_value")):
            period = Period.parse(str(self.t["baseline_period"]))
            return float(self.t["baseline_value"]), period.label, str(self.t["source_id"]), period.end
        before = rows[rows["_end"] < self.start]
        if before.empty:
            return None
        end = before["_end"].max()
        best = _best(before[before["_end"] == end])
        if (self.start - end).days > 366:
            self.notes.append(f"the baseline {best['period']} is more than a year before the plan's start")
        return self.to_target_unit(best), best["period"], best["source_id"], end

    def project(self, latest_end: dt.date) -> dict:
        if self.deadline.year <= latest_end.year:
            return {}
        # in the target's unit (the catalog unit may differ, with the same base unit)
        series = select_annual(
            self.obs,
            indicator_id=self.t["indicator_id"],
            region_id=self.t["region_id"],
            unit=self.t["unit"],
            factor=self.base_unit_factor,
            kind=self.ind.kind,
            as_of=self.as_of,
        )
        values = series.values
        fit = fit_trend(
            values,
            to_year=self.deadline.year,
            indicator_id=self.t["indicator_id"],
            region_id=self.t["region_id"],
            unit=self.t["unit"],
        )
        if fit.status == "insufficient_data":
            self.notes.append(f"no projection: {fit.reason}")
            return {"projection_method": None}
        row = fit.value_at(self.deadline.year)
        comparator = "at_most" if self.t["comparator"] == "at_most" else "at_least"
        return {
            "projected_value": float(row["mean"]),
            "projected_lower": None if pd.isna(row["pi_lower"]) else float(row["pi_lower"]),
            "projected_upper": None if pd.isna(row["pi_upper"]) else float(row["pi_upper"]),
            "projection_method": fit.method,
            "probability": fit.probability(self.deadline.year, self.value, comparator=comparator),
        }

    # a growth rate ------------------------------------------------------------------------
    def growth(self) -> TargetAssessment:
        rows = self.obs[(self.obs["measure"] == "yoy_growth") & (self.obs["status"] != "estimate")]
        year = self.deadline.year
        in_year = rows[pd.to_datetime(rows["period_end"]).dt.year == year]
        in_year = in_year[in_year["period_kind"].isin(("year", "quarter", "half", "months", "month"))]
        in_year = in_year[in_year["period"].map(lambda p: Period.parse(p).is_year_to_date)]
        if in_year.empty:
            return self.insufficient("no_growth", year=year)
        in_year = in_year.assign(_end=pd.to_datetime(in_year["period_end"]).dt.date)
        latest_end = in_year["_end"].max()
        latest = _best(in_year[in_year["_end"] == latest_end])
        g = float(latest["value"])
        full_year = latest["period_kind"] == "year"
        if not full_year:
            self.notes.append(f"year-to-date growth ({latest['period']}) stands in for the full year")
        achieved = full_year and _met(g, self.value, self.t["comparator"], self.direction)
        ratio = self.d * g / abs(self.value) if self.value else None
        elapsed = _elapsed(self.start, self.deadline, latest_end)
        if full_year and not achieved:
            schedule = "not_achieved"
        elif achieved:
            schedule = "achieved"
        else:
            schedule = "on_schedule" if _met(g, self.value, self.t["comparator"], self.direction) else "behind"
        kw = dict(
            latest_value=g,
            latest_period=latest["period"],
            latest_source=latest["source_id"],
            latest_status=latest["status"],
            data_through=latest_end,
            time_elapsed=elapsed,
            ratio=ratio,
        )
        if achieved:
            return self.base("target_achieved", schedule, score=5.0, **kw)
        if ratio is None:
            return self.insufficient("zero_growth_target", kw=kw)
        return self.base(category_from_ratio(ratio, TARGET_THRESHOLDS), schedule, score=score_with_target(ratio), **kw)

    # a total over the plan's span ------------------------------------------------------------
    def cumulative(self) -> TargetAssessment:
        rows = self.obs[(self.obs["measure"] == "level") & (self.obs["status"] != "estimate")]
        rows = rows[rows["base_unit"] == self.t["base_unit"]]
        starts = pd.to_datetime(rows["period_start"]).dt.date
        ends = pd.to_datetime(rows["period_end"]).dt.date
        inside = rows[(starts >= self.start) & (ends <= self.deadline)]
        spans = inside[inside["period_kind"] != "point"]
        if spans.empty:
            return self.insufficient("no_total", start=self.start, deadline=self.deadline)
        spans = spans.assign(
            _start=pd.to_datetime(spans["period_start"]).dt.date, _end=pd.to_datetime(spans["period_end"]).dt.date
        )
        chosen = _non_overlapping(spans)
        total = sum(self.to_target_unit(r) for _, r in chosen.iterrows())
        t = max(chosen["_end"])
        elapsed = _elapsed(self.start, self.deadline, t)
        completion = total / self.value if self.value else None
        achieved = _met(total, self.value, self.t["comparator"], self.direction)
        schedule = _schedule(completion, elapsed, achieved, t, self.deadline, self.tolerance)
        ratio = completion / elapsed if completion is not None and elapsed > 0 else None
        pace = total / elapsed if elapsed > 0 else None
        kw = dict(
            latest_value=total,
            latest_period=";".join(chosen["period"]),
            latest_source=";".join(dict.fromkeys(chosen["source_id"])),
            latest_status=";".join(sorted(set(chosen["status"]))),
            data_through=t,
            completion=completion,
            time_elapsed=elapsed,
            ratio=ratio,
            projected_value=pace,
            projection_method="pace" if pace is not None else None,
        )
        self.notes.append("the projection keeps the observed pace to the deadline (no interval)")
        if achieved:
            return self.base("target_achieved", schedule, score=5.0, **kw)
        if ratio is None:
            return self.insufficient("no_time", kw=kw)
        return self.base(category_from_ratio(ratio, TARGET_THRESHOLDS), schedule, score=score_with_target(ratio), **kw)


def _non_overlapping(spans: pd.DataFrame) -> pd.DataFrame:
    """Periods that tile the plan's span without double counting: the longest first."""
    spans = spans.assign(_len=[(e - s).days for s, e in zip(spans["_start"], spans["_end"], strict=True)])
    chosen: list[pd.Series] = []
    for _, row in spans.sort_values(["_len", "source_date"], ascending=[False, False], kind="stable").iterrows():
        if all(row["_end"] < c["_start"] or row["_start"] > c["_end"] for c in chosen):
            chosen.append(row)
    return pd.DataFrame(chosen).sort_values("_start")


def target_gap(
    plan: str | None = None,
    *,
    region: str | None = None,
    as_of: str | dt.date | None = None,
    tolerance: float = 0.05,
    data_dir: str | os.PathLike[str] | None = None,
) -> TargetGapResult:
    """Assess every target of a plan (or of a region, or all targets) at ``as_of`` (default:
    today), from the figures published by then. See the module docstring."""
    if plan is not None:
        get_plan(plan, data_dir=data_dir)
    if region is not None:
        get_region(region, data_dir=data_dir)
    today = dt.date.today()
    try:
        as_of_date = as_date(as_of) or today
    except ValueError:
        raise ParameterError("as_of", as_of, "not an ISO date", "write YYYY-MM-DD, e.g. 2024-12-31") from None
    if as_of_date > today:
        raise ParameterError("as_of", str(as_of_date), "in the future", f"use a date up to today ({today})")
    if not 0 <= tolerance < 1:
        raise ParameterError("tolerance", tolerance, "not a fraction", "use e.g. 0.05 (five percentage points)")
    targets = load_targets(plan, region=region, data_dir=data_dir)
    obs_all = published_by(load_observations(data_dir=data_dir), as_of_date)
    results = []
    for _, target in targets.iterrows():
        obs = obs_all[
            (obs_all["indicator_id"] == target["indicator_id"]) & (obs_all["region_id"] == target["region_id"])
        ]
        results.append(_Assessor(target, obs, as_of_date, tolerance, data_dir).run())
    return TargetGapResult(as_of=as_of_date, plan=plan, region=region, assessments=tuple(results))


def assess_series(
    years: list[int],
    values: list[float],
    *,
    target: float,
    deadline_year: int,
    baseline_year: int,
    comparator: str = "at_least",
    tolerance: float = 0.05,
) -> dict[str, float | str | None]:
    """:func:`level_gap` on a bare annual series (year ends), the plan starting the year after
    the baseline: for worked examples and quick checks."""
    s = pd.Series(values, index=years, dtype=float)
    if baseline_year not in s.index:
        raise ParameterError("baseline_year", baseline_year, "not in the series", f"use one of {years}")
    latest_year = int(max(years))
    return level_gap(
        baseline=float(s[baseline_year]),
        baseline_date=dt.date(baseline_year, 12, 31),
        latest=float(s[latest_year]),
        latest_date=dt.date(latest_year, 12, 31),
        target=target,
        plan_start=dt.date(baseline_year + 1, 1, 1),
        deadline=dt.date(deadline_year, 12, 31),
        comparator=comparator,
        direction="lower" if comparator == "at_most" else "higher",
        tolerance=tolerance,
    )


__all__ = ["TargetAssessment", "TargetGapResult", "assess_series", "known_by", "level_gap", "target_gap"]
