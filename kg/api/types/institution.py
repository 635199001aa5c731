"""An institution a researcher was affiliated with, and the years they were.

Affiliations come from arXiv's author records and, once `kg load openalex` has run, from
OpenAlex's authorships, which also give the institution's ids, country and kind.
"""

from __future__ import annotations

from typing import Any

import strawberry


@strawberry.type(
    description="An institution named in author affiliations (arXiv's, or OpenAlex's once "
    "`kg load openalex` has run)."
)
class Institution:
    id: strawberry.ID
    name: str
    first_year: int | None = strawberry.field(
        description="First year the researcher was listed there; null if the load that "
        "wrote the affiliation did not record it."
    )
    last_year: int | None = strawberry.field(
        description="Last year the researcher was listed there."
    )
    openalex_id: str | None = strawberry.field(
        description="OpenAlex institution id, e.g. `I27837315`; null unless OpenAlex names it."
    )
    ror: str | None = strawberry.field(
        description="Its ROR id as a URL, e.g. `https://ror.org/042nb2s44`; null if unknown."
    )
    country: str | None = strawberry.field(
        description="ISO 3166-1 alpha-2 country code, e.g. `US`; null if unknown."
    )
    type: str | None = strawberry.field(
        description="OpenAlex's kind of institution, e.g. `education`, `company`; null if unknown."
    )


def institution(row: dict[str, Any]) -> Institution:
    """A row of a profile's `institutions` as an `Institution`."""
    return Institution(
        id=row["id"],
        name=row["name"],
        first_year=row.get("firstYear"),
        last_year=row.get("lastYear"),
        openalex_id=row.get("openalexId"),
        ror=row.get("ror"),
        country=row.get("country"),
        type=row.get("type"),
    )
