"""`kg`: the command line, the top layer; it turns every `KgError` into an exit code."""

from kg.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
