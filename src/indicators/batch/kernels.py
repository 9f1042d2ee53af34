"""Warm kernels: run report notebooks one after another in a kernel that has already imported
pandas, statsmodels, matplotlib and the package, so each report costs only its own cells.

The kernel does those imports while it boots (IPython's ``exec_lines``), so they run while the
caller reads the batch; it is driven through one client that stays connected from report to
report (a new client per notebook would cost 0.2 s of waiting each).

Between reports the kernel is put back to the state of a fresh one: the names the previous
report defined are deleted, matplotlib's settings, the traceback mode and the output cache are
reset, and the execution counter starts again at 1, so the executed notebook is the same as from
a new kernel (a test runs the same jobs both ways and compares them). The kernel is restarted
after a failure, a timeout or a dead kernel, and after every ``max_reports`` reports.

:func:`execute_job` is what a worker does with one job, locally or on a Dask worker: papermill
injects the parameters, the warm kernel runs the notebook, the HTML is exported in-process, and
the executed notebook and HTML come back as text for the caller to write. It behaves as papermill
does: outputs and error cells of an earlier run are cleared first; ``sys.exit()``,
``sys.exit(0)`` and ``raise SystemExit`` end a notebook cleanly; a failed notebook gets
papermill's banner linking to the failing cell (also when the cell left no error output, as a
failing line magic, a timeout or a dead kernel). A report whose notebook or HTML is over its size
limit fails with the reason, its oversized outputs left out of the failed notebook.

A kernel's connection file (it holds the kernel's key) is ``indicators-kernel-PID-….json`` in
Jupyter's runtime folder (:mod:`.connections`): removed when the kernel stops.
"""

from __future__ import annotations

import contextlib
import os
import queue
import textwrap
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import nbformat

from .connections import new_connection_file, remove_stale_connection_files

PREWARM = """
def __indicators_prewarm():
    # modules imported and tables read, but no names left behind: a report sees the namespace
    # of a fresh kernel (one that forgets an import fails here as it would there)
    import indicators.reporting, indicators.analysis.target_gap, indicators.analysis.trend
    import statsmodels.api, statsmodels.tsa.exponential_smoothing.ets
    import matplotlib.figure
    from indicators.data.build import data_version, read_version
    from indicators.data.paths import data_paths

    indicators.reporting.fonts.setup_matplotlib()
    if (read_version() or {}).get("data_version") == data_version(data_paths().raw):
        # read the tables once if they are built (never build here: the runner does)
        for table in ("observations", "targets", "sources", "regions", "indicators", "plans", "units", "checks"):
            indicators.load_table(table)
__indicators_prewarm()
del __indicators_prewarm
__indicators_baseline = set(get_ipython().user_ns) | {"__indicators_baseline"}
"""

# The kernel runs PREWARM while it boots (``exec_lines``), in parallel with whatever the caller
# does meanwhile; an error there is only logged by IPython, so :meth:`WarmKernel.wait` runs it
# again when the baseline is missing, and that run reports the error.
ENSURE_WARM = "try:\n    __indicators_baseline\nexcept NameError:\n" + textwrap.indent(PREWARM.strip("\n"), "    ")

