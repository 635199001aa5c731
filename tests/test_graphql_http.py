"""GraphQL over HTTP: the media type clients ask for, and 4xx for request errors under it.

The checks `graphql-http`'s `auditServer` made with warnings before (all about
`application/graphql-response+json`), against the real app and the test Neo4j.
"""

from __future__ import annotations

import pytest

from kg.web.app import GRAPHQL_RESPONSE, response_media_type

ACCEPT = {"accept": GRAPHQL_RESPONSE}


@pytest.fixture
def client(db, api):
    return api()


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, "application/json"),
        ("*/*", "application/json"),
        ("application/json", "application/json"),
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE}, application/json;q=0.9", GRAPHQL_RESPONSE),
        (f"application/json, {GRAPHQL_RESPONSE}", "application/json"),
        (f"application/json;q=0.5, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE};q=0", "application/json"),
    ],
)
def test_the_response_media_type_follows_accept(accept, chosen):
    assert response_media_type(accept) == chosen


def test_a_client_accepting_graphql_response_json_gets_it(client):
    response = client.post("/graphql", json={"query": "{ __typename }"}, headers=ACCEPT)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize(
    "payload",
    [
        {"query": "{"},  # parsing
        {"query": "{ nosuchfield }"},  # validation
        {
            "query": 'query($n: Int!) { search(text: "x", first: $n) { works { score } } }',
            "variables": {"n": "many"},
        },  # variable coercion
    ],
)
def test_request_errors_are_400_without_data_under_graphql_response_json(client, payload):
    response = client.post("/graphql", json=payload, headers=ACCEPT)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    body = response.json()
    assert "data" not in body and body["errors"]
    legacy = client.post("/graphql", json=payload)  # application/json: 200, as before
    assert legacy.status_code == 200 and legacy.json()["data"] is None


def test_execution_errors_stay_200_with_data(client):
    document = '{ ok: __typename researcher(id: "x", name: "y") { id } }'
    response = client.post("/graphql", json={"query": document}, headers=ACCEPT)
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {"ok": "Query", "researcher": None}
    assert body["errors"][0]["path"] == ["researcher"]
