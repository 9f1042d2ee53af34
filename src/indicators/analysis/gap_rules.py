"""The arithmetic of a target gap, shared by every target form: the desired direction, whether a
value meets a target, the share of the plan's time elapsed (序时进度), the schedule label, the
verdict on an outcome (:func:`outcome`), and :func:`level_gap` (completion, observed and
required growth, Open SDG's ratio R).

The schedule label follows the verdict, so that a report never shows two verdicts for one
target: an on-track target is ahead of schedule where its completion leads the time elapsed by
the tolerance and on schedule otherwise; any other in-progress verdict is behind schedule; a
verdict after the deadline has its own label (:func:`schedule_for`).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..errors import ParameterError
from .gap_result import why
from .progress import TARGET_THRESHOLDS, category_from_ratio, score_with_target


def years_between(a: dt.date, b: dt.date) -> float:
    """Years from ``a`` to ``b``: whole years between two year ends (2020-12-31 to 2023-12-31
    is 3), otherwise days / 365.25."""
    if (a.month, a.day) == (12, 31) and (b.month, b.day) == (12, 31):
        return float(b.year - a.year)
    return (b - a).days / 365.25


def desired_direction(comparator: str, catalog_direction: str) -> str:
    if comparator == "at_least":
        return "higher"
    if comparator == "at_most":
        return "lower"
    return catalog_direction


def meets(value: float, target: float, comparator: str, direction: str) -> bool:
    if comparator == "at_least":
        return value >= target
    if comparator == "at_most":
        return value <= target
    return abs(value - target) <= 0.005 * abs(target) if target else value == 0


def schedule_for(
    verdict: str,
    *,
    completion: float | None = None,
    elapsed: float | None = None,
    tolerance: float = 0.05,
    t: dt.date | None = None,
    deadline: dt.date | None = None,
    met_before_start: bool = False,
) -> str:
    """The schedule label (序时进度) that goes with a verdict (see the module docstring)."""
    if verdict == "target_achieved":
        if met_before_start:
            return "already_met"
        return "achieved_early" if t is not None and deadline is not None and t < deadline else "achieved"
    if verdict in ("target_missed", "awaiting_outcome", "insufficient_data"):
        return {"target_missed": "not_achieved"}.get(verdict, verdict)
    if verdict == "on_track":
        ahead = completion is not None and elapsed is not None and completion >= elapsed + tolerance
        return "ahead" if ahead else "on_schedule"
    return "behind"


def shortfall(outcome: float, target: float, comparator: str) -> float:
    """How far an outcome falls short of its target, in the target's unit: target minus outcome
    for an at-least target, outcome minus target for an at-most one, the distance for ``equal``."""
    if comparator == "at_least":
        return target - outcome
    if comparator == "at_most":
        return outcome - target
    return abs(target - outcome)


def outcome(outcome_value: float, target: float, comparator: str, direction: str, required: float | None) -> dict:
    """The final verdict on the outcome for the deadline: ``target_achieved`` or
    ``target_missed`` with the ``shortfall`` and its share of the change that was ``required``
    (target minus baseline for a level, the target itself for a growth rate or a total)."""
    if meets(outcome_value, target, comparator, direction):
        return {"verdict": "target_achieved", "final": True}
    short = shortfall(outcome_value, target, comparator)
    share = short / abs(required) if required else None
    return {"verdict": "target_missed", "final": True, "shortfall": short, "shortfall_share": share}


def schedule_of(
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


def elapsed_share(start: dt.date, deadline: dt.date, t: dt.date) -> float:
    """Share of the plan's span (from the start of ``start`` to the end of ``deadline``) gone by
    the end of ``t``, in 0..1."""
    eve = start - dt.timedelta(days=1)
    return min(max(years_between(eve, t) / years_between(eve, deadline), 0.0), 1.0)


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
    ``reason`` is set (and the growth figures left out) where growth rates are undefined.
    Before the deadline the schedule label follows the category (:func:`schedule_for`)."""
    out = _level_gap(
        baseline=baseline,
        baseline_date=baseline_date,
        latest=latest,
        latest_date=latest_date,
        target=target,
        plan_start=plan_start,
        deadline=deadline,
        comparator=comparator,
        direction=direction,
        tolerance=tolerance,
    )
    if out["category"] != "target_achieved" and latest_date < deadline:
        out["schedule"] = schedule_for(
            out["category"], completion=out["completion"], elapsed=out["time_elapsed"], tolerance=tolerance
        )
    return out


def _level_gap(
    *,
    baseline: float,
    baseline_date: dt.date,
    latest: float,
    latest_date: dt.date,
    target: float,
    plan_start: dt.date,
    deadline: dt.date,
    comparator: str,
    direction: str,
    tolerance: float,
) -> dict:
    achieved = meets(latest, target, comparator, direction)
    already = meets(baseline, target, comparator, direction)
    completion = (latest - baseline) / (target - baseline) if target != baseline and not already else None
    elapsed = elapsed_share(plan_start, deadline, latest_date)
    out: dict = {
        "completion": completion,
        "time_elapsed": elapsed,
        "schedule": schedule_of(completion, elapsed, achieved, latest_date, deadline, tolerance),
        "category": "target_achieved" if achieved else "insufficient_data",
        "met_before_start": achieved and already,
        **(why("met_before_start") if achieved and already else {"reason": "", "reason_code": "", "reason_args": ()}),
    }
    if achieved:
        out["score"] = 5.0
        if already:
            out["schedule"] = "already_met"
        return out
    if latest_date < plan_start:
        out.update(schedule="insufficient_data", **why("no_figure_since_start", start=plan_start, latest=latest_date))
        return out
    done = years_between(baseline_date, latest_date)
    total = years_between(baseline_date, deadline)
    left = years_between(latest_date, deadline)
    if done <= 0:
        out.update(why("not_after_baseline"))
        return out
    if min(baseline, latest, target) <= 0:
        out.update(why("nonpositive"))
        return out
    cagr_r = (target / baseline) ** (1 / total) - 1
    if cagr_r == 0:
        out.update(why("target_equals_baseline"))
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
