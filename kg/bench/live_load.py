"""Reads while a load writes: `kg bench api --load FILE` measures profile pages while a
transactional snapshot load (what `kg load snapshot` or a refresh does) writes into the
same live graph, and reports any read that failed."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from kg.core.config import Settings


def bench_env(settings: Settings) -> dict[str, str]:
    """KG_* variables that point a `kg` process at the bench Neo4j (its own password file)."""
    env = {k: v for k, v in os.environ.items() if k != "KG_NEO4J_PASSWORD"}
    env.update(
        KG_NEO4J_HOME=str(settings.neo4j_home),
        KG_BOLT_PORT=str(settings.bolt_port),
        KG_HTTP_PORT=str(settings.http_port),
        KG_NEO4J_URI=settings.neo4j_uri,
    )
    return env


async def while_loading(
    settings: Settings, corpus: Path, log_file: Path, measure: Callable[[], Awaitable[object]]
) -> str:
    """Run `measure()` while `kg load snapshot CORPUS --restart` writes; how the load ended."""
    cmd = [sys.executable, "-m", "kg.cli", "load", "snapshot", str(corpus), "--restart"]
    cmd += ["--quiet", "--rejects", str(log_file.with_suffix(".rejects.jsonl"))]
    with log_file.open("wb") as out:
        loader = subprocess.Popen(
            cmd, stdout=out, stderr=subprocess.STDOUT, env=bench_env(settings)
        )
    try:
        await measure()
    finally:
        still = loader.poll() is None
        if still:
            loader.terminate()  # a transactional load is safe to stop: rerun resumes
        code = loader.wait()
    summary = log_file.read_text(errors="replace").strip().splitlines()
    how = "still loading when the reads ended (stopped)" if still else f"exit {code}"
    return f"{how}; {summary[0] if summary else 'no output'}"
