"""The package's layout is its data flow: raw tables → data → analysis / intake → reporting →
batch → cli. These tests read the modules with ``ast`` (nothing is imported), so that the rules
hold as the code grows:

* imports point down the flow (a package imports only the packages below it);
* no two modules need each other, directly or round a longer circle;
* no module is over 600 lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "indicators"

#: What each stage may import (besides itself). The foundation (errors, atomic writes, the
#: limits, the version) is below everything; the command line and the package's API sit on top.
ALLOWED = {
    "foundation": {"foundation"},
    "data": {"foundation"},
    "intake": {"foundation", "data"},
    "analysis": {"foundation", "data"},
    "reporting": {"foundation", "data", "analysis"},
    "batch": {"foundation", "data", "analysis", "reporting", "intake"},
    "top": {"foundation", "data", "analysis", "reporting", "intake", "batch"},
}
FOUNDATION = {
    "indicators.errors",
    "indicators.atomic",
    "indicators.limits",
    "indicators.textsafety",
    "indicators.version",
}
TOP = {"indicators", "indicators.cli", "indicators.cli_data"}
MAX_LINES = 600


def modules(package: Path = PACKAGE) -> dict[str, Path]:
    """Every module of the package by its dotted name (a package by its own name)."""
    out = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def stage(module: str) -> str:
    if module in FOUNDATION:
        return "foundation"
    if module in TOP:
        return "top"
    parts = module.split(".")
    if len(parts) >= 2 and parts[1] in ALLOWED:
        return parts[1]
    raise AssertionError(f"{module} belongs to no stage: put it in a sub-package, or name it in test_layout.py")


def imported_modules(module: str, path: Path, known: set[str]) -> set[str]:
    """Every module of the package that ``module`` imports, anywhere in its code (inside
    functions and ``TYPE_CHECKING`` blocks too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()

    def add(target: str) -> None:
        while target and target not in known:  # an attribute of a module: the module
            target = target.rpartition(".")[0]
        if target and target != module:
            found.add(target)

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "indicators":
                    add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                prefix = ".".join(base + ([node.module] if node.module else []))
            elif node.module and node.module.split(".")[0] == "indicators":
                prefix = node.module
            else:
                continue
            for alias in node.names:
                name = f"{prefix}.{alias.name}"
                add(name if name in known else prefix)
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    mods = modules()
    return {m: imported_modules(m, p, set(mods)) for m, p in mods.items()}


def test_every_module_belongs_to_a_stage(graph):
    for module in graph:
        stage(module)


def test_imports_point_down_the_flow(graph):
    wrong = [
        f"{m} ({stage(m)}) imports {t} ({stage(t)})"
        for m, targets in graph.items()
        for t in sorted(targets)
        if stage(t) != stage(m) and stage(t) not in ALLOWED[stage(m)]
    ]
    assert not wrong, "imports against the flow:\n" + "\n".join(wrong)


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: the groups of modules that reach each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return groups


def test_no_import_circles(graph):
    circles = [g for g in strongly_connected(graph) if len(g) > 1]
    assert not circles, f"modules that import each other: {circles}"


def test_the_circle_finder_finds_circles():
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"], ["d"]]


def test_a_stage_import_against_the_flow_is_caught(tmp_path):
    """Relative imports inside functions are read too, as the package writes its lazy imports."""
    root = tmp_path / "indicators"
    (root / "data").mkdir(parents=True)
    (root / "reporting").mkdir()
    for f in ("__init__.py", "data/__init__.py", "reporting/__init__.py", "reporting/charts.py"):
        (root / f).write_text("")
    (root / "data" / "build.py").write_text("def f():\n    from ..reporting.charts import x\n")
    mods = modules(root)
    found = imported_modules("indicators.data.build", mods["indicators.data.build"], set(mods))
    assert found == {"indicators.reporting.charts"}
    assert stage("indicators.reporting.charts") not in ALLOWED[stage("indicators.data.build")]


def test_no_module_is_over_600_lines():
    long = {m: n for m, p in modules().items() if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"split these by responsibility: {long}"


def test_every_sub_package_says_what_it_takes_and_hands_on():
    for sub in ("data", "intake", "analysis", "reporting", "batch"):
        doc = ast.get_docstring(ast.parse((PACKAGE / sub / "__init__.py").read_text(encoding="utf-8")))
        assert doc and "Takes" in doc and "hands" in doc, sub
