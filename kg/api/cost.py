"""What a request may cost, decided before any Cypher runs.

Each Cypher query has a timeout, but one GraphQL document can fan out into many: works ->
authors -> collaborators -> works multiplies page sizes at every level. So every document
is priced after validation, with its variables: the number of objects it could return, the
product of the page sizes along each path (a list without `first` at its cap), summed over
paths, as GitHub's public GraphQL API counts nodes. A document above `MAX_COST` is refused
with `QUERY_TOO_COSTLY` and both numbers in the message.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    Node,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    is_composite_type,
)
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values
from strawberry.extensions import SchemaExtension

from kg.api.errors import QUERY_TOO_COSTLY
from kg.api.gateway import MAX_AUTHORS_LISTED
from kg.api.lookahead import variables_in
from kg.api.types.connection import MAX_HOPS
from kg.api.types.neighbourhood import MAX_CONTEXT_LIMIT
from kg.api.types.pagination import MAX_PAGE

MAX_COST = 50_000
"""Objects one request may ask for. A profile page is about 2,200 (20 works with up to 100
authors each); the budget leaves room for 20 such pages in one document, and refuses the
nested fan-outs that cost Neo4j seconds to minutes (see README, "Request budgets")."""

COSTLY = 10_000
"""Above this price a request takes the app's one costly lane (`Context.costly_lane`): it
waits for the one before it, and its wait counts against its time budget."""

LIST_CAP = 100
"""Size assumed for a list with no `first` and no known bound (topics, institutions)."""

FIXED_SIZES: dict[tuple[str, str], int] = {("Work", "authors"): MAX_AUTHORS_LISTED}
"""Lists whose length the API itself caps."""

EDGES_PER_NODE = 4
"""The neighbourhood's edges, per node it returns: works, topics and people link up to a few
others each within the graph a panel shows."""


def _neighbourhood_nodes(args: Mapping[str, Any]) -> int:
    """Nodes of `Researcher.context`: the researcher, then up to `limit` works, topics,
    institutions and collaborators, and at depth 2 up to `limit` of theirs."""
    return 1 + (5 if args["depth"] >= 2 else 4) * _within(args["limit"], MAX_CONTEXT_LIMIT)


def _within(size: int, most: int) -> int:
    """A page size as the resolver will take it: one out of range is refused there, with
    the argument named, so it is priced at the most it could be rather than refused here."""
    return max(0, min(size, most))


PAGE_SIZES: dict[tuple[str, str], Callable[[Mapping[str, Any]], int]] = {
    ("Researcher", "context"): _neighbourhood_nodes,
}
"""Fields whose lists' length comes from arguments other than `first`."""


def _hops(scope: Mapping[str, Any]) -> int:
    """Links of a chain of `connection(maxHops:)`: at most `maxHops`."""
    return _within(scope.get("maxHops", MAX_HOPS), MAX_HOPS)


SCOPED_SIZES: dict[tuple[str, str], Callable[[Mapping[str, Any]], int]] = {
    ("CoauthorChain", "links"): _hops,
    ("CoauthorChain", "researchers"): lambda scope: 1 + _hops(scope),
}
"""Lists whose length an ancestor's argument bounds: a chain of `connection(maxHops:)` has
at most that many links, and one researcher more."""


SIZE_ARGUMENTS = frozenset({"first", "depth", "limit", "maxHops"})
"""The only arguments a price reads (`Pricing` sees no other): a price is the same for
every value of the other variables (a researcher's `$id`), so it is cached per document
and the values of the variables given to these."""


