"""What an identity operation changes, as data: applying a `Change` makes the edit, applying
its `inverse()` takes it back exactly.

Merge, split and move all come down to the same few steps on researcher records: create
nodes, remove and add relationships (moved authorships, carried-over claims, markers,
redirects), delete nodes, then bring the derived data (`nameVariants`, COAUTHOR,
AFFILIATED_WITH) in line. Relationships are written down as `identity_edges` reads them
(record, type, direction, the other end by key, properties), so the JSON an event keeps is
enough to write every one of them back, and undo is the same code run the other way.
Every step is a named query in `queries/`, all run in the caller's one transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import neo4j
import neo4j.time

from kg.core import queries
from kg.core.config import STRONG_TIES, TOPIC_COUNTS
from kg.core.errors import KgError

Edge = dict[str, Any]
"""A relationship of a record: {record, type, out, other: {label, value}, props}."""

DERIVED = ("COAUTHOR", "AFFILIATED_WITH", "TOPIC_RANK", "TOUCHED")
"""Relationships recomputed from authorships (or history links), never moved by hand."""


class IdentityError(KgError):
    """An identity edit that cannot be made as asked; the message says what would work."""


@dataclass
class Change:
    """One operation's effect on the graph, enough to redo or reverse it exactly."""

    add_authors: list[dict[str, Any]] = field(default_factory=list)
    """Properties of records to create (a split's new record; a merged record on undo)."""
    add_redirects: list[str] = field(default_factory=list)
    remove_edges: list[Edge] = field(default_factory=list)
    add_edges: list[Edge] = field(default_factory=list)
    remove_authors: list[dict[str, Any]] = field(default_factory=list)
    """Properties of records to delete, kept so that undo can create them again."""
    remove_redirects: list[str] = field(default_factory=list)
    names: list[dict[str, Any]] = field(default_factory=list)
    """{key, name, nameVariants} of the surviving records before the change."""

    def inverse(self, names_now: list[dict[str, Any]]) -> Change:
        return Change(
            add_authors=self.remove_authors,
            add_redirects=self.remove_redirects,
            remove_edges=self.add_edges,
            add_edges=self.remove_edges,
            remove_authors=self.add_authors,
            remove_redirects=self.add_redirects,
            names=names_now,
        )

    def records(self) -> list[str]:
        """Every record key the change touches, in a stable order."""
        keys = [e["record"] for e in self.remove_edges + self.add_edges]
        keys += [a["key"] for a in self.add_authors + self.remove_authors]
        keys += [n["key"] for n in self.names]
        return list(dict.fromkeys(keys))

    def papers(self) -> list[str]:
        moved = self.remove_edges + self.add_edges
        return sorted({e["other"]["value"] for e in moved if e["type"] == "AUTHORED"})

    def institutions(self) -> list[str]:
        moved = self.remove_edges + self.add_edges
        authored = [e["props"] for e in moved if e["type"] == "AUTHORED"]
        return sorted(
            {
                i
                for props in authored
                for i in (props.get("affiliations") or []) + (props.get("institutions") or [])
            }
        )

    def to_json(self) -> str:
        return json.dumps(_encode(self.__dict__), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Change:
        return cls(**_decode(json.loads(text)))


_TIME_TYPES = {
    cls.__name__: cls
    for cls in (
        neo4j.time.DateTime,
        neo4j.time.Date,
        neo4j.time.Time,
    )
}


def _encode(value: Any) -> Any:
    """JSON for property values: Neo4j's temporal values as {"$DateTime": iso} and the like,
    with nanoseconds, so they are written back exactly."""
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if type(value).__name__ in _TIME_TYPES:
        return {f"${type(value).__name__}": value.iso_format()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1:
            ((name, text),) = value.items()
            cls = _TIME_TYPES.get(name[1:]) if name.startswith("$") else None
            if cls is not None:
                return cls.from_iso_format(text)
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def run(tx: neo4j.ManagedTransaction, name: str, **params: Any) -> list[dict[str, Any]]:
    """Rows of `queries/NAME.cypher` in the operation's transaction."""
    return [dict(r) for r in tx.run(queries.text(name), params)]


def edges(tx: neo4j.ManagedTransaction, keys: list[str]) -> list[Edge]:
    """Every relationship of these records, each once (one between two of them, once)."""
    seen: dict[str, Edge] = {}
    for row in run(tx, "identity_edges", keys=keys):
        rid = row.pop("rid")
        if rid not in seen:
            seen[rid] = row
    return list(seen.values())


def names(tx: neo4j.ManagedTransaction, keys: list[str]) -> list[dict[str, Any]]:
    """{key, name, nameVariants} of the live records among `keys`."""
    live = [r["props"] for r in run(tx, "identity_resolve", keys=keys) if r["live"]]
    return [
        {"key": p["key"], "name": p.get("name"), "nameVariants": p.get("nameVariants")}
        for p in live
    ]


def _described(edge: Edge) -> str:
    other = edge["other"]
    return f"{edge['type']} between {edge['record']} and {other['label']} {other['value']}"


def apply(
    tx: neo4j.ManagedTransaction,
    change: Change,
    max_authors: int,
    restore_names: list[dict[str, Any]] | None = None,
) -> None:
    """Make the change; raise `IdentityError` (the transaction then rolls back) if the graph
    no longer has what it expects. `restore_names` (undo): set the records' names exactly
    so, instead of recomputing their variants from their works."""
    run(tx, "identity_add_nodes", authors=change.add_authors, redirects=change.add_redirects)
    plain = [{k: e[k] for k in ("record", "type", "out", "other")} for e in change.remove_edges]
    deleted = run(tx, "identity_delete_edges", edges=plain)[0]["deleted"]
    missing = [change.remove_edges[i] for i in range(len(plain)) if i not in set(deleted)]
    if missing:
        raise IdentityError(
            f"the graph changed since this was recorded: the {_described(missing[0])} is gone "
            f"({len(missing)} relationship(s) missing), so it cannot be reversed exactly; "
            "`kg identity history` shows the record's events"
        )
    added = run(tx, "identity_add_edges", edges=change.add_edges)[0]["added"]
    if len(added) != len(change.add_edges):
        lost = next(e for i, e in enumerate(change.add_edges) if i not in set(added))
        raise IdentityError(
            f"cannot write the {_described(lost)}: that node is no longer in the graph"
        )
    doomed = [a["key"] for a in change.remove_authors]
    gone = run(tx, "identity_delete_nodes", authors=doomed, redirects=change.remove_redirects)
    kept = sorted(set(doomed) - set(gone[0]["deleted"]))
    if kept:
        raise IdentityError(
            f"record {kept[0]} has works, claims or follows it did not have when the event "
            f"was made; move them off first (kg identity move PAPER {kept[0]} OTHER_ID)"
        )
    survivors = [k for k in change.records() if k not in doomed]
    if restore_names is not None:
        run(tx, "identity_set_names", records=restore_names)
    else:
        run(tx, "identity_name_variants", keys=survivors)
    papers = change.papers()
    if papers:
        [recounted] = run(
            tx,
            "identity_recount_coauthors",
            keys=survivors,
            papers=papers,
            maxAuthors=max_authors,
        )
        run(tx, "strong_ties", keys=sorted(set(recounted["touched"])), keep=STRONG_TIES)
        run(tx, "topic_counts", keys=survivors, over=TOPIC_COUNTS)  # their works changed
    if change.institutions():
        run(tx, "identity_recount_affiliations", keys=survivors, institutions=change.institutions())
