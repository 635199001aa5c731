"""Correcting who is who: merge records, split works off one, move one authorship, undo.

The loaders assign authorships to researcher records automatically (issue 11); a curator
corrects them here. Every operation is one transaction and leaves an `IdentityEvent` (who,
when, why, and the JSON of exactly what moved, see `kg.curation.changes`), so `undo` can
put the graph back as it was and `history` can say what happened to a record, also when
asked by an id that now redirects (both in `kg.curation.events`, re-exported here). The
operations leave the markers the loaders respect, so automatic re-assignment never undoes
a human decision: moved authorships (and every work of a merged record) are
`assignedBy: 'curator'`, and a split leaves `NOT_SAME_AS` between the two records.
"""

from __future__ import annotations

from typing import Any

import neo4j

from kg.core.names import clean_name, person_key
from kg.curation import events
from kg.curation.changes import Change, Edge, IdentityError, apply, edges, names, run
from kg.curation.events import Event, history, new_id, undo, write

__all__ = ["Event", "IdentityError", "history", "merge", "move", "split", "undo"]
CLAIM_RANK = {"VERIFIED": 2, "PENDING": 1, "REJECTED": 0}
"""Which claim a merge keeps when one user claimed two of the records."""


def _records(tx: neo4j.ManagedTransaction, keys: list[str]) -> dict[str, dict[str, Any]]:
    """The live records with these keys; an id that is not one raises with what to use."""
    found = {}
    for row in run(tx, "identity_resolve", keys=keys):
        if row["live"]:
            found[row["key"]] = row
        elif row["movedTo"]:
            raise IdentityError(
                f"{row['key']} was merged into {row['movedTo']}; use {row['movedTo']} "
                f"(kg identity history {row['key']} shows when)"
            )
        else:
            raise IdentityError(
                f"no researcher record {row['key']!r}; find ids with "
                "`kg query search_researchers --param query=NAME`"
            )
    return found


def _by_record(found: list[Edge]) -> dict[str, list[Edge]]:
    grouped: dict[str, list[Edge]] = {}
    for e in found:
        grouped.setdefault(e["record"], []).append(e)
    return grouped


def _authored(found: list[Edge]) -> dict[str, Edge]:
    return {e["other"]["value"]: e for e in found if e["type"] == "AUTHORED"}


def _curated(record: str, edge: Edge, reason: str) -> Edge:
    """The authorship `edge` on `record`, pinned there by a curator."""
    props = {**edge["props"], "assignedBy": "curator", "reason": reason}
    return {**edge, "record": record, "props": props}


def _user(edge: Edge) -> str | None:
    other = edge["other"]
    return other["value"] if other["label"] == "User" and not edge["out"] else None


def _verified(found: list[Edge]) -> dict[str, str]:
    """{user: record} of the verified claims among these relationships."""
    return {
        str(_user(e)): e["record"]
        for e in found
        if e["type"] == "CLAIMS" and e["props"].get("status") == "VERIFIED"
    }


