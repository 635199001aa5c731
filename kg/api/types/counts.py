"""Counts per year (citations, works), shared by researchers and works.

OpenAlex gives `counts_by_year` as aligned lists of years and counts; the queries pair them
up and this module hands them out oldest year first, whatever order the graph kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import strawberry


@strawberry.type(description="A count for one calendar year.")
class YearCount:
    year: int
    count: int


def year_counts(rows: Iterable[dict[str, Any]] | None) -> list[YearCount]:
    """`{year, count}` rows as `YearCount`s, ascending years; rows missing either are dropped."""
    pairs = [
        (r["year"], r["count"])
        for r in rows or ()
        if r.get("year") is not None and r.get("count") is not None
    ]
    return [YearCount(year=y, count=c) for y, c in sorted(pairs)]


@strawberry.type(description="A researcher's works in one topic in one calendar year.")
class TopicYearCount:
    year: int
    code: str = strawberry.field(description="The arXiv category, e.g. `cs.LG`.")
    count: int = strawberry.field(description="Works that year listing the category.")


def topic_year_counts(rows: Iterable[dict[str, Any]] | None) -> list[TopicYearCount]:
    """`{year, code, count}` rows as `TopicYearCount`s, in the order the query gave."""
    return [TopicYearCount(year=r["year"], code=r["code"], count=r["count"]) for r in rows or ()]
