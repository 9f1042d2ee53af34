"""Charts for the reports: one consistent style, Chinese labels through the registered CJK font.

Every function returns a :class:`matplotlib.figure.Figure` built without pyplot (nothing is shown
or kept by a global figure manager); :func:`to_png` renders one and records any missing-glyph
warning.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from .fonts import glyph_warnings, setup_matplotlib
from .i18n import t

BLUE, ORANGE, GREY, LIGHT = "#1f4e79", "#c55a11", "#6b7280", "#9dc3e6"


def to_png(fig: Figure, sink: list[str] | None = None) -> bytes:
    """Render a figure to PNG bytes; missing-glyph warnings go to ``sink``."""
    buffer = io.BytesIO()
    with glyph_warnings() as missing:
        # every chart is laid out (tight_layout or full-figure axes): bbox_inches="tight" would draw it twice
        fig.savefig(buffer, format="png", facecolor="white")
    if sink is not None:
        sink.extend(missing)
    return buffer.getvalue()


def trend_chart(
    observed: pd.Series,
    fitted: pd.Series,
    projection: pd.DataFrame,
    growth: pd.DataFrame,
    *,
    title: str,
    unit: str,
    language: str,
    alpha: float = 0.05,
    method_label: str = "",
) -> Figure:
    """Levels with the fitted trend and projection (prediction interval shaded) above, the
    published and recomputed growth rates below."""
    setup_matplotlib()
    has_growth = growth is not None and not growth.empty
    fig = Figure(figsize=(8.2, 5.6 if has_growth else 3.8))
    if has_growth:
        ax, axg = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [2.2, 1]})
    else:
        ax, axg = fig.subplots(1, 1), None
    years = list(observed.index)
    ax.bar(years, observed.to_numpy(), color=LIGHT, edgecolor=BLUE, linewidth=0.6, label=t("chart.level", language))
    if len(fitted):
        ax.plot(
            list(fitted.index),
            fitted.to_numpy(),
            color=BLUE,
            linewidth=1.6,
            label=method_label or t("chart.fitted", language),
        )
    if len(projection):
        px = list(projection.index)
        joined_x = [years[-1], *px]
        joined_y = [observed.iloc[-1], *projection["mean"].to_numpy()]
        ax.plot(
            joined_x,
            joined_y,
            color=ORANGE,
            linestyle="--",
            marker="o",
            markersize=3.5,
            label=t("chart.projection", language),
        )
        if projection["pi_lower"].notna().all():
            ax.fill_between(
                px,
                projection["pi_lower"].to_numpy(float),
                projection["pi_upper"].to_numpy(float),
                color=ORANGE,
                alpha=0.15,
                linewidth=0,
                label=t("chart.interval", language, p=round((1 - alpha) * 100)),
            )
    ax.set_title(title, loc="left")
    ax.set_ylabel(unit)
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
    ax.legend(loc="upper left")
    if axg is not None:
        g = growth.sort_index()
        published = g["published"].dropna()
        recomputed = g["recomputed"].dropna()
        axg.bar(
            [y - 0.2 for y in published.index],
            published.to_numpy(),
            width=0.4,
            color=BLUE,
            label=t("chart.published_growth", language),
        )
        axg.bar(
            [y + 0.2 for y in recomputed.index],
            recomputed.to_numpy(),
            width=0.4,
            color=LIGHT,
            label=t("chart.recomputed_growth", language),
        )
        axg.axhline(0, color=GREY, linewidth=0.8)
        axg.set_ylabel(t("chart.growth", language))
        axg.legend(loc="upper left", ncols=2)
    all_years = sorted(set(years) | set(projection.index))
    (axg or ax).set_xticks(all_years, [str(y) for y in all_years], rotation=0 if len(all_years) < 14 else 45)
    fig.tight_layout()
    return fig


def gap_chart(frame: pd.DataFrame, *, labels: dict[str, str], language: str) -> Figure:
    """One bar per target: completion (coloured by its verdict) against the time elapsed (marker).

    ``frame`` has, by target, ``completion``, ``time_elapsed`` and the verdict's ``colour`` and
    ``label`` (all from :class:`~indicators.analysis.gap_result.TargetAssessment`: the chart
    decides nothing); ``labels`` maps targets to display names. A target without a completion
    shows its verdict as a tag instead of a bar.
    """
    setup_matplotlib()
    n = len(frame)
    fig = Figure(figsize=(8.2, max(2.2, 0.42 * n + 1.0)))
    ax = fig.subplots()
    y = np.arange(n)[::-1]
    for yi, (_, row) in zip(y, frame.iterrows(), strict=True):
        completion = row["completion"]
        if completion is None or pd.isna(completion):
            ax.text(0.01, yi, row["label"], va="center", ha="left", fontsize=8, color=row["colour"])
            continue
        shown = float(np.clip(completion, -0.2, 1.5))
        ax.barh(yi, shown, color=row["colour"], height=0.6)
        ax.text(max(shown, 0) + 0.01, yi, f"{completion * 100:.0f}%", va="center", fontsize=8)
        elapsed = row["time_elapsed"]
        if elapsed is not None and not pd.isna(elapsed):
            ax.plot([elapsed, elapsed], [yi - 0.38, yi + 0.38], color="black", linewidth=1.6)
    ax.set_yticks(y, [labels.get(tid, tid) for tid in frame.index])
    ax.axvline(1.0, color=GREY, linewidth=0.8, linestyle=":")
    ax.set_xlim(-0.2 if (frame["completion"].dropna() < 0).any() else 0, 1.55)
    ax.xaxis.set_major_formatter(lambda v, _: f"{v * 100:.0f}%")
    verdicts = dict(zip(frame["label"], frame["colour"], strict=True))
    handles = [Patch(color=colour, label=label) for label, colour in verdicts.items()]
    handles.append(Patch(color="black", label=t("chart.elapsed", language)))
    ax.legend(handles=handles, loc="lower right", fontsize=8)
    ax.set_xlabel(t("chart.completion", language))
    ax.grid(axis="y", visible=False)
    fig.tight_layout()
    return fig


def sparkline(values: pd.Series) -> Figure:
    """A tiny line of an annual series (last point marked), for tables."""
    setup_matplotlib()
    fig = Figure(figsize=(1.4, 0.35))
    ax = fig.add_axes((0.03, 0.1, 0.94, 0.8))
    x = list(values.index)
    ax.plot(x, values.to_numpy(float), color=BLUE, linewidth=1.2)
    ax.plot([x[-1]], [values.iloc[-1]], "o", color=ORANGE, markersize=2.5)
    ax.set_axis_off()
    return fig


def peer_chart(frame: pd.DataFrame, *, title: str, unit: str, highlight: str, language: str = "zh") -> Figure:
    """Horizontal bars of one figure across regions. ``frame`` has ``region_id``, ``label``,
    ``value`` (the figure as shown), ``text`` (its label as shown: ``超过4000``) and ``bound``
    (its qualifier): a lower bound (more than, at least) is drawn open-ended, an upper bound (less
    than, at most) hatched, so that a bound never looks like a level. The highlighted region is in
    the accent colour."""
    setup_matplotlib()
    frame = frame.sort_values("value").reset_index(drop=True)
    fig = Figure(figsize=(8.2, max(2.4, 0.42 * len(frame) + 1.1)))
    ax = fig.subplots()
    colours = [ORANGE if r == highlight else BLUE for r in frame["region_id"]]
    lower = frame["bound"].isin(["more_than", "at_least"])
    upper = frame["bound"].isin(["less_than", "at_most"])
    ax.barh(frame["label"], frame["value"], color=colours, hatch=["//" if u else "" for u in upper], edgecolor="white")
    top = float(frame["value"].max()) if len(frame) else 1.0
    for i, row in frame.iterrows():
        x = float(row["value"])
        if lower[i]:  # the truth lies beyond the bar: an arrow past its end
            ax.annotate(
                "",
                xy=(x + 0.06 * top, i),
                xytext=(x, i),
                arrowprops={"arrowstyle": "->", "color": colours[i], "lw": 1.4},
            )
            x += 0.06 * top
        ax.text(x, i, f" {row['text']}", va="center", fontsize=8)
    low = min(0.0, float(frame["value"].min())) if len(frame) else 0.0
    ax.set_xlim(low * 1.2, max(top, 0.0) * 1.22 or 1.0)
    ax.set_title(title, loc="left")
    if unit:
        ax.set_xlabel(unit)
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:,.0f}" if language == "en" else f"{v:.0f}")
    ax.grid(axis="y", visible=False)
    fig.tight_layout()
    return fig


def bar_counts(counts: pd.Series, *, title: str) -> Figure:
    """Counts by label, as horizontal bars."""
    setup_matplotlib()
    fig = Figure(figsize=(6.0, max(1.8, 0.4 * len(counts) + 0.9)))
    ax = fig.subplots()
    ax.barh(list(counts.index)[::-1], counts.to_numpy()[::-1], color=BLUE)
    for i, v in enumerate(counts.to_numpy()[::-1]):
        ax.text(v, i, f" {v}", va="center", fontsize=8)
    ax.set_title(title, loc="left")
    ax.grid(axis="y", visible=False)
    fig.tight_layout()
    return fig
