"""``--pdf``: each report's ``NAME.pdf``, printed from its HTML by headless Chromium.

Debian's ``chromium`` (on ``PATH``, else ``/usr/bin/chromium``; ``bash
scripts/install-system-deps.sh browser`` installs it) prints the page as a reader's browser
would, with the report's own print stylesheet (page size, numbers, running header): no network,
a fresh profile in a temporary folder removed afterwards, no header or footer of the browser's
own. The PDF is written under a temporary name and renamed (:mod:`indicators.atomic`), with the
umask's modes. A PDF that cannot be printed fails alone (:class:`~indicators.errors.PdfError`);
the report's HTML is never touched.

:class:`Printer` prints several reports' PDFs at once on threads while the batch runs.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from ..atomic import write_atomically
from ..errors import PdfError

#: Where Debian installs Chromium, when it is not on ``PATH``.
CHROMIUM = Path("/usr/bin/chromium")
INSTALL_FIX = "run `bash scripts/install-system-deps.sh browser` (installs Debian's chromium), or leave out --pdf"
#: How headless Chromium runs here (the tests' browser runs the same way).
BROWSER_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)
FLAGS = (*BROWSER_FLAGS, "--no-pdf-header-footer")
TIMEOUT = 120  # seconds for one page


def find_chromium() -> str:
    """The Chromium to print with: ``chromium`` on ``PATH``, else :data:`CHROMIUM`."""
    found = shutil.which("chromium")
    if found:
        return found
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return str(CHROMIUM)
    raise PdfError(f"--pdf prints with Chromium, and there is none (no chromium on PATH, no {CHROMIUM})", INSTALL_FIX)


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip() and "dbus" not in line.lower()]
    return lines[-1][:300] if lines else "no message"


def print_pdf(page: Path, pdf: Path, *, chromium: str, within: Path, timeout: float = TIMEOUT) -> Path:
    """Print the HTML file ``page`` to ``pdf`` (inside ``within``); :class:`PdfError` if it fails."""
    page = Path(page)
    with tempfile.TemporaryDirectory(prefix="indicators-chromium-", ignore_cleanup_errors=True) as tmp:
        printed = Path(tmp) / "page.pdf"
        command = [
            chromium,
            *FLAGS,
            f"--user-data-dir={Path(tmp) / 'profile'}",
            f"--print-to-pdf={printed}",
            page.resolve().as_uri(),
        ]
        try:
            process = subprocess.Popen(  # its own process group: a hung browser is ended with its children
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                errors="replace",
                start_new_session=True,
            )
        except OSError as exc:
            why = exc.strerror or str(exc)
            raise PdfError(f"cannot start {chromium} to print {page.name}: {why}", INSTALL_FIX) from None
        try:
            _, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise PdfError(
                f"Chromium did not print {page.name} within {timeout:g} s", "run again; if it persists, open the page"
            ) from None
        data = printed.read_bytes() if printed.is_file() else b""
        if process.returncode != 0 or not data.startswith(b"%PDF-"):
            raise PdfError(
                f"Chromium could not print {page.name} (exit code {process.returncode}: {_last_line(err)})",
                "check that the page opens in Chromium; " + INSTALL_FIX.split(", or")[0],
            )

    def write(staged: Path) -> None:
        staged.write_bytes(data)

    return write_atomically(pdf, write, within=within)


class Printer:
    """Prints reports' PDFs on ``workers`` threads: :meth:`submit` a report by name, then
    :meth:`wait` for ``{name: error or ""}``."""

    def __init__(self, out_dir: Path, chromium: str, workers: int = 2, *, log=None):
        self.out_dir = Path(out_dir)
        self.chromium = chromium
        self.log = log  # called with a line for each PDF printed
        self.pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="pdf")
        self.futures: dict[str, Future] = {}
        self.lock = threading.Lock()

    def _print(self, name: str) -> str:
        start = time.perf_counter()
        try:
            page, pdf = self.out_dir / f"{name}.html", self.out_dir / f"{name}.pdf"
            print_pdf(page, pdf, chromium=self.chromium, within=self.out_dir)
        except PdfError as exc:
            (self.out_dir / f"{name}.pdf").unlink(missing_ok=True)  # an older PDF no longer matches the page
            return str(exc)  # the caller reports it
        if self.log:
            self.log(f"{name}: PDF printed in {time.perf_counter() - start:.1f} s")
        return ""

    def submit(self, name: str) -> None:
        with self.lock:
            self.futures[name] = self.pool.submit(self._print, name)

    def wait(self) -> dict[str, str]:
        try:
            return {name: future.result() for name, future in self.futures.items()}
        finally:
            self.pool.shutdown(wait=True)
