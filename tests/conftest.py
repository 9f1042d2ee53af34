"""Shared fixtures: a small valid data folder, and bad-input overlays on it."""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def held_elsewhere(lock: contextlib.AbstractContextManager) -> Iterator[None]:
    """Hold ``lock`` (a lock's context manager) in another thread while the block runs, the
    way a second process would."""
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with lock:
            held.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait(10)
    try:
        yield
    finally:
        release.set()
        thread.join()


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below a folder with its bytes, to prove a failed build changed nothing."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data/ folder holding the minimal valid raw tables (tests/fixtures/raw_minimal)."""
    root = tmp_path / "data"
    shutil.copytree(FIXTURES / "raw_minimal", root / "raw")
    return root


@pytest.fixture
def overlay(data_dir: Path):
    """Replace raw files with those of a bad-input fixture (tests/fixtures/bad/<case>/)."""

    def apply(case: str) -> Path:
        for path in (FIXTURES / "bad" / case).iterdir():
            shutil.copy(path, data_dir / "raw" / path.name)
        return data_dir

    return apply


@pytest.fixture(scope="session")
def shipped_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built copy of the project's own data/raw/ (the repo's data/processed/ is left alone)."""
    import indicators

    root = tmp_path_factory.mktemp("shipped") / "data"
    shutil.copytree(REPO / "data" / "raw", root / "raw")
    indicators.build(root)
    return root


@pytest.fixture(scope="session")
def chromium() -> Iterator:
    """One headless Debian Chromium for the session (tests/browser.py). Skipped where
    /usr/bin/chromium is missing outside CI; with CI=true a missing browser is a failure."""
    from .browser import CHROMIUM, browser_session

    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {CHROMIUM} is missing: `bash scripts/install-system-deps.sh browser` installs it")
        pytest.skip(f"{CHROMIUM} is missing: run `bash scripts/install-system-deps.sh browser` (or `make test`)")
    with browser_session() as browser:
        yield browser


@pytest.fixture(scope="session")
def poppler() -> None:
    """pdfinfo and pdftotext, to count a PDF's pages and read its text (Debian's poppler-utils,
    from `bash scripts/install-system-deps.sh pdf`). Skipped where missing outside CI."""
    if not (shutil.which("pdfinfo") and shutil.which("pdftotext")):
        if os.environ.get("CI") == "true":
            pytest.fail(
                "CI=true and pdfinfo/pdftotext are missing: `bash scripts/install-system-deps.sh pdf` installs them"
            )
        pytest.skip("pdfinfo/pdftotext are missing: run `bash scripts/install-system-deps.sh pdf` (or `make test`)")
