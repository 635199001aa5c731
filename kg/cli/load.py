"""`kg load`, `kg refresh` and `kg bench`: getting arXiv metadata into the graph, and timing it.

Kept apart from `kg.cli` so each file stays readable; `kg.cli` registers them with
`register(add)`.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kg.cli.common import settings_from
from kg.core.config import Settings
from kg.core.db import connected

if TYPE_CHECKING:
    from loaders.pipeline import LoadReport
    from loaders.snapshot import Filters

Add = Callable[..., argparse.ArgumentParser]
"""`kg.cli`'s helper: add(name, func, help, epilog) -> the command's parser."""


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
    from loaders import arxiv_api, sample

    settings = settings_from(args)
    if args.source == "sample":
        with connected(settings) as drv:
            report = sample.load(settings, drv, progress=not args.quiet)
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

    settings = settings_from(args)
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
        from kg.bench import synthetic

        return synthetic.run(args)
    if args.action == "api":
        from kg.bench import api as bench_api

        return bench_api.run(args, settings_from(args))
    from kg.bench import load as bench_load

    return bench_load.run(args, settings_from(args))


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


def register(add: Add) -> None:
    """The loading and benchmark commands, with their help."""
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
    from kg.bench import api as bench_api
    from kg.bench import load as bench_load
    from kg.bench import synthetic

    synthetic.add_arguments(
        actions.add_parser("gen", help="write a synthetic corpus in the snapshot format")
    )
    bench_load.add_arguments(
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
