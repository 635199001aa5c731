"""Writing OpenAlex works onto the graph's papers, one transaction a batch.

A batch sets each paper's citation figures and each matched authorship's OpenAlex author,
ORCID and institutions, and marks what the end of the load must finish: `citesPending`
papers (their `CITES` edges, once every paper of the load has its OpenAlex id, see
`openalex_citations`) and `openalexPending` people (their OpenAlex id, and whether
OpenAlex's grouping disagrees with theirs; see `openalex_people`). Marks live in the
graph, so a killed load leaves them for the next one, and rewriting a batch sets the
same values again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import neo4j

from loaders.batch_writes import LINK_INSTITUTIONS, RECOUNT_AFFILIATIONS
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


@dataclass
class BatchResult:
    matched: list[str]
    """arXiv ids of the works written (a work whose paper is not in the graph is not)."""
    authorships_matched: int = 0
    authorships_unmatched: int = 0


def write_works(driver: neo4j.Driver, database: str, works: list[WorkRows]) -> BatchResult:
    """Write a batch of works in one transaction (the last copy of a repeated work wins)."""
    latest = {w.arxiv_id: w for w in works}
    result = BatchResult(matched=[])

    def work(tx: neo4j.ManagedTransaction) -> None:
        known = {r["id"]: r for r in tx.run(KNOWN, ids=list(latest))}
        result.matched = [i for i in latest if i in known]
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
