"""The synthetic snapshot generator: format, determinism and arXiv-like shape; no server needed."""

from __future__ import annotations

import gzip
import json
import re
import statistics
from collections import Counter
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest

from kg.bench import synthetic_papers
from kg.bench.synthetic import generate
from kg.bench.synthetic_names import MAX_POOL, author_name, written_name
from kg.bench.synthetic_vocab import CATEGORIES, monthly_counts
from kg.cli import main
from kg.core.names import author_key

FIELDS = [
    "id",
    "submitter",
    "authors",
    "title",
    "comments",
    "journal-ref",
    "doi",
    "report-no",
    "categories",
    "license",
    "abstract",
    "versions",
    "update_date",
    "authors_parsed",
]
OPTIONAL = {"comments", "journal-ref", "doi", "report-no", "license"}
RFC2822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [1-9]\d? "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$"
)
SAMPLE = 20_000


def read(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def full_name(parsed: list[str]) -> str:
    """The name as the snapshot loader builds it from `authors_parsed`."""
    last, first, suffix = parsed
    name = f"{first} {last}".strip()
    return f"{name}, {suffix}" if suffix else name


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    path = tmp_path_factory.mktemp("synthetic") / "sample.jsonl"
    stats = generate(path, SAMPLE, seed=0)
    papers = read(path)
    assert stats.papers == len(papers) == SAMPLE
    assert stats.authorships == sum(len(p["authors_parsed"]) for p in papers)
    assert stats.max_authors == max(len(p["authors_parsed"]) for p in papers)
    keys = {author_key(full_name(a)) for p in papers for a in p["authors_parsed"]}
    assert stats.authors == len(keys)
    return papers


def test_every_line_has_exactly_the_snapshot_fields_with_their_types(corpus):
    for paper in corpus:
        assert list(paper) == FIELDS
        for name in FIELDS:
            value = paper[name]
            if name in OPTIONAL and value is None:
                continue
            if name == "versions":
                assert isinstance(value, list) and value
                assert all(set(v) == {"version", "created"} for v in value)
            elif name == "authors_parsed":
                assert isinstance(value, list) and value
                assert all(
                    isinstance(a, list) and len(a) == 3 and all(isinstance(x, str) for x in a)
                    for a in value
                )
            else:
                assert isinstance(value, str) and value.strip(), (paper["id"], name)
        assert set(paper["categories"].split()) <= set(CATEGORIES)
        assert 1 <= len(paper["categories"].split()) <= 3


def test_ids_are_unique_ordered_and_match_the_first_version_date(corpus):
    ids = [p["id"] for p in corpus]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"\d{4}\.\d{4,5}", i) for i in ids)
    assert ids == sorted(ids, key=lambda i: (i[:4], int(i[5:])))
    for paper in corpus:
        created = [v["created"] for v in paper["versions"]]
        assert all(RFC2822.match(c) for c in created), created
        stamps = [parsedate_to_datetime(c) for c in created]
        assert stamps == sorted(stamps)
        assert [v["version"] for v in paper["versions"]] == [
            f"v{n}" for n in range(1, len(created) + 1)
        ]
        assert paper["id"][:4] == stamps[0].strftime("%y%m")
        assert paper["update_date"] == stamps[-1].date().isoformat()
    years = Counter(int(p["update_date"][:4]) for p in corpus)
    assert min(years) == 2007 and max(years) == 2026
    assert years[2025] > 3 * years[2008], "volume grows over time"


def test_authors_string_and_authors_parsed_agree(corpus):
    for paper in corpus:
        parsed = paper["authors_parsed"]
        written = re.split(r", | and ", paper["authors"])
        assert len(written) == len(parsed)
        assert written == [written_name(a) for a in parsed]
        assert paper["submitter"] in written


def test_authors_per_paper_are_heavy_tailed(corpus):
    counts = [len(p["authors_parsed"]) for p in corpus]
    assert 2.5 <= statistics.mean(counts) <= 5
    assert 2 <= statistics.median(counts) <= 4
    assert sum(c <= 6 for c in counts) / len(counts) > 0.8
    assert max(counts) > 50


def test_a_few_authors_write_many_papers_and_most_write_one_or_two(corpus):
    papers_by = Counter(author_key(full_name(a)) for p in corpus for a in p["authors_parsed"])
    counts = sorted(papers_by.values())
    assert counts[-1] >= 20 * statistics.median(counts)
    assert sum(c <= 2 for c in counts) / len(counts) > 0.5
    assert 0.5 * SAMPLE <= len(counts) <= SAMPLE


def test_a_smaller_author_pool_makes_the_same_papers_hub_heavy(tmp_path):
    plain, hubby = tmp_path / "plain.jsonl", tmp_path / "hubby.jsonl"
    generate(plain, 20000, seed=3)
    stats = generate(hubby, 20000, seed=3, authors=5000)
    works = {
        path: Counter(author_key(full_name(a)) for p in read(path) for a in p["authors_parsed"])
        for path in (plain, hubby)
    }
    assert len(read(hubby)) == 20000
    assert stats.authors == len(works[hubby]) <= 5000 + 20  # the pool, plus collaborations
    mean = {path: statistics.mean(c.values()) for path, c in works.items()}
    assert mean[hubby] > 2 * mean[plain]  # the same papers, over far fewer people


