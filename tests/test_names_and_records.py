"""Author keys and record validation: pure functions, no server needed."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from kg.core.names import author_key, clean_name, institution_key, institution_name
from loaders import snapshot
from loaders.records import RejectedRecord, make_record, split_arxiv_id, topic_label


@pytest.mark.parametrize(
    "written",
    ["Zihang Liu", "ZIHANG  LIU", "Liu, Zihang", "  Zíhang   Liu ", "zihang liu"],
)
def test_spellings_of_one_name_share_a_key(written):
    assert author_key(written) == "zihang-liu"


def test_initials_and_other_given_names_get_other_keys():
    keys = {author_key(n) for n in ("Zihang Liu", "Zhengzhong Liu", "Z. Liu", "Z Liu")}
    assert keys == {"zihang-liu", "zhengzhong-liu", "z-liu"}


def test_suffix_after_comma_is_not_read_as_a_first_name():
    assert clean_name("John Smith, Jr.") == "John Smith, Jr."
    assert clean_name("Smith, John") == "John Smith"


def test_unicode_dashes_and_non_latin_names():
    assert author_key("Jean\u2013Pierre Dupont") == author_key("Jean-Pierre Dupont")
    assert author_key("Jean-Pierre Dupont") == "jean-pierre-dupont"
    assert author_key("王小明") == "王小明"


def test_institution_names_keep_their_commas():
    assert institution_name(" University of California,  Berkeley") == (
        "University of California, Berkeley"
    )
    assert institution_key("Université Paris-Saclay") == "universite-paris-saclay"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("http://arxiv.org/abs/2101.00001v2", ("2101.00001", 2)),
        ("2101.00001", ("2101.00001", None)),
        ("http://arxiv.org/abs/0704.0001v1", ("0704.0001", 1)),
        ("http://arxiv.org/abs/hep-th/9901001v3", ("hep-th/9901001", 3)),
        ("math.GT/0309136", ("math.GT/0309136", None)),
    ],
)
def test_arxiv_ids(raw, expected):
    assert split_arxiv_id(raw) == expected


@pytest.mark.parametrize("raw", ["", "http://arxiv.org/abs/not-an-id", "2101.1"])
def test_bad_arxiv_ids_are_rejected(raw):
    with pytest.raises(RejectedRecord, match="unrecognised arXiv id"):
        split_arxiv_id(raw)


def test_topic_labels():
    assert [topic_label(c) for c in ("cs.LG", "quant-ph", "astro-ph.GA", "math.CO")] == [
        "LG",
        "quant-ph",
        "GA",
        "CO",
    ]


def _record(**changes):
    fields = dict(
        raw_id="2101.00001v1",
        title="T",
        abstract="A",
        published=date(2021, 1, 1),
        updated=None,
        primary_category="cs.LG",
        categories=["cs.LG"],
        authors=[("Ann Bee", [])],
    )
    fields.update(changes)
    return make_record(**fields)


def test_a_name_listed_twice_is_one_author():
    rec = _record(authors=[("Ann Bee", []), ("Carl Dee", []), ("BEE, ANN", [])])
    assert [a.key for a in rec.authors] == ["ann-bee", "carl-dee"]


def test_primary_category_is_always_among_categories():
    assert _record(categories=["stat.ML"]).categories == ["cs.LG", "stat.ML"]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"title": "  "}, "empty title"),
        ({"authors": []}, "no authors"),
        ({"authors": [("Ann Bee", []), ("  ", [])]}, "author #2 has no name"),
        ({"published": None}, "no publication date"),
        ({"primary_category": "", "categories": []}, "no category"),
    ],
)
def test_invalid_records_say_why(changes, reason):
    with pytest.raises(RejectedRecord, match=reason):
        _record(**changes)


@pytest.mark.parametrize(
    ("first", "second", "updated"),
    [
        ("2024-03-01", "2024-03-05", datetime(2024, 3, 5, tzinfo=UTC)),
        ("2024-03-01T10:00:00Z", "2024-03-05T08:30:00Z", datetime(2024, 3, 5, 8, 30, tzinfo=UTC)),
        ("Fri, 1 Mar 2024 10:00:00 GMT", "2024-03-05", datetime(2024, 3, 5, tzinfo=UTC)),
    ],
)
def test_snapshot_version_dates_in_iso_or_rfc_2822(first, second, updated):
    doc = {
        "id": "2403.00001",
        "title": "Dates",
        "abstract": "About dates.",
        "categories": "cs.DB",
        "authors_parsed": [["Lee", "Fay", ""]],
        "versions": [{"version": "v2", "created": second}, {"version": "v1", "created": first}],
        "update_date": "2024-03-06",
    }
    record, _ = snapshot.to_record(doc)
    assert (record.version, record.published, record.updated) == (2, date(2024, 3, 1), updated)


def test_snapshot_version_date_that_is_neither_is_rejected():
    doc = {"id": "2403.00001", "versions": [{"version": "v1", "created": "early March"}]}
    with pytest.raises(RejectedRecord, match="unreadable version entry"):
        snapshot.to_record(doc)
