"""The bulk path's people: each name block split into persons, then pairs between persons.

`bulk_csv` notes every authorship with its evidence, keyed by name. Sorted on disk, the
authorships of one name come out together: `loaders.identity` splits that block into
people, which gives the `Author` rows and the `AUTHORED` rows (with why each went where
it did). Authorships whose person is not the name's first go to a short `moved` file,
and a merge of the papers' author lists with it counts COAUTHOR pairs between people.
Memory holds one name block at a time. With `kg_native` installed (`loaders.native`), the
sorted text goes to Rust as it is: `NameRuns` cuts it into pieces of whole name blocks and
`resolve_text` gives what `_resolve_chunk` gives for them, in threads (no GIL held); the
heavy names and the pair lines are counted there too.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, TextIO

import orjson

from kg.core.config import STRONG_TIES, TOPIC_COUNTS
from kg.core.names import person_key
from loaders import identity, native
from loaders.bulk_ties import Candidates
from loaders.rows import coauthor_pairs
from loaders.scratch import Table, cell, q, runs, sorted_blocks, sorted_lines, write_any


@dataclass
class PeopleStats:
    people: int = 0
    ambiguous_names: int = 0
    """Name blocks that hold more than one person."""
    assigned_by: dict[str, int] = field(default_factory=dict)
    """Authorships per kind of evidence that placed them (`AUTHORED.assignedBy`)."""


def heavy_names(path: Path, tmp: Path) -> dict[str, int]:
    """Authorships per name key, for the names on more than `SPECIFIC_WORKS` of them:
    every other co-author name weighs 1, so only these few need remembering."""
    compiled = native.module()
    if compiled is not None:
        counts = compiled.RunCounts(identity.SPECIFIC_WORKS)
        return {
            name: n
            for data in itertools.chain(sorted_blocks(path, tmp), [None])
            for name, n in counts.feed(data or b"", last=data is None)
        }
    heavy: dict[str, int] = {}
    current, count = "", 0
    for line in sorted_lines(path, tmp):
        if line != current:
            if count > identity.SPECIFIC_WORKS:
                heavy[current] = count
            current, count = line, 0
        count += 1
    if count > identity.SPECIFIC_WORKS:
        heavy[current] = count
    return heavy


WORKERS = max(1, min(4, os.cpu_count() or 1))
"""Processes resolving name blocks side by side: blocks are independent of each other."""

CHUNK = 20_000
"""Authorships per piece of work sent to a worker."""

START = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
"""Workers fork where the platform can (no re-import); elsewhere they start afresh."""

PARALLEL_FROM = 200_000
"""Fewer authorships than this are resolved in the loader's own process."""


@dataclass
class _Output:
    """What one chunk of name blocks adds: CSV and scratch text, and its tallies."""

    authors: list[str] = field(default_factory=list)
    hub_keys: list[str] = field(default_factory=list)
    hub_rows: list[str] = field(default_factory=list)
    """`Author` rows of possible hubs (`bulk_ties.Candidates`), with their keys."""
    authored: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    affiliation: list[str] = field(default_factory=list)
    stats: PeopleStats = field(default_factory=PeopleStats)


_weights: dict[str, float] = {}
_LIGHT = identity.co_author_weight(1)


def _start_worker(heavy: dict[str, int]) -> None:
    global _weights
    _weights = {name: identity.co_author_weight(n) for name, n in heavy.items()}


def _weight(name: str) -> float:
    """Every name not heavy weighs what one authorship does: one dict look-up a co-author."""
    return _weights.get(name, _LIGHT)


