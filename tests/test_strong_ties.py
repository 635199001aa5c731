"""A hub's strongest ties (`strongTies`, `strongTieWeights` on researchers with more than
`STRONG_TIES` co-authors), on the real Neo4j: every write path keeps them (the bulk path in
its CSVs, the same lists), and the researcher in context reads them, drawing what sorting
the COAUTHOR edges draws."""

from __future__ import annotations

import asyncio
from typing import Any

import neo4j

from kg.api.gateway import Gateway
from kg.api.requests import CollaboratorRequest
from kg.core import neo4j_local
from kg.core import queries as ql
from kg.core.config import STRONG_TIES
from kg.core.db import async_driver, connected
from kg.curation import identity
from loaders import bulk_import
from loaders.coauthor_recount import refresh_strong_ties
from loaders.graph_writer import write_batch
from loaders.settle import settle
from tests.bulk_records import dump
from tests.helpers import paper, rows, throwaway_instance, value

FIRST = "Ada Ben Cy Dee Eli Fay Gus Hal Ida Jon Kai Lea Max Ned Oda Pia Quin Rex Sol Tia Uma"
FIRST += " Val Wes Xia Yan Zed Amy Bo Cal Dot Ezra Flo Gil Hope Ivo Jade Kip Lux Mo Nia"
NAMES = [f"{first} {last}" for last in ("Abbot", "Brook", "Crane") for first in FIRST.split()]
OTHERS = [f"{n} Other{i}" for n in FIRST.split()[:11] for i in "abcdefghij"]
HUB, SECOND = "Hana Hub", "Ivan Hub"
LISTS = "MATCH (a:Author) RETURN a.key AS k, [a.strongTies, a.strongTieWeights] AS t"
TIES = """
MATCH (a:Author {key: $key})
RETURN a.strongTies AS ties, a.strongTieWeights AS weights
"""


def corpus() -> list[Any]:
    """Hana Hub with 121 co-authors (three papers of 41 or 42 authors; ten of them on a
    fourth paper too), and Ivan Hub, one of those ten, with 110 co-authors of his own."""
    papers = [paper(n, [HUB, *NAMES[40 * n : 40 * n + 40]], year=2020 + n) for n in range(3)]
    papers[0] = paper(0, [HUB, SECOND, *NAMES[:40]], year=2020)
    papers.append(paper(3, [HUB, SECOND, *NAMES[:9]], year=2024))
    papers += [paper(10 + n, [SECOND, *OTHERS[50 * n : 50 * n + 50]], year=2019) for n in (0, 1)]
    papers.append(paper(12, [SECOND, *OTHERS[100:110]], year=2019))
    return papers


def keep_lists(db: neo4j.Driver) -> None:
    """Every researcher's lists written again by `strong_ties.cypher`."""
    keys = [r["k"] for r in rows(db, "MATCH (a:Author) RETURN a.key AS k")]
    with db.session(database="neo4j") as session:
        session.execute_write(refresh_strong_ties, keys)


def context(db: neo4j.Driver, key: str) -> tuple[set[Any], set[Any], bool]:
    [row] = rows(db, ql.text("researcher_context"), keys=[key], depth=2, limit=25, spans=True)
    nodes = {(n["kind"], n["key"], n["depth"]) for n in row["nodes"]}
    edges = {
        (e["kind"], e["source"], e["target"], e["weight"], e["firstYear"], e["lastYear"])
        for e in row["edges"]
    }
    return nodes, edges, row["truncated"]


def test_writes_keep_a_hubs_strongest_ties_in_order(db):
    write_batch(db, corpus(), 100)
    ties = rows(db, TIES, key="hana-hub")[0]
    assert len(ties["ties"]) == STRONG_TIES
    assert ties["weights"][:10] == [2] * 10 and set(ties["weights"][10:]) == {1}
    assert "ivan-hub" in ties["ties"][:10]  # weight 2, then by id
    assert ties["ties"][:10] == sorted(ties["ties"][:10])
    assert rows(db, TIES, key="ivan-hub")[0]["ties"] is not None  # 160 co-authors
    assert rows(db, TIES, key="ada-abbot")[0] == {"ties": None, "weights": None}

    kept = {
        r["k"]: r["t"] for r in rows(db, "MATCH (a:Author) RETURN a.key AS k, a.strongTies AS t")
    }
    db.execute_query("MATCH (a:Author) REMOVE a.strongTies, a.strongTieWeights")
    keep_lists(db)  # written again from the edges: the same lists
    again = {
        r["k"]: r["t"] for r in rows(db, "MATCH (a:Author) RETURN a.key AS k, a.strongTies AS t")
    }
    assert again == kept

    identity.split(db, "hana-hub", ["2001.00002", "2001.00003"], "ops", "two people")
    assert rows(db, TIES, key="hana-hub")[0]["ties"] is None  # 81 co-authors left
    degree = "MATCH (a:Author {key: 'hana-hub'}) RETURN COUNT { (a)-[:COAUTHOR]-() }"
    assert value(db, degree) == 81


