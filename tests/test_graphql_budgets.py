"""One request cannot hold the service: a price checked before any Cypher runs, and a time
budget across all of a request's queries that also ends Neo4j's work."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import neo4j
import pytest
from graphql import GraphQLError, parse

from kg.api.context import Context
from kg.api.cost import MAX_COST, price
from kg.api.gateway import Gateway
from kg.api.root import schema
from kg.bench.api import PROFILE_PAGE
from kg.bench.heavy import HEAVY_PAGE
from kg.core import queries
from kg.core.config import Settings
from kg.core.db import async_driver
from tests.helpers import codes, gql

COSTLY = """
query($id: ID!) { researcher(id: $id) { works(first: 100) { nodes { authors {
  collaborators(first: 100) { edges { node { works(first: 100) { nodes { title
  authors { name } } } } } } } } } } }
"""
"""The issue's example: 69.8 s of server time on a 100k-paper graph before this budget."""

PAGED = 'query($n: Int!) { researcher(id: "x") { works(first: $n) { nodes { arxivId } } } }'


def priced(document: str, **variables: Any) -> int | None:
    return price(schema._schema, parse(document), None, variables)


def execute(settings: Settings, document: str, **variables: Any) -> tuple[Any, int]:
    """Run a document through the schema; (result, Cypher queries it ran)."""

    async def go() -> tuple[Any, int]:
        async with async_driver(settings) as driver:
            gateway = Gateway(driver, database=settings.neo4j_database)
            context = Context(gateway=gateway, settings=settings)
            result = await schema.execute(
                document, variable_values=variables, context_value=context
            )
            return result, gateway.queries

    return asyncio.run(go())


def test_the_price_multiplies_page_sizes_along_each_path():
    assert priced(PAGED, n=5) == 1 + 1 + 5  # researcher, connection, 5 works
    assert priced(PAGED, n=50) == 1 + 1 + 50
    assert priced(PAGED, n=0) == 1 + 1  # an empty page costs nothing below it
    assert priced(PAGED, n=10_000) == 1 + 1 + 100  # the resolver refuses it, by name
    # 100 works with up to 100 authors each: the authors list's own cap multiplies in
    authors = '{ researcher(id: "x") { works(first: 100) { nodes { authors { id } } } } }'
    assert priced(authors) == 1 + 1 + 100 + 100 * 100
    # a default page size counts like a given one, fragments like inline fields
    fragment = """{ researcher(id: "x") { ...W } }
      fragment W on Researcher { works { nodes { ... on Work { arxivId } } } }"""
    assert priced(fragment) == 1 + 1 + 20
    assert priced(COSTLY, id="x") > 10**9


def test_a_price_is_kept_per_document_and_page_sizes_not_per_researcher():
    document = parse(
        "query($id: ID!, $n: Int!) "
        "{ researcher(id: $id) { works(first: $n) { nodes { arxivId } } } }"
    )
    assert price(schema._schema, document, None, {"id": "a", "n": 5}) == 1 + 1 + 5
    assert price(schema._schema, document, None, {"id": "b", "n": 50}) == 1 + 1 + 50
    assert price(schema._schema, document, None, {"id": "c", "n": 5}) == 1 + 1 + 5
    # a variable error is still execution's to report, whatever is cached
    assert price(schema._schema, document, None, {"n": 5}) is None


def test_a_page_plan_follows_the_variables_below_the_researcher(load_feed, settings):
    """The same document with other page sizes fetches other pages, still in one query."""
    load_feed("basic")
    document = """query($id: ID!, $n: Int!, $min: Int!) { researcher(id: $id) {
      works(first: $n) { nodes { arxivId } } closeCollaboratorCount(minSharedWorks: $min) } }"""
    for n, least, close in [(2, 3, 1), (4, 1, 4), (2, 3, 1)]:
        result, ran = execute(settings, document, id="alice-martin", n=n, min=least)
        assert not result.errors
        alice = result.data["researcher"]
        assert (len(alice["works"]["nodes"]), alice["closeCollaboratorCount"]) == (n, close)
        assert ran == 1


def test_a_works_page_reads_what_its_works_select(load_feed, settings):
    """Abstracts and authors are read only when selected (below `nodes` or `edges.node`,
    through fragments), still in the page's one query."""
    load_feed("basic")
    for selection, both in [
        ("nodes { arxivId }", False),
        ("nodes { arxivId abstract } edges { node { arxivId } }", False),
        ("nodes { arxivId } edges { node { ...W } }", True),
        ("nodes { authors { id } } edges { node { abstract } }", True),
    ]:
        document = f"""{{ researcher(id: "alice-martin") {{ works(first: 3) {{ {selection} }} }} }}
            fragment W on Work {{ abstract authors {{ name }} }}"""
        if "...W" not in selection:
            document = document.split("fragment")[0]
        result, ran = execute(settings, document)
        assert not result.errors and ran == 1, selection
        works = result.data["researcher"]["works"]
        rows = [*works.get("nodes", []), *(e["node"] for e in works.get("edges", []))]
        assert len(rows) >= 3
        for field in ("abstract", "authors"):
            if field in selection or both:
                assert all(row.get(field) for row in rows if field in row), (selection, field)
                assert any(field in row for row in rows), (selection, field)
    # a second works list loads on its own, with what it selects
    result, ran = execute(
        settings,
        '{ researcher(id: "alice-martin") { a: works(first: 1) { nodes { arxivId } } '
        "b: works(first: 2) { nodes { abstract authors { id } } } } }",
    )
    assert not result.errors and ran == 2
    assert all(n["abstract"] and n["authors"] for n in result.data["researcher"]["b"]["nodes"])


