"""The arXiv loader against recorded feeds, a local feed server and the real Neo4j."""

from __future__ import annotations

from datetime import UTC, date, datetime
from urllib.parse import parse_qs, urlparse

from loaders.graph_writer import write_batch
from loaders.records import PaperRecord, make_record
from tests.helpers import rows, snapshot, value


def _pairs(db):
    return {
        (r["a"], r["b"]): r["w"]
        for r in rows(
            db,
            "MATCH (a:Author)-[c:COAUTHOR]->(b:Author) RETURN a.key AS a, b.key AS b, "
            "c.weight AS w",
        )
    }


def test_loads_every_page_of_the_feed(load_feed, db):
    report, server = load_feed("basic", page_size=4)
    starts = [parse_qs(urlparse(u).query)["start"][0] for u in server.requests]
    assert starts == ["0", "4", "8"]
    assert report.fetched == 10 and report.loaded == 10 and not report.rejects
    assert value(db, "MATCH (p:Paper) RETURN count(p)") == 10
    assert value(db, "MATCH (a:Author) RETURN count(a)") == 8
    topics = {
        r["code"]: r["label"]
        for r in rows(db, "MATCH (t:Topic) RETURN t.code AS code, t.label AS label")
    }
    assert topics == {
        "cs.LG": "LG",
        "stat.ML": "ML",
        "cs.CL": "CL",
        "cs.DB": "DB",
        "quant-ph": "quant-ph",
        "hep-th": "hep-th",
    }


def test_paper_properties_are_kept(load_feed, db):
    load_feed("basic")
    paper = value(db, "MATCH (p:Paper {arxivId: '2401.00002'}) RETURN properties(p)")
    assert paper["title"] == "Beta: Calibration of Deep Ensembles"
    assert paper["primaryCategory"] == "cs.LG"
    assert paper["categories"] == ["cs.LG", "stat.ML"]
    assert paper["doi"] == "10.1000/beta.2024"
    assert paper["absUrl"] == "https://arxiv.org/abs/2401.00002"
    assert paper["pdfUrl"] == "http://arxiv.org/pdf/2401.00002v1"
    assert paper["version"] == 1 and paper["year"] == 2024
    assert str(paper["published"]) == "2024-01-03"
    old = value(db, "MATCH (p:Paper {arxivId: 'hep-th/9901001'}) RETURN p.year")
    assert old == 1999
    comment = value(db, "MATCH (p:Paper {arxivId: '2401.00001'}) RETURN p.comment")
    assert comment == "Code: https://github.com/example/alpha"
    journal = value(db, "MATCH (p:Paper {arxivId: '2401.00004'}) RETURN p.journalRef")
    assert journal == "J. Dialogue Syst. 3 (2024) 1-20"
    primary = rows(
        db,
        "MATCH (:Paper {arxivId: '2401.00002'})-[r:HAS_TOPIC]->(t) "
        "RETURN t.code AS code, r.primary AS primary ORDER BY code",
    )
    assert primary == [{"code": "cs.LG", "primary": True}, {"code": "stat.ML", "primary": False}]


def test_authored_edges_keep_order_and_written_name(load_feed, db):
    load_feed("basic")
    authors = rows(
        db,
        "MATCH (a:Author)-[r:AUTHORED]->(:Paper {arxivId: '2401.00007'}) "
        "RETURN a.key AS key, r.position AS pos, r.nameAsWritten AS written "
        "ORDER BY pos",
    )
    assert authors == [
        {"key": "alice-martin", "pos": 1, "written": "Martin, Alice"},
        {"key": "jose-garcia", "pos": 2, "written": "José García"},
    ]


def test_reloading_leaves_the_graph_identical(load_feed, db):
    load_feed("basic")
    before = snapshot(db)
    report, _ = load_feed("basic")
    assert report.stats.papers_new == 0 and report.stats.papers_updated == 10
    assert report.stats.counters["nodes_created"] == 0
    assert report.stats.counters["relationships_created"] == 0
    assert snapshot(db) == before


