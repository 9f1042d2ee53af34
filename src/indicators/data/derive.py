"""Figures that follow arithmetically from published ones, and checks between figures.

Each derived figure is a new row with ``status = "derived"``, the ``formula`` written out with
its numbers, and the ``inputs`` (observation ids) it came from. A derived figure is made only
where no published figure exists for the same thing; published figures always win.

Derivations (only from figures with status ``reported``):

* **prior-year level** from a level and its published year-on-year growth, both from the same
  source: ``level(t-1) = level(t) / (1 + g/100)``. Growth at comparable prices gives the
  prior year's volume at year-t prices, not its nominal level: the row says so.
* **single period** from two year-to-date levels of a flow in the same year (一季度, 上半年,
  前三季度, 全年): ``Q3 = (Q1-Q3) - H1``, where the two ends are adjacent and the difference
  is one quarter.
* **parent level** from a region's level and its published share of the parent, same source
  and period: ``parent = level / (share / 100)``; the note gives the range the rounding of the
  share allows.

Checks (never changing a figure):

* **revision**: two rows of the same figure whose intervals (rounding, 约, 超过, 近) do not
  overlap, where one was published after the other (a later vintage,
  :mod:`indicators.data.vintages`) or one is preliminary or an estimate; **conflict** where two
  sources published them the same day.
* **growth_mismatch**: a published growth rate and the one recomputed from published levels at
  the same price basis differ by more than the rounding of the levels allows; the published rate
  is kept. Real growth (at comparable prices) against nominal levels is not compared: it gives
  the **implied_deflator** (nominal over real growth, with the range the rounding allows).
* **derived_mismatch**: a derivation that was not made because a published figure exists,
  but which disagrees with it.
* **series_break**: a level revised (after an economic census, say) after its neighbouring year's
  level was published: the two years are of different vintages, and growth between them is not
  computed from their levels (nor an implied deflator).
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass

import pandas as pd

from .figures import as_decimal, combine_qualifiers, convert_text, difference_text, growth_factor_text, quotient_text
from .periods import Period, month_label
from .units import bounds, decimals
from .vintages import RELIABILITY_PREFERENCE, earliest_date, known_by, preferred

OBS_KEY = ("indicator_id", "region_id", "period", "measure", "ref_region_id", "price_basis", "source_id")
SAME_FIGURE = ("indicator_id", "region_id", "period", "measure", "ref_region_id")


def obs_id(row: pd.Series | dict, prefix: str = "o") -> str:
    """A stable id from an observation's key (unchanged by reordering the file); a row's own
    publication date is part of the key where it has one."""
    text = "|".join(str(row[k]) for k in OBS_KEY)
    published = row.get("published", "")
    if isinstance(published, str) and published:
        text += f"|{published}"
    return f"{prefix}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:10]}"


@dataclass(frozen=True)
class CheckFinding:
    kind: str
    indicator_id: str
    region_id: str
    period: str
    measure: str
    message: str
    obs_ids: str
    #: the check's own number, where it has one (in percent: the implied deflator, the growth
    #: recomputed from levels), and the range the rounding of the figures allows
    value: float | None = None
    low: float | None = None
    high: float | None = None

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def _fmt(x: float) -> str:
    return f"{x:,.4f}".rstrip("0").rstrip(".")


class Deriver:
    """Derivations over one set of normalised observations."""

    def __init__(self, obs: pd.DataFrame, indicators: pd.DataFrame, units: pd.DataFrame):
        self.obs = obs
        self.kind = dict(zip(indicators["indicator_id"], indicators["kind"], strict=True))
        self.catalog_unit = dict(zip(indicators["indicator_id"], indicators["unit"], strict=True))
        self.factor = dict(zip(units["unit"], pd.to_numeric(units["factor"]), strict=True))
        self.base_unit = dict(zip(units["unit"], units["base_unit"], strict=True))
        self.rows: list[dict] = []
        self.findings: list[CheckFinding] = []
        published = obs[obs["measure"].eq("level")]
        self.published_levels = published.groupby(["indicator_id", "region_id", "period"])
        self._level_keys = set(self.published_levels.groups)
        self._best_level: dict[tuple[str, str, str], pd.Series] = {}

    # -- helpers -----------------------------------------------------------------------
    def _best_published_level(self, key: tuple[str, str, str]) -> pd.Series:
        if key not in self._best_level:
            self._best_level[key] = preferred(self.published_levels.get_group(key))
        return self._best_level[key]

    def _exact_count(self, row: pd.Series) -> bool:
        """A count of items published without a qualifier is exact (6 项 is six, not 5.5 to 6.5)."""
        return self.base_unit[row["unit"]] == "count" and row["qualifier"] == "exact"

    def _has_level(self, indicator: str, region: str, period: str) -> bool:
        return (indicator, region, period) in self._level_keys

    def _emit(
        self,
        *,
        template: pd.Series,
        region: str,
        period: str,
        value_text: str,
        unit: str,
        price_basis: str,
        qualifier: str | None,
        inputs: list[pd.Series],
        formula: str,
        note: str,
    ) -> None:
        """Add a derived row, shown as ``value_text`` (the precision its inputs allow); a
        qualifier of ``None`` (bounds pointing opposite ways) means nothing can be said."""
        if qualifier is None:
            return
        row = {
            "indicator_id": template["indicator_id"],
            "region_id": region,
            "period": period,
            "measure": "level",
            "ref_region_id": "",
            "value": float(value_text),
            "value_text": value_text,
            "unit": unit,
            "price_basis": price_basis,
            "qualifier": qualifier,
            "status": "derived",
            "source_id": ";".join(dict.fromkeys(str(r["source_id"]) for r in inputs)),
            "quote": "",
            "note": note,
            "formula": formula,
            "inputs": ";".join(str(r["obs_id"]) for r in inputs),
        }
        row["obs_id"] = obs_id(row, prefix="d")
        self.rows.append(row)

    def _mismatch(
        self,
        indicator: str,
        region: str,
        period: str,
        derived_lo: float,
        derived_hi: float,
        formula: str,
        inputs: list[pd.Series],
    ) -> None:
        published = self.published_levels.get_group((indicator, region, period))
        for _, pub in published.iterrows():
            lo, hi = bounds(pub["value"], pub["value_text"], pub["qualifier"], self.factor[pub["unit"]])
            if hi < derived_lo or lo > derived_hi:
                self.findings.append(
                    CheckFinding(
                        "derived_mismatch",
                        indicator,
                        region,
                        period,
                        "level",
                        f"published {pub['value']:g} {pub['unit']} ({pub['source_id']}) is outside "
                        f"{_fmt(derived_lo / self.factor[pub['unit']])}-{_fmt(derived_hi / self.factor[pub['unit']])} "
                        f"{pub['unit']} derived as {formula}",
                        ";".join([pub["obs_id"], *(str(r["obs_id"]) for r in inputs)]),
                        None,
                        derived_lo / self.factor[pub["unit"]],
                        derived_hi / self.factor[pub["unit"]],
                    )
                )

    # -- derivations --------------------------------------------------------------------
    def prior_year_levels(self) -> None:
        rep = self.obs[self.obs["status"].eq("reported")]
        levels = rep[rep["measure"].eq("level")]
        growth = rep[rep["measure"].eq("yoy_growth")]
        pairs = levels.merge(growth, on=["indicator_id", "region_id", "period", "source_id"], suffixes=("", "_g"))
        for _, row in pairs.iterrows():
            period = Period.parse(row["period"])
            if not period.is_month_based:
                continue
            prior = _shift_year(period, -1)
            if self._has_level(row["indicator_id"], row["region_id"], prior):
                continue  # published figures win (and a nominal level is not comparable with this one)
            g = float(row["value_g"])
            comparable = row["price_basis_g"] == "comparable"
            note = (
                f"{prior} level derived from the {row['period']} level and its published growth ({row['source_id']})."
            )
            if comparable:
                note += (
                    f" The growth is at comparable prices, so this is the {prior} volume at "
                    f"{period.year} prices, not the nominal {prior} level."
                )
            factor = growth_factor_text(row["value_text_g"])
            self._emit(
                template=row,
                region=row["region_id"],
                period=prior,
                value_text=quotient_text(
                    row["value"] / (1 + g / 100),
                    [None if self._exact_count(row) else row["value_text"], factor],
                    whole=self.base_unit[row["unit"]] == "count",
                ),
                unit=row["unit"],
                price_basis="comparable" if comparable else row["price_basis"],
                qualifier=combine_qualifiers([(row["qualifier"], 1), (row["qualifier_g"], -1)]),
                inputs=[
                    pd.Series({"source_id": row["source_id"], "obs_id": row["obs_id"]}),
                    pd.Series({"source_id": row["source_id"], "obs_id": row["obs_id_g"]}),
                ],
                formula=(
                    f"level({row['period']}) / (1 + yoy_growth({row['period']})/100) = "
                    f"{_fmt(row['value'])} / (1 + {_fmt(g)}/100)"
                ),
                note=note,
            )

    def single_periods(self) -> None:
        rep = self.obs[self.obs["status"].eq("reported") & self.obs["measure"].eq("level")]
        rep = rep[rep["indicator_id"].map(self.kind).eq("flow")]
        for (indicator, region), group in rep.groupby(["indicator_id", "region_id"]):
            by_period: dict[Period, pd.Series] = {}
            for label, rows in group.groupby("period"):
                period = Period.parse(label)
                if period.is_year_to_date:
                    by_period[period] = preferred(rows)
            for year in sorted({p.year for p in by_period}):
                ends = sorted((p for p in by_period if p.year == year), key=lambda p: p.end)
                for early, late in itertools.pairwise(ends):
                    single = late.minus_months(early)
                    if single.kind not in ("quarter", "half"):
                        continue
                    a, b = by_period[late], by_period[early]
                    if a["price_basis"] != b["price_basis"]:
                        continue
                    unit = self.catalog_unit[indicator]
                    texts = [convert_text(r["value_text"], self.factor[r["unit"]], self.factor[unit]) for r in (a, b)]
                    formula = (
                        f"level({late.label}) - level({early.label}) = {_fmt(a['value'])} {a['unit']} - "
                        f"{_fmt(b['value'])} {b['unit']}"
                    )
                    if self._has_level(indicator, region, single.label):
                        a_lo, a_hi = bounds(a["value"], a["value_text"], a["qualifier"], self.factor[a["unit"]])
                        b_lo, b_hi = bounds(b["value"], b["value_text"], b["qualifier"], self.factor[b["unit"]])
                        self._mismatch(indicator, region, single.label, a_lo - b_hi, a_hi - b_lo, formula, [a, b])
                        continue
                    if None in texts:
                        continue  # units that are not powers of ten apart (never for one base unit)
                    difference = float(as_decimal(texts[0]) - as_decimal(texts[1]))
                    self._emit(
                        template=a,
                        region=region,
                        period=single.label,
                        value_text=difference_text(difference, texts),
                        unit=unit,
                        price_basis=a["price_basis"],
                        qualifier=combine_qualifiers([(a["qualifier"], 1), (b["qualifier"], -1)]),
                        inputs=[a, b],
                        formula=formula,
                        note=f"{single.label} as the difference of two year-to-date totals of a flow.",
                    )

    def parent_levels(self) -> None:
        rep = self.obs[self.obs["status"].eq("reported")]
        levels = rep[rep["measure"].eq("level")]
        shares = rep[rep["measure"].eq("share")]
        pairs = levels.merge(shares, on=["indicator_id", "region_id", "period", "source_id"], suffixes=("", "_s"))
        done: set[tuple[str, str, str]] = set()
        for _, row in pairs.sort_values("source_reliability", key=lambda s: s.map(RELIABILITY_PREFERENCE)).iterrows():
            parent = row["ref_region_id_s"]
            share = float(row["value_s"])
            unit = self.catalog_unit[row["indicator_id"]]
            half = 0.5 * 10 ** (-decimals(row["value_text_s"]))
            lvl_lo, lvl_hi = bounds(row["value"], row["value_text"], row["qualifier"], self.factor[row["unit"]])
            s_lo, s_hi = bounds(share, row["value_text_s"], row["qualifier_s"])
            if row["qualifier_s"] == "exact":
                s_lo, s_hi = share - half, share + half
            lo, hi = lvl_lo / (s_hi / 100), lvl_hi / (s_lo / 100) if s_lo > 0 else float("inf")
            formula = f"level({row['region_id']}) / share = {_fmt(row['value'])} {row['unit']} / {_fmt(share)}%"
            inputs = [
                row,
                pd.Series({"source_id": row["source_id"], "obs_id": row["obs_id_s"]}),
            ]
            key = (row["indicator_id"], parent, row["period"])
            if self._has_level(*key):
                self._mismatch(row["indicator_id"], parent, row["period"], lo, hi, formula, inputs)
                continue
            if key in done:
                continue
            done.add(key)
            f = self.factor[unit]
            level_text = convert_text(row["value_text"], self.factor[row["unit"]], f)
            if level_text is None:
                continue  # units that are not powers of ten apart (never for one base unit)
            self._emit(
                template=row,
                region=parent,
                period=row["period"],
                value_text=quotient_text(
                    float(level_text) / (share / 100),
                    [None if self._exact_count(row) else level_text, row["value_text_s"]],
                    whole=self.base_unit[unit] == "count",
                ),
                unit=unit,
                price_basis=row["price_basis"],
                qualifier=combine_qualifiers([(row["qualifier"], 1), (row["qualifier_s"], -1)]),
                inputs=inputs,
                formula=formula,
                note=(
                    f"{parent} level from {row['region_id']}'s level and its published share "
                    f"({row['source_id']}); the rounding of the figures allows {lo / f:,.2f} to {hi / f:,.2f} {unit}."
                ),
            )

    # -- checks ------------------------------------------------------------------------
    def conflicts(self) -> None:
        obs = self.obs
        for key, rows in obs.groupby(list(SAME_FIGURE), dropna=False):
            if len(rows) < 2:
                continue
            recs = rows.to_dict("records")
            for i, a in enumerate(recs):
                for b in recs[i + 1 :]:
                    same_row = a["source_id"] == b["source_id"] and a["published"] == b["published"]
                    if same_row or a["base_unit"] != b["base_unit"]:
                        continue
                    a_lo, a_hi = bounds(a["value"], a["value_text"], a["qualifier"], self.factor[a["unit"]])
                    b_lo, b_hi = bounds(b["value"], b["value_text"], b["qualifier"], self.factor[b["unit"]])
                    later = known_by(a["published"]) != known_by(b["published"])
                    # a final figure replacing a preliminary one is a revision even within rounding
                    finalised = (
                        later
                        and {a["status"], b["status"]} & {"preliminary", "estimate"}
                        and "reported" in {a["status"], b["status"]}
                        and a["value_base"] != b["value_base"]
                    )
                    if a_hi < b_lo or b_hi < a_lo or finalised:
                        first, second = sorted((a, b), key=lambda r: known_by(r["published"]))
                        # a later figure revises an earlier one when it finalises a preliminary
                        # figure or comes from a source at least as reliable; an aggregator's
                        # later copy that disagrees with an official figure is a conflict
                        revises = finalised or (later and _reliability(second) <= _reliability(first))
                        kind = (
                            "revision"
                            if revises or {a["status"], b["status"]} & {"preliminary", "estimate"}
                            else "conflict"
                        )
                        self.findings.append(
                            CheckFinding(
                                kind,
                                *(str(k) for k in key[:4]),
                                f"{a['source_id']} ({a['status']}, {a['published']}): {a['value_text']} {a['unit']} vs "
                                f"{b['source_id']} ({b['status']}, {b['published']}): {b['value_text']} {b['unit']}",
                                f"{a['obs_id']};{b['obs_id']}",
                            )
                        )

    def growth_mismatches(self, tolerance_pp: float = 0.15) -> None:
        obs = self.obs[self.obs["status"].eq("reported")]
        growth = obs[obs["measure"].eq("yoy_growth")]
        breaks = {(f.indicator_id, f.region_id, int(f.period[-4:])) for f in self.findings if f.kind == "series_break"}
        # one check per figure: the growth rate that stands for it (several sources repeat it)
        for _, rows in growth.groupby(["indicator_id", "region_id", "period"]):
            g = preferred(rows)
            period = Period.parse(g["period"])
            if not period.is_month_based:
                continue
            if (g["indicator_id"], g["region_id"], period.year) in breaks and period.kind == "year":
                continue  # levels of different vintages: no growth from them
            prior = _shift_year(period, -1)
            key_now = (g["indicator_id"], g["region_id"], g["period"])
            key_then = (g["indicator_id"], g["region_id"], prior)
            if key_now not in self._level_keys or key_then not in self._level_keys:
                continue
            now = self._best_published_level(key_now)
            then = self._best_published_level(key_then)
            if now["base_unit"] != then["base_unit"] or then["value_base"] <= 0:
                continue
            n_lo, n_hi = bounds(now["value"], now["value_text"], now["qualifier"], self.factor[now["unit"]])
            t_lo, t_hi = bounds(then["value"], then["value_text"], then["qualifier"], self.factor[then["unit"]])
            lo, hi = (n_lo / t_hi - 1) * 100, (n_hi / t_lo - 1) * 100
            g_lo, g_hi = bounds(g["value"], g["value_text"], g["qualifier"])
            recomputed = (now["value_base"] / then["value_base"] - 1) * 100
            ids = ";".join([g["obs_id"], now["obs_id"], then["obs_id"]])
            levels = (
                f"levels {now['value_text']} {now['unit']} ({now['source_id']}) and {then['value_text']} "
                f"{then['unit']} ({then['source_id']})"
            )
            real = g["price_basis"] == "comparable" and now["price_basis"] == then["price_basis"] == "current"
            if real:
                # real growth against nominal levels: not a disagreement, but the price change
                deflator = ((1 + recomputed / 100) / (1 + g["value"] / 100) - 1) * 100
                d_lo = ((1 + lo / 100) / (1 + g_hi / 100) - 1) * 100
                d_hi = ((1 + hi / 100) / (1 + g_lo / 100) - 1) * 100
                self.findings.append(
                    CheckFinding(
                        "implied_deflator",
                        g["indicator_id"],
                        g["region_id"],
                        g["period"],
                        "yoy_growth",
                        f"nominal growth {recomputed:.1f}% from {levels} against the published real growth "
                        f"{g['value_text']}% at comparable prices ({g['source_id']}): implied deflator "
                        f"{deflator:+.1f}% (the rounding allows {d_lo:+.1f}% to {d_hi:+.1f}%).",
                        ids,
                        deflator,
                        d_lo,
                        d_hi,
                    )
                )
                continue
            if g_hi + tolerance_pp < lo or g_lo - tolerance_pp > hi:
                self.findings.append(
                    CheckFinding(
                        "growth_mismatch",
                        g["indicator_id"],
                        g["region_id"],
                        g["period"],
                        "yoy_growth",
                        f"published {g['value_text']}% ({g['source_id']}) vs {recomputed:.2f}% recomputed from "
                        f"{levels}; the published rate is kept.",
                        ids,
                        recomputed,
                        lo,
                        hi,
                    )
                )

    def series_breaks(self) -> None:
        """Where a level was revised (a census revision: 2014 first 2272 亿元, later 2453) after
        its neighbouring year's level was published, the two years' levels are of different
        vintages: a break in the series, between which growth is not computed from levels."""
        revised = [f for f in self.findings if f.kind == "revision" and f.measure == "level"]
        by_id = self.obs.set_index("obs_id")
        levels = self.obs[self.obs["measure"].eq("level") & self.obs["status"].isin(["reported", "preliminary"])]
        seen: set[tuple[str, str, int, int]] = set()
        for f in revised:
            period = Period.parse(f.period)
            if period.kind != "year":
                continue
            pair = [by_id.loc[i] for i in f.obs_ids.split(";")[:2]]
            old, new = sorted(pair, key=lambda r: known_by(r["published"]))
            if not old["status"] == new["status"] == "reported":
                continue  # a preliminary figure made final is the usual cycle, not a break
            when = earliest_date(new["published"])  # "2024" may be any day of 2024
            for year in (period.year - 1, period.year + 1):
                key = (f.indicator_id, f.region_id, min(year, period.year), max(year, period.year))
                if key in seen:
                    continue
                other = levels[
                    (levels["indicator_id"] == f.indicator_id)
                    & (levels["region_id"] == f.region_id)
                    & (levels["period"] == str(year))
                    & (levels["base_unit"] == new["base_unit"])
                ]
                if other.empty or (other["published"].map(known_by) >= when).any():
                    continue  # no neighbour, or one published with (or after) the revision
                seen.add(key)
                neighbour = preferred(other)
                self.findings.append(
                    CheckFinding(
                        "series_break",
                        f.indicator_id,
                        f.region_id,
                        f"{key[2]}-{key[3]}",
                        "level",
                        f"the {f.period} level was revised from {old['value_text']} {old['unit']} "
                        f"({old['source_id']}, {old['published']}) to {new['value_text']} {new['unit']} "
                        f"({new['source_id']}, {new['published']}) after the {year} level was published "
                        f"({neighbour['value_text']} {neighbour['unit']}, {neighbour['source_id']}, "
                        f"{neighbour['published']}): the two years' levels are of different vintages, and growth "
                        "between them is not computed from them",
                        ";".join([str(new.name), str(old.name), str(neighbour["obs_id"])]),
                    )
                )

    def run(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        self.prior_year_levels()
        self.single_periods()
        self.parent_levels()
        self.conflicts()
        self.series_breaks()
        self.growth_mismatches()
        derived = pd.DataFrame(self.rows)
        findings = pd.DataFrame(
            [f.as_dict() for f in self.findings],
            columns=[
                "kind",
                "indicator_id",
                "region_id",
                "period",
                "measure",
                "message",
                "obs_ids",
                "value",
                "low",
                "high",
            ],
        )
        return derived, findings


def _reliability(row: dict) -> int:
    return min(RELIABILITY_PREFERENCE.get(x, 9) for x in str(row.get("source_reliability", "")).split(";"))


def _shift_year(period: Period, years: int) -> str:
    return month_label(period.year + years, period.start.month, period.end.month)
