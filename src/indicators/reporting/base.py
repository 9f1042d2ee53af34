"""The report notebooks' library: validated parameters, then one displayable block per section.

A notebook is a parameters cell, one constructor call (which checks every parameter and stops
with one message naming the parameter and the valid choices) and one call per section::

    rep = TrendReport(indicator=indicator, region=region, language=language)
    rep.header()          # title, parameters, data version, when and with which package version
    rep.chart()           # embedded PNG
    rep.values_table()    # pandas Styler, each figure with its numbered source note
    rep.source_notes()    # the numbered notes cited above

Every block has an HTML representation, so the same notebook reads well in JupyterLab and in
the exported offline HTML.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import os
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from . import __version__
from .build import read_version
from .catalog import get_indicator, get_plan, get_region, load_observations, load_table
from .charts import bar_counts, gap_chart, peer_chart, sparkline, to_png, trend_chart
from .errors import ParameterError
from .i18n import check_language, fmt_fraction, fmt_number, fmt_pct, fmt_value, t
from .progress import CATEGORY_COLOURS, LABELS
from .series import annual_series, growth_table, published_by, select_annual
from .target_gap import SCHEDULE_LABELS, TargetGapResult, target_gap
from .trend import TrendResult, fit_trend

PathLike = str | os.PathLike[str] | None


def notebook_setup() -> None:
    """Call once at the top of a report notebook: the CJK chart font, and one-line error
    messages (a wrong parameter shows its message, not a traceback)."""
    from .fonts import setup_matplotlib

    setup_matplotlib()
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - outside Jupyter
        return
    ip = get_ipython()
    if ip is not None:
        ip.InteractiveTB.set_mode(mode="Minimal")  # as %xmode Minimal, without printing


@dataclass(frozen=True)
class Block:
    """A piece of report HTML."""

    html: str

    def _repr_html_(self) -> str:
        return self.html


@dataclass(frozen=True)
class Picture:
    """An embedded PNG chart with alternative text."""

    png: bytes
    alt: str
    caption: str = ""

    def _repr_html_(self) -> str:
        data = base64.b64encode(self.png).decode("ascii")
        cap = f"<figcaption>{html.escape(self.caption)}</figcaption>" if self.caption else ""
        return (
            f'<figure class="ind-figure"><img src="data:image/png;base64,{data}" alt="{html.escape(self.alt)}"/>'
            f"{cap}</figure>"
        )

    def _repr_png_(self) -> bytes:
        return self.png


def _esc(x: object) -> str:
    return html.escape("" if x is None else str(x))


def _int_param(name: str, value: object, low: int, high: int, fix: str) -> int:
    try:
        number = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ParameterError(name, value, "not a whole number", fix) from None
    if not low <= number <= high:
        raise ParameterError(name, value, f"outside {low}-{high}", fix)
    return number


_STATUS_ORDER = {"reported": 0, "preliminary": 1, "derived": 2, "estimate": 3}


def _by_status(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows with published figures first, then preliminary, derived and expected ones."""
    return rows.iloc[rows["status"].map(_STATUS_ORDER).fillna(9).argsort(kind="stable")]


def _ids(value: str | Iterable[str]) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [str(v).strip() for v in value if str(v).strip()]


