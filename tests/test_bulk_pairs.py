"""The bulk path's DuckDB counts: COAUTHOR rows and hub ties from (person, person, year)
lines, and the heavy names, as a plain count over the same lines gives them."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from loaders import bulk_csv, bulk_pairs, bulk_ties, identity
from loaders.scratch import Table

PAIRS = [
    ("ann-lee", "bo-chen", 2021),
    ("ann-lee", "bo-chen", 2019),
    ("ann-lee", "bo-chen", 2021),
    ("ann-lee", "bo-chen--2101.00001", 2020),
    ('o"brien', "zoe-wu", 2018),  # a quote in a key: doubled in the CSV
    ("ann-lee", "éva-kiss", 2022),  # UTF-8: after every ASCII key in byte order
    ("ann-lee-smith", "bo-chen", 2017),  # "ann-lee-smith" sorts after "ann-lee"
    ("bo-chen", "zoe-wu", 2019),
]


def _expected(pairs: list[tuple[str, str, int]]) -> list[str]:
    """The rows as the Python pass wrote them: per pair, works per year, years ascending."""
    per_year = Counter(pairs)
    rows = []
    for a, b in sorted({(a, b) for a, b, _ in pairs}, key=lambda p: (p[0].encode(), p[1].encode())):
        years = sorted(y for (x, z, y) in per_year if (x, z) == (a, b))
        works = [per_year[a, b, y] for y in years]
        joined = "\x1f".join(map(str, years)), "\x1f".join(map(str, works))
        q = '"' + a.replace('"', '""') + '"', '"' + b.replace('"', '""') + '"'
        rows.append(
            f'{q[0]},{q[1]},{sum(works)},{years[0]},{years[-1]},"{joined[0]}","{joined[1]}"'
        )
    return rows


def test_coauthor_rows_and_hub_ties(tmp_path: Path) -> None:
    pairs = tmp_path / "pair.tsv"
    pairs.write_text("".join(f"{a}\t{b}\t{y}\n" for a, b, y in PAIRS), encoding="utf-8")
    table = Table(tmp_path, "coauthor", bulk_csv.HEADERS["coauthor"])
    hubs = bulk_ties.Candidates(tmp_path)
    hubs.rows(["bo-chen"], ['"bo-chen","Bo Chen","bo-chen","Bo Chen"'])
    bulk_pairs.write_coauthor(pairs, tmp_path, table, hubs)
    table.close()
    rows = table.data.read_text(encoding="utf-8").splitlines()
    assert rows == _expected(PAIRS)
    assert rows[0] == '"ann-lee","bo-chen",3,2019,2021,"2019\x1f2021","1\x1f2"'
    assert table.rows == 6
    assert not pairs.exists()  # scratch space freed as it goes
    assert not (tmp_path / "duckdb").exists()

    # bo-chen's ties, from its side whichever side of the row it was on
    hubs._out.close()
    ties = sorted(
        line.split("\t")
        for line in hubs.path.read_text(encoding="utf-8").splitlines()
        if line.split("\t")[1] == bulk_ties.TIE
    )
    assert ties == [
        ["bo-chen", "1", "ann-lee", "3", "2019", "2021", "2019\x1f2021", "1\x1f2"],
        ["bo-chen", "1", "ann-lee-smith", "1", "2017", "2017", "2017", "1"],
        ["bo-chen", "1", "zoe-wu", "1", "2019", "2019", "2019", "1"],
    ]


def test_no_pairs_no_rows(tmp_path: Path) -> None:
    pairs = tmp_path / "pair.tsv"
    pairs.write_text("", encoding="utf-8")
    table = Table(tmp_path, "coauthor", bulk_csv.HEADERS["coauthor"])
    bulk_pairs.write_coauthor(pairs, tmp_path, table, bulk_ties.Candidates(tmp_path))
    table.close()
    assert table.rows == 0
    assert table.data.read_text() == ""


def test_heavy_names_only_past_the_threshold(tmp_path: Path) -> None:
    names = tmp_path / "names.tsv"
    limit = identity.SPECIFIC_WORKS
    counts = {"wei-zhang": limit + 50, "yang-liu": limit + 1, "ann-lee": limit, "bo": 1}
    names.write_text(
        "".join(f"{name}\n" * n for name, n in counts.items()) + 'o"brien\n' * (limit + 2),
        encoding="utf-8",
    )
    heavy = bulk_pairs.heavy_names(names, tmp_path)
    assert heavy == {"wei-zhang": limit + 50, "yang-liu": limit + 1, 'o"brien': limit + 2}
    assert not names.exists()
