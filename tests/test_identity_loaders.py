"""Who is who, as the loaders decide it: the rules on their own, then both load paths on
the real Neo4j (namesakes told apart, new evidence joining records, human decisions kept).
"""

from __future__ import annotations

import csv
from pathlib import Path

import neo4j
import pytest

from kg.curation import identity as curation
from loaders import bulk_csv, identity
from loaders.graph_writer import write_batch
from loaders.identity import Clue
from loaders.records import PaperRecord
from loaders.settle import settle
from tests.helpers import coauthors, paper, rows, value

MAX = 100


CIRCLES = {  # three people called Wei Zhang, each with their own co-authors and field
    "ml": (["Alice Kim", "Bob Ray"], "cs.LG"),
    "hep": (["Carl Dorn", "Dana Fox"], "hep-th"),
    "math": (["Eve Gold", "Finn Hale"], "math.CO"),
}


def circle_papers(start: int, circle: str) -> list[PaperRecord]:
    """Three papers of one Wei Zhang: with both co-authors, and with each of them."""
    (a, b), category = CIRCLES[circle]
    teams = [[a, b], [a], [b]]
    return [
        paper(start + i, ["Wei Zhang", *team], category, 2018 + i) for i, team in enumerate(teams)
    ]


NAMESAKES = circle_papers(1, "ml") + circle_papers(11, "hep") + circle_papers(21, "math")


def load(db: neo4j.Driver, records: list[PaperRecord], batch: int = 4) -> None:
    for start in range(0, len(records), batch):
        write_batch(db, records[start : start + batch], MAX)
    settle(db, MAX)


def people(db: neo4j.Driver, name_key: str) -> dict[str, list[str]]:
    """Record key -> its papers, for the records found under a name."""
    found = rows(
        db,
        "MATCH (a:Author {nameKey: $n})-[:AUTHORED]->(p) "
        "RETURN a.key AS key, collect(p.arxivId) AS papers",
        n=name_key,
    )
    return {r["key"]: sorted(r["papers"]) for r in found}


def test_resolve_splits_namesakes_by_their_co_authors():
    evidence = [
        (("alice-kim",), "cs.LG"),
        (("alice-kim", "bob-ray"), "cs.LG"),
        (("carl-dorn",), "hep-th"),
        (("carl-dorn",), "hep-th"),
        (("eve-gold",), "math.CO"),
        (("eve-gold",), "math.CO"),
        ((), "cs.LG"),
        ((), "q-bio.NC"),
    ]
    clues = [
        Clue(f"p{number}", 1, 2020, (category,), coauthors)
        for number, (coauthors, category) in enumerate(evidence)
    ]
    found = identity.resolve("wei-zhang", clues, lambda _: 1.0)
    groups = sorted(sorted(clues[i].paper for i in members) for members in found.people)
    assert groups == [["p0", "p1", "p6"], ["p2", "p3"], ["p4", "p5"], ["p7"]]
    by = {clues[i].paper: found.decisions[i] for i in range(len(clues))}
    assert (by["p1"].by, by["p1"].reason) == ("coauthors", "alice-kim")
    assert (by["p6"].by, by["p6"].reason) == ("field", "cs.LG")  # the only one in cs.LG
    assert by["p7"].by == "new"  # nobody of that name in q-bio: a record of its own


def test_resolve_keeps_a_rare_name_whole_on_thin_evidence():
    clues = [
        Clue("p1", 1, 2019, ("cs.DB",), ("ann-lee",)),
        Clue("p2", 1, 2020, ("cs.DB",), ("ann-lee",)),
        Clue("p3", 1, 2021, ("cs.DB",), ("tom-ng",)),
        Clue("p4", 1, 2022, ("stat.ML",), ()),
    ]
    found = identity.resolve("zihang-liu", clues, lambda _: 1.0)
    assert found.people == [[0, 1, 2, 3]]
    assert [d.by for d in found.decisions] == ["name", "coauthors", "name", "name"]


