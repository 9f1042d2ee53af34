"""Hard to break: the runner behaves as papermill does, a report too large fails alone, and the
environment's faults (a read-only or missing folder, a full disk, a killed process) end with one
line naming the path and the fix, never a traceback, nothing half-written, nothing left behind.

Fixture notebooks (tests/fixtures/notebooks/): ``lists`` (a list parameter), ``exits`` (ends with
the statement it is given), ``old_errors`` (saved with the banner and an error of an earlier run),
``line_magic`` (a line magic that fails), ``bad_parameters`` (a parameters cell that does not
parse), ``prints_a_lot`` (prints ``megabytes`` MB).
"""

from __future__ import annotations

import builtins
import errno
import io
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

import indicators
from indicators.batch.connections import remove_stale_connection_files
from indicators.batch.jobs import BatchError, Job, expand, load_batch
from indicators.batch.kernels import WarmKernel
from indicators.batch.runner import run_jobs
from indicators.cli import main
from indicators.errors import ParameterError

from .conftest import FIXTURES, snapshot

NOTEBOOKS = FIXTURES / "notebooks"
BANNER = "papermill-error-cell-tag"


@pytest.fixture
def fixture_notebooks(monkeypatch):
    monkeypatch.setenv("INDICATORS_NOTEBOOKS_DIR", str(NOTEBOOKS))


@pytest.fixture(scope="module")
def runtime_dir(tmp_path_factory):
    """Jupyter's runtime folder (kernel connection files) of this module's runs."""
    path = tmp_path_factory.mktemp("jupyter_runtime")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JUPYTER_RUNTIME_DIR", str(path))
        yield path


@pytest.fixture(scope="module")
def fixture_runs(shipped_data, tmp_path_factory, runtime_dir):
    """The fixture notebooks run as one batch; ``too_big`` had a good report before."""
    out = tmp_path_factory.mktemp("runs")
    (out / "too_big.html").write_text("the previous good report", encoding="utf-8")
    (out / "too_big.ipynb").write_text("{}", encoding="utf-8")  # and its notebook
    (out / ".manifest.json").write_text(json.dumps({"too_big": {"status": "ok", "title": "Fixture"}}))
    jobs = [
        Job("lists", "lists.ipynb", {"values": ["a", "b"]}),
        Job("exit_plain", "exits.ipynb", {"how": "sys.exit()"}),
        Job("exit_zero", "exits.ipynb", {"how": "sys.exit(0)"}),
        Job("exit_raise", "exits.ipynb", {"how": "raise SystemExit"}),
        Job("exit_one", "exits.ipynb", {"how": "sys.exit(1)"}),
        Job("old_errors", "old_errors.ipynb", {}),
        Job("line_magic", "line_magic.ipynb", {}),
        Job("too_big", "prints_a_lot.ipynb", {"megabytes": 2.5}, max_report_mb=1),
        Job("small_enough", "prints_a_lot.ipynb", {"megabytes": 0.5}, max_report_mb=1),
    ]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("INDICATORS_NOTEBOOKS_DIR", str(NOTEBOOKS))
        summary = run_jobs(jobs, out_dir=out, data_dir=shipped_data, stream=io.StringIO())
    return out, {o.job.name: o for o in summary.outcomes}


def _code_outputs(nb) -> list[list]:
    return [c.outputs for c in nb.cells if c.cell_type == "code"]


def _text(outputs: list) -> str:
    return "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")


# -- the runner next to papermill ---------------------------------------------------------------


def test_a_list_parameter_is_given_to_the_notebook_as_a_list(fixture_runs, fixture_notebooks):
    out, outcomes = fixture_runs
    assert outcomes["lists"].status == "ok"
    nb = nbformat.read(out / "lists.ipynb", as_version=4)
    assert "list ['a', 'b']" in _text(_code_outputs(nb)[-1])
    (job,) = expand({"jobs": [{"notebook": "lists.ipynb", "name": "l_{values}", "parameters": {"values": ["a", "b"]}}]})
    assert job.parameters == {"values": ["a", "b"]} and job.name == "l_a-b"


