"""Find the versioned Cypher that ships with kg: `schema/` migrations and `queries/` files."""

from __future__ import annotations

from pathlib import Path

from kg.core.errors import KgError

_PACKAGE = Path(__file__).resolve().parent.parent
"""The `kg` package directory, where a wheel keeps `_bundled/`."""


def resource_dir(name: str) -> Path:
    """`schema` or `queries`: from a wheel (kg/_bundled) or from the source checkout."""
    for candidate in (_PACKAGE / "_bundled" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise KgError(f"kg is installed without its {name}/ directory; reinstall kg")
