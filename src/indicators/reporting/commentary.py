"""Generated commentary: a few sentences that state what the numbers say, with their caveats.

Sentences are built from the analysis results, never typed by hand, in Chinese or English.
They carry names and reasons from the data, so they are plain text: :func:`trend_commentary`
escapes them into HTML paragraphs, and a caller that puts a sentence into HTML escapes it.
"""

from __future__ import annotations

import html
from typing import Any, Protocol

import pandas as pd

from ..analysis.gap_result import TargetAssessment
from .i18n import fmt_fraction, fmt_number, fmt_pct


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
    """A trend report's data: catalog entries, observations, the annual series and its fit."""

    ind: Any
    reg: Any
    obs: pd.DataFrame
    series: Any
    values: pd.Series
    growth: pd.DataFrame
    fit: Any

    def _method_label(self) -> str: ...


def trend_commentary(rep: TrendView) -> str:
    """Latest value, growth, average growth, the trend and its projection, and the caveats, as
    HTML paragraphs (every sentence escaped)."""
    zh = rep.language == "zh"
    ind, reg = rep.ind.name(rep.language), rep.reg.name(rep.language)
    sentences: list[str] = []
    values = rep.values
    if values.empty:
        why = rep.fit.reason_in(rep.language)
        return html.escape(
            f"{reg}{ind}没有可用的年度数据：{why}。" if zh else f"There is no annual series of {ind} in {reg}: {why}."
        )
    last = int(values.index.max())
    row = rep.series.rows[rep.series.rows["year"] == last].iloc[0]
    latest = rep.value(values[last], rep.ind.unit)
    cite = rep.cite(row["source_id"])
    sentences.append(
        f"{reg}{ind}{last}年为{latest}{cite}。" if zh else f"{ind} in {reg} was {latest} in {last} {cite}."
    )
    g = rep.growth
    if not g.empty and last in g.index and not pd.isna(g.at[last, "published"]):
        pub = fmt_pct(g.at[last, "published"])
        basis = g.at[last, "published_basis"]
        if zh:
            sentences.append(f"公布的同比增速为{pub}{'（按可比价格计算）' if basis == 'comparable' else ''}。")
        else:
            sentences.append(f"Published growth was {pub}{' at comparable prices' if basis == 'comparable' else ''}.")
    first = int(values.index.min())
    if last > first and values[first] > 0:
        avg = (values[last] / values[first]) ** (1 / (last - first)) - 1
        sentences.append(
            f"{first}年至{last}年按现价总量计算年均增长{fmt_fraction(avg)}。"
            if zh
            else f"From {first} to {last} the level grew {fmt_fraction(avg)} a year on average (current prices)."
        )
    fit = rep.fit
    if fit.status == "ok" and len(fit.projection):
        end = int(fit.projection.index.max())
        p = fit.projection.loc[end]
        rate = fmt_fraction(fit.growth_rate)
        if zh:
            sentences.append(
                f"{rep._method_label()}显示年均增长约{rate}；按此趋势，{end}年约为{fmt_number(p['mean'], decimals=0)}"
                f"{rep.unit_name(rep.ind.unit)}（{round((1 - fit.alpha) * 100)}%预测区间"
                f"{fmt_number(p['pi_lower'], decimals=0)}至{fmt_number(p['pi_upper'], decimals=0)}）。"
            )
        else:
            sentences.append(
                f"The {fit.label} grows about {rate} a year; on that trend {end} would reach about "
                f"{fmt_number(p['mean'], decimals=0)} {rep.unit_name(rep.ind.unit)} ({round((1 - fit.alpha) * 100)}% "
                f"prediction interval {fmt_number(p['pi_lower'], decimals=0)} to "
                f"{fmt_number(p['pi_upper'], decimals=0)})."
            )
    elif fit.status == "cagr_only":
        why = fit.reason_in(rep.language) or fit.label_in(rep.language)
        sentences.append(f"{why}。" if zh else f"{why[:1].upper()}{why[1:]}.")
    elif fit.status in ("insufficient_data", "interval_too_wide"):
        why = fit.reason_in(rep.language)
        sentences.append(f"不给出趋势预测：{why}。" if zh else f"No projection: {why}.")
    sentences += _caveats(rep)
    return "".join(f"<p>{html.escape(s)}</p>" for s in sentences)


def _caveats(rep: TrendView) -> list[str]:
    zh = rep.language == "zh"
    out = []
    statuses = rep.obs["status"].value_counts()
    parts = []
    for status in ("derived", "preliminary", "estimate"):
        n = int(statuses.get(status, 0))
        if n:
            parts.append(f"{n}个{rep.t(f'status.{status}')}" if zh else f"{n} {rep.t(f'status.{status}')}")
    if parts:
        out.append(
            f"注意：本指标数据中含{'、'.join(parts)}，推算数附有公式，见数据审计报告。"
            if zh
            else f"Caveats: the figures include {', '.join(parts)} ones; "
            "derived figures carry their formulas (see the data audit)."
        )
    excluded = len(rep.fit.excluded)
    if excluded:
        out.append(
            f"趋势只使用全年数据，另有{excluded}个季度、累计、推算或重复来源的数据未参与拟合。"
            if zh
            else f"The trend uses full-year levels only; {excluded} other figures "
            "(part-year, derived, or a second source) were left out."
        )
    from ..data.catalog import load_table

    checks = load_table("checks", data_dir=rep.data_dir)
    mine = checks[(checks["indicator_id"] == rep.ind.indicator_id) & (checks["region_id"] == rep.reg.region_id)]
    conflicts = mine[mine["kind"].isin(["conflict", "revision"])]
    if len(conflicts):
        periods = "、".join(sorted(set(conflicts["period"]))) if zh else ", ".join(sorted(set(conflicts["period"])))
        out.append(
            f"不同来源在{periods}的数据不一致，两者均保留。"
            if zh
            else f"Sources disagree for {periods}; both figures are kept."
        )
    return out


