"""Vintages: a figure published more than once, and what was known at a date.

A *figure* is one quantity: an indicator in a region for a period, one measure (of one
reference region) at one price basis. Every published row of the same figure is one of its
*vintages*, ordered by publication date — a preliminary GDP and the final one, a news figure and
the statistical bulletin that revised it. The publication date of a row is its own ``published``
column where filled in, else its source's ``date_published``; a partial date (``2019-01``,
``2019``) counts as known at the *end* of that month or year (:func:`known_by`), never earlier.

``vintage`` numbers a figure's distinct publication dates 1, 2, …; rows published the same day
share a number (two sources that disagree on the same day stay two rows of one vintage, and the
build still reports their conflict). :func:`as_known_on` keeps, per figure, the latest vintage
published by a date — what ALFRED does for FRED — so an analysis can be reproduced as it would
have been made at the time.

Many figures are published again unchanged (a news report repeating the bulletin, an
aggregator copying it). A later row that agrees with an earlier one within rounding and
qualifiers (the intervals of :func:`indicators.data.units.bounds` overlap) confirms it rather than
revising it: :func:`as_known_on` keeps, beside the latest vintage, the earlier rows it agrees
with, so that the usual preferences (reported over preliminary, official over secondary) still
choose among them. Only rows the latest vintage contradicts are dropped as revised, and only by
a source at least as reliable (an aggregator's later copy does not revise an official figure). A
final figure replaces a preliminary one even within its rounding. A derived
figure is known once the last of its inputs is published; it is not re-derived from earlier
vintages of its inputs.
"""

from __future__ import annotations

import calendar
import datetime as dt

import pandas as pd

from .figures import significant_figures
from .units import bounds

#: The columns that make rows the same figure (vintages of one another).
FIGURE_KEY = ("indicator_id", "region_id", "period", "measure", "ref_region_id", "price_basis")


def known_by(date_text: str) -> dt.date:
    """The last day a (partial) publication date can stand for: ``2024-05`` → 2024-05-31.

    A figure dated only by month or year counts as known at the end of that month or year,
    never earlier. Several dates joined by ``;`` (a derived figure's inputs) give the latest.
    """
    dates = [d for d in str(date_text).split(";") if d]
    if not dates:
        return dt.date.max
    latest = dt.date.min
    for d in dates:
        parts = d.split("-")
        year = int(parts[0])
        if len(parts) == 1:
            day = dt.date(year, 12, 31)
        elif len(parts) == 2:
            month = int(parts[1])
            day = dt.date(year, month, calendar.monthrange(year, month)[1])
        else:
            day = dt.date.fromisoformat(d)
        latest = max(latest, day)
    return latest


def earliest_date(date_text: str) -> dt.date:
    """The first day a (partial) publication date can stand for: ``2024`` → 2024-01-01."""
    parts = str(date_text).split(";")[-1].split("-")
    return dt.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)


def latest_date(dates: list[str]) -> str:
    """Of several (partial) publication dates, the one known last."""
    dates = [d for d in dates if d]
    return max(dates, key=known_by) if dates else ""


def _keys(obs: pd.DataFrame) -> pd.Series:
    key = obs[FIGURE_KEY[0]].astype(str)
    for column in FIGURE_KEY[1:]:
        key = key + "|" + obs[column].astype(str)
    return key


def number_vintages(obs: pd.DataFrame) -> pd.Series:
    """Each row's vintage: the rank of its publication date among its figure's (1 = first)."""
    if obs.empty:
        return pd.Series(dtype="int64", index=obs.index)
    known = obs["published"].map(known_by)
    return known.groupby(_keys(obs)).rank(method="dense").astype("int64")


def _interval(row: dict) -> tuple[float, float]:
    value = float(row["value"])
    factor = float(row["value_base"]) / value if value else 1.0
    return bounds(value, str(row["value_text"]), str(row["qualifier"]), factor)


