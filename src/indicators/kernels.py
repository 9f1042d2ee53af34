"""Warm kernels: run report notebooks one after another in a kernel that has already imported
pandas, statsmodels, matplotlib and the package, so each report costs only its own cells.

Between reports the kernel is put back to the state of a fresh one: the names the previous
report defined are deleted, matplotlib's settings, the traceback mode and the output cache are
reset, and the execution counter starts again at 1, so the executed notebook is the same as from
a new kernel (a test runs the same jobs both ways and compares them). The kernel is restarted
after a failure, a timeout or a dead kernel, and after every ``max_reports`` reports.

:func:`execute_job` is what a worker does with one job, locally or on a Dask worker: papermill
injects the parameters, the warm kernel runs the notebook, the HTML is exported in-process, and
the executed notebook and HTML come back as text for the caller to write.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass, field

import nbformat

PREWARM = """
import indicators.report, indicators.target_gap, indicators.trend
import statsmodels.api, statsmodels.tsa.exponential_smoothing.ets
import matplotlib, matplotlib.figure
indicators.fonts.setup_matplotlib()
from indicators.build import data_version as _version, read_version as _built
from indicators.paths import data_paths as _paths
if (_built() or {}).get("data_version") == _version(_paths().raw):
    # read the tables once if they are built (never build here: the runner does)
    for _table in ("observations", "targets", "sources", "regions", "indicators", "plans", "units", "checks"):
        indicators.load_table(_table)
    del _table
del _version, _built, _paths
__indicators_baseline = set(get_ipython().user_ns) | {"__indicators_baseline"}
"""

RESET = """
def __indicators_reset():
    import sys
    ip = get_ipython()
    for name in [n for n in ip.user_ns if n not in __indicators_baseline]:
        del ip.user_ns[name]
    ip.displayhook.flush()
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    import matplotlib
    matplotlib.rcdefaults()
    ip.InteractiveTB.set_mode(mode="Context")
    ip.history_manager.reset(new_session=True)
    ip.execution_count = 1
__indicators_reset()  # its own name goes with the other user names
"""


class KernelFailure(Exception):
    """The kernel could not run the notebook (timeout, death): the kernel must be restarted."""


@dataclass
class WarmKernel:
    """One long-lived kernel (see the module docstring). Not thread-safe: one per worker."""

    kernel_name: str = "python3"
    cwd: str | None = None
    env: dict | None = None
    max_reports: int = 50
    startup_timeout: int = 120
    _km: object = field(default=None, repr=False)
    _kc: object = field(default=None, repr=False)
    runs_since_start: int = 0
    starts: int = 0

    def launch(self) -> None:
        """Start the kernel process and return at once (it boots while the caller works)."""
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        km = AsyncKernelManager(kernel_name=self.kernel_name)
        run_sync(km.start_kernel)(
            cwd=self.cwd,
            env={**os.environ, **(self.env or {})},
            # no history database: report kernels never need it, and a counter that starts
            # again at 1 would collide with the lines it already stored
            extra_arguments=["--IPKernelApp.log_level=ERROR", "--HistoryManager.enabled=False"],
        )
        self._km = km
        self._kc = None

    def wait(self) -> None:
        """Wait for the launched kernel and import what the reports use.

        Set-up code goes through a blocking client of our own; nbclient gets asynchronous
        clients (its cell timeout is an asyncio timer, which a blocking client would starve).
        """
        from jupyter_client.blocking import BlockingKernelClient

        kc = BlockingKernelClient()
        kc.load_connection_info(self._km.get_connection_info())
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=self.startup_timeout)
            self._execute_silently(PREWARM, timeout=self.startup_timeout, kc=kc)
        except Exception:
            kc.stop_channels()
            self._kill()
            raise
        self._kc = kc
        self.runs_since_start = 0
        self.starts += 1

    def start(self) -> None:
        self.launch()
        self.wait()

    def _execute_silently(self, code: str, timeout: int = 60, kc=None) -> None:
        kc = kc or self._kc
        reply = kc.execute_interactive(
            code, silent=True, store_history=False, timeout=timeout, output_hook=lambda msg: None
        )
        if reply["content"]["status"] != "ok":
            content = reply["content"]
            raise KernelFailure(f"kernel set-up failed: {content.get('ename')}: {content.get('evalue')}")

    @property
    def alive(self) -> bool:
        from jupyter_core.utils import run_sync

        return self._km is not None and bool(run_sync(self._km.is_alive)())

    def _kill(self) -> None:
        from jupyter_core.utils import run_sync

        if self._km is not None:
            with contextlib.suppress(RuntimeError):  # already gone
                run_sync(self._km.shutdown_kernel)(now=True)
        self._km = None

    def shutdown(self) -> None:
        if self._kc is not None:
            self._kc.stop_channels()
        self._kc = None
        self._kill()

    def restart(self) -> None:
        self.shutdown()
        self.start()

    def ready(self) -> None:
        """A clean kernel for the next report: started, reset, or restarted when due."""
        if self._km is not None and self._kc is None:
            self.wait()  # launched, not yet waited for
        elif not self.alive or self.runs_since_start >= self.max_reports:
            self.restart()
        elif self.runs_since_start:
            try:
                self._execute_silently(RESET)
            except Exception:
                self.restart()

    def run(self, nb, *, timeout: int) -> None:
        """Execute ``nb`` in place. Raises nbclient's CellExecutionError when a cell raises,
        :class:`KernelFailure` on a timeout or a dead kernel (the kernel is then restarted)."""
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

        self.ready()
        client = NotebookClient(
            nb, km=self._km, kernel_name=self.kernel_name, timeout=timeout, allow_errors=False, record_timing=True
        )
        self.runs_since_start += 1
        try:
            client.execute()
        except CellExecutionError:
            self.restart()  # a failure leaves unknown state behind
            raise
        except CellTimeoutError as exc:
            self.restart()
            raise KernelFailure(f"a cell ran past the timeout of {timeout} s ({exc.__class__.__name__})") from None
        except DeadKernelError:
            self.restart()
            raise KernelFailure(
                "the kernel died while running the notebook (out of memory, a crash, or os._exit)"
            ) from None
        except RuntimeError as exc:  # nbclient reports a dead kernel this way too
            if not self.alive:
                self.restart()
                raise KernelFailure(f"the kernel died while running the notebook ({exc})") from None
            raise
        finally:
            if client.kc is not None:  # nbclient leaves the clients of a kernel it does not own open
                client.kc.stop_channels()


@dataclass(frozen=True)
class JobResult:
    """What a worker sends back for one job: the executed notebook and HTML as text."""

    name: str
    ok: bool
    seconds: float
    notebook: str
    html: str | None = None
    title: str = ""
    error: str = ""
    cell_seconds: float = 0.0
    export_seconds: float = 0.0


def _cell_seconds(nb) -> float:
    """Time spent in the cells, from nbclient's per-cell timing metadata."""
    import datetime as dt

    total = 0.0
    for cell in nb.cells:
        ex = cell.get("metadata", {}).get("execution", {})
        start, end = ex.get("iopub.execute_input"), ex.get("shell.execute_reply")
        if start and end:
            t0 = dt.datetime.fromisoformat(start.replace("Z", "+00:00"))
            t1 = dt.datetime.fromisoformat(end.replace("Z", "+00:00"))
            total += (t1 - t0).total_seconds()
    return total


