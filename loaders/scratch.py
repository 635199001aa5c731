"""Scratch files and CSV tables for the bulk import: sorting occurrence lines on disk.

Whatever needs the whole corpus is written as one line per sighting and aggregated by
GNU `sort` on disk, so the bulk path's memory stays flat however big the snapshot.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO, Any, TextIO

from kg.core.errors import KgError

ARRAY_DELIMITER = "\x1f"
"""ASCII unit separator: never in arXiv metadata (XML cannot even carry it), unlike `;`."""

SORTED_BLOCK = 1 << 22
"""Bytes of sorted output handed over at a time by `sorted_blocks`."""

SORT_MEMORY = "200M"
SORT_THREADS = 2


class BulkImportError(KgError):
    """The bulk import cannot go ahead; the message says what to change."""


def q(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def cell(value: Any) -> str:
    """One CSV field: strings always quoted (so "" stays an empty string), None left empty."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return q(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):  # datetime too; aware ones keep their offset
        return value.isoformat()
    if isinstance(value, list):
        return q(ARRAY_DELIMITER.join(str(v).replace(ARRAY_DELIMITER, " ") for v in value))
    raise TypeError(f"no CSV form for {type(value).__name__} value {value!r}")


class Table:
    """One node or relationship data file, its header in a file of its own."""

    def __init__(self, out_dir: Path, name: str, header: list[str]) -> None:
        self.header = out_dir / f"{name}.header.csv"
        self.data = out_dir / f"{name}.csv"
        self.header.write_text(",".join(header) + "\n", encoding="utf-8")
        self._out: TextIO = self.data.open("w", encoding="utf-8", newline="\n", buffering=1 << 20)
        self.rows = 0
        self.multiline = False
        """A value holds a line break: the importer must be told to parse this file slowly."""

    def row(self, values: Iterable[Any]) -> None:
        self.line(",".join(map(cell, values)))

    def line(self, text: str) -> None:
        """A row already formatted, without its newline (for the hot loops)."""
        if "\n" in text or "\r" in text:
            self.multiline = True
        self._out.write(text + "\n")
        self.rows += 1

    def lines(self, texts: list[str]) -> None:
        """Rows already formatted, without their newlines, in one write."""
        if not texts:
            return
        block = "\n".join(texts) + "\n"
        if "\r" in block or block.count("\n") != len(texts):
            self.multiline = True
        self._out.write(block)
        self.rows += len(texts)

    def block(self, text: str | bytes, rows: int, multiline: bool) -> None:
        """`rows` rows formatted elsewhere (`bulk_text`, or UTF-8 bytes from
        `loaders.native`), newline-terminated, in one write."""
        self.multiline = self.multiline or multiline
        write_any(self._out, text)
        self.rows += rows

    def close(self) -> None:
        self._out.close()

    def files(self) -> list[str]:
        return [self.header.name, self.data.name]


def write_any(out: TextIO, text: str | bytes) -> None:
    """Text, or bytes already UTF-8 (the compiled steps hand those over, so that the text is
    never decoded into a str only to be encoded again on its way to the file)."""
    if isinstance(text, bytes):
        out.flush()
        out.buffer.write(text)
    else:
        out.write(text)


def sorted_lines(path: Path, tmp: Path) -> Iterator[str]:
    """The lines of `path` in byte order, sorted by GNU sort on disk (bounded memory).

    `LC_ALL=C` sorts bytes, and UTF-8 byte order is code point order, so runs of one key
    are contiguous and zero-padded sequence numbers keep each run in input order.
    """
    with _sorting(path, tmp) as out:
        for line in io.TextIOWrapper(out, encoding="utf-8", newline="\n"):
            yield line[:-1]


def sorted_blocks(path: Path, tmp: Path) -> Iterator[bytes]:
    """`sorted_lines` as blocks of `SORTED_BLOCK` bytes, cut anywhere (for `loaders.native`)."""
    with _sorting(path, tmp) as out:
        while data := out.read(SORTED_BLOCK):
            yield data


@contextmanager
def _sorting(path: Path, tmp: Path) -> Iterator[IO[bytes]]:
    """GNU sort's output of `path`; the file is deleted once read, to free its disk space."""
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
        yield proc.stdout
    if proc.returncode != 0:
        raise BulkImportError(
            f"sorting {path} failed (is there free disk space in {tmp}?): "
            + errors.read_text(errors="replace").strip()
        )
    path.unlink()


def runs(lines: Iterator[str]) -> Iterator[tuple[str, list[str]]]:
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


def year_spans(lines: Iterator[str]) -> Iterator[tuple[str, str, int, int, int]]:
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


def year_counts(lines: Iterator[str]) -> Iterator[tuple[str, str, list[int], list[int]]]:
    """(a, b, years, count per year) from sorted `a<TAB>b<TAB>yyyy` lines: a pair's works per
    year, years ascending."""
    current: str | None = None
    years: list[int] = []
    counts: list[int] = []
    for line in lines:
        head, year = line[:-5], int(line[-4:])
        if head != current:
            if current is not None:
                a, b = current.split("\t")
                yield a, b, years, counts
            current, years, counts = head, [], []
        if years and years[-1] == year:
            counts[-1] += 1
        else:
            years.append(year)
            counts.append(1)
    if current is not None:
        a, b = current.split("\t")
        yield a, b, years, counts
