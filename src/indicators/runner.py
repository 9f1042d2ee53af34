"""Run report notebooks with papermill and write their offline HTML beside them.

``indicators reports`` (the main job of ``make reports``) runs the standard set on the shipped
data: a trend report for every indicator with enough data, the target-gap report of each plan,
the overview, the peer comparison and the data audit, then ``reports/index.html``.

A report that fails keeps papermill's executed notebook (with the error cell) as
``NAME.failed.ipynb``; the previous good HTML of that report is left as it was. Every file is
written to a temporary name and renamed into place.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import os
import re
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from . import __version__
from .build import read_version
from .catalog import load_observations, load_table
from .errors import ParameterError
from .html_export import notebook_to_html, report_css, write_atomic
from .paths import ENV_VAR, data_paths

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = {
    "trend": "trend_report.ipynb",
    "target_gap": "target_gap_report.ipynb",
    "overview": "overview.ipynb",
    "peers": "peer_comparison.ipynb",
    "audit": "data_audit.ipynb",
}
KIND_TITLES = {
    "trend": "趋势报告 / Trend reports",
    "target_gap": "目标差距报告 / Target-gap reports",
    "overview": "指标总览 / Overview",
    "peers": "新区比较 / Peer comparison",
    "audit": "数据审计 / Data audit",
}


@dataclass(frozen=True)
class ReportJob:
    """One report: which notebook, with which parameters, written under which name."""

    kind: str
    name: str
    parameters: dict = field(default_factory=dict)

    @property
    def notebook(self) -> str:
        return NOTEBOOKS[self.kind]


@dataclass(frozen=True)
class ReportRun:
    job: ReportJob
    ok: bool
    seconds: float
    html: Path | None
    notebook: Path | None
    title: str = ""
    error: str = ""


def notebooks_dir() -> Path:
    """The checkout's notebooks/ folder."""
    return REPO / "notebooks"


@contextlib.contextmanager
def _data_env(data_dir: str | os.PathLike[str] | None) -> Iterator[None]:
    """Kernels inherit the environment: point them at the data folder for the run."""
    if data_dir is None:
        yield
        return
    old = os.environ.get(ENV_VAR)
    os.environ[ENV_VAR] = str(Path(data_dir).resolve())
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(ENV_VAR, None)
        else:
            os.environ[ENV_VAR] = old


def _title(nb) -> str:
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/html", "")
            if isinstance(text, list):
                text = "".join(text)
            m = re.search(r"<h1>(.*?)</h1>", text or "", flags=re.S)
            if m:
                return html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip()
    return ""


def _error(nb) -> str:
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return f"{output.get('ename')}: {output.get('evalue')}"
    return "the notebook failed"


