"""Writing a file or a folder so that readers see the old one or the new one, never half of one."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomically(path: str | os.PathLike[str], write: Callable[[Path], None]) -> Path:
    """Call ``write(staged)`` on a temporary path beside ``path``, then rename it into place.

    ``staged`` does not exist yet: ``write`` creates it as a file or as a folder. A file
    already at ``path`` is replaced in one rename; a folder is moved aside, replaced and then
    removed. If ``write`` fails, ``path`` is left as it was and the temporary is removed.
    """
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".tmp", dir=final.parent))
    try:
        staged = tmp / final.name
        write(staged)
        if final.is_dir():
            old = tmp / f"{final.name}.old"
            os.rename(final, old)
            os.rename(staged, final)
        else:
            os.replace(staged, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final
