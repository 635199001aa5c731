"""`kg query`, `kg analytics`, `kg export` and `kg claims`: commands for analysts and operators."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from kg.cli.common import Add, settings_from
from kg.core import queries as ql
from kg.core.db import connected
from kg.core.errors import UsageError
from kg.curation import claims


def cmd_claims(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    with connected(settings) as drv:
        claims.use(drv, settings.neo4j_database)
        if args.action == "list":
            found = claims.list_claims(args.status)
            for c in found:
                made = f"{c.created:%Y-%m-%d}" if c.created else "?"
                print(f"{c.status:<9} {c.user:<20} {c.researcher:<30} {c.name or ''} ({made})")
            print(f"{len(found)} claim(s)" + (f" {args.status}" if args.status else ""))
            return 0
        if not args.user or not args.researcher:
            raise UsageError(f"usage: kg claims {args.action} USER RESEARCHER_ID")
        status = "VERIFIED" if args.action == "verify" else "REJECTED"
        claim = claims.decide(args.user, args.researcher, status)
    print(f"{claim.user}'s claim on {claim.researcher} is now {claim.status}")
    return 0


def cmd_analytics(args: argparse.Namespace) -> int:
    from kg.analysis import analytics  # lazy: numpy, scipy and scikit-network: ~0.3 s

    if args.resolution <= 0:
        raise UsageError("--resolution must be above 0 (1 is the usual)")
    settings = settings_from(args)
    with connected(settings) as drv:
        report = analytics.run(
            drv,
            settings.neo4j_database,
            topic=args.topic,
            seed=args.seed,
            resolution=args.resolution,
            progress=not args.quiet,
        )
    print(report.summary())
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from kg.analysis import export  # lazy: networkx takes ~0.2 s to import

    settings = settings_from(args)
    with connected(settings) as drv:
        where, graph = export.export_ego(
            drv,
            settings.neo4j_database,
            args.name,
            args.format,
            args.depth,
            args.limit,
            args.out,
        )
    cut = " (some lists were cut at --limit)" if graph.graph["truncated"] else ""
    print(
        f"wrote {'stdout' if where == '-' else where}: {graph.number_of_nodes()} nodes, "
        f"{graph.number_of_edges()} edges{cut}",
        file=sys.stderr if where == "-" else sys.stdout,
    )
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    if args.list or not args.name:
        for q in ql.load_all():
            print(f"{q.name:<30} {q.summary}" + ("  [writes]" if q.writes else ""))
        return 0
    query = ql.get(args.name)
    if args.show:
        print(query.text)
        return 0
    params, defaulted = ql.parameters(query, args.param)
    if query.writes and not args.write:
        raise UsageError(f"{query.name} writes to the graph; add --write to run it")
    for name in defaulted:
        print(f"({name} = {json.dumps(params[name])}, the example)", file=sys.stderr)
    settings = settings_from(args)
    with connected(settings) as drv:
        keys, rows = ql.run(drv, query, params, settings.neo4j_database)
    if args.json:
        for row in rows:
            print(json.dumps(dict(zip(keys, row, strict=True)), default=str, ensure_ascii=False))
        return 0
    shown = rows if args.limit <= 0 else rows[: args.limit]
    print(table(keys, shown))
    more = len(rows) - len(shown)
    print(f"{len(rows)} row(s)" + (f"; {more} not shown (--limit 0 shows all)" if more else ""))
    return 0


def _cell(value: Any, width: int) -> str:
    if hasattr(value, "iso_format"):
        value = value.iso_format()
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= width else text[: width - 1] + "…"


def table(keys: list[str], rows: list[list[Any]], width: int = 48) -> str:
    """Rows as a plain-text table, each cell cut at `width` characters."""
    cells = [[_cell(v, width) for v in row] for row in rows]
    widths = [max([len(k)] + [len(r[i]) for r in cells]) for i, k in enumerate(keys)]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(k.ljust(w) for k, w in zip(keys, widths, strict=True)), line]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join(s.rstrip() for s in out)


def register(add: Add) -> None:
    """The analysts' and operators' commands, with their help."""
    p = add(
        "claims",
        cmd_claims,
        "Review the claims users made on researcher records (claimResearcher).",
        "examples:\n"
        "  kg claims list                        every claim, pending first\n"
        "  kg claims list --status PENDING\n"
        "  kg claims verify alice alice-martin   alice's claim is verified: the record shows it\n"
        "  kg claims reject bob alice-martin\n\n"
        "Only one user's claim on a record can be verified at a time.",
    )
    p.add_argument("action", choices=["list", "verify", "reject"])
    p.add_argument("user", nargs="?", help="verify/reject: the user id of the claim")
    p.add_argument("researcher", nargs="?", help="verify/reject: the researcher id")
    p.add_argument("--status", choices=["PENDING", "VERIFIED", "REJECTED"], help="list: only these")

    p = add(
        "query",
        cmd_query,
        "Run a named query from queries/ (the ones the service uses, and more for analysts).",
        "examples:\n"
        "  kg query --list                              every query, with what it answers\n"
        "  kg query topic_leaders                       run it with its example parameters\n"
        "  kg query topic_leaders --param topic=cs.LG --param first=5\n"
        "  kg query shortest_collaboration_path --param from=qizhen-zhang --param to=zihang-liu\n"
        "  kg query researcher_profile --show           the Cypher, with its header\n\n"
        'Values are Cypher literals as in Neo4j Browser\'s :param (5, null, ["a"], {k: 1});\n'
        "anything else is taken as a string. Parameters not given take the example values\n"
        "from the query's header, which also shows how to run it in Neo4j Browser.",
    )
    p.add_argument("name", nargs="?", help="query name (file name in queries/ without .cypher)")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    p.add_argument("--list", action="store_true", help="list the queries")
    p.add_argument("--show", action="store_true", help="print the query instead of running it")
    p.add_argument("--json", action="store_true", help="one JSON object per row")
    p.add_argument("--limit", type=int, default=50, help="rows shown (default 50; 0: all)")
    p.add_argument("--write", action="store_true", help="allow a query that writes")

    p = add(
        "analytics",
        cmd_analytics,
        "PageRank (scipy) and co-author communities (scikit-network), written back to the graph.",
        "whole graph   Author.pagerank (float, sums to 1), Author.community (int, 0 = the\n"
        "              largest), Author.analyticsAt; GraphQL: researcher { pagerank community }\n"
        "--topic CODE  (:Author)-[:TOPIC_RANK {pagerank, community, at}]->(:Topic), for the\n"
        "              authors who published in CODE and the COAUTHOR edges among them\n"
        "Authors without a COAUTHOR edge (in the topic) get no values; values an earlier run\n"
        "left that no longer apply are removed. Rerunning on the same graph gives the same.\n\n"
        "size: the graph is read as numeric arrays into a sparse matrix (12 bytes an edge),\n"
        "so memory is 150-290 MB per million COAUTHOR edges at the peak (Louvain's working\n"
        "copies). Measured on 2 cores shared with other jobs: 100k arXiv-like papers = 90k\n"
        "authors with 0.97M edges: 5-8 s, 0.28 GB peak RSS (networkx: 159-226 s, 0.79 GB);\n"
        "1M papers = 9.3M edges: 1.4 GB peak RSS, 96-230 s as the load went from 3 to 15\n"
        "(Louvain about half). Time it on your own graph with `kg bench analytics`.\n\n"
        "examples:\n"
        "  kg analytics                            the whole collaboration graph\n"
        "  kg analytics --topic cs.LG              one topic's authors; rerun per topic\n"
        "  kg analytics --resolution 2 --seed 7    more, smaller communities; another seed\n"
        "  kg query researcher_profile --param keys='[\"qizhen-zhang\"]'   shows both values",
    )
    p.add_argument(
        "--topic", metavar="CODE", help="only the authors of this arXiv category, e.g. cs.LG"
    )
    p.add_argument(
        "--seed",
        type=int,
        default=42,
        help="Louvain's random seed (default 42): same graph and seed, same communities",
    )
    p.add_argument(
        "--resolution",
        type=float,
        default=1.0,
        help="Louvain resolution (default 1): above 1 finds more, smaller communities",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bars")

    p = add(
        "export",
        cmd_export,
        "Write a researcher's neighbourhood as GraphML, GEXF or JSON (Gephi, Cytoscape, ...).",
        "The graph is GraphQL's researcher { context }: their newest works, topics,\n"
        "institutions and strongest collaborators (--depth 2: and theirs), each list cut at\n"
        "--limit. Nodes have kind, key, label, depth (ids like researcher:ann-lee);\n"
        "edges have kind, and weight (shared works) on COAUTHOR, lastYear on AFFILIATED_WITH.\n\n"
        "examples:\n"
        "  kg export ego qizhen-zhang                        qizhen-zhang-ego.graphml\n"
        '  kg export ego "Zhang, Qizhen" --format gexf --depth 2 --limit 50\n'
        "  kg export ego qizhen-zhang --format json --out - | jq '.nodes | length'\n\n"
        "Ids: `kg query search_researchers --param query=zhang*`.",
    )
    p.add_argument("what", choices=["ego"], help="ego: one researcher's neighbourhood")
    p.add_argument("name", help="researcher id (qizhen-zhang) or full name in any spelling")
    p.add_argument("--format", choices=["graphml", "gexf", "json"], default="graphml")
    p.add_argument(
        "--depth", type=int, choices=[1, 2], default=1, help="2 adds co-authors' co-authors"
    )
    p.add_argument("--limit", type=int, default=25, help="cap per list (default 25, at most 1000)")
    p.add_argument("--out", help="file (default <id>-ego.<format> here; - for stdout)")
