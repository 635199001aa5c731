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


def default_peer_dir() -> Path:
    """The peer's folder: KG_PEER_DIR, else `../shared/peer-neo4j-graphql` beside the repo
    (where the project keeps it; it is never vendored into kg)."""
    if env := os.environ.get("KG_PEER_DIR"):
        return Path(env)
    return Path(__file__).resolve().parents[2].parent / "shared" / "peer-neo4j-graphql"


@dataclass(frozen=True)
class PeerOptions:
    """What one `kg bench peer` run measures, and where."""

    papers: int = 100_000
    """The bench graph must hold at least this many papers (as for `kg bench api`)."""
    authors: int | None = None
    """Author pool of a corpus made for the graph (`kg bench gen --authors`): small is hub-heavy."""
    clients: tuple[int, ...] = (1, 8)
    duration: float = 10.0
    """Seconds measured per server, set, concurrency and round."""
    warmup: float = 2.0
    rounds: int = 3
    """Measurement rounds; each times kg and the peer back to back, the order alternating."""
    sample: int = 1000
    """Random researchers asked for, drawn once per seed."""
    top_share: float = 0.01
    """The most prolific researchers by works count, as a share of all with a work."""
    check: int = 5
    """Researchers of each set whose pages are compared field by field before timing."""
    seed: int = 0
    port: int = 8766
    """kg's service."""
    workers: int = 1
    """kg's server processes (`kg serve --workers`); the peer is one Node.js process."""
    peer_port: int = 4000
    peer_dir: Path = field(default_factory=default_peer_dir)
    work_dir: Path = field(default_factory=default_work_dir)
