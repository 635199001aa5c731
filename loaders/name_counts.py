"""How common each co-author name is, for the transactional path's identity weights.

Only names on more than `SPECIFIC_WORKS` authorships weigh less than 1, so only those are
kept: read once a load, then brought up to date batch by batch.
"""

from __future__ import annotations

from collections import Counter

import neo4j

from loaders import identity

HEAVY_NAMES = """
MATCH (a:Author)-[:AUTHORED]->()
WITH a.nameKey AS name, count(*) AS works
WHERE works > $specific
RETURN name, works
"""
"""Name keys on more than `SPECIFIC_WORKS` authorships: the only co-author names that weigh
less than 1, so the only ones to remember (read once a load, then kept up to date)."""

NAME_WORKS = """
UNWIND $names AS name
RETURN name, COUNT { MATCH (:Author {nameKey: name})-[:AUTHORED]->() } AS works
"""


class NameCounts:
    """Authorships per heavy name key (more than `SPECIFIC_WORKS`), kept across the
    batches of one load so each batch needs to count only its own names."""

    def __init__(self, heavy: dict[str, int]) -> None:
        self.heavy = heavy

    @classmethod
    def read(cls, tx: neo4j.ManagedTransaction | neo4j.Session) -> NameCounts:
        rows = tx.run(HEAVY_NAMES, specific=identity.SPECIFIC_WORKS)
        return cls({r["name"]: r["works"] for r in rows})

    def weight(self, name: str) -> float:
        return identity.co_author_weight(self.heavy.get(name, 1))

    def updated(self, tx: neo4j.ManagedTransaction, batch: Counter[str]) -> dict[str, int]:
        """Counts of the batch's names once it is written (to `commit` after it is)."""
        known = {n: w + batch[n] for n, w in self.heavy.items() if n in batch}
        rest = [n for n in batch if n not in self.heavy]
        for row in tx.run(NAME_WORKS, names=rest):
            works = row["works"] + batch[row["name"]]
            if works > identity.SPECIFIC_WORKS:
                known[row["name"]] = works
        return known

    def commit(self, counts: dict[str, int]) -> None:
        self.heavy.update(counts)
