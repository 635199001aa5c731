"""The bulk snapshot loader (transactional path) against the real Neo4j."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import neo4j
import pytest

from kg.core import neo4j_local
from loaders import snapshot
from tests.helpers import rows, value
from tests.helpers import snapshot as graph_snapshot

SMALL = Path(__file__).parent / "fixtures" / "snapshot" / "small.jsonl"
LOADABLE = [
    "0704.0001",
    "0704.0002",
    "2101.00003",
    "2101.00004",
    "2101.00007",
    "hep-th/9901001",
    "2102.00012",
    "2103.00015",
]


def papers(db) -> list[str]:
    return sorted(value(db, "MATCH (p:Paper) RETURN collect(p.arxivId)"))


def test_loads_good_lines_and_reports_bad_ones_with_line_numbers(db, settings):
    report = snapshot.load(settings, db, SMALL, progress=False)
    assert papers(db) == sorted(LOADABLE)
    assert report.loaded == 8
    reasons = {r.where: r.reason for r in report.rejects}
    assert set(reasons) == {
        "small.jsonl:5",
        "small.jsonl:6 (2101.00006)",
        "small.jsonl:8",
        "small.jsonl:9",
        "small.jsonl:10",
        "small.jsonl:14 (2102.00014)",
    }
    assert reasons["small.jsonl:5"].startswith("not JSON")
    assert reasons["small.jsonl:6 (2101.00006)"] == "field 'title' should be a string, not int"
    assert reasons["small.jsonl:8"] == "missing field 'id'"
    assert "not valid UTF-8" in reasons["small.jsonl:10"]
    assert "unreadable version entry" in reasons["small.jsonl:14 (2102.00014)"]


def test_snapshot_fields_become_paper_properties(db, settings):
    snapshot.load(settings, db, SMALL, progress=False)
    p = value(db, "MATCH (p:Paper {arxivId: '0704.0001'}) RETURN properties(p)")
    assert p["version"] == 2
    assert p["published"].to_native() == date(2007, 4, 2)  # first version
    assert p["updated"].to_native().isoformat() == "2007-07-24T20:10:27+00:00"  # latest version
    assert p["doi"] == "10.1103/PhysRevD.76.013009"
    assert p["journalRef"] == "Phys.Rev.D76:013009,2007"
    assert (
        p["abstract"] == "Calculation of prompt diphoton production cross sections. "
        "We report results."
    )
    assert p["withdrawn"] is False
    withdrawn = value(db, "MATCH (p:Paper {arxivId: '2101.00007'}) RETURN p.withdrawn")
    assert withdrawn is True


def test_author_names_from_authors_parsed(db, settings):
    snapshot.load(settings, db, SMALL, progress=False)
    names = {
        r["key"]: r["name"]
        for r in rows(db, "MATCH (a:Author) RETURN a.key AS key, a.name AS name")
    }
    assert names["john-smith-jr"] == "John Smith, Jr"
    assert names["john-smith"] == "John Smith"  # a suffix makes another person
    assert names["jorg-muller"] == "Jörg Müller"
    assert names["atlas-collaboration"] == "ATLAS Collaboration"
    assert names["c-balazs"] == "C. Balázs"
    assert {"zihang-liu", "z-liu"} <= set(names)
    free_text = rows(
        db,
        "MATCH (a:Author)-[r:AUTHORED]->(:Paper {arxivId: '2103.00015'}) "
        "RETURN a.name AS name ORDER BY r.position",
    )
    assert [r["name"] for r in free_text] == ["Ann Bee", "Carl Dee", "Eve Fay"]


def test_loading_twice_leaves_the_graph_identical(db, settings):
    snapshot.load(settings, db, SMALL, progress=False)
    before = graph_snapshot(db)
    again = snapshot.load(settings, db, SMALL, progress=False)
    assert again.resumed_from_line == 0  # the first run completed: load it all again
    assert again.stats.counters["nodes_created"] == 0
    assert graph_snapshot(db) == before


def test_gzipped_snapshot(db, settings, tmp_path):
    gz = tmp_path / "small.jsonl.gz"
    gz.write_bytes(gzip.compress(SMALL.read_bytes()))
    report = snapshot.load(settings, db, gz, progress=False)
    assert papers(db) == sorted(LOADABLE) and len(report.rejects) == 6


@pytest.mark.parametrize("gz", [False, True])
def test_cli_with_a_progress_bar(db, tmp_path, capsys, gz):
    from kg.cli import main

    path = SMALL
    if gz:
        path = tmp_path / "small.jsonl.gz"
        path.write_bytes(gzip.compress(SMALL.read_bytes()))
    assert main(["load", "snapshot", str(path), "--rejects", str(tmp_path / "r.jsonl")]) == 0
    captured = capsys.readouterr()
    assert "8 papers loaded (8 new, 0 refreshed)" in captured.out
    assert path.name in captured.err  # the progress bar, named after the file


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (
            snapshot.Filters(since=date(2021, 1, 5)),
            ["2101.00003", "2101.00004", "2101.00007", "2102.00012", "2103.00015"],
        ),
        (
            snapshot.Filters(category="cs"),
            ["0704.0002", "2101.00003", "2101.00007", "2102.00012", "2103.00015"],
        ),
        (snapshot.Filters(category="hep-th"), ["hep-th/9901001"]),
    ],
)
def test_filters(db, settings, filters, expected):
    snapshot.load(settings, db, SMALL, filters, progress=False)
    assert papers(db) == expected


def test_an_interrupted_run_resumes_after_its_checkpoint(db, settings):
    first = snapshot.load(settings.with_(batch_size=2), db, SMALL, limit=3, progress=False)
    assert first.loaded == 3
    assert value(db, "MATCH (c:LoadCheckpoint) RETURN [c.line, c.complete]") == [3, False]
    second = snapshot.load(settings.with_(batch_size=2), db, SMALL, progress=False)
    assert second.resumed_from_line == 3 and second.loaded == 5
    assert papers(db) == sorted(LOADABLE)
    assert value(db, "MATCH (c:LoadCheckpoint) RETURN c.complete") is True


def _write_corpus(path: Path, n: int) -> None:
    """n papers, 3 authors each from a pool of 400, so COAUTHOR weights accumulate."""
    with path.open("w") as out:
        for i in range(n):
            authors = [[f"Surname{(i * k) % 400}", f"Given{(i + k) % 400}", ""] for k in (1, 7, 13)]
            out.write(
                json.dumps(
                    {
                        "id": f"2201.{i:05d}",
                        "title": f"Paper {i}",
                        "abstract": "a",
                        "categories": "cs.DB",
                        "versions": [{"version": "v1", "created": "Mon, 3 Jan 2022 10:00:00 GMT"}],
                        "update_date": "2022-01-03",
                        "authors_parsed": authors,
                        "authors": ", ".join(f"{a[1]} {a[0]}" for a in authors),
                    }
                )
                + "\n"
            )


COUNTS = """
RETURN COUNT { (:Paper) } AS papers, COUNT { (:Author) } AS authors,
       COUNT { ()-[:AUTHORED]->() } AS authored, COUNT { ()-[:COAUTHOR]->() } AS coauthor,
       COLLECT { MATCH ()-[c:COAUTHOR]->() RETURN sum(c.weight) }[0] AS weights
