"""``indicators run``: the report batch, fast, incremental and fault-isolated.

* **Fast**: jobs run in parallel on warm kernels (:mod:`indicators.batch.kernels`), one per worker,
  and HTML is exported in-process; on a Dask cluster with ``scheduler=`` (:mod:`indicators.batch.dask_run`).
* **Incremental**: a job whose fingerprint (notebook, parameters, package version and code, and the
  data it reads) matches its last successful run is skipped (``reports/.manifest.json``).
* **Fault-isolated**: a report that raises, times out or kills its kernel fails alone; its
  notebook is kept as ``NAME.failed.ipynb`` with papermill's error cell and linked from the
  index; its previous good HTML stays, marked stale. So does a report over its size limit.
  Every file is written to a temporary name and renamed (:mod:`indicators.atomic`), inside the
  output folder only; a report's notebook and HTML are renamed together. A lock keeps two runs (a
  cron overlap) from writing the same folder; temporaries of a killed run are removed by the next.
* **Safe to share**: the index escapes every name, title and message, and carries the same
  Content-Security-Policy as the reports (no script runs).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import fnmatch
import hashlib
import html
import io
import json
import math
import os
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import AtomicWrites, remove_stale_temporaries, write_error, write_text_atomically
from ..data.build import read_version
from ..data.paths import ENV_VAR, data_paths
from ..errors import IndicatorsError, LockError, ParameterError
from ..reporting.html_export import CSP_META, report_css, report_title
from ..version import __version__
from .connections import remove_stale_connection_files
from .jobs import Job, data_digests, fingerprint, notebooks_dir

MANIFEST = ".manifest.json"
KIND_TITLES = {
    "trend": "趋势报告 / Trend reports",
    "target_gap": "目标差距报告 / Target-gap reports",
    "overview": "指标总览 / Overview",
    "peers": "新区比较 / Peer comparison",
    "audit": "数据审计 / Data audit",
}
STATUS_TEXT = {
    "ok": "生成 / done",
    "skipped": "无变化，跳过 / up to date",
    "failed": "失败 / failed",
    "stale": "失败，保留旧版 / failed, previous report kept (stale)",
}


@dataclass
class JobOutcome:
    job: Job
    status: str  # ok, skipped, failed, stale
    seconds: float = 0.0
    title: str = ""
    error: str = ""
    cell_seconds: float = 0.0
    export_seconds: float = 0.0


@dataclass
class RunSummary:
    """What a run did; ``exit_code`` is 0 when nothing failed."""

    outcomes: list[JobOutcome] = field(default_factory=list)
    seconds: float = 0.0
    data_version: str = ""
    out_dir: Path = Path("reports")

    def count(self, *statuses: str) -> int:
        return sum(o.status in statuses for o in self.outcomes)

    @property
    def exit_code(self) -> int:
        return 1 if self.count("failed", "stale") else 0

    def describe(self) -> str:
        return (
            f"{self.count('ok')} done, {self.count('skipped')} skipped (up to date), "
            f"{self.count('failed', 'stale')} failed in {self.seconds:.1f} s; index: {self.out_dir / 'index.html'}"
        )


# -- lock, manifest --------------------------------------------------------------------------


@contextlib.contextmanager
def run_lock(out_dir: Path) -> Iterator[None]:
    """An exclusive lock on the report folder; a second run gets a clear message."""
    path = out_dir / ".run.lock"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the whole run
    except OSError as exc:
        raise write_error(exc, out_dir) from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise LockError(
                f"another `indicators run` is writing {out_dir} ({holder}). It was left alone; "
                "this run did nothing. Wait for it to finish, or give this run another --out folder"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M:%S} UTC")
        handle.flush()
        yield
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def load_manifest(out_dir: Path) -> dict:
    path = out_dir / MANIFEST
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return {}  # a damaged manifest only costs a full run


# -- progress ----------------------------------------------------------------------------------


class Progress:
    """A progress bar on a terminal, plain log lines otherwise (cron); both go to ``log``."""

    def __init__(self, total: int, *, stream=None, log_file: Path | None = None):
        self.total, self.done = total, 0
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.log_file = log_file
        self.lock = threading.Lock()

    def _log(self, line: str) -> None:
        if self.log_file is not None:
            try:
                with open(self.log_file, "a", encoding="utf-8") as handle:
                    handle.write(f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M:%S} {line}\n")
            except OSError as exc:
                raise write_error(exc, self.log_file) from None

    def message(self, line: str) -> None:
        with self.lock:
            self._log(line)
            if self.tty:
                self.stream.write("\r\033[K" + line + "\n")
            else:
                self.stream.write(line + "\n")
            self.stream.flush()

    def step(self, outcome: JobOutcome) -> None:
        with self.lock:
            self.done += 1
            tail = f" ({outcome.error})" if outcome.error else ""
            line = f"[{self.done}/{self.total}] {outcome.job.name}: {outcome.status} in {outcome.seconds:.1f} s{tail}"
            self._log(line)
            if self.tty:
                width = 30
                filled = int(width * self.done / max(self.total, 1))
                bar = "#" * filled + "." * (width - filled)
                if outcome.status != "ok":
                    self.stream.write("\r\033[K" + line + "\n")
                self.stream.write(f"\r\033[K[{bar}] {self.done}/{self.total} {outcome.job.name}")
                if self.done == self.total:
                    self.stream.write("\n")
            else:
                self.stream.write(line + "\n")
            self.stream.flush()


# -- execution ---------------------------------------------------------------------------------


def _notebook_text(job: Job) -> str:
    return (notebooks_dir() / job.notebook).read_text(encoding="utf-8")


def _kernel_env(data_dir: Path, stamp: str) -> dict[str, str]:
    return {ENV_VAR: str(data_dir), "INDICATORS_GENERATED_AT": stamp}


def launch_kernels(workers: int, *, data_dir, generated_at: str, max_reports: int = 50) -> list:
    """Start kernel processes now, to boot while the caller reads and checks the batch; give
    them to :func:`run_jobs` (``kernels=``, the same ``generated_at``), which uses them or shuts
    them down. Worth it only when reports will run (a first run, ``--force``)."""
    from .kernels import WarmKernel

    env = _kernel_env(data_paths(data_dir).root, generated_at)
    kernels = [WarmKernel(cwd=str(notebooks_dir()), env=env, max_reports=max_reports) for _ in range(max(1, workers))]
    for kernel in kernels:
        kernel.launch()
    return kernels


def execute_local(
    jobs: list[Job],
    *,
    workers: int,
    env: dict[str, str],
    max_reports: int,
    deliver: Callable,
    kernels: list | None = None,
) -> None:
    """Run jobs on ``workers`` threads, each driving its own warm kernel (``kernels`` launched
    already, or new ones); ``deliver`` gets each :class:`~indicators.batch.kernels.JobResult` as it is ready."""
    from .kernels import WarmKernel, execute_job

    todo: queue.Queue[Job] = queue.Queue()
    for job in jobs:
        todo.put(job)
    errors: list[BaseException] = []
    n = max(1, min(workers, len(jobs)))
    kernels = list(kernels or [])[:n]
    while len(kernels) < n:
        kernel = WarmKernel(cwd=str(notebooks_dir()), env=env, max_reports=max_reports)
        kernel.launch()  # the kernels boot while this process imports the export machinery
        kernels.append(kernel)
    from ..reporting.html_export import _exporter
    from .kernels import _papermill_node  # noqa: F401 - imports papermill now, not in the first job

    _exporter()

    def worker(kernel: WarmKernel) -> None:
        try:
            while True:
                try:
                    job = todo.get_nowait()
                except queue.Empty:
                    return
                result = execute_job(
                    job.name,
                    _notebook_text(job),
                    job.parameters,
                    kernel=kernel,
                    timeout=job.timeout,
                    max_bytes=job.max_report_bytes,
                )
                deliver(job, result)
        except BaseException as exc:  # a kernel that cannot start, a full disk: stop every worker, report
            errors.append(exc)
            with contextlib.suppress(queue.Empty):
                while True:
                    todo.get_nowait()
        finally:
            kernel.shutdown()

    threads = [threading.Thread(target=worker, args=(kernel,), daemon=True) for kernel in kernels]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def run_jobs(
    jobs: list[Job],
    *,
    out_dir: str | os.PathLike[str] = "reports",
    data_dir: str | os.PathLike[str] | None = None,
    workers: int | None = None,
    force: bool = False,
    only: list[str] | None = None,
    scheduler: str | None = None,
    data_url: str | None = None,
    max_reports: int = 50,
    generated_at: str | None = None,
    kernels: list | None = None,
    stream=None,
) -> RunSummary:
    """Run a batch (see the module docstring) and write the reports, manifest, index and log.

    ``generated_at`` (ISO time) is the time every report of the run shows; default: now.
    ``kernels``: from :func:`launch_kernels`; used, or shut down when the run ends.
    """
    try:
        return _run_jobs(
            jobs,
            out_dir,
            data_dir,
            workers,
            force,
            only,
            scheduler,
            data_url,
            max_reports,
            generated_at,
            kernels,
            stream,
        )
    finally:
        for kernel in kernels or []:
            kernel.shutdown()  # a no-op for kernels the workers already shut down


def _run_jobs(
    jobs, out_dir, data_dir, workers, force, only, scheduler, data_url, max_reports, generated_at, kernels, stream
) -> RunSummary:
    from ..data.catalog import load_table

    start = time.perf_counter()
    paths = data_paths(data_dir)
    out = Path(out_dir)
    if only:
        jobs = [j for j in jobs if any(fnmatch.fnmatch(j.name, pattern) for pattern in only)]
        if not jobs:
            raise ParameterError("--only", " ".join(only), "matches no job", "see the names with --dry-run")
    with run_lock(out):
        remove_stale_temporaries(out)  # left by a run that was killed
        remove_stale_connection_files()  # and its kernels' connection files
        load_table("observations", data_dir=paths.root)  # builds data/processed/ if it is stale
        meta = read_version(paths.root) or {}
        version = str(meta.get("data_version", ""))
        shared, per = data_digests(paths.root)
        manifest = load_manifest(out)
        stamp = generated_at or dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        summary = RunSummary(data_version=version, out_dir=out)
        progress = Progress(len(jobs), stream=stream, log_file=out / "run.log")
        progress.message(f"indicators run: {len(jobs)} job(s), data version {version}, indicators {__version__}")

        to_run: list[Job] = []
        prints: dict[str, str] = {}
        for job in jobs:
            nb_hash = hashlib.sha256(_notebook_text(job).encode("utf-8")).hexdigest()[:16]
            prints[job.name] = fingerprint(job, nb_hash, shared, per, version, paths.root)
            last = manifest.get(job.name, {})
            fresh = (
                not force
                and last.get("status") == "ok"
                and last.get("fingerprint") == prints[job.name]
                and (out / f"{job.name}.html").exists()
            )
            if fresh:
                outcome = JobOutcome(job, "skipped", title=last.get("title", ""))
                summary.outcomes.append(outcome)
                progress.step(outcome)
            else:
                to_run.append(job)

        to_run = longest_first(to_run, manifest)
        lock = threading.Lock()
        by_name = {j.name: j for j in to_run}

        def deliver(job: Job, result) -> None:
            outcome = write_result(out, job, result, manifest, prints[job.name], version, stamp)
            with lock:
                summary.outcomes.append(outcome)
            progress.step(outcome)

        if to_run:
            if scheduler:
                from .dask_run import execute_dask

                execute_dask(
                    to_run,
                    scheduler=scheduler,
                    data_dir=paths.root,
                    data_url=data_url,
                    data_version=version,
                    stamp=stamp,
                    deliver=lambda r: deliver(by_name[r.name], r),
                )
            else:
                execute_local(
                    to_run,
                    workers=workers or os.cpu_count() or 2,
                    env=_kernel_env(paths.root, stamp),
                    max_reports=max_reports,
                    deliver=deliver,
                    kernels=kernels,
                )
        write_text_atomically(
            out / MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False, sort_keys=True), within=out
        )
        order = {j.name: i for i, j in enumerate(jobs)}
        summary.outcomes.sort(key=lambda o: order[o.job.name])
        write_index(summary.outcomes, out, manifest, version)
        summary.seconds = time.perf_counter() - start
        progress.message(summary.describe())
        return summary


def longest_first(jobs: list[Job], manifest: dict) -> list[Job]:
    """The jobs in the order to start them: the longest by their last run first, jobs without a
    timing before them, so that no worker is left alone with a long report at the end."""
    return sorted(jobs, key=lambda j: -float(manifest.get(j.name, {}).get("seconds", math.inf)))


def write_result(out: Path, job: Job, result, manifest: dict, print_: str, version: str, stamp: str) -> JobOutcome:
    """Write one job's files (temporary names, then renamed together, inside ``out`` only) and
    update its manifest entry."""
    entry = manifest.get(job.name, {})
    if result.ok:
        with AtomicWrites(within=out) as files:
            files.text(out / f"{job.name}.ipynb", result.notebook)
            files.text(out / f"{job.name}.html", result.html)
        (out / f"{job.name}.failed.ipynb").unlink(missing_ok=True)
        manifest[job.name] = {
            "status": "ok",
            "fingerprint": print_,
            "title": result.title,
            "kind": job.kind,
            "notebook": job.notebook,
            "parameters": job.parameters,
            "seconds": round(result.seconds, 2),
            "cell_seconds": round(result.cell_seconds, 3),
            "export_seconds": round(result.export_seconds, 3),
            "data_version": version,
            "finished": stamp,
        }
        return JobOutcome(job, "ok", result.seconds, result.title, "", result.cell_seconds, result.export_seconds)
    write_text_atomically(out / f"{job.name}.failed.ipynb", result.notebook, within=out)
    has_old = (out / f"{job.name}.html").exists() and entry.get("title")
    status = "stale" if has_old else "failed"
    manifest[job.name] = {
        **{k: v for k, v in entry.items() if k in ("title", "data_version", "finished")},
        "status": status,
        "fingerprint": "",
        "kind": job.kind,
        "notebook": job.notebook,
        "parameters": job.parameters,
        "error": result.error,
        "failed": stamp,
    }
    return JobOutcome(job, status, result.seconds, entry.get("title", ""), result.error)


def write_index(outcomes: list[JobOutcome], out_dir: Path, manifest: dict, version: str) -> Path:
    """``index.html``: every report grouped by kind with its parameters, status, duration and
    data version; failed ones link their notebook, stale ones the previous report too."""
    groups = []
    kinds = list(KIND_TITLES) + sorted({o.job.kind for o in outcomes} - set(KIND_TITLES))
    for kind in kinds:
        rows = [o for o in outcomes if o.job.kind == kind]
        if not rows:
            continue
        items = []
        for o in rows:
            name = html.escape(o.job.name)
            entry = manifest.get(o.job.name, {})
            title = html.escape(o.title or entry.get("title") or o.job.name)
            params = html.escape(", ".join(f"{k}={v}" for k, v in o.job.parameters.items()))
            status = STATUS_TEXT[o.status]
            if o.status in ("ok", "skipped"):
                link = f'<a href="{name}.html">{title}</a>'
            elif o.status == "stale":
                link = f'<a href="{name}.html">{title}</a> <em>(stale)</em>'
            else:
                link = title
            if o.status in ("failed", "stale"):
                status += f': {html.escape(o.error)} (<a href="{name}.failed.ipynb">notebook</a>)'
            seconds = f"{o.seconds:.1f} s" if o.status != "skipped" else f"{entry.get('seconds', 0):.1f} s"
            items.append(
                f"<tr><td>{link}</td><td><code>{params}</code></td><td>{status}</td><td>{seconds}</td>"
                f"<td><code>{html.escape(str(entry.get('data_version', '')))}</code></td></tr>"
            )
        groups.append(
            f"<h2>{html.escape(KIND_TITLES.get(kind, kind))}</h2><table class='ind-table'><tr>"
            "<th>报告 / Report</th><th>参数 / Parameters</th><th>状态 / Status</th><th>用时 / Time</th>"
            f"<th>数据版本 / Data</th></tr>{''.join(items)}</table>"
        )
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    page = (
        f'<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8">{CSP_META}<title>indicators reports</title>'
        f"<style>{report_css()} body{{max-width:1180px;margin:0 auto;padding:24px 32px}}</style></head>"
        '<body class="jp-Notebook"><h1>青岛西海岸新区经济指标报告 / Reports</h1>'
        f"<p class='ind-meta'>数据版本 / data version <code>{html.escape(version)}</code> · {stamp} · "
        f"indicators {html.escape(__version__)} · "
        f"{sum(o.status in ('ok', 'skipped') for o in outcomes)} / {len(outcomes)} ok</p>"
        f"{''.join(groups)}</body></html>"
    )
    path = out_dir / "index.html"
    write_text_atomically(path, page, within=out_dir)
    return path


def dry_run(jobs: list[Job], *, out_dir="reports", data_dir=None, force=False, only=None) -> list[tuple[Job, str]]:
    """What a run would do with each job: ``run`` or ``skip`` (up to date)."""
    paths = data_paths(data_dir)
    out = Path(out_dir)
    if only:
        jobs = [j for j in jobs if any(fnmatch.fnmatch(j.name, p) for p in only)]
    from ..data.catalog import load_table

    load_table("observations", data_dir=paths.root)
    version = str((read_version(paths.root) or {}).get("data_version", ""))
    shared, per = data_digests(paths.root)
    manifest = load_manifest(out)
    plan = []
    for job in jobs:
        nb_hash = hashlib.sha256(_notebook_text(job).encode("utf-8")).hexdigest()[:16]
        last = manifest.get(job.name, {})
        fresh = (
            not force
            and last.get("status") == "ok"
            and last.get("fingerprint") == fingerprint(job, nb_hash, shared, per, version, paths.root)
            and (out / f"{job.name}.html").exists()
        )
        plan.append((job, "skip" if fresh else "run"))
    return plan


def run_report(job: Job, *, out_dir="reports", data_dir=None, force: bool = True) -> JobOutcome:
    """Run one report (always, unless ``force=False`` and it is up to date)."""
    summary = run_jobs([job], out_dir=out_dir, data_dir=data_dir, workers=1, force=force, stream=io.StringIO())
    return summary.outcomes[0]


__all__ = ["IndicatorsError", "JobOutcome", "RunSummary", "dry_run", "report_title", "run_jobs", "run_report"]
