"""Where a load got to, kept in the graph as `(:LoadCheckpoint {source})`, so a rerun
after a crash goes on from there (snapshot files) or repeats only the last window (refresh).

Kept in the graph it describes: a restored or replaced database takes its checkpoints along.
"""

from __future__ import annotations

from typing import Any

import neo4j

READ = "MATCH (c:LoadCheckpoint {source: $source}) RETURN properties(c) AS checkpoint"

SAVE = """
MERGE (c:LoadCheckpoint {source: $source})
SET c += $fields, c.updatedAt = datetime()
"""


def read(driver: neo4j.Driver, database: str, source: str) -> dict[str, Any]:
    """The checkpoint's properties; empty if `source` never saved one."""
    records = driver.execute_query(READ, source=source, database_=database).records
    return dict(records[0]["checkpoint"]) if records else {}


def save(driver: neo4j.Driver, database: str, source: str, **fields: Any) -> None:
    """Set these properties of `source`'s checkpoint (creating it), in one transaction."""
    driver.execute_query(SAVE, source=source, fields=fields, database_=database)
