"""How far to trust a researcher record: a score from what the graph knows, with its reasons.

A visitor sees a record the loaders assembled from authorships; this rule says how sure
the graph is that it is one real person's, and why, so a page can show the score and each
reason behind it. It is a pure function of one row (the profile's figures and the
`trust` facts the profile queries read), so it is tested without a server, and every
point it gives is a reason a UI can print. README, "How far to trust a record", has the
table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

HIGH = 60
"""Score from which a record's level is HIGH (below a verified claim)."""
MEDIUM = 25
"""Score from which it is MEDIUM; below, LOW."""

EVIDENCE_WEIGHTS = {
    "curator": 1.0,
    "external": 1.0,
    "coauthors": 1.0,
    "name": 0.5,
    "field": 0.25,
    "new": 0.0,
}
"""How much an authorship's `assignedBy` says it is this person's (see README, "Who is
who"): a human decision, an external id or shared co-authors are evidence; the name alone
is half of it (nothing says there are two people); a guess by field or a record of its own
says little. An authorship without `assignedBy` (loaded before it existed) counts as
`name`."""

AUTHORSHIP_POINTS = 20
AGREEING_SHARE = 0.9
"""Share of the authorships OpenAlex paired that must carry the record's OpenAlex id for
the sources to agree; below `DISAGREEING_SHARE` they disagree."""
DISAGREEING_SHARE = 0.7
WORKS_SLACK = 1.2
"""This graph may hold this many times OpenAlex's works count (plus 2) before the record
looks like more than OpenAlex's one person: OpenAlex counts works this graph lacks, rarely
the reverse."""


@dataclass(frozen=True)
class Reason:
    code: str
    text: str
    points: int


@dataclass(frozen=True)
class Assessment:
    score: int
    """0 to 100."""
    level: str
    """VERIFIED (an operator verified the owner's claim), HIGH, MEDIUM or LOW."""
    reasons: list[Reason]


def assess(row: Mapping[str, Any]) -> Assessment:
    """The trust rule over a profile row with its `trust` facts (README has it as a table)."""
    facts = row["trust"]
    reasons = [
        _claim(row["claimStatus"]),
        _id(row.get("orcid"), "ORCID", 15, "ORCID iD"),
        _id(row.get("openalexId"), "OPENALEX_ID", 10, "OpenAlex author id"),
        _authorships(facts["assignedBy"]),
        _namesakes(facts["namesakes"]),
    ]
    if row.get("openalexId"):
        reasons.append(_agreement(facts["paired"], facts["agreeing"]))
    if facts.get("openalexWorksCount") is not None:
        reasons.append(_works(row["worksCount"], facts["openalexWorksCount"]))
    if row.get("identityNotes"):
        reasons.append(
            Reason(
                "OVERRIDES_OPENALEX",
                "A human decision groups these works differently from OpenAlex "
                "(see identityNotes).",
                -5,
            )
        )
    score = max(0, min(100, sum(r.points for r in reasons)))
    if row["claimStatus"] == "VERIFIED":
        level = "VERIFIED"
    else:
        level = "HIGH" if score >= HIGH else "MEDIUM" if score >= MEDIUM else "LOW"
    return Assessment(score, level, reasons)


def _claim(status: str) -> Reason:
    if status == "VERIFIED":
        return Reason("CLAIM_VERIFIED", "Its owner's claim was verified by an operator.", 30)
    if status == "PENDING":
        return Reason("CLAIM_PENDING", "Someone claimed it; an operator has not verified it.", 10)
    return Reason("UNCLAIMED", "Nobody has claimed this record.", 0)


def _id(value: str | None, code: str, points: int, what: str) -> Reason:
    if value:
        return Reason(code, f"Its {what} is known: {value}.", points)
    return Reason(f"NO_{code}", f"No {what} is known for it.", 0)


def _authorships(assigned: list[Mapping[str, Any]]) -> Reason:
    total = sum(e["n"] for e in assigned)
    if not total:
        return Reason("NO_AUTHORSHIPS", "It has no works.", 0)
    weight = sum(EVIDENCE_WEIGHTS.get(e["by"] or "name", 0.5) * e["n"] for e in assigned)
    strong = sum(e["n"] for e in assigned if EVIDENCE_WEIGHTS.get(e["by"] or "name", 0.5) == 1)
    points = round(AUTHORSHIP_POINTS * weight / total)
    return Reason(
        "AUTHORSHIPS",
        f"{strong} of its {total} works are placed on it by a human decision, an external "
        "id or shared co-authors; the rest by the name alone or a guess.",
        points,
    )


def _namesakes(count: int) -> Reason:
    if not count:
        return Reason("UNIQUE_NAME", "No other record has this name.", 5)
    points = -5 if count < 5 else -10
    return Reason(
        "NAMESAKES",
        f"{count} other record(s) have this name: some works may be a namesake's.",
        points,
    )


def _agreement(paired: int, agreeing: int) -> Reason:
    if not paired:
        return Reason("OPENALEX_UNPAIRED", "OpenAlex paired none of its authorships.", 0)
    share = agreeing / paired
    text = f"{agreeing} of the {paired} authorships OpenAlex paired carry its OpenAlex id."
    if share >= AGREEING_SHARE:
        return Reason("SOURCES_AGREE", text, 10)
    if share < DISAGREEING_SHARE:
        return Reason("SOURCES_DISAGREE", text, -10)
    return Reason("SOURCES_MOSTLY_AGREE", text, 0)


def _works(works: int, openalex_works: int) -> Reason:
    text = f"This graph holds {works} of its works; OpenAlex counts {openalex_works}."
    if works <= openalex_works:
        return Reason("WORKS_WITHIN_OPENALEX", text, 10)
    if works <= openalex_works * WORKS_SLACK + 2:
        return Reason("WORKS_NEAR_OPENALEX", text, 0)
    return Reason("WORKS_EXCEED_OPENALEX", text + " It may join several people.", -10)
