"""Read, in a parent resolver, which child fields were asked for and with what arguments.

The `researcher` field uses it to fetch a whole profile page (works, collaborators,
counts) in one Cypher query, computing only the parts selected, and to prime the loaders
the child fields then read from; `connection` to know how much evidence its links list.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Generic, TypeVar

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    InlineFragmentNode,
    Node,
    SelectionSetNode,
    VariableNode,
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
    return [args for args, _ in nested_fields(info, path)]


def nested_fields(info: Info[Any, Any], path: Sequence[str]) -> list[tuple[dict[str, Any], Any]]:
    """Each field at `path` below this one: its coerced arguments, and its node for
    `names_below`."""
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
    return [(get_argument_values(definition, node, variables), node) for node in nodes]


def names_below(info: Info[Any, Any], nodes: Sequence[FieldNode], path: Sequence[str]) -> set[str]:
    """GraphQL names of the fields selected at `path` below `nodes` (field nodes of this
    request: this field's own, or some from `nested_fields`), through fragments."""
    raw = info._raw_info
    for name in path:
        nodes = [
            n for node in nodes for n in _walk(node.selection_set, raw) if n.name.value == name
        ]
    return {n.name.value for node in nodes for n in _walk(node.selection_set, raw)}


T = TypeVar("T")


class SelectionMemo(Generic[T]):
    """What a resolver works out from its selection alone, kept across requests.

    Parsed documents are cached (`ParserCache`), so the same query text brings the same
    field nodes every time: what a resolver reads off them (which parts and pages a profile
    needs) depends only on them and on the variables used below them, not on the rest (the
    researcher's `$id`). An entry is keyed by the nodes' identity, kept alive in the entry so
    no id is reused while it is there, and by those variables' values; the least recently
    used entry goes first past `maxsize`.
    """

    def __init__(self, maxsize: int = 512) -> None:
        self.maxsize = maxsize
        self._entries: OrderedDict[tuple[Any, ...], tuple[tuple[FieldNode, ...], T]] = OrderedDict()
        self._variables: OrderedDict[tuple[int, ...], tuple[tuple[FieldNode, ...], list[str]]] = (
            OrderedDict()
        )

    def get(self, info: Info[Any, Any], compute: Callable[[], T]) -> T:
        """`compute()`'s answer for this selection: computed once per selection and values."""
        raw = info._raw_info
        nodes = tuple(raw.field_nodes)
        ids = tuple(map(id, nodes))
        coerced = raw.variable_values
        values = coerced.coerced if isinstance(coerced, VariableValues) else coerced
        names = self._names(raw, nodes, ids)
        key = (ids, repr([values.get(name) for name in names]) if names else "")
        entry = self._entries.get(key)
        if entry is not None and _same(entry[0], nodes):
            self._entries.move_to_end(key)
            return entry[1]
        answer = compute()
        self._entries[key] = (nodes, answer)
        if len(self._entries) > self.maxsize:
            self._entries.popitem(last=False)
        return answer

    def _names(self, raw: Any, nodes: tuple[FieldNode, ...], ids: tuple[int, ...]) -> list[str]:
        known = self._variables.get(ids)
        if known is not None and _same(known[0], nodes):
            return known[1]
        names = sorted(set().union(*(variables_in(node, raw.fragments) for node in nodes)))
        self._variables[ids] = (nodes, names)
        if len(self._variables) > self.maxsize:
            self._variables.popitem(last=False)
        return names


def _same(kept: tuple[FieldNode, ...], nodes: tuple[FieldNode, ...]) -> bool:
    return len(kept) == len(nodes) and all(a is b for a, b in zip(kept, nodes, strict=True))


def variables_in(node: Node, fragments: Mapping[str, Node] | None = None) -> set[str]:
    """Names of the variables used anywhere below `node` (arguments, directives), through
    the fragments it spreads when their definitions are given."""
    found: set[str] = set()
    _collect(node, fragments or {}, set(), found)
    return found


def _collect(node: Node, fragments: Mapping[str, Node], seen: set[str], found: set[str]) -> None:
    if isinstance(node, VariableNode):
        found.add(node.name.value)
        return
    if isinstance(node, FragmentSpreadNode) and node.name.value not in seen:
        seen.add(node.name.value)
        fragment = fragments.get(node.name.value)
        if fragment is not None:
            _collect(fragment, fragments, seen, found)
    for attribute in node.keys:
        value = getattr(node, attribute, None)
        for child in value if isinstance(value, tuple | list) else (value,):
            if isinstance(child, Node):
                _collect(child, fragments, seen, found)
