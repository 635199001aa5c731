"""A paper on arXiv (`Work`), pages of them and their orders, and the link to its code.

Works are listed by researchers and found by search, so their types stand apart from both.
A work's authors are researchers, whose type lists works in turn: `Work.authors` names it
lazily (strawberry resolves it when the schema is built), and the rows become `Work`s in
`kg.api.types.researcher`, next to the `Researcher` each author becomes.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from kg.api.types.counts import YearCount
from kg.api.types.pagination import PageInfo

if TYPE_CHECKING:
    from kg.api.types.researcher import Researcher

_CODE_HOSTS = re.compile(
    r"https?://(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org|codeberg\.org|"
    r"huggingface\.co|sourceforge\.net)/[^\s,;)\]}>\"']+",
    re.IGNORECASE,
)


def code_url(*texts: str | None) -> str | None:
    """The first code-hosting link (GitHub, GitLab, ...) in a paper's comment or links."""
    for text in texts:
        match = _CODE_HOSTS.search(text or "")
        if match:
            return match.group(0).rstrip(".")
    return None


@strawberry.enum(description="Orders for a list of works.")
class WorkOrder(Enum):
    NEWEST = strawberry.enum_value("NEWEST", description="First-version date, newest first.")
    OLDEST = strawberry.enum_value("OLDEST", description="First-version date, oldest first.")
    TITLE = strawberry.enum_value("TITLE", description="Title, A to Z (case-insensitive).")


@strawberry.type(description="A paper on arXiv.")
class Work:
    arxiv_id: str = strawberry.field(description="arXiv identifier without version.")
    title: str
    abstract: str
    published: date = strawberry.field(description="Date of the first version.")
    updated: datetime | None = strawberry.field(description="Date of the latest version.")
    category: str = strawberry.field(description="Primary arXiv category, e.g. `cs.LG`.")
    category_label: str = strawberry.field(description="Short label of the primary category.")
    categories: list[str]
    url: str = strawberry.field(description="The arXiv abstract page.")
    pdf_url: str | None
    doi: str | None
    journal_ref: str | None
    comment: str | None
    code_url: str | None = strawberry.field(
        description="Link to the code (GitHub, GitLab, Hugging Face, ...) if the paper's "
        "comment carries one."
    )
    withdrawn: bool = strawberry.field(description="Withdrawn by its authors; kept, marked.")
    author_count: int = strawberry.field(description="How many authors the paper lists.")
    citations: int | None = strawberry.field(
        description="Times cited, as OpenAlex counts (all citing works, not only those in "
        "this graph). Null until `kg load openalex` has found the paper."
    )
    openalex_id: str | None = strawberry.field(
        description="The paper's OpenAlex work id, e.g. `W4389671234`; null until `kg load "
        "openalex` has found it."
    )
    citations_by_year: list[YearCount] = strawberry.field(
        description="Citations received per year, as OpenAlex counts them (its recent years "
        "only), oldest first; empty without OpenAlex data."
    )
    authors: list[Annotated[Researcher, strawberry.lazy("kg.api.types.researcher")]] = (
        strawberry.field(
            description="Authors in the order listed; the first 100 for hyper-authored papers "
            "(`authorCount` has the total)."
        )
    )


@strawberry.type
class WorkEdge:
    cursor: str
    node: Work


@strawberry.type(description="A page of works.")
class WorkConnection:
    total_count: int
    page_info: PageInfo
    edges: list[WorkEdge]

    @strawberry.field(description="The works of `edges`, without cursors.")
    def nodes(self) -> list[Work]:
        return [e.node for e in self.edges]