class Report:
    """What every report shares: language, header, source notes, tables and figures."""

    kind = "report"

    def __init__(self, *, language: str = "zh", data_dir: PathLike = None):
        self.language = check_language(language)
        self.data_dir = data_dir
        self.parameters: dict[str, object] = {}
        # a batch stamps all its reports with its start time (INDICATORS_GENERATED_AT)
        stamp = os.environ.get("INDICATORS_GENERATED_AT")
        self.generated_at = (
            dt.datetime.fromisoformat(stamp) if stamp else dt.datetime.now(dt.UTC).replace(microsecond=0)
        )
        self.glyph_warnings: list[str] = []
        self._notes: dict[str, int] = {}
        self._tables = 0
        self._names: dict[str, str] = {}  # catalog names already looked up
        self._sources = load_table("sources", data_dir=data_dir).set_index("source_id")
        self._units = load_table("units", data_dir=data_dir).set_index("unit")
        self.meta = read_version(data_dir) or {}

    # -- names ---------------------------------------------------------------------------
    def t(self, key: str, **kw: object) -> str:
        return t(key, self.language, **kw)

    def indicator_name(self, indicator_id: str) -> str:
        if indicator_id not in self._names:
            self._names[indicator_id] = get_indicator(indicator_id, data_dir=self.data_dir).name(self.language)
        return self._names[indicator_id]

    def region_name(self, region_id: str) -> str:
        key = f"region:{region_id}"
        if key not in self._names:
            self._names[key] = get_region(region_id, data_dir=self.data_dir).name(self.language)
        return self._names[key]

    def unit_name(self, unit: str) -> str:
        """The unit as the reader's language writes it (English: no word for plain counts)."""
        if self.language == "zh" or unit == "%" or unit not in self._units.index:
            return unit
        if self._units.at[unit, "base_unit"] == "count" and float(self._units.at[unit, "factor"]) == 1:
            return ""
        return str(self._units.at[unit, "name_en"])

    def value(self, value: float | None, unit: str, qualifier: str = "exact", text: str | None = None) -> str:
        return fmt_value(
            value, self.unit_name(unit) if unit != "%" else unit, qualifier=qualifier, language=self.language, text=text
        )

    def as_of_date(self, as_of: str) -> dt.date | None:
        """The ``as_of`` parameter: empty for everything, else a date that is not in the future."""
        if not as_of:
            return None
        try:
            day = dt.date.fromisoformat(str(as_of))
        except ValueError:
            raise ParameterError("as_of", as_of, "not an ISO date", "write YYYY-MM-DD, or leave it empty") from None
        if day > dt.date.today():
            raise ParameterError("as_of", as_of, "in the future", f"use a date up to today ({dt.date.today()})")
        return day

    def figure(self, row: pd.Series) -> str:
        """A reported figure as text with its note number: ``约56.7 亿元 [3]``."""
        value = self.value(row["value"], row["unit"], row["qualifier"], row["value_text"])
        return f"{value} {self.cite(row['source_id'])}"

    @property
    def title(self) -> str:
        raise NotImplementedError

    # -- blocks ----------------------------------------------------------------------------
    def header(self) -> Block:
        params = "".join(f"<tr><th>{_esc(k)}</th><td>{_esc(v)}</td></tr>" for k, v in self.parameters.items())
        meta = [
            (self.t("data_version"), self.meta.get("data_version", "")),
            (self.t("generated"), self.generated_at.strftime("%Y-%m-%d %H:%M UTC")),
            (self.t("package"), f"indicators {__version__}"),
        ]
        meta_html = " · ".join(f"{_esc(k)}: <code>{_esc(v)}</code>" for k, v in meta)
        return Block(
            f'<header class="ind-header"><h1>{_esc(self.title)}</h1>'
            f'<p class="ind-meta">{meta_html}</p>'
            f'<table class="ind-params"><caption>{_esc(self.t("parameters"))}</caption>{params}</table></header>'
        )

    def heading(self, key: str, level: int = 2) -> Block:
        return Block(f"<h{level}>{_esc(self.t(key))}</h{level}>")

    def section(self, key: str, *parts: object) -> Block:
        """A titled section holding blocks, pictures or tables (anything with HTML)."""
        inner = "".join(p._repr_html_() for p in parts)  # type: ignore[attr-defined]
        return Block(f"<section><h2>{_esc(self.t(key))}</h2>{inner}</section>")

    def check(self) -> None:
        """Fail loudly if any chart was drawn with missing glyphs (Chinese shown as boxes)."""
        if self.glyph_warnings:
            raise RuntimeError(
                f"{len(self.glyph_warnings)} missing-glyph warning(s), e.g. {self.glyph_warnings[0]!r}. "
                "Fix: run `bash scripts/install-system-deps.sh fonts` or set INDICATORS_CJK_FONT"
            )

    def cite(self, source_ids: str | Iterable[str]) -> str:
        """The note numbers of sources (``a;b`` or a list), numbering new ones in order of use."""
        ids = _ids(source_ids.replace(";", ",")) if isinstance(source_ids, str) else _ids(source_ids)
        numbers = []
        for sid in ids:
            if sid not in self._notes:
                self._notes[sid] = len(self._notes) + 1
            numbers.append(self._notes[sid])
        return "[" + ", ".join(str(n) for n in sorted(set(numbers))) + "]" if numbers else ""

    def source_notes(self) -> Block:
        if not self._notes:
            return Block(
                f'<section class="ind-notes"><h2>{_esc(self.t("sources"))}</h2><p>{_esc(self.t("none"))}</p></section>'
            )
        items = []
        for sid, n in sorted(self._notes.items(), key=lambda kv: kv[1]):
            s = self._sources.loc[sid]
            address = f", {_esc(s['address'])}" if s["address"] else ""
            rel = self.t(f"reliability.{s['reliability']}")
            items.append(
                f'<li value="{n}">{_esc(s["title"])}, {_esc(s["publisher"])}, {_esc(s["date_published"])}{address} '
                f"({_esc(self.t('accessed'))} {_esc(s['date_accessed'])}; {_esc(rel)})</li>"
            )
        return Block(
            f'<section class="ind-notes"><h2>{_esc(self.t("sources"))}</h2><ol>{"".join(items)}</ol></section>'
        )

    def picture(self, fig, alt: str, caption: str = "") -> Picture:
        return Picture(to_png(fig, self.glyph_warnings), alt=alt, caption=caption)

    def styled(self, frame: pd.DataFrame, *, colours: dict[str, dict[str, str]] | None = None):
        """A report table: no index, the house style; ``colours`` maps a column to a value→colour
        map for stoplight cells. Table ids count up within the report (Styler's default is
        random), so the same report is the same HTML every time."""
        self._tables += 1
        styler = frame.style.hide(axis="index").set_table_attributes('class="ind-table"')
        styler = styler.set_uuid(f"{self.kind}{self._tables}")
        for column, mapping in (colours or {}).items():
            if column in frame.columns:
                styler = styler.map(
                    lambda v, m=mapping: f"background-color: {m[v]}; color: white; font-weight: 600" if v in m else "",
                    subset=[column],
                )
        return styler


