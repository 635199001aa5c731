"""A synthetic OpenAlex snapshot matching a synthetic arXiv corpus, for the snapshot-route bench.

Real layout, made-up data: DIR/data/works/updated_date=YYYY-MM-DD/part_NNN.gz and
DIR/data/authors/..., gzipped JSON lines of work and author objects shaped as OpenAlex's
(the fields the loader reads and the usual others), and a redshift-style `manifest` for each
entity, as in OpenAlex's S3 bucket. One work per arXiv paper, but for a share left out (OpenAlex
lacks some papers); some works carry the journal DOI and are only found by their arXiv
location (OpenAlex merges a preprint with its published version); non-arXiv works are mixed
in, which a loader must skip. Same seed, same bytes.

Streams the arXiv corpus once: a work is written as its paper is read. Only the people
aggregation grows (see `openalex_authors`); author records are written at the end.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import shutil
import time
import zlib
from dataclasses import asdict, dataclass
from functools import cache
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any, NamedTuple

from tqdm import tqdm

from kg.bench.openalex_authors import COLLABORATION_NAMES, People, author_id
from kg.bench.openalex_parts import SnapshotParts
from kg.bench.openalex_pool import (
    ARXIV_SOURCE,
    INSTITUTIONS,
    SNAPSHOT_YEAR,
    UPDATED_DATES,
    WINDOW,
    citations,
    counts_by_year,
    institution_of,
    mix,
    orcid,
    raw_affiliation,
    second_institution,
)
from kg.bench.synthetic_names import written_name
from kg.bench.synthetic_vocab import ADJECTIVES, NOUNS

WORK_BASE = 4_000_000_000
"""arXiv line n (from 0) is work W{WORK_BASE + n}, whether or not it is written."""
NOISE_BASE = 3_000_000_000
OUTSIDE_BASE = 2_000_000_000
"""Referenced works outside the corpus are W2xxxxxxxxx: ids with no work in the snapshot."""
LEFT_OUT = 200
"""Per 10,000 papers, those with no work (OpenAlex lacks them): 2%."""
MERGED_SHARE = 0.3
"""Of papers with a journal DOI, those whose work carries it instead of arXiv's DOI."""
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_string = encode_basestring
_INSTITUTIONS_JSON = [_encode(i) for i in INSTITUTIONS]


@cache
def _affiliation(raw: str, inst: int) -> str:
    return f'{{"raw_affiliation_string":{raw},"institution_ids":["{INSTITUTIONS[inst]["id"]}"]}}'


class _Authorships(NamedTuple):
    text: str
    """The authorship objects, JSON, comma separated."""
    countries: int
    institutions: int
    first: str | None


_W = "https://openalex.org/W"


def work_id(line: int) -> str:
    """The work id of arXiv line `line` (from 0): the same in every snapshot made from it."""
    return f"{_W}{WORK_BASE + line}"


def left_out(line: int, seed: int) -> bool:
    """Whether OpenAlex "lacks" the paper on `line`: a pure function, so references skip it."""
    return mix(seed ^ 0x1EAF, line) % 10_000 < LEFT_OUT


@dataclass
class OpenAlexCorpusStats:
    papers: int = 0
    """arXiv lines read."""
    works: int = 0
    """Works of arXiv papers written (papers minus left_out)."""
    left_out: int = 0
    merged: int = 0
    """arXiv works whose DOI is the journal's: matched only by their arXiv location."""
    noise: int = 0
    """Non-arXiv works written among them."""
    authors: int = 0
    authorships: int = 0
    references: int = 0
    references_in_corpus: int = 0
    """References to works of other arXiv lines of the corpus (all of which are written)."""
    bytes: int = 0
    seconds: float = 0.0

    def summary(self, out: Path) -> str:
        return (
            f"wrote {out}: {self.works:,} arXiv works ({self.left_out:,} papers left out, "
            f"{self.merged:,} under a journal DOI), {self.noise:,} other works, "
            f"{self.authors:,} authors, {self.references_in_corpus:,} of "
            f"{self.references:,} references inside the corpus; "
            f"{self.bytes / 1e6:,.1f} MB in {self.seconds:.1f}s"
        )


