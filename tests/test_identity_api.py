"""Identity edits seen from outside: old ids over GraphQL and the pages, splitWorks, the CLI."""

from __future__ import annotations

import pytest

from kg.cli import main
from kg.curation import identity
from tests.helpers import codes, gql, value

KEYS = "alice:alice-key-0123456789,bob:bob-key-0123456789ab"
ALICE = {"Authorization": "Bearer alice-key-0123456789"}
BOB = {"Authorization": "Bearer bob-key-0123456789ab"}

PROFILE = """query ($id: ID!) { researcher(id: $id) {
  id movedFrom worksCount closeCollaboratorCount
} }"""
PAGE = """query ($id: ID!) { researcher(id: $id) {
  id movedFrom worksCount works(first: 20) { totalCount nodes { arxivId } }
  collaborators(first: 10) { edges { node { id } } }
} }"""
SPLIT = """mutation ($id: ID!, $works: [ID!]!) {
  splitWorks(researcher: $id, works: $works, reason: "my namesake") {
    researcher { id worksCount closeCollaboratorCount }
    splitFrom { id worksCount closeCollaboratorCount }
  }
}"""


@pytest.fixture
def graph(load_feed, db):
    load_feed("basic")
    return db


def researcher(client, id: str, query: str = PROFILE) -> dict:
    body = gql(client, query, id=id)
    assert "errors" not in body, body
    return body["data"]["researcher"]


def test_an_old_id_answers_with_the_record_it_was_merged_into(graph, api):
    client = api()
    assert researcher(client, "z-liu")["worksCount"] == 1
    identity.merge(graph, "zihang-liu", ["z-liu"], "ops", "same person")
    now = researcher(client, "z-liu")
    assert (now["id"], now["movedFrom"], now["worksCount"]) == ("zihang-liu", "z-liu", 4)
    page = researcher(client, "z-liu", PAGE)  # the one-query page path resolves it too
    assert page["movedFrom"] == "z-liu" and page["works"]["totalCount"] == 4
    assert "bob-nguyen" in [c["node"]["id"] for c in page["collaborators"]["edges"]]
    assert researcher(client, "zihang-liu")["movedFrom"] is None

    response = client.get("/researcher/z-liu", follow_redirects=False)
    assert response.status_code == 308
    assert response.headers["location"] == "/researcher/zihang-liu"
    assert client.get("/researcher/zihang-liu").status_code == 200
    assert client.get("/researcher/nobody-at-all").status_code == 404
    explorer = client.get("/explore/z-liu", follow_redirects=False)  # the explorer too
    assert (explorer.status_code, explorer.headers["location"]) == (308, "/explore/zihang-liu")
    assert client.get("/explore/nobody-at-all").status_code == 404


def test_after_a_split_the_old_id_is_the_old_record_and_counts_follow_the_people(graph, api):
    client = api()
    before = researcher(client, "alice-martin")
    assert (before["worksCount"], before["closeCollaboratorCount"]) == (6, 3)  # bob, carol, zihang
    event = identity.split(graph, "alice-martin", ["2401.00003", "2401.00004"], "ops", "two")
    old, new = researcher(client, "alice-martin", PAGE), researcher(client, event.created or "")
    assert old["id"] == "alice-martin" and old["movedFrom"] is None
    assert {w["arxivId"] for w in old["works"]["nodes"]}.isdisjoint({"2401.00003", "2401.00004"})
    assert (old["worksCount"], new["worksCount"]) == (4, 2)
    assert researcher(client, "alice-martin")["closeCollaboratorCount"] == 2  # bob, zihang
    assert new["closeCollaboratorCount"] == 1  # carol, on both works split off
    carol = researcher(client, "carol-diaz", PAGE)
    assert event.created in [c["node"]["id"] for c in carol["collaborators"]["edges"]]
    assert "alice-martin" not in [c["node"]["id"] for c in carol["collaborators"]["edges"]]


def test_split_works_only_for_the_verified_claimant(graph, api):
    client = api(api_keys=KEYS)
    claim = 'mutation { claimResearcher(id: "alice-martin") { status } }'
    gql(client, claim, headers=ALICE)
    gql(client, claim, headers=BOB)
    works = ["2401.00003", "2401.00004"]
    assert codes(gql(client, SPLIT, id="alice-martin", works=works)) == ["UNAUTHENTICATED"]
    assert codes(gql(client, SPLIT, headers=ALICE, id="alice-martin", works=works)) == [
        "FORBIDDEN"  # pending is not verified
    ]
    graph.execute_query(
        "MATCH (:User {id: 'alice'})-[c:CLAIMS]->(:Author {key: 'alice-martin'}) "
        "SET c.status = 'VERIFIED'"
    )
    assert codes(gql(client, SPLIT, headers=BOB, id="alice-martin", works=works)) == ["FORBIDDEN"]
    assert codes(gql(client, SPLIT, headers=ALICE, id="nobody", works=works)) == ["NOT_FOUND"]
    bad = gql(client, SPLIT, headers=ALICE, id="alice-martin", works=["2401.00005"])
    assert (
        codes(bad) == ["BAD_USER_INPUT"] and "has no work 2401.00005" in bad["errors"][0]["message"]
    )
    assert value(graph, "MATCH (e:IdentityEvent) RETURN count(e)") == 0

    done = gql(client, SPLIT, headers=ALICE, id="alice-martin", works=works)
    assert "errors" not in done, done
    payload = done["data"]["splitWorks"]
    assert payload["researcher"]["id"] == "alice-martin--2401.00003"
    assert payload["researcher"]["worksCount"] == 2
    assert payload["splitFrom"] == {
        "id": "alice-martin",
        "worksCount": 4,
        "closeCollaboratorCount": 2,
    }
    [event] = identity.history(graph, "alice-martin--2401.00003")
    assert (event.kind, event.actor, event.reason) == ("split", "alice", "my namesake")


def test_identity_commands_end_to_end(graph, capsys):
    with pytest.raises(SystemExit):
        main(["identity", "--help"])
    assert "kg identity merge zihang-liu z-liu" in capsys.readouterr().out

    assert main(["identity", "merge", "zihang-liu", "z-liu"]) == 2
    assert "--reason" in capsys.readouterr().err
    args = ["identity", "merge", "zihang-liu", "z-liu", "--reason", "same", "--as", "carol"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "merged z-liu into zihang-liu (1 works)" in out
    merge_id = out.split("kg identity undo ")[1].split()[0]

    assert main(["identity", "split", "zihang-liu", "2401.00006", "--reason", "no"]) == 0
    out = capsys.readouterr().out
    assert "new record: zihang-liu--2401.00006" in out
    split_id = out.split("kg identity undo ")[1].split()[0]

    assert main(["identity", "history", "z-liu"]) == 0
    out = capsys.readouterr().out
    assert out.index(split_id) < out.index(merge_id) and "carol: merged z-liu" in out
    assert "3 event(s)" not in out and "2 event(s)" in out

    assert main(["identity", "undo", merge_id]) == 1
    assert f"kg identity undo {split_id}" in capsys.readouterr().err
    assert (
        main(["identity", "move", "2401.00001", "zihang-liu", "zihang-liu", "--reason", "x"]) == 1
    )
    assert "to itself" in capsys.readouterr().err
    assert main(["identity", "undo", split_id]) == 0
    assert main(["identity", "undo", merge_id]) == 0
    capsys.readouterr()
    assert value(graph, "MATCH (a:Author {key: 'z-liu'}) RETURN count(a)") == 1
    assert value(graph, "MATCH (r:AuthorRedirect) RETURN count(r)") == 0
