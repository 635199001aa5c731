"""Incremental refresh: date windows, a checkpoint in the graph, reruns after failures."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlparse

import pytest

from kg.cli import main
from kg.core.errors import SourceUnavailable
from loaders import refresh
from loaders.arxiv_pages import TRIES
from tests.feed_server import FAULTS
from tests.helpers import local_api, rows, value

ALL_BUT_1999 = [f"2401.{n:05}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 10)]


def at(day: int, hour: int = 0) -> datetime:
    return datetime(2024, 1, day, hour, tzinfo=UTC)


def papers(db) -> list[str]:
    return sorted(value(db, "MATCH (p:Paper) RETURN collect(p.arxivId)"))


def until(db, source: str = "arxiv-api:all") -> datetime:
    return value(db, "MATCH (c:LoadCheckpoint {source: $s}) RETURN c.until", s=source).to_native()


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


def _local(settings, server, page_size=4):
    return settings.with_(arxiv_url=server.url, arxiv_delay=0.0, arxiv_page_size=page_size)


@pytest.mark.parametrize("fault", FAULTS)
def test_a_page_that_fails_now_and_then_is_asked_again(db, settings, feed_server, fault):
    server = feed_server("basic")
    server.fail(4, fault, times=TRIES - 1)
    local = _local(settings, server)
    result = refresh.refresh(local, db, since=at(1), until=at(11), progress=False)
    assert server.starts() == [0, *[4] * TRIES, 8]
    assert papers(db) == ALL_BUT_1999 and not list(result.report.rejects)
    authors = value(
        db,
        "MATCH (a:Author)-[r:AUTHORED]->(:Paper {arxivId: '2401.00008'}) "
        "WITH a ORDER BY r.position RETURN collect(a.key)",
    )
    assert authors == ["jose-garcia", "zihang-liu"]  # the entry a truncated page cut short
    title = value(db, "MATCH (p:Paper {arxivId: '2401.00006'}) RETURN p.title")
    assert title == "Zeta: Query Optimisation"  # the entry whose XML a broken page spoilt
    assert until(db) == at(11)


@pytest.mark.parametrize("fault", ["http-503", "blank", "empty", "broken-entry"])
def test_an_unreadable_page_keeps_the_checkpoint_and_the_rerun_fills_the_window(
    db, settings, feed_server, fault
):
    server = feed_server("basic")
    local = _local(settings, server)
    refresh.refresh(local, db, since=at(1), until=at(5), progress=False)
    server.fail(4, fault, times=TRIES)  # the window's second page, every time it is asked
    with pytest.raises(SourceUnavailable) as failed:
        refresh.refresh(local, db, until=at(11), progress=False)
    message = str(failed.value)
    assert "window 2024-01-04 00:00 to 2024-01-11 00:00 UTC of arxiv-api:all" in message
    assert "results 4-" in message and "stays at 2024-01-05 00:00 UTC" in message
    assert "rerun" in message
    assert until(db) == at(5)
    loaded = papers(db)
    assert {"2401.00004", "2401.00005", "2401.00006"} <= set(loaded)  # the page before
    assert "2401.00008" not in loaded

    again = refresh.refresh(local, db, until=at(11), progress=False)
    assert papers(db) == ALL_BUT_1999 and not list(again.report.rejects)
    assert until(db) == at(11)


def test_a_page_that_never_comes_whole_keeps_its_entries_and_goes_on_from_the_cut(
    db, settings, feed_server
):
    server = feed_server("basic")
    server.fail(4, "truncate", times=TRIES)
    result = refresh.refresh(_local(settings, server), db, since=at(1), until=at(11))
    assert server.starts() == [0, *[4] * TRIES, 7]  # 2401.00008, 8th, was cut off
    assert papers(db) == ALL_BUT_1999 and not list(result.report.rejects)
    assert until(db) == at(11)


def test_after_three_unreadable_pages_in_a_row_the_rest_is_left_for_the_rerun(
    db, settings, feed_server
):
    server = feed_server("basic")
    for start in (1, 2, 3):
        server.fail(start, "http-503", times=TRIES)
    local = _local(settings, server, page_size=1)
    with pytest.raises(SourceUnavailable, match="results 4-8 of the search: not read"):
        refresh.refresh(local, db, since=at(1), until=at(11), progress=False)
    assert server.starts() == [0, *[1] * TRIES, *[2] * TRIES, *[3] * TRIES]
    assert papers(db) == ["2401.00001"]
    assert value(db, "MATCH (c:LoadCheckpoint) RETURN count(c)") == 0
    refresh.refresh(local, db, since=at(1), until=at(11), progress=False)
    assert papers(db) == ALL_BUT_1999


def test_a_blank_first_page_is_not_an_empty_window(db, settings, feed_server):
    server = feed_server("basic")
    server.fail(0, "blank", times=TRIES)
    with pytest.raises(SourceUnavailable, match="blank page"):
        refresh.refresh(_local(settings, server), db, since=at(1), until=at(11))
    assert papers(db) == []
    assert value(db, "MATCH (c:LoadCheckpoint) RETURN count(c)") == 0


def test_one_scope_failing_neither_moves_nor_blocks_another(db, settings, feed_server):
    server = feed_server("basic")
    local = _local(settings, server, page_size=1)
    for cats in (["cs.CL"], ["cs.LG"]):
        refresh.refresh(local, db, cats, since=at(1), until=at(5), progress=False)
    server.fail(1, "empty", times=TRIES, query="cat:cs.LG")
    with pytest.raises(SourceUnavailable, match=r"arxiv-api:cs\.LG"):
        refresh.refresh(local, db, ["cs.LG"], until=at(11), progress=False)
    refresh.refresh(local, db, ["cs.CL"], until=at(11), progress=False)
    assert until(db, "arxiv-api:cs.LG") == at(5)
    assert until(db, "arxiv-api:cs.CL") == at(11)
    assert "2401.00010" not in papers(db)

    refresh.refresh(local, db, ["cs.LG"], until=at(11), progress=False)
    assert until(db, "arxiv-api:cs.LG") == at(11)
    assert papers(db) == [f"2401.{n:05}" for n in (1, 2, 3, 4, 5, 7, 10)]


def test_the_command_reports_an_incomplete_window_and_exits_1(db, feed_server, monkeypatch, capsys):
    server = feed_server("basic")
    monkeypatch.setenv("KG_ARXIV_PAGE_SIZE", "4")
    server.fail(4, "http-503", times=TRIES)
    argv = ["refresh", "--since", "2024-01-01", "--until", "2024-01-11", *local_api(server.url)]
    assert main(argv) == 1
    out, err = capsys.readouterr()
    assert "5 papers loaded" in out and "incomplete" in out and "checkpoint advanced" not in out
    assert err.startswith("kg: window 2024-01-01 00:00 to 2024-01-11 00:00 UTC of arxiv-api:all")
    assert "HTTP 503" in err and "no checkpoint is saved" in err
    assert rows(db, "MATCH (c:LoadCheckpoint) RETURN c") == []
