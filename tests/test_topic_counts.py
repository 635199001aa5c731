"""A prolific researcher's works per topic (`topicCodes`, `topicWorks` on researchers with
more than `TOPIC_COUNTS` works), on the real Neo4j: every write path keeps them (the bulk
path in its CSVs, the same lists), and the pages read them, showing what counting every
work's categories shows."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import neo4j

from kg.api.gateway import Gateway
from kg.core import neo4j_local
from kg.core import queries as ql
from kg.core.config import TOPIC_COUNTS
from kg.core.db import async_driver, connected
from kg.curation import identity
from loaders import bulk_import
from loaders.graph_writer import write_batch
from loaders.records import PaperRecord, make_record
from loaders.settle import settle
from tests.bulk_records import dump
from tests.helpers import rows, throwaway_instance, value

PROLIFIC, FEW = "Tara Topic", "Lee Few"
LISTS = "MATCH (a:Author {key: $key}) RETURN [a.topicCodes, a.topicWorks] AS lists"
LIVE = """
MATCH (a:Author {key: $key})-[:AUTHORED]->(p)
UNWIND p.categories AS code
WITH code, count(*) AS works ORDER BY works DESC, code
RETURN [collect(code), collect(works)] AS lists
"""
ALL_PARTS = {
    part: True
    for part in ("graphStats", "worksByYear", "topicsByYear", "topics", "institutions", "trust")
}


def work(number: int, names: list[str], categories: list[str], year: int = 2020) -> PaperRecord:
    return make_record(
        raw_id=f"2102.{number:05d}",
        title=f"Work {number}",
        abstract="",
        published=date(year, 1 + number % 12, 1 + number % 28),
        updated=None,
        primary_category=categories[0],
        categories=categories,
        authors=[(n, []) for n in names],
    )


def corpus() -> list[PaperRecord]:
    """Tara Topic on TOPIC_COUNTS + 4 works: every one in cs.LG, every other in stat.ML,
    every fifth in math.OC too, all with Pat Partner (so one person); Lee Few on three."""
    papers = []
    for n in range(TOPIC_COUNTS + 4):
        categories = ["cs.LG"] + (["stat.ML"] if n % 2 == 0 else []) + (["math.OC"] * (n % 5 == 0))
        names = [PROLIFIC, "Pat Partner"] + ([FEW] if n < 3 else []) + [f"Co Author{n % 7}"]
        papers.append(work(n, names, categories, year=2018 + n % 6))
    return papers


def lists(db: neo4j.Driver, key: str) -> Any:
    return value(db, LISTS, key=key)


def live(db: neo4j.Driver, key: str) -> Any:
    return value(db, LIVE, key=key)


def test_loads_keep_a_prolific_researchers_topic_counts(db):
    papers = corpus()
    write_batch(db, papers[:50], 100)
    assert lists(db, "tara-topic") == [None, None]  # 50 works: counted live
    write_batch(db, papers[50:], 100)
    expected = [["cs.LG", "stat.ML", "math.OC"], [104, 52, 21]]
    assert lists(db, "tara-topic") == expected == live(db, "tara-topic")
    assert lists(db, "lee-few") == [None, None]

    # a refreshed work whose categories changed: the counts follow
    changed = work(1, [PROLIFIC, "Pat Partner", FEW, "Co Author1"], ["cs.LG", "math.OC"], 2019)
    write_batch(db, [changed], 100)
    assert lists(db, "tara-topic") == [["cs.LG", "stat.ML", "math.OC"], [104, 52, 22]]
    assert lists(db, "tara-topic") == live(db, "tara-topic")


def test_identity_operations_renew_the_counts(db):
    write_batch(db, corpus(), 100)
    identity.split(db, "tara-topic", ["2102.00000"], "ops", "a namesake")  # cs.LG, stat.ML, math.OC
    assert lists(db, "tara-topic") == [["cs.LG", "stat.ML", "math.OC"], [103, 51, 20]]
    moved = [f"2102.{n:05d}" for n in range(1, 4)]
    identity.split(db, "tara-topic", moved, "ops", "more namesakes")  # 100 works left
    assert lists(db, "tara-topic") == [None, None]
    key = value(
        db,
        "MATCH (a:Author)-[:AUTHORED]->(:Paper {arxivId: '2102.00001'}) "
        "WHERE a.key STARTS WITH 'tara-topic' RETURN a.key",
    )
    identity.move(db, "2102.00001", key, "tara-topic", "ops", "hers after all")  # 101 works
    assert lists(db, "tara-topic") == live(db, "tara-topic")
    assert lists(db, "tara-topic") == [["cs.LG", "stat.ML", "math.OC"], [101, 50, 20]]


def test_pages_read_the_lists_and_show_what_counting_shows(db, settings):
    write_batch(db, corpus(), 100)

    async def pages() -> tuple[Any, Any]:
        driver = async_driver(settings)
        try:
            graph = Gateway(driver, database=settings.neo4j_database)
            page = await graph.page("tara-topic", None, [], set(ALL_PARTS))
            profile = (await graph.profiles(["tara-topic"], set(ALL_PARTS)))["tara-topic"]
            return page["topics"], profile["topics"]
        finally:
            await driver.close()

    [context] = rows(
        db, ql.text("researcher_context"), keys=["tara-topic"], depth=1, limit=2, spans=True
    )
    listed = asyncio.run(pages())
    assert [t["code"] for t in listed[0]] == ["cs.LG", "stat.ML", "math.OC"]
    assert [t["worksCount"] for t in listed[0]] == [104, 52, 21]
    assert listed[0] == listed[1]
    db.execute_query("MATCH (a:Author) REMOVE a.topicCodes, a.topicWorks")  # counted live
    assert asyncio.run(pages()) == listed
    [again] = rows(
        db, ql.text("researcher_context"), keys=["tara-topic"], depth=1, limit=2, spans=True
    )
    assert again == context
    assert {n["key"] for n in context["nodes"] if n["kind"] == "TOPIC"} == {"cs.LG", "stat.ML"}


def test_the_bulk_load_writes_the_counts_the_transactional_path_keeps(db, settings, tmp_path):
    papers = sorted(corpus(), key=lambda r: (r.published, r.arxiv_id))  # a snapshot's order
    instance = throwaway_instance(settings, tmp_path / "neo4j").with_(coauthor_max_authors=100)
    try:
        bulk_import.bulk_load(instance, iter(papers), tmp_path / "csv", log=lambda _: None)
        with connected(instance) as drv:
            bulk = dump(drv)
            counted = lists(drv, "tara-topic")
    finally:
        neo4j_local.stop(instance, log=lambda _: None)
    assert counted == [["cs.LG", "stat.ML", "math.OC"], [104, 52, 21]]
    for start in range(0, len(papers), 30):  # several batches, as a real load runs
        write_batch(db, papers[start : start + 30], 100)
    settle(db, 100)
    assert dump(db) == bulk
