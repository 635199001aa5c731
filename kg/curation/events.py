"""Identity events: what each curation did, undone exactly, listed per record.

Every `kg.curation.identity` operation is one transaction that ends by recording an
`IdentityEvent` (who, when, why, and the JSON of exactly what moved); this module writes
them, reverses them (`undo`) and lists them (`history`).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import neo4j

from kg.core import queries
from kg.curation.changes import Change, IdentityError, apply, names, run

T = TypeVar("T")


@dataclass(frozen=True)
class Event:
    """One identity curation event, as `kg identity history` lists them."""

    id: str
    kind: str
    """merge, split, move or undo."""
    actor: str
    at: str
    """When, ISO 8601 (UTC)."""
    reason: str
    keys: list[str]
    """The records involved; for a split, the new record is the last."""
    summary: str
    undoes: str | None = None
    undone_by: str | None = None

    @property
    def created(self) -> str | None:
        """The record a split made."""
        return self.keys[-1] if self.kind == "split" else None

    @classmethod
    def of(cls, row: dict[str, Any]) -> Event:
        return cls(
            id=row["id"],
            kind=row["kind"],
            actor=row["actor"],
            at=row["at"],
            reason=row["reason"],
            keys=list(row["keys"]),
            summary=row["summary"],
            undoes=row.get("undoes"),
            undone_by=row.get("undoneBy"),
        )


def write(driver: neo4j.Driver, database: str, work: Callable[[neo4j.ManagedTransaction], T]) -> T:
    with driver.session(database=database) as session:
        return session.execute_write(work)


def record(
    tx: neo4j.ManagedTransaction,
    event_id: str,
    kind: str,
    actor: str,
    reason: str,
    keys: list[str],
    summary: str,
    change: Change,
    undoes: str | None = None,
) -> Event:
    at = datetime.now(UTC).isoformat()
    row = {
        "id": event_id,
        "kind": kind,
        "actor": actor,
        "at": at,
        "reason": reason,
        "keys": keys,
        "summary": summary,
        "payload": change.to_json(),
        "undoes": undoes,
    }
    run(tx, "identity_record_event", event=row)
    return Event.of(row)


def new_id() -> str:
    return f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"


def undo(
    driver: neo4j.Driver,
    event_id: str,
    actor: str,
    reason: str | None = None,
    *,
    max_authors: int = 100,
    database: str = "neo4j",
) -> Event:
    """Reverse an event exactly; refused while a later event on the same records stands."""
    event_id_new = new_id()

    def work(tx: neo4j.ManagedTransaction) -> Event:
        row = run(tx, "identity_event", id=event_id)[0]
        event = row["event"]
        if event is None:
            raise IdentityError(
                f"no identity event {event_id!r}; `kg identity history RECORD_ID` lists them"
            )
        if event["kind"] == "undo":
            raise IdentityError(
                f"{event_id} is itself an undo (of {event['undoes']}); to redo, run the "
                "operation again"
            )
        if event.get("undoneBy"):
            raise IdentityError(f"{event_id} was undone already, by {event['undoneBy']}")
        if row["blockedBy"]:
            raise IdentityError(
                f"{row['blockedBy']} changed the same records later; undo it first: "
                f"kg identity undo {row['blockedBy']}"
            )
        change = Change.from_json(event["payload"])
        inverse = change.inverse(names(tx, change.records()))
        apply(tx, inverse, max_authors, restore_names=change.names)
        summary = f"undid {event['kind']} {event_id}: {event['summary']}"
        why = reason or f"undo of {event_id}"
        keys = list(event["keys"])
        return record(tx, event_id_new, "undo", actor, why, keys, summary, inverse, undoes=event_id)

    return write(driver, database, work)


def history(driver: neo4j.Driver, key: str, database: str = "neo4j") -> list[Event]:
    """The events of a record, newest first; an id merged away shows its record's too."""
    records, _, _ = driver.execute_query(
        queries.text("identity_history"),
        {"key": key},
        database_=database,
        routing_=neo4j.RoutingControl.READ,
    )
    return [Event.of(e) for e in records[0]["events"]]
