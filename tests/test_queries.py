"""Every named query in queries/ runs on the real server with its header's example parameters."""

from __future__ import annotations

import json
import re

import pytest

from kg.cli import main
from kg.core import queries as ql

QUERIES = ql.load_all()
_USED = re.compile(r"\$(\w+)")


@pytest.fixture
def sample(db, capsys):
    """The bundled sample, as `kg up` loads it: the data the header examples name."""
    assert main(["load", "sample", "--quiet"]) == 0  # with OpenAlex's data for it
    capsys.readouterr()
    return db


def test_the_library_has_what_analysts_ask_for():
    names = {q.name for q in QUERIES}
    assert {
        "researcher_profile",
        "close_collaborators",
        "researcher_context",
        "shortest_collaboration_path",
        "topic_leaders",
        "rising_topics",
        "topic_institutions",
    } <= names


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_header_documents_every_parameter_with_an_example(query):
    assert query.header.startswith(f"// {query.name}: "), "the header names the query"
    assert query.summary and "Parameters:" in query.header
    body = "\n".join(line for line in query.text.splitlines() if not line.startswith("//"))
    assert set(_USED.findall(body)) == set(query.examples)
    for name in query.examples:
        assert f"${name}" in query.header, f"{name} is described in the header"


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_runs_with_its_examples_on_the_sample(query, sample, settings):
    keys, rows = ql.run(sample, query, query.examples, settings.neo4j_database)
    assert keys and rows, f"{query.name}: its examples find nothing in the sample"


def test_library_answers_on_the_sample(sample, settings):
    def rows(name: str, **params: object) -> list[dict[str, object]]:
        query = ql.get(name)
        keys, found = ql.run(sample, query, {**query.examples, **params}, settings.neo4j_database)
        return [dict(zip(keys, r, strict=True)) for r in found]

    path = rows("shortest_collaboration_path", to="zihang-liu")[0]
    assert path["ids"][0] == "qizhen-zhang" and path["ids"][-1] == "zihang-liu"
    assert path["hops"] == len(path["sharedWorks"]) == len(path["ids"]) - 1 >= 1
    assert rows("shortest_collaboration_path", to="nobody-at-all") == []

    leaders = rows("topic_leaders")
    assert leaders[0]["id"] == "qizhen-zhang"
    works = [r["works"] for r in leaders]
    assert works == sorted(works, reverse=True)
    assert rows("topic_leaders", fromYear=2100) == []

    rising = rows("rising_topics")
    growth = [r["growth"] for r in rising if r["growth"] is not None]
    assert growth == sorted(growth, reverse=True)
    assert all(r["works"] >= 2 for r in rising)

    places = {r["name"] for r in rows("topic_institutions")}
    assert "University of Toronto" in places

    cited = rows("most_cited_works")
    assert [r["citations"] for r in cited] == sorted((r["citations"] for r in cited), reverse=True)
    assert all(r["citations"] >= r["citedInGraph"] for r in cited)
    assert rows("most_cited_works", fromYear=2100) == []
    flow = rows("citation_flow")
    assert sum(r["citations"] for r in flow) == 30  # every CITES edge of the sample
    assert any(r["withinTopic"] for r in flow)


def test_reads_cannot_write(sample, settings):
    query = ql.NamedQuery("sneaky", "", "", "CREATE (:Sneaky) RETURN 1 AS n", {})
    read_only = ql.NamedQuery("sneaky", "", "", "MATCH (n) CREATE (:Sneaky) RETURN 1", {})
    assert query.writes
    assert not read_only.writes  # CREATE not at a line start: taken for a read...
    with pytest.raises(Exception, match=r"(?i)write"):  # ...and Neo4j refuses it
        ql.run(sample, read_only, {}, settings.neo4j_database)


def test_kg_query_prints_a_table_and_json(sample, capsys):
    assert main(["query", "topic_leaders", "--param", "topic=cs.DB", "--param", "first=2"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].split() == ["id", "name", "works", "percentOfTopic", "lastYear"]
    assert lines[2].startswith("qizhen-zhang") and lines[-1] == "2 row(s)"
    assert "(fromYear = null, the example)" in err

    assert main(["query", "researcher_profile", "--json"]) == 0
    row = json.loads(capsys.readouterr().out.splitlines()[0])
    assert row["id"] == "qizhen-zhang" and row["worksCount"] >= 1

    for argv, message in (
        (["query", "follow_researcher"], "add --write"),
        (["query", "topic_leader"], "did you mean topic_leaders"),
        (
            ["query", "topic_leaders", "--param", "year=2020"],
            "its parameters: topic, fromYear, first",
        ),
    ):
        assert main(argv) != 0
        assert message in capsys.readouterr().err


def test_cypher_literals_as_browser_params():
    assert ql.cypher_value('{order: "NEWEST", skip: 0}') == {"order": "NEWEST", "skip": 0}
    assert ql.cypher_value("['a:b, c', null, true]") == ["a:b, c", None, True]
    assert ql.cypher_value('[{k: "x, y: z"}]') == [{"k": "x, y: z"}]
    with pytest.raises(ql.QueryError):
        ql.cypher_value("cs.LG")
    query = ql.get("topic_leaders")
    params, defaulted = ql.parameters(query, ["topic=cs.LG", "first=5"])
    assert params == {"topic": "cs.LG", "first": 5, "fromYear": None}
    assert defaulted == ["fromYear"]


@pytest.mark.parametrize("query", ql.load_all(), ids=lambda q: q.name)
def test_the_text_sent_is_the_query_without_its_comment_lines(query):
    sent = ql.text(query.name).splitlines()
    assert not [line for line in sent if line.lstrip().startswith("//")]
    kept = [line for line in query.text.splitlines() if not line.lstrip().startswith("//")]
    assert sent == kept and sent
