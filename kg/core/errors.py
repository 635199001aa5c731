"""One error hierarchy: every failure kg explains to a user is a `KgError`.

Library code raises these with the fix in the message ("start it with `kg neo4j start`");
only the CLI entry point turns one into `kg: <message>` and an exit code, so tests, the web
app and other callers catch one type, and nothing below the CLI ends the process.
"""

from __future__ import annotations


class KgError(Exception):
    """Something kg cannot do as asked; the message says why and what to do instead."""

    exit_code = 1
    """What `kg` exits with when this reaches the command line."""


class UsageError(KgError):
    """A command asked for something that cannot work as given (a bad flag or value)."""

    exit_code = 2


class ConfigError(KgError):
    """A `KG_*` setting, an API key file or a password that kg cannot use."""


class Neo4jUnavailable(KgError):
    """Neo4j cannot be reached or refuses us."""


class Neo4jSetupError(KgError):
    """Something on this machine stops the local Neo4j (Java, Maven, ports, its log)."""


class SourceUnavailable(KgError):
    """A data source (the arXiv API) failed after its retries; rerunning the load is safe."""
