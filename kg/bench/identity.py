"""`kg bench identity`: how well the graph's researchers match the people behind a corpus.

Scored with B-cubed over authorships: for each authorship, the share of its researcher's
authorships that are the same person (precision) and the share of its person's authorships
that are that researcher's (recall), averaged. A graph that keys people by name merges
namesakes (precision falls) and never splits a person (recall 1); a cautious one splits.
"""

from __future__ import annotations

import gzip
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import neo4j

from kg.bench import identity_corpus
from kg.bench import load as bench_load
from kg.core import neo4j_local
from kg.core.config import Settings
from kg.core.db import connected
from loaders import snapshot
from loaders.bulk_csv import Log

AUTHORSHIPS = """
MATCH (a:Author)-[r:AUTHORED]->(p:Paper)
RETURN p.arxivId AS paper, r.position AS position, r.nameAsWritten AS written,
       elementId(a) AS researcher, a.name AS name
ORDER BY paper, position
"""
"""Every authorship with the researcher (node) it went to: whatever the identity model,
an `Author` node is one researcher."""


@dataclass
class Score:
    """B-cubed figures of one assignment, and where it goes most wrong."""

    authorships: int = 0
    precision: float = 0.0
    recall: float = 0.0
    unmatched: int = 0
    """Truth authorships with no AUTHORED edge of that name on their paper."""
    chimeras: list[tuple[str, int, int]] = field(default_factory=list)
    """(researcher name, people merged into it, its authorships), worst first."""
    splits: list[tuple[int, int]] = field(default_factory=list)
    """(person, researchers they were split into), worst first."""

    @property
    def f1(self) -> float:
        both = self.precision + self.recall
        return 2 * self.precision * self.recall / both if both else 0.0

    def summary(self) -> str:
        lines = [
            f"{self.authorships:,} authorships: B-cubed precision {self.precision:.4f}, "
            f"recall {self.recall:.4f}, F1 {self.f1:.4f}"
            + (f"; {self.unmatched:,} not found in the graph" if self.unmatched else ""),
            "researchers merging the most people:",
            *(f"  {name}: {people} people, {n} authorships" for name, people, n in self.chimeras),
        ]
        if self.splits:
            lines += ["people split the most:"]
            lines += [f"  person {p}: {n} researchers" for p, n in self.splits]
        return "\n".join(lines)


def bcubed(pairs: Iterable[tuple[str, int]]) -> tuple[float, float, int]:
    """(precision, recall, items) of (predicted cluster, true cluster) per item."""
    joint: Counter[tuple[str, int]] = Counter(pairs)
    predicted: Counter[str] = Counter()
    true: Counter[int] = Counter()
    for (p, t), n in joint.items():
        predicted[p] += n
        true[t] += n
    items = sum(joint.values())
    if not items:
        return 0.0, 0.0, 0
    precision = sum(n * n / predicted[p] for (p, _), n in joint.items()) / items
    recall = sum(n * n / true[t] for (_, t), n in joint.items()) / items
    return precision, recall, items


def score(
    drv: neo4j.Driver, database: str, truth: dict[str, list[tuple[str, int]]], worst: int = 5
) -> Score:
    """Match each truth authorship to the graph's (same paper, same name as written, in
    order; a namesake the loader folded into one authorship goes to that researcher)."""
    graph: dict[str, list[tuple[str, str]]] = defaultdict(list)
    names: dict[str, str] = {}
    with drv.session(database=database, default_access_mode=neo4j.READ_ACCESS) as s:
        for row in s.run(AUTHORSHIPS):
            graph[row["paper"]].append((row["written"], row["researcher"]))
            names[row["researcher"]] = row["name"]
    pairs: list[tuple[str, int]] = []
    unmatched = 0
    for paper, authorships in truth.items():
        edges = graph.get(paper, [])
        used = [False] * len(edges)
        for written, person in authorships:
            found = next(
                (i for i, (w, _) in enumerate(edges) if w == written and not used[i]), None
            )
            if found is None:
                found = next((i for i, (w, _) in enumerate(edges) if w == written), None)
            if found is None:
                unmatched += 1
                continue
            used[found] = True
            pairs.append((edges[found][1], person))
    precision, recall, items = bcubed(pairs)
    people_in: dict[str, set[int]] = defaultdict(set)
    researchers_of: dict[int, set[str]] = defaultdict(set)
    sizes: Counter[str] = Counter()
    for researcher, person in pairs:
        people_in[researcher].add(person)
        researchers_of[person].add(researcher)
        sizes[researcher] += 1
    chimeras = sorted(people_in, key=lambda r: (-len(people_in[r]), r))[:worst]
    splits = sorted(researchers_of, key=lambda p: (-len(researchers_of[p]), p))[:worst]
    return Score(
        authorships=items,
        precision=precision,
        recall=recall,
        unmatched=unmatched,
        chimeras=[(names[r], len(people_in[r]), sizes[r]) for r in chimeras],
        splits=[(p, len(researchers_of[p])) for p in splits if len(researchers_of[p]) > 1],
    )


def slice_corpus(corpus: Path, slices: int, out_dir: Path) -> list[Path]:
    """`corpus` cut into `slices` consecutive files of (nearly) equal size, in order."""
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        lines = f.readlines()
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(slices):
        part = out_dir / f"{corpus.name.removesuffix('.jsonl.gz')}.slice{k + 1}of{slices}.jsonl"
        part.write_text("".join(lines[k * len(lines) // slices : (k + 1) * len(lines) // slices]))
        paths.append(part)
    return paths


def measure(
    base: Settings,
    papers: int,
    seed: int,
    common_share: float,
    path: str,
    work_dir: Path,
    log: Log = print,
    slices: int = 1,
) -> Score:
    """Write (or reuse) the corpus, load it into the emptied bench Neo4j by `path`
    ("bulk" or "transactional"; the latter in `slices` consecutive loads, as a graph
    refreshed day by day is), and score the graph against the truth."""
    work_dir.mkdir(parents=True, exist_ok=True)
    stem = f"people-{papers}-seed{seed}-common{common_share:g}"
    corpus, truth = work_dir / f"{stem}.jsonl.gz", work_dir / f"{stem}.truth.jsonl.gz"
    if not (corpus.is_file() and truth.is_file()):
        written, people = identity_corpus.write(corpus, truth, papers, seed, common_share)
        log(f"wrote {corpus}: {written:,} papers by {people:,} people")
    settings = bench_load.bench_settings(base)
    neo4j_local.stop(settings, log=lambda _: None)
    if path == "bulk":
        bench_load.bulk_from_snapshot(settings, corpus, log=lambda _: None)
    else:
        bench_load.empty_store(settings, work_dir / ".kg-identity-empty")
        parts = [corpus] if slices <= 1 else slice_corpus(corpus, slices, work_dir / "slices")
        with connected(settings) as drv:
            for number, part in enumerate(parts, start=1):
                snapshot.load(settings, drv, part, restart=True, progress=False)
                if len(parts) > 1:
                    log(f"  slice {number} of {len(parts)} loaded")
        for part in parts:
            if part != corpus:
                part.unlink()
    with connected(settings) as drv:
        return score(drv, settings.neo4j_database, identity_corpus.read_truth(truth))
