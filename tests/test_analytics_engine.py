"""The sparse engine behind `kg analytics` against networkx, on designed graphs in the real Neo4j.

Graphs are written straight as Author nodes and COAUTHOR edges (from the lower key, with
shared works as weights), so each test knows the graph exactly: networkx on the same
edges is the reference for PageRank, and its Louvain for modularity. Values are always
read back from Neo4j, where `kg analytics` writes them.
"""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pytest

from kg.analysis import analytics, coauthor_arrays, ranking
from tests.helpers import rows

GRAPH = """
UNWIND $edges AS e
MERGE (a:Author {key: e[0]}) ON CREATE SET a.name = e[0]
MERGE (b:Author {key: e[1]}) ON CREATE SET b.name = e[1]
CREATE (a)-[:COAUTHOR {weight: e[2]}]->(b)
"""

LONERS = "UNWIND $keys AS key CREATE (:Author {key: key, name: key})"

PAPERS = """
UNWIND $authorships AS x
MERGE (t:Topic {code: x[2]})
MERGE (p:Paper {arxivId: x[0]})
MERGE (p)-[:HAS_TOPIC]->(t)
WITH p, x
MATCH (a:Author {key: x[1]})
MERGE (a)-[:AUTHORED]->(p)
"""

VALUES = """
MATCH (a:Author)
RETURN a.key AS key, a.pagerank AS pagerank, a.community AS community,
       a.analyticsAt IS NOT NULL AS stamped
ORDER BY key
"""

TOPIC_VALUES = """
MATCH (a:Author)-[r:TOPIC_RANK]->(:Topic {code: $topic})
RETURN a.key AS key, r.pagerank AS pagerank, r.community AS community
ORDER BY key
"""

Edge = tuple[str, str, int]


def groups(sizes: list[int], inside: float, across: float, seed: int = 1) -> list[Edge]:
    """Groups of authors who mostly write with each other: `inside` and `across` are the
    chances of a pair sharing works, within a group and between groups."""
    rng = random.Random(seed)
    keys = [f"g{g}-a{i:02d}" for g, n in enumerate(sizes) for i in range(n)]
    group = {k: k.split("-")[0] for k in keys}
    edges = []
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if rng.random() < (inside if group[a] == group[b] else across):
                edges.append((a, b, rng.randint(1, 4)))
    return edges


def reference(edges: list[Edge]) -> nx.Graph:
    graph = nx.Graph()
    graph.add_weighted_edges_from(edges)
    return graph


def write_graph(db, edges: list[Edge], loners: tuple[str, ...] = ()) -> None:
    db.execute_query(GRAPH, edges=[list(e) for e in edges])
    if loners:
        db.execute_query(LONERS, keys=list(loners))


def analyse(db, settings, topic=None, seed=42, resolution=1.0) -> analytics.Report:
    return analytics.run(
        db,
        settings.neo4j_database,
        topic=topic,
        seed=seed,
        resolution=resolution,
        progress=False,
        log=lambda _: None,
    )


def stored(db) -> dict[str, dict]:
    return {r["key"]: r for r in rows(db, VALUES)}


def test_pagerank_equals_networkx_and_sums_to_one(db, settings):
    edges = groups([12, 9, 7], inside=0.5, across=0.05)
    write_graph(db, edges)
    report = analyse(db, settings)

    graph = reference(edges)
    expected = nx.pagerank(graph, weight="weight", tol=1e-14, max_iter=1000)
    found = stored(db)
    assert (report.nodes, report.edges) == (graph.number_of_nodes(), graph.number_of_edges())
    assert set(found) == set(expected)
    for key, rank in expected.items():
        assert found[key]["pagerank"] == pytest.approx(rank, rel=1e-7, abs=1e-12)
    assert sum(r["pagerank"] for r in found.values()) == pytest.approx(1.0, abs=1e-12)
    assert all(r["stamped"] for r in found.values())
    best = max(expected, key=lambda k: expected[k])
    assert report.top[0].key == best and report.top[0].pagerank == pytest.approx(expected[best])


def test_communities_are_numbered_by_size_and_repeat_with_the_seed(db, settings):
    # three groups of distinct sizes, barely linked: Louvain must find exactly them
    edges = groups([5, 11, 8], inside=1.0, across=0.0)
    edges += [("g0-a00", "g1-a00", 1), ("g1-a01", "g2-a00", 1)]
    write_graph(db, edges)

    report = analyse(db, settings, seed=7)
    first = stored(db)
    assert report.community_sizes == [11, 8, 5]
    assert {k: r["community"] for k, r in first.items()} == {
        k: {"g1": 0, "g2": 1, "g0": 2}[k.split("-")[0]] for k in first
    }

    analyse(db, settings, seed=7)
    again = stored(db)
    assert {k: r["community"] for k, r in again.items()} == {
        k: r["community"] for k, r in first.items()
    }


def test_same_seed_same_communities_on_an_ambiguous_graph(db, settings):
    # weak structure: the seed decides Louvain's order, so only the same seed must agree
    edges = groups([15, 15, 15, 15], inside=0.3, across=0.08, seed=3)
    write_graph(db, edges)
    analyse(db, settings, seed=11)
    first = {k: r["community"] for k, r in stored(db).items()}
    analyse(db, settings, seed=11)
    assert {k: r["community"] for k, r in stored(db).items()} == first


def test_ties_in_size_go_to_the_community_with_the_lowest_first_member():
    labels = np.array([5, 9, 9, 5, 2, 2, 2, 7])
    # sizes: 2 -> 3, 5 -> 2, 9 -> 2, 7 -> 1; 5 and 9 tie, 5's first member (node 0) first
    assert ranking.by_size(labels).tolist() == [1, 2, 2, 1, 0, 0, 0, 3]