def test_an_author_pool_below_the_largest_roster_is_refused(tmp_path, capsys):
    out = tmp_path / "x.jsonl"
    assert main(["bench", "gen", "--papers", "100", "--authors", "100", "--out", str(out)]) == 2
    assert "--authors must be at least 5,000" in capsys.readouterr().err
    assert not out.exists()


def test_names_include_accents_and_suffixes(corpus):
    parsed = [a for p in corpus for a in p["authors_parsed"]]
    assert any(not full_name(a).isascii() for a in parsed)
    assert any(a[2] == "Jr." for a in parsed)


def test_text_fields_look_like_arxiv(corpus):
    with_code = [p for p in corpus if "Code: https://github.com/" in (p["comments"] or "")]
    assert 0.07 < len(with_code) / len(corpus) < 0.13
    assert all(p["abstract"].startswith("  ") and p["abstract"].endswith("\n") for p in corpus)
    assert all(len(line) <= 82 for p in corpus for line in p["abstract"].splitlines())
    primaries = Counter(p["categories"].split()[0] for p in corpus)
    assert primaries.most_common(1)[0][0] == "cs.LG"
    assert len(primaries) >= 35


def test_every_pool_index_has_its_own_author_key():
    sample = [*range(100_000), *range(MAX_POOL - 20_000, MAX_POOL)]
    sample += range(100_000, MAX_POOL - 20_000, 9973)
    keys = {author_key(full_name(list(author_name(i)))) for i in sample}
    assert len(keys) == len(sample)


def test_collaboration_papers_have_hundreds_of_distinct_authors():
    gen = synthetic_papers.PaperGenerator(1000, seed=3)
    named = 0
    for _ in range(30):
        name, members, cats = gen.collaboration()
        named += name is not None
        assert len(set(members)) == len(members) >= 499
        assert all(0 <= m < gen.pool for m in members)
        assert cats[0] in CATEGORIES
    assert 0 < named < 30


def test_same_seed_same_bytes_whatever_the_workers_other_seed_other_bytes(tmp_path):
    a, b, c = (tmp_path / f"{n}.jsonl.gz" for n in "abc")
    generate(a, 2000, seed=7, workers=1)
    generate(b, 2000, seed=7, workers=2)  # blocks made in other processes, same file
    generate(c, 2000, seed=8)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()
    assert not list(tmp_path.glob("*.part"))


def test_gzip_output_holds_the_same_lines_as_plain_output(tmp_path):
    plain, packed = tmp_path / "s.jsonl", tmp_path / "s.jsonl.gz"
    generate(plain, 1500, seed=2)
    stats = generate(packed, 1500, seed=2)
    assert packed.read_bytes()[:2] == b"\x1f\x8b"
    assert gzip.decompress(packed.read_bytes()) == plain.read_bytes()
    assert stats.bytes == packed.stat().st_size < plain.stat().st_size
    assert len(read(packed)) == 1500


def test_months_share_out_every_paper():
    for papers in (1, 999, 123_457):
        months = monthly_counts(papers)
        assert sum(n for _, _, n in months) == papers
    months = monthly_counts(1_000_000)
    assert months[0][:2] == (2007, 4)
    assert months[-1][:2] == (2026, 10)
    assert months[-1][2] > 4 * months[0][2]


def test_command_writes_the_default_file_and_prints_a_summary(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["bench", "gen", "--papers", "300", "--seed", "4", "--quiet"]) == 0
    assert len(read(tmp_path / "synthetic-300.jsonl.gz")) == 300
    out = capsys.readouterr().out
    assert "synthetic-300.jsonl.gz" in out and "300 papers" in out
    assert len(out.strip().splitlines()) == 1


def test_command_rejects_impossible_sizes(tmp_path, capsys):
    assert main(["bench", "gen", "--papers", "0", "--out", str(tmp_path / "x.jsonl")]) == 2
    assert main(["bench", "gen", "--papers", "50000000", "--out", str(tmp_path / "y.jsonl")]) == 2
    assert "kg: " in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_command_reports_an_unwritable_path(tmp_path, capsys):
    (tmp_path / "a-file").write_text("")
    out = str(tmp_path / "a-file" / "x.jsonl")  # a directory that cannot be made
    assert main(["bench", "gen", "--papers", "10", "--out", out]) == 1
    assert "cannot write" in capsys.readouterr().err


def test_command_makes_the_output_directory(tmp_path, capsys):
    out = tmp_path / "new" / "dir" / "x.jsonl"
    assert main(["bench", "gen", "--papers", "10", "--out", str(out)]) == 0
    assert len(out.read_text().splitlines()) == 10
