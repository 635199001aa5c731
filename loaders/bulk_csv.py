"""CSV files for `neo4j-admin database import`, written in one streaming pass.

The pass appends chunks of already formatted text (`bulk_text`), made here for records
given as objects or by `bulk_pass`'s worker processes for a snapshot file. What needs the
whole corpus (who each authorship is, one Institution per key, COAUTHOR weights,
AFFILIATED_WITH years, duplicate paper ids) goes to scratch files of occurrence lines,
aggregated by an external GNU `sort`: memory stays flat. Authorships sorted by name key
come out one name block at a time, which `loaders.identity` splits into people; the
co-author pairs are then counted between people, not names.
"""

from __future__ import annotations

import itertools
import json
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import orjson

from loaders import bulk_people, bulk_ties, native
from loaders.bulk_people import PeopleStats
from loaders.bulk_text import PAPER_TYPES, SCRATCH, ChunkText, TableText, format_records
from loaders.records import PaperRecord
from loaders.scratch import (
    BulkImportError,
    Table,
    q,
    runs,
    sorted_blocks,
    sorted_lines,
    write_any,
    year_counts,
    year_spans,
)

Log = Callable[[str], None]


MANIFEST = "manifest.json"
PROGRESS_EVERY = 100_000


@dataclass
class CsvStats:
    papers: int = 0
    authors: int = 0
    topics: int = 0
    institutions: int = 0
    authored: int = 0
    has_topic: int = 0
    affiliated_with: int = 0
    coauthor: int = 0
    coauthor_occurrences: int = 0
    """(pair, paper) lines aggregated into the `coauthor` edges."""
    hubs: int = 0
    """Researchers with over `STRONG_TIES` co-authors: their lists are `author-ties` rows."""
    people: PeopleStats = field(default_factory=PeopleStats)
    multiline_files: list[str] = field(default_factory=list)
    pass_seconds: float = 0.0
    """The record pass: reading, parsing and formatting every record, appending the text."""
    aggregate_seconds: float = 0.0
    """After it: sorting the scratch files, resolving people, counting co-authors."""
    aggregate_steps: dict[str, float] = field(default_factory=dict)
    """`aggregate_seconds` by step (each with the sorting of its scratch file)."""


def _paper_header(columns: list[str], local_time: bool) -> list[str]:
    header = ["arxivId:ID(Paper)"]
    for name in columns:
        kind = PAPER_TYPES[name]
        if kind == "datetime" and local_time:
            kind = "localdatetime"  # a naive datetime goes over Bolt as a LocalDateTime
        header.append(f"{name}:{kind}")
    return header


NODE_FILES = {
    "paper": "Paper",
    "paper-local": "Paper",
    "author": "Author",
    "author-ties": "Author",
    "topic": "Topic",
    "institution": "Institution",
}
RELATIONSHIP_FILES = {
    "authored": "AUTHORED",
    "has_topic": "HAS_TOPIC",
    "affiliated_with": "AFFILIATED_WITH",
    "coauthor": "COAUTHOR",
}
HEADERS = {
    "author": bulk_ties.AUTHOR,
    "author-ties": bulk_ties.HEADER,
    "topic": ["code:ID(Topic)", "label:string", "name:string", "archive:string"],
    "institution": ["key:ID(Institution)", "name:string"],
    "authored": [
        ":START_ID(Author)",
        ":END_ID(Paper)",
        "position:int",
        "nameAsWritten:string",
        "affiliations:string[]",
        "assignedBy:string",
        "reason:string",
    ],
    "has_topic": [":START_ID(Paper)", ":END_ID(Topic)", "primary:boolean"],
    "affiliated_with": [
        ":START_ID(Author)",
        ":END_ID(Institution)",
        "firstYear:int",
        "lastYear:int",
    ],
    "coauthor": [
        ":START_ID(Author)",
        ":END_ID(Author)",
        "weight:int",
        "firstYear:int",
        "lastYear:int",
        "years:int[]",
        "yearWorks:int[]",
    ],
}


