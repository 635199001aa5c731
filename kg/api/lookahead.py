"""Read, in a parent resolver, which child fields were asked for and with what arguments.

The `researcher` field uses it to fetch a whole profile page (works, collaborators,
counts) in one Cypher query, computing only the parts selected, and to prime the loaders
the child fields then read from.
"""

from __future__ import annotations

from collections.abc import Iterator
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


def _children(info: Info[Any, Any]) -> Iterator[FieldNode]:
    """The field nodes selected right under this field, through fragments and aliases."""
    raw = info._raw_info

    def walk(selection_set: SelectionSetNode | None) -> Iterator[FieldNode]:
        for node in selection_set.selections if selection_set else ():
            if isinstance(node, FieldNode):
                yield node
            elif isinstance(node, InlineFragmentNode):
                yield from walk(node.selection_set)
            elif isinstance(node, FragmentSpreadNode):
                yield from walk(raw.fragments[node.name.value].selection_set)

    for field_node in raw.field_nodes:
        yield from walk(field_node.selection_set)


def child_names(info: Info[Any, Any]) -> set[str]:
    """GraphQL names of the fields selected right under this one (`worksByYear`)."""
    return {node.name.value for node in _children(info)}


def child_args(info: Info[Any, Any], field: str) -> list[dict[str, Any]]:
    """Coerced arguments (variables and defaults applied) of each `field` right under this one.

    Follows aliases and fragments: `a: works(first: 5) b: works(first: 9)` yields both.
    Keys are GraphQL argument names (`orderBy`), enum values their Python values.
    """
    raw = info._raw_info
    parent = get_named_type(raw.return_type)
    if not isinstance(parent, GraphQLObjectType) or field not in parent.fields:
        return []
    definition = parent.fields[field]
    # graphql-core hands resolvers the coerced variables only; that is all coercion reads
    coerced = raw.variable_values
    variables = coerced if isinstance(coerced, VariableValues) else VariableValues({}, coerced)
    return [
        get_argument_values(definition, node, variables)
        for node in _children(info)
        if node.name.value == field
    ]
