"""A load that loads nothing, or rejects too much, says so with a non-zero exit."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from kg.cli import main
from kg.cli.load import share
from tests.helpers import local_api, value

SMALL = Path(__file__).parent / "fixtures" / "snapshot" / "small.jsonl"
"""14 records: 8 papers (lines 1-4, 7, 11-12, 15) and 6 rejects."""


@pytest.mark.parametrize(
    ("text", "expected"), [("5%", 0.05), ("0.05", 0.05), ("0", 0.0), ("100%", 1.0), (".5", 0.5)]
)
def test_max_rejects_takes_a_percentage_or_a_fraction(text, expected):
    assert share(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["5", "101%", "-1%", "five", ""])
def test_max_rejects_refuses_what_is_neither(text):
    with pytest.raises(argparse.ArgumentTypeError, match="5%"):
        share(text)


def test_every_record_rejected_exits_1_with_the_reasons(db, tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("".join(json.dumps({"id": f"2501.0000{i}"}) + "\n" for i in range(3)))
    assert main(["load", "snapshot", str(bad), "--quiet", "--rejects", str(tmp_path / "r")]) == 1
    err = capsys.readouterr().err
    assert "every record read (3) was rejected" in err and "nothing was loaded" in err
    assert "rejected bad.jsonl:1 (2501.00000):" in err
    assert len((tmp_path / "r").read_text().splitlines()) == 3


def test_no_record_matching_the_filters_exits_1(db, tmp_path, capsys):
    args = ["load", "snapshot", str(SMALL), "--quiet", "--rejects", str(tmp_path / "r")]
    assert main([*args, "--category", "astro-ph"]) == 1
    assert "none of the 8 valid records matched the filters, and 6 were rejected" in (
        capsys.readouterr().err
    )
    assert value(db, "MATCH (p:Paper) RETURN count(p)") == 0


def test_max_rejects_fails_a_transactional_load_after_it_loaded(db, tmp_path, capsys):
    args = ["load", "snapshot", str(SMALL), "--quiet", "--rejects", str(tmp_path / "r")]
    assert main(args) == 0  # no default share on this path
    assert main([*args, "--restart", "--max-rejects", "10%"]) == 1
    err = capsys.readouterr().err
    assert "6 of the 14 records read (42.9%) were rejected" in err
    assert "the 8 papers that passed are loaded" in err
    assert value(db, "MATCH (p:Paper) RETURN count(p)") == 8
    assert main([*args, "--restart", "--max-rejects", "50%"]) == 0


def test_a_resumed_load_with_nothing_left_is_not_an_error(db, settings, tmp_path, capsys):
    args = ["load", "snapshot", str(SMALL), "--quiet", "--rejects", str(tmp_path / "r")]
    assert main([*args, "--limit", "8"]) == 0  # stops at the last paper: not complete
    assert main(args) == 0
    assert "resumed after line 15" in capsys.readouterr().out


def test_an_arxiv_search_that_finds_nothing_exits_1(db, feed_server, capsys):
    server = feed_server("basic")
    code = main(["load", "arxiv", "--author", "Nobody Atall", *local_api(server.url)])
    assert code == 1
    assert "the arXiv API found no papers for this search" in capsys.readouterr().err


def test_an_empty_refresh_window_is_not_an_error(db, feed_server, capsys):
    server = feed_server("refresh")
    args = ["refresh", "--since", "1990-01-01", "--until", "1990-01-02", *local_api(server.url)]
    assert main(args) == 0
    assert "0 papers loaded" in capsys.readouterr().out
