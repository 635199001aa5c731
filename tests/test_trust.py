"""The trust rule (`kg.api.trust`) on made-up rows, then `trust` through the real app.

The GraphQL test uses the `basic` feed with `tests.openalex_graph.basic_openalex`: Alice
Martin has an ORCID and an OpenAlex id, OpenAlex counts 14 works for her against 6 here,
and a curator's decision overrides OpenAlex on two of them.
"""

from __future__ import annotations

from typing import Any

from kg.api.trust import assess
from tests.helpers import gql
from tests.openalex_graph import basic_openalex


def row(**overrides: Any) -> dict[str, Any]:
    """An arXiv-only record: unclaimed, no external ids, every work placed by its name."""
    facts = {
        "openalexWorksCount": None,
        "namesakes": 0,
        "assignedBy": [{"by": "name", "n": 4}],
        "paired": 0,
        "agreeing": 0,
    }
    facts.update(overrides.pop("trust", {}))
    base = {
        "claimStatus": "UNCLAIMED",
        "orcid": None,
        "openalexId": None,
        "worksCount": 4,
        "identityNotes": [],
        "trust": facts,
    }
    return {**base, **overrides}


def points(assessment: Any) -> dict[str, int]:
    return {r.code: r.points for r in assessment.reasons}


def test_an_arxiv_only_record_is_low_and_says_why():
    found = assess(row())
    assert points(found) == {
        "UNCLAIMED": 0,
        "NO_ORCID": 0,
        "NO_OPENALEX_ID": 0,
        "AUTHORSHIPS": 10,  # the name alone is half the evidence
        "UNIQUE_NAME": 5,
    }
    assert (found.score, found.level) == (15, "LOW")
    assert all(r.text for r in found.reasons)


def test_everything_the_graph_can_know_adds_up_to_100_and_a_verified_claim_is_verified():
    best = row(
        claimStatus="VERIFIED",
        orcid="0000-0002-1825-0097",
        openalexId="A1",
        worksCount=6,
        trust={
            "openalexWorksCount": 14,
            "assignedBy": [{"by": "external", "n": 4}, {"by": "curator", "n": 2}],
            "paired": 5,
            "agreeing": 5,
        },
    )
    found = assess(best)
    assert (found.score, found.level) == (100, "VERIFIED")
    assert sum(r.points for r in found.reasons) == 100
    unclaimed = assess({**best, "claimStatus": "UNCLAIMED"})
    assert (unclaimed.score, unclaimed.level) == (70, "HIGH")
    pending = assess({**best, "claimStatus": "PENDING"})
    assert (pending.score, pending.level) == (80, "HIGH")


def test_a_record_that_looks_like_several_people_loses_points():
    chimera = row(
        openalexId="A1",
        worksCount=40,
        trust={
            "openalexWorksCount": 10,
            "namesakes": 6,
            "assignedBy": [{"by": "new", "n": 10}, {"by": "field", "n": 20}, {"by": None, "n": 10}],
            "paired": 20,
            "agreeing": 8,
        },
        identityNotes=["OpenAlex puts 2 of these works under another author"],
    )
    found = assess(chimera)
    assert points(found) == {
        "UNCLAIMED": 0,
        "NO_ORCID": 0,
        "OPENALEX_ID": 10,
        "AUTHORSHIPS": 5,  # 20 x (0 x 10 + 0.25 x 20 + 0.5 x 10) / 40
        "NAMESAKES": -10,
        "SOURCES_DISAGREE": -10,
        "WORKS_EXCEED_OPENALEX": -10,
        "OVERRIDES_OPENALEX": -5,
    }
    assert (found.score, found.level) == (0, "LOW")  # never below 0


def test_thresholds_between_levels():
    def at(**trust: Any) -> str:
        return assess(row(trust=trust)).level

    assert at(assignedBy=[{"by": "coauthors", "n": 4}]) == "MEDIUM"  # 20 + 5
    assert at(assignedBy=[{"by": "coauthors", "n": 4}], namesakes=1) == "LOW"  # 20 - 5
    mostly = assess(row(openalexId="A1", trust={"paired": 10, "agreeing": 8}))
    assert points(mostly)["SOURCES_MOSTLY_AGREE"] == 0
    near = assess(row(worksCount=12, trust={"openalexWorksCount": 10}))
    assert points(near)["WORKS_NEAR_OPENALEX"] == 0
    none = assess(row(worksCount=0, trust={"assignedBy": []}))
    assert points(none)["NO_AUTHORSHIPS"] == 0


TRUST = '{ researcher(id: "alice-martin") { trust { score level reasons { code text points } } } }'


def test_trust_through_the_api_follows_the_claim(load_feed, db, api):
    load_feed("basic")
    basic_openalex(db)
    client = api()
    body = gql(client, TRUST)
    assert "errors" not in body, body["errors"]
    trust = body["data"]["researcher"]["trust"]
    reasons = {r["code"]: r["points"] for r in trust["reasons"]}
    assert {
        "UNCLAIMED": 0,
        "ORCID": 15,
        "OPENALEX_ID": 10,
        "SOURCES_AGREE": 10,  # her one paired authorship carries her OpenAlex id
        "WORKS_WITHIN_OPENALEX": 10,  # 6 here, 14 in OpenAlex
        "OVERRIDES_OPENALEX": -5,
    }.items() <= reasons.items()
    assert trust["score"] == sum(reasons.values()) and trust["level"] in ("MEDIUM", "HIGH")
    why = {r["code"]: r["text"] for r in trust["reasons"]}
    assert "6 of its works; OpenAlex counts 14" in why["WORKS_WITHIN_OPENALEX"]

    db.execute_query(  # an operator verified her claim
        "MATCH (a:Author {key: 'alice-martin'}) "
        "MERGE (:User {id: 'alice'})-[:CLAIMS {status: 'VERIFIED'}]->(a)"
    )
    page = gql(
        client,
        '{ researcher(id: "alice-martin") { works(first: 1) { totalCount } '
        "trust { score level reasons { code points } } } }",
    )["data"]["researcher"]
    assert page["trust"]["level"] == "VERIFIED"
    assert page["trust"]["score"] == trust["score"] + 30
    assert {"code": "CLAIM_VERIFIED", "points": 30} in page["trust"]["reasons"]
