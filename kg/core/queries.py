"""The named queries in `queries/`: their text, what each answers, its parameters, running one.

Every reader of `queries/` goes through `get`, which reads and parses a file once per process.

Every file starts with a header: `// name: what it answers`, the parameters, and the
`:param` lines that Neo4j Browser runs as they are. `kg query NAME` reads the same
examples, so an analyst can run any query at once and then change one parameter.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import neo4j

from kg.core.errors import KgError
from kg.core.resources import resource_dir

_PARAM = re.compile(r"^//\s+:param\s+(\w+)\s*=>\s*(.+?)\s*$")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')
_BARE_KEY = re.compile(r"([{,]\s*)([A-Za-z_]\w*)\s*:")
_WRITES = re.compile(r"^\s*(MERGE|CREATE|DELETE|DETACH|SET|REMOVE)\b", re.MULTILINE)


class QueryError(KgError):
    """A query name or parameter that cannot be used; the message says what would work."""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    summary: str
    """The header's first sentence: what the query answers."""
    header: str
    text: str
    examples: dict[str, Any]
    """Parameter values from the header's `:param` lines."""

    @property
    def writes(self) -> bool:
        return bool(_WRITES.search(self.text))


def cypher_value(text: str) -> Any:
    """A Cypher literal as Neo4j Browser's `:param` takes it (strings, numbers, null,
    booleans, lists and maps with bare keys) as a Python value. A map is written in
    parentheses, `({order: "NEWEST"})`: Browser reads a bare `{` after `=>` as something
    else and fails."""
    text = text.strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    parts: list[str] = []
    last = 0
    for match in _STRING.finditer(text):
        parts.append(_BARE_KEY.sub(r'\1"\2":', text[last : match.start()]))
        literal = match.group(0)
        if literal.startswith("'"):  # Cypher allows single quotes; JSON does not
            literal = json.dumps(literal[1:-1].replace("\\'", "'"))
        parts.append(literal)
        last = match.end()
    parts.append(_BARE_KEY.sub(r'\1"\2":', text[last:]))
    try:
        return json.loads("".join(parts))
    except json.JSONDecodeError as err:
        raise QueryError(f"{text!r} is not a Cypher literal kg can read ({err.msg})") from None


def parse(name: str, text: str) -> NamedQuery:
    header_lines = []
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        header_lines.append(line)
    paragraph = []
    for line in header_lines:
        words = line[2:].strip()
        if not words:
            break
        paragraph.append(words)
    first = " ".join(paragraph)
    first = first.split(":", 1)[1].strip() if first.startswith(f"{name}:") else first
    summary = re.split(r"(?<=[.?])\s", first, maxsplit=1)[0]
    examples = {}
    for line in header_lines:
        match = _PARAM.match(line)
        if match:
            examples[match.group(1)] = cypher_value(match.group(2))
    return NamedQuery(name, summary, "\n".join(header_lines), text, examples)


def names() -> list[str]:
    """Every query in `queries/`, by file name without `.cypher`."""
    return sorted(p.stem for p in resource_dir("queries").glob("*.cypher"))


@cache
def get(name: str) -> NamedQuery:
    """`queries/NAME.cypher`, read and parsed once per process."""
    path = resource_dir("queries") / f"{name}.cypher"
    try:
        return parse(name, path.read_text())
    except FileNotFoundError:
        close = difflib.get_close_matches(name, names(), n=3)
        hint = f"did you mean {', '.join(close)}? " if close else ""
        raise QueryError(
            f"no query named {name!r}; {hint}`kg query --list` shows them all"
        ) from None


def text(name: str) -> str:
    """The Cypher of `queries/NAME.cypher`, as the service and the loaders run it: without
    its comment lines, which are for people. Every request sends the text and Neo4j keys
    its plan cache on it; the page query's ~2,500 bytes of comments made a random
    researcher's page about 7% slower in Neo4j."""
    return _sent(name)


@cache
def _sent(name: str) -> str:
    return "\n".join(
        line for line in get(name).text.splitlines() if not line.lstrip().startswith("//")
    )


def load_all() -> list[NamedQuery]:
    return [get(name) for name in names()]


def parameters(query: NamedQuery, given: list[str]) -> tuple[dict[str, Any], list[str]]:
    """Values for the query's parameters: `name=value` pairs given on the command line
    (Cypher literals; anything else is a string), the header's examples for the rest.
    Also returns the names that fell back to examples, so the caller can say so."""
    values: dict[str, Any] = {}
    for pair in given:
        key, sep, raw = pair.partition("=")
        if not sep or not key:
            raise QueryError(f"--param {pair!r}: write it as name=value, e.g. first=5")
        if key not in query.examples:
            known = ", ".join(query.examples) or "none"
            raise QueryError(f"{query.name} has no parameter {key!r}; its parameters: {known}")
        try:
            values[key] = cypher_value(raw)
        except QueryError:
            values[key] = raw  # a bare word such as cs.LG or qizhen-zhang
    defaulted = [k for k in query.examples if k not in values]
    return {**{k: query.examples[k] for k in defaulted}, **values}, defaulted


def run(
    driver: neo4j.Driver, query: NamedQuery, params: dict[str, Any], database: str = "neo4j"
) -> tuple[list[str], list[list[Any]]]:
    """Column names and rows. Reads run in a read transaction, so they can never write."""
    routing = neo4j.RoutingControl.WRITE if query.writes else neo4j.RoutingControl.READ
    records, _, keys = driver.execute_query(
        query.text, params, database_=database, routing_=routing
    )
    return list(keys), [list(r.values()) for r in records]
