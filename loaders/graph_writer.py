"""Upsert batches of papers into the graph: one transaction per batch, idempotent by design.

Every node is MERGEd on its key; edges that a paper no longer has (an author dropped in
a new version, a category removed) are deleted. COAUTHOR weights grow only when a paper
is created, in the same transaction, and are recounted from AUTHORED edges when a known
paper's authors change, so replaying a batch can never double-count. AFFILIATED_WITH
edges sum up every paper of an author, so when a known paper's affiliations change they
are recounted from the affiliations each AUTHORED edge keeps.

Which record (person) each authorship goes to is decided per name block by
`graph_people` before anything is written; authorships that new evidence moves, and
records it retires, have their COAUTHOR and AFFILIATED_WITH edges recounted in the same
transaction. `loaders.settle` resolves every touched name once more when a load ends.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import neo4j

from loaders import graph_people
from loaders.coauthor_recount import (
    recount_coauthors,
    refresh_strong_ties,
    refresh_topic_counts,
)
from loaders.graph_people import Placement, apply_changes, place
from loaders.name_counts import NameCounts
from loaders.records import PaperRecord
from loaders.rows import PaperRows, coauthor_pairs, shape

EXISTING = """
UNWIND $ids AS id
MATCH (p:Paper {arxivId: id})
RETURN id, p.year AS year,
       COLLECT { MATCH (a:Author)-[r:AUTHORED]->(p) RETURN [r.nameAsWritten, a.key] } AS people,
       COLLECT {
         MATCH (a:Author)-[r:AUTHORED]->(p)
         UNWIND coalesce(r.affiliations, []) AS institution
         RETURN [a.key, institution]
       } AS affiliations
"""

CREATE_PAPERS = """
UNWIND $newPapers AS row
CREATE (p:Paper {arxivId: row.arxivId})
SET p += row.props
WITH p, row
CALL (p, row) {
  UNWIND row.categories AS code
  MATCH (t:Topic {code: code})
  CREATE (p)-[:HAS_TOPIC {primary: code = row.primaryCategory}]->(t)
}
CALL (p, row) {
  UNWIND row.authors AS author
  MATCH (a:Author {key: author.key})
  CREATE (a)-[:AUTHORED {
    position: author.position, nameAsWritten: author.written, affiliations: author.affiliations,
    assignedBy: author.by, reason: author.reason
  }]->(p)
}
"""
"""Papers not yet in the graph (checked in the same transaction): nothing to MERGE against."""

UPSERT_PAPERS = """
UNWIND $papers AS row
MERGE (p:Paper {arxivId: row.arxivId})
SET p += row.props
"""

UPSERT_TOPICS = """
UNWIND $topics AS row
MERGE (t:Topic {code: row.code})
SET t.label = row.label, t.name = row.name, t.archive = row.archive
"""

LINK_TOPICS = """
UNWIND $paperTopics AS row
MATCH (p:Paper {arxivId: row.arxivId})
CALL (p, row) {
  MATCH (p)-[r:HAS_TOPIC]->(t:Topic) WHERE NOT t.code IN row.categories
  DELETE r
}
CALL (p, row) {
  UNWIND row.categories AS code
  MATCH (t:Topic {code: code})
  MERGE (p)-[r:HAS_TOPIC]->(t)
  SET r.primary = (code = row.primaryCategory)
}
"""

CREATE_PEOPLE = """
UNWIND $people AS row
MERGE (a:Author {key: row.key})
ON CREATE SET a.name = row.name, a.nameKey = row.nameKey, a.nameVariants = row.variants
"""
"""Records the identity resolution founded (some hold no authorship of this batch)."""

UPSERT_AUTHORS = """
UNWIND $authors AS row
MERGE (a:Author {key: row.key})
ON CREATE SET a.name = row.name, a.nameKey = row.nameKey
SET a.unsettled = true
WITH a, row, coalesce(a.nameVariants, []) AS known
SET a.nameVariants = known + [v IN row.variants WHERE NOT v IN known]
"""

LINK_AUTHORS = """
UNWIND $paperAuthors AS row
MATCH (p:Paper {arxivId: row.arxivId})
CALL (p, row) {
  MATCH (a:Author)-[r:AUTHORED]->(p) WHERE NOT a.key IN [x IN row.authors | x.key]
  DELETE r
}
CALL (p, row) {
  UNWIND row.authors AS author
  MATCH (a:Author {key: author.key})
  MERGE (a)-[r:AUTHORED]->(p)
  ON CREATE SET r.assignedBy = author.by, r.reason = author.reason
  SET r.position = author.position, r.nameAsWritten = author.written,
      r.affiliations = author.affiliations
}
"""

LINK_INSTITUTIONS = """
UNWIND $affiliations AS row
MATCH (a:Author {key: row.author})
MERGE (i:Institution {key: row.key})
ON CREATE SET i.name = row.name
MERGE (a)-[r:AFFILIATED_WITH]->(i)
SET r.lastYear = CASE WHEN r.lastYear IS NULL OR r.lastYear < row.year
                      THEN row.year ELSE r.lastYear END,
    r.firstYear = CASE WHEN r.firstYear IS NULL OR r.firstYear > row.year
                       THEN row.year ELSE r.firstYear END