# -- trend ----------------------------------------------------------------------------------


class TrendReport(Report):
    """An indicator's series in a region: levels, growth, trend and projection, share of the
    parent, the figures with their sources, and commentary."""

    kind = "trend"

    def __init__(
        self,
        *,
        indicator: str = "gdp",
        region: str = "wcna",
        start_year: int = 0,
        end_year: int = 0,
        horizon: int = 2,
        as_of: str = "",
        language: str = "zh",
        data_dir: PathLike = None,
    ):
        super().__init__(language=language, data_dir=data_dir)
        self.ind = get_indicator(indicator, data_dir=data_dir, parameter="indicator")
        self.reg = get_region(region, data_dir=data_dir, parameter="region")
        self.as_of = self.as_of_date(as_of)
        # what was known at as_of: each figure's latest vintage published by then
        obs = published_by(load_observations(indicator, data_dir=data_dir), self.as_of)
        regions_with_data = sorted(obs["region_id"].unique())
        if region not in regions_with_data:
            raise ParameterError(
                "region",
                region,
                f"no figures of {indicator} for this region",
                f"use one of: {', '.join(regions_with_data) or '(none: choose another indicator)'}",
            )
        self.horizon = _int_param("horizon", horizon, 0, 15, "give the number of years to project, 0-15")
        start = _int_param("start_year", start_year, 0, 2100, "give a year, or 0 for the earliest with data")
        end = _int_param("end_year", end_year, 0, 2100, "give a year, or 0 for the latest with data")
        if start and end and start > end:
            raise ParameterError("start_year", start_year, f"after end_year {end_year}", "swap them")
        self.obs = obs[obs["region_id"] == region]
        self.series = annual_series(indicator, region, as_of=self.as_of, data_dir=data_dir)
        values = self.series.values
        if start:
            values = values[values.index >= start]
        if end:
            values = values[values.index <= end]
        if (start or end) and values.empty and len(self.series):
            raise ParameterError(
                "start_year" if start else "end_year",
                start or end,
                "no annual figure in the chosen years",
                f"choose years within {self.series.years[0]}-{self.series.years[-1]}",
            )
        self.values = values
        last = int(values.index.max()) if len(values) else None
        self.fit: TrendResult = fit_trend(
            values,
            to_year=last + self.horizon if last is not None and self.horizon else None,
            indicator_id=indicator,
            region_id=region,
            unit=self.ind.unit,
            excluded=self.series.excluded,
        )
        growth = growth_table(indicator, region, as_of=self.as_of, data_dir=data_dir)
        if not growth.empty and len(values):
            growth = growth[(growth.index >= values.index.min()) & (growth.index <= values.index.max())]
        self.growth = growth
        self.parameters = {
            "indicator": f"{indicator} ({self.ind.name(self.language)})",
            "region": f"{region} ({self.reg.name(self.language)})",
            "start_year": start or "auto",
            "end_year": end or "auto",
            "horizon": self.horizon,
            "as_of": str(self.as_of or "–"),
            "language": self.language,
        }

    @property
    def title(self) -> str:
        return self.t("trend.title", indicator=self.ind.name(self.language), region=self.reg.name(self.language))

    def chart(self) -> Picture | Block:
        if self.values.empty:
            return Block(f"<p class='ind-note'>{_esc(self.fit.reason or self.t('chart.no_data'))}</p>")
        fig = trend_chart(
            self.values,
            self.fit.fitted,
            self.fit.projection,
            self.growth,
            title=self.title,
            unit=self.unit_name(self.ind.unit),
            language=self.language,
            alpha=self.fit.alpha,
            method_label=self._method_label(),
        )
        return self.picture(fig, alt=self.title, caption=self._fit_caption())

    def _method_label(self) -> str:
        zh = {"loglinear": "对数线性趋势", "ets": "指数平滑（ETS）", "cagr": "两点年均增速线"}
        return zh.get(self.fit.method, "") if self.language == "zh" else self.fit.label

    def _fit_caption(self) -> str:
        if self.fit.status == "insufficient_data":
            return self.fit.reason
        if self.language == "zh":
            if self.fit.method == "cagr":
                return "只有两个年度数据：仅画出两点间的年均增速线，无模型、无区间。"
            level = round((1 - self.fit.alpha) * 100)
            return f"{self._method_label()}，{self.fit.n_obs}个年度数据，现价总量；阴影为{level}%预测区间。"
        if self.fit.method == "cagr":
            return "Only two annual figures: the compound-growth line through them, no model and no interval."
        level = round((1 - self.fit.alpha) * 100)
        return f"{self.fit.label} on {self.fit.n_obs} annual levels; shading: {level}% prediction interval."

    def growth_table(self):
        if self.growth.empty:
            return Block(f"<p class='ind-note'>{_esc(self.t('none'))}</p>")
        g = self.growth.reset_index()
        frame = pd.DataFrame(
            {
                self.t("col.year"): g["year"].astype(str),
                self.t("col.published"): g["published"].map(lambda v: fmt_pct(v)),
                self.t("col.recomputed"): g["recomputed"].map(lambda v: fmt_pct(v)),
                self.t("col.difference"): g["difference"].map(lambda v: "–" if pd.isna(v) else f"{v:+.1f}"),
                self.t("col.source"): g["source_id"].map(lambda s: self.cite(s) if isinstance(s, str) and s else ""),
            }
        )
        return self.styled(frame)

    def share_table(self):
        shares = self.obs[self.obs["measure"] == "share"]
        if shares.empty:
            return Block(f"<p class='ind-note'>{_esc(self.t('none'))}</p>")
        shares = shares.sort_values(["period_start", "period_end"])
        frame = pd.DataFrame(
            {
                self.t("col.period"): shares["period"],
                self.t("col.of"): shares["ref_region_id"].map(self.region_name),
                self.t("col.share"): [
                    self.value(v, "%", q) for v, q in zip(shares["value"], shares["qualifier"], strict=True)
                ],
                self.t("col.source"): shares["source_id"].map(self.cite),
            }
        )
        return self.styled(frame)

    def values_table(self):
        obs = self.obs[self.obs["measure"].isin(["level", "yoy_growth", "avg_annual_growth"])]
        if len(self.values):
            lo, hi = self.values.index.min(), self.values.index.max()
            years = pd.to_datetime(obs["period_end"]).dt.year
            obs = obs[(years >= lo) & (years <= hi + 2)]
        obs = obs.sort_values(["period_start", "period_end", "measure"])
        measure = {
            "zh": {"level": "总量", "yoy_growth": "同比增长", "avg_annual_growth": "年均增长"},
            "en": {"level": "level", "yoy_growth": "growth", "avg_annual_growth": "average growth"},
        }[self.language]
        frame = pd.DataFrame(
            {
                self.t("col.period"): obs["period"],
                "": obs["measure"].map(measure),
                self.t("col.value"): [
                    self.value(v, u, q, text=vt)
                    for v, u, q, vt in zip(obs["value"], obs["unit"], obs["qualifier"], obs["value_text"], strict=True)
                ],
                self.t("col.status"): obs["status"].map(lambda s: self.t(f"status.{s}")),
                self.t("col.source"): obs["source_id"].map(self.cite),
            }
        )
        return self.styled(frame)

    def commentary(self) -> Block:
        from .commentary import trend_commentary

        return Block(f"<div class='ind-commentary'>{trend_commentary(self)}</div>")


