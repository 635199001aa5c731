"""Do kg and the peer serve the same page? Checked field by field before `kg bench peer`
times them, so a faster server is never one answering a different (smaller) page.

A port of the peer folder's compare.py: the peer's answer is reshaped to kg's (its list
root to an object, the connection `edges` of a work's authors and the `properties` of a
collaborator edge flattened), then every leaf is compared. Cursors are opaque and each
server formats its own, so only whether there is one is compared.
"""

from __future__ import annotations

from typing import Any

OPAQUE = frozenset({"endCursor"})
MISSING = "<missing>"


def reshape(peer: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The peer's `researcher` (a list of at most one) in kg's shape; None when empty."""
    if not peer:
        return None
    page = dict(peer[0])
    works = dict(page["works"])
    works["edges"] = [
        {**edge, "node": {**edge["node"], "authors": _nodes(edge["node"]["authors"])}}
        for edge in works["edges"]
    ]
    collaborators = dict(page["collaborators"])
    collaborators["edges"] = [
        {**edge["properties"], "node": edge["node"]} for edge in collaborators["edges"]
    ]
    return {**page, "works": works, "collaborators": collaborators}


def _nodes(connection: dict[str, Any]) -> list[Any]:
    return [edge["node"] for edge in connection["edges"]]


def differences(kg: Any, peer: Any, path: str = "") -> list[str]:
    """Every place where kg's page and the (reshaped) peer's differ, as `path: kg=.. peer=..`."""
    found: list[str] = []
    _diff(kg, peer, path, found)
    return found


def _diff(a: Any, b: Any, path: str, out: list[str]) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key in OPAQUE:
                if (a.get(key) is None) != (b.get(key) is None):
                    out.append(f"{path}.{key}: kg={a.get(key)!r} peer={b.get(key)!r}")
                continue
            _diff(a.get(key, MISSING), b.get(key, MISSING), f"{path}.{key}", out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append(f"{path}: length kg={len(a)} peer={len(b)}")
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            _diff(x, y, f"{path}[{i}]", out)
    elif a != b:
        out.append(f"{path}: kg={a!r} peer={b!r}")


def leaves(value: Any) -> int:
    """Leaf values in a page: how much a match covered."""
    if isinstance(value, dict):
        return sum(leaves(v) for v in value.values())
    if isinstance(value, list):
        return sum(leaves(v) for v in value)
    return 1
