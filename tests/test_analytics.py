"""`kg analytics` and `kg export ego`, on designed graphs in the real Neo4j.

tests/fixtures/snapshot/collab.jsonl (see tests/test_graphql_lists.py) gives these COAUTHOR
edges, shared works as weights: Ann-Ben 3, Ann-Cal 2, Ben-Cal 1, Ben-Eve 1, Dee-Eve 1.
So Ben, the bridge with most shared works, ranks first; {Ann, Ben, Cal} and {Dee, Eve}
are the communities. The 120-author paper is above the COAUTHOR cap: its Member authors
(and Ann-Dee) have no COAUTHOR edge and get no values. cs.LG holds Ann, Ben, Cal and Eve.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx
import pytest

from kg.analysis import analytics, export
from kg.cli import main
from tests.helpers import gql, rows, value

AUTHOR_VALUES = """
MATCH (a:Author) WHERE a.pagerank IS NOT NULL
RETURN a.key AS key, a.pagerank AS pagerank, a.community AS community
ORDER BY key
"""

TOPIC_RANKS = """
MATCH (a:Author)-[r:TOPIC_RANK]->(t:Topic)
RETURN t.code AS topic, a.key AS key, r.pagerank AS pagerank, r.community AS community
ORDER BY topic, key
"""


@pytest.fixture
def collab(load_snapshot, db):
    report = load_snapshot("collab")
    assert report.loaded == 7 and len(report.rejects) == 0
    return db


def analyse(drv, settings, topic=None):
    return analytics.run(drv, settings.neo4j_database, topic=topic, progress=False, log=_quiet)


def _quiet(line: str) -> None:
    pass


def test_whole_graph_ranks_and_communities_written_on_authors(collab, settings):
    report = analyse(collab, settings)

    assert (report.nodes, report.edges) == (5, 5)
    assert report.community_sizes == [3, 2]
    assert [r.name for r in report.top] == ["Ben Ode", "Ann Lee", "Cal Poe", "Eve Sun", "Dee Ray"]
    found = {r["key"]: r for r in rows(collab, AUTHOR_VALUES)}
    assert set(found) == {"ann-lee", "ben-ode", "cal-poe", "dee-ray", "eve-sun"}
    assert max(found, key=lambda k: found[k]["pagerank"]) == "ben-ode"
    assert sum(r["pagerank"] for r in found.values()) == pytest.approx(1.0)
    # numbered by size: the triangle is community 0, the pair 1
    assert {k: r["community"] for k, r in found.items()} == {
        "ann-lee": 0,
        "ben-ode": 0,
        "cal-poe": 0,
        "dee-ray": 1,
        "eve-sun": 1,
    }
    stamped = "MATCH (a:Author) WHERE a.analyticsAt IS NOT NULL RETURN count(a)"
    assert value(collab, stamped) == 5
    no_edge = "MATCH (a:Author {key: 'member-number000'}) RETURN [a.pagerank, a.community]"
    assert value(collab, no_edge) == [None, None]


def test_rerun_gives_the_same_values_and_clears_stale_ones(collab, settings):
    analyse(collab, settings)
    first = rows(collab, AUTHOR_VALUES)
    analyse(collab, settings)
    assert rows(collab, AUTHOR_VALUES) == first

    # Dee loses her only COAUTHOR edge: her values from the earlier run must go
    collab.execute_query("MATCH (:Author {key: 'dee-ray'})-[c:COAUTHOR]-() DELETE c")
    report = analyse(collab, settings)
    assert report.cleared == 1
    keys = [r["key"] for r in rows(collab, AUTHOR_VALUES)]
    assert keys == ["ann-lee", "ben-ode", "cal-poe", "eve-sun"]
    assert value(collab, "MATCH (a:Author {key: 'dee-ray'}) RETURN a.analyticsAt") is None


def test_topic_run_writes_topic_ranks_for_that_topics_authors_only(collab, settings):
    report = analyse(collab, settings, topic="cs.LG")

    assert (report.nodes, report.edges) == (4, 4)
    ranks = rows(collab, TOPIC_RANKS)
    assert [(r["topic"], r["key"]) for r in ranks] == [
        ("cs.LG", "ann-lee"),
        ("cs.LG", "ben-ode"),
        ("cs.LG", "cal-poe"),
        ("cs.LG", "eve-sun"),
    ]
    assert {r["community"] for r in ranks} == {0}
    assert max(ranks, key=lambda r: r["pagerank"])["key"] == "ben-ode"
    # a topic run leaves the whole-graph values alone (none were computed here)
    assert rows(collab, AUTHOR_VALUES) == []

    # another topic gets its own edges; cs.LG's stay; a rerun replaces, never adds
    analyse(collab, settings, topic="hep-ex")
    analyse(collab, settings, topic="cs.LG")
    by_topic = [(r["topic"], r["key"]) for r in rows(collab, TOPIC_RANKS)]
    assert by_topic.count(("cs.LG", "ben-ode")) == 1
    assert [k for t, k in by_topic if t == "hep-ex"] == ["dee-ray", "eve-sun"]
    assert len(by_topic) == 6


def test_topic_run_removes_its_stale_ranks(collab, settings):
    collab.execute_query(
        "MATCH (a:Author {key: 'dee-ray'}), (t:Topic {code: 'cs.LG'}) "
        "CREATE (a)-[:TOPIC_RANK {pagerank: 0.5, community: 3, at: datetime('2020-01-01')}]->(t)"
    )
    report = analyse(collab, settings, topic="cs.LG")
    assert report.cleared == 1
    assert "dee-ray" not in [r["key"] for r in rows(collab, TOPIC_RANKS)]


def test_unknown_topic_suggests_codes(collab, settings):
    with pytest.raises(analytics.AnalyticsError, match=r"did you mean cs\.LG"):
        analyse(collab, settings, topic="cs.lg")


def test_cli_prints_phases_summary_and_top_authors(collab, capsys):
    assert main(["analytics", "--quiet"]) == 0
    out = capsys.readouterr().out
    for phase in ("read", "pagerank", "communities", "write"):
        assert f"\n{phase} " in f"\n{out}"
    assert "5 authors, 5 COAUTHOR edges; communities: 2 (largest: 3, 2)" in out
    assert "1. Ben Ode (ben-ode)" in out and "peak RSS" in out
    assert "Authors without a COAUTHOR edge get no values" in out


def test_help_says_what_size_it_handles(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["analytics", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "per million COAUTHOR edges" in out and "100k arXiv-like papers" in out
    assert "kg analytics --topic cs.LG" in out


PROFILE = """query R($id: ID!) { researcher(id: $id) { pagerank community
  collaborators { edges { node { id pagerank community } } } } }"""
PAGE = """query R($id: ID!) { researcher(id: $id) { pagerank community
  works(first: 1) { totalCount } } }"""


def test_graphql_shows_pagerank_and_community(collab, settings, api):
    client = api()
    before = gql(client, PROFILE, id="ben-ode")["data"]["researcher"]
    assert (before["pagerank"], before["community"]) == (None, None)

    analyse(collab, settings)
    client = api()  # a fresh app: nothing cached from before the run
    stored = {r["key"]: r for r in rows(collab, AUTHOR_VALUES)}
    ben = gql(client, PROFILE, id="ben-ode")["data"]["researcher"]
    assert ben["pagerank"] == pytest.approx(stored["ben-ode"]["pagerank"])
    assert ben["community"] == 0
    around = {e["node"]["id"]: e["node"] for e in ben["collaborators"]["edges"]}
    assert around["eve-sun"]["community"] == 1
    assert around["ann-lee"]["pagerank"] == pytest.approx(stored["ann-lee"]["pagerank"])
    # the one-query profile page (researcher_page) carries them too
    eve = gql(client, PAGE, id="eve-sun")["data"]["researcher"]
    assert eve["community"] == 1 and eve["pagerank"] > 0
    # an author without COAUTHOR edges stays null
    member = gql(client, PAGE, id="member-number001")["data"]["researcher"]
    assert (member["pagerank"], member["community"]) == (None, None)


ANN_DEPTH_1 = {
    "researcher:ann-lee",
    "researcher:ben-ode",
    "researcher:cal-poe",
    "work:1901.00001",
    "work:2001.00002",
    "work:2101.00003",
    "work:2201.00004",
    "work:2301.00005",
    "topic:cs.LG",
    "topic:stat.ML",
    "topic:cs.CL",
    "topic:hep-ex",
}


def test_export_ego_graphml_by_name_parses_back(collab, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["export", "ego", "Lee, Ann"]) == 0
    assert "wrote ann-lee-ego.graphml: 12 nodes" in capsys.readouterr().out

    back = nx.read_graphml(tmp_path / "ann-lee-ego.graphml")
    assert set(back.nodes) == ANN_DEPTH_1
    assert back.nodes["researcher:ann-lee"] == {
        "kind": "RESEARCHER",
        "key": "ann-lee",
        "label": "Ann Lee",
        "depth": 0,
    }
    assert back.edges["researcher:ann-lee", "researcher:ben-ode"] == {
        "kind": "COAUTHOR",
        "weight": 3,
        "firstYear": 2019,
        "lastYear": 2022,
    }
    assert back.edges["researcher:ann-lee", "work:1901.00001"] == {
        "kind": "AUTHORED",
        "firstYear": 2019,
        "lastYear": 2019,
    }


def test_export_ego_gexf_depth_2_reaches_collaborators_collaborators(collab, tmp_path):
    out = tmp_path / "ann.gexf"
    assert (
        main(["export", "ego", "ann-lee", "--format", "gexf", "--depth", "2", "--out", str(out)])
        == 0
    )

    back = nx.read_gexf(out)
    assert set(back.nodes) == ANN_DEPTH_1 | {"researcher:eve-sun"}
    assert back.nodes["researcher:eve-sun"]["depth"] == 2
    assert back.nodes["researcher:eve-sun"]["label"] == "Eve Sun"
    ben_eve = back.edges["researcher:ben-ode", "researcher:eve-sun"]
    assert ben_eve["kind"] == "COAUTHOR" and ben_eve["weight"] == 1
    assert (ben_eve["firstYear"], ben_eve["lastYear"]) == (2023, 2023)  # their one shared work


def test_export_ego_json_to_stdout_with_institutions(load_feed, capsys):
    load_feed("basic")
    assert (
        main(["export", "ego", "ZIHANG LIU", "--format", "json", "--limit", "2", "--out", "-"]) == 0
    )
    captured = capsys.readouterr()
    assert "wrote stdout" in captured.err

    data = json.loads(captured.out)
    back = nx.node_link_graph(data, edges="edges")
    assert back.graph == {"researcher": "zihang-liu", "truncated": True}
    assert back.nodes["researcher:zihang-liu"]["depth"] == 0
    assert sum(1 for _, d in back.nodes(data=True) if d["kind"] == "WORK") == 2
    tsinghua = back.edges["researcher:zihang-liu", "institution:tsinghua-university"]
    assert tsinghua["kind"] == "AFFILIATED_WITH" and tsinghua["lastYear"] == 2024


def test_export_unknown_researcher_says_how_to_find_ids(collab, capsys):
    assert main(["export", "ego", "Ann Leee"]) == 1
    message = capsys.readouterr().err
    assert "no researcher with id or name 'Ann Leee'" in message
    assert "kg query search_researchers --param query=leee*" in message
    assert "search(text:" in message


def test_graphml_never_gets_none_attributes():
    row = {
        "truncated": False,
        "nodes": [
            {"kind": "RESEARCHER", "key": "x", "label": None, "depth": 0},
            {"kind": "WORK", "key": "2401.00001", "label": "T", "depth": 1},
        ],
        "edges": [{"kind": "AUTHORED", "source": "x", "target": "2401.00001", "weight": None}],
    }
    graph = export.build(row, "x")
    buffer = io.BytesIO()
    export.write(graph, "graphml", buffer)
    back = nx.read_graphml(io.BytesIO(buffer.getvalue()))
    assert back.nodes["researcher:x"]["label"] == "x"
    assert back.edges["researcher:x", "work:2401.00001"] == {"kind": "AUTHORED"}


def test_export_writes_into_a_given_path(collab, settings, tmp_path):
    out: Path = tmp_path / "sub.json"
    key, graph = export.ego_graph(collab, settings.neo4j_database, "cal-poe")
    export.write(graph, "json", out)
    assert key == "cal-poe"
    assert json.loads(out.read_text())["graph"]["researcher"] == "cal-poe"