def test_authors_sharing_surname_and_initial_stay_distinct(load_feed, db):
    load_feed("basic")
    liu = {
        r["key"]: r["works"]
        for r in rows(
            db,
            "MATCH (a:Author) WHERE a.key ENDS WITH 'liu' "
            "RETURN a.key AS key, COUNT { (a)-[:AUTHORED]->() } AS works",
        )
    }
    assert liu == {"zihang-liu": 3, "zhengzhong-liu": 1, "z-liu": 1}
    variants = value(db, "MATCH (a:Author {key: 'zihang-liu'}) RETURN a.nameVariants")
    assert variants == ["Zihang Liu", "ZIHANG  LIU"]


def test_name_forms_of_one_person_merge(load_feed, db):
    load_feed("basic")
    alice = value(
        db,
        "MATCH (a:Author {key: 'alice-martin'}) RETURN [a.name, COUNT { (a)-[:AUTHORED]->() }]",
    )
    assert alice == ["Alice Martin", 6]
    jose = value(
        db,
        "MATCH (a:Author {key: 'jose-garcia'}) "
        "RETURN [a.nameVariants, COUNT { (a)-[:AUTHORED]->() }]",
    )
    assert jose == [["José García", "Jose Garcia"], 2]


def test_coauthor_weight_counts_shared_works_once_per_pair(load_feed, db):
    load_feed("basic")
    pairs = _pairs(db)
    assert pairs[("alice-martin", "bob-nguyen")] == 3
    assert pairs[("alice-martin", "zihang-liu")] == 2
    assert pairs[("alice-martin", "carol-diaz")] == 2
    assert pairs[("alice-martin", "jose-garcia")] == 1
    assert all(a < b for a, b in pairs)
    undirected = value(
        db, "MATCH (a:Author)-[c:COAUTHOR]-(b:Author) WHERE a.key < b.key RETURN count(c)"
    )
    assert undirected == len(pairs)
    years = value(
        db,
        "MATCH (:Author {key: 'alice-martin'})-[c:COAUTHOR]-"
        "(:Author {key: 'bob-nguyen'}) RETURN [c.firstYear, c.lastYear]",
    )
    assert years == [2024, 2024]


def test_hyper_authored_papers_add_no_coauthor_edges(load_feed, db):
    load_feed("basic", coauthor_max_authors=2)
    pairs = _pairs(db)
    assert pairs[("alice-martin", "bob-nguyen")] == 1  # only the two-author paper counts
    assert ("bob-nguyen", "carol-diaz") not in pairs  # they only share a 3-author paper
    authored = value(
        db, "MATCH (:Author)-[r:AUTHORED]->(:Paper {arxivId: '2401.00003'}) RETURN count(r)"
    )
    assert authored == 3


def test_new_version_replaces_authors_topics_and_weights(load_feed, db):
    load_feed("basic")
    load_feed("revised")
    paper = value(
        db,
        "MATCH (p:Paper {arxivId: '2401.00003'}) RETURN p {.title, .version, .primaryCategory}",
    )
    assert paper == {
        "title": "Gamma: Multilingual Parsing, Revised",
        "version": 2,
        "primaryCategory": "cs.LG",
    }
    topics = value(
        db, "MATCH (:Paper {arxivId: '2401.00003'})-[:HAS_TOPIC]->(t) RETURN collect(t.code)"
    )
    assert topics == ["cs.LG"]
    pairs = _pairs(db)
    assert pairs[("alice-martin", "carol-diaz")] == 1
    assert ("bob-nguyen", "carol-diaz") not in pairs
    assert pairs[("alice-martin", "bob-nguyen")] == 3


def test_affiliations_become_institutions(load_feed, db):
    load_feed("basic")
    found = rows(
        db,
        "MATCH (a:Author)-[r:AFFILIATED_WITH]->(i:Institution) "
        "RETURN a.key AS author, i.name AS inst, r.lastYear AS year ORDER BY author",
    )
    assert found == [
        {"author": "jose-garcia", "inst": "Universidad de Chile", "year": 2024},
        {"author": "zihang-liu", "inst": "Tsinghua University", "year": 2024},
    ]


