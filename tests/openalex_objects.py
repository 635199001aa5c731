"""OpenAlex work and author objects in the shape the API and the snapshot carry, built for
a test's papers, and a snapshot directory laid out as OpenAlex publishes it."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

MIT = {
    "id": "https://openalex.org/I63966007",
    "display_name": "Massachusetts Institute of Technology",
    "ror": "https://ror.org/042nb2s44",
    "country_code": "US",
    "type": "education",
    "lineage": ["https://openalex.org/I63966007"],
}
ETH = {
    "id": "https://openalex.org/I35440088",
    "display_name": "ETH Zurich",
    "ror": "https://ror.org/05a28rw58",
    "country_code": "CH",
    "type": "education",
    "lineage": ["https://openalex.org/I35440088"],
}


def work(
    arxiv_id: str,
    number: int,
    authors: list[tuple[str, str | None, list[dict[str, Any]]]],
    cited: int = 0,
    refs: tuple[int, ...] = (),
    year: int = 2020,
    doi: bool = True,
) -> dict[str, Any]:
    """A work `W<number>`; authors as (raw name, OpenAlex author number or None, institutions);
    `refs` are work numbers it cites."""
    landing = f"https://arxiv.org/abs/{arxiv_id}"
    return {
        "id": f"https://openalex.org/W{number}",
        "doi": f"https://doi.org/10.48550/arxiv.{arxiv_id.lower()}"
        if doi
        else "https://doi.org/10.1103/physrevd.1.1",
        "title": f"Paper {arxiv_id}",
        "display_name": f"Paper {arxiv_id}",
        "publication_year": year,
        "publication_date": f"{year}-01-01",
        "ids": {"openalex": f"https://openalex.org/W{number}"},
        "type": "preprint",
        "locations": [
            {
                "is_oa": True,
                "landing_page_url": landing,
                "pdf_url": f"https://arxiv.org/pdf/{arxiv_id}",
                "source": {"id": "https://openalex.org/S4306400194", "display_name": "arXiv"},
            }
        ],
        "authorships": [
            {
                "author_position": "first" if i == 0 else "middle",
                "author": {
                    "id": f"https://openalex.org/{author}" if author else None,
                    "display_name": name,
                    "orcid": f"https://orcid.org/0000-0002-0000-{author[-4:]}" if author else None,
                },
                "institutions": institutions,
                "countries": [inst["country_code"] for inst in institutions],
                "is_corresponding": i == 0,
                "raw_author_name": name,
                "raw_affiliation_strings": [inst["display_name"] for inst in institutions],
            }
            for i, (name, author, institutions) in enumerate(authors)
        ],
        "cited_by_count": cited,
        "counts_by_year": [{"year": 2025, "cited_by_count": cited // 2}]
        + ([{"year": 2024, "cited_by_count": cited - cited // 2}] if cited else []),
        "referenced_works": [f"https://openalex.org/W{n}" for n in refs]
        + ["https://openalex.org/W1"],
        "updated_date": "2026-11-20T04:00:00.000000",
    }


def author(number: str, name: str, h_index: int, works: int = 10) -> dict[str, Any]:
    return {
        "id": f"https://openalex.org/{number}",
        "orcid": f"https://orcid.org/0000-0002-0000-{number[-4:]}",
        "display_name": name,
        "display_name_alternatives": [name, name.split()[-1] + ", " + name.split()[0]],
        "works_count": works,
        "cited_by_count": 40 * h_index,
        "summary_stats": {"2yr_mean_citedness": 2.5, "h_index": h_index, "i10_index": h_index - 1},
        "affiliations": [{"institution": MIT, "years": [2024, 2023]}],
        "counts_by_year": [
            {"year": 2024, "works_count": 3, "cited_by_count": 30},
            {"year": 2025, "works_count": 2, "cited_by_count": 50},
        ],
        "updated_date": "2026-11-20T04:00:00.000000",
    }


def write_snapshot(root: Path, works: list[dict[str, Any]], authors: list[dict[str, Any]]) -> Path:
    """`root/data/{works,authors}/updated_date=2026-11-20/part_000.gz` (+ part_001 for works)."""
    halves = {"part_000.gz": works[: len(works) // 2], "part_001.gz": works[len(works) // 2 :]}
    for entity, files in (("works", halves), ("authors", {"part_000.gz": authors})):
        folder = root / "data" / entity / "updated_date=2026-11-20"
        folder.mkdir(parents=True, exist_ok=True)
        for name, objects in files.items():
            with gzip.open(folder / name, "wt", encoding="utf-8") as out:
                out.writelines(json.dumps(o) + "\n" for o in objects)
    return root
