"""Apply `schema/NNN_name.cypher` migrations in order, once each, recorded in the graph."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import neo4j

from kg.core.errors import KgError
from kg.core.resources import resource_dir


class MigrationError(KgError):
    """A schema file kg cannot apply: misnamed, numbered twice, or edited after it ran."""


_MIGRATION = re.compile(r"^(\d{3})_([a-z0-9_]+)\.cypher$")

APPLIED = """
MATCH (m:SchemaMigration) RETURN m.version AS version, m.checksum AS checksum
"""

RECORD = """
MERGE (m:SchemaMigration {version: $version})
SET m.name = $name, m.checksum = $checksum, m.appliedAt = datetime()
"""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path

    @property
    def text(self) -> str:
        return self.path.read_text()

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()[:16]

    def statements(self) -> list[str]:
        """Statements split on `;` at line ends; `//` comment lines are dropped."""
        body = "\n".join(
            line for line in self.text.splitlines() if not line.strip().startswith("//")
        )
        return [s.strip() for s in re.split(r";\s*(?:\n|$)", body) if s.strip()]


def migrations(directory: Path | None = None) -> list[Migration]:
    directory = directory or resource_dir("schema")
    found = []
    for path in sorted(directory.glob("*.cypher")):
        match = _MIGRATION.match(path.name)
        if not match:
            raise MigrationError(f"{path.name}: schema files are named NNN_name.cypher")
        found.append(Migration(int(match.group(1)), match.group(2), path))
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise MigrationError(f"duplicate schema versions in {directory}")
    return found


def apply(drv: neo4j.Driver, database: str = "neo4j", directory: Path | None = None) -> list[str]:
    """Run the migrations not yet recorded; returns their names. Safe to run any number of times.

    Each statement is `IF NOT EXISTS`, so a migration interrupted half-way is simply rerun.
    A recorded migration whose file changed is an error: add a new numbered file instead.
    """
    applied = {
        r["version"]: r["checksum"] for r in drv.execute_query(APPLIED, database_=database).records
    }
    done = []
    for mig in migrations(directory):
        if mig.version in applied:
            if applied[mig.version] != mig.checksum:
                raise MigrationError(
                    f"schema/{mig.path.name} changed after it was applied; put the change in a "
                    "new, higher-numbered schema file instead of editing an applied one"
                )
            continue
        with drv.session(database=database) as session:
            for statement in mig.statements():
                session.run(statement).consume()  # schema commands need their own transaction
            session.run(RECORD, version=mig.version, name=mig.name, checksum=mig.checksum).consume()
        done.append(f"{mig.version:03d}_{mig.name}")
    return done
