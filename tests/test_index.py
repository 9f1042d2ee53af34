"""The index of reports (``reports/index.html``): every report of the manifest, batch or one-off,
with its status read from the files that are there; searchable, filterable and sortable offline
by its one pinned script; escaped; readable without JavaScript and on a phone."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from indicators.batch.index import (
    INDEX_POLICY,
    SCRIPT,
    SCRIPT_HASH,
    header_facts,
    recover_entries,
    report_facts,
    write_index,
)
from indicators.batch.jobs import load_batch
from indicators.batch.runner import run_jobs
from indicators.cli import main

from .browser import offline_page
from .conftest import FIXTURES

HOSTILE_TITLE = "<script>alert('title')</script>报告"
HOSTILE_HEADLINE = "<img src=x onerror=alert('headline')>"
LABELS = {
    "region": {"wcna": ("西海岸新区", "West Coast New Area"), "qingdao": ("青岛市", "Qingdao")},
    "indicator": {"gdp": ("地区生产总值", "GDP"), "marine_gdp": ("海洋生产总值", "Marine GDP")},
    "plan": {"wcna_mobilisation_2023": ("动员令", "Mobilisation 2023")},
}


def _entry(kind: str, title: str, *, status: str = "ok", language: str = "zh", **facts) -> dict:
    return {
        "status": status,
        "fingerprint": "f" if status == "ok" else "",
        "title": title,
        "kind": kind,
        "notebook": f"{kind}.ipynb",
        "parameters": {"language": language},
        "data_version": "v1",
        "data_digest": facts.pop("digest", "now"),
        "facts": {"kind": kind, "language": language, "lang": "zh-CN" if language == "zh" else "en", **facts},
    }


#: name -> (manifest entry, files that are there)
REPORTS = {
    "trend_gdp_wcna": (
        {
            **_entry(
                "trend",
                "地区生产总值趋势报告：青岛西海岸新区",
                region="wcna",
                indicator="gdp",
                headline="2023年5003.4亿元，增长6.0%",
                data_as_of="2024-05-11",
            ),
            "pdf": "f",
            "has_data": True,
        },
        (".html", ".ipynb", ".pdf"),
    ),
    "trend_marine_gdp_wcna_en": (
        _entry(
            "trend",
            "Marine GDP trend: West Coast New Area",
            language="en",
            region="wcna",
            indicator="marine_gdp",
            headline="2023: 1,010 billion yuan",
            data_as_of="2023-04-01",
        ),
        (".html", ".ipynb"),
    ),
    "target_gap_wcna_mobilisation_2023": (
        {
            **_entry(
                "target_gap",
                "目标差距报告：动员令",
                plan="wcna_mobilisation_2023",
                region="wcna",
                headline="3项已实现，2项按计划",
                data_as_of="2024-12-31",
                digest="old",  # the data it reads changed since
            ),
            "pdf": "f",  # recorded, but the file was deleted: no link
        },
        (".html", ".ipynb"),
    ),
    "overview_qingdao": (
        {
            **_entry("overview", "指标总览：青岛市", region="qingdao", data_as_of="2024-03-01", headline="12项指标"),
            "status": "stale",  # its last run failed; the previous report is kept
            "error": "ValueError: boom",
        },
        (".html", ".ipynb", ".failed.ipynb"),
    ),
    "peers_gdp_level": (
        _entry("peers", "新区比较：地区生产总值", indicator="gdp", data_as_of="2024-01-01"),
        (".ipynb",),  # its HTML was deleted
    ),
    "data_audit": (
        {
            "status": "failed",
            "fingerprint": "",
            "kind": "audit",
            "notebook": "data_audit.ipynb",
            "parameters": {"language": "zh"},
            "error": "KeyError: 'sources'",
        },
        (".failed.ipynb",),
    ),
    "hostile": (
        _entry("trend", HOSTILE_TITLE, region="wcna", indicator="gdp", headline=HOSTILE_HEADLINE, data_as_of="2022"),
        (".html", ".ipynb"),
    ),
}
EXPECTED_STATUS = {
    "trend_gdp_wcna": "ok",
    "trend_marine_gdp_wcna_en": "ok",
    "target_gap_wcna_mobilisation_2023": "stale",
    "overview_qingdao": "stale",
    "peers_gdp_level": "missing",
    "data_audit": "failed",
    "hostile": "ok",
}


@pytest.fixture
def index_folder(tmp_path) -> Path:
    """A report folder whose manifest holds a report in every state, and the index written from it."""
    out = tmp_path / "reports"
    out.mkdir()
    manifest = {}
    for name, (entry, files) in REPORTS.items():
        manifest[name] = entry
        for suffix in files:
            (out / f"{name}{suffix}").write_text(f"{name}{suffix}", encoding="utf-8")
    write_index(
        out, manifest, data_version="v2", outdated=lambda _name, e: e.get("data_digest") == "old", labels=LABELS
    )
    return out


class _Page(HTMLParser):
    """The rows (name, status, links) and scripts of an index page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: dict[str, dict] = {}
        self.scripts: list[str] = []
        self.csp: list[str] = []
        self.text: list[str] = []
        self._row: dict | None = None
        self._in: str | None = None
        self._files = False  # inside a row's cell of file links

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "tr" and "data-status" in values:
            self._row = {"status": values["data-status"], "links": {}, "name": None, "attrs": values}
        if tag == "code" and self._row is not None and self._row["name"] is None:
            self._in = "name"
        if tag == "td" and self._row is not None:
            self._files = values.get("class") == "files"
        if tag == "a" and self._row is not None and self._files:
            self._in = values["href"]
        if tag == "script":
            self._in = "script"
            self.scripts.append("")
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "content-security-policy":
            self.csp.append(values["content"])

    def handle_endtag(self, tag):
        if tag == "tr" and self._row is not None:
            self.rows[self._row["name"]] = self._row
            self._row = None
        self._in = None

    def handle_data(self, data):
        self.text.append(data)
        if self._in == "script":
            self.scripts[-1] += data
        elif self._in == "name":
            self._row["name"] = data
        elif self._in and self._row is not None:
            self._row["links"][data] = self._in


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