def merge(
    driver: neo4j.Driver,
    into: str,
    others: list[str],
    actor: str,
    reason: str,
    *,
    max_authors: int = 100,
    database: str = "neo4j",
) -> Event:
    """Give every work, claim, follow and redirect of `others` to `into`; their ids then
    redirect to `into`. Every work of the merged record is pinned there (`assignedBy:
    curator`): later evidence, OpenAlex's ids included, never splits what a curator joined."""
    others = list(dict.fromkeys(others))
    if not others or into in others:
        raise IdentityError(
            "name the record to keep and at least one other to merge into it, e.g. "
            "kg identity merge wei-zhang wei-zhang--2101.00001 --reason '...'"
        )
    event_id = new_id()

    def work(tx: neo4j.ManagedTransaction) -> Event:
        keys = [into, *others]
        records = _records(tx, keys)
        found = edges(tx, keys)
        grouped = _by_record(found)
        _check_mergeable(keys, found, grouped)
        change = Change(names=names(tx, [into]))
        kept = list(grouped.get(into, []))
        for other in others:
            for e in grouped.get(other, []):
                change.remove_edges.append(e)
                _carry_over(into, e, reason, kept, change)
            change.remove_authors.append(dict(records[other]["props"]))
            change.add_redirects.append(other)
            redirect = {"label": "AuthorRedirect", "value": other}
            change.add_edges.append(
                {
                    "record": into,
                    "type": "MOVED_TO",
                    "out": False,
                    "other": redirect,
                    "props": {"event": event_id},
                }
            )
        works = sum(1 for e in change.add_edges if e["type"] == "AUTHORED")
        for e in grouped.get(into, []):  # the merged person is all of these works, kept so
            if e["type"] == "AUTHORED" and e["props"].get("assignedBy") != "curator":
                change.remove_edges.append(e)
                change.add_edges.append(_curated(into, e, reason))
        apply(tx, change, max_authors)
        summary = f"merged {', '.join(others)} into {into} ({works} works)"
        return events.record(tx, event_id, "merge", actor, reason, keys, summary, change)

    return write(driver, database, work)


def _check_mergeable(keys: list[str], found: list[Edge], grouped: dict[str, list[Edge]]) -> None:
    """Refuse merges that cannot be one person, or that overrule someone's decision."""
    seen: dict[str, str] = {}
    for key in keys:
        for paper in _authored(grouped.get(key, [])):
            if paper in seen:
                raise IdentityError(
                    f"{seen[paper]} and {key} are both authors of {paper}: one paper lists "
                    "them as two people, so they cannot be merged (if the source lists one "
                    f"person twice, move one authorship off first: kg identity move {paper} "
                    f"{key} OTHER_ID)"
                )
            seen[paper] = key
    for e in found:
        if e["type"] == "NOT_SAME_AS" and e["other"]["value"] in keys:
            undo = e["props"].get("event")
            fix = f"undo that first: kg identity undo {undo}" if undo else "remove that marker"
            raise IdentityError(
                f"{e['record']} and {e['other']['value']} were marked as different people "
                f"(NOT_SAME_AS); {fix}"
            )
    verified = _verified(found)
    if len(verified) > 1:
        (u1, k1), (u2, k2) = sorted(verified.items())[:2]
        raise IdentityError(
            f"{u1}'s claim on {k1} and {u2}'s claim on {k2} are both verified, so these are "
            f"two people's records; if one claim is wrong, reject it first "
            f"(kg claims reject {u2} {k2}), then merge"
        )


def _carry_over(into: str, e: Edge, reason: str, kept: list[Edge], change: Change) -> None:
    """What `into` gets of a relationship of a record being merged into it."""
    kind, other = e["type"], e["other"]
    if kind == "AUTHORED":
        moved = _curated(into, e, reason)
    elif kind in ("CLAIMS", "FOLLOWS", "MOVED_TO", "NOT_SAME_AS"):
        moved = {**e, "record": into}
        same = [k for k in kept if k["type"] == kind and k["other"] == other]
        if same:  # `into` has one already: keep the stronger claim, else the one it has
            mine = same[0]
            if kind != "CLAIMS" or _rank(e) <= _rank(mine):
                return
            kept.remove(mine)
            if mine in change.add_edges:
                change.add_edges.remove(mine)
            else:
                change.remove_edges.append(mine)
    else:
        return  # derived (COAUTHOR, AFFILIATED_WITH, TOPIC_RANK) or history (TOUCHED)
    kept.append(moved)
    change.add_edges.append(moved)


def _rank(claim: Edge) -> int:
    return CLAIM_RANK.get(claim["props"].get("status", ""), 0)


