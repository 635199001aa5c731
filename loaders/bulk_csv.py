"""CSV files for `neo4j-admin database import`, written in one streaming pass.

What needs the whole corpus (who each authorship is, one Institution per key, COAUTHOR
weights, AFFILIATED_WITH years, duplicate paper ids) goes to scratch files of occurrence
lines, aggregated by an external GNU `sort`: memory stays flat. Authorships sorted by
name key come out one name block at a time, which `loaders.identity` splits into people;
the co-author pairs are then counted between people, not names.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from loaders import bulk_people
from loaders.bulk_people import PeopleStats
from loaders.records import PaperRecord
from loaders.rows import shape
from loaders.scratch import (
    BulkImportError,
    Table,
    cell,
    q,
    runs,
    sorted_lines,
    year_counts,
    year_spans,
)

Log = Callable[[str], None]


PAPER_TYPES = {
    "version": "int",
    "title": "string",
    "abstract": "string",
    "published": "date",
    "year": "int",
    "updated": "datetime",
    "primaryCategory": "string",
    "categories": "string[]",
    "doi": "string",
    "journalRef": "string",
    "comment": "string",
    "absUrl": "string",
    "pdfUrl": "string",
    "authorCount": "int",
    "withdrawn": "boolean",
}
"""Importer type of every `PaperRecord.props()` key (`int` is stored as a long, as via Bolt)."""

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
    people: PeopleStats = field(default_factory=PeopleStats)
    multiline_files: list[str] = field(default_factory=list)


def _paper_header(columns: list[str], local_time: bool) -> list[str]:
    header = ["arxivId:ID(Paper)"]
    for name in columns:
        kind = PAPER_TYPES[name]
        if kind == "datetime" and local_time:
            kind = "localdatetime"  # a naive datetime goes over Bolt as a LocalDateTime
        header.append(f"{name}:{kind}")
    return header


def _paper_columns(props: dict[str, Any]) -> list[str]:
    columns = list(props)
    unknown = [c for c in columns if c not in PAPER_TYPES]
    if unknown:
        raise BulkImportError(
            f"PaperRecord.props() has {unknown} with no importer type: add them to "
            "PAPER_TYPES in loaders/bulk_import.py"
        )
    return columns


NODE_FILES = {
    "paper": "Paper",
    "paper-local": "Paper",
    "author": "Author",
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
    "author": ["key:ID(Author)", "name:string", "nameKey:string", "nameVariants:string[]"],
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
SCRATCH = ("paper_ids", "names", "authorship", "paper_people", "institution_seen")
"""Occurrence files, one line per sighting, aggregated by sorting once the input is read."""


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
        self.columns: list[str] | None = None
        self.seq = 0

    def table(self, name: str, header: list[str] | None = None) -> Table:
        if name not in self.tables:
            self.tables[name] = Table(self.out_dir, name, header or HEADERS[name])
        return self.tables[name]

    def paper_table(self, local_time: bool) -> Table:
        name = "paper-local" if local_time else "paper"
        if name not in self.tables:
            self.table(name, _paper_header(self.columns or list(PAPER_TYPES), local_time))
        return self.tables[name]

    def add(self, rec: PaperRecord) -> None:
        paper = shape(rec)
        if self.columns is None:
            self.columns = _paper_columns(paper.props)
        updated = paper.props["updated"]
        local = updated is not None and updated.tzinfo is None
        self.paper_table(local).row([paper.arxiv_id, *paper.props.values()])
        scratch = self.scratch
        scratch["paper_ids"].write(paper.arxiv_id + "\n")
        self.stats.papers += 1
        quoted_id = q(paper.arxiv_id)
        for t in paper.topics:
            code = t["code"]
            self.topics.setdefault(code, t)
            primary = "true" if code == paper.primary_category else "false"
            self.has_topic.line(f"{quoted_id},{q(code)},{primary}")
        number = f"{self.stats.papers:012d}"
        names, authorships = scratch["names"], scratch["authorship"]
        for a, clue in zip(paper.authorships, paper.clues(self.max_authors), strict=True):
            names.write(a.key + "\n")
            self.seq += 1
            evidence = [
                paper.arxiv_id,
                a.position,
                number,
                clue.year,
                clue.categories,
                clue.coauthors,
                clue.institutions,
                a.name,
                a.written,
            ]  # JSON escapes tabs and line breaks: one line per authorship
            evidence_line = json.dumps(evidence, ensure_ascii=False)
            authorships.write(f"{a.key}\t{self.seq:012d}\t{evidence_line}\n")
        year = f"{paper.year:04d}"
        if 2 <= paper.author_count <= self.max_authors:
            keys = "\x1f".join(a.key for a in paper.authorships)
            scratch["paper_people"].write(f"{number}\t{year}\t{keys}\n")
        for f in paper.affiliations:
            self.seq += 1
            spelled = json.dumps(f.name, ensure_ascii=False)
            scratch["institution_seen"].write(f"{f.key}\t{self.seq:012d}\t{spelled}\n")

    def finish(self, log: Log | None) -> CsvStats:
        """Aggregate the occurrence files into node and edge files; write the manifest."""
        for handle in self.scratch.values():
            handle.close()
        self.paper_table(local_time=False)  # even if empty: the importer wants Paper files
        tmp = self.tmp
        _check_unique_ids(tmp / "paper_ids.tsv", tmp)
        if log:
            log(f"  {self.stats.papers:,} papers; aggregating authors, institutions, co-authors")
        topics = self.table("topic")
        for t in self.topics.values():
            topics.line(",".join(q(t[k]) for k in ("code", "label", "name", "archive")))
        heavy = bulk_people.heavy_names(tmp / "names.tsv", tmp)
        people = bulk_people.write_people(
            tmp / "authorship.tsv", tmp, heavy, self.table("author"), self.authored, self.seq
        )
        self.stats.people = people
        if log:
            log(
                f"  {people.people:,} people; {people.ambiguous_names:,} names held by more "
                "than one; counting co-authors"
            )
        self.stats.coauthor_occurrences = bulk_people.write_pairs(
            tmp / "paper_people.tsv", tmp / "moved.tsv", tmp
        )
        institutions = self.table("institution")
        for key, run in runs(sorted_lines(tmp / "institution_seen.tsv", tmp)):
            institutions.line(f"{q(key)},{q(json.loads(run[0]))}")
        affiliated = self.table("affiliated_with")
        for author, inst, _, first, last in year_spans(sorted_lines(tmp / "affiliation.tsv", tmp)):
            affiliated.line(f"{q(author)},{q(inst)},{first},{last}")
        coauthor = self.table("coauthor")
        for a, b, years, counts in year_counts(sorted_lines(tmp / "pair.tsv", tmp)):
            per_year = f"{cell(years)},{cell(counts)}"
            coauthor.line(f"{q(a)},{q(b)},{sum(counts)},{years[0]},{years[-1]},{per_year}")
        for table in self.tables.values():
            table.close()
        shutil.rmtree(tmp)
        stats = self.stats
        stats.authors, stats.topics = self.tables["author"].rows, topics.rows
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
    writer = _CsvWriter(out_dir, max_authors)
    for rec in records:
        writer.add(rec)
        if log and writer.stats.papers % PROGRESS_EVERY == 0:
            log(f"  {writer.stats.papers:,} papers written to CSV")
    return writer.finish(log)


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
