"""Limits that keep one request from hurting the server, the published SDL, Neo4j outages."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql.language import Lexer, Source, TokenKind

from kg.api import sdl
from kg.api.root import MAX_ALIASES, MAX_DEPTH, MAX_TOKENS
from kg.core import neo4j_local
from kg.core.db import connected
from tests.helpers import codes, gql, throwaway_instance


@pytest.fixture
def client(db, api):
    return api()


def test_checked_in_sdl_matches_the_code():
    assert not sdl.stale(), "schema/schema.graphql is stale: run `kg schema graphql`"
    text = sdl.path().read_text()
    assert "closeCollaboratorCount(minSharedWorks: Int! = 2, fromYear: Int = null" in text


def test_too_deep_queries_are_refused_before_running(client):
    nested = "id"
    for _ in range(6):  # researcher > collaborators > edges > node > ...
        nested = f"collaborators {{ edges {{ node {{ {nested} }} }} }}"
    body = gql(client, f'{{ researcher(id: "a") {{ {nested} }} }}')
    assert codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]


def test_parsed_and_validated_documents_are_cached(client):
    from strawberry.extensions.parser_cache import _get_parse_cache
    from strawberry.extensions.validation_cache import _get_validate_cache

    query = '{ researcher(id: "cache-probe") { id works { totalCount } } }'
    before = (_get_parse_cache(512).cache_info().hits, _get_validate_cache(512).cache_info().hits)
    for _ in range(3):
        assert gql(client, query) == {"data": {"researcher": None}}
    after = (_get_parse_cache(512).cache_info().hits, _get_validate_cache(512).cache_info().hits)
    assert after[0] - before[0] >= 2 and after[1] - before[1] >= 2


def test_too_many_aliases_or_tokens_are_refused(client):
    aliases = " ".join(f'a{i}: researcher(id: "x{i}") {{ id }}' for i in range(31))
    body = gql(client, f"{{ {aliases} }}")
    assert codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "aliases" in body["errors"][0]["message"]
    tokens = "{ " + " ".join("__typename" for _ in range(2001)) + " }"
    body = gql(client, tokens)
    assert codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "token" in body["errors"][0]["message"].lower()


def nested(hops: int, leaf: str = "id") -> str:
    """`researcher` with `hops` fields nested below it, the last holding `leaf`."""
    names = ["collaborators(first: 1)", "edges", "node"]
    text = leaf
    for i in reversed(range(hops)):
        text = f"{names[i % 3]} {{ {text} }}"
    return f'{{ researcher(id: "nobody") {{ {text} }} }}'


def token_count(document: str) -> int:
    lexer = Lexer(Source(document))
    count = 0
    while lexer.advance().kind != TokenKind.EOF:
        count += 1
    return count


def test_each_limit_lets_a_document_at_it_through_and_refuses_one_just_over(client):
    at_depth = nested(9)  # its leaf `id` sits at depth MAX_DEPTH
    over_depth = nested(9, "collaborators(first: 1) { totalCount }")
    assert gql(client, at_depth) == {"data": {"researcher": None}}
    body = gql(client, over_depth)
    assert codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
    assert f"exceeds maximum operation depth of {MAX_DEPTH}" in body["errors"][0]["message"]

    def aliased(n: int) -> str:
        return "{ " + " ".join(f'a{i}: researcher(id: "x{i}") {{ id }}' for i in range(n)) + " }"

    assert "errors" not in gql(client, aliased(MAX_ALIASES))
    assert codes(gql(client, aliased(MAX_ALIASES + 1))) == ["GRAPHQL_VALIDATION_FAILED"]

    def operations(extra: int) -> str:
        """Many small operations (validated alone, unlike thousands of sibling fields)."""
        others = " ".join(f"query q{i} {{ __typename }}" for i in range(398))
        return f"{others} query main {{ {' '.join(['__typename'] * (1 + extra))} }}"

    at_tokens = operations(5)
    assert token_count(at_tokens) == MAX_TOKENS
    ok = client.post("/graphql", json={"query": at_tokens, "operationName": "main"}).json()
    assert ok == {"data": {"__typename": "Query"}}
    over = client.post("/graphql", json={"query": operations(6), "operationName": "main"})
    assert codes(over.json()) == ["GRAPHQL_VALIDATION_FAILED"]
    assert f"more than {MAX_TOKENS} tokens" in over.json()["errors"][0]["message"]


def test_neo4j_down_is_reported_and_the_service_recovers_by_itself(settings, tmp_path: Path, api):
    """A real second Neo4j, stopped and started under a running service."""
    instance = throwaway_instance(settings, tmp_path / "neo4j")
    quiet = {"log": lambda _: None}
    try:
        neo4j_local.start(instance, **quiet)
        with connected(instance) as drv:
            drv.execute_query("CREATE (:Author {key: 'solo-one', name: 'Solo One'})")
        client = api(
            neo4j_home=instance.neo4j_home,
            bolt_port=instance.bolt_port,
            http_port=instance.http_port,
            neo4j_uri=instance.neo4j_uri,
            neo4j_password_env=instance.neo4j_password,
            # what is tested is recovery, not speed: a freshly started JVM plans the profile
            # query cold, which on a busy 2-core machine can outlast the 10 s default
            request_timeout=60.0,
            query_timeout=60.0,
        )
        query = '{ researcher(id: "solo-one") { name worksCount } }'
        assert gql(client, query)["data"]["researcher"] == {"name": "Solo One", "worksCount": 0}
        # queries run side by side, so the driver pools several connections, all of which
        # the restart below kills: none of them may reach a request afterwards
        several = (
            "{ "
            + " ".join(
                f'a{n}: researcher(id: "solo-one") {{ works(first: {n}) {{ totalCount }} }}'
                for n in range(1, 5)
            )
            + " }"
        )
        assert "errors" not in gql(client, several)

        neo4j_local.stop(instance, **quiet)
        down = gql(client, query)
        assert codes(down) == ["SERVICE_UNAVAILABLE"]
        assert "unavailable" in down["errors"][0]["message"]
        health = client.get("/healthz")
        assert health.status_code == 503 and health.json()["status"] == "unavailable"

        neo4j_local.start(instance, **quiet)
        assert client.get("/healthz").json() == {"status": "ok", "neo4j": "up"}
        after = gql(client, query)
        assert "errors" not in after, after
        assert after["data"]["researcher"]["name"] == "Solo One"
        for _ in range(3):
            assert "errors" not in gql(client, several)
    finally:
        neo4j_local.stop(instance, **quiet)