def strip_timing(nb) -> None:
    """Remove per-cell execution timestamps (they differ from run to run)."""
    for cell in nb.cells:
        cell.get("metadata", {}).pop("execution", None)


def _error_notebook(nb, message: str, path_hint: str) -> str:
    """The failed notebook with papermill's error banner (and a cell naming a timeout or death)."""
    import tempfile

    from papermill.exceptions import PapermillExecutionError
    from papermill.execute import raise_for_execution_errors

    with tempfile.TemporaryDirectory() as tmp:
        written = os.path.join(tmp, path_hint)
        try:
            raise_for_execution_errors(nb, written)  # adds the banner and anchor cells, writes, raises
        except PapermillExecutionError:
            with open(written, encoding="utf-8") as handle:
                return handle.read()
    banner = nbformat.v4.new_markdown_cell(
        f'<span style="color:red; font-family:Helvetica Neue, Helvetica, Arial, sans-serif; font-size:2em;">'
        f"An Exception was encountered: {message}</span>"
    )
    banner.metadata["tags"] = ["papermill-error-cell-tag"]
    nb.cells.insert(0, banner)
    return nbformat.writes(nb)


def error_of(nb) -> str:
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return f"{output.get('ename')}: {output.get('evalue')}"
    return "the notebook failed"


def _papermill_node(notebook_text: str):
    """The notebook as papermill loads it (papermill metadata, a tags list on every cell)."""
    import tempfile

    from papermill.iorw import load_notebook_node

    with tempfile.NamedTemporaryFile("w", suffix=".ipynb", encoding="utf-8") as handle:
        handle.write(notebook_text)
        handle.flush()
        return load_notebook_node(handle.name)


def execute_job(name: str, notebook_text: str, parameters: dict, *, kernel: WarmKernel, timeout: int) -> JobResult:
    """Run one report (see the module docstring)."""
    from nbclient.exceptions import CellExecutionError
    from papermill.parameterize import parameterize_notebook

    from .html_export import notebook_to_html
    from .runner import report_title

    start = time.perf_counter()
    nb = _papermill_node(notebook_text)
    nb = parameterize_notebook(nb, parameters, kernel_name=kernel.kernel_name, language="python")
    for cell in nb.cells:  # papermill gives the injected cell a random id: the same report, the same file
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"
    try:
        kernel.run(nb, timeout=timeout)
    except CellExecutionError:
        return JobResult(
            name, False, time.perf_counter() - start, _error_notebook(nb, "", f"{name}.ipynb"), error=error_of(nb)
        )
    except KernelFailure as exc:
        return JobResult(
            name, False, time.perf_counter() - start, _error_notebook(nb, str(exc), f"{name}.ipynb"), error=str(exc)
        )
    cells = _cell_seconds(nb)
    strip_timing(nb)
    title = report_title(nb) or name
    t_export = time.perf_counter()
    page = notebook_to_html(nb, title=title)
    export = time.perf_counter() - t_export
    return JobResult(
        name,
        True,
        time.perf_counter() - start,
        nbformat.writes(nb),
        page,
        title,
        cell_seconds=cells,
        export_seconds=export,
    )
