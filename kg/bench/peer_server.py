"""The peer (the Neo4j GraphQL Library serving kg's graph) as `kg bench peer` runs it.

The peer's folder is the project's, not kg's: it is copied into the work dir at run time
(never into the repo), its packages installed there once by `npm ci` from its lock file,
and `node server.mjs` started on the bench Neo4j for the length of a run.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from kg.bench import BenchError
from kg.core import neo4j_local
from kg.core.config import Settings

try:
    import httpx2
except ImportError:  # a dev dependency; `kg bench peer` says so before anything runs
    httpx2 = None  # type: ignore[assignment]

NEEDED = ("server.mjs", "typeDefs.graphql", "package.json", "package-lock.json")
QUERIES = ("profile.graphql", "kg_profile.graphql")
STAMP = ".kg-npm-ci"
"""Holds the lock file's hash once `npm ci` succeeded: the install is redone when it changes."""
PING = {"query": "{ __typename }"}


def check_folder(peer_dir: Path) -> None:
    """Fail early, with the fix, when the peer's folder is not where it was looked for."""
    missing = [name for name in NEEDED + QUERIES if not (peer_dir / name).is_file()]
    if missing:
        raise BenchError(
            f"no peer at {peer_dir} (missing {', '.join(missing)}): pass --peer-dir or set "
            "KG_PEER_DIR to the shared peer-neo4j-graphql folder"
        )


def prepare(peer_dir: Path, work_dir: Path, log: Callable[[str], None] = print) -> Path:
    """Copy the peer into `work_dir/peer-neo4j-graphql` and install its packages there (once
    per lock file); returns the copy, which `running` starts."""
    check_folder(peer_dir)
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            raise BenchError(f"`{tool}` is not on PATH: install Node.js 20 or newer")
    copy = work_dir / "peer-neo4j-graphql"
    copy.mkdir(parents=True, exist_ok=True)
    for source in peer_dir.iterdir():
        if source.is_file():
            shutil.copyfile(source, copy / source.name)  # contents only: sources are read-only
    lock = hashlib.sha256((copy / "package-lock.json").read_bytes()).hexdigest()
    stamp = copy / STAMP
    if (copy / "node_modules").is_dir() and stamp.is_file() and stamp.read_text() == lock:
        return copy
    log(f"installing the peer's packages: npm ci in {copy} (about 30 s, once)")
    stamp.unlink(missing_ok=True)
    npm_log = copy / "npm-ci.log"
    with npm_log.open("wb") as out:
        done = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"], cwd=copy, stdout=out, stderr=out
        )
    if done.returncode != 0:
        raise BenchError(
            f"npm ci failed in {copy} (exit {done.returncode}); check the npm registry is "
            f"reachable. {npm_log} ends:\n{_tail(npm_log)}"
        )
    stamp.write_text(lock)
    return copy


@contextmanager
def running(
    copy: Path, settings: Settings, port: int, log_file: Path, timeout: float = 60.0
) -> Iterator[subprocess.Popen[bytes]]:
    """`node server.mjs` on the Neo4j of `settings`, answering GraphQL on `port` when
    entered; stopped on the way out (also on errors and Ctrl-C)."""
    if neo4j_local.port_open(port):
        raise BenchError(f"port {port} is taken; stop what listens there or pass --peer-port")
    env = dict(os.environ)
    env.update(
        NEO4J_URI=settings.neo4j_uri,
        NEO4J_USER=settings.neo4j_user,
        NEO4J_PASSWORD=settings.neo4j_password,
        NEO4J_DATABASE=settings.neo4j_database,
        PORT=str(port),
        HOST="127.0.0.1",
    )
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("wb") as out:
        proc = subprocess.Popen(
            ["node", "server.mjs"], cwd=copy, stdout=out, stderr=subprocess.STDOUT, env=env
        )
    try:
        deadline = time.monotonic() + timeout
        with httpx2.Client(trust_env=False, timeout=2) as client:
            while proc.poll() is None and time.monotonic() < deadline:
                with suppress(httpx2.HTTPError):
                    if client.post(f"http://127.0.0.1:{port}/graphql", json=PING).is_success:
                        break
                time.sleep(0.2)
            else:
                raise BenchError(f"the peer did not start; {log_file} ends:\n{_tail(log_file)}")
        yield proc
    finally:
        proc.terminate()  # server.mjs stops Apollo and closes its driver on SIGTERM
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _tail(path: Path, lines: int = 20) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
