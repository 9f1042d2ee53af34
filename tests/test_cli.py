"""The `indicators` command: build, validate, list, show, summary, checks."""

from __future__ import annotations

import pytest

from indicators.cli import main


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_build_then_list(capsys, data_dir):
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "build")
    assert code == 0 and "8 observations (3 derived)" in out
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "list")
    assert code == 0
    assert "indicators (2):" in out and "regions (4):" in out and "plans (1):" in out
    assert "地区生产总值" in out


def test_show_lists_observations_with_sources_and_derivations(capsys, data_dir):
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "show", "gdp", "--region", "wcna")
    assert code == 0
    assert "4691.85" in out
    assert "bulletin_2022: 青岛西海岸新区2022年国民经济和社会发展统计公报, 西海岸新区统计局, 2023-04" in out
    assert "wcna 2024Q2: level(2024H1) - level(2024Q1)" in out


def test_show_an_unknown_indicator_exits_2_naming_the_choices(capsys, data_dir):
    code, out, err = run(capsys, "--data-dir", str(data_dir), "show", "gpd")
    assert code == 2 and out == ""
    assert "unknown indicator 'gpd' (parameter 'ID')" in err and "Did you mean 'gdp'?" in err


def test_validate_lists_every_problem_and_exits_1(capsys, overlay):
    data_dir = overlay("many_problems")
    code, _, err = run(capsys, "--data-dir", str(data_dir), "validate")
    assert code == 1
    assert err.count("observations.csv, line") >= 4


def test_summary_and_checks(capsys, data_dir):
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "summary")
    assert code == 0
    assert "8 observations (3 derived) of 2 indicators" in out
    assert "green_2023_2025" in out
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "checks")
    assert code == 0 and "(none)" in out


def test_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["frobnicate"])
    assert exc.value.code == 2


def test_trend_and_gap_commands(capsys, tmp_path):
    import shutil

    from .conftest import FIXTURES

    data_dir = tmp_path / "data"
    shutil.copytree(FIXTURES / "raw_targets", data_dir / "raw")
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "trend", "high_tech_enterprises", "--to", "2025")
    assert code == 0 and "if the 2020-2023 average growth continued" in out and "2025" in out
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "gap", "--plan", "fyp_14", "--as-of", "2024-06-30")
    assert code == 0
    assert "1 targets of fyp_14 as of 2024-06-30" in out
    assert "acceleration_needed" in out and "42.9%" in out and "60.0%" in out and "0.84" in out
    code, _, err = run(capsys, "--data-dir", str(data_dir), "gap", "--as-of", "2999-01-01")
    assert code == 2 and "in the future" in err
