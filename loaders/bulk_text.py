"""A chunk of records as the bulk import's text: CSV rows and scratch lines, ready to append.

Formatting is most of the bulk path's Python time, and it needs nothing but the chunk's own
records, so it runs where the records are parsed: in `bulk_pass`'s worker processes, or in
the loader's process for records given as objects (`bulk_csv.write_csv`). Both call this
one function, so a snapshot loaded with any number of workers gives the same files.

Order across the corpus is kept by the numbers each line carries: a paper is numbered
`<chunk><index>` and an authorship or institution sighting `<chunk><sequence>`, zero-padded,
so sorting on disk puts every name's authorships in input order whichever process wrote
them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

import orjson

from loaders.records import PaperRecord
from loaders.rows import shape
from loaders.scratch import BulkImportError, cell, q

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

SCRATCH = ("paper_ids", "names", "authorship", "paper_people", "institution_seen")
"""Occurrence files, one line per sighting, aggregated by sorting once the input is read."""

TABLES = ("paper", "paper-local", "has_topic")
"""The CSV tables a chunk adds rows to directly (one row per paper or per category)."""

CHUNK_DIGITS = 7
"""Width of a chunk's number: 10 million chunks."""
PAPER_DIGITS = 6
"""Width of a paper's index within its chunk: a chunk holds under a million papers."""
SEQ_DIGITS = 8
"""Width of a sighting's sequence within its chunk (authorships and institutions)."""

RECORDS_PER_CHUNK = 2000
"""Records formatted together when they come as objects rather than snapshot lines."""


@dataclass
class TableText:
    """Rows already formatted, newline-terminated, for one CSV table."""

    text: str | bytes = ""
    """Python's rows as text, the compiled pass's (`loaders.native`) as UTF-8 bytes."""
    rows: int = 0
    multiline: bool = False
    """A value holds a line break: the importer must parse this file the slow way."""


@dataclass
class ChunkText:
    """What one chunk of records adds to the import files."""

    papers: int = 0
    sightings: int = 0
    """Authorships and institution sightings: how much name resolution waits downstream."""
    tables: dict[str, TableText] = field(default_factory=dict)
    scratch: dict[str, str | bytes] = field(default_factory=dict)
    topics: dict[str, dict[str, str]] = field(default_factory=dict)


def _table(lines: list[str]) -> TableText:
    if not lines:
        return TableText()
    block = "\n".join(lines) + "\n"
    multiline = "\r" in block or block.count("\n") != len(lines)
    return TableText(block, len(lines), multiline)


def check_columns(columns: list[str]) -> None:
    """Every paper property needs an importer type, in the header's order, or the import
    would guess its type or file it under another column."""
    if columns != list(PAPER_TYPES):
        raise BulkImportError(
            f"PaperRecord.props() gives {columns}, but the CSV header is {list(PAPER_TYPES)}: "
            "list every property, in the same order, in PAPER_TYPES in loaders/bulk_text.py"
        )


def format_chunk(records: Iterable[PaperRecord], chunk: int, max_authors: int) -> ChunkText:
    """The CSV rows and scratch lines of `records`, numbered as chunk `chunk` of the corpus."""
    out = ChunkText()
    prefix = f"{chunk:0{CHUNK_DIGITS}d}"
    papers: dict[str, list[str]] = {"paper": [], "paper-local": []}
    has_topic: list[str] = []
    ids: list[str] = []
    names: list[str] = []
    authorship: list[str] = []
    paper_people: list[str] = []
    institutions: list[str] = []
    seq = 0
    checked = False
    for index, rec in enumerate(records):
        paper = shape(rec)
        props = paper.props
        if not checked:
            check_columns(list(props))
            checked = True
        updated = props["updated"]
        local = updated is not None and updated.tzinfo is None
        row = ",".join(map(cell, [paper.arxiv_id, *props.values()]))
        papers["paper-local" if local else "paper"].append(row)
        ids.append(paper.arxiv_id + "\n")
        quoted_id = q(paper.arxiv_id)
        for t in paper.topics:
            code = t["code"]
            out.topics.setdefault(code, t)
            primary = "true" if code == paper.primary_category else "false"
            has_topic.append(f"{quoted_id},{q(code)},{primary}")
        number = f"{prefix}{index:0{PAPER_DIGITS}d}"
        for a, clue in zip(paper.authorships, paper.clues(max_authors), strict=True):
            names.append(a.key + "\n")
            evidence = (
                paper.arxiv_id,
                a.position,
                number,
                clue.year,
                clue.categories,
                clue.coauthors,
                clue.institutions,
                a.name,
                a.written,
            )  # JSON escapes tabs and line breaks: one line per authorship
            line = orjson.dumps(evidence).decode()
            authorship.append(f"{a.key}\t{prefix}{seq:0{SEQ_DIGITS}d}\t{line}\n")
            seq += 1
        if 2 <= paper.author_count <= max_authors:
            keys = "\x1f".join(a.key for a in paper.authorships)
            paper_people.append(f"{number}\t{paper.year:04d}\t{keys}\n")
        for f in paper.affiliations:
            spelled = orjson.dumps(f.name).decode()
            institutions.append(f"{f.key}\t{prefix}{seq:0{SEQ_DIGITS}d}\t{spelled}\n")
            seq += 1
        out.papers += 1
    out.sightings = seq
    out.tables = {
        "paper": _table(papers["paper"]),
        "paper-local": _table(papers["paper-local"]),
        "has_topic": _table(has_topic),
    }
    out.scratch = {
        "paper_ids": "".join(ids),
        "names": "".join(names),
        "authorship": "".join(authorship),
        "paper_people": "".join(paper_people),
        "institution_seen": "".join(institutions),
    }
    return out


def format_records(records: Iterable[PaperRecord], max_authors: int) -> Iterator[ChunkText]:
    """Records given as objects, formatted `RECORDS_PER_CHUNK` at a time in this process."""
    it = iter(records)
    chunk = 0
    while batch := list(islice(it, RECORDS_PER_CHUNK)):
        yield format_chunk(batch, chunk, max_authors)
        chunk += 1
