"""environment.yml serves conda users and must agree with pyproject.toml (the source of truth)."""

from __future__ import annotations

import re
import tomllib

import yaml

from .conftest import REPO

# conda-forge names that differ from the PyPI names
CONDA_NAMES = {}


def _split(requirement: str) -> tuple[str, str]:
    m = re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", requirement.strip())
    assert m, requirement
    return m[1].lower().replace("_", "-"), m[2].replace(" ", "")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = [*project["dependencies"]]
    for extra in project["optional-dependencies"].values():
        wanted += extra
    pyproject = dict(_split(r) for r in wanted)

    env = yaml.safe_load((REPO / "environment.yml").read_text())
    conda, pip = {}, []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip += dep["pip"]
            continue
        name, spec = _split(dep)
        conda[CONDA_NAMES.get(name, name)] = spec
    python = conda.pop("python")
    conda.pop("pip")

    assert conda == pyproject
    assert python == project["requires-python"]
    assert pip == ["-e ."]
    assert "conda-forge" in env["channels"]