def target_phrase(rep: Writer, a: TargetAssessment) -> str:
    """The target as a plan states it: 达到1,500 家 / 增长12.0%以上 / 控制在4.5%以内 / 累计21 万人."""
    value = rep.value(a.target_value, a.unit)
    deadline = str(a.deadline)
    if rep.language == "zh":
        if a.form == "growth":
            bound = {"at_least": "以上", "at_most": "以内"}.get(a.comparator, "")
            verb = f"增长{value}{bound}"
        elif a.comparator == "at_most":
            verb = f"控制在{value}以内"
        else:
            verb = {"cumulative": "累计", "new_count": "新增", "avg_annual_growth": "年均增长"}.get(
                a.form, "达到"
            ) + value
        return f"{deadline[:4]}年" + verb if a.form == "growth" else f"{deadline}前{verb}"
    comp = {"at_least": "at least ", "at_most": "at most ", "equal": ""}[a.comparator]
    what = {
        "growth": "growth of ",
        "cumulative": "a total of ",
        "new_count": "",
        "avg_annual_growth": "average annual growth of ",
    }.get(a.form, "")
    return f"{what}{comp}{value} {'in ' + deadline[:4] if a.form == 'growth' else 'by ' + deadline}"


def target_paragraph(rep: Writer, target_id: str, a: TargetAssessment, row: pd.Series) -> str:
    """Where one target stands, in one paragraph: every verdict, label and number is the
    assessment's own (nothing is recomputed here)."""
    zh = rep.language == "zh"
    unit = a.unit
    target = target_phrase(rep, a)
    verdict = a.label(rep.language)
    schedule = a.schedule_label(rep.language)
    reason = a.reason_in(rep.language)
    if a.latest_value is None:
        if a.verdict == "insufficient_data":
            return (
                f"目标：{target}。暂无法评估：{reason}。" if zh else f"Target: {target}. Not assessable yet: {reason}."
            )
        text = f"目标：{target}。{verdict}：{reason}。" if zh else f"Target: {target}. {verdict}: {reason}."
        if a.in_progress_category:
            last = a.in_progress_label(rep.language)
            text += f"此前进展评估：{last}。" if zh else f" Last in-progress assessment: {last}."
        return text
    latest = rep.value(a.latest_value, unit)
    period = str(a.latest_period).replace(";", "、" if zh else ", ")
    text = f"目标：{target}；最新值{latest}（{period}）。" if zh else f"Target: {target}; latest {latest} ({period})."
    if a.completion is not None:
        text += (
            f"完成度{fmt_fraction(a.completion)}，时间进度{fmt_fraction(a.time_elapsed)}，{schedule}。"
            if zh
            else f" Completion {fmt_fraction(a.completion)} against {fmt_fraction(a.time_elapsed)} "
            f"of the time: {schedule.lower()}."
        )
    if a.cagr_required is not None:
        text += (
            f"所需年均增速{fmt_fraction(a.cagr_required)}，实际{fmt_fraction(a.cagr_observed)}，R={a.ratio:.2f}。"
            if zh
            else f" Required growth {fmt_fraction(a.cagr_required)} a year, "
            f"observed {fmt_fraction(a.cagr_observed)}, R = {a.ratio:.2f}."
        )
        if a.cagr_required_remaining is not None and not a.final:
            rem = fmt_fraction(a.cagr_required_remaining)
            text += f"剩余时间内需年均增长{rem}。" if zh else f" The remaining years need {rem} a year."
    elif a.form == "growth" and a.ratio is not None:
        text += f"增速与目标之比R={a.ratio:.2f}。" if zh else f" Growth against the target growth: R = {a.ratio:.2f}."
    if a.shortfall is not None:
        short = f"{fmt_number(a.shortfall)}个百分点" if a.form == "growth" and zh else rep.value(a.shortfall, unit)
        if a.form == "growth" and not zh:
            short = f"{fmt_number(a.shortfall)} percentage points"
        share = "" if a.shortfall_share is None else fmt_fraction(a.shortfall_share)
        if zh:
            text += f"与目标相差{short}" + (f"，为所需变化的{share}" if share else "") + "。"
        else:
            text += f" Short of the target by {short}" + (f", {share} of the change required" if share else "") + "."
    if a.probability is not None:
        text += (
            f"按趋势预测，达标概率约{fmt_fraction(a.probability, decimals=0)}。"
            if zh
            else f" On the trend, the probability of reaching it is about {fmt_fraction(a.probability, decimals=0)}."
        )
    text += f"评估：{verdict}。" if zh else f" Assessment: {verdict}."
    if a.in_progress_category:
        last = a.in_progress_label(rep.language)
        text += f"此前进展评估：{last}。" if zh else f" Last in-progress assessment: {last}."
    if reason:
        text += f"（{reason}）" if zh else f" ({reason})"
    for note in a.notes_in(rep.language):
        text += f"注：{note}。" if zh else f" Note: {note}."
    return text
