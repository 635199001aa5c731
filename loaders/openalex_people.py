"""OpenAlex's author ids as identity evidence, once a load has written them.

OpenAlex groups authorships into authors with its own disambiguation, which sees what
arXiv metadata lacks (ORCIDs, affiliations, emails). When its grouping disagrees with a
record (its authorships carry several OpenAlex ids, or share one with another record of
the name), the name is resolved again with the ids as evidence (`loaders.identity`: the
same id is one person, different ids are different people) through the same `settle`
as every load. A human decision still wins; where it overrides OpenAlex the record says
so in `identityNotes`, so the disagreement stays visible. Then each record takes the
OpenAlex id most of its works carry, which is how OpenAlex author records find it.
"""

from __future__ import annotations

from typing import Any

import neo4j

from loaders.settle import settle

UNCHECKED = "MATCH (a:Author {openalexPending: true}) RETURN a.key AS key LIMIT $limit"
PENDING = "MATCH (a:Author) WHERE a.openalexPending IS NOT NULL RETURN a.key AS key LIMIT $limit"

CHECKED = """
UNWIND $keys AS key
MATCH (a:Author {key: key})
SET a.openalexPending = 'checked'
"""

EVIDENCE = """
UNWIND $keys AS key
MATCH (a:Author {key: key})
RETURN a.key AS key, a.nameKey AS nameKey,
  COLLECT {
    MATCH (a)-[r:AUTHORED]->() WHERE r.openalexAuthor IS NOT NULL
    WITH r.openalexAuthor AS id, count(*) AS works ORDER BY works DESC, id
    RETURN [id, works]
  } AS ids,
  COLLECT {
    MATCH (a)-[r:AUTHORED]->() WHERE r.orcid IS NOT NULL
    WITH r.orcid AS orcid, count(*) AS works ORDER BY works DESC, orcid
    RETURN orcid
  } AS orcids,
  EXISTS { (:User)-[:CLAIMS {status: 'VERIFIED'}]->(a) }
    OR EXISTS { (a)-[:AUTHORED {assignedBy: 'curator'}]->() } AS pinned,
  COLLECT { MATCH (a)-[:NOT_SAME_AS]-(b:Author) RETURN b.key } AS apart,
  COLLECT {
    MATCH (a)-[r:AUTHORED]->() WHERE r.openalexAuthor IS NOT NULL
    WITH DISTINCT r.openalexAuthor AS id
    MATCH (b:Author)-[s:AUTHORED]->() WHERE s.openalexAuthor = id AND b <> a
    RETURN DISTINCT [id, b.key, b.nameKey]
  } AS elsewhere
"""
"""What OpenAlex says about each record: its ids (most works first), ORCIDs, and the other
records holding works under the same ids."""

UNSETTLE = """
UNWIND $names AS name
MATCH (a:Author {nameKey: name})
SET a.unsettled = true, a.openalexPending = 'checked'
"""

MARKED_NAMES = """
MATCH (a:Author {openalexPending: 'checked'}) WHERE a.unsettled = true
RETURN DISTINCT a.nameKey AS name
"""

REGROUPED = """
UNWIND $names AS name
MATCH (a:Author {nameKey: name})
SET a.openalexPending = 'checked'
"""

SUMMARISE = """
UNWIND $rows AS row
MATCH (a:Author {key: row.key})
SET a.openalexId = row.openalexId, a.orcid = coalesce(row.orcid, a.orcid),
    a.identityNotes = row.notes
REMOVE a.openalexPending
"""

CHUNK = 2000


def _notes(row: dict[str, Any]) -> list[str]:
    """Where OpenAlex's grouping and this record's differ, in words a profile can show."""
    notes = []
    ids: list[list[Any]] = row["ids"]
    human = "a curator or the verified owner keeps them together here"
    if len(ids) > 1:
        listed = ", ".join(f"{i} ({n} works)" for i, n in ids[:5])
        notes.append(f"OpenAlex splits these works among {len(ids)} authors: {listed}; {human}")
    for openalex_id, other, name_key in row["elsewhere"]:
        if other in row["apart"]:
            why = "a curator split them from this record"
        elif name_key != row["nameKey"]:
            why = "written under another name, which kg never merges on its own"
        else:
            why = "a curator or the verified owner decided the works of one of them"
        notes.append(f"OpenAlex's author {openalex_id} also has works on record {other}: {why}")
    return notes


def _disagrees(row: dict[str, Any]) -> bool:
    return len(row["ids"]) > 1 or any(n == row["nameKey"] for _, _, n in row["elsewhere"])


def _summarise(tx: neo4j.ManagedTransaction, rows: list[dict[str, Any]]) -> None:
    tx.run(SUMMARISE, rows=rows).consume()


def _check(session: neo4j.Session, keys: list[str], names: set[str]) -> int:
    """Mark these records checked, and the names OpenAlex disagrees with unsettled (so a
    killed run leaves them for `settle`); the names are added to `names`."""
    rows = session.run(EVIDENCE, keys=keys).data()
    found = sorted({row["nameKey"] for row in rows if _disagrees(row)} - names)
    names.update(found)

    def mark(tx: neo4j.ManagedTransaction) -> None:
        tx.run(CHECKED, keys=keys).consume()
        if found:
            tx.run(UNSETTLE, names=found).consume()

    session.execute_write(mark)
    return len(rows)


def settle_people(
    driver: neo4j.Driver, database: str, max_authors: int
) -> tuple[int, int, int, list[str]]:
    """Regroup the names OpenAlex disagrees with, then give every record the load touched
    its OpenAlex id, ORCID and notes; returns (records checked, names resolved again, records
    with notes, OpenAlex author ids of the records touched)."""
    checked = 0
    names: set[str] = set()
    with driver.session(database=database) as session:
        # chunk by chunk, each marked as it is checked: no read outlives Neo4j's timeout
        while keys := [r["key"] for r in session.run(UNCHECKED, limit=CHUNK)]:
            checked += _check(session, keys, names)
    with driver.session(database=database) as session:  # also those a killed run marked
        names.update(r["name"] for r in session.run(MARKED_NAMES))
    settle(driver, max_authors, database)
    if names:
        with driver.session(database=database) as session:  # records settling created too
            for start in range(0, len(names), CHUNK):
                chunk = sorted(names)[start : start + CHUNK]
                session.run(REGROUPED, names=chunk).consume()
    noted = 0
    openalex_ids: list[str] = []
    with driver.session(database=database) as session:
        while True:
            keys = [r["key"] for r in session.run(PENDING, limit=CHUNK)]
            if not keys:
                break
            rows = []
            for row in session.run(EVIDENCE, keys=keys).data():
                notes = _notes(row) if _disagrees(row) or row["elsewhere"] else []
                noted += bool(notes)
                openalex_id = row["ids"][0][0] if row["ids"] else None
                if openalex_id:
                    openalex_ids.append(openalex_id)
                rows.append(
                    {
                        "key": row["key"],
                        "openalexId": openalex_id,
                        "orcid": row["orcids"][0] if row["orcids"] else None,
                        "notes": notes or None,
                    }
                )
            session.execute_write(_summarise, rows)
    return checked, len(names), noted, sorted(set(openalex_ids))
