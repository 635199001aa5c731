"""`kg claims`: operators verify or reject the claims made through GraphQL (neomodel)."""

from __future__ import annotations

import pytest

from kg.cli import main
from kg.curation import claims
from tests.helpers import codes, gql

KEYS = "alice:alice-key-0123456789,bob:bob-key-0123456789ab"
CLAIM = 'mutation { claimResearcher(id: "alice-martin") { status } }'
STATUS = '{ researcher(id: "alice-martin") { claimStatus } }'


def claim_as(client, who: str) -> str:
    headers = {"Authorization": f"Bearer {who}-key-0123456789" + ("ab" if who == "bob" else "")}
    return gql(client, CLAIM, headers=headers)["data"]["claimResearcher"]["status"]


def test_operators_verify_and_reject_claims(load_feed, api, db, settings, capsys):
    load_feed("basic")
    client = api(api_keys=KEYS)
    assert claim_as(client, "alice") == "PENDING"
    assert claim_as(client, "bob") == "PENDING"
    claims.use(db, settings.neo4j_database)
    pending = claims.list_claims("PENDING")
    assert [(c.user, c.researcher, c.name) for c in pending] == [
        ("alice", "alice-martin", "Alice Martin"),
        ("bob", "alice-martin", "Alice Martin"),
    ]
    assert all(c.created is not None for c in pending)

    assert main(["claims", "verify", "alice", "alice-martin"]) == 0
    assert "alice's claim on alice-martin is now VERIFIED" in capsys.readouterr().out
    assert gql(client, STATUS)["data"]["researcher"]["claimStatus"] == "VERIFIED"
    assert claim_as(client, "alice") == "VERIFIED"
    claims.use(db, settings.neo4j_database)  # the command closed its own driver

    with pytest.raises(claims.ClaimError, match="kg claims reject alice alice-martin"):
        claims.decide("bob", "alice-martin", "VERIFIED")
    assert main(["claims", "verify", "alice", "bob-nguyen"]) == 1
    assert "has no claim on 'bob-nguyen'" in capsys.readouterr().err
    claims.use(db, settings.neo4j_database)

    bob = {"Authorization": "Bearer bob-key-0123456789ab"}
    assert codes(gql(client, CLAIM, headers=bob)) == ["CONFLICT"]  # alice's is verified

    claims.decide("bob", "alice-martin", "REJECTED")
    claims.decide("alice", "alice-martin", "REJECTED")
    assert gql(client, STATUS)["data"]["researcher"]["claimStatus"] == "UNCLAIMED"
    assert claim_as(client, "bob") == "REJECTED"  # claiming again does not reopen it
    assert main(["claims", "list", "--status", "REJECTED"]) == 0
    out = capsys.readouterr().out
    assert "2 claim(s) REJECTED" in out and "bob" in out
