"""Where the project's data lives.

The data folder is, in order: the ``data_dir`` argument, the ``INDICATORS_DATA_DIR``
environment variable, the ``data/`` folder of the checkout this package was installed from
(an editable install), or the nearest ``data/`` folder with a ``raw/`` inside it above the
working directory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import ParameterError

ENV_VAR = "INDICATORS_DATA_DIR"


@dataclass(frozen=True)
class DataPaths:
    root: Path

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def processed(self) -> Path:
        return self.root / "processed"


def _looks_like_data(path: Path) -> bool:
    return (path / "raw").is_dir()


def data_paths(data_dir: str | os.PathLike[str] | None = None) -> DataPaths:
    """Resolve the data folder (see the module docstring)."""
    if data_dir is not None:
        root = Path(data_dir)
        if not _looks_like_data(root):
            raise ParameterError(
                "data_dir",
                str(data_dir),
                "no raw/ folder inside it",
                "pass the folder that holds raw/ and processed/ (the project's data/)",
            )
        return DataPaths(root.resolve())
    env = os.environ.get(ENV_VAR)
    if env:
        root = Path(env)
        if not _looks_like_data(root):
            raise ParameterError(
                ENV_VAR, env, "no raw/ folder inside it", f"point {ENV_VAR} at the project's data/ folder"
            )
        return DataPaths(root.resolve())
    checkout = Path(__file__).resolve().parents[3] / "data"
    if _looks_like_data(checkout):
        return DataPaths(checkout)
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if _looks_like_data(folder / "data"):
            return DataPaths(folder / "data")
    raise ParameterError(
        "data_dir",
        None,
        "cannot find the project's data/ folder",
        f"run from inside the checkout, or set {ENV_VAR}, or pass data_dir=",
    )
