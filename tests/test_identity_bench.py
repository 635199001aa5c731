"""`kg bench identity`: the corpus of known people, and B-cubed scores of the graph."""

from __future__ import annotations

import gzip
import json
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


def test_the_score_of_a_name_keyed_graph(db, settings, tmp_path):
    """Name keys never split a person (recall 1) and merge namesakes (precision < 1)."""
    corpus, truth = tmp_path / "c.jsonl", tmp_path / "t.jsonl"
    identity_corpus.write(corpus, truth, 600, seed=5, common_share=0.3)
    snapshot.load(settings, db, corpus, progress=False)
    score = identity.score(db, settings.neo4j_database, identity_corpus.read_truth(truth))
    assert score.unmatched == 0
    assert score.recall == 1.0
    assert 0.3 < score.precision < 1.0
    name, people, _ = score.chimeras[0]
    assert people > 1 and tuple(name.split()[::-1]) in identity_corpus.COMMON_NAMES
    assert "B-cubed precision" in score.summary()
    assert json.dumps(score.splits) == "[]"
