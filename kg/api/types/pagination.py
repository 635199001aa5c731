"""Pages of a list: `first` and `after` in, `PageInfo` and opaque cursors out.

Every paged list (works, collaborators) and the search follow the same rules for their
arguments and cursors, so the rules live apart from any one list; `kg.api.requests` checks
arguments with them before a request is built.
"""

from __future__ import annotations

import base64

import strawberry

from kg.api.errors import bad_input

MAX_PAGE = 100


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None = strawberry.field(description="Pass as `after` for the next page.")


def cursor(offset: int) -> str:
    """The opaque cursor of the item at `offset`."""
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def offset_after(after: str | None) -> int:
    """Position after the cursor `after` (0 without one); opaque cursors from `endCursor`."""
    if after is None:
        return 0
    try:
        kind, _, number = base64.b64decode(after, validate=True).decode().partition(":")
        offset = int(number)
    except ValueError:
        raise bad_input(f"`after` {after!r} is not a cursor this API gave out") from None
    if kind != "offset" or offset < 0:
        raise bad_input(f"`after` {after!r} is not a cursor this API gave out")
    return offset + 1


def check_first(first: int, most: int = MAX_PAGE) -> int:
    """`first`, if it is a page size a caller may ask for."""
    if not 0 <= first <= most:
        raise bad_input(f"`first` must be between 0 and {most}")
    return first


def page_info(total: int, offset: int, count: int) -> PageInfo:
    """Where a page of `count` items from `offset` stands among `total`."""
    last = offset + count - 1
    return PageInfo(
        has_next_page=offset + count < total, end_cursor=cursor(last) if count else None
    )
