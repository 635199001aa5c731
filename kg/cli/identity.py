"""`kg identity`: curators correct who is who: merge, split, move, undo, history."""

from __future__ import annotations

import argparse
import getpass

from kg.cli.common import Add, settings_from
from kg.core.db import connected
from kg.core.errors import UsageError
from kg.curation import identity

USAGE = {
    "merge": "kg identity merge INTO OTHER [OTHER ...] --reason TEXT",
    "split": "kg identity split RECORD PAPER [PAPER ...] --reason TEXT",
    "move": "kg identity move PAPER FROM TO --reason TEXT",
    "undo": "kg identity undo EVENT_ID",
    "history": "kg identity history RECORD",
}
ARITY = {"merge": 2, "split": 2, "move": 3, "undo": 1, "history": 1}
"""Fewest arguments each action takes."""


def cmd_identity(args: argparse.Namespace) -> int:
    action, names = args.action, args.names
    exact = action in ("move", "undo", "history")
    if len(names) < ARITY[action] or (exact and len(names) > ARITY[action]):
        raise UsageError(f"usage: {USAGE[action]}")
    if action in ("merge", "split", "move") and not args.reason:
        raise UsageError(f"say why with --reason: {USAGE[action]}")
    settings = settings_from(args)
    cap, database = settings.coauthor_max_authors, settings.neo4j_database
    with connected(settings) as drv:
        if action == "history":
            events = identity.history(drv, names[0], database)
            for e in events:
                state = f" (undone by {e.undone_by})" if e.undone_by else ""
                print(f"{e.at[:19]}  {e.id}  {e.kind:<5}  {e.actor}: {e.summary}{state}")
                print(f"    why: {e.reason}")
            print(f"{len(events)} event(s)")
            return 0
        if action == "merge":
            event = identity.merge(
                drv,
                names[0],
                names[1:],
                args.actor,
                args.reason,
                max_authors=cap,
                database=database,
            )
        elif action == "split":
            event = identity.split(
                drv,
                names[0],
                names[1:],
                args.actor,
                args.reason,
                max_authors=cap,
                database=database,
            )
        elif action == "move":
            paper, source, target = names
            event = identity.move(
                drv,
                paper,
                source,
                target,
                args.actor,
                args.reason,
                max_authors=cap,
                database=database,
            )
        else:
            event = identity.undo(
                drv, names[0], args.actor, args.reason, max_authors=cap, database=database
            )
    print(event.summary)
    if event.created:
        print(f"new record: {event.created}")
    if event.kind != "undo":
        print(f"event {event.id}; to reverse it: kg identity undo {event.id}")
    return 0


def register(add: Add) -> None:
    """The curators' command, with its help."""
    p = add(
        "identity",
        cmd_identity,
        "Correct who is who: merge researcher records, split works off one, move one "
        "authorship, undo any of those, list a record's history.",
        "examples:\n"
        "  kg identity merge zihang-liu z-liu --reason 'Z. Liu on 2401.00006 is Zihang Liu'\n"
        "      z-liu's works, claims and follows go to zihang-liu; z-liu redirects there\n"
        "  kg identity split wei-zhang 2301.00002 2302.00107 --reason 'the chemist'\n"
        "      those works go to a new record (printed), marked as not the same person\n"
        "  kg identity move 2401.00006 z-liu zihang-liu --reason 'same person'\n"
        "  kg identity history z-liu        events newest first (old ids work too)\n"
        "  kg identity undo 20240101T120000-1a2b3c   reverse one event exactly\n\n"
        "Every change is one transaction and an event (who, when, why, what moved). Undo\n"
        "puts back counts, edges, properties, redirects and markers; it refuses while a later\n"
        "event on the same records stands, and names the one to undo first. Moved works are\n"
        "marked assignedBy: curator and split records NOT_SAME_AS: the loaders never undo a\n"
        "human decision.",
    )
    p.add_argument("action", choices=list(USAGE))
    p.add_argument("names", nargs="*", metavar="ID", help="records, papers or an event id")
    p.add_argument("--reason", help="why (required for merge, split and move)")
    p.add_argument(
        "--as",
        dest="actor",
        default=getpass.getuser(),
        metavar="NAME",
        help="who is making the change (default: your login name)",
    )
