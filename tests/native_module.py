"""`kg_native` for the tests that compare the compiled steps with the Python they replace.

Where `cargo` is on the PATH the module must be there (`scripts/env.sh` builds it), so its
absence fails; the tests skip only where nothing could have built it.
"""

from __future__ import annotations

import shutil
from types import ModuleType

import pytest

MISSING = "cargo is on the PATH but kg_native is not installed: run `source scripts/env.sh`"
NO_CARGO = "no cargo here to build kg_native with"


def installed() -> ModuleType | None:
    try:
        import kg_native
    except ImportError:
        return None
    return kg_native


def for_module() -> ModuleType | None:
    """At a test module's top: the module, None where there is no cargo (skip the tests with
    `NO_CARGO`); collecting the test module fails where cargo is and the module is not."""
    compiled = installed()
    if compiled is None and shutil.which("cargo"):
        pytest.fail(MISSING, pytrace=False)
    return compiled


def required() -> ModuleType:
    """In a test: the module, else the test fails (cargo here) or skips (no cargo)."""
    compiled = installed()
    if compiled is None:
        if shutil.which("cargo"):
            pytest.fail(MISSING)
        pytest.skip(NO_CARGO)
    return compiled
