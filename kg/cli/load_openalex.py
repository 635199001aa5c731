"""`kg load openalex`: citations, institutions and OpenAlex author ids for the papers the
graph holds, from the OpenAlex API or from an OpenAlex snapshot directory."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from kg.cli.common import settings_from
from kg.core.db import connected
from kg.core.errors import UsageError
from loaders import openalex_load, openalex_snapshot
from loaders.openalex_report import OpenAlexReport

HELP = (
    "examples:\n"
    "  kg load openalex                          every paper of the graph, via the API\n"
    "  kg load openalex --category cs.LG         papers of a category (or an archive: cs)\n"
    "  kg load openalex --since 2026-11-01       papers published or updated since\n"
    "  kg load openalex --id 2401.00001 --missing\n"
    "  kg load openalex --snapshot ~/openalex-snapshot    OpenAlex's dataset, no API calls\n\n"
    "Per paper it writes the OpenAlex work id, citations (and per year) and CITES edges to\n"
    "the papers of the graph it references; per authorship the OpenAlex author id, ORCID,\n"
    "institutions (Institution nodes, AFFILIATED_WITH with first and last year); per\n"
    "researcher OpenAlex's h-index, i10-index, citations and name variants. OpenAlex's\n"
    "author ids are identity evidence: records they show to be one person are joined,\n"
    "records they show to be two are split, unless a curator or the verified owner decided\n"
    "otherwise (then the record's identityNotes say where OpenAlex disagrees).\n\n"
    "The API needs a key (free at openalex.org): KG_OPENALEX_API_KEY. Requests are spaced\n"
    "by KG_OPENALEX_DELAY (0.1 s) and a refused one (429) is retried with growing waits.\n"
    "An interrupted run resumes after its last committed batch; a finished one is safe to\n"
    "rerun (it changes only what OpenAlex changed). Papers OpenAlex does not know are listed\n"
    "in the rejects file, with why."
)


def load(args: argparse.Namespace) -> tuple[OpenAlexReport, int]:
    """Run the load the arguments ask for; returns its report and how many papers it judged
    (asked for, or read from the snapshot)."""
    settings = settings_from(args)
    if args.batch_size:
        settings = settings.with_(batch_size=args.batch_size)
    if args.openalex_url:
        settings = settings.with_(openalex_url=args.openalex_url)
    if args.snapshot:
        if args.category or args.since or args.id or args.missing:
            raise UsageError(
                "--snapshot reads every work of the snapshot that matches a paper of the "
                "graph; --category, --since, --id and --missing go with the API route"
            )
        if not args.snapshot.is_dir():
            raise UsageError(f"--snapshot takes the snapshot directory, not {args.snapshot}")
        with connected(settings) as driver:
            report = openalex_snapshot.load(
                settings, driver, args.snapshot, progress=not args.quiet, restart=args.restart
            )
        return report, report.works_matched + len(report.rejects)
    try:
        since = date.fromisoformat(args.since) if args.since else None
    except ValueError:
        raise UsageError(f"--since takes YYYY-MM-DD, not {args.since!r}") from None
    scope = openalex_load.Scope(
        category=args.category, since=since, ids=tuple(args.id or ()), missing=args.missing
    )
    with connected(settings) as driver:
        report = openalex_load.load(
            settings, driver, scope, progress=not args.quiet, restart=args.restart
        )
    return report, report.papers_asked


def options(p: argparse.ArgumentParser) -> None:
    """The OpenAlex flags of `kg load` (the scope flags are shared with the arXiv ones)."""
    p.add_argument(
        "--snapshot",
        type=lambda text: Path(text).expanduser(),
        metavar="DIR",
        help="openalex: read an OpenAlex snapshot directory (data/works/..., data/authors/...) "
        "instead of calling the API",
    )
    p.add_argument(
        "--missing",
        action="store_true",
        help="openalex: only papers that have no OpenAlex data yet",
    )
    p.add_argument("--openalex-url", help="openalex: API base (KG_OPENALEX_URL)")
