"""What a `kg bench api` run measures, with its defaults: light to import, so the CLI can
show the defaults in `--help` without loading the benchmark itself."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def default_work_dir() -> Path:
    """Where the corpus and the service log are kept between runs: the user's cache."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kg" / "bench"


@dataclass(frozen=True)
class Options:
    """What one `kg bench api` run measures, and where."""

    papers: int = 100_000
    """The bench graph must hold at least this many papers (a smaller one is replaced)."""
    clients: tuple[int, ...] = (1, 8)
    """Concurrencies, each measured through the service and on the raw floor."""
    duration: float = 20.0
    warmup: float = 3.0
    sample: int = 2000
    """Researchers asked for, drawn once per seed."""
    seed: int = 0
    port: int = 8765
    workers: int = 1
    heavy: int = 0
    """Clients sending the costliest allowed request while one client reads profile pages."""
    load: Path | None = None
    """A snapshot file loaded (transactionally) into the graph while the most clients read."""
    work_dir: Path = field(default_factory=default_work_dir)
