"""What every `kg` command shares: settings from KG_* variables with its flags on top."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from kg.core.config import Settings

Add = Callable[..., argparse.ArgumentParser]
"""`kg.cli.main`'s helper: add(name, func, help, epilog) -> the new command's parser."""


def settings_from(args: argparse.Namespace) -> Settings:
    """Settings from the environment, overridden by the flags this command has."""
    settings = Settings.from_env()
    overrides = {
        name: getattr(args, name)
        for name in (
            "bolt_port",
            "http_port",
            "host",
            "port",
            "arxiv_url",
            "arxiv_delay",
            "batch_size",
        )
        if getattr(args, name, None) is not None
    }
    if "bolt_port" in overrides:
        overrides["neo4j_uri"] = f"bolt://127.0.0.1:{overrides['bolt_port']}"
    return settings.with_(**overrides) if overrides else settings


def client_counts(text: str) -> list[int]:
    """`--clients 1,8`: concurrencies, each 1 or more."""
    try:
        counts = [int(n) for n in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"give counts like 1,8, not {text!r}") from None
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError("client counts must be 1 or more")
    return counts
