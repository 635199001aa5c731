"""When a load ends: every name block it touched, resolved once more as a whole.

A batch places its authorships with the evidence loaded so far; `settle` regroups each
touched block as the bulk path would with the whole corpus, so a load gives the same
people however it was cut into batches. Records a batch touched carry `unsettled`, so a
killed load leaves its marks and the next load settles them.
"""

from __future__ import annotations

import neo4j

from loaders.batch_writes import CREATE_PEOPLE, RECOUNT_AFFILIATIONS
from loaders.coauthor_recount import recount_coauthors
from loaders.graph_people import apply_changes, changed_records, resolve_batch
from loaders.graph_writer import WriteStats
from loaders.name_counts import NameCounts

UNSETTLED = """
MATCH (a:Author) WHERE a.unsettled = true
WITH DISTINCT a.nameKey AS name
LIMIT $limit
RETURN name, COUNT { MATCH (:Author {nameKey: name})-[:AUTHORED]->() } AS works
"""

SETTLED = """
UNWIND $names AS name
MATCH (a:Author {nameKey: name}) WHERE a.unsettled = true
REMOVE a.unsettled
"""

SETTLE_NAMES = 2000
"""Name blocks resolved per transaction when a load settles, at most..."""
SETTLE_WORKS = 20_000
"""...and authorships: a transaction that regroups a few prolific names, or thousands of
small ones, stays well inside Neo4j's transaction timeout."""
TIMEOUT = 600.0
"""Seconds one settling transaction may take (a single name's block can be that big)."""


def settle(
    driver: neo4j.Driver,
    max_authors: int,
    database: str = "neo4j",
    counts: NameCounts | None = None,
) -> WriteStats:
    """Resolve once more, whole, every name block a load touched (marked `unsettled`).

    A batch places its authorships with the evidence loaded so far; a block no later batch
    touches keeps that placement. Settling at the end groups each block as the bulk path
    would with the whole corpus, so a load gives the same people whatever its batches.
    A killed load leaves its marks, and the next load settles them."""
    total = WriteStats()
    if counts is None:  # settling moves works between records of one name: counts hold
        with driver.session(database=database) as session:
            counts = NameCounts.read(session)  # a scan of every authorship: once, not per tx
    known = counts
    while True:
        with driver.session(database=database) as session:
            blocks = [(r["name"], r["works"]) for r in session.run(UNSETTLED, limit=SETTLE_NAMES)]
            names: list[str] = []
            works = 0
            for name, size in blocks:
                if name and (not names or works + size <= SETTLE_WORKS):
                    names.append(name)
                    works += size
            if not names:
                return total

            @neo4j.unit_of_work(timeout=TIMEOUT)
            def work(tx: neo4j.ManagedTransaction, names: list[str] = names) -> WriteStats:
                stats = WriteStats()
                changes = resolve_batch(tx, {name: [] for name in names}, known, max_authors)
                stats.people_new = len(changes.new_people)
                stats.authorships_moved = len(changes.moves)
                stats.records_retired = len(changes.retired)
                if changes.new_people:
                    people = list(changes.new_people.values())
                    stats.add(tx.run(CREATE_PEOPLE, people=people).consume())
                for summary in apply_changes(tx, changes):
                    stats.add(summary)
                records, affiliations = changed_records(changes)
                for summary in recount_coauthors(tx, records, max_authors):
                    stats.add(summary)
                if affiliations:
                    recount = {"affiliationPairs": sorted(affiliations)}
                    stats.add(tx.run(RECOUNT_AFFILIATIONS, recount).consume())
                tx.run(SETTLED, names=names).consume()
                return stats

            total.merge(session.execute_write(work))
