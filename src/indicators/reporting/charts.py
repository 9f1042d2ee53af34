"""Charts for the reports: one consistent style, Chinese labels through the registered CJK font.

Every function returns a :class:`matplotlib.figure.Figure` built without pyplot (nothing is shown
or kept by a global figure manager); :func:`to_png` renders one and records any missing-glyph
warning.

A chart is shown :data:`CSS_PX_PER_INCH` CSS pixels per inch of figure (:func:`display_size`) and
drawn at twice that (:data:`PIXEL_RATIO`), so that it is crisp on a high-resolution screen; the
PNG is then reduced to a palette of 256 colours, which holds the charts' flat colours and
anti-aliased text: a 2x chart weighs less than the 1.2x full-colour PNG did (a trend chart 51 KB
against 78 KB; as SVG with its glyphs drawn as paths, so that the font stays Noto Sans CJK, it
would be 97 KB).
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

#: CSS pixels a chart is shown per inch of figure (an 8.2-inch chart is 1066 pixels wide, about the
#: page's width).
CSS_PX_PER_INCH = 130
#: Device pixels per CSS pixel the PNG is drawn for (a high-resolution screen).
PIXEL_RATIO = 2
#: A sparkline (0.35 inches high) is shown 22 CSS pixels high, in a table row.
SPARKLINE_PX_PER_INCH = 22 / 0.35


def display_size(fig: Figure, px_per_inch: float = CSS_PX_PER_INCH) -> tuple[int, int]:
    """The width and height in CSS pixels a figure is shown at."""
    width, height = fig.get_size_inches()
    return round(width * px_per_inch), round(height * px_per_inch)


def to_png(fig: Figure, sink: list[str] | None = None, *, px_per_inch: float = CSS_PX_PER_INCH) -> bytes:
    """Render a figure to PNG bytes, drawn at :data:`PIXEL_RATIO` times its display size
    (:func:`display_size` with the same ``px_per_inch``) and stored with a 256-colour palette;
    missing-glyph warnings go to ``sink``."""
    from PIL import Image

    buffer = io.BytesIO()
    with glyph_warnings() as missing:
        # every chart is laid out (tight_layout or full-figure axes): bbox_inches="tight" would draw it twice
        fig.savefig(buffer, format="png", facecolor="white", dpi=px_per_inch * PIXEL_RATIO)
    if sink is not None:
        sink.extend(missing)
    image = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    palette = image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    out = io.BytesIO()
    palette.save(out, format="PNG", optimize=True)
    return out.getvalue()


def trend_chart(
    levels: pd.DataFrame,
    fitted: pd.Series,
    projection: pd.DataFrame,
    changes: pd.DataFrame,
    *,
    title: str,
    unit: str,
    language: str,
    rate: bool = False,
    line_label: str = "",
    interval_label: str = "",
    change_label: str = "",
    labels: dict[str, str] | None = None,
) -> Figure:
    """An indicator's levels with its trend above, its changes below.

    ``levels`` has ``year``, ``value``, ``kind`` and ``text``: ``published`` levels are solid,
    ``derived`` ones hollow, ``expected`` ones (预计) open diamonds; the last published level is
    labelled with its ``text`` as the tables show it. A flow is drawn as bars, a rate or ratio
    (``rate``) as a line. ``fitted`` is the trend through the fitted years, ``projection`` its
    continuation (``mean``; an interval is shaded only where ``pi_lower``/``pi_upper`` are given).
    ``changes`` has ``year`` and the columns to draw as paired bars (``growth`` as published,
    ``recomputed`` from levels, ``nowcast`` the year-to-date growth), labelled by ``labels``.
    The y axis spans the data and the projection; every
    legend sits below its panel, never over the data.
    """
    setup_matplotlib()
    labels = labels or {}
    has_changes = changes is not None and not changes.empty
    fig = Figure(figsize=(8.2, 6.2 if has_changes else 4.4))
    if has_changes:
        ax, axg = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [2.2, 1.1]})
    else:
        ax, axg = fig.subplots(1, 1), None
    pub = levels[levels["kind"] == "published"]
    der = levels[levels["kind"] == "derived"]
    exp = levels[levels["kind"] == "expected"]
    if rate:
        ax.plot(pub["year"], pub["value"], color=BLUE, marker="o", markersize=4, label=labels.get("published", ""))
        if len(der):
            ax.plot(
                der["year"], der["value"], "o", mfc="white", mec=BLUE, markersize=5, label=labels.get("derived", "")
            )
    else:
        ax.bar(pub["year"], pub["value"], color=LIGHT, edgecolor=BLUE, linewidth=0.6, label=labels.get("published", ""))
        if len(der):
            ax.bar(
                der["year"],
                der["value"],
                color="white",
                edgecolor=BLUE,
                linewidth=0.9,
                linestyle="--",
                label=labels.get("derived", ""),
            )
    if len(exp):
        ax.plot(
            exp["year"],
            exp["value"],
            "D",
            mfc="white",
            mec=ORANGE,
            mew=1.4,
            markersize=6,
            label=labels.get("expected", ""),
        )
    if len(fitted):
        ax.plot(list(fitted.index), fitted.to_numpy(float), color=BLUE, linewidth=1.6, label=line_label)
    if len(projection):
        px = list(projection.index)
        start_x = list(fitted.index)[-1:] if len(fitted) else []
        start_y = list(fitted.to_numpy(float))[-1:] if len(fitted) else []
        ax.plot(
            [*start_x, *px],
            [*start_y, *projection["mean"].to_numpy(float)],
            color=ORANGE,
            linestyle="--",
            marker="o",
            markersize=3.5,
            label=labels.get("projection", "") if interval_label else line_label if not len(fitted) else None,
        )
        if interval_label and projection["pi_lower"].notna().all():
            ax.fill_between(
                px,
                projection["pi_lower"].to_numpy(float),
                projection["pi_upper"].to_numpy(float),
                color=ORANGE,
                alpha=0.15,
                linewidth=0,
                label=interval_label,
            )
    if len(pub):
        last = pub.iloc[-1]
        ax.annotate(
            str(last["text"]),
            (last["year"], last["value"]),
            textcoords="offset points",
            xytext=(0, 4),
            ha="center",
            fontsize=8,
        )
    # the axis spans what is drawn (levels, trend, projection and its interval), no more
    spans = [levels["value"].to_numpy(float), fitted.to_numpy(float)]
    if len(projection):
        spans.append(projection["mean"].to_numpy(float))
        if interval_label:
            spans += [projection["pi_lower"].dropna().to_numpy(float), projection["pi_upper"].dropna().to_numpy(float)]
    values = np.concatenate([v for v in spans if len(v)]) if any(len(v) for v in spans) else np.array([0.0, 1.0])
    low, high = float(np.nanmin(values)), float(np.nanmax(values))
    pad = (high - low) * 0.08 or abs(high) * 0.1 or 1.0
    ax.set_ylim((low - pad) if rate else min(0.0, low - pad), high + pad)
    ax.set_title(title, loc="left")
    ax.set_ylabel(unit)
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:,.0f}" if language == "en" else f"{v:.0f}")
    ax.legend(
        loc="upper center", bbox_to_anchor=(0.5, -0.06 if axg is None else -0.04), ncols=3, fontsize=8, frameon=False
    )
    if axg is not None:
        g = changes.sort_values("year")
        columns = [c for c in ("growth", "recomputed", "nowcast") if c in g.columns and g[c].notna().any()]
        width = 0.8 / max(len(columns), 1)
        colours = {"growth": BLUE, "recomputed": LIGHT, "nowcast": "white"}
        for k, column in enumerate(columns):
            part = g[["year", column]].dropna()
            offset = (k - (len(columns) - 1) / 2) * width
            axg.bar(
                part["year"] + offset,
                part[column].to_numpy(float),
                width=width,
                color=colours[column],
                edgecolor=BLUE if column == "nowcast" else colours[column],
                hatch="//" if column == "nowcast" else "",
                label=labels.get(column, column),
            )
        axg.axhline(0, color=GREY, linewidth=0.8)
        axg.set_ylabel(change_label)
        axg.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncols=3, fontsize=8, frameon=False)
    all_years = sorted(
        {int(y) for y in levels["year"]} | {int(y) for y in projection.index} | {int(y) for y in fitted.index}
    )
    if has_changes:
        all_years = sorted(set(all_years) | {int(y) for y in changes["year"]})
    (axg or ax).set_xticks(all_years, [str(y) for y in all_years], rotation=0 if len(all_years) < 13 else 45)
    fig.tight_layout()
    return fig


def gap_chart(frame: pd.DataFrame, *, labels: dict[str, str], language: str) -> Figure:
    """One bar per target: completion (coloured by its verdict) against the time elapsed (marker).

    ``frame`` has, by target, ``completion``, ``time_elapsed``, ``text`` (the completion as the
    tables show it) and the verdict's ``colour`` and ``label`` (all from
    :class:`~indicators.analysis.gap_result.TargetAssessment`: the chart decides nothing);
    ``labels`` maps targets to display names. The legend sits below the bars.
    """
    setup_matplotlib()
    frame = frame[frame["completion"].notna()]
    n = len(frame)
    verdicts = dict(zip(frame["label"], frame["colour"], strict=True))
    handles = [Patch(color=colour, label=label) for label, colour in verdicts.items()]
    handles.append(Patch(color="black", label=t("chart.elapsed", language)))
    ncols = 3
    legend_inches = 0.2 * -(-len(handles) // ncols) + 0.15  # the legend's rows under the plot
    height = max(2.0, 0.42 * n + 1.4) + legend_inches
    fig = Figure(figsize=(8.2, height))
    ax = fig.subplots()
    y = np.arange(n)[::-1]
    for yi, (_, row) in zip(y, frame.iterrows(), strict=True):
        completion = float(row["completion"])
        shown = float(np.clip(completion, -0.2, 1.5))
        ax.barh(yi, shown, color=row["colour"], height=0.6)
        ax.text(max(shown, 0) + 0.01, yi, str(row["text"]), va="center", fontsize=8)
        elapsed = row["time_elapsed"]
        if elapsed is not None and not pd.isna(elapsed):
            ax.plot([elapsed, elapsed], [yi - 0.38, yi + 0.38], color="black", linewidth=1.6)
    ax.set_yticks(y, [labels.get(tid, tid) for tid in frame.index])
    ax.axvline(1.0, color=GREY, linewidth=0.8, linestyle=":")
    ax.set_xlim(-0.2 if (frame["completion"].astype(float) < 0).any() else 0, 1.6)
    ax.xaxis.set_major_formatter(lambda v, _: f"{v * 100:.0f}%")
    ax.set_xlabel(t("chart.completion", language))
    ax.grid(axis="y", visible=False)
    # the legend across the figure's foot, not the axes' (long target names push the axes right)
    fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.01), ncols=ncols, fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, legend_inches / height, 1, 1))
    return fig


def target_chart(
    observed: pd.DataFrame,
    *,
    baseline: tuple[int, float] | None,
    target: tuple[int, float],
    projected: tuple[int, float, float | None, float | None] | None,
    colour: str,
    unit: str,
    language: str,
    growth: bool = False,
    labels: dict[str, str] | None = None,
) -> Figure:
    """One target in the manner of Open SDG: the figures published (``observed``: ``year``,
    ``value``, ``kind`` published/derived), the baseline, the target at its deadline, the path
    required from the baseline to the target (constant growth), and the projection with its
    interval where the assessment has one. A growth target shows the published rates as bars
    against the rate required. The legend sits below the plot."""
    setup_matplotlib()
    labels = labels or {}
    fig = Figure(figsize=(4.4, 2.9))
    ax = fig.subplots()
    pub = observed[observed["kind"] != "derived"]
    der = observed[observed["kind"] == "derived"]
    t_year, t_value = target
    if growth:
        ax.bar(pub["year"], pub["value"], color=colour, width=0.5, label=labels.get("observed", ""))
        ax.set_xlim(min([*pub["year"], t_year]) - 1, max([*pub["year"], t_year]) + 1)
        ax.axhline(t_value, color="black", linestyle="--", linewidth=1.2, label=labels.get("target", ""))
        ax.axhline(0, color=GREY, linewidth=0.6)
    else:
        ax.plot(
            pub["year"], pub["value"], "o-", color=colour, markersize=4, linewidth=1.2, label=labels.get("observed", "")
        )
        if len(der):
            ax.plot(
                der["year"], der["value"], "o", mfc="white", mec=colour, markersize=4, label=labels.get("derived", "")
            )
        if baseline is not None:
            b_year, b_value = baseline
            years = np.arange(b_year, t_year + 1)
            if b_value > 0 and t_value > 0 and t_year > b_year:
                path = b_value * (t_value / b_value) ** ((years - b_year) / (t_year - b_year))
            else:
                path = np.linspace(b_value, t_value, len(years))
            ax.plot(years, path, color=GREY, linestyle=":", linewidth=1.2, label=labels.get("path", ""))
            ax.plot([b_year], [b_value], "s", color=GREY, markersize=5, label=labels.get("baseline", ""))
        if projected is not None:
            p_year, p_value, low, high = projected
            if len(pub):
                ax.plot([pub["year"].iloc[-1], p_year], [pub["value"].iloc[-1], p_value], color=ORANGE, linestyle="--")
            ax.plot([p_year], [p_value], "o", color=ORANGE, markersize=4, label=labels.get("projection", ""))
            if low is not None and high is not None:
                ax.plot([p_year, p_year], [low, high], color=ORANGE, linewidth=3, alpha=0.35)
        ax.plot([t_year], [t_value], "*", color="black", markersize=11, label=labels.get("target", ""))
    ax.set_ylabel(unit, fontsize=8)
    ax.tick_params(labelsize=7)
    years = sorted({int(y) for y in observed["year"]} | {int(t_year)} | ({baseline[0]} if baseline else set()))
    if years:
        ax.set_xticks(years, [str(y) for y in years], rotation=0 if len(years) < 8 else 45)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=3, fontsize=7, frameon=False)
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
