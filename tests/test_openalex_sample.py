"""`kg load openalex` on the bundled sample: the API route against the local replay of
OpenAlex (tests/fixtures/openalex), the snapshot route on the same objects, and the CLI.

Facts of the fixtures (tests/fixtures/openalex/README.md): 22 of the 24 sample papers are
in OpenAlex (2606.05555 and 2605.03131 are not); Qizhen Zhang is A5011224936, ORCID
0000-0002-5173-3066, h-index 17 by OpenAlex, 6 from his 8 works here.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import neo4j
import pytest

from kg.cli import main
from kg.core.config import Settings
from loaders import openalex_load, openalex_snapshot, sample
from loaders.openalex_api import OpenAlexClient
from loaders.sample import OPENALEX_DIR
from tests.helpers import content, dies_on_batch, rows, snapshot, value
from tests.openalex_server import OpenAlexServer

QIZHEN = "A5011224936"
UNKNOWN = ["2605.03131", "2606.05555"]

PROFILE = """
MATCH (a:Author {key: 'qizhen-zhang'})
RETURN a.openalexId AS id, a.orcid AS orcid, a.openalexHIndex AS h, a.openalexCitations AS cited,
  COLLECT { MATCH (a)-[f:AFFILIATED_WITH]->(i) RETURN [i.name, f.firstYear, f.lastYear]
            ORDER BY i.name } AS places,
  COLLECT { MATCH (a)-[:AUTHORED]->(p) RETURN p.citations ORDER BY p.citations DESC } AS cited_works
