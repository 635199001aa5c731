"""Which Java runs Neo4j: 5.26 accepts 17 or 21, and a machine may have several installed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from kg.core.config import NEO4J_VERSION, Settings
from kg.core.errors import Neo4jSetupError

SUPPORTED_JAVA = (17, 21)


def find_java(settings: Settings) -> Path:
    """A `java` that Neo4j 5.26 accepts (17 or 21): KG_JAVA_HOME, JAVA_HOME, PATH, /usr/lib/jvm."""
    candidates: list[Path] = []
    for home in (settings.java_home, os.environ.get("JAVA_HOME")):
        if home:
            candidates.append(Path(home) / "bin" / "java")
    on_path = shutil.which("java")
    if on_path:
        candidates.append(Path(on_path))
    jvm_root = Path("/usr/lib/jvm")
    if jvm_root.is_dir():
        candidates.extend(sorted(jvm_root.glob("*/bin/java")))
    seen: list[str] = []
    for java in candidates:
        if not java.exists():
            continue
        major = java_major(java)
        seen.append(f"{java} (Java {major})")
        if major in SUPPORTED_JAVA:
            return java
    found = "; found: " + ", ".join(seen) if seen else "; no java found"
    raise Neo4jSetupError(
        f"Neo4j {NEO4J_VERSION} needs Java 17 or 21{found}. Install one "
        "(`apt-get install openjdk-17-jre-headless`) or point KG_JAVA_HOME at it."
    )


def java_major(java: Path) -> int | None:
    try:
        out = subprocess.run(
            [str(java), "-version"], capture_output=True, text=True, timeout=30
        ).stderr
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if not match:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major
