"""The OpenAlex client against the local replay server: chunks, pages, retries, refusals."""

from __future__ import annotations

import json

import pytest
import requests

from kg.core.config import Settings
from kg.core.errors import ConfigError, KgError
from loaders import openalex_api, openalex_records
from loaders.openalex_api import OpenAlexClient, OpenAlexRefused, OpenAlexUnavailable
from loaders.sample import OPENALEX_DIR
from tests.openalex_server import FIXTURES, OpenAlexServer

SAMPLE_IDS = [
    w["doi"].rsplit("arxiv.", 1)[1] for w in json.loads((FIXTURES / "works.json").read_text())
]
UNKNOWN = ["2606.05555", "2605.03131"]
QIZHEN = "A5011224936"


def client_for(
    server: OpenAlexServer, settings: Settings, waits: list[float] | None = None, **changes: object
) -> OpenAlexClient:
    local = settings.with_(openalex_url=server.url, openalex_delay=0.0, **changes)
    recorded = waits if waits is not None else []
    return OpenAlexClient(local, backoff=0.01, sleep=recorded.append)


def test_works_come_back_for_known_papers_and_unknown_ones_are_absent(
    openalex_server: OpenAlexServer, settings: Settings
) -> None:
    client = client_for(openalex_server, settings)
    works = list(client.works_by_arxiv_ids([*SAMPLE_IDS, *UNKNOWN]))
    dois = {w["doi"] for w in works}
    assert len(works) == 22 == len(dois)
    assert dois == {f"https://doi.org/10.48550/arxiv.{i}" for i in SAMPLE_IDS}
    assert client.requests == 1 and client.retried == 0
    sent = openalex_server.params(openalex_server.requests[0])
    assert sent["per_page"] == "100" and sent["cursor"] == "*"
    assert sent["filter"].startswith("doi:https://doi.org/10.48550/arxiv.")
    assert sent["filter"].count("|") == 23


def test_arxiv_ids_become_lowercased_doi_urls() -> None:
    assert openalex_api.arxiv_doi("2401.00001") == "https://doi.org/10.48550/arxiv.2401.00001"
    assert openalex_api.arxiv_doi("Hep-Th/9901001") == (
        "https://doi.org/10.48550/arxiv.hep-th/9901001"
    )
    assert openalex_records.short_id("https://openalex.org/A5011224936") == QIZHEN


