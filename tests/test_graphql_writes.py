"""Follow, unfollow and claim: authenticated writes, refused to anonymous callers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from kg.api.auth import identify, parse_keys
from kg.core.errors import ConfigError
from tests.helpers import codes, gql, value

ALICE_KEY = "alice-key-0123456789"
BOB_KEY = "bob-key-0123456789ab"
ALICE = {"Authorization": f"Bearer {ALICE_KEY}"}
BOB = {"Authorization": f"Bearer {BOB_KEY}"}

FOLLOW = """mutation($id: ID!) { followResearcher(id: $id) {
  following researcher { id followersCount } } }"""
UNFOLLOW = """mutation($id: ID!) { unfollowResearcher(id: $id) {
  following researcher { id followersCount } } }"""
CLAIM = """mutation($id: ID!) { claimResearcher(id: $id) {
  status researcher { id claimStatus } } }"""


@pytest.fixture
def client(load_feed, api) -> Iterator[TestClient]:
    load_feed("basic")
    yield api(api_keys=f"alice:{ALICE_KEY}, bob:{BOB_KEY}")


def test_anonymous_or_unknown_callers_cannot_write(client, db):
    for headers in (
        None,
        {"Authorization": "Bearer not-a-key-we-know"},
        {"Authorization": "Basic x"},
    ):
        for mutation in (FOLLOW, UNFOLLOW, CLAIM):
            body = gql(client, mutation, headers=headers, id="alice-martin")
            assert codes(body) == ["UNAUTHENTICATED"]
            assert "Authorization: Bearer" in body["errors"][0]["message"]
    assert value(db, "RETURN COUNT { (:User) } + COUNT { ()-[:FOLLOWS|CLAIMS]->() }") == 0


def test_follow_and_unfollow_count_distinct_followers(client, db):
    first = gql(client, FOLLOW, headers=ALICE, id="alice-martin")["data"]["followResearcher"]
    assert first == {"following": True, "researcher": {"id": "alice-martin", "followersCount": 1}}
    again = gql(client, FOLLOW, headers=ALICE, id="alice-martin")["data"]["followResearcher"]
    assert again["researcher"]["followersCount"] == 1  # following twice is still one
    bob = gql(client, FOLLOW, headers=BOB, id="alice-martin")["data"]["followResearcher"]
    assert bob["researcher"]["followersCount"] == 2
    page = gql(client, '{ researcher(id: "alice-martin") { followersCount } }')
    assert page["data"]["researcher"]["followersCount"] == 2  # reads stay public

    gone = gql(client, UNFOLLOW, headers=ALICE, id="alice-martin")["data"]["unfollowResearcher"]
    assert gone == {"following": False, "researcher": {"id": "alice-martin", "followersCount": 1}}
    again = gql(client, UNFOLLOW, headers=ALICE, id="alice-martin")["data"]["unfollowResearcher"]
    assert again["researcher"]["followersCount"] == 1
    assert (
        value(db, "MATCH (u:User)-[:FOLLOWS]->(:Author {key: 'alice-martin'}) RETURN u.id") == "bob"
    )


def test_writes_to_an_unknown_researcher_are_not_found_and_write_nothing(client, db):
    for mutation in (FOLLOW, UNFOLLOW, CLAIM):
        assert codes(gql(client, mutation, headers=ALICE, id="no-such-person")) == ["NOT_FOUND"]
    assert value(db, "RETURN COUNT { (:User) }") == 0


def test_claims_are_pending_until_verified_and_verified_ones_are_exclusive(client, db):
    claim = gql(client, CLAIM, headers=ALICE, id="alice-martin")["data"]["claimResearcher"]
    assert claim == {
        "status": "PENDING",
        "researcher": {"id": "alice-martin", "claimStatus": "PENDING"},
    }
    gql(client, CLAIM, headers=ALICE, id="alice-martin")
    assert value(db, "RETURN COUNT { ()-[:CLAIMS]->() }") == 1  # repeating adds nothing
    # an operator verifies alice's claim (by hand in Neo4j Browser)
    db.execute_query(
        "MATCH (:User {id: 'alice'})-[c:CLAIMS]->(:Author {key: 'alice-martin'}) "
        "SET c.status = 'VERIFIED'"
    )
    status = gql(client, '{ researcher(id: "alice-martin") { claimStatus } }')
    assert status["data"]["researcher"]["claimStatus"] == "VERIFIED"
    mine = gql(client, CLAIM, headers=ALICE, id="alice-martin")["data"]["claimResearcher"]
    assert mine["status"] == "VERIFIED"
    assert codes(gql(client, CLAIM, headers=BOB, id="alice-martin")) == ["CONFLICT"]
    assert value(db, "RETURN COUNT { (:User {id: 'bob'}) }") == 0


def test_a_write_that_waits_too_long_times_out_with_a_code(client, db, api, settings):
    slow = api(api_keys=f"alice:{ALICE_KEY}", query_timeout=1.0)
    with db.session(database=settings.neo4j_database) as session:
        tx = session.begin_transaction()
        tx.run("MATCH (a:Author {key: 'alice-martin'}) SET a.lockedByTest = true").consume()
        try:  # the follow must lock the same node: it waits, then Neo4j aborts it
            body = gql(slow, FOLLOW, headers=ALICE, id="alice-martin")
        finally:
            tx.rollback()
    assert codes(body) == ["QUERY_TIMEOUT"]
    assert "KG_QUERY_TIMEOUT" in body["errors"][0]["message"]
    assert value(db, "RETURN COUNT { ()-[:FOLLOWS]->() }") == 0


def test_key_configuration_errors_say_how_to_fix_them(tmp_path):
    keys = parse_keys("alice:0123456789abcdef\n# comment\nbob:fedcba9876543210 # bob's", "f")
    assert keys == {"0123456789abcdef": "alice", "fedcba9876543210": "bob"}
    with pytest.raises(ConfigError, match="user:key"):
        parse_keys("justakey", "KG_API_KEYS")
    with pytest.raises(ConfigError, match=r"secrets\.token_urlsafe"):
        parse_keys("alice:short", "KG_API_KEYS")
    assert identify("Bearer 0123456789abcdef", keys).user == "alice"
    assert identify("bearer  fedcba9876543210 ", keys).user == "bob"
    assert identify(None, keys).user is None
    assert identify("Bearer wrong", keys).problem == "the API key is not one this server accepts"


VIEWER = """{ researcher(id: "alice-martin") { viewer { following claim }
  collaborators(first: 3) { edges { node { id viewer { following claim } } } } } }"""


def test_viewer_says_what_the_caller_follows_and_claims(client, db):
    assert gql(client, VIEWER)["data"]["researcher"]["viewer"] is None  # no API key
    mine = gql(client, VIEWER, headers=ALICE)["data"]["researcher"]
    assert mine["viewer"] == {"following": False, "claim": None}
    gql(client, FOLLOW, headers=ALICE, id="alice-martin")
    gql(client, CLAIM, headers=ALICE, id="alice-martin")
    mine = gql(client, VIEWER, headers=ALICE)["data"]["researcher"]
    assert mine["viewer"] == {"following": True, "claim": "PENDING"}
    assert all(
        e["node"]["viewer"] == {"following": False, "claim": None}
        for e in mine["collaborators"]["edges"]
    )
    db.execute_query(
        "MATCH (:User {id: 'alice'})-[c:CLAIMS]->(:Author {key: 'alice-martin'}) "
        "SET c.status = 'VERIFIED'"
    )
    assert gql(client, VIEWER, headers=ALICE)["data"]["researcher"]["viewer"]["claim"] == "VERIFIED"
    # bob has not followed or claimed: his view of the same record
    assert gql(client, VIEWER, headers=BOB)["data"]["researcher"]["viewer"] == {
        "following": False,
        "claim": None,
    }
    # bob's view writes nothing: he is still no user of the graph
    assert value(db, "RETURN COUNT { (:User {id: 'bob'}) }") == 0
