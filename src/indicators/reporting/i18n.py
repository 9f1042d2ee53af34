"""Report language: labels in Chinese and English, and number formats.

Indicator and region names come from the catalog (``name_zh`` / ``name_en``); everything else a
report prints comes from :data:`TEXT`. Numbers follow the conventions of Chinese statistical
bulletins: levels with thousands separators (4,691.85 亿元), percentages to one decimal.
"""

from __future__ import annotations

import math

from ..errors import ParameterError

LANGUAGES = ("zh", "en")

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "parameters": "参数",
        "data_version": "数据版本",
        "generated": "生成时间",
        "package": "软件版本",
        "sources": "资料来源",
        "accessed": "访问日期",
        "reliability.official": "发布机构原文",
        "reliability.official_repost": "官方文本转载",
        "reliability.secondary": "二手整理",
        "trend.title": "{indicator}趋势报告：{region}",
        "gap.title": "目标差距报告：{scope}",
        "gap.all": "全部规划",
        "overview.title": "指标总览：{region}",
        "peers.title": "国家级新区比较：{indicator}",
        "audit.title": "数据审计",
        "section.chart": "走势与预测",
        "section.growth": "增长速度",
        "section.share": "占上级地区比重",
        "section.values": "数据明细",
        "section.commentary": "解读",
        "section.summary": "总体情况",
        "section.targets": "逐项目标",
        "section.gap_chart": "目标完成进度一览",
        "section.details": "分项说明",
        "section.latest": "各指标最新数据",
        "section.coverage": "数据覆盖情况",
        "section.parent": "与上级地区比较",
        "section.peers": "新区比较",
        "section.reliability": "来源可靠性",
        "section.conflicts": "来源之间的差异",
        "section.derived": "推算数据及公式",
        "section.qualifiers": "带限定词的数据（约、超过、近、不少于）",
        "col.period": "时期",
        "col.value": "数值",
        "col.unit": "单位",
        "col.status": "状态",
        "col.source": "来源",
        "col.year": "年份",
        "col.published": "公布增速",
        "col.recomputed": "按总量推算",
        "col.difference": "差异（百分点）",
        "col.share": "比重",
        "col.of": "占",
        "col.target": "目标",
        "col.category": "评估",
        "col.schedule": "序时进度",
        "col.baseline": "基期值",
        "col.latest": "最新值",
        "col.deadline": "期限",
        "col.completion": "完成度",
        "col.elapsed": "时间进度",
        "col.cagr_required": "所需年均增速",
        "col.cagr_observed": "实际年均增速",
        "col.ratio": "R值",
        "col.projected": "预测值（区间）",
        "col.probability": "达标概率",
        "col.indicator": "指标",
        "col.change": "变化",
        "col.sparkline": "走势",
        "col.region": "地区",
        "col.scope": "口径",
        "col.count": "数量",
        "col.kind": "类别",
        "col.message": "说明",
        "col.formula": "公式",
        "col.qualifier": "限定词",
        "col.reason": "原因",
        "scope.whole": "全域",
        "scope.directly_administered": "直管区",
        "status.reported": "公布数",
        "status.preliminary": "初步数",
        "status.estimate": "预计数",
        "status.derived": "推算数",
        "qualifier.exact": "",
        "qualifier.about": "约",
        "qualifier.more_than": "超过",
        "qualifier.nearly": "近",
        "qualifier.at_least": "不少于",
        "qualifier.less_than": "不到",
        "qualifier.at_most": "不超过",
        "chart.level": "总量",
        "chart.fitted": "拟合趋势",
        "chart.projection": "预测",
        "chart.interval": "{p}%预测区间",
        "chart.growth": "同比增长（%）",
        "chart.published_growth": "公布增速",
        "chart.recomputed_growth": "按总量推算的增速",
        "chart.completion": "完成度",
        "chart.elapsed": "时间进度",
        "chart.no_data": "数据不足",
        "none": "无",
        "kind.conflict": "来源冲突",
        "kind.revision": "修订",
        "kind.growth_mismatch": "增速与总量不一致",
        "kind.implied_deflator": "隐含价格指数（现价与可比价增速之差）",
        "kind.derived_mismatch": "推算值与公布值不一致",
    },
    "en": {
        "parameters": "Parameters",
        "data_version": "Data version",
        "generated": "Generated",
        "package": "Package version",
        "sources": "Sources",
        "accessed": "accessed",
        "reliability.official": "publisher's own page",
        "reliability.official_repost": "official text reposted",
        "reliability.secondary": "secondary write-up",
        "trend.title": "{indicator}: trend report for {region}",
        "gap.title": "Target-gap report: {scope}",
        "gap.all": "all plans",
        "overview.title": "Indicator overview: {region}",
        "peers.title": "National-level new areas compared: {indicator}",
        "audit.title": "Data audit",
        "section.chart": "Levels, trend and projection",
        "section.growth": "Growth",
        "section.share": "Share of the parent region",
        "section.values": "The figures",
        "section.commentary": "What the numbers say",
        "section.summary": "Summary",
        "section.targets": "Targets",
        "section.gap_chart": "Progress at a glance",
        "section.details": "Target by target",
        "section.latest": "Latest value of every indicator",
        "section.coverage": "Coverage",
        "section.parent": "Against the parent region",
        "section.peers": "New areas compared",
        "section.reliability": "Sources by reliability",
        "section.conflicts": "Disagreements between sources",
        "section.derived": "Derived figures and their formulas",
        "section.qualifiers": "Figures with qualifiers (about, more than, nearly, at least)",
        "col.period": "Period",
        "col.value": "Value",
        "col.unit": "Unit",
        "col.status": "Status",
        "col.source": "Source",
        "col.year": "Year",
        "col.published": "Published growth",
        "col.recomputed": "Recomputed from levels",
        "col.difference": "Difference (pp)",
        "col.share": "Share",
        "col.of": "Of",
        "col.target": "Target",
        "col.category": "Assessment",
        "col.schedule": "Against schedule",
        "col.baseline": "Baseline",
        "col.latest": "Latest",
        "col.deadline": "Deadline",
        "col.completion": "Completion",
        "col.elapsed": "Time elapsed",
        "col.cagr_required": "Required CAGR",
        "col.cagr_observed": "Observed CAGR",
        "col.ratio": "R",
        "col.projected": "Projected (interval)",
        "col.probability": "Probability",
        "col.indicator": "Indicator",
        "col.change": "Change",
        "col.sparkline": "Trend",
        "col.region": "Region",
        "col.scope": "Scope",
        "col.count": "Count",
        "col.kind": "Kind",
        "col.message": "Details",
        "col.formula": "Formula",
        "col.qualifier": "Qualifier",
        "col.reason": "Reason",
        "scope.whole": "whole area",
        "scope.directly_administered": "directly administered",
        "status.reported": "reported",
        "status.preliminary": "preliminary",
        "status.estimate": "estimate",
        "status.derived": "derived",
        "qualifier.exact": "",
        "qualifier.about": "about",
        "qualifier.more_than": "more than",
        "qualifier.nearly": "nearly",
        "qualifier.at_least": "at least",
        "qualifier.less_than": "less than",
        "qualifier.at_most": "at most",
        "chart.level": "Level",
        "chart.fitted": "Fitted trend",
        "chart.projection": "Projection",
        "chart.interval": "{p}% prediction interval",
        "chart.growth": "Year-on-year growth (%)",
        "chart.published_growth": "Published growth",
        "chart.recomputed_growth": "Recomputed from levels",
        "chart.completion": "Completion",
        "chart.elapsed": "Time elapsed",
        "chart.no_data": "insufficient data",
        "none": "none",
        "kind.conflict": "conflict",
        "kind.revision": "revision",
        "kind.growth_mismatch": "growth vs levels",
        "kind.implied_deflator": "implied deflator (nominal vs real growth)",
        "kind.derived_mismatch": "derived vs published",
    },
}


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ParameterError("language", language, "not a report language", "use 'zh' or 'en'")
    return language