"""

RECOUNT_AFFILIATIONS = """
UNWIND $affiliationPairs AS pair
MATCH (a:Author {key: pair[0]})
MATCH (i:Institution {key: pair[1]})
CALL (a, i) {
  OPTIONAL MATCH (a)-[r:AUTHORED]->(p:Paper)
  WHERE i.key IN r.affiliations OR i.key IN coalesce(r.institutions, [])
  RETURN min(p.year) AS firstYear, max(p.year) AS lastYear
}
CALL (a, i, firstYear, lastYear) {
  WITH * WHERE lastYear IS NOT NULL
  MERGE (a)-[f:AFFILIATED_WITH]->(i)
  SET f.firstYear = firstYear, f.lastYear = lastYear
}
CALL (a, i, lastYear) {
  WITH * WHERE lastYear IS NULL
  MATCH (a)-[f:AFFILIATED_WITH]->(i)
  DELETE f
}
"""
"""Recount (author, institution) edges a known paper's new version may have changed: an
edge stays while any paper of the author still gives the institution, with the latest year
of those; an affiliation no paper gives any more is removed."""

REFRESH_COAUTHOR = """
UNWIND $pairs AS pair
MATCH (a:Author {key: pair[0]})
MATCH (b:Author {key: pair[1]})
CALL (a, b) {
  OPTIONAL MATCH (a)-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(b)
  WHERE p.authorCount <= $maxAuthors AND p.year IS NOT NULL
  WITH p.year AS year, count(p) AS n WHERE n > 0
  ORDER BY year
  RETURN collect(year) AS years, collect(n) AS yearWorks
}
WITH a, b, years, yearWorks, reduce(s = 0, n IN yearWorks | s + n) AS shared
CALL (a, b, shared, years, yearWorks) {
  WITH * WHERE shared > 0
  MERGE (a)-[c:COAUTHOR]->(b)
  SET c.weight = shared, c.firstYear = years[0], c.lastYear = years[-1],
    c.years = years, c.yearWorks = yearWorks
}
CALL (a, b, shared) {
  WITH * WHERE shared = 0
  MATCH (a)-[c:COAUTHOR]-(b)
  DELETE c
}
"""
"""Recount pairs whose shared works may have changed: a paper already in the graph got
another author list (or year). Pairs are (lower key, higher key): one edge per pair."""

ADD_COAUTHOR = """
UNWIND $increments AS group
MATCH (a:Author {key: group.a})
UNWIND group.partners AS inc
MATCH (b:Author {key: inc.b})
MERGE (a)-[c:COAUTHOR]->(b)
ON CREATE SET c.weight = 0, c.years = [], c.yearWorks = []
WITH c, inc
CALL (c, inc) {
  WITH * WHERE c.years IS NOT NULL
  UNWIND range(0, size(c.years) + size(inc.years) - 1) AS i
  WITH c, CASE WHEN i < size(c.years) THEN c.years[i] ELSE inc.years[i - size(c.years)] END AS year,
    CASE WHEN i < size(c.years) THEN c.yearWorks[i]
         ELSE inc.yearWorks[i - size(c.years)] END AS n
  WITH c, year, sum(n) AS n ORDER BY year
  WITH c, collect(year) AS years, collect(n) AS yearWorks
  SET c.years = years, c.yearWorks = yearWorks
}
SET c.weight = c.weight + inc.n,
  c.firstYear = CASE WHEN c.firstYear IS NULL OR inc.first < c.firstYear THEN inc.first
                     ELSE c.firstYear END,
  c.lastYear = CASE WHEN c.lastYear IS NULL OR inc.last > c.lastYear THEN inc.last
                    ELSE c.lastYear END