def test_resolve_discounts_common_co_author_names():
    """Sharing a "Yang Liu" says little: two such authorships stay apart."""
    clues = [
        Clue("p1", 1, 2020, ("cs.LG",), ("yang-liu",)),
        Clue("p2", 1, 2020, ("cs.LG",), ("yang-liu",)),
    ]
    common = identity.co_author_weight(3000)
    assert common < identity.LINK
    apart = identity.resolve(
        "wei-zhang", clues + _ambiguity(), lambda k: common if k == "yang-liu" else 1.0
    )
    assert not any({0, 1} <= set(members) for members in apart.people)
    together = identity.resolve("wei-zhang", clues + _ambiguity(), lambda k: 1.0)
    assert any({0, 1} <= set(members) for members in together.people)


def _ambiguity() -> list[Clue]:
    """Three established namesakes elsewhere: the name is several people."""
    return [
        Clue(f"q{n}{i}", 1, 2020, (cat,), (f"friend-{n}",))
        for n, cat in enumerate(["hep-th", "math.CO", "q-bio.NC"])
        for i in range(2)
    ]


def test_resolve_honours_pins_and_apart_records():
    clues = [
        Clue("p1", 1, 2020, ("cs.LG",), ("alice-kim",), pinned="wz-a", record="wz-a"),
        Clue("p2", 1, 2020, ("cs.LG",), ("alice-kim",), record="wz-b"),
        Clue("p3", 1, 2020, ("cs.LG",), ("alice-kim",), pinned="wz-b", record="wz-b"),
    ]
    found = identity.resolve("wei-zhang", clues, lambda _: 1.0)
    # two pinned records never join, whatever they share
    assert sorted(found.pinned, key=str) == ["wz-a", "wz-b"]
    split = identity.resolve("wei-zhang", clues[:2], lambda _: 1.0, apart=[("wz-a", "wz-b")])
    assert len(split.people) == 2  # a curator said these records are two people


def test_namesakes_become_people_and_coauthor_edges_follow_them(db):
    load(db, NAMESAKES)
    found = people(db, "wei-zhang")
    assert sorted(found.values()) == [
        ["2001.00001", "2001.00002", "2001.00003"],
        ["2001.00011", "2001.00012", "2001.00013"],
        ["2001.00021", "2001.00022", "2001.00023"],
    ]
    assert "wei-zhang" in found  # the first person keeps the bare name key
    ml = next(k for k, ps in found.items() if "2001.00001" in ps)
    assert coauthors(db, ml) == {"alice-kim": 2, "bob-ray": 2}  # not Carl's or Eve's
    hep = next(k for k, ps in found.items() if "2001.00011" in ps)
    assert hep == "wei-zhang--2001.00011"
    assert coauthors(db, hep) == {"carl-dorn": 2, "dana-fox": 2}
    why = rows(
        db,
        "MATCH (:Author {key: $k})-[r:AUTHORED]->(p) RETURN p.arxivId AS p, r.assignedBy AS by, "
        "r.reason AS reason ORDER BY p",
        k=hep,
    )
    assert [(r["by"], r["reason"]) for r in why][1:] == [
        ("coauthors", "carl-dorn"),
        ("coauthors", "dana-fox"),
    ]
    # a thin paper in cs.LG goes to the only Wei Zhang there, one in q-bio to nobody
    load(db, [paper(31, ["Wei Zhang"], "cs.LG"), paper(32, ["Wei Zhang"], "q-bio.NC")])
    found = people(db, "wei-zhang")
    assert "2001.00031" in found[ml]
    assert found["wei-zhang--2001.00032"] == ["2001.00032"]


def test_both_load_paths_place_authorships_alike(db, tmp_path: Path):
    records = [*NAMESAKES, paper(31, ["Wei Zhang"], "cs.LG"), paper(32, ["Wei Zhang"], "q-bio.NC")]
    load(db, records, batch=2)
    graph = {
        (r["p"], r["name"]): (r["key"], r["by"])
        for r in rows(
            db,
            "MATCH (a:Author)-[r:AUTHORED]->(p) "
            "RETURN p.arxivId AS p, r.nameAsWritten AS name, a.key AS key, r.assignedBy AS by",
        )
    }
    bulk_csv.write_csv(iter(records), tmp_path, MAX)
    with (tmp_path / "authored.csv").open(newline="", encoding="utf-8") as f:
        bulk = {(p, name): (key, by) for key, p, _, name, _, by, _ in csv.reader(f)}
    assert bulk == graph


