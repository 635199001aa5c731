"""A researcher record's trust snapshot (`Researcher.trust`): level, score and why.

The rule itself is `kg.api.trust`, a pure function; these types only carry its answer, so
a UI can show the level and list each reason with the points it gave.
"""

from __future__ import annotations

from enum import Enum

import strawberry

from kg.api.trust import Assessment


@strawberry.enum(description="How far to trust that a record is one real person's.")
class TrustLevel(Enum):
    VERIFIED = strawberry.enum_value(
        "VERIFIED", description="An operator verified its owner's claim."
    )
    HIGH = strawberry.enum_value("HIGH", description="Score 60 or more.")
    MEDIUM = strawberry.enum_value("MEDIUM", description="Score 25 to 59.")
    LOW = strawberry.enum_value("LOW", description="Score below 25.")


@strawberry.type(description="One thing the trust rule weighed, and the points it gave.")
class TrustReason:
    code: str = strawberry.field(description="Stable code, e.g. `ORCID`, `NAMESAKES`.")
    text: str = strawberry.field(description="The reason in words, with the figures.")
    points: int = strawberry.field(description="Added to the score (negative: taken off).")


@strawberry.type(
    description='How far to trust a record, by a documented rule (README, "How far to '
    'trust a record"): its claim, external ids, the evidence behind its authorships, '
    "namesakes, and whether OpenAlex agrees."
)
class Trust:
    score: int = strawberry.field(description="0 to 100: the reasons' points, within bounds.")
    level: TrustLevel
    reasons: list[TrustReason] = strawberry.field(description="Every rule weighed, in order.")


def trust(assessment: Assessment) -> Trust:
    return Trust(
        score=assessment.score,
        level=TrustLevel(assessment.level),
        reasons=[
            TrustReason(code=r.code, text=r.text, points=r.points) for r in assessment.reasons
        ],
    )
