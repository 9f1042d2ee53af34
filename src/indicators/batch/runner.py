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
* **One index**: ``index.html`` lists every report of the manifest, this run's or not, batch or
  ``indicators report`` (:mod:`indicators.batch.index`); it escapes every name, title and
  message, and its Content-Security-Policy lets only its own pinned script run.
* **PDF** (``pdf=True``): each report's ``NAME.pdf`` printed by headless Chromium
  (:mod:`indicators.batch.pdf`) while the batch runs; a PDF that fails fails alone, and the PDF
  of an unchanged report is not printed again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import fnmatch
import hashlib
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
from ..reporting.html_export import report_title
from ..version import __version__
from .connections import remove_stale_connection_files
from .index import INDEX, catalog_labels, offers_data, recover_entries, write_index
from .jobs import Job, data_digest, data_digests, fingerprint, notebooks_dir

MANIFEST = ".manifest.json"
#: What a failed run keeps of a report's entry: what describes the previous good files.
KEPT_ON_FAILURE = ("title", "data_version", "finished", "facts", "data_digest", "has_data", "pdf")


@dataclass
class JobOutcome:
    job: Job
    status: str  # ok, skipped, failed, stale
    seconds: float = 0.0
    title: str = ""
    error: str = ""
    cell_seconds: float = 0.0
    export_seconds: float = 0.0
    pdf: str = ""  # with --pdf: "printed", "kept" (unchanged and already there) or "failed"
    pdf_error: str = ""


@dataclass
class RunSummary:
    """What a run did; ``exit_code`` is 0 when nothing failed."""

    outcomes: list[JobOutcome] = field(default_factory=list)
    seconds: float = 0.0
    data_version: str = ""
    out_dir: Path = Path("reports")
    pdf: bool = False  # PDFs were asked for
    pdfs: dict[str, str] = field(default_factory=dict)  # name -> "" printed, else why it failed
    pdfs_kept: int = 0  # unchanged reports whose PDF was already there

    def count(self, *statuses: str) -> int:
        return sum(o.status in statuses for o in self.outcomes)

    @property
    def pdf_failures(self) -> dict[str, str]:
        return {name: error for name, error in self.pdfs.items() if error}

    @property
    def exit_code(self) -> int:
        return 1 if self.count("failed", "stale") or self.pdf_failures else 0

    def describe(self) -> str:
        pdfs = ""
        if self.pdf:
            printed = len(self.pdfs) - len(self.pdf_failures)
            pdfs = f"; PDF: {printed} printed, {self.pdfs_kept} up to date, {len(self.pdf_failures)} failed"
        return (
            f"{self.count('ok')} done, {self.count('skipped')} skipped (up to date), "
            f"{self.count('failed', 'stale')} failed in {self.seconds:.1f} s{pdfs}; index: {self.out_dir / INDEX}"
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

    def log_only(self, line: str) -> None:
        with self.lock:
            self._log(line)

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
    pdf: bool = False,
) -> RunSummary:
    """Run a batch (see the module docstring) and write the reports, manifest, index and log.

    ``generated_at`` (ISO time) is the time every report of the run shows; default: now.
    ``kernels``: from :func:`launch_kernels`; used, or shut down when the run ends.
    ``pdf``: also print each report's ``NAME.pdf`` (:mod:`indicators.batch.pdf`); without
    Chromium the run stops before anything runs.
    """
    try:
        return _run_jobs(
            jobs,
            out_dir=out_dir,
            data_dir=data_dir,
            workers=workers,
            force=force,
            only=only,
            scheduler=scheduler,
            data_url=data_url,
            max_reports=max_reports,
            generated_at=generated_at,
            kernels=kernels,
            stream=stream,
            pdf=pdf,
        )
    finally:
        for kernel in kernels or []:
            kernel.shutdown()  # a no-op for kernels the workers already shut down


def _is_fresh(out: Path, name: str, last: dict, print_: str, force: bool) -> bool:
    """Whether a report is up to date: made from the same inputs, and its files still there."""
    return (
        not force
        and last.get("status") == "ok"
        and last.get("fingerprint") == print_
        and (out / f"{name}.html").exists()
        and (out / f"{name}.ipynb").exists()
    )


