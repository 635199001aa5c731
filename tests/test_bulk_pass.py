"""The bulk path's record pass: a snapshot cut into blocks of whole lines, parsed by worker
processes, gives the files one process gives, and loses no record on the way."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from kg.bench import synthetic
from loaders import bulk_csv, bulk_pass, snapshot
from loaders.bulk_pass import SnapshotPass
from loaders.pipeline import RejectLog

MAX_AUTHORS = 6
SMALL = Path(__file__).parent / "fixtures" / "snapshot" / "small.jsonl"
"""14 records: 8 papers and 6 rejects, with a blank line."""
BAD_LINES = (4, 5, 7, 8, 9, 13)
"""Where SMALL's rejects are (from 0): bad JSON, bad types, no id, a list, bad UTF-8, a
bad date."""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """400 synthetic papers, with SMALL's 6 bad lines and a blank one after the 150th."""
    where = tmp_path_factory.mktemp("pass")
    synthetic.generate(where / "synthetic.jsonl", 400, seed=3, workers=1)
    good = (where / "synthetic.jsonl").read_bytes().splitlines(keepends=True)
    small = SMALL.read_bytes().splitlines(keepends=True)
    bad = [small[i] for i in BAD_LINES] + [b"\n"]
    mixed = good[:150] + bad + good[150:]
    path = where / "corpus.jsonl.gz"
    path.write_bytes(gzip.compress(b"".join(mixed)))
    return path


def _files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.name != "manifest.json"}


def _pass(path: Path, out: Path, workers: int, **options: object) -> tuple[RejectLog, SnapshotPass]:
    rejects = RejectLog()
    source = SnapshotPass(path, rejects, workers=workers, **options)  # type: ignore[arg-type]
    bulk_csv.write_chunks(source.chunks(MAX_AUTHORS), out, MAX_AUTHORS)
    return rejects, source


def test_blocks_hold_whole_lines_numbered_from_one(corpus, monkeypatch):
    monkeypatch.setattr(bulk_pass, "BLOCK_BYTES", 700)  # many blocks, lines cut across reads
    lines = gzip.decompress(corpus.read_bytes()).split(b"\n")
    longest = max(map(len, lines))
    assert longest > 2 * bulk_pass.BLOCK_BYTES  # some lines span several reads
    blocks = list(bulk_pass.blocks(corpus))
    assert len(blocks) > 100
    assert [b.chunk for b in blocks] == list(range(len(blocks)))
    for block in blocks:
        got = block.data.split(b"\n")
        assert got == lines[block.first_line - 1 : block.first_line - 1 + len(got)]
    joined = b"\n".join(b.data for b in blocks)
    assert joined.split(b"\n") == lines[:-1]  # the file ends with a line end


def test_the_last_line_without_a_line_end_is_read(tmp_path):
    path = tmp_path / "two.jsonl"
    first, second = SMALL.read_bytes().splitlines()[:2]
    path.write_bytes(first + b"\n" + second)
    rejects, source = _pass(path, tmp_path / "csv", workers=1)
    assert source.papers == 2 and len(rejects) == 0


def test_bad_records_are_reported_with_their_line_and_skipped(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(bulk_pass, "BLOCK_BYTES", 3000)
    expected = RejectLog()
    kept = list(snapshot.read(corpus, expected))
    rejects, source = _pass(corpus, tmp_path / "csv", workers=3)
    assert len(rejects) == 6 and source.papers == len(kept) == 400
    assert [(r.where, r.reason) for r in rejects] == [(r.where, r.reason) for r in expected]
    assert [r.where.split(" ")[0] for r in rejects] == [
        f"corpus.jsonl.gz:{151 + i}" for i in range(6)
    ]
    assert source.seen == len(kept)
    papers = (tmp_path / "csv" / "paper.csv").read_text(encoding="utf-8")
    for _, record in kept:  # nothing dropped silently: every good line is a paper row
        assert f'"{record.arxiv_id}",' in papers


def test_any_worker_count_gives_the_files_of_the_records_path(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(bulk_pass, "BLOCK_BYTES", 5000)  # dozens of chunks to interleave
    records = (record for _, record in snapshot.read(corpus, RejectLog()))
    bulk_csv.write_csv(records, tmp_path / "objects", MAX_AUTHORS)
    _pass(corpus, tmp_path / "one", workers=1)
    _pass(corpus, tmp_path / "three", workers=3)
    objects = _files(tmp_path / "objects")
    assert objects == _files(tmp_path / "one") == _files(tmp_path / "three")
    assert {"paper.csv", "authored.csv", "coauthor.csv", "author.csv"} <= set(objects)
    assert objects["coauthor.csv"].count(b"\n") > 100
    manifest = json.loads((tmp_path / "three" / "manifest.json").read_text())
    assert manifest["stats"]["papers"] == 400


def test_limit_keeps_the_first_records(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(bulk_pass, "BLOCK_BYTES", 5000)
    limited = list(snapshot.read(corpus, RejectLog()))[:157]
    bulk_csv.write_csv((r for _, r in limited), tmp_path / "objects", MAX_AUTHORS)
    rejects, source = _pass(corpus, tmp_path / "two", workers=2, limit=157)
    assert source.papers == 157
    assert len(rejects) == 6  # the bad lines come before the 157th paper
    assert _files(tmp_path / "objects") == _files(tmp_path / "two")


def test_filters_run_in_the_workers(corpus, tmp_path):
    wanted = snapshot.Filters(category="cs")
    expected = [r for _, r in snapshot.read(corpus, RejectLog(), wanted)]
    _, source = _pass(corpus, tmp_path / "csv", workers=2, filters=wanted)
    assert 0 < source.papers == len(expected) < source.seen == 400
