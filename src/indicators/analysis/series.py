"""One clean annual series per indicator and region, with the reasons rows were left out.

Observations come in many shapes: levels beside growth rates, year-to-date totals beside full
years, two sources for one year, derived figures at comparable prices beside nominal levels.
:func:`annual_series` picks one figure per year and says why every other one was not used, so
that mixed periods are never fitted together by accident.

Two rules hold wherever figures are paired:

* **one vintage**: a change or ratio is computed only from the current vintage of each figure
  (:func:`current_figures`); a superseded figure (a preliminary growth rate later revised)
  never stands beside a later one;
* **no volume as a level**: a prior year's level derived from a comparable-price growth rate is
  that year's *volume at the next year's prices* (:func:`is_comparable_volume`); it is never
  used as a current-price level (not in series, shares, tables of levels or fits).

Beyond the annual levels, :func:`nowcast_figures` (published year-to-date growth of years after
the latest annual level) and :func:`expected_figures` (official expectations, 预计, for years
without a final figure) give what a trend carries beside its projection.
"""

from __future__ import annotations

import datetime as dt
import html
import os
from dataclasses import dataclass, field

import pandas as pd

from ..data.catalog import get_indicator, get_region, load_observations, load_table
from ..data.periods import Period
from ..data.vintages import FIGURE_KEY, as_known_on, known_by, preference_order


def as_date(value: str | dt.date | dt.datetime | None) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    return dt.date.fromisoformat(str(value))


def published_by(obs: pd.DataFrame, as_of: dt.date | None) -> pd.DataFrame:
    """What was known on ``as_of`` about periods that had ended by then: of each figure, its
    latest vintage published by ``as_of`` (:func:`indicators.data.vintages.as_known_on`)."""
    if as_of is None or obs.empty:
        return obs
    known = as_known_on(obs, as_of)
    ended = pd.to_datetime(known["period_end"]).dt.date
    return known[ended <= as_of]


def current_figures(obs: pd.DataFrame, as_of: dt.date | None = None) -> pd.DataFrame:
    """Of each figure, its current vintage: the latest published by ``as_of`` (without one: the
    latest of all), with the earlier rows that agree with it; periods not ended by ``as_of``
    left out. Unlike :func:`published_by`, never returns a superseded row."""
    if obs.empty:
        return obs
    if as_of is None:
        return as_known_on(obs, dt.date.max)
    return published_by(obs, as_of)


def is_comparable_volume(obs: pd.DataFrame) -> pd.Series:
    """Rows that are a volume at another year's prices, not a level: a level derived from a
    growth rate at comparable prices (the build marks it ``derived``, price basis ``comparable``)."""
    if obs.empty:
        return pd.Series(False, index=obs.index, dtype=bool)
    return (obs["measure"] == "level") & (obs["status"] == "derived") & (obs["price_basis"] == "comparable")


def _is_ytd(period: str) -> bool:
    p = Period.parse(period)
    return p.is_month_based and p.kind != "year" and p.is_year_to_date


def nowcast_figures(obs: pd.DataFrame, *, after_year: int) -> pd.DataFrame:
    """Published year-to-date growth rates (一季度, 上半年, 前三季度, 1-10月 …) of years after
    ``after_year``: of each year the longest period, the best-ranked figure (reported over
    preliminary, the more reliable source). Columns: ``year``, ``period``, ``measure``,
    ``value``, ``unit``, ``qualifier``, ``price_basis``, ``status``, ``source_id``, ``obs_id``."""
    cols = ["year", "period", "measure", "value", "unit", "qualifier", "price_basis", "status", "source_id", "obs_id"]
    rows = obs[(obs["measure"] == "yoy_growth") & obs["status"].isin(["reported", "preliminary"])]
    rows = rows[rows["period"].map(_is_ytd)] if len(rows) else rows
    rows = rows.assign(year=pd.to_datetime(rows["period_end"]).dt.year)
    rows = rows[rows["year"] > after_year]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    rows = preference_order(rows).sort_values(["year", "period_end"], ascending=[True, False], kind="stable")
    return rows.drop_duplicates("year")[cols].reset_index(drop=True)


def expected_figures(obs: pd.DataFrame, *, after_year: int) -> pd.DataFrame:
    """Official expectations for years after ``after_year`` (which have no final figure):
    estimates (预计, 预估) and preliminary figures of a full year, or of a span ending in one,
    as levels, growth rates or average growth. Same columns as :func:`nowcast_figures`."""
    cols = ["year", "period", "measure", "value", "unit", "qualifier", "price_basis", "status", "source_id", "obs_id"]
    rows = obs[
        obs["status"].isin(["estimate", "preliminary"])
        & obs["measure"].isin(["level", "yoy_growth", "avg_annual_growth"])
        & obs["period_kind"].isin(["year", "span", "point"])
    ]
    rows = rows.assign(year=pd.to_datetime(rows["period_end"]).dt.year)
    rows = rows[rows["year"] > after_year]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    return rows.sort_values(["year", "measure", "period"], kind="stable")[cols].reset_index(drop=True)


