"""`kg`: run the research knowledge graph from the command line."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any

from neo4j.exceptions import ServiceUnavailable, SessionExpired

from kg.cli import graph as cli_graph
from kg.cli import load as cli_load
from kg.cli.common import settings_from
from kg.core.config import NEO4J_VERSION, Settings
from kg.core.db import Neo4jUnavailable, connected
from kg.core.neo4j_local import Neo4jSetupError

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


def cmd_neo4j(args: argparse.Namespace) -> int:
    from kg.core import neo4j_local

    settings = settings_from(args)
    if args.action == "install":
        neo4j_local.install(settings)
        print(f"Neo4j {NEO4J_VERSION} installed in {settings.neo4j_home}")
        print(f"password for user neo4j: {settings.password_file}")
    elif args.action == "start":
        neo4j_local.start(settings)
        print(
            f"Browser: {settings.browser_url}  (user neo4j, password in {settings.password_file})"
        )
    elif args.action == "stop":
        neo4j_local.stop(settings)
    else:
        state = neo4j_local.status(settings)
        print(state.detail)
        return 0 if state.running and state.bolt_answering else 3
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from kg.core import migrations

    if args.action == "graphql":
        from kg.api import sdl

        if not args.check:
            print(f"wrote {sdl.write()}")
            return 0
        if sdl.stale():
            print(f"{sdl.path()} is out of date with the code: run `kg schema graphql`")
            return 1
        print(f"{sdl.path()} matches the code")
        return 0
    settings = settings_from(args)
    with connected(settings) as drv:
        done = migrations.apply(drv, settings.neo4j_database)
    print("applied: " + ", ".join(done) if done else "schema is up to date")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from kg.web import create_app

    settings = settings_from(args)
    print(f"Researchers:   http://{settings.host}:{settings.port}/")
    print(f"GraphiQL:      http://{settings.host}:{settings.port}/graphql")
    print(f"Neo4j Browser: {settings.browser_url}")
    options: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_level": "info",
        "access_log": not getattr(args, "no_access_log", False),  # `kg up` logs requests
    }
    workers = getattr(args, "workers", 1)
    if workers > 1:  # each worker process builds the app from the same KG_* settings
        os.environ.update({"KG_HOST": settings.host, "KG_PORT": str(settings.port)})
        uvicorn.run("kg.web:app_from_env", factory=True, workers=workers, **options)
    else:
        uvicorn.run(create_app(settings), **options)
    return 0


def _fetch_ide(settings: Settings) -> None:
    """GraphiQL's files from npm, once, so the IDE works without internet in the browser."""
    from kg.web import ide_assets

    folder = settings.ide_assets
    if folder is None or ide_assets.present(folder):
        return
    try:
        ide_assets.fetch(folder)
        print(f"GraphiQL: files fetched from npm into {folder}")
    except ide_assets.AssetError as err:
        print(f"GraphiQL will load its files from unpkg.com instead: {err}")


def cmd_up(args: argparse.Namespace) -> int:
    from kg.core import migrations, neo4j_local
    from loaders import sample

    settings = settings_from(args)
    neo4j_local.start(settings)
    with connected(settings) as drv:
        done = migrations.apply(drv, settings.neo4j_database)
        print("schema: " + (", ".join(done) if done else "up to date"))
        report = sample.load(settings, drv, progress=False)
        print("sample: " + report.summary().splitlines()[0])
    print(f"Neo4j login: user neo4j, password in {settings.password_file}")
    _fetch_ide(settings)
    print(
        'Try: { researcher(name: "Qizhen Zhang") { name worksCount closeCollaboratorCount '
        "works(first: 3) { nodes { title published } } } }"
    )
    if args.no_serve:
        return 0
    return cmd_serve(args)


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

    def neo4j_ports(p: argparse.ArgumentParser) -> None:
        p.add_argument("--bolt-port", type=int, help="Bolt port (KG_BOLT_PORT, default 7687)")
        p.add_argument("--http-port", type=int, help="HTTP/Browser port (KG_HTTP_PORT, 7474)")

    p = add(
        "neo4j",
        cmd_neo4j,
        "Manage the local Neo4j server (no Docker needed).",
        "install  resolve Neo4j from Maven Central once (cached in ~/.cache/kg), write the\n"
        "         config (bound to 127.0.0.1) and set a generated password\n"
        "start    install if needed, start in the background, wait until Bolt answers\n"
        "stop     shut down cleanly\n"
        "status   exit code 0 if running, 3 if not\n\n"
        "The instance lives in KG_NEO4J_HOME (default ~/.local/share/kg/neo4j).",
    )
    p.add_argument("action", choices=["install", "start", "stop", "status"])
    neo4j_ports(p)

    p = add(
        "schema",
        cmd_schema,
        "Apply the versioned schema/ migrations (idempotent), or export the GraphQL SDL.",
        "examples:\n"
        "  kg schema apply              constraints and indexes, each migration once\n"
        "  kg schema graphql            rewrite schema/schema.graphql from the code\n"
        "  kg schema graphql --check    exit 1 if schema/schema.graphql is stale",
    )
    p.add_argument("action", choices=["apply", "graphql"])
    p.add_argument("--check", action="store_true", help="graphql: only compare, do not write")

    cli_load.register(add)
    cli_graph.register(add)

    p = add("serve", cmd_serve, "Serve GraphQL (and GraphiQL) over HTTP.")
    p.add_argument("--host", help="bind address (KG_HOST, default 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (KG_PORT, default 8000)")
    p.add_argument(
        "--no-access-log", action="store_true", help="no line per request (benchmarks, proxies)"
    )
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="server processes (default 1); more use more cores, each with its own driver",
    )

    p = add("up", cmd_up, "Start Neo4j, apply the schema, load the sample and serve GraphQL.")
    neo4j_ports(p)
    p.add_argument("--host", help="bind address (KG_HOST, default 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (KG_PORT, default 8000)")
    p.add_argument("--no-serve", action="store_true", help="set up and load, then exit")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except BrokenPipeError:  # `kg query ... | head` closed the pipe: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # as Python's docs do
        return 0
    except (Neo4jUnavailable, Neo4jSetupError, ConnectionError) as err:
        print(f"kg: {err}", file=sys.stderr)
        return 1
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


if __name__ == "__main__":
    sys.exit(main())
