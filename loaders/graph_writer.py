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
from loaders.batch_writes import EXISTING, PEOPLE_WRITES, WRITES
from loaders.coauthor_recount import (
    recount_coauthors,
    refresh_strong_ties,
    refresh_topic_counts,
)
from loaders.graph_people import Placement, apply_changes, place
from loaders.name_counts import NameCounts
from loaders.records import PaperRecord
from loaders.rows import PaperRows, coauthor_pairs, shape


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
        if authors - moved_records:
            stats.add(refresh_topic_counts(tx, authors - moved_records))
        return stats

    with driver.session(database=database) as session:
        stats = session.execute_write(work)
    if counts is not None:
        counts.commit(updated)
    return stats