# -- target gap ---------------------------------------------------------------------------


class TargetGapReport(Report):
    """Where a plan's targets stand at an as-of date."""

    kind = "target_gap"

    def __init__(
        self,
        *,
        plan: str = "wcna_green_action_2023_2025",
        region: str = "",
        as_of: str = "",
        language: str = "zh",
        data_dir: PathLike = None,
    ):
        super().__init__(language=language, data_dir=data_dir)
        self.plan = get_plan(plan, data_dir=data_dir, parameter="plan") if plan else None
        self.region = get_region(region, data_dir=data_dir, parameter="region") if region else None
        self.result: TargetGapResult = target_gap(
            plan or None, region=region or None, as_of=as_of or None, data_dir=data_dir
        )
        if not len(self.result):
            choices = sorted(set(load_table("targets", data_dir=data_dir)["plan_id"]))
            raise ParameterError(
                "plan", plan, "no targets for this plan and region", f"use one of: {', '.join(choices)}"
            )
        self.targets = load_table("targets", data_dir=data_dir).set_index("target_id")
        self.parameters = {
            "plan": f"{plan} ({self.plan.title_zh if self.language == 'zh' else self.plan.title_en})"
            if self.plan
            else self.t("gap.all"),
            "region": region or "–",
            "as_of": str(self.result.as_of),
            "language": self.language,
        }

    @property
    def title(self) -> str:
        if self.plan is not None:
            scope = self.plan.title_zh if self.language == "zh" else self.plan.title_en
        elif self.region is not None:
            scope = self.region.name(self.language)
        else:
            scope = self.t("gap.all")
        return self.t("gap.title", scope=scope)

    def _target_label(self, target_id: str) -> str:
        row = self.targets.loc[target_id]
        return f"{self.indicator_name(row['indicator_id'])} ({str(row['deadline'])[:4]})"

    def summary(self) -> Block:
        counts = self.result.category_counts()
        chips = "".join(
            f'<span class="ind-chip" style="background:{CATEGORY_COLOURS[c]}">'
            f"{_esc(LABELS[self.language][c])}: {n}</span>"
            for c, n in counts.items()
        )
        if self.language == "zh":
            text = f"截至{self.result.as_of}，共{len(self.result)}项目标，依据截至该日已公布的数据评估。"
        else:
            text = f"{len(self.result)} targets, assessed from the figures published by {self.result.as_of}."
        return Block(f'<div class="ind-summary"><p>{_esc(text)}</p><p>{chips}</p></div>')

    def targets_table(self):
        frame = self.result.summary_frame()
        rows = []
        for target_id, a in frame.iterrows():
            unit = a["unit"]
            target_row = self.targets.loc[target_id]
            comp = {"at_least": "≥", "at_most": "≤", "equal": "="}[a["comparator"]]
            projected = "–"
            if a["projected_value"] is not None and not pd.isna(a["projected_value"]):
                projected = fmt_number(a["projected_value"], decimals=1)
                if a["projected_lower"] is not None and not pd.isna(a["projected_lower"]):
                    low, high = (fmt_number(a[k], decimals=1) for k in ("projected_lower", "projected_upper"))
                    projected += f" ({low}–{high})"
            rows.append(
                {
                    self.t("col.indicator"): self._target_label(target_id),
                    self.t("col.target"): f"{comp} {self.value(a['target_value'], unit)}",
                    self.t("col.baseline"): "–"
                    if pd.isna(a["baseline_value"])
                    else f"{self.value(a['baseline_value'], unit)} ({a['baseline_period']})",
                    self.t("col.latest"): "–"
                    if pd.isna(a["latest_value"])
                    else f"{self.value(a['latest_value'], unit)} ({str(a['latest_period']).replace(';', ', ')})",
                    self.t("col.completion"): f"{fmt_fraction(a['completion'])} / {fmt_fraction(a['time_elapsed'])}",
                    self.t(
                        "col.cagr_required"
                    ): f"{fmt_fraction(a['cagr_required'])} / {fmt_fraction(a['cagr_observed'])}",
                    self.t("col.ratio"): "–" if a["ratio"] is None or pd.isna(a["ratio"]) else f"{a['ratio']:.2f}",
                    self.t("col.projected"): projected,
                    self.t("col.probability"): fmt_fraction(a["probability"], decimals=0),
                    self.t("col.category"): LABELS[self.language][a["category"]],
                    self.t("col.schedule"): SCHEDULE_LABELS[self.language][a["schedule"]],
                    self.t("col.source"): self.cite(target_row["source_id"]),
                }
            )
        table = pd.DataFrame(rows)
        colours = {LABELS[self.language][c]: colour for c, colour in CATEGORY_COLOURS.items()}
        return self.styled(table, colours={self.t("col.category"): colours})

    def gap_chart(self) -> Picture:
        frame = self.result.summary_frame()
        labels = {tid: self._target_label(tid) for tid in frame.index}
        fig = gap_chart(frame[["completion", "time_elapsed", "category"]], labels=labels, language=self.language)
        caption = (
            "条形为完成度（按评估着色），黑线为时间进度（序时进度）。"
            if self.language == "zh"
            else "Bars: completion, coloured by assessment; black line: share of the plan's time elapsed."
        )
        return self.picture(fig, alt=self.title, caption=caption)

    def details(self) -> Block:
        from .commentary import target_paragraph

        parts = []
        for target_id, a in self.result.summary_frame().iterrows():
            row = self.targets.loc[target_id]
            colour = CATEGORY_COLOURS[a["category"]]
            parts.append(
                f'<section class="ind-target"><h3><span class="ind-dot" style="background:{colour}"></span>'
                f"{_esc(self._target_label(target_id))}</h3>"
                f"<p>{_esc(target_paragraph(self, target_id, a, row))}</p>"
                f"<blockquote>{_esc(row['quote'])} {self.cite(row['source_id'])}</blockquote></section>"
            )
        return Block("".join(parts))