def test_new_evidence_joins_two_records_and_the_old_id_redirects(db):
    split_circle = [  # Wei Zhang of cs.LG, seen first with Alice only, then with Bob only
        paper(1, ["Wei Zhang", "Alice Kim"], "cs.LG", 2018),
        paper(2, ["Wei Zhang", "Alice Kim"], "cs.LG", 2019),
        paper(3, ["Wei Zhang", "Bob Ray"], "cs.LG", 2019),
        paper(4, ["Wei Zhang", "Bob Ray"], "cs.LG", 2020),
    ]
    load(db, split_circle + circle_papers(11, "hep") + circle_papers(21, "math"))
    before = people(db, "wei-zhang")
    assert len(before) == 4
    bob_record = next(k for k, ps in before.items() if "2001.00003" in ps)
    load(db, [paper(5, ["Wei Zhang", "Alice Kim", "Bob Ray"], "cs.LG", 2021)])
    after = people(db, "wei-zhang")
    assert len(after) == 3
    joined = next(k for k, ps in after.items() if "2001.00001" in ps)
    assert after[joined] == [f"2001.0000{n}" for n in range(1, 6)]
    assert coauthors(db, joined) == {"alice-kim": 3, "bob-ray": 3}
    assert value(db, "MATCH (a:Author {key: $k}) RETURN count(a)", k=bob_record) == 0
    assert (
        value(
            db,
            "MATCH (:AuthorRedirect {key: $old})-[:MOVED_TO]->(a:Author) RETURN a.key",
            old=bob_record,
        )
        == joined
    )


@pytest.mark.parametrize("verified", [False, True])
def test_a_verified_record_is_never_split_by_a_reload(db, verified: bool):
    two_fields = circle_papers(1, "ml") + circle_papers(11, "hep")
    load(db, two_fields)
    assert list(people(db, "wei-zhang")) == ["wei-zhang"]  # not yet evidence of two people
    if verified:
        db.execute_query(
            "MATCH (a:Author {key: 'wei-zhang'}) "
            "CREATE (:User {id: 'wz'})-[:CLAIMS {status: 'VERIFIED'}]->(a)"
        )
    load(db, circle_papers(21, "math"))
    found = people(db, "wei-zhang")
    if verified:  # the owner's record keeps every work it had; the newcomer is apart
        assert found["wei-zhang"] == sorted(p.arxiv_id for p in two_fields)
        assert len(found) == 2
    else:  # the third field made the name ambiguous: three people
        assert len(found) == 3


def test_a_curators_split_survives_reloads(db):
    load(db, circle_papers(1, "ml"))
    event = curation.split(db, "wei-zhang", ["2001.00003"], "curator", "not the same person")
    new = event.created
    assert new is not None
    load(db, [paper(4, ["Wei Zhang", "Alice Kim", "Bob Ray"], "cs.LG", 2021)])
    load(db, circle_papers(1, "ml"))  # the same papers again
    found = people(db, "wei-zhang")
    assert found[new] == ["2001.00003"]
    assert "2001.00003" not in found["wei-zhang"]


def test_a_curators_merge_survives_reloading_its_papers(db):
    papers = [
        paper(1, ["Zihang Liu", "Alice Kim"], "cs.CL"),
        paper(2, ["Z. Liu", "Alice Kim"], "cs.CL"),
    ]
    load(db, papers)
    assert people(db, "z-liu") == {"z-liu": ["2001.00002"]}  # initials: a name of their own
    curation.merge(db, "zihang-liu", ["z-liu"], "curator", "Z. Liu is Zihang Liu here")
    load(db, papers)  # a refresh brings the same papers again
    assert people(db, "zihang-liu") == {"zihang-liu": ["2001.00001", "2001.00002"]}
    assert people(db, "z-liu") == {}
    assert coauthors(db, "zihang-liu") == {"alice-kim": 2}