def test_modularity_not_worse_than_networkx_louvain(db, settings):
    edges = groups([30, 25, 20, 20, 15], inside=0.35, across=0.02, seed=5)
    write_graph(db, edges)
    analyse(db, settings)

    graph = reference(edges)
    found = stored(db)
    ours: dict[int, set[str]] = {}
    for key, r in found.items():
        ours.setdefault(r["community"], set()).add(key)
    theirs = nx.community.louvain_communities(graph, weight="weight", seed=42)
    q_ours = nx.community.modularity(graph, list(ours.values()), weight="weight")
    q_theirs = nx.community.modularity(graph, theirs, weight="weight")
    assert q_theirs > 0.5  # the graph has clear communities
    assert q_ours >= q_theirs - 0.01
    assert len(ours) == 5


def test_modularity_helper_agrees_with_networkx():
    edges = groups([10, 10, 6], inside=0.6, across=0.05, seed=2)
    graph = reference(edges)
    keys = sorted(graph)
    index = {k: i for i, k in enumerate(keys)}
    arrays = coauthor_arrays.CoauthorArrays(
        np.arange(len(keys), dtype=np.int64),
        np.array([index[a] for a, _, _ in edges], dtype=np.int32),
        np.array([index[b] for _, b, _ in edges], dtype=np.int32),
        np.array([w for _, _, w in edges], dtype=np.float32),
    )
    labels = np.array([int(k[1]) for k in keys])
    parts = [{k for k in keys if int(k[1]) == g} for g in range(3)]
    assert ranking.modularity(arrays.adjacency(), labels) == pytest.approx(
        nx.community.modularity(graph, parts, weight="weight")
    )


def test_isolated_authors_get_no_values_and_lose_stale_ones(db, settings):
    edges = [("ann", "ben", 2), ("ben", "cal", 1), ("dee", "eve", 1)]
    write_graph(db, edges, loners=("zed",))
    report = analyse(db, settings)
    found = stored(db)
    assert (report.nodes, report.edges) == (5, 3)
    assert (found["zed"]["pagerank"], found["zed"]["community"], found["zed"]["stamped"]) == (
        None,
        None,
        False,
    )
    assert [found[k]["community"] for k in ("ann", "ben", "cal", "dee", "eve")] == [0, 0, 0, 1, 1]

    # Dee and Eve stop working together: their values from the first run go
    db.execute_query("MATCH (:Author {key: 'dee'})-[c:COAUTHOR]-() DELETE c")
    report = analyse(db, settings)
    assert report.cleared == 2
    found = stored(db)
    assert [k for k, r in found.items() if r["stamped"]] == ["ann", "ben", "cal"]
    assert found["dee"]["pagerank"] is None and found["eve"]["community"] is None


def test_empty_graph_writes_nothing(db, settings):
    db.execute_query(LONERS, keys=["solo"])
    report = analyse(db, settings)
    assert (report.nodes, report.edges, report.community_sizes, report.top) == (0, 0, [], [])
    assert stored(db)["solo"]["stamped"] is False


def test_topic_ranks_are_networkx_on_the_topics_subgraph(db, settings):
    edges = groups([8, 6], inside=0.8, across=0.1, seed=4)
    write_graph(db, edges, loners=("solo",))
    # group 0 and two of group 1 wrote in cs.LG; the rest (and solo) in hep-ex only
    in_topic = [k for k in sorted({a for e in edges for a in e[:2]}) if k.startswith("g0")]
    in_topic += ["g1-a00", "g1-a01", "solo"]
    others = sorted({a for e in edges for a in e[:2]} - set(in_topic))
    authorships = [[f"p-{k}", k, "cs.LG"] for k in in_topic] + [
        [f"q-{k}", k, "hep-ex"] for k in others
    ]
    db.execute_query(PAPERS, authorships=authorships)

    report = analyse(db, settings, topic="cs.LG")
    sub = reference(edges).subgraph(in_topic)
    expected = nx.pagerank(sub, weight="weight", tol=1e-14, max_iter=1000)
    found = {r["key"]: r for r in rows(db, TOPIC_VALUES, topic="cs.LG")}
    assert (report.nodes, report.edges) == (sub.number_of_nodes(), sub.number_of_edges())
    assert set(found) == set(expected) and "solo" not in found
    for key, rank in expected.items():
        assert found[key]["pagerank"] == pytest.approx(rank, rel=1e-7, abs=1e-12)
    sizes = sorted(
        (
            sum(1 for r in found.values() if r["community"] == c)
            for c in set(r["community"] for r in found.values())
        ),
        reverse=True,
    )
    assert sizes == report.community_sizes
    # a topic run writes no Author values, and a rerun replaces its edges
    assert not any(r["stamped"] for r in stored(db).values())
    analyse(db, settings, topic="cs.LG")
    assert len(rows(db, TOPIC_VALUES, topic="cs.LG")) == len(expected)


def test_reading_in_small_chunks_gives_the_same_arrays(db, settings):
    edges = groups([9, 7, 5], inside=0.6, across=0.1, seed=6)
    write_graph(db, edges, loners=("solo",))
    whole = coauthor_arrays.read(db, settings.neo4j_database, progress=False)
    chunked = coauthor_arrays.read(db, settings.neo4j_database, progress=False, chunk=4)
    assert whole.edges == len(edges) and whole.nodes == 21
    for name in ("node_ids", "sources", "targets", "weights"):
        assert getattr(chunked, name).tolist() == getattr(whole, name).tolist()
    # the matrix holds each pair once each way, with its shared works
    adjacency = whole.adjacency()
    assert adjacency.nnz == 2 * len(edges)
    assert adjacency.sum() == 2 * sum(w for _, _, w in edges)
