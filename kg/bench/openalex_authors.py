"""The people of a synthetic OpenAlex snapshot, aggregated compactly while its works are written.

An author record needs figures over all of a person's works (h-index, i10, counts by year),
which are only known once every work is written. Python objects per work or per person would
cost hundreds of bytes each, so the aggregation keeps flat `array`s and one name per person,
and numpy computes the figures at the end. What grows, and why it cannot be avoided:
- per person: the name (a str in a list, and as a dict key to find its index) and a 64-bit
  hash, about 120 bytes;
- per authorship: two uint32 (person, work), 8 bytes;
- per work: year (uint16), cited_by_count (uint32) and ten yearly counts (uint32), 46 bytes.
About 1.7M people-works-authorships objects take ~250 MB at 1M papers; nothing else grows.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from typing import Any

import numpy as np

from kg.bench.openalex_pool import (
    INSTITUTIONS,
    UPDATED_DATES,
    WINDOW,
    institution_of,
    mix,
    name_alternatives,
    orcid,
    person_hash,
    second_institution,
)
from kg.bench.synthetic_vocab import COLLABORATIONS
from kg.core.names import author_key

AUTHOR_BASE = 5_000_000_000
"""Person number n is https://openalex.org/A{AUTHOR_BASE + n}, n in order of first appearance."""
COLLABORATION_NAMES = frozenset(name for name, _, _ in COLLABORATIONS)
CHUNK = 20_000
"""Author records are built from numpy figures this many at a time, to keep lists short."""


def author_id(index: int) -> str:
    return f"https://openalex.org/A{AUTHOR_BASE + index}"


