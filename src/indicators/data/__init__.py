"""Data: the raw tables in, validated, derived and versioned processed tables out.

Takes the human-curated CSV tables of ``data/raw/`` (and the import batches under
``data/raw/batches/``); hands every other package the processed tables of ``data/processed/``
with the provenance of every figure, and the catalog look-ups.

* :mod:`.tables` — each raw table's columns and allowed values, and reading a table with the
  file and line each row came from; :mod:`.schema` — validation with pandera, every problem
  named with its file, line, column, value and fix;
* :mod:`.periods` (the period grammar: ``2023``, ``2024Q1``, ``2023Q1-Q3``, ``2013-2023`` …),
  :mod:`.units` (normalisation to base units, rounding bounds);
* :mod:`.derive` — figures that follow arithmetically, marked ``derived`` with formula and
  inputs; :mod:`.vintages` — publication dates, vintages and ``as_of`` views;
* :mod:`.build` — validate, normalise, derive, check, and write ``data/processed/`` atomically
  under a lock, with the data version;
* :mod:`.catalog` (loaders and look-ups: :func:`~.catalog.load_observations`,
  :func:`~.catalog.get_indicator` …), :mod:`.summary` (what the table holds), :mod:`.paths`
  (where the data folder is).

Imports nothing from the other packages of :mod:`indicators`.
"""
