"""OpenAlex work and author objects as the rows kg writes: the one shaping both OpenAlex
routes (the API and the snapshot files) use, so they write the same graph.

An arXiv paper is found in OpenAlex by its arXiv DOI (`10.48550/arxiv.<id>`) or, when
OpenAlex merged the preprint into a published version with another DOI, by its arXiv
location (`https://arxiv.org/abs/<id>`). An OpenAlex authorship is matched to the kg
authorship written with the same name (`match_authorships`); OpenAlex spells names its
own way at times ("Q. Zhang" for "Qizhen Zhang"), so initials and positions count too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kg.core.errors import KgError
from kg.core.names import author_key, institution_key, institution_name
from loaders.records import split_arxiv_id

ARXIV_DOI = re.compile(r"10\.48550/arxiv\.(.+)$", re.IGNORECASE)
ARXIV_PAGE = re.compile(r"arxiv\.org/(?:abs|pdf)/([^?#\s]+?)(?:\.pdf)?/?$", re.IGNORECASE)


class OpenAlexRecordError(KgError):
    """An OpenAlex object kg cannot use (no id, not an object); reported, never fatal."""


def short_id(url: str | None) -> str | None:
    """`https://openalex.org/W123` -> `W123` (ids are stored short, as analysts type them;
    short ids pass through)."""
    if not url:
        return None
    return url.rstrip("/").rsplit("/", 1)[-1].upper() or None


def bare_orcid(url: str | None) -> str | None:
    """`https://orcid.org/0000-0002-1825-0097` -> `0000-0002-1825-0097`."""
    return url.rstrip("/").rsplit("/", 1)[-1] if url else None


def arxiv_id_of(work: dict[str, Any]) -> str | None:
    """The arXiv id of a work: from its DOI, else from an arXiv location; None if neither."""
    doi = work.get("doi") or (work.get("ids") or {}).get("doi")
    if doi and (m := ARXIV_DOI.search(doi)):
        return _arxiv_id(m.group(1))
    for loc in work.get("locations") or []:
        for url in (loc or {}).get("landing_page_url"), (loc or {}).get("pdf_url"):
            if url and (m := ARXIV_PAGE.search(url)):
                return _arxiv_id(m.group(1))
    return None


def _bare_doi(doi: str | None) -> str | None:
    """`https://doi.org/10.1103/PhysRevD.1.1` -> `10.1103/physrevd.1.1` (as OpenAlex keeps it)."""
    if not doi:
        return None
    return re.sub(
        r"^(?:https?://)?(?:dx\.)?doi\.org/", "", doi.strip(), flags=re.IGNORECASE
    ).lower()


def _arxiv_id(raw: str) -> str | None:
    try:
        return split_arxiv_id(raw)[0]
    except KgError:
        return None


@dataclass(frozen=True, slots=True)
class OaAuthorship:
    """One authorship of an OpenAlex work, with what kg keeps of it."""

    index: int
    """Place in OpenAlex's author list (0-based, as kg's `AUTHORED.position`)."""
    names: tuple[str, ...]
    """The names it goes by: as written in the source, and OpenAlex's display name."""
    author: str | None
    orcid: str | None
    institutions: tuple[dict[str, Any], ...]
    """`Institution` rows: key, name, openalexId, ror, country, type."""
    raw_affiliations: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class WorkRows:
    """What one OpenAlex work adds to its arXiv paper."""

    arxiv_id: str
    openalex_id: str
    citations: int
    citation_years: list[int]
    citation_counts: list[int]
    referenced: list[str]
    updated: str | None
    authorships: tuple[OaAuthorship, ...]
    doi: str | None = None
    """The DOI OpenAlex gives the work, bare: the arXiv one, or the journal's when OpenAlex
    merged the preprint into its published version."""

    def paper_props(self) -> dict[str, Any]:
        return {
            "openalexId": self.openalex_id,
            "openalexDoi": self.doi,
            "citations": self.citations,
            "citationYears": self.citation_years,
            "citationCounts": self.citation_counts,
            "referencedWorks": self.referenced,
            "openalexUpdated": self.updated,
        }


def work_rows(work: dict[str, Any]) -> WorkRows | None:
    """The rows of an arXiv work; None for a work that is not an arXiv paper."""
    if not isinstance(work, dict):
        raise OpenAlexRecordError(f"not a JSON object: {str(work)[:80]}")
    arxiv_id = arxiv_id_of(work)
    if arxiv_id is None:
        return None
    openalex_id = short_id(work.get("id"))
    if not openalex_id:
        raise OpenAlexRecordError(f"arXiv {arxiv_id}: the OpenAlex work has no id")
    years, counts = _by_year(work.get("counts_by_year"), "cited_by_count")
    return WorkRows(
        arxiv_id=arxiv_id,
        openalex_id=openalex_id,
        citations=int(work.get("cited_by_count") or 0),
        citation_years=years,
        citation_counts=counts,
        referenced=[s for s in map(short_id, work.get("referenced_works") or []) if s],
        updated=work.get("updated_date"),
        doi=_bare_doi(work.get("doi")),
        authorships=tuple(
            _authorship(i, a) for i, a in enumerate(work.get("authorships") or []) if a
        ),
    )