class People:
    """Who wrote what, as flat arrays: a person is found by name key (one name, one person,
    as in `kg bench gen` corpora, however the name is spelled on a paper: "Zíhang Liu" and
    "Liu, Zihang" are one OpenAlex author, as they are one person), works and authorships
    are appended as they are written."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.names: list[str] = []
        self.index: dict[str, int] = {}
        self.hashes = array("Q")
        self.au_person = array("I")
        self.au_work = array("I")
        self.work_year = array("H")
        self.work_cites = array("I")
        self.work_by_year = array("I")
        """Ten yearly citation counts a work, WINDOW order, flattened."""

    def person(self, name: str) -> tuple[int, int]:
        """(index, hash) of the person called `name`, added on first sight."""
        key = author_key(name)
        found = self.index.get(key)
        if found is None:
            found = self.index[key] = len(self.names)
            self.names.append(name)
            self.hashes.append(person_hash(key, self.seed))
        return found, self.hashes[found]

    def add_work(self, year: int, cites: int, by_year: list[int]) -> int:
        self.work_year.append(year)
        self.work_cites.append(cites)
        self.work_by_year.extend(by_year)
        return len(self.work_year) - 1

    def add_authorship(self, person: int, work: int) -> None:
        self.au_person.append(person)
        self.au_work.append(work)

    def _figures(self) -> dict[str, np.ndarray[Any, Any]]:
        """Per person: works, citations, h-index, i10, 2-year mean citedness, first and last
        year, and works and citations per WINDOW year; one array each, indexed by person."""
        n = len(self.names)
        person = np.frombuffer(self.au_person, dtype=np.uint32).astype(np.intp)
        work = np.frombuffer(self.au_work, dtype=np.uint32).astype(np.intp)
        years = np.frombuffer(self.work_year, dtype=np.uint16)[work].astype(np.int32)
        by_year = np.frombuffer(self.work_by_year, dtype=np.uint32).reshape(-1, len(WINDOW))
        cites = np.frombuffer(self.work_cites, dtype=np.uint32)[work].astype(np.int64)
        works = np.bincount(person, minlength=n)
        # h-index: each person's citations in descending order; the k-th (from 1) counts
        # when it is at least k.
        order = np.lexsort((-cites, person))
        starts = np.concatenate(([0], np.cumsum(works)[:-1]))
        rank = np.arange(len(order)) - starts[person[order]] + 1
        h_index = np.bincount(person[order][cites[order] >= rank], minlength=n)
        del order, rank
        # 2-year mean citedness: citations last year to works of the two years before it.
        last = WINDOW[-2]
        recent = (years == last - 1) | (years == last - 2)
        cited_recent = np.bincount(
            person[recent], weights=by_year[work[recent], len(WINDOW) - 2], minlength=n
        )
        count_recent = np.bincount(person[recent], minlength=n)
        first = np.full(n, 9999, dtype=np.int32)
        np.minimum.at(first, person, years)
        latest = np.zeros(n, dtype=np.int32)
        np.maximum.at(latest, person, years)
        works_by_year = np.zeros((n, len(WINDOW)), dtype=np.int32)
        cites_by_year = np.zeros((n, len(WINDOW)), dtype=np.int64)
        for k, year in enumerate(WINDOW):
            works_by_year[:, k] = np.bincount(person[years == year], minlength=n)
            cites_by_year[:, k] = np.bincount(person, weights=by_year[work, k], minlength=n)
        return {
            "works": works,
            "cites": np.bincount(person, weights=cites, minlength=n).astype(np.int64),
            "h": h_index,
            "i10": np.bincount(person[cites >= 10], minlength=n),
            "mean2y": np.divide(
                cited_recent, count_recent, out=np.zeros(n), where=count_recent > 0
            ),
            "first": first,
            "last": latest,
            "works_by_year": works_by_year,
            "cites_by_year": cites_by_year,
        }

    def records(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """(updated_date partition, author object) of every person, in order of first sight."""
        figures = self._figures()
        for start in range(0, len(self.names), CHUNK):
            rows = {key: a[start : start + CHUNK].tolist() for key, a in figures.items()}
            for k, name in enumerate(self.names[start : start + CHUNK]):
                index = start + k
                row = {key: rows[key][k] for key in rows}
                yield self._record(index, name, self.hashes[index], row)

    def _record(
        self, index: int, name: str, h: int, row: dict[str, Any]
    ) -> tuple[str, dict[str, Any]]:
        aid = author_id(index)
        person_orcid = None if name in COLLABORATION_NAMES else orcid(h)
        affiliations: list[dict[str, Any]] = []
        last_known: list[dict[str, Any]] = []
        if name not in COLLABORATION_NAMES:
            years_at: dict[int, list[int]] = {}
            for year in range(row["last"], row["first"] - 1, -1):
                years_at.setdefault(institution_of(h, year), []).append(year)
            second = second_institution(h)
            if second is not None:
                years_at.setdefault(second, list(range(row["last"], row["first"] - 1, -1)))
            affiliations = [
                {"institution": INSTITUTIONS[i], "years": ys} for i, ys in years_at.items()
            ]
            last_known = [INSTITUTIONS[institution_of(h, row["last"])]]
        by_year = [
            {"year": year, "works_count": w, "oa_works_count": w, "cited_by_count": c}
            for year, w, c in zip(WINDOW, row["works_by_year"], row["cites_by_year"], strict=True)
            if w or c
        ]
        by_year.reverse()
        date = UPDATED_DATES[mix(h, 0x3) % len(UPDATED_DATES)]
        return date, {
            "id": aid,
            "orcid": person_orcid,
            "display_name": name,
            "display_name_alternatives": name_alternatives(name),
            "works_count": row["works"],
            "cited_by_count": row["cites"],
            "summary_stats": {
                "2yr_mean_citedness": round(row["mean2y"], 4),
                "h_index": row["h"],
                "i10_index": row["i10"],
            },
            "ids": {"openalex": aid, "orcid": person_orcid},
            "affiliations": affiliations,
            "last_known_institutions": last_known,
            "counts_by_year": by_year,
            "works_api_url": f"https://api.openalex.org/works?filter=author.id:{aid[21:]}",
            "updated_date": f"{date}T{mix(h, 0x4) % 24:02d}:17:03.442107",
            "created_date": "2023-07-21",
        }