def run_report(
    job: ReportJob,
    *,
    out_dir: str | os.PathLike[str] = "reports",
    data_dir: str | os.PathLike[str] | None = None,
    timeout: int = 600,
    kernel_name: str = "python3",
) -> ReportRun:
    """Execute one report notebook with papermill and write ``NAME.ipynb`` and ``NAME.html``."""
    import papermill as pm

    if job.kind not in NOTEBOOKS:
        raise ParameterError("kind", job.kind, "not a report", f"use one of {', '.join(NOTEBOOKS)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    source = notebooks_dir() / job.notebook
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, _data_env(data_dir):
        executed = Path(tmp) / f"{job.name}.ipynb"
        try:
            pm.execute_notebook(
                str(source),
                str(executed),
                parameters=job.parameters,
                kernel_name=kernel_name,
                progress_bar=False,
                log_output=False,
                cwd=str(notebooks_dir()),
                execution_timeout=timeout,
            )
        except pm.PapermillExecutionError:
            failed = out / f"{job.name}.failed.ipynb"
            nb = nbformat.read(executed, as_version=4)
            write_atomic(failed, nbformat.writes(nb))
            return ReportRun(job, False, time.perf_counter() - start, None, failed, error=_error(nb))
        nb = nbformat.read(executed, as_version=4)
    title = _title(nb) or job.name
    page = notebook_to_html(nb, title=title)
    write_atomic(out / f"{job.name}.ipynb", nbformat.writes(nb))
    write_atomic(out / f"{job.name}.html", page)
    (out / f"{job.name}.failed.ipynb").unlink(missing_ok=True)
    return ReportRun(job, True, time.perf_counter() - start, out / f"{job.name}.html", out / f"{job.name}.ipynb", title)


def standard_jobs(*, language: str = "zh", data_dir: str | os.PathLike[str] | None = None) -> list[ReportJob]:
    """The report set of ``make reports``: trend reports for every indicator with at least two
    full-year levels in the West Coast New Area, each plan's target gap, the overview, the peer
    comparison and the data audit."""
    obs = load_observations(region="wcna", measure="level", include_derived=False, data_dir=data_dir)
    annual = obs[(obs["period_kind"] == "year") & (obs["status"] != "estimate")]
    counts = annual.groupby("indicator_id")["period"].nunique()
    jobs = [
        ReportJob("trend", f"trend_{ind}_wcna", {"indicator": ind, "region": "wcna", "language": language})
        for ind in sorted(counts[counts >= 2].index)
    ]
    plans = sorted(set(load_table("targets", data_dir=data_dir)["plan_id"]))
    jobs += [ReportJob("target_gap", f"target_gap_{p}", {"plan": p, "language": language}) for p in plans]
    jobs.append(ReportJob("overview", "overview_wcna", {"region": "wcna", "language": language}))
    jobs.append(ReportJob("peers", "peers_gdp", {"indicators": "gdp", "language": language}))
    jobs.append(ReportJob("audit", "data_audit", {"language": language}))
    return jobs


def write_index(runs: list[ReportRun], out_dir: str | os.PathLike[str], *, data_dir=None) -> Path:
    """``index.html``: every report grouped by kind, with its parameters and status, offline."""
    meta = read_version(data_dir) or {}
    groups = []
    for kind, heading in KIND_TITLES.items():
        rows = [r for r in runs if r.job.kind == kind]
        if not rows:
            continue
        items = []
        for r in rows:
            params = ", ".join(f"{k}={v}" for k, v in r.job.parameters.items())
            if r.ok:
                link = f'<a href="{html.escape(r.job.name)}.html">{html.escape(r.title or r.job.name)}</a>'
                status = f"{r.seconds:.1f} s"
            else:
                link = html.escape(r.job.name)
                status = (
                    f'failed: {html.escape(r.error)} (<a href="{html.escape(r.job.name)}.failed.ipynb">notebook</a>)'
                )
            items.append(f"<tr><td>{link}</td><td><code>{html.escape(params)}</code></td><td>{status}</td></tr>")
        groups.append(
            f"<h2>{html.escape(heading)}</h2><table class='ind-table'><tr><th>报告 / Report</th>"
            f"<th>参数 / Parameters</th><th>状态 / Status</th></tr>{''.join(items)}</table>"
        )
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    page = (
        '<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>indicators reports</title>'
        f"<style>{report_css()} body{{max-width:1080px;margin:0 auto;padding:24px 32px}}</style></head>"
        '<body class="jp-Notebook"><h1>青岛西海岸新区经济指标报告 / Reports</h1>'
        f"<p class='ind-meta'>数据版本 / data version <code>{html.escape(str(meta.get('data_version', '')))}</code> · "
        f"{stamp} · indicators {html.escape(__version__)}</p>{''.join(groups)}</body></html>"
    )
    path = Path(out_dir) / "index.html"
    write_atomic(path, page)
    return path


def run_reports(
    jobs: list[ReportJob] | None = None,
    *,
    out_dir: str | os.PathLike[str] = "reports",
    data_dir: str | os.PathLike[str] | None = None,
    log=print,
) -> list[ReportRun]:
    """Run jobs one after another (the standard set by default), then write the index."""
    data_paths(data_dir)  # fail early on a wrong data folder
    jobs = jobs if jobs is not None else standard_jobs(data_dir=data_dir)
    runs = []
    for i, job in enumerate(jobs, 1):
        run = run_report(job, out_dir=out_dir, data_dir=data_dir)
        runs.append(run)
        state = "ok" if run.ok else f"FAILED ({run.error})"
        log(f"[{i}/{len(jobs)}] {job.name}: {state} in {run.seconds:.1f} s")
    write_index(runs, out_dir, data_dir=data_dir)
    return runs
