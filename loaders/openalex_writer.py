"""Writing OpenAlex works onto the graph's papers, one transaction a batch.

A batch sets each paper's citation figures and each matched authorship's OpenAlex author,
ORCID and institutions, and marks what the end of the load must finish: `citesPending`
papers (their `CITES` edges, once every paper of the load has its OpenAlex id) and
`openalexPending` people (their OpenAlex id, and whether OpenAlex's grouping disagrees
with theirs; see `openalex_people`). Marks live in the graph, so a killed load leaves
them for the next one, and rewriting a batch sets the same values again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import neo4j

from loaders.graph_writer import LINK_INSTITUTIONS, RECOUNT_AFFILIATIONS
from loaders.openalex_records import WorkRows, match_authorships

KNOWN = """
UNWIND $ids AS id
MATCH (p:Paper {arxivId: id})
RETURN id, p.openalexId AS openalexId, p.year AS year,
  COLLECT {
    MATCH (a:Author)-[r:AUTHORED]->(p)
    RETURN {key: a.key, position: r.position, written: r.nameAsWritten,
            institutions: coalesce(r.institutions, [])}
  } AS authors
"""
"""The batch's papers as the graph has them; a work whose paper is absent is not written."""

WRITE_PAPERS = """
UNWIND $works AS w
MATCH (p:Paper {arxivId: w.arxivId})
SET p.newlyMatched = CASE WHEN p.openalexId IS NULL OR p.newlyMatched THEN true END
SET p += w.props, p.citesPending = true
"""

WRITE_INSTITUTIONS = """
UNWIND $institutions AS row
MERGE (i:Institution {key: row.key})
ON CREATE SET i.name = row.name
SET i.openalexId = coalesce(row.openalexId, i.openalexId), i.ror = coalesce(row.ror, i.ror),
    i.country = coalesce(row.country, i.country), i.type = coalesce(row.type, i.type)
"""

WRITE_AUTHORSHIPS = """
UNWIND $authorships AS x
MATCH (a:Author {key: x.author})-[r:AUTHORED]->(:Paper {arxivId: x.arxivId})
SET r.openalexAuthor = x.openalexAuthor, r.orcid = x.orcid, r.institutions = x.institutions,
    r.rawAffiliations = x.rawAffiliations
"""

MARK_PEOPLE = """
UNWIND $keys AS key
MATCH (a:Author {key: key})
SET a.openalexPending = true
"""
"""Records whose OpenAlex id and notes the end of the load works out (once each)."""

LINK_CITING = """
MATCH (p:Paper) WHERE p.referencedWorks IS NOT NULL AND p.citesPending IS NULL
CALL (p) {
  UNWIND p.referencedWorks AS ref
  MATCH (q:Paper {openalexId: ref}) WHERE q.newlyMatched
  MERGE (p)-[c:CITES]->(q)
  RETURN count(c) AS linked
} IN TRANSACTIONS OF 2000 ROWS
RETURN sum(linked) AS linked
"""
"""Papers matched by earlier loads that cite papers this load matched first, found by
reading every earlier paper's references: cheaper when the load matched more papers than
the graph had before (a first load)."""

LINK_CITING_BY_INDEX = """
MATCH (q:Paper) WHERE q.newlyMatched
CALL (q) {
  CALL db.index.fulltext.queryNodes('paper_references', q.openalexId) YIELD node AS p
  WITH p WHERE p:Paper AND p <> q AND p.citesPending IS NULL
    AND q.openalexId IN p.referencedWorks
  MERGE (p)-[c:CITES]->(q)
  RETURN count(c) AS linked
} IN TRANSACTIONS OF 1000 ROWS
RETURN sum(linked) AS linked
"""
"""The same, from each newly matched paper through the `paper_references` index: cheaper
when the load matched few papers in a big graph (a refresh)."""

SIDES = """
RETURN COUNT { MATCH (q:Paper) WHERE q.newlyMatched } AS new,
       COUNT { MATCH (p:Paper) WHERE p.referencedWorks IS NOT NULL AND p.citesPending IS NULL }
         AS old
"""

LINK_CITED = """
MATCH (p:Paper) WHERE p.citesPending
CALL (p) {
  OPTIONAL MATCH (p)-[old:CITES]->(q:Paper)
  WHERE NOT q.openalexId IN coalesce(p.referencedWorks, [])
  DELETE old
  WITH DISTINCT p
  UNWIND coalesce(p.referencedWorks, []) AS ref
  MATCH (q:Paper {openalexId: ref}) WHERE q <> p
  MERGE (p)-[c:CITES]->(q)
  RETURN count(c) AS linked
} IN TRANSACTIONS OF 1000 ROWS
RETURN sum(linked) AS linked
"""
"""Each paper this load wrote cites the papers of its references the graph holds (and no
others: a reference OpenAlex dropped loses its edge)."""

