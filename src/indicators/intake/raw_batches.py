"""Imported batches in ``data/raw/batches/``: one folder per import, never edited afterwards.

::

    data/raw/batches/0001_20250115_3fa2c1d9/
        batch.json          the manifest: when, from which files, with which source, content hash
        sources.csv         the source given with --source (when it is new)
        observations.csv    the imported rows, same columns as data/raw/observations.csv
        targets.csv, indicators.csv, regions.csv, …   where the import declared any

The build reads every table's curated file and then each batch's file of the same table, in
batch order (the folder names sort in import order), and validates them as one table
(:func:`indicators.data.schema.validate_raw`). The data version hashes every batch file too.
A batch folder is written complete under a temporary name and then renamed into place, so a
failed or interrupted import leaves no partial batch behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..atomic import remove_stale_temporaries, write_atomically
from ..data.tables import BATCHES, batch_dirs
from ..errors import LockError

MANIFEST = "batch.json"


@dataclass(frozen=True)
class Batch:
    """One imported batch, from its manifest."""

    batch_id: str
    folder: Path
    manifest: dict

    @property
    def content_hash(self) -> str:
        return str(self.manifest.get("content_hash", ""))


def list_batches(raw_dir: Path) -> list[Batch]:
    """Every imported batch under ``raw_dir``, oldest first."""
    out = []
    for folder in batch_dirs(raw_dir):
        path = folder / MANIFEST
        manifest = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        out.append(Batch(folder.name, folder, manifest))
    return out


def next_batch_id(raw_dir: Path, *, date: str, content_hash: str) -> str:
    """``NNNN_YYYYMMDD_hash8``: a sequence number (so names sort in import order), the day of
    the import and the start of the content hash."""
    numbers = [int(b.batch_id.split("_", 1)[0]) for b in list_batches(raw_dir) if b.batch_id[:4].isdigit()]
    return f"{max(numbers, default=0) + 1:04d}_{date.replace('-', '')}_{content_hash[:8]}"


@contextlib.contextmanager
def import_lock(raw_dir: Path) -> Iterator[None]:
    """An exclusive lock on ``raw_dir`` for the time of one import (a lock on the folder
    itself, so that a refused import leaves no lock file behind)."""
    fd = os.open(raw_dir, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockError(
                f"another `indicators import` is adding a batch to {raw_dir}. Wait for it to finish and run again."
            ) from None
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def install_batch(staged: Path, raw_dir: Path) -> Path:
    """Copy a complete batch folder into ``raw_dir/batches/`` under a temporary name, then
    rename it into place (:func:`indicators.atomic.write_atomically`). Returns the batch's folder."""
    root = Path(raw_dir) / BATCHES
    final = root / staged.name
    if final.exists():
        raise FileExistsError(f"{final} exists already; batches are never overwritten")
    remove_stale_temporaries(root)  # a batch half-copied by an import that was killed
    return write_atomically(final, lambda temporary: shutil.copytree(staged, temporary), within=root)
