"""Batch: ``reports.yaml`` in, report files and their index out.

Takes the batch file, the report notebooks of ``notebooks/`` and the processed data; hands the
reader ``reports/``: for every job ``NAME.ipynb`` and ``NAME.html`` (or ``NAME.failed.ipynb``; with
``--pdf`` also ``NAME.pdf``), ``index.html``, ``run.log`` and the manifest that makes the next
run incremental and keeps the index.

* :mod:`.jobs` — the batch file read and checked, matrices expanded over the data, each job's
  fingerprint (notebook, parameters, package code, the data it reads);
* :mod:`.kernels` — warm Jupyter kernels that run one report after another, reset in between
  (:mod:`.connections`: their connection files, and removing those of a killed run);
* :mod:`.runner` — ``indicators run``: the lock, the incremental plan, parallel workers, the
  files, the manifest and the log; :mod:`.dask_run` — the same jobs on a Dask cluster;
* :mod:`.index` — ``index.html``, every report of the manifest (batch and ``indicators report``)
  with a search box, filters and sortable columns from one pinned script;
* :mod:`.pdf` — ``--pdf``: each report's ``NAME.pdf`` printed by headless Chromium.

Imports the other packages; only :mod:`indicators.cli` sits above it.
"""
