"""The report batch: validated before anything runs, fast on warm kernels (identical to fresh
kernels), incremental, fault-isolated, locked, and the same on Dask."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import nbformat
import pytest

from indicators.batch.jobs import BatchError, Job, expand, load_batch, notebook_defaults
from indicators.batch.runner import dry_run, run_jobs, run_lock
from indicators.errors import LockError

from .conftest import FIXTURES, REPO, held_elsewhere

STAMP = "2026-01-01T00:00:00+00:00"
SMALL = ["trend_gdp_wcna", "trend_marine_gdp_wcna", "target_gap_wcna_mobilisation_2023", "data_audit"]


def _jobs(data, names=SMALL):
    return [j for j in load_batch(REPO / "reports.yaml", data_dir=data) if j.name in names]


def _outputs(path: Path) -> list:
    nb = nbformat.read(path, as_version=4)
    return [(c.get("execution_count"), c.get("outputs")) for c in nb.cells if c.cell_type == "code"]


@pytest.fixture
def fixture_notebooks(monkeypatch):
    monkeypatch.setenv("INDICATORS_NOTEBOOKS_DIR", str(FIXTURES / "notebooks"))


# -- the batch file ---------------------------------------------------------------------------


def test_the_shipped_batch_expands_over_the_data(shipped_data):
    jobs = load_batch(REPO / "reports.yaml", data_dir=shipped_data)
    names = [j.name for j in jobs]
    assert len(names) == len(set(names)) == 46
    assert {
        "trend_gdp_wcna",
        "trend_gdp_qingdao",
        "target_gap_wcna_green_action_2023_2025",
        "overview_wcna",
        "peers_gdp_level",
        "peers_gdp_yoy_growth",
        "data_audit",
    } <= set(names)
    assert all(j.parameters["language"] == "zh" for j in jobs)


def test_an_indicator_added_to_the_table_gets_its_report_without_editing_the_batch(shipped_data, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(shipped_data / "raw", data / "raw")
    assert "trend_cbec_trade_wcna" not in [j.name for j in load_batch(REPO / "reports.yaml", data_dir=data)]
    with open(data / "raw" / "observations.csv", "a", encoding="utf-8") as f:
        f.write("cbec_trade,wcna,2021,level,,90,亿元,,exact,reported,sina_2021_03_08,fixture 2021,,,,\n")
    names = [j.name for j in load_batch(REPO / "reports.yaml", data_dir=data)]
    assert "trend_cbec_trade_wcna" in names


@pytest.mark.parametrize(
    ("fixture", "key", "words"),
    [
        ("unknown_notebook.yaml", "notebook", "use one of"),
        ("unknown_parameter.yaml", "parameters.colour", "has no parameter 'colour'"),
        ("bad_matrix.yaml", "matrix.indicator", "neither a list nor a known source"),
        ("bad_matrix.yaml", "matrix.region", "an empty list"),
        ("bad_matrix.yaml", "matrix.plan", "has no parameter 'plan'"),
        ("name_misses_matrix_key.yaml", "name", "does not tell the matrix's jobs apart"),
        ("duplicate_names.yaml", "name", "also made by job"),
        ("wrong_type.yaml", "parameters.horizon", "not of type int"),
        ("not_yaml.yaml", "file", "not valid YAML"),
    ],
)
def test_a_malformed_batch_is_rejected_before_anything_runs(shipped_data, tmp_path, fixture, key, words):
    with pytest.raises(BatchError) as err:
        load_batch(FIXTURES / "batch" / fixture, data_dir=shipped_data)
    assert any(k == key and words in f"{message} {fix}" for _, k, message, fix in err.value.problems), err.value
    assert "nothing was run" in str(err.value) and "Fix:" in str(err.value)


# -- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "parameters", "name"),
    [
        ("trend", {"indicator": "gdp"}, "trend_gdp_wcna"),  # the notebook's default region
        ("trend", {"indicator": "gdp", "region": "qingdao", "language": "zh"}, "trend_gdp_qingdao"),
        ("trend", {"indicator": "marine_gdp", "language": "en"}, "trend_marine_gdp_wcna_en"),
        ("trend", {"indicator": "gdp", "horizon": 2, "as_of": ""}, "trend_gdp_wcna"),  # defaults add nothing
        # other parameters in the order of the parameters cell, whatever order they are given in
        (
            "trend",
            {"as_of": "2024-06-30", "horizon": 3, "indicator": "gdp"},
            "trend_gdp_wcna_horizon-3_as_of-2024-06-30",
        ),
        ("target_gap", {"plan": "wcna_mobilisation_2023"}, "target_gap_wcna_mobilisation_2023"),
        ("target_gap", {"plan": "", "as_of": "2024-06-30", "language": "en"}, "target_gap_as_of-2024-06-30_en"),
        ("overview", {}, "overview_wcna"),
        ("peers", {}, "peers_gdp_level"),
        ("peers", {"indicators": "gdp,marine_gdp", "measure": "yoy_growth"}, "peers_gdp-marine_gdp_yoy_growth"),
        ("audit", {}, "data_audit"),
        ("audit", {"language": "en"}, "data_audit_en"),
    ],
)
def test_the_batch_and_the_report_command_give_a_report_the_same_name(kind, parameters, name):
    from indicators.batch.jobs import KIND_OF_NOTEBOOK, expand, report_name
    from indicators.cli import report_job

    notebook = {k: nb for nb, k in KIND_OF_NOTEBOOK.items()}[kind]
    (job,) = expand({"jobs": [{"notebook": notebook, "parameters": parameters}]})
    assert job.name == name
    assert report_job(kind, parameters).name == name
    assert report_name(kind, parameters, notebook_defaults(REPO / "notebooks" / notebook)) == name


def test_the_shipped_batch_names_its_reports_as_the_report_command_does(shipped_data):
    from indicators.cli import report_job

    for job in load_batch(REPO / "reports.yaml", data_dir=shipped_data):
        assert report_job(job.kind, job.parameters, data_dir=shipped_data).name == job.name
    # a name template gives what it says; the default name of the same jobs is the same here
    job = {"notebook": "trend_report.ipynb", "parameters": {"region": "wcna"}, "matrix": {"indicator": ["gdp"]}}
    named = expand({"jobs": [job | {"name": "trend_{indicator}_{region}"}]})
    assert [j.name for j in named] == [j.name for j in expand({"jobs": [job]})] == ["trend_gdp_wcna"]


def test_a_matrix_without_a_name_tells_its_reports_apart_and_a_bad_value_is_blamed():
    doc = {"jobs": [{"notebook": "trend_report.ipynb", "matrix": {"language": ["zh", "en"], "horizon": [2, 3]}}]}
    assert sorted(j.name for j in expand(doc)) == [
        "trend_gdp_wcna",
        "trend_gdp_wcna_en",
        "trend_gdp_wcna_horizon-3",
        "trend_gdp_wcna_horizon-3_en",
    ]
    with pytest.raises(BatchError) as err:
        expand({"jobs": [{"notebook": "trend_report.ipynb", "parameters": {"indicator": "../gdp"}}]})
    ((_, key, message, _),) = err.value.problems
    assert key == "parameters.indicator" and "unsafe: it holds '/'" in message


def test_every_problem_of_a_batch_is_listed(shipped_data):
    with pytest.raises(BatchError) as err:
        load_batch(FIXTURES / "batch" / "bad_matrix.yaml", data_dir=shipped_data)
    assert len(err.value.problems) == 3


# -- warm kernels -----------------------------------------------------------------------------


def test_warm_kernels_give_the_same_reports_as_fresh_kernels(shipped_data, tmp_path):
    jobs = _jobs(shipped_data)
    fresh = run_jobs(
        jobs,
        out_dir=tmp_path / "fresh",
        data_dir=shipped_data,
        workers=1,
        max_reports=1,
        generated_at=STAMP,
        stream=io.StringIO(),
    )
    warm = run_jobs(
        jobs,
        out_dir=tmp_path / "warm",
        data_dir=shipped_data,
        workers=1,
        max_reports=50,
        generated_at=STAMP,
        stream=io.StringIO(),
    )
    assert fresh.exit_code == warm.exit_code == 0
    for job in jobs:
        a, b = tmp_path / "fresh" / f"{job.name}.ipynb", tmp_path / "warm" / f"{job.name}.ipynb"
        assert _outputs(a) == _outputs(b), job.name
        assert (tmp_path / "fresh" / f"{job.name}.html").read_bytes() == (
            tmp_path / "warm" / f"{job.name}.html"
        ).read_bytes()
    counts = [c for c, _ in _outputs(tmp_path / "warm" / f"{jobs[-1].name}.ipynb") if c]
    assert counts[0] == 1  # the last report on a reused kernel still counts from 1


def test_a_report_from_a_warm_kernel_equals_plain_papermill_in_a_new_kernel(shipped_data, tmp_path, monkeypatch):
    """The reference: ``papermill`` with a kernel of its own, nothing imported beforehand."""
    import papermill

    jobs = _jobs(shipped_data, names=["trend_marine_gdp_wcna", "data_audit"])
    warm = run_jobs(jobs, out_dir=tmp_path / "warm", data_dir=shipped_data, generated_at=STAMP, stream=io.StringIO())
    assert warm.exit_code == 0
    monkeypatch.setenv("INDICATORS_DATA_DIR", str(shipped_data))
    monkeypatch.setenv("INDICATORS_GENERATED_AT", STAMP)
    for job in jobs:
        plain = tmp_path / f"{job.name}.plain.ipynb"
        papermill.execute_notebook(
            str(REPO / "notebooks" / job.notebook),
            str(plain),
            parameters=job.parameters,
            cwd=str(REPO / "notebooks"),
            kernel_name="python3",
            progress_bar=False,
        )
        assert _outputs(plain) == _outputs(tmp_path / "warm" / f"{job.name}.ipynb"), job.name


# -- incremental ------------------------------------------------------------------------------


def test_an_unchanged_rerun_skips_everything_and_a_data_change_reruns_its_readers(shipped_data, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(shipped_data / "raw", data / "raw")
    jobs = _jobs(data)
    out = tmp_path / "reports"
    first = run_jobs(jobs, out_dir=out, data_dir=data, generated_at=STAMP, stream=io.StringIO())
    assert first.count("ok") == 4
    again = run_jobs(jobs, out_dir=out, data_dir=data, stream=io.StringIO())
    assert again.count("skipped") == 4 and again.seconds < 3
    assert [a for _, a in dry_run(jobs, out_dir=out, data_dir=data)] == ["skip"] * 4
    with open(data / "raw" / "observations.csv", "a", encoding="utf-8") as f:
        f.write("marine_gdp,wcna,2024,level,,2100,亿元,current,about,reported,chinadaily_2024_04_12,fixture,,,,\n")
    third = run_jobs(jobs, out_dir=out, data_dir=data, stream=io.StringIO())
    status = {o.job.name: o.status for o in third.outcomes}
    assert status == {
        "trend_gdp_wcna": "skipped",  # reads only GDP
        "trend_marine_gdp_wcna": "ok",
        "target_gap_wcna_mobilisation_2023": "ok",  # has a marine-GDP target
        "data_audit": "ok",  # reads everything
    }
    forced = run_jobs(jobs, out_dir=out, data_dir=data, force=True, only=["trend_*"], stream=io.StringIO())
    assert [(o.job.name, o.status) for o in forced.outcomes] == [
        ("trend_gdp_wcna", "ok"),
        ("trend_marine_gdp_wcna", "ok"),
    ]


# -- faults -----------------------------------------------------------------------------------


def test_a_report_that_raises_hangs_or_kills_its_kernel_fails_alone(shipped_data, tmp_path, fixture_notebooks):
    jobs = load_batch(FIXTURES / "batch" / "faults.yaml", data_dir=shipped_data)
    out = tmp_path / "reports"
    summary = run_jobs(jobs, out_dir=out, data_dir=shipped_data, workers=1, stream=io.StringIO())
    status = {o.job.name: o.status for o in summary.outcomes}
    assert status == {"first_ok": "ok", "raises": "failed", "hangs": "failed", "dies": "failed", "last_ok": "ok"}
    assert summary.exit_code == 1
    errors = {o.job.name: o.error for o in summary.outcomes}
    assert "this report always fails" in errors["raises"]
    assert "timeout of 3 s" in errors["hangs"]
    assert "kernel died" in errors["dies"]
    failed = nbformat.read(out / "raises.failed.ipynb", as_version=4)
    assert "papermill-error-cell-tag" in failed.cells[0].metadata.get("tags", [])
    index = (out / "index.html").read_text(encoding="utf-8")
    for name in ("raises", "hangs", "dies"):
        assert f'href="{name}.failed.ipynb"' in index
        assert not (out / f"{name}.html").exists()
    assert (out / "last_ok.html").exists()


def test_a_failing_report_keeps_its_previous_good_html_marked_stale(shipped_data, tmp_path, fixture_notebooks):
    out = tmp_path / "reports"
    good = [Job("report", "ok.ipynb", {"label": "good"})]
    run_jobs(good, out_dir=out, data_dir=shipped_data, stream=io.StringIO())
    before = (out / "report.html").read_bytes()
    bad = [Job("report", "raises.ipynb", {"label": "bad"})]
    summary = run_jobs(bad, out_dir=out, data_dir=shipped_data, stream=io.StringIO())
    assert summary.outcomes[0].status == "stale" and summary.exit_code == 1
    assert (out / "report.html").read_bytes() == before
    assert 'data-status="stale"' in (out / "index.html").read_text(encoding="utf-8")  # listed as stale
    assert json.loads((out / ".manifest.json").read_text())["report"]["status"] == "stale"
    assert not list(out.glob(".*.tmp"))


def test_two_runs_at_once_do_not_interleave(shipped_data, tmp_path):
    out = tmp_path / "reports"
    with held_elsewhere(run_lock(out)), pytest.raises(LockError, match="another `indicators run`"):
        run_jobs(_jobs(shipped_data, ["data_audit"]), out_dir=out, data_dir=shipped_data, stream=io.StringIO())
    assert not (out / "data_audit.html").exists()


def test_plain_log_lines_when_not_a_terminal(shipped_data, tmp_path, fixture_notebooks):
    stream = io.StringIO()
    run_jobs([Job("one", "ok.ipynb", {})], out_dir=tmp_path, data_dir=shipped_data, stream=stream)
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("indicators run: 1 job(s)")
    assert lines[1].startswith("[1/1] one: ok in")
    assert lines[-1].startswith("1 done, 0 skipped (up to date), 0 failed")
    assert "[1/1] one: ok" in (tmp_path / "run.log").read_text(encoding="utf-8")


# -- Dask -------------------------------------------------------------------------------------


def test_the_batch_on_a_dask_local_cluster_matches_the_local_run(shipped_data, tmp_path):
    from indicators.batch.dask_run import local_cluster

    jobs = _jobs(shipped_data, ["trend_gdp_wcna", "data_audit", "target_gap_wcna_mobilisation_2023"])
    local = run_jobs(jobs, out_dir=tmp_path / "local", data_dir=shipped_data, generated_at=STAMP, stream=io.StringIO())
    with local_cluster(n_workers=2) as cluster:
        remote = run_jobs(
            jobs,
            out_dir=tmp_path / "dask",
            data_dir=shipped_data,
            scheduler=cluster,
            generated_at=STAMP,
            stream=io.StringIO(),
        )
    assert local.exit_code == remote.exit_code == 0
    for job in jobs:
        assert _outputs(tmp_path / "local" / f"{job.name}.ipynb") == _outputs(tmp_path / "dask" / f"{job.name}.ipynb")
        assert (tmp_path / "local" / f"{job.name}.html").read_bytes() == (
            tmp_path / "dask" / f"{job.name}.html"
        ).read_bytes()


def test_the_run_command_dry_run_and_its_exit_codes(shipped_data, tmp_path, capsys):
    from indicators.cli import main

    code = main(
        ["--data-dir", str(shipped_data), "run", str(REPO / "reports.yaml"), "--dry-run", "--out", str(tmp_path)]
    )
    out = capsys.readouterr().out
    assert code == 0 and out.count("run   ") == 46 and "trend_gdp_wcna" in out
    code = main(["--data-dir", str(shipped_data), "run", str(FIXTURES / "batch" / "unknown_parameter.yaml")])
    err = capsys.readouterr().err
    assert code == 2 and "parameters.colour" in err and "nothing was run" in err
    code = main(["--data-dir", str(shipped_data), "run", str(REPO / "reports.yaml"), "--only", "nope*"])
    assert code == 2 and "matches no job" in capsys.readouterr().err


def test_jobs_start_longest_first_by_their_last_run_and_new_jobs_before_all():
    from indicators.batch.runner import longest_first

    jobs = [Job(name, "overview.ipynb", {}) for name in ("quick", "new", "slow", "failed_once")]
    manifest = {"quick": {"seconds": 0.4}, "slow": {"seconds": 2.5}, "failed_once": {"status": "failed"}}
    assert [j.name for j in longest_first(jobs, manifest)] == ["new", "failed_once", "slow", "quick"]
