"""The fast first load: records -> CSV files -> `neo4j-admin database import full`.

The transactional path (`graph_writer`) writes hundreds of papers a second on a small
machine; a full arXiv snapshot (~3M papers) wants the offline importer instead, which only
fills an EMPTY, STOPPED database. The graph it builds is the one `write_batch` and
`settle` build from the same records (in publication order): same labels, keys, people,
properties, edge properties and COAUTHOR weights, and the hubs' strongest-ties lists
(`bulk_ties`), so nothing is left to write once the database starts.
The CSV files come from `bulk_csv`, in one streaming pass with flat memory.

Replacing a graph is never silent: `bulk_load` runs the caller's `check` on what the CSV
pass produced (no papers, too many rejects) before anything touches the database, and a
replaced database is first dumped to `backup_dir` (see `kg.core.dumps`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import neo4j

from kg.core import dumps, migrations, neo4j_local
from kg.core.config import Settings
from kg.core.db import connected
from kg.core.errors import KgError, Neo4jSetupError
from loaders.bulk_csv import (
    MANIFEST,
    BulkImportError,
    CsvStats,
    Log,
    write_chunks,
    write_csv,
)
from loaders.bulk_pass import SnapshotPass
from loaders.records import PaperRecord

IMPORT_HEAP = "2g"
"""neo4j-admin's own heap: it asks for ~1 GiB at 300k papers; the bulk of its memory is native."""


@dataclass
class BulkStats:
    csv: CsvStats
    csv_seconds: float
    import_seconds: float
    start_seconds: float
    schema_seconds: float
    """Applying the schema and waiting until every index is online."""
    backup: Path | None = None
    """The dump of the database this load replaced, if one was kept."""

    @property
    def total_seconds(self) -> float:
        return self.csv_seconds + self.import_seconds + self.start_seconds + self.schema_seconds


def _require_stopped(settings: Settings) -> None:
    dumps.require_stopped(settings, "The bulk import")


def _require_empty(settings: Settings, force: bool) -> None:
    if not force and dumps.has_database(settings):
        raise Neo4jSetupError(
            f"Database {settings.neo4j_database!r} already exists in {dumps.store(settings)}, "
            "and the bulk import replaces a database wholesale. Rerun with --force "
            "(force=True) to replace it (kg keeps a dump of it first), point KG_NEO4J_HOME at "
            "a new instance, or add papers with `kg load` instead."
        )


def import_args(settings: Settings, csv_dir: Path, off_heap: str | None = None) -> list[str]:
    """The `neo4j-admin` arguments that import the files `write_csv` listed in its manifest."""
    csv_dir = csv_dir.resolve()
    try:
        manifest = json.loads((csv_dir / MANIFEST).read_text())
    except FileNotFoundError:
        raise BulkImportError(
            f"{csv_dir / MANIFEST} is missing: write the CSVs with write_csv() first"
        ) from None
    if "," in str(csv_dir):
        raise BulkImportError(f"neo4j-admin splits file lists on ',': move {csv_dir} elsewhere")

    def files(names: list[str]) -> str:
        return ",".join(str(csv_dir / n) for n in names)

    args = [
        "database",
        "import",
        "full",
        settings.neo4j_database,  # first: --nodes and friends take any number of values
        "--overwrite-destination=true",
        "--verbose",  # else a failure says "Error in input data" and not which row, or why
        "--array-delimiter=U+001F",
        f"--report-file={csv_dir / 'import.report'}",
        *(f"--nodes={label}={files(names)}" for label, names in manifest["nodes"]),
        *(f"--relationships={rel}={files(names)}" for rel, names in manifest["relationships"]),
    ]
    if manifest["multiline"]:  # only these files pay for the slower multi-line parser
        args += [
            "--multiline-fields-format=v2",
            f"--multiline-fields={files(manifest['multiline'])}",
        ]
    if off_heap:
        args.append(f"--max-off-heap-memory={off_heap}")
    return args


def run_import(
    settings: Settings,
    csv_dir: Path,
    log: Log = print,
    *,
    force: bool = False,
    backup_dir: Path | None = None,
    heap: str | None = None,
    off_heap: str | None = None,
) -> Path | None:
    """Build the instance's database from `csv_dir` with `neo4j-admin database import full`.

    The kg-managed Neo4j must be stopped; an existing database is only replaced with `force`,
    and dumped into `backup_dir` first when one is given (returns the dump's path).
    The importer creates no indexes or constraints: start Neo4j and apply the schema after.
    """
    _require_stopped(settings)
    _require_empty(settings, force)
    args = import_args(settings, csv_dir, off_heap)
    backup = None
    if backup_dir is not None and dumps.has_database(settings):
        log(f"keeping a dump of database {settings.neo4j_database!r} before replacing it")
        backup = dumps.dump(settings, backup_dir, log=log)
        log(f"dump kept in {backup}; `kg neo4j restore {backup}` brings it back")
    neo4j_local.install(settings, log=log)  # conf, data dirs and password of a new instance
    log("neo4j-admin " + " ".join(args))
    neo4j_local.admin(
        settings,
        args,
        failure=f"neo4j-admin could not import {csv_dir}; the half-written database is unusable, "
        "so rerun with --force after fixing the cause",
        heap=heap or IMPORT_HEAP,
        log=log,
    )
    return backup


