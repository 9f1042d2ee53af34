"""The data-exchange subcommands of ``indicators``: ``template``, ``import``, ``export``, and the
revision history shown by ``indicators show ID --vintages``."""

from __future__ import annotations

import argparse

import pandas as pd

from .data.tables import LANGUAGES, RELIABILITY
from .data.vintages import vintage_history
from .errors import ParameterError

#: ``indicators import`` options that describe a new source, by sources column.
SOURCE_OPTIONS = {
    "title": "title",
    "publisher": "publisher",
    "date_published": "published",
    "address": "address",
    "date_accessed": "accessed",
    "reliability": "reliability",
    "language": "language",
    "note": "source_note",
}


def vintage_table(obs: pd.DataFrame) -> pd.DataFrame:
    """Each published figure's vintages, oldest first, for display: the figure (region,
    period, measure, of, price basis), then per vintage its number, publication date, value,
    unit, qualifier, status, source and whether it revised or confirmed the vintage before."""
    published = obs[obs["status"] != "derived"]
    table = vintage_history(published)
    if table.empty:
        return pd.DataFrame()
    columns = {
        "region_id": "region",
        "period": "period",
        "measure": "measure",
        "ref_region_id": "of",
        "price_basis": "basis",
        "vintage": "vintage",
        "published": "published",
        "value_text": "value",
        "unit": "unit",
        "qualifier": "qualifier",
        "status": "status",
        "source_id": "source_id",
        "change": "change",
    }
    return table[list(columns)].rename(columns=columns)


def _cmd_template(args: argparse.Namespace) -> int:
    from .intake.template import write_template

    path = write_template(args.out, format=args.format, data_dir=args.data_dir)
    print(f"wrote the template to {path}: fill in the observations sheet, then `indicators import {path} --source …`")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from .intake.importer import import_files

    described = {column: getattr(args, option) for column, option in SOURCE_OPTIONS.items()}
    source: str | dict[str, str] | None = args.source
    if any(v is not None for v in described.values()):
        if not args.source:
            raise ParameterError(
                "--source", None, "a new source needs an id", "pass --source ID beside --title, --publisher, …"
            )
        source = {"source_id": args.source, **{k: v for k, v in described.items() if v is not None}}
    result = import_files(args.files, source=source, dry_run=args.dry_run, data_dir=args.data_dir)
    print(result.describe())
    if result.n_added and not result.dry_run:
        print("data/processed/ is rebuilt by the next `indicators build` (or by any loader)")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from .intake.export import export_data

    print(export_data(args.format, out=args.out, data_dir=args.data_dir).describe())
    return 0


def add_data_commands(sub: argparse._SubParsersAction) -> None:
    """Register ``template``, ``import`` and ``export`` on the ``indicators`` parser."""
    tp = sub.add_parser("template", help="write a workbook (or CSV files) to type figures into for `import`")
    tp.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    tp.add_argument(
        "--out", default=None, help="file or folder (default indicators_template.xlsx, or indicators_template/)"
    )
    tp.set_defaults(func=_cmd_template)

    ip = sub.add_parser("import", help="add a workbook's or CSV file's rows to data/raw/ as a new batch")
    ip.add_argument("files", nargs="+", metavar="FILE", help=".xlsx or .csv files (or folders of .csv files)")
    ip.add_argument("--source", metavar="ID", help="the source of rows without a source_id (existing or new)")
    new = ip.add_argument_group("a new source (with --source ID)")
    new.add_argument("--title", help="the document's title")
    new.add_argument("--publisher", help="who published it")
    new.add_argument("--published", metavar="DATE", help="date published: YYYY-MM-DD (or YYYY-MM, YYYY)")
    new.add_argument("--address", help="web address")
    new.add_argument("--accessed", metavar="DATE", help="date accessed (default today)")
    new.add_argument("--reliability", choices=RELIABILITY)
    new.add_argument("--language", choices=LANGUAGES, help="default zh")
    new.add_argument("--source-note", dest="source_note", help="anything a reviewer should know")
    ip.add_argument("--dry-run", action="store_true", help="validate only; add nothing")
    ip.set_defaults(func=_cmd_import)

    ep = sub.add_parser("export", help="write the processed table with its metadata (xlsx, csv or parquet)")
    ep.add_argument("--format", choices=("xlsx", "csv", "parquet"), default="xlsx")
    ep.add_argument("--out", default=None, help="file or folder (default exports/indicators_<data version>…)")
    ep.set_defaults(func=_cmd_export)
