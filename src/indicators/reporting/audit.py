"""The data audit report: sources by reliability, disagreements, derived figures, qualifiers."""

from __future__ import annotations

import pandas as pd

from ..data.catalog import load_observations, load_table
from .base import Block, PathLike, Report, esc
from .charts import bar_counts


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
            return Block(f"<p class='ind-note'>{esc(self.t('none'))}</p>")
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
