"""The bulk import builds, through neo4j-admin, the graph the transactional loader builds."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from itertools import combinations
from pathlib import Path
from typing import Any

import neo4j
import pytest

from kg.core import neo4j_local
from kg.core.config import Settings
from kg.core.db import connected
from loaders import bulk_import
from loaders.graph_writer import write_batch
from loaders.records import PaperRecord, make_record
from tests.helpers import rows, throwaway_instance, value

MAX_AUTHORS = 6

POOL = [
    "Qizhen Zhang",
    "José García",
    "Anna Schmidt",
    "Wei Chen",
    "Zihang Liu",
    "Z. Liu",
    "Ólafur Arnalds",
    "Fatima Al-Sayed",
    "Søren Kierkegaard",
    "Chloé Dubois",
    "Müller, Jürgen",
]
CATEGORIES = ["cs.DB", "cs.LG", "cs.AI", "stat.ML", "math.CO", "quant-ph", "hep-th"]


def _records() -> list[PaperRecord]:
    """30 papers that exercise every corner the CSV format has."""
    utc = UTC
    specs: list[dict[str, Any]] = []
    for i in range(24):
        authors = [POOL[(i + k * 3) % len(POOL)] for k in range(1 + i % 4)]
        specs.append(
            {
                "raw_id": f"2{i % 3}01.{i:05d}v{1 + i % 3}",
                "title": f'Paper {i}: graphs, joins and "quotes"',
                "abstract": f"Abstract {i} with, commas; semicolons and é accents.",
                "published": date(2019 + i % 5, 1 + i % 12, 1 + i),
                "updated": datetime(2024, 1, 1 + i, 12, 30, 15, tzinfo=utc),
                "primary_category": CATEGORIES[i % len(CATEGORIES)],
                "categories": [CATEGORIES[(i + j) % len(CATEGORIES)] for j in range(1 + i % 3)],
                "authors": [(name, ["MIT"] if name == "Wei Chen" else []) for name in authors],
            }
        )
    specs += [
        {  # the same person spelled three ways; quotes, commas and a backslash in the text
            "raw_id": "2301.10001v2",
            "title": 'A "quoted", comma-laden title',
            "abstract": 'He said "hello, world", then ""twice""; a back\\slash, too.',
            "published": date(2023, 1, 5),
            "updated": datetime(2023, 2, 1, 8, 0, tzinfo=utc),
            "primary_category": "cs.DB",
            "categories": ["cs.DB", "cs.DS", "cs.IR"],
            "authors": [
                ("Jose Garcia", ["University of California, Berkeley"]),
                ("García, José", []),  # same key on one paper: one author
                ('Conan "Coco" O\'Brien', ["M.I.T.", "Max Planck Institute; Tübingen"]),
                ("Anna\nSchmidt", []),  # a line break inside a name as written
            ],
            "doi": "10.1000/xyz123",
            "journal_ref": "J. Graphs 12 (2023) 1-20",
            "comment": "12 pages; 3 figures",
        },
        {  # more authors than MAX_AUTHORS: AUTHORED edges, but no COAUTHOR edges
            "raw_id": "2302.20002",
            "title": "A big collaboration",
            "abstract": None,  # empty abstract is stored as ""
            "published": date(2023, 3, 1),
            "updated": None,
            "primary_category": "hep-th",
            "categories": ["hep-th", "hep-ph"],
            "authors": [(name, []) for name in POOL[:8]],
        },
        {  # naive updated timestamp: a LocalDateTime through Bolt as through the importer
            "raw_id": "hep-th/9901001v3",
            "title": "An old-style identifier",
            "abstract": "Old.",
            "published": date(1999, 1, 4),
            "updated": datetime(1999, 2, 1, 10, 0),
            "primary_category": "hep-th",
            "categories": ["hep-th", "gr-qc"],
            "authors": [("Qizhen Zhang", ["MIT"]), ("Wei Chen", ["MIT"])],
            "comment": "This paper has been withdrawn by the author",
        },
        {
            "raw_id": "2401.00001",
            "title": "No version, one author",
            "abstract": "Solo.",
            "published": date(2024, 1, 2),
            "updated": datetime(2024, 1, 2, 0, 0, tzinfo=utc),
            "primary_category": "cs.LG",
            "categories": ["cs.LG"],
            "authors": [("Wei Chen", ["Massachusetts Institute of Technology", "MIT"])],
            "pdf_url": "https://arxiv.org/pdf/2401.00001",
        },
        {
            "raw_id": "2402.00002v1",
            "title": "Accents everywhere",
            "abstract": "Ünïcödé.",
            "published": date(2024, 2, 2),
            "updated": datetime(2024, 2, 3, 4, 5, 6, 789000, tzinfo=utc),
            "primary_category": "math.CO",
            "categories": ["math.CO", "cs.DM"],
            "authors": [("Ólafur Arnalds", []), ("Olafur Arnalds", []), ("Chloé Dubois", [])],
        },
        {
            "raw_id": "2403.00003v4",
            "title": "Old friends again",
            "abstract": "Again.",
            "published": date(2024, 3, 3),
            "updated": datetime(2024, 3, 3, 3, 3, tzinfo=utc),
            "primary_category": "cs.DB",
            "categories": ["cs.DB", "cs.LG"],
            "authors": [("Qizhen Zhang", []), ("JOSÉ GARCÍA", []), ("Wei Chen", ["MIT"])],
        },
    ]
    return [make_record(**spec) for spec in specs]


RECORDS = _records()

NODES = """
MATCH (n) WHERE NOT n:SchemaMigration
RETURN labels(n) AS labels, properties(n) AS props,
       [k IN keys(n) | k + ':' + valueType(n[k])] AS types
