"""The published GraphQL contract: `schema/schema.graphql`, generated from the code.

UIs and reviewers read the SDL file; `kg schema graphql` rewrites it and
`kg schema graphql --check` (run by the tests, so by CI) fails when it is stale.
"""

from __future__ import annotations

from pathlib import Path

from kg.api.root import schema
from kg.core.resources import resource_dir

FILE = "schema.graphql"


def sdl() -> str:
    """The SDL the code defines, as `schema/schema.graphql` should hold it."""
    return str(schema).rstrip() + "\n"


def path() -> Path:
    return resource_dir("schema") / FILE


def stale() -> bool:
    """True when the checked-in SDL differs from what the code defines."""
    try:
        return path().read_text() != sdl()
    except FileNotFoundError:
        return True


def write() -> Path:
    target = path()
    target.write_text(sdl())
    return target
