"""A graphql-core executor that completes plain leaf fields without the per-field machinery.

A profile page answers ~750 fields, most of them plain leaves read straight off a dataclass
(`Work.title`, `Researcher.name` of each author). graphql-core spends tens of microseconds
on each one (a path, a resolve-info tuple, argument checks, the completion chain) although
nothing can happen there but a read and a scalar coercion; that was most of a page's time in
Python. This executor reads such fields directly: a field whose resolver is strawberry's
basic-field getter (no resolver, no extensions, no permission classes), with no arguments,
and whose type is a scalar or enum (nullable or not). Everything else, and any leaf whose
value is missing or fails coercion, goes through graphql-core's own path, so results,
errors and their paths are exactly graphql-core's (tests/test_executor.py compares them).

The same holds one level up: a field with the plain getter and no arguments whose type is an
object type (without an `is_type_of` check) made only of such fields, or a list of those or
of leaves, is built in one loop too (a works page's `edges { cursor node { ... authors { id
name } } }`, `pageInfo`); anything that is not plain after all sends that field back to
graphql-core, whole.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable
from functools import partial
from operator import attrgetter
from typing import Any, NamedTuple

from graphql import (
    BREAK,
    DirectiveNode,
    GraphQLBoolean,
    GraphQLID,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLString,
    Undefined,
    Visitor,
    is_leaf_type,
    visit,
)
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from kg.api.lookahead import variables_in

_BASIC_GETTER = "_get_basic_result"  # strawberry's resolver for a field without one


class _Leaf(NamedTuple):
    name: str  # response key (alias or field name)
    details: Any  # graphql-core's FieldDetailsList, for the fallback path
    read: Any  # source -> value
    coerce: Any  # value -> output value (the scalar's or enum's own coercion)
    exact: type | None  # values of exactly this type are output as they are
    non_null: bool
    build: Any = None  # for an object or a list: non-null value -> output value, or Undefined


class _Plan(NamedTuple):
    leaves: dict[str, _Leaf]
    order: tuple[str, ...]
    rest: dict[str, Any]  # the grouped fields graphql-core executes itself
    keep: Any  # the grouped field set, kept alive so its id is not reused


class FastLeafExecutor(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor, with plain leaf fields read directly (see the module doc)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plans: dict[int, _Plan] = {}
        self._shared = _shared_plans(self.schema, self.operation, self.fragments)

    def _plan(self, parent_type: GraphQLObjectType, grouped: Any) -> _Plan:
        """Which fields of a selection are plain: worked out once per selection and type
        (graphql-core memoises the grouped field set of a list's items), then kept; and,
        where the operation allows (`_shared_plans`), kept for its next requests too."""
        plan = self._plans.get(id(grouped))
        if plan is not None and plan.keep is grouped:
            return plan
        shared = self._shared
        key: Any = None
        if shared is not None:
            key = (parent_type, tuple((n, *map(_node_id, d)) for n, d in grouped.items()))
            plan = shared.get(key)
        if plan is None:
            plan = self._new_plan(parent_type, grouped)
            if shared is not None:
                shared[key] = plan
        else:
            plan = plan._replace(keep=grouped)
        self._plans[id(grouped)] = plan
        return plan

    def _new_plan(self, parent_type: GraphQLObjectType, grouped: Any) -> _Plan:
        leaves: dict[str, _Leaf] = {}
        rest: dict[str, Any] = {}
        wrapped = self.middleware_manager is not None and self.middleware_manager.middlewares
        for name, details in grouped.items():
            # a resolve hook (a schema extension's `resolve`) must see every field
            leaf = None if wrapped else _plain_leaf(self, parent_type, details)
            if leaf is None:
                rest[name] = details
            else:
                leaves[name] = _Leaf(name, details, *leaf)
        return _Plan(leaves, tuple(grouped), rest, grouped)

    def complete_list_value(
        self,
        return_type: Any,
        field_details_list: Any,
        info: Any,
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        """A list of objects whose selected fields are all plain leaves (a work's authors'
        `id` and `name`) is built here in one loop; any other list, or any item that is not
        plain after all (a null, a refused value), is completed by graphql-core."""
        if type(result) is list and position_context is None:
            built = self._plain_objects(return_type.of_type, field_details_list, info, result)
            if built is not None:
                return built
        return super().complete_list_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def _plain_objects(
        self, item_type: Any, field_details_list: Any, info: Any, items: list[Any]
    ) -> list[dict[str, Any]] | None:
        object_type = item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
        if not isinstance(object_type, GraphQLObjectType):
            return None
        grouped, defer_usages, _ = self.collect_subfields(object_type, field_details_list)
        if defer_usages or self.get_stream_usage(field_details_list, info.path) is not None:
            return None
        plan = self._plan(object_type, grouped)
        if plan.rest or not plan.leaves:
            return None
        is_type_of = object_type.is_type_of
        leaves = tuple(plan.leaves.values())
        built: list[dict[str, Any]] = []
        for item in items:
            if item is None or (is_type_of is not None and is_type_of(item, info) is not True):
                return None
            row = _build_object(leaves, item)
            if row is Undefined:
                return None
            built.append(row)
        return built

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        plan = self._plan(parent_type, grouped_field_set)
        if not plan.leaves:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        values: dict[str, Any] = {}
        for leaf in plan.leaves.values():
            value = _read(leaf, source_value)
            if value is Undefined:  # missing, or not coercible: graphql-core says why
                value = self.execute_field(
                    parent_type,
                    source_value,
                    leaf.details,
                    Path(path, leaf.name, parent_type.name),
                    position_context,
                )
            values[leaf.name] = value
        others: Any = {}
        if plan.rest:
            others = super().execute_fields(
                parent_type, source_value, path, plan.rest, position_context
            )
        if self.is_awaitable(others):
            return _merge_later(plan.order, values, others)
        return {name: values[name] if name in values else others[name] for name in plan.order}


SHARED_OPERATIONS = 512
"""Operations whose plans are kept across requests (the least recently used goes first),
as many as the parse cache keeps documents."""

_SHARED: OrderedDict[int, tuple[Any, Any, dict[Any, _Plan]]] = OrderedDict()


def _shared_plans(schema: Any, operation: Any, fragments: Any) -> dict[Any, _Plan] | None:
    """The plans of `operation` kept across its requests, or None where they cannot be.

    The parse cache hands every request of a document the same field nodes, so a plan keyed
    by the nodes holds for every request of the operation, unless a directive takes a
    variable (`@include(if: $x)`): then the fields collected below differ by request. Plain
    fields have no arguments, so no other variable changes a plan. A plan keeps its first
    request's field details for graphql-core's fallback; they only carry the same nodes."""
    entry = _SHARED.get(id(operation))
    if entry is not None and entry[0] is operation and entry[1] is schema:
        _SHARED.move_to_end(id(operation))
        return entry[2]
    if _directive_variables(operation, fragments):
        return None
    plans: dict[Any, _Plan] = {}
    _SHARED[id(operation)] = (operation, schema, plans)  # the operation kept: ids stay its
    if len(_SHARED) > SHARED_OPERATIONS:
        _SHARED.popitem(last=False)
    return plans


def _directive_variables(operation: Any, fragments: Any) -> bool:
    """Whether a directive anywhere in the operation or its fragments takes a variable (or a
    fragment takes arguments)."""
    found = False

    class Finder(Visitor):
        def enter_directive(self, node: DirectiveNode, *_: Any) -> Any:
            nonlocal found
            if variables_in(node):
                found = True
                return BREAK
            return None

    for root in (operation, *fragments.values()):
        if getattr(root, "variable_signatures", None):  # a fragment with arguments
            return True
        visit(getattr(root, "definition", root), Finder())
        if found:
            return True
    return False


def _node_id(details: Any) -> int:
    return id(details.node)


def _plain_leaf(
    executor: FastLeafExecutor, parent_type: GraphQLObjectType, details: Any
) -> tuple[Any, Any, type | None, bool, Any] | None:
    node = details[0].node
    field_def = executor.schema.get_field(parent_type, node.name.value)
    if field_def is None or node.arguments or field_def.args:
        return None
    resolve = field_def.resolve
    if resolve is None or getattr(resolve, "__name__", "") != _BASIC_GETTER:
        return None
    if not getattr(resolve, "_is_default", False):
        return None
    kind: Any = field_def.type
    non_null = isinstance(kind, GraphQLNonNull)
    if non_null:
        kind = kind.of_type
    read = _reader(resolve, field_def)
    if is_leaf_type(kind):
        return read, kind.coerce_output_value, _EXACT.get(kind), non_null, None
    # an object or a list: no directive may ask for more than a value (@defer, @stream)
    if any(d.node.directives for d in details):
        return None
    build = _builder(executor, kind, details)
    return None if build is None else (read, None, None, non_null, build)


def _builder(executor: FastLeafExecutor, kind: Any, details: Any) -> Any:
    """How to build a non-null value of `kind` (nullable type) selected by `details`, or
    None where graphql-core must: an object type with a check or a field not plain."""
    if isinstance(kind, GraphQLObjectType):
        if kind.is_type_of is not None:
            return None
        grouped, defer_usages, _ = executor.collect_subfields(kind, details)
        if defer_usages:
            return None
        plan = executor._plan(kind, grouped)
        if plan.rest or not plan.leaves:
            return None
        return partial(_build_object, tuple(plan.leaves.values()))
    if isinstance(kind, GraphQLList):
        item: Any = kind.of_type
        item_non_null = isinstance(item, GraphQLNonNull)
        if item_non_null:
            item = item.of_type
        if is_leaf_type(item):
            build = partial(_build_leaf, item.coerce_output_value, _EXACT.get(item))
        else:
            build = _builder(executor, item, details)
        return None if build is None else partial(_build_list, build, item_non_null)
    return None


def _build_object(leaves: tuple[_Leaf, ...], source: Any) -> Any:
    row = {}
    for leaf in leaves:
        value = _read(leaf, source)
        if value is Undefined:
            return Undefined
        row[leaf.name] = value
    return row


def _build_list(build: Any, item_non_null: bool, value: Any) -> Any:
    if type(value) is not list:  # other iterables: graphql-core's rules
        return Undefined
    built: list[Any] = []
    for item in value:
        if item is None:
            if item_non_null:
                return Undefined
            built.append(None)
            continue
        out = build(item)
        if out is Undefined:
            return Undefined
        built.append(out)
    return built


def _build_leaf(coerce: Any, exact: type | None, value: Any) -> Any:
    if type(value) is exact:
        return value
    coerced = coerce(value)
    return Undefined if coerced is None else coerced


# a str is a String's or ID's output as it is, a bool a Boolean's (Int and Float check range)
_EXACT: dict[Any, type] = {GraphQLString: str, GraphQLID: str, GraphQLBoolean: bool}


def _reader(resolve: Any, field_def: Any) -> Any:
    """The attribute read strawberry's getter does (`getattr(source, python_name)` under the
    default config), without the two calls around it."""
    field = field_def.extensions.get("strawberry-definition")
    if field is not None and field.default_resolver is getattr and not field.base_resolver:
        return attrgetter(field.python_name)
    return partial(_call_getter, resolve)


def _call_getter(resolve: Any, source: Any) -> Any:
    return resolve(source, None)


def _read(leaf: _Leaf, source: Any) -> Any:
    """The field's output value, or Undefined where graphql-core must complete it (a null
    in a non-null field, a value the scalar refuses, a getter that raised)."""
    try:
        value = leaf.read(source)
        if value is None:
            return Undefined if leaf.non_null else None
        if leaf.build is not None:
            return leaf.build(value)
        if type(value) is leaf.exact:
            return value
        coerced = leaf.coerce(value)
    except Exception:
        return Undefined
    return Undefined if coerced is None else coerced


async def _merge_later(
    order: tuple[str, ...], values: dict[str, Any], others: Awaitable[dict[str, Any]]
) -> dict[str, Any]:
    rest = await others
    return {name: values[name] if name in values else rest[name] for name in order}
