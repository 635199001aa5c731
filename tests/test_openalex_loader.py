"""OpenAlex onto the graph: finding arXiv works, pairing authorships, and the snapshot route
on the real Neo4j (citations, institutions, author figures, rerun, resume, identity)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import neo4j
import pytest

from kg.core.config import Settings
from kg.curation import identity as curation
from loaders import openalex_snapshot
from loaders.graph_writer import write_batch
from loaders.openalex_records import OaAuthorship, arxiv_id_of, match_authorships, work_rows
from loaders.records import PaperRecord
from loaders.settle import settle
from tests.helpers import content, dies_on_batch, paper, rows, snapshot, value
from tests.openalex_objects import ETH, MIT, author, work, write_snapshot

MAX = 100


def load(db: neo4j.Driver, records: list[PaperRecord]) -> None:
    write_batch(db, records, MAX)
    settle(db, MAX)


# --- finding the paper and its authors --------------------------------------------------


def test_arxiv_id_from_doi_or_arxiv_location() -> None:
    assert arxiv_id_of({"doi": "https://doi.org/10.48550/arxiv.2401.00001"}) == "2401.00001"
    assert arxiv_id_of({"doi": "10.48550/arXiv.hep-th/9901001v2"}) == "hep-th/9901001"
    published = {  # OpenAlex merged the preprint into its journal version
        "doi": "https://doi.org/10.1103/physrevd.76.013009",
        "locations": [
            {"landing_page_url": "https://doi.org/10.1103/physrevd.76.013009"},
            {"landing_page_url": "http://arxiv.org/abs/0704.0001v2"},
        ],
    }
    assert arxiv_id_of(published) == "0704.0001"
    assert arxiv_id_of({"doi": "https://doi.org/10.1101/2020.01.01.123456"}) is None
    assert work_rows({"id": "https://openalex.org/W9", "doi": "10.1/x"}) is None
    merged = work_rows({"id": "https://openalex.org/W7", **published})
    assert (
        merged is not None and merged.paper_props()["openalexDoi"] == "10.1103/physrevd.76.013009"
    )


def oa(index: int, *names: str) -> OaAuthorship:
    return OaAuthorship(index, names, f"A{index}", None, (), ())


def test_authorships_pair_by_name_then_initials_never_by_guess() -> None:
    written = [(0, "Qizhen Zhang"), (1, "Ana Ribeiro"), (2, "Wei Chen"), (3, "Li Wang")]
    theirs = [
        oa(0, "Q. Zhang"),  # initials, same place: paired
        oa(1, "Ana Ribeiro"),
        oa(2, "Chen Wei"),  # written the other way round: no pairing on a guess
        oa(3, "L. Wang"),
    ]
    pairs = {position: a.author for position, a in match_authorships(written, theirs)}
    assert pairs == {0: "A0", 1: "A1", 3: "A3"}
    # the same name at another place (OpenAlex reordered the list) still pairs by name
    moved = match_authorships(
        [(0, "Ana Ribeiro"), (1, "Bo Li")], [oa(0, "Bo Li"), oa(1, "Ana Ribeiro")]
    )
    assert [(p, a.author) for p, a in moved] == [(0, "A1"), (1, "A0")]
    # two "Y. Liu" candidates for one "Yang Liu" at no matching place: left unpaired
    assert match_authorships([(5, "Yang Liu")], [oa(0, "Y. Liu"), oa(1, "Yu Liu")]) == []


# --- the snapshot route on the real graph -------------------------------------------------

PAPERS = [
    paper(1, ["Qizhen Zhang", "Ana Ribeiro"], year=2021),
    paper(2, ["Qizhen Zhang", "Wei Chen"], year=2023),
    paper(3, ["Ana Ribeiro", "Wei Chen"], year=2024),
    paper(4, ["Marta Kowalska"], year=2024),  # OpenAlex does not know this one
]


def works() -> list[dict[str, Any]]:
    return [
        # paper 3 first: it cites paper 1 and 2, written later in the same load
        work(
            "2001.00003",
            103,
            [("Ana Ribeiro", "A5002", [ETH]), ("Wei Chen", "A5003", [])],
            cited=3,
            refs=(101, 102),
            year=2024,
        ),
        work(
            "2001.00001",
            101,
            [("Q. Zhang", "A5001", [MIT]), ("Ana Ribeiro", "A5002", [MIT])],
            cited=40,
            year=2021,
        ),
        work(
            "2001.00002",
            102,
            [("Qizhen Zhang", "A5001", [ETH]), ("Wei Chen", "A5003", [ETH])],
            cited=12,
            refs=(101,),
            year=2023,
        ),
        work("9999.00001", 900, [("Someone Else", "A9", [])]),  # arXiv, not in the graph
        work("2001.00001", 901, [("Q. Zhang", "A5001", [])], doi=False) | {"locations": []},
    ]


def authors() -> list[dict[str, Any]]:
    return [
        author("A5001", "Qizhen Zhang", h_index=25),
        author("A5002", "Ana Ribeiro", 7),
        author("A5003", "Wei Chen", 3),
        author("A9", "Someone Else", 1),
    ]


@pytest.fixture
def openalex_dir(tmp_path: Path) -> Path:
    return write_snapshot(tmp_path / "openalex", works(), authors())


def run(settings: Settings, db: neo4j.Driver, directory: Path, **kw: Any):
    return openalex_snapshot.load(settings.with_(batch_size=2), db, directory, progress=False, **kw)


def test_snapshot_route_writes_citations_institutions_and_figures(
    db: neo4j.Driver, settings: Settings, openalex_dir: Path
) -> None:
    load(db, PAPERS)
    report = run(settings, db, openalex_dir)
    assert report.works_read == 5 and report.works_matched == 3
    assert [r.where for r in report.rejects] == ["2001.00004"]
    assert "no work in the OpenAlex snapshot" in report.rejects[0].reason
    got = {
        r["id"]: r
        for r in rows(
            db,
            """
        MATCH (p:Paper) RETURN p.arxivId AS id, p.openalexId AS w, p.citations AS cited,
          p.citationYears AS years, p.citationCounts AS counts,
          COLLECT { MATCH (p)-[:CITES]->(q) RETURN q.arxivId ORDER BY q.arxivId } AS cites""",
        )
    }
    assert got["2001.00001"] | {"cites": []} == {
        "id": "2001.00001",
        "w": "W101",
        "cited": 40,
        "years": [2024, 2025],
        "counts": [20, 20],
        "cites": [],
    }
    assert got["2001.00003"]["cites"] == ["2001.00001", "2001.00002"]  # cited later in the load
    assert got["2001.00002"]["cites"] == ["2001.00001"]
    assert got["2001.00004"]["w"] is None and report.citations_linked == 3
    qz = rows(
        db,
        """
        MATCH (a:Author {key: 'qizhen-zhang'})
        RETURN a.openalexId AS id, a.orcid AS orcid, a.openalexHIndex AS h,
          a.openalexI10Index AS i10, a.openalexCitationYears AS years, a.nameAlternatives AS alt,
          COLLECT { MATCH (a)-[f:AFFILIATED_WITH]->(i) RETURN [i.name, i.ror, i.country,
            f.firstYear, f.lastYear] ORDER BY i.name } AS places,
          COLLECT { MATCH (a)-[r:AUTHORED]->(p) RETURN [p.arxivId, r.openalexAuthor,
            r.institutions] ORDER BY p.arxivId } AS authored""",
    )[0]
    assert qz["id"] == "A5001" and qz["orcid"] == "0000-0002-0000-5001"
    assert (qz["h"], qz["i10"], qz["years"]) == (25, 24, [2024, 2025])
    assert "Zhang, Qizhen" in qz["alt"]
    assert qz["places"] == [
        ["ETH Zurich", "https://ror.org/05a28rw58", "CH", 2023, 2023],
        ["Massachusetts Institute of Technology", "https://ror.org/042nb2s44", "US", 2021, 2021],
    ]
    assert qz["authored"] == [
        ["2001.00001", "A5001", ["massachusetts-institute-of-technology"]],
        ["2001.00002", "A5001", ["eth-zurich"]],
    ]
    assert value(db, "MATCH (a:Author {key: 'marta-kowalska'}) RETURN a.openalexId") is None
    assert (
        value(
            db,
            "MATCH (n) WHERE n.citesPending OR n.newlyMatched OR n.openalexPending RETURN count(n)",
        )
        == 0
    )


def test_rerun_adds_nothing_and_a_killed_run_resumes(
    db: neo4j.Driver, settings: Settings, openalex_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(db, PAPERS)
    run(settings, db, openalex_dir)
    whole, exact = content(db), snapshot(db)
    again = run(settings, db, openalex_dir)
    assert snapshot(db) == exact and again.resumed_after is None

    db.execute_query("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n")
    load(db, PAPERS)
    revive = dies_on_batch(monkeypatch, 2)
    with pytest.raises(RuntimeError, match="killed"):
        run(settings, db, openalex_dir)
    revive()
    resumed = run(settings, db, openalex_dir)
    assert resumed.resumed_after == "works data/works/updated_date=2026-11-20/part_000.gz line 2"
    assert resumed.works_read == 3  # the two lines of the committed batch are not read again
    assert content(db) == whole


def test_openalex_ids_regroup_namesakes_but_a_human_decision_wins(
    db: neo4j.Driver, settings: Settings, tmp_path: Path
) -> None:
    # Two Wei Zhangs kg cannot tell apart on arXiv metadata (no shared co-authors, one field)
    # are two OpenAlex authors; papers 1 and 2 belong to A7001, paper 3 to A7002.
    records = [
        paper(1, ["Wei Zhang", "Ann Lee"]),
        paper(2, ["Wei Zhang", "Bo Ma"]),
        paper(3, ["Wei Zhang", "Cy Ng"]),
    ]
    load(db, records)
    assert value(db, "MATCH (a:Author {nameKey: 'wei-zhang'}) RETURN count(a)") == 1
    objects = [
        work("2001.00001", 1, [("Wei Zhang", "A7001", []), ("Ann Lee", None, [])]),
        work("2001.00002", 2, [("Wei Zhang", "A7001", []), ("Bo Ma", None, [])]),
        work("2001.00003", 3, [("Wei Zhang", "A7002", []), ("Cy Ng", None, [])]),
    ]
    directory = write_snapshot(tmp_path / "oa", objects, [author("A7001", "Wei Zhang", 9)])
    report = run(settings, db, directory)
    people = rows(
        db,
        """
        MATCH (a:Author {nameKey: 'wei-zhang'})
        RETURN a.key AS key, a.openalexId AS id, a.identityNotes AS notes,
          COLLECT { MATCH (a)-[r:AUTHORED]->(p) RETURN [p.arxivId, r.assignedBy]
                    ORDER BY p.arxivId } AS works
        ORDER BY key""",
    )
    assert [(p["id"], [w[0] for w in p["works"]]) for p in people] == [
        ("A7001", ["2001.00001", "2001.00002"]),
        ("A7002", ["2001.00003"]),
    ]
    assert people[0]["works"][1][1] == "external" and report.people_regrouped == 1
    assert all(p["notes"] is None for p in people)
    assert value(db, "MATCH (a:Author {openalexId: 'A7001'}) RETURN a.openalexHIndex") == 9
    # A curator puts paper 3 back: the human decision stands through another OpenAlex load,
    # and the record says where OpenAlex disagrees.
    main, other = people[0]["key"], people[1]["key"]
    curation.merge(db, main, [other], "curator", "same person, I checked", max_authors=MAX)
    run(settings, db, directory)
    after = rows(
        db,
        """
        MATCH (a:Author {nameKey: 'wei-zhang'})
        RETURN a.key AS key, a.identityNotes AS notes, COUNT { (a)-[:AUTHORED]->() } AS works""",
    )
    assert [(p["key"], p["works"]) for p in after] == [(main, 3)]
    assert len(after[0]["notes"]) == 1
    assert after[0]["notes"][0].startswith("OpenAlex splits these works among 2 authors: A7001")


CITES = "MATCH (p)-[:CITES]->(q) RETURN p.arxivId + '>' + q.arxivId AS edge ORDER BY edge"


@pytest.mark.parametrize("later", [["2001.00001"], ["2001.00001", "2001.00002"]])
def test_a_paper_matched_later_gets_the_citations_of_earlier_ones(
    db: neo4j.Driver, settings: Settings, tmp_path: Path, later: list[str]
) -> None:
    """Paper 3 (matched first) cites 1 and 2. Matching one paper later goes through the
    references index, matching two (more than were matched before) reads paper 3's list:
    both end with every edge."""
    load(db, PAPERS)
    by_id = {arxiv_id_of(w): w for w in works() if w["doi"].startswith("https://doi.org/10.48")}
    run(settings, db, write_snapshot(tmp_path / "a", [by_id["2001.00003"]], []))
    assert [r["edge"] for r in rows(db, CITES)] == []
    run(settings, db, write_snapshot(tmp_path / "b", [by_id[i] for i in later], []))
    every = ["2001.00002>2001.00001", "2001.00003>2001.00001", "2001.00003>2001.00002"]
    assert [r["edge"] for r in rows(db, CITES)] == (
        every if len(later) == 2 else ["2001.00003>2001.00001"]
    )
    rest = sorted({"2001.00001", "2001.00002"} - set(later))
    run(settings, db, write_snapshot(tmp_path / "c", [by_id[i] for i in rest], []))
    assert [r["edge"] for r in rows(db, CITES)] == [
        "2001.00002>2001.00001",
        "2001.00003>2001.00001",
        "2001.00003>2001.00002",
    ]
