"""`connection(from, to, maxHops)`: shortest co-authorship chains and their evidence, on a
designed graph through the real app and the real Neo4j.

Ann Lee reaches Dan Wu in 3 links two ways: through Ben Ode and Cal Poe (every link two
shared works) and through Eli Roy and Cal Poe (Ann and Eli, Eli and Cal share one); a
longer way runs Ann, Fay, Gus, Hal, Ivy, Dan. Ann, Ben and Dan are also on a 121-author
paper, above the COAUTHOR cap: it links nobody and is nobody's evidence.
"""

from __future__ import annotations

import asyncio
from typing import Any

import neo4j
import pytest
from starlette.testclient import TestClient

from kg.api.context import Context
from kg.api.cost import price
from kg.api.gateway import Gateway
from kg.api.root import schema
from kg.core.config import Settings
from kg.core.db import async_driver
from loaders.graph_writer import write_batch
from loaders.settle import settle
from tests.helpers import codes, gql, paper, rows

MAX = 100
CROWD = [f"{first} {last}" for first in ("Kai", "Lia", "Moe", "Nia", "Oto", "Pia", "Rio",
         "Sol", "Tao", "Uma", "Vic") for last in ("Abe", "Bok", "Cye", "Dua", "Eko", "Fan",
         "Gil", "Hoy", "Ito", "Jun", "Kym")]  # fmt: skip

PAPERS = [
    paper(1, ["Ann Lee", "Ben Ode"], year=2019),
    paper(2, ["Ann Lee", "Ben Ode"], year=2021),
    paper(3, ["Ben Ode", "Cal Poe"], year=2020),
    paper(4, ["Ben Ode", "Cal Poe"], year=2022),
    paper(5, ["Cal Poe", "Dan Wu"], year=2021),
    paper(6, ["Cal Poe", "Dan Wu"], year=2023),
    paper(7, ["Ann Lee", "Eli Roy"], year=2020),
    paper(8, ["Eli Roy", "Cal Poe"], year=2020),
    paper(9, ["Ann Lee", "Fay Orr"], year=2018),
    paper(10, ["Fay Orr", "Gus Pym"], year=2018),
    paper(11, ["Gus Pym", "Hal Ng"], year=2018),
    paper(12, ["Hal Ng", "Ivy Lo"], year=2018),
    paper(13, ["Ivy Lo", "Dan Wu"], year=2018),
    paper(14, ["Ann Lee", "Ben Ode", "Dan Wu", *CROWD], year=2024),
]

CHAINS = """
query($from: ID!, $to: ID!, $maxHops: Int = 4, $first: Int = 3, $evidence: Int = 5) {
  connection(from: $from, to: $to, maxHops: $maxHops, first: $first) {
    from { id name movedFrom } to { id movedFrom } hops
    chains {
      hops researchers { id }
      links { from { id } to { id } evidence(first: $evidence) {
        totalCount nodes { arxivId title published authors { id } }
      } }
    }
  }
}
"""

SHARED = """
MATCH (:Author {key: $u})-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(:Author {key: $v})
WHERE p.authorCount <= $max
RETURN p.arxivId AS id ORDER BY p.published DESC
"""


@pytest.fixture
def graph(db: neo4j.Driver) -> neo4j.Driver:
    write_batch(db, PAPERS, MAX)
    settle(db, MAX)
    return db


@pytest.fixture
def client(graph, api) -> TestClient:
    return api()


def connect(client: TestClient, **variables: Any) -> Any:
    body = gql(client, CHAINS, **variables)
    assert "errors" not in body, body["errors"]
    return body["data"]["connection"]


def keys(chain: dict[str, Any]) -> list[str]:
    return [r["id"] for r in chain["researchers"]]


def test_the_shortest_chains_come_strongest_first_never_the_longer_way(client):
    found = connect(client, **{"from": "ann-lee", "to": "dan-wu"})
    assert found["from"] == {"id": "ann-lee", "name": "Ann Lee", "movedFrom": None}
    assert found["hops"] == 3  # not 1: their shared 121-author paper is above the cap
    assert [keys(c) for c in found["chains"]] == [
        ["ann-lee", "ben-ode", "cal-poe", "dan-wu"],
        ["ann-lee", "eli-roy", "cal-poe", "dan-wu"],
    ]
    assert [c["hops"] for c in found["chains"]] == [3, 3]
    one = connect(client, **{"from": "ann-lee", "to": "dan-wu", "first": 1})
    assert [keys(c) for c in one["chains"]] == [["ann-lee", "ben-ode", "cal-poe", "dan-wu"]]
    # the only 3-link way to Hal Ng; 5 links through Dan Wu is never offered
    far = connect(client, **{"from": "ann-lee", "to": "hal-ng", "maxHops": 6, "first": 10})
    assert [keys(c) for c in far["chains"]] == [["ann-lee", "fay-orr", "gus-pym", "hal-ng"]]


def test_every_link_is_proved_by_works_both_wrote(client, graph):
    found = connect(client, **{"from": "ann-lee", "to": "dan-wu", "evidence": 1})
    for chain in found["chains"]:
        for i, link in enumerate(chain["links"]):
            u, v = link["from"]["id"], link["to"]["id"]
            assert [u, v] == keys(chain)[i : i + 2]
            shared = [r["id"] for r in rows(graph, SHARED, u=u, v=v, max=MAX)]
            evidence = link["evidence"]
            assert evidence["totalCount"] == len(shared) >= 1
            assert [w["arxivId"] for w in evidence["nodes"]] == shared[:1]  # newest first
            for work in evidence["nodes"]:
                assert {u, v} <= {a["id"] for a in work["authors"]}
    ann_ben = found["chains"][0]["links"][0]["evidence"]
    assert ann_ben["totalCount"] == 2  # not 3: the 121-author paper is not evidence
    assert ann_ben["nodes"][0] == {
        "arxivId": "2001.00002",
        "title": "Paper 2",
        "published": "2021-01-03",
        "authors": [{"id": "ann-lee"}, {"id": "ben-ode"}],
    }