def as_known_on(obs: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """What was known on ``as_of``: of the rows published by then, per figure, those of its
    latest vintage (several where sources published the same day) and the earlier rows no later
    row of a source at least as reliable revises (see the module docstring)."""
    if obs.empty:
        return obs
    known = obs["published"].map(known_by)
    kept = obs[known <= as_of]
    if kept.empty:
        return kept
    known = known[kept.index]
    keys = _keys(kept)
    latest = known.groupby(keys).transform("max")
    is_latest = known == latest
    keep = is_latest.copy()
    if (~is_latest).any():
        records = dict(
            zip(
                kept.index,
                kept[
                    ["value", "value_text", "qualifier", "value_base", "base_unit", "status", "source_reliability"]
                ].to_dict("records"),
                strict=True,
            )
        )
        groups: dict[str, list] = {}
        for i in kept.index[keys.isin(keys[~is_latest])]:
            groups.setdefault(keys[i], []).append(i)
        for i in kept.index[~is_latest]:
            later = [records[j] for j in groups[keys[i]] if known[j] > known[i]]
            # revised by a later row of a source at least as reliable that does not confirm it;
            # an aggregator's later copy that disagrees does not revise an official figure
            keep[i] = not any(
                _reliability(r) <= _reliability(records[i]) and not confirms(records[i], r) for r in later
            )
    return kept[keep]


def _reliability(row: dict) -> int:
    return min(RELIABILITY_PREFERENCE.get(x, 9) for x in str(row.get("source_reliability", "")).split(";"))


def confirms(earlier: dict, later: dict) -> bool:
    """Whether a later row of a figure confirms an earlier one rather than revising it: they
    agree within rounding and qualifiers, and the later one does not finalise a preliminary or
    expected figure with another value (a final 3517 replaces the preliminary 3500, even though
    3500 stands for 3450 to 3550)."""
    if earlier["base_unit"] != later["base_unit"]:
        return False
    finalised = (
        earlier.get("status") in ("preliminary", "estimate")
        and later.get("status") == "reported"
        and float(earlier["value_base"]) != float(later["value_base"])
    )
    lo, hi = _interval(earlier)
    l_lo, l_hi = _interval(later)
    return not finalised and lo <= l_hi and l_lo <= hi


def vintage_history(obs: pd.DataFrame) -> pd.DataFrame:
    """Every figure's revision history: one row per row of ``obs``, figures in the order they
    first appear, each figure's vintages oldest first, with ``n_vintages`` (how many
    publication dates the figure has) and ``change``: empty for the first vintage, ``revised``
    where a vintage disagrees with every row of the one before it (beyond rounding and
    qualifiers), ``confirmed`` where it agrees with one. Expects the processed columns."""
    keys = _keys(obs) if len(obs) else pd.Series(dtype=object, index=obs.index)
    order = {key: i for i, key in enumerate(dict.fromkeys(keys))}
    out = obs.assign(
        n_vintages=obs.groupby(keys)["vintage"].transform("max") if len(obs) else pd.Series(dtype="int64"),
        change="",
        _figure=keys.map(order),
        _known=obs["published"].map(known_by),
    )
    for _, rows in out[out["n_vintages"] > 1].groupby("_figure"):
        by_vintage = {v: g.to_dict("records") for v, g in rows.groupby("vintage")}
        for i, row in rows.iterrows():
            before = by_vintage.get(row["vintage"] - 1)
            if before is None:
                continue
            agrees = any(confirms(b, row.to_dict()) for b in before)
            out.at[i, "change"] = "confirmed" if agrees else "revised"
    out = out.sort_values(["_figure", "_known", "source_id"], kind="stable")
    return out.drop(columns=["_figure", "_known"]).reset_index(drop=True)


#: The order of preference among rows that stand for the same figure.
STATUS_PREFERENCE = {"reported": 0, "preliminary": 1, "derived": 2, "estimate": 3}
RELIABILITY_PREFERENCE = {"official": 0, "official_repost": 1, "secondary": 2}
_SORT_KEYS = ["_status", "_reliability", "_bound", "_figures", "_published"]


def preference_order(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` ordered by the one rule every part of the package uses to pick the figure that
    stands for a quantity: a final figure before a preliminary, derived or expected one; the more
    reliable source (official, repost, secondary); an exact figure before a rounded or bounded
    one; the more precise figure (2594.7 亿元 before "260 billion yuan"); the later publication."""

    def figures(text: object) -> int:
        try:
            return significant_figures(str(text))
        except ValueError:
            return 0

    ranked = rows.assign(
        _status=rows["status"].map(STATUS_PREFERENCE).fillna(9),
        _reliability=rows["source_reliability"].map(
            lambda s: min(RELIABILITY_PREFERENCE.get(x, 9) for x in str(s).split(";"))
        ),
        _bound=rows["qualifier"].ne("exact"),
        _figures=rows["value_text"].map(figures),
        _published=rows["published"].map(known_by),
    )
    ranked = ranked.sort_values(_SORT_KEYS, ascending=[True, True, True, False, False], kind="stable")
    return ranked.drop(columns=_SORT_KEYS)


def preferred(rows: pd.DataFrame) -> pd.Series:
    """The row that stands for the figure among ``rows`` (see :func:`preference_order`)."""
    return preference_order(rows).iloc[0]