# -- what the index lists ----------------------------------------------------------------------


def test_every_report_of_the_manifest_is_listed_with_the_status_its_files_give(index_folder):
    rows = _parse(index_folder / "index.html").rows
    assert {name: row["status"] for name, row in rows.items()} == EXPECTED_STATUS


def test_each_row_links_the_files_that_are_there(index_folder):
    rows = _parse(index_folder / "index.html").rows
    assert rows["trend_gdp_wcna"]["links"] == {
        "HTML": "trend_gdp_wcna.html",
        "ipynb": "trend_gdp_wcna.ipynb",
        "PDF": "trend_gdp_wcna.pdf",
        "数据 / data": "trend_gdp_wcna.html#data",
    }
    assert set(rows["target_gap_wcna_mobilisation_2023"]["links"]) == {"HTML", "ipynb"}  # its PDF is gone
    assert set(rows["peers_gdp_level"]["links"]) == {"ipynb"}
    assert rows["data_audit"]["links"] == {"失败的笔记本 / failed notebook": "data_audit.failed.ipynb"}
    assert "overview_qingdao.failed.ipynb" in rows["overview_qingdao"]["links"].values()


def test_a_row_carries_the_report_s_facts_in_its_language(index_folder):
    page = (index_folder / "index.html").read_text(encoding="utf-8")
    rows = _parse(index_folder / "index.html").rows
    assert rows["trend_marine_gdp_wcna_en"]["attrs"] == {
        "data-kind": "trend",
        "data-region": "wcna",
        "data-indicator": "marine_gdp",
        "data-language": "en",
        "data-status": "ok",
    }
    assert rows["target_gap_wcna_mobilisation_2023"]["attrs"]["data-indicator"] == "wcna_mobilisation_2023"
    assert '<a href="trend_marine_gdp_wcna_en.html" lang="en">Marine GDP trend: West Coast New Area</a>' in page
    assert ">Marine GDP</td>" in page and ">地区生产总值</td>" in page  # names in the report's language
    assert "2023年5003.4亿元，增长6.0%" in page and "2024-05-11" in page
    assert "the data changed since" in page and "the last run failed" in page and "ValueError: boom" in page


def test_text_from_a_report_is_escaped_again_and_the_only_script_is_the_pinned_one(index_folder):
    page = _parse(index_folder / "index.html")
    text = "".join(page.text)
    assert HOSTILE_TITLE in text and HOSTILE_HEADLINE in text  # shown as written, as text
    assert page.scripts == [SCRIPT]
    digest = base64.b64encode(hashlib.sha256(page.scripts[0].encode("utf-8")).digest()).decode()
    assert page.csp == [INDEX_POLICY] and f"script-src 'sha256-{digest}';" in INDEX_POLICY
    assert f"sha256-{digest}" == SCRIPT_HASH
    assert "'unsafe-inline'" not in INDEX_POLICY.split("script-src")[1].split(";")[0]
    assert INDEX_POLICY.startswith("default-src 'none';")


