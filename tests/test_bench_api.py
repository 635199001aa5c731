"""`kg bench api`: its pieces against the real service and Neo4j, with no timing assertions."""

from __future__ import annotations

import asyncio
import math
from pathlib import Path
from typing import Any

import httpx2
import pytest

from kg.api.gateway import Gateway
from kg.bench import api as bench_api
from kg.bench.api import BenchError, Run, percentile
from kg.cli import build_parser
from kg.core.config import Settings
from kg.core.db import async_driver
from tests.helpers import free_port


def test_percentile_is_a_latency_some_request_had():
    values = [float(n) for n in range(100, 0, -1)]
    assert (percentile(values, 50), percentile(values, 95), percentile(values, 99)) == (50, 95, 99)
    assert percentile(values, 100) == 100
    assert percentile([7.0], 99) == 7
    assert math.isnan(percentile([], 50))
    run = Run(clients=8, path="graphql", seconds=2.0, latencies=[0.001, 0.002, 0.003, 0.004])
    assert run.pages_per_second == 2.0
    assert run.ms(50) == 2.0


def test_drive_counts_errors_apart_from_pages():
    async def page(key: str) -> None:
        await asyncio.sleep(0)
        if key == "bad":
            raise BenchError(f"{key}: no such researcher")

    run = asyncio.run(bench_api.drive(page, ["good", "bad"], 2, "raw cypher", 0.0, 0.2, seed=1))
    assert run.clients == 2
    assert run.latencies and run.errors
    assert run.first_error == "BenchError: bad: no such researcher"


def test_cli_options():
    args = build_parser().parse_args(["bench", "api", "--clients", "1,4,16"])
    assert (args.clients, args.papers, args.duration, args.warmup) == ([1, 4, 16], 100_000, 20, 3)
    with pytest.raises(SystemExit):
        build_parser().parse_args(["bench", "api", "--clients", "0"])


def test_sample_is_the_same_for_the_same_seed(load_feed, settings):
    load_feed("basic")
    first = bench_api.sample_keys(settings, 4, seed=7)
    assert first == bench_api.sample_keys(settings, 4, seed=7)
    assert len(first) == 4 and len(set(first)) == 4
    assert "alice-martin" in bench_api.sample_keys(settings, 1000, seed=7)


async def both_pages(
    settings: Settings, url: str, keys: list[str]
) -> tuple[list[tuple[dict[str, Any], dict[str, Any]]], int]:
    async with (
        httpx2.AsyncClient(base_url=url, trust_env=False) as client,
        async_driver(settings) as drv,
    ):
        gateway = Gateway(drv, settings.neo4j_database, settings.query_timeout)
        pages = [
            (await bench_api.graphql_page(client, k), await bench_api.raw_page(gateway, k))
            for k in keys
        ]
        for page in (
            bench_api.graphql_page(client, "nobody"),
            bench_api.raw_page(gateway, "nobody"),
        ):
            with pytest.raises(BenchError, match="nobody"):
                await page
        return pages, gateway.queries


def test_raw_floor_fetches_what_the_graphql_page_shows(load_feed, settings, tmp_path: Path):
    load_feed("basic")
    keys = bench_api.sample_keys(settings, 1000, seed=0)
    port = free_port()
    with bench_api.service(settings, port, tmp_path / "serve.log") as proc:
        pages, queries = asyncio.run(both_pages(settings, f"http://127.0.0.1:{port}", keys))
        assert (bench_api.peak_rss_mb(proc.pid) or 0) > 0
    assert proc.poll() is not None, "the service is stopped on the way out"
    assert queries == len(keys) + 1  # one query a page, one for the unknown researcher

    for gql, raw in pages:
        collaborators, close = raw["collaborators"]
        assert gql["id"] == raw["id"]
        assert gql["worksCount"] == raw["worksCount"] == gql["works"]["totalCount"]
        assert [e["node"]["arxivId"] for e in gql["works"]["edges"]] == [
            w["arxivId"] for w in raw["works"]
        ]
        assert [t["code"] for t in gql["topics"]] == [t["code"] for t in raw["topics"]]
        assert [(e["node"]["id"], e["sharedWorks"]) for e in gql["collaborators"]["edges"]] == [
            (c["id"], c["sharedWorks"]) for c in collaborators["page"]
        ]
        assert gql["collaborators"]["totalCount"] == collaborators["total"]
        assert gql["closeCollaboratorCount"] == close["total"]
    alice = next(gql for gql, _ in pages if gql["id"] == "alice-martin")
    assert alice["closeCollaboratorCount"] == 3 and alice["collaborators"]["edges"]
