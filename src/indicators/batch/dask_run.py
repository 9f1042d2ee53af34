"""The same batch on a Dask distributed cluster: ``indicators run --scheduler tcp://host:8786``.

Each task carries what a worker needs: the job's name, the notebook's text, its parameters, the
data version, and where to read the data (a path the workers share, or an fsspec URL such as
``s3://bucket/indicators/data`` whose ``raw/`` folder the worker copies and builds). The worker
runs the notebook on a warm kernel of its own and returns the executed notebook and HTML; the
client writes them, so workers need no shared report folder.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from ..errors import IndicatorsError
from .jobs import Job, notebooks_dir

_KERNELS: dict[tuple[str, str], object] = {}
_DATA: dict[str, Path] = {}
_LOCK = threading.Lock()


class DataVersionError(IndicatorsError, RuntimeError):
    """A worker reads other data than the client (a stale copy, another checkout)."""


def _local_data(data_path: str | None, data_url: str | None, version: str) -> Path:
    """The data folder on this worker: the shared path, or a built copy of ``data_url``/raw."""
    from ..data.build import build, data_version

    if data_path and Path(data_path, "raw").is_dir():
        root = Path(data_path)
    elif data_url:
        if data_url not in _DATA:
            import fsspec

            root = Path(tempfile.mkdtemp(prefix="indicators-data-")) / "data"
            (root / "raw").mkdir(parents=True)
            fs, base = fsspec.core.url_to_fs(data_url)
            for remote in fs.glob(base.rstrip("/") + "/raw/*.csv"):
                fs.get(remote, str(root / "raw" / Path(remote).name))
            build(root)
            _DATA[data_url] = root
            atexit.register(shutil.rmtree, root.parent, True)
        root = _DATA[data_url]
    else:
        raise DataVersionError(
            f"this worker cannot read the data: {data_path!r} has no raw/ folder and no data URL was given. "
            "Fix: put the data on a path every worker sees, or pass --data-url (an fsspec URL)"
        )
    found = data_version(root / "raw")
    if found != version:
        raise DataVersionError(
            f"the worker's data ({root}) has version {found}, the client's {version}. "
            "Fix: give the workers the same data (shared path or --data-url)"
        )
    return root


def run_task(
    name: str,
    notebook_text: str,
    parameters: dict,
    timeout: int,
    data_path: str | None,
    data_url: str | None,
    version: str,
    stamp: str,
    max_bytes: int | None = None,
):
    """Run on a Dask worker: one job on this worker process's warm kernel."""
    from ..data.paths import ENV_VAR
    from .kernels import WarmKernel, execute_job

    with _LOCK:  # one kernel per worker process and data; tasks on one worker take turns
        root = _local_data(data_path, data_url, version)
        key = (str(root), stamp)
        kernel = _KERNELS.get(key)
        if kernel is None:
            for old in _KERNELS.values():
                old.shutdown()
            _KERNELS.clear()
            cwd = notebooks_dir() if notebooks_dir().is_dir() else Path(tempfile.gettempdir())
            kernel = WarmKernel(cwd=str(cwd), env={ENV_VAR: str(root), "INDICATORS_GENERATED_AT": stamp})
            _KERNELS[key] = kernel
            atexit.register(kernel.shutdown)
        return execute_job(name, notebook_text, parameters, kernel=kernel, timeout=timeout, max_bytes=max_bytes)


def execute_dask(
    jobs: list[Job],
    *,
    scheduler,
    data_dir: Path,
    data_url: str | None,
    data_version: str,
    stamp: str,
    deliver: Callable,
) -> None:
    """Submit every job to the cluster at ``scheduler`` (an address, or a ``distributed.Client``
    or cluster object) and hand each result to ``deliver`` as it arrives."""
    from distributed import Client, as_completed

    owns = isinstance(scheduler, str)
    client = Client(scheduler) if owns else (scheduler if isinstance(scheduler, Client) else Client(scheduler))
    try:
        futures = [
            client.submit(
                run_task,
                job.name,
                (notebooks_dir() / job.notebook).read_text(encoding="utf-8"),
                job.parameters,
                job.timeout,
                None if data_url else str(data_dir),
                data_url,
                data_version,
                stamp,
                job.max_report_bytes,
                key=f"indicators-{job.name}-{stamp}",
                pure=False,
            )
            for job in jobs
        ]
        for future in as_completed(futures):
            deliver(future.result())
    finally:
        if owns or not isinstance(scheduler, Client):
            client.close()


def local_cluster(n_workers: int = 2):
    """A LocalCluster for trying the Dask path on one machine (tests, demos)."""
    from distributed import LocalCluster

    os.environ.setdefault("DASK_DISTRIBUTED__WORKER__DAEMON", "False")  # workers start kernel processes
    return LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None)
