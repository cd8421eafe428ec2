"""The package's import graph: no cycles, and each wing imports only what its docstring allows."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import evidence_kit

PKG = Path(evidence_kit.__file__).parent
# Modules at the top of the package that every wing may use.
CORE = {"models", "errors", "case", "resources", "i18n"}
WINGS = {
    "ledger", "intake", "query", "bundle", "analysis", "extract", "layout", "ocr", "cli", "web"
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, node: ast.ImportFrom, is_pkg: bool) -> str | None:
    if node.level:
        base = module.split(".")
        base = base[: len(base) - node.level + (1 if is_pkg else 0)]
        return ".".join([*base, node.module] if node.module else base)
    return node.module


def _is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def import_graph(*, runtime_only: bool = True) -> dict[str, set[str]]:
    """Module -> the kit's modules it imports (at any depth, TYPE_CHECKING blocks skipped)."""
    modules = {_module_name(p): p for p in PKG.rglob("*.py")}
    graph: dict[str, set[str]] = defaultdict(set)

    def visit(mod: str, node: ast.AST, is_pkg: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if runtime_only and isinstance(child, ast.If) and _is_type_checking(child):
                continue
            targets: list[str] = []
            if isinstance(child, ast.Import):
                targets = [a.name for a in child.names]
            elif isinstance(child, ast.ImportFrom):
                base = _resolve(mod, child, is_pkg)
                if base:
                    targets = [f"{base}.{a.name}" for a in child.names] + [base]
            for t in targets:
                # `from pkg import mod` names a module; `from mod import name` names its module.
                while t and t not in modules:
                    t = t.rpartition(".")[0]
                if t and t.startswith("evidence_kit") and t != mod:
                    graph[mod].add(t)
            visit(mod, child, is_pkg)

    for mod, path in modules.items():
        visit(mod, ast.parse(path.read_text(encoding="utf-8")), path.name == "__init__.py")
    # Importing a submodule runs its parent package's __init__ first: not an edge to report.
    return {m: {t for t in ts if not m.startswith(t + ".")} for m, ts in graph.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def dfs(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := dfs(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := dfs(node)):
            return found
    return None


def wing_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "evidence_kit"


def allowed_wings(wing: str) -> set[str] | None:
    """The wings a wing's docstring allows (None: a face, which may import anything)."""
    doc = ast.get_docstring(ast.parse((PKG / wing / "__init__.py").read_text(encoding="utf-8")))
    assert doc, f"{wing}/__init__.py has no docstring"
    if "A face:" in doc:
        return None
    match = re.search(r"May import:(.*?)(?:\.\s|\.$)", doc, re.S)
    assert match, f"{wing}/__init__.py does not say what it may import"
    return set(re.findall(r"``(\w+)``", match.group(1)))


def test_no_import_cycle() -> None:
    assert find_cycle(import_graph()) is None
    # Not even through imports made only for type checking.
    assert find_cycle(import_graph(runtime_only=False)) is None


def test_cycle_finder_finds_a_planted_cycle() -> None:
    graph = import_graph()
    graph.setdefault("evidence_kit.bundle.context", set()).add("evidence_kit.bundle.letter")
    cycle = find_cycle(graph)
    assert cycle and cycle[0] == cycle[-1]


def test_every_wing_imports_only_what_its_docstring_allows() -> None:
    wrong = []
    for mod, targets in import_graph().items():
        wing = wing_of(mod)
        if wing not in WINGS:
            continue
        allowed = allowed_wings(wing)
        if allowed is None:
            continue
        for t in targets:
            tw = wing_of(t)
            if tw not in (wing, "evidence_kit") and tw not in allowed:
                wrong.append(f"{mod} -> {t}")
    assert wrong == []


def test_no_wing_imports_a_face() -> None:
    graph = import_graph()
    faces = {"cli", "web"}
    wrong = [
        f"{m} -> {t}"
        for m, ts in graph.items()
        for t in ts
        if wing_of(t) in faces and wing_of(m) not in faces and wing_of(m) != "demo"
        and m != "evidence_kit.__main__"
    ]
    assert wrong == []


def test_top_level_holds_only_the_core_and_the_faces_entry_points() -> None:
    top = {p.stem for p in PKG.glob("*.py")} - {"__init__", "__main__"}
    assert top <= CORE | {"demo"}, top - CORE
