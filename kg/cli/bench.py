"""`kg bench gen|load|api|peer|hubs|identity|openalex|analytics`: a synthetic corpus, the
load paths, the API and the analytics timed.

The benchmarks themselves live in `kg.bench`; this module only reads the command line and
prints what they measured.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kg.bench.options import Options, default_work_dir
from kg.cli import bench_peer
from kg.cli.common import Add, client_counts, settings_from
from kg.core.errors import KgError

API_EPILOG = """\
examples:
  kg bench api                                  100k papers; 1 then 8 clients, 20 s each
  kg bench api --papers 5000 --duration 3       a quick check on a small graph
  kg bench api --clients 1,4,8,16 --duration 60
  kg bench api --clients 1 --heavy 4            profile pages beside 4 abusive clients
  kg bench api --clients 8 --load new.jsonl.gz  profile pages while a load writes

The graph is the bench Neo4j's (KG_BENCH_NEO4J_HOME, default <KG_NEO4J_HOME>-bench, ports
7688/7475). One holding at least --papers papers is reused as it is, whatever its size (the
count is printed); one holding fewer is REPLACED by a synthetic corpus of --papers papers
(`kg bench gen`, kept in --work-dir for the next time) through the bulk load.
The service runs as `python -m kg.cli serve` on --port, logging to WORK_DIR/serve.log.
Neo4j is left running for the next run; stop it with
  KG_NEO4J_HOME=<bench home> KG_BOLT_PORT=7688 KG_HTTP_PORT=7475 kg neo4j stop
"""


OA_EPILOG = """\
examples:
  kg bench openalex                          1M papers: the issue's figure
  kg bench openalex --papers 20000           a quick check
  kg bench openalex --keep                   measure a rerun on an already enriched graph

prints works read and matched, papers matched per second, authors read and matched, wall
seconds and the loading process's peak RSS, then papers with citations, CITES edges and
authors with an OpenAlex h-index in the graph. The snapshot alone, without Neo4j:
  python -c 'from pathlib import Path; from kg.bench.openalex_corpus import *;
    print(write_openalex_snapshot(Path("s.jsonl.gz"), Path("oa")).summary(Path("oa")))'
