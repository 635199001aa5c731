"""Collaborators, close collaborators, works pages, context and search, on a designed graph.

tests/fixtures/snapshot/collab.jsonl: Ann Lee wrote with Ben Ode in 2019, 2020 and 2022,
with Cal Poe in 2020 and 2021 (one 2020 paper has all three), and a 120-author paper
with Dee Ray in 2023, above the COAUTHOR cap. Dee and Ben each wrote with Eve Sun in 2023.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from kg.api.context import Context
from kg.api.gateway import Gateway
from kg.api.root import schema
from kg.core.config import Settings
from kg.core.db import async_driver
from tests.helpers import codes, gql


@pytest.fixture
def client(load_snapshot, api) -> Iterator[TestClient]:
    report = load_snapshot("collab")
    assert report.loaded == 7 and len(report.rejects) == 0
    yield api()


def ann(client: TestClient, fields: str, **variables: Any) -> Any:
    body = gql(
        client,
        f'query Q{_decl(variables)} {{ researcher(id: "ann-lee") {{ {fields} }} }}',
        **variables,
    )
    assert "errors" not in body, body
    return body["data"]["researcher"]


def _decl(variables: dict[str, Any]) -> str:
    return "(" + ", ".join(f"${k}: Int" for k in variables) + ")" if variables else ""


def test_close_collaborators_count_by_threshold_and_window(client):
    counts = ann(
        client,
        """all: closeCollaboratorCount(minSharedWorks: 1)
        two: closeCollaboratorCount
        three: closeCollaboratorCount(minSharedWorks: 3)
        early: closeCollaboratorCount(minSharedWorks: 2, fromYear: 2019, toYear: 2020)
        late: closeCollaboratorCount(minSharedWorks: 1, fromYear: 2021)
        lateTwo: closeCollaboratorCount(minSharedWorks: 2, fromYear: 2021)
        none: closeCollaboratorCount(minSharedWorks: 1, toYear: 2018)""",
    )
    # Dee Ray only shares the 120-author paper: above the cap, never a collaborator
    assert counts == {
        "all": 2,
        "two": 2,
        "three": 1,
        "early": 1,
        "late": 2,
        "lateTwo": 0,
        "none": 0,
    }


def test_collaborators_list_with_shared_works_and_years(client):
    page = ann(
        client,
        """collaborators { totalCount edges { sharedWorks firstYear lastYear
           node { id name worksCount } } }""",
    )["collaborators"]
    assert page["totalCount"] == 2
    assert page["edges"] == [
        {
            "sharedWorks": 3,
            "firstYear": 2019,
            "lastYear": 2022,
            "node": {"id": "ben-ode", "name": "Ben Ode", "worksCount": 4},
        },
        {
            "sharedWorks": 2,
            "firstYear": 2020,
            "lastYear": 2021,
            "node": {"id": "cal-poe", "name": "Cal Poe", "worksCount": 2},
        },
    ]
    windowed = ann(
        client,
        "collaborators(fromYear: 2020, toYear: 2021, orderBy: NAME) "
        "{ edges { sharedWorks firstYear lastYear node { id } } }",
    )["collaborators"]["edges"]
    assert windowed == [
        {"sharedWorks": 1, "firstYear": 2020, "lastYear": 2020, "node": {"id": "ben-ode"}},
        {"sharedWorks": 2, "firstYear": 2020, "lastYear": 2021, "node": {"id": "cal-poe"}},
    ]


def test_collaborator_orders(client):
    def order(by: str) -> list[str]:
        edges = ann(client, f"collaborators(orderBy: {by}) {{ edges {{ node {{ id }} }} }}")
        return [e["node"]["id"] for e in edges["collaborators"]["edges"]]

    assert order("SHARED_WORKS") == ["ben-ode", "cal-poe"]
    assert order("LAST_YEAR") == ["ben-ode", "cal-poe"]  # 2022 before 2021
    assert order("NAME") == ["ben-ode", "cal-poe"]
    eve = gql(
        client,
        '{ researcher(id: "eve-sun") { collaborators(orderBy: NAME) { edges { node { id } } } } }',
    )["data"]["researcher"]["collaborators"]["edges"]
    assert [e["node"]["id"] for e in eve] == ["ben-ode", "dee-ray"]


def test_works_pages_follow_cursors_to_the_end(client):
    seen: list[str] = []
    after = None
    for _ in range(5):
        page = gql(
            client,
            """query($after: String) { researcher(id: "ann-lee") {
               works(first: 2, after: $after) { totalCount
                 pageInfo { hasNextPage endCursor } edges { cursor node { arxivId } } } } }""",
            after=after,
        )["data"]["researcher"]["works"]
        assert page["totalCount"] == 5
        seen += [e["node"]["arxivId"] for e in page["edges"]]
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == ["2301.00005", "2201.00004", "2101.00003", "2001.00002", "1901.00001"]


def test_works_orders_and_fields(client):
    def ids(by: str) -> list[str]:
        works = ann(client, f"works(orderBy: {by}) {{ nodes {{ arxivId }} }}")["works"]
        return [w["arxivId"] for w in works["nodes"]]

    assert ids("OLDEST") == ["1901.00001", "2001.00002", "2101.00003", "2201.00004", "2301.00005"]
    assert ids("TITLE")[:3] == ["2201.00004", "2001.00002", "2101.00003"]  # Adaptive, C..2, C..3
    works = ann(client, "works(orderBy: OLDEST, first: 2) { nodes { codeUrl authors { id } } }")
    assert works["works"]["nodes"] == [
        {"codeUrl": None, "authors": [{"id": "ann-lee"}, {"id": "ben-ode"}]},
        {
            "codeUrl": "https://github.com/example/two",
            "authors": [{"id": "ann-lee"}, {"id": "ben-ode"}, {"id": "cal-poe"}],
        },
    ]
    big = ann(client, "works(first: 1) { nodes { authorCount authors { id } } }")
    assert big["works"]["nodes"][0]["authorCount"] == 120
    assert len(big["works"]["nodes"][0]["authors"]) == 100  # listed up to 100, in order


def test_context_depth_one_and_two(client):
    def context(depth: int, limit: int = 25) -> dict[str, Any]:
        return ann(
            client,
            f"context(depth: {depth}, limit: {limit}) {{ truncated "
            "nodes { id key kind label depth } edges { source target kind weight "
            "firstYear lastYear } }",
        )["context"]

    one = context(1)
    kinds = {n["id"]: (n["kind"], n["depth"]) for n in one["nodes"]}
    assert kinds["researcher:ann-lee"] == ("RESEARCHER", 0)
    assert kinds["researcher:ben-ode"] == ("RESEARCHER", 1)
    assert kinds["researcher:cal-poe"] == ("RESEARCHER", 1)
    assert "researcher:eve-sun" not in kinds and "researcher:dee-ray" not in kinds
    assert sum(k == "WORK" for k, _ in kinds.values()) == 5
    assert {i for i, (k, _) in kinds.items() if k == "TOPIC"} == {
        "topic:cs.LG",
        "topic:cs.CL",
        "topic:stat.ML",
        "topic:hep-ex",
    }
    assert one["truncated"] is False
    coauthor = {
        (e["source"], e["target"], e["weight"]) for e in one["edges"] if e["kind"] == "COAUTHOR"
    }
    assert coauthor == {
        ("researcher:ann-lee", "researcher:ben-ode", 3),
        ("researcher:ann-lee", "researcher:cal-poe", 2),
        ("researcher:ben-ode", "researcher:cal-poe", 1),
    }
    spans = {
        (e["source"], e["target"]): (e["firstYear"], e["lastYear"])
        for e in one["edges"]
        if e["kind"] in ("COAUTHOR", "AUTHORED")
    }
    # the years of their shared works (a panel shows the circle as of a year from these)
    assert spans[("researcher:ann-lee", "researcher:ben-ode")] == (2019, 2022)
    assert spans[("researcher:ann-lee", "researcher:cal-poe")] == (2020, 2021)
    assert spans[("researcher:ben-ode", "researcher:cal-poe")] == (2020, 2020)
    assert spans[("researcher:cal-poe", "work:2101.00003")] == (2021, 2021)
    ids = {n["id"] for n in one["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in one["edges"])
    assert ("researcher:cal-poe", "work:2101.00003") in {
        (e["source"], e["target"]) for e in one["edges"] if e["kind"] == "AUTHORED"
    }

    two = context(2)
    outer = {n["id"] for n in two["nodes"] if n["depth"] == 2}
    assert outer == {"researcher:eve-sun"}  # Ben's other collaborator
    assert ("researcher:ben-ode", "researcher:eve-sun", 1) in {
        (e["source"], e["target"], e["weight"]) for e in two["edges"] if e["kind"] == "COAUTHOR"
    }

    capped = context(2, limit=1)
    assert capped["truncated"] is True
    per_kind: dict[str, int] = {}
    for n in capped["nodes"]:
        if n["depth"] > 0:
            per_kind[f"{n['kind']}{n['depth']}"] = per_kind.get(f"{n['kind']}{n['depth']}", 0) + 1
    assert max(per_kind.values()) == 1
    assert [n["id"] for n in capped["nodes"] if n["kind"] == "WORK"] == ["work:2301.00005"]


def test_context_arguments_are_checked(client):
    for args in ("depth: 3", "depth: 0", "limit: 0", "limit: 101"):
        body = gql(client, f'{{ researcher(id: "ann-lee") {{ context({args}) {{ truncated }} }} }}')
        assert codes(body) == ["BAD_USER_INPUT"], args


def test_search_ranks_researchers_and_works(client):
    body = gql(
        client,
        """query($t: String!) { search(text: $t, first: 5) {
           researchers { score researcher { id worksCount } }
           works { score work { arxivId title } } } }""",
        t="sparsifiers",
    )["data"]["search"]
    assert [w["work"]["arxivId"] for w in body["works"]] == ["1901.00001", "2201.00004"] or [
        w["work"]["arxivId"] for w in body["works"]
    ] == ["2201.00004", "1901.00001"]
    scores = [w["score"] for w in body["works"]]
    assert scores == sorted(scores, reverse=True) and all(s > 0 for s in scores)
    assert body["researchers"] == []

    people = gql(
        client,
        '{ search(text: "ode") { researchers { researcher { id worksCount } } works { score } } }',
    )["data"]["search"]
    assert people["researchers"][0]["researcher"] == {"id": "ben-ode", "worksCount": 4}
    prefix = gql(client, '{ search(text: "Ca") { researchers { researcher { id } } } }')
    assert [r["researcher"]["id"] for r in prefix["data"]["search"]["researchers"]] == ["cal-poe"]
    none = gql(
        client, '{ search(text: "ode", first: 0) { researchers { score } works { score } } }'
    )
    assert none["data"]["search"] == {"researchers": [], "works": []}
    both = gql(client, '{ search(text: "adaptive SPARSIFIERS") { works { work { arxivId } } } }')
    assert [w["work"]["arxivId"] for w in both["data"]["search"]["works"]] == ["2201.00004"]


def test_search_text_cannot_inject_lucene_syntax(client):
    for text in ('ann" OR *:*', "title:(x) AND", "~~~ ^^^ [a TO z]", "\\"):
        body = gql(client, "query($t: String!) { search(text: $t) { works { score } } }", t=text)
        assert "errors" not in body or codes(body) == ["BAD_USER_INPUT"], (text, body)
    # Lucene syntax beside a word nothing contains: were `*:*` or a range read as syntax,
    # they would match every work and researcher; as words they match nothing
    for text in ('zzqv" OR *:*', "zzqv OR *:*", "zzqv [* TO *]", "zzqv^99 OR title:*"):
        query = "query($t: String!) { search(text: $t) { researchers { score } works { score } } }"
        body = gql(client, query, t=text)
        assert body == {"data": {"search": {"researchers": [], "works": []}}}, (text, body)
    assert codes(gql(client, '{ search(text: "?!") { works { score } } }')) == ["BAD_USER_INPUT"]
    assert codes(gql(client, '{ search(text: "x", first: 51) { works { score } } }')) == [
        "BAD_USER_INPUT"
    ]


PAGE = """
query($id: ID!) { researcher(id: $id) {
  id name nameVariants worksCount followersCount claimStatus closeCollaboratorCount
  topics { code worksCount } institutions { name }
  works(first: 20) { totalCount edges { node { arxivId title authors { id name } } } }
  collaborators(first: 10) { totalCount edges { sharedWorks node { id name } } }
} }
"""

DEEP = """
query($id: ID!) { researcher(id: $id) {
  works(first: 20) { nodes { authors { id worksCount topics { code } } } }
  collaborators(first: 50) { edges { node { id worksCount closeCollaboratorCount
    works(first: 3) { nodes { arxivId authors { name } } } } } }
} }
"""


def unbudgeted(settings: Settings) -> Settings:
    """DEEP is priced above the default budget (its topic lists count at their cap); this
    module counts the queries it costs, so it runs with no price limit."""
    return settings.with_(max_query_cost=10**12)


def execute(settings: Settings, query: str, **variables: Any) -> tuple[dict[str, Any], int]:
    """Run a request through the schema and count the Cypher queries it cost."""

    async def go() -> tuple[dict[str, Any], int]:
        driver = async_driver(settings)
        try:
            gateway = Gateway(driver, database=settings.neo4j_database)
            context = Context(gateway=gateway, settings=settings)
            result = await schema.execute(query, variable_values=variables, context_value=context)
            assert not result.errors, result.errors
            assert result.data is not None
            return result.data, gateway.queries
        finally:
            await driver.close()

    return asyncio.run(go())


def test_a_profile_page_costs_the_same_few_queries_whatever_the_list_sizes(load_snapshot, settings):
    load_snapshot("collab")
    ann_page, ann_queries = execute(settings, PAGE, id="ann-lee")
    eve_page, eve_queries = execute(settings, PAGE, id="eve-sun")
    assert len(ann_page["researcher"]["works"]["edges"]) == 5
    assert len(eve_page["researcher"]["works"]["edges"]) == 2
    # profile, works page, collaborators page and close-collaborator count: one round trip
    assert ann_queries == eve_queries == 1
    # a second works list with other arguments is one more query, answered correctly
    two = PAGE.replace(
        "works(first: 20)",
        "old: works(first: 1, orderBy: OLDEST) { nodes { arxivId } } works(first: 20)",
    )
    page, queries = execute(settings, two, id="ann-lee")
    assert queries == 2
    assert page["researcher"]["old"] == {"nodes": [{"arxivId": "1901.00001"}]}
    assert page["researcher"]["works"] == ann_page["researcher"]["works"]
    # nested researchers (authors of works, collaborators) are batched per field, not per row
    ann_deep, ann_deep_queries = execute(unbudgeted(settings), DEEP, id="ann-lee")
    _, eve_deep_queries = execute(unbudgeted(settings), DEEP, id="eve-sun")
    authors = {a["id"] for w in ann_deep["researcher"]["works"]["nodes"] for a in w["authors"]}
    assert len(authors) == 102  # 100 listed from the 120-author paper, plus Ben and Cal
    # the page query, then at most one per field a level down: the authors' and the
    # collaborators' profiles (one query when both are asked in the same tick), the
    # collaborators' close counts and their works
    assert ann_deep_queries <= 5 and eve_deep_queries <= 5


def test_works_per_year_and_topic(client):
    by_topic = [
        (r["year"], r["code"], r["count"])
        for r in ann(client, "topicsByYear { year code count }")["topicsByYear"]
    ]
    assert by_topic == [
        (2019, "cs.LG", 1),
        (2020, "cs.LG", 1),
        (2020, "stat.ML", 1),  # one work in two categories counts in both
        (2021, "cs.CL", 1),
        (2022, "cs.LG", 1),
        (2023, "hep-ex", 1),
    ]
    # the page query's part gives the same as the profile's
    page = ann(client, "works(first: 1) { totalCount } topicsByYear { year code count }")
    assert [(r["year"], r["code"], r["count"]) for r in page["topicsByYear"]] == by_topic


def test_a_profile_page_computes_only_the_parts_selected_and_never_serves_them_short(client):
    full = ann(client, "worksByYear { year count } topics { code worksCount } graphHIndex")
    assert full["worksByYear"] and full["topics"]
    page = ann(client, "works(first: 1) { totalCount } worksByYear { year count }")
    assert page["worksByYear"] == full["worksByYear"]
    # the page left topics out; a field asking for them on the same record still gets them
    nested = ann(
        client,
        "works(first: 2) { edges { node { authors { id topics { code worksCount } } } } }",
    )
    authors = [a for e in nested["works"]["edges"] for a in e["node"]["authors"]]
    assert next(a["topics"] for a in authors if a["id"] == "ann-lee") == full["topics"]


def test_the_page_query_skips_parts_on_request(client, settings):
    async def both() -> tuple[Any, Any]:
        driver = async_driver(settings)
        try:
            graph = Gateway(driver, database=settings.neo4j_database)
            some = await graph.page("ann-lee", None, [], {"topics"})
            every = await graph.page("ann-lee", None, [])
            return some, every
        finally:
            await driver.close()

    some, every = asyncio.run(both())
    assert some["topics"] == every["topics"] != []
    assert every["worksByYear"] != [] and every["graphHIndex"] is not None
    assert not {"worksByYear", "graphHIndex", "institutions"} & set(some)
