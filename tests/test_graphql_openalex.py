"""OpenAlex's figures and the graph's own, through the real app and the real Neo4j.

The `basic` feed with `tests.openalex_graph.basic_openalex` written on it: Alice Martin's
6 works are cited 50, 12, 10, 3, 1 times and once not found (so 76 citations, h-index 3,
i10-index 3 in this graph), while OpenAlex reports 240, 7 and 5 for the person (14 works).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from kg.api.context import Context
from kg.api.gateway import Gateway
from kg.api.root import schema
from kg.core.db import async_driver
from tests.helpers import gql
from tests.openalex_graph import MIT, ORCID, add_openalex_facts, basic_openalex, paper

IMPACT = """
  id orcid openalexId citations hIndex i10Index twoYearMeanCitedness
  graphCitations graphHIndex graphI10Index
  citationsByYear { year count } worksByYear { year count } identityNotes
  institutions { id name firstYear lastYear openalexId ror country type }
"""
PROFILE = f"query($id: ID!) {{ researcher(id: $id) {{ {IMPACT} }} }}"
PAGE = f"""query($id: ID!) {{ researcher(id: $id) {{ {IMPACT}
  works(first: 20) {{ nodes {{ arxivId citations openalexId citationsByYear {{ year count }} }} }}
}} }}"""


@pytest.fixture
def client(load_feed, db, api) -> Iterator[TestClient]:
    load_feed("basic")
    basic_openalex(db)
    yield api()


def researcher(client: TestClient, query: str, key: str) -> dict[str, Any]:
    body = gql(client, query, id=key)
    assert "errors" not in body, body["errors"]
    return body["data"]["researcher"]  # type: ignore[no-any-return]


def test_openalex_figures_and_the_graphs_own_differ_and_both_are_served(client):
    alice = researcher(client, PROFILE, "alice-martin")
    assert (alice["orcid"], alice["openalexId"]) == (ORCID, "A5000000001")
    # OpenAlex's author record counts works this graph does not hold
    assert (alice["citations"], alice["hIndex"], alice["i10Index"]) == (240, 7, 5)
    assert alice["twoYearMeanCitedness"] == 3.5
    # computed in Cypher from the 6 works here: 50, 12, 10, 3, 1 and one uncited
    assert (alice["graphCitations"], alice["graphHIndex"], alice["graphI10Index"]) == (76, 3, 3)
    assert alice["citationsByYear"] == [  # stored newest first, served oldest first
        {"year": 2023, "count": 40},
        {"year": 2024, "count": 90},
        {"year": 2025, "count": 110},
    ]
    assert alice["worksByYear"] == [{"year": 2024, "count": 6}]
    assert alice["identityNotes"] == [
        "OpenAlex puts 2 of these works under another author (A5000000099); "
        "a curator kept them here"
    ]
    assert alice["institutions"] == [
        {
            "id": MIT,
            "name": "Massachusetts Institute of Technology",
            "firstYear": 2019,
            "lastYear": 2024,
            "openalexId": "I63966007",
            "ror": "https://ror.org/042nb2s44",
            "country": "US",
            "type": "education",
        },
        {
            "id": "eth-zurich",
            "name": "ETH Zurich",
            "firstYear": 2016,
            "lastYear": 2018,
            "openalexId": "I35440088",
            "ror": "https://ror.org/05a28rw58",
            "country": "CH",
            "type": "education",
        },
    ]
    # the one-query page (researcher_page) answers exactly as the profile query does
    page = researcher(client, PAGE, "alice-martin")
    assert {k: v for k, v in page.items() if k != "works"} == alice


def test_per_work_citations_and_a_work_openalex_lacks(client):
    works = researcher(client, PAGE, "alice-martin")["works"]["nodes"]
    by_id = {w["arxivId"]: w for w in works}
    assert by_id["2401.00001"] == {
        "arxivId": "2401.00001",
        "citations": 50,
        "openalexId": "W240100001",
        "citationsByYear": [{"year": 2024, "count": 20}, {"year": 2025, "count": 30}],
    }
    assert by_id["2401.00003"]["citationsByYear"] == []
    assert by_id["2401.00010"] == {  # not found in OpenAlex
        "arxivId": "2401.00010",
        "citations": None,
        "openalexId": None,
        "citationsByYear": [],
    }
    # a works page of its own (researcher_works) and search (search_works) carry them too
    alone = gql(
        client,
        '{ researcher(id: "bob-nguyen") { works(first: 1, orderBy: OLDEST) { nodes { '
        "arxivId citations } } } }",
    )["data"]["researcher"]["works"]["nodes"]
    assert alone == [{"arxivId": "2401.00001", "citations": 50}]
    found = gql(client, '{ search(text: "calibration") { works { work { arxivId citations } } } }')[
        "data"
    ]["search"]["works"]
    assert {"arxivId": "2401.00002", "citations": 12} in [f["work"] for f in found]


def test_without_openalex_data_figures_are_null_and_graph_figures_zero(client):
    edward = researcher(client, PAGE, "edward-old")  # one 1999 paper, unknown to OpenAlex
    openalex = ("orcid", "openalexId", "citations", "hIndex", "i10Index", "twoYearMeanCitedness")
    assert {k: edward[k] for k in openalex} == dict.fromkeys(openalex)
    assert (edward["graphCitations"], edward["graphHIndex"], edward["graphI10Index"]) == (0, 0, 0)
    assert edward["citationsByYear"] == [] and edward["identityNotes"] == []
    assert edward["worksByYear"] == [{"year": 1999, "count": 1}]  # always there
    assert edward["works"]["nodes"][0]["citations"] is None

    # Bob: his works are cited, OpenAlex has no author record for him
    bob = researcher(client, PROFILE, "bob-nguyen")
    assert bob["hIndex"] is None and bob["citations"] is None
    assert bob["graphHIndex"] >= 1 and bob["graphCitations"] > 0

    zihang = researcher(client, PROFILE, "zihang-liu")  # an arXiv affiliation (years), no OpenAlex
    assert zihang["institutions"] == [
        {
            "id": "tsinghua-university",
            "name": "Tsinghua University",
            "firstYear": 2024,
            "lastYear": 2024,
            "openalexId": None,
            "ror": None,
            "country": None,
            "type": None,
        }
    ]


def test_h_index_counts_works_cited_at_least_h_times(load_snapshot, db, api):
    load_snapshot("collab")  # Ann Lee: one work a year, 2019 to 2023
    add_openalex_facts(
        db,
        papers=[
            paper("1901.00001", 4),
            paper("2001.00002", 4),
            paper("2101.00003", 12),
            paper("2201.00004", 4),
            paper("2301.00005", 0),
        ],
    )
    ann = researcher(api(), PROFILE, "ann-lee")
    # four works cited at least 4 times, not five cited at least 5: h = 4; one cited >= 10
    assert (ann["graphCitations"], ann["graphHIndex"], ann["graphI10Index"]) == (24, 4, 1)
    assert ann["worksByYear"] == [{"year": y, "count": 1} for y in range(2019, 2024)]


def test_the_profile_page_with_citations_is_one_cypher_query(load_feed, db, settings):
    load_feed("basic")
    basic_openalex(db)

    async def go() -> tuple[Any, int]:
        driver = async_driver(settings)
        try:
            gateway = Gateway(driver, database=settings.neo4j_database)
            context = Context(gateway=gateway, settings=settings)
            result = await schema.execute(
                PAGE, variable_values={"id": "alice-martin"}, context_value=context
            )
            return result, gateway.queries
        finally:
            await driver.close()

    result, queries = asyncio.run(go())
    assert not result.errors and queries == 1
    assert result.data["researcher"]["graphHIndex"] == 3