def test_ids_are_asked_for_in_chunks_of_the_or_limit(
    openalex_server: OpenAlexServer, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(openalex_api, "OR_LIMIT", 10)
    client = client_for(openalex_server, settings)
    works = list(client.works_by_arxiv_ids([*SAMPLE_IDS, *UNKNOWN, SAMPLE_IDS[0]]))
    assert len(works) == 22
    sizes = [f.count("|") + 1 for f in openalex_server.filters()]
    assert sizes == [10, 10, 4]  # 24 distinct ids; the repeated one is asked for once


def test_cursor_paging_follows_next_cursor_to_the_end(
    openalex_server: OpenAlexServer, settings: Settings
) -> None:
    openalex_server.per_page_cap = 5
    client = client_for(openalex_server, settings)
    works = list(client.works_by_arxiv_ids(SAMPLE_IDS))
    assert len({w["id"] for w in works}) == 22
    cursors = [openalex_server.params(r)["cursor"] for r in openalex_server.requests]
    assert cursors[0] == "*" and len(cursors) == 5 and len(set(cursors)) == 5
    assert client.requests == 5


def test_a_full_last_page_is_followed_by_one_empty_page(
    openalex_server: OpenAlexServer, settings: Settings
) -> None:
    openalex_server.per_page_cap = 11
    client = client_for(openalex_server, settings)
    assert len(list(client.works_by_arxiv_ids(SAMPLE_IDS))) == 22
    assert client.requests == 3  # 11 + 11, then an empty page whose next_cursor is null


def test_authors_by_short_or_full_ids(openalex_server: OpenAlexServer, settings: Settings) -> None:
    client = client_for(openalex_server, settings)
    wanted = [QIZHEN, "https://openalex.org/A5025115151", "A5999999999"]
    authors = {a["id"]: a for a in client.authors_by_ids(wanted)}
    assert set(authors) == {"https://openalex.org/" + QIZHEN, "https://openalex.org/A5025115151"}
    qizhen = authors["https://openalex.org/" + QIZHEN]
    assert qizhen["orcid"] == "https://orcid.org/0000-0002-5173-3066"
    assert qizhen["summary_stats"]["h_index"] == 17
    assert openalex_server.filters() == [f"openalex:{QIZHEN}|A5025115151|A5999999999"]


def test_a_429_is_retried_after_retry_after_then_succeeds(
    openalex_server: OpenAlexServer, settings: Settings
) -> None:
    openalex_server.fail(times=2, status=429, retry_after=3)
    waits: list[float] = []
    client = client_for(openalex_server, settings, waits)
    assert len(list(client.works_by_arxiv_ids(SAMPLE_IDS))) == 22
    assert client.requests == 3 and client.retried == 2
    assert waits == [3.0, 3.0] and client.waited == 6.0


def test_server_errors_back_off_exponentially(
    openalex_server: OpenAlexServer, settings: Settings
) -> None:
    openalex_server.fail(times=3, status=503)
    waits: list[float] = []
    client = client_for(openalex_server, settings, waits)
    assert len(list(client.authors_by_ids([QIZHEN]))) == 1
    assert waits == [0.01, 0.02, 0.04]


def test_retries_exhausted_raise_openalex_unavailable(
    openalex_server: OpenAlexServer, settings: Settings
) -> None:
    openalex_server.fail(times=10, status=429, retry_after=1)
    client = client_for(openalex_server, settings, openalex_retries=2)
    with pytest.raises(OpenAlexUnavailable) as raised:
        list(client.works_by_arxiv_ids(SAMPLE_IDS[:3]))
    message = str(raised.value)
    assert "after 3 tries" in message and "HTTP 429" in message
    assert "Rate limit exceeded" in message and "rerunning the load is safe" in message
    assert isinstance(raised.value, KgError)
    assert client.requests == 3 and client.retried == 2


def test_a_long_retry_after_fails_at_once(
    openalex_server: OpenAlexServer, settings: Settings
) -> None:
    openalex_server.fail(times=1, status=429, retry_after=40_000)
    waits: list[float] = []
    client = client_for(openalex_server, settings, waits)
    with pytest.raises(OpenAlexUnavailable, match="midnight UTC"):
        list(client.works_by_arxiv_ids(SAMPLE_IDS[:1]))
    assert waits == [] and client.requests == 1


def test_connection_errors_are_retried_then_reported(settings: Settings) -> None:
    with OpenAlexServer() as server:
        url = server.url
    waits: list[float] = []
    local = settings.with_(openalex_url=url, openalex_delay=0.0, openalex_retries=2)
    client = OpenAlexClient(local, backoff=0.01, sleep=waits.append)
    with pytest.raises(OpenAlexUnavailable, match="no answer"):
        list(client.authors_by_ids([QIZHEN]))
    assert client.requests == 3 and waits == [0.01, 0.02]


def test_a_wrong_key_is_a_clear_config_error(
    openalex_server: OpenAlexServer, settings: Settings
) -> None:
    openalex_server.api_key = "right-key"
    client = client_for(openalex_server, settings, openalex_api_key="wrong-key")
    with pytest.raises(ConfigError) as raised:
        list(client.works_by_arxiv_ids(SAMPLE_IDS[:1]))
    message = str(raised.value)
    assert "HTTP 401" in message and "Invalid or missing API key" in message
    assert "KG_OPENALEX_API_KEY" in message and "wrong-key" not in message
    assert client.requests == 1  # a refused key is not retried


def test_the_key_is_sent_as_the_api_key_parameter(
    openalex_server: OpenAlexServer, settings: Settings
) -> None:
    openalex_server.api_key = "right-key"
    client = client_for(openalex_server, settings, openalex_api_key="right-key")
    assert len(list(client.authors_by_ids([QIZHEN]))) == 1
    assert openalex_server.params(openalex_server.requests[0])["api_key"] == "right-key"


def test_a_bad_request_shows_openalex_message(
    openalex_server: OpenAlexServer, settings: Settings
) -> None:
    client = client_for(openalex_server, settings)
    with pytest.raises(OpenAlexRefused, match=r"HTTP 400: .*not a valid field"):
        list(client.pages("works", "title_and_abstract:graph"))
    assert client.requests == 1


def test_the_public_api_without_a_key_is_refused_before_any_request(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("no request may be sent")

    monkeypatch.setattr(requests.Session, "request", no_network)
    public = settings.with_(openalex_url="https://api.openalex.org", openalex_api_key=None)
    with pytest.raises(ConfigError, match="KG_OPENALEX_API_KEY"):
        OpenAlexClient(public)


def test_fixtures_hang_together() -> None:
    works = json.loads((FIXTURES / "works.json").read_text())
    authors = json.loads((FIXTURES / "authors.json").read_text())
    author_ids = {a["id"] for a in authors}
    used = {s["author"]["id"] for w in works for s in w["authorships"]}
    assert used <= author_ids and len(works) == 22
    manifest = json.loads((OPENALEX_DIR / "data/works/manifest").read_text())
    assert manifest["meta"]["record_count"] == 25