def bulk_load(
    settings: Settings,
    records: Iterable[PaperRecord] | SnapshotPass,
    work_dir: Path,
    log: Log = print,
    *,
    force: bool = False,
    backup_dir: Path | None = None,
    check: Callable[[CsvStats], None] | None = None,
    keep_csv: bool = False,
    off_heap: str | None = None,
    index_timeout: int = 3600,
) -> BulkStats:
    """CSV, import, start, schema: a new instance holding `records`, its indexes online.

    `records` are record objects, or a `SnapshotPass` whose workers parse a snapshot file
    and format its rows (the same files either way). Checks that Neo4j is stopped (and the
    database new, unless `force`) before spending time on the CSVs. `check` sees what they
    hold before anything touches the database, and refuses the load by raising (a
    `KgError`: the CSVs are then deleted, the database left as it was). With `force` and
    `backup_dir`, the database being replaced is dumped there first. The CSVs are deleted
    after a successful import unless `keep_csv`. `off_heap` caps the importer's native
    memory (neo4j-admin's default is 90% of the free RAM).
    """
    _require_stopped(settings)
    _require_empty(settings, force)
    began = time.monotonic()
    cap = settings.coauthor_max_authors
    if isinstance(records, SnapshotPass):
        csv = write_chunks(records.chunks(cap), work_dir, cap, log=log)
    else:
        csv = write_csv(records, work_dir, cap, log=log)
    written = time.monotonic()
    log(
        f"CSV: {csv.papers:,} papers, {csv.authors:,} authors, {csv.coauthor:,} co-author pairs "
        f"in {written - began:.1f}s"
    )
    if check is not None:
        try:
            check(csv)
        except KgError:
            if not keep_csv:
                _remove_csv(work_dir)
            raise
    backup = run_import(
        settings, work_dir, log, force=force, backup_dir=backup_dir, off_heap=off_heap
    )
    imported = time.monotonic()
    neo4j_local.start(settings, log=log)
    started = time.monotonic()
    with connected(settings) as drv:
        applied = migrations.apply(drv, settings.neo4j_database)
        await_indexes(drv, settings.neo4j_database, index_timeout)
    done = time.monotonic()
    log(f"schema applied ({', '.join(applied) or 'nothing pending'}); indexes online")
    if not keep_csv:
        _remove_csv(work_dir)
    return BulkStats(
        csv=csv,
        csv_seconds=written - began,
        import_seconds=imported - written,
        start_seconds=started - imported,
        schema_seconds=done - started,
        backup=backup,
    )


INDEX_STATES = "SHOW INDEXES YIELD name, state RETURN name, state"


def await_indexes(drv: neo4j.Driver, database: str, timeout: float) -> None:
    """Wait until every index is online, asking every half second: one `db.awaitIndexes`
    call is one transaction, which Neo4j ends after `db.transaction.timeout` (60 s) while
    a million papers' full-text index can take longer on a busy machine."""
    deadline = time.monotonic() + timeout
    while True:
        states = {
            r["name"]: r["state"]
            for r in drv.execute_query(INDEX_STATES, database_=database).records
        }
        failed = sorted(name for name, state in states.items() if state == "FAILED")
        if failed:
            raise BulkImportError(
                f"index {', '.join(failed)} failed to build: see `SHOW INDEXES YIELD name, "
                "failureMessage` and Neo4j's debug.log, then rerun the load with --force"
            )
        if all(state == "ONLINE" for state in states.values()):
            return
        if time.monotonic() > deadline:
            raise BulkImportError(
                f"indexes not online after {timeout:.0f}s; they keep building: check "
                "`SHOW INDEXES` before using the graph"
            )
        time.sleep(0.5)


def _remove_csv(csv_dir: Path) -> None:
    """Only the files write_csv made (and the import report): `csv_dir` may hold others."""
    manifest = json.loads((csv_dir / MANIFEST).read_text())
    for _, names in manifest["nodes"] + manifest["relationships"]:
        for name in names:
            (csv_dir / name).unlink(missing_ok=True)
    (csv_dir / "import.report").unlink(missing_ok=True)
    (csv_dir / MANIFEST).unlink()