def _authorship(index: int, a: dict[str, Any]) -> OaAuthorship:
    author = a.get("author") or {}
    names = tuple(
        dict.fromkeys(n for n in (a.get("raw_author_name"), author.get("display_name")) if n)
    )
    return OaAuthorship(
        index=index,
        names=names,
        author=short_id(author.get("id")),
        orcid=bare_orcid(author.get("orcid")),
        institutions=tuple(
            row for row in map(institution_row, a.get("institutions") or []) if row is not None
        ),
        raw_affiliations=tuple(s for s in a.get("raw_affiliation_strings") or [] if s),
    )


def institution_row(inst: dict[str, Any] | None) -> dict[str, Any] | None:
    """An `Institution` row, keyed like arXiv affiliations by its name, so the two meet."""
    name, key = _institution((inst or {}).get("display_name") or "")
    if not inst or not key:
        return None
    return {
        "key": key,
        "name": name,
        "openalexId": short_id(inst.get("id")),
        "ror": inst.get("ror"),
        "country": inst.get("country_code"),
        "type": inst.get("type"),
    }


@lru_cache(maxsize=1 << 14)
def _institution(display_name: str) -> tuple[str, str]:
    name = institution_name(display_name)
    return name, institution_key(name)


def _by_year(rows: Any, field: str) -> tuple[list[int], list[int]]:
    pairs = sorted(
        (int(r["year"]), int(r.get(field) or 0))
        for r in rows or []
        if isinstance(r, dict) and r.get("year")
    )
    return [y for y, _ in pairs], [c for _, c in pairs]


def author_props(author: dict[str, Any]) -> dict[str, Any] | None:
    """`Author` properties from an OpenAlex author object (`openalex*`: as OpenAlex reports
    them for its author, who may have works this graph lacks); None without an id."""
    openalex_id = short_id(author.get("id")) if isinstance(author, dict) else None
    if not openalex_id:
        return None
    stats = author.get("summary_stats") or {}
    cite_years, cite_counts = _by_year(author.get("counts_by_year"), "cited_by_count")
    work_years, work_counts = _by_year(author.get("counts_by_year"), "works_count")
    mean = stats.get("2yr_mean_citedness")
    return {
        "id": openalex_id,
        "orcid": bare_orcid(author.get("orcid")),
        "props": {
            "openalexHIndex": stats.get("h_index"),
            "openalexI10Index": stats.get("i10_index"),
            "openalexMeanCitedness2y": float(mean) if mean is not None else None,
            "openalexWorksCount": author.get("works_count"),
            "openalexCitations": author.get("cited_by_count"),
            "openalexCitationYears": cite_years,
            "openalexCitationCounts": cite_counts,
            "openalexWorkYears": work_years,
            "openalexWorkCounts": work_counts,
            "nameAlternatives": [n for n in author.get("display_name_alternatives") or [] if n],
            "openalexUpdated": author.get("updated_date"),
        },
    }


@lru_cache(maxsize=1 << 16)
def _key(name: str) -> str:
    """`author_key`, remembered: a batch meets the same names again and again."""
    return author_key(name)


def _loose(name: str) -> tuple[str, str]:
    """(surname, first initial): what "Q. Zhang" and "Qizhen Zhang" have in common."""
    parts = _key(name).split("-")
    return (parts[-1], parts[0][:1]) if parts and parts[0] else ("", "")


def match_authorships(
    written: Sequence[tuple[int, str]], authorships: Sequence[OaAuthorship]
) -> list[tuple[int, OaAuthorship]]:
    """Pair kg authorships `(position, name as written)` with OpenAlex's.

    First the same name key (at the same position if the name appears twice), then, for
    what is left, the same surname and initial at the same position, then the only one
    left with that surname and initial. Unpaired authorships on either side stay as they
    are: a wrong pairing would put someone's id on another person's authorship.
    """
    keys = {a.index: {_key(n) for n in a.names} for a in authorships}
    loose = {a.index: {_loose(n) for n in a.names} for a in authorships}
    by_key: dict[str, list[OaAuthorship]] = {}
    for a in authorships:
        for k in keys[a.index]:
            by_key.setdefault(k, []).append(a)
    pairs: list[tuple[int, OaAuthorship]] = []
    taken: set[int] = set()

    def take(position: int, oa: OaAuthorship) -> None:
        pairs.append((position, oa))
        taken.add(oa.index)

    left = []
    for position, name in sorted(written):
        same = [a for a in by_key.get(_key(name), ()) if a.index not in taken]
        if same:
            take(position, min(same, key=lambda a: (a.index != position, a.index)))
        else:
            left.append((position, name))
    if not left:
        return pairs
    free = {a.index: a for a in authorships if a.index not in taken}
    rest = []
    for position, name in left:
        at = free.get(position)
        if at is not None and at.index not in taken and _loose(name) in loose[at.index]:
            take(position, at)
        else:
            rest.append((position, name))
    for position, name in rest:
        mine = _loose(name)
        same = [a for a in free.values() if a.index not in taken and mine in loose[a.index]]
        rivals = [n for _, n in rest if _loose(n) == mine]
        if len(same) == 1 and len(rivals) == 1:
            take(position, same[0])
    return sorted(pairs, key=lambda pair: pair[0])
