"""The one exceptions module.

Every error the package raises on purpose is an :class:`IndicatorsError`. Narrow subclasses also
subclass the matching built-in, so ``except KeyError`` keeps working for callers who expect it,
and carry structured fields (file, row, column, value) plus a message that says how to fix it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


class IndicatorsError(Exception):
    """Base class of every error raised by :mod:`indicators`."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell (or row, or file) of a raw table.

    ``row`` is the line number in the CSV file (the header is line 1), so an editor's
    "go to line" lands on it; for a spreadsheet being imported it is the row number the
    spreadsheet shows (``row_label`` ``"row"``, ``file`` ``"FILE.xlsx:sheet"``). ``row`` and
    ``column`` are ``None`` where the problem is the whole file or a whole column.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    fix: str
    row_label: str = "line"

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", {self.row_label} {self.row}"
        if self.column:
            where += f", column {self.column!r}"
        shown = "" if self.value is None else f" (value {self.value!r})"
        return f"{where}: {self.message}{shown}. Fix: {self.fix}"


class DataValidationError(IndicatorsError, ValueError):
    """The raw tables failed validation; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        files = sorted({p.file for p in self.problems})
        head = f"{len(self.problems)} problem(s) in {', '.join(files)}; nothing was written to data/processed/:"
        shown = self.problems[:50]
        lines = [head, *(f"  - {p}" for p in shown)]
        if len(self.problems) > len(shown):
            lines.append(f"  … and {len(self.problems) - len(shown)} more (see .problems)")
        super().__init__("\n".join(lines))


class _LookupMessage:
    """Mixin: KeyError quotes its message; these errors print it as written."""

    def __str__(self) -> str:  # pragma: no cover - trivial
        return str(self.args[0]) if self.args else ""


def _suggest(value: str, choices: Iterable[str]) -> str:
    choices = sorted(choices)
    close = difflib.get_close_matches(value, choices, n=3, cutoff=0.5)
    hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    listed = ", ".join(choices[:40]) + (" …" if len(choices) > 40 else "")
    return f"{hint} Valid choices: {listed}."


class UnknownIdError(_LookupMessage, IndicatorsError, KeyError):
    """An id that is not in its table (indicator, region, plan, source, unit)."""

    kind = "id"
    command = "indicators list"

    def __init__(self, value: str, choices: Iterable[str], *, parameter: str | None = None):
        self.value = value
        self.parameter = parameter or self.kind
        self.choices = sorted(choices)
        msg = (
            f"unknown {self.kind} {value!r} (parameter {self.parameter!r}).{_suggest(value, self.choices)}"
            f" Run `{self.command}` to see them all."
        )
        super().__init__(msg)


class UnknownIndicatorError(UnknownIdError):
    kind = "indicator"
    command = "indicators list indicators"


class UnknownRegionError(UnknownIdError):
    kind = "region"
    command = "indicators list regions"


class UnknownPlanError(UnknownIdError):
    kind = "plan"
    command = "indicators list plans"


class UnknownSourceError(UnknownIdError):
    kind = "source"
    command = "indicators list sources"


class UnknownUnitError(UnknownIdError):
    kind = "unit"
    command = "indicators list units"


class PeriodError(IndicatorsError, ValueError):
    """A period label that does not follow the period grammar."""

    def __init__(self, value: str, reason: str):
        self.value = value
        self.reason = reason
        super().__init__(
            f"cannot read period {value!r}: {reason}. Write one of YYYY, YYYYQn, YYYYH1, "
            "YYYYQ1-Q3, YYYYMmm-Mnn, YYYYMmm, YYYY-YYYY (base year to end year), YYYY-MM-DD "
            "or YYYY-MM-DD/YYYY-MM-DD (see data/raw/README.md, Periods)"
        )


class ImportRejectedError(DataValidationError):
    """An import that was refused: ``problems`` lists every bad row (file and sheet, the row as
    the spreadsheet numbers it, column, value, fix). Nothing was added to ``data/raw/``."""

    def __init__(self, problems: Sequence[Problem], *, what: str = "the import"):
        self.problems = list(problems)
        head = f"{len(self.problems)} problem(s) in {what}; nothing was added to data/raw/:"
        shown = self.problems[:50]
        lines = [head, *(f"  - {p}" for p in shown)]
        if len(self.problems) > len(shown):
            lines.append(f"  … and {len(self.problems) - len(shown)} more (see .problems)")
        ValueError.__init__(self, "\n".join(lines))


class FigureError(IndicatorsError, ValueError):
    """A figure as typed (``约56.7``, ``4,691.85``) that cannot be read as one number."""

    def __init__(self, value: str, reason: str, fix: str):
        self.value = value
        self.reason = reason
        self.fix = fix
        super().__init__(f"cannot read the figure {value!r}: {reason}. Fix: {fix}")


class ParameterError(IndicatorsError, ValueError):
    """A wrong argument to a public function or command."""

    def __init__(self, parameter: str, value: object, message: str, fix: str):
        self.parameter = parameter
        self.value = value
        self.fix = fix
        super().__init__(f"parameter {parameter!r} = {value!r}: {message}. Fix: {fix}")


class GrowthError(IndicatorsError, ValueError):
    """A growth rate that cannot be computed from the values given (a zero or negative base)."""

    def __init__(self, message: str, *, fix: str, value: object = None):
        self.value = value
        self.fix = fix
        super().__init__(f"{message}. Fix: {fix}")


class LockError(IndicatorsError, RuntimeError):
    """Another build holds the lock on data/processed/."""


class PdfError(IndicatorsError, RuntimeError):
    """A report's PDF that could not be printed: no browser to print it, or the browser failed.
    ``fix`` says what to do; the report's HTML is not affected."""

    def __init__(self, message: str, fix: str):
        self.fix = fix
        super().__init__(f"{message}. Fix: {fix}")


class WriteError(IndicatorsError, OSError):
    """A file or folder that could not be written: a read-only or missing folder, a full disk.

    ``path`` is what was being written, ``reason`` what the system said, ``fix`` what to do.
    Whatever was at ``path`` before is left as it was (see :mod:`indicators.atomic`)."""

    def __init__(self, path: object, reason: str, fix: str, *, errno: int | None = None):
        self.path = str(path)
        self.reason = reason
        self.fix = fix
        self.message = f"cannot write {self.path}: {reason}; nothing there was changed. Fix: {fix}"
        OSError.__init__(self, self.message)
        self.errno = errno
        self.filename = self.path

    def __str__(self) -> str:
        return self.message


class OutputPathError(IndicatorsError, ValueError):
    """A file the project was about to write that would land outside its output folder."""

    def __init__(self, path: object, folder: object):
        self.path = str(path)
        self.folder = str(folder)
        super().__init__(
            f"refusing to write {self.path}: it is not inside the output folder {self.folder}. "
            "Fix: give the report a plain file name (letters, digits, CJK characters, _ - .)"
        )
