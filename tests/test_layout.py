"""The layout shows the flow: which package may import which, no import circles, small modules.

crawl (govspider) → store (pipelines) → score (analysis) → write (exports); the command
line (cli) is the one place that ties them together, and the demo farm (farm) stands apart.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("govspider", "pipelines", "analysis", "exports", "cli", "farm", "farmgen")
# what each package may import of the others (itself always)
ALLOWED = {
    "govspider": {"pipelines"},
    "pipelines": {"govspider"},
    "analysis": {"pipelines"},
    "exports": {"analysis"},
    "farm": set(),
    "farmgen": {"farm"},
    "cli": {"govspider", "pipelines", "analysis", "exports", "farm"},
}
MAX_LINES = 300
SIZE_REASON = "Longer than 300 lines:"


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue  # Alembic revisions are generated, and import nothing of ours
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def imports_of(path: Path, module: str) -> list[tuple[str, int, bool]]:
    """(imported module, line, at module level) for every import statement in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    top_level = {id(node) for node in tree.body}
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        found.extend((name, node.lineno, id(node) in top_level) for name in names)
    return found


MODULES = modules()


def resolve(name: str) -> str | None:
    """The module of ours that an imported dotted name lands in, if any."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def test_packages_import_only_what_the_flow_allows():
    wrong = []
    for module, path in MODULES.items():
        own = module.split(".")[0]
        for name, line, _ in imports_of(path, module):
            other = name.split(".")[0]
            if other in PACKAGES and other != own and other not in ALLOWED[own]:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    assert not wrong, "\n".join(wrong)


def test_the_rule_sees_a_forbidden_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from analysis.report import build_report\n")
    assert ("analysis.report.build_report", 2, False) in imports_of(sample, "govspider.sample")


def module_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for module, path in MODULES.items():
        for name, _, _ in imports_of(path, module):
            target = resolve(name)
            # a package's __init__ importing its own submodules is not a circle of design
            if target and target != module and not target.startswith(module + "."):
                graph[module].add(target)
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in list(graph):
        if node not in index:
            visit(node)
    return groups


def test_no_import_circles():
    assert circles(module_graph()) == []


def test_the_circle_finder_finds_one():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_are_small_or_say_why(module):
    path = MODULES[module]
    lines = len(path.read_text(encoding="utf-8").splitlines())
    if lines > MAX_LINES:
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        assert SIZE_REASON in doc, f"{path.relative_to(ROOT)}: {lines} lines, no reason given"