# -- overview -------------------------------------------------------------------------------


class OverviewReport(Report):
    """Every indicator of a region: latest value, change, sparkline; coverage; against the parent."""

    kind = "overview"

    def __init__(self, *, region: str = "wcna", as_of: str = "", language: str = "zh", data_dir: PathLike = None):
        super().__init__(language=language, data_dir=data_dir)
        self.reg = get_region(region, data_dir=data_dir, parameter="region")
        self.as_of = self.as_of_date(as_of)
        obs = published_by(load_observations(data_dir=data_dir), self.as_of)
        with_data = sorted(obs["region_id"].unique())
        if region not in with_data:
            raise ParameterError("region", region, "no figures for this region", f"use one of: {', '.join(with_data)}")
        self.obs = obs[obs["region_id"] == region]
        self.all_obs = obs
        self.indicators = load_table("indicators", data_dir=data_dir).set_index("indicator_id")
        self.parameters = {
            "region": f"{region} ({self.reg.name(self.language)})",
            "as_of": str(self.as_of or "–"),
            "language": self.language,
        }

    @property
    def title(self) -> str:
        return self.t("overview.title", region=self.reg.name(self.language))

    def latest_table(self):
        levels = self.obs[(self.obs["measure"] == "level") & (self.obs["status"] != "estimate")]
        rows = []
        for ind, group in levels.groupby("indicator_id"):
            group = group.sort_values(["period_end", "period_start"])
            latest = group.iloc[-1]
            change = self._change(ind, latest)
            spark = ""
            enough = group["period_kind"].isin(["year", "point"]).sum() >= 3  # else no sparkline to draw
            series = (
                None
                if not enough
                else select_annual(
                    group,
                    indicator_id=ind,
                    region_id=self.reg.region_id,
                    unit=latest["unit"],
                    factor=float(self._units.at[latest["unit"], "factor"]),
                    kind=self.indicators.at[ind, "kind"],
                )
            )
            if series is not None and len(series) >= 3:
                png = to_png(sparkline(series.values), self.glyph_warnings)
                spark = (
                    f'<img class="ind-spark" style="height:22px;width:auto" alt="{_esc(ind)}" '
                    f'src="data:image/png;base64,{base64.b64encode(png).decode()}"/>'
                )
            rows.append(
                {
                    self.t("col.indicator"): self.indicator_name(ind),
                    self.t("col.period"): latest["period"],
                    self.t("col.value"): self.value(
                        latest["value"], latest["unit"], latest["qualifier"], latest["value_text"]
                    ),
                    self.t("col.change"): change,
                    self.t("col.sparkline"): spark,
                    self.t("col.source"): self.cite(latest["source_id"]),
                    "_cat": self.indicators.at[ind, "category"],
                }
            )
        frame = pd.DataFrame(rows).sort_values(["_cat", self.t("col.indicator")]).drop(columns="_cat")
        return self.styled(frame)

    def _change(self, indicator: str, latest: pd.Series) -> str:
        growth = self.obs[
            (self.obs["indicator_id"] == indicator)
            & (self.obs["measure"] == "yoy_growth")
            & (self.obs["period"] == latest["period"])
        ]
        if len(growth):
            g = growth.iloc[0]
            return f"{fmt_pct(g['value'], sign=True)} {self.cite(g['source_id'])}"
        if latest["period_kind"] == "year":
            prior = self.obs[
                (self.obs["indicator_id"] == indicator)
                & (self.obs["measure"] == "level")
                & (self.obs["period"] == str(int(latest["period"]) - 1))
                & (self.obs["status"] != "estimate")
            ]
            if len(prior) and float(prior.iloc[0]["value_base"]) > 0:
                pct = (float(latest["value_base"]) / float(prior.iloc[0]["value_base"]) - 1) * 100
                return fmt_pct(pct, sign=True)
        return "–"

    def coverage(self):
        annualish = self.obs.assign(year=pd.to_datetime(self.obs["period_end"]).dt.year)
        years = list(range(int(annualish["year"].min()), int(annualish["year"].max()) + 1))
        rows = []
        for ind, group in annualish.groupby("indicator_id"):
            row = {self.t("col.indicator"): self.indicator_name(ind)}
            for y in years:
                g = group[group["year"] == y]
                if g.empty:
                    row[str(y)] = ""
                elif (g["period_kind"].isin(["year", "point"]) & (g["measure"] == "level")).any():
                    row[str(y)] = "●"
                else:
                    row[str(y)] = "○"
            rows.append(row)
        frame = pd.DataFrame(rows)
        styler = self.styled(frame).map(
            lambda v: (
                "background-color: #1f4e79; color: white; text-align: center"
                if v == "●"
                else ("background-color: #9dc3e6; text-align: center" if v == "○" else "")
            ),
            subset=[str(y) for y in years],
        )
        legend = (
            "● 全年或年末总量；○ 仅有季度、累计、增速或比重等数据"
            if self.language == "zh"
            else "● a full-year or year-end level; ○ only part-year, growth, share or other figures"
        )
        return styler.set_caption(legend)

    def parent_table(self):
        parent = self.reg.parent_id
        if not parent:
            return Block(f"<p class='ind-note'>{_esc(self.t('none'))}</p>")
        mine = self.obs[(self.obs["measure"] == "level") & (self.obs["status"] != "estimate")]
        theirs = self.all_obs[(self.all_obs["region_id"] == parent) & (self.all_obs["measure"] == "level")]
        shares = self.obs[(self.obs["measure"] == "share") & (self.obs["ref_region_id"] == parent)]
        rows = []
        for (ind, period), g in mine.groupby(["indicator_id", "period"]):
            p = theirs[(theirs["indicator_id"] == ind) & (theirs["period"] == period)]
            if p.empty:
                continue
            a, b = _by_status(g).iloc[0], _by_status(p).iloc[0]
            published = shares[(shares["indicator_id"] == ind) & (shares["period"] == period)]
            if len(published):
                pub = published.iloc[0]
                share = f"{self.value(pub['value'], '%', pub['qualifier'])} {self.cite(pub['source_id'])}"
            else:
                share = fmt_pct(float(a["value_base"]) / float(b["value_base"]) * 100) + "*"
            rows.append(
                {
                    self.t("col.indicator"): self.indicator_name(ind),
                    self.t("col.period"): period,
                    self.reg.name(self.language): self.figure(a),
                    self.region_name(parent): self.figure(b),
                    self.t("col.share"): share,
                }
            )
        if not rows:
            return Block(f"<p class='ind-note'>{_esc(self.t('none'))}</p>")
        note = (
            "* 按两地总量计算；其余为公布比重。"
            if self.language == "zh"
            else "* computed from the two levels; the others are published shares."
        )
        return self.styled(pd.DataFrame(rows)).set_caption(note)


