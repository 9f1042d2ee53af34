"""The report batch: ``reports.yaml`` read, validated and expanded into jobs.

A batch lists jobs: a notebook, its parameters, optionally an output name (a template over the
parameters) and optionally a matrix whose keys expand over lists or over the data itself::

    defaults:
      language: zh
    jobs:
      - notebook: trend_report.ipynb
        parameters: {region: wcna}
        matrix:
          indicator: {from: indicators_with_data, region: wcna, min_years: 2}

Without ``name:`` a report is named by :func:`report_name` from its kind and parameters
(``trend_gdp_wcna``), as ``indicators report`` names it, so that the same report has the same
file whichever of the two makes it.

Data-driven matrix sources (so that adding an indicator to the table adds its report):

=========================  ======================================================================
``indicators_with_data``   indicators with at least ``min_years`` full-year levels in ``region``
``plans_with_targets``     every plan that has targets
``regions_with_data``      regions with figures (``level``: only regions of that level)
``new_areas_with_data``    national-level new areas with figures of ``indicator``
=========================  ======================================================================

Everything is checked before anything runs: unknown notebooks, a parameters cell that does not
parse, parameter names a notebook does not have, values of the wrong type, bad matrices, output
names that are not plain file names (:func:`name_problem`), duplicate output names. Every problem
is listed with the job, the key and the fix (:class:`BatchError`).

A list value (``indicators: [gdp, marine_gdp]``) is given to the notebook as a list, as papermill
gives it; in an output name its items are joined with ``-``. ``max_report_mb`` (in ``defaults:``
or a job) is the size limit of a report's notebook and of its HTML (:mod:`indicators.limits`).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import string
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import IndicatorsError
from ..limits import max_report_mb
from ..version import __version__

DEFAULT_BATCH = "reports.yaml"
JOB_KEYS = {"notebook", "name", "parameters", "matrix", "timeout", "max_report_mb"}
MATRIX_SOURCES = ("indicators_with_data", "plans_with_targets", "regions_with_data", "new_areas_with_data")


class BatchError(IndicatorsError, ValueError):
    """A malformed batch file; ``problems`` lists (job, key, message, fix)."""

    def __init__(self, path: str, problems: list[tuple[str, str, str, str]]):
        self.path = path
        self.problems = problems
        lines = [f"{path}: {len(problems)} problem(s); nothing was run:"]
        lines += [f"  - job {job}, key {key!r}: {message}. Fix: {fix}" for job, key, message, fix in problems]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Job:
    """One report to produce."""

    name: str
    notebook: str
    parameters: dict = field(default_factory=dict, hash=False)
    timeout: int = 600
    origin: str = ""  # which batch entry it came from, for messages
    max_report_mb: float | None = None  # None: INDICATORS_MAX_REPORT_MB, else the default (indicators.limits)

    @property
    def max_report_bytes(self) -> int:
        return int((self.max_report_mb or max_report_mb()) * 1_000_000)

    @property
    def kind(self) -> str:
        return KIND_OF_NOTEBOOK.get(self.notebook, Path(self.notebook).stem)


KIND_OF_NOTEBOOK = {
    "trend_report.ipynb": "trend",
    "target_gap_report.ipynb": "target_gap",
    "overview.ipynb": "overview",
    "peer_comparison.ipynb": "peers",
    "data_audit.ipynb": "audit",
}


#: A character a report name may hold: a letter or digit of any script (CJK included), ``_ - .``.
NAME_CHAR = re.compile(r"[\w.\-]")
#: Names of files the batch writes itself beside the reports.
RESERVED_NAMES = ("index",)
MAX_NAME_BYTES = 200  # with ".failed.ipynb" well under the 255 bytes of a file name
NAME_FIX = (
    "use only letters, digits, CJK characters and _ - . in the name template and in the values it uses "
    "(no / or \\, no '..', not starting with '.'), e.g. name: \"trend_{indicator}_{region}\""
)


def name_problem(name: str) -> str | None:
    """Why ``name`` is not a plain file name for a report (``None`` when it is one): reports are
    written as ``NAME.html`` and ``NAME.ipynb`` inside the output folder and nowhere else."""
    if not name:
        return "it is empty"
    bad = sorted({c for c in name if not NAME_CHAR.fullmatch(c)})
    if bad:
        return f"it holds {', '.join(repr(c) for c in bad)}"
    if name.startswith("."):
        return "it starts with '.' (a hidden file)"
    if ".." in name:
        return "it holds '..'"
    if name.lower() in RESERVED_NAMES or name.lower().endswith(".failed"):
        return "the batch writes a file of that name itself"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        return f"it is longer than {MAX_NAME_BYTES} bytes"
    return None


def name_value(value: object) -> str:
    """A parameter's value as it appears in an output name: a list's items joined with ``-``."""
    if isinstance(value, list):
        return "-".join(str(v) for v in value)
    return str(value).replace(",", "-")


#: A report's name by its kind: a stem and the parameters that follow it, in this order.
NAME_STEMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "trend": ("trend", ("indicator", "region")),
    "target_gap": ("target_gap", ("plan",)),
    "overview": ("overview", ("region",)),
    "peers": ("peers", ("indicators", "measure")),
    "audit": ("data_audit", ()),
}
#: The language a report's name does not mention (the notebooks' default).
DEFAULT_LANGUAGE = "zh"


def report_name(kind: str, parameters: dict, defaults: dict | None = None) -> str:
    """The output name of a report, the same whether the batch or ``indicators report`` makes it.

    The kind's stem and its naming parameters (:data:`NAME_STEMS`; a parameter not given takes
    the notebook's default from ``defaults``, an empty one is left out), then every other
    parameter that differs from its default as ``key-value`` in the order of the notebook's
    parameters cell (parameters it does not have after them, sorted), then the language when it
    is not the default one: ``trend_gdp_wcna``, ``trend_gdp_wcna_horizon-3_en``,
    ``target_gap_wcna_mobilisation_2023_as_of-2024-06-30``, ``peers_gdp_yoy_growth``,
    ``data_audit_en``. A kind without a stem (a notebook of one's own) is named after it.
    """
    defaults = defaults or {}
    stem, keys = NAME_STEMS.get(kind, (kind, ()))
    values = {**defaults, **parameters}
    parts = [stem] + [text for key in keys if (text := name_value(values.get(key, "")))]
    order = list(defaults) + sorted(set(parameters) - set(defaults))
    for key in order:
        if key in keys or key == "language" or key not in parameters:
            continue
        if key in defaults and parameters[key] == defaults[key]:
            continue
        parts.append(f"{key}-{name_value(parameters[key])}")
    language = name_value(values.get("language", DEFAULT_LANGUAGE))
    if language and language != name_value(defaults.get("language", DEFAULT_LANGUAGE)):
        parts.append(language)
    return "_".join(parts)


def _name_key(template: str | None, values: dict, axes: dict) -> str:
    """The batch key to blame for a bad output name: the template itself, or the value it used
    (every value, for a report's own name: :func:`report_name`)."""
    keys = _template_keys(template) if template else set(values)
    if template and name_problem(template.format(**{k: "x" for k in keys})):
        return "name"
    for key in sorted(keys):
        if key in values and values[key] not in ("", []) and name_problem(name_value(values[key])):
            return f"matrix.{key}" if key in axes else f"parameters.{key}"
    return "name"


def _template_problem(template: str, notebook: str, known: dict, params: dict, axes: dict) -> tuple[str, str] | None:
    """What is wrong with a job's name template (message, fix), or ``None``."""
    used = _template_keys(template)
    unset = used & set(known) - set(params) - set(axes)
    if unset:
        return (
            f"the name uses {sorted(unset)}, which this job does not set",
            "set them in parameters or matrix, or leave them out of the name",
        )
    missing = used - set(known)
    if missing:
        return (
            f"the name uses {sorted(missing)}, not parameters of {notebook}",
            f"use parameters of the notebook: {', '.join(known)}",
        )
    if axes and not used >= set(axes):
        return (
            f"the name {template!r} does not tell the matrix's jobs apart",
            f"put {', '.join('{' + k + '}' for k in axes)} in the name, or leave the name out (each report is "
            "then named after its kind and parameters)",
        )
    return None


def notebooks_dir() -> Path:
    """The report notebooks: ``$INDICATORS_NOTEBOOKS_DIR``, else the checkout's ``notebooks/``."""
    env = os.environ.get("INDICATORS_NOTEBOOKS_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[3] / "notebooks"


@lru_cache(maxsize=64)
def _parameters_cell(path: str, mtime: float) -> tuple[dict[str, str], dict[str, object]]:
    """Parameter names with their types, and their default values, from a notebook's
    ``parameters`` cell.

    Read with :mod:`ast` the way papermill infers them (``name: type = value  # help``), without
    importing papermill (whose import costs about 2 s, too much for a run that skips everything).
    """
    import ast

    del mtime  # cache key only
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    cell = next((c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if cell is None:
        return {}, {}
    source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    params: dict[str, str] = {}
    defaults: dict[str, object] = {}

    def default(node: ast.expr | None) -> object:
        try:
            return ast.literal_eval(node) if node is not None else None
        except ValueError:  # an expression, not a literal: no default a name can compare with
            return None

    for node in ast.parse(source).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            params[node.target.id] = ast.unparse(node.annotation)
            defaults[node.target.id] = default(node.value)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    value = node.value.value if isinstance(node.value, ast.Constant) else None
                    params[target.id] = type(value).__name__ if value is not None else "None"
                    defaults[target.id] = default(node.value)
    return params, defaults


def notebook_parameters(notebook: Path) -> dict[str, str]:
    """A notebook's parameters and their types, in the order of its parameters cell."""
    return _parameters_cell(str(notebook), notebook.stat().st_mtime)[0]


def notebook_defaults(notebook: Path) -> dict[str, object]:
    """A notebook's parameters and their default values, in the order of its parameters cell."""
    return _parameters_cell(str(notebook), notebook.stat().st_mtime)[1]


def _type_ok(value: object, inferred: str) -> bool:
    if inferred == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if inferred == "float":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if inferred == "str":
        return isinstance(value, str)
    if inferred == "bool":
        return isinstance(value, bool)
    if inferred == "list" or inferred.startswith("list["):
        return isinstance(value, list)
    return True


# -- matrix sources ---------------------------------------------------------------------------


def _matrix_values(spec: dict, data_dir) -> list:
    from ..data.catalog import load_observations, load_table

    source = spec["from"]
    if source == "indicators_with_data":
        region = spec.get("region", "wcna")
        min_years = int(spec.get("min_years", 2))
        obs = load_observations(region=region, measure="level", include_derived=False, data_dir=data_dir)
        annual = obs[(obs["period_kind"] == "year") & (obs["status"] != "estimate")]
        counts = annual.groupby("indicator_id")["period"].nunique()
        return sorted(counts[counts >= min_years].index)
    if source == "plans_with_targets":
        return sorted(set(load_table("targets", data_dir=data_dir)["plan_id"]))
    if source == "regions_with_data":
        obs = load_observations(data_dir=data_dir)
        regions = load_table("regions", data_dir=data_dir).set_index("region_id")
        ids = sorted(set(obs["region_id"]))
        if "level" in spec:
            ids = [r for r in ids if regions.at[r, "level"] == spec["level"]]
        return ids
    # new_areas_with_data
    obs = load_observations(spec.get("indicator", "gdp"), data_dir=data_dir)
    regions = load_table("regions", data_dir=data_dir).set_index("region_id")
    return sorted(r for r in set(obs["region_id"]) if regions.at[r, "level"] == "new_area")


def _template_keys(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


# -- reading -----------------------------------------------------------------------------------


def load_batch(path: str | os.PathLike[str] = DEFAULT_BATCH, *, data_dir=None) -> list[Job]:
    """Read, validate and expand a batch file into jobs (see the module docstring)."""
    import yaml

    path = Path(path)
    if not path.exists():
        raise BatchError(str(path), [("-", "file", "the batch file does not exist", f"create {path} (see README)")])
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise BatchError(str(path), [("-", "file", f"not valid YAML ({exc})", "fix the YAML syntax")]) from None
    return expand(doc, source=str(path), data_dir=data_dir)


def expand(doc: dict, *, source: str = "<batch>", data_dir=None) -> list[Job]:
    """Validate a parsed batch and expand its matrices into jobs."""
    problems: list[tuple[str, str, str, str]] = []
    if not isinstance(doc, dict) or not isinstance(doc.get("jobs"), list):
        raise BatchError(source, [("-", "jobs", "no list of jobs", "write `jobs:` followed by a list of jobs")])
    defaults = doc.get("defaults") or {}
    if not isinstance(defaults, dict):
        problems.append(("-", "defaults", "not a mapping", "write `defaults: {language: zh}`"))
        defaults = {}
    default_timeout = defaults.pop("timeout", 600)
    default_size = defaults.pop("max_report_mb", None)
    nb_dir = notebooks_dir()
    available = sorted(p.name for p in nb_dir.glob("*.ipynb"))
    jobs: list[Job] = []
    for i, entry in enumerate(doc["jobs"], 1):
        where = f"#{i}"
        if not isinstance(entry, dict):
            problems.append((where, "-", "not a mapping", "write `- notebook: NAME.ipynb` and its keys"))
            continue
        where = f"#{i} ({entry.get('name', entry.get('notebook', '?'))})"
        before = len(problems)
        for key in sorted(set(entry) - JOB_KEYS):
            problems.append((where, key, "not a job key", f"use only {', '.join(sorted(JOB_KEYS))}"))
        notebook = entry.get("notebook")
        if not notebook or notebook not in available:
            problems.append((where, "notebook", f"unknown notebook {notebook!r}", f"use one of {', '.join(available)}"))
            continue
        try:
            known = notebook_parameters(nb_dir / notebook)
        except SyntaxError as exc:
            problems.append(
                (
                    where,
                    "notebook",
                    f"the parameters cell of {notebook} does not parse: {exc.msg} at line {exc.lineno} of the cell",
                    "correct that line of the parameters cell (one `name: type = value  # help` per line)",
                )
            )
            continue
        except (ValueError, KeyError, TypeError) as exc:
            problems.append((where, "notebook", f"{notebook} is not a readable notebook ({exc})", "save it again"))
            continue
        params = {**{k: v for k, v in defaults.items() if k in known}, **(entry.get("parameters") or {})}
        if not isinstance(entry.get("parameters") or {}, dict):
            problems.append((where, "parameters", "not a mapping", "write `parameters: {name: value}`"))
            continue
        matrix = entry.get("matrix") or {}
        if not isinstance(matrix, dict):
            problems.append(
                (where, "matrix", "not a mapping of parameter to values", "write `matrix: {indicator: [gdp]}`")
            )
            continue
        axes: dict[str, list] = {}
        for key, spec in matrix.items():
            if key not in known:
                problems.append(
                    (where, f"matrix.{key}", f"{notebook} has no parameter {key!r}", f"use one of {', '.join(known)}")
                )
                continue
            if isinstance(spec, list):
                if not spec:
                    problems.append((where, f"matrix.{key}", "an empty list", "give at least one value"))
                    continue
                axes[key] = spec
            elif isinstance(spec, dict) and spec.get("from") in MATRIX_SOURCES:
                try:
                    axes[key] = _matrix_values(spec, data_dir)
                except IndicatorsError as exc:
                    problems.append((where, f"matrix.{key}", str(exc), "check the source's options"))
            else:
                problems.append(
                    (
                        where,
                        f"matrix.{key}",
                        f"neither a list nor a known source ({spec!r})",
                        f"give a list, or {{from: X}} with X one of {', '.join(MATRIX_SOURCES)}",
                    )
                )
        for key in params:
            if key not in known:
                problems.append(
                    (
                        where,
                        f"parameters.{key}",
                        f"{notebook} has no parameter {key!r}",
                        f"use one of {', '.join(known)}",
                    )
                )
        if len(problems) > before:
            continue  # this entry cannot be expanded; its problems are listed
        template = str(entry["name"]) if entry.get("name") else None  # None: the report's own name
        wrong = _template_problem(template, notebook, known, params, axes) if template else None
        if wrong:
            problems.append((where, "name", *wrong))
            continue
        timeout = entry.get("timeout", default_timeout)
        if not isinstance(timeout, int) or timeout <= 0:
            problems.append((where, "timeout", f"{timeout!r} is not a positive whole number of seconds", "e.g. 600"))
            continue
        size = entry.get("max_report_mb", default_size)
        if size is not None and (isinstance(size, bool) or not isinstance(size, int | float) or size <= 0):
            problems.append((where, "max_report_mb", f"{size!r} is not a positive number of MB", "e.g. 20"))
            continue
        for combo in itertools.product(*axes.values()) if axes else [()]:
            job_params = {**params, **dict(zip(axes, combo, strict=True))}
            bad = [k for k, v in job_params.items() if k in known and not _type_ok(v, known[k])]
            for k in bad:
                problems.append(
                    (
                        where,
                        f"parameters.{k}",
                        f"{job_params[k]!r} is not of type {known[k]}",
                        f"give a {known[k]} value",
                    )
                )
            if bad:
                break
            if template:
                name = template.format(**{k: name_value(v) for k, v in job_params.items()})
            else:
                kind = KIND_OF_NOTEBOOK.get(notebook, Path(notebook).stem)
                name = report_name(kind, job_params, notebook_defaults(nb_dir / notebook))
            why = name_problem(name)
            if why:
                problems.append(
                    (
                        where,
                        _name_key(template, job_params, axes),
                        f"the output name {name!r} is unsafe: {why}",
                        NAME_FIX,
                    )
                )
                continue
            jobs.append(
                Job(
                    name=name,
                    notebook=notebook,
                    parameters=job_params,
                    timeout=timeout,
                    origin=where,
                    max_report_mb=size,
                )
            )
    seen: dict[str, str] = {}
    for job in jobs:
        if job.name in seen:
            problems.append(
                (
                    job.origin,
                    "name",
                    f"the output name {job.name!r} is also made by job {seen[job.name]}",
                    "make the names unique (add a parameter to the name template)",
                )
            )
        seen.setdefault(job.name, job.origin)
    if problems:
        raise BatchError(source, problems)
    return jobs


# -- fingerprints ---------------------------------------------------------------------------------


def _digest(*parts: object) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(json.dumps(part, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8"))
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def code_digest() -> str:
    """Content hash of the package's code and templates (a changed report function re-runs
    its reports even before the version number moves)."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for path in sorted([*root.rglob("*.py"), *root.glob("reporting/templates/**/*")]):
        if path.is_file():
            h.update(path.relative_to(root).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def job_dependencies(job: Job, data_dir=None) -> list[str] | None:
    """The indicators a report reads, or ``None`` for all (where that cannot be known)."""
    from ..data.catalog import load_table

    p = job.parameters
    if job.kind == "trend":
        return [str(p.get("indicator", "gdp"))]
    if job.kind == "peers":
        listed = p.get("indicators", "gdp")
        items = listed if isinstance(listed, list) else str(listed).split(",")
        return [str(s).strip() for s in items if str(s).strip()]
    if job.kind == "target_gap" and p.get("plan"):
        targets = load_table("targets", data_dir=data_dir)
        return sorted(set(targets.loc[targets["plan_id"] == p["plan"], "indicator_id"]))
    return None


def data_digests(data_dir=None) -> tuple[str, dict[str, str]]:
    """A digest of the shared tables (sources, regions, units, plans, targets) and one per
    indicator (its catalog row, observations and checks)."""
    from ..data.catalog import load_table

    shared = _digest(
        *(
            load_table(t, data_dir=data_dir).to_dict("records")
            for t in ("sources", "regions", "units", "plans", "targets")
        )
    )
    rows: dict[str, list[list[dict]]] = {}  # indicator -> [catalog row, observations, checks]
    for index, table in enumerate(("indicators", "observations", "checks")):
        for record in load_table(table, data_dir=data_dir).to_dict("records"):  # one pass a table
            rows.setdefault(record["indicator_id"], [[], [], []])[index].append(record)
    per = {ind: _digest(*parts) for ind, parts in rows.items() if parts[0]}
    return shared, per


def _data_part(job: Job, shared: str, per: dict[str, str], data_version: str, data_dir=None) -> object:
    deps = job_dependencies(job, data_dir)
    return data_version if deps is None else [shared, {d: per.get(d, "missing") for d in deps}]


def data_digest(job: Job, shared: str, per: dict[str, str], data_version: str, data_dir=None) -> str:
    """A digest of the data a report reads (its indicators where known, else the whole data
    version): when it changes, the report is out of date."""
    return _digest(_data_part(job, shared, per, data_version, data_dir))


def fingerprint(
    job: Job, notebook_hash: str, shared: str, per: dict[str, str], data_version: str, data_dir=None
) -> str:
    """What a report's output depends on: the notebook, its parameters, the package (version and
    code) and the data it reads (its indicators where known, else the whole data version)."""
    data_part = _data_part(job, shared, per, data_version, data_dir)
    return _digest(job.notebook, notebook_hash, job.parameters, __version__, code_digest(), data_part)
