"""Report language: labels in Chinese and English, and number formats.

Indicator and region names come from the catalog (``name_zh`` / ``name_en``); everything else a
report prints comes from :data:`TEXT`. Numbers follow the conventions of Chinese statistical
bulletins: levels with thousands separators (4,691.85 亿元), percentages to one decimal.
"""

from __future__ import annotations

import math

from markupsafe import Markup, escape

from ..errors import ParameterError
from .i18n_pages import PAGE_TEXT

LANGUAGES = ("zh", "en")

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "parameters": "参数",
        "param.indicator": "指标",
        "param.indicators": "指标",
        "param.region": "地区",
        "param.regions": "地区",
        "param.plan": "规划",
        "param.start_year": "起始年份",
        "param.end_year": "截止年份",
        "param.horizon": "预测年数",
        "param.as_of": "数据截至",
        "param.language": "语言",
        "auto": "自动",
        "headline": "要点",
        "chart.published_level": "公布总量",
        "chart.derived_level": "推算总量（空心）",
        "chart.expected": "官方预计数",
        "chart.nowcast": "年内累计增速（非全年）",
        "chart.change_pp": "较上年变化（百分点）",
        "chart.change_pp_axis": "变化（百分点）",
        "trend.caption.fit": "{method}：基于{first}-{last}年{n}个公布的全年数据",
        "trend.caption.markers": "实心为公布数，空心为推算数，菱形为官方预计数",
        "trend.growth_caption": (
            "公布增速为发布机构的数字（地区生产总值一般为可比价）；按总量计算的为名义增速（现价），两者之"
            "差主要是价格变动。"
        ),
        "trend.comparable": "（可比价）",
        "trend.from_preliminary": "（按初步数）",
        "trend.col.change_pp": "较上年变化",
        "trend.col.level": "总量（{unit}）",
        "trend.col.growth": "增速",
        "trend.average": "年均增长",
        "measure.avg_annual_growth": "年均增长",
        "measure.share": "比重",
        "measure.yoy_growth_short": "增长",
        "trend.s.no_series": "{region}{indicator}没有可用的年度数据：{why}。",
        "trend.s.latest": "{region}{indicator}{period}为{figure}",
        "trend.s.change_pp": "，较{year}年{change}",
        "trend.s.growth": "，增长{growth}",
        "trend.s.end": "。",
        "overview.index_headline": "{n}个指标",
        "peers.index_headline": "参照年{year}，{n}个新区",
        "audit.index_headline": "{n}处修订或来源差异",
        "trend.index_headline": "{period}{level}，增长{growth}",
        "trend.s.series_break": (
            "序列断点：{revised}总量已修订为{a}，而{other}仍为修订前公布的{b}，两年口径不一，其间增速不按总量计算。"
        ),
        "trend.s.deflator_item": "{period}{deflator}",
        "trend.s.deflators": (
            "公布增速为可比价（实际）增速，与按现价总量计算的名义增长之差是价格变动，不是数据矛盾；隐含价"
            "格指数：{items}。"
        ),
        "trend.s.average_published": "{first}-{last}年年均增长{growth}。",
        "trend.s.average_computed": "按公布的全年总量计算，{first}-{last}年年均增长{growth}{basis}。",
        "trend.s.nominal": "（现价，名义）",
        "trend.s.nowcast": "{period}{what}{figure}（年内数据，不是全年结果）。",
        "trend.s.expectation": "官方预计{period}{what}{figure}。",
        "trend.s.no_projection": "不作预测：{why}。",
        "trend.s.projection_line": (
            "若{first}-{last}年的年均增速延续，{year}年为{figure}（只是算术延伸，没有模型和区间）。"
        ),
        "trend.s.projection": "按{method}（{n}个公布的全年数据），{year}年为{figure}，{p}%预测区间{low}至{high}。",
        "trend.s.count": "{n}个{status}",
        "trend.s.caveat_status": "注意：本指标的数据中有{parts}；推算数附有公式（见数据审计报告），不参与趋势拟合。",
        "trend.s.revision": "修订：{period}{what}先公布为{a}，后修订为{b}。",
        "trend.s.conflict": "来源不一致：{period}{what}一为{a}，一为{b}，两者均保留。",
        "trend.s.deflator": (
            "{period}公布增速{real}为可比价（实际）增速，按现价总量计算的名义增长为{nom"
            "inal}，两者之差是价格变动（隐含价格指数{deflator}），不是数据矛盾。"
        ),
        "audit.col.title": "标题",
        "audit.col.publisher": "发布者",
        "audit.col.date": "发布日期",
        "audit.col.earlier": "较早公布",
        "audit.col.later": "较晚公布",
        "audit.col.nominal": "名义增长（按现价总量）",
        "audit.col.real": "公布增速（可比价）",
        "audit.col.deflator": "隐含价格变动",
        "audit.col.quote": "原文",
        "audit.col.reading": "存疑之处",
        "audit.col.note": "整理者说明",
        "audit.published_on": "{date}公布",
        "audit.conflicts_caption": (
            "修订：同一数据后来公布了不同数值（较晚者为新版本）；冲突：不同来源同日公布了不同数值。两者都保留。"
        ),
        "audit.deflators_caption": (
            "可比价增速与现价总量算出的增速之差即价格变动（名义增长 ÷ 实际增长），不是数据矛盾；括号内"
            "为数据修约允许的范围。"
        ),
        "audit.range": "（{low}至{high}）",
        "audit.recomputed": "按总量计算为{value}",
        "audit.derived_range": "按推算应在{low}至{high}之间",
        "audit.formula.parent": "{region}总量 ÷ 所占比重 = {a} ÷ {b}",
        "audit.formula.prior": "{period}总量 ÷ (1 + 增速) = {a} ÷ (1 + {b})",
        "audit.formula.single": "{late} − {early} = {a} − {b}",
        "section.deflators": "实际增速与名义总量：隐含价格变动",
        "section.mismatches": "增速与总量不一致",
        "section.readings": "解读存疑的数据",
        "reading.period_inferred": "时期系推断",
        "reading.measure_inferred": "统计口径系推断",
        "reading.scope_assumed": "地域范围系假定",
        "reading.range_lower_bound": "取区间下限",
        "reading.indicator_inferred": "指标系推断",
        "reading.kind_inferred": "性质系推断",
        "reading.summary": "引文为摘要而非原话",
        "overview.col.latest_year": "最新全年",
        "overview.col.change": "增速或变化",
        "overview.col.year_to_date": "其后最新累计数",
        "overview.caption": (
            "“最新全年”为最近一个完整年度（存量指标为年末或最新时点）；比本地区最新年份早{years}"
            "年及以上的数据标为“较旧”。"
        ),
        "overview.old": "较旧",
        "overview.growth_word": "增长",
        "overview.vs": "较{year}年",
        "overview.comparable": "（可比价）",
        "overview.coverage_legend": "● 全年或年末总量；○ 仅有季度、累计、增速或比重等数据",
        "overview.parent_caption": (
            "均为公布数；未公布比重的，按两地同一年份、同一价格口径的公布总量计算，标为“推算”。"
        ),
        "param.measure": "口径",
        "measure.level": "总量",
        "measure.yoy_growth": "同比增长",
        "peers.growth_of": "{indicator}增速",
        "peers.reason.none": "表中没有该新区的{measure}数据",
        "peers.reason.other": "没有公布的全年数据；表中最新为{period}{figure}{what}",
        "peers.comparable_volume": "（按可比价推算的上年量，不是现价总量）",
        "peers.col.figure": "数值（{unit}）",
        "peers.not_reference": "（非参照年）",
        "peers.caption": (
            "参照年为{year}（公布该数据的新区最多的最近年份）；没有该年数据的新区列出其最接近年份，并注明。"
            "口径（全域、直管区）不同的数据不宜直接比较。"
        ),
        "peers.chart_caption": "参照年{year}；括号内为其他年份。箭头表示“超过”，斜线表示“不到”。",
        "peers.without": "没有可比数据的新区",
        "title_not_recorded": "（标题未记录）",
        "back_to_text": "返回正文",
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
        "param.indicator": "Indicator",
        "param.indicators": "Indicators",
        "param.region": "Region",
        "param.regions": "Regions",
        "param.plan": "Plan",
        "param.start_year": "First year",
        "param.end_year": "Last year",
        "param.horizon": "Years projected",
        "param.as_of": "Data as of",
        "param.language": "Language",
        "auto": "auto",
        "headline": "Key points",
        "chart.published_level": "Published level",
        "chart.derived_level": "Derived level (hollow)",
        "chart.expected": "Official expectation",
        "chart.nowcast": "Year-to-date growth (not the full year)",
        "chart.change_pp": "Change on the year before (percentage points)",
        "chart.change_pp_axis": "Change (pp)",
        "trend.caption.fit": "{method}: on {n} published full-year levels, {first}-{last}",
        "trend.caption.markers": "solid: published; hollow: derived; diamond: official expectation",
        "trend.growth_caption": (
            "Published growth is the publisher's figure (for GDP usually at comparable prices); growth "
            "computed from the levels is nominal (current prices), so the two differ mainly by the price "
            "change."
        ),
        "trend.comparable": " (comparable prices)",
        "trend.from_preliminary": " (from a preliminary level)",
        "trend.col.change_pp": "Change on the year before",
        "trend.col.level": "Level ({unit})",
        "trend.col.growth": "Growth",
        "trend.average": "average annual growth ",
        "measure.avg_annual_growth": "average annual growth",
        "measure.share": "share",
        "measure.yoy_growth_short": "growth",
        "trend.s.no_series": "There is no annual series of {indicator} in {region}: {why}.",
        "trend.s.latest": "{indicator} in {region} was {figure} in {period}",
        "trend.s.change_pp": ", {change} on {year}",
        "trend.s.growth": ", up {growth}",
        "trend.s.end": ".",
        "overview.index_headline": "{n} indicators",
        "peers.index_headline": "reference year {year}, {n} areas",
        "audit.index_headline": "{n} revisions or disagreements",
        "trend.index_headline": "{period}: {level}, up {growth}",
        "trend.s.series_break": (
            "Series break: the {revised} level was revised to {a}, while {other} is still the earlier "
            "{b}; the two years are of different vintages, and growth between them is not computed from "
            "the levels."
        ),
        "trend.s.deflator_item": "{period} {deflator}",
        "trend.s.deflators": (
            "Published growth is real (at comparable prices); the difference from nominal growth "
            "computed from current-price levels is the price change, not a contradiction. Implied "
            "deflators: {items}."
        ),
        "trend.s.average_published": "Average annual growth {first}-{last}: {growth}.",
        "trend.s.average_computed": (
            "From the published full-year levels, average annual growth {first}-{last} was {growth}{basis}."
        ),
        "trend.s.nominal": " (current prices, nominal)",
        "trend.s.nowcast": "{period}{what}: {figure} (year to date, not the full year).",
        "trend.s.expectation": "The official expectation for {period}{what}: {figure}.",
        "trend.s.no_projection": "No projection: {why}.",
        "trend.s.projection_line": (
            "If the {first}-{last} average growth continued, {year} would reach {figure} "
            "(arithmetic only: no model, no interval)."
        ),
        "trend.s.projection": (
            "On the {method} ({n} published full-year levels), {year} would reach {figure}, {p}% "
            "prediction interval {low} to {high}."
        ),
        "trend.s.count": "{n} {status}",
        "trend.s.caveat_status": (
            "Note: the figures include {parts}; derived figures carry their formulas (see the data "
            "audit) and never enter the trend."
        ),
        "trend.s.revision": "Revision: {period} {what} was first published as {a}, then revised to {b}.",
        "trend.s.conflict": "Sources disagree: {period} {what} is {a} in one and {b} in another; both are kept.",
        "trend.s.deflator": (
            "The {period} growth of {real} is real (at comparable prices); the current-price levels grew "
            "{nominal} in nominal terms. The difference is the price change (implied deflator "
            "{deflator}), not a contradiction."
        ),
        "audit.col.title": "Title",
        "audit.col.publisher": "Publisher",
        "audit.col.date": "Published",
        "audit.col.earlier": "Published earlier",
        "audit.col.later": "Published later",
        "audit.col.nominal": "Nominal growth (current-price levels)",
        "audit.col.real": "Published growth (comparable prices)",
        "audit.col.deflator": "Implied price change",
        "audit.col.quote": "Quote",
        "audit.col.reading": "What is doubtful",
        "audit.col.note": "Curator's note",
        "audit.published_on": "published {date}",
        "audit.conflicts_caption": (
            "Revision: a figure published again with another value (the later is the newer vintage); "
            "conflict: two sources published different values the same day. Both are kept."
        ),
        "audit.deflators_caption": (
            "Growth at comparable prices and growth computed from current-price levels differ by the "
            "price change (nominal over real growth): not a contradiction. In brackets, the range the "
            "rounding of the figures allows."
        ),
        "audit.range": "({low} to {high})",
        "audit.recomputed": "{value} computed from the levels",
        "audit.derived_range": "the derivation allows {low} to {high}",
        "audit.formula.parent": "level of {region} ÷ its share = {a} ÷ {b}",
        "audit.formula.prior": "{period} level ÷ (1 + growth) = {a} ÷ (1 + {b})",
        "audit.formula.single": "{late} − {early} = {a} − {b}",
        "section.deflators": "Real growth against nominal levels: the implied price change",
        "section.mismatches": "Growth that disagrees with the levels",
        "section.readings": "Figures whose reading is doubtful",
        "reading.period_inferred": "period inferred",
        "reading.measure_inferred": "measure inferred",
        "reading.scope_assumed": "scope assumed",
        "reading.range_lower_bound": "lower bound of a range",
        "reading.indicator_inferred": "indicator inferred",
        "reading.kind_inferred": "kind inferred",
        "reading.summary": "the quote is a summary, not the source's words",
        "overview.col.latest_year": "Latest full year",
        "overview.col.change": "Growth or change",
        "overview.col.year_to_date": "Latest year-to-date since",
        "overview.caption": (
            "'Latest full year' is the latest whole year (for stocks the year end or latest date); "
            "figures {years} or more years older than the region's newest year are marked 'old'."
        ),
        "overview.old": "old",
        "overview.growth_word": "growth",
        "overview.vs": "on {year}",
        "overview.comparable": " (comparable prices)",
        "overview.coverage_legend": (
            "● a full-year or year-end level; ○ only part-year, growth, share or other figures"
        ),
        "overview.parent_caption": (
            "Published figures; where no share was published it is computed from the two published "
            "levels of the same year and price basis, marked 'derived'."
        ),
        "param.measure": "Measure",
        "measure.level": "level",
        "measure.yoy_growth": "year-on-year growth",
        "peers.growth_of": "{indicator} growth",
        "peers.reason.none": "the table holds no {measure} figure for this area",
        "peers.reason.other": "no published full-year figure; the latest in the table is {figure} for {period}{what}",
        "peers.comparable_volume": " (a prior year's volume at comparable prices, not a current-price level)",
        "peers.col.figure": "Figure ({unit})",
        "peers.not_reference": " (not the reference year)",
        "peers.caption": (
            "Reference year {year} (the latest year most areas published); an area without a figure for it "
            "shows its nearest year, marked. Figures of different scope (whole area, directly administered) "
            "are not strictly comparable."
        ),
        "peers.chart_caption": (
            "Reference year {year}; other years in brackets. An arrow marks 'more than', hatching 'less than'."
        ),
        "peers.without": "Areas without a comparable figure",
        "title_not_recorded": "(title not recorded)",
        "back_to_text": "back to the text",
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

for _language, _texts in PAGE_TEXT.items():  # the page's own words: contents, downloads, headlines
    TEXT[_language].update(_texts)


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ParameterError("language", language, "not a report language", "use 'zh' or 'en'")
    return language


def tm(key: str, language: str, **kw: object) -> Markup:
    """The text for ``key`` as HTML: the template is trusted, every argument is escaped unless it
    is Markup already (a figure with its marks, a note link)."""
    return Markup(escape(TEXT[check_language(language)].get(key, key))).format(**kw)


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
