"""`CITES` edges once a load has written its works: both ends must have an OpenAlex id.

Two directions. A paper the load wrote (`citesPending`) cites the papers of its
`referencedWorks` the graph holds. A paper the load matched for the first time
(`newlyMatched`) is cited by papers matched in earlier loads: found through the
`paper_references` full-text index when the load matched few papers (a refresh), or by
reading the earlier papers' lists once when it matched more papers than the graph held
(a first load). Each step goes chunk by chunk, one transaction a chunk, clearing the
marks as it goes: no transaction outlives Neo4j's timeout, and a killed load leaves the
marks of what is left for the next one.
"""

from __future__ import annotations

import neo4j

CHUNK = 1000

NEWLY_MATCHED = "MATCH (q:Paper {newlyMatched: true}) RETURN q.arxivId AS id LIMIT $limit"
PENDING = "MATCH (p:Paper {citesPending: true}) RETURN p.arxivId AS id LIMIT $limit"
EARLIER = """
MATCH (p:Paper)
WHERE p.arxivId > $after AND p.referencedWorks IS NOT NULL AND p.citesPending IS NULL
RETURN p.arxivId AS id ORDER BY id LIMIT $limit
"""
"""Papers matched by earlier loads, a page at a time in key order."""

SIDES = """
RETURN COUNT { MATCH (q:Paper {newlyMatched: true}) } AS new,
       COUNT { MATCH (p:Paper) WHERE p.referencedWorks IS NOT NULL AND p.citesPending IS NULL }
         AS earlier
"""

CITED_BY_EARLIER = """
UNWIND $ids AS id
MATCH (q:Paper {arxivId: id})
CALL (q) {
  CALL db.index.fulltext.queryNodes('paper_references', q.openalexId) YIELD node AS p
  WITH p WHERE p:Paper AND p <> q AND p.citesPending IS NULL
    AND q.openalexId IN p.referencedWorks
  MERGE (p)-[:CITES]->(q)
}
REMOVE q.newlyMatched
"""
"""Newly matched papers, each finding its citers through the references index."""

EARLIER_CITE_NEW = """
UNWIND $ids AS id
MATCH (p:Paper {arxivId: id})
UNWIND p.referencedWorks AS ref
MATCH (q:Paper {openalexId: ref}) WHERE q.newlyMatched
MERGE (p)-[:CITES]->(q)
"""
"""Earlier papers, each reading its list for the newly matched papers it cites."""

UNMARK_NEW = "UNWIND $ids AS id MATCH (q:Paper {arxivId: id}) REMOVE q.newlyMatched"

CITE = """
UNWIND $ids AS id
MATCH (p:Paper {arxivId: id})
CALL (p) {
  MATCH (p)-[old:CITES]->(q:Paper)
  WHERE NOT q.openalexId IN coalesce(p.referencedWorks, [])
  DELETE old
}
CALL (p) {
  UNWIND coalesce(p.referencedWorks, []) AS ref
  MATCH (q:Paper {openalexId: ref}) WHERE q <> p
  MERGE (p)-[:CITES]->(q)
}
REMOVE p.citesPending
"""
"""Papers the load wrote cite what their references name in the graph, and nothing else
(a reference OpenAlex dropped loses its edge)."""

COUNT_CITES = "MATCH ()-[c:CITES]->() RETURN count(c) AS n"


def link_citations(driver: neo4j.Driver, database: str) -> int:
    """Every `CITES` edge the load's works make; returns how many were added."""
    with driver.session(database=database) as session:
        before = session.run(COUNT_CITES).single(strict=True)["n"]
        sides = session.run(SIDES).single(strict=True)
        if sides["new"] and sides["earlier"] and sides["new"] <= sides["earlier"]:
            _until_done(session, NEWLY_MATCHED, CITED_BY_EARLIER)
        elif sides["new"]:
            if sides["earlier"]:
                _pages(session, EARLIER, EARLIER_CITE_NEW)
            _until_done(session, NEWLY_MATCHED, UNMARK_NEW)
        _until_done(session, PENDING, CITE)
        after = session.run(COUNT_CITES).single(strict=True)["n"]
    return int(after - before)


def _write(session: neo4j.Session, cypher: str, ids: list[str]) -> None:
    def work(tx: neo4j.ManagedTransaction) -> None:
        tx.run(cypher, ids=ids).consume()

    session.execute_write(work)


def _until_done(session: neo4j.Session, marked: str, work: str) -> None:
    """Run `work` on chunks of the papers `marked` finds, until `work` cleared them all."""
    while ids := [r["id"] for r in session.run(marked, limit=CHUNK)]:
        _write(session, work, ids)


def _pages(session: neo4j.Session, page: str, work: str) -> None:
    """Run `work` on every paper `page` lists, a page at a time in key order."""
    after = ""
    while ids := [r["id"] for r in session.run(page, after=after, limit=CHUNK)]:
        _write(session, work, ids)
        after = ids[-1]