"""


def cmd_bench(args: argparse.Namespace) -> int:
    # lazy: the benchmarks bring the corpus generator, httpx2 and kg.api (~0.15 s in all),
    # which no other command needs
    from kg.bench import api as bench_api
    from kg.bench import load as bench_load

    if args.action == "gen":
        return _gen(args)
    if args.action == "identity":
        from kg.bench import identity  # lazy: as above

        score = identity.measure(
            settings_from(args),
            args.papers,
            args.seed,
            args.common_share,
            args.path,
            args.work_dir or default_work_dir(),
            slices=args.slices,
        )
        sliced = f" in {args.slices} slices" if args.path == "transactional" else ""
        print(f"{args.path} load{sliced}, {args.papers:,} papers:")
        print(score.summary())
        return 0
    if args.action == "openalex":
        from kg.bench import openalex  # lazy: as above

        work_dir = args.work_dir or default_work_dir()
        measured = openalex.run(
            settings_from(args),
            args.papers,
            args.seed,
            work_dir,
            noise_share=args.noise_share,
            keep=args.keep,
            progress=not args.quiet,
        )
        print(f"OpenAlex {args.path} route, {args.papers:,} papers (bench Neo4j):")
        print(measured.summary())
        return 0
    if args.action == "analytics":
        from kg.bench import analytics  # lazy: as above

        settings = bench_load.bench_settings(settings_from(args))
        held = bench_api.ensure_graph(
            settings, args.papers, args.seed, args.work_dir or default_work_dir()
        )
        print(analytics.measure(settings, held, args.baseline, args.rounds).summary())
        return 0
    if args.action == "hubs":
        from kg.bench import hubs  # lazy: as above

        settings = bench_load.bench_settings(settings_from(args))
        bench_api.ensure_graph(
            settings,
            args.papers,
            args.seed,
            args.work_dir or default_work_dir(),
            authors=args.authors,
        )
        print(hubs.measure(settings, args.min_works, args.hubs, args.rounds).summary())
        return 0
    if args.action == "peer":
        return bench_peer.cmd_peer(args)
    if args.action == "api":
        options = Options(
            papers=args.papers,
            clients=tuple(args.clients),
            duration=args.duration,
            warmup=args.warmup,
            sample=args.sample,
            seed=args.seed,
            port=args.port,
            workers=args.workers,
            heavy=args.heavy,
            load=args.load,
            work_dir=args.work_dir,
        )
        bench_api.run(options, settings_from(args))
        return 0
    paths = ["bulk", "transactional"] if args.path == "both" else [args.path]
    results = bench_load.load_benchmark(
        settings_from(args), args.file, paths, args.batch_size, args.workers
    )
    print(bench_load.HEADER)
    for figures in results:
        print(figures.row())
    for figures in results:
        if figures.split:
            print(figures.phases())
    return 0


def _gen(args: argparse.Namespace) -> int:
    from kg.bench import synthetic  # lazy: as in cmd_bench

    out: Path = args.out or Path(f"synthetic-{args.papers}.jsonl.gz")
    try:
        stats = synthetic.generate(
            out, args.papers, args.seed, authors=args.authors, progress=not args.quiet
        )
    except OSError as err:
        raise KgError(f"cannot write {out}: {err}") from None
    print(stats.summary(out))
    return 0


def register(add: Add) -> None:
    """`kg bench` and its three actions, with their help."""
    p = add(
        "bench",
        cmd_bench,
        "Benchmarks: make a synthetic snapshot, time the load paths and the API.",
        "examples:\n"
        "  kg bench gen --papers 100000 --out synthetic-100k.jsonl.gz\n"
        "  kg bench load synthetic-100k.jsonl.gz            both paths, one after the other\n"
        "  kg bench load synthetic-100k.jsonl.gz --path transactional\n"
        "  kg bench load synthetic-100k.jsonl.gz --path bulk time by phase, and over import +\n"
        "                                                   start + schema (only Neo4j's part)\n"
        "  kg bench api --papers 100000                     profile pages/s, GraphQL vs Cypher\n"
        "  kg bench peer --papers 100000                    kg against @neo4j/graphql\n"
        "  kg bench hubs                                    hubs against the median researcher\n"
        "  kg bench identity --papers 100000                B-cubed of who is who\n"
        "  kg bench openalex --papers 1000000               OpenAlex snapshot route at scale\n"
        "  kg bench analytics --papers 100000 --baseline    kg analytics against networkx\n\n"
        "`bench load` uses its own Neo4j (KG_BENCH_NEO4J_HOME, default <KG_NEO4J_HOME>-bench,\n"
        "ports 7688/7475 or KG_BENCH_BOLT_PORT/KG_BENCH_HTTP_PORT, 4g heap + 4g page cache)\n"
        "and empties it first.",
    )
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")

    gen = actions.add_parser("gen", help="write a synthetic corpus in the snapshot format")
    gen.add_argument("--papers", type=int, required=True, help="how many papers to write")
    gen.add_argument(
        "--out",
        type=Path,
        help="output file, JSON lines; gzipped if it ends in .gz "
        "(default synthetic-PAPERS.jsonl.gz)",
    )
    gen.add_argument("--seed", type=int, default=0, help="same seed, same file (default 0)")
    gen.add_argument(
        "--authors",
        type=int,
        help="size of the author pool (default: one per paper, ~0.7 distinct authors a paper); "
        "fewer authors over as many papers make a hub-heavy corpus: --papers 300000 "
        "--authors 10000 gives 66 researchers with 1,000+ works",
    )
    gen.add_argument("--quiet", action="store_true", help="no progress bar")

    load = actions.add_parser("load", help="load a snapshot by both paths; print papers/s, RSS")
    load.add_argument("file", type=Path, help="snapshot file (make one with `kg bench gen`)")
    load.add_argument("--path", choices=["transactional", "bulk", "both"], default="both")
    load.add_argument("--batch-size", type=int, default=2000, help="transactional batch size")
    load.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="bulk path: record-pass workers (default: one per CPU; 1: the loader alone)",
    )

    ident = actions.add_parser(
        "identity",
        help="how well researchers match the people behind a corpus (B-cubed)",
        description="Write a corpus by known people, a share of them on very common names, "
        "load it into the bench Neo4j (emptied first) and score the graph's researchers "
        "against who really wrote each authorship: B-cubed precision, recall and F1, and "
        "the researchers merging the most people.",
    )
    ident.add_argument("--papers", type=int, default=100_000, help="corpus size (100000)")
    ident.add_argument("--seed", type=int, default=0, help="same seed, same corpus (0)")
    ident.add_argument(
        "--common-share",
        type=float,
        default=0.15,
        help="share of people on one of 16 very common names (0.15)",
    )
    ident.add_argument("--path", choices=["bulk", "transactional"], default="bulk")
    ident.add_argument(
        "--slices",
        type=int,
        default=10,
        help="transactional path: load the corpus in this many consecutive loads (10)",
    )
    ident.add_argument(
        "--work-dir", type=Path, help="where the corpus and truth are kept (~/.cache/kg/bench)"
    )

    oa_help = "papers matched/s and peak RSS of `kg load openalex --snapshot` at scale"
    oa = actions.add_parser(
        "openalex",
        help=oa_help,
        description=oa_help
        + ".\n\nMakes once, and keeps in --work-dir, the synthetic arXiv corpus of --papers\n"
        "papers and an OpenAlex snapshot made to match it, in OpenAlex's layout\n"
        "(data/works|authors/updated_date=.../part_NNN.gz and manifests): one work per paper\n"
        "but 2% left out, some under a journal DOI (found by their arXiv location),\n"
        "--noise-share works that are not arXiv's, and an author record per person.\n"
        "The bench Neo4j (as for `kg bench api`) is reloaded with the corpus by the bulk path\n"
        "unless it already holds it; then the snapshot route loads the snapshot in a process\n"
        "of its own.",
        epilog=OA_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    oa.add_argument("--papers", type=int, default=1_000_000, help="corpus size (1000000)")
    oa.add_argument("--seed", type=int, default=0, help="same seed, same corpus and snapshot (0)")
    oa.add_argument(
        "--path",
        choices=["snapshot"],
        default="snapshot",
        help="the route measured: the snapshot files (the API route needs OpenAlex's servers)",
    )
    oa.add_argument(
        "--noise-share",
        type=float,
        default=0.2,
        help="share of the snapshot's works that are not arXiv papers, to skip (0.2)",
    )
    oa.add_argument(
        "--keep",
        action="store_true",
        help="reuse a graph that already has OpenAlex data: measures a rerun (idempotent load)",
    )
    oa.add_argument("--quiet", action="store_true", help="no progress bars")
    oa.add_argument(
        "--work-dir", type=Path, help="where the corpus and snapshot are kept (~/.cache/kg/bench)"
    )

    an_help = "`kg analytics` of the whole graph: seconds per phase and peak RSS"
    an = actions.add_parser(
        "analytics",
        help=an_help,
        description=an_help
        + ".\n\nThe graph is the bench Neo4j's, as for `kg bench api` (replaced by a synthetic\n"
        "corpus if it holds fewer than --papers papers). One unmeasured read warms the\n"
        "page cache; then each round runs `kg analytics` in a fresh process (so its peak\n"
        "RSS is its own): read (Neo4j to a sparse matrix), compute (PageRank + Louvain),\n"
        "write (back to the Author nodes, as a real run does). --baseline alternates it\n"
        "with the networkx engine it replaced and prints the ratios of the medians.",
        epilog="examples:\n"
        "  kg bench analytics --papers 100000 --baseline     against networkx, same run\n"
        "  kg bench analytics --papers 1000000               issue 13's target: 90 s, 3 GB\n"
        "  kg bench analytics --rounds 3                     medians of 3 runs\n\n"
        "networkx needs ~650 MB and ~45 s per million COAUTHOR edges: leave --baseline out\n"
        "beyond a few million edges.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    an.add_argument("--papers", type=int, default=100_000, help="as for `kg bench api` (100000)")
    an.add_argument("--seed", type=int, default=0, help="seeds the corpus if one is made (0)")
    an.add_argument(
        "--baseline", action="store_true", help="also run the networkx engine, alternating"
    )
    an.add_argument("--rounds", type=int, default=1, help="runs of each engine (1)")
    an.add_argument(
        "--work-dir", type=Path, help="where a corpus is kept if one is made (~/.cache/kg/bench)"
    )

    hubs_help = "what the most prolific researchers cost against the median researcher"
    hub = actions.add_parser(
        "hubs",
        help=hubs_help,
        description=hubs_help
        + ": p50 of a windowed\ncloseCollaboratorCount, context(depth: 2, limit: 25), the "
        "profile page, the\nexplorer's first graph (context with edge years, which its year "
        "slider reads)\nand connection (each hub's to the next hub, each median researcher's to "
        "the next\none's), through the GraphQL schema in this process (no HTTP), one request "
        "at a\ntime, hubs and median researchers alternating, warm.",
        epilog="examples:\n  kg bench hubs                      hubs = researchers with 1,000+ "
        "works\n  kg bench hubs --min-works 200 --hubs 50\n"
        "  kg bench hubs --papers 300000 --authors 10000  a hub-heavy graph (66 hubs)\n\n"
        "The graph is the bench Neo4j's, as for `kg bench api` (replaced by a synthetic\n"
        "corpus if it holds fewer than --papers papers or was made with another --authors).\n"
        "Without researchers of --min-works works the --hubs most prolific are measured;\n"
        "the summary says how many works they have.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    hub.add_argument("--papers", type=int, default=100_000, help="as for `kg bench api` (100000)")
    hub.add_argument(
        "--authors",
        type=int,
        help="author pool of the corpus made if one is (as for `kg bench gen`): "
        "a small pool makes a hub-heavy graph",
    )
    hub.add_argument("--seed", type=int, default=0, help="seeds the corpus if one is made (0)")
    hub.add_argument("--min-works", type=int, default=1000, help="a hub's works, at least (1000)")
    hub.add_argument("--hubs", type=int, default=20, help="hubs measured, at most (20)")
    hub.add_argument("--rounds", type=int, default=3, help="passes over them after a warm-up (3)")
    hub.add_argument(
        "--work-dir", type=Path, help="where a corpus is kept if one is made (~/.cache/kg/bench)"
    )

    api_help = "profile pages/s and latency through the service, against raw Cypher"
    api = actions.add_parser(
        "api",
        help=api_help,
        description=api_help,
        epilog=API_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    defaults = Options()
    api.add_argument(
        "--papers",
        type=int,
        default=defaults.papers,
        help="the bench graph must hold at least this many papers: a bigger one is reused, a "
        "smaller one is replaced by a synthetic corpus of this size (default 100000)",
    )
    api.add_argument(
        "--clients", type=client_counts, default=list(defaults.clients), help="concurrencies (1,8)"
    )
    api.add_argument("--duration", type=float, default=defaults.duration, help="seconds measured")
    api.add_argument("--warmup", type=float, default=defaults.warmup, help="seconds not measured")
    api.add_argument("--sample", type=int, default=defaults.sample, help="researchers (2000)")
    api.add_argument("--seed", type=int, default=defaults.seed, help="seeds sample and corpus")
    api.add_argument("--port", type=int, default=defaults.port, help="the service's port (8765)")
    api.add_argument(
        "--workers", type=int, default=defaults.workers, help="`kg serve --workers` (1)"
    )
    api.add_argument(
        "--heavy",
        type=int,
        default=defaults.heavy,
        metavar="N",
        help="then measure 1 client while N others send the costliest allowed request (0)",
    )
    api.add_argument(
        "--load",
        type=Path,
        metavar="FILE",
        help="then measure the most clients while `kg load snapshot FILE` writes into the "
        "same graph (a refresh while serving): failed reads and p99",
    )
    api.add_argument(
        "--work-dir",
        type=Path,
        default=defaults.work_dir,
        help=f"corpus and service log (default {defaults.work_dir})",
    )

    bench_peer.register(actions.add_parser)
