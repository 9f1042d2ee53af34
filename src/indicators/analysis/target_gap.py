"""Target-gap assessment: where each plan target stands at an as-of date.

For each target, from what was known at the as-of date: of each figure whose period had ended,
its latest vintage published by then (:mod:`indicators.data.vintages`; a preliminary figure until
the final one is published), so an assessment is reproduced as it would have been made then:

* **baseline** (the plan's stated one, else the latest level at or before the plan's start),
  **latest** value, target, deadline and desired direction (``at_least`` → higher is better,
  ``at_most`` → lower, ``equal`` → the catalog's direction);
* **completion** ``(latest - baseline) / (target - baseline)`` against **time elapsed**
  ``(t - plan start) / (deadline - plan start)``, the Chinese 序时进度 benchmark, labelled as in
  Five-Year-Plan evaluations: 已实现 / 提前实现 (achieved, early), 快于预期 (ahead),
  基本符合预期 (on schedule), 滞后 (behind), 未实现 (deadline passed), consistent with the
  verdict (:func:`~.gap_rules.schedule_for`). ``t`` is the end of the period the latest figure
  refers to: comparing a 2023 figure with the time elapsed at a later as-of date would call
  every target late. The share elapsed at the as-of date is reported beside it
  (``time_elapsed_as_of``);
* **required CAGR** from the baseline to the target by the deadline, **observed CAGR** since the
  baseline, the required CAGR for the remaining years, and the Open SDG / Statistics Canada ratio
  ``R = d * CAGR_observed / |CAGR_required|`` with its category (:mod:`indicators.analysis.progress`);
* the **projected** value at the deadline from the trend model (:mod:`indicators.analysis.trend`) with its
  prediction interval, and the **probability** of reaching the target under the model.

**The verdict** (:data:`~.gap_result.VERDICTS`). Before the deadline: Open SDG's category, a
target met by the baseline already being achieved with ``met_before_start``. From the deadline
on (``as_of`` on or after it), with the outcome for the deadline published (a level for the
deadline's period, the full-year growth of its year, totals covering the plan's whole span):
``target_achieved`` or ``target_missed`` with the ``shortfall``, final. Without it:
``awaiting_outcome``, the in-progress category kept as ``in_progress_category``. A cumulative
at-least target whose total already meets it is achieved for good (totals only grow).

Every target form in the table is handled: a level by a deadline (also at-most targets and
shares in percent), a growth rate for a period (growth is compared with growth; a year-to-date
rate stands in, flagged, before the full year is published), a cumulative total over the plan's
span and a count of new items (observed pace against the pace required), and an average annual
growth over the plan's span (``avg_annual_growth``: the published average for the span, else the
published year-on-year rates chained, against the rate required).
A target that cannot be assessed before its deadline gets the verdict ``insufficient_data`` and the
reason, never an exception.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os

import pandas as pd

from ..data.catalog import get_indicator, get_plan, get_region, load_observations, load_table, load_targets
from ..data.periods import Period
from ..data.vintages import preferred
from ..errors import ParameterError
from .gap_result import FINAL_VERDICTS, REASONS, TargetAssessment, TargetGapResult, note, why
from .gap_rules import desired_direction, elapsed_share, level_gap, meets, outcome, schedule_for
from .progress import TARGET_THRESHOLDS, category_from_ratio, score_with_target
from .reasons import GAP_NOTES
from .series import as_date, is_comparable_volume, published_by, select_annual
from .trend import fit_trend


def _level_rows(obs: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Levels that can stand for the indicator at a point: full years (year-end for stocks)
    and, for stocks and rates, points in time."""
    lv = obs[(obs["measure"] == "level") & (obs["status"] != "estimate")]
    allowed = ("year",) if kind == "flow" else ("year", "point")
    lv = lv[lv["period_kind"].isin(allowed)]
    return lv[~is_comparable_volume(lv)]


# -- assessment, by target form -------------------------------------------------------------


