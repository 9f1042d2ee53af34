"""``--pdf``: each report's ``NAME.pdf`` printed by headless Chromium, atomically, with text one
can select and search; opt-in; not printed again while its report is unchanged; a PDF that fails
fails alone; no browser, one line naming the fix before anything runs."""

from __future__ import annotations

import io
import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

from indicators.batch import pdf as pdf_module
from indicators.batch.jobs import Job
from indicators.batch.pdf import FLAGS, print_pdf
from indicators.batch.runner import run_jobs
from indicators.cli import main
from indicators.errors import PdfError

from .conftest import FIXTURES

ONE = FIXTURES / "batch" / "one_report.yaml"  # ok.ipynb, whose page says "Fixture ok"

FAKE_CHROMIUM = """#!{python}
# a stand-in for chromium: records its arguments, then prints a one-page PDF or fails
import os, sys
with open(os.environ["FAKE_CHROMIUM_LOG"], "a", encoding="utf-8") as log:
    log.write("\\t".join(sys.argv[1:]) + "\\n")
if os.environ.get("FAKE_CHROMIUM_FAILS"):
    sys.stderr.write("[1:1:ERROR:dbus] noise\\nboom: cannot print\\n")
    sys.exit(1)
profile = next(a.split("=", 1)[1] for a in sys.argv if a.startswith("--user-data-dir="))
assert os.path.isdir(profile) or not os.path.exists(profile)
target = next(a.split("=", 1)[1] for a in sys.argv if a.startswith("--print-to-pdf="))
with open(target, "wb") as pdf:
    pdf.write(b"%PDF-1.4\\n% fake\\n")
"""


@pytest.fixture
def fixture_notebooks(monkeypatch):
    monkeypatch.setenv("INDICATORS_NOTEBOOKS_DIR", str(FIXTURES / "notebooks"))


class FakeChromium(NamedTuple):
    path: Path
    log: Path


@pytest.fixture
def fake_chromium(tmp_path, monkeypatch):
    """A ``chromium`` first on PATH that records its arguments (``.log``) and prints a stub PDF,
    or fails when ``FAKE_CHROMIUM_FAILS`` is set."""
    folder = tmp_path / "fake-bin"
    folder.mkdir()
    script = folder / "chromium"
    script.write_text(FAKE_CHROMIUM.format(python=sys.executable), encoding="utf-8")
    script.chmod(0o755)
    log = tmp_path / "chromium-args.log"
    monkeypatch.setenv("FAKE_CHROMIUM_LOG", str(log))
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return FakeChromium(script, log)


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, flags=re.M).group(1))


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


# -- printing one page ---------------------------------------------------------------------------


def test_chromium_prints_with_a_fresh_profile_and_the_pdf_is_renamed_into_place(fake_chromium, tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    (out / "r.html").write_text("<h1>r</h1>", encoding="utf-8")
    old = os.umask(0o022)
    try:
        print_pdf(out / "r.html", out / "r.pdf", chromium=str(fake_chromium.path), within=out)
    finally:
        os.umask(old)
    args = fake_chromium.log.read_text(encoding="utf-8").splitlines()[0].split("\t")
    assert set(FLAGS) <= set(args)
    assert {"--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--disable-quic"} <= set(args)
    profile = next(a.split("=", 1)[1] for a in args if a.startswith("--user-data-dir="))
    assert not Path(profile).exists()  # removed afterwards
    assert args[-1] == (out / "r.html").resolve().as_uri()
    assert (out / "r.pdf").read_bytes().startswith(b"%PDF-")
    assert stat.S_IMODE((out / "r.pdf").stat().st_mode) == 0o644  # the umask's modes
    assert sorted(p.name for p in out.iterdir()) == ["r.html", "r.pdf"]  # no temporary left


def test_a_browser_that_fails_fails_the_pdf_with_its_reason_and_leaves_nothing(fake_chromium, tmp_path, monkeypatch):
    monkeypatch.setenv("FAKE_CHROMIUM_FAILS", "1")
    (tmp_path / "r.html").write_text("<h1>r</h1>", encoding="utf-8")
    with pytest.raises(PdfError, match=r"could not print r.html \(exit code 1: boom: cannot print\)"):
        print_pdf(tmp_path / "r.html", tmp_path / "r.pdf", chromium=str(fake_chromium.path), within=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".pdf", ".tmp")) == []


