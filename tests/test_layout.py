"""The package's shape: no import cycles (at module level or inside functions) and the
layering rules that keep the core free of terminals and storage."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

PACKAGE = REPO_ROOT / "triage"

# Which subpackages a subpackage may import ("*": anything). Names are the first part
# after ``triage.``; top-level modules (i18n, problems, files, folders, csv_cells, text,
# untrusted, json_refusals) are shared leaves.
LEAVES = {"__init__", "i18n", "i18n_reception", "i18n_screen", "i18n_doubts", "i18n_stop",
          "i18n_counts", "i18n_records", "i18n_failure", "i18n_answers", "i18n_said", "i18n_back",
          "problems", "files", "folders", "csv_cells", "text", "untrusted",
          "json_refusals"}
ALLOWED: dict[str, set[str]] = {
    "conditions": set(),
    "pack": {"conditions", "engine"},  # engine.policy only: checked below
    "engine": {"conditions", "pack"},
    "authoring": {"conditions", "pack", "engine", "render"},
    "batch": {"conditions", "pack", "engine"},
    "interop": {"conditions", "pack", "engine", "records"},
    "records": {"pack", "engine"},
    "render": {"conditions", "pack", "engine", "records", "batch"},
    "web": {"conditions", "pack", "engine", "records", "render", "interop"},
    "cli": {"*"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def internal_imports(path: Path) -> set[str]:
    """Every ``triage`` module ``path`` imports, wherever the import statement stands."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("triage"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "triage":
                found.update(f"triage.{a.name}" for a in node.names)
            elif node.module.startswith("triage."):
                found.add(node.module)
                found.update(f"{node.module}.{a.name}" for a in node.names)
    modules = {module_name(p) for p in PACKAGE.rglob("*.py")}
    return {m for m in found if m in modules}


@functools.cache
def graph() -> dict[str, set[str]]:
    return {module_name(p): internal_imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in edges:
        if node not in index:
            visit(node)
    return found


def layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "__init__"
    return "cli" if parts[1] == "__main__" else parts[1]


def test_no_import_cycles() -> None:
    edges = graph()
    # a package's __init__ re-exporting its own modules is not a cycle of concern
    trimmed = {m: {d for d in deps if d != m.rsplit(".", 1)[0]} for m, deps in edges.items()}
    assert cycles(trimmed) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("module", sorted(graph()))
def test_layers(module: str) -> None:
    own = layer(module)
    if own in LEAVES or own == "__init__":
        allowed: set[str] = {"*"} if own == "__init__" else set()
    else:
        allowed = ALLOWED[own]
    for dep in sorted(graph()[module]):
        other = layer(dep)
        if other in LEAVES or other == own or "*" in allowed:
            continue
        assert other in allowed, f"{module} imports {dep}: {own} may not import {other}"
        if own == "pack" and other == "engine":  # the policy, and answer checks for cases
            assert dep in ("triage.engine.policy", "triage.engine.answers"), f"{module}: {dep}"
    assert "cli" not in {layer(d) for d in graph()[module]} or own == "cli"


MAX_MODULE_LINES = 420  # a module longer than this holds more than one concern


def test_no_module_is_too_long() -> None:
    long = {module_name(p) for p in PACKAGE.rglob("*.py")
            if len(p.read_text(encoding="utf-8").splitlines()) > MAX_MODULE_LINES}
    assert long == set()