def _resolve_chunk(blocks: list[tuple[str, list[str]]]) -> _Output:
    """Split each name block of the chunk into people, formatted as rows."""
    out = _Output()
    stats = out.stats
    for name, run in blocks:
        evidence = [orjson.loads(entry) for entry in run]  # in input order
        if len(evidence) == 1:
            people = [[0]]
            decisions: list[tuple[str, str | None]] = [(identity.NAME, None)]
        else:
            clues = [
                identity.Clue(e[0], e[1], e[3], tuple(e[4]), tuple(e[5]), tuple(e[6]))
                for e in evidence
            ]
            found = identity.resolve(name, clues, _weight)
            people = found.people
            decisions = [(d.by, d.reason) for d in found.decisions]
            stats.ambiguous_names += len(people) > 1
        biggest = min(range(len(people)), key=lambda p: (-len(people[p]), p))
        slots = _slots(evidence)
        for number, members in enumerate(people):
            first = evidence[members[0]]  # the earliest authorship founds the record
            key = name if number == biggest else person_key(name, first[0])
            variants = list(dict.fromkeys(evidence[i][8] for i in members))
            codes, works = _topic_counts(evidence, members)
            row = ",".join(map(cell, (key, first[7], name, variants, codes, works)))
            if sum(slots[i] for i in members) > STRONG_TIES:
                out.hub_keys.append(key)
                out.hub_rows.append(row)
            else:
                out.authors.append(row)
            for i in members:
                arxiv_id, position, paper, year, _, _, institutions, _, written = evidence[i]
                by, reason = decisions[i]
                stats.assigned_by[by] = stats.assigned_by.get(by, 0) + 1
                where = cell(institutions) if institutions else ""  # none: no property
                out.authored.append(
                    f"{q(key)},{q(arxiv_id)},{position},{q(written)},{where},"
                    f"{q(by)},{q(reason) if reason else ''}"
                )
                if number != biggest:
                    out.moved.append(f"{paper}\t{position:04d}\t{key}\n")
                out.affiliation += [f"{key}\t{inst}\t{year:04d}\n" for inst in institutions]
        stats.people += len(people)
    return out


def _topic_counts(evidence: list[Any], members: list[int]) -> tuple[Any, Any]:
    """A person's works per topic, most first, then by code, as `topic_counts.cypher`
    keeps them: for more than `TOPIC_COUNTS` works (authorships), else none (no property)."""
    if len(members) <= TOPIC_COUNTS:
        return None, None
    counts = Counter(code for i in members for code in evidence[i][4])
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [code for code, _ in ranked], [n for _, n in ranked]


def _slots(evidence: list[Any]) -> list[int]:
    """Per authorship, the most co-authors it can give its person: the other names on the
    paper (none above the COAUTHOR cap) and the block's other authorships of the paper."""
    slots = [len(e[5]) for e in evidence]
    papers = Counter(e[2] for e in evidence)
    if len(papers) < len(evidence):  # a name twice on one paper: maybe two people
        slots = [n + papers[e[2]] - 1 for n, e in zip(slots, evidence, strict=True)]
    return slots


def _chunks(blocks: Iterator[tuple[str, list[str]]]) -> Iterator[list[tuple[str, list[str]]]]:
    chunk: list[tuple[str, list[str]]] = []
    size = 0
    for block in blocks:
        chunk.append(block)
        size += len(block[1])
        if size >= CHUNK:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def write_people(
    authorships: Path,
    tmp: Path,
    heavy: dict[str, int],
    authors: Table,
    authored: Table,
    count: int,
    hubs: Candidates,
) -> PeopleStats:
    """Resolve every name block into `authors` and `authored`; leaves `affiliation.tsv`
    (person, institution, year) and `moved.tsv` (paper number, position, person) in `tmp`.
    The rows of people who may have over `STRONG_TIES` co-authors wait in `hubs`.

    With `kg_native`, `WORKERS` threads resolve chunks of blocks (the compiled code lets go
    of the GIL). Without it, with `count` authorships or more, `WORKERS` processes do, while
    this one reads the sorted blocks and writes what comes back, in order."""
    stats = PeopleStats()
    compiled = _native()
    with (
        (tmp / "affiliation.tsv").open("w", encoding="utf-8", buffering=1 << 20) as affiliation,
        (tmp / "moved.tsv").open("w", encoding="utf-8", buffering=1 << 20) as moved,
        ExitStack() as stack,
    ):
        if compiled is not None:
            weights = native_weights(compiled, heavy)
            pieces = _name_pieces(compiled, sorted_blocks(authorships, tmp))
            for result in _in_threads(lambda p: compiled.resolve_text(p, weights), pieces):
                _write_native(result, authors, authored, hubs, moved, affiliation, stats)
            return stats
        chunks = _chunks(runs(sorted_lines(authorships, tmp)))
        if count >= PARALLEL_FROM and WORKERS > 1:
            pool = stack.enter_context(
                multiprocessing.get_context(START).Pool(
                    WORKERS, initializer=_start_worker, initargs=(heavy,)
                )
            )
            outputs: Iterator[_Output] = pool.imap(_resolve_chunk, chunks)
        else:
            _start_worker(heavy)
            outputs = map(_resolve_chunk, chunks)
        for out in outputs:
            authors.lines(out.authors)
            hubs.rows(out.hub_keys, out.hub_rows)
            authored.lines(out.authored)
            moved.write("".join(out.moved))
            affiliation.write("".join(out.affiliation))
            _add(stats, out.stats.people, out.stats.ambiguous_names, out.stats.assigned_by.items())
    return stats