def _run_jobs(
    jobs,
    *,
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
    pdf,
) -> RunSummary:
    from ..data.catalog import load_table

    start = time.perf_counter()
    paths = data_paths(data_dir)
    out = Path(out_dir)
    if only:
        jobs = [j for j in jobs if any(fnmatch.fnmatch(j.name, pattern) for pattern in only)]
        if not jobs:
            raise ParameterError("--only", " ".join(only), "matches no job", "see the names with --dry-run")
    chromium = None
    if pdf:
        from .pdf import find_chromium

        chromium = find_chromium()  # no browser: stop before anything runs
    with run_lock(out):
        remove_stale_temporaries(out)  # left by a run that was killed
        remove_stale_connection_files()  # and its kernels' connection files
        load_table("observations", data_dir=paths.root)  # builds data/processed/ if it is stale
        meta = read_version(paths.root) or {}
        version = str(meta.get("data_version", ""))
        shared, per = data_digests(paths.root)
        manifest = load_manifest(out)
        stamp = generated_at or dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        summary = RunSummary(data_version=version, out_dir=out, pdf=pdf)
        progress = Progress(len(jobs), stream=stream, log_file=out / "run.log")
        progress.message(f"indicators run: {len(jobs)} job(s), data version {version}, indicators {__version__}")
        printer = None
        if chromium:
            from .pdf import Printer

            printer = Printer(out, chromium, workers or os.cpu_count() or 2, log=progress.log_only)

        to_run: list[Job] = []
        prints: dict[str, str] = {}
        digests: dict[str, str] = {}
        for job in jobs:
            nb_hash = hashlib.sha256(_notebook_text(job).encode("utf-8")).hexdigest()[:16]
            prints[job.name] = fingerprint(job, nb_hash, shared, per, version, paths.root)
            digests[job.name] = data_digest(job, shared, per, version, paths.root)
            last = manifest.get(job.name, {})
            if _is_fresh(out, job.name, last, prints[job.name], force):
                outcome = JobOutcome(job, "skipped", title=last.get("title", ""))
                summary.outcomes.append(outcome)
                progress.step(outcome)
                if printer and last.get("pdf") == last.get("fingerprint") and (out / f"{job.name}.pdf").exists():
                    summary.pdfs_kept += 1
                elif printer:
                    printer.submit(job.name)
            else:
                to_run.append(job)

        to_run = longest_first(to_run, manifest)
        lock = threading.Lock()
        by_name = {j.name: j for j in to_run}

        def deliver(job: Job, result) -> None:
            outcome = write_result(out, job, result, manifest, prints[job.name], version, stamp, digests[job.name])
            with lock:
                summary.outcomes.append(outcome)
            progress.step(outcome)
            if printer and outcome.status == "ok":
                printer.submit(job.name)

        try:
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
        finally:
            if printer:
                summary.pdfs = printer.wait()
        for outcome in summary.outcomes if pdf else []:
            name = outcome.job.name
            if name in summary.pdfs:
                outcome.pdf, outcome.pdf_error = ("failed" if summary.pdfs[name] else "printed"), summary.pdfs[name]
            elif outcome.status == "skipped":
                outcome.pdf = "kept"
        manifest.update(recover_entries(out, manifest))  # pages the manifest lost: listed, not dropped
        for name, error in summary.pdfs.items():
            entry = manifest.get(name, {})
            if error:
                entry.pop("pdf", None)
                progress.message(f"{name}: PDF failed (the report itself is written): {error}")
            else:
                entry["pdf"] = entry.get("fingerprint", "")
        write_text_atomically(
            out / MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False, sort_keys=True), within=out
        )
        order = {j.name: i for i, j in enumerate(jobs)}
        summary.outcomes.sort(key=lambda o: order[o.job.name])
        write_index(
            out,
            manifest,
            data_version=version,
            outdated=_outdated(shared, per, version, paths.root),
            labels=_labels(paths.root),
        )
        summary.seconds = time.perf_counter() - start
        progress.message(summary.describe())
        return summary