class _Assessor:
    def __init__(
        self,
        target: pd.Series,
        obs: pd.DataFrame,
        as_of: dt.date,
        tolerance: float,
        data_dir: str | os.PathLike[str] | None,
        region_en: str,
    ):
        self.t = target
        self.as_of = as_of
        self.tolerance = tolerance
        self.data_dir = data_dir
        self.ind = get_indicator(target["indicator_id"], data_dir=data_dir)
        self.region_en = region_en
        self.direction = desired_direction(target["comparator"], self.ind.direction)
        self.d = 1.0 if self.direction == "higher" else -1.0
        self.deadline = dt.date.fromisoformat(target["deadline"])
        self.start = dt.date.fromisoformat(target["plan_start"])
        self.past = as_of >= self.deadline
        self.value = float(target["target_value"])
        self.base_unit_factor = float(target["target_value_base"]) / self.value if self.value else 1.0
        self.obs = obs
        self.notes: list[tuple[str, tuple]] = []

    def base(self, verdict: str, **kw) -> TargetAssessment:
        """The assessment, its schedule label following the verdict."""
        kw.setdefault(
            "schedule",
            schedule_for(
                verdict,
                completion=kw.get("completion"),
                elapsed=kw.get("time_elapsed"),
                tolerance=self.tolerance,
                t=kw.get("data_through"),
                deadline=self.deadline,
                met_before_start=kw.get("met_before_start", False),
            ),
        )
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
            verdict=verdict,
            time_elapsed_as_of=elapsed_share(self.start, self.deadline, self.as_of),
            notes=tuple(GAP_NOTES[code][0].format(**dict(args)) for code, args in self.notes),
            note_codes=tuple(self.notes),
            **kw,
        )

    def note(self, code: str, **args: object) -> None:
        self.notes.append(note(code, **args))

    def to_target_unit(self, row: pd.Series) -> float:
        return float(row["value_base"]) / self.base_unit_factor

    def insufficient(self, code: str, *, kw: dict | None = None, **args: object) -> TargetAssessment:
        """Insufficient data, for the reason ``code`` (:data:`REASONS`) with ``args``."""
        names = {
            "name": self.ind.name_zh,
            "name_en": self.ind.name_en,
            "region_en": self.region_en,
            "as_of": self.as_of,
        }
        needed = {k: v for k, v in names.items() if "{" + k + "}" in "".join(REASONS[code])}
        return self.base("insufficient_data", **why(code, **needed, **args), **(kw or {}))

    def run(self) -> TargetAssessment:
        if self.obs.empty:
            a = self.insufficient("no_figure")
        elif self.t["form"] == "growth":
            a = self.growth()
        elif self.t["form"] == "avg_annual_growth":
            a = self.average_growth()
        elif self.t["form"] in ("cumulative", "new_count"):
            a = self.cumulative()
        else:
            a = self.level()
        if not self.past or (a.final and a.verdict in FINAL_VERDICTS):
            return a
        # the deadline has passed without its outcome: the in-progress assessment is secondary
        return dataclasses.replace(
            a,
            verdict="awaiting_outcome",
            in_progress_category=a.verdict,
            final=False,
            schedule="awaiting_outcome",
            **why("awaiting_outcome", deadline=self.deadline, as_of=self.as_of),
        )

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
        # after the deadline only the deadline's figure is its outcome; later ones are not
        rows = rows[rows["_end"] <= self.deadline]
        if rows.empty:
            return self.insufficient("no_level", n=len(self.obs))
        latest_end = rows["_end"].max()
        latest = preferred(rows[rows["_end"] == latest_end])
        latest_value = self.to_target_unit(latest)
        t = latest_end
        final = latest_end == self.deadline
        achieved = meets(latest_value, self.value, self.t["comparator"], self.direction)
        latest_kw = dict(
            latest_value=latest_value,
            latest_period=latest["period"],
            latest_source=latest["source_id"],
            latest_status=latest["status"],
            latest_obs_id=latest["obs_id"],
            data_through=t,
        )
        baseline = self.baseline(rows)
        if baseline is None:
            if final:
                verdict = outcome(latest_value, self.value, self.t["comparator"], self.direction, None)
                return self.base(**verdict, **latest_kw)
            if achieved:
                return self.base("target_achieved", score=5.0, **latest_kw)
            return self.insufficient("no_baseline", start=self.start, kw=latest_kw)
        b_value, b_period, b_source, b_date, b_obs = baseline
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
        category = gap.pop("category")
        gap.pop("schedule")
        verdict: dict = {"verdict": category}
        if final:
            verdict = outcome(latest_value, self.value, self.t["comparator"], self.direction, self.value - b_value)
        return self.base(
            **verdict,
            baseline_value=b_value,
            baseline_period=b_period,
            baseline_source=b_source,
            baseline_obs_id=b_obs,
            **latest_kw,
            **gap,
            **self.project(latest_end),
        )

    def baseline(self, rows: pd.DataFrame) -> tuple[float, str, str, dt.date, str | None] | None:
        """The plan's stated baseline (no observation: ``None`` for its id), else the latest level
        at or before the plan's start."""
        if str(self.t.get("baseline_period", "")) and not pd.isna(self.t.get("baseline_value")):
            period = Period.parse(str(self.t["baseline_period"]))
            return float(self.t["baseline_value"]), period.label, str(self.t["source_id"]), period.end, None
        before = rows[rows["_end"] < self.start]
        if before.empty:
            return None
        end = before["_end"].max()
        best = preferred(before[before["_end"] == end])
        if (self.start - end).days > 366:
            self.note("baseline_old", period=best["period"])
        return self.to_target_unit(best), best["period"], best["source_id"], end, best["obs_id"]

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
        fit = fit_trend(
            series.values,
            to_year=self.deadline.year,
            indicator_id=self.t["indicator_id"],
            region_id=self.t["region_id"],
            unit=self.t["unit"],
            figures=series.rows,
        )
        if fit.status in ("insufficient_data", "interval_too_wide") or self.deadline.year not in fit.projection.index:
            self.note("no_projection", why_en=fit.reason_in("en"), why_zh=fit.reason_in("zh"))
            return {"projection_method": None}
        row = fit.value_at(self.deadline.year)
        if fit.status == "cagr_only":
            self.note("line_only", first=fit.fit_years[0], last=fit.fit_years[-1])
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
        latest = preferred(in_year[in_year["_end"] == latest_end])
        g = float(latest["value"])
        full_year = latest["period_kind"] == "year"
        if not full_year:
            self.note("ytd_stands_in", period=latest["period"])
        ratio = self.d * g / abs(self.value) if self.value else None
        kw = dict(
            latest_value=g,
            latest_period=latest["period"],
            latest_source=latest["source_id"],
            latest_status=latest["status"],
            latest_obs_id=latest["obs_id"],
            data_through=latest_end,
            time_elapsed=elapsed_share(self.start, self.deadline, latest_end),
            ratio=ratio,
        )
        # the outcome: growth of the target's year, against the growth required
        return self.rate_verdict(g, ratio, final=full_year, kw=kw)

    def rate_verdict(self, rate: float, ratio: float | None, *, final: bool, kw: dict) -> TargetAssessment:
        """A growth target's verdict: the outcome when ``rate`` is the target's whole period
        (``final``), else the progress category of ``ratio`` (observed over required growth)."""
        if final:
            verdict = outcome(rate, self.value, self.t["comparator"], self.direction, self.value)
            score = 5.0 if verdict["verdict"] == "target_achieved" else None
            if score is None and ratio is not None:
                score = score_with_target(ratio)
            return self.base(**verdict, score=score, **kw)
        if ratio is None:
            return self.insufficient("zero_growth_target", kw=kw)
        return self.base(category_from_ratio(ratio, TARGET_THRESHOLDS), score=score_with_target(ratio), **kw)

    # an average annual growth over the plan's span -------------------------------------------
    def average_growth(self) -> TargetAssessment:
        """Average annual growth from the year before the plan starts (its base year) to the
        deadline's year: the published average for exactly that span where there is one, else
        the published year-on-year rates of the years so far, chained (like with like: growth
        against growth, never against levels at another price basis)."""
        base_year, end_year = self.start.year - 1, self.deadline.year
        n_years = end_year - base_year
        rows = self.obs[self.obs["status"] != "estimate"]
        spans = rows[(rows["measure"] == "avg_annual_growth") & (rows["period"] == f"{base_year}-{end_year}")]
        if len(spans):
            row = preferred(spans)
            avg, covered, sources = float(row["value"]), n_years, [row["source_id"]]
            obs_ids = [row["obs_id"]]
            period, statuses = str(row["period"]), {row["status"]}
        else:
            yoy = rows[(rows["measure"] == "yoy_growth") & (rows["period_kind"] == "year")]
            by_year = {int(y): preferred(g) for y, g in yoy.groupby(yoy["period"].astype(int))}
            chain = []
            for year in range(base_year + 1, end_year + 1):  # consecutive years from the start
                if year not in by_year:
                    break
                chain.append(by_year[year])
            if not chain:
                return self.insufficient("no_growth", year=base_year + 1)
            factor = 1.0
            for r in chain:
                factor *= 1 + float(r["value"]) / 100
            covered = len(chain)
            avg = (factor ** (1 / covered) - 1) * 100
            sources = [r["source_id"] for r in chain]
            obs_ids = [r["obs_id"] for r in chain]
            period = f"{base_year}-{base_year + covered}"
            statuses = {r["status"] for r in chain}
            if covered > 1:
                self.note("chained_growth", years=period)
        last = dt.date(base_year + covered, 12, 31)
        ratio = self.d * avg / abs(self.value) if self.value else None
        kw = dict(
            latest_value=avg,
            latest_period=period,
            latest_source=";".join(dict.fromkeys(sources)),
            latest_status=";".join(sorted(statuses)),
            latest_obs_id=";".join(obs_ids),
            data_through=last,
            time_elapsed=covered / n_years,
            ratio=ratio,
        )
        # the outcome: the average over the whole span
        return self.rate_verdict(avg, ratio, final=covered == n_years, kw=kw)

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
        elapsed = elapsed_share(self.start, self.deadline, t)
        completion = total / self.value if self.value else None
        achieved = meets(total, self.value, self.t["comparator"], self.direction)
        ratio = completion / elapsed if completion is not None and elapsed > 0 else None
        pace = total / elapsed if elapsed > 0 else None
        kw = dict(
            latest_value=total,
            latest_period=";".join(chosen["period"]),
            latest_source=";".join(dict.fromkeys(chosen["source_id"])),
            latest_status=";".join(sorted(set(chosen["status"]))),
            latest_obs_id=";".join(chosen["obs_id"]),
            data_through=t,
            completion=completion,
            time_elapsed=elapsed,
            ratio=ratio,
        )
        if _covers(chosen, self.start, self.deadline):  # the outcome: totals over the whole span
            verdict = outcome(total, self.value, self.t["comparator"], self.direction, self.value)
            return self.base(**verdict, score=5.0 if verdict["verdict"] == "target_achieved" else None, **kw)
        kw.update(projected_value=pace, projection_method="pace" if pace is not None else None)
        self.note("pace_projection")
        if achieved:  # an at-least total already met stays met: final once the deadline has passed
            final = self.past and self.t["comparator"] == "at_least"
            return self.base("target_achieved", final=final, score=5.0, **kw)
        if ratio is None:
            return self.insufficient("no_time", kw=kw)
        return self.base(category_from_ratio(ratio, TARGET_THRESHOLDS), score=score_with_target(ratio), **kw)


def _covers(chosen: pd.DataFrame, start: dt.date, deadline: dt.date) -> bool:
    """Whether the periods tile the plan's span from its start to the deadline without a gap."""
    expected = start
    for _, row in chosen.sort_values("_start").iterrows():
        if row["_start"] != expected:
            return False
        expected = row["_end"] + dt.timedelta(days=1)
    return expected == deadline + dt.timedelta(days=1)


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
    region_names = load_table("regions", data_dir=data_dir).set_index("region_id")["name_en"]
    results = []
    for _, target in targets.iterrows():
        obs = obs_all[
            (obs_all["indicator_id"] == target["indicator_id"]) & (obs_all["region_id"] == target["region_id"])
        ]
        region_en = str(region_names.get(target["region_id"], target["region_id"]))
        results.append(_Assessor(target, obs, as_of_date, tolerance, data_dir, region_en).run())
    return TargetGapResult(as_of=as_of_date, plan=plan, region=region, assessments=tuple(results))


__all__ = ["target_gap"]