def test_evidence_is_read_only_as_far_as_asked(client):
    ends = '(from: "ann-lee", to: "dan-wu", first: 1)'
    bare = gql(client, f"{{ connection{ends} {{ hops chains {{ researchers {{ id }} }} }} }}")
    assert bare["data"]["connection"]["hops"] == 3
    counted = gql(
        client,
        f"{{ connection{ends} {{ chains {{ links {{ evidence(first: 0) "
        "{ totalCount nodes { arxivId } } } } } }",
    )
    links = counted["data"]["connection"]["chains"][0]["links"]
    assert [link["evidence"] for link in links] == [{"totalCount": 2, "nodes": []}] * 3


def test_max_hops_bounds_the_chains(client):
    ends = {"from": "ann-lee", "to": "dan-wu"}
    assert connect(client, **ends, maxHops=2) == {
        "from": {"id": "ann-lee", "name": "Ann Lee", "movedFrom": None},
        "to": {"id": "dan-wu", "movedFrom": None},
        "hops": None,
        "chains": [],
    }
    assert connect(client, **ends, maxHops=3)["hops"] == 3
    direct = connect(client, **{"from": "ann-lee", "to": "ben-ode", "maxHops": 1})
    assert [keys(c) for c in direct["chains"]] == [["ann-lee", "ben-ode"]]


def test_unknown_merged_and_equal_ids(client, graph):
    assert connect(client, **{"from": "ann-lee", "to": "no-such-person"}) is None
    assert connect(client, **{"from": "no-such-person", "to": "ann-lee"}) is None
    graph.execute_query(  # as `kg identity merge` leaves an id that stopped existing
        "MATCH (a:Author {key: 'dan-wu'}) CREATE (:AuthorRedirect {key: 'd-wu'})-[:MOVED_TO]->(a)"
    )
    moved = connect(client, **{"from": "ann-lee", "to": "d-wu", "first": 1})
    assert moved["to"] == {"id": "dan-wu", "movedFrom": "d-wu"} and moved["hops"] == 3
    same = connect(client, **{"from": "ann-lee", "to": "ann-lee"})
    assert same["hops"] == 0
    assert same["chains"] == [{"hops": 0, "researchers": [{"id": "ann-lee"}], "links": []}]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ("maxHops: 0", "`maxHops` must be between 1 and 6, e.g. `maxHops: 4`"),
        ("maxHops: 7", "`maxHops` must be between 1 and 6"),
        ("first: 0", "`first` must be between 1 and 10"),
        ("first: 11", "`first` must be between 1 and 10"),
    ],
)
def test_bad_arguments_say_what_is_allowed(client, arguments, message):
    body = gql(client, f'{{ connection(from: "ann-lee", to: "dan-wu", {arguments}) {{ hops }} }}')
    assert codes(body) == ["BAD_USER_INPUT"]
    assert message in body["errors"][0]["message"]


def test_too_much_evidence_is_refused(client):
    query = """{ connection(from: "ann-lee", to: "dan-wu") {
      chains { links { evidence(first: 21) { totalCount } } } } }"""
    body = gql(client, query)
    assert codes(body) == ["BAD_USER_INPUT"]
    assert "between 0 and 20" in body["errors"][0]["message"]


def test_chains_are_priced_by_max_hops_and_the_budget_applies(client):
    def cost(max_hops: int, first: int, evidence: int) -> int:
        query = f"""{{ connection(from: "a", to: "b", maxHops: {max_hops}, first: {first}) {{
          chains {{ researchers {{ id }} links {{ evidence(first: {evidence}) {{
            nodes {{ authors {{ id }} }} }} }} }} }} }}"""
        from graphql import parse

        found = price(schema._schema, parse(query), None, None)
        assert found is not None
        return found

    # connection 1 + chains c + researchers c(h+1) + links ch + evidence ch + works che
    # + their authors che x 100
    assert cost(2, 3, 5) == 1 + 3 + 3 * 3 + 3 * 2 + 3 * 2 + 3 * 2 * 5 * 101
    assert cost(6, 3, 5) > cost(4, 3, 5) > cost(2, 3, 5)
    heavy = """{ connection(from: "ann-lee", to: "dan-wu", maxHops: 6, first: 10) {
      chains { links { evidence(first: 20) { nodes { authors { id } } } } } } }"""
    assert codes(gql(client, heavy)) == ["QUERY_TOO_COSTLY"]
    light = heavy.replace("first: 10", "first: 3").replace("first: 20", "first: 5")
    assert "errors" not in gql(client, light)


def test_one_cypher_query_answers_it(graph, settings: Settings):
    async def go() -> tuple[Any, int]:
        driver = async_driver(settings)
        try:
            gateway = Gateway(driver, database=settings.neo4j_database)
            context = Context(gateway=gateway, settings=settings)
            result = await schema.execute(
                CHAINS,
                variable_values={"from": "ann-lee", "to": "dan-wu"},
                context_value=context,
            )
            assert not result.errors, result.errors
            return result.data, gateway.queries
        finally:
            await driver.close()

    data, queries = asyncio.run(go())
    assert data["connection"]["hops"] == 3 and queries == 1
