"""Generated commentary: a few sentences that state what the numbers say, with their caveats.

Sentences are built from the analysis results, never typed by hand, in Chinese or English.
They carry names and reasons from the data, so they are plain text: :func:`trend_commentary`
escapes them into HTML paragraphs, and a caller that puts a sentence into HTML escapes it.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

import pandas as pd
from markupsafe import Markup

from ..analysis.gap_result import TargetAssessment
from ..data.vintages import known_by, preferred


class Writer(Protocol):
    """What a sentence needs from the report that writes it: its language, the figure formatter
    and the source-note numbers. The report kinds provide it; commentary never imports them."""

    language: str
    data_dir: Any

    def t(self, key: str, **kw: object) -> str: ...
    def value(self, value: float | None, unit: str, qualifier: str = "exact", text: str | None = None) -> str: ...
    def cite(self, source_ids: Any) -> str: ...
    def unit_name(self, unit: str) -> str: ...


class TrendView(Writer, Protocol):
    """A trend report's data and its figure helpers (:class:`~.trend_report.TrendReport`)."""

    ind: Any
    reg: Any
    obs: pd.DataFrame
    by_id: pd.DataFrame
    values: pd.Series
    years: tuple[int, int] | None
    growth: pd.DataFrame
    fit: Any
    rate: bool
    checks: pd.DataFrame
    numbers: Any

    def level_row(self, year: int) -> pd.Series | None: ...
    def growth_row(self, year: int) -> pd.Series | None: ...
    def show_level(self, section: str, row: pd.Series, role: str) -> Any: ...
    def show_row(self, section: str, row: pd.Series, *, role: str = "table", **kw: object) -> Any: ...
    def projected(self, section: str, year: int, value: float, role: str, *, bound: str = "") -> str: ...
    def average_growth(self) -> tuple[pd.Series | None, float | None]: ...
    def cite_html(self, source_ids: Any) -> Markup: ...
    def period(self, label: str) -> str: ...
    def record(self, section: str, key: str, text: str, *, role: str, period: str = "", verdict: str = "") -> None: ...


def _html(shown: Any) -> Markup:
    return Markup(shown.html)


def _cited(rep: TrendView, shown: Any, source_ids: str, basis: str = "") -> Markup:
    return Markup("{}{} {}").format(_html(shown), basis, rep.cite_html(source_ids))


def trend_sentences(rep: TrendView, *, section: str, short: bool = False) -> list[Markup]:
    """What the trend report says, sentence by sentence, from its own figures: the latest level
    and its growth, the average growth (the published one where there is one), the projection as
    the trend result allows it, the official expectations and the year-to-date figures beside it,
    and (unless ``short``) the caveats: figures not final, revisions with both figures and dates,
    real against nominal growth. Every figure is shown by the report's formatter and recorded."""
    tm = rep.tm
    ind, reg = rep.ind.name(rep.language), rep.reg.name(rep.language)
    if not rep.years:
        return [tm("trend.s.no_series", indicator=ind, region=reg, why=rep.fit.reason_in(rep.language))]
    out: list[Markup] = []
    first, last = rep.years
    row = rep.level_row(last)
    if row is not None:
        level = rep.show_level(section, row, "sentence")
        sentence = tm(
            "trend.s.latest",
            indicator=ind,
            region=reg,
            period=rep.period(str(last)),
            figure=_cited(rep, level, row["source_id"]),
        )
        g = rep.growth_row(last)
        before = rep.level_row(last - 1)
        if rep.rate and before is not None:
            change = rep.numbers.points(float(row["value"]) - float(before["value"]))
            rep.record(section, f"{row['obs_id']}:change", change, role="sentence", period=str(last))
            sentence += tm("trend.s.change_pp", change=change, year=last - 1)
        elif g is not None:
            gs = rep.show_row(section, g, role="sentence")
            basis = rep.t("trend.comparable") if g["price_basis"] == "comparable" else ""
            sentence += tm("trend.s.growth", growth=_cited(rep, gs, g["source_id"], basis))
        out.append(sentence + tm("trend.s.end"))
    published, computed = rep.average_growth()
    if published is not None:
        avg = rep.show_row(section, published, role="sentence")
        out.append(
            tm("trend.s.average_published", first=first, last=last, growth=_cited(rep, avg, published["source_id"]))
        )
    elif computed is not None and last > first:
        text = rep.numbers.percent(computed)
        rep.record(section, "average:computed", text, role="sentence", period=f"{first}-{last}")
        basis = "" if rep.rate else rep.t("trend.s.nominal")
        out.append(tm("trend.s.average_computed", first=first, last=last, growth=text, basis=basis))
    out.append(_projection_sentence(rep, section))
    beside = rep.fit.beside_projection(rep.language)
    # an expected level first (it stands beside the projected level), then the year to date
    order = {("expectation", "level"): 0, ("nowcast", "yoy_growth"): 1}
    beside = beside.iloc[
        sorted(range(len(beside)), key=lambda i: order.get((beside["kind"].iloc[i], beside["measure"].iloc[i]), 2))
    ]
    for _, b in beside.iterrows():
        if b["obs_id"] not in rep.by_id.index:
            continue
        obs = rep.by_id.loc[b["obs_id"]].copy()
        obs["obs_id"] = b["obs_id"]
        if obs["measure"] == "level":
            shown = rep.show_level(section, obs, "sentence")
        else:
            shown = rep.show_row(section, obs, role="sentence")
        key = "trend.s.nowcast" if b["kind"] == "nowcast" else "trend.s.expectation"
        what = rep.t(f"measure.{obs['measure']}") if obs["measure"] != "level" else ""
        what = f" {what}" if what and rep.language == "en" else what
        out.append(
            tm(key, period=rep.period(str(obs["period"])), what=what, figure=_cited(rep, shown, obs["source_id"]))
        )
    if not short:
        out += _caveats(rep, section)
    return out