def test_context_from_the_lists_draws_what_sorting_the_edges_draws(db):
    write_batch(db, corpus(), 100)
    for key in ("hana-hub", "ivan-hub", "ada-abbot"):
        listed = context(db, key)
        assert len(listed[0]) > 25 and listed[2]  # depth 2, cut at 25 a list
        db.execute_query("MATCH (a:Author) REMOVE a.strongTies, a.strongTieWeights")
        assert context(db, key) == listed
        keep_lists(db)


def test_a_hubs_collaborators_page_from_the_lists_equals_the_edges(db, settings):
    write_batch(db, corpus(), 100)
    requests = [
        CollaboratorRequest(1, limit=10),
        CollaboratorRequest(2),
        CollaboratorRequest(2, skip=5, limit=20),
        CollaboratorRequest(1, skip=95, limit=5),
        CollaboratorRequest(3, limit=10),
    ]

    async def page() -> Any:
        driver = async_driver(settings)
        try:
            graph = Gateway(driver, database=settings.neo4j_database)
            return (await graph.page("hana-hub", None, requests, set()))["collaborators"]
        finally:
            await driver.close()

    listed = asyncio.run(page())
    assert [found["total"] for found in listed] == [121, 10, 10, 121, 0]
    assert len(listed[0]["page"]) == 10 and listed[0]["page"][0]["sharedWorks"] == 2
    db.execute_query("MATCH (a:Author) REMOVE a.strongTies")  # every request reads the edges
    assert asyncio.run(page()) == listed


def test_a_hubs_windowed_counts_from_coauthors_since_equal_the_edges(db, settings):
    write_batch(db, corpus(), 100)
    years = (2000, 2020, 2021, 2022, 2023, 2024, 2030)
    requests = [CollaboratorRequest(k, from_year=y) for k in (1, 2, 3) for y in years]

    async def counts() -> list[int]:
        driver = async_driver(settings)
        try:
            graph = Gateway(driver, database=settings.neo4j_database)
            found = (await graph.page("hana-hub", None, requests, set()))["collaborators"]
            # the same counts asked of close_collaborators, as researchers in a list are
            for request, page in zip(requests, found, strict=True):
                listed = await graph.collaborators(["hana-hub"], request)
                assert listed["hana-hub"]["total"] == page["total"]
            return [f["total"] for f in found]
        finally:
            await driver.close()

    since = "MATCH (a:Author {key: 'hana-hub'}) RETURN [a.coauthorsSinceYear, a.coauthorsSince]"
    first, table = value(db, since)
    assert first == 2020 and len(table) == 10 * 5  # 2020 to 2024, k = 1..10
    counted = asyncio.run(counts())
    # 121 co-authors over 2020-2022; Ivan Hub and nine others again in 2024
    assert counted == [121, 121, 90, 50, 10, 10, 0] + [10, 10, 0, 0, 0, 0, 0] + [0] * 7
    db.execute_query("MATCH (a:Author) REMOVE a.coauthorsSince")  # every count walks the edges
    assert asyncio.run(counts()) == counted

    keep_lists(db)  # written again from the edges: the same table
    assert value(db, since) == [first, table]
    identity.split(db, "hana-hub", ["2001.00003"], "ops", "another person")  # the 2024 paper
    first, table = value(db, since)
    assert first == 2020 and len(table) == 10 * 3  # 2020 to 2022 now
    assert table[:3] == [121, 80, 40] and table[3:6] == [0, 0, 0]  # nobody shares 2 works
    assert asyncio.run(counts())[:7] == [121, 121, 80, 40, 0, 0, 0]


def test_the_bulk_load_writes_the_lists_the_transactional_path_keeps(db, settings, tmp_path):
    """Hubs with ties of up to 6 shared works over several years, and Cat Copy, whose two
    papers leave room for 120 co-authors but give 60: the same graph, lists included."""
    papers = corpus() + [
        paper(20 + n, [HUB, NAMES[0], NAMES[1]], year=year)
        for n, year in enumerate((2021, 2023, 2023, 2025))
    ]
    papers += [paper(30 + n, ["Cat Copy", *OTHERS[:60]], year=2019) for n in (0, 1)]
    papers.sort(key=lambda r: (r.published, r.arxiv_id))  # a snapshot's order
    instance = throwaway_instance(settings, tmp_path / "neo4j").with_(coauthor_max_authors=100)
    try:
        stats = bulk_import.bulk_load(instance, iter(papers), tmp_path / "csv", log=lambda _: None)
        with connected(instance) as drv:
            bulk = dump(drv)
            since = value(drv, "MATCH (a:Author {key: 'hana-hub'}) RETURN a.coauthorsSince")
    finally:
        neo4j_local.stop(instance, log=lambda _: None)
    assert stats.csv.hubs == 12  # and the ten Fay Others: 49 + 1 + 50 co-authors, and Cat
    assert len(since) == 10 * 6  # 2020 to 2025
    for start in range(0, len(papers), 5):  # several batches, as a real load runs
        write_batch(db, papers[start : start + 5], 100)
    settle(db, 100)
    assert dump(db) == bulk
