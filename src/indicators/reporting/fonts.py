"""A CJK font for charts, registered with matplotlib by file path, and the CSS font stack.

The project installs Debian's ``fonts-noto-cjk`` (``scripts/install-system-deps.sh fonts``, run
by ``make reports`` and ``make test``). ``INDICATORS_CJK_FONT`` may point at another font file
with Simplified Chinese glyphs.
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Iterator
from pathlib import Path

from ..errors import IndicatorsError

ENV_VAR = "INDICATORS_CJK_FONT"
CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
)
FAMILY = "Noto Sans CJK SC"
#: The font stack the HTML reports name: the installed Noto face first, then what readers'
#: systems usually have (macOS, Windows, other Linux), then any sans-serif.
CSS_FONT_STACK = (
    '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", '
    '"Microsoft YaHei", "WenQuanYi Micro Hei", "Helvetica Neue", Arial, sans-serif'
)


class FontMissingError(IndicatorsError, FileNotFoundError):
    """No font with Chinese glyphs could be found."""


def font_files() -> list[Path]:
    """The CJK font files to register: ``$INDICATORS_CJK_FONT`` or the Debian Noto files."""
    env = os.environ.get(ENV_VAR)
    if env:
        path = Path(env)
        if not path.is_file():
            raise FontMissingError(f"{ENV_VAR}={env} is not a file. Fix: point it at a .ttf/.otf/.ttc font file")
        return [path]
    found = [Path(p) for p in CANDIDATES if Path(p).is_file()]
    if not found:
        raise FontMissingError(
            "no CJK font found for charts (looked for Noto Sans CJK in /usr/share/fonts). Fix: run "
            "`bash scripts/install-system-deps.sh fonts` (Debian: apt-get install fonts-noto-cjk), "
            f"or set {ENV_VAR} to a font file with Chinese glyphs"
        )
    return found


_REGISTERED: str | None = None


def setup_matplotlib() -> str:
    """Register the CJK font by path and set the report chart style; returns the family name."""
    global _REGISTERED
    import matplotlib
    from matplotlib import font_manager

    if _REGISTERED is None:
        families = []
        for path in font_files():
            font_manager.fontManager.addfont(str(path))
            families += [f.name for f in font_manager.fontManager.ttflist if Path(f.fname) == path]
        _REGISTERED = FAMILY if FAMILY in families else (families[0] if families else FAMILY)
    matplotlib.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [_REGISTERED, "DejaVu Sans"],
            "axes.unicode_minus": False,  # the CJK face has no U+2212 minus
            "figure.dpi": 110,
            "savefig.dpi": 144,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.color": "#e5e7eb",
            "grid.linewidth": 0.8,
            "axes.edgecolor": "#6b7280",
            "axes.titleweight": "bold",
            "axes.titlesize": 12,
            "axes.labelsize": 10,
            "xtick.labelsize": 9,
            "ytick.labelsize": 9,
            "legend.fontsize": 9,
            "legend.frameon": False,
        }
    )
    return _REGISTERED


@contextlib.contextmanager
def glyph_warnings() -> Iterator[list[str]]:
    """Collect matplotlib's "Glyph … missing from font(s)" warnings raised inside the block."""
    caught: list[str] = []
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        yield caught
    for w in records:
        text = str(w.message)
        if "Glyph" in text and "missing" in text:
            caught.append(text)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