def split(
    driver: neo4j.Driver,
    key: str,
    papers: list[str],
    actor: str,
    reason: str,
    *,
    owner: str | None = None,
    max_authors: int = 100,
    database: str = "neo4j",
) -> Event:
    """Move the authorships of `key` on `papers` to a new record, marked NOT_SAME_AS `key`.
    The event's `created` is the new record's id. `owner`: refuse unless that user holds
    the verified claim on `key` (the API's splitWorks)."""
    papers = list(dict.fromkeys(papers))
    if not papers:
        raise IdentityError("name at least one work (an arXiv id) to split off")
    event_id = new_id()

    def work(tx: neo4j.ManagedTransaction) -> Event:
        record = _records(tx, [key])[key]
        found = edges(tx, [key])
        if owner is not None and _verified(found).get(owner) != key:
            raise IdentityError(f"only the holder of the verified claim on {key} may split it")
        authored = _authored(found)
        unknown = [p for p in papers if p not in authored]
        if unknown:
            listed = ", ".join(sorted(authored)[:10]) + (", ..." if len(authored) > 10 else "")
            raise IdentityError(f"{key} has no work {unknown[0]}; its works: {listed}")
        if len(papers) == len(authored):
            raise IdentityError(
                f"those are all the works of {key}: leave at least one on it; to give them all "
                f"to another record, merge instead (kg identity merge OTHER_ID {key})"
            )
        moving = [authored[p] for p in papers]
        first = min(moving, key=lambda e: (str(e["published"]), e["other"]["value"]))
        new = _free_key(tx, person_key(record["nameKey"], first["other"]["value"]))
        name = clean_name(first["props"].get("nameAsWritten") or record["props"].get("name", ""))
        change = Change(
            add_authors=[{"key": new, "name": name, "nameKey": record["nameKey"]}],
            remove_edges=moving,
            add_edges=[_curated(new, e, reason) for e in moving],
            names=names(tx, [key]),
        )
        marker = {"event": event_id, "actor": actor, "reason": reason}
        change.add_edges.append(
            {
                "record": key,
                "type": "NOT_SAME_AS",
                "out": True,
                "other": {"label": "Author", "value": new},
                "props": marker,
            }
        )
        apply(tx, change, max_authors)
        summary = f"split {len(papers)} works of {key} off to {new}"
        return events.record(tx, event_id, "split", actor, reason, [key, new], summary, change)

    return write(driver, database, work)


def _free_key(tx: neo4j.ManagedTransaction, base: str) -> str:
    """`base`, or `base-2`, `base-3`... if a record or redirect already has it."""
    n = 1
    while True:
        candidate = base if n == 1 else f"{base}-{n}"
        row = run(tx, "identity_resolve", keys=[candidate])[0]
        if not row["live"] and not row["movedTo"]:
            return candidate
        n += 1


def move(
    driver: neo4j.Driver,
    paper: str,
    from_key: str,
    to_key: str,
    actor: str,
    reason: str,
    *,
    max_authors: int = 100,
    database: str = "neo4j",
) -> Event:
    """Give the authorship of `from_key` on `paper` to the existing record `to_key`."""
    if from_key == to_key:
        raise IdentityError(f"{paper} would move from {from_key} to itself; name another record")
    event_id = new_id()

    def work(tx: neo4j.ManagedTransaction) -> Event:
        _records(tx, [from_key, to_key])
        grouped = _by_record(edges(tx, [from_key, to_key]))
        source = _authored(grouped.get(from_key, [])).get(paper)
        if source is None:
            raise IdentityError(
                f"{from_key} is not an author of {paper}; `kg identity history {from_key}` "
                "shows whether it was moved already"
            )
        if paper in _authored(grouped.get(to_key, [])):
            raise IdentityError(
                f"{to_key} is already an author of {paper}: a paper cannot list one person "
                "twice; merge the records if they are one person"
            )
        change = Change(
            remove_edges=[source],
            add_edges=[_curated(to_key, source, reason)],
            names=names(tx, [from_key, to_key]),
        )
        apply(tx, change, max_authors)
        summary = f"moved {paper} from {from_key} to {to_key}"
        return events.record(
            tx, event_id, "move", actor, reason, [from_key, to_key], summary, change
        )

    return write(driver, database, work)