class Pricing:
    """The price of one operation of a validated document, given its variables."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: VariableValues,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables

    def operation(self, op: OperationDefinitionNode) -> int:
        root = self.schema.get_root_type(op.operation)
        return self.selections(op.selection_set, root, 1, None, {}) if root else 0

    def selections(
        self,
        selection_set: SelectionSetNode | None,
        parent: GraphQLObjectType,
        times: int,
        page: int | None,
        scope: Mapping[str, Any],
    ) -> int:
        """Objects returned under `selection_set`, asked `times` times; `page` is the size
        of the lists right below (set by the parent field's `first`), `scope` the arguments
        of the fields above (the nearest one's, where two have the same name)."""
        total = 0
        for node in self._fields(selection_set):
            field = parent.fields.get(node.name.value)
            if field is None:  # __typename and introspection: no objects of ours
                continue
            named = get_named_type(field.type)
            if not is_composite_type(named):
                continue
            args = {
                name: value
                for name, value in get_argument_values(field, node, self.variables).items()
                if name in SIZE_ARGUMENTS
            }
            key = (parent.name, node.name.value)
            if isinstance(_nullable(field.type), GraphQLList):
                size = FIXED_SIZES.get(key, LIST_CAP if page is None else page)
                if key == ("ResearcherContext", "edges") and page is not None:
                    size = page * EDGES_PER_NODE
                if key in SCOPED_SIZES:
                    size = SCOPED_SIZES[key](scope)
            else:
                size = 1
            if key in PAGE_SIZES:
                below: int | None = PAGE_SIZES[key](args)
            else:
                below = _within(args["first"], MAX_PAGE) if "first" in args else None
            count = times * size
            if isinstance(named, GraphQLObjectType):
                count += self.selections(node.selection_set, named, count, below, {**scope, **args})
            total += count
        return total

    def _fields(self, selection_set: SelectionSetNode | None) -> Iterator[FieldNode]:
        for node in selection_set.selections if selection_set else ():
            if isinstance(node, FieldNode):
                yield node
            elif isinstance(node, InlineFragmentNode):
                yield from self._fields(node.selection_set)
            elif isinstance(node, FragmentSpreadNode) and node.name.value in self.fragments:
                yield from self._fields(self.fragments[node.name.value].selection_set)


def _nullable(kind: Any) -> Any:
    return kind.of_type if isinstance(kind, GraphQLNonNull) else kind


def price(
    schema: GraphQLSchema,
    document: Any,
    operation_name: str | None,
    variables: dict[str, Any] | None,
) -> int | None:
    """Objects the chosen operation could return; None when it cannot be priced (no such
    operation, bad variables): execution then reports that error itself."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1:
        return None
    op = operations[0]
    coerced = get_variable_values(schema, op.variable_definitions or (), variables or {})
    if isinstance(coerced, list):  # variable errors
        return None
    names = _size_variables(document)
    key = (id(document), operation_name, repr([coerced.coerced.get(n) for n in names]))
    cached = _PRICES.get(key)
    if cached is not None and cached[0] is document:
        _PRICES.move_to_end(key)
        return cached[1]
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    cost = Pricing(schema, fragments, coerced).operation(op)
    _PRICES[key] = (document, cost)
    if len(_PRICES) > CACHED_PRICES:
        _PRICES.popitem(last=False)
    return cost


CACHED_PRICES = 512
"""Prices kept (the least recently used goes first), as many as parsed documents."""

_PRICES: OrderedDict[tuple[int, str | None, str], tuple[DocumentNode, int]] = OrderedDict()
"""Price by document (kept alive beside it, so its id is not reused while cached), operation
and the values of its `SIZE_ARGUMENTS` variables: the parse cache hands out the same
document for the same text."""

_SIZE_VARIABLES: OrderedDict[int, tuple[DocumentNode, list[str]]] = OrderedDict()


def _size_variables(document: DocumentNode) -> list[str]:
    """Variables a document passes to a `SIZE_ARGUMENTS` argument, anywhere in it."""
    known = _SIZE_VARIABLES.get(id(document))
    if known is not None and known[0] is document:
        return known[1]
    found: set[str] = set()

    def walk(node: Node) -> None:
        if isinstance(node, ArgumentNode):
            if node.name.value in SIZE_ARGUMENTS:
                found.update(variables_in(node.value))
            return
        for attribute in node.keys:
            value = getattr(node, attribute, None)
            for child in value if isinstance(value, tuple | list) else (value,):
                if isinstance(child, Node):
                    walk(child)

    walk(document)
    names = sorted(found)
    _SIZE_VARIABLES[id(document)] = (document, names)
    if len(_SIZE_VARIABLES) > CACHED_PRICES:
        _SIZE_VARIABLES.popitem(last=False)
    return names


def too_costly(cost: int, budget: int = MAX_COST) -> GraphQLError:
    return GraphQLError(
        f"This request could return up to {cost:,} objects; the budget is {budget:,} per "
        "request. Ask for smaller pages (`first`, `limit`), fewer nested lists, or split it "
        "into several requests.",
        extensions={"code": QUERY_TOO_COSTLY, "cost": cost, "budget": budget},
    )


class CostLimit(SchemaExtension):
    """Refuses a document above the budget (`Settings.max_query_cost`, KG_MAX_QUERY_COST)
    after validation, before it executes; runs costly ones in the app's costly lane."""

    cost: int | None = None

    def on_validate(self) -> Iterator[None]:
        """Runs after the validation cache has set `pre_execution_errors`: strawberry checks
        them inside the validation step, so the price must be known before it ends."""
        ctx = self.execution_context
        if not ctx.pre_execution_errors and ctx.graphql_document is not None:
            settings = getattr(ctx.context, "settings", None)
            budget = settings.max_query_cost if settings else MAX_COST
            document, name = ctx.graphql_document, ctx.operation_name
            cost = price(ctx.schema._schema, document, name, ctx.variables)
            if cost is not None and cost > budget:
                ctx.pre_execution_errors = [too_costly(cost, budget)]
            self.cost = cost
        yield

    async def on_execute(self) -> AsyncIterator[None]:
        lane = getattr(self.execution_context.context, "costly_lane", None)
        if lane is None or (self.cost or 0) <= COSTLY:
            yield
            return
        async with lane:
            yield