def test_listed_researchers_read_the_parts_their_fields_select_in_one_query(
    load_feed, settings, monkeypatch
):
    """Collaborators' counts and topics: one profile query for all of them, computing only
    the parts selected, and the same values as each one's own profile."""
    load_feed("basic")
    asked: list[dict[str, Any]] = []
    run = Gateway.run

    async def noting(self: Gateway, name: str, write: bool = False, **params: Any) -> Any:
        if name == "researcher_profile":
            asked.append(params["parts"])
        return await run(self, name, write, **params)

    monkeypatch.setattr(Gateway, "run", noting)
    fields = "id worksCount topics { code worksCount } graphHIndex"
    listed, ran = execute(
        settings,
        '{ researcher(id: "alice-martin") { collaborators(first: 5) { edges { node { '
        + fields
        + " } } } } }",
    )
    assert not listed.errors and ran == 2  # the page, then every collaborator's profile
    assert [{part for part, on in parts.items() if on} for parts in asked] == [
        {"topics", "graphStats"}
    ]
    nodes = [e["node"] for e in listed.data["researcher"]["collaborators"]["edges"]]
    assert len(nodes) >= 3
    for node in nodes:
        own, _ = execute(settings, f'{{ researcher(id: "{node["id"]}") {{ {fields} }} }}')
        assert own.data["researcher"] == node
    assert any(node["topics"] for node in nodes)


def test_a_costly_document_is_refused_before_any_cypher_runs(db, settings):
    result, ran = execute(settings, COSTLY, id="alice-martin")
    assert ran == 0
    assert result.data is None
    (error,) = result.errors
    assert error.extensions["code"] == "QUERY_TOO_COSTLY"
    cost = priced(COSTLY, id="x")
    assert error.extensions == {"code": "QUERY_TOO_COSTLY", "cost": cost, "budget": MAX_COST}
    assert f"{cost:,}" in error.message and f"{MAX_COST:,}" in error.message


def test_a_document_at_the_budget_runs_and_one_over_it_does_not(load_feed, settings):
    load_feed("basic")
    at = settings.with_(max_query_cost=priced(PAGED, n=7) or 0)
    result, ran = execute(at, PAGED.replace('"x"', '"alice-martin"'), n=7)
    assert not result.errors and ran == 1
    result, ran = execute(at, PAGED.replace('"x"', '"alice-martin"'), n=8)
    assert [e.extensions["code"] for e in result.errors] == ["QUERY_TOO_COSTLY"] and ran == 0


def test_the_benchmarks_heavy_request_is_allowed_and_near_the_budget():
    cost = priced(HEAVY_PAGE, id="x")
    assert cost is not None and MAX_COST / 2 < cost <= MAX_COST


def test_the_profile_page_fits_the_budget_many_times_over():
    cost = priced(PROFILE_PAGE, id="x")
    assert cost is not None and cost * 10 <= MAX_COST


def test_over_http_the_refusal_is_a_coded_graphql_error(load_feed, api):
    load_feed("basic")
    body = gql(api(), COSTLY, id="alice-martin")
    assert codes(body) == ["QUERY_TOO_COSTLY"]
    assert body["errors"][0]["extensions"]["budget"] == MAX_COST


def test_a_spent_time_budget_starts_no_more_queries(load_feed, api):
    load_feed("basic")
    client = api(request_timeout=1e-9)
    body = gql(client, '{ researcher(id: "alice-martin") { name worksCount } }')
    assert codes(body) == ["REQUEST_TIMEOUT"]
    assert "KG_REQUEST_TIMEOUT" in body["errors"][0]["message"]


SLOW = "UNWIND range(1, 2000000000) AS x WITH x WHERE x % 7 = 0 RETURN count(*) AS id"
"""Minutes of work for Neo4j, whatever the graph holds."""


def running(drv: neo4j.Driver, text: str) -> list[str]:
    records = drv.execute_query(
        "SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery = $text RETURN currentQuery",
        text=text,
    ).records
    return [r[0] for r in records]


def test_the_time_budget_ends_the_query_neo4j_is_running(db, settings, monkeypatch):
    """A query still running when the budget is spent is stopped, on the server too."""
    monkeypatch.setattr(queries, "text", lambda name: SLOW)

    async def go() -> GraphQLError:
        async with async_driver(settings) as driver:
            gateway = Gateway.for_request(driver, settings.with_(request_timeout=1.0))
            with pytest.raises(GraphQLError) as raised:
                await gateway.existing(["anyone"])
            return raised.value

    error = asyncio.run(go())
    assert error.extensions == {"code": "REQUEST_TIMEOUT"}
    deadline = time.monotonic() + 30  # the server ends it at its transaction timeout
    while running(db, SLOW) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert running(db, SLOW) == []
