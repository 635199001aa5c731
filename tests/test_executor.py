"""The fast-leaf executor answers exactly as graphql-core's own executor, and skips its
per-field path only where a field is a plain leaf."""

from __future__ import annotations

import asyncio
import datetime
from enum import Enum
from typing import Any

import strawberry
import strawberry.extensions

from kg.api.executor import FastLeafExecutor


@strawberry.enum
class Color(Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Item:
    id: strawberry.ID
    name: str
    size: int
    rank: int | None
    weight: float | None
    ok: bool
    color: Color
    when: datetime.date
    note: str | None
    must: str  # some items hold None here: a non-null field's error

    @strawberry.field
    async def double(self) -> int:
        return self.size * 2

    @strawberry.field
    def tagged(self, prefix: str = "#") -> str:
        return prefix + self.name


@strawberry.type
class Inner:
    label: str
    size: int
    must: str  # box 1's is None


@strawberry.type
class Box:
    label: str
    items: list[Item]
    maybe: Item | None
    inner: Inner | None
    tags: list[str]
    sizes: list[int | None]  # box 1 holds one Int refuses


def _items(n: int) -> list[Item]:
    return [
        Item(
            id=strawberry.ID(f"i{i}"),
            name=f"item {i}",
            size=i,
            rank=i if i != 7 else "seven",  # type: ignore[arg-type]  # a value Int refuses
            weight=None if i % 3 else i / 2,
            ok=i % 2 == 0,
            color=Color.RED if i % 2 else Color.BLUE,
            when=datetime.date(2020, 1, 1 + i % 28),
            note=None,
            must=None if i == 5 else "x",  # type: ignore[arg-type]
        )
        for i in range(n)
    ]


@strawberry.type
class Query:
    @strawberry.field
    def boxes(self, n: int = 10) -> list[Box]:
        return [
            Box(
                label=f"box {b}",
                items=_items(n),
                maybe=None,
                inner=Inner(label=f"inner {b}", size=b, must=None if b else "x"),  # type: ignore[arg-type]
                tags=["a", f"t{b}"],
                sizes=[b, None, "many" if b else 3],  # type: ignore[list-item]
            )
            for b in range(2)
        ]


fast = strawberry.Schema(query=Query, execution_context_class=FastLeafExecutor)
plain = strawberry.Schema(query=Query)

QUERIES = [
    "{ boxes { label items { id name weight ok color when note } } }",
    "{ boxes(n: 12) { label items { id name size rank } } }",  # item 7's rank is refused
    "{ boxes { items { id must } } }",  # item 5's non-null field is null
    '{ boxes { items { a: name b: name, name id double tagged(prefix: "@") } } }',
    "{ boxes { ... on Box { label items { ...F } } maybe { id } } }"
    " fragment F on Item { id name color }",
    "query($x: Boolean!) { boxes { items { id name @include(if: $x) ok @skip(if: $x) } } }",
    "{ boxes { __typename items { __typename id } } }",
    "{ boxes { label tags inner { label size } items { id } } }",  # all built in one loop
    "{ boxes { inner { label must } } }",  # box 1's inner is null, with the error's path
    "{ boxes { sizes tags } }",  # box 1's list holds a value Int refuses
    "{ boxes { inner { __typename label } maybe { id } } }",
]


def _run(
    schema: strawberry.Schema, query: str, x: bool = True
) -> tuple[Any, list[tuple[str, tuple[Any, ...]]]]:
    result = asyncio.run(schema.execute(query, variable_values={"x": x}))
    errors = sorted((e.message, tuple(e.path or ())) for e in result.errors or [])
    return result.data, errors


def test_same_answers_and_errors_as_graphql_core() -> None:
    for query in QUERIES:
        assert _run(fast, query) == _run(plain, query), query


def test_errors_keep_their_paths() -> None:
    data, errors = _run(fast, "{ boxes(n: 12) { items { id rank } } }")
    assert [path for _, path in errors] == [
        ("boxes", 0, "items", 7, "rank"),
        ("boxes", 1, "items", 7, "rank"),
    ]
    assert "non-integer value: 'seven'" in errors[0][0]
    assert data["boxes"][0]["items"][7] == {"id": "i7", "rank": None}
    data, errors = _run(fast, "{ boxes { items { id must } } }")
    # a null in a non-null field nulls the nearest nullable parent: here the whole list
    assert data is None
    assert [path for _, path in errors] == [("boxes", 0, "items", 5, "must")]


def test_plain_leaves_skip_the_per_field_path(monkeypatch: Any) -> None:
    """Only non-leaf fields and resolvers reach graphql-core's `execute_field`."""
    calls: list[str] = []
    original = FastLeafExecutor.execute_field

    def counting(self: Any, parent_type: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(parent_type.name)
        return original(self, parent_type, *args, **kwargs)

    monkeypatch.setattr(FastLeafExecutor, "execute_field", counting)
    data, errors = _run(fast, "{ boxes(n: 20) { label items { id name ok color double } } }")
    assert not errors and len(data["boxes"][1]["items"]) == 20
    # boxes (1) and each box's items (2) and each item's `double` (40); no leaf of Item or Box
    assert calls.count("Query") == 1
    assert calls.count("Box") == 2
    assert calls.count("Item") == 40
    calls.clear()
    data, errors = _run(fast, "{ boxes(n: 20) { items { id name ok color } } }")
    assert not errors and data["boxes"][0]["items"][19]["color"] == "RED"
    assert calls == ["Query"]  # each box, its list of plain items included, in one loop
    calls.clear()
    data, errors = _run(fast, "{ boxes(n: 20) { inner { label must } sizes } }")
    assert data["boxes"][1] == {"inner": None, "sizes": [1, None, None]}
    # box 1's inner and sizes go back to graphql-core, which finds the errors
    assert calls == ["Query", "Box", "Inner", "Box"]
    assert sorted(path for _, path in errors) == [
        ("boxes", 1, "inner", "must"),
        ("boxes", 1, "sizes", 2),
    ]


class Shout(strawberry.extensions.SchemaExtension):
    """A resolve hook: strings come back upper-case."""

    def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        value = _next(root, info, *args, **kwargs)
        return value.upper() if isinstance(value, str) else value


def test_a_resolve_hook_still_sees_every_field() -> None:
    hooked_fast = strawberry.Schema(
        query=Query, extensions=[Shout], execution_context_class=FastLeafExecutor
    )
    hooked = strawberry.Schema(query=Query, extensions=[Shout])
    query = "{ boxes(n: 3) { label items { id name color } } }"
    data, errors = _run(hooked_fast, query)
    assert not errors and data["boxes"][0]["items"][2]["name"] == "ITEM 2"
    assert _run(hooked_fast, query) == _run(hooked, query)


def test_plans_are_kept_across_requests_unless_a_directive_takes_a_variable(
    monkeypatch: Any,
) -> None:
    """With parsed documents cached (as the service does), a document is planned once; one
    whose `@include(if: $x)` changes what is selected is planned per request."""
    cached = strawberry.Schema(
        query=Query,
        execution_context_class=FastLeafExecutor,
        extensions=[lambda: strawberry.extensions.ParserCache(maxsize=32)],
    )
    planned: list[str] = []
    original = FastLeafExecutor._new_plan

    def counting(self: Any, parent_type: Any, grouped: Any) -> Any:
        planned.append(parent_type.name)
        return original(self, parent_type, grouped)

    monkeypatch.setattr(FastLeafExecutor, "_new_plan", counting)
    for x in (True, False, True):
        for query in QUERIES:
            planned.clear()
            assert _run(cached, query, x) == _run(plain, query, x), (query, x)
            if x is False:  # the second time each document is asked for
                assert bool(planned) == ("$x" in query), query
