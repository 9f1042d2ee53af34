"""The report notebooks through papermill, and their HTML in headless Chromium."""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from indicators.batch.jobs import KIND_OF_NOTEBOOK, Job
from indicators.batch.runner import run_jobs, run_report

from .browser import check_offline_html
from .conftest import REPO

ARTIFACTS = REPO / "tests" / "artifacts"  # screenshots kept for a person to look at (git-ignored)
NOTEBOOKS = {kind: notebook for notebook, kind in KIND_OF_NOTEBOOK.items()}


@dataclass(frozen=True)
class Run:
    ok: bool
    error: str
    title: str
    html: Path
    notebook: Path


def _run(kind: str, name: str, parameters: dict, out: Path, data: Path) -> Run:
    outcome = run_report(Job(name, NOTEBOOKS[kind], parameters), out_dir=out, data_dir=data)
    ok = outcome.status == "ok"
    return Run(ok, outcome.error, outcome.title, out / f"{name}.html", out / f"{name}{'' if ok else '.failed'}.ipynb")


@pytest.fixture(scope="module")
def default_runs(shipped_data, tmp_path_factory):
    """Every report notebook run once with its defaults on the shipped data (one batch)."""
    out = tmp_path_factory.mktemp("reports")
    jobs = [Job(f"{kind}_defaults", notebook, {}) for kind, notebook in NOTEBOOKS.items()]
    summary = run_jobs(jobs, out_dir=out, data_dir=shipped_data, stream=io.StringIO())
    return {
        o.job.kind: Run(o.status == "ok", o.error, o.title, out / f"{o.job.name}.html", out / f"{o.job.name}.ipynb")
        for o in summary.outcomes
    }


@pytest.mark.parametrize("kind", sorted(NOTEBOOKS))
def test_each_notebook_runs_with_its_defaults(default_runs, kind):
    run = default_runs[kind]
    assert run.ok, run.error
    nb = nbformat.read(run.notebook, as_version=4)
    text = json.dumps(nb)
    assert "Glyph" not in text and "missing from font" not in text  # no Chinese drawn as boxes
    assert all(o.get("output_type") != "error" for c in nb.cells for o in c.get("outputs", []))


@pytest.mark.parametrize(
    ("kind", "parameters", "expect"),
    [
        ("trend", {"indicator": "marine_gdp", "language": "en", "horizon": 5}, "Marine GDP: trend report"),
        ("trend", {"indicator": "gdp", "region": "qingdao", "start_year": 2016, "end_year": 2023}, "青岛市"),
        ("target_gap", {"plan": "wcna_mobilisation_2023", "as_of": "2024-06-30", "language": "en"}, "Target missed"),
        ("target_gap", {"plan": "", "region": "wcna"}, "目标差距报告"),
        ("overview", {"region": "qingdao", "language": "en"}, "Indicator overview: Qingdao"),
        ("peers", {"indicators": "gdp", "regions": "wcna,pudong,binhai", "language": "en"}, "Pudong"),
        ("audit", {"language": "en"}, "Derived figures and their formulas"),
    ],
)
def test_each_notebook_runs_with_other_parameters(shipped_data, tmp_path, kind, parameters, expect):
    run = _run(kind, "alt", parameters, tmp_path, shipped_data)
    assert run.ok, run.error
    assert expect in run.html.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("kind", "parameters", "words"),
    [
        ("trend", {"indicator": "gpd"}, ["UnknownIndicatorError", "'indicator'", "Did you mean 'gdp'"]),
        ("trend", {"indicator": "gdp", "region": "xiongan"}, ["ParameterError", "'region'", "use one of"]),
        ("trend", {"language": "fr"}, ["ParameterError", "'language'", "'zh' or 'en'"]),
        ("target_gap", {"as_of": "2999-01-01"}, ["ParameterError", "'as_of'", "in the future"]),
        ("target_gap", {"plan": "no_plan"}, ["UnknownPlanError", "'plan'", "Valid choices"]),
        ("overview", {"region": "atlantis"}, ["UnknownRegionError", "'region'", "Valid choices"]),
        ("peers", {"regions": "wcna,xiongan"}, ["ParameterError", "'regions'", "use some of"]),
    ],
)
def test_a_wrong_parameter_stops_the_notebook_early_with_one_clear_message(
    shipped_data, tmp_path, kind, parameters, words
):
    before = tmp_path / f"{kind}.html"
    before.write_text("previous good report", encoding="utf-8")
    run = _run(kind, kind, parameters, tmp_path, shipped_data)
    assert not run.ok
    for word in words:
        assert word in run.error, run.error
    nb = nbformat.read(run.notebook, as_version=4)
    failing = [c for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert len(failing) == 1
    assert "R.notebook_setup()" in failing[0].source  # the first cell after the parameters, not deep inside
    traceback = "\n".join("\n".join(o["traceback"]) for o in failing[0].outputs if o.get("output_type") == "error")
    assert "site-packages/pandas" not in traceback and len(traceback.splitlines()) <= 3  # one message
    assert before.read_text(encoding="utf-8") == "previous good report"  # the good HTML is kept


@pytest.mark.browser
@pytest.mark.parametrize("kind", sorted(NOTEBOOKS))
def test_the_html_opens_offline_in_chromium(default_runs, chromium, kind):
    run = default_runs[kind]
    ARTIFACTS.mkdir(exist_ok=True)
    check = check_offline_html(run.html, browser=chromium, screenshot=ARTIFACTS / f"{kind}.png")
    assert check.console_errors == []
    assert check.external_requests == []
    assert check.images and check.broken_images == []
    assert check.code_cells_visible == 0
    assert (ARTIFACTS / f"{kind}.png").stat().st_size > 10_000
    assert run.title in check.text


@pytest.mark.parametrize("kind", sorted(NOTEBOOKS))
def test_the_html_carries_title_parameters_version_and_sources(default_runs, shipped_data, kind):
    page = default_runs[kind].html.read_text(encoding="utf-8")
    meta = json.loads((shipped_data / "processed" / "version.json").read_text())
    assert meta["data_version"] in page
    assert "软件版本" in page and "生成时间" in page and "参数" in page
    assert "资料来源" in page and "<ol>" in page
    assert "Noto Sans CJK SC" in page  # the CJK font stack
    assert not re.search(r"<script[^>]+src=", page)
    assert "require.js" not in page and "mathjax" not in page.lower()
    assert "indicators.reporting" not in page  # no code


def test_the_report_css_is_shipped_with_the_package():
    from indicators.reporting.html_export import TEMPLATES

    for name in ("index.html.j2", "conf.json", "report.css"):
        assert (TEMPLATES / "indicators_offline" / name).exists()