def _projection_sentence(rep: TrendView, section: str) -> Markup:
    fit, tm = rep.fit, rep.tm
    if fit.status in ("insufficient_data", "interval_too_wide") or fit.projection.empty:
        return tm("trend.s.no_projection", why=fit.reason_in(rep.language) or rep.t("chart.no_data"))
    end = int(fit.projection.index.max())
    mean = rep.projected(section, end, float(fit.projection.at[end, "mean"]), "sentence")
    if fit.status == "cagr_only":
        years = fit.fit_years
        return tm("trend.s.projection_line", first=years[0], last=years[-1], year=end, figure=mean)
    low = rep.projected(section, end, float(fit.projection.at[end, "pi_lower"]), "sentence", bound="low")
    high = rep.projected(section, end, float(fit.projection.at[end, "pi_upper"]), "sentence", bound="high")
    return tm(
        "trend.s.projection",
        method=fit.label_in(rep.language),
        n=fit.n_obs,
        year=end,
        figure=mean,
        p=round((1 - fit.alpha) * 100),
        low=low,
        high=high,
    )


def _dated(rep: TrendView, section: str, row: pd.Series) -> Markup:
    """A figure with its publication date and note: 3500亿元（初步）（2019-01-01公布）[3]."""
    shown = rep.show_row(section, row, role="sentence")
    when = rep.t("audit.published_on", date=row["published"])
    return Markup("{}（{}）{}" if rep.language == "zh" else "{} ({}) {}").format(
        _html(shown), when, rep.cite_html(row["source_id"])
    )


def _row(rep: TrendView, obs_id: str) -> pd.Series:
    row = rep.by_id.loc[obs_id].copy()
    row["obs_id"] = obs_id
    return row


def _caveats(rep: TrendView, section: str) -> list[Markup]:
    """Figures that are not final; each revised or disputed figure once (its first and its
    current value, with dates); breaks in the series; real against nominal growth, in one line."""
    tm = rep.tm
    out: list[Markup] = []
    statuses = rep.obs["status"].value_counts()
    parts = [
        rep.t("trend.s.count", n=int(statuses.get(s, 0)), status=rep.t(f"status.{s}"))
        for s in ("derived", "preliminary", "estimate")
        if int(statuses.get(s, 0))
    ]
    if parts:
        out.append(tm("trend.s.caveat_status", parts=("、" if rep.language == "zh" else ", ").join(parts)))
    checks = rep.checks
    for kind in ("revision", "conflict"):
        for (period, measure), group in checks[checks["kind"] == kind].groupby(["period", "measure"], sort=True):
            ids = {i for cell in group["obs_ids"] for i in str(cell).split(";") if i in rep.by_id.index}
            if len(ids) < 2:
                continue
            rows = sorted((_row(rep, i) for i in ids), key=lambda r: (known_by(str(r["published"])), r["obs_id"]))
            # a revision: the first value, then the one that stands now (the preferred later row)
            a = rows[0]
            b = preferred(pd.DataFrame(rows[1:])) if kind == "revision" else rows[1]
            key = "trend.s.revision" if kind == "revision" else "trend.s.conflict"
            out.append(
                tm(
                    key,
                    period=rep.period(str(period)),
                    what=rep.t(f"measure.{measure}"),
                    a=_dated(rep, section, a),
                    b=_dated(rep, section, b),
                )
            )
    for _, c in checks[checks["kind"] == "series_break"].iterrows():
        ids = [i for i in str(c["obs_ids"]).split(";") if i in rep.by_id.index]
        if len(ids) < 3:
            continue
        new, _, neighbour = (_row(rep, i) for i in ids[:3])
        out.append(
            tm(
                "trend.s.series_break",
                revised=rep.period(str(new["period"])),
                other=rep.period(str(neighbour["period"])),
                a=_dated(rep, section, new),
                b=_dated(rep, section, neighbour),
            )
        )
    deflators = []
    for _, c in checks[checks["kind"] == "implied_deflator"].sort_values("period").iterrows():
        deflator = rep.numbers.percent(c["value"], sign=True)
        rep.record(section, f"deflator:{c['period']}", deflator, role="sentence", period=str(c["period"]))
        deflators.append(rep.t("trend.s.deflator_item", period=rep.period(str(c["period"])), deflator=deflator))
    if deflators:
        out.append(tm("trend.s.deflators", items=("；" if rep.language == "zh" else "; ").join(deflators)))
    return out


