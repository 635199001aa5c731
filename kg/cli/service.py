"""`kg neo4j`, `kg schema`, `kg serve` and `kg up`: the database and the service."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg.cli.common import Add, settings_from
from kg.core import dumps, migrations, neo4j_local
from kg.core.config import NEO4J_VERSION, Settings
from kg.core.db import connected
from kg.core.errors import UsageError
from kg.web import ide_assets
from loaders import sample


def cmd_neo4j(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if args.dump is not None and args.action != "restore":
        raise UsageError("only `kg neo4j restore` takes a file (backup: choose a folder with --to)")
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
    elif args.action in ("backup", "restore"):
        return _offline(settings, args)
    else:
        state = neo4j_local.status(settings)
        print(state.detail)
        return 0 if state.running and state.bolt_answering else 3
    return 0


def _offline(settings: Settings, args: argparse.Namespace) -> int:
    """`backup` and `restore`: neo4j-admin needs the database unmounted, so a running
    instance is stopped for the while and started again after, even if the step failed."""
    if args.action == "restore" and (args.dump is None or not args.dump.is_file()):
        raise UsageError(
            f"give the dump file to restore (kg neo4j restore PATH.dump), not {args.dump}"
        )
    work: Callable[[Settings, argparse.Namespace], None]
    work = _backup if args.action == "backup" else _restore
    was_running = neo4j_local.status(settings).running
    if was_running:
        print(f"stopping Neo4j for the {args.action}: neo4j-admin needs the database unmounted")
        neo4j_local.stop(settings)
    try:
        work(settings, args)
    finally:
        if was_running:
            neo4j_local.start(settings)
    return 0


def _backup(settings: Settings, args: argparse.Namespace) -> None:
    path = dumps.dump(settings, args.to, log=print)
    print(f"database {settings.neo4j_database!r} dumped to {path}")
    print(f"bring it back with: kg neo4j restore {path}")


def _restore(settings: Settings, args: argparse.Namespace) -> None:
    if not args.no_backup and dumps.has_database(settings):
        kept = dumps.dump(settings, args.to, log=print)
        print(f"the database being replaced is kept in {kept}")
    dumps.restore(settings, args.dump, log=print)
    print(f"database {settings.neo4j_database!r} restored from {args.dump}")


def cmd_schema(args: argparse.Namespace) -> int:
    if args.action == "graphql":
        from kg.api import sdl  # lazy: strawberry takes ~0.3 s to import; other commands skip it

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
    # lazy: strawberry, starlette and uvicorn take ~0.5 s to import; other commands skip them
    import uvicorn

    from kg.web.app import create_app

    settings = settings_from(args)
    app = create_app(settings)  # reads the API keys now: a bad key file fails before binding
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
        uvicorn.run("kg.web.app:app_from_env", factory=True, workers=workers, **options)
    else:
        uvicorn.run(app, **options)
    return 0


def _fetch_ide(settings: Settings) -> None:
    """GraphiQL's files from npm, once, so the IDE works without internet in the browser."""
    folder = settings.ide_assets
    if folder is None or ide_assets.present(folder):
        return
    try:
        ide_assets.fetch(folder)
        print(f"GraphiQL: files fetched from npm into {folder}")
    except ide_assets.AssetError as err:
        print(f"GraphiQL will load its files from unpkg.com instead: {err}")


def cmd_up(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    neo4j_local.start(settings)
    with connected(settings) as drv:
        done = migrations.apply(drv, settings.neo4j_database)
        print("schema: " + (", ".join(done) if done else "up to date"))
        report = sample.load(settings, drv, progress=False)
        print("sample: " + report.summary().splitlines()[0])
        cited = sample.load_openalex(settings, drv)
        print("sample, OpenAlex: " + cited.summary().splitlines()[0])
    print(f"Neo4j login: user neo4j, password in {settings.password_file}")
    _fetch_ide(settings)
    print(
        'Try: { researcher(name: "Qizhen Zhang") { name worksCount closeCollaboratorCount '
        "works(first: 3) { nodes { title published } } } }"
    )
    if args.no_serve:
        return 0
    return cmd_serve(args)


def neo4j_ports(p: argparse.ArgumentParser) -> None:
    p.add_argument("--bolt-port", type=int, help="Bolt port (KG_BOLT_PORT, default 7687)")
    p.add_argument("--http-port", type=int, help="HTTP/Browser port (KG_HTTP_PORT, 7474)")


def register(add: Add) -> None:
    """The database and service commands, with their help."""
    p = add(
        "neo4j",
        cmd_neo4j,
        "Manage the local Neo4j server (no Docker needed).",
        "install  resolve Neo4j from Maven Central once (cached in ~/.cache/kg), write the\n"
        "         config (bound to 127.0.0.1) and set a generated password\n"
        "start    install if needed, start in the background, wait until Bolt answers\n"
        "stop     shut down cleanly\n"
        "status   exit code 0 if running, 3 if not\n"
        "backup   dump the database to KG_NEO4J_HOME/backups/<db>-<time>.dump (or --to DIR)\n"
        "restore DUMP  replace the database with a dump, keeping a dump of it first\n\n"
        "backup and restore are offline (neo4j-admin database dump / load): Neo4j\n"
        "Community cannot dump a database its running server has mounted, so they stop\n"
        "a running instance and start it again after (a short outage of the graph and\n"
        "the API). kg never deletes a dump; remove old ones yourself. With Neo4j\n"
        "Enterprise or a cluster, back up online with `neo4j-admin database backup`\n"
        "(Enterprise only) and restore with `neo4j-admin database restore` instead.\n\n"
        "The instance lives in KG_NEO4J_HOME (default ~/.local/share/kg/neo4j).",
    )
    p.add_argument("action", choices=["install", "start", "stop", "status", "backup", "restore"])
    p.add_argument("dump", nargs="?", type=Path, help="restore: the .dump file to load")
    p.add_argument(
        "--to", type=Path, help="backup, restore: where dumps go (default KG_NEO4J_HOME/backups)"
    )
    p.add_argument(
        "--no-backup",
        action="store_true",
        help="restore: do not dump the database being replaced first",
    )
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
