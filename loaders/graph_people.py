"""The transactional path's people: which record each new authorship of a batch goes to.

For every name a batch brings new authorships of, the whole block is read from the graph
(its records, their authorships with the evidence, human decisions), the batch's new
authorships are added, and `loaders.identity.resolve` groups the block again, as the bulk
path does with the whole corpus. `reconcile` then maps the new grouping onto the records
that exist: each keeps its key where it keeps most of its works, new people get new keys,
authorships whose person changed move (new evidence linked two records, say), and a
record left with nothing becomes a redirect to where its works went. Human decisions are
pinned in `resolve`, so none of this undoes them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import neo4j

from kg.core.names import author_key, clean_name, person_key
from loaders import identity
from loaders.identity import Clue
from loaders.name_counts import NameCounts
from loaders.rows import PaperRows

BLOCKS = """
UNWIND $names AS name
MATCH (a:Author {nameKey: name})
RETURN name, a.key AS person, a.name AS display, a.nameVariants AS variants,
  EXISTS { (:User)-[:CLAIMS {status: 'VERIFIED'}]->(a) } AS locked,
  COLLECT { MATCH (a)-[:NOT_SAME_AS]-(b:Author) RETURN b.key } AS apart,
  COLLECT {
    MATCH (a)-[r:AUTHORED]->(p:Paper)
    RETURN {
      paper: p.arxivId, position: r.position, year: p.year, categories: p.categories,
      written: r.nameAsWritten,
      assignedBy: r.assignedBy, reason: r.reason, external: r.openalexAuthor,
      institutions: coalesce(r.affiliations, []) + coalesce(r.institutions, []),
      coauthors: CASE WHEN p.authorCount <= $maxAuthors
        THEN COLLECT { MATCH (o:Author)-[:AUTHORED]->(p) WHERE o <> a RETURN o.nameKey }
        ELSE [] END
    } AS work
  } AS works
"""
"""Every record of the batch's names with the evidence of each of its authorships."""

TAKEN = """
UNWIND $keys AS key
RETURN key,
  EXISTS { MATCH (:Author {key: key}) } OR EXISTS { MATCH (:AuthorRedirect {key: key}) } AS taken
"""

MOVE_AUTHORSHIPS = """
UNWIND $moves AS m
MATCH (old:Author {key: m.from})-[r:AUTHORED]->(p:Paper {arxivId: m.paper})
MATCH (new:Author {key: m.to})
CREATE (new)-[n:AUTHORED]->(p)
SET n = properties(r), n.assignedBy = m.by, n.reason = m.reason
DELETE r
"""
"""New evidence put an existing authorship on another record (never a curator's)."""

RETIRE = """
UNWIND $retired AS row
MATCH (a:Author {key: row.key})
MATCH (to:Author {key: row.to})
MERGE (x:AuthorRedirect {key: row.key})
MERGE (x)-[:MOVED_TO]->(to)
WITH a, to
CALL (a, to) {
  MATCH (y:AuthorRedirect)-[m:MOVED_TO]->(a)
  DELETE m
  MERGE (y)-[:MOVED_TO]->(to)
}
CALL (a, to) {
  MATCH (u:User)-[f:FOLLOWS]->(a)
  MERGE (u)-[:FOLLOWS]->(to)
}
CALL (a, to) {
  MATCH (u:User)-[c:CLAIMS]->(a) WHERE NOT EXISTS { (u)-[:CLAIMS]->(to) }
  CREATE (u)-[n:CLAIMS]->(to)
  SET n = properties(c)
}
DETACH DELETE a
"""
"""A record all of whose works went elsewhere: its id now redirects there (as do ids that
redirected to it), its followers and pending claims move with the works."""

RELABEL = """
UNWIND $relabelled AS row
MATCH (:Author {key: row.key})-[r:AUTHORED]->(:Paper {arxivId: row.paper})
SET r.assignedBy = row.by, r.reason = row.reason
"""
"""The block, seen whole again, places an authorship where it was for another reason."""

RENAME = """
UNWIND $renamed AS row
MATCH (a:Author {key: row.key})
SET a.name = row.name, a.nameVariants = row.variants
"""


@dataclass
class Placement:
    """Where a new authorship goes: its record key, and why."""

    key: str
    by: str
    reason: str | None