"""

EDGES = """
MATCH (a)-[r]->(b)
RETURN type(r) AS type, coalesce(a.key, a.arxivId) AS start,
       coalesce(b.key, b.arxivId, b.code) AS end, properties(r) AS props,
       [k IN keys(r) | k + ':' + valueType(r[k])] AS types
"""


def dump(drv: neo4j.Driver) -> list[str]:
    """Every node and edge with its properties and their Cypher types, in a stable order."""
    out = []
    for row in rows(drv, NODES) + rows(drv, EDGES):
        row["props"] = sorted(row["props"].items())
        row["types"] = sorted(row["types"])
        out.append(repr(sorted(row.items())))
    return sorted(out)


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


def use(instance: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point `kg` commands run in-process at `instance`."""
    for name, setting in (
        ("KG_NEO4J_HOME", str(instance.neo4j_home)),
        ("KG_BOLT_PORT", str(instance.bolt_port)),
        ("KG_HTTP_PORT", str(instance.http_port)),
        ("KG_NEO4J_URI", instance.neo4j_uri),
        ("KG_NEO4J_HEAP", instance.neo4j_heap),
        ("KG_NEO4J_PAGECACHE", instance.neo4j_pagecache),
    ):
        monkeypatch.setenv(name, setting)
    monkeypatch.delenv("KG_NEO4J_PASSWORD", raising=False)


def papers(instance: Settings) -> int:
    """How many papers the instance's database holds (starting it if needed)."""
    neo4j_local.start(instance, log=lambda _: None)
    with connected(instance) as drv:
        return int(value(drv, "MATCH (p:Paper) RETURN count(p)"))


def _read(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def _expected_coauthors() -> dict[tuple[str, str], tuple[int, int, int]]:
    """(lower key, higher key) -> (weight, firstYear, lastYear), counted the obvious way."""
    years: dict[tuple[str, str], list[int]] = {}
    for rec in RECORDS:
        keys = sorted(a.key for a in rec.authors)
        if len(keys) <= MAX_AUTHORS:
            for pair in combinations(keys, 2):
                years.setdefault(pair, []).append(rec.published.year)
    return {pair: (len(ys), min(ys), max(ys)) for pair, ys in years.items()}


def test_csv_aggregates_coauthors_in_bounded_passes(tmp_path):
    stats = bulk_import.write_csv(iter(RECORDS), tmp_path, MAX_AUTHORS)
    coauthor = _read(tmp_path / "coauthor.csv")
    assert {(a, b): (int(w), int(f), int(la)) for a, b, w, f, la in coauthor} == (
        _expected_coauthors()
    )
    assert max(int(w) for _, _, w, _, _ in coauthor) > 1
    assert stats.papers == len(RECORDS) and stats.coauthor == len(coauthor)
    assert stats.authored == sum(len(r.authors) for r in RECORDS)
    assert stats.multiline_files == ["authored.csv", "author.csv"]
    assert _read(tmp_path / "author.header.csv") == [
        ["key:ID(Author)", "name:string", "nameVariants:string[]"]
    ]
    authors = {
        key: (name, variants.split("\x1f"))
        for key, name, variants in _read(tmp_path / "author.csv")
    }
    assert authors["jose-garcia"] == ("José García", ["José García", "Jose Garcia", "JOSÉ GARCÍA"])
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
        assert {(r["a"], r["b"]): (r["w"], r["f"], r["l"]) for r in coauthors} == (
            _expected_coauthors()
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


SMALL = Path(__file__).parent / "fixtures" / "snapshot" / "small.jsonl"
"""14 records: 8 papers and 6 rejects (43%), more than the default --max-rejects (5%)."""


def bulk_args(path: Path, tmp_path: Path, *more: str) -> list[str]:
    work = ["--work-dir", str(tmp_path / "csv"), "--rejects", str(tmp_path / "rejects.jsonl")]
    return ["load", "snapshot", str(path), "--bulk", "--quiet", *work, *more]


def test_force_keeps_a_dump_that_restore_brings_back(own_graph, tmp_path, monkeypatch, capsys):
    from kg.cli import main

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


def test_backup_on_demand_restores_into_a_new_instance(
    loaded, instance, settings, tmp_path, monkeypatch, capsys
):
    from kg.cli import main

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


def test_an_all_rejected_file_never_replaces_the_graph(
    stopped_graph, tmp_path, monkeypatch, capsys
):
    from kg.cli import main

    bad = tmp_path / "other-dates.jsonl"
    with bad.open("w") as f:
        for i in range(50):  # version dates in another format than arXiv's RFC 2822
            doc = {"id": f"2501.{i:05d}", "title": "T", "authors": "A B", "categories": "cs.DB"}
            doc["versions"] = [{"version": "v1", "created": "2025-01-02T03:04:05Z"}]
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
    from kg.cli import main

    use(stopped_graph, monkeypatch)
    assert main(bulk_args(SMALL, tmp_path, "--force")) == 1  # the default: 5%
    err = capsys.readouterr().err
    assert "6 of the 14 records read (42.9%) were rejected" in err and "(5.0%)" in err
    assert "rejected small.jsonl:5: not JSON" in err
    assert main(bulk_args(SMALL, tmp_path, "--force", "--max-rejects", "0.4")) == 1
    assert "(40.0%)" in capsys.readouterr().err
    assert not (stopped_graph.neo4j_home / "backups").exists()
    assert papers(stopped_graph) == len(RECORDS)
