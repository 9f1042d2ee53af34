"""Notebooks run top to bottom through papermill, and are committed without outputs."""

from __future__ import annotations

import json

import papermill as pm
import pytest

from .conftest import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_committed_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert not cell.get("outputs") and cell.get("execution_count") is None, path.name
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "one parameters cell, tagged `parameters`"


def test_explore_table_runs_with_other_parameters(tmp_path, shipped_data, monkeypatch):
    monkeypatch.setenv("INDICATORS_DATA_DIR", str(shipped_data))
    out = tmp_path / "explore.ipynb"
    pm.execute_notebook(
        str(REPO / "notebooks" / "explore_table.ipynb"),
        str(out),
        parameters={"indicator": "marine_gdp", "region": "wcna", "measure": "level"},
        kernel_name="python3",
        progress_bar=False,
        cwd=str(tmp_path),
    )
    text = out.read_text(encoding="utf-8")
    assert "海洋生产总值" in text and "494" in text


def test_explore_table_stops_on_an_unknown_indicator_with_the_choices(tmp_path, shipped_data, monkeypatch):
    monkeypatch.setenv("INDICATORS_DATA_DIR", str(shipped_data))
    with pytest.raises(pm.PapermillExecutionError) as err:
        pm.execute_notebook(
            str(REPO / "notebooks" / "explore_table.ipynb"),
            str(tmp_path / "bad.ipynb"),
            parameters={"indicator": "gpd"},
            kernel_name="python3",
            progress_bar=False,
            cwd=str(tmp_path),
        )
    assert "UnknownIndicatorError" in str(err.value) and "Did you mean 'gdp'?" in str(err.value)
