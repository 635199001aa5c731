"""Neo4j driver sessions with errors that say how to fix them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import neo4j
from neo4j.exceptions import AuthError, ServiceUnavailable

from kg.core.config import Settings
from kg.core.errors import Neo4jUnavailable

LIVENESS_CHECK_AFTER = 1.0
"""Seconds a pooled connection may sit idle before it is checked: a busy service keeps its
connections busier than that, so the check costs nothing where speed matters."""


def explain(settings: Settings, err: Exception) -> Neo4jUnavailable:
    if isinstance(err, AuthError):
        return Neo4jUnavailable(
            f"Neo4j at {settings.neo4j_uri} rejected user {settings.neo4j_user!r}: set "
            f"KG_NEO4J_PASSWORD to the password the database was created with "
            f"(a kg-managed instance keeps it in {settings.password_file})"
        )
    return Neo4jUnavailable(
        f"Neo4j is not reachable at {settings.neo4j_uri} ({err.__class__.__name__}): start it "
        "with `kg neo4j start`, or point KG_NEO4J_URI at a running server"
    )


def _options(settings: Settings) -> dict[str, Any]:
    return {
        "auth": (settings.neo4j_user, settings.neo4j_password),
        # "label does not exist" and friends are expected on a fresh graph; not for users
        "notifications_min_severity": neo4j.NotificationMinimumSeverity.OFF,
        # a pooled connection idle for a second or more is checked before use, so the first
        # requests after a Neo4j restart get fresh connections, not dead ones
        "liveness_check_timeout": LIVENESS_CHECK_AFTER,
    }


def driver(settings: Settings) -> neo4j.Driver:
    """A connected driver; raises `Neo4jUnavailable` with the fix if the server is not there."""
    drv = neo4j.GraphDatabase.driver(settings.neo4j_uri, **_options(settings))
    try:
        drv.verify_connectivity()
    except (ServiceUnavailable, AuthError, OSError) as err:
        drv.close()
        raise explain(settings, err) from err
    return drv


@contextmanager
def connected(settings: Settings) -> Iterator[neo4j.Driver]:
    drv = driver(settings)
    try:
        yield drv
    finally:
        drv.close()


def async_driver(settings: Settings) -> neo4j.AsyncDriver:
    """Driver for the web app; connectivity is checked per request, so it survives restarts."""
    return neo4j.AsyncGraphDatabase.driver(settings.neo4j_uri, **_options(settings))
