"""The compiled bulk-load hot paths (`native/`, the `kg_native` module), when installed.

`scripts/env.sh` builds them wherever `cargo` is on the PATH. Each compiled function
reproduces a Python function of this package byte for byte, and the tests compare the
two; without the module (or with `KG_NATIVE=0`), kg runs the Python code, only slower.
"""

from __future__ import annotations

import os
from types import ModuleType


def module() -> ModuleType | None:
    """`kg_native`, or None when it is not installed or `KG_NATIVE=0` turns it off."""
    if os.environ.get("KG_NATIVE", "1") == "0":
        return None
    try:  # lazy: optional (built only where cargo is), and KG_NATIVE is read at each call
        import kg_native
    except ImportError:
        return None
    return kg_native


def engine() -> str:
    """What a bench or a log line says ran the bulk pass."""
    return "native (Rust)" if module() is not None else "Python"
