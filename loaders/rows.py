"""One paper record as the rows the graph needs: the one shaping both load paths use.

The transactional writer (`graph_writer`) sends these rows to Cypher and the bulk path
(`bulk_csv`) writes them to CSV files. Topics, authorships, affiliations and the identity
evidence of each authorship (`clues`) are derived here and nowhere else, which is what
keeps the two paths' graphs the same. Authorships carry name keys: which person each one
is, and so the co-author pairs, is decided per name block by `loaders.identity`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, NamedTuple

from kg.core.names import institution_key, institution_name
from loaders.identity import Clue
from loaders.records import CATEGORY_NAMES, PaperRecord, topic_label


class Authorship(NamedTuple):
    """An `AUTHORED` edge: who, in which place of the author list, spelled how, where."""

    key: str
    """The name key (`wei-zhang`): the block `loaders.identity` picks a person in."""
    name: str
    """The author's display name, for a new `Author` node."""
    written: str
    """The name exactly as the source wrote it on this paper."""
    position: int
    affiliations: list[str]
    """Keys of the institutions the author gives on this paper: `AFFILIATED_WITH` edges are
    recounted from these when a new version of a paper changes them."""


class Affiliation(NamedTuple):
    """An author listed at an institution on a paper of `year` (`AFFILIATED_WITH`)."""

    author: str
    key: str
    """The institution's key; affiliations whose name has no letters or digits are dropped."""
    name: str
    year: int


@dataclass(frozen=True, slots=True)
class PaperRows:
    """What one paper adds to the graph."""

    arxiv_id: str
    props: dict[str, Any]
    """`Paper` node properties, camelCase as analysts read them in Neo4j Browser."""
    year: int
    primary_category: str
    categories: list[str]
    topics: list[dict[str, str]]
    """A `Topic` node row per category: code, label, name, archive."""
    authorships: list[Authorship]
    affiliations: list[Affiliation]
    author_count: int

    def clues(self, max_authors: int) -> list[Clue]:
        """The identity evidence of each authorship, in author order: co-authors' name
        keys only on papers within the COAUTHOR cap (a 3,000-author paper links nobody)."""
        keys = [a.key for a in self.authorships] if self.author_count <= max_authors else []
        cats = tuple(self.categories)
        return [
            Clue(
                self.arxiv_id,
                a.position,
                self.year,
                cats,
                tuple(k for k in keys if k != a.key),
                tuple(a.affiliations),
            )
            for a in self.authorships
        ]


@cache
def topic(code: str) -> dict[str, str]:
    """The `Topic` node of an arXiv category (made once per code: papers share a few hundred)."""
    return {
        "code": code,
        "label": topic_label(code),
        "name": CATEGORY_NAMES.get(code, code),
        "archive": code.split(".", 1)[0],
    }


@lru_cache(maxsize=1 << 15)
def institution(raw: str) -> tuple[str, str]:
    """(name, key) of an affiliation as `shape` makes them: what the native record pass asks
    Python for non-ASCII affiliations (Unicode normalisation stays Python's)."""
    name = institution_name(raw)
    return name, institution_key(name)


def coauthor_pairs(keys: list[str], max_authors: int) -> list[tuple[str, str]]:
    """Every pair of distinct people (record keys), lower key first, or none above
    `max_authors`: a 3,000-author paper would otherwise add 4.5 million COAUTHOR edges."""
    if len(keys) > max_authors:
        return []
    ordered = sorted(set(keys))
    return [(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :]]


def shape(rec: PaperRecord) -> PaperRows:
    """The rows of one validated record; pure, so both load paths get the same answer."""
    year = rec.published.year
    affiliations = []
    where: dict[str, list[str]] = {}
    for author in rec.authors:
        keys = where.setdefault(author.key, [])
        for raw in author.affiliations:
            name = institution_name(raw)
            key = institution_key(name)
            if key:
                affiliations.append(Affiliation(author.key, key, name, year))
                keys += [] if key in keys else [key]
    return PaperRows(
        arxiv_id=rec.arxiv_id,
        props=rec.props(),
        year=year,
        primary_category=rec.primary_category,
        categories=rec.categories,
        topics=[topic(code) for code in rec.categories],
        authorships=[
            Authorship(a.key, a.name, a.written, position, where[a.key])
            for position, a in enumerate(rec.authors, start=1)
        ],
        affiliations=affiliations,
        author_count=len(rec.authors),
    )
