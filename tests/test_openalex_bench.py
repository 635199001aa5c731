"""The synthetic OpenAlex snapshot matches its arXiv corpus, in OpenAlex's layout and shapes;
no server needed. (The end-to-end bench calls `kg.bench.openalex.measure_snapshot_load`.)"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from kg.bench.openalex_corpus import OUTSIDE_BASE, WORK_BASE, write_openalex_snapshot
from kg.bench.synthetic import generate

PAPERS = 300
W = re.compile(r"^https://openalex\.org/W(\d+)$")
A = re.compile(r"^https://openalex\.org/A\d+$")
ORCID = re.compile(r"^https://orcid\.org/\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")


def lines(directory: Path, entity: str) -> list[dict[str, Any]]:
    records = []
    for part in sorted((directory / "data" / entity).glob("updated_date=*/part_*.gz")):
        with gzip.open(part, "rt", encoding="utf-8") as f:
            records += [json.loads(line) for line in f]
    return records


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    path = tmp_path_factory.mktemp("oa") / "arxiv.jsonl.gz"
    generate(path, PAPERS, seed=3, workers=1)
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return path, [json.loads(line) for line in f]


@pytest.fixture(scope="module")
def snapshot(corpus: tuple[Path, list[dict[str, Any]]]) -> Path:
    out = corpus[0].parent / "openalex"
    write_openalex_snapshot(corpus[0], out, seed=3, part_lines=100)
    return out


def arxiv_id_of(work: dict[str, Any]) -> str | None:
    """The arXiv id a loader finds in a work: its DOI, else an arXiv location."""
    doi = (work["doi"] or "").lower()
    if doi.startswith("https://doi.org/10.48550/arxiv."):
        return doi.removeprefix("https://doi.org/10.48550/arxiv.")
    for place in work["locations"]:
        url = place["landing_page_url"] or ""
        if url.startswith("https://arxiv.org/abs/"):
            return url.removeprefix("https://arxiv.org/abs/")
    return None


def test_every_paper_but_a_few_has_one_work(corpus, snapshot):
    papers = corpus[1]
    found = Counter(arxiv_id_of(w) for w in lines(snapshot, "works"))
    missing = [p["id"] for p in papers if found[p["id"]] == 0]
    assert all(found[p["id"]] <= 1 for p in papers)
    assert 0 < len(missing) <= 0.06 * len(papers)  # 2% expected: a few of 300
    by_doi = Counter(w["doi"] for w in lines(snapshot, "works") if "10.48550" in (w["doi"] or ""))
    assert all(n == 1 for n in by_doi.values())
    for work in lines(snapshot, "works"):
        if work["doi"] and "10.48550" in work["doi"]:
            aid = arxiv_id_of(work)
            assert work["doi"] == f"https://doi.org/10.48550/arxiv.{aid}".lower()
            assert work["primary_location"]["landing_page_url"] == f"https://arxiv.org/abs/{aid}"


def test_works_have_the_fields_a_loader_reads(snapshot):
    works = lines(snapshot, "works")
    for work in works:
        assert W.match(work["id"])
        assert isinstance(work["cited_by_count"], int)
        years = [c["year"] for c in work["counts_by_year"]]
        assert years == sorted(years, reverse=True)
        assert sum(c["cited_by_count"] for c in work["counts_by_year"]) <= work["cited_by_count"]
        assert re.match(r"^\d{4}-\d{2}-\d{2}T", work["updated_date"])
        for authorship in work["authorships"]:
            assert A.match(authorship["author"]["id"])
            assert authorship["raw_author_name"]
            orcid = authorship["author"]["orcid"]
            assert orcid is None or ORCID.match(orcid)
            assert len(authorship["raw_affiliation_strings"]) == len(authorship["institutions"])
            for inst in authorship["institutions"]:
                assert set(inst) >= {"id", "display_name", "ror", "country_code", "type"}
    assert any(a["institutions"] for w in works for a in w["authorships"])
    assert any(a["author"]["orcid"] for w in works for a in w["authorships"])
    assert (
        max(w["cited_by_count"] for w in works)
        > 10 * sorted(w["cited_by_count"] for w in works)[len(works) // 2]
    )  # skewed


def test_noise_works_are_not_arxiv(snapshot):
    noise = [w for w in lines(snapshot, "works") if arxiv_id_of(w) is None]
    assert 0.1 < len(noise) / len(lines(snapshot, "works")) < 0.3
    for work in noise:
        assert work["doi"] and "10.48550" not in work["doi"]
        assert all("arxiv.org" not in (p["landing_page_url"] or "") for p in work["locations"])


def test_references_point_at_works_or_outside(snapshot):
    works = lines(snapshot, "works")
    ids = {w["id"] for w in works}
    inside = outside = 0
    for work in works:
        refs = work["referenced_works"]
        assert work["referenced_works_count"] == len(refs) == len(set(refs))
        for ref in refs:
            number = int(W.match(ref).group(1))  # type: ignore[union-attr]
            if number >= WORK_BASE:
                assert ref in ids
                inside += 1
            else:
                assert OUTSIDE_BASE <= number < WORK_BASE
                outside += 1
    assert inside > outside > 0
    arxiv = [w for w in works if arxiv_id_of(w)]
    assert all(5 <= len(w["referenced_works"]) <= 40 for w in arxiv)


def test_an_author_record_for_every_author_id(snapshot):
    used = {a["author"]["id"] for w in lines(snapshot, "works") for a in w["authorships"]}
    authors = {a["id"]: a for a in lines(snapshot, "authors")}
    assert set(authors) == used
    moved = 0
    for author in authors.values():
        stats = author["summary_stats"]
        assert 0 <= stats["h_index"] <= author["works_count"]
        assert stats["i10_index"] <= author["works_count"]
        assert isinstance(stats["2yr_mean_citedness"], float)
        assert author["display_name"] in author["display_name_alternatives"]
        moved += len(author["affiliations"]) > 1
        for place in author["affiliations"]:
            assert place["years"] and place["institution"]["id"].startswith("https://openalex")
    assert moved > 0  # people change institution over the years


def test_manifests_list_every_part(snapshot):
    for entity in ("works", "authors"):
        manifest = json.loads((snapshot / "data" / entity / "manifest").read_text())
        parts = sorted((snapshot / "data" / entity).glob("updated_date=*/part_*.gz"))
        urls = [e["url"] for e in manifest["entries"]]
        assert urls == [f"s3://openalex/{p.relative_to(snapshot).as_posix()}" for p in parts]
        assert manifest["meta"]["record_count"] == len(lines(snapshot, entity))
        assert all(
            e["meta"]["content_length"] == p.stat().st_size
            for e, p in zip(manifest["entries"], parts, strict=True)
        )


def test_same_seed_same_bytes(corpus, snapshot, tmp_path):
    again = tmp_path / "again"
    write_openalex_snapshot(corpus[0], again, seed=3, part_lines=100)
    first = {
        p.relative_to(snapshot): p.read_bytes()
        for p in (snapshot / "data").rglob("*")
        if p.is_file()
    }
    second = {
        p.relative_to(again): p.read_bytes() for p in (again / "data").rglob("*") if p.is_file()
    }
    assert first == second
    other = tmp_path / "other"
    write_openalex_snapshot(corpus[0], other, seed=4, part_lines=100)
    assert lines(other, "works") != lines(snapshot, "works")


@pytest.mark.neo4j
def test_bench_measures_the_snapshot_route_end_to_end(corpus, snapshot, db, settings) -> None:
    """The benchmark's measured load on the test graph: the generator's snapshot matches
    every paper it kept, references become CITES edges, author records find their people."""
    from kg.bench.openalex import measure_snapshot_load
    from loaders import snapshot as arxiv_snapshot

    arxiv_snapshot.load(settings, db, corpus[0], progress=False)
    kept = {arxiv_id_of(w) for w in lines(snapshot, "works")} - {None}
    figures = measure_snapshot_load(settings, snapshot)
    assert figures.works_matched == len(kept) == PAPERS - figures.unmatched
    assert figures.works_read == len(lines(snapshot, "works"))
    assert figures.papers_with_citations == len(kept) and figures.cites > 0
    assert 0 < figures.authors_with_h_index <= figures.authors_matched
    assert figures.peak_rss_mb > 0 and set(figures.phases) == {
        "works",
        "citations",
        "people",
        "authors",
    }
    assert f"{figures.works_matched:,}" in figures.summary()


def test_one_person_however_the_name_is_spelled(corpus, tmp_path) -> None:
    """Spellings of one name key are one OpenAlex author, as they are one person in a
    `kg bench gen` corpus: otherwise the snapshot would tell kg to split people."""
    from kg.core.names import author_key

    with gzip.open(corpus[0], "rt", encoding="utf-8") as f:
        first, second = (json.loads(next(f)) for _ in range(2))
    last, given = first["authors_parsed"][0][:2]
    second["authors_parsed"][0] = [last.upper(), given, ""]  # same key, another spelling
    variant = tmp_path / "variant.jsonl.gz"
    with gzip.open(variant, "wt", encoding="utf-8") as out:
        out.writelines(json.dumps(p) + "\n" for p in (first, second))
    out_dir = tmp_path / "oa"
    write_openalex_snapshot(variant, out_dir, seed=3, noise_share=0.0)
    ids = {
        author_key(a["raw_author_name"]): a["author"]["id"]
        for w in lines(out_dir, "works")
        for a in w["authorships"][:1]
    }
    assert len({author_key(f"{given} {last}")} & set(ids)) == 1
    assert (
        len({a["author"]["id"] for w in lines(out_dir, "works") for a in w["authorships"][:1]}) == 1
    )
