"""The ``indicators`` command."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Sequence

import pandas as pd

from .analysis.target_gap import target_gap
from .analysis.trend import trend
from .cli_data import add_data_commands, vintage_table
from .data.build import build, validate
from .data.catalog import get_indicator, get_region, load_observations, load_table
from .data.summary import table_summary
from .errors import DataValidationError, IndicatorsError, ParameterError, WriteError
from .version import __version__

LISTABLE = ("indicators", "regions", "plans", "sources", "units", "targets")
_LIST_COLUMNS = {
    "indicators": ["indicator_id", "name_zh", "name_en", "unit", "category", "kind", "direction"],
    "regions": ["region_id", "name_zh", "name_en", "level", "parent_id", "scope"],
    "plans": ["plan_id", "title_zh", "issuer", "region_id", "start", "end"],
    "sources": ["source_id", "title", "publisher", "date_published", "reliability"],
    "units": ["unit", "base_unit", "factor", "name_en"],
    "targets": ["target_id", "plan_id", "indicator_id", "comparator", "target_value", "unit", "deadline", "form"],
}


def _print(frame: pd.DataFrame) -> None:
    with pd.option_context(
        "display.width",
        250,
        "display.max_rows",
        1000,
        "display.max_columns",
        50,
        "display.max_colwidth",
        70,
        "display.unicode.east_asian_width",
        True,
    ):
        print(frame.to_string(index=False) if len(frame) else "(none)")


def _cmd_build(args: argparse.Namespace) -> int:
    result = build(args.data_dir)
    print(result.describe())
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    problems = validate(args.data_dir)
    if problems:
        raise DataValidationError(problems)
    print("data/raw/ is valid")
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    for what in args.what:
        if what not in LISTABLE:
            raise ParameterError("WHAT", what, "not something to list", f"use one of {', '.join(LISTABLE)}")
    for i, what in enumerate(args.what or ("indicators", "regions", "plans")):
        if i:
            print()
        frame = load_table(what, data_dir=args.data_dir)
        print(f"{what} ({len(frame)}):")
        _print(frame[_LIST_COLUMNS[what]])
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    ind = get_indicator(args.id, data_dir=args.data_dir, parameter="ID")
    if args.region:
        get_region(args.region, data_dir=args.data_dir, parameter="--region")
    obs = load_observations(ind.indicator_id, args.region, measure=args.measure, data_dir=args.data_dir)
    print(
        f"{ind.indicator_id}: {ind.name_zh} / {ind.name_en} [{ind.unit}; {ind.category}, {ind.kind}, "
        f"{ind.direction} is better]"
    )
    print(ind.description)
    print()
    if args.vintages:
        print("Revision history (published figures; vintage 1 is the first publication):")
        _print(vintage_table(obs))
        return 0
    cols = [
        "region_id",
        "period",
        "measure",
        "ref_region_id",
        "value_text",
        "unit",
        "price_basis",
        "qualifier",
        "status",
        "source_id",
    ]
    _print(obs[cols].rename(columns={"value_text": "value", "ref_region_id": "of"}))
    print()
    print("Sources:")
    used = sorted({s for ids in obs["source_id"] for s in ids.split(";")})
    sources = load_table("sources", data_dir=args.data_dir).set_index("source_id")
    for sid in used:
        s = sources.loc[sid]
        address = f", {s['address']}" if s["address"] else ""
        print(f"  {sid}: {s['title']}, {s['publisher']}, {s['date_published']}{address} [{s['reliability']}]")
    derived = obs[obs["status"] == "derived"]
    if len(derived):
        print()
        print("Derived:")
        for _, row in derived.iterrows():
            print(f"  {row['region_id']} {row['period']}: {row['formula']}")
    return 0


def _cmd_summary(args: argparse.Namespace) -> int:
    print(table_summary(data_dir=args.data_dir).describe())
    return 0


def _cmd_trend(args: argparse.Namespace) -> int:
    fit = trend(args.id, args.region, to_year=args.to, method=args.method, data_dir=args.data_dir)
    print(fit.describe())
    if fit.status != "insufficient_data":
        _print(fit.summary_frame().round(2).reset_index())
    return 0


def _cmd_gap(args: argparse.Namespace) -> int:
    result = target_gap(args.plan, region=args.region, as_of=args.as_of, data_dir=args.data_dir)
    print(result.describe())
    frame = result.summary_frame().reset_index()
    for col in ("completion", "time_elapsed", "cagr_observed", "cagr_required", "probability"):
        frame[col] = frame[col].map(lambda v: "" if v is None or pd.isna(v) else f"{v * 100:.1f}%")
    frame["ratio"] = frame["ratio"].map(lambda v: "" if v is None or pd.isna(v) else f"{v:.2f}")
    cols = [
        "target_id",
        "category",
        "schedule",
        "baseline_value",
        "latest_value",
        "latest_period",
        "target_value",
        "unit",
        "completion",
        "time_elapsed",
        "ratio",
        "probability",
        "reason",
    ]
    _print(frame[cols].fillna(""))
    return 0


def _parse_params(pairs: list[str] | None) -> dict[str, object]:
    params: dict[str, object] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ParameterError("-p", pair, "not KEY=VALUE", "write e.g. -p indicator=gdp -p horizon=3")
        params[key] = int(value) if value.lstrip("-").isdigit() else value
    return params


REPORT_KINDS = ("trend", "target_gap", "overview", "peers", "audit")


def report_job(kind: str, params: dict[str, object], *, name: str | None = None, data_dir=None):
    """The job of ``indicators report KIND -p …``: checked as a batch job is, and named as the
    batch names it (:func:`indicators.batch.jobs.report_name`) unless ``name`` is given."""
    from .batch.jobs import KIND_OF_NOTEBOOK, expand

    notebook = {k: nb for nb, k in KIND_OF_NOTEBOOK.items()}[kind]
    entry = {"notebook": notebook, "parameters": params, **({"name": name} if name else {})}
    (job,) = expand({"jobs": [entry]}, source="command line", data_dir=data_dir)
    return job


def _cmd_report(args: argparse.Namespace) -> int:
    from .batch.runner import run_report

    job = report_job(args.kind, _parse_params(args.param), name=args.name, data_dir=args.data_dir)
    job = dataclasses.replace(job, max_report_mb=args.max_report_mb)
    outcome = run_report(job, out_dir=args.out, data_dir=args.data_dir, pdf=args.pdf)
    name = job.name
    if outcome.status != "ok":
        print(f"error: {name} failed: {outcome.error} (see {args.out}/{name}.failed.ipynb)", file=sys.stderr)
        return 1
    print(f"{args.out}/{name}.html ({outcome.seconds:.1f} s)")
    if outcome.pdf_error:
        print(f"error: the PDF of {name} failed (the HTML is fine): {outcome.pdf_error}", file=sys.stderr)
        return 1
    if outcome.pdf:
        print(f"{args.out}/{name}.pdf")
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    # This process only reads and writes notebooks: jsonschema's optional IRI format checker
    # (rfc3987-syntax, pulled in by jupyterlab) builds grammars at import and costs ~1.4 s in every
    # process that imports nbformat. Notebooks never use that format; skip it here, in our own
    # command's process only (never in a library caller's).
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]
    import datetime as dt
    from pathlib import Path

    from .batch.jobs import load_batch
    from .batch.runner import MANIFEST, dry_run, launch_kernels, run_jobs

    if args.pdf and not args.dry_run:
        from .batch.pdf import find_chromium

        find_chromium()  # no browser to print with: one line naming the fix, before any kernel starts
    scheduler = args.scheduler or os.environ.get("INDICATORS_SCHEDULER") or None
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    kernels = None
    if not (args.dry_run or scheduler or args.only) and (args.force or not (Path(args.out) / MANIFEST).exists()):
        # every report will run: let the kernels boot while the batch is read and checked
        kernels = launch_kernels(
            args.workers or os.cpu_count() or 2,
            data_dir=args.data_dir,
            generated_at=stamp,
            max_reports=args.max_reports_per_kernel,
        )
    try:
        jobs = load_batch(args.batch, data_dir=args.data_dir)
    except BaseException:
        for kernel in kernels or []:
            kernel.shutdown()
        raise
    if args.max_report_mb:
        jobs = [dataclasses.replace(job, max_report_mb=args.max_report_mb) for job in jobs]
    if args.dry_run:
        for job, action in dry_run(jobs, out_dir=args.out, data_dir=args.data_dir, force=args.force, only=args.only):
            params = ", ".join(f"{k}={v}" for k, v in job.parameters.items())
            print(f"{action:4}  {job.name}  ({job.notebook}: {params})")
        return 0
    summary = run_jobs(
        jobs,
        out_dir=args.out,
        data_dir=args.data_dir,
        workers=args.workers,
        force=args.force,
        only=args.only,
        scheduler=scheduler,
        data_url=args.data_url,
        max_reports=args.max_reports_per_kernel,
        generated_at=stamp,
        kernels=kernels,
        pdf=args.pdf,
    )
    return summary.exit_code  # the summary line is the run's last line of progress (and of run.log)


def _cmd_checks(args: argparse.Namespace) -> int:
    checks = load_table("checks", data_dir=args.data_dir)
    if args.kind:
        checks = checks[checks["kind"] == args.kind]
    _print(checks[["kind", "indicator_id", "region_id", "period", "message"]])
    return 0


MAX_REPORT_HELP = (
    "fail a report whose notebook or HTML is larger than this many MB (default: max_report_mb in the batch "
    "file, else $INDICATORS_MAX_REPORT_MB, else 20)"
)


PDF_HELP = (
    "also write NAME.pdf, printed by headless Chromium (Debian's chromium); an unchanged report's PDF is not "
    "printed again"
)


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of MB")
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="indicators", description="Curated economic indicators for the Qingdao West Coast New Area."
    )
    p.add_argument("--version", action="version", version=f"indicators {__version__}")
    p.add_argument("--data-dir", default=None, help="the data/ folder (default: the checkout's data/)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("build", help="validate data/raw/ and rebuild data/processed/").set_defaults(func=_cmd_build)
    sub.add_parser("validate", help="validate data/raw/ and list every problem").set_defaults(func=_cmd_validate)
    lp = sub.add_parser("list", help="list indicators, regions, plans, sources, units or targets")
    lp.add_argument("what", nargs="*", metavar="WHAT", help=f"one or more of {', '.join(LISTABLE)}")
    lp.set_defaults(func=_cmd_list)
    sp = sub.add_parser("show", help="an indicator's observations with their sources")
    sp.add_argument("id", metavar="ID", help="indicator id (see `indicators list indicators`)")
    sp.add_argument("--region", help="only this region")
    sp.add_argument("--measure", help="only this measure (level, yoy_growth, share, …)")
    sp.add_argument("--vintages", action="store_true", help="each figure's revision history: vintages by date")
    sp.set_defaults(func=_cmd_show)
    sub.add_parser("summary", help="what the table holds: indicators, regions, periods, targets").set_defaults(
        func=_cmd_summary
    )
    tp = sub.add_parser("trend", help="fit a trend to an indicator's annual levels and project it")
    tp.add_argument("id", metavar="ID", help="indicator id")
    tp.add_argument("--region", default="wcna", help="region id (default wcna)")
    tp.add_argument("--to", type=int, default=None, help="project to this year")
    tp.add_argument("--method", default="auto", choices=("auto", "loglinear", "ets", "cagr"))
    tp.set_defaults(func=_cmd_trend)
    gp = sub.add_parser("gap", help="where each plan target stands at an as-of date")
    gp.add_argument("--plan", default=None, help="plan id (default: every plan)")
    gp.add_argument("--region", default=None, help="only targets for this region")
    gp.add_argument("--as-of", default=None, help="YYYY-MM-DD (default: today)")
    gp.set_defaults(func=_cmd_gap)
    rp = sub.add_parser("report", help="run one report notebook and write its HTML")
    rp.add_argument("kind", choices=REPORT_KINDS)
    rp.add_argument("-p", "--param", action="append", metavar="KEY=VALUE", help="a notebook parameter (repeatable)")
    rp.add_argument(
        "--name", help="output file name without extension (default: from kind and parameters, as the batch names it)"
    )
    rp.add_argument("--out", default="reports", help="output folder (default reports/)")
    rp.add_argument("--max-report-mb", type=_positive, default=None, help=MAX_REPORT_HELP)
    rp.add_argument("--pdf", action="store_true", help=PDF_HELP)
    rp.set_defaults(func=_cmd_report)
    run = sub.add_parser("run", help="run the report batch (reports.yaml): parallel, incremental, fault-isolated")
    run.add_argument("batch", nargs="?", default="reports.yaml", help="batch file (default reports.yaml)")
    run.add_argument("--out", default="reports", help="output folder (default reports/)")
    run.add_argument("--dry-run", action="store_true", help="list what would run or be skipped, run nothing")
    run.add_argument("--only", nargs="+", metavar="PATTERN", help="only jobs whose name matches (glob)")
    run.add_argument("--force", action="store_true", help="run jobs even when they are up to date")
    run.add_argument("--workers", type=int, default=None, help="parallel kernels (default: the number of cores)")
    run.add_argument("--max-reports-per-kernel", type=int, default=50, help="restart a kernel after N reports")
    run.add_argument(
        "--scheduler", default=None, help="Dask scheduler address (tcp://host:8786); also $INDICATORS_SCHEDULER"
    )
    run.add_argument("--data-url", default=None, help="fsspec URL of the data folder for Dask workers")
    run.add_argument("--max-report-mb", type=_positive, default=None, help=MAX_REPORT_HELP)
    run.add_argument("--pdf", action="store_true", help=PDF_HELP)
    run.set_defaults(func=_cmd_run)
    cp = sub.add_parser("checks", help="conflicts, revisions and growth mismatches found by the build")
    cp.add_argument(
        "--kind",
        choices=("conflict", "revision", "series_break", "growth_mismatch", "implied_deflator", "derived_mismatch"),
    )
    cp.set_defaults(func=_cmd_checks)
    add_data_commands(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except DataValidationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except WriteError as exc:  # a read-only or missing folder, a full disk: the path and the fix
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except IndicatorsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # pragma: no cover - `indicators show gdp | head`
        return 0
    except OSError as exc:  # the environment, met outside the writers (one line, never a traceback)
        where = f"{exc.filename}: " if exc.filename else ""
        print(
            f"error: {where}{exc.strerror or exc}. Fix: check that the path exists and that you may read and "
            "write it (and that the disk has space), then run again",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
