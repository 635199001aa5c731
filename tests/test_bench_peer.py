"""`kg bench peer`: the command against the real Neo4j, kg's service and the real peer
(@neo4j/graphql from the shared folder); key selection and the answer check on their own.
No timing assertions: figures belong to the benchmark, not the tests."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import neo4j
import pytest

from kg.bench import BenchError, peer, peer_compare, peer_server, synthetic
from kg.bench.options import PeerOptions
from kg.cli import build_parser, main
from kg.core import neo4j_local
from kg.core.config import Settings
from loaders import snapshot
from tests.helpers import free_port

WORKS = """
UNWIND $authors AS author
CREATE (a:Author {key: author.key, name: author.key})
WITH a, author
UNWIND range(1, author.works) AS n
CREATE (a)-[:AUTHORED {position: 0}]->(:Paper {arxivId: author.key + '/' + n})
"""
IDLE = "UNWIND range(1, 100) AS n CREATE (:Author {key: 'idle-' + n, name: 'Idle'})"
HUB = """
MATCH (hub:Author {key: 'hub'}), (other:Author) WHERE other.key STARTS WITH 'a'
CREATE (hub)-[:COAUTHOR {weight: 1}]->(other)
"""


def test_top_share_is_by_works_count(db: neo4j.Driver, settings: Settings):
    many = [{"key": f"a{n:03}", "works": 1} for n in range(200)]
    few = [{"key": "p5", "works": 5}, {"key": "p4", "works": 4}, {"key": "p3", "works": 3}]
    db.execute_query(WORKS, authors=[*many, *few, {"key": "hub", "works": 2}])
    db.execute_query(IDLE)  # researchers without a work count for nothing
    db.execute_query(HUB)  # the most co-authors, but not the most works

    assert peer.top_keys(settings, 0.01) == ["p5", "p4", "p3"]  # ceil(1% of 204)
    assert peer.top_keys(settings, 0.02) == ["p5", "p4", "p3", "hub", "a000"]
    assert peer.top_keys(settings, 0.0001) == ["p5"]  # never an empty set
    assert peer.top_label(0.01) == "top 1%"


def kg_page() -> dict[str, Any]:
    author = {"id": "ann-lee", "name": "Ann Lee"}
    work = {"arxivId": "2401.00001", "title": "T", "authors": [author, {"id": "bo", "name": "Bo"}]}
    return {
        "id": "ann-lee",
        "worksCount": 1,
        "works": {
            "totalCount": 1,
            "pageInfo": {"hasNextPage": False, "endCursor": "offset:1"},
            "edges": [{"node": work}],
        },
        "collaborators": {
            "totalCount": 1,
            "edges": [{"sharedWorks": 1, "lastYear": 2024, "node": {"id": "bo", "name": "Bo"}}],
        },
    }


def peer_page(kg: dict[str, Any]) -> list[dict[str, Any]]:
    """kg's page as the peer's document shapes it."""
    page = copy.deepcopy(kg)
    page["works"]["pageInfo"]["endCursor"] = "YXJyYXljb25uZWN0aW9uOjA="
    for edge in page["works"]["edges"]:
        authors = edge["node"]["authors"]
        edge["node"]["authors"] = {"edges": [{"node": a} for a in authors]}
    page["collaborators"]["edges"] = [
        {
            "properties": {"sharedWorks": e["sharedWorks"], "lastYear": e["lastYear"]},
            "node": e["node"],
        }
        for e in page["collaborators"]["edges"]
    ]
    return [page]


def test_the_same_page_in_both_shapes_matches():
    ours = kg_page()
    assert peer_compare.differences(ours, peer_compare.reshape(peer_page(ours))) == []
    assert peer_compare.leaves(ours) == 16
    assert peer_compare.reshape([]) is None


def test_a_real_difference_is_reported_with_where():
    ours = kg_page()
    theirs = peer_page(ours)
    theirs[0]["works"]["edges"][0]["node"]["authors"]["edges"].pop()
    theirs[0]["collaborators"]["edges"][0]["properties"]["lastYear"] = 2023
    theirs[0]["works"]["pageInfo"]["endCursor"] = None
    found = peer_compare.differences(ours, peer_compare.reshape(theirs), "ann-lee")
    assert found == [
        "ann-lee.collaborators.edges[0].lastYear: kg=2024 peer=2023",
        "ann-lee.works.edges[0].node.authors: length kg=2 peer=1",
        "ann-lee.works.pageInfo.endCursor: kg='offset:1' peer=None",
    ]
    assert peer_compare.differences(ours, None, "x") == [f"x: kg={ours!r} peer=None"]


def test_cli_options_and_a_missing_peer(tmp_path: Path):
    args = build_parser().parse_args(["bench", "peer", "--clients", "1,8", "--top-share", "0.05"])
    assert (args.clients, args.top_share, args.rounds, args.papers) == ([1, 8], 0.05, 3, 100_000)
    assert args.peer_dir.name == "peer-neo4j-graphql"
    with pytest.raises(SystemExit):
        build_parser().parse_args(["bench", "peer", "--top-share", "2"])
    with pytest.raises(BenchError, match="--peer-dir or set KG_PEER_DIR"):
        peer_server.check_folder(tmp_path)


def test_kg_and_the_peer_side_by_side(
    db: neo4j.Driver,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
):
    peer_dir = PeerOptions().peer_dir
    if not (peer_dir / "server.mjs").is_file():
        # the peer lives outside the repo (never vendored): a clone with no shared folder
        # beside it cannot run this one; .ci/run points KG_PEER_DIR at its origin's
        pytest.skip(f"the shared peer folder is not at {peer_dir}; set KG_PEER_DIR to run this")
    corpus = tmp_path / "corpus.jsonl"
    synthetic.generate(corpus, 300, seed=3, workers=1)
    snapshot.load(settings, db, corpus, progress=False)
    # the command's bench Neo4j is the test instance, which holds the 300 papers
    monkeypatch.setenv("KG_BENCH_NEO4J_HOME", str(settings.neo4j_home))
    monkeypatch.setenv("KG_BENCH_BOLT_PORT", str(settings.bolt_port))
    monkeypatch.setenv("KG_BENCH_HTTP_PORT", str(settings.http_port))
    kg_port, peer_port = free_port(), free_port()
    argv = ["bench", "peer", "--papers", "300", "--clients", "1,2", "--rounds", "2"]
    argv += ["--duration", "0.5", "--warmup", "0", "--sample", "30", "--check", "4"]
    argv += ["--port", str(kg_port), "--peer-port", str(peer_port), "--work-dir", str(tmp_path)]

    assert main(argv) == 0, "kg and the peer answer the same pages"
    out = capsys.readouterr().out
    assert (tmp_path / "peer-neo4j-graphql" / "node_modules").is_dir()
    assert not neo4j_local.port_open(kg_port) and not neo4j_local.port_open(peer_port)

    assert "answers: the same for all 8 researchers checked" in out
    header = next(line for line in out.splitlines() if line.startswith("set "))
    assert "kg pages/s" in header and "peer pages/s" in header and "kg/peer" in header
    rows = [line.split() for line in out.splitlines() if line.startswith(("random ", "top 1% "))]
    table = {(" ".join(r[:-10]), int(r[-10])): r for r in rows}  # set, clients -> row
    assert set(table) == {("random", 1), ("random", 2), ("top 1%", 1), ("top 1%", 2)}
    for row in table.values():
        kg_rate, peer_rate = float(row[-9]), float(row[-8])
        assert kg_rate > 0 and peer_rate > 0, row
        assert row[-1] == "0/0", f"no errors on either side: {row}"
    assert "target (issue 13): kg >= 1.2x" in out
