"""Who is calling: bearer API keys from configuration, checked in constant time.

Reads are public; writes need a caller. Keys come from KG_API_KEYS
(`user:key,user2:key2`) or KG_API_KEYS_FILE (one `user:key` per line, `#` comments).
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kg.core.errors import ConfigError

MIN_KEY_LENGTH = 16


@dataclass(frozen=True)
class Caller:
    user: str | None
    """The caller's id when a valid key was sent, else None (anonymous)."""
    problem: str | None = None
    """Why a sent Authorization header was not accepted, for the error message."""


def parse_keys(text: str, source: str) -> dict[str, str]:
    """`user:key` entries (comma- or newline-separated) to {key: user}.

    A malformed entry or a short key raises `ConfigError` saying how to fix it.
    """
    keys: dict[str, str] = {}
    for raw in text.replace(",", "\n").splitlines():
        entry = raw.split("#", 1)[0].strip()
        if not entry:
            continue
        user, sep, key = entry.partition(":")
        user, key = user.strip(), key.strip()
        if not sep or not user or not key:
            raise ConfigError(f"{source}: {entry!r} is not `user:key`; write one pair per entry")
        if len(key) < MIN_KEY_LENGTH:
            raise ConfigError(
                f"{source}: the key for {user!r} is shorter than {MIN_KEY_LENGTH} characters; "
                'make one with: python -c "import secrets; print(secrets.token_urlsafe(24))"'
            )
        keys[key] = user
    return keys


def load_keys(env_keys: str, keys_file: Path | None) -> dict[str, str]:
    """{key: user} from KG_API_KEYS and KG_API_KEYS_FILE; an unusable one raises `ConfigError`."""
    keys = parse_keys(env_keys, "KG_API_KEYS")
    if keys_file is not None:
        try:
            text = keys_file.read_text()
        except OSError as err:
            raise ConfigError(f"KG_API_KEYS_FILE={keys_file}: cannot read it ({err})") from None
        keys.update(parse_keys(text, str(keys_file)))
    return keys


def identify(authorization: str | None, keys: Mapping[str, str]) -> Caller:
    """The caller behind an `Authorization: Bearer KEY` header (or none)."""
    if not authorization:
        return Caller(None)
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return Caller(None, "the Authorization header must be `Bearer <API key>`")
    token = token.strip()
    user = None
    for key, owner in keys.items():  # compare with every key: timing says nothing
        if hmac.compare_digest(key.encode(), token.encode()):
            user = owner
    if user is None:
        return Caller(None, "the API key is not one this server accepts")
    return Caller(user)
