"""Every GraphQL error leaves with a machine-readable `extensions.code`; none is a 500.

Resolvers raise plain GraphQL errors with a code (`bad_input`, ...) or let database errors
through; `with_code` gives each error a code on its way out (the HTTP view calls it for
every response) and hides internal details.
"""

from __future__ import annotations

import logging

from graphql import GraphQLError
from neo4j.exceptions import (
    AuthError,
    ClientError,
    DriverError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

log = logging.getLogger("kg.api")

BAD_USER_INPUT = "BAD_USER_INPUT"
NOT_FOUND = "NOT_FOUND"
UNAUTHENTICATED = "UNAUTHENTICATED"
FORBIDDEN = "FORBIDDEN"
CONFLICT = "CONFLICT"
SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
QUERY_TIMEOUT = "QUERY_TIMEOUT"
QUERY_TOO_COSTLY = "QUERY_TOO_COSTLY"
REQUEST_TIMEOUT = "REQUEST_TIMEOUT"
INVALID_QUERY = "GRAPHQL_VALIDATION_FAILED"
INTERNAL = "INTERNAL_SERVER_ERROR"


def coded(message: str, code: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})


def bad_input(message: str) -> GraphQLError:
    return coded(message, BAD_USER_INPUT)


_TIMED_OUT = ("TransactionTimedOut", "LockClientStopped")
"""Neo4j codes for a query stopped at its timeout (while running, or waiting for a lock)."""


def _classify(original: BaseException) -> tuple[str, str]:
    """(code, message) for an exception a resolver let through."""
    if isinstance(original, (ServiceUnavailable, SessionExpired, AuthError, OSError)):
        return SERVICE_UNAVAILABLE, "The graph database is unavailable; try again shortly."
    code = getattr(original, "code", None) or ""
    if isinstance(original, (ClientError, TransientError)) and any(t in code for t in _TIMED_OUT):
        return (
            QUERY_TIMEOUT,
            "The query took longer than the server allows (KG_QUERY_TIMEOUT); ask for "
            "less, e.g. a smaller `first` or `limit`.",
        )
    if isinstance(original, (DriverError, TransientError)):
        return SERVICE_UNAVAILABLE, "The graph database could not answer; try again shortly."
    return INTERNAL, "Internal error; the server log has the details."


def with_code(error: GraphQLError) -> GraphQLError:
    if (error.extensions or {}).get("code"):
        return error
    original = error.original_error
    if original is None:  # syntax, validation and limit errors: the message is for the caller
        code, message = INVALID_QUERY, error.message
    elif isinstance(original, GraphQLError):
        return with_code(original)
    else:
        code, message = _classify(original)
        if code == INTERNAL:
            log.error("resolver failed", exc_info=original)
        else:
            log.warning("%s: %s", code, original)
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={**(error.extensions or {}), "code": code},
    )
