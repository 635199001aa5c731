"""The README tells the truth about the tree and the commands (pure: no server needed).

Like sqlite-utils' `test_commands_are_documented`: a new command, package or module that
the README does not mention fails here, not in a newcomer's hands.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from kg.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.M | re.S)
    assert match, f"README has no '## {title}' section"
    return match.group(1)


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    found: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found.update(action.choices)
    return found


def test_every_command_is_in_the_commands_table():
    table = section("Commands")
    commands = subcommands(build_parser())
    missing = [name for name in commands if f"`kg {name}" not in table]
    missing += [
        f"bench {action}"
        for action in subcommands(commands["bench"])
        if f"`kg bench {action}" not in table
    ]
    assert missing == []


def layout() -> dict[str, str]:
    """Layout entries: path -> its description (continuation lines joined)."""
    block = re.search(r"```\n(.*?)```", section("Layout"), re.S)
    assert block, "the Layout section has no code block"
    entries: dict[str, str] = {}
    path = None
    for line in block.group(1).splitlines():
        if line and not line[0].isspace():
            path, _, text = line.partition(" ")
            entries[path] = text
        elif path:
            entries[path] += " " + line.strip()
    return entries


def test_layout_names_only_paths_that_exist():
    assert [path for path in layout() if not (ROOT / path).exists()] == []


def test_layout_names_every_package_and_module():
    entries = layout()
    packages = {
        p.parent.relative_to(ROOT).as_posix() + "/"
        for top in ("kg", "loaders")
        for p in (ROOT / top).rglob("__init__.py")
    } - {"kg/"}
    assert sorted(packages - set(entries)) == []
    unnamed = [
        f"{package}{module.stem}"
        for package in packages
        for module in (ROOT / package).glob("*.py")
        if module.stem != "__init__" and not re.search(rf"\b{module.stem}\b", entries[package])
    ]
    assert sorted(unnamed) == []
