"""Why an analysis said less than it was asked: reason codes with arguments, in English and Chinese.

A result object keeps a reason as a code and its arguments (``reason_code``, ``reason_args``)
beside the English text (``reason``), so that a report can say it in either language and a test
can check the code rather than the wording. The texts name things as a reader knows them
(indicator and region names, years, dates), never by an internal id.

:data:`TREND_REASONS` belong to :mod:`.trend`; :func:`render` says any of them.
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

Args = tuple[tuple[str, str], ...]


def pack(**args: object) -> Args:
    """Reason arguments as a hashable, sorted tuple of (name, text) pairs."""
    return tuple(sorted((k, str(v)) for k, v in args.items()))


def render(table: Mapping[str, tuple[str, str]], code: str, args: Args | Mapping[str, str], language: str) -> str:
    """The text of ``code`` in ``language`` (``en`` or ``zh``); empty for no code."""
    if not code:
        return ""
    return table[code][0 if language == "en" else 1].format(**dict(args))
