"""Benchmark: the report batch four ways in one run, on the shipped batch and a synthetic one.

    .venv/bin/python benchmarks/bench_batch.py [--synthetic-jobs 50] [--skip-naive-synthetic]
                                               [--shipped-only] [--skip-pdf]

1. the naive loop: `papermill` CLI then `jupyter nbconvert --to html` CLI, one report after another;
2. `indicators run` from cold (fresh output folder, new process);
3. `indicators run` again with nothing changed;
4. `indicators run --pdf` with nothing changed: only the PDFs are printed, so its time less the
   unchanged re-run's is what `--pdf` costs (headless Chromium, one per report, as many at once
   as there are workers). `--skip-pdf` leaves this out.

The floor is the summed in-kernel cost of the reports' own cells plus the in-process HTML export
(from the cold run's manifest). Targets on the 2-core machine: cold at least 10x faster than
naive, cold within 3x of the floor, the unchanged re-run under 3 s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def synthetic_batch(n: int) -> dict:
    """At least ``n`` jobs over the shipped data: every report kind, languages and variants."""
    jobs = [
        {
            "notebook": "trend_report.ipynb",
            "name": "trend_{indicator}_{language}_h{horizon}",
            "parameters": {"region": "wcna"},
            "matrix": {
                "indicator": {"from": "indicators_with_data", "region": "wcna", "min_years": 2},
                "language": ["zh", "en"],
                "horizon": [1, 2, 3],
            },
        },
        {
            "notebook": "target_gap_report.ipynb",
            "name": "gap_{plan}_{language}_{as_of}",
            "matrix": {
                "plan": {"from": "plans_with_targets"},
                "language": ["zh", "en"],
                "as_of": ["2024-06-30", "2025-06-30"],
            },
        },
        {
            "notebook": "overview.ipynb",
            "name": "overview_{region}_{language}",
            "matrix": {"region": ["wcna", "qingdao"], "language": ["zh", "en"]},
        },
        {"notebook": "peer_comparison.ipynb", "name": "peers_{language}", "matrix": {"language": ["zh", "en"]}},
        {"notebook": "data_audit.ipynb", "name": "audit_{language}", "matrix": {"language": ["zh", "en"]}},
    ]
    return {"defaults": {"timeout": 300}, "jobs": jobs, "_expected_at_least": n}


def naive(jobs, data_dir: Path, out: Path) -> float:
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "INDICATORS_DATA_DIR": str(data_dir)}
    start = time.perf_counter()
    for job in jobs:
        nb = out / f"{job.name}.ipynb"
        args = [
            str(BIN / "papermill"),
            str(REPO / "notebooks" / job.notebook),
            str(nb),
            "--cwd",
            str(REPO / "notebooks"),
        ]
        for key, value in job.parameters.items():
            args += ["-p", key, str(value)]
        subprocess.run(args, check=True, env=env, capture_output=True)
        subprocess.run(
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", str(nb)], check=True, env=env, capture_output=True
        )
    return time.perf_counter() - start


def indicators_run(batch: Path, data_dir: Path, out: Path, *extra: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [str(BIN / "indicators"), "--data-dir", str(data_dir), "run", str(batch), "--out", str(out), *extra],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def measure(label: str, batch: Path, data_dir: Path, tmp: Path, *, with_naive: bool, with_pdf: bool = True) -> dict:
    from indicators.batch.jobs import load_batch

    jobs = load_batch(batch, data_dir=data_dir)
    out = tmp / label
    cold = indicators_run(batch, data_dir, out / "run")
    again = indicators_run(batch, data_dir, out / "run")
    pdf = indicators_run(batch, data_dir, out / "run", "--pdf") if with_pdf else float("nan")
    if with_pdf:
        printed = len(list((out / "run").glob("*.pdf")))
        assert printed == len(jobs), f"{printed} PDFs for {len(jobs)} reports"
    manifest = json.loads((out / "run" / ".manifest.json").read_text(encoding="utf-8"))
    cells = sum(e.get("cell_seconds", 0) for e in manifest.values())
    export = sum(e.get("export_seconds", 0) for e in manifest.values())
    floor = cells + export
    t_naive = naive(jobs, data_dir, out / "naive") if with_naive else float("nan")
    return {
        "label": label,
        "jobs": len(jobs),
        "naive": t_naive,
        "cold": cold,
        "again": again,
        "pdf": pdf,
        "floor": floor,
        "cells": cells,
        "export": export,
    }


def report(r: dict) -> None:
    n = r["jobs"]
    print(f"{r['label']} batch ({n} jobs):")
    if r["naive"] == r["naive"]:
        print(f"  naive loop (papermill + nbconvert CLIs) {r['naive']:7.1f} s  ({r['naive'] / n:.1f} s a report)")
    print(f"  indicators run, cold                    {r['cold']:7.1f} s  ({r['cold'] / n:.2f} s a report)")
    print(f"  indicators run, nothing changed         {r['again']:7.1f} s")
    print(f"  floor: cells {r['cells']:.1f} s + export {r['export']:.1f} s = {r['floor']:.1f} s")
    if r["naive"] == r["naive"]:
        print(f"  cold vs naive: {r['naive'] / r['cold']:.1f}x faster (target >= 10x)")
    print(f"  cold / floor: {r['cold'] / r['floor']:.2f} (target <= 3)")
    print(f"  unchanged re-run: {r['again']:.2f} s (target < 3 s)")
    if r["pdf"] == r["pdf"]:
        cost = r["pdf"] - r["again"]
        print(
            f"  --pdf on the unchanged batch {r['pdf']:7.1f} s: printing costs {cost:.1f} s, "
            f"{cost / n:.2f} s a report (wall time, printed in parallel)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--synthetic-jobs", type=int, default=50)
    parser.add_argument("--skip-naive-synthetic", action="store_true", help="skip the ~8 min naive loop of 50+ jobs")
    parser.add_argument("--shipped-only", action="store_true", help="measure the shipped batch only")
    parser.add_argument("--skip-pdf", action="store_true", help="do not measure what --pdf costs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        data = tmp / "data"
        shutil.copytree(REPO / "data" / "raw", data / "raw")
        subprocess.run([str(BIN / "indicators"), "--data-dir", str(data), "build"], check=True, capture_output=True)
        shipped = measure("shipped", REPO / "reports.yaml", data, tmp, with_naive=True, with_pdf=not args.skip_pdf)
        report(shipped)
        if args.shipped_only:
            return
        doc = synthetic_batch(args.synthetic_jobs)
        doc.pop("_expected_at_least")
        synthetic_file = tmp / "synthetic.yaml"
        synthetic_file.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
        synthetic = measure(
            "synthetic", synthetic_file, data, tmp, with_naive=not args.skip_naive_synthetic, with_pdf=not args.skip_pdf
        )
        assert synthetic["jobs"] >= args.synthetic_jobs, synthetic["jobs"]
    report(synthetic)


if __name__ == "__main__":
    main()
