"""Bad raw input is rejected with every problem named (file, line, column, value, fix),
and data/processed/ is left exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

import indicators
from indicators import DataValidationError

from .conftest import snapshot

# case -> (file, line, column, words the message or fix must contain)
CASES = {
    "missing_column": ("observations.csv", None, "price_basis", "missing"),
    "unknown_unit": ("observations.csv", 2, "unit", "units.csv"),
    "unknown_indicator": ("observations.csv", 3, "indicator_id", "indicators.csv"),
    "unknown_region": ("observations.csv", 4, "region_id", "regions.csv"),
    "unknown_source": ("observations.csv", 5, "source_id", "sources.csv"),
    "duplicate_key": ("observations.csv", 7, "indicator_id,region_id,period,measure", "duplicate"),
    "non_numeric": ("observations.csv", 2, "value", "qualifier column"),
    "bad_period": ("observations.csv", 5, "period", "YYYYQ1-Q3"),
    "deadline_before_plan": ("targets.csv", 2, "deadline", "plan"),
    "derived_in_raw": ("observations.csv", 3, "status", "indicators build"),
    "mismatched_units": ("observations.csv", 2, "unit", "base unit"),
    "ragged_row": ("observations.csv", 7, None, "quote fields"),
    "unknown_reading": ("observations.csv", 3, "reading", "period_inferred"),
    "as_printed_with_another_reading": ("targets.csv", 2, "reading", "only alone"),
    "source_without_title": ("sources.csv", 2, "title", "description"),
    "unknown_scheme": ("sources.csv", 3, "scheme", "https"),
}


@pytest.fixture
def built(data_dir: Path) -> Path:
    """A data folder whose processed/ holds a good build, to prove a bad one changes nothing."""
    indicators.build(data_dir)
    return data_dir


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_rejected_and_processed_is_untouched(case, built, overlay):
    before = snapshot(built / "processed")
    overlay(case)
    with pytest.raises(DataValidationError) as err:
        indicators.build(built)
    file, line, column, words = CASES[case]
    matching = [p for p in err.value.problems if p.file == file and p.row == line]
    assert matching, f"no problem at {file} line {line}: {err.value}"
    problem = next((p for p in matching if column is None or (p.column or "").startswith(column)), None)
    assert problem is not None, err.value
    assert words in f"{problem.message} {problem.fix}"
    assert problem.fix
    assert snapshot(built / "processed") == before


def test_the_duplicate_names_both_rows(built, overlay):
    overlay("duplicate_key")
    with pytest.raises(DataValidationError) as err:
        indicators.build(built)
    assert {p.row for p in err.value.problems} == {2, 7}


def test_every_problem_is_listed_not_just_the_first(built, overlay):
    overlay("many_problems")
    with pytest.raises(DataValidationError) as err:
        indicators.build(built)
    found = {(p.row, p.column) for p in err.value.problems}
    assert {(2, "value"), (3, "period"), (4, "indicator_id"), (5, "unit")} <= found
    text = str(err.value)
    assert "observations.csv, line 2, column 'value'" in text
    assert "nothing was written" in text


def test_a_file_that_is_not_utf8_is_named(built):
    path = built / "raw" / "regions.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    with pytest.raises(DataValidationError) as err:
        indicators.build(built)
    assert any(p.file == "regions.csv" and "UTF-8" in p.message for p in err.value.problems)


def test_a_missing_file_is_named(built):
    (built / "raw" / "plans.csv").unlink()
    with pytest.raises(DataValidationError) as err:
        indicators.build(built)
    assert any(p.file == "plans.csv" and "missing" in p.message for p in err.value.problems)


def test_validation_error_is_also_a_value_error(built, overlay):
    overlay("bad_period")
    with pytest.raises(ValueError):
        indicators.build(built)
    assert len(indicators.validate(built)) == 1
