"""`kg`: the parser of every command, and the one place a `KgError` becomes an exit code."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from neo4j.exceptions import ServiceUnavailable, SessionExpired

from kg.cli import bench, graph, identity, load, service
from kg.core.errors import KgError

EPILOG = """\
first run:
  kg up                         local Neo4j + schema + sample data + GraphQL server

step by step:
  kg neo4j start                install (once) and start a local Neo4j on 127.0.0.1
  kg schema apply               create constraints and indexes (safe to repeat)
  kg load arxiv --author "Qizhen Zhang" --max 200
  kg serve                      GraphQL + GraphiQL on http://127.0.0.1:8000/graphql

settings come from KG_* environment variables (see README), flags override them.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg",
        description="Research knowledge graph: arXiv authors, papers and topics in Neo4j, "
        "researcher profiles over GraphQL.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(
        name: str, func: Callable[[argparse.Namespace], int], help: str, epilog: str | None = None
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(
            name,
            help=help,
            description=help,
            epilog=epilog,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.set_defaults(func=func)
        return p

    service.register(add)
    load.register(add)
    graph.register(add)
    identity.register(add)
    bench.register(add)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; every error kg can explain leaves as `kg: <message>` on stderr."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KgError as err:
        print(f"kg: {err}", file=sys.stderr)
        return err.exit_code
    except BrokenPipeError:  # `kg query ... | head` closed the pipe: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # as Python's docs do
        return 0
    except (ServiceUnavailable, SessionExpired) as err:
        print(
            f"kg: lost the connection to Neo4j ({err.__class__.__name__}). Check it with "
            "`kg neo4j status`; rerunning is safe, loads are idempotent.",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("kg: interrupted; rerunning is safe, loads are idempotent", file=sys.stderr)
        return 130