"""


@pytest.fixture
def corpus(tmp_path, db, settings):
    path = tmp_path / "corpus.jsonl"
    _write_corpus(path, 6000)
    snapshot.load(settings, db, path, progress=False)
    expected = rows(db, COUNTS)[0]
    with db.session() as s:
        s.run("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n").consume()
    return path, expected


def _wait_for_checkpoint(db, line: int) -> None:
    """Until a batch beyond `line` has committed: the interruption then lands mid-load."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = rows(db, "MATCH (c:LoadCheckpoint) RETURN c.line AS line")
        if found and found[0]["line"] >= line:
            return
        time.sleep(0.05)
    pytest.fail(f"no batch beyond line {line} committed within 60 s: the load did not start")


def test_killed_loader_rerun_completes_without_duplicates(corpus, db, settings):
    path, expected = corpus
    env = {**os.environ, "KG_BATCH_SIZE": "200"}
    cmd = [sys.executable, "-m", "kg.cli", "load", "snapshot", str(path), "--quiet"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_for_checkpoint(db, 1000)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = value(db, "MATCH (p:Paper) RETURN count(p)")
    assert 0 < partial < 6000, "the kill should land mid-load"
    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert "resumed after line" in rerun.stdout
    assert rows(db, COUNTS)[0] == expected


def test_neo4j_restart_mid_load_then_rerun_completes(corpus, db, settings):
    path, expected = corpus
    outcome: dict[str, object] = {}
    # the loader's own driver gives up at once when Neo4j goes away (the default retries
    # for 30 s, which can carry a load across a quick restart and test nothing)
    impatient = neo4j.GraphDatabase.driver(
        settings.neo4j_uri,
        auth=(settings.neo4j_user, settings.neo4j_password),
        max_transaction_retry_time=0.5,
    )

    def run() -> None:
        try:
            outcome["report"] = snapshot.load(
                settings.with_(batch_size=200), impatient, path, progress=False
            )
        except Exception as err:
            outcome["error"] = err

    loader = threading.Thread(target=run)
    loader.start()
    try:
        _wait_for_checkpoint(db, 1000)
        neo4j_local.stop(settings, log=lambda _: None)
        loader.join(timeout=180)
        neo4j_local.start(settings, log=lambda _: None)
    finally:
        impatient.close()
    assert not loader.is_alive()
    assert "error" in outcome, "the restart should have cut the load off"
    at_restart = value(db, "MATCH (c:LoadCheckpoint) RETURN c.line")
    assert 1000 <= at_restart < 6000, "the restart should land mid-load"
    assert value(db, "MATCH (p:Paper) RETURN count(p)") < 6000
    rerun = snapshot.load(settings, db, path, progress=False)  # what an operator would do
    assert rerun.resumed_from_line == at_restart
    assert rerun.loaded == 6000 - at_restart
    assert rows(db, COUNTS)[0] == expected
