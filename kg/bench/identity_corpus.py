"""A corpus written by known people, for measuring how well the graph tells them apart.

The snapshot file looks like arXiv's; beside it, a truth file says which person wrote
each authorship. People have a home field, a circle of co-authors in it and a career of
a few years; a share of them carry one of a few very common names ("Wei Wang"), as the
most-opened profiles on arXiv do, so a graph that keys people by name merges them.
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from kg.bench.synthetic_names import author_name, written_name
from kg.bench.synthetic_vocab import CATEGORIES, FIELD, rfc2822

COMMON_NAMES = [
    ("Wang", "Wei"), ("Liu", "Yang"), ("Li", "Jing"), ("Zhang", "Wei"),
    ("Zhang", "Lei"), ("Li", "Xin"), ("Wang", "Jun"), ("Li", "Yan"),
    ("Chen", "Hao"), ("Li", "Wei"), ("Zhang", "Jie"), ("Zhang", "Yu"),
    ("Wang", "Li"), ("Zhang", "Min"), ("Chen", "Lin"), ("Wang", "Xiao"),
]  # fmt: skip
"""(last, first): sixteen names each shared by many people."""

PEOPLE_PER_PAPER = 2.9
"""People in the corpus per paper (58,000 for 20,000 papers, as the issue measured)."""

CIRCLE = 8
"""People per co-author circle: a lab or a long collaboration."""


@dataclass(frozen=True)
class Person:
    id: int
    last: str
    first: str
    field: str
    """Their home arXiv category."""
    circle: int
    start: int
    """First year they publish; careers last 3-12 years."""
    span: int


def people(n: int, common_share: float, rng: random.Random) -> list[Person]:
    """`n` people; `common_share` of them named from COMMON_NAMES, the rest uniquely."""
    common = set(COMMON_NAMES)
    found: list[Person] = []
    index = 0
    for pid in range(n):
        if rng.random() < common_share:
            last, first = rng.choice(COMMON_NAMES)
        else:
            while True:  # a pool name that is not one of the common ones
                last, first, _ = author_name(index)
                index += 1
                if (last, first) not in common:
                    break
        field = rng.choice(CATEGORIES)
        found.append(
            Person(pid, last, first, field, 0, rng.randint(2008, 2022), rng.randint(3, 12))
        )
    by_field: dict[str, list[Person]] = {}
    for person in found:
        by_field.setdefault(person.field, []).append(person)
    circles: list[Person] = []
    number = 0
    for members in by_field.values():
        rng.shuffle(members)
        for i, person in enumerate(members):
            circles.append(
                Person(
                    person.id,
                    person.last,
                    person.first,
                    person.field,
                    number + i // CIRCLE,
                    person.start,
                    person.span,
                )
            )
        number += len(members) // CIRCLE + 1
    return sorted(circles, key=lambda p: p.id)


def papers(
    count: int, everyone: list[Person], rng: random.Random
) -> Iterator[tuple[dict[str, Any], list[tuple[str, int]]]]:
    """(snapshot record, (name as written, person) of each author in order): a lead and
    0-5 of their circle, now and then someone from another circle of the same field."""
    circles: dict[int, list[Person]] = {}
    fields: dict[str, list[Person]] = {}
    for person in everyone:
        circles.setdefault(person.circle, []).append(person)
        fields.setdefault(person.field, []).append(person)
    weights = [1.0 / (rank + 1) ** 0.6 for rank in range(len(everyone))]  # a few prolific
    leads = rng.choices(everyone, weights=weights, k=count)
    for n, lead in enumerate(leads):
        team = [lead]
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 4, 5])):
            pool = circles[lead.circle] if rng.random() < 0.85 else fields[lead.field]
            other = rng.choice(pool)
            if other not in team:
                team.append(other)
        rng.shuffle(team)
        year = lead.start + rng.randrange(lead.span)
        stamp = int((year - 1970) * 365.25 * 86400) + rng.randrange(360 * 86400)
        parsed = [[p.last, p.first, ""] for p in team]
        record = {
            "id": f"{year % 100:02d}{n // 100_000 % 12 + 1:02d}.{n % 100_000:05d}",
            "submitter": written_name(parsed[0]),
            "authors": ", ".join(written_name(a) for a in parsed),
            "title": f"Study {n} in {FIELD[lead.field]}",
            "abstract": "A synthetic abstract.",
            "categories": lead.field,
            "versions": [{"version": "v1", "created": rfc2822(stamp)}],
            "update_date": f"{year}-06-01",
            "authors_parsed": parsed,
        }
        yield record, [(f"{p.first} {p.last}", p.id) for p in team]


def write(
    out: Path, truth: Path, count: int, seed: int = 0, common_share: float = 0.15
) -> tuple[int, int]:
    """Write `count` papers to `out` and who wrote them to `truth`; (papers, people)."""
    rng = random.Random(seed)
    everyone = people(max(10, int(count * PEOPLE_PER_PAPER)), common_share, rng)
    with _open(out) as records, _open(truth) as who:
        for record, team in papers(count, everyone, rng):
            records.write(json.dumps(record) + "\n")
            row = {
                "id": record["id"],
                "names": [n for n, _ in team],
                "people": [p for _, p in team],
            }
            who.write(json.dumps(row) + "\n")
    return count, len(everyone)


def _open(path: Path) -> IO[str]:
    if path.name.endswith(".gz"):
        return gzip.open(path, "wt", encoding="utf-8")
    return path.open("w", encoding="utf-8")


def read_truth(path: Path) -> dict[str, list[tuple[str, int]]]:
    """arXiv id -> (name as written, person) of each authorship, in author order."""
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as lines:
        return {
            row["id"]: list(zip(row["names"], row["people"], strict=True))
            for row in map(json.loads, lines)
        }
