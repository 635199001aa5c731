"""The compiled aggregation steps (`native/src/pairs.rs`, `pair_lines.rs`, the name blocks
of `people.rs`) against the Python code they reproduce: the same bytes in every file,
whatever the sorted text's block cuts."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kg.bench import synthetic
from kg.core.config import STRONG_TIES
from loaders import bulk_csv, bulk_people, bulk_ties, identity, native, scratch, snapshot
from loaders.pipeline import RejectLog
from loaders.scratch import Table
from tests import native_module

compiled = native_module.for_module()
pytestmark = pytest.mark.skipif(compiled is None, reason=native_module.NO_CARGO)

KEYS = [
    "wei-zhang",
    'o"brien',  # quotes are doubled in CSV
    "zoe-ng",
    "\U0001d49c-astral",  # sorts after U+FFxx by code point, before it by UTF-16 unit
    "\uff41-fullwidth",
    "ana-lima--2101.00001",
]


def _scratch(tmp: Path, seed: int) -> tuple[list[str], list[str]]:
    """pair.tsv lines and possible hubs: two people with over STRONG_TIES co-authors."""
    rng = random.Random(seed)
    people = KEYS + [f"p{i:03d}" for i in range(STRONG_TIES + 40)]
    hubs = ["wei-zhang", "\U0001d49c-astral", "zoe-ng"]
    lines = []
    for hub in hubs[:2]:
        for other in people:
            if other != hub and (hub, other) != (hubs[1], hubs[0]):
                equal = hub == "wei-zhang" and other in KEYS[3:5]  # a tie on weight
                for _ in range(5 if equal else rng.choice([1, 1, 2, 3, 12])):
                    a, b = sorted((hub, other))
                    lines.append(f"{a}\t{b}\t{rng.choice([1999, 2019, 2020, 2024]):04d}\n")
    lines += ["zoe-ng\tp001\t2021\n", 'o"brien\tzoe-ng\t0999\n']
    rng.shuffle(lines)
    (tmp / "pair.tsv").write_text("".join(lines), encoding="utf-8")
    return hubs, lines


def _write(tmp: Path, on: bool, monkeypatch: pytest.MonkeyPatch, seed: int) -> dict[str, bytes]:
    monkeypatch.setattr(native, "module", lambda: compiled if on else None)
    tmp.mkdir()
    hub_keys, _ = _scratch(tmp, seed)
    hubs = bulk_ties.Candidates(tmp)
    rows = [f'"{k}","{k.upper()}","{k}","a\x1fb",,' for k in hub_keys]
    hubs.rows(hub_keys, rows)
    coauthor = Table(tmp, "coauthor", bulk_csv.HEADERS["coauthor"])
    authors = Table(tmp, "author", bulk_csv.HEADERS["author"])
    made: list[Table] = []

    def ties() -> Table:
        if not made:
            made.append(Table(tmp, "author-ties", bulk_csv.HEADERS["author-ties"]))
        return made[0]

    bulk_csv.write_coauthor(tmp / "pair.tsv", tmp, coauthor, hubs)
    count = hubs.write(tmp, authors, ties)
    for table in [coauthor, authors, *made]:
        table.close()
    files = {p.name: p.read_bytes() for p in sorted(tmp.glob("*.csv"))}
    return {**files, "hubs": str(count).encode(), "rows": str(coauthor.rows).encode()}


@pytest.mark.parametrize("block", [1, 7, 1 << 22])
def test_pairs_and_ties_are_the_python_bytes(tmp_path, monkeypatch, block):
    monkeypatch.setattr(scratch, "SORTED_BLOCK", block)  # lines cut across blocks
    python = _write(tmp_path / "py", False, monkeypatch, seed=block)
    rust = _write(tmp_path / "rs", True, monkeypatch, seed=block)
    assert python == rust
    assert python["hubs"] == b"2"  # zoe-ng has two co-authors: a plain `author` row
    assert b'"o""brien","zoe-ng",1,999,999,"999","1"' in python["coauthor.csv"]
    hub_rows = python["author-ties.csv"].decode().splitlines()
    wei = next(r for r in hub_rows if r.startswith('"wei-zhang"'))
    kept = wei.split(",")[6].strip('"').split("\x1f")
    # equal weights in UTF-16 order, as Cypher sorts: the astral key first
    assert kept.index("\U0001d49c-astral") + 1 == kept.index("\uff41-fullwidth")


def test_an_empty_pair_file_gives_no_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(native, "module", lambda: compiled)
    (tmp_path / "pair.tsv").write_text("")
    hubs = bulk_ties.Candidates(tmp_path)
    coauthor = Table(tmp_path, "coauthor", bulk_csv.HEADERS["coauthor"])
    bulk_csv.write_coauthor(tmp_path / "pair.tsv", tmp_path, coauthor, hubs)
    coauthor.close()
    assert coauthor.rows == 0 and coauthor.data.read_bytes() == b""


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> list:
    """A small author pool over many papers: namesakes, moved authorships and hubs."""
    path = tmp_path_factory.mktemp("corpus") / "corpus.jsonl"
    synthetic.generate(path, 6000, seed=11, authors=5000, workers=1)
    return [record for _, record in snapshot.read(path, RejectLog())]


@pytest.mark.parametrize(("block", "chunk", "specific"), [(7, 40, 5), (1 << 22, 20_000, 200)])
def test_every_aggregation_step_gives_the_python_files(
    records, tmp_path, monkeypatch, block, chunk, specific
):
    """Heavy names, people (name blocks cut in Rust), pair lines, COAUTHOR rows and ties."""
    monkeypatch.setattr(scratch, "SORTED_BLOCK", block)
    monkeypatch.setattr(bulk_people, "CHUNK", chunk)
    monkeypatch.setattr(identity, "SPECIFIC_WORKS", specific)  # heavy names at this size
    files = {}
    for on in (False, True):
        monkeypatch.setattr(native, "module", lambda on=on: compiled if on else None)
        out = tmp_path / str(on)
        stats = bulk_csv.write_csv(iter(records), out, 100)
        files[on] = {p.name: p.read_bytes() for p in out.glob("*.csv")}
        assert stats.hubs > 0 and stats.people.ambiguous_names > 0
    assert files[True] == files[False]
