"""The layering rules, read from the source: no import cycles, no platform SDK in the core.

Imports are read with ``ast`` rather than by importing, so every import counts: those inside
functions and under ``if TYPE_CHECKING:`` too (a cycle that only the type checker sees is still a
knot a reader has to untie). Importing ``a.b.c`` is an edge to ``a.b.c`` only, not to the
packages ``a`` and ``a.b`` Python runs on the way.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "summarizers", "adapters")
PLATFORM_SDKS = ("discord", "slack_bolt", "slack_sdk")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    """Every module of the three packages by dotted name."""
    return {
        module_name(path): path for package in PACKAGES for path in (ROOT / package).rglob("*.py")
    }


def imported_names(name: str, path: Path, known: Collection[str] = ()) -> Iterator[str]:
    """The dotted names ``path`` imports, relative imports resolved; ``from x import y`` is
    ``x.y`` when that is one of the ``known`` modules, else ``x``."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                yield submodule if submodule in known else target


def import_graph() -> dict[str, set[str]]:
    """Edges between our own modules (an import of a non-module name points at its module)."""
    known = modules()
    return {
        name: {target for target in imported_names(name, path, known) if target in known} - {name}
        for name, path in known.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path ``[a, b, ..., a]``, or None (depth-first search)."""
    done: set[str] = set()
    stack: list[str] = []
    on_stack: set[str] = set()

    def visit(node: str) -> list[str] | None:
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target in on_stack:
                return [*stack[stack.index(target) :], target]
            if target not in done and (cycle := visit(target)):
                return cycle
        stack.pop()
        on_stack.discard(node)
        done.add(node)
        return None

    for start in sorted(graph):
        if start not in done and (cycle := visit(start)):
            return cycle
    return None


def test_the_graph_reads_our_imports() -> None:
    # Guards the reader: a graph with no edges would find no cycle and prove nothing.
    graph = import_graph()
    assert "bot.chat.commands" in graph
    assert "bot.store" in graph["bot.digests.delivery"]
    assert "summarizers.types" in graph["bot.models"]


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycles_among_bot_summarizers_and_adapters() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


@pytest.mark.parametrize("package", ["bot", "summarizers"])
def test_the_core_never_imports_a_chat_platform_sdk(package: str) -> None:
    offenders = {
        f"{name} imports {target}"
        for name, path in modules().items()
        if name.split(".")[0] == package
        for target in imported_names(name, path)
        if target.split(".")[0] in PLATFORM_SDKS
    }
    assert not offenders


def test_summarizers_never_import_bot_or_adapters() -> None:
    offenders = {
        f"{name} imports {target}"
        for name, path in modules().items()
        if name.startswith("summarizers")
        for target in imported_names(name, path)
        if target.split(".")[0] in ("bot", "adapters")
    }
    assert not offenders
