"""The bulk path's strongest ties: a hub's lists computed from its COAUTHOR rows, in the CSVs.

`queries/strong_ties.cypher` keeps, on each researcher with more than `STRONG_TIES`
co-authors, the strongest ties, the co-author counts by shared works and the windowed
close-collaborator table. The transactional path runs it on the records it touched; the bulk
path computes the same lists here while it writes the COAUTHOR rows, so they are `Author`
columns of the import and no pass over the started database is left to do.

Only possible hubs are followed: `bulk_people` defers the `Author` row of every person whose
authorships leave room for more than `STRONG_TIES` co-authors (`Candidates`), and each
COAUTHOR row touching one is noted, from that side, in a scratch file. Sorted on disk, a
person's row comes first and their co-authors after it: memory holds one hub's co-authors.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

import orjson

from kg.core.config import STRONG_TIES
from loaders import native
from loaders.scratch import ARRAY_DELIMITER, Table, sorted_blocks, sorted_lines, write_any

SHARED_UP_TO = 10
"""`coauthorsByShared` and `coauthorsSince` count co-authors sharing 1, 2, ..., 10 works."""

AUTHOR = [
    "key:ID(Author)",
    "name:string",
    "nameKey:string",
    "nameVariants:string[]",
    "topicCodes:string[]",
    "topicWorks:int[]",
]
"""The `author` table's columns (the topic counts empty below `TOPIC_COUNTS` works)."""

HEADER = [
    *AUTHOR,
    "strongTies:string[]",
    "strongTieWeights:int[]",
    "strongTieFirstYears:int[]",
    "strongTieLastYears:int[]",
    "coauthorsByShared:int[]",
    "coauthorsSinceYear:int",
    "coauthorsSince:int[]",
]
"""The `author-ties` table: `author`'s columns, then the lists `strong_ties.cypher` sets."""

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
"""Characters whose order by code point differs from their order by UTF-16 unit (Neo4j's)."""

SCRATCH = "ties.tsv"
ROW, TIE = "0", "1"
"""Second field of a scratch line: a deferred `Author` row sorts before its person's ties."""

Tie = tuple[str, int, str, str, str, str]
"""(co-author, shared works, first year, last year, years, works per year), as in the
COAUTHOR row (the last two joined by the array delimiter), its years as written there."""


class Candidates:
    """Possible hubs: their deferred `Author` rows, then the COAUTHOR rows that touch them."""

    def __init__(self, tmp: Path) -> None:
        self.path = tmp / SCRATCH
        self.keys: set[str] = set()
        """Bounded by the people with over `STRONG_TIES` co-author slots, not by the corpus."""
        self._out: TextIO = self.path.open("w", encoding="utf-8", buffering=1 << 20)

    def rows(self, keys: list[str], rows: list[str]) -> None:
        """Defer these people's `Author` rows (CSV text) until their ties are known."""
        self.keys.update(keys)
        self._out.write(
            "".join(
                f"{key}\t{ROW}\t{orjson.dumps(row).decode()}\n"
                for key, row in zip(keys, rows, strict=True)
            )
        )

    def edge(self, a: str, b: str, tail: str) -> None:
        """A COAUTHOR row (`tail`: weight, first and last year, years, works per year, tab
        separated), noted for whichever of its people may be a hub."""
        if a in self.keys:
            self._out.write(f"{a}\t{TIE}\t{b}\t{tail}\n")
        if b in self.keys:
            self._out.write(f"{b}\t{TIE}\t{a}\t{tail}\n")

    def text(self, ties: bytes) -> None:
        """Lines `native.PairRows` wrote as `edge` writes them."""
        write_any(self._out, ties)

    def write(self, tmp: Path, authors: Table, hubs: Callable[[], Table]) -> int:
        """Every deferred row: a hub's to the `hubs()` table with its lists, the others' to
        `authors` as they were. Returns the hubs."""
        self._out.close()
        compiled = native.module()
        if compiled is not None:
            return _write_native(
                compiled.TieRows(STRONG_TIES, SHARED_UP_TO), tmp, self.path, authors, hubs
            )
        count = 0
        for row, ties in _people(sorted_lines(self.path, tmp)):
            if len(ties) <= STRONG_TIES:
                authors.line(row)
                continue
            hubs().line(row + "," + ",".join(strong_ties(ties)))
            count += 1
        return count


def _write_native(
    rows: Any, tmp: Path, path: Path, authors: Table, hubs: Callable[[], Table]
) -> int:
    """`Candidates.write` by `native.TieRows`: the same rows, hubs' lists computed in Rust."""
    count = 0
    blocks = sorted_blocks(path, tmp)
    for data in itertools.chain(blocks, [None]):
        plain, plain_rows, hub, hub_rows, multiline = rows.feed(data or b"", last=data is None)
        authors.block(plain, plain_rows, multiline)
        if hub_rows:
            hubs().block(hub, hub_rows, multiline)
        count += hub_rows
    return count


def _people(lines: Iterator[str]) -> Iterator[tuple[str, list[Tie]]]:
    """(deferred row, co-authors) per person from the sorted scratch lines."""
    row = ""
    ties: list[Tie] = []
    for line in lines:
        _, kind, rest = line.split("\t", 2)
        if kind == ROW:
            if row:
                yield row, ties
            row, ties = orjson.loads(rest), []
        else:
            b, weight, first, last, years, counts = rest.split("\t")
            ties.append((b, int(weight), first, last, years, counts))
    if row:
        yield row, ties


def strong_ties(ties: list[Tie]) -> list[str]:
    """The CSV cells `strong_ties.cypher` sets on a hub, from all its co-authors: the
    strongest first (most shared works, then by key), and the counts by shared works and
    by year (its header describes the `coauthorsSince` table)."""
    ties.sort(key=lambda t: (-t[1], t[0]))
    if _ASTRAL.search("".join(t[0] for t in ties)):  # Cypher orders strings by UTF-16 unit
        ties.sort(key=lambda t: (-t[1], t[0].encode("utf-16-be")))
    kept = ties[:STRONG_TIES]
    by_shared = [0] * SHARED_UP_TO
    reach: dict[tuple[int, str], int] = {}  # (k, y): co-authors whose last year with k from y on
    for _, weight, _, last, years, counts in ties:
        if weight == 1:
            by_shared[0] += 1
            reach[1, last] = reach.get((1, last), 0) + 1
            continue
        for n in range(min(weight, SHARED_UP_TO)):
            by_shared[n] += 1
        on = 0  # shared works from years[i] on
        for year, works in zip(
            reversed(years.split(ARRAY_DELIMITER)),
            reversed(counts.split(ARRAY_DELIMITER)),
            strict=True,
        ):
            low, on = on + 1, on + int(works)
            if low > SHARED_UP_TO:
                break
            for k in range(low, min(on, SHARED_UP_TO) + 1):
                reach[k, year] = reach.get((k, year), 0) + 1
    first = min(int(y) for _, y in reach)
    span = max(int(y) for _, y in reach) - first + 1
    table = [0] * (SHARED_UP_TO * span)
    for (k, year), n in reach.items():  # counted in every year up to `year`
        row = (k - 1) * span
        for y in range(row, row + int(year) - first + 1):
            table[y] += n
    return [
        _array(t[0] for t in kept),
        _array(str(t[1]) for t in kept),
        _array(t[2] for t in kept),
        _array(t[3] for t in kept),
        _array(map(str, by_shared)),
        str(first),
        _array(map(str, table)),
    ]


def _array(values: Iterator[str] | map[str]) -> str:
    return '"' + ARRAY_DELIMITER.join(values).replace('"', '""') + '"'
