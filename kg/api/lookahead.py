"""Read, in a parent resolver, which child fields were asked for and with what arguments.

The `researcher` field uses it to fetch a whole profile page (works, collaborators,
counts) in one Cypher query, computing only the parts selected, and to prime the loaders
the child fields then read from; `connection` to know how much evidence its links list.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    InlineFragmentNode,
    SelectionSetNode,
    get_named_type,
)
from graphql.execution.values import VariableValues, get_argument_values
from strawberry.types import Info


def _walk(selection_set: SelectionSetNode | None, raw: Any) -> Iterator[FieldNode]:
    """The field nodes of a selection set, through inline fragments and fragment spreads."""
    for node in selection_set.selections if selection_set else ():
        if isinstance(node, FieldNode):
            yield node
        elif isinstance(node, InlineFragmentNode):
            yield from _walk(node.selection_set, raw)
        elif isinstance(node, FragmentSpreadNode):
            yield from _walk(raw.fragments[node.name.value].selection_set, raw)


def _children(info: Info[Any, Any]) -> Iterator[FieldNode]:
    """The field nodes selected right under this field, through fragments and aliases."""
    raw = info._raw_info
    for field_node in raw.field_nodes:
        yield from _walk(field_node.selection_set, raw)


def child_names(info: Info[Any, Any]) -> set[str]:
    """GraphQL names of the fields selected right under this one (`worksByYear`)."""
    return {node.name.value for node in _children(info)}


def child_args(info: Info[Any, Any], field: str) -> list[dict[str, Any]]:
    """Coerced arguments (variables and defaults applied) of each `field` right under this one.

    Follows aliases and fragments: `a: works(first: 5) b: works(first: 9)` yields both.
    Keys are GraphQL argument names (`orderBy`), enum values their Python values.
    """
    return nested_args(info, (field,))


def nested_args(info: Info[Any, Any], path: Sequence[str]) -> list[dict[str, Any]]:
    """Coerced arguments of each field at `path` below this one, as `child_args` for one
    level: `("chains", "links", "evidence")` reads every `evidence(first: N)` of a chain."""
    raw = info._raw_info
    parent = get_named_type(raw.return_type)
    nodes = list(raw.field_nodes)
    definition = None
    for name in path:
        if not isinstance(parent, GraphQLObjectType) or name not in parent.fields:
            return []
        definition = parent.fields[name]
        nodes = [
            n for node in nodes for n in _walk(node.selection_set, raw) if n.name.value == name
        ]
        parent = get_named_type(definition.type)
    if definition is None:
        return []
    # graphql-core hands resolvers the coerced variables only; that is all coercion reads
    coerced = raw.variable_values
    variables = coerced if isinstance(coerced, VariableValues) else VariableValues({}, coerced)
    return [get_argument_values(definition, node, variables) for node in nodes]
