"""Per-year shared works on COAUTHOR edges (`years`, `yearWorks`), on the real Neo4j: the
loaders keep them right as papers arrive and change, and windowed collaborator counts read
them, giving what walking the shared works gives (which edges without them still do)."""

from __future__ import annotations

from typing import Any

import neo4j

from kg.core import queries as ql
from loaders.graph_writer import write_batch
from tests.helpers import coauthor_year_errors, paper, rows

MAX = 3  # a 4-author paper makes no COAUTHOR edges

FIRST = [
    paper(1, ["Ada Byron", "Ben Cole"], year=2019),
    paper(2, ["Ada Byron", "Ben Cole", "Cy Dunn"], year=2021),
    paper(3, ["Ben Cole", "Cy Dunn"], year=2021),
    paper(4, ["Ada Byron", "Ben Cole", "Cy Dunn", "Di Eve"], year=2022),  # above the cap
]
SECOND = [  # a later batch: new years for known pairs, and a known year again
    paper(5, ["Ada Byron", "Ben Cole"], year=2017),
    paper(6, ["Ada Byron", "Ben Cole"], year=2021),
    paper(7, ["Ben Cole", "Cy Dunn"], year=2023),
]

EDGE = """
MATCH (:Author {key: $a})-[c:COAUTHOR]-(:Author {key: $b})
RETURN c.weight AS w, c.firstYear AS first, c.lastYear AS last, c.years AS years,
       c.yearWorks AS counts
"""

WINDOWS = [(None, None), (2018, None), (None, 2020), (2021, 2021), (2022, 2030), (2030, None)]


def edge(db: neo4j.Driver, a: str, b: str) -> dict[str, Any]:
    [found] = rows(db, EDGE, a=a, b=b)
    return found


def close(db: neo4j.Driver, key: str, min_shared: int, window: tuple[Any, Any]) -> Any:
    [row] = rows(
        db,
        ql.text("close_collaborators"),
        keys=[key],
        minShared=min_shared,
        fromYear=window[0],
        toYear=window[1],
        maxAuthors=MAX,
        order="SHARED_WORKS",
        skip=0,
        limit=10,
    )
    return row["total"], row["page"]


def test_batches_add_years_and_a_changed_paper_recounts_them(db):
    write_batch(db, FIRST, MAX)
    assert edge(db, "ada-byron", "ben-cole") == {
        "w": 2,
        "first": 2019,
        "last": 2021,
        "years": [2019, 2021],
        "counts": [1, 1],
    }
    write_batch(db, SECOND, MAX)
    assert edge(db, "ada-byron", "ben-cole") == {
        "w": 4,
        "first": 2017,
        "last": 2021,
        "years": [2017, 2019, 2021],
        "counts": [1, 1, 2],
    }
    assert coauthor_year_errors(db, MAX) == []

    write_batch(db, [paper(1, ["Ada Byron", "Ben Cole"], year=2021)], MAX)  # a new version
    assert edge(db, "ada-byron", "ben-cole")["years"] == [2017, 2021]
    assert edge(db, "ada-byron", "ben-cole")["counts"] == [1, 3]
    write_batch(db, [paper(3, ["Cy Dunn", "Fay Gill"], year=2021)], MAX)  # Ben Cole dropped
    assert edge(db, "ben-cole", "cy-dunn")["years"] == [2021, 2023]
    assert coauthor_year_errors(db, MAX) == []


def test_windowed_counts_read_the_years_and_agree_with_walking_the_works(db):
    write_batch(db, FIRST + SECOND, MAX)
    assert close(db, "ben-cole", 1, (2021, 2021)) == (
        2,
        [
            {
                "id": "ada-byron",
                "name": "Ada Byron",
                "sharedWorks": 2,
                "firstYear": 2021,
                "lastYear": 2021,
            },
            {
                "id": "cy-dunn",
                "name": "Cy Dunn",
                "sharedWorks": 2,
                "firstYear": 2021,
                "lastYear": 2021,
            },
        ],
    )
    assert close(db, "ben-cole", 2, (2022, None))[0] == 0  # one work with Cy Dunn since 2022
    from_years = {
        (key, n, w): close(db, key, n, w)
        for key in ("ada-byron", "ben-cole", "cy-dunn")
        for n in (1, 2, 3)
        for w in WINDOWS
    }
    db.execute_query("MATCH ()-[c:COAUTHOR]->() REMOVE c.years, c.yearWorks")  # an older graph
    walked = {args: close(db, *args) for args in from_years}
    assert walked == from_years
    assert any(total for total, _ in walked.values())