"""
"""Papers created in this very transaction add their pairs, per year too (`years`, ascending,
and `yearWorks`, the shared works of each: windowed collaborator counts read them instead of
walking the works). Safe to replay: a paper is created once, so its pairs are counted once;
a rerun finds it present and adds nothing. An edge written before kg kept per-year counts
has no `years` and gets them when it is recounted; until then the queries walk its works."""


PEOPLE_WRITES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (UPSERT_TOPICS, ("topics",)),
    (CREATE_PEOPLE, ("people",)),
    (UPSERT_AUTHORS, ("authors",)),
)
"""Records first: the identity changes (`graph_people.apply_changes`) run between these and
`WRITES`, so moved authorships are in place before papers link their authors."""

WRITES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (CREATE_PAPERS, ("newPapers",)),
    (UPSERT_PAPERS, ("papers",)),
    (LINK_TOPICS, ("paperTopics",)),
    (LINK_AUTHORS, ("paperAuthors",)),
    (LINK_INSTITUTIONS, ("affiliations",)),
    (RECOUNT_AFFILIATIONS, ("affiliationPairs",)),
    (ADD_COAUTHOR, ("increments",)),
    (REFRESH_COAUTHOR, ("pairs", "maxAuthors")),
)
"""In this order: nodes before the edges that MATCH them, COAUTHOR last (it reads AUTHORED).
Each query is sent only the parameters it reads: packing is a large share of the cost.
New papers take the CREATE path; papers already present are MERGEd and their stale edges
removed. One loader at a time: two loaders creating the same new paper would collide on
its key constraint (the transaction fails whole and a rerun completes it)."""


@dataclass
class WriteStats:
    papers_new: int = 0
    papers_updated: int = 0
    people_new: int = 0
    authorships_moved: int = 0
    """Existing authorships new evidence put on another record."""
    records_retired: int = 0
    """Records left without works (their ids now redirect)."""
    counters: dict[str, int] = field(default_factory=dict)

    def add(self, summary: neo4j.ResultSummary) -> None:
        c = summary.counters
        for name in (
            "nodes_created",
            "relationships_created",
            "relationships_deleted",
            "properties_set",
        ):
            self.counters[name] = self.counters.get(name, 0) + getattr(c, name)

    def merge(self, other: WriteStats) -> None:
        self.papers_new += other.papers_new
        self.papers_updated += other.papers_updated
        self.people_new += other.people_new
        self.authorships_moved += other.authorships_moved
        self.records_retired += other.records_retired
        for name, value in other.counters.items():
            self.counters[name] = self.counters.get(name, 0) + value


def _params(
    batch: list[PaperRows], existing: set[str], who: dict[tuple[str, int], Placement]
) -> dict[str, Any]:
    """The Cypher parameters of a batch, named as the queries in `WRITES` read them; `who`
    gives each authorship's record."""
    new_papers: list[dict[str, Any]] = []
    papers: list[dict[str, Any]] = []
    paper_topics: list[dict[str, Any]] = []
    paper_authors: list[dict[str, Any]] = []
    authors: dict[str, dict[str, Any]] = {}
    topics: dict[str, dict[str, str]] = {}
    affiliations: list[dict[str, Any]] = []
    for paper in batch:
        people = {a.key: who[(paper.arxiv_id, a.position)] for a in paper.authorships}
        row = {
            "arxivId": paper.arxiv_id,
            "categories": paper.categories,
            "primaryCategory": paper.primary_category,
            "authors": [
                {
                    "key": people[a.key].key,
                    "position": a.position,
                    "written": a.written,
                    "affiliations": a.affiliations or None,  # no empty lists in the graph
                    "by": people[a.key].by,
                    "reason": people[a.key].reason,
                }
                for a in paper.authorships
            ],
        }
        if paper.arxiv_id in existing:
            papers.append({"arxivId": paper.arxiv_id, "props": paper.props})
            paper_topics.append(row)
            paper_authors.append(row)
        else:
            new_papers.append({**row, "props": paper.props})
        for t in paper.topics:
            topics[t["code"]] = t
        for a in paper.authorships:
            key = people[a.key].key
            entry = authors.setdefault(
                key, {"key": key, "name": a.name, "nameKey": a.key, "variants": []}
            )
            if a.written not in entry["variants"]:
                entry["variants"].append(a.written)
        affiliations += [
            {"author": people[f.author].key, "key": f.key, "name": f.name, "year": f.year}
            for f in paper.affiliations
        ]
    return {
        "newPapers": new_papers,
        "papers": papers,
        "paperTopics": paper_topics,
        "paperAuthors": paper_authors,
        "topics": list(topics.values()),
        "authors": list(authors.values()),
        "affiliations": affiliations,
    }


