"""Intake: figures that come from people's spreadsheets, in and out.

Takes workbooks and CSV files filled in by colleagues; hands :mod:`indicators.data` a new import
batch under ``data/raw/batches/`` (validated with the raw tables' own schema, all or nothing),
and hands colleagues the template to fill in and the processed table as a workbook.

* :mod:`.template` — ``indicators template``: the workbook (or CSV folder) to fill in;
* :mod:`.spreadsheets` (reading xlsx and csv cells as typed), :mod:`.labels` (figures and
  periods as economists type them: ``约56.7``, ``2023年前三季度``), :mod:`.rows` (a sheet's cells
  into raw-table rows);
* :mod:`.importer` — ``indicators import``: compare with ``data/raw/``, validate, add the batch
  (:mod:`.raw_batches`: batch folders, their manifest and lock);
* :mod:`.export` — ``indicators export``: the processed tables and their metadata (text
  written to spreadsheets as text, never as a formula: :mod:`indicators.textsafety`, shared with
  the reports' downloads).

Imports :mod:`indicators.data` only.
"""