@dataclass(frozen=True)
class AnnualSeries:
    """An indicator's annual levels in one region, in the catalog unit, one figure per year."""

    indicator_id: str
    region_id: str
    unit: str
    price_basis: str
    values: pd.Series = field(repr=False)
    rows: pd.DataFrame = field(repr=False)
    excluded: pd.DataFrame = field(repr=False)

    @property
    def years(self) -> list[int]:
        return [int(y) for y in self.values.index]

    def __len__(self) -> int:
        return len(self.values)

    def summary_frame(self) -> pd.DataFrame:
        return self.rows[["year", "value", "unit", "status", "qualifier", "source_id", "period"]].set_index("year")

    def _repr_html_(self) -> str:
        title = html.escape(f"{self.indicator_id} in {self.region_id} ({self.unit}, {self.price_basis or 'n/a'})")
        return f"<div><b>{title}</b>{self.summary_frame().to_html()}</div>"


def annual_series(
    indicator: str,
    region: str,
    *,
    as_of: str | dt.date | None = None,
    include_estimates: bool = False,
    data_dir: str | os.PathLike[str] | None = None,
) -> AnnualSeries:
    """The indicator's annual levels in the region.

    One figure per year: full-year levels (or, for stocks, year-end points), preferring
    reported over preliminary over derived figures, then the more reliable and the later
    source. Year-to-date totals, other price bases, multi-year spans, estimates (unless
    ``include_estimates``), comparable-price volumes (:func:`is_comparable_volume`) and figures
    published after ``as_of`` are left out, each with its reason in ``excluded``. Derived
    levels stay in the series (``rows["status"]`` says which); a trend never fits them. Of a
    figure published more than once only its latest vintage published by ``as_of`` (without
    one: its latest vintage) is used; earlier vintages are left out as revised
    (:mod:`indicators.data.vintages`).
    """
    ind = get_indicator(indicator, data_dir=data_dir)
    get_region(region, data_dir=data_dir, parameter="region")
    obs = load_observations(indicator, region, measure="level", data_dir=data_dir)
    units = load_table("units", data_dir=data_dir).set_index("unit")
    return select_annual(
        obs,
        indicator_id=indicator,
        region_id=region,
        unit=ind.unit,
        factor=float(units.at[ind.unit, "factor"]),
        kind=ind.kind,
        as_of=as_of,
        include_estimates=include_estimates,
    )


def select_annual(
    obs: pd.DataFrame,
    *,
    indicator_id: str,
    region_id: str,
    unit: str,
    factor: float,
    kind: str,
    as_of: str | dt.date | None = None,
    include_estimates: bool = False,
) -> AnnualSeries:
    """The selection of :func:`annual_series` on observations already loaded (one indicator
    in one region; other measures are ignored). ``unit`` and ``factor`` are the unit of the
    result and its factor to the base unit."""
    obs = obs[obs["measure"] == "level"]
    as_of_date = as_date(as_of)
    reasons: list[tuple[int, str]] = []
    keep = []
    known = obs["published"].map(known_by) if len(obs) else pd.Series(dtype=object)
    current = obs
    latest: dict[tuple, dict] = {}
    if len(obs) and (obs["vintage"] > 1).any():  # some figure was published more than once
        current = as_known_on(obs, as_of_date or dt.date.max)
        latest = {tuple(r[k] for k in FIGURE_KEY): r for r in current.to_dict("records")}
    ind_kind = kind
    for i, row in obs.iterrows():
        kind = row["period_kind"]
        end = dt.date.fromisoformat(row["period_end"])
        if as_of_date is not None and (end > as_of_date or known[i] > as_of_date):
            reasons.append((i, f"published after {as_of_date}"))
        elif i not in current.index:
            later = latest[tuple(row[k] for k in FIGURE_KEY)]
            reasons.append((i, f"revised: a later vintage ({later['source_id']}, {later['published']}) supersedes it"))
        elif kind == "point" and not (end.month == 12 and end.day == 31):
            reasons.append((i, "a point in time that is not a year end"))
        elif kind == "point" and ind_kind == "flow":
            reasons.append((i, "a point in time for a flow"))
        elif kind not in ("year", "point"):
            reasons.append((i, f"not a full year ({kind} period {row['period']}); never mixed with annual data"))
        elif row["status"] == "estimate" and not include_estimates:
            reasons.append((i, "an estimate (pass include_estimates=True to use it)"))
        elif row["status"] == "derived" and row["price_basis"] == "comparable":
            reasons.append((i, "a volume at the next year's prices (derived from comparable growth), not a level"))
        else:
            keep.append(i)
    cand = obs.loc[keep].copy()
    # one price basis: current prices (nominal) wherever there are any
    bases = [b for b in cand["price_basis"].unique() if b]
    basis = "current" if "current" in bases else (bases[0] if bases else "")
    if basis:
        other = cand["price_basis"].ne(basis) & cand["price_basis"].ne("")
        for i in cand.index[other]:
            reasons.append((i, f"{cand.at[i, 'price_basis']} prices, the series is at {basis} prices"))
        cand = cand[~other]
    cand["year"] = pd.to_datetime(cand["period_end"]).dt.year
    cand = preference_order(cand).sort_values("year", kind="stable")
    chosen = cand.drop_duplicates("year", keep="first")
    for i in cand.index.difference(chosen.index):
        year = cand.at[i, "year"]
        winner = chosen.loc[chosen["year"] == year].iloc[0]
        reasons.append((i, f"another figure for {year} was preferred ({winner['source_id']}, {winner['status']})"))
    chosen = chosen.assign(value=chosen["value_base"] / factor, unit=unit)
    values = pd.Series(chosen["value"].to_numpy(), index=chosen["year"].astype(int).to_numpy(), name=indicator_id)
    excluded = obs.loc[[i for i, _ in reasons], ["period", "value_text", "unit", "status", "source_id"]].assign(
        reason=[r for _, r in reasons]
    )
    return AnnualSeries(
        indicator_id=indicator_id,
        region_id=region_id,
        unit=unit,
        price_basis=basis,
        values=values,
        rows=chosen.reset_index(drop=True),
        excluded=excluded.reset_index(drop=True),
    )


