"""One configuration object for the whole service, read once from `KG_*` variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kg.core.errors import ConfigError

NEO4J_VERSION = "5.26.30"
"""Neo4j Community LTS line: the last that runs on Java 17, which this machine ships."""

NEO4J_BROWSER_VERSION = "5.24.0"
"""The newest Neo4j Browser published to Maven Central."""

STRONG_TIES = 100
"""Strongest co-authors kept on a researcher with more co-authors than this
(`queries/strong_ties.cypher`), and so the largest `limit` of the researcher in context."""

TOPIC_COUNTS = 100
"""A researcher with more works than this keeps their works per topic on the record
(`queries/topic_counts.cypher`), read by profile pages instead of every work's categories."""

ARXIV_API_URL = "https://export.arxiv.org/api/query"
OPENALEX_API_URL = "https://api.openalex.org"


def _xdg(var: str, fallback: str) -> Path:
    return Path(os.environ.get(var) or Path.home() / fallback)


def _number(env: dict[str, str], name: str, default: float, kind: type = float) -> Any:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return kind(raw)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise ConfigError(f"{name}={raw!r} is not {what}; unset it or give one") from None


def _int(env: dict[str, str], name: str, default: int) -> int:
    return int(_number(env, name, default, int))


def _float(env: dict[str, str], name: str, default: float) -> float:
    return float(_number(env, name, default, float))


@dataclass(frozen=True)
class Settings:
    """Everything kg needs to know about its environment; build with `Settings.from_env()`."""

    neo4j_home: Path
    """Instance directory of the local Neo4j: conf/, data/, logs/, run/ and the password file."""
    neo4j_cache: Path
    """Where the Neo4j jars resolved from Maven Central are kept, shared by all instances."""
    bolt_port: int = 7687
    http_port: int = 7474
    neo4j_uri: str = ""
    """Bolt URI; defaults to the local instance on 127.0.0.1:`bolt_port`."""
    neo4j_user: str = "neo4j"
    neo4j_password_env: str | None = None
    """Password given in KG_NEO4J_PASSWORD, which wins over the instance's password file."""
    neo4j_database: str = "neo4j"
    neo4j_heap: str = "1g"
    neo4j_pagecache: str = "512m"
    java_home: str | None = None
    arxiv_url: str = ARXIV_API_URL
    arxiv_delay: float = 3.0
    """Seconds between arXiv API requests; arXiv's terms ask for at least 3."""
    arxiv_page_size: int = 100
    openalex_url: str = OPENALEX_API_URL
    """OpenAlex API base (KG_OPENALEX_URL), e.g. a local server replaying recorded answers."""
    openalex_api_key: str | None = None
    """OpenAlex API key (KG_OPENALEX_API_KEY); the real API asks for one since 2026."""
    openalex_delay: float = 0.1
    """Seconds between OpenAlex requests (KG_OPENALEX_DELAY): at most 10 a second, as it asks."""
    openalex_retries: int = 5
    """Retries of a refused (429) or failed (5xx) OpenAlex request, with growing waits."""
    coauthor_max_authors: int = 100
    """Papers with more authors than this get AUTHORED edges but add no COAUTHOR edges."""
    batch_size: int = 2000
    host: str = "127.0.0.1"
    port: int = 8000
    query_timeout: float = 10.0
    """Seconds Neo4j may spend on one API query before aborting it (GraphQL QUERY_TIMEOUT)."""
    request_timeout: float = 10.0
    """Seconds one GraphQL request may spend on all its queries together (REQUEST_TIMEOUT)."""
    max_query_cost: int = 50_000
    """Objects one GraphQL request may ask for, priced before it runs (QUERY_TOO_COSTLY)."""
    api_keys: str = ""
    """`user:key` pairs allowed to call GraphQL mutations (KG_API_KEYS)."""
    ide_assets: Path | None = None
    """Where GraphiQL's files are kept once fetched from npm (KG_IDE_ASSETS)."""
    api_keys_file: Path | None = None
    """A file of `user:key` lines, for keys kept out of the environment (KG_API_KEYS_FILE)."""

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if environ is None else environ)
        bolt_port = _int(env, "KG_BOLT_PORT", 7687)
        return cls(
            neo4j_home=Path(
                env.get("KG_NEO4J_HOME") or _xdg("XDG_DATA_HOME", ".local/share") / "kg" / "neo4j"
            ),
            neo4j_cache=Path(
                env.get("KG_NEO4J_CACHE")
                or _xdg("XDG_CACHE_HOME", ".cache") / "kg" / f"neo4j-{NEO4J_VERSION}"
            ),
            bolt_port=bolt_port,
            http_port=_int(env, "KG_HTTP_PORT", 7474),
            neo4j_uri=env.get("KG_NEO4J_URI") or f"bolt://127.0.0.1:{bolt_port}",
            neo4j_user=env.get("KG_NEO4J_USER") or "neo4j",
            neo4j_password_env=env.get("KG_NEO4J_PASSWORD") or None,
            neo4j_database=env.get("KG_NEO4J_DATABASE") or "neo4j",
            neo4j_heap=env.get("KG_NEO4J_HEAP") or "1g",
            neo4j_pagecache=env.get("KG_NEO4J_PAGECACHE") or "512m",
            java_home=env.get("KG_JAVA_HOME") or None,
            arxiv_url=env.get("KG_ARXIV_URL") or ARXIV_API_URL,
            arxiv_delay=_float(env, "KG_ARXIV_DELAY", 3.0),
            arxiv_page_size=_int(env, "KG_ARXIV_PAGE_SIZE", 100),
            openalex_url=env.get("KG_OPENALEX_URL") or OPENALEX_API_URL,
            openalex_api_key=env.get("KG_OPENALEX_API_KEY") or None,
            openalex_delay=_float(env, "KG_OPENALEX_DELAY", 0.1),
            openalex_retries=_int(env, "KG_OPENALEX_RETRIES", 5),
            coauthor_max_authors=_int(env, "KG_COAUTHOR_MAX_AUTHORS", 100),
            batch_size=_int(env, "KG_BATCH_SIZE", 2000),
            host=env.get("KG_HOST") or "127.0.0.1",
            port=_int(env, "KG_PORT", 8000),
            query_timeout=_float(env, "KG_QUERY_TIMEOUT", 10.0),
            request_timeout=_float(env, "KG_REQUEST_TIMEOUT", 10.0),
            max_query_cost=_int(env, "KG_MAX_QUERY_COST", 50_000),
            api_keys=env.get("KG_API_KEYS") or "",
            ide_assets=Path(
                env.get("KG_IDE_ASSETS")
                or _xdg("XDG_CACHE_HOME", ".cache") / "kg" / "graphiql-3.8.3"
            ),
            api_keys_file=Path(env["KG_API_KEYS_FILE"]) if env.get("KG_API_KEYS_FILE") else None,
        )

    def with_(self, **changes: object) -> Settings:
        """A copy with CLI flags applied on top of the environment."""
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def password_file(self) -> Path:
        return self.neo4j_home / "password"

    @property
    def neo4j_password(self) -> str:
        """The password to log in with: KG_NEO4J_PASSWORD, else the one `kg neo4j install` made."""
        if self.neo4j_password_env:
            return self.neo4j_password_env
        try:
            return self.password_file.read_text().strip()
        except FileNotFoundError:
            raise ConfigError(
                f"No Neo4j password: set KG_NEO4J_PASSWORD, or run `kg neo4j install` "
                f"to create a local instance (it writes {self.password_file})"
            ) from None

    @property
    def browser_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/browser/"
