"""Offline HTML from executed notebooks, in-process (no `jupyter nbconvert` process per report).

The template (``templates/indicators_offline``) extends nbconvert's ``lab`` template and empties
the blocks that load require.js, MathJax, Mermaid and the widget manager from CDNs; the exporter
leaves out code cells and prompts; charts are already inline PNGs. The result opens offline, and
its Content-Security-Policy (:data:`CONTENT_SECURITY_POLICY`) lets no script run.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path

from ..version import __version__
from .fonts import CSS_FONT_STACK

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


@lru_cache(maxsize=1)
def _exporter():
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(template_name=TEMPLATE, extra_template_basedirs=[str(TEMPLATES)])
    # "remove-cell": notes for people running the notebook in JupyterLab, not for readers
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={"remove-cell"}), enabled=True)
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    return exporter


@lru_cache(maxsize=1)
def report_css() -> str:
    return (TEMPLATES / TEMPLATE / "report.css").read_text(encoding="utf-8").replace("FONT_STACK", CSS_FONT_STACK)


def report_title(nb) -> str:
    """The report's title: the first ``<h1>`` among the notebook's outputs."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/html", "")
            if isinstance(text, list):
                text = "".join(text)
            m = re.search(r"<h1>(.*?)</h1>", text or "", flags=re.S)
            if m:
                return html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip()
    return ""


def notebook_to_html(nb, *, title: str | None = None) -> str:
    """The offline HTML of an executed notebook (an ``nbformat`` node)."""
    if title:
        nb.metadata["title"] = title
    resources = {
        "indicators_css": report_css(),
        "indicators_csp": CONTENT_SECURITY_POLICY,
        "indicators_version": __version__,
        "language_code": "zh",
    }
    body, _ = _exporter().from_notebook_node(nb, resources=resources)
    return body