def t(key: str, language: str, **kw: object) -> str:
    """The text for ``key`` in ``language``, formatted with ``kw``."""
    text = TEXT[check_language(language)].get(key, key)
    return text.format(**kw) if kw else text


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_number(value: float | None, *, decimals: int | None = None) -> str:
    """A level with thousands separators: ``4691.85`` → ``4,691.85``, ``56.7`` → ``56.7``; by
    default up to two decimals, without trailing zeros (a rounded figure keeps its precision)."""
    if _missing(value):
        return "–"
    value = float(value)
    if decimals is not None:
        return f"{value:,.{decimals}f}"
    text = f"{value:,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def fmt_pct(value: float | None, *, decimals: int = 1, sign: bool = False) -> str:
    """A value already in percent: ``6.04`` → ``6.0%``."""
    if _missing(value):
        return "–"
    return f"{float(value):{'+' if sign else ''}.{decimals}f}%"


def fmt_fraction(value: float | None, *, decimals: int = 1, sign: bool = False) -> str:
    """A fraction as a percentage: ``0.4286`` → ``42.9%``."""
    if _missing(value):
        return "–"
    return fmt_pct(float(value) * 100, decimals=decimals, sign=sign)


def fmt_value(
    value: float | None, unit: str, *, qualifier: str = "exact", language: str = "zh", text: str | None = None
) -> str:
    """A figure with its unit and qualifier as a reader expects it: ``约56.7 亿元``, ``6.0%``."""
    if _missing(value):
        return "–"
    number = fmt_pct(value) if unit == "%" else (_grouped(text) if text else fmt_number(value))
    if unit and unit != "%":
        # "5,003.4 (100 million yuan)": a unit that starts with a number reads as part of the figure
        number = f"{number} ({unit})" if unit[:1].isdigit() else f"{number} {unit}"
    q = t(f"qualifier.{qualifier}", language) if qualifier else ""
    if not q:
        return number
    return f"{q}{number}" if language == "zh" else f"{q} {number}"


def _grouped(text: str) -> str:
    """Thousands separators on a number written as reported, keeping its decimals."""
    whole, _, frac = str(text).partition(".")
    try:
        grouped = f"{int(whole):,}"
    except ValueError:
        return str(text)
    return f"{grouped}.{frac}" if frac else grouped