def _outdated(shared: str, per: dict[str, str], version: str, data_dir) -> Callable[[str, dict], bool]:
    """Whether a manifest entry's report was made from other data than it would read now."""

    def outdated(name: str, entry: dict) -> bool:
        made_from = entry.get("data_digest")
        if made_from:
            try:
                job = Job(name, str(entry.get("notebook", "")), dict(entry.get("parameters") or {}))
                return data_digest(job, shared, per, version, data_dir) != made_from
            except (IndicatorsError, KeyError, TypeError, ValueError):
                pass
        return bool(entry.get("data_version")) and entry.get("data_version") != version

    return outdated


def _labels(data_dir) -> dict:
    try:
        return catalog_labels(data_dir)
    except (IndicatorsError, KeyError, OSError):  # the index then shows ids
        return {}


def longest_first(jobs: list[Job], manifest: dict) -> list[Job]:
    """The jobs in the order to start them: the longest by their last run first, jobs without a
    timing before them, so that no worker is left alone with a long report at the end."""
    return sorted(jobs, key=lambda j: -float(manifest.get(j.name, {}).get("seconds", math.inf)))


def write_result(
    out: Path, job: Job, result, manifest: dict, print_: str, version: str, stamp: str, digest: str = ""
) -> JobOutcome:
    """Write one job's files (temporary names, then renamed together, inside ``out`` only) and
    update its manifest entry (with what the index shows of it). The PDF of an earlier report made
    from other inputs no longer matches and is removed (``--pdf`` prints a new one)."""
    entry = manifest.get(job.name, {})
    if result.ok:
        with AtomicWrites(within=out) as files:
            files.text(out / f"{job.name}.ipynb", result.notebook)
            files.text(out / f"{job.name}.html", result.html)
        (out / f"{job.name}.failed.ipynb").unlink(missing_ok=True)
        keep_pdf = bool(print_) and entry.get("pdf") == print_  # printed from a report made of the same inputs
        if not keep_pdf:
            (out / f"{job.name}.pdf").unlink(missing_ok=True)
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
            "data_digest": digest,
            "facts": dict(getattr(result, "facts", None) or {}),
            "has_data": offers_data(result.html or ""),
            "finished": stamp,
            **({"pdf": print_} if keep_pdf else {}),
        }
        return JobOutcome(job, "ok", result.seconds, result.title, "", result.cell_seconds, result.export_seconds)
    write_text_atomically(out / f"{job.name}.failed.ipynb", result.notebook, within=out)
    has_old = (out / f"{job.name}.html").exists() and entry.get("title")
    status = "stale" if has_old else "failed"
    manifest[job.name] = {
        **({k: v for k, v in entry.items() if k in KEPT_ON_FAILURE} if has_old else {}),
        "status": status,
        "fingerprint": "",
        "kind": job.kind,
        "notebook": job.notebook,
        "parameters": job.parameters,
        "error": result.error,
        "failed": stamp,
    }
    return JobOutcome(job, status, result.seconds, entry.get("title", ""), result.error)


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
        fresh = _is_fresh(out, job.name, last, fingerprint(job, nb_hash, shared, per, version, paths.root), force)
        plan.append((job, "skip" if fresh else "run"))
    return plan


def run_report(job: Job, *, out_dir="reports", data_dir=None, force: bool = True, pdf: bool = False) -> JobOutcome:
    """Run one report (always, unless ``force=False`` and it is up to date), and with ``pdf``
    print its PDF; it joins the other reports of ``out_dir`` in the manifest and the index."""
    summary = run_jobs([job], out_dir=out_dir, data_dir=data_dir, workers=1, force=force, stream=io.StringIO(), pdf=pdf)
    return summary.outcomes[0]


__all__ = ["IndicatorsError", "JobOutcome", "RunSummary", "dry_run", "report_title", "run_jobs", "run_report"]
