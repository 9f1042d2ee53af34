"""The limits on what the project reads and writes: their defaults and how to change them.

Untrusted input is read only up to these sizes; anything bigger is refused with the file, line
and column (or the report) and the limit, never read into memory whole or written out.

===============================  ==========  ==========================================================
limit                            default     change it with
===============================  ==========  ==========================================================
characters in one CSV field      1,048,576   ``INDICATORS_MAX_FIELD_CHARS`` (``data/raw/`` and imports)
rows of an imported sheet        100,000     ``INDICATORS_MAX_SHEET_ROWS`` (workbooks and CSV files)
columns of an imported sheet     200         ``INDICATORS_MAX_SHEET_COLUMNS``
size of a report (MB, 10⁶ B)     20          ``max_report_mb`` in ``reports.yaml`` (``defaults:`` or a job),
                                             ``indicators run --max-report-mb`` / ``report --max-report-mb``,
                                             ``INDICATORS_MAX_REPORT_MB``
===============================  ==========  ==========================================================

Numbers in the raw tables have at most :data:`FLOAT_DIGITS` significant digits (what a float
holds exactly) and lie within a float's range; that is not configurable.
"""

from __future__ import annotations

import os
import sys

from .errors import ParameterError

#: Significant digits a float holds exactly (DBL_DIG): a figure with more would change when stored.
FLOAT_DIGITS = sys.float_info.dig

DEFAULTS = {
    "INDICATORS_MAX_FIELD_CHARS": 1_048_576,
    "INDICATORS_MAX_SHEET_ROWS": 100_000,
    "INDICATORS_MAX_SHEET_COLUMNS": 200,
    "INDICATORS_MAX_REPORT_MB": 20,
}


def _limit(variable: str) -> int:
    text = os.environ.get(variable, "").strip()
    if not text:
        return DEFAULTS[variable]
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise ParameterError(
            variable, text, "not a positive whole number", f"unset it or give e.g. {DEFAULTS[variable]}"
        )
    return value


def max_field_chars() -> int:
    """The longest CSV field read (characters)."""
    return _limit("INDICATORS_MAX_FIELD_CHARS")


def max_sheet_rows() -> int:
    """The most rows read from one sheet or CSV file being imported."""
    return _limit("INDICATORS_MAX_SHEET_ROWS")


def max_sheet_columns() -> int:
    """The most columns read from one sheet or CSV file being imported."""
    return _limit("INDICATORS_MAX_SHEET_COLUMNS")


def max_report_mb() -> int:
    """The default size limit of one report's notebook and of its HTML, in MB (10⁶ bytes)."""
    return _limit("INDICATORS_MAX_REPORT_MB")