def test_the_facts_come_from_the_report_s_header_element():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("report.header()")
    header = (
        '<header class="ind-header" lang="zh-CN" data-language="zh" data-kind="trend" data-data-version="abc" '
        'data-data-as-of="2024-05-11" data-region="wcna" data-indicator="gdp" '
        'data-headline="2023年5003.4亿元，增长&lt;6.0%&gt;"><h1>标题</h1></header>'
    )
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": ["<div>", header, "</div>"]})]
    nb.cells = [nbformat.v4.new_code_cell("x = 1"), cell]
    assert report_facts(nb) == {
        "language": "zh",
        "kind": "trend",
        "data_version": "abc",
        "data_as_of": "2024-05-11",
        "region": "wcna",
        "indicator": "gdp",
        "headline": "2023年5003.4亿元，增长<6.0%>",
        "lang": "zh-CN",
    }
    assert header_facts('<header class="site"><header class="ind-header" data-plan="p">') == {"plan": "p"}
    assert report_facts(nbformat.v4.new_notebook()) == {}


def test_a_report_page_the_manifest_does_not_know_is_listed_from_the_page_itself(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    (out / "kept.html").write_text("<h1>kept</h1>", encoding="utf-8")
    (out / "kept.ipynb").write_text("{}", encoding="utf-8")
    (out / "orphan.ipynb").write_text("{}", encoding="utf-8")
    (out / "orphan.html").write_text(
        '<html><body><header class="ind-header" lang="en" data-kind="overview" data-language="en" '
        'data-region="wcna" data-headline="12 indicators"><h1>Overview: <em>West</em> Coast &amp; more</h1>'
        '</header><section id="data"></section></body></html>',
        encoding="utf-8",
    )
    manifest = {"kept": {"status": "ok", "title": "kept", "kind": "audit", "parameters": {}}}
    manifest.update(recover_entries(out, manifest))
    assert manifest["orphan"]["title"] == "Overview: West Coast & more" and manifest["orphan"]["has_data"]
    assert manifest["orphan"]["facts"]["headline"] == "12 indicators"
    write_index(out, manifest, data_version="v")
    rows = _parse(out / "index.html").rows
    assert {name: row["status"] for name, row in rows.items()} == {"kept": "ok", "orphan": "ok"}
    assert rows["orphan"]["attrs"]["data-kind"] == "overview"


# -- in Chromium ---------------------------------------------------------------------------------

VISIBLE_ROWS = "() => Array.from(document.querySelectorAll('#reports tbody tr')).filter((r) => !r.hidden)" + (
    ".map((r) => r.querySelector('code').textContent)"
)

ROW_STATUSES = "() => Array.from(document.querySelectorAll('#reports tbody tr'), (r) => r.dataset.status)"


@pytest.mark.browser
def test_typing_in_the_search_box_filters_the_rows(index_folder, chromium):
    with offline_page(chromium, index_folder / "index.html") as (page, events):
        assert len(page.evaluate(VISIBLE_ROWS)) == len(REPORTS)
        page.fill("#search", "marine")
        assert page.evaluate(VISIBLE_ROWS) == ["trend_marine_gdp_wcna_en"]
        page.fill("#search", "青岛 总览")  # every word must match
        assert page.evaluate(VISIBLE_ROWS) == ["overview_qingdao"]
        assert page.text_content("#shown") == "1"
        page.fill("#search", "")
        assert len(page.evaluate(VISIBLE_ROWS)) == len(REPORTS)
    assert events.console_errors == [] and events.dialogs == [] and events.external_requests == []


@pytest.mark.browser
def test_the_filters_select_rows_by_kind_region_indicator_language_and_status(index_folder, chromium):
    with offline_page(chromium, index_folder / "index.html") as (page, _):
        page.select_option("select[name=language]", "en")
        assert page.evaluate(VISIBLE_ROWS) == ["trend_marine_gdp_wcna_en"]
        page.select_option("select[name=language]", "")
        page.select_option("select[name=status]", "missing")
        assert page.evaluate(VISIBLE_ROWS) == ["peers_gdp_level"]
        page.select_option("select[name=status]", "")
        page.select_option("select[name=kind]", "trend")
        page.select_option("select[name=indicator]", "gdp")
        assert sorted(page.evaluate(VISIBLE_ROWS)) == ["hostile", "trend_gdp_wcna"]
        page.select_option("select[name=kind]", "")
        page.select_option("select[name=indicator]", "wcna_mobilisation_2023")  # a plan
        assert page.evaluate(VISIBLE_ROWS) == ["target_gap_wcna_mobilisation_2023"]
        page.select_option("select[name=indicator]", "")
        page.select_option("select[name=region]", "qingdao")
        assert page.evaluate(VISIBLE_ROWS) == ["overview_qingdao"]


@pytest.mark.browser
def test_clicking_a_column_header_sorts_the_rows(index_folder, chromium):
    as_of = "() => Array.from(document.querySelectorAll('#reports tbody tr'), (r) => r.cells[6].textContent)"
    with offline_page(chromium, index_folder / "index.html") as (page, _):
        page.click("#reports thead th:nth-child(7) button")
        first = page.evaluate(as_of)
        assert first == sorted(first)
        assert page.get_attribute("#reports thead th:nth-child(7)", "aria-sort") == "ascending"
        page.click("#reports thead th:nth-child(7) button")
        assert page.evaluate(as_of) == sorted(first, reverse=True)
        page.click("#reports thead th:nth-child(8) button")  # status: ok, stale, failed, missing
        statuses = page.evaluate(
            "() => Array.from(document.querySelectorAll('#reports tbody tr'), (r) => r.dataset.status)"
        )
        assert statuses == ["ok"] * 3 + ["stale"] * 2 + ["failed", "missing"]


@pytest.mark.browser
def test_without_javascript_the_table_is_complete_and_the_controls_hidden(index_folder, chromium):
    with offline_page(chromium, index_folder / "index.html", javascript=False) as (page, _):
        assert page.locator("#reports tbody tr:visible").count() == len(REPORTS)
        assert not page.is_visible("#controls")
        assert page.locator("#reports thead button").count() == 0


@pytest.mark.browser
def test_at_375_px_the_page_does_not_scroll_sideways_the_table_scrolls_in_its_box(index_folder, chromium):
    with offline_page(chromium, index_folder / "index.html", viewport={"width": 375, "height": 740}) as (page, _):
        page_width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert page_width[0] <= page_width[1], page_width
        box = page.evaluate(
            "() => { const b = document.querySelector('.scroll'); return [b.scrollWidth, b.clientWidth] }"
        )
        assert box[0] > box[1]  # the wide table scrolls inside its own box
        assert page.get_attribute("meta[name=viewport]", "content") == "width=device-width, initial-scale=1"


@pytest.mark.browser
def test_the_policy_blocks_a_script_injected_into_the_index_and_lets_the_pinned_one_run(index_folder, chromium):
    index = index_folder / "index.html"
    page_text = index.read_text(encoding="utf-8")
    injected = page_text.replace(
        "<h1>",
        "<script>alert('injected')</script><img src=x onerror=\"alert('handler')\">"
        "<a href=\"javascript:alert('link')\" id=js>x</a><h1>",
    )
    assert injected != page_text
    index.write_text(injected, encoding="utf-8")
    with offline_page(chromium, index) as (page, events):
        page.click("#js")
        page.fill("#search", "marine")  # the pinned script still works
        assert page.evaluate(VISIBLE_ROWS) == ["trend_marine_gdp_wcna_en"]
    assert events.dialogs == []
    assert any("Content Security Policy" in e for e in events.console_errors), events.console_errors


# -- batch and one-off reports in one index ----------------------------------------------------


def _statuses(out: Path) -> dict[str, str]:
    return {name: row["status"] for name, row in _parse(out / "index.html").rows.items()}


@pytest.mark.browser  # and prints a PDF with Chromium
def test_a_one_off_report_joins_the_batch_s_reports_and_a_deleted_one_is_listed_missing(
    shipped_data, tmp_path, capsys, chromium, poppler
):
    out = tmp_path / "reports"
    jobs = load_batch(FIXTURES / "batch" / "unnamed.yaml", data_dir=shipped_data)
    assert [j.name for j in jobs] == ["trend_gdp_wcna"]  # named as `indicators report` names it
    assert run_jobs(jobs, out_dir=out, data_dir=shipped_data, stream=io.StringIO()).exit_code == 0
    base = ["--data-dir", str(shipped_data), "report"]
    assert main([*base, "audit", "-p", "language=en", "--out", str(out)]) == 0
    assert _statuses(out) == {"trend_gdp_wcna": "ok", "data_audit_en": "ok"}  # the batch's report stays

    (out / "data_audit_en.html").unlink()
    (out / "data_audit_en.ipynb").unlink()
    assert main([*base, "trend", "-p", "indicator=gdp", "--pdf", "--out", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[-2].startswith(f"{out}/trend_gdp_wcna.html (") and printed[-1] == f"{out}/trend_gdp_wcna.pdf"
    assert _statuses(out) == {"trend_gdp_wcna": "ok", "data_audit_en": "missing"}  # the same name: one entry
    assert set(json.loads((out / ".manifest.json").read_text(encoding="utf-8"))) == {"trend_gdp_wcna", "data_audit_en"}

    title = json.loads((out / ".manifest.json").read_text(encoding="utf-8"))["trend_gdp_wcna"]["title"]
    text = subprocess.run(["pdftotext", str(out / "trend_gdp_wcna.pdf"), "-"], capture_output=True, text=True).stdout
    assert title and title in re.sub(r"\s+", "", text)  # selectable, searchable text
    assert _parse(out / "index.html").rows["trend_gdp_wcna"]["links"]["PDF"] == "trend_gdp_wcna.pdf"
