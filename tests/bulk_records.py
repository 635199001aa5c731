"""Records that exercise every corner of the bulk import's CSV format, and a graph dump to
compare graphs by: shared by the bulk-import tests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import neo4j

from loaders.records import PaperRecord, make_record
from tests.helpers import rows

MAX_AUTHORS = 6

POOL = [
    "Qizhen Zhang",
    "José García",
    "Anna Schmidt",
    "Wei Chen",
    "Zihang Liu",
    "Z. Liu",
    "Ólafur Arnalds",
    "Fatima Al-Sayed",
    "Søren Kierkegaard",
    "Chloé Dubois",
    "Müller, Jürgen",
]
CATEGORIES = ["cs.DB", "cs.LG", "cs.AI", "stat.ML", "math.CO", "quant-ph", "hep-th"]


def _records() -> list[PaperRecord]:
    """30 papers that exercise every corner the CSV format has."""
    utc = UTC
    specs: list[dict[str, Any]] = []
    for i in range(24):
        authors = [POOL[(i + k * 3) % len(POOL)] for k in range(1 + i % 4)]
        specs.append(
            {
                "raw_id": f"2{i % 3}01.{i:05d}v{1 + i % 3}",
                "title": f'Paper {i}: graphs, joins and "quotes"',
                "abstract": f"Abstract {i} with, commas; semicolons and é accents.",
                "published": date(2019 + i % 5, 1 + i % 12, 1 + i),
                "updated": datetime(2024, 1, 1 + i, 12, 30, 15, tzinfo=utc),
                "primary_category": CATEGORIES[i % len(CATEGORIES)],
                "categories": [CATEGORIES[(i + j) % len(CATEGORIES)] for j in range(1 + i % 3)],
                "authors": [(name, ["MIT"] if name == "Wei Chen" else []) for name in authors],
            }
        )
    specs += [
        {  # the same person spelled three ways; quotes, commas and a backslash in the text
            "raw_id": "2301.10001v2",
            "title": 'A "quoted", comma-laden title',
            "abstract": 'He said "hello, world", then ""twice""; a back\\slash, too.',
            "published": date(2023, 1, 5),
            "updated": datetime(2023, 2, 1, 8, 0, tzinfo=utc),
            "primary_category": "cs.DB",
            "categories": ["cs.DB", "cs.DS", "cs.IR"],
            "authors": [
                ("Jose Garcia", ["University of California, Berkeley"]),
                ("García, José", []),  # same key on one paper: one author
                ('Conan "Coco" O\'Brien', ["M.I.T.", "Max Planck Institute; Tübingen"]),
                ("Anna\nSchmidt", []),  # a line break inside a name as written
            ],
            "doi": "10.1000/xyz123",
            "journal_ref": "J. Graphs 12 (2023) 1-20",
            "comment": "12 pages; 3 figures",
        },
        {  # more authors than MAX_AUTHORS: AUTHORED edges, but no COAUTHOR edges
            "raw_id": "2302.20002",
            "title": "A big collaboration",
            "abstract": None,  # empty abstract is stored as ""
            "published": date(2023, 3, 1),
            "updated": None,
            "primary_category": "hep-th",
            "categories": ["hep-th", "hep-ph"],
            "authors": [(name, []) for name in POOL[:8]],
        },
        {  # naive updated timestamp: a LocalDateTime through Bolt as through the importer
            "raw_id": "hep-th/9901001v3",
            "title": "An old-style identifier",
            "abstract": "Old.",
            "published": date(1999, 1, 4),
            "updated": datetime(1999, 2, 1, 10, 0),
            "primary_category": "hep-th",
            "categories": ["hep-th", "gr-qc"],
            "authors": [("Qizhen Zhang", ["MIT"]), ("Wei Chen", ["MIT"])],
            "comment": "This paper has been withdrawn by the author",
        },
        {
            "raw_id": "2401.00001",
            "title": "No version, one author",
            "abstract": "Solo.",
            "published": date(2024, 1, 2),
            "updated": datetime(2024, 1, 2, 0, 0, tzinfo=utc),
            "primary_category": "cs.LG",
            "categories": ["cs.LG"],
            "authors": [("Wei Chen", ["Massachusetts Institute of Technology", "MIT"])],
            "pdf_url": "https://arxiv.org/pdf/2401.00001",
        },
        {
            "raw_id": "2402.00002v1",
            "title": "Accents everywhere",
            "abstract": "Ünïcödé.",
            "published": date(2024, 2, 2),
            "updated": datetime(2024, 2, 3, 4, 5, 6, 789000, tzinfo=utc),
            "primary_category": "math.CO",
            "categories": ["math.CO", "cs.DM"],
            "authors": [("Ólafur Arnalds", []), ("Olafur Arnalds", []), ("Chloé Dubois", [])],
        },
        {
            "raw_id": "2403.00003v4",
            "title": "Old friends again",
            "abstract": "Again.",
            "published": date(2024, 3, 3),
            "updated": datetime(2024, 3, 3, 3, 3, tzinfo=utc),
            "primary_category": "cs.DB",
            "categories": ["cs.DB", "cs.LG"],
            "authors": [("Qizhen Zhang", []), ("JOSÉ GARCÍA", []), ("Wei Chen", ["MIT"])],
        },
    ]
    records = [make_record(**spec) for spec in specs]
    # in publication order, as arXiv's snapshot runs: the record a transactional load
    # founds first for a name is then the one the bulk path names first
    return sorted(records, key=lambda r: (r.published, r.arxiv_id))


RECORDS = _records()

NODES = """
MATCH (n) WHERE NOT n:SchemaMigration
RETURN labels(n) AS labels, properties(n) AS props,
       [k IN keys(n) | k + ':' + valueType(n[k])] AS types
"""

EDGES = """
MATCH (a)-[r]->(b)
RETURN type(r) AS type, coalesce(a.key, a.arxivId) AS start,
       coalesce(b.key, b.arxivId, b.code) AS end, properties(r) AS props,
       [k IN keys(r) | k + ':' + valueType(r[k])] AS types
"""


def dump(drv: neo4j.Driver) -> list[str]:
    """Every node and edge with its properties and their Cypher types, in a stable order."""
    out = []
    for row in rows(drv, NODES) + rows(drv, EDGES):
        row["props"] = sorted(row["props"].items())
        row["types"] = sorted(row["types"])
        out.append(repr(sorted(row.items())))
    return sorted(out)
