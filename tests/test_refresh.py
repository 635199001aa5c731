"""Incremental refresh: date windows, a checkpoint in the graph, reruns after failures."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlparse

import pytest

from kg.cli import main
from kg.core.errors import SourceUnavailable
from loaders import refresh
from tests.helpers import local_api, value


def at(day: int, hour: int = 0) -> datetime:
    return datetime(2024, 1, day, hour, tzinfo=UTC)


def papers(db) -> list[str]:
    return sorted(value(db, "MATCH (p:Paper) RETURN collect(p.arxivId)"))


def test_window_query():
    q = refresh.window_query(at(5), at(8, 12), ["cs.LG", "cs.DB"])
    assert q == "lastUpdatedDate:[202401050000 TO 202401081200] AND (cat:cs.LG OR cat:cs.DB)"


def test_windows_follow_the_checkpoint(db, settings, feed_server):
    server = feed_server("basic")
    local = settings.with_(arxiv_url=server.url, arxiv_delay=0.0, arxiv_page_size=4)
    first = refresh.refresh(local, db, since=at(5), until=at(8), progress=False)
    assert papers(db) == ["2401.00004", "2401.00005", "2401.00006"]
    assert first.report.loaded == 3
    checkpoint = value(db, "MATCH (c:LoadCheckpoint {source: 'arxiv-api:all'}) RETURN c.until")
    assert checkpoint.to_native() == at(8)

    second = refresh.refresh(local, db, until=at(11), progress=False)
    assert second.window_from == at(7)  # one day of overlap
    query = parse_qs(urlparse(server.requests[-1]).query)["search_query"][0]
    assert query == "lastUpdatedDate:[202401070000 TO 202401110000]"
    assert papers(db) == [
        "2401.00004",
        "2401.00005",
        "2401.00006",
        "2401.00007",
        "2401.00008",
        "2401.00010",
    ]
    assert second.report.stats.papers_updated == 1  # the overlap refetches 2401.00006 (7th)


def test_a_failed_run_leaves_the_checkpoint_and_the_rerun_fills_the_window(
    db, settings, feed_server
):
    server = feed_server("basic")
    good = settings.with_(arxiv_url=server.url, arxiv_delay=0.0, arxiv_page_size=4)
    refresh.refresh(good, db, since=at(1), until=at(5), progress=False)
    down = good.with_(arxiv_url="http://127.0.0.1:9/api/query")
    with pytest.raises(SourceUnavailable):
        refresh.refresh(down, db, until=at(11), progress=False)
    until = value(db, "MATCH (c:LoadCheckpoint) RETURN c.until")
    assert until.to_native() == at(5)
    refresh.refresh(good, db, until=at(11), progress=False)
    assert len(papers(db)) == 9  # all but the 1999 paper, nothing lost in between


def test_categories_have_their_own_checkpoint(db, settings, feed_server):
    server = feed_server("basic")
    local = settings.with_(arxiv_url=server.url, arxiv_delay=0.0, arxiv_page_size=4)
    refresh.refresh(local, db, ["cs.CL"], since=at(1), until=at(11), progress=False)
    assert papers(db) == ["2401.00003", "2401.00004", "2401.00005"]
    sources = value(db, "MATCH (c:LoadCheckpoint) RETURN collect(c.source)")
    assert sources == ["arxiv-api:cs.CL"]


def test_new_versions_update_and_withdrawn_papers_are_marked(load_feed, db, feed_server, capsys):
    load_feed("basic")
    server = feed_server("refresh")
    code = main(
        [
            "refresh",
            "--since",
            "2024-01-11",
            "--until",
            "2024-01-13",
            *local_api(server.url),
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "2 papers loaded (1 new, 1 refreshed)" in out and "checkpoint advanced" in out
    alpha = value(db, "MATCH (p:Paper {arxivId: '2401.00001'}) RETURN p {.version, .withdrawn}")
    assert alpha == {"version": 2, "withdrawn": True}
    assert value(db, "MATCH (p:Paper) RETURN count(p)") == 11  # marked, not deleted


def test_bad_since_is_a_usage_error(capsys):
    assert main(["refresh", "--since", "last tuesday"]) == 2
    assert "--since takes a date" in capsys.readouterr().err
