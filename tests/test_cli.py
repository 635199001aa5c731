"""The `kg` command line, run in-process against the test Neo4j and a local feed server."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlparse

import pytest

from kg.cli import main
from tests.helpers import local_api, value


def test_help_teaches_with_examples(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["load", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert 'kg load arxiv --author "Qizhen Zhang"' in out and "--strict" in out


def test_load_arxiv_by_author_through_the_cli(db, feed_server, capsys):
    server = feed_server("basic")
    code = main(
        [
            "load",
            "arxiv",
            "--author",
            "Carol Diaz",
            *local_api(server.url),
        ]
    )
    assert code == 0
    assert "3 papers loaded (3 new, 0 refreshed)" in capsys.readouterr().out
    sent = parse_qs(urlparse(server.requests[0]).query)["search_query"]
    assert sent == ['au:"Carol Diaz"']
    assert value(db, "MATCH (p:Paper) RETURN count(p)") == 3


def test_load_by_id(db, feed_server):
    server = feed_server("basic")
    code = main(
        [
            "load",
            "arxiv",
            "--id",
            "2401.00004",
            "--id",
            "hep-th/9901001",
            *local_api(server.url),
        ]
    )
    assert code == 0
    ids = value(db, "MATCH (p:Paper) RETURN collect(p.arxivId)")
    assert sorted(ids) == ["2401.00004", "hep-th/9901001"]


def test_rejects_file_and_strict_exit(db, feed_server, tmp_path, capsys):
    server = feed_server("malformed")
    rejects = tmp_path / "rejects.jsonl"
    args = [
        "load",
        "arxiv",
        "--query",
        "all:test",
        *local_api(server.url),
        "--rejects",
        str(rejects),
    ]
    assert main(args) == 0
    assert "4 rejected" in capsys.readouterr().out
    lines = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert {"where", "reason"} <= set(lines[0]) and len(lines) == 4
    assert main([*args, "--strict"]) == 1


def test_load_without_filters_is_a_usage_error(capsys):
    assert main(["load", "arxiv"]) == 2
    assert "--author" in capsys.readouterr().err


def test_sample_load_is_idempotent(db, capsys):
    assert main(["load", "sample", "--quiet"]) == 0
    papers = value(db, "MATCH (p:Paper) RETURN count(p)")
    edges = value(db, "MATCH ()-[r]->() RETURN count(r)")
    assert papers == 24
    cited = value(db, "MATCH (p:Paper) WHERE p.citations IS NOT NULL RETURN count(p)")
    assert cited == 22  # OpenAlex's data for the sample came with it
    assert main(["load", "sample", "--quiet"]) == 0
    assert value(db, "MATCH (p:Paper) RETURN count(p)") == papers
    assert value(db, "MATCH ()-[r]->() RETURN count(r)") == edges
    assert (
        value(db, "MATCH (a:Author {key: 'qizhen-zhang'}) RETURN COUNT { (a)-[:AUTHORED]->() }")
        == 8
    )


def test_unreachable_neo4j_is_a_clear_error(monkeypatch, capsys):
    monkeypatch.setenv("KG_NEO4J_URI", "neo4j://127.0.0.1:1")
    monkeypatch.setenv("KG_NEO4J_PASSWORD", "whatever")
    assert main(["schema", "apply"]) == 1
    err = capsys.readouterr().err
    assert "not reachable" in err and "kg neo4j start" in err


def test_unreachable_arxiv_api_is_a_clear_error(db, capsys):
    code = main(
        [
            "load",
            "arxiv",
            "--author",
            "Ann Bee",
            "--arxiv-url",
            "http://127.0.0.1:9/api/query",
            "--arxiv-delay",
            "0",
            "--quiet",
        ]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "failed after retries" in err and "rerunning the load is safe" in err


def test_up_without_serving_sets_everything_up(db, capsys):
    assert main(["up", "--no-serve"]) == 0
    out = capsys.readouterr().out
    assert "sample: 24 papers loaded" in out and "password in" in out
    assert value(db, "MATCH (p:Paper) RETURN count(p)") == 24
