"""Read, in a parent resolver, the arguments its child fields were asked with.

The `researcher` field uses it to fetch a whole profile page (works, collaborators,
counts) in one Cypher query and prime the loaders the child fields then read from.
"""

from __future__ import annotations

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
    found: list[dict[str, Any]] = []
    # graphql-core hands resolvers the coerced variables only; that is all coercion reads
    coerced = raw.variable_values
    variables = coerced if isinstance(coerced, VariableValues) else VariableValues({}, coerced)

    def walk(selection_set: SelectionSetNode | None) -> None:
        for node in selection_set.selections if selection_set else ():
            if isinstance(node, FieldNode):
                if node.name.value == field:
                    found.append(get_argument_values(definition, node, variables))
            elif isinstance(node, InlineFragmentNode):
                walk(node.selection_set)
            elif isinstance(node, FragmentSpreadNode):
                walk(raw.fragments[node.name.value].selection_set)

    for field_node in raw.field_nodes:
        walk(field_node.selection_set)
    return found
