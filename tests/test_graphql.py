"""The GraphQL API through the real Starlette app and the real Neo4j."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from tests.helpers import codes, gql

PROFILE = """
query Profile($name: String, $id: ID, $min: Int = 2, $first: Int = 20) {
  researcher(name: $name, id: $id) {
    id name nameVariants worksCount
    closeCollaboratorCount(minSharedWorks: $min)
    topics { code label name worksCount }
    works(first: $first) { nodes {
      arxivId title published category categoryLabel categories url pdfUrl doi comment
      authorCount authors { id name }
    } }
    followersCount claimStatus institutions { id name lastYear }
  }
}
"""


@pytest.fixture
def client(load_feed, api) -> Iterator[TestClient]:
    load_feed("basic")
    yield api()


def test_profile_by_name(client):
    body = gql(client, PROFILE, name="Alice Martin")
    assert "errors" not in body
    alice = body["data"]["researcher"]
    assert alice["id"] == "alice-martin"
    assert alice["name"] == "Alice Martin"
    assert alice["nameVariants"] == ["Alice Martin", "Martin, Alice"]
    assert alice["worksCount"] == 6
    assert alice["closeCollaboratorCount"] == 3  # Bob (3 shared), Zihang (2), Carol (2)
    assert [w["arxivId"] for w in alice["works"]["nodes"]] == [
        "2401.00010",
        "2401.00007",
        "2401.00004",
        "2401.00003",
        "2401.00002",
        "2401.00001",
    ]
    topics = {t["code"]: t["worksCount"] for t in alice["topics"]}
    assert topics == {"cs.LG": 4, "cs.CL": 2, "stat.ML": 1}
    assert alice["topics"][0] == {
        "code": "cs.LG",
        "label": "LG",
        "name": "Machine Learning",
        "worksCount": 4,
    }


def test_work_fields(client):
    works = gql(client, PROFILE, id="bob-nguyen")["data"]["researcher"]["works"]["nodes"]
    beta = next(w for w in works if w["arxivId"] == "2401.00002")
    assert beta == {
        "arxivId": "2401.00002",
        "title": "Beta: Calibration of Deep Ensembles",
        "published": "2024-01-03",
        "category": "cs.LG",
        "categoryLabel": "LG",
        "categories": ["cs.LG", "stat.ML"],
        "url": "https://arxiv.org/abs/2401.00002",
        "pdfUrl": "http://arxiv.org/pdf/2401.00002v1",
        "doi": "10.1000/beta.2024",
        "comment": None,
        "authorCount": 2,
        "authors": [
            {"id": "alice-martin", "name": "Alice Martin"},
            {"id": "bob-nguyen", "name": "Bob Nguyen"},
        ],
    }


def test_more_work_fields_and_institutions(client):
    body = gql(
        client,
        """{ researcher(id: "alice-martin") { works(orderBy: OLDEST, first: 2) { nodes {
             arxivId abstract updated journalRef withdrawn codeUrl } } } }""",
    )
    alpha, beta = body["data"]["researcher"]["works"]["nodes"]
    assert alpha["codeUrl"] == "https://github.com/example/alpha"  # "Code: https://..."
    assert beta == {
        "arxivId": "2401.00002",
        "abstract": "Beta: Calibration of Deep Ensembles. We study this problem and report "
        "results.",
        "updated": "2024-01-03T17:59:46+00:00",
        "journalRef": None,
        "withdrawn": False,
        "codeUrl": None,
    }
    zihang = gql(client, PROFILE, id="zihang-liu")["data"]["researcher"]
    assert zihang["institutions"] == [
        {"id": "tsinghua-university", "name": "Tsinghua University", "lastYear": 2024}
    ]
    assert (zihang["followersCount"], zihang["claimStatus"]) == (0, "UNCLAIMED")


def test_any_spelling_of_the_name_finds_the_same_researcher(client):
    for spelling in ("Martin, Alice", "ALICE  MARTIN", "Alice Martin"):
        found = gql(client, PROFILE, name=spelling)["data"]["researcher"]
        assert found["id"] == "alice-martin"


def test_initials_never_match_a_full_name(client):
    zl = gql(client, PROFILE, name="Z. Liu")["data"]["researcher"]
    assert zl["id"] == "z-liu" and zl["worksCount"] == 1
    zihang = gql(client, PROFILE, name="Zihang Liu")["data"]["researcher"]
    assert zihang["worksCount"] == 3
    zhengzhong = gql(client, PROFILE, name="Zhengzhong Liu")["data"]["researcher"]
    assert zhengzhong["worksCount"] == 1


def test_close_collaborator_threshold_is_an_argument(client):
    assert (
        gql(client, PROFILE, name="Alice Martin", min=3)["data"]["researcher"][
            "closeCollaboratorCount"
        ]
        == 1
    )
    assert (
        gql(client, PROFILE, name="Alice Martin", min=1)["data"]["researcher"][
            "closeCollaboratorCount"
        ]
        == 4
    )
    both = gql(
        client,
        """{ researcher(id: "alice-martin") {
        two: closeCollaboratorCount three: closeCollaboratorCount(minSharedWorks: 3)
        ...More } }
        fragment More on Researcher { one: closeCollaboratorCount(minSharedWorks: 1) }""",
    )
    assert both["data"]["researcher"] == {"two": 3, "three": 1, "one": 4}


def test_works_first_limits_the_list(client):
    two = gql(client, PROFILE, name="Alice Martin", first=2)["data"]["researcher"]["works"]
    assert [w["arxivId"] for w in two["nodes"]] == ["2401.00010", "2401.00007"]
    mixed = gql(
        client,
        '{ researcher(id: "alice-martin") { a: works(first: 1) { nodes { arxivId } } '
        "b: works(first: 3) { nodes { arxivId } } } }",
    )["data"]["researcher"]
    assert len(mixed["a"]["nodes"]) == 1 and len(mixed["b"]["nodes"]) == 3


def test_unknown_researcher_is_null_without_error(client):
    body = gql(client, PROFILE, name="Nobody Atall")
    assert body == {"data": {"researcher": None}}


def test_bad_arguments_are_graphql_errors_with_codes(client):
    assert codes(gql(client, '{ researcher(id: "x", name: "y") { id } }')) == ["BAD_USER_INPUT"]
    assert codes(gql(client, "{ researcher { id } }")) == ["BAD_USER_INPUT"]
    assert codes(gql(client, PROFILE, name="Alice Martin", min=0)) == ["BAD_USER_INPUT"]
    assert codes(gql(client, PROFILE, name="Alice Martin", first=10_000)) == ["BAD_USER_INPUT"]
    for bad in ('after: "nonsense"', "first: -1", 'after: "b2Zmc2V0Oi01"'):  # offset:-5
        body = gql(
            client, f'{{ researcher(id: "alice-martin") {{ works({bad}) {{ totalCount }} }} }}'
        )
        assert codes(body) == ["BAD_USER_INPUT"], bad


@pytest.mark.parametrize(
    "payload",
    [
        {"query": '{ researcher(name: "x" { id } }'},
        {"query": "{ researcher(name: 1) { id } }"},
        {"query": "{ nosuchfield }"},
        {"query": PROFILE, "variables": {"min": "two"}},
    ],
)
def test_malformed_queries_are_graphql_errors_not_500(client, payload):
    response = client.post("/graphql", json=payload)
    assert response.status_code < 500
    assert codes(response.json()) == ["GRAPHQL_VALIDATION_FAILED"]


def test_not_json_is_a_client_error(client):
    response = client.post(
        "/graphql", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert 400 <= response.status_code < 500


def test_graphiql_is_served_to_browsers(client):
    page = client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()


def test_healthz_reports_neo4j_up(client):
    assert client.get("/healthz").json() == {"status": "ok", "neo4j": "up"}
