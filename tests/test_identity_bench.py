"""`kg bench identity`: the corpus of known people, and B-cubed scores of the graph."""

from __future__ import annotations

import gzip
from collections import Counter

import pytest

from kg.bench import identity, identity_corpus
from loaders import snapshot
from loaders.pipeline import RejectLog


def test_bcubed_on_hand_worked_cases():
    perfect = [("a", 1), ("a", 1), ("b", 2)]
    assert identity.bcubed(perfect) == (1.0, 1.0, 3)
    merged = [("a", 1), ("a", 1), ("a", 2)]  # one researcher for two people
    precision, recall, _ = identity.bcubed(merged)
    assert precision == pytest.approx((2 / 3 * 2 + 1 / 3) / 3) and recall == 1.0
    split = [("a", 1), ("b", 1)]  # one person in two researchers
    assert identity.bcubed(split) == (1.0, 0.5, 2)


def test_the_corpus_is_loadable_and_its_truth_matches_it(tmp_path):
    corpus, truth = tmp_path / "c.jsonl.gz", tmp_path / "t.jsonl.gz"
    assert identity_corpus.write(corpus, truth, 2000, seed=3) == (2000, 5800)
    rejects = RejectLog()
    records = [r for _, r in snapshot.read(corpus, rejects)]
    assert len(records) == 2000 and len(rejects) == 0
    who = identity_corpus.read_truth(truth)
    for record in records:
        assert [a.written for a in record.authors] == list(
            dict.fromkeys(name for name, _ in who[record.arxiv_id])
        )
    people = Counter(p for authorships in who.values() for _, p in authorships)
    names = Counter(n for authorships in who.values() for n, _ in authorships)
    common = {f"{first} {last}" for last, first in identity_corpus.COMMON_NAMES}
    assert common <= set(names)  # the common names are there, each for many people
    assert max(people.values()) > 10  # and some people are prolific
    # the same seed writes the same bytes
    again = tmp_path / "again.jsonl.gz"
    identity_corpus.write(again, tmp_path / "t2.jsonl.gz", 2000, seed=3)
    assert gzip.decompress(again.read_bytes()) == gzip.decompress(corpus.read_bytes())


def test_the_graph_tells_namesakes_apart_better_than_name_keys(db, settings, tmp_path):
    """Name keys never split a person but merge namesakes; the loaders' people must keep
    nearly all of the recall and win back most of the precision."""
    corpus, truth = tmp_path / "c.jsonl", tmp_path / "t.jsonl"
    identity_corpus.write(corpus, truth, 2000, seed=5, common_share=0.3)
    who = identity_corpus.read_truth(truth)
    by_name = identity.bcubed((name, person) for team in who.values() for name, person in team)
    snapshot.load(settings, db, corpus, progress=False)
    score = identity.score(db, settings.neo4j_database, who)
    assert score.unmatched == 0
    assert by_name[1] > 0.99 and by_name[0] < 0.8  # the corpus does merge namesakes by name
    assert score.precision > by_name[0] + 0.1
    assert score.recall > 0.9
    name = score.chimeras[0][0]
    assert tuple(name.split()[::-1]) in identity_corpus.COMMON_NAMES
    assert "B-cubed precision" in score.summary()
