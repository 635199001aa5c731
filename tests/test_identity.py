"""Identity curation (merge, split, move, undo, history) on the real Neo4j.

Each operation is checked for what it changes, for the derived data it must keep right
(COAUTHOR weights, AFFILIATED_WITH, name variants), and for undo: a dump of every node and
edge by key, with properties, equals the dump from before the operation.
"""

from __future__ import annotations

from typing import Any

import neo4j
import pytest

from kg.curation import identity
from kg.curation.identity import IdentityError
from tests.helpers import coauthor_year_errors, coauthors, rows, value

DUMP = """
MATCH (n) WHERE NOT n:SchemaMigration AND NOT n:LoadCheckpoint AND NOT n:IdentityEvent
RETURN labels(n) AS what, properties(n) AS props
UNION ALL
MATCH (a)-[r]->(b) WHERE NOT a:IdentityEvent
RETURN [type(r), labels(a), coalesce(a.key, a.id, a.arxivId, a.code),
        labels(b), coalesce(b.key, b.id, b.arxivId, b.code)] AS what,
       properties(r) AS props
"""


def dump(db: neo4j.Driver) -> list[str]:
    """Every node and edge (events aside), by key rather than element id: a record that undo
    brings back is a new node with the old key and properties."""
    return sorted(repr([r["what"], sorted(r["props"].items())]) for r in rows(db, DUMP))


def works(db: neo4j.Driver, key: str) -> list[str]:
    return sorted(
        value(
            db,
            "MATCH (a:Author {key: $key}) RETURN [(a)-[:AUTHORED]->(p) | p.arxivId]",
            key=key,
        )
    )


@pytest.fixture
def graph(load_feed: Any, db: neo4j.Driver) -> neo4j.Driver:
    """The basic feed: Alice Martin on 6 papers with Bob Nguyen (3) and Carol Diaz (2), and
    Zihang Liu, Zhengzhong Liu and Z. Liu."""
    load_feed("basic")
    db.execute_query(
        "MERGE (u:User {id: 'alice'}) WITH u MATCH (a:Author {key: 'alice-martin'}) "
        "CREATE (u)-[:CLAIMS {status: 'VERIFIED', createdAt: datetime()}]->(a), "
        "(u)-[:FOLLOWS {since: datetime()}]->(a)"
    )
    db.execute_query(
        "MERGE (u:User {id: 'bob'}) WITH u MATCH (a:Author {key: 'z-liu'}) "
        "CREATE (u)-[:CLAIMS {status: 'PENDING', createdAt: datetime()}]->(a), "
        "(u)-[:FOLLOWS {since: datetime()}]->(a)"
    )
    return db


def test_split_moves_works_to_a_new_record_and_undo_restores_everything(graph):
    before = dump(graph)
    assert coauthors(graph, "alice-martin") == {
        "bob-nguyen": 3,
        "carol-diaz": 2,
        "zihang-liu": 2,
        "jose-garcia": 1,
    }
    event = identity.split(graph, "alice-martin", ["2401.00003", "2401.00004"], "ops", "two people")
    new = event.created
    assert new == "alice-martin--2401.00003"
    assert works(graph, new) == ["2401.00003", "2401.00004"]
    assert "2401.00003" not in works(graph, "alice-martin")
    # the collaborations follow the people: Carol's two papers with Alice are the new record's
    assert coauthors(graph, new) == {"bob-nguyen": 1, "carol-diaz": 2}
    assert coauthors(graph, "alice-martin") == {"bob-nguyen": 2, "zihang-liu": 2, "jose-garcia": 1}
    assert coauthors(graph, "carol-diaz").get("alice-martin") is None
    assert coauthor_year_errors(graph) == []  # per-year counts follow the people too
    assert value(graph, "MATCH (a:Author {key: $k}) RETURN a.nameKey", k=new) == "alice-martin"
    assert (
        value(
            graph,
            "MATCH (:Author {key: 'alice-martin'})-[m:NOT_SAME_AS]->(:Author {key: $k}) "
            "RETURN m.event",
            k=new,
        )
        == event.id
    )
    pinned = rows(
        graph,
        "MATCH (:Author {key: $k})-[r:AUTHORED]->() RETURN r.assignedBy AS by, r.reason AS why",
        k=new,
    )
    assert pinned == [{"by": "curator", "why": "two people"}] * 2

    undone = identity.undo(graph, event.id, "ops")
    assert undone.undoes == event.id
    assert dump(graph) == before
    history = identity.history(graph, "alice-martin")
    assert [e.kind for e in history] == ["undo", "split"]
    assert history[1].undone_by == undone.id