@dataclass
class Changes:
    """What a batch's resolution changes beyond its own authorships."""

    placements: dict[tuple[str, int], Placement] = field(default_factory=dict)
    """(arXiv id, position) of each new authorship -> its record."""
    new_people: dict[str, dict[str, Any]] = field(default_factory=dict)
    moves: list[dict[str, Any]] = field(default_factory=list)
    renamed: list[dict[str, Any]] = field(default_factory=list)
    """Records whose name (their earliest spelling) or spellings (in order of their
    works) changed with what they hold."""
    relabelled: list[dict[str, Any]] = field(default_factory=list)
    """Authorships that stay where they are for a reason other than the one stored."""
    retired: list[dict[str, str]] = field(default_factory=list)


@dataclass
class _Block:
    name: str
    clues: list[Clue] = field(default_factory=list)
    current: list[str | None] = field(default_factory=list)
    """Per clue, the record it is on now (None for the batch's new authorships)."""
    written: list[str] = field(default_factory=list)
    """Per clue, the name as written."""
    why: list[tuple[str, str | None]] = field(default_factory=list)
    """Per clue on record, its stored (assignedBy, reason)."""
    apart: set[tuple[str, str]] = field(default_factory=set)
    records: list[str] = field(default_factory=list)
    stored: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    """Per record, its (name, nameVariants) as the graph has them."""


def read_blocks(
    tx: neo4j.ManagedTransaction, names: Iterable[str], max_authors: int
) -> dict[str, _Block]:
    blocks = {name: _Block(name) for name in names}
    for row in tx.run(BLOCKS, names=list(blocks), maxAuthors=max_authors):
        block = blocks[row["name"]]
        person = row["person"]
        block.records.append(person)
        block.stored[person] = (row["display"], list(row["variants"] or []))
        block.apart.update((person, other) for other in row["apart"])
        for w in row["works"]:
            pinned = row["locked"] or w["assignedBy"] == identity.CURATOR
            block.clues.append(
                Clue(
                    w["paper"],
                    w["position"],
                    w["year"],
                    tuple(w["categories"] or ()),
                    tuple(w["coauthors"]),
                    tuple(w["institutions"]),
                    external=w["external"],
                    pinned=person if pinned else None,
                    record=person,
                )
            )
            block.current.append(person)
            block.written.append(w["written"] or "")
            block.why.append((w["assignedBy"] or "", w["reason"]))
    return blocks


def resolve_batch(
    tx: neo4j.ManagedTransaction,
    new: dict[str, list[tuple[Clue, str]]],
    counts: NameCounts,
    max_authors: int,
) -> Changes:
    """Place the batch's new authorships (name -> (clue, name as written)), reconsidering
    each of their blocks as a whole."""
    blocks = read_blocks(tx, new, max_authors)
    changes = Changes()
    proposals: list[tuple[str, list[str]]] = []
    outcomes = []
    for name, arrivals in new.items():
        block = blocks[name]
        first_new = len(block.clues)
        block.clues += [clue for clue, _ in arrivals]
        block.current += [None] * len(arrivals)
        block.written += [written for _, written in arrivals]
        found = identity.resolve(name, block.clues, counts.weight, block.apart)
        keys, wanted = _keep_keys(block, found)
        for person, key in enumerate(keys):
            if key is None:
                first = block.clues[found.people[person][0]]
                proposals.append((f"{name}#{person}", _candidates(name, first)))
        outcomes.append((name, block, found, keys, wanted, first_new))
    chosen = _choose_keys(tx, proposals)
    for name, block, found, keys, wanted, first_new in outcomes:
        final = [k if k is not None else chosen[f"{name}#{p}"] for p, k in enumerate(keys)]
        for person, members in enumerate(found.people):
            key = final[person]
            display = clean_name(block.written[members[0]]) or name
            variants = list(dict.fromkeys(block.written[i] for i in members))
            if key not in block.records:
                changes.new_people[key] = {
                    "key": key,
                    "name": display,
                    "nameKey": name,
                    "variants": variants,
                }
            elif block.stored[key] != (display, variants):
                changes.renamed.append({"key": key, "name": display, "variants": variants})
            for i in members:
                decision = found.decisions[i]
                clue = block.clues[i]
                if i >= first_new:
                    changes.placements[(clue.paper, clue.position)] = Placement(
                        key, decision.by, decision.reason
                    )
                elif block.current[i] == key:
                    if block.why[i] != (decision.by, decision.reason) and not clue.pinned:
                        changes.relabelled.append(
                            {
                                "key": key,
                                "paper": clue.paper,
                                "by": decision.by,
                                "reason": decision.reason,
                            }
                        )
                else:
                    changes.moves.append(
                        {
                            "paper": clue.paper,
                            "position": clue.position,
                            "from": block.current[i],
                            "to": key,
                            "by": decision.by,
                            "reason": decision.reason,
                            "institutions": list(clue.institutions),
                        }
                    )
        for record in block.records:
            if record not in final:
                changes.retired.append({"key": record, "to": final[wanted.get(record, 0)]})
    return changes


