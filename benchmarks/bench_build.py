"""Benchmark: how long `indicators build` and the loaders take, on the shipped table and on a
synthetic table 50 times its size. Prints figures and ratios measured in this one run.

    .venv/bin/python benchmarks/bench_build.py [--scale 50] [--repeat 3]

What it shows: validation dominates the build; the build grows about linearly with the rows; a
warm load (processed files unchanged, Parquet already read) costs a fraction of a cold one.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
import tempfile
from pathlib import Path

import indicators
from indicators import catalog
from indicators.data.schema import validate_raw

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
from timing import timed  # noqa: E402


def synthetic(raw: Path, out: Path, scale: int) -> int:
    """A copy of the raw tables whose observations are repeated `scale` times, each extra copy
    under its own copy of the source (so keys stay unique and plans keep their sources)."""
    shutil.copytree(raw, out)
    with open(raw / "sources.csv", encoding="utf-8") as f:
        sources = list(csv.reader(f))
    with open(raw / "observations.csv", encoding="utf-8") as f:
        obs = list(csv.reader(f))
    s_head, o_head = sources[0], obs[0]
    sid, oid = s_head.index("source_id"), o_head.index("source_id")
    new_sources, new_obs = list(sources), list(obs)
    for k in range(1, scale):
        for row in sources[1:]:
            new_sources.append([*row[:sid], f"{row[sid]}_{k}", *row[sid + 1 :]])
        for row in obs[1:]:
            new_obs.append([*row[:oid], f"{row[oid]}_{k}", *row[oid + 1 :]])
    for name, rows in (("sources.csv", new_sources), ("observations.csv", new_obs)):
        with open(out / name, "w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)
    return len(new_obs) - 1


def bench(raw: Path, label: str, repeat: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(raw, data / "raw")
        n = len((data / "raw" / "observations.csv").read_text(encoding="utf-8").splitlines()) - 1
        t_validate = timed(lambda: validate_raw(data / "raw"), repeat)
        t_build = timed(lambda: indicators.build(data), repeat)

        def cold():
            catalog._read.cache_clear()
            indicators.load_observations(data_dir=data)

        t_cold = timed(cold, repeat)
        indicators.load_observations(data_dir=data)
        t_warm = timed(lambda: indicators.load_observations(data_dir=data), repeat)
    print(
        f"{label:>10}: {n:6d} raw observations | validate {t_validate:6.3f} s | build {t_build:6.3f} s "
        f"({n / t_build:8.0f} rows/s) | load cold {t_cold * 1000:7.1f} ms | load warm {t_warm * 1000:6.1f} ms"
    )
    return {"n": n, "validate": t_validate, "build": t_build, "cold": t_cold, "warm": t_warm}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    raw = REPO / "data" / "raw"
    shipped = bench(raw, "shipped", args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        big_raw = Path(tmp) / "raw"
        synthetic(raw, big_raw, args.scale)
        big = bench(big_raw, f"x{args.scale}", max(1, args.repeat - 2))
    print()
    print(f"validation share of the build (shipped):        {shipped['validate'] / shipped['build']:.2f}")
    print(
        f"build time ratio x{args.scale} / shipped (rows x{big['n'] / shipped['n']:.0f}): "
        f"{big['build'] / shipped['build']:.1f}"
    )
    print(f"warm load / cold load (shipped):                 {shipped['warm'] / shipped['cold']:.2f}")


if __name__ == "__main__":
    main()