@pytest.mark.parametrize("name", ["exit_plain", "exit_zero", "exit_raise"])
def test_sys_exit_and_raise_system_exit_end_a_report_cleanly(fixture_runs, name):
    out, outcomes = fixture_runs
    assert outcomes[name].status == "ok", outcomes[name].error
    assert (out / f"{name}.html").exists() and not (out / f"{name}.failed.ipynb").exists()
    outputs = _code_outputs(nbformat.read(out / f"{name}.ipynb", as_version=4))
    assert [o.ename for o in outputs[-2] if o.output_type == "error"] == ["SystemExit"]
    assert outputs[-1] == []  # as in papermill, the cells after it do not run


def test_sys_exit_with_an_error_code_fails_the_report(fixture_runs):
    _, outcomes = fixture_runs
    assert outcomes["exit_one"].status == "failed" and outcomes["exit_one"].error == "SystemExit: 1"


def test_plain_papermill_agrees_on_lists_and_exits(fixture_runs, shipped_data, tmp_path, monkeypatch):
    import papermill

    out, _ = fixture_runs
    monkeypatch.setenv("INDICATORS_DATA_DIR", str(shipped_data))
    for name, notebook, parameters in (
        ("lists", "lists.ipynb", {"values": ["a", "b"]}),
        ("exit_zero", "exits.ipynb", {"how": "sys.exit(0)"}),
    ):
        plain = tmp_path / f"{name}.ipynb"
        papermill.execute_notebook(
            str(NOTEBOOKS / notebook), str(plain), parameters=parameters, kernel_name="python3", progress_bar=False
        )  # does not raise: a clean end for papermill too
        theirs = _code_outputs(nbformat.read(plain, as_version=4))
        ours = _code_outputs(nbformat.read(out / f"{name}.ipynb", as_version=4))
        assert [[(o.output_type, o.get("ename"), o.get("text")) for o in c] for c in theirs] == [
            [(o.output_type, o.get("ename"), o.get("text")) for o in c] for c in ours
        ]


def _failed(out: Path, name: str):
    nb = nbformat.read(out / f"{name}.failed.ipynb", as_version=4)
    banners = [i for i, c in enumerate(nb.cells) if BANNER in c.metadata.get("tags", [])]
    return nb, banners


def _links_to(nb, banners: list[int]) -> int:
    """The cell the banner's link points at: the one right after the anchor cell."""
    first, anchor = banners
    assert first == 0 and 'href="#papermill-error-cell"' in nb.cells[0].source
    assert 'id="papermill-error-cell"' in nb.cells[anchor].source
    target = nb.cells[anchor + 1]
    assert f"In [{target.execution_count}]" in nb.cells[0].source
    return anchor + 1


