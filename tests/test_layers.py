"""Layers import one way: core <- loaders, API, analysis, curation <- web, bench <- CLI.

Every module's imports, those inside functions too, are read with `ast`, never run, so the
check needs no server. `violations` is also tried on made-up modules, so this test is known
to fail when a lower layer imports a higher one.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

LAYERS = {
    "kg.core": 0,
    "loaders": 1,
    "kg.api": 1,
    "kg.analysis": 1,
    "kg.curation": 1,
    "kg.web": 2,
    "kg.bench": 2,
    "kg.cli": 3,
}
"""Package and its level. A module imports its own package and lower levels only, so two
packages on one level (`loaders` and `kg.api`, say) never import each other."""


def package_of(module: str) -> str | None:
    """The layer a dotted module name belongs to; None for `kg` itself and third parties."""
    for package in sorted(LAYERS, key=len, reverse=True):
        if module == package or module.startswith(package + "."):
            return package
    return None


def modules() -> Iterator[tuple[str, Path]]:
    for top in ("kg", "loaders"):
        for path in sorted((ROOT / top).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            yield ".".join(parts), path


def imported(tree: ast.AST, module: str, is_package: bool = False) -> list[tuple[int, str]]:
    """(line, module) for every import in the tree, relative ones resolved; `from a import b`
    yields both `a` and `a.b`, since `b` may be a module."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def violations(module: str, source: str, is_package: bool = False) -> list[str]:
    """The imports of `module` (given its source) that point up or sideways."""
    own = package_of(module)
    if own is None:
        return []
    bad = set()
    for line, target in imported(ast.parse(source), module, is_package):
        other = package_of(target)
        if other is not None and other != own and LAYERS[other] >= LAYERS[own]:
            bad.add(f"{module}:{line} imports from {other}, which is not below {own}")
    return sorted(bad)


def test_every_module_imports_down_only():
    found = [
        problem
        for name, path in modules()
        for problem in violations(name, path.read_text(), path.name == "__init__.py")
    ]
    assert found == []


def test_every_module_belongs_to_a_layer():
    loose = [name for name, _ in modules() if package_of(name) is None and name != "kg"]
    assert loose == []


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("kg.core.config", "from kg.cli import main"),  # up
        ("kg.core.db", "import loaders.records"),  # up, plain import
        ("loaders.snapshot", "from kg.api import gateway"),  # sideways, same level
        ("kg.api.context", "def f():\n    from kg.web.app import create_app\n"),  # in a function
        ("kg.web.app", "from ..cli import main"),  # relative
        ("kg.bench.api", "from kg import cli"),  # the package, not a module of it
    ],
)
def test_an_import_up_or_sideways_is_caught(module, source):
    assert len(violations(module, source)) == 1


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("kg.cli.main", "from kg.core.errors import KgError\nfrom loaders import snapshot"),
        ("loaders.bulk_import", "from kg.core import migrations, neo4j_local"),
        ("kg.api.types.works", "from . import pagination\nfrom ..gateway import Gateway"),
        ("kg.web.app", "import neo4j\nfrom kg import __version__"),
    ],
)
def test_imports_down_or_within_are_allowed(module, source):
    assert violations(module, source) == []


def test_function_level_imports_say_why_they_are_lazy():
    """An import inside a function is only for a heavy module that most commands never need;
    a `lazy:` comment on its line, or just above its import block, says why."""
    unexplained = []
    for name, path in modules():
        lines = path.read_text().splitlines()
        tree = ast.parse("\n".join(lines))
        for func in ast.walk(tree):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(func):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    near = lines[max(0, node.lineno - 4) : node.lineno]
                    if not any("# lazy:" in line for line in near):
                        unexplained.append(f"{name}:{node.lineno}: {lines[node.lineno - 1]}")
    assert unexplained == []
