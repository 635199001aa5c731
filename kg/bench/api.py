"""`kg bench api`: profile pages per second through the real service, and the raw Cypher floor.

The service runs as its own process (`python -m kg.cli serve`) against the bench Neo4j, so
the figures include HTTP, GraphQL and the driver as deployed. The floor runs the same named
queries through `Gateway` in this process, with no HTTP or GraphQL: the ratio of the two is
what the API layer costs. Clients, service and Neo4j share this machine's CPUs.
"""

from __future__ import annotations

import asyncio
import math
import random
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from kg.api.gateway import Gateway
from kg.api.requests import CollaboratorRequest, WorksRequest
from kg.bench import BenchError, heavy, live_load, synthetic
from kg.bench import load as bench_load
from kg.bench.options import Options
from kg.core import migrations, neo4j_local
from kg.core.config import Settings
from kg.core.db import async_driver, connected
from loaders.bulk_import import await_indexes

try:
    import httpx2
except ImportError:  # a dev dependency (`pip install -e '.[dev]'`); `run` says so
    httpx2 = None  # type: ignore[assignment]
try:
    import uvloop
except ImportError:  # not on Windows
    uvloop = None  # type: ignore[assignment]

PROFILE_PAGE = """
query ProfilePage($id: ID!) {
  researcher(id: $id) {
    id name nameVariants worksCount followersCount claimStatus
    closeCollaboratorCount
    topics { code label name worksCount }
    works(first: 20) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { arxivId title published category categoryLabel url codeUrl authorCount authors { id name } } }
    }
    collaborators(first: 10) { totalCount edges { sharedWorks lastYear node { id name } } }
  }
}
"""  # noqa: E501 - the page query exactly as the issue gives it

PAPERS = "RETURN COUNT { (:Paper) }"
SAMPLE = """
MATCH (a:Author) WHERE EXISTS { (a)-[:AUTHORED]->(:Paper) }
RETURN a.key AS key ORDER BY key
"""
GRAPHQL, RAW = "graphql", "raw cypher"
Page = Callable[[str], Awaitable[object]]
T = TypeVar("T")


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile: a latency some request really had, never an interpolation."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