def test_errors_of_an_earlier_run_are_cleared_before_the_notebook_runs(fixture_runs):
    out, outcomes = fixture_runs
    assert outcomes["old_errors"].error == "RuntimeError: the new error"
    nb, banners = _failed(out, "old_errors")
    assert len(banners) == 2  # one banner, one anchor: the earlier run's are gone
    errors = [o.ename for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == ["RuntimeError"]
    assert "the new error" in nb.cells[_links_to(nb, banners)].source
    assert nb.cells[-1].outputs == [] and nb.cells[-1].execution_count is None


def test_an_error_raised_by_a_line_magic_gets_its_link_to_the_failing_cell(fixture_runs):
    out, outcomes = fixture_runs
    assert outcomes["line_magic"].error.startswith("UsageError")
    nb, banners = _failed(out, "line_magic")
    assert nb.cells[_links_to(nb, banners)].source == "%this_magic_does_not_exist"


def test_a_syntax_error_in_a_parameters_cell_is_a_batch_problem_before_anything_runs(
    fixture_notebooks, tmp_path, capsys
):
    batch = FIXTURES / "batch" / "parameters_cell_syntax_error.yaml"
    with pytest.raises(BatchError) as err:
        load_batch(batch)
    ((job, key, message, fix),) = err.value.problems
    assert job == "#2 (broken)" and key == "notebook"
    assert "bad_parameters.ipynb" in message and "line 2 of the cell" in message and "parameters cell" in fix
    code = main(["run", str(batch), "--out", str(tmp_path / "reports")])
    captured = capsys.readouterr()
    assert code == 2 and "line 2 of the cell" in captured.err and "Traceback" not in captured.err
    assert not (tmp_path / "reports").exists()


def test_run_prints_its_summary_line_once(fixture_notebooks, shipped_data, tmp_path, capsys):
    out = tmp_path / "reports"
    code = main(
        ["--data-dir", str(shipped_data), "run", str(FIXTURES / "batch" / "one_report.yaml"), "--out", str(out)]
    )
    captured = capsys.readouterr()
    assert code == 0
    assert (captured.out + captured.err).count("1 done, 0 skipped (up to date), 0 failed") == 1


# -- a report too large ----------------------------------------------------------------------------


def test_a_report_over_its_size_limit_fails_alone_and_its_previous_html_stays(fixture_runs):
    out, outcomes = fixture_runs
    big = outcomes["too_big"]
    assert big.status == "stale"
    assert "notebook is 2.5 MB, over the limit of 1 MB" in big.error and "max_report_mb" in big.error
    assert (out / "too_big.html").read_text(encoding="utf-8") == "the previous good report"
    assert (out / "too_big.failed.ipynb").stat().st_size < 100_000  # the oversized output left out
    nb, banners = _failed(out, "too_big")
    assert any(o.get("ename") == "ReportTooLargeError" for o in nb.cells[_links_to(nb, banners)].outputs)
    assert outcomes["small_enough"].status == "ok"
    assert 'data-status="stale"' in (out / "index.html").read_text(encoding="utf-8")  # listed as stale


def test_the_size_limit_is_set_in_the_batch_file_on_the_command_line_or_in_the_environment(monkeypatch):
    doc = {
        "defaults": {"max_report_mb": 5},
        "jobs": [
            {"notebook": "overview.ipynb", "name": "a"},
            {"notebook": "overview.ipynb", "name": "b", "max_report_mb": 0.5},
        ],
    }
    a, b = expand(doc)
    assert (a.max_report_bytes, b.max_report_bytes) == (5_000_000, 500_000)
    (c,) = expand({"jobs": [{"notebook": "overview.ipynb", "name": "c"}]})
    assert c.max_report_bytes == 20_000_000  # the documented default
    monkeypatch.setenv("INDICATORS_MAX_REPORT_MB", "3")
    assert c.max_report_bytes == 3_000_000
    monkeypatch.setenv("INDICATORS_MAX_REPORT_MB", "lots")
    with pytest.raises(ParameterError, match="INDICATORS_MAX_REPORT_MB"):
        _ = c.max_report_bytes
    with pytest.raises(BatchError, match="not a positive number of MB"):
        expand({"jobs": [{"notebook": "overview.ipynb", "name": "d", "max_report_mb": "big"}]})
    with pytest.raises(SystemExit):
        main(["run", "--max-report-mb", "0"])


# -- kernel connection files -------------------------------------------------------------------------


def test_a_kernel_s_connection_file_is_removed_when_it_stops(runtime_dir):
    kernel = WarmKernel()
    kernel.launch()
    path = Path(kernel._km.connection_file)
    try:
        assert path.parent == runtime_dir and re.fullmatch(
            rf"indicators-kernel-{os.getpid()}-[0-9a-f]{{32}}\.json", path.name
        )
        assert path.exists() and path.stat().st_mode & 0o077 == 0  # it holds the kernel's key
    finally:
        kernel.shutdown()
    assert not path.exists()


def test_no_connection_file_is_left_after_a_run(fixture_runs, runtime_dir):
    assert not list(runtime_dir.glob(f"indicators-kernel-{os.getpid()}-*.json"))


KILLED_KERNEL_RUNNER = """
import json, os, signal, sys
from indicators.batch.kernels import WarmKernel
kernel = WarmKernel()
kernel.launch()
print(json.dumps([kernel._km.connection_file, kernel._km.provisioner.process.pid]), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_connection_files_of_a_killed_runner_are_removed_by_the_next_run(runtime_dir):
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime_dir)}
    done = subprocess.run([sys.executable, "-c", KILLED_KERNEL_RUNNER], capture_output=True, text=True, env=env)
    assert done.returncode == -signal.SIGKILL
    connection, kernel_pid = json.loads(done.stdout)
    try:
        assert Path(connection).exists()  # left behind, with the kernel's key in it
        mine = runtime_dir / f"indicators-kernel-{os.getpid()}-{'0' * 32}.json"
        mine.write_text("{}")  # a live process's file stays
        assert remove_stale_connection_files() == [Path(connection)]
        assert not Path(connection).exists() and mine.exists()
        mine.unlink()
    finally:
        if _alive(kernel_pid):  # the orphaned kernel would exit on its own once booted; no need to wait
            os.kill(kernel_pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]


# -- faults of the environment --------------------------------------------------------------------


def _read_only(monkeypatch, folder: Path, code: int = errno.EROFS) -> None:
    """Make every write inside ``folder`` fail as on a read-only file system (also for root,
    who may write to a chmod-ed folder)."""
    root = os.path.abspath(folder)
    real_open, real_os_open, real_mkdir = builtins.open, os.open, os.mkdir

    def inside(path) -> bool:
        return isinstance(path, str | os.PathLike) and os.path.abspath(os.fspath(path)).startswith(root)

    def refuse(path):
        raise OSError(code, os.strerror(code), os.fspath(path))

    def fake_open(file, mode="r", *args, **kwargs):
        if inside(file) and any(c in mode for c in "wax+"):
            refuse(file)
        return real_open(file, mode, *args, **kwargs)

    def fake_os_open(path, flags, *args, **kwargs):
        if inside(path) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            refuse(path)
        return real_os_open(path, flags, *args, **kwargs)

    def fake_mkdir(path, *args, **kwargs):
        if inside(path):
            if os.path.isdir(path):
                raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), os.fspath(path))
            refuse(path)
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(os, "open", fake_os_open)
    monkeypatch.setattr(os, "mkdir", fake_mkdir)


def _previous_run(out: Path) -> dict[str, bytes]:
    out.mkdir(parents=True)
    (out / "one.html").write_text("the previous report", encoding="utf-8")
    (out / "one.ipynb").write_text("{}", encoding="utf-8")
    (out / ".manifest.json").write_text(json.dumps({"one": {"status": "ok", "title": "one"}}), encoding="utf-8")
    return snapshot(out)


def _one_line(err: str, *words: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in err and "Fix:" in lines[0]
    for word in words:
        assert word in lines[0], lines[0]


def test_a_read_only_report_folder_ends_with_one_line_and_changes_nothing(
    fixture_notebooks, shipped_data, tmp_path, monkeypatch, capsys
):
    out = tmp_path / "reports"
    before = _previous_run(out)
    _read_only(monkeypatch, out)
    code = main(
        ["--data-dir", str(shipped_data), "run", str(FIXTURES / "batch" / "one_report.yaml"), "--out", str(out)]
    )
    monkeypatch.undo()
    assert code == 3
    _one_line(capsys.readouterr().err, str(out), "read-only", "writable")
    assert snapshot(out) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder; the test above simulates it")
def test_a_report_folder_without_write_permission_ends_with_one_line(fixture_notebooks, shipped_data, tmp_path, capsys):
    out = tmp_path / "reports"
    before = _previous_run(out)
    out.chmod(0o555)
    try:
        code = main(
            ["--data-dir", str(shipped_data), "run", str(FIXTURES / "batch" / "one_report.yaml"), "--out", str(out)]
        )
    finally:
        out.chmod(0o755)
    assert code == 3
    _one_line(capsys.readouterr().err, str(out), "permission denied")
    assert snapshot(out) == before


def _change_the_data(data_dir: Path) -> None:
    with open(data_dir / "raw" / "observations.csv", "a", encoding="utf-8") as handle:
        handle.write("gdp,wcna,2021,level,,4400,亿元,current,exact,reported,bulletin_2022,fixture,\n")


def test_a_read_only_data_folder_ends_the_build_with_one_line(data_dir, monkeypatch, capsys):
    indicators.build(data_dir)
    before = snapshot(data_dir / "processed")
    _change_the_data(data_dir)
    _read_only(monkeypatch, data_dir / "processed")
    code = main(["--data-dir", str(data_dir), "build"])
    monkeypatch.undo()
    assert code == 3
    _one_line(capsys.readouterr().err, "processed", "read-only")
    assert snapshot(data_dir / "processed") == before


def test_a_full_disk_during_the_build_ends_with_one_line_and_leaves_processed_as_it_was(data_dir, monkeypatch, capsys):
    indicators.build(data_dir)
    before = snapshot(data_dir / "processed")
    _change_the_data(data_dir)
    real = pd.DataFrame.to_parquet

    def full(self, path, *args, **kwargs):
        if "targets" in str(path):  # half-way through the tables
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real(self, path, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", full)
    assert main(["--data-dir", str(data_dir), "build"]) == 3
    _one_line(capsys.readouterr().err, "targets.parquet", "the disk is full", "free space")
    assert snapshot(data_dir / "processed") == before  # no temporary left, nothing renamed


def test_a_full_disk_while_a_report_is_written_ends_the_run_with_one_line(
    fixture_notebooks, shipped_data, tmp_path, monkeypatch, capsys
):
    out = tmp_path / "reports"
    before = _previous_run(out)
    real_write = os.write

    def full(fd, data):
        target = os.readlink(f"/proc/self/fd/{fd}")
        if target.startswith(str(out)) and ".html." in target:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full)
    code = main(
        ["--data-dir", str(shipped_data), "run", str(FIXTURES / "batch" / "one_report.yaml"), "--out", str(out)]
    )
    monkeypatch.undo()
    assert code == 3
    _one_line(capsys.readouterr().err.splitlines()[-1], "one.html", "the disk is full")
    after = snapshot(out)
    for name in ("one.html", "one.ipynb", ".manifest.json"):  # the report's pair is renamed together or not at all
        assert after[name] == before[name]
    assert not [n for n in after if n.endswith(".tmp")]


def test_a_file_where_the_output_folder_should_be_ends_with_one_line(fixture_notebooks, shipped_data, tmp_path, capsys):
    (tmp_path / "taken").write_text("a file", encoding="utf-8")
    out = tmp_path / "taken" / "reports"
    code = main(
        ["--data-dir", str(shipped_data), "run", str(FIXTURES / "batch" / "one_report.yaml"), "--out", str(out)]
    )
    assert code == 3
    _one_line(capsys.readouterr().err, "a file stands where a folder should be")
    code = main(["--data-dir", str(shipped_data), "export", "--out", str(out / "x.xlsx")])
    assert code == 3
    _one_line(capsys.readouterr().err, "x.xlsx")


KILLED_BUILD = """
import os, signal, sys
import pandas as pd
import indicators
real = pd.DataFrame.to_parquet
def killed(self, path, *args, **kwargs):
    real(self, path, *args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)  # as `kill -9` half-way through the build
pd.DataFrame.to_parquet = killed
indicators.build(sys.argv[1])
"""

KILLED_RUN = """
import os, signal, sys
from pathlib import Path
from indicators.batch.jobs import Job
from indicators.batch.kernels import JobResult
from indicators.batch.runner import write_result
os.replace = lambda *args: os.kill(os.getpid(), signal.SIGKILL)  # killed between writing and renaming
result = JobResult("one", True, 0.1, "{}", "<html></html>", "one")
write_result(Path(sys.argv[1]), Job("one", "overview.ipynb"), result, {}, "", "", "")
"""


def _killed(script: str, *args: str) -> int:
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True)
    assert done.returncode == -signal.SIGKILL, done.stderr
    return done.returncode


def test_temporaries_of_a_killed_build_are_removed_by_the_next_build(data_dir):
    _killed(KILLED_BUILD, str(data_dir))
    left = sorted(p.name for p in (data_dir / "processed").glob(".*.tmp"))
    assert left and all(re.fullmatch(r"\.\w+\.(csv|parquet)\.\d+\.[0-9a-f]{12}\.tmp", n) for n in left)
    indicators.build(data_dir)
    assert not list((data_dir / "processed").glob(".*.tmp"))


def test_temporaries_of_a_killed_run_are_removed_by_the_next_run(shipped_data, tmp_path, runtime_dir):
    out = tmp_path / "reports"
    out.mkdir()
    _killed(KILLED_RUN, str(out))
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    stale = runtime_dir / f"indicators-kernel-{gone.pid}-{'1' * 32}.json"  # a killed runner's kernel's
    stale.write_text("{}")
    assert sorted(re.sub(r"\.\d+\.[0-9a-f]{12}\.tmp$", "", p.name) for p in out.glob(".*.tmp")) == [
        ".one.html",
        ".one.ipynb",
    ]
    mine = out / f".other.html.{os.getpid()}.{'0' * 12}.tmp"
    mine.write_text("being written by a live process")
    run_jobs([], out_dir=out, data_dir=shipped_data, stream=io.StringIO())  # no report to run, no kernel
    assert [p.name for p in out.glob(".*.tmp")] == [mine.name]  # only the live process's is left
    assert not stale.exists()
