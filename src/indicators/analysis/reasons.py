"""Why an analysis said less than it was asked: reason codes with arguments, in English and Chinese.

A result object keeps a reason as a code and its arguments (``reason_code``, ``reason_args``)
beside the English text (``reason``), so that a report can say it in either language and a test
can check the code rather than the wording. The texts name things as a reader knows them
(indicator and region names, years, dates), never by an internal id.

:data:`TREND_REASONS` belong to :mod:`.trend`, :data:`GAP_REASONS` (and :data:`GAP_NOTES`) to
:mod:`.target_gap`; :func:`render` says any of them.
"""

from __future__ import annotations

from collections.abc import Mapping

#: Why a trend has no projection, only a line, or no interval; and how it was fitted.
TREND_REASONS = {
    "no_levels": ("no published annual level", "没有已公布的年度总量数据"),
    "too_few_levels": (
        "{n} published annual level(s) ({years}): a line of average growth needs 3, "
        "a projection with an interval needs 5",
        "仅有{n}个已公布的年度总量数据（{years}）：年均增速推算线至少需要3个，带区间的预测至少需要5个",
    ),
    "average_growth_line": (
        "{n} published annual levels ({years}): only the line of what follows if the {first}-{last} "
        "average growth continued, no model and no interval (an interval needs 5)",
        "仅有{n}个已公布的年度总量数据（{years}）：只给出按{first}-{last}年年均增速延续的推算线，"
        "无模型、无区间（区间至少需要5个数据）",
    ),
    "method_needs_more": (
        "{n} published annual level(s) ({years}); the {method_en} needs {needed}",
        "仅有{n}个已公布的年度总量数据（{years}）；{method_zh}至少需要{needed}个",
    ),
    "ets_needs_run": (
        "exponential smoothing needs {needed} consecutive years of published levels up to the latest; there are {run}",
        "指数平滑至少需要截至最新年份连续{needed}年的已公布总量数据，现有连续{run}年",
    ),
    "nonpositive": (
        "levels must be positive for a growth trend ({year}: {value})",
        "增长趋势要求总量为正数（{year}年：{value}）",
    ),
    "interval_too_short": (
        "the {level}% prediction interval for {year} would span a factor of {ratio} (more than 3): "
        "{n} levels are too few for a useful interval, so no projection is shown",
        "{year}年的{level}%预测区间上下限之比为{ratio}（超过3）：{n}个数据太少，区间没有参考价值，因此不给出预测",
    ),
    "interval_too_noisy": (
        "the {level}% prediction interval for {year} would span a factor of {ratio} (more than 3): "
        "the series is too noisy for a useful interval, so no projection is shown",
        "{year}年的{level}%预测区间上下限之比为{ratio}（超过3）：数据波动太大，区间没有参考价值，因此不给出预测",
    ),
    "ets_not_converged": (
        "exponential smoothing did not converge from any of {starts} starting values; "
        "the log-linear trend is used instead",
        "指数平滑从{starts}组初值出发均未收敛，改用对数线性趋势",
    ),
    "ets_run": (
        "exponential smoothing on the consecutive years {first}-{last}",
        "指数平滑使用{first}-{last}年的连续数据",
    ),
}

#: Why a target could not be (fully) assessed, or what its verdict rests on.
GAP_REASONS = {
    "met_before_start": ("met before the plan started", "规划开始前已达到"),
    "awaiting_outcome": (
        "the deadline ({deadline}) has passed and its outcome was not published by {as_of}",
        "目标期限（{deadline}）已过，截至{as_of}尚未公布结果",
    ),
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
        "no figure of {name_en} in {region_en} published by {as_of}",
        "截至{as_of}尚无{name}的公布数据",
    ),
    "other_units": (
        "the figures are in {units}, which does not measure the same thing as the target's {unit}: "
        "record the figure in a unit of the same base",
        "已有数据的单位（{units}）与目标单位（{unit}）不可比",
    ),
    "no_level": (
        "no full-year or year-end level of {name_en} in {region_en} published by {as_of} "
        "({n} other figure(s) of other measures or periods)",
        "截至{as_of}尚无{name}的全年或年末总量数据（另有{n}个其他口径或时期的数据）",
    ),
    "no_baseline": (
        "no baseline: no level of {name_en} at or before the plan's start ({start})",
        "缺少基期值：规划开始（{start}）前没有{name}的总量数据",
    ),
    "no_growth": (
        "no growth rate of {name_en} for {year} published by {as_of}",
        "截至{as_of}尚无{name}{year}年的增速数据",
    ),
    "zero_growth_target": ("a growth target of zero gives no ratio", "目标增速为零，无法计算比值"),
    "no_total": (
        "no count or total of {name_en} for a period inside the plan ({start} to {deadline}) published by {as_of}",
        "截至{as_of}尚无规划期内（{start}至{deadline}）{name}的数据",
    ),
    "no_time": ("no time has elapsed in the plan yet", "规划期尚未开始"),
}

#: What a reader should know beside a target's verdict.
GAP_NOTES = {
    "ytd_stands_in": (
        "year-to-date growth ({period}) stands in for the full year",
        "以{period}累计增速代替全年增速",
    ),
    "baseline_old": (
        "the baseline {period} is more than a year before the plan's start",
        "基期{period}早于规划开始一年以上",
    ),
    "no_projection": ("no projection: {why_en}", "无预测：{why_zh}"),
    "line_only": (
        "the projection is the line of what follows if the {first}-{last} average growth continued "
        "(no model, no interval)",
        "预测值为按{first}-{last}年年均增速延续的推算值（无模型、无区间）",
    ),
    "chained_growth": (
        "the average of the published year-on-year rates {years}, chained",
        "按{years}年逐年公布增速连乘计算的年均增速",
    ),
    "pace_projection": (
        "the projection keeps the observed pace to the deadline (no interval)",
        "预测值按目前进度推算至期限（无区间）",
    ),
}

Args = tuple[tuple[str, str], ...]


def pack(**args: object) -> Args:
    """Reason arguments as a hashable, sorted tuple of (name, text) pairs."""
    return tuple(sorted((k, str(v)) for k, v in args.items()))


def render(table: Mapping[str, tuple[str, str]], code: str, args: Args | Mapping[str, str], language: str) -> str:
    """The text of ``code`` in ``language`` (``en`` or ``zh``); empty for no code."""
    if not code:
        return ""
    return table[code][0 if language == "en" else 1].format(**dict(args))
