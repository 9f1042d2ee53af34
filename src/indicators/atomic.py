"""Writing files and folders so that readers see the old one or the new one, never half of one.

Every file the project writes goes through here: reports, notebooks, the index and the manifest
(:mod:`indicators.batch`), ``data/processed/`` (:mod:`indicators.data.build`), exports, the
template and import batches (:mod:`indicators.intake`).

* The new content is written to a temporary name beside its target, ``.NAME.PID.TOKEN.tmp``,
  created with the modes the user's umask gives (0644 files and 0755 folders under umask 022, as
  any other tool's; never 0600), and then renamed over the target. Several files can be staged
  first and renamed together (:class:`AtomicWrites`), so that either all of them change or none.
* If anything fails, every target is left as it was and the temporaries are removed. An
  :class:`OSError` (a read-only folder, a full disk, a missing folder) becomes one
  :class:`~indicators.errors.WriteError` naming the path and the fix.
* ``within=``: the target must resolve inside that folder, or nothing is written
  (:class:`~indicators.errors.OutputPathError`).
* A process that is killed cannot remove its temporaries; the PID in their names tells whose
  they are, and :func:`remove_stale_temporaries` removes those of processes no longer running
  (the build, the batch and the import call it under their locks).
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path

from .errors import OutputPathError, WriteError

#: ``.NAME.PID.TOKEN.tmp``: a temporary of ``NAME`` written by process ``PID``.
TEMPORARY = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.(?P<token>[0-9a-f]{12})\.tmp$")

_FULL = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG)
_READ_ONLY = (errno.EACCES, errno.EPERM, errno.EROFS)


def temporary_path(final: Path) -> Path:
    """A fresh temporary name beside ``final`` (nothing is created)."""
    return final.parent / f".{final.name}.{os.getpid()}.{secrets.token_hex(6)}.tmp"


def write_error(exc: OSError, path: object) -> WriteError:
    """An :class:`OSError` met while writing ``path``, as one line with the fix."""
    if isinstance(exc, WriteError):
        return exc
    where = Path(str(exc.filename)) if exc.filename else Path(str(path))
    folder = where if where.is_dir() else where.parent
    code = exc.errno
    if code in _FULL:
        reason, fix = "the disk is full", f"free space on the disk that holds {folder} and run again"
    elif code in _READ_ONLY:
        reason = "the folder is read-only" if code == errno.EROFS else "permission denied"
        fix = f"make {folder} writable (chmod u+w), or write somewhere else (--out)"
    elif code == errno.ENOENT:
        reason, fix = "a folder on the way does not exist", f"create {folder} (mkdir -p), or write somewhere else"
    elif code == errno.ENOTDIR:
        reason, fix = (
            "a file stands where a folder should be",
            f"move the file away or choose another folder than {folder}",
        )
    else:
        reason = exc.strerror or str(exc)
        fix = f"check {folder} and run again"
    return WriteError(path, reason, fix, errno=code)


def check_inside(path: str | os.PathLike[str], folder: str | os.PathLike[str]) -> Path:
    """``path``, after making sure it resolves inside ``folder`` (symbolic links followed)."""
    target = Path(path)
    root = Path(folder).resolve()
    resolved = target.parent.resolve() / target.name
    if target.name in ("", ".", "..") or (resolved.parent != root and root not in resolved.parent.parents):
        raise OutputPathError(path, folder)
    return target


def _write_bytes(path: Path, data: bytes) -> None:
    """Create ``path`` (it must not exist) with the umask's modes and write ``data`` to it."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


class AtomicWrites:
    """Stage files (or folders) under temporary names, then rename them all into place, in the
    order they were staged, when the ``with`` block ends without an error; otherwise remove
    them and leave every target as it was::

        with AtomicWrites(within=out) as files:
            files.text(out / "a.ipynb", notebook)
            files.text(out / "a.html", page)
    """

    def __init__(self, *, within: str | os.PathLike[str] | None = None):
        self.within = within
        self.staged: list[tuple[Path, Path]] = []

    def __enter__(self) -> AtomicWrites:
        return self

    def __exit__(self, kind, exc, tb) -> None:
        if kind is not None:
            self.discard()
            return
        self.commit()

    def stage(self, path: str | os.PathLike[str], write: Callable[[Path], None]) -> Path:
        """Call ``write(staged)`` to create the new file or folder at a temporary path."""
        final = Path(path)
        if self.within is not None:
            check_inside(final, self.within)
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise write_error(exc, final) from None
        staged = temporary_path(final)
        self.staged.append((staged, final))
        try:
            write(staged)
        except OSError as exc:
            raise write_error(exc, final) from exc
        return staged

    def text(self, path: str | os.PathLike[str], text: str) -> Path:
        return self.bytes(path, text.encode("utf-8"))

    def bytes(self, path: str | os.PathLike[str], data: bytes) -> Path:
        return self.stage(path, lambda staged: _write_bytes(staged, data))

    def commit(self) -> None:
        try:
            for i, (staged, final) in enumerate(self.staged):
                try:
                    _replace(staged, final)
                except OSError as exc:
                    for later, _ in self.staged[i:]:
                        _remove(later)
                    raise write_error(exc, final) from exc
        finally:
            self.staged = []

    def discard(self) -> None:
        for staged, _ in self.staged:
            _remove(staged)
        self.staged = []


def _replace(staged: Path, final: Path) -> None:
    """Rename ``staged`` over ``final``: a file in one rename; a folder is moved aside first."""
    if final.is_dir() and not final.is_symlink():
        old = temporary_path(final)
        os.rename(final, old)
        try:
            os.rename(staged, final)
        except OSError:
            os.rename(old, final)
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staged, final)


def write_atomically(
    path: str | os.PathLike[str], write: Callable[[Path], None], *, within: str | os.PathLike[str] | None = None
) -> Path:
    """Call ``write(staged)`` on a temporary path beside ``path``, then rename it into place.

    ``staged`` does not exist yet: ``write`` creates it as a file or as a folder. A file
    already at ``path`` is replaced in one rename; a folder is moved aside, replaced and then
    removed. If ``write`` fails, ``path`` is left as it was and the temporary is removed.
    """
    with AtomicWrites(within=within) as files:
        files.stage(path, write)
    return Path(path)


def write_text_atomically(
    path: str | os.PathLike[str], text: str, *, within: str | os.PathLike[str] | None = None
) -> Path:
    """Write a UTF-8 text file to a temporary name beside it, then rename it into place."""
    with AtomicWrites(within=within) as files:
        files.text(path, text)
    return Path(path)


def pid_running(pid: int) -> bool:
    """Whether process ``pid`` is alive (this process, or one ``kill -0`` finds, any user's)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_stale_temporaries(folder: str | os.PathLike[str], *, name: str | None = None) -> list[Path]:
    """Remove the temporaries in ``folder`` (of the target ``name`` only, if given) left by
    processes that no longer run (a killed build or run); returns what was removed."""
    root = Path(folder)
    if not root.is_dir():
        return []
    removed = []
    for entry in root.iterdir():
        m = TEMPORARY.match(entry.name)
        if m is None or (name is not None and m["name"] != name) or pid_running(int(m["pid"])):
            continue
        _remove(entry)
        removed.append(entry)
    return removed