def _affiliations(db):
    return {
        (r["author"], r["inst"]): r["year"]
        for r in rows(
            db,
            "MATCH (a:Author)-[r:AFFILIATED_WITH]->(i:Institution) "
            "RETURN a.key AS author, i.key AS inst, r.lastYear AS year",
        )
    }


def test_an_affiliation_a_new_version_drops_is_removed(load_feed, db):
    load_feed("basic")
    where = value(
        db,
        "MATCH (:Author {key: 'zihang-liu'})-[r:AUTHORED]->(:Paper {arxivId: '2401.00001'}) "
        "RETURN r.affiliations",
    )
    assert where == ["tsinghua-university"]
    load_feed("refresh")  # 2401.00001 v2 lists Zihang Liu without Tsinghua University
    assert _affiliations(db) == {("jose-garcia", "universidad-de-chile"): 2024}


def _paper(raw_id: str, year: int, authors: list[tuple[str, list[str]]]) -> PaperRecord:
    return make_record(
        raw_id=raw_id,
        title=f"Paper {raw_id}",
        abstract="About it.",
        published=date(year, 1, 1),
        updated=datetime(year, 1, 1, tzinfo=UTC),
        primary_category="cs.DB",
        categories=["cs.DB"],
        authors=authors,
    )


def test_affiliations_are_recounted_over_all_of_an_authors_papers(db, settings):
    def write(*records: PaperRecord) -> None:
        write_batch(db, list(records), 100, settings.neo4j_database)

    write(
        _paper("2001.00001v1", 2020, [("Ann Lee", ["MIT"])]),
        _paper("2201.00002v1", 2022, [("Ann Lee", ["MIT"]), ("Bo Chen", ["MIT"])]),
    )
    assert _affiliations(db) == {("ann-lee", "mit"): 2022, ("bo-chen", "mit"): 2022}
    write(_paper("2201.00002v2", 2022, [("Ann Lee", []), ("Bo Chen", ["CMU"])]))
    # Ann Lee still gives MIT on her 2020 paper; Bo Chen on no paper any more
    assert _affiliations(db) == {("ann-lee", "mit"): 2020, ("bo-chen", "cmu"): 2022}
    write(_paper("2001.00001v2", 2020, [("Ann Lee", ["Stanford"])]))
    assert _affiliations(db) == {("ann-lee", "stanford"): 2020, ("bo-chen", "cmu"): 2022}
    write(_paper("2001.00001v2", 2020, [("Ann Lee", ["Stanford"])]))  # a replay changes nothing
    assert _affiliations(db) == {("ann-lee", "stanford"): 2020, ("bo-chen", "cmu"): 2022}


def test_malformed_entries_are_reported_and_the_rest_loads(load_feed, db):
    report, _ = load_feed("malformed")
    ids = value(db, "MATCH (p:Paper) RETURN collect(p.arxivId)")
    assert sorted(ids) == ["2402.00001", "2402.00006"]
    reasons = sorted(f"{r.where} {r.reason}" for r in report.rejects)
    assert len(reasons) == 4
    assert any("2402.00002" in r and "published" in r for r in reasons)
    assert any("2402.00003" in r and "empty title" in r for r in reasons)
    assert any("2402.00004" in r and "no authors" in r for r in reasons)
    assert any("not-an-id" in r and "unrecognised arXiv id" in r for r in reasons)


def test_an_entry_with_an_unreadable_date_costs_only_itself(load_feed, db):
    report, server = load_feed("badpage", page_size=2)
    ids = sorted(value(db, "MATCH (p:Paper) RETURN collect(p.arxivId)"))
    assert ids == ["2403.00001", "2403.00002", "2403.00004", "2403.00005"]
    assert [(r.where, r.reason.split(":")[0]) for r in report.rejects] == [
        ("http://arxiv.org/abs/2403.00003v1", "unreadable entry")
    ]
    assert "sometime in March" in report.rejects[0].reason
    assert not report.unreadable and len(server.requests) == 3  # a whole page, not retried


def test_rejects_file_lists_every_reject(load_feed, tmp_path):
    report, _ = load_feed("malformed")
    path = tmp_path / "rejects.jsonl"
    report.write_rejects(path)
    assert len(path.read_text().splitlines()) == 4
