"""`kg bench peer`: kg's profile page against the Neo4j GraphQL Library's, side by side.

Its own module because its options and help are as long as the rest of `kg bench`'s; the
benchmark itself lives in `kg.bench.peer`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from kg.bench.options import PeerOptions
from kg.cli.common import client_counts, settings_from

PEER_EPILOG = """\
examples:
  kg bench peer                                 100k papers; 1 then 8 clients, 3 rounds of 10 s
  kg bench peer --papers 5000 --rounds 1 --duration 3    a quick check on a small graph
  kg bench peer --clients 8 --rounds 5 --top-share 0.001  the 0.1% most prolific, 8 clients
  kg bench peer --papers 300000 --authors 10000  a hub-heavy graph (66 with 1,000+ works)
  kg bench peer --workers 2                     kg served by 2 processes (one per core)

prints, per set of researchers (random, top 1% by works) and concurrency: kg's and the
peer's pages/s, kg/peer over all rounds and its range round by round, p50/p95 of each, and
errors; then whether kg reaches 1.2x the peer's pages/s (issue 13). Compare ratios, not
absolute figures: both servers share the machine, and the rounds alternate so drift lands
on both.

The peer is the project's @neo4j/graphql server (--peer-dir, default KG_PEER_DIR or
../shared/peer-neo4j-graphql beside the repo). It is copied into WORK_DIR/peer-neo4j-graphql,
its packages installed there once with `npm ci` (needs Node.js 20+ and the npm registry),
and started as `node server.mjs` on --peer-port, logging to WORK_DIR/peer.log. kg's service
runs as for `kg bench api`, on --port, logging to WORK_DIR/serve.log. kg is asked the
folder's kg_profile.graphql, the peer its profile.graphql.

Before timing, the pages of the first --check researchers of each set are compared field
by field (the peer's reshaped to kg's shape); any difference is printed, flagged above the
table, and makes the command exit 1 after measuring.

The graph is the bench Neo4j's, as for `kg bench api` (KG_BENCH_NEO4J_HOME, ports from
KG_BENCH_BOLT_PORT/KG_BENCH_HTTP_PORT): one holding fewer than --papers papers, or made
with another --authors, is REPLACED by a synthetic corpus of that size. Neo4j is left
running; stop it as `kg bench api -h` says.
"""


def cmd_peer(args: argparse.Namespace) -> int:
    """Run the side-by-side benchmark; exit 1 when the two servers' answers differ."""
    # lazy: the benchmark brings the service client, the loaders and kg.api
    from kg.bench import load as bench_load
    from kg.bench import peer

    peer_options = PeerOptions(
        papers=args.papers,
        authors=args.authors,
        clients=tuple(args.clients),
        duration=args.duration,
        warmup=args.warmup,
        rounds=args.rounds,
        sample=args.sample,
        top_share=args.top_share,
        check=args.check,
        seed=args.seed,
        port=args.port,
        workers=args.workers,
        peer_port=args.peer_port,
        peer_dir=args.peer_dir,
        work_dir=args.work_dir,
    )
    settings = bench_load.bench_settings(settings_from(args))
    side_by_side = peer.run(peer_options, settings)
    print(side_by_side.summary())
    return 1 if side_by_side.differing else 0


def _share(text: str) -> float:
    try:
        share = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"give a share like 0.01, not {text!r}") from None
    if not 0 < share <= 1:
        raise argparse.ArgumentTypeError("a share is above 0 and at most 1 (0.01 is 1%)")
    return share


def register(add_parser: Callable[..., argparse.ArgumentParser]) -> None:
    """`kg bench peer` and its options, on `kg bench`'s subparsers."""
    peer_help = "profile pages/s of kg against the Neo4j GraphQL Library, same graph and keys"
    peer = add_parser(
        "peer",
        help=peer_help,
        description=peer_help + ".",
        epilog=PEER_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    d = PeerOptions()
    peer.add_argument(
        "--papers",
        type=int,
        default=d.papers,
        help="as for `kg bench api`: a smaller bench graph is replaced (default 100000)",
    )
    peer.add_argument(
        "--authors",
        type=int,
        help="author pool of the corpus made if one is (as for `kg bench gen`): a small pool "
        "makes a hub-heavy graph; a graph made with another pool is replaced",
    )
    peer.add_argument(
        "--clients", type=client_counts, default=list(d.clients), help="concurrencies (1,8)"
    )
    peer.add_argument(
        "--rounds", type=int, default=d.rounds, help="kg/peer rounds per set and concurrency (3)"
    )
    peer.add_argument(
        "--duration", type=float, default=d.duration, help="seconds per server and round (10)"
    )
    peer.add_argument(
        "--warmup", type=float, default=d.warmup, help="seconds not counted per measurement (2)"
    )
    peer.add_argument("--sample", type=int, default=d.sample, help="random researchers (1000)")
    peer.add_argument(
        "--top-share",
        type=_share,
        default=d.top_share,
        help="the most prolific researchers by works, as a share of all (0.01)",
    )
    peer.add_argument(
        "--check", type=int, default=d.check, help="researchers per set compared first (5)"
    )
    peer.add_argument("--seed", type=int, default=d.seed, help="seeds sample, keys and corpus")
    peer.add_argument("--port", type=int, default=d.port, help=f"kg's service port ({d.port})")
    peer.add_argument(
        "--workers",
        type=int,
        default=d.workers,
        help="kg's server processes (`kg serve --workers`, default 1); the peer runs as one "
        "Node.js process, Neo4j's threads doing most of its work",
    )
    peer.add_argument(
        "--peer-port", type=int, default=d.peer_port, help=f"the peer's port ({d.peer_port})"
    )
    peer.add_argument(
        "--peer-dir",
        type=Path,
        default=d.peer_dir,
        help=f"the shared peer-neo4j-graphql folder (KG_PEER_DIR; default {d.peer_dir})",
    )
    peer.add_argument(
        "--work-dir",
        type=Path,
        default=d.work_dir,
        help=f"corpus, the peer's copy and both servers' logs (default {d.work_dir})",
    )