# -- peers ----------------------------------------------------------------------------------


class PeerReport(Report):
    """The West Coast New Area beside the other national-level new areas, scope shown."""

    kind = "peers"

    def __init__(self, *, indicators: str = "gdp", regions: str = "", language: str = "zh", data_dir: PathLike = None):
        super().__init__(language=language, data_dir=data_dir)
        self.indicator_ids = _ids(indicators)
        if not self.indicator_ids:
            raise ParameterError("indicators", indicators, "empty", "give one or more indicator ids, comma-separated")
        for ind in self.indicator_ids:
            get_indicator(ind, data_dir=data_dir, parameter="indicators")
        regions_table = load_table("regions", data_dir=data_dir).set_index("region_id")
        obs = load_observations(self.indicator_ids, data_dir=data_dir)
        level = regions_table["level"]
        parent_level = regions_table["parent_id"].map(level)
        # national-level new areas, and a new area's other statistical scope (直管区 under 全域)
        new_areas = list(regions_table.index[(level == "new_area") | (parent_level == "new_area")])
        with_data = sorted(set(obs["region_id"]) & set(new_areas))
        chosen = _ids(regions) or with_data
        for r in chosen:
            get_region(r, data_dir=data_dir, parameter="regions")
            if r not in with_data:
                raise ParameterError(
                    "regions",
                    r,
                    f"no figures of {', '.join(self.indicator_ids)} for this new area",
                    f"use some of: {', '.join(with_data)}",
                )
        self.region_ids = chosen
        self.regions_table = regions_table
        # published figures only: no derived volumes at comparable prices, no expected values
        self.obs = obs[obs["region_id"].isin(chosen) & obs["status"].isin(["reported", "preliminary"])]
        self.parameters = {
            "indicators": ", ".join(self.indicator_ids),
            "regions": ", ".join(chosen),
            "language": self.language,
        }

    @property
    def title(self) -> str:
        return self.t(
            "peers.title",
            indicator="、".join(self.indicator_name(i) for i in self.indicator_ids)
            if self.language == "zh"
            else ", ".join(self.indicator_name(i) for i in self.indicator_ids),
        )

    def _label(self, region_id: str) -> str:
        """The region's name with its statistical scope, unless the name already says it."""
        scope = self.regions_table.at[region_id, "scope"]
        name = self.region_name(region_id)
        word = self.t(f"scope.{scope}") if scope else ""
        if not word or word in name:
            return name
        return f"{name}（{word}）" if self.language == "zh" else f"{name} ({word})"

    def table(self, indicator: str):
        obs = self.obs[(self.obs["indicator_id"] == indicator) & (self.obs["period_kind"] == "year")]
        levels = obs[obs["measure"] == "level"]
        years = sorted(levels["period"].unique())
        rows = []
        for r in self.region_ids:
            row = {self.t("col.region"): self._label(r)}
            for y in years:
                g = _by_status(levels[(levels["region_id"] == r) & (levels["period"] == y)])
                row[y] = "" if g.empty else self.figure(g.iloc[0])
            growth = obs[(obs["region_id"] == r) & (obs["measure"] == "yoy_growth")].sort_values("period")
            row[self.t("col.published")] = (
                ""
                if growth.empty
                else (
                    f"{fmt_pct(growth.iloc[-1]['value'])} ({growth.iloc[-1]['period']}) "
                    f"{self.cite(growth.iloc[-1]['source_id'])}"
                )
            )
            rows.append(row)
        return self.styled(pd.DataFrame(rows))

    def body(self) -> Block:
        """One section per indicator: the chart of the latest figures and the table by year."""
        parts = []
        for ind in self.indicator_ids:
            chart, table = self.chart(ind), self.table(ind)
            parts.append(
                f"<section><h2>{_esc(self.indicator_name(ind))}</h2>{chart._repr_html_()}{table._repr_html_()}</section>"
            )
        return Block("".join(parts))

    def chart(self, indicator: str) -> Picture | Block:
        obs = self.obs[
            (self.obs["indicator_id"] == indicator)
            & (self.obs["measure"] == "level")
            & (self.obs["period_kind"] == "year")
            & (self.obs["status"] != "estimate")
        ]
        if obs.empty:
            return Block(f"<p class='ind-note'>{_esc(self.t('none'))}</p>")
        # each region's latest year, its published figure before a preliminary one
        ranked = obs.assign(_rank=-obs["status"].map(_STATUS_ORDER))
        latest = ranked.sort_values(["period", "_rank"], kind="stable").groupby("region_id").tail(1)
        frame = pd.DataFrame(
            {
                "region_id": latest["region_id"],
                "label": [f"{self._label(r)} {p}" for r, p in zip(latest["region_id"], latest["period"], strict=True)],
                "value": latest["value_base"]
                / float(self._units.at[get_indicator(indicator, data_dir=self.data_dir).unit, "factor"]),
            }
        )
        unit = self.unit_name(get_indicator(indicator, data_dir=self.data_dir).unit)
        fig = peer_chart(frame, title=self.indicator_name(indicator), unit=unit, highlight="wcna")
        caption = (
            "每个新区的最新年度数据（年份见标签）；口径不同的数据不宜直接比较。"
            if self.language == "zh"
            else "Each new area's latest annual figure (year in the label); "
            "figures of different scope are not strictly comparable."
        )
        return self.picture(fig, alt=self.title, caption=caption)