def test_without_chromium_pdf_stops_before_anything_runs_with_one_line_naming_the_fix(
    shipped_data, tmp_path, monkeypatch, capsys
):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setattr(pdf_module, "CHROMIUM", tmp_path / "no-chromium")
    out = tmp_path / "reports"
    for command in (["run", str(ONE), "--pdf"], ["report", "audit", "--pdf"]):
        code = main(["--data-dir", str(shipped_data), *command, "--out", str(out)])
        err = capsys.readouterr().err
        assert code == 2, command
        assert len(err.strip().splitlines()) == 1 and "bash scripts/install-system-deps.sh browser" in err
        assert not out.exists()  # nothing ran, nothing was written


# -- in the batch --------------------------------------------------------------------------------


@pytest.mark.browser
def test_run_pdf_prints_each_report_once_and_again_only_when_it_changes(
    fixture_notebooks, shipped_data, tmp_path, chromium, poppler, capsys
):
    out = tmp_path / "reports"
    args = ["--data-dir", str(shipped_data), "run", str(ONE), "--out", str(out)]
    assert main([*args, "--pdf"]) == 0
    pdf = out / "one.pdf"
    assert _pages(pdf) == 1  # a one-heading page: one A4 or Letter page
    assert "Fixture ok" in _text(pdf)  # the title, as text one can select and search
    assert 'href="one.pdf"' in (out / "index.html").read_text(encoding="utf-8")
    assert "PDF: 1 printed, 0 up to date, 0 failed" in capsys.readouterr().err
    printed = pdf.stat()

    assert main([*args, "--pdf"]) == 0  # unchanged: not printed again
    assert "PDF: 0 printed, 1 up to date, 0 failed" in capsys.readouterr().err
    assert (pdf.stat().st_ino, pdf.stat().st_mtime_ns) == (printed.st_ino, printed.st_mtime_ns)

    assert main([*args, "--pdf", "--force"]) == 0  # --force prints again (a new file, renamed over the old)
    assert "PDF: 1 printed" in capsys.readouterr().err
    assert pdf.stat().st_ino != printed.st_ino

    # the report changes without --pdf: its old PDF no longer matches and goes
    summary = run_jobs([Job("one", "ok.ipynb", {"label": "changed"})], out_dir=out, data_dir=shipped_data)
    assert summary.exit_code == 0 and not pdf.exists()
    assert 'href="one.pdf"' not in (out / "index.html").read_text(encoding="utf-8")
    assert "pdf" not in json.loads((out / ".manifest.json").read_text(encoding="utf-8"))["one"]


def test_a_pdf_that_fails_fails_alone_and_the_report_is_written(
    fixture_notebooks, fake_chromium, shipped_data, tmp_path, monkeypatch
):
    monkeypatch.setenv("FAKE_CHROMIUM_FAILS", "1")
    out = tmp_path / "reports"
    stream = io.StringIO()
    summary = run_jobs([Job("one", "ok.ipynb", {})], out_dir=out, data_dir=shipped_data, pdf=True, stream=stream)
    (outcome,) = summary.outcomes
    assert outcome.status == "ok" and (out / "one.html").exists() and (out / "one.ipynb").exists()
    assert outcome.pdf == "failed" and "boom: cannot print" in outcome.pdf_error
    assert not (out / "one.pdf").exists()
    assert summary.exit_code == 1  # something asked for was not made
    assert "PDF: 0 printed, 0 up to date, 1 failed" in stream.getvalue()
    assert "one: PDF failed" in (out / "run.log").read_text(encoding="utf-8")
    manifest = json.loads((out / ".manifest.json").read_text(encoding="utf-8"))
    assert manifest["one"]["status"] == "ok" and "pdf" not in manifest["one"]
