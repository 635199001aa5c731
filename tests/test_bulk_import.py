"""The bulk import builds, through neo4j-admin, the graph the transactional loader builds.

Tests that only read share one bulk-loaded instance; those that replace a graph have
instances of their own (`test_bulk_safety`), so no test depends on another's order."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path
from typing import Any

import neo4j
import pytest

from kg.cli import main
from kg.core import neo4j_local
from kg.core.config import Settings
from kg.core.db import connected
from kg.core.names import clean_name
from loaders import bulk_import
from loaders.graph_writer import write_batch
from loaders.settle import settle
from tests.bulk_records import MAX_AUTHORS, RECORDS, dump
from tests.helpers import rows, throwaway_instance, use, value


@pytest.fixture(scope="module")
def instance(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> Settings:
    """A throwaway instance on this module's own ports, sharing the jar cache."""
    home = tmp_path_factory.mktemp("bulk") / "neo4j"
    return throwaway_instance(settings, home).with_(coauthor_max_authors=MAX_AUTHORS)


@pytest.fixture(scope="module")
def loaded_once(
    instance: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[bulk_import.BulkStats, list[str]]]:
    """The records bulk-loaded into `instance`, with the graph's dump. Tests using it only
    read it (a backup stops and restarts it); tests that replace a graph use their own."""
    work = tmp_path_factory.mktemp("csv")
    try:
        stats = bulk_import.bulk_load(instance, iter(RECORDS), work, log=lambda _: None)
        with connected(instance) as drv:
            yield stats, dump(drv)
    finally:
        neo4j_local.stop(instance, log=lambda _: None)


@pytest.fixture
def loaded(
    loaded_once: tuple[bulk_import.BulkStats, list[str]], instance: Settings
) -> tuple[bulk_import.BulkStats, list[str]]:
    """`loaded_once`, running, whatever a test before left it in."""
    neo4j_local.start(instance, log=lambda _: None)
    return loaded_once