def test_split_refuses_what_cannot_be_split(graph):
    with pytest.raises(IdentityError, match=r"has no work 2401\.00005"):
        identity.split(graph, "alice-martin", ["2401.00005"], "ops", "x")
    everything = works(graph, "carol-diaz")
    with pytest.raises(IdentityError, match="merge instead"):
        identity.split(graph, "carol-diaz", everything, "ops", "x")
    with pytest.raises(IdentityError, match="no researcher record 'nobody'"):
        identity.split(graph, "nobody", ["2401.00001"], "ops", "x")
    with pytest.raises(IdentityError, match="verified claim"):
        identity.split(graph, "alice-martin", ["2401.00001"], "ops", "x", owner="bob")
    assert value(graph, "MATCH (e:IdentityEvent) RETURN count(e)") == 0


def test_merge_moves_works_claims_and_follows_and_redirects_the_old_id(graph):
    before = dump(graph)
    zihang = works(graph, "zihang-liu")
    assert coauthors(graph, "zihang-liu")["bob-nguyen"] == 1
    event = identity.merge(graph, "zihang-liu", ["z-liu"], "ops", "Z. Liu is Zihang Liu")
    assert works(graph, "zihang-liu") == sorted([*zihang, "2401.00006"])
    assert value(graph, "MATCH (a:Author {key: 'z-liu'}) RETURN count(a)") == 0
    assert (
        value(graph, "MATCH (:AuthorRedirect {key: 'z-liu'})-[:MOVED_TO]->(a) RETURN a.key")
        == "zihang-liu"
    )
    assert value(graph, "MATCH (:User {id: 'bob'})-[c:CLAIMS]->(a) RETURN [a.key, c.status]") == [
        "zihang-liu",
        "PENDING",
    ]
    assert value(graph, "MATCH (:User {id: 'bob'})-[:FOLLOWS]->(a) RETURN a.key") == "zihang-liu"
    assert coauthors(graph, "zihang-liu")["bob-nguyen"] == 2  # 2401.00001 and 2401.00006
    assert coauthor_year_errors(graph) == []
    variants = value(graph, "MATCH (a:Author {key: 'zihang-liu'}) RETURN a.nameVariants")
    assert "Z. Liu" in variants
    assert [e.id for e in identity.history(graph, "z-liu")] == [event.id]

    identity.undo(graph, event.id, "ops")
    assert dump(graph) == before


def test_merge_repoints_redirects_and_undo_chains_in_order(graph):
    before = dump(graph)
    first = identity.merge(graph, "zihang-liu", ["z-liu"], "ops", "same person")
    second = identity.merge(graph, "zhengzhong-liu", ["zihang-liu"], "ops", "same again")
    assert rows(
        graph, "MATCH (r:AuthorRedirect)-[:MOVED_TO]->(a) RETURN r.key AS r, a.key AS a ORDER BY r"
    ) == [{"r": "z-liu", "a": "zhengzhong-liu"}, {"r": "zihang-liu", "a": "zhengzhong-liu"}]
    with pytest.raises(IdentityError, match=f"kg identity undo {second.id}"):
        identity.undo(graph, first.id, "ops")
    with pytest.raises(IdentityError, match="was merged into zhengzhong-liu"):
        identity.move(graph, "2401.00001", "zihang-liu", "alice-martin", "ops", "x")
    identity.undo(graph, second.id, "ops")
    identity.undo(graph, first.id, "ops")
    assert dump(graph) == before
    with pytest.raises(IdentityError, match="undone already"):
        identity.undo(graph, first.id, "ops")


def test_merge_refuses_two_verified_owners_and_people_on_one_paper(graph):
    graph.execute_query(
        "MATCH (u:User {id: 'bob'}), (a:Author {key: 'edward-old'}) "
        "CREATE (u)-[:CLAIMS {status: 'VERIFIED'}]->(a)"
    )
    with pytest.raises(IdentityError, match="are both authors of"):
        identity.merge(graph, "alice-martin", ["bob-nguyen"], "ops", "x")
    with pytest.raises(IdentityError, match="kg claims reject bob edward-old"):
        identity.merge(graph, "alice-martin", ["zhengzhong-liu", "edward-old"], "ops", "x")
    split = identity.split(graph, "alice-martin", ["2401.00010"], "ops", "another Alice")
    with pytest.raises(IdentityError, match=f"kg identity undo {split.id}"):
        identity.merge(graph, "alice-martin", [split.created or ""], "ops", "x")


def test_move_one_authorship_and_undo(graph):
    before = dump(graph)
    event = identity.move(graph, "2401.00001", "zihang-liu", "z-liu", "ops", "wrong Liu")
    assert "2401.00001" in works(graph, "z-liu")
    affiliated = "MATCH (:Author {key: $k})-[:AFFILIATED_WITH]->(i) RETURN collect(i.key)"
    assert value(graph, affiliated, k="z-liu") == ["tsinghua-university"]
    assert value(graph, affiliated, k="zihang-liu") == []  # only 2401.00001 named Tsinghua
    assert coauthors(graph, "z-liu") == {"alice-martin": 1, "bob-nguyen": 2}
    with pytest.raises(IdentityError, match=r"already an author of 2401\.00006"):
        identity.move(graph, "2401.00006", "bob-nguyen", "z-liu", "ops", "x")
    identity.undo(graph, event.id, "ops")
    assert dump(graph) == before
