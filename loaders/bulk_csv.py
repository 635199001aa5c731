"""CSV files for `neo4j-admin database import`, written in one streaming pass.

What needs the whole corpus (one Author per key with every spelling, one Institution per
key, COAUTHOR weights, AFFILIATED_WITH years, duplicate paper ids) goes to scratch files
of occurrence lines, aggregated by an external GNU `sort`: memory stays flat.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from kg.core.errors import KgError
from loaders.records import PaperRecord
from loaders.rows import shape

Log = Callable[[str], None]


ARRAY_DELIMITER = "\x1f"
"""ASCII unit separator: never in arXiv metadata (XML cannot even carry it), unlike `;`."""

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

SORT_MEMORY = "200M"
SORT_THREADS = 2
MANIFEST = "manifest.json"
PROGRESS_EVERY = 100_000


class BulkImportError(KgError):
    """The bulk import cannot go ahead; the message says what to change."""


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
    multiline_files: list[str] = field(default_factory=list)


def _q(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _cell(value: Any) -> str:
    """One CSV field: strings always quoted (so "" stays an empty string), None left empty."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _q(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):  # datetime too; aware ones keep their offset
        return value.isoformat()
    if isinstance(value, list):
        return _q(ARRAY_DELIMITER.join(str(v).replace(ARRAY_DELIMITER, " ") for v in value))
    raise TypeError(f"no CSV form for {type(value).__name__} value {value!r}")


class _Table:
    """One node or relationship data file, its header in a file of its own."""

    def __init__(self, out_dir: Path, name: str, header: list[str]) -> None:
        self.header = out_dir / f"{name}.header.csv"
        self.data = out_dir / f"{name}.csv"
        self.header.write_text(",".join(header) + "\n", encoding="utf-8")
        self._out: IO[str] = self.data.open("w", encoding="utf-8", newline="\n", buffering=1 << 20)
        self.rows = 0
        self.multiline = False
        """A value holds a line break: the importer must be told to parse this file slowly."""

    def row(self, values: Iterable[Any]) -> None:
        self.line(",".join(map(_cell, values)))

    def line(self, text: str) -> None:
        """A row already formatted, without its newline (for the hot loops)."""
        if "\n" in text or "\r" in text:
            self.multiline = True
        self._out.write(text + "\n")
        self.rows += 1

    def close(self) -> None:
        self._out.close()

    def files(self) -> list[str]:
        return [self.header.name, self.data.name]


def _sorted_lines(path: Path, tmp: Path) -> Iterator[str]:
    """The lines of `path` in byte order, sorted by GNU sort on disk (bounded memory).

    `LC_ALL=C` sorts bytes, and UTF-8 byte order is code point order, so runs of one key
    are contiguous and zero-padded sequence numbers keep each run in input order.
    """
    sort = shutil.which("sort")
    if not sort:
        raise BulkImportError("the bulk import needs GNU `sort` (coreutils) on PATH")
    cmd = [sort, "-S", SORT_MEMORY, f"--parallel={SORT_THREADS}", "-T", str(tmp), str(path)]
    errors = tmp / f"{path.name}.sort-errors"
    with (
        errors.open("wb") as err,
        subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=err, env={**os.environ, "LC_ALL": "C"}
        ) as proc,
    ):
        assert proc.stdout is not None
        for line in io.TextIOWrapper(proc.stdout, encoding="utf-8", newline="\n"):
            yield line[:-1]
    if proc.returncode != 0:
        raise BulkImportError(
            f"sorting {path} failed (is there free disk space in {tmp}?): "
            + errors.read_text(errors="replace").strip()
        )
    path.unlink()  # read once: free the disk space before the next sort needs it


def _runs(lines: Iterator[str]) -> Iterator[tuple[str, list[str]]]:
    """(key, payloads in input order) from sorted `key<TAB>seq<TAB>payload` lines."""
    current: str | None = None
    run: list[str] = []
    for line in lines:
        key, _, payload = line.split("\t", 2)
        if key != current:
            if current is not None:
                yield current, run
            current, run = key, []
        run.append(payload)
    if current is not None:
        yield current, run