def _stamp(date: str, rnd: Any) -> str:
    return f"{date}T{int(rnd() * 24):02d}:{int(rnd() * 60):02d}:{int(rnd() * 60):02d}.000000"


def _journal(name: str, k: int) -> dict[str, Any]:
    return {
        "id": f"https://openalex.org/S{100_000_000 + mix(k, 0x5) % 900_000_000}",
        "display_name": name,
        "issn_l": None,
        "issn": None,
        "is_oa": False,
        "is_in_doaj": False,
        "host_organization": None,
        "type": "journal",
    }


def _location(source: dict[str, Any], landing: str, pdf: str | None) -> dict[str, Any]:
    is_oa = source["type"] == "repository"
    return {
        "is_oa": is_oa,
        "landing_page_url": landing,
        "pdf_url": pdf,
        "source": source,
        "license": None,
        "version": "submittedVersion" if is_oa else "publishedVersion",
        "is_accepted": not is_oa,
        "is_published": not is_oa,
    }


class _Writer:
    """The works of one snapshot, written line by line, and who wrote them."""

    def __init__(self, root: Path, seed: int, noise_share: float, part_lines: int) -> None:
        self.seed, self.stats = seed, OpenAlexCorpusStats()
        self.noise_rate = noise_share / (1.0 - noise_share)
        self.works, self.people = SnapshotParts(root, "works", part_lines), People(seed)
        self.gone = bytearray()
        """1 for each arXiv line read that has no work: references skip them."""
        self.pending = ""

    def write(self, work: dict[str, Any]) -> None:
        text = _encode(work).replace('"authorships":[]', f'"authorships":[{self.pending}]', 1)
        self.works.write(work["updated_date"][:10], text)

    def references(self, line: int, rnd: Any, least: int, most: int) -> list[str]:
        """least..most ids, skewed low: four in five an earlier line of the corpus (recent
        ones more often), else a work outside it."""
        gone, refs = self.gone, dict[str, None]()
        target = least + int((most - least + 1) * rnd() ** 2)
        for tries in range(4 * target + 1):
            if len(refs) >= target:
                break
            if line and tries < 3 * target and rnd() < 0.8:
                j = line - 1 - int(line * rnd() ** 3)
                if not gone[j]:
                    refs[f"{_W}{WORK_BASE + j}"] = None
                    continue
            refs[f"{_W}{OUTSIDE_BASE + int(rnd() * 1e9)}"] = None
        self.stats.references += len(refs)
        self.stats.references_in_corpus += sum(1 for r in refs if r[len(_W)] == "4")
        return list(refs)

    def authorships(self, names: list[str], year: int, work: int, rnd: Any) -> _Authorships:
        """The work's authorships as JSON text, pre-encoded: they are most of a work's bytes,
        and building them as dicts for the encoder was most of the run time."""
        out = []
        countries: set[str] = set()
        institutions: set[int] = set()
        last = len(names) - 1
        for pos, name in enumerate(names):
            person, h = self.people.person(name)
            self.people.add_authorship(person, work)
            places: list[int] = []
            collaboration = name in COLLABORATION_NAMES
            if not collaboration and rnd() >= 0.1:
                places = [institution_of(h, year)]
                second = second_institution(h)
                if second is not None and second != places[0]:
                    places.append(second)
            codes = sorted({INSTITUTIONS[i]["country_code"] for i in places})
            countries.update(codes)
            institutions.update(places)
            raws = [_string(raw_affiliation(h, i)) for i in places]
            person_orcid = None if collaboration else orcid(h)
            where = "first" if pos == 0 else "last" if pos == last else "middle"
            written = _string(name)
            out.append(
                f'{{"author_position":"{where}","author":{{"id":"{author_id(person)}",'
                f'"display_name":{written},'
                f'"orcid":{"null" if person_orcid is None else _string(person_orcid)}}},'
                f'"institutions":[{",".join(_INSTITUTIONS_JSON[i] for i in places)}],'
                f'"countries":[{",".join(_string(c) for c in codes)}],'
                f'"is_corresponding":{"true" if pos == 0 else "false"},'
                f'"raw_author_name":{written},'
                f'"raw_affiliation_strings":[{",".join(raws)}],'
                f'"affiliations":[{",".join(map(_affiliation, raws, places))}]}}'
            )
        self.stats.authorships += len(out)
        first = author_id(self.people.person(names[0])[0]) if names else None
        return _Authorships(",".join(out), len(countries), len(institutions), first)

    def work(
        self, wid: str, title: str, year: int, date: str, names: list[str], rnd: Any
    ) -> dict[str, Any]:
        """The parts every work shares; the caller adds DOI, locations and references, and
        `write`s it with its authorships."""
        cited = citations(rnd(), rnd(), year)
        by_year = counts_by_year(cited, year, rnd)
        number = self.people.add_work(year, cited, by_year)
        authorships = self.authorships(names, year, number, rnd)
        partition = UPDATED_DATES[int(rnd() ** 0.5 * len(UPDATED_DATES))]
        self.pending = authorships.text
        return {
            "id": wid,
            "doi": None,
            "title": title,
            "display_name": title,
            "publication_year": year,
            "publication_date": date,
            "ids": {"openalex": wid},
            "language": "en",
            "primary_location": None,
            "type": "preprint",
            "authorships": [],
            "countries_distinct_count": authorships.countries,
            "institutions_distinct_count": authorships.institutions,
            "corresponding_author_ids": [authorships.first] if authorships.first else [],
            "cited_by_count": cited,
            "is_retracted": False,
            "is_paratext": False,
            "locations_count": 0,
            "locations": [],
            "referenced_works_count": 0,
            "referenced_works": [],
            "related_works": [],
            "abstract_inverted_index": None,
            "counts_by_year": [
                {"year": y, "cited_by_count": c}
                for y, c in zip(reversed(WINDOW), reversed(by_year), strict=True)
                if c
            ],
            "updated_date": _stamp(partition, rnd),
            "created_date": date,
        }

    def arxiv(self, line: int, paper: dict[str, Any], rnd: Any) -> None:
        aid = paper["id"]
        yymm = aid.split(".")[0] if "/" not in aid else aid.split("/")[1][:4]
        yy, month = int(yymm[:2]), int(yymm[2:4])
        year = 2000 + yy if yy < 91 else 1900 + yy
        day = int(paper["versions"][0]["created"].split(" ")[1])
        names = [written_name(p) for p in paper["authors_parsed"]]
        title = " ".join(paper["title"].split())
        work = self.work(work_id(line), title, year, f"{year}-{month:02d}-{day:02d}", names, rnd)
        arxiv_doi = f"https://doi.org/10.48550/arxiv.{aid.lower()}"
        arxiv_loc = _location(
            ARXIV_SOURCE, f"https://arxiv.org/abs/{aid}", f"https://arxiv.org/pdf/{aid}"
        )
        locations = [arxiv_loc]
        doi = arxiv_doi
        if paper.get("doi") and rnd() < MERGED_SHARE:
            doi = f"https://doi.org/{paper['doi'].lower()}"
            venue = (paper.get("journal-ref") or "Journal").split("(")[0].rstrip(" 0123456789,")
            landing = _location(_journal(venue or "Journal", zlib.crc32(venue.encode())), doi, None)
            locations.insert(0, landing)
            work["type"] = "article"
            self.stats.merged += 1
        work.update(
            doi=doi,
            ids={"openalex": work["id"], "doi": doi},
            primary_location=locations[0],
            locations=locations,
            locations_count=len(locations),
            best_oa_location=arxiv_loc,
            open_access={
                "is_oa": True,
                "oa_status": "green",
                "oa_url": arxiv_loc["pdf_url"],
                "any_repository_has_fulltext": True,
            },
        )
        refs = self.references(line, rnd, 5, 40)
        work.update(referenced_works=refs, referenced_works_count=len(refs))
        self.write(work)
        self.stats.works += 1

    def noise(self, line: int, rnd: Any) -> None:
        """A journal article by people of the corpus, with no arXiv DOI or location."""
        k = self.stats.noise
        self.stats.noise += 1
        people = self.people.names
        names = list(
            dict.fromkeys(people[int(rnd() ** 2 * len(people))] for _ in range(1 + int(rnd() * 4)))
        )
        year = min(2007 + int(rnd() * 20), SNAPSHOT_YEAR)
        title = f"{ADJECTIVES[k % len(ADJECTIVES)].capitalize()} {NOUNS[k % len(NOUNS)]} {k}"
        wid = f"{_W}{NOISE_BASE + k}"
        work = self.work(wid, title, year, f"{year}-06-15", names, rnd)
        doi = f"https://doi.org/10.{1000 + k % 9000}/j.synth.{year}.{k:07d}"
        journal = _journal(f"Journal of Synthetic Results {k % 50}", k % 50)
        place = _location(journal, doi, None)
        refs = self.references(line, rnd, 0, 20)
        work.update(
            doi=doi,
            ids={"openalex": wid, "doi": doi},
            type="article",
            primary_location=place,
            locations=[place],
            locations_count=1,
            referenced_works=refs,
            referenced_works_count=len(refs),
        )
        self.write(work)