"""


@pytest.fixture
def sample_graph(db: neo4j.Driver, settings: Settings) -> neo4j.Driver:
    sample.load(settings, db, progress=False)
    return db


def api_route(
    settings: Settings,
    db: neo4j.Driver,
    server: OpenAlexServer,
    scope: openalex_load.Scope | None = None,
    **kw: Any,
) -> openalex_load.OpenAlexReport:
    local = settings.with_(openalex_url=server.url, openalex_delay=0.0, batch_size=5)
    client = OpenAlexClient(local, backoff=0.01)
    return openalex_load.load(
        local, db, scope or openalex_load.Scope(), progress=False, client=client, **kw
    )


def test_api_route_fills_the_profile_and_lists_unknown_papers(
    sample_graph: neo4j.Driver, settings: Settings, openalex_server: OpenAlexServer
) -> None:
    openalex_server.fail(times=1, status=429, retry_after=0.01)
    report = api_route(settings, sample_graph, openalex_server)
    assert report.papers_asked == 24 and report.works_matched == 22
    assert sorted(r.where for r in report.rejects) == UNKNOWN
    assert all("OpenAlex has no work with DOI 10.48550/arXiv." in r.reason for r in report.rejects)
    assert report.retries == 1  # the 429 was waited out and asked again
    qz = rows(sample_graph, PROFILE)[0]
    assert (qz["id"], qz["orcid"], qz["h"]) == (QIZHEN, "0000-0002-5173-3066", 17)
    works_here = qz["cited_works"]
    graph_h = max(h for h in range(len(works_here) + 1) if sum(c >= h for c in works_here) >= h)
    assert graph_h == 6 and sum(works_here) == 182
    names = {place[0]: place[1:] for place in qz["places"]}
    assert names["Massachusetts Institute of Technology"] == [2026, 2026]
    assert value(sample_graph, "MATCH ()-[c:CITES]->() RETURN count(c)") == report.citations_linked
    assert report.citations_linked > 0


def test_graphql_serves_the_loaded_impact(
    sample_graph: neo4j.Driver, settings: Settings, openalex_server: OpenAlexServer, api: Any
) -> None:
    api_route(settings, sample_graph, openalex_server)
    query = """{ researcher(id: "qizhen-zhang") {
        orcid openalexId citations hIndex i10Index graphCitations graphHIndex graphI10Index
        citationsByYear { year count } worksByYear { year count }
        institutions { name firstYear lastYear ror country }
        works(first: 1) { nodes { arxivId citations } } } }"""
    body = api().post("/graphql", json={"query": query}).json()
    assert "errors" not in body, body
    qz = body["data"]["researcher"]
    assert (qz["orcid"], qz["openalexId"], qz["hIndex"], qz["i10Index"]) == (
        "0000-0002-5173-3066",
        QIZHEN,
        17,
        24,
    )
    assert (qz["graphCitations"], qz["graphHIndex"], qz["graphI10Index"]) == (182, 6, 5)
    years = [y["year"] for y in qz["citationsByYear"]]
    assert years == sorted(years) and qz["citationsByYear"]
    assert sum(y["count"] for y in qz["worksByYear"]) == 8
    mit = next(i for i in qz["institutions"] if i["name"].startswith("Massachusetts"))
    assert mit == {
        "name": "Massachusetts Institute of Technology",
        "firstYear": 2026,
        "lastYear": 2026,
        "ror": "https://ror.org/042nb2s44",
        "country": "US",
    }
    assert qz["works"]["nodes"][0]["citations"] is not None


def test_api_route_scopes_choose_the_papers_asked_for(
    sample_graph: neo4j.Driver, settings: Settings, openalex_server: OpenAlexServer
) -> None:
    two = openalex_load.Scope(ids=("2606.01234", "2603.04410"))
    assert api_route(settings, sample_graph, openalex_server, scope=two).papers_asked == 2
    cs = api_route(
        settings, sample_graph, openalex_server, scope=openalex_load.Scope(category="cs")
    )
    assert 0 < cs.papers_asked < 24 and cs.works_matched <= cs.papers_asked
    api_route(settings, sample_graph, openalex_server)
    missing = api_route(
        settings, sample_graph, openalex_server, scope=openalex_load.Scope(missing=True)
    )
    assert missing.papers_asked == 2 and missing.works_matched == 0  # only the unknown two
    recent = openalex_load.Scope(since=date(2026, 6, 1))
    assert api_route(settings, sample_graph, openalex_server, scope=recent).papers_asked == 2


def test_api_route_reruns_to_the_same_graph_and_resumes_after_a_kill(
    sample_graph: neo4j.Driver,
    settings: Settings,
    openalex_server: OpenAlexServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    api_route(settings, sample_graph, openalex_server)
    whole, exact = content(sample_graph), snapshot(sample_graph)
    assert api_route(settings, sample_graph, openalex_server).works_matched == 22
    assert snapshot(sample_graph) == exact  # rerunning adds nothing

    sample_graph.execute_query("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n")
    sample.load(settings, sample_graph, progress=False)
    revive = dies_on_batch(monkeypatch, 3)
    with pytest.raises(RuntimeError, match="killed"):
        api_route(settings, sample_graph, openalex_server)
    revive()
    asked = len(openalex_server.requests)
    resumed = api_route(settings, sample_graph, openalex_server)
    assert resumed.resumed_after is not None and resumed.papers_asked == 14  # 2 batches of 5 kept
    assert len(openalex_server.requests) > asked
    assert sorted(r.where for r in resumed.rejects) == UNKNOWN  # the killed run's too
    assert content(sample_graph) == whole


def test_snapshot_route_gives_the_api_route_graph(
    sample_graph: neo4j.Driver, settings: Settings, openalex_server: OpenAlexServer
) -> None:
    api_route(settings, sample_graph, openalex_server)
    by_api = content(sample_graph)
    sample_graph.execute_query("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n")
    sample.load(settings, sample_graph, progress=False)
    report = openalex_snapshot.load(
        settings.with_(batch_size=5), sample_graph, OPENALEX_DIR, progress=False
    )
    assert report.works_read == 25 and report.works_matched == 22
    assert sorted(r.where for r in report.rejects) == UNKNOWN
    assert content(sample_graph) == by_api


def test_cli_writes_the_rejects_file(
    sample_graph: neo4j.Driver,
    settings: Settings,
    openalex_server: OpenAlexServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("KG_OPENALEX_DELAY", "0")
    rejects = tmp_path / "rejects.jsonl"
    code = main(
        [
            "load",
            "openalex",
            "--openalex-url",
            openalex_server.url,
            "--quiet",
            "--rejects",
            str(rejects),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0 and "22 papers got OpenAlex data" in out
    assert sorted(line.split('"')[3] for line in rejects.read_text().splitlines()) == UNKNOWN
    assert main(["load", "openalex", "--snapshot", str(tmp_path / "nothing"), "--quiet"]) == 2
    assert "snapshot directory" in capsys.readouterr().err