def _native() -> ModuleType | None:
    """`kg_native` for this phase (the tests turn it off here alone)."""
    return native.module()


def _name_pieces(compiled: ModuleType, blocks: Iterator[bytes]) -> Iterator[bytes]:
    """The sorted authorship text in pieces of whole name blocks (`CHUNK` lines or more),
    cut in Rust: the loader never splits the lines into Python strings."""
    runs = compiled.NameRuns(CHUNK)
    for data in itertools.chain(blocks, [None]):
        yield from runs.feed(data or b"", last=data is None)


def native_weights(compiled: ModuleType, heavy: dict[str, int]) -> Any:
    """`kg_native.Weights`: the heavy names' weights and the rules' constants, taken from
    `identity` and the config so they are set in one place."""
    return compiled.Weights(
        {name: identity.co_author_weight(n) for name, n in heavy.items()},
        light=identity.co_author_weight(1),
        link=identity.LINK,
        institution=identity.INSTITUTION,
        ambiguous=identity.AMBIGUOUS,
        ignore_below=identity.IGNORE_BELOW,
        field_links=identity.FIELD_LINKS,
        strong_ties=STRONG_TIES,
        topic_counts=TOPIC_COUNTS,
        labels=(identity.COAUTHORS, identity.FIELD, identity.NAME, identity.NEW),
    )


def _in_threads(work: Callable[[bytes], Any], chunks: Iterator[bytes]) -> Iterator[Any]:
    """`work` on each chunk in `WORKERS` threads, results in chunk order; a few chunks
    ahead at most, so memory stays bounded by the chunk size."""
    if WORKERS == 1:
        yield from map(work, chunks)
        return
    with ThreadPoolExecutor(WORKERS, thread_name_prefix="people") as pool:
        pending: deque[Future[Any]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(work, chunk))
            if len(pending) >= 2 * WORKERS:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _write_native(
    result: tuple[Any, ...],
    authors: Table,
    authored: Table,
    hubs: Candidates,
    moved: TextIO,
    affiliation: TextIO,
    stats: PeopleStats,
) -> None:
    """`kg_native.resolve_chunk`'s `_Output`: tables as (text, rows, multiline), scratch
    lines joined, `assigned_by` as (label, count) pairs in order of first use."""
    author_rows, hub_keys, hub_rows, authored_rows, moved_text, affiliation_text, *tally = result
    authors.block(*author_rows)
    hubs.rows(hub_keys, hub_rows)
    authored.block(*authored_rows)
    write_any(moved, moved_text)
    write_any(affiliation, affiliation_text)
    _add(stats, *tally)


def _add(stats: PeopleStats, people: int, ambiguous: int, assigned: Any) -> None:
    stats.people += people
    stats.ambiguous_names += ambiguous
    for by, n in assigned:
        stats.assigned_by[by] = stats.assigned_by.get(by, 0) + n


def write_pairs(paper_people: Path, moved: Path, tmp: Path) -> int:
    """`pair.tsv` in `tmp`: (person, person, year) per shared paper; returns its lines.

    `paper_people` lists each paper's name keys in author order, papers in number order;
    the sorted `moved` lines replace the name key of authorships that went elsewhere.
    """
    compiled = native.module()
    if compiled is not None:
        ordered = tmp / "moved.sorted.tsv"
        with ordered.open("wb") as out:
            out.writelines(sorted_blocks(moved, tmp))
        written = compiled.pair_lines(str(paper_people), str(ordered), str(tmp / "pair.tsv"))
        ordered.unlink()
        paper_people.unlink()
        return int(written)
    changes = _moved(sorted_lines(moved, tmp))
    change = next(changes, None)
    written = 0
    with (
        paper_people.open(encoding="utf-8") as papers,
        (tmp / "pair.tsv").open("w", encoding="utf-8", buffering=1 << 20) as out,
    ):
        for line in papers:
            number, year, joined = line.rstrip("\n").split("\t")
            keys = joined.split("\x1f")
            while change is not None and change[0] <= number:
                if change[0] == number:
                    keys[change[1] - 1] = change[2]
                change = next(changes, None)
            pairs = coauthor_pairs(keys, len(keys))
            out.write("".join(f"{a}\t{b}\t{year}\n" for a, b in pairs))
            written += len(pairs)
    paper_people.unlink()
    return written


def _moved(lines: Iterator[str]) -> Iterator[tuple[str, int, str]]:
    for line in lines:
        paper, position, key = line.split("\t")
        yield paper, int(position), key