def _keep_keys(
    block: _Block, found: identity.Resolution
) -> tuple[list[str | None], dict[str, int]]:
    """Each record keeps its key on the person holding most of its works (a pinned person
    keeps its pin); returns the key per person (None: new) and, per record, the person
    holding most of its works (where a retired id should point)."""
    overlap: Counter[tuple[int, str]] = Counter()
    for person, members in enumerate(found.people):
        for i in members:
            if block.current[i] is not None:
                overlap[(person, block.current[i])] += 1  # type: ignore[index]
    keys: list[str | None] = list(found.pinned)
    used = {k for k in keys if k is not None}
    for (person, record), _ in sorted(overlap.items(), key=lambda kv: (-kv[1], kv[0])):
        if keys[person] is None and record not in used:
            keys[person] = record
            used.add(record)
    biggest: dict[str, tuple[int, int]] = {}
    for (person, record), n in overlap.items():
        if record not in biggest or n > biggest[record][0]:
            biggest[record] = (n, person)
    return keys, {r: p for r, (_, p) in biggest.items()}


def _candidates(name: str, first: Clue) -> list[str]:
    """Keys a new record may take, best first: the bare name key when nobody holds it."""
    base = person_key(name, first.paper)
    return [name, base, person_key(name, first.paper, first.position)] + [
        f"{base}-{n}" for n in range(2, 6)
    ]


def _choose_keys(tx: neo4j.ManagedTransaction, proposals: list[tuple[str, list[str]]]) -> dict:
    """The first free candidate of each new record (free in the graph and in this batch)."""
    everything = sorted({k for _, keys in proposals for k in keys})
    taken = {r["key"] for r in tx.run(TAKEN, keys=everything) if r["taken"]}
    chosen: dict[str, str] = {}
    for label, keys in proposals:
        key = next((k for k in keys if k not in taken), None)
        if key is None:
            raise RuntimeError(f"no free record key among {keys}")
        taken.add(key)
        chosen[label] = key
    return chosen


def apply_changes(tx: neo4j.ManagedTransaction, changes: Changes) -> list[neo4j.ResultSummary]:
    """Move authorships and retire emptied records (after new records exist)."""
    done = []
    if changes.moves:
        done.append(tx.run(MOVE_AUTHORSHIPS, moves=changes.moves).consume())
    if changes.retired:
        done.append(tx.run(RETIRE, retired=changes.retired).consume())
    if changes.relabelled:
        done.append(tx.run(RELABEL, relabelled=changes.relabelled).consume())
    if changes.renamed:
        done.append(tx.run(RENAME, renamed=changes.renamed).consume())
    return done


def changed_records(changes: Changes) -> tuple[set[str], set[tuple[str, str]]]:
    """Records still in the graph that gained or lost authorships, and the (record,
    institution) pairs of the moved authorships (both ends), whose years may have changed."""
    gone = {r["key"] for r in changes.retired}
    records = {m[end] for m in changes.moves for end in ("from", "to")} - gone
    affiliations = {
        (m[end], inst)
        for m in changes.moves
        for end in ("from", "to")
        for inst in m["institutions"]
    }
    return records, affiliations


def place(
    tx: neo4j.ManagedTransaction,
    batch: list[PaperRows],
    before: dict[str, dict[str, Any]],
    counts: NameCounts,
    max_authors: int,
) -> tuple[dict[tuple[str, int], Placement], Changes]:
    """The record of every authorship in the batch: a known paper's authors stay who they
    were; every other authorship is placed by resolving its name block."""
    new: dict[str, list[tuple[Clue, str]]] = {}
    kept: dict[tuple[str, int], str] = {}
    for paper in batch:
        old = before.get(paper.arxiv_id)
        # by the name each authorship was written with: a curator may have put it on a
        # record found under another name ("Z. Liu" merged into "Zihang Liu")
        was = {author_key(w or ""): key for w, key in old["people"]} if old else {}
        for a, clue in zip(paper.authorships, paper.clues(max_authors), strict=True):
            if a.key in was:
                kept[(paper.arxiv_id, a.position)] = was[a.key]
            else:
                new.setdefault(a.key, []).append((clue, a.written))
    changes = resolve_batch(tx, new, counts, max_authors) if new else Changes()
    moved = {(m["paper"], m["from"]): m["to"] for m in changes.moves}
    who = dict(changes.placements)
    for (paper_id, position), key in kept.items():
        who[(paper_id, position)] = Placement(moved.get((paper_id, key), key), identity.NAME, None)
    return who, changes
