"""The data audit report: sources by reliability, revisions and conflicts between sources (with both
figures and their dates), real-versus-nominal growth with the implied deflator, derived figures with
their formulas, figures with qualifiers, and figures whose reading of the source is doubtful.

Every sentence is written from the observations themselves in the report's language; no source id
or internal message reaches the reader.
"""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from ..data.catalog import load_observations, load_table
from ..data.vintages import known_by
from .base import PathLike, Report
from .blocks import Block, Cell, Picture, Table, note
from .charts import bar_counts

#: A reading of the source that is not simply "as printed" (see data/raw/README.md).
PLAIN_READINGS = ("", "as_printed")


class AuditReport(Report):
    """Sources by reliability, disagreements between sources, derived figures, qualifiers, readings."""

    kind = "audit"
    SECTIONS = (
        "section.reliability",
        "section.conflicts",
        "section.deflators",
        "section.mismatches",
        "section.derived",
        "section.qualifiers",
        "section.readings",
    )

    def __init__(self, *, language: str = "zh", data_dir: PathLike = None):
        super().__init__(language=language, data_dir=data_dir)
        self.obs = load_observations(data_dir=data_dir)
        self.by_id = self.obs.set_index("obs_id")
        self.checks = load_table("checks", data_dir=data_dir)
        self.parameters = {"language": self.language}

    def index_facts(self) -> dict[str, str]:
        return {
            "headline": self.t(
                "audit.index_headline", n=len(self.checks[self.checks["kind"].isin(["revision", "conflict"])])
            )
        }

    @property
    def title(self) -> str:
        return self.t("audit.title")

    def _where(self, row: pd.Series) -> list[str]:
        return [
            self.indicator_name(row["indicator_id"]),
            self.region_name(row["region_id"]),
            self.period(row["period"]),
        ]

    def _figure(self, section: str, obs_id: str) -> tuple[str, Markup]:
        """An observation as text and HTML: the figure, its status, its publication date, its note."""
        row = self.by_id.loc[obs_id]
        shown = self.show(
            section,
            obs_id,
            row["value"],
            row["unit"],
            text=row["value_text"],
            qualifier=row["qualifier"],
            status=row["status"],
            reading=row.get("reading", "") if isinstance(row.get("reading", ""), str) else "",
            period=str(row["period"]),
        )
        when = self.t("audit.published_on", date=row["published"])
        text = (
            f"{shown.text}（{when}）{self.cite(row['source_id'])}"
            if self.language == "zh"
            else (f"{shown.text} ({when}) {self.cite(row['source_id'])}")
        )
        html = Markup("{}（{}）{}" if self.language == "zh" else "{} ({}) {}").format(
            Markup(shown.html), when, self.cite_html(row["source_id"])
        )
        return text, html

    # -- sections ---------------------------------------------------------------------------
    def headline(self) -> Block:
        """What to take away: the sources by reliability, how many revisions and disagreements,
        derived figures, figures with qualifiers and figures whose reading is doubtful (the
        counts of the sections below)."""
        section = "audit.headline"
        counts = self._sources["reliability"].map(lambda r: self.t(f"reliability.{r}")).value_counts()
        sep = "、" if self.language == "zh" else ", "
        parts = sep.join(self.t("audit.h.kind", kind=k, n=int(n)) for k, n in counts.items())
        derived = self.obs[self.obs["status"] == "derived"]
        figures = {
            "sources": len(self._sources),
            "revisions": int((self.checks["kind"] == "revision").sum()),
            "conflicts": int((self.checks["kind"] == "conflict").sum()),
            "derived": len(derived),
            "qualified": int(((self.obs["qualifier"] != "exact") & (self.obs["status"] != "derived")).sum()),
            "readings": len(self._doubtful()),
        }
        for key, n in figures.items():
            self.record(section, key, str(n), role="headline")
        items = [
            self.t("audit.h.sources", n=figures["sources"], parts=parts),
            self.t("audit.h.disagreements", revisions=figures["revisions"], conflicts=figures["conflicts"]),
            self.t("audit.h.derived", n=figures["derived"]),
            self.t("audit.h.qualifiers", n=figures["qualified"]),
            self.t("audit.h.readings", n=figures["readings"]),
        ]
        return self.headline_box(items)

    def _doubtful(self) -> pd.DataFrame:
        """Figures whose reading of the source is doubtful (not derived)."""
        if "reading" not in self.obs.columns:
            return self.obs.iloc[0:0]
        return self.obs[~self.obs["reading"].fillna("").isin(PLAIN_READINGS) & (self.obs["status"] != "derived")]

    def reliability(self) -> tuple[Picture, Table]:
        """Sources by reliability: how many sources of each kind and how many figures rest on
        them, with the notes of the sources (each note gives the source's title, publisher,
        dates and address)."""
        sources = self._sources.reset_index()
        kinds = sources["reliability"].map(lambda r: self.t(f"reliability.{r}"))
        counts = kinds.value_counts()
        fig = bar_counts(counts, title=self.t("section.reliability"))
        data = [[self.t("col.kind"), self.t("audit.col.sources")], *([k, str(int(v))] for k, v in counts.items())]
        kind_of = dict(zip(sources["source_id"], kinds, strict=True))
        used = self.obs["source_id"].str.split(";").map(lambda ids: {kind_of.get(i) for i in ids})
        table = self.new_table(
            [self.t("col.kind"), self.t("audit.col.sources"), self.t("audit.col.figures"), self.t("col.source")],
            key="audit.sources",
            sheet=self.t("sheet.source_list"),
            numeric=(1, 2),
        )
        for kind in counts.index:
            ids = list(sources.loc[kinds == kind, "source_id"])
            figures = int(used.map(lambda found, k=kind: k in found).sum())
            table.add([kind, str(len(ids)), str(figures), Cell(self.cite(ids), self.cite_html(ids))])
        picture = self.picture(fig, alt=self.t("section.reliability"), data=data, key="audit.reliability")
        return picture, table

    def conflicts(self):
        """Revisions (a later vintage of a figure) and conflicts (two sources the same day), each
        with both figures and their publication dates."""
        rows = self.checks[self.checks["kind"].isin(["revision", "conflict"])]
        if rows.empty:
            return note(self.t("none"))
        table = self.new_table(
            [
                self.t("col.indicator"),
                self.t("col.region"),
                self.t("col.period"),
                self.t("col.kind"),
                self.t("audit.col.earlier"),
                self.t("audit.col.later"),
            ],
            key="audit.conflicts",
        )
        for _, c in rows.iterrows():
            a, b = c["obs_ids"].split(";")[:2]
            # earlier and later as the vintages count them (a date of a year or month is known
            # by its end: "2022" comes after "2022-01-13")
            first, second = sorted((a, b), key=lambda i: known_by(str(self.by_id.at[i, "published"])))
            ta, ha = self._figure("audit.conflicts", first)
            tb, hb = self._figure("audit.conflicts", second)
            table.add([*self._where(self.by_id.loc[first]), self.t(f"kind.{c['kind']}"), Cell(ta, ha), Cell(tb, hb)])
        table.caption = self.t("audit.conflicts_caption")
        return table

    def deflators(self):
        """Real growth (comparable prices) against current-price levels: the implied price change."""
        rows = self.checks[self.checks["kind"] == "implied_deflator"]
        if rows.empty:
            return note(self.t("none"))
        table = self.new_table(
            [
                self.t("col.indicator"),
                self.t("col.region"),
                self.t("col.period"),
                self.t("audit.col.nominal"),
                self.t("audit.col.real"),
                self.t("audit.col.deflator"),
            ],
            key="audit.deflators",
            numeric=(3, 4, 5),
        )
        for _, c in rows.iterrows():
            g, now, then = c["obs_ids"].split(";")[:3]
            growth = self.by_id.loc[g]
            nominal = (float(self.by_id.at[now, "value_base"]) / float(self.by_id.at[then, "value_base"]) - 1) * 100
            nominal_text = self.numbers.percent(nominal)
            self.record("audit.deflators", f"{g}:nominal", nominal_text, role="table", period=str(growth["period"]))
            ids = ";".join(str(self.by_id.at[i, "source_id"]) for i in (now, then))
            real_text, real_html = self._figure("audit.deflators", g)
            deflator = self.numbers.percent(c["value"], sign=True)
            span = self.t(
                "audit.range",
                low=self.numbers.percent(c["low"], sign=True),
                high=self.numbers.percent(c["high"], sign=True),
            )
            self.record("audit.deflators", f"{g}:deflator", deflator, role="table", period=str(growth["period"]))
            table.add(
                [
                    *self._where(growth),
                    Cell(f"{nominal_text} {self.cite(ids)}", Markup("{} {}").format(nominal_text, self.cite_html(ids))),
                    Cell(real_text, real_html),
                    f"{deflator} {span}",
                ]
            )
        table.caption = self.t("audit.deflators_caption")
        return table

    def mismatches(self):
        """Growth that disagrees with levels at the same price basis (the published rate is kept)."""
        rows = self.checks[self.checks["kind"].isin(["growth_mismatch", "derived_mismatch"])]
        if rows.empty:
            return note(self.t("none"))
        table = self.new_table(
            [
                self.t("col.indicator"),
                self.t("col.region"),
                self.t("col.period"),
                self.t("col.kind"),
                self.t("col.value"),
            ],
            key="audit.mismatches",
        )
        for _, c in rows.iterrows():
            first = c["obs_ids"].split(";")[0]
            text, html = self._figure("audit.mismatches", first)
            if c["kind"] == "growth_mismatch":
                other = self.t("audit.recomputed", value=self.numbers.percent(c["value"]))
            else:
                unit = self.by_id.at[first, "unit"]
                other = self.t(
                    "audit.derived_range",
                    low=self.numbers.figure_text(round(c["low"], 2), unit),
                    high=self.numbers.figure_text(round(c["high"], 2), unit),
                )
            table.add(
                [
                    *self._where(self.by_id.loc[first]),
                    self.t(f"kind.{c['kind']}"),
                    Cell(f"{text}; {other}", Markup("{}; {}").format(html, other)),
                ]
            )
        return table

    def derived(self):
        d = self.obs[self.obs["status"] == "derived"]
        if d.empty:
            return note(self.t("none"))
        table = self.new_table(
            [
                self.t("col.indicator"),
                self.t("col.region"),
                self.t("col.period"),
                self.t("col.value"),
                self.t("col.formula"),
                self.t("col.source"),
            ],
            key="audit.derived",
        )
        for _, row in d.iterrows():
            shown = self.show_row("audit.derived", row)
            table.add(
                [
                    *self._where(row),
                    Cell(shown.text, Markup(shown.html)),
                    self._formula(row),
                    Cell(self.cite(row["source_id"]), self.cite_html(row["source_id"])),
                ]
            )
        return table

    def _formula(self, row: pd.Series) -> str:
        """A derivation written out in the report's language from its inputs."""
        inputs = [self.by_id.loc[i] for i in str(row["inputs"]).split(";") if i in self.by_id.index]
        if len(inputs) != 2:
            return str(row["formula"])
        a, b = inputs
        fa = self.numbers.figure_text(a["value"], a["unit"], text=a["value_text"], qualifier=a["qualifier"])
        fb = self.numbers.figure_text(b["value"], b["unit"], text=b["value_text"], qualifier=b["qualifier"])
        if b["measure"] == "share":
            return self.t("audit.formula.parent", region=self.region_name(a["region_id"]), a=fa, b=fb)
        if b["measure"] == "yoy_growth":
            return self.t("audit.formula.prior", period=self.period(a["period"]), a=fa, b=fb)
        return self.t("audit.formula.single", late=self.period(a["period"]), early=self.period(b["period"]), a=fa, b=fb)

    def qualifiers(self):
        q = self.obs[(self.obs["qualifier"] != "exact") & (self.obs["status"] != "derived")]
        if q.empty:
            return note(self.t("none"))
        table = self.new_table(
            [
                self.t("col.indicator"),
                self.t("col.region"),
                self.t("col.period"),
                self.t("col.value"),
                self.t("audit.col.quote"),
                self.t("col.source"),
            ],
            key="audit.qualifiers",
        )
        for _, row in q.iterrows():
            shown = self.show_row("audit.qualifiers", row)
            table.add(
                [
                    *self._where(row),
                    Cell(shown.text, Markup(shown.html)),
                    Cell(str(row["quote"]), cls="ind-quote"),
                    Cell(self.cite(row["source_id"]), self.cite_html(row["source_id"])),
                ]
            )
        return table

    def readings(self):
        """Figures whose reading of the source is doubtful (the period, measure or scope was
        inferred, or the quote is a summary), with what was assumed."""
        r = self._doubtful()
        if r.empty:
            return note(self.t("none"))
        table = self.new_table(
            [
                self.t("col.indicator"),
                self.t("col.region"),
                self.t("col.period"),
                self.t("col.value"),
                self.t("audit.col.reading"),
                self.t("audit.col.note"),
                self.t("col.source"),
            ],
            key="audit.readings",
        )
        for _, row in r.iterrows():
            shown = self.show_row("audit.readings", row)
            table.add(
                [
                    *self._where(row),
                    Cell(shown.text, Markup(shown.html)),
                    ("、" if self.language == "zh" else "; ").join(
                        self.t(f"reading.{r}") for r in str(row["reading"]).split(";") if r
                    ),
                    Cell(str(row["note"]), cls="ind-curator"),
                    Cell(self.cite(row["source_id"]), self.cite_html(row["source_id"])),
                ]
            )
        return table
