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
"""

from __future__ import annotations

from collections.abc import Awaitable
from functools import partial
from operator import attrgetter
from typing import Any, NamedTuple

from graphql import (
    GraphQLBoolean,
    GraphQLID,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLString,
    Undefined,
    is_leaf_type,
)
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

_BASIC_GETTER = "_get_basic_result"  # strawberry's resolver for a field without one


class _Leaf(NamedTuple):
    name: str  # response key (alias or field name)
    details: Any  # graphql-core's FieldDetailsList, for the fallback path
    read: Any  # source -> value
    coerce: Any  # value -> output value (the scalar's or enum's own coercion)
    exact: type | None  # values of exactly this type are output as they are
    non_null: bool


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

    def _plan(self, parent_type: GraphQLObjectType, grouped: Any) -> _Plan:
        """Which fields of a selection are plain leaves: worked out once per selection and
        type (graphql-core memoises the grouped field set of a list's items), then kept."""
        plan = self._plans.get(id(grouped))
        if plan is not None and plan.keep is grouped:
            return plan
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
        plan = _Plan(leaves, tuple(grouped), rest, grouped)
        self._plans[id(grouped)] = plan
        return plan

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
            row = {}
            for leaf in leaves:
                value = _read(leaf, item)
                if value is Undefined:
                    return None
                row[leaf.name] = value
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


def _plain_leaf(
    executor: FastLeafExecutor, parent_type: GraphQLObjectType, details: Any
) -> tuple[Any, Any, type | None, bool] | None:
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
    if not is_leaf_type(kind):
        return None
    return _reader(resolve, field_def), kind.coerce_output_value, _EXACT.get(kind), non_null


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
