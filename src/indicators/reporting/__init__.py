"""Reporting: results objects in, report sections out (tables, charts, sentences, offline HTML).

Takes the analysis results (:mod:`indicators.analysis`) and the catalog and provenance of the
processed tables (:mod:`indicators.data`); hands each report notebook one displayable block per
section, and the batch (:mod:`indicators.batch`) the offline HTML of an executed notebook.

* :mod:`.base` — what every report shares: validated parameters, the header, numbered source
  notes, figures formatted in the report's language, tables in the house style;
* one module per report kind: :mod:`.trend_report`, :mod:`.gap_report`, :mod:`.overview`,
  :mod:`.peers`, :mod:`.audit` (each a :class:`~.base.Report` subclass a notebook constructs);
* :mod:`.charts` (matplotlib figures), :mod:`.commentary` (generated sentences), :mod:`.numbers`
  (the one formatter of figures and periods), :mod:`.i18n` with :mod:`.text_zh` and :mod:`.text_en`
  (the words in Chinese and English), :mod:`.blocks` (tables, pictures, escaped HTML),
  :mod:`.fonts` (the CJK font);
* :mod:`.html_export` and ``templates/`` — executed notebook → self-contained offline HTML.

A report notebook does ``import indicators.reporting as R``, then ``R.notebook_setup()`` and one
constructor call such as ``R.TrendReport(indicator=..., region=...)``.
"""

from .audit import AuditReport
from .base import Block, Picture, Report, notebook_setup
from .gap_report import TargetGapReport
from .overview import OverviewReport
from .peers import PeerReport
from .trend_report import TrendReport

REPORTS = {cls.kind: cls for cls in (TrendReport, TargetGapReport, OverviewReport, PeerReport, AuditReport)}

__all__ = [
    "REPORTS",
    "AuditReport",
    "Block",
    "OverviewReport",
    "PeerReport",
    "Picture",
    "Report",
    "TargetGapReport",
    "TrendReport",
    "notebook_setup",
]
