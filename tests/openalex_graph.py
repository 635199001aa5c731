"""OpenAlex facts written straight onto a loaded test graph, as `kg load openalex` writes them.

The API and page tests need citations, ORCIDs and institutions with years before the loader
exists, and independently of its fixtures: this writes the graph model of the OpenAlex
design (papers' citations, authorships' OpenAlex ids, institutions, authors' figures) with
parameterised Cypher onto papers and authors an arXiv fixture has loaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import neo4j

from kg.core.names import institution_key

PAPERS = """
UNWIND $papers AS row
MATCH (p:Paper {arxivId: row.arxivId})
SET p.openalexId = row.openalexId, p.citations = row.citations,
    p.citationYears = row.citationYears, p.citationCounts = row.citationCounts
RETURN count(p) AS written
"""

AUTHORSHIPS = """
UNWIND $authorships AS row
MATCH (:Author {key: row.author})-[r:AUTHORED]->(:Paper {arxivId: row.arxivId})
SET r.openalexAuthor = row.openalexAuthor, r.orcid = row.orcid,
    r.institutions = row.institutions, r.rawAffiliations = row.rawAffiliations
RETURN count(r) AS written
"""

INSTITUTIONS = """
UNWIND $institutions AS row
MERGE (i:Institution {key: row.key})
SET i.name = row.name, i.openalexId = row.openalexId, i.ror = row.ror,
    i.country = row.country, i.type = row.type
RETURN count(i) AS written
"""

AFFILIATIONS = """
UNWIND $affiliations AS row
MATCH (a:Author {key: row.author}), (i:Institution {key: row.institution})
MERGE (a)-[r:AFFILIATED_WITH]->(i)
SET r.firstYear = row.firstYear, r.lastYear = row.lastYear
RETURN count(r) AS written
"""

AUTHORS = """
UNWIND $authors AS row
MATCH (a:Author {key: row.key})
SET a += row.props
RETURN count(a) AS written
"""


def paper(
    arxiv_id: str, citations: int, by_year: dict[int, int] | None = None, openalex_id: str = ""
) -> dict[str, Any]:
    """A paper's OpenAlex work: its citations and `counts_by_year` (aligned, ascending)."""
    years = sorted(by_year or {})
    return {
        "arxivId": arxiv_id,
        "openalexId": openalex_id or f"W{arxiv_id.replace('.', '').replace('/', '')}",
        "citations": citations,
        "citationYears": years,
        "citationCounts": [(by_year or {})[y] for y in years],
    }


def add_openalex_facts(
    driver: neo4j.Driver,
    *,
    papers: Sequence[dict[str, Any]] = (),
    authorships: Sequence[dict[str, Any]] = (),
    institutions: Sequence[dict[str, Any]] = (),
    affiliations: Sequence[dict[str, Any]] = (),
    authors: dict[str, dict[str, Any]] | None = None,
) -> None:
    """Write OpenAlex's properties and edges; every row must find its paper/author/edge.

    papers: `paper(...)` rows. authorships: {author, arxivId, openalexAuthor, orcid,
    institutions, rawAffiliations}. institutions: {key, name, openalexId, ror, country,
    type}. affiliations: {author, institution, firstYear, lastYear}. authors: {key:
    properties}, e.g. {"alice-martin": {"openalexHIndex": 7, "orcid": "0000-..."}}.
    """
    steps = [
        (PAPERS, "papers", list(papers)),
        (AUTHORSHIPS, "authorships", [_authorship(r) for r in authorships]),
        (INSTITUTIONS, "institutions", [_institution(r) for r in institutions]),
        (AFFILIATIONS, "affiliations", list(affiliations)),
        (AUTHORS, "authors", [{"key": k, "props": v} for k, v in (authors or {}).items()]),
    ]
    for cypher, name, rows in steps:
        if not rows:
            continue
        records = driver.execute_query(cypher, {name: rows}).records
        assert records[0]["written"] == len(rows), f"{name}: some rows matched nothing"


def _authorship(row: dict[str, Any]) -> dict[str, Any]:
    return {"orcid": None, "institutions": [], "rawAffiliations": [], **row}


def _institution(row: dict[str, Any]) -> dict[str, Any]:
    return {"openalexId": None, "ror": None, "country": None, "type": None, **row}


ORCID = "0000-0002-1825-0097"
MIT = institution_key("Massachusetts Institute of Technology")
ETH = institution_key("ETH Zurich")


def basic_openalex(driver: neo4j.Driver) -> None:
    """OpenAlex facts for the `basic` feed: Alice Martin is fully covered, and her figures
    differ from the graph's (OpenAlex counts 14 works, the graph holds 6); her paper
    2401.00010 is unknown to OpenAlex. Bob Nguyen's works are cited but OpenAlex has no
    author record for him; Carol Diaz and Zihang Liu get nothing of their own."""
    alice = "alice-martin"
    add_openalex_facts(
        driver,
        papers=[
            paper("2401.00001", 50, {2024: 20, 2025: 30}),
            paper("2401.00002", 12, {2025: 12}),
            paper("2401.00003", 10),
            paper("2401.00004", 3),
            paper("2401.00007", 1),
        ],
        authorships=[
            {
                "author": alice,
                "arxivId": "2401.00001",
                "openalexAuthor": "A5000000001",
                "orcid": ORCID,
                "institutions": [MIT],
                "rawAffiliations": ["MIT, Cambridge, MA"],
            },
        ],
        institutions=[
            {
                "key": MIT,
                "name": "Massachusetts Institute of Technology",
                "openalexId": "I63966007",
                "ror": "https://ror.org/042nb2s44",
                "country": "US",
                "type": "education",
            },
            {
                "key": ETH,
                "name": "ETH Zurich",
                "openalexId": "I35440088",
                "ror": "https://ror.org/05a28rw58",
                "country": "CH",
                "type": "education",
            },
        ],
        affiliations=[
            {"author": alice, "institution": MIT, "firstYear": 2019, "lastYear": 2024},
            {"author": alice, "institution": ETH, "firstYear": 2016, "lastYear": 2018},
        ],
        authors={
            alice: {
                "openalexId": "A5000000001",
                "orcid": ORCID,
                "openalexCitations": 240,
                "openalexHIndex": 7,
                "openalexI10Index": 5,
                "openalexMeanCitedness2y": 3.5,
                "openalexWorksCount": 14,
                # newest first, as OpenAlex lists counts_by_year: the API sorts them
                "openalexCitationYears": [2025, 2024, 2023],
                "openalexCitationCounts": [110, 90, 40],
                "openalexWorkYears": [2024, 2023],
                "openalexWorkCounts": [6, 8],
                "nameAlternatives": ["A. Martin", "Alice M. Martin"],
                "identityNotes": [
                    "OpenAlex puts 2 of these works under another author (A5000000099); "
                    "a curator kept them here"
                ],
            }
        },
    )