def growth_table(
    indicator: str,
    region: str,
    *,
    as_of: str | dt.date | None = None,
    tolerance_pp: float = 0.15,
    data_dir: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """Annual growth: the published rate where there is one, else the one recomputed from levels.

    Columns: ``published`` (%, the published year-on-year rate, usually at comparable prices),
    ``recomputed`` (% from the annual levels, at the levels' price basis), ``difference``
    (percentage points), ``used`` (the published rate wherever it exists), ``basis``
    (``published`` or ``recomputed``) and ``flag`` where the two differ by more than
    ``tolerance_pp`` (comparable-price growth differs from nominal level ratios by the price
    change: the difference is reported, never silently used).

    Only the current vintage of each figure is used (:func:`current_figures`): a preliminary
    rate that a later publication revised never stands beside the revised level. A growth rate
    is recomputed only from two published levels: a level derived from a published rate would
    give that rate back by construction (``recomputed_note`` says ``derived level``), and not
    across a series break (``series break``: levels of different vintages, such as a level revised
    after an economic census beside one that was not).
    """
    series = annual_series(indicator, region, as_of=as_of, data_dir=data_dir)
    obs = load_observations(indicator, region, measure="yoy_growth", include_derived=False, data_dir=data_dir)
    obs = current_figures(obs, as_date(as_of))
    obs = obs[obs["period_kind"] == "year"]
    checks = load_table("checks", data_dir=data_dir)
    breaks = {
        int(str(p)[-4:])
        for p in checks.loc[
            (checks["kind"] == "series_break")
            & (checks["indicator_id"] == indicator)
            & (checks["region_id"] == region),
            "period",
        ]
    }
    published: dict[int, pd.Series] = {}
    for year, rows in obs.assign(year=pd.to_datetime(obs["period_end"]).dt.year).groupby("year"):
        # the figures still current (a revised one is gone), then the usual preferences
        published[int(year)] = preference_order(rows).iloc[0]
    levels = series.values
    status = dict(zip(series.rows["year"].astype(int), series.rows["status"], strict=True)) if len(series) else {}
    years = sorted(set(published) | {y for y in levels.index if y - 1 in levels.index})
    out = []
    for year in years:
        pub = published.get(year)
        pair = year in levels.index and year - 1 in levels.index
        derived = pair and "derived" in (status.get(year), status.get(year - 1))
        broken = pair and year in breaks  # levels of different vintages (a census revision between)
        # a level not yet final (预计) gives growth that is not final either: said beside it
        preliminary = pair and not derived and "preliminary" in (status.get(year), status.get(year - 1))
        rec = (levels[year] / levels[year - 1] - 1) * 100 if pair and not derived and not broken else None
        p = None if pub is None else float(pub["value"])
        diff = None if p is None or rec is None else rec - p
        out.append(
            {
                "year": year,
                "published": p,
                "published_basis": None if pub is None else pub["price_basis"] or None,
                "source_id": None if pub is None else pub["source_id"],
                "recomputed": rec,
                "recomputed_basis": series.price_basis or None if rec is not None else None,
                "recomputed_note": "derived level"
                if derived
                else "series break"
                if broken
                else "preliminary level"
                if preliminary
                else "",
                "difference": diff,
                "used": p if p is not None else rec,
                "basis": "published" if p is not None else "recomputed",
                "flag": "differs" if diff is not None and abs(diff) > tolerance_pp else "",
            }
        )
    table = pd.DataFrame(out).set_index("year") if out else pd.DataFrame()
    return table[table["used"].notna()] if len(table) else table
