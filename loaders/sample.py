"""The bundled sample: recorded arXiv API pages in `loaders/sample/`, loaded as API results.

Each page goes through the `arxiv` package's own Atom parser, the one `arxiv.Client` runs
on every response, then the API path's validation and writer: the sample exercises the
real loader without HTTP, so `kg up` and `kg load sample` work with no network at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import arxiv
import neo4j
from arxiv import _feed  # the parser behind arxiv.Client (arxiv is pinned below 5)

from kg.core.config import Settings
from loaders import openalex_snapshot
from loaders.arxiv_api import load_results
from loaders.arxiv_pages import capture_skipped
from loaders.openalex_report import OpenAlexReport
from loaders.pipeline import LoadReport

SAMPLE_DIR = Path(__file__).resolve().parent / "sample"
OPENALEX_DIR = SAMPLE_DIR / "openalex"
"""OpenAlex's objects for the sample's papers, as an OpenAlex snapshot (`kg up` loads it)."""


def results(directory: Path = SAMPLE_DIR) -> Iterator[arxiv.Result]:
    """Every entry of every page in `directory`, pages in name order."""
    for page in sorted(directory.glob("*.xml")):
        yield from _feed.parse(page.read_bytes()).results


def load_openalex(settings: Settings, driver: neo4j.Driver) -> OpenAlexReport:
    """OpenAlex's objects for the sample (22 of its 24 papers; the other 2 are reported, as
    papers too new for OpenAlex are), through the snapshot route."""
    return openalex_snapshot.load(settings, driver, OPENALEX_DIR, progress=False)


def load(
    settings: Settings, driver: neo4j.Driver, progress: bool = True, directory: Path = SAMPLE_DIR
) -> LoadReport:
    """Write the sample into the graph; idempotent like every load."""
    report = LoadReport()
    with capture_skipped() as skipped:
        load_results(settings, driver, results(directory), report, progress=progress)
    report.rejects.extend(skipped.rejects)
    return report
