"""``reports/index.html``: one index of every report under the output folder, kept from the manifest.

Every report the batch (``indicators run``) or ``indicators report`` makes has an entry in
``reports/.manifest.json``; the index is rebuilt from all of them after every run, so no run and
no single report drops another's entry. An entry whose HTML or notebook is gone is listed as
*missing*, not dropped.

What a row shows of a report comes from the report itself: its title (the first ``<h1>``) and
the attributes of its header element (``<header class="ind-header" data-kind="trend"
data-region="wcna" data-headline="…">``), read from the executed notebook's outputs
(:func:`report_facts`) and kept in the manifest, so the index is rebuilt without reading pages.

The page works offline: a search box, filters and sortable columns come from one inline script
allowed by its SHA-256 hash in the page's Content-Security-Policy (:data:`INDEX_POLICY`) and
nothing else; without JavaScript the controls stay hidden and the table is complete. Every text
from a report, the data or a parameter is escaped again here.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

from ..atomic import write_text_atomically
from ..reporting.fonts import CSS_FONT_STACK
from ..version import __version__
from .jobs import name_problem

INDEX = "index.html"
#: The id of the section of a report page that offers its data (a workbook, CSV files).
DATA_ANCHOR = "data"
_DATA_SECTION = re.compile(r'\bid\s*=\s*["\']?' + DATA_ANCHOR + r'["\'\s>]')
_HEADER_TAG = re.compile(r"<header\b[^>]*>", re.I)
_TITLE = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S | re.I)
MAX_FACTS, MAX_FACT_CHARS = 24, 400  # text from a page, kept in the manifest: bounded

KINDS = {
    "trend": "趋势 / Trend",
    "target_gap": "目标差距 / Target gap",
    "overview": "总览 / Overview",
    "peers": "新区比较 / Peers",
    "audit": "数据审计 / Data audit",
}
LANGUAGES = {"zh": "中文", "en": "English"}
PAGE_LANG = {"zh": "zh-CN", "en": "en"}
STATUSES = {
    "ok": "正常 / ok",
    "stale": "过时 / stale",
    "failed": "失败 / failed",
    "missing": "缺失 / missing",
}

# -- facts from a report ----------------------------------------------------------------------


class _StartTag(HTMLParser):
    """The attributes of the first start tag fed (character references resolved)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attrs: list[tuple[str, str | None]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.attrs is None:
            self.attrs = attrs


def _outputs_html(nb) -> Iterator[str]:
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/html", "")
            yield "".join(text) if isinstance(text, list) else (text or "")


def header_facts(markup: str) -> dict[str, str] | None:
    """The facts a report's header element carries (``data-region="wcna"`` → ``region``), its
    ``lang`` as ``lang``; ``None`` when ``markup`` holds no ``<header class="ind-header">``."""
    for match in _HEADER_TAG.finditer(markup):
        parser = _StartTag()
        parser.feed(match.group(0))
        parser.close()
        attrs = dict(parser.attrs or [])
        if "ind-header" not in (attrs.get("class") or "").split():
            continue
        facts = {
            key[5:].replace("-", "_"): (value or "")[:MAX_FACT_CHARS]
            for key, value in attrs.items()
            if key.startswith("data-") and len(key) > 5
        }
        facts = dict(list(facts.items())[:MAX_FACTS])
        if attrs.get("lang"):
            facts["lang"] = str(attrs["lang"])[:MAX_FACT_CHARS]
        return facts
    return None


def report_facts(nb) -> dict[str, str]:
    """What the index shows of a report beside its title, from its header element among the
    executed notebook's outputs (``kind``, ``language``, ``region``, ``indicator``, ``plan``,
    ``headline``, ``data_version``, ``data_as_of``, ``lang``); empty when it has no header."""
    for text in _outputs_html(nb):
        facts = header_facts(text)
        if facts is not None:
            return facts
    return {}


def offers_data(page: str) -> bool:
    """Whether a report page has a section ``#data`` (the downloads of its data)."""
    return _DATA_SECTION.search(page) is not None


def recover_entries(out_dir: Path, manifest: Mapping) -> dict[str, dict]:
    """Entries for report pages in ``out_dir`` that the manifest does not know (it was damaged or
    lost, or the folder is older than it): read from the pages themselves, so that no report
    drops out of the index."""
    found: dict[str, dict] = {}
    for page in sorted(Path(out_dir).glob("*.html")):
        name = page.stem
        if name in manifest or name == Path(INDEX).stem or name.startswith("."):
            continue
        try:
            text = page.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        facts = header_facts(text) or {}
        title = _TITLE.search(text)
        found[name] = {
            "status": "ok",
            "fingerprint": "",
            "title": html.unescape(re.sub(r"<[^>]+>", "", title.group(1))).strip()[:MAX_FACT_CHARS] if title else name,
            "kind": facts.get("kind", ""),
            "parameters": {},
            "data_version": facts.get("data_version", ""),
            "facts": facts,
            "has_data": offers_data(text),
            "recovered": True,
        }
    return found


# -- rows -------------------------------------------------------------------------------------


@dataclass
class Row:
    """One report as the index lists it."""

    name: str
    kind: str
    title: str
    lang: str
    language: str
    regions: list[str]
    indicators: list[str]
    plans: list[str]
    headline: str
    as_of: str
    data_version: str
    status: str  # ok, stale, failed, missing
    reason: str
    parameters: str
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, href)