RESET = """
def __indicators_reset():
    import sys
    ip = get_ipython()
    for name in [n for n in ip.user_ns if n not in __indicators_baseline]:
        del ip.user_ns[name]
    # the output cache, as displayhook.flush() empties it but without its full garbage
    # collection (0.1 s a report; the collector runs on its own)
    dh = ip.displayhook
    dh._, dh.__, dh.___ = "", "", ""
    ip.user_ns.update({"_": "", "__": "", "___": ""})
    ip.user_ns["_oh"].clear()
    for name in [n for n in ip.user_ns_hidden if n[:1] == "_" and n[1:].isdigit()]:
        del ip.user_ns_hidden[name]
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
    """The kernel could not run the notebook (timeout, death): the kernel must be restarted.
    ``cell_index`` is the cell that was running, where known."""

    def __init__(self, message: str, cell_index: int | None = None, ename: str = "KernelFailure"):
        super().__init__(message)
        self.cell_index = cell_index
        self.ename = ename


_SWEPT: set[int] = set()  # processes that removed stale connection files already


def clean_exit(ename: str | None, evalue: str | None) -> bool:
    """``sys.exit()``, ``sys.exit(0)``, ``raise SystemExit``: a clean end of the notebook, as
    papermill counts it (its ``raise_for_execution_errors``)."""
    return ename == "SystemExit" and (evalue or "") in ("", "0")


async def _handshake(kc, km, timeout: float) -> None:
    """Wait until the kernel answers on ``kc``'s shell channel and its output channel is
    connected (a message arrives there), as jupyter_client's ``wait_for_ready`` does, without
    its final 0.2 s wait for further output."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kc.kernel_info()
        try:
            reply = await kc.shell_channel.get_msg(timeout=1)
        except queue.Empty:
            if not await km.is_alive():
                raise KernelFailure("the kernel died while starting") from None
            continue
        if reply["msg_type"] != "kernel_info_reply":
            continue
        try:
            await kc.iopub_channel.get_msg(timeout=0.2)  # the kernel_info request's status
        except queue.Empty:
            continue  # output channel not connected yet: ask again
        return
    raise KernelFailure(f"the kernel did not answer within {timeout} s")


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
    _kc_thread: int = field(default=0, repr=False)
    _warm: bool = field(default=False, repr=False)
    runs_since_start: int = 0
    starts: int = 0

    def launch(self) -> None:
        """Start the kernel process and return at once (it boots while the caller works)."""
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        if os.getpid() not in _SWEPT:  # once per process (a Dask worker): files of kernels whose runner was killed
            remove_stale_connection_files()
            _SWEPT.add(os.getpid())
        km = AsyncKernelManager(kernel_name=self.kernel_name, connection_file=str(new_connection_file()))
        run_sync(km.start_kernel)(
            cwd=self.cwd,
            env={**os.environ, **(self.env or {})},
            # no history database: report kernels never need it, and a counter that starts
            # again at 1 would collide with the lines it already stored
            extra_arguments=[
                "--IPKernelApp.log_level=ERROR",
                "--HistoryManager.enabled=False",
                f"--IPKernelApp.exec_lines={PREWARM}",
            ],
        )
        self._km = km
        self._kc = None

    def wait(self) -> None:
        """Wait for the launched kernel to finish booting (it imports what the reports use)."""
        try:
            self._client()
            self._execute_silently(ENSURE_WARM, timeout=self.startup_timeout)
        except Exception:
            self._close_client()
            self._kill()
            raise
        self._warm = True
        self.runs_since_start = 0
        self.starts += 1

    def start(self) -> None:
        self.launch()
        self.wait()

    def _client(self):
        """The kernel's client: asynchronous (nbclient's cell timeout is an asyncio timer, which a
        blocking client would starve), made once per kernel and thread and kept, so a report does
        not pay for a new client's start-up (jupyter_client's ``wait_for_ready`` alone idles 0.2 s)."""
        from jupyter_core.utils import run_sync

        thread = threading.get_ident()
        if self._kc is None or self._kc_thread != thread:  # an event loop belongs to one thread
            self._close_client()
            kc = self._km.client()
            kc.allow_stdin = False
            kc.start_channels()
            try:
                run_sync(_handshake)(kc, self._km, self.startup_timeout)
            except BaseException:
                kc.stop_channels()
                raise
            self._kc, self._kc_thread = kc, thread
        return self._kc

    def _close_client(self) -> None:
        if self._kc is not None:
            self._kc.stop_channels()
        self._kc = None

    def _execute_silently(self, code: str, timeout: int = 60) -> None:
        from jupyter_core.utils import run_sync

        reply = run_sync(self._client().execute_interactive)(
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
            try:
                with contextlib.suppress(RuntimeError):  # already gone
                    run_sync(self._km.shutdown_kernel)(now=True)
            finally:
                if self._km.connection_file:  # holds the kernel's key: never left behind
                    Path(self._km.connection_file).unlink(missing_ok=True)
        self._km = None
        self._warm = False

    def shutdown(self) -> None:
        self._close_client()
        self._kill()

    def restart(self) -> None:
        self.shutdown()
        self.start()

    def ready(self) -> None:
        """A clean kernel for the next report: started, reset, or restarted when due."""
        if self._km is not None and not self._warm:
            self.wait()  # launched, not yet waited for
        elif not self.alive or self.runs_since_start >= self.max_reports:
            self.restart()
        elif self.runs_since_start:
            try:
                self._execute_silently(RESET)
            except Exception:
                self.restart()

    def run(self, nb, *, timeout: int) -> None:
        """Execute ``nb`` in place. Raises nbclient's CellExecutionError when a cell raises (the
        failing cell marked as papermill marks it), :class:`KernelFailure` on a timeout or a dead
        kernel (the kernel is then restarted). A clean ``SystemExit`` ends the notebook there."""
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

        self.ready()
        running: dict[str, int] = {}

        def started(cell, cell_index, **_) -> None:
            running["index"] = cell_index

        client = NotebookClient(
            nb,
            km=self._km,
            kernel_name=self.kernel_name,
            timeout=timeout,
            allow_errors=False,
            record_timing=True,
            on_cell_execute=started,
        )
        client.kc = self._client()  # nbclient uses a client it is given and leaves it open
        self.runs_since_start += 1
        try:
            client.execute()
        except CellExecutionError as exc:
            if clean_exit(getattr(exc, "ename", None), getattr(exc, "evalue", None)):
                return  # the cells after it are not run, as in papermill
            mark_failed(nb, running.get("index"))
            self.restart()  # a failure leaves unknown state behind
            raise
        except CellTimeoutError as exc:
            self.restart()
            raise KernelFailure(
                f"a cell ran past the timeout of {timeout} s ({exc.__class__.__name__})",
                running.get("index"),
                "CellTimeoutError",
            ) from None
        except DeadKernelError:
            self.restart()
            raise KernelFailure(
                "the kernel died while running the notebook (out of memory, a crash, or os._exit)",
                running.get("index"),
                "DeadKernelError",
            ) from None
        except RuntimeError as exc:  # nbclient reports a dead kernel this way too
            if not self.alive:
                self.restart()
                raise KernelFailure(
                    f"the kernel died while running the notebook ({exc})", running.get("index"), "DeadKernelError"
                ) from None
            raise


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
    facts: dict = field(default_factory=dict)  # what the index shows of it (index.report_facts)


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


def mark_failed(nb, index: int | None, *, ename: str | None = None, message: str = "") -> None:
    """Mark cell ``index`` as the one that failed, as papermill's engine does, so that the
    banner links to it even when it left no error output (a failing line magic); with ``ename``
    an error output naming the reason is added (a timeout, a dead kernel, a report too large)."""
    if index is None or not 0 <= index < len(nb.cells):
        return
    cell = nb.cells[index]
    cell.metadata.setdefault("papermill", {})["exception"] = True
    if ename and cell.cell_type == "code":
        cell.outputs.append(
            nbformat.v4.new_output("error", ename=ename, evalue=message, traceback=[f"{ename}: {message}"])
        )


def clear_outputs(nb) -> None:
    """What papermill does before it runs a notebook: no banner, output, error or execution count
    left from an earlier run (a failed notebook shows only its new error)."""
    from papermill.execute import remove_error_markers

    remove_error_markers(nb)
    for cell in nb.cells:
        cell.metadata.get("papermill", {}).pop("exception", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None


def _error_notebook(nb, message: str, path_hint: str) -> str:
    """The failed notebook with papermill's error banner linking to the failing cell."""
    import html
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
        f"An Exception was encountered: {html.escape(message)}</span>"
    )
    banner.metadata["tags"] = ["papermill-error-cell-tag"]
    nb.cells.insert(0, banner)
    return nbformat.writes(nb)


def _too_large(nb, size: int, limit: int, what: str) -> str:
    """Fail a report that is over its size limit: its largest outputs are left out of the failed
    notebook (so the failure is small), the largest cell named as the failing one."""
    import json

    message = (
        f"the report's {what} is {size / 1e6:.1f} MB, over the limit of {limit / 1e6:g} MB. "
        "Fix: display or print less, or raise max_report_mb (reports.yaml, --max-report-mb)"
    )
    sizes = sorted(
        ((len(json.dumps(c.get("outputs", []))), i) for i, c in enumerate(nb.cells) if c.cell_type == "code"),
        reverse=True,
    )
    total = len(nbformat.writes(nb).encode("utf-8"))
    for n, i in sizes:
        if total <= limit // 2 or n < 10_000:
            break
        nb.cells[i].outputs = [
            nbformat.v4.new_output("stream", name="stderr", text=f"[{n / 1e6:.1f} MB of output left out: {message}]\n")
        ]
        total -= n
    mark_failed(nb, sizes[0][1] if sizes else None, ename="ReportTooLargeError", message=message)
    return message


def error_of(nb, default: str = "the notebook failed") -> str:
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return f"{output.get('ename')}: {output.get('evalue')}"
    return default


def _papermill_node(notebook_text: str):
    """The notebook as papermill loads it (papermill metadata, a tags list on every cell): a
    fresh copy for each job, parsed and validated once per notebook text."""
    import copy

    return copy.deepcopy(_papermill_template(notebook_text))


@lru_cache(maxsize=16)
def _papermill_template(notebook_text: str):
    import tempfile

    from papermill.iorw import load_notebook_node

    with tempfile.NamedTemporaryFile("w", suffix=".ipynb", encoding="utf-8") as handle:
        handle.write(notebook_text)
        handle.flush()
        return load_notebook_node(handle.name)


def execute_job(
    name: str,
    notebook_text: str,
    parameters: dict,
    *,
    kernel: WarmKernel,
    timeout: int,
    max_bytes: int | None = None,
) -> JobResult:
    """Run one report (see the module docstring); ``max_bytes`` limits the size of its notebook
    and of its HTML (default: :func:`indicators.limits.max_report_mb`)."""
    from nbclient.exceptions import CellExecutionError
    from papermill.parameterize import parameterize_notebook

    from ..limits import max_report_mb
    from ..reporting.html_export import notebook_to_html, report_title
    from .index import report_facts

    limit = max_bytes or max_report_mb() * 1_000_000
    start = time.perf_counter()
    nb = _papermill_node(notebook_text)
    nb = parameterize_notebook(nb, parameters, kernel_name=kernel.kernel_name, language="python")
    clear_outputs(nb)
    for cell in nb.cells:  # papermill gives the injected cell a random id: the same report, the same file
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"
    try:
        kernel.run(nb, timeout=timeout)
    except CellExecutionError as exc:  # a cell without an error output (a line magic) still names its error
        error = error_of(nb, f"{getattr(exc, 'ename', 'Error')}: {getattr(exc, 'evalue', '')}")
        failed = _error_notebook(nb, "", f"{name}.ipynb")
        return JobResult(name, False, time.perf_counter() - start, failed, error=error)
    except KernelFailure as exc:
        mark_failed(nb, exc.cell_index, ename=exc.ename, message=str(exc))
        return JobResult(
            name, False, time.perf_counter() - start, _error_notebook(nb, str(exc), f"{name}.ipynb"), error=str(exc)
        )
    cells = _cell_seconds(nb)
    strip_timing(nb)
    title = report_title(nb) or name
    facts = report_facts(nb)
    nb.metadata["title"] = title
    text = nbformat.writes(nb)
    size = len(text.encode("utf-8"))
    if size > limit:
        error = _too_large(nb, size, limit, "notebook")
        return JobResult(
            name, False, time.perf_counter() - start, _error_notebook(nb, error, f"{name}.ipynb"), error=error
        )
    t_export = time.perf_counter()
    page = notebook_to_html(nb, title=title)
    export = time.perf_counter() - t_export
    size = len(page.encode("utf-8"))
    if size > limit:
        error = _too_large(nb, size, limit, "HTML")
        return JobResult(
            name, False, time.perf_counter() - start, _error_notebook(nb, error, f"{name}.ipynb"), error=error
        )
    return JobResult(
        name,
        True,
        time.perf_counter() - start,
        text,
        page,
        title,
        cell_seconds=cells,
        export_seconds=export,
        facts=facts,
    )