class _CsvWriter:
    """One pass over the records writes what is per-paper and notes what needs the corpus."""

    def __init__(self, out_dir: Path, max_authors: int) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.out_dir = out_dir
        self.tmp = out_dir / "tmp"
        self.tmp.mkdir(exist_ok=True)
        self.max_authors = max_authors
        self.stats = CsvStats()
        self.tables: dict[str, Table] = {}
        self.scratch = {
            name: (self.tmp / f"{name}.tsv").open(
                "w", encoding="utf-8", newline="\n", buffering=1 << 20
            )
            for name in SCRATCH
        }
        self.authored = self.table("authored")
        self.has_topic = self.table("has_topic")
        self.topics: dict[str, dict[str, str]] = {}  # bounded by the arXiv taxonomy
        self.sightings = 0

    def table(self, name: str, header: list[str] | None = None) -> Table:
        if name not in self.tables:
            self.tables[name] = Table(self.out_dir, name, header or HEADERS[name])
        return self.tables[name]

    def paper_table(self, local_time: bool) -> Table:
        name = "paper-local" if local_time else "paper"
        if name not in self.tables:
            self.table(name, _paper_header(list(PAPER_TYPES), local_time))
        return self.tables[name]

    def absorb(self, chunk: ChunkText) -> None:
        """Append one chunk's rows and scratch lines (chunks come in input order)."""
        for name, text in chunk.tables.items():
            if text.rows:
                self._append(self._chunk_table(name), text)
        for name, lines in chunk.scratch.items():
            write_any(self.scratch[name], lines)
        for code, t in chunk.topics.items():
            self.topics.setdefault(code, t)
        self.stats.papers += chunk.papers
        self.sightings += chunk.sightings

    def _chunk_table(self, name: str) -> Table:
        if name in ("paper", "paper-local"):
            return self.paper_table(local_time=name == "paper-local")
        return self.table(name)

    @staticmethod
    def _append(table: Table, text: TableText) -> None:
        table.block(text.text, text.rows, text.multiline)

    def finish(self, log: Log | None) -> CsvStats:
        """Aggregate the occurrence files into node and edge files; write the manifest."""
        for handle in self.scratch.values():
            handle.close()
        self.paper_table(local_time=False)  # even if empty: the importer wants Paper files
        tmp = self.tmp
        lap = _Laps(self.stats.aggregate_steps)
        _check_unique_ids(tmp / "paper_ids.tsv", tmp)
        lap("paper ids")
        if log:
            log(f"  {self.stats.papers:,} papers; aggregating authors, institutions, co-authors")
        topics = self.table("topic")
        for t in self.topics.values():
            topics.line(",".join(q(t[k]) for k in ("code", "label", "name", "archive")))
        heavy = bulk_people.heavy_names(tmp / "names.tsv", tmp)
        lap("heavy names")
        hubs = bulk_ties.Candidates(tmp)
        authors = self.table("author")
        people = bulk_people.write_people(
            tmp / "authorship.tsv", tmp, heavy, authors, self.authored, self.sightings, hubs
        )
        self.stats.people = people
        lap("people")
        if log:
            log(
                f"  {people.people:,} people; {people.ambiguous_names:,} names held by more "
                "than one; counting co-authors"
            )
        self.stats.coauthor_occurrences = bulk_people.write_pairs(
            tmp / "paper_people.tsv", tmp / "moved.tsv", tmp
        )
        lap("pair lines")
        institutions = self.table("institution")
        for key, run in runs(sorted_lines(tmp / "institution_seen.tsv", tmp)):
            institutions.line(f"{q(key)},{q(orjson.loads(run[0]))}")
        affiliated = self.table("affiliated_with")
        for author, inst, _, first, last in year_spans(sorted_lines(tmp / "affiliation.tsv", tmp)):
            affiliated.line(f"{q(author)},{q(inst)},{first},{last}")
        lap("institutions")
        coauthor = self.table("coauthor")
        write_coauthor(tmp / "pair.tsv", tmp, coauthor, hubs)
        lap("co-author rows")
        self.stats.hubs = hubs.write(tmp, authors, lambda: self.table("author-ties"))
        lap("strongest ties")
        if log:
            log(f"  strongest ties of {self.stats.hubs:,} researchers with many co-authors")
        for table in self.tables.values():
            table.close()
        shutil.rmtree(tmp)
        stats = self.stats
        stats.authors = authors.rows + stats.hubs
        stats.topics = topics.rows
        stats.institutions, stats.affiliated_with = institutions.rows, affiliated.rows
        stats.authored, stats.has_topic = self.authored.rows, self.has_topic.rows
        stats.coauthor = coauthor.rows
        stats.multiline_files = [t.data.name for t in self.tables.values() if t.multiline]
        manifest = {
            "nodes": [
                [label, self.tables[n].files()]
                for n, label in NODE_FILES.items()
                if n in self.tables
            ],
            "relationships": [
                [rel, self.tables[n].files()] for n, rel in RELATIONSHIP_FILES.items()
            ],
            "multiline": stats.multiline_files,
            "stats": asdict(stats),
        }
        (self.out_dir / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        return stats


def write_csv(
    records: Iterable[PaperRecord],
    out_dir: Path,
    max_authors: int,
    log: Log | None = None,
) -> CsvStats:
    """Write the import CSVs (and `manifest.json` naming them) for `run_import` into `out_dir`.

    Authors get the first spelling seen as `name` and every spelling in order of appearance
    as `nameVariants`, as the transactional loader gives them. Paper ids must be unique.
    Scratch space in `out_dir/tmp` peaks at about the size of the CSVs themselves.
    """
    return write_chunks(format_records(records, max_authors), out_dir, max_authors, log)


def write_chunks(
    chunks: Iterator[ChunkText] | Iterable[ChunkText],
    out_dir: Path,
    max_authors: int,
    log: Log | None = None,
) -> CsvStats:
    """`write_csv` from records already formatted, chunk by chunk in input order (what
    `bulk_pass` workers return for a snapshot file)."""
    began = time.monotonic()
    writer = _CsvWriter(out_dir, max_authors)
    reported = 0
    for chunk in chunks:
        writer.absorb(chunk)
        if log and writer.stats.papers - reported >= PROGRESS_EVERY:
            reported = writer.stats.papers
            log(f"  {reported:,} papers written to CSV")
    passed = time.monotonic()
    writer.stats.pass_seconds = passed - began
    stats = writer.finish(log)
    stats.aggregate_seconds = time.monotonic() - passed
    return stats


def write_coauthor(pairs: Path, tmp: Path, coauthor: Table, hubs: bulk_ties.Candidates) -> None:
    """A COAUTHOR row per pair of people from `pairs` (`a<TAB>b<TAB>yyyy` per shared paper),
    weighted and counted per year; rows touching a possible hub are noted in `hubs`."""
    compiled = native.module()
    if compiled is None:
        _write_pairs(sorted_lines(pairs, tmp), coauthor, hubs)
        return
    rows = compiled.PairRows(hubs.keys)
    for data in itertools.chain(sorted_blocks(pairs, tmp), [None]):
        text, count, ties = rows.feed(data or b"", last=data is None)
        coauthor.block(text, count, multiline=False)  # keys hold no line breaks
        hubs.text(ties)


def _write_pairs(lines: Iterator[str], coauthor: Table, hubs: bulk_ties.Candidates) -> None:
    rows: list[str] = []
    for a, b, years, counts in year_counts(lines):
        spelled, per_year = _ints(years), _ints(counts)
        weight, first, last = sum(counts), years[0], years[-1]
        # cell() of int lists, inlined
        rows.append(f'{q(a)},{q(b)},{weight},{first},{last},"{spelled}","{per_year}"')
        if a in hubs.keys or b in hubs.keys:
            hubs.edge(a, b, f"{weight}\t{first}\t{last}\t{spelled}\t{per_year}")
        if len(rows) >= 10_000:
            coauthor.lines(rows)
            rows = []
    coauthor.lines(rows)


class _Laps:
    """Seconds per step into `steps`, each since the step before."""

    def __init__(self, steps: dict[str, float]) -> None:
        self.steps = steps
        self.last = time.monotonic()

    def __call__(self, step: str) -> None:
        now = time.monotonic()
        self.steps[step] = round(now - self.last, 2)
        self.last = now


def _ints(values: list[int]) -> str:
    return "\x1f".join(map(str, values))


def _check_unique_ids(path: Path, tmp: Path) -> None:
    previous = None
    repeated: list[str] = []
    count = 0
    for line in sorted_lines(path, tmp):
        if line == previous:
            count += 1
            if len(repeated) < 5 and (not repeated or repeated[-1] != line):
                repeated.append(line)
        previous = line
    if count:
        raise BulkImportError(
            f"{count} duplicate paper records in the input (e.g. {', '.join(repeated)}): the "
            "bulk import takes each arXiv id once; drop the older copies, or load with `kg load`"
        )
