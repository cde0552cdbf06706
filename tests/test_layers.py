"""The floors of the code (README, "How the code is laid out"): a module imports only from its own
floor or the floors below it, never in a cycle, and stays small enough to read."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "techfile"

# Ground floor first. A module's floor is its first package under techfile (or its module name).
FLOORS: tuple[frozenset[str], ...] = (
    frozenset({"", "util"}),  # "": techfile/__init__.py (the version)
    frozenset({"data"}),
    frozenset({"model"}),
    frozenset({"intake"}),
    frozenset({"rules"}),
    frozenset({"engine"}),
    frozenset({"formatters", "report", "overlap", "pack"}),
    frozenset({"adopt", "scaffold", "selftest", "fixture_tree"}),
    frozenset({"cli", "integrations", "__main__"}),
)
# Narrower than "any floor below": what the issue that set the floors asked for.
ONLY_FROM: dict[str, frozenset[str]] = {
    "formatters": frozenset({"", "util", "data", "model", "formatters"}),
}
NEVER_FROM: dict[str, frozenset[str]] = {
    "report": frozenset({"rules"}),
}
MAX_LINES = 400
# Modules allowed over MAX_LINES, each with its reason (also listed in the README).
LONG_MODULES: dict[str, str] = {}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imported(name: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    """The techfile modules `name` imports (anywhere in the file, lazily or not)."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target.startswith("techfile") and target != name:
                yield target


def _graph() -> dict[str, set[str]]:
    known = _modules()
    return {name: set(_imported(name, path, known)) for name, path in known.items()}


def _floor_name(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _level(floor: str) -> int:
    for level, names in enumerate(FLOORS):
        if floor in names:
            return level
    raise AssertionError(f"{floor!r} is on no floor: add it to FLOORS and to the README")


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def layer_violations(graph: dict[str, set[str]]) -> list[str]:
    problems = []
    for module, targets in sorted(graph.items()):
        floor = _floor_name(module)
        for target in sorted(targets):
            other = _floor_name(target)
            if _level(other) > _level(floor):
                problems.append(f"{module} imports {target}, a floor above it")
            elif floor in ONLY_FROM and other not in ONLY_FROM[floor]:
                problems.append(f"{module} imports {target}; {floor} may import only model, data")
            elif other in NEVER_FROM.get(floor, frozenset()):
                problems.append(f"{module} imports {target}; {floor} never imports {other}")
    return problems


def test_no_module_imports_a_floor_above_it() -> None:
    assert layer_violations(_graph()) == []


def test_no_import_cycles() -> None:
    assert _cycles(_graph()) == []


def test_the_checks_catch_what_they_are_for() -> None:
    """The test above could pass by checking nothing: planted violations must be found."""
    planted = {
        "techfile.model.x": {"techfile.intake.y"},
        "techfile.data.x": {"techfile.model.y"},
        "techfile.rules.x": {"techfile.engine.y"},
        "techfile.formatters.x": {"techfile.engine.y"},
        "techfile.report.x": {"techfile.rules.y"},
        "techfile.intake.x": {"techfile.rules.y"},
        "techfile.model.y": set(),
        "techfile.intake.y": set(),
        "techfile.engine.y": set(),
        "techfile.rules.y": set(),
    }
    assert len(layer_violations(planted)) == 6
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("module", sorted(_modules()))
def test_module_is_short(module: str) -> None:
    lines = len(_modules()[module].read_text(encoding="utf-8").splitlines())
    if module in LONG_MODULES:
        return
    assert lines <= MAX_LINES, f"{module} has {lines} lines; split it by what it does"
