"""The bulk path's corpus-wide counts in DuckDB: COAUTHOR rows from co-author pairs, and
the names common enough to weigh less as co-authors.

`bulk_people.write_pairs` leaves one `person<TAB>person<TAB>year` line per shared paper
(about ten million for a million papers). Sorting them on disk and counting runs in
Python took longer than everything else people and pairs do but resolving names; a
group-by in DuckDB reads the file on every core and writes the rows itself. Its memory is
capped (`MEMORY`): past the cap it spills to the scratch directory, so the loader's
memory stays flat however big the corpus. The rows are the ones the Python pass wrote,
byte for byte and in the same order (keys in byte order, which is DuckDB's default
collation).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from loaders import identity
from loaders.bulk_ties import TIE, Candidates
from loaders.scratch import ARRAY_DELIMITER, BulkImportError, Table

MEMORY = "1GB"
"""DuckDB's memory cap; aggregations beyond it spill to disk."""

_PAIRS = """
    read_csv(?, delim = '\t', quote = '', escape = '', header = false, auto_detect = false,
             columns = {'a': 'VARCHAR', 'b': 'VARCHAR', 'year': 'INTEGER'})
"""
_PACK = 100_000_000
"""A (year, works) pair as one integer, year * _PACK + works: a list of them sorted is
the years in order with their counts, sorted far faster than `string_agg(... ORDER BY)`."""
_SEP = f"chr({ord(ARRAY_DELIMITER)})"
_AGGREGATE = f"""
    CREATE TABLE coauthor AS
    SELECT a, b, weight, first, last,
           array_to_string(list_transform(packed, lambda x: x // {_PACK}), {_SEP}) AS years,
           array_to_string(list_transform(packed, lambda x: x % {_PACK}), {_SEP}) AS works
    FROM (
        SELECT a, b, sum(n)::BIGINT AS weight, min(year) AS first, max(year) AS last,
               list_sort(list(year::BIGINT * {_PACK} + n)) AS packed
        FROM (SELECT a, b, year, count(*) AS n FROM {_PAIRS} GROUP BY a, b, year)
        GROUP BY a, b
    )
"""
_ROWS = """
    COPY (SELECT a, b, weight, first, last, years, works FROM coauthor ORDER BY a, b)
    TO '{path}' (HEADER false, QUOTE '"', ESCAPE '"', FORCE_QUOTE (a, b, years, works))
"""
_HUB_TIES = """
    COPY (
        SELECT a AS person, '{tie}', b, weight, first, last, years, works
        FROM coauthor WHERE a IN (SELECT key FROM hubs)
        UNION ALL
        SELECT b, '{tie}', a, weight, first, last, years, works
        FROM coauthor WHERE b IN (SELECT key FROM hubs)
    ) TO '{path}' (HEADER false, DELIMITER '\t', QUOTE '')
"""


def _connect(tmp: Path) -> duckdb.DuckDBPyConnection:
    spill = tmp / "duckdb"
    spill.mkdir(exist_ok=True)
    return duckdb.connect(
        config={
            "threads": max(1, os.cpu_count() or 1),
            "memory_limit": MEMORY,
            "temp_directory": str(spill),
            "preserve_insertion_order": False,
        }
    )


def _path(path: Path) -> str:
    """A path for a COPY statement (which takes no parameters)."""
    text = str(path.resolve())
    if "'" in text:
        raise BulkImportError(f"the bulk import's scratch path may not hold a quote: {text}")
    return text


def write_coauthor(pairs: Path, tmp: Path, table: Table, hubs: Candidates) -> None:
    """Append the COAUTHOR rows counted from `pairs` (deleted after) to `table`, and note
    every row that touches a possible hub in `hubs`.

    A row is (person, person, shared works, first and last year, years, works per year),
    the lower key first, rows in key order."""
    rows, ties, keys = tmp / "coauthor-rows.csv", tmp / "hub-ties.tsv", tmp / "hub-keys.tsv"
    keys.write_text("".join(f"{key}\n" for key in hubs.keys), encoding="utf-8")
    try:
        with _connect(tmp) as con:
            con.execute(_AGGREGATE, [str(pairs)])
            count = con.execute("SELECT count(*) FROM coauthor").fetchone()
            con.execute(_ROWS.format(path=_path(rows)))
            con.execute(
                "CREATE TABLE hubs AS SELECT key FROM read_csv(?, delim = '\t', quote = '', "
                "escape = '', header = false, auto_detect = false, columns = {'key': 'VARCHAR'})",
                [str(keys)],
            )
            con.execute(_HUB_TIES.format(tie=TIE, path=_path(ties)))
    except duckdb.Error as err:
        raise BulkImportError(
            f"counting co-author pairs failed (is there free disk space in {tmp}?): {err}"
        ) from None
    table.append_file(rows, count[0] if count else 0)
    hubs.add_ties(ties)
    pairs.unlink()
    keys.unlink()
    shutil.rmtree(tmp / "duckdb", ignore_errors=True)


def heavy_names(names: Path, tmp: Path) -> dict[str, int]:
    """Authorships per name key, for the names on more than `SPECIFIC_WORKS` of them:
    every other co-author name weighs 1, so only these few need remembering. `names`
    holds one name key a line, one line an authorship (deleted after)."""
    try:
        with _connect(tmp) as con:
            found = con.execute(
                "SELECT name, count(*) FROM read_csv(?, delim = '\t', quote = '', escape = '', "
                "header = false, auto_detect = false, columns = {'name': 'VARCHAR'}) "
                "GROUP BY name HAVING count(*) > ?",
                [str(names), identity.SPECIFIC_WORKS],
            ).fetchall()
    except duckdb.Error as err:
        raise BulkImportError(
            f"counting names failed (is there free disk space in {tmp}?): {err}"
        ) from None
    names.unlink()
    return {name: int(n) for name, n in found}
