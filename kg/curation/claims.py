"""`kg claims`: operators review the claims users made on researcher records.

Written with neomodel: a handful of objects edited one at a time by a person at a
terminal is what an OGM is good at; the hot paths (loads, GraphQL) stay in named Cypher.
Only claims are modelled here: `User` and `Author` carry just the properties we touch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import neo4j
from neomodel import (
    DateTimeNeo4jFormatProperty,
    RelationshipFrom,
    RelationshipTo,
    StringProperty,
    StructuredNode,
    StructuredRel,
    db,
)
from neomodel.config import get_config

from kg.core.errors import KgError

STATUSES = ("PENDING", "VERIFIED", "REJECTED")


class ClaimRel(StructuredRel):  # type: ignore[misc]
    status = StringProperty(required=True, choices={s: s.lower() for s in STATUSES})
    # camelCase like every property in the graph, as analysts read them in Browser
    createdAt = DateTimeNeo4jFormatProperty()
    decidedAt = DateTimeNeo4jFormatProperty()


class Author(StructuredNode):  # type: ignore[misc]
    key = StringProperty(unique_index=True, required=True)
    name = StringProperty()
    claimed_by = RelationshipFrom("kg.curation.claims.User", "CLAIMS", model=ClaimRel)


class User(StructuredNode):  # type: ignore[misc]
    uid = StringProperty(db_property="id", unique_index=True, required=True)
    claims = RelationshipTo(Author, "CLAIMS", model=ClaimRel)


@dataclass(frozen=True)
class Claim:
    user: str
    researcher: str
    name: str
    status: str
    created: datetime | None


class ClaimError(KgError):
    """An operator's request that cannot be carried out; the message says what to do."""


def use(driver: neo4j.Driver, database: str) -> None:
    """Point neomodel at our driver (same settings and password as every other command)."""
    get_config().database_name = database
    db.set_connection(driver=driver)


def _rels(user: User) -> Any:
    """The user's CLAIMS manager (neomodel's descriptors are untyped)."""
    return user.claims


def list_claims(status: str | None = None) -> list[Claim]:
    found: list[Claim] = []
    for user in User.nodes.order_by("uid"):
        for author in _rels(user).all():
            rel = _rels(user).relationship(author)
            if status is None or rel.status == status:
                found.append(Claim(user.uid, author.key, author.name, rel.status, rel.createdAt))
    return sorted(found, key=lambda c: (c.status != "PENDING", c.researcher, c.user))


def decide(user_id: str, researcher: str, status: str) -> Claim:
    """Set a claim's status; only one user's claim on a record can be VERIFIED."""
    if status not in ("VERIFIED", "REJECTED"):
        raise ClaimError(f"a claim can be VERIFIED or REJECTED, not {status!r}")
    user = User.nodes.get_or_none(uid=user_id)
    author = Author.nodes.get_or_none(key=researcher)
    rel = _rels(user).relationship(author) if user and author else None
    if user is None or author is None or rel is None:
        raise ClaimError(
            f"{user_id!r} has no claim on {researcher!r}; `kg claims list` shows the claims"
        )
    if status == "VERIFIED":
        claimed_by: Any = author.claimed_by  # neomodel's managers are not typed
        for other in claimed_by.match(status="VERIFIED"):
            if other.uid != user_id:
                raise ClaimError(
                    f"{other.uid!r}'s claim on {researcher!r} is already verified; "
                    f"reject it first: kg claims reject {other.uid} {researcher}"
                )
    rel.status = status
    rel.decidedAt = datetime.now(UTC)
    rel.save()
    return Claim(user.uid, author.key, author.name, rel.status, rel.createdAt)