def _read(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def _expected_coauthors(
    people: dict[tuple[str, int], str],
) -> dict[tuple[str, str], tuple[int, int, int]]:
    """(lower key, higher key) -> (weight, firstYear, lastYear), counted the obvious way
    from the record each authorship (arXiv id, position) went to."""
    years: dict[tuple[str, str], list[int]] = {}
    for rec in RECORDS:
        keys = sorted({people[(rec.arxiv_id, n)] for n in range(1, len(rec.authors) + 1)})
        if len(rec.authors) <= MAX_AUTHORS:
            for pair in combinations(keys, 2):
                years.setdefault(pair, []).append(rec.published.year)
    return {pair: (len(ys), min(ys), max(ys)) for pair, ys in years.items()}


def _expected_years(people: dict[tuple[str, int], str]) -> dict[tuple[str, str], list[Any]]:
    """(lower key, higher key) -> [(year, shared works that year)], years ascending."""
    years: dict[tuple[str, str], Counter[int]] = {}
    for rec in RECORDS:
        keys = sorted({people[(rec.arxiv_id, n)] for n in range(1, len(rec.authors) + 1)})
        if len(rec.authors) <= MAX_AUTHORS:
            for pair in combinations(keys, 2):
                years.setdefault(pair, Counter())[rec.published.year] += 1
    return {pair: sorted(counts.items()) for pair, counts in years.items()}


def test_csv_aggregates_coauthors_in_bounded_passes(tmp_path):
    stats = bulk_import.write_csv(iter(RECORDS), tmp_path, MAX_AUTHORS)
    coauthor = _read(tmp_path / "coauthor.csv")
    people = {(row[1], int(row[2])): row[0] for row in _read(tmp_path / "authored.csv")}
    assert {(a, b): (int(w), int(f), int(la)) for a, b, w, f, la, _, _ in coauthor} == (
        _expected_coauthors(people)
    )
    assert max(int(w) for _, _, w, *_ in coauthor) > 1
    per_year = {  # years ascending, and the shared works of each
        (a, b): list(zip(map(int, ys.split("\x1f")), map(int, ns.split("\x1f")), strict=True))
        for a, b, _, _, _, ys, ns in coauthor
    }
    assert per_year == _expected_years(people)
    assert any(len(years) > 1 for years in per_year.values())
    assert stats.papers == len(RECORDS) and stats.coauthor == len(coauthor)
    assert stats.authored == sum(len(r.authors) for r in RECORDS)
    assert stats.multiline_files == ["authored.csv", "author.csv"]
    assert _read(tmp_path / "author.header.csv") == [
        [
            "key:ID(Author)",
            "name:string",
            "nameKey:string",
            "nameVariants:string[]",
            "topicCodes:string[]",
            "topicWorks:int[]",
        ]
    ]
    rows = _read(tmp_path / "author.csv")
    assert all(codes == works == "" for *_, codes, works in rows)  # none over TOPIC_COUNTS
    authors = {
        key: (name, name_key, variants.split("\x1f"))
        for key, name, name_key, variants, _, _ in rows
    }
    garcias = [entry for entry in authors.values() if entry[1] == "jose-garcia"]
    spellings = [v for _, _, variants in garcias for v in variants]
    assert set(spellings) == {"José García", "Jose Garcia", "JOSÉ GARCÍA"}
    for name, _, variants in garcias:  # a record is named as its earliest work spells it
        assert clean_name(variants[0]) == name
    assert not (tmp_path / "tmp").exists()


def test_duplicate_paper_ids_are_refused_before_import(tmp_path):
    with pytest.raises(bulk_import.BulkImportError, match=r"1 duplicate.*2401\.00001"):
        bulk_import.write_csv(iter([*RECORDS, RECORDS[-3]]), tmp_path, MAX_AUTHORS)


def test_existing_database_needs_force(tmp_path, instance):
    used = instance.with_(neo4j_home=tmp_path / "used")
    store = used.neo4j_home / "data" / "databases" / "neo4j"
    store.mkdir(parents=True)
    (store / "neostore").write_bytes(b"")
    bulk_import.write_csv(iter(RECORDS[:2]), tmp_path / "csv", MAX_AUTHORS)
    with pytest.raises(neo4j_local.Neo4jSetupError, match=r"already exists.*--force"):
        bulk_import.run_import(used, tmp_path / "csv", log=lambda _: None)


def test_importer_failure_carries_its_output(tmp_path, instance):
    fresh = instance.with_(neo4j_home=tmp_path / "fresh")
    bulk_import.write_csv(iter(RECORDS[:3]), tmp_path / "csv", MAX_AUTHORS)
    with (tmp_path / "csv" / "authored.csv").open("a") as f:
        f.write('"nobody","2101.00000",1,"Nobody"\n')  # an edge to a missing node
    with pytest.raises(
        neo4j_local.Neo4jSetupError,
        match=r"could not import[\s\S]*referring to missing node nobody",
    ):
        bulk_import.run_import(fresh, tmp_path / "csv", log=lambda _: None)


def test_bulk_graph_equals_transactional_graph(loaded, db):
    stats, bulk = loaded
    assert stats.csv.papers == len(RECORDS)
    for start in range(0, len(RECORDS), 7):  # several batches, as a real load runs
        write_batch(db, RECORDS[start : start + 7], MAX_AUTHORS)
    settle(db, MAX_AUTHORS)  # as a load ends
    transactional = dump(db)
    assert len(bulk) == len(transactional)
    assert bulk == transactional


def test_bulk_graph_has_typed_properties_and_schema(loaded, instance):
    stats, _ = loaded
    with connected(instance) as drv:
        counts = {
            r["label"]: r["n"]
            for r in rows(drv, "MATCH (n) RETURN labels(n)[0] AS label, count(*) AS n")
        }
        assert counts["Paper"] == len(RECORDS)
        assert counts["Author"] == stats.csv.authors
        paper = value(drv, "MATCH (p:Paper {arxivId: '2301.10001'}) RETURN p")
        assert paper["abstract"] == 'He said "hello, world", then ""twice""; a back\\slash, too.'
        assert paper["published"] == neo4j.time.Date(2023, 1, 5)
        assert paper["categories"] == ["cs.DB", "cs.DS", "cs.IR"]
        assert value(drv, "MATCH (p:Paper {arxivId: '2302.20002'}) RETURN p.abstract") == ""
        assert value(
            drv, "MATCH (p:Paper {arxivId: 'hep-th/9901001'}) RETURN valueType(p.updated)"
        ).startswith("LOCAL DATETIME")
        coauthors = rows(
            drv,
            "MATCH (a)-[c:COAUTHOR]->(b) RETURN a.key AS a, b.key AS b, c.weight AS w, "
            "c.firstYear AS f, c.lastYear AS l",
        )
        people = {
            (r["p"], r["n"]): r["a"]
            for r in rows(
                drv,
                "MATCH (a:Author)-[r:AUTHORED]->(p) RETURN a.key AS a, p.arxivId AS p, "
                "r.position AS n",
            )
        }
        assert {(r["a"], r["b"]): (r["w"], r["f"], r["l"]) for r in coauthors} == (
            _expected_coauthors(people)
        )
        assert (
            value(drv, "MATCH (:Paper {arxivId: '2302.20002'})<-[:AUTHORED]-(a) RETURN count(a)")
            == 8
        )
        written = value(
            drv,
            "MATCH (:Author {key: 'anna-schmidt'})-[r:AUTHORED]->(:Paper {arxivId: '2301.10001'}) "
            "RETURN r.nameAsWritten",
        )
        assert written == "Anna\nSchmidt"
        constraints = {r["name"] for r in rows(drv, "SHOW CONSTRAINTS YIELD name")}
        assert {"author_key", "paper_arxiv_id", "topic_code", "institution_key"} <= constraints
        assert value(drv, "SHOW INDEXES YIELD state WHERE state <> 'ONLINE' RETURN count(*)") == 0


def test_refuses_while_neo4j_runs(loaded, instance, tmp_path):
    assert neo4j_local.status(instance).running
    with pytest.raises(neo4j_local.Neo4jSetupError, match="kg neo4j stop"):
        bulk_import.run_import(instance, tmp_path, log=lambda _: None, force=True)
    with pytest.raises(neo4j_local.Neo4jSetupError, match="kg neo4j stop"):
        bulk_import.bulk_load(instance, iter(RECORDS), tmp_path / "work", log=lambda _: None)
    assert not (tmp_path / "work").exists()  # refused before writing anything


def test_backup_on_demand_restores_into_a_new_instance(
    loaded, instance, settings, tmp_path, monkeypatch, capsys
):
    _, graph = loaded
    use(instance, monkeypatch)
    assert main(["neo4j", "backup", "--to", str(tmp_path / "dumps")]) == 0
    assert "stopping Neo4j for the backup" in capsys.readouterr().out
    assert neo4j_local.status(instance).running  # started again
    [made] = list((tmp_path / "dumps").iterdir())

    other = throwaway_instance(settings, tmp_path / "other")
    use(other, monkeypatch)
    try:
        assert main(["neo4j", "restore", str(made)]) == 0
        neo4j_local.start(other, log=lambda _: None)
        with connected(other) as drv:
            assert dump(drv) == graph
    finally:
        neo4j_local.stop(other, log=lambda _: None)
