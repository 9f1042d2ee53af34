"""Analysis: series in, results objects out.

Takes the processed observations and targets through :mod:`indicators.data`'s loaders; hands
:mod:`indicators.reporting` (and anyone in a notebook) results objects with ``summary_frame()``,
``_repr_html_()`` and plain attributes.

* :mod:`.transform` — FRED's units (change, percent change, compounded rates, logs) and their
  inverses, CAGR, shares and contributions; :mod:`.ytd` — year-to-date totals and single periods;
* :mod:`.series` — an indicator's annual series from the published figures, and its growth table;
* :mod:`.trend` — trend models and projections, saying only what a short series can say, with
  :mod:`.trend_result` (:class:`~.trend_result.TrendResult`);
* :mod:`.progress` — Open SDG's progress measure (:class:`~.progress.ProgressResult`);
* :mod:`.target_gap` — every target of a plan assessed at an as-of date, by target form, with
  :mod:`.gap_rules` (the shared arithmetic: time elapsed, completion, required growth) and
  :mod:`.gap_result` (:class:`~.gap_result.TargetAssessment`, :class:`~.gap_result.TargetGapResult`,
  the verdicts before and after the deadline);
* :mod:`.reasons` — why a result says less than asked: reason codes with their English and
  Chinese texts.

Imports :mod:`indicators.data` only.
"""
