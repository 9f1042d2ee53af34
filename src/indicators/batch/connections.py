"""Kernel connection files: where the batch's kernels keep them, and removing those of a run
that was killed.

A connection file holds the kernel's ports and its key (whoever reads it can run code in the
kernel), so it is written with mode 0600 by jupyter_client and must never be left behind. The
batch names its kernels' files ``indicators-kernel-PID-UUID.json`` in Jupyter's runtime folder
(``jupyter --runtime-dir``): :mod:`.kernels` removes each when its kernel stops, and
:func:`remove_stale_connection_files` removes those whose process (``PID``) no longer runs — a
runner killed with its kernels — at the start of the next run.
"""

from __future__ import annotations

import contextlib
import os
import re
import uuid
from pathlib import Path

from ..atomic import pid_running

CONNECTION_FILE = re.compile(r"^indicators-kernel-(?P<pid>\d+)-[0-9a-f]{32}\.json$")


def runtime_dir() -> Path:
    """Jupyter's runtime folder (created, private to the user, if missing)."""
    from jupyter_core.paths import jupyter_runtime_dir

    path = Path(jupyter_runtime_dir())
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def new_connection_file() -> Path:
    """A fresh connection-file path for a kernel of this process."""
    return runtime_dir() / f"indicators-kernel-{os.getpid()}-{uuid.uuid4().hex}.json"


def remove_stale_connection_files() -> list[Path]:
    """Remove this user's batch connection files left by processes that no longer run."""
    removed = []
    with contextlib.suppress(OSError):
        for path in runtime_dir().glob("indicators-kernel-*.json"):
            m = CONNECTION_FILE.match(path.name)
            if m is None or pid_running(int(m["pid"])):
                continue
            with contextlib.suppress(OSError):
                if path.stat().st_uid == os.getuid():
                    path.unlink()
                    removed.append(path)
    return removed
