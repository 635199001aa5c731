"""`kg`: run the research knowledge graph from the command line."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from neo4j.exceptions import ServiceUnavailable, SessionExpired

from kg.config import NEO4J_VERSION, Settings
from kg.db import Neo4jUnavailable, connected
from kg.neo4j_local import Neo4jSetupError

if TYPE_CHECKING:
    from loaders.pipeline import LoadReport
    from loaders.snapshot import Filters

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


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env()
    overrides = {
        name: getattr(args, name)
        for name in (
            "bolt_port",
            "http_port",
            "host",
            "port",
            "arxiv_url",
            "arxiv_delay",
            "batch_size",
        )
        if getattr(args, name, None) is not None
    }
    if "bolt_port" in overrides:
        overrides["neo4j_uri"] = f"bolt://127.0.0.1:{overrides['bolt_port']}"
    return settings.with_(**overrides) if overrides else settings


def cmd_neo4j(args: argparse.Namespace) -> int:
    from kg import neo4j_local

    settings = _settings(args)
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
    from kg import schema

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
    settings = _settings(args)
    with connected(settings) as drv:
        done = schema.apply(drv, settings.neo4j_database)
    print("applied: " + ", ".join(done) if done else "schema is up to date")
    return 0


def _report_load(report: LoadReport, rejects_path: Path | None, strict: bool) -> int:
    print(report.summary())
    return _report_load_rejects(report, rejects_path, strict)


def _report_load_rejects(report: LoadReport, rejects_path: Path | None, strict: bool) -> int:
    if report.rejects:
        path = rejects_path or Path(f"kg-rejects-{time.strftime('%Y%m%d-%H%M%S')}.jsonl")
        report.write_rejects(path)
        print(f"rejected records written to {path}")
        if strict:
            return 1
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from loaders import arxiv_api

    settings = _settings(args)
    if args.source == "sample":
        with connected(settings) as drv:
            report = arxiv_api.load_sample(settings, drv, progress=not args.quiet)
        return _report_load(report, args.rejects, args.strict)
    if args.source == "snapshot":
        return _load_snapshot(settings, args)
    if args.path:
        print("kg load arxiv: PATH is only for `kg load snapshot PATH`", file=sys.stderr)
        return 2
    if args.page_size:
        settings = settings.with_(arxiv_page_size=args.page_size)
    try:
        search = arxiv_api.build_search(
            author=args.author,
            query=args.query,
            category=args.category,
            ids=args.id,
            max_results=args.max,
        )
    except ValueError as err:
        print(f"kg load arxiv: {err}", file=sys.stderr)
        return 2
    with connected(settings) as drv:
        report = arxiv_api.load(settings, drv, search, progress=not args.quiet)
    return _report_load(report, args.rejects, args.strict)


def _load_snapshot(settings: Settings, args: argparse.Namespace) -> int:
    from datetime import date

    from loaders import snapshot

    if args.path is None or not args.path.is_file():
        print(
            f"kg load snapshot: give the snapshot file (JSON lines or .gz), not {args.path}",
            file=sys.stderr,
        )
        return 2
    try:
        since = date.fromisoformat(args.since) if args.since else None
    except ValueError:
        print(f"kg load snapshot: --since takes YYYY-MM-DD, not {args.since!r}", file=sys.stderr)
        return 2
    filters = snapshot.Filters(since=since, category=args.category)
    if args.bulk:
        return _bulk_snapshot(settings, args, filters)
    with connected(settings) as drv:
        report = snapshot.load(
            settings,
            drv,
            args.path,
            filters,
            limit=args.limit,
            restart=args.restart,
            progress=not args.quiet,
        )
    return _report_load(report, args.rejects, args.strict)


def _bulk_snapshot(settings: Settings, args: argparse.Namespace, filters: Filters) -> int:
    from itertools import islice

    from tqdm import tqdm

    from loaders import bulk_import, snapshot
    from loaders.pipeline import LoadReport

    report = LoadReport()
    size = args.path.stat().st_size
    with tqdm(
        total=size,
        unit="B",
        unit_scale=True,
        desc=args.path.name,
        disable=args.quiet,
        dynamic_ncols=True,
    ) as bar:
        lines = snapshot.read(
            args.path,
            report.rejects,
            filters,
            on_progress=lambda position: bar.update(position - bar.n),
        )
        records = (record for _, record in islice(lines, args.limit))
        work = args.work_dir or args.path.parent / f".kg-import-{args.path.name}"
        stats = bulk_import.bulk_load(settings, records, work, log=tqdm.write, force=args.force)
    c = stats.csv
    print(
        f"{c.papers:,} papers, {c.authors:,} authors, {c.topics:,} topics, "
        f"{c.institutions:,} institutions; {c.authored:,} AUTHORED, {c.has_topic:,} HAS_TOPIC, "
        f"{c.coauthor:,} COAUTHOR, {c.affiliated_with:,} AFFILIATED_WITH; "
        f"{len(report.rejects)} rejected"
    )
    print(
        f"{stats.total_seconds:.1f}s: CSV {stats.csv_seconds:.1f}s, import "
        f"{stats.import_seconds:.1f}s, start {stats.start_seconds:.1f}s, schema + indexes "
        f"{stats.schema_seconds:.1f}s ({c.papers / max(stats.total_seconds, 1e-9):,.0f} papers/s)"
    )
    for r in report.rejects.first(20):
        print(f"  rejected {r.where}: {r.reason}")
    return _report_load_rejects(report, args.rejects, args.strict)


def cmd_refresh(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from loaders import refresh

    settings = _settings(args)
    moments = {}
    for name in ("since", "until"):
        raw = getattr(args, name)
        try:
            moment = datetime.fromisoformat(raw) if raw else None
        except ValueError:
            print(
                f"kg refresh: --{name} takes a date or time like 2026-11-01, not {raw!r}",
                file=sys.stderr,
            )
            return 2
        moments[name] = moment.replace(tzinfo=moment.tzinfo or UTC) if moment else None
    with connected(settings) as drv:
        result = refresh.refresh(
            settings,
            drv,
            args.category or [],
            moments["since"],
            moments["until"],
            progress=not args.quiet,
        )
    print(
        f"window {result.window_from:%Y-%m-%d %H:%M} to {result.window_to:%Y-%m-%d %H:%M} UTC "
        f"({result.source}); checkpoint advanced"
    )
    return _report_load(result.report, args.rejects, args.strict)


def cmd_bench(args: argparse.Namespace) -> int:
    if args.action == "gen":
        from loaders import synthetic

        return synthetic.run(args)
    if args.action == "api":
        from kg import bench_api

        return bench_api.run(args, _settings(args))
    from kg import bench

    return bench.run(args, _settings(args))


def cmd_claims(args: argparse.Namespace) -> int:
    from kg import claims

    settings = _settings(args)
    with connected(settings) as drv:
        claims.use(drv, settings.neo4j_database)
        if args.action == "list":
            found = claims.list_claims(args.status)
            for c in found:
                made = f"{c.created:%Y-%m-%d}" if c.created else "?"
                print(f"{c.status:<9} {c.user:<20} {c.researcher:<30} {c.name or ''} ({made})")
            print(f"{len(found)} claim(s)" + (f" {args.status}" if args.status else ""))
            return 0
        if not args.user or not args.researcher:
            raise SystemExit(f"usage: kg claims {args.action} USER RESEARCHER_ID")
        status = "VERIFIED" if args.action == "verify" else "REJECTED"
        try:
            claim = claims.decide(args.user, args.researcher, status)
        except claims.ClaimError as err:
            raise SystemExit(f"kg claims {args.action}: {err}") from None
    print(f"{claim.user}'s claim on {claim.researcher} is now {claim.status}")
    return 0


def cmd_analytics(args: argparse.Namespace) -> int:
    from kg import analytics

    if args.resolution <= 0:
        raise SystemExit("kg analytics: --resolution must be above 0 (1 is the usual)")
    settings = _settings(args)
    with connected(settings) as drv:
        try:
            report = analytics.run(
                drv,
                settings.neo4j_database,
                topic=args.topic,
                seed=args.seed,
                resolution=args.resolution,
                progress=not args.quiet,
            )
        except analytics.AnalyticsError as err:
            raise SystemExit(f"kg analytics: {err}") from None
    print(report.summary())
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from kg import export

    settings = _settings(args)
    with connected(settings) as drv:
        try:
            where, graph = export.export_ego(
                drv,
                settings.neo4j_database,
                args.name,
                args.format,
                args.depth,
                args.limit,
                args.out,
            )
        except export.ExportError as err:
            raise SystemExit(f"kg export ego: {err}") from None
    cut = " (some lists were cut at --limit)" if graph.graph["truncated"] else ""
    print(
        f"wrote {'stdout' if where == '-' else where}: {graph.number_of_nodes()} nodes, "
        f"{graph.number_of_edges()} edges{cut}",
        file=sys.stderr if where == "-" else sys.stdout,
    )
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    from kg import query_library as ql

    try:
        if args.list or not args.name:
            for q in ql.load_all():
                print(f"{q.name:<30} {q.summary}" + ("  [writes]" if q.writes else ""))
            return 0
        query = ql.get(args.name)
        if args.show:
            print(query.text)
            return 0
        params, defaulted = ql.parameters(query, args.param)
        if query.writes and not args.write:
            raise ql.QueryError(f"{query.name} writes to the graph; add --write to run it")
    except ql.QueryError as err:
        raise SystemExit(f"kg query: {err}") from None
    for name in defaulted:
        print(f"({name} = {json.dumps(params[name])}, the example)", file=sys.stderr)
    settings = _settings(args)
    with connected(settings) as drv:
        keys, rows = ql.run(drv, query, params, settings.neo4j_database)
    if args.json:
        for row in rows:
            print(json.dumps(dict(zip(keys, row, strict=True)), default=str, ensure_ascii=False))
        return 0
    shown = rows if args.limit <= 0 else rows[: args.limit]
    print(ql.table(keys, shown))
    more = len(rows) - len(shown)
    print(f"{len(rows)} row(s)" + (f"; {more} not shown (--limit 0 shows all)" if more else ""))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from kg.web import create_app

    settings = _settings(args)
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
    from kg import ide_assets

    folder = settings.ide_assets
    if folder is None or ide_assets.present(folder):
        return
    try:
        ide_assets.fetch(folder)
        print(f"GraphiQL: files fetched from npm into {folder}")
    except ide_assets.AssetError as err:
        print(f"GraphiQL will load its files from unpkg.com instead: {err}")


def cmd_up(args: argparse.Namespace) -> int:
    from kg import neo4j_local, schema
    from loaders import arxiv_api

    settings = _settings(args)
    neo4j_local.start(settings)
    with connected(settings) as drv:
        done = schema.apply(drv, settings.neo4j_database)
        print("schema: " + (", ".join(done) if done else "up to date"))
        report = arxiv_api.load_sample(settings, drv, progress=False)
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

    def arxiv_api_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--arxiv-url", help="API endpoint (KG_ARXIV_URL), e.g. a local mirror")
        p.add_argument(
            "--arxiv-delay",
            type=float,
            help="seconds between requests (KG_ARXIV_DELAY, default 3 as arXiv asks)",
        )

    def reporting(p: argparse.ArgumentParser) -> None:
        p.add_argument("--rejects", type=Path, help="where to write rejected records (JSON lines)")
        p.add_argument("--strict", action="store_true", help="exit 1 if any record was rejected")
        p.add_argument("--quiet", action="store_true", help="no progress bar")

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

    p = add(
        "load",
        cmd_load,
        "Load arXiv metadata into the graph (safe to rerun).",
        "examples:\n"
        '  kg load arxiv --author "Qizhen Zhang"\n'
        "  kg load arxiv --category cs.DB --max 500\n"
        '  kg load arxiv --query "ti:graph AND abs:database" --max 100\n'
        "  kg load arxiv --id 2401.00001 --id 2401.00002\n"
        "  kg load snapshot arxiv-metadata-oai-snapshot.json.gz --category cs\n"
        "  kg neo4j stop && kg load snapshot arxiv-metadata-oai-snapshot.json.gz --bulk\n"
        "  kg load sample                 the bundled sample, served locally\n\n"
        "An interrupted snapshot load resumes after its last committed batch when rerun.\n"
        "Rejected records are listed and written to a JSON-lines file; the load goes on.",
    )
    p.add_argument("source", choices=["arxiv", "snapshot", "sample"])
    p.add_argument("path", nargs="?", type=Path, help="snapshot file, for `kg load snapshot`")
    p.add_argument("--author", help='author full name, e.g. "Qizhen Zhang"')
    p.add_argument("--query", help="raw arXiv API search_query, e.g. 'ti:transformer'")
    p.add_argument("--category", help="arXiv category, e.g. cs.LG (snapshot: or archive, cs)")
    p.add_argument("--limit", type=int, help="snapshot: stop after this many papers")
    p.add_argument("--since", help="snapshot: only papers updated on/after YYYY-MM-DD")
    p.add_argument(
        "--bulk",
        action="store_true",
        help="snapshot: first load into an empty, stopped local Neo4j through neo4j-admin "
        "import (fast); use the default path for later refreshes",
    )
    p.add_argument(
        "--force", action="store_true", help="with --bulk: replace a database that holds data"
    )
    p.add_argument(
        "--work-dir", type=Path, help="with --bulk: where CSV files go (default: by the file)"
    )
    p.add_argument(
        "--restart",
        action="store_true",
        help="snapshot: ignore the checkpoint of an interrupted run, start at line 1",
    )
    p.add_argument("--id", action="append", help="arXiv id (repeatable)")
    p.add_argument("--max", type=int, help="stop after this many results (default: all)")
    p.add_argument("--page-size", type=int, help="results per API request (max 2000)")
    arxiv_api_options(p)
    p.add_argument("--batch-size", type=int, help="papers per write transaction (default 2000)")
    reporting(p)

    p = add(
        "refresh",
        cmd_refresh,
        "Load what changed on arXiv since the last successful refresh.",
        "Asks the arXiv API for papers whose lastUpdatedDate falls after the checkpoint\n"
        "(kept in the graph per category set, with a day of overlap), loads them, then\n"
        "moves the checkpoint. An interrupted run moves nothing: just run it again.\n"
        "New versions update their papers; withdrawn papers get `withdrawn: true`.\n"
        "The first run of a scope covers the last 7 days unless --since says otherwise.\n\n"
        "examples:\n"
        "  kg refresh --category cs.DB --category cs.LG\n"
        "  kg refresh --since 2026-11-01",
    )
    p.add_argument("--category", action="append", help="arXiv category (repeatable)")
    p.add_argument("--since", help="start of the window (date or ISO time, UTC)")
    p.add_argument("--until", help="end of the window (default: now)")
    arxiv_api_options(p)
    reporting(p)

    p = add(
        "bench",
        cmd_bench,
        "Benchmarks: make a synthetic snapshot, time the load paths and the API.",
        "examples:\n"
        "  kg bench gen --papers 100000 --out synthetic-100k.jsonl.gz\n"
        "  kg bench load synthetic-100k.jsonl.gz            both paths, one after the other\n"
        "  kg bench load synthetic-100k.jsonl.gz --path transactional\n"
        "  kg bench api --papers 100000                     profile pages/s, GraphQL vs Cypher\n\n"
        "`bench load` uses its own Neo4j (KG_BENCH_NEO4J_HOME, default <KG_NEO4J_HOME>-bench,\n"
        "ports 7688/7475, 4g heap + 4g page cache) and empties it first.",
    )
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    from kg import bench, bench_api
    from loaders import synthetic

    synthetic.add_arguments(
        actions.add_parser("gen", help="write a synthetic corpus in the snapshot format")
    )
    bench.add_arguments(
        actions.add_parser("load", help="load a snapshot by both paths; print papers/s, RSS")
    )
    api_help = "profile pages/s and latency through the service, against raw Cypher"
    bench_api.add_arguments(
        actions.add_parser(
            "api",
            help=api_help,
            description=api_help,
            epilog=bench_api.EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
    )

    p = add(
        "claims",
        cmd_claims,
        "Review the claims users made on researcher records (claimResearcher).",
        "examples:\n"
        "  kg claims list                        every claim, pending first\n"
        "  kg claims list --status PENDING\n"
        "  kg claims verify alice alice-martin   alice's claim is verified: the record shows it\n"
        "  kg claims reject bob alice-martin\n\n"
        "Only one user's claim on a record can be verified at a time.",
    )
    p.add_argument("action", choices=["list", "verify", "reject"])
    p.add_argument("user", nargs="?", help="verify/reject: the user id of the claim")
    p.add_argument("researcher", nargs="?", help="verify/reject: the researcher id")
    p.add_argument("--status", choices=["PENDING", "VERIFIED", "REJECTED"], help="list: only these")

    p = add(
        "query",
        cmd_query,
        "Run a named query from queries/ (the ones the service uses, and more for analysts).",
        "examples:\n"
        "  kg query --list                              every query, with what it answers\n"
        "  kg query topic_leaders                       run it with its example parameters\n"
        "  kg query topic_leaders --param topic=cs.LG --param first=5\n"
        "  kg query shortest_collaboration_path --param from=qizhen-zhang --param to=zihang-liu\n"
        "  kg query researcher_profile --show           the Cypher, with its header\n\n"
        'Values are Cypher literals as in Neo4j Browser\'s :param (5, null, ["a"], {k: 1});\n'
        "anything else is taken as a string. Parameters not given take the example values\n"
        "from the query's header, which also shows how to run it in Neo4j Browser.",
    )
    p.add_argument("name", nargs="?", help="query name (file name in queries/ without .cypher)")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    p.add_argument("--list", action="store_true", help="list the queries")
    p.add_argument("--show", action="store_true", help="print the query instead of running it")
    p.add_argument("--json", action="store_true", help="one JSON object per row")
    p.add_argument("--limit", type=int, default=50, help="rows shown (default 50; 0: all)")
    p.add_argument("--write", action="store_true", help="allow a query that writes")

    p = add(
        "analytics",
        cmd_analytics,
        "PageRank and co-author communities (networkx), written back to the graph.",
        "whole graph   Author.pagerank (float, sums to 1), Author.community (int, 0 = the\n"
        "              largest), Author.analyticsAt; GraphQL: researcher { pagerank community }\n"
        "--topic CODE  (:Author)-[:TOPIC_RANK {pagerank, community, at}]->(:Topic), for the\n"
        "              authors who published in CODE and the COAUTHOR edges among them\n"
        "Authors without a COAUTHOR edge (in the topic) get no values; values an earlier run\n"
        "left that no longer apply are removed. Rerunning on the same graph gives the same.\n\n"
        "size: networkx holds the graph in memory, about 650 MB per million COAUTHOR edges at\n"
        "the peak (260 MB the graph, the rest PageRank's and Louvain's working copies); time\n"
        "grows about linearly and Louvain takes most of it. Measured on 2 busy cores:\n"
        "100k arXiv-like papers = 70k authors with 0.97M edges: 37-45 s, 0.7 GB peak RSS;\n"
        "--topic cs.LG in it (27k authors, 0.57M edges): 19 s, 0.45 GB. So 1M papers\n"
        "(~10M edges) needs ~6.5 GB and ~7 minutes.\n\n"
        "examples:\n"
        "  kg analytics                            the whole collaboration graph\n"
        "  kg analytics --topic cs.LG              one topic's authors; rerun per topic\n"
        "  kg analytics --resolution 2 --seed 7    more, smaller communities; another seed\n"
        "  kg query researcher_profile --param keys='[\"qizhen-zhang\"]'   shows both values",
    )
    p.add_argument(
        "--topic", metavar="CODE", help="only the authors of this arXiv category, e.g. cs.LG"
    )
    p.add_argument(
        "--seed",
        type=int,
        default=42,
        help="Louvain's random seed (default 42): same graph and seed, same communities",
    )
    p.add_argument(
        "--resolution",
        type=float,
        default=1.0,
        help="Louvain resolution (default 1): above 1 finds more, smaller communities",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bars")

    p = add(
        "export",
        cmd_export,
        "Write a researcher's neighbourhood as GraphML, GEXF or JSON (Gephi, Cytoscape, ...).",
        "The graph is GraphQL's researcher { context }: their newest works, topics,\n"
        "institutions and strongest collaborators (--depth 2: and theirs), each list cut at\n"
        "--limit. Nodes have kind, key, label, depth (ids like researcher:ann-lee);\n"
        "edges have kind, and weight (shared works) on COAUTHOR, lastYear on AFFILIATED_WITH.\n\n"
        "examples:\n"
        "  kg export ego qizhen-zhang                        qizhen-zhang-ego.graphml\n"
        '  kg export ego "Zhang, Qizhen" --format gexf --depth 2 --limit 50\n'
        "  kg export ego qizhen-zhang --format json --out - | jq '.nodes | length'\n\n"
        "Ids: `kg query search_researchers --param query=zhang*`.",
    )
    p.add_argument("what", choices=["ego"], help="ego: one researcher's neighbourhood")
    p.add_argument("name", help="researcher id (qizhen-zhang) or full name in any spelling")
    p.add_argument("--format", choices=["graphml", "gexf", "json"], default="graphml")
    p.add_argument(
        "--depth", type=int, choices=[1, 2], default=1, help="2 adds co-authors' co-authors"
    )
    p.add_argument("--limit", type=int, default=25, help="cap per list (default 25, at most 1000)")
    p.add_argument("--out", help="file (default <id>-ego.<format> here; - for stdout)")

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