def _year_spans(lines: Iterator[str]) -> Iterator[tuple[str, str, int, int, int]]:
    """(a, b, count, first year, last year) from sorted `a<TAB>b<TAB>yyyy` lines."""
    current: str | None = None
    count, first, last = 0, "", ""
    for line in lines:
        head, year = line[:-5], line[-4:]
        if head != current:
            if current is not None:
                a, b = current.split("\t")
                yield a, b, count, int(first), int(last)
            current, count, first = head, 0, year
        count += 1
        last = year
    if current is not None:
        a, b = current.split("\t")
        yield a, b, count, int(first), int(last)


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
    "author": ["key:ID(Author)", "name:string", "nameVariants:string[]"],
    "topic": ["code:ID(Topic)", "label:string", "name:string", "archive:string"],
    "institution": ["key:ID(Institution)", "name:string"],
    "authored": [
        ":START_ID(Author)",
        ":END_ID(Paper)",
        "position:int",
        "nameAsWritten:string",
        "affiliations:string[]",
    ],
    "has_topic": [":START_ID(Paper)", ":END_ID(Topic)", "primary:boolean"],
    "affiliated_with": [":START_ID(Author)", ":END_ID(Institution)", "lastYear:int"],
    "coauthor": [
        ":START_ID(Author)",
        ":END_ID(Author)",
        "weight:int",
        "firstYear:int",
        "lastYear:int",
    ],
}
SCRATCH = ("paper_ids", "author_seen", "institution_seen", "affiliation", "pair")
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
        self.tables: dict[str, _Table] = {}
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

    def table(self, name: str, header: list[str] | None = None) -> _Table:
        if name not in self.tables:
            self.tables[name] = _Table(self.out_dir, name, header or HEADERS[name])
        return self.tables[name]

    def paper_table(self, local_time: bool) -> _Table:
        name = "paper-local" if local_time else "paper"
        if name not in self.tables:
            self.table(name, _paper_header(self.columns or list(PAPER_TYPES), local_time))
        return self.tables[name]

    def add(self, rec: PaperRecord) -> None:
        paper = shape(rec, self.max_authors)
        if self.columns is None:
            self.columns = _paper_columns(paper.props)
        updated = paper.props["updated"]
        local = updated is not None and updated.tzinfo is None
        self.paper_table(local).row([paper.arxiv_id, *paper.props.values()])
        scratch = self.scratch
        scratch["paper_ids"].write(paper.arxiv_id + "\n")
        self.stats.papers += 1
        quoted_id = _q(paper.arxiv_id)
        for t in paper.topics:
            code = t["code"]
            self.topics.setdefault(code, t)
            primary = "true" if code == paper.primary_category else "false"
            self.has_topic.line(f"{quoted_id},{_q(code)},{primary}")
        seen = scratch["author_seen"]
        for a in paper.authorships:
            where = _cell(a.affiliations) if a.affiliations else ""  # none: no property
            self.authored.line(f"{_q(a.key)},{quoted_id},{a.position},{_q(a.written)},{where}")
            self.seq += 1
            spellings = json.dumps([a.name, a.written], ensure_ascii=False)
            seen.write(f"{a.key}\t{self.seq:012d}\t{spellings}\n")
        year = f"{paper.year:04d}"
        for f in paper.affiliations:
            self.seq += 1
            spelled = json.dumps(f.name, ensure_ascii=False)
            scratch["institution_seen"].write(f"{f.key}\t{self.seq:012d}\t{spelled}\n")
            scratch["affiliation"].write(f"{f.author}\t{f.key}\t{year}\n")
        if paper.pairs:
            scratch["pair"].write("".join(f"{a}\t{b}\t{year}\n" for a, b in paper.pairs))
            self.stats.coauthor_occurrences += len(paper.pairs)

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
            topics.line(",".join(_q(t[k]) for k in ("code", "label", "name", "archive")))
        authors = self.table("author")
        for key, run in _runs(_sorted_lines(tmp / "author_seen.tsv", tmp)):
            seen = [json.loads(entry) for entry in run]  # [name, written], in input order
            variants = list(dict.fromkeys(written for _, written in seen))
            authors.row((key, seen[0][0], variants))
        institutions = self.table("institution")
        for key, run in _runs(_sorted_lines(tmp / "institution_seen.tsv", tmp)):
            institutions.line(f"{_q(key)},{_q(json.loads(run[0]))}")
        affiliated = self.table("affiliated_with")
        for author, inst, _, _, last in _year_spans(_sorted_lines(tmp / "affiliation.tsv", tmp)):
            affiliated.line(f"{_q(author)},{_q(inst)},{last}")
        coauthor = self.table("coauthor")
        for a, b, weight, first, last in _year_spans(_sorted_lines(tmp / "pair.tsv", tmp)):
            coauthor.line(f"{_q(a)},{_q(b)},{weight},{first},{last}")
        for table in self.tables.values():
            table.close()
        shutil.rmtree(tmp)
        stats = self.stats
        stats.authors, stats.topics = authors.rows, topics.rows
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
    for line in _sorted_lines(path, tmp):
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
