"""Offline HTML from executed notebooks, in-process (no `jupyter nbconvert` process per report).

The template (``templates/indicators_offline``) keeps the cells of nbconvert's ``lab`` template
and writes a head of its own: the Content-Security-Policy (:data:`CONTENT_SECURITY_POLICY`, no
script runs), the viewport, and the report stylesheet only (no JupyterLab theme, nothing loaded
from a CDN); the exporter leaves out code cells and prompts; charts are already inline images.
For print, each page carries the report's title and data version at the top and its number at
the bottom (:func:`page_css`, CSS paged-media margin boxes, as headless Chromium prints them).
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path

from ..version import __version__
from .fonts import CSS_FONT_STACK
from .i18n import t

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE = "indicators_offline"

#: The Content-Security-Policy of every report and of the index page: a report needs no script,
#: so none runs, not even one that untrusted text might smuggle in; images are data: URIs (the
#: charts), styles inline (the stylesheet, pandas' table styles), and nothing is fetched.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'none'; object-src 'none'; style-src 'unsafe-inline'; "
    "img-src data:; font-src data:; base-uri 'none'; form-action 'none'"
)
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'


#: The page's ``lang`` for each report language.
PAGE_LANGUAGE = {"zh": "zh-CN", "en": "en"}


@lru_cache(maxsize=2)
def _exporter(language: str = "zh"):
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(template_name=TEMPLATE, extra_template_basedirs=[str(TEMPLATES)])
    exporter.language_code = PAGE_LANGUAGE.get(language, "zh-CN")  # <html lang="…">
    # "remove-cell": notes for people running the notebook in JupyterLab, not for readers
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={"remove-cell"}), enabled=True)
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    return exporter


@lru_cache(maxsize=1)
def report_css() -> str:
    return (TEMPLATES / TEMPLATE / "report.css").read_text(encoding="utf-8").replace("FONT_STACK", CSS_FONT_STACK)


def _outputs_html(nb):
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/html", "")
            yield "".join(text) if isinstance(text, list) else (text or "")


def report_title(nb) -> str:
    """The report's title: the first ``<h1>`` among the notebook's outputs."""
    for text in _outputs_html(nb):
        m = re.search(r"<h1>(.*?)</h1>", text, flags=re.S)
        if m:
            return html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip()
    return ""


def report_fact(nb, name: str) -> str:
    """A fact the report's header states as ``data-NAME`` (empty where there is no header)."""
    for text in _outputs_html(nb):
        m = re.search(r'<header class="ind-header"[^>]*\bdata-' + re.escape(name) + r'="([^"]*)"', text)
        if m:
            return html.unescape(m.group(1))
    return ""


def report_language(nb) -> str:
    """The report's language, as its header says it (``data-language``); Chinese by default."""
    language = report_fact(nb, "language")
    return language if language in PAGE_LANGUAGE else "zh"


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string: letters, digits and spaces as they are, every other
    character as a CSS escape (so that no quote, backslash or ``</style>`` in text from the data
    can end the string or the stylesheet)."""
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):06x}" for c in text) + '"'


def page_css(title: str, data_version: str, language: str) -> str:
    """The printed page's margin boxes: the title top left, the data version top right, the
    page number bottom right (Chromium prints ``@page`` margin boxes; it has no ``string-set``,
    so the texts are written into the rule)."""
    box = "font-family: var(--ind-font); font-size: 7.5pt; color: #6b7280;"
    version = f"{t('data_version', language)} {data_version}".strip() if data_version else ""
    return (
        "@page {"
        f" @top-left {{ content: {css_string(title)}; {box} }}"
        f" @top-right {{ content: {css_string(version)}; {box} }}"
        f' @bottom-right {{ content: counter(page) " / " counter(pages); {box} }}'
        " }"
    )


def notebook_to_html(nb, *, title: str | None = None) -> str:
    """The offline HTML of an executed notebook (an ``nbformat`` node)."""
    if title:
        nb.metadata["title"] = title
    language = report_language(nb)
    resources = {
        "indicators_css": report_css(),
        "indicators_page_css": page_css(
            str(nb.metadata.get("title") or report_title(nb)), report_fact(nb, "data-version"), language
        ),
        "indicators_csp": CONTENT_SECURITY_POLICY,
        "indicators_version": __version__,
    }
    body, _ = _exporter(language).from_notebook_node(nb, resources=resources)
    return body
