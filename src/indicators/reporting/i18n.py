"""Report language: labels in Chinese and English.

Indicator and region names come from the catalog (``name_zh`` / ``name_en``); everything else a
report prints comes from :data:`TEXT` (:func:`t` as text, :func:`tm` as HTML with its arguments
escaped). Figures are written by :mod:`.numbers`, the one formatter.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from ..errors import ParameterError
from .i18n_pages import PAGE_TEXT
from .text_en import TEXT as TEXT_EN
from .text_zh import TEXT as TEXT_ZH

LANGUAGES = ("zh", "en")

# the reports' words, and the page's own words around them (contents, downloads, headline boxes)
TEXT: dict[str, dict[str, str]] = {"zh": {**TEXT_ZH, **PAGE_TEXT["zh"]}, "en": {**TEXT_EN, **PAGE_TEXT["en"]}}


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ParameterError("language", language, "not a report language", "use 'zh' or 'en'")
    return language


def tm(key: str, language: str, **kw: object) -> Markup:
    """The text for ``key`` as HTML: the template is trusted, every argument is escaped unless it
    is Markup already (a figure with its marks, a note link)."""
    return Markup(escape(TEXT[check_language(language)].get(key, key))).format(**kw)


def t(key: str, language: str, **kw: object) -> str:
    """The text for ``key`` in ``language``, formatted with ``kw``."""
    text = TEXT[check_language(language)].get(key, key)
    return text.format(**kw) if kw else text