def _ids(value: object) -> list[str]:
    """Ids from a fact or a parameter: a list, or a text separated by commas or spaces."""
    items = value if isinstance(value, list) else re.split(r"[,\s]+", str(value or ""))
    return [str(item).strip() for item in items if str(item).strip()]


def _shown(value: object) -> str:
    return ",".join(map(str, value)) if isinstance(value, list) else str(value)


def _clip(text: str, limit: int = MAX_FACT_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _href(name: str, suffix: str) -> str:
    return quote(name, safe="") + suffix  # a name from the manifest stays one file in this folder


def row_of(name: str, entry: Mapping, out_dir: Path, *, outdated: bool) -> Row:
    """The row of one manifest entry; its status from the entry and the files that are there."""
    facts = entry.get("facts") or {}
    params = entry.get("parameters") or {}
    kind = str(facts.get("kind") or entry.get("kind") or "")
    language = str(facts.get("language") or params.get("language") or "zh")
    plain = name_problem(name) is None  # a name the tool could have made: a file in this folder

    def there(suffix: str) -> bool:
        return plain and (out_dir / f"{name}{suffix}").is_file()

    html_there, nb_there, failed_there = there(".html"), there(".ipynb"), there(".failed.ipynb")
    state = entry.get("status")
    error = _clip(str(entry.get("error") or ""))
    if state == "failed":
        status, reason = "failed", error
    elif not (html_there and nb_there):
        gone = [f"{name}{s}" for s, there in ((".html", html_there), (".ipynb", nb_there)) if not there]
        status, reason = "missing", f"{'、'.join(gone)} 已不在 / no longer there"
    elif state == "stale":
        status = "stale"
        reason = f"上次运行失败，此为此前的报告 / the last run failed, this is the previous report: {error}"
    elif outdated:
        status = "stale"
        reason = f"数据已变 / the data changed since (data version {entry.get('data_version', '')})"
    else:
        status, reason = "ok", ""
    links = []
    if html_there:
        links.append(("HTML", _href(name, ".html")))
    if nb_there:
        links.append(("ipynb", _href(name, ".ipynb")))
    if failed_there and state in ("failed", "stale"):
        links.append(("失败的笔记本 / failed notebook", _href(name, ".failed.ipynb")))
    if entry.get("pdf") and there(".pdf"):
        links.append(("PDF", _href(name, ".pdf")))
    if entry.get("has_data") and html_there:
        links.append(("数据 / data", _href(name, f".html#{DATA_ANCHOR}")))
    return Row(
        name=name,
        kind=kind,
        title=str(entry.get("title") or name),
        lang=str(facts.get("lang") or PAGE_LANG.get(language, language)),
        language=language,
        regions=_ids(facts.get("region") or params.get("region") or params.get("regions")),
        indicators=_ids(facts.get("indicator") or params.get("indicator") or params.get("indicators")),
        plans=_ids(facts.get("plan") or params.get("plan")),
        headline=str(facts.get("headline") or ""),
        as_of=str(facts.get("data_as_of") or ""),
        data_version=str(facts.get("data_version") or entry.get("data_version") or ""),
        status=status,
        reason=reason,
        parameters=_clip(", ".join(f"{k}={_shown(v)}" for k, v in params.items())),
        links=links,
    )


def index_rows(out_dir: Path, manifest: Mapping, *, outdated: Callable[[str, Mapping], bool]) -> list[Row]:
    """Every manifest entry as a row, by kind (in :data:`KINDS` order) and name."""
    rows = [row_of(name, entry, out_dir, outdated=outdated(name, entry)) for name, entry in manifest.items()]
    order = {kind: i for i, kind in enumerate(KINDS)}
    return sorted(rows, key=lambda r: (order.get(r.kind, len(order)), r.kind, r.name))


# -- the page ---------------------------------------------------------------------------------

#: The index's only script: search, filters and sorting. Allowed by its hash, nothing else is.
SCRIPT = """
(() => {
  const table = document.getElementById("reports");
  const rows = Array.from(table.tBodies[0].rows);
  const controls = document.getElementById("controls");
  const search = document.getElementById("search");
  const selects = Array.from(controls.querySelectorAll("select"));
  const shown = document.getElementById("shown");
  const apply = () => {
    const words = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
    let count = 0;
    for (const row of rows) {
      const text = row.textContent.toLowerCase();
      const match = words.every((word) => text.includes(word)) &&
        selects.every((select) => !select.value || (row.dataset[select.name] || "").split(" ").includes(select.value));
      row.hidden = !match;
      count += match ? 1 : 0;
    }
    shown.textContent = String(count);
  };
  search.addEventListener("input", apply);
  selects.forEach((select) => select.addEventListener("change", apply));
  const collator = new Intl.Collator(["zh-CN", "en"], { numeric: true, sensitivity: "base" });
  const heads = Array.from(table.tHead.rows[0].cells);
  heads.forEach((head, column) => {
    const button = document.createElement("button");
    button.type = "button";
    button.append(...head.childNodes);
    head.append(button);
    button.addEventListener("click", () => {
      const ascending = head.getAttribute("aria-sort") !== "ascending";
      heads.forEach((other) => other.removeAttribute("aria-sort"));
      head.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const key = (row) => {
        const cell = row.cells[column];
        return cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
      };
      rows.sort((a, b) => (ascending ? 1 : -1) * collator.compare(key(a), key(b)));
      table.tBodies[0].append(...rows);
    });
  });
  controls.hidden = false;
  apply();
})();
"""
SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")
#: The index's Content-Security-Policy: the report pages' policy, with one script allowed by hash.
INDEX_POLICY = (
    f"default-src 'none'; script-src '{SCRIPT_HASH}'; object-src 'none'; style-src 'unsafe-inline'; "
    "img-src data:; font-src data:; base-uri 'none'; form-action 'none'"
)

CSS = """
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{font-family:FONT_STACK;color:#1f2328;margin:0 auto;max-width:1320px;padding:16px;line-height:1.5}
h1{font-size:1.35rem;margin:0 0 .25rem}
.meta{color:#59636e;font-size:.85rem;margin:0 0 .75rem;overflow-wrap:anywhere}
.controls{display:flex;flex-wrap:wrap;gap:.5rem .75rem;margin:0 0 .75rem;align-items:flex-end}
.controls[hidden]{display:none}
.controls label{display:flex;flex-direction:column;flex:1 1 9rem;min-width:0;font-size:.8rem;color:#59636e}
.controls label.search{flex:3 1 16rem}
.controls input,.controls select{font:inherit;font-size:.9rem;width:100%;max-width:100%;padding:.3rem .4rem}
.controls output{font-size:.85rem;color:#59636e;flex:1 1 100%}
.scroll{overflow-x:auto;max-width:100%;border:1px solid #d1d9e0;border-radius:4px}
table{border-collapse:collapse;width:100%;min-width:68rem;font-size:.86rem}
th,td{padding:.4rem .5rem;border-bottom:1px solid #e6e9ec;text-align:left;vertical-align:top}
thead th{background:#f6f8fa;font-weight:600;vertical-align:bottom}
th button{font:inherit;color:inherit;background:none;border:0;padding:0;cursor:pointer;text-align:left}
th[aria-sort=ascending] button::after{content:" \\25B2"}
th[aria-sort=descending] button::after{content:" \\25BC"}
td.title{min-width:14rem}td.title a{font-weight:600}td.headline{min-width:12rem}
.name{display:block;color:#59636e;font-size:.78rem;overflow-wrap:anywhere}
.status-ok{color:#1a7f37}.status-stale{color:#9a6700}.status-failed{color:#cf222e}.status-missing{color:#6e7781}
.reason{display:block;font-size:.78rem;color:#59636e;overflow-wrap:anywhere;max-width:22rem}
td.files a{display:inline-block;margin:0 .5rem .1rem 0;white-space:nowrap}
code{font-size:.85em}
@media print{.controls{display:none}.scroll{overflow:visible;border:0}table{min-width:0;font-size:9pt}}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _label(labels: Mapping[str, Mapping[str, tuple[str, str]]], what: str, ident: str, language: str) -> str:
    """An id's name in a report's language (the id itself when the catalog does not know it)."""
    names = labels.get(what, {}).get(ident)
    if not names:
        return ident
    return (names[1] if language == "en" else names[0]) or ident


def _option_label(labels, what: str, ident: str) -> str:
    names = labels.get(what, {}).get(ident)
    if not names:
        return ident
    return " / ".join(dict.fromkeys(n for n in names if n)) + f" ({ident})"


def _select(name: str, caption: str, options: list[tuple[str, str]], groups: dict | None = None) -> str:
    """A filter: ``name`` is the row attribute it matches (``data-NAME``)."""
    if groups:
        inner = "".join(
            f'<optgroup label="{_e(group)}">'
            + "".join(f'<option value="{_e(v)}">{_e(t)}</option>' for v, t in items)
            + "</optgroup>"
            for group, items in groups.items()
            if items
        )
    else:
        inner = "".join(f'<option value="{_e(v)}">{_e(t)}</option>' for v, t in options)
    return f'<label>{_e(caption)}<select name="{_e(name)}"><option value="">全部 / all</option>{inner}</select></label>'


def _row_html(row: Row, labels) -> str:
    names = " ".join
    regions = "、".join(_label(labels, "region", r, row.language) for r in row.regions)
    subjects = [_label(labels, "indicator", i, row.language) for i in row.indicators]
    subjects += [_label(labels, "plan", p, row.language) for p in row.plans]
    title = (
        f'<a href="{_e(row.links[0][1])}" lang="{_e(row.lang)}">{_e(row.title)}</a>'
        if row.links and row.links[0][0] == "HTML"
        else f'<span lang="{_e(row.lang)}">{_e(row.title)}</span>'
    )
    files = " ".join(f'<a href="{_e(href)}">{_e(label)}</a>' for label, href in row.links)
    reason = f'<span class="reason">{_e(row.reason)}</span>' if row.reason else ""
    version = f' title="数据版本 / data version {_e(row.data_version)}"' if row.data_version else ""
    status_order = list(STATUSES).index(row.status)
    return (
        f'<tr data-kind="{_e(row.kind)}" data-region="{_e(names(row.regions))}" '
        f'data-indicator="{_e(names(row.indicators + row.plans))}" data-language="{_e(row.language)}" '
        f'data-status="{_e(row.status)}">'
        f'<td class="title">{title}<span class="name"><code>{_e(row.name)}</code> {_e(row.parameters)}</span></td>'
        f"<td>{_e(KINDS.get(row.kind, row.kind))}</td>"
        f"<td>{_e(regions)}</td>"
        f'<td lang="{_e(row.lang)}">{_e("、".join(subjects))}</td>'
        f"<td>{_e(LANGUAGES.get(row.language, row.language))}</td>"
        f'<td class="headline" lang="{_e(row.lang)}">{_e(row.headline)}</td>'
        f"<td{version}>{_e(row.as_of)}</td>"
        f'<td data-sort="{status_order}"><span class="status-{_e(row.status)}">{_e(STATUSES[row.status])}</span>'
        f"{reason}</td>"
        f'<td class="files">{files}</td></tr>'
    )


def index_page(rows: list[Row], *, data_version: str, labels: Mapping | None = None, now: str | None = None) -> str:
    """The index page of ``rows`` (every text escaped; see the module docstring)."""
    labels = labels or {}
    stamp = now or dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")

    def distinct(values) -> list[str]:
        return sorted({v for v in values if v})

    languages = distinct(r.language for r in rows)
    statuses = {r.status for r in rows}
    kinds = [k for k in KINDS if any(r.kind == k for r in rows)] + distinct(r.kind for r in rows if r.kind not in KINDS)
    filters = "".join(
        [
            _select("kind", "类型 / Kind", [(k, KINDS.get(k, k)) for k in kinds]),
            _select(
                "region",
                "地区 / Region",
                [(r, _option_label(labels, "region", r)) for r in distinct(x for row in rows for x in row.regions)],
            ),
            _select(
                "indicator",
                "指标或规划 / Indicator or plan",
                [],
                groups={
                    "指标 / Indicators": [
                        (i, _option_label(labels, "indicator", i))
                        for i in distinct(x for row in rows for x in row.indicators)
                    ],
                    "规划 / Plans": [
                        (p, _option_label(labels, "plan", p)) for p in distinct(x for row in rows for x in row.plans)
                    ],
                },
            ),
            _select("language", "语言 / Language", [(la, LANGUAGES.get(la, la)) for la in languages]),
            _select("status", "状态 / Status", [(s, STATUSES[s]) for s in STATUSES if s in statuses]),
        ]
    )
    counts = {s: sum(r.status == s for r in rows) for s in STATUSES}
    summary = " · ".join(f"{STATUSES[s]} {n}" for s, n in counts.items() if n)
    heads = [
        "报告 / Report",
        "类型 / Kind",
        "地区 / Region",
        "指标或规划 / Indicator or plan",
        "语言 / Language",
        "要点 / Headline",
        "数据截至 / Data as of",
        "状态 / Status",
        "文件 / Files",
    ]
    body = "".join(_row_html(row, labels) for row in rows) or (
        f'<tr><td colspan="{len(heads)}">还没有报告 / no reports yet</td></tr>'
    )
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{INDEX_POLICY}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>报告索引 / Report index</title>"
        f"<style>{CSS.replace('FONT_STACK', CSS_FONT_STACK)}</style></head><body>"
        "<h1>青岛西海岸新区经济指标报告 / Reports</h1>"
        f'<p class="meta">{len(rows)} 份报告 / reports: {_e(summary)} · 当前数据版本 / current data version '
        f"<code>{_e(data_version)}</code> · {_e(stamp)} · indicators {_e(__version__)}</p>"
        '<div class="controls" id="controls" hidden>'
        '<label class="search">搜索 / Search<input type="search" id="search" '
        'placeholder="标题、指标、地区… / title, indicator, region…" autocomplete="off"></label>'
        f'{filters}<output id="shown-line">显示 / showing <span id="shown">{len(rows)}</span> / {len(rows)}</output>'
        "</div>"
        '<div class="scroll"><table id="reports"><thead><tr>'
        + "".join(f'<th scope="col">{_e(h)}</th>' for h in heads)
        + f"</tr></thead><tbody>{body}</tbody></table></div>"
        f"<script>{SCRIPT}</script></body></html>"
    )


def catalog_labels(data_dir=None) -> dict[str, dict[str, tuple[str, str]]]:
    """Names of regions, indicators and plans (Chinese, English) by id, for the index."""
    from ..data.catalog import load_table

    def pairs(table: str, key: str, zh: str, en: str) -> dict[str, tuple[str, str]]:
        frame = load_table(table, data_dir=data_dir)
        return {str(r[key]): (str(r[zh] or ""), str(r[en] or "")) for r in frame[[key, zh, en]].to_dict("records")}

    return {
        "region": pairs("regions", "region_id", "name_zh", "name_en"),
        "indicator": pairs("indicators", "indicator_id", "name_zh", "name_en"),
        "plan": pairs("plans", "plan_id", "title_zh", "title_en"),
    }


def write_index(
    out_dir: Path,
    manifest: Mapping,
    *,
    data_version: str,
    outdated: Callable[[str, Mapping], bool] | None = None,
    labels: Mapping | None = None,
) -> Path:
    """Write ``out_dir/index.html`` from every entry of the manifest (atomically).

    ``outdated(name, entry)``: whether the data that report reads changed since it was made
    (default: its data version differs from ``data_version``)."""
    out_dir = Path(out_dir)

    def by_version(_name: str, entry: Mapping) -> bool:
        return bool(entry.get("data_version")) and entry.get("data_version") != data_version

    rows = index_rows(out_dir, manifest, outdated=outdated or by_version)
    path = out_dir / INDEX
    write_text_atomically(path, index_page(rows, data_version=data_version, labels=labels), within=out_dir)
    return path