# -- audit ----------------------------------------------------------------------------------


class AuditReport(Report):
    """Sources by reliability, disagreements between sources, derived figures, qualifiers."""

    kind = "audit"

    def __init__(self, *, language: str = "zh", data_dir: PathLike = None):
        super().__init__(language=language, data_dir=data_dir)
        self.obs = load_observations(data_dir=data_dir)
        self.checks = load_table("checks", data_dir=data_dir)
        self.parameters = {"language": self.language}

    @property
    def title(self) -> str:
        return self.t("audit.title")

    def reliability(self):
        sources = self._sources.reset_index()
        used = self.obs["source_id"].str.split(";").explode().value_counts()
        counts = sources["reliability"].map(lambda r: self.t(f"reliability.{r}")).value_counts()
        fig = bar_counts(counts, title=self.t("section.reliability"))
        frame = pd.DataFrame(
            {
                self.t("col.source"): [
                    f"{self.cite(s)} {ti}" for s, ti in zip(sources["source_id"], sources["title"], strict=True)
                ],
                "publisher": sources["publisher"],
                "date": sources["date_published"],
                self.t("col.kind"): sources["reliability"].map(lambda r: self.t(f"reliability.{r}")),
                self.t("col.count"): sources["source_id"].map(lambda s: int(used.get(s, 0))),
            }
        )
        return self.picture(fig, alt=self.t("section.reliability")), self.styled(frame)

    def conflicts(self):
        if self.checks.empty:
            return Block(f"<p class='ind-note'>{_esc(self.t('none'))}</p>")
        frame = pd.DataFrame(
            {
                self.t("col.kind"): self.checks["kind"].map(lambda k: self.t(f"kind.{k}")),
                self.t("col.indicator"): self.checks["indicator_id"].map(self.indicator_name),
                self.t("col.region"): self.checks["region_id"].map(self.region_name),
                self.t("col.period"): self.checks["period"],
                self.t("col.message"): self.checks["message"],
            }
        )
        return self.styled(frame)

    def derived(self):
        d = self.obs[self.obs["status"] == "derived"]
        frame = pd.DataFrame(
            {
                self.t("col.indicator"): d["indicator_id"].map(self.indicator_name),
                self.t("col.region"): d["region_id"].map(self.region_name),
                self.t("col.period"): d["period"],
                self.t("col.value"): [
                    self.value(v, u, q) for v, u, q in zip(d["value"], d["unit"], d["qualifier"], strict=True)
                ],
                self.t("col.formula"): d["formula"],
                self.t("col.source"): d["source_id"].map(self.cite),
            }
        )
        return self.styled(frame)

    def qualifiers(self):
        q = self.obs[(self.obs["qualifier"] != "exact") & (self.obs["status"] != "derived")]
        frame = pd.DataFrame(
            {
                self.t("col.indicator"): q["indicator_id"].map(self.indicator_name),
                self.t("col.region"): q["region_id"].map(self.region_name),
                self.t("col.period"): q["period"],
                self.t("col.value"): [
                    self.value(v, u, ql, vt)
                    for v, u, ql, vt in zip(q["value"], q["unit"], q["qualifier"], q["value_text"], strict=True)
                ],
                self.t("col.qualifier"): q["qualifier"].map(lambda x: self.t(f"qualifier.{x}")),
                "quote": q["quote"],
                self.t("col.source"): q["source_id"].map(self.cite),
            }
        )
        return self.styled(frame)


REPORTS = {cls.kind: cls for cls in (TrendReport, TargetGapReport, OverviewReport, PeerReport, AuditReport)}
