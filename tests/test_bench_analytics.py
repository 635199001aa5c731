"""`kg bench analytics` on the test graph: both engines in processes of their own, timed."""

from __future__ import annotations

from kg.bench import analytics as bench_analytics
from tests.helpers import value

EDGE_TYPES = "MATCH ()-[r]->() RETURN collect(DISTINCT type(r)) AS types"


def test_both_engines_agree_are_timed_and_leave_no_new_edges(load_snapshot, settings, db):
    load_snapshot("collab")
    before = sorted(value(db, EDGE_TYPES))
    results = bench_analytics.measure(settings, 7, baseline=True, rounds=1, log=lambda _: None)

    assert [(r.engine, r.round) for r in results.runs] == [("sparse", 1), ("networkx", 1)]
    sparse, networkx = (r.report for r in results.runs)
    for report in (sparse, networkx):
        assert list(report.seconds) == ["read", "pagerank", "communities", "write"]
        assert report.peak_rss_mb > 0
        assert (report.nodes, report.edges, report.community_sizes) == (5, 5, [3, 2])
    assert [r.key for r in sparse.top] == [r.key for r in networkx.top]
    assert sorted(value(db, EDGE_TYPES)) == before
    assert value(db, "MATCH (a:Author) WHERE a.pagerank IS NOT NULL RETURN count(a)") == 5

    text = results.summary()
    assert "whole graph of 7 papers: 5 authors, 5 COAUTHOR edges, 2 communities" in text
    assert "networkx / sparse (medians): time" in text and "per million edges" in text
