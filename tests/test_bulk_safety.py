"""A bulk load never replaces a graph with nothing: it refuses a failed load before touching
the database, and keeps a dump of a database it replaces, which `kg neo4j restore` brings
back. Each test has an instance of its own, as each replaces (or tries to replace) a graph."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.cli import main
from kg.core import neo4j_local
from kg.core.config import Settings
from kg.core.db import connected
from loaders import bulk_import
from tests.bulk_records import MAX_AUTHORS, RECORDS, dump
from tests.helpers import throwaway_instance, use, value

pytestmark = pytest.mark.neo4j  # its fixtures start instances of their own

SMALL = Path(__file__).parent / "fixtures" / "snapshot" / "small.jsonl"
"""14 records: 8 papers and 6 rejects (43%), more than the default --max-rejects (5%)."""


def bulk_args(path: Path, tmp_path: Path, *more: str) -> list[str]:
    work = ["--work-dir", str(tmp_path / "csv"), "--rejects", str(tmp_path / "rejects.jsonl")]
    return ["load", "snapshot", str(path), "--bulk", "--quiet", *work, *more]


@pytest.fixture
def own_graph(tmp_path: Path, settings: Settings) -> Iterator[Settings]:
    """An instance of this test's own holding the records, bulk-loaded and running."""
    own = throwaway_instance(settings, tmp_path / "own").with_(coauthor_max_authors=MAX_AUTHORS)
    try:
        bulk_import.bulk_load(own, iter(RECORDS), tmp_path / "own-csv", log=lambda _: None)
        yield own
    finally:
        neo4j_local.stop(own, log=lambda _: None)


@pytest.fixture
def stopped_graph(tmp_path: Path, settings: Settings) -> Iterator[Settings]:
    """An instance of this test's own whose database holds the records, never started yet:
    what a bulk load with --force would replace."""
    own = throwaway_instance(settings, tmp_path / "own").with_(coauthor_max_authors=MAX_AUTHORS)
    bulk_import.write_csv(iter(RECORDS), tmp_path / "own-csv", MAX_AUTHORS)
    bulk_import.run_import(own, tmp_path / "own-csv", log=lambda _: None)
    try:
        yield own
    finally:
        neo4j_local.stop(own, log=lambda _: None)


def papers(instance: Settings) -> int:
    """How many papers the instance's database holds (starting it if needed)."""
    neo4j_local.start(instance, log=lambda _: None)
    with connected(instance) as drv:
        return int(value(drv, "MATCH (p:Paper) RETURN count(p)"))


def test_force_keeps_a_dump_that_restore_brings_back(own_graph, tmp_path, monkeypatch, capsys):

    with connected(own_graph) as drv:
        before = dump(drv)
    neo4j_local.stop(own_graph, log=lambda _: None)
    use(own_graph, monkeypatch)
    args = bulk_args(SMALL, tmp_path, "--max-rejects", "50%")
    assert main(args) == 1  # a database is there already: refused, with the fix
    assert "--force" in capsys.readouterr().err
    assert main([*args, "--force"]) == 0
    out = capsys.readouterr().out
    assert "8 papers" in out and "6 rejected" in out
    assert len((tmp_path / "rejects.jsonl").read_text().splitlines()) == 6
    assert papers(own_graph) == 8

    backups = own_graph.neo4j_home / "backups"
    [kept] = list(backups.iterdir())
    assert kept.name.startswith("neo4j-") and kept.suffix == ".dump"
    assert f"kept in {kept}" in out
    neo4j_local.stop(own_graph, log=lambda _: None)
    assert main(["neo4j", "restore", str(kept)]) == 0
    assert "restored" in capsys.readouterr().out
    assert len(list(backups.iterdir())) == 2  # the 8-paper graph it replaced, kept too
    neo4j_local.start(own_graph, log=lambda _: None)
    with connected(own_graph) as drv:
        assert dump(drv) == before


def test_an_all_rejected_file_never_replaces_the_graph(
    stopped_graph, tmp_path, monkeypatch, capsys
):

    bad = tmp_path / "other-dates.jsonl"
    with bad.open("w") as f:
        for i in range(50):  # version dates neither RFC 2822 (arXiv) nor ISO 8601
            doc = {"id": f"2501.{i:05d}", "title": "T", "authors": "A B", "categories": "cs.DB"}
            doc["versions"] = [{"version": "v1", "created": "01/02/2025 03:04"}]
            f.write(json.dumps(doc) + "\n")
    use(stopped_graph, monkeypatch)
    assert main(bulk_args(bad, tmp_path, "--force")) == 1
    err = capsys.readouterr().err
    assert "every record read (50) was rejected" in err and "database is untouched" in err
    assert "rejected other-dates.jsonl:1 (2501.00000): unreadable version entry" in err
    assert len((tmp_path / "rejects.jsonl").read_text().splitlines()) == 50
    assert not (stopped_graph.neo4j_home / "backups").exists()  # refused before the dump
    assert not list((tmp_path / "csv").iterdir())  # and its CSVs are gone
    assert papers(stopped_graph) == len(RECORDS)


def test_more_rejects_than_allowed_never_replace_the_graph(
    stopped_graph, tmp_path, monkeypatch, capsys
):

    use(stopped_graph, monkeypatch)
    assert main(bulk_args(SMALL, tmp_path, "--force")) == 1  # the default: 5%
    err = capsys.readouterr().err
    assert "6 of the 14 records read (42.9%) were rejected" in err and "(5.0%)" in err
    assert "rejected small.jsonl:5: not JSON" in err
    assert main(bulk_args(SMALL, tmp_path, "--force", "--max-rejects", "0.4")) == 1
    assert "(40.0%)" in capsys.readouterr().err
    assert not (stopped_graph.neo4j_home / "backups").exists()
    assert papers(stopped_graph) == len(RECORDS)
