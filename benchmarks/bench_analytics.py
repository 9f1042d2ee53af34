"""Benchmark: the analytics the report notebooks call, timed in one run.

    .venv/bin/python benchmarks/bench_analytics.py [--repeat 5]

Prints the median time of a target-gap assessment of every shipped target, a trend fit per
indicator with annual data, and a synthetic plan of 200 targets with 10-year series; and the
ratios that matter for report generation: the cost of one report's analytics against the
~0.3 s a report's own cells take (performance notes), and the per-target cost as plans grow.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

import indicators
from indicators.analysis.series import annual_series

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
from timing import timed  # noqa: E402


def synthetic_plan(raw: Path, n: int) -> None:
    """A raw folder with n indicators of ten annual levels each and one level target apiece."""
    rng = np.random.default_rng(7)
    units = "unit,base_unit,factor,name_en\n亿元,yuan,100000000,100 million yuan\n"
    sources = (
        "source_id,title,publisher,date_published,address,date_accessed,reliability,language,note\n"
        "synthetic,Synthetic bulletin,Benchmark,2024-04-01,,2026-11-22,official,en,benchmark\n"
    )
    regions = (
        "region_id,name_zh,name_en,level,parent_id,scope,note\nchina,中国,China,country,,,\n"
        "wcna,西海岸新区,WCNA,new_area,china,,\n"
    )
    inds = ["indicator_id,name_zh,name_en,unit,category,kind,direction,description"]
    obs = [
        "indicator_id,region_id,period,measure,ref_region_id,value,unit,price_basis,qualifier,status,source_id,quote,note"
    ]
    targets = [
        "target_id,plan_id,indicator_id,region_id,comparator,target_value,unit,deadline,form,binding,"
        "baseline_period,baseline_value,source_id,quote,note"
    ]
    for i in range(n):
        iid = f"ind_{i:04d}"
        inds.append(f"{iid},指标{i},Indicator {i},亿元,output,flow,higher,synthetic")
        level = 100.0
        for year in range(2014, 2024):
            level *= 1 + rng.normal(0.07, 0.02)
            obs.append(f"{iid},wcna,{year},level,,{level:.2f},亿元,current,exact,reported,synthetic,q,")
        targets.append(f"t_{i:04d},plan,{iid},wcna,at_least,{level * 1.3:.2f},亿元,2025-12-31,level,,,,synthetic,q,")
    plans = (
        "plan_id,title_zh,title_en,issuer,region_id,start,end,source_id,note\n"
        "plan,规划,Plan,Benchmark,wcna,2021-01-01,2025-12-31,synthetic,\n"
    )
    raw.mkdir(parents=True)
    for name, text in {
        "units": units,
        "sources": sources,
        "regions": regions,
        "indicators": "\n".join(inds) + "\n",
        "observations": "\n".join(obs) + "\n",
        "targets": "\n".join(targets) + "\n",
        "plans": plans,
    }.items():
        (raw / f"{name}.csv").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--targets", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        shipped = Path(tmp) / "shipped"
        shutil.copytree(REPO / "data" / "raw", shipped / "raw")
        indicators.build(shipped)
        n_targets = len(indicators.load_targets(data_dir=shipped))
        t_gap = timed(lambda: indicators.target_gap(as_of="2025-06-30", data_dir=shipped), args.repeat)
        obs = indicators.load_observations(data_dir=shipped)
        with_years = [
            (i, r)
            for (i, r), g in obs[(obs["measure"] == "level") & (obs["period_kind"] == "year")].groupby(
                ["indicator_id", "region_id"]
            )
            if g["period"].nunique() >= 3
        ]
        t_trend = timed(
            lambda: [indicators.trend(i, r, to_year=2025, data_dir=shipped) for i, r in with_years], args.repeat
        )
        t_series = timed(lambda: annual_series("gdp", "wcna", data_dir=shipped), args.repeat)

        big = Path(tmp) / "big"
        synthetic_plan(big / "raw", args.targets)
        indicators.build(big)
        t_big = timed(lambda: indicators.target_gap("plan", as_of="2025-06-30", data_dir=big), max(1, args.repeat // 2))
        ets_values = pd.Series(
            indicators.load_observations("ind_0000", data_dir=big)["value"].to_numpy(), index=range(2014, 2024)
        )
        t_ets = timed(lambda: indicators.fit_trend(ets_values, to_year=2025, method="ets"), args.repeat)
        t_ols = timed(lambda: indicators.fit_trend(ets_values, to_year=2025, method="loglinear"), args.repeat)

    per_target = t_gap / n_targets * 1000
    print(f"shipped: target_gap of {n_targets} targets       {t_gap * 1000:8.1f} ms  ({per_target:.2f} ms a target)")
    print(f"shipped: trend for {len(with_years)} series with >=3 annual levels {t_trend * 1000:6.1f} ms")
    print(f"shipped: annual_series('gdp', 'wcna')          {t_series * 1000:8.1f} ms")
    print(
        f"synthetic: target_gap of {args.targets} targets (10 years each) {t_big:6.2f} s  "
        f"({t_big / args.targets * 1000:.1f} ms a target, projections included)"
    )
    print(f"one fit on 10 years: loglinear {t_ols * 1000:.1f} ms, ets {t_ets * 1000:.1f} ms")
    print()
    print(f"shipped target_gap / a report's own cells (0.3 s):  {t_gap / 0.3:.2f}")
    print(f"per-target cost, synthetic / shipped:               {(t_big / args.targets) / (t_gap / n_targets):.1f}")
    print(f"ets / loglinear fit:                                {t_ets / t_ols:.1f}")


if __name__ == "__main__":
    main()