LINKED_DONE = """
MATCH (p:Paper) WHERE p.citesPending OR p.newlyMatched
CALL (p) { REMOVE p.citesPending, p.newlyMatched } IN TRANSACTIONS OF 10000 ROWS
"""

COUNT_CITES = "MATCH ()-[c:CITES]->() RETURN count(c) AS n"


@dataclass
class BatchResult:
    matched: list[str]
    """arXiv ids of the works written."""
    absent: list[str]
    """arXiv ids of works whose paper is not in the graph."""
    authorships_matched: int = 0
    authorships_unmatched: int = 0


def write_works(driver: neo4j.Driver, database: str, works: list[WorkRows]) -> BatchResult:
    """Write a batch of works in one transaction (the last copy of a repeated work wins)."""
    latest = {w.arxiv_id: w for w in works}
    result = BatchResult(matched=[], absent=[])

    def work(tx: neo4j.ManagedTransaction) -> None:
        known = {r["id"]: r for r in tx.run(KNOWN, ids=list(latest))}
        result.matched = [i for i in latest if i in known]
        result.absent = [i for i in latest if i not in known]
        authorships: list[dict[str, Any]] = []
        institutions: dict[str, dict[str, Any]] = {}
        affiliations: list[dict[str, Any]] = []
        recount: set[tuple[str, str]] = set()
        result.authorships_matched = result.authorships_unmatched = 0
        for arxiv_id in result.matched:
            w, paper = latest[arxiv_id], known[arxiv_id]
            by_position = {a["position"]: a for a in paper["authors"]}
            written = [(a["position"], a["written"] or "") for a in paper["authors"]]
            pairs = match_authorships(written, w.authorships)
            result.authorships_matched += len(pairs)
            result.authorships_unmatched += len(w.authorships) - len(pairs)
            for position, oa in pairs:
                author = by_position[position]
                keys = [i["key"] for i in oa.institutions]
                for row in oa.institutions:
                    institutions.setdefault(row["key"], row)
                    if paper["year"] is not None:
                        affiliations.append(
                            {
                                "author": author["key"],
                                "key": row["key"],
                                "name": row["name"],
                                "year": paper["year"],
                            }
                        )
                recount.update((author["key"], k) for k in author["institutions"] if k not in keys)
                authorships.append(
                    {
                        "author": author["key"],
                        "arxivId": arxiv_id,
                        "openalexAuthor": oa.author,
                        "orcid": oa.orcid,
                        "institutions": keys,
                        "rawAffiliations": list(oa.raw_affiliations),
                    }
                )
        props = [{"arxivId": i, "props": latest[i].paper_props()} for i in result.matched]
        tx.run(WRITE_PAPERS, works=props).consume()
        if institutions:
            tx.run(WRITE_INSTITUTIONS, institutions=list(institutions.values())).consume()
        tx.run(WRITE_AUTHORSHIPS, authorships=authorships).consume()
        people = sorted({x["author"] for x in authorships})
        tx.run(MARK_PEOPLE, keys=people).consume()
        if affiliations:
            tx.run(LINK_INSTITUTIONS, affiliations=affiliations).consume()
        if recount:
            tx.run(RECOUNT_AFFILIATIONS, affiliationPairs=sorted(recount)).consume()

    with driver.session(database=database) as session:
        session.execute_write(work)
    return result


def link_citations(driver: neo4j.Driver, database: str) -> int:
    """`CITES` edges for every paper the load wrote, and to the papers it matched first;
    returns how many edges were added."""
    with driver.session(database=database) as session:
        before = session.run(COUNT_CITES).single(strict=True)["n"]
        sides = session.run(SIDES).single(strict=True)
        if sides["new"] and sides["old"]:
            link = LINK_CITING if sides["new"] > sides["old"] else LINK_CITING_BY_INDEX
            session.run(link).consume()
        session.run(LINK_CITED).consume()
        session.run(LINKED_DONE).consume()
        after = session.run(COUNT_CITES).single(strict=True)["n"]
    return int(after - before)


WRITE_AUTHORS = """
UNWIND $authors AS x
MATCH (a:Author {openalexId: x.id})
SET a += x.props, a.orcid = coalesce(x.orcid, a.orcid)
RETURN count(DISTINCT x.id) AS matched
"""
"""An OpenAlex author record's figures onto the records whose works mostly carry its id."""


def write_authors(driver: neo4j.Driver, database: str, authors: list[dict[str, Any]]) -> int:
    """Write a batch of `author_props` rows; returns how many found a record."""
    with driver.session(database=database) as session:
        record = session.execute_write(
            lambda tx: tx.run(WRITE_AUTHORS, authors=authors).single(strict=True)
        )
    return int(record["matched"])