@dataclass
class Run:
    """One path at one concurrency, measured after the warm-up."""

    clients: int
    path: str
    seconds: float
    latencies: list[float] = field(default_factory=list)
    """Seconds per successful page."""
    errors: int = 0
    first_error: str | None = None
    outcomes: Counter[str] = field(default_factory=Counter)
    """How the heavy clients' requests ended, by error code, for a run under load."""
    load_outcome: str | None = None
    """How the snapshot load beside a run ended, for a run while loading."""

    @property
    def pages_per_second(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def ms(self, q: float) -> float:
        return percentile(self.latencies, q) * 1000

    def row(self, ratio: float | None) -> str:
        return (
            f"{self.clients:>7} {self.path:<10} {len(self.latencies) + self.errors:>9,} "
            f"{self.errors:>6} {self.pages_per_second:>9,.1f} {self.ms(50):>8.1f} "
            f"{self.ms(95):>8.1f} {self.ms(99):>8.1f} {'' if ratio is None else f'{ratio:.2f}':>12}"
        )


HEADER = (
    f"{'clients':>7} {'path':<10} {'requests':>9} {'errors':>6} {'pages/s':>9} {'p50 ms':>8} "
    f"{'p95 ms':>8} {'p99 ms':>8} {'graphql/raw':>12}"
)


def _count_papers(settings: Settings) -> int:
    with connected(settings) as drv:
        records = drv.execute_query(PAPERS, database_=settings.neo4j_database).records
    return int(records[0][0])


def corpus_file(work_dir: Path, papers: int, seed: int, authors: int | None = None) -> Path:
    """Where the synthetic corpus for these settings is kept between runs."""
    pool = f"-authors{authors}" if authors else ""
    return work_dir / f"synthetic-{papers}{pool}-seed{seed}.jsonl.gz"


def _shape(authors: int | None) -> str:
    return f"authors={authors}" if authors else "authors=default"


def _loaded_shape(settings: Settings) -> str:
    """The author pool of the corpus last loaded into the bench graph (default if unknown)."""
    marker = settings.neo4j_home / bench_load.CORPUS_MARKER
    return marker.read_text().strip() if marker.is_file() else _shape(None)


def ensure_graph(
    settings: Settings,
    papers: int,
    seed: int,
    work_dir: Path,
    log: Callable[[str], None] = print,
    *,
    authors: int | None = None,
) -> int:
    """Start the bench Neo4j and make it hold at least `papers` papers; returns how many it holds.

    A big enough graph is reused if it was made with the same author pool (`authors`; a
    hub-heavy graph never stands in for an ordinary one, nor the reverse): the page queries
    only read, and a load takes minutes. The schema is applied either way, so migrations
    newer than the load (004) exist.
    """
    neo4j_local.start(settings, log=log)
    held = _count_papers(settings)
    shape = _loaded_shape(settings)
    if held < papers or shape != _shape(authors):
        work_dir.mkdir(parents=True, exist_ok=True)
        corpus = corpus_file(work_dir, papers, seed, authors)
        if not corpus.is_file():
            made = synthetic.generate(corpus, papers, seed, authors=authors, progress=True)
            log(made.summary(corpus))
        why = f"fewer than {papers:,}" if held < papers else f"made with {shape}"
        log(f"the bench graph holds {held:,} papers, {why}: loading {corpus}")
        neo4j_local.stop(settings, log=log)
        bench_load.bulk_from_snapshot(settings, corpus, log=log)
        (settings.neo4j_home / bench_load.CORPUS_MARKER).write_text(_shape(authors) + "\n")
        held = _count_papers(settings)
    with connected(settings) as drv:
        migrations.apply(drv, settings.neo4j_database)
        # polled: one db.awaitIndexes call is one transaction, ended at 60 s on a busy machine
        await_indexes(drv, settings.neo4j_database, 600)
    return held


def sample_keys(settings: Settings, size: int, seed: int) -> list[str]:
    """Researchers with at least one work, the same ones for the same seed and graph."""
    with connected(settings) as drv:
        records = drv.execute_query(SAMPLE, database_=settings.neo4j_database).records
    keys = [r["key"] for r in records]
    if not keys:
        raise BenchError("the bench graph has no authors; rerun with --papers above 0")
    return random.Random(seed).sample(keys, min(size, len(keys)))


@contextmanager
def service(
    settings: Settings, port: int, log_file: Path, workers: int = 1
) -> Iterator[subprocess.Popen[bytes]]:
    """`kg serve` in a process of its own, on the bench Neo4j through KG_* variables; healthy
    when entered, stopped on the way out (also on errors and Ctrl-C)."""
    if neo4j_local.port_open(port):
        raise BenchError(f"port {port} is taken; stop what listens there or pass --port")
    env = live_load.bench_env(settings)
    env.update(KG_HOST="127.0.0.1", KG_PORT=str(port))
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("wb") as out:
        cmd = [sys.executable, "-m", "kg.cli", "serve", "--no-access-log"]
        cmd += ["--workers", str(workers)]
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 60
        with httpx2.Client(trust_env=False, timeout=2) as client:
            while proc.poll() is None and time.monotonic() < deadline:
                with suppress(httpx2.HTTPError):
                    if client.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                        break
                time.sleep(0.2)
            else:
                tail = "\n".join(log_file.read_text(errors="replace").splitlines()[-20:])
                raise BenchError(f"the service did not become healthy; {log_file} ends:\n{tail}")
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def peak_rss_mb(pid: int) -> float | None:
    """VmHWM of a live process (Linux only), None where /proc is not there."""
    with suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return None


async def graphql_page(client: httpx2.AsyncClient, key: str) -> dict[str, Any]:
    """One profile page through HTTP; a response with errors, or no researcher, raises."""
    response = await client.post("/graphql", json={"query": PROFILE_PAGE, "variables": {"id": key}})
    body = response.json()
    if response.status_code != 200 or body.get("errors") or not body["data"]["researcher"]:
        raise BenchError(f"{key}: HTTP {response.status_code} {str(body)[:300]}")
    return body["data"]["researcher"]  # type: ignore[no-any-return]


async def raw_page(graph: Gateway, key: str) -> dict[str, Any]:
    """The rows the resolvers fetch for PROFILE_PAGE: the `researcher` field asks for the
    profile with its works page, collaborators page and close-collaborator count at once."""
    row = await graph.page(
        key,
        WorksRequest("NEWEST", 0, 20),
        [CollaboratorRequest(1, limit=10), CollaboratorRequest(2)],
        {"topics"},  # of the parts that walk their works, the page selects only topics
    )
    if row is None:
        raise BenchError(f"{key}: no such researcher")
    return row


async def drive(
    page: Page, keys: list[str], clients: int, path: str, warmup: float, duration: float, seed: int
) -> Run:
    """`clients` workers asking for pages back to back; only pages begun after the warm-up count."""
    measured = time.perf_counter() + warmup
    until = measured + duration
    run = Run(clients, path, duration)

    async def worker(n: int) -> None:
        rng = random.Random(f"{seed}/{clients}/{n}")  # both paths ask for the same keys
        while (began := time.perf_counter()) < until:
            key = rng.choice(keys)
            try:
                await page(key)
            except Exception as err:
                if began >= measured:
                    run.errors += 1
                    run.first_error = run.first_error or f"{err.__class__.__name__}: {err}"
                continue
            if began >= measured:
                run.latencies.append(time.perf_counter() - began)

    await asyncio.gather(*(worker(n) for n in range(clients)))
    run.seconds = time.perf_counter() - measured
    return run


async def measure(settings: Settings, url: str, keys: list[str], options: Options) -> list[Run]:
    """Every concurrency of `options.clients`, through the service then on the raw floor."""
    runs = []
    most = max(options.clients)
    limits = httpx2.Limits(max_connections=most, max_keepalive_connections=most)
    client = httpx2.AsyncClient(base_url=url, limits=limits, timeout=30, trust_env=False)
    async with client, async_driver(settings) as driver:
        s = settings
        graph = Gateway(driver, s.neo4j_database, s.query_timeout, s.coauthor_max_authors)
        paths = {GRAPHQL: partial(graphql_page, client), RAW: partial(raw_page, graph)}
        timing = (options.warmup, options.duration, options.seed)
        for clients in options.clients:
            for path, page in paths.items():
                print(f"{clients} client(s), {path}: measuring {options.duration:g} s", flush=True)
                runs.append(await drive(page, keys, clients, path, *timing))
        if options.heavy:
            path = f"+{options.heavy} heavy"
            print(f"1 client, graphql {path}: measuring {options.duration:g} s", flush=True)
            done: list[Run] = []

            async def one_client() -> None:
                done.append(await drive(paths[GRAPHQL], keys, 1, path, *timing))

            hubs = heavy.hub_keys(settings)
            seconds = options.warmup + options.duration
            outcomes = await heavy.under_load(url, hubs, options.heavy, one_client, seconds)
            done[0].outcomes = outcomes
            runs += done
        if options.load:
            clients, path = max(options.clients), "while loading"
            print(f"{clients} client(s), graphql {path}: measuring {options.duration:g} s")
            loading: list[Run] = []

            async def readers() -> None:
                loading.append(await drive(paths[GRAPHQL], keys, clients, path, *timing))

            log = options.work_dir / "live-load.log"
            ended = await live_load.while_loading(settings, options.load, log, readers)
            loading[0].load_outcome = ended
            runs += loading
    return runs


def report(runs: list[Run], papers: int, keys: int, rss: float | None) -> None:
    by = {(r.clients, r.path): r for r in runs}
    ratios = {
        c: by[c, GRAPHQL].pages_per_second / by[c, RAW].pages_per_second
        for c, p in by
        if p == GRAPHQL and by[c, RAW].pages_per_second
    }
    print(f"\nprofile page, {papers:,} papers, {keys:,} researchers sampled")
    print(HEADER)
    for r in runs:
        print(r.row(ratios.get(r.clients) if r.path == GRAPHQL else None))
    for r in runs:
        if r.first_error:
            print(f"{r.clients} client(s), {r.path}: first error: {r.first_error}")
    checks = []
    if one := by.get((1, GRAPHQL)):
        checks.append((one.ms(50) < 10, f"1 client: p50 < 10 ms ({one.ms(50):.1f} ms)"))
    if eight := by.get((8, GRAPHQL)):
        rate = eight.pages_per_second
        checks.append((rate >= 300, f"8 clients: >= 300 pages/s ({rate:,.0f})"))
        checks.append((eight.ms(99) < 100, f"8 clients: p99 < 100 ms ({eight.ms(99):.1f} ms)"))
    for c, ratio in ratios.items():
        checks.append((ratio >= 2 / 3, f"{c} client(s): graphql >= 2/3 of raw ({ratio:.2f})"))
    print("\ntargets (issue 4):")
    for ok, text in checks:
        print(f"  {'ok  ' if ok else 'MISS'}  {text}")
    for r in runs:
        if r.outcomes:
            alone = by.get((1, GRAPHQL))
            before = f" (alone: {alone.ms(99):.1f} ms)" if alone else ""
            ended = ", ".join(f"{n:,} {code}" for code, n in r.outcomes.most_common())
            print(f"\n1 client, {r.path}: p99 {r.ms(99):.1f} ms{before}; heavy requests: {ended}")
    for r in runs:
        if r.load_outcome:
            print(
                f"\n{r.clients} client(s), {r.path}: {r.errors} failed reads, p99 "
                f"{r.ms(99):.1f} ms; the load: {r.load_outcome}"
            )
    if rss is not None:
        print(f"service peak RSS: {rss:,.0f} MB")


def event_loop_run(main: Coroutine[Any, Any, T]) -> T:
    """Run the clients on uvloop where it is installed: the service runs on it too (uvicorn
    picks it), so both sides of a benchmark pay the same event loop."""
    return asyncio.run(main) if uvloop is None else uvloop.run(main)


def run(options: Options, base: Settings) -> None:
    """Make sure the bench graph is there, start the service, measure, print the figures."""
    if httpx2 is None:  # say so before minutes of loading
        raise BenchError("kg bench api needs httpx2: pip install -e '.[dev]'")
    settings = bench_load.bench_settings(base)
    papers = ensure_graph(settings, options.papers, options.seed, options.work_dir)
    keys = sample_keys(settings, options.sample, options.seed)
    log = options.work_dir / "serve.log"
    with service(settings, options.port, log, options.workers) as proc:
        # the service runs on uvloop (uvicorn picks it); so do the clients and the floor
        url = f"http://127.0.0.1:{options.port}"
        runs = event_loop_run(measure(settings, url, keys, options))
        rss = peak_rss_mb(proc.pid)
    report(runs, papers, len(keys), rss)
