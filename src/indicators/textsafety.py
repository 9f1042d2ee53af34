"""Text from the data written to spreadsheets as text, never as a formula (formula injection).

Excel and LibreOffice read a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab, a
carriage return or a line feed as a formula: a quote ``=HYPERLINK("http://…", "…")`` in an export
would come out as a live link. Following OWASP's guidance on CSV injection:

* **CSV** (:func:`neutralise`): such a text gets the prefix ``'``, which spreadsheets take as
  "this is text". A text that is a plain number (``-3.2``) is left as it is, and number columns
  are never touched: numbers stay numbers.
* **xlsx** (:func:`text_cells`): every text is written as a string cell (``data_type "s"``, with
  Excel's quote-prefix style), which no spreadsheet evaluates, whatever it begins with; numbers
  stay number cells.
* **Import** (:func:`restore`): the prefix is taken off again, so an exported CSV imported back
  gives the same table. The two are exact inverses: a text that already begins with ``'``
  followed by one of those characters gets one more ``'`` on the way out and loses one on the way
  in, so a quote that genuinely begins with ``'=`` or ``=`` round-trips unchanged.
"""

from __future__ import annotations

import re

import pandas as pd

#: What makes a spreadsheet read a cell as a formula (optionally after quote marks already there).
_FORMULA_START = re.compile(r"^'*[=+\-@\t\r\n]")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _needs_prefix(text: str) -> bool:
    return bool(_FORMULA_START.match(text)) and not _PLAIN_NUMBER.match(text)


def neutralise(text: str) -> str:
    """A text as a CSV cell that no spreadsheet evaluates (see the module docstring)."""
    return "'" + text if _needs_prefix(text) else text


def restore(text: str) -> str:
    """The text :func:`neutralise` was given (a text without its prefix is returned as it is)."""
    return text[1:] if text.startswith("'") and _needs_prefix(text[1:]) else text


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells are neutralised; number columns are left alone."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or isinstance(out[column].dtype, pd.StringDtype):
            out[column] = out[column].map(lambda v: neutralise(v) if isinstance(v, str) else v)
    return out


def text_cells(book) -> int:
    """Make every cell of an openpyxl workbook that holds text a string cell: openpyxl turns a
    text beginning with ``=`` into a formula, and ``#N/A`` into an error value. Returns how many
    cells were changed. Call it on workbooks whose cells come from data, never from formulas."""
    changed = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.data_type != "s":
                    cell.data_type = "s"
                    cell.quotePrefix = True  # Excel keeps it text when the cell is edited
                    changed += 1
    return changed
