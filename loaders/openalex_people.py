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


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    """A record's OpenAlex id (the one most of its works carry), ORCID and notes."""
    return {
        "key": row["key"],
        "openalexId": row["ids"][0][0] if row["ids"] else None,
        "orcid": row["orcids"][0] if row["orcids"] else None,
        "notes": _notes(row) or None,
    }


def _write(tx: neo4j.ManagedTransaction, done: list[dict[str, Any]], found: list[str]) -> None:
    tx.run(SUMMARISE, rows=done).consume()
    if found:
        tx.run(UNSETTLE, names=found).consume()


def _summarise(
    session: neo4j.Session, marked: str, names: set[str] | None, totals: list[Any]
) -> None:
    """Summarise the records `marked` finds, chunk by chunk. With `names`, records of a
    name OpenAlex disagrees with wait: their name is marked unsettled (so a killed run
    leaves it for `settle`), with every record of it, and added to `names`."""
    while keys := [r["key"] for r in session.run(marked, limit=CHUNK)]:
        rows = session.run(EVIDENCE, keys=keys).data()
        found: list[str] = []
        if names is not None:
            found = sorted({row["nameKey"] for row in rows if _disagrees(row)} - names)
            names.update(found)
        waiting = names or set()
        done = [_summary(row) for row in rows if row["nameKey"] not in waiting]
        totals[0] += len(rows)
        totals[1] += sum(1 for d in done if d["notes"])
        if totals[2] is not None:
            totals[2].update(d["openalexId"] for d in done if d["openalexId"])
        session.execute_write(_write, done, found)


def settle_people(
    driver: neo4j.Driver, database: str, max_authors: int, keep_ids: bool = True
) -> tuple[int, int, int, list[str]]:
    """Give every record the load touched its OpenAlex id, ORCID and notes, regrouping
    first the names OpenAlex disagrees with; returns (records checked, names resolved
    again, records with notes, OpenAlex author ids of the records touched: gathered only
    with `keep_ids`, since at 1M papers they are ~700,000 strings the snapshot route, which
    reads the ids from the graph, does not need).

    Each record's evidence is read once, unless its name is regrouped: then once more
    after `settle`, when its records are what they will stay. Chunk by chunk, each marked
    as it is done: no read outlives Neo4j's transaction timeout."""
    names: set[str] = set()
    totals: list[Any] = [0, 0, set() if keep_ids else None]  # checked, noted; OpenAlex ids
    with driver.session(database=database) as session:
        _summarise(session, UNCHECKED, names, totals)
        checked = totals[0]
        names.update(r["name"] for r in session.run(MARKED_NAMES))  # a killed run's too
    settle(driver, max_authors, database)
    regrouped = sorted(names)
    with driver.session(database=database) as session:
        for start in range(0, len(regrouped), CHUNK):  # the records settling created too
            session.run(REGROUPED, names=regrouped[start : start + CHUNK]).consume()
        _summarise(session, PENDING, None, totals)
    return checked, len(regrouped), totals[1], sorted(totals[2] or ())