def write_batch(
    driver: neo4j.Driver,
    records: list[PaperRecord],
    max_authors: int,
    database: str = "neo4j",
    counts: NameCounts | None = None,
) -> WriteStats:
    """Write one batch in one transaction: all of it lands, or none of it (and a rerun fixes).

    `counts` carries the heavy co-author names from batch to batch of one load; without
    it they are read from the graph first."""
    latest: dict[str, PaperRecord] = {}
    for rec in records:  # a feed can repeat an entry across pages; the last copy wins
        latest[rec.arxiv_id] = rec
    batch = [shape(rec) for rec in latest.values()]
    occurrences: Counter[str] = Counter(a.key for paper in batch for a in paper.authorships)
    updated: dict[str, int] = {}

    def work(tx: neo4j.ManagedTransaction) -> WriteStats:
        nonlocal updated
        stats = WriteStats()
        known = counts if counts is not None else NameCounts.read(tx)
        updated = known.updated(tx, occurrences)
        before = {r["id"]: r for r in tx.run(EXISTING, ids=list(latest)).data()}
        stats.papers_new = len(batch) - len(before)
        stats.papers_updated = len(before)
        who, changes = place(tx, batch, before, known, max_authors)
        stats.people_new = len(changes.new_people)
        stats.authorships_moved = len(changes.moves)
        stats.records_retired = len(changes.retired)
        recount: set[tuple[str, str]] = set()
        affiliations: set[tuple[str, str]] = set()
        added: dict[tuple[str, str], Counter[int]] = {}
        for paper in batch:
            old = before.get(paper.arxiv_id)
            people = [who[(paper.arxiv_id, a.position)].key for a in paper.authorships]
            pairs = coauthor_pairs(people, max_authors)
            if old is None:
                for pair in pairs:
                    added.setdefault(pair, Counter())[paper.year] += 1
            else:
                was_people = [key for _, key in old["people"]]
                if set(was_people) != set(people) or old["year"] != paper.year:
                    recount.update(pairs, coauthor_pairs(was_people, max_authors))
                was = {(a, i) for a, i in old["affiliations"]}
                now = {
                    (k, i)
                    for k, a in zip(people, paper.authorships, strict=True)
                    for i in a.affiliations
                }
                if was != now or old["year"] != paper.year:
                    affiliations.update(was, now)
        params = _params(batch, set(before), who)
        params["people"] = list(changes.new_people.values())
        for query, names in PEOPLE_WRITES:
            if params[names[0]]:
                stats.add(tx.run(query, {n: params[n] for n in names}).consume())
        for summary in apply_changes(tx, changes):
            stats.add(summary)
        moved_records, moved_affiliations = graph_people.changed_records(changes)
        affiliations |= moved_affiliations
        by_author: dict[str, list[dict[str, Any]]] = {}
        for (a, b), per_year in sorted(added.items()):
            years = sorted(per_year)
            by_author.setdefault(a, []).append(
                {
                    "b": b,
                    "n": per_year.total(),
                    "first": years[0],
                    "last": years[-1],
                    "years": years,
                    "yearWorks": [per_year[y] for y in years],
                }
            )
        params["increments"] = [{"a": a, "partners": ps} for a, ps in by_author.items()]
        params["pairs"] = sorted(recount)
        params["affiliationPairs"] = sorted(affiliations)
        params["maxAuthors"] = max_authors
        for query, names in WRITES:
            if params[names[0]]:  # nothing of this kind in the batch
                stats.add(tx.run(query, {n: params[n] for n in names}).consume())
        for summary in recount_coauthors(tx, moved_records, max_authors):  # after all writes
            stats.add(summary)
        tied = {key for pair in [*added, *recount] for key in pair}
        if tied:
            stats.add(refresh_strong_ties(tx, tied))
        # everyone on a written paper, before and after: a work added, or its categories
        # changed (moved records were renewed by the recount)
        authors = {w.key for w in who.values()}
        authors.update(key for old in before.values() for _, key in old["people"])
        stats.add(refresh_topic_counts(tx, authors))
        return stats

    with driver.session(database=database) as session:
        stats = session.execute_write(work)
    if counts is not None:
        counts.commit(updated)
    return stats
