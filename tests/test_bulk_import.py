"""The bulk import builds, through neo4j-admin, the graph the transactional loader builds."""

from __future__ import annotations

import csv
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
def loaded(
    instance: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[bulk_import.BulkStats, list[str]]]:
    """The records bulk-loaded into a new instance, left running; with the graph's dump."""
    work = tmp_path_factory.mktemp("csv")
    try:
        stats = bulk_import.bulk_load(instance, iter(RECORDS), work, log=lambda _: None)
        with connected(instance) as drv:
            yield stats, dump(drv)
    finally:
        neo4j_local.stop(instance, log=lambda _: None)


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


def test_bulk_graph_equals_transactional_graph(loaded, instance, tmp_path):
    stats, bulk = loaded
    assert stats.csv.papers == len(RECORDS)
    with connected(instance) as drv:
        drv.execute_query("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n")
        for start in range(0, len(RECORDS), 7):  # several batches, as a real load runs
            write_batch(drv, RECORDS[start : start + 7], MAX_AUTHORS)
        transactional = dump(drv)
    assert len(bulk) == len(transactional)
    assert bulk == transactional

    # an instance that has run before, with data: replaced only when forced, same result
    neo4j_local.stop(instance, log=lambda _: None)
    with pytest.raises(neo4j_local.Neo4jSetupError, match="--force"):
        bulk_import.bulk_load(instance, iter(RECORDS), tmp_path, log=lambda _: None)
    bulk_import.bulk_load(instance, iter(RECORDS), tmp_path, log=lambda _: None, force=True)
    assert list(tmp_path.iterdir()) == []  # the CSVs are gone after a successful load
    with connected(instance) as drv:
        assert dump(drv) == transactional


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


def test_cli_bulk_loads_a_snapshot_file(loaded, instance, tmp_path, monkeypatch, capsys):
    from kg.cli import main

    neo4j_local.stop(instance, log=lambda _: None)
    for name, setting in (
        ("KG_NEO4J_HOME", str(instance.neo4j_home)),
        ("KG_BOLT_PORT", str(instance.bolt_port)),
        ("KG_HTTP_PORT", str(instance.http_port)),
        ("KG_NEO4J_URI", instance.neo4j_uri),
    ):
        monkeypatch.setenv(name, setting)
    monkeypatch.delenv("KG_NEO4J_PASSWORD", raising=False)
    small = Path(__file__).parent / "fixtures" / "snapshot" / "small.jsonl"
    rejects = tmp_path / "rejects.jsonl"
    args = [
        "load",
        "snapshot",
        str(small),
        "--bulk",
        "--quiet",
        "--work-dir",
        str(tmp_path / "csv"),
        "--rejects",
        str(rejects),
    ]
    try:
        assert main(args) == 1  # a database is there already: refused, with the fix
        assert "--force" in capsys.readouterr().err
        assert main([*args, "--force"]) == 0
        out = capsys.readouterr().out
        assert "8 papers" in out and "6 rejected" in out
        assert len(rejects.read_text().splitlines()) == 6
        with connected(instance) as drv:
            papers = drv.execute_query("MATCH (p:Paper) RETURN count(p) AS n").records[0]["n"]
        assert papers == 8
    finally:
        neo4j_local.stop(instance, log=lambda _: None)