class GapView(Writer, Protocol):
    """A target-gap report's figure helpers (:class:`~.gap_report.TargetGapReport`)."""

    numbers: Any

    def tm(self, key: str, **kw: object) -> Markup: ...
    def period(self, label: str) -> str: ...
    def record(self, section: str, key: str, text: str, *, role: str, period: str = "", verdict: str = "") -> None: ...
    def target_figure(self, section: str, a: TargetAssessment, role: str) -> Any: ...
    def latest_figure(self, section: str, a: TargetAssessment, role: str) -> Any: ...
    def baseline_figure(self, section: str, a: TargetAssessment, role: str) -> Any: ...
    def projection_figure(self, section: str, a: TargetAssessment, role: str) -> Any: ...
    def shortfall_text(self, section: str, a: TargetAssessment, role: str) -> str: ...
    def comparator_text(self, a: TargetAssessment, figure: str) -> str: ...


def target_sentences(rep: GapView, a: TargetAssessment, *, section: str, short: bool = False) -> Markup:
    """Where one target stands, from its assessment alone: the target as the plan states it, the
    verdict with the figures behind it (the shortfall of a missed target, the in-progress
    assessment of one whose outcome is awaited), the projection where there is one, the notes."""
    tm = rep.tm
    role = "headline" if short else "sentence"  # a headline item is recorded as one
    target = rep.target_figure(section, a, role)
    goal = Markup(rep.comparator_text(a, target.html))
    start, year = a.plan_start.year, a.deadline.year
    phrase = tm(
        f"gap.s.target.{a.form}",
        year=year,
        deadline=str(a.deadline),
        base=start - 1,
        span=f"{start}-{year}" if start != year else str(year),
        goal=goal,
    )
    label = a.label(rep.language)
    rep.record(section, f"{a.target_id}:verdict", label, role=role, verdict=a.verdict)
    latest = rep.latest_figure(section, a, role)
    label_period = str(a.latest_period).split(";")[-1] if a.latest_period else ""
    period = rep.period(label_period) if label_period else ""
    when = _when(rep, label_period)
    figure = Markup(latest.html) if latest is not None else Markup("–")
    if a.verdict == "target_achieved" and a.met_before_start:
        base = rep.baseline_figure(section, a, role)
        state = tm(
            "gap.s.met_before_start",
            label=label,
            period=rep.period(str(a.baseline_period)),
            when=_when(rep, str(a.baseline_period)),
            figure=Markup(base.html) if base is not None else figure,
        )
    elif a.verdict == "target_achieved":
        state = tm("gap.s.achieved", label=label, period=period, when=when, figure=figure)
    elif a.verdict == "target_missed":
        gap = rep.shortfall_text(section, a, role)
        state = tm("gap.s.missed", label=label, period=period, when=when, figure=figure, gap=gap)
    elif a.verdict == "awaiting_outcome":
        informative = a.in_progress_category not in (None, "insufficient_data")
        before = a.in_progress_label(rep.language) if informative else ""
        key = "gap.s.awaiting_with" if latest is not None and before else "gap.s.awaiting"
        state = tm(key, label=label, year=a.deadline.year, period=period, when=when, figure=figure, before=before)
        if a.met_before_start:
            state += tm("gap.s.below_baseline")
    elif a.verdict == "insufficient_data":
        state = tm("gap.s.insufficient", label=label, why=a.reason_in(rep.language))
    else:
        state = tm("gap.s.progress", label=label, period=period, when=when, figure=figure)
        if a.completion is not None and a.time_elapsed is not None:
            state += tm(
                "gap.s.completion",
                completion=rep.numbers.fraction(a.completion),
                elapsed=rep.numbers.fraction(a.time_elapsed),
            )
        if a.cagr_required is not None and a.cagr_observed is not None:
            state += tm(
                "gap.s.cagr",
                required=rep.numbers.fraction(a.cagr_required),
                observed=rep.numbers.fraction(a.cagr_observed),
            )
    sentence = phrase + tm("gap.s.sep") + state + tm("trend.s.end")
    if short:
        return sentence
    projected = None if a.final else rep.projection_figure(section, a, "sentence")
    if projected is not None:
        sentence += tm("gap.s.projection", year=a.deadline.year, figure=Markup(projected.html))
        if a.probability is not None:
            sentence += tm("gap.s.probability", p=rep.numbers.fraction(a.probability, decimals=0))
    for line in a.notes_in(rep.language):
        sentence += tm("gap.s.note", note=line)
    return sentence


def _when(rep: GapView, label: str) -> str:
    """When a figure is for, as a sentence says it: "in 2023", "on 17 Oct 2024" (a day)."""
    if not label:
        return ""
    day = re.fullmatch(r"\d{4}-\d{2}-\d{2}", label) is not None
    return rep.t("gap.s.when_day" if day else "gap.s.when", period=rep.period(label))
