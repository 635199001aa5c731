"""`kg load` and `kg refresh`: getting arXiv metadata into the graph, with a report of
every record that did not make it."""

from __future__ import annotations

import argparse
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from tqdm import tqdm

from kg.cli import load_openalex
from kg.cli.common import Add, settings_from
from kg.core import dumps
from kg.core.config import Settings
from kg.core.db import connected
from kg.core.errors import UsageError
from loaders import arxiv_api, bulk_import, native, refresh, sample, snapshot
from loaders.bulk_csv import CsvStats
from loaders.bulk_pass import SnapshotPass
from loaders.openalex_report import OpenAlexReport
from loaders.pipeline import DEFAULT_MAX_REJECTS, LoadRejected, LoadReport, verdict
from loaders.records import PaperRecord
from loaders.snapshot import Filters


@dataclass(frozen=True)
class _CountingFilters(Filters):
    """The snapshot filters, counting every valid record they see: the share of rejects is
    taken among all records read, not only those the filters keep."""

    seen: list[int] = field(default_factory=lambda: [0], compare=False)

    def keep(self, rec: PaperRecord, update_date: date | None) -> bool:
        self.seen[0] += 1
        return super().keep(rec, update_date)


def share(text: str) -> float:
    """`--max-rejects`: a percentage (`5%`) or a fraction (`0.05`) of the records read."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*(%?)\s*", text)
    value = float(match.group(1)) / (100 if match.group(2) else 1) if match else -1.0
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(
            f"give a percentage like 5% or a fraction like 0.05 (at most 100%), not {text!r}"
        )
    return value


def _report_load(report: LoadReport, rejects_path: Path | None, strict: bool) -> int:
    print(report.summary())
    return _report_load_rejects(report, rejects_path, strict)


def _write_rejects(report: LoadReport | OpenAlexReport, rejects_path: Path | None) -> Path | None:
    if not report.rejects:
        return None
    path = rejects_path or Path(f"kg-rejects-{time.strftime('%Y%m%d-%H%M%S')}.jsonl")
    report.write_rejects(path)
    print(f"rejected records written to {path}")
    return path


def _report_load_rejects(
    report: LoadReport | OpenAlexReport, rejects_path: Path | None, strict: bool
) -> int:
    if _write_rejects(report, rejects_path) and strict:
        return 1
    return 0


def _judge_load(report: LoadReport, valid: int, args: argparse.Namespace, empty: str) -> int:
    """Report a transactional load; exit 1 when it failed as a whole (see `verdict`).

    It has written as it went, so it can only judge at the end: the papers that passed stay.
    """
    print(report.summary())
    problem = verdict(report.loaded, valid, report.rejects, args.max_rejects, empty)
    if report.resumed_from_line and not report.fetched and not report.rejects:
        problem = None  # a resumed run found nothing left after its checkpoint: done already
    code = _report_load_rejects(report, args.rejects, args.strict)
    if problem:
        kept = f"the {report.loaded:,} papers that passed are loaded" if report.loaded else ""
        raise LoadRejected(f"{problem}\n{kept or 'nothing was loaded'}")
    return code


def cmd_load(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if args.source == "sample":
        with connected(settings) as drv:
            report = sample.load(settings, drv, progress=not args.quiet)
            code = _judge_load(report, report.loaded, args, "the sample holds no records")
            cited = sample.load_openalex(settings, drv)
        print(f"OpenAlex's data for the sample: {cited.summary().splitlines()[0]}")
        return code
    if args.source == "snapshot":
        return _load_snapshot(settings, args)
    if args.source == "openalex":
        return _load_openalex(args)
    if args.snapshot or args.missing or args.openalex_url:
        raise UsageError("--snapshot, --missing and --openalex-url go with `kg load openalex`")
    if args.path:
        raise UsageError("PATH is only for `kg load snapshot PATH`; `kg load arxiv` takes filters")
    if args.page_size:
        settings = settings.with_(arxiv_page_size=args.page_size)
    search = arxiv_api.build_search(
        author=args.author,
        query=args.query,
        category=args.category,
        ids=args.id,
        max_results=args.max,
    )
    with connected(settings) as drv:
        report = arxiv_api.load(settings, drv, search, progress=not args.quiet)
    empty = "the arXiv API found no papers for this search (check the spelling)"
    return _judge_load(report, report.loaded, args, empty)


def _load_openalex(args: argparse.Namespace) -> int:
    """Report an OpenAlex load; papers it could not find are rejects, not a failure, unless
    none was found at all."""
    report, judged = load_openalex.load(args)
    print(report.summary())
    code = _report_load_rejects(report, args.rejects, args.strict)
    if judged and not report.works_matched and not report.resumed_after:
        raise LoadRejected(
            f"OpenAlex matched none of the {judged:,} papers: check the API URL and key, or "
            "that the snapshot holds works of these papers"
        )
    return code


def _load_snapshot(settings: Settings, args: argparse.Namespace) -> int:
    if args.path is None or not args.path.is_file():
        raise UsageError(f"give the snapshot file (JSON lines or .gz), not {args.path}")
    try:
        since = date.fromisoformat(args.since) if args.since else None
    except ValueError:
        raise UsageError(f"--since takes YYYY-MM-DD, not {args.since!r}") from None
    filters = _CountingFilters(since=since, category=args.category)
    if args.bulk:
        return _bulk_snapshot(settings, args, filters)
    if args.force or args.no_backup:
        raise UsageError("--force and --no-backup go with --bulk, which replaces a database")
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
    return _judge_load(report, filters.seen[0], args, f"{args.path} holds no records")


def _bulk_snapshot(settings: Settings, args: argparse.Namespace, filters: _CountingFilters) -> int:
    report = LoadReport()
    max_rejects = DEFAULT_MAX_REJECTS if args.max_rejects is None else args.max_rejects

    if args.workers is not None and args.workers < 1:
        raise UsageError(f"--workers takes 1 or more processes, not {args.workers}")
    size = args.path.stat().st_size
    bar = tqdm(
        total=size,
        unit="B",
        unit_scale=True,
        desc=args.path.name,
        disable=args.quiet,
        dynamic_ncols=True,
    )
    source = SnapshotPass(
        args.path,
        report.rejects,
        filters,
        limit=args.limit,
        workers=args.workers,
        on_progress=lambda position: bar.update(position - bar.n),
    )

    def check(csv: CsvStats) -> None:
        """Between the CSV pass and the import: a failed load never replaces a graph."""
        problem = verdict(
            csv.papers,
            source.seen,
            report.rejects,
            max_rejects,
            f"{args.path} holds no records",
        )
        if problem:
            written = _write_rejects(report, args.rejects)
            raise LoadRejected(
                f"not importing, the database is untouched: {problem}\n"
                + (f"every reject is in {written}; " if written else "")
                + "fix the input, or allow more rejects with --max-rejects (default 5%)"
            )

    with bar:
        work = args.work_dir or args.path.parent / f".kg-import-{args.path.name}"
        stats = bulk_import.bulk_load(
            settings,
            source,
            work,
            log=tqdm.write,
            force=args.force,
            backup_dir=None if args.no_backup else dumps.default_dir(settings),
            check=check,
        )
    c = stats.csv
    print(
        f"{c.papers:,} papers, {c.authors:,} authors, {c.topics:,} topics, "
        f"{c.institutions:,} institutions; {c.authored:,} AUTHORED, {c.has_topic:,} HAS_TOPIC, "
        f"{c.coauthor:,} COAUTHOR, {c.affiliated_with:,} AFFILIATED_WITH; "
        f"{len(report.rejects)} rejected"
    )
    by = ", ".join(f"{n:,} by {kind}" for kind, n in sorted(c.people.assigned_by.items()))
    print(
        f"people: {c.people.people:,} researchers, {c.people.ambiguous_names:,} names held by "
        f"more than one; authorships placed {by or 'none'}"
    )
    print(
        f"{stats.total_seconds:.1f}s: CSV {stats.csv_seconds:.1f}s in {native.engine()} "
        f"(record pass {c.pass_seconds:.1f}s, people and pairs {c.aggregate_seconds:.1f}s), import "
        f"{stats.import_seconds:.1f}s, start {stats.start_seconds:.1f}s, schema + indexes "
        f"{stats.schema_seconds:.1f}s "
        f"({c.papers / max(stats.total_seconds, 1e-9):,.0f} papers/s)"
    )
    for r in report.rejects.first(20):
        print(f"  rejected {r.where}: {r.reason}")
    if stats.backup:
        print(f"the replaced database is kept in {stats.backup} (`kg neo4j restore` it back)")
    return _report_load_rejects(report, args.rejects, args.strict)


def cmd_refresh(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    moments = {}
    for name in ("since", "until"):
        raw = getattr(args, name)
        try:
            moment = datetime.fromisoformat(raw) if raw else None
        except ValueError:
            raise UsageError(
                f"--{name} takes a date or time like 2026-11-01, not {raw!r}"
            ) from None
        moments[name] = moment.replace(tzinfo=moment.tzinfo or UTC) if moment else None
    with connected(settings) as drv:
        try:
            result = refresh.refresh(
                settings,
                drv,
                args.category or [],
                moments["since"],
                moments["until"],
                progress=not args.quiet,
            )
        except refresh.RefreshIncomplete as err:
            if err.result:
                _report_load(err.result.report, args.rejects, args.strict)
            raise
    print(
        f"window {result.window_from:%Y-%m-%d %H:%M} to {result.window_to:%Y-%m-%d %H:%M} UTC "
        f"({result.source}); checkpoint advanced"
    )
    return _report_load(result.report, args.rejects, args.strict)


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
        "  kg load sample                 the bundled sample (and OpenAlex's data for it)\n"
        "  kg load openalex               citations, institutions, author ids (see below)\n\n"
        "An interrupted snapshot load resumes after its last committed batch when rerun.\n"
        "Rejected records are listed and written to a JSON-lines file; the load goes on.\n\n"
        "A load that loads nothing exits 1 and says why: every record rejected, no record\n"
        "matching --since/--category, an empty file, or an arXiv search that found nothing\n"
        "(a resumed snapshot load that finds nothing left after its checkpoint is fine).\n"
        "--bulk judges after the CSV pass, before touching the database: it refuses to\n"
        "import when nothing would be written or more than --max-rejects (default 5%) of\n"
        "the records read were rejected. --bulk --force keeps a dump of the database it\n"
        "replaces in KG_NEO4J_HOME/backups/ (kg never deletes one); `kg neo4j restore DUMP`\n"
        "brings it back.\n\nkg load openalex:\n" + load_openalex.HELP,
    )
    p.add_argument("source", choices=["arxiv", "snapshot", "sample", "openalex"])
    p.add_argument("path", nargs="?", type=Path, help="snapshot file, for `kg load snapshot`")
    p.add_argument("--author", help='author full name, e.g. "Qizhen Zhang"')
    p.add_argument("--query", help="raw arXiv API search_query, e.g. 'ti:transformer'")
    p.add_argument(
        "--category", help="arXiv category, e.g. cs.LG (snapshot, openalex: or archive, cs)"
    )
    p.add_argument("--limit", type=int, help="snapshot: stop after this many papers")
    p.add_argument("--since", help="snapshot, openalex: only papers updated on/after YYYY-MM-DD")
    p.add_argument(
        "--bulk",
        action="store_true",
        help="snapshot: first load into an empty, stopped local Neo4j through neo4j-admin "
        "import (fast); use the default path for later refreshes",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="with --bulk: replace a database that holds data, after dumping it to "
        "KG_NEO4J_HOME/backups/<db>-<time>.dump",
    )
    p.add_argument(
        "--no-backup",
        action="store_true",
        help="with --bulk --force: replace without keeping a dump (e.g. a database a failed "
        "import left unreadable, or no disk for the dump)",
    )
    p.add_argument(
        "--max-rejects",
        type=share,
        metavar="SHARE",
        help="fail when more than this share of the records read are rejected, as 5%% or "
        "0.05; with --bulk the default is 5%% and the database is not touched; otherwise "
        "no default, and judged at the end, as the load writes as it goes",
    )
    p.add_argument(
        "--work-dir", type=Path, help="with --bulk: where CSV files go (default: by the file)"
    )
    p.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="with --bulk: workers that parse and format the snapshot's records (default: "
        "one per CPU; threads with the compiled steps of native/, else processes; 1 does it "
        "all in the loader's process, with the same files)",
    )
    p.add_argument(
        "--restart",
        action="store_true",
        help="snapshot, openalex: ignore the checkpoint of an interrupted run, start over",
    )
    p.add_argument("--id", action="append", help="arXiv id (repeatable; arxiv, openalex)")
    p.add_argument("--max", type=int, help="stop after this many results (default: all)")
    p.add_argument("--page-size", type=int, help="results per API request (max 2000)")
    arxiv_api_options(p)
    load_openalex.options(p)
    p.add_argument("--batch-size", type=int, help="papers per write transaction (default 2000)")
    reporting(p)

    p = add(
        "refresh",
        cmd_refresh,
        "Load what changed on arXiv since the last successful refresh.",
        "Asks the arXiv API for papers whose lastUpdatedDate falls after the checkpoint\n"
        "(kept in the graph per category set, with a day of overlap), loads them, then\n"
        "moves the checkpoint. An interrupted run moves nothing: just run it again.\n"
        "Nor does a window with an API page that could not be read even after retries:\n"
        "it exits 1 naming the pages, and the next run repeats the window.\n"
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
