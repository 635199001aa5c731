"""Offline dumps of the local instance's database, so no replacement is ever final.

A bulk import with `--force` replaces a database wholesale; it first keeps a dump of it
here, and `restore` loads one back. Dumps are `neo4j-admin database dump` archives, which
Neo4j Community can only take of a database no running server has mounted: the instance
must be stopped. kg writes them and never deletes one; removing old dumps is the user's call.
(Enterprise servers and clusters back up online with `neo4j-admin database backup` instead.)
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

from kg.core import neo4j_local
from kg.core.config import Settings
from kg.core.errors import KgError, Neo4jSetupError, UsageError

SUFFIX = ".dump"


class DumpError(KgError):
    """A dump could not be taken or loaded; the database it concerns is as it was."""


def default_dir(settings: Settings) -> Path:
    """Where dumps go unless told otherwise: beside the instance's data, not inside it."""
    return settings.neo4j_home / "backups"


def store(settings: Settings) -> Path:
    """The store directory of the instance's database (what a dump archives)."""
    return settings.neo4j_home / "data" / "databases" / settings.neo4j_database


def has_database(settings: Settings) -> bool:
    """Whether the instance holds a database that a replacement would discard."""
    path = store(settings)
    return path.is_dir() and any(path.iterdir())


def require_stopped(settings: Settings, doing: str) -> None:
    state = neo4j_local.status(settings)
    if state.running:
        raise Neo4jSetupError(
            f"{doing} works on the store files, so Neo4j must be stopped: {state.detail}. "
            "Stop it with `kg neo4j stop` (same KG_NEO4J_HOME), then rerun."
        )


def dump(
    settings: Settings,
    to_dir: Path | None = None,
    log: Callable[[str], None] | None = None,
) -> Path:
    """Archive the stopped instance's database as `<to_dir>/<db>-<local time>.dump`.

    neo4j-admin always names its archive `<db>.dump`, so it writes into a scratch folder
    and the file is renamed after: an existing dump is never overwritten.
    """
    require_stopped(settings, "A dump")
    db = settings.neo4j_database
    if not has_database(settings):
        raise DumpError(f"there is no database {db!r} to dump in {store(settings)}")
    folder = (to_dir or default_dir(settings)).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = folder / f"{db}-{stamp}{SUFFIX}"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{db}-{stamp}-{n}{SUFFIX}"
    scratch = folder / f".{target.name}.partial"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    try:
        neo4j_local.admin(
            settings,
            ["database", "dump", db, f"--to-path={scratch}"],
            failure=f"neo4j-admin could not dump database {db!r} into {folder}; it is unchanged. "
            "Check the free disk space there, or skip the dump with --no-backup",
            log=log,
        )
        (scratch / f"{db}{SUFFIX}").rename(target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def restore(
    settings: Settings,
    dump_file: Path,
    log: Callable[[str], None] | None = None,
) -> None:
    """Replace the stopped instance's database with the one archived in `dump_file`.

    neo4j-admin reads `<db>.dump` from a folder, so the file is linked there under that name;
    the dump itself is left where it was.
    """
    require_stopped(settings, "Restoring a dump")
    dump_file = dump_file.resolve()
    if not dump_file.is_file():
        raise UsageError(f"no dump file at {dump_file}: give a file `kg neo4j backup` wrote")
    db = settings.neo4j_database
    neo4j_local.install(settings, log=log or (lambda _: None))  # conf and dirs of a new home
    scratch = settings.neo4j_home / "run" / f"restore-{time.strftime('%Y%m%d-%H%M%S')}"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    try:
        (scratch / f"{db}{SUFFIX}").symlink_to(dump_file)
        neo4j_local.admin(
            settings,
            [
                "database",
                "load",
                db,
                f"--from-path={scratch}",
                "--overwrite-destination=true",
            ],
            failure=f"neo4j-admin could not load {dump_file} into database {db!r}",
            log=log,
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
