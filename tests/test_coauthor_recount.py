"""Recounting the COAUTHOR edges of records whose works changed hands, on the real Neo4j:
whatever state the edges are in, the records named come out as the loaders count them."""

from __future__ import annotations

import neo4j

from loaders.coauthor_recount import recount_coauthors
from loaders.graph_writer import write_batch
from tests.helpers import paper, rows

MAX = 3  # a 4-author paper makes no COAUTHOR edges

EDGES = """
MATCH (a:Author)-[c:COAUTHOR]->(b:Author)
RETURN a.key AS a, b.key AS b, c.weight AS w, c.firstYear AS first, c.lastYear AS last
ORDER BY a, b
"""

PAPERS = [
    paper(1, ["Ada Byron", "Ben Cole"], year=2019),
    paper(2, ["Ada Byron", "Ben Cole", "Cy Dunn"], year=2021),
    paper(3, ["Ben Cole", "Cy Dunn"], year=2020),
    paper(4, ["Ada Byron", "Ben Cole", "Cy Dunn", "Di Eve"], year=2022),  # above the cap
    paper(5, ["Cy Dunn", "Fay Gill"], year=2018),
]


def recount(db: neo4j.Driver, keys: list[str]) -> None:
    with db.session() as session:
        session.execute_write(lambda tx: recount_coauthors(tx, keys, MAX))


def test_recount_repairs_wrong_missing_and_stale_edges_of_the_records_named(db):
    write_batch(db, PAPERS, MAX)
    right = rows(db, EDGES)
    assert [(e["a"], e["b"], e["w"], e["first"], e["last"]) for e in right] == [
        ("ada-byron", "ben-cole", 2, 2019, 2021),
        ("ada-byron", "cy-dunn", 1, 2021, 2021),
        ("ben-cole", "cy-dunn", 2, 2020, 2021),
        ("cy-dunn", "fay-gill", 1, 2018, 2018),
    ]
    with db.session() as session:
        session.run(  # wrong weight and years, a missing edge, a stale one
            "MATCH (:Author {key: 'ada-byron'})-[c:COAUTHOR]->(:Author {key: 'ben-cole'}) "
            "SET c.weight = 7, c.firstYear = 2001"
        ).consume()
        session.run(
            "MATCH (:Author {key: 'ben-cole'})-[c:COAUTHOR]->(:Author {key: 'cy-dunn'}) DELETE c"
        ).consume()
        session.run(
            "MATCH (a:Author {key: 'ada-byron'}), (d:Author {key: 'di-eve'}) "
            "CREATE (a)-[:COAUTHOR {weight: 1, firstYear: 2022, lastYear: 2022}]->(d)"
        ).consume()
        session.run(  # damage to a record not named: left alone
            "MATCH (:Author {key: 'cy-dunn'})-[c:COAUTHOR]->(:Author {key: 'fay-gill'}) "
            "SET c.weight = 9"
        ).consume()

    recount(db, ["ada-byron", "ben-cole", "no-such-record"])

    after = rows(db, EDGES)
    assert after[:3] == right[:3]
    assert after[3]["w"] == 9
    recount(db, ["fay-gill"])
    assert rows(db, EDGES) == right


def test_recount_follows_works_that_moved(db):
    write_batch(db, PAPERS, MAX)
    with db.session() as session:  # paper 3 moves from Ben Cole to a new record
        session.run(
            "CREATE (n:Author {key: 'ben-cole-2', name: 'Ben Cole', nameKey: 'ben-cole'}) "
            "WITH n MATCH (:Author {key: 'ben-cole'})-[r:AUTHORED]->(p:Paper) "
            "WHERE p.arxivId = '2001.00003' "
            "CREATE (n)-[s:AUTHORED]->(p) SET s = properties(r) DELETE r"
        ).consume()

    recount(db, ["ben-cole", "ben-cole-2"])

    found = {(e["a"], e["b"]): (e["w"], e["first"], e["last"]) for e in rows(db, EDGES)}
    assert found[("ben-cole", "cy-dunn")] == (1, 2021, 2021)
    assert found[("ben-cole-2", "cy-dunn")] == (1, 2020, 2020)
    assert found[("ada-byron", "ben-cole")] == (2, 2019, 2021)
    assert ("ada-byron", "ben-cole-2") not in found