def write_openalex_snapshot(
    arxiv_snapshot: Path,
    out_dir: Path,
    *,
    seed: int = 0,
    noise_share: float = 0.2,
    part_lines: int = 100_000,
    progress: bool = False,
) -> OpenAlexCorpusStats:
    """Write the OpenAlex snapshot matching `arxiv_snapshot` (arXiv JSON lines, gzip or not,
    as `kg bench gen` writes) to `out_dir`; `noise_share` of the works are not arXiv's.

    Written to `out_dir` + `.part` and renamed at the end, so a directory with the final name
    is complete. Memory: see `openalex_authors` (about 250 MB at 1M papers).
    """
    started = time.perf_counter()
    tmp = out_dir.with_name(out_dir.name + ".part")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    writer = _Writer(tmp, seed, noise_share, part_lines)
    stats = writer.stats
    opener = gzip.open if arxiv_snapshot.name.endswith(".gz") else open
    bar = tqdm(unit="paper", unit_scale=True, disable=not progress, desc=out_dir.name)
    try:
        with opener(arxiv_snapshot, "rb") as source, bar:
            for line, text in enumerate(source):
                rng = random.Random((seed << 40) ^ line)
                rnd = rng.random
                stats.papers += 1
                writer.gone.append(left_out(line, seed))
                if writer.gone[line]:
                    stats.left_out += 1
                else:
                    writer.arxiv(line, json.loads(text), rnd)
                for _ in range(int(writer.noise_rate) + (rnd() < writer.noise_rate % 1)):
                    if writer.people.names:
                        writer.noise(line, rnd)
                bar.update()
        stats.bytes = writer.works.close()
        authors = SnapshotParts(tmp, "authors", part_lines)
        for date, record in writer.people.records():
            authors.write(date, _encode(record))
            stats.authors += 1
        stats.bytes += authors.close()
        stats.seconds = time.perf_counter() - started
        facts = {"arxiv_snapshot": str(arxiv_snapshot), "seed": seed, "noise_share": noise_share}
        (tmp / "synthetic.json").write_text(json.dumps({**facts, **asdict(stats)}, indent=2))
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(out_dir, ignore_errors=True)
    os.replace(tmp, out_dir)
    return stats
