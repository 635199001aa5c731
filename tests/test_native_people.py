"""The compiled people phase: `kg_native.resolve_chunk` gives `_resolve_chunk`'s output byte
for byte, on hand-built name blocks and on the blocks of synthetic corpora, and the bulk CSVs
are the same files with it and without it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import orjson
import pytest

from kg.bench import identity_corpus, synthetic
from kg.core.config import STRONG_TIES, TOPIC_COUNTS
from loaders import bulk_csv, bulk_people, identity, snapshot
from loaders.bulk_text import format_records
from loaders.pipeline import RejectLog
from loaders.scratch import runs, sorted_lines, write_any
from tests import native_module
from tests.bulk_records import MAX_AUTHORS, RECORDS

Blocks = list[tuple[str, list[str]]]


def _text(lines: list[str]) -> tuple[str, int, bool]:
    """What `Table.lines(lines)` writes, as the compiled code returns it for `Table.block`."""
    block = "\n".join(lines) + "\n" if lines else ""
    return block, len(lines), "\r" in block or block.count("\n") != len(lines)


def _python(blocks: Blocks, heavy: dict[str, int]) -> tuple[Any, ...]:
    bulk_people._start_worker(heavy)
    out = bulk_people._resolve_chunk(blocks)
    stats = out.stats
    return (
        _text(out.authors),
        out.hub_keys,
        out.hub_rows,
        _text(out.authored),
        "".join(out.moved),
        "".join(out.affiliation),
        stats.people,
        stats.ambiguous_names,
        list(stats.assigned_by.items()),
    )


def _same(compiled: ModuleType, blocks: Blocks, heavy: dict[str, int]) -> tuple[Any, ...]:
    """Both outputs, checked equal field by field (the first difference named); Python's."""
    expected = _python(blocks, heavy)
    got = compiled.resolve_chunk(blocks, bulk_people.native_weights(compiled, heavy))
    fields = ("authors", "hub_keys", "hub_rows", "authored", "moved", "affiliation")
    for name, want, have in zip((*fields, "people", "ambiguous", "by"), expected, got, strict=True):
        assert _decoded(have) == want, name
    return expected


def _decoded(value: Any) -> Any:
    """The compiled code hands its text over as UTF-8 bytes (tables as (text, rows, ...))."""
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, tuple) and value and isinstance(value[0], bytes):
        return (value[0].decode(), *value[1:])
    return value


def ev(
    arxiv_id: str,
    number: str,
    year: int,
    categories: Sequence[str] = ("cs.LG",),
    coauthors: Sequence[str] = (),
    institutions: Sequence[str] = (),
    *,
    position: int = 1,
    name: str = "Wei Zhang",
    written: str | None = None,
) -> str:
    """An authorship line as `bulk_text` writes it."""
    evidence = [
        arxiv_id,
        position,
        number,
        year,
        list(categories),
        list(coauthors),
        list(institutions),
        name,
        name if written is None else written,
    ]
    return orjson.dumps(evidence).decode()


def _numbers() -> Iterator[str]:
    n = 0
    while True:
        n += 1
        yield f"{n:013d}"


def test_a_single_authorship_and_a_name_that_is_one_person():
    compiled = native_module.required()
    number = _numbers()
    blocks = [
        ("ann-lee", [ev("2101.00001", next(number), 2021, name="Ann Lee")]),
        (
            "bob-ray",
            [
                ev("2101.00002", next(number), 2021, coauthors=["cy-do"], name="Bob Ray"),
                ev("2102.00002", next(number), 2021, coauthors=["cy-do"], written="B. Ray"),
                ev("2001.00003", next(number), 2020, coauthors=["di-fu"], name="Bob Ray"),
            ],
        ),
    ]
    out = _same(compiled, blocks, {})
    assert out[6:] == (2, 0, [("name", 3), ("coauthors", 1)])
    assert '"Bob Ray\x1fB. Ray"' in out[0][0]


def _ambiguous(number: Iterator[str]) -> list[str]:
    """Three circles of co-authors (three established records), lone authorships that
    go by field or stand alone, institutions, heavy and ignored co-author names."""
    circle = ["al-bo", "ce-di", "ef-gh", "ij-kl", "mn-op"]
    lines = [
        ev("2001.00001", next(number), 2020, ["cs.LG", "stat.ML"], circle),
        ev("2001.00002", next(number), 2020, ["cs.LG"], circle, position=2),  # > 3 shared
        ev("2002.00001", next(number), 2020, ["math.CO", "math.PR"], ["qr-st", "uv-wx"]),
        ev("2003.00001", next(number), 2020, ["math.PR", "math.CO"], ["uv-wx"], ["mit"]),
        ev("hep-th/9901001", next(number), 1999, ["hep-th"], ["yz-ab"], ["cern", "desy"]),
        ev("hep-th/9902001", next(number), 1999, ["hep-th"], ["yz-ab"]),
        # shared institutions only: 2 x 0.25 reach LINK
        ev("hep-th/9903001", next(number), 1999, ["hep-th"], [], ["cern", "desy"]),
        # a heavy co-author (0.25) and a shared institution (0.25)
        ev("2004.00001", next(number), 2020, ["math.NT"], ["big-name"], ["mit"]),
        ev("2004.00002", next(number), 2020, ["math.NT"], ["big-name"], ["mit"]),
        # an ignored co-author name links nobody: alone, in a field of one record
        ev("2005.00001", next(number), 2020, ["math.PR", "math.CO", "math.AG"], ["huge"]),
        ev("2005.00002", next(number), 2020, ["math.AG"], ["huge"]),
        # two fields' records: stands alone
        ev("2006.00001", next(number), 2020, ["cs.LG", "math.CO"]),
        ev("2006.00002", next(number), 2020, [], written='Wei "Wade" Zhang'),
        ev("cond-mat/0101001", next(number), 2001, ["cond-mat.str-el"]),  # NEW, a '/' id
        # shares a co-author across unrelated fields: not linked
        ev("2007.00001", next(number), 2021, ["q-bio.NC"], ["uv-wx"]),
        # links two records: they join
        ev("2008.00001", next(number), 2022, ["math.CO", "hep-th"], ["qr-st", "yz-ab"]),
        ev("2008.00002", next(number), 2022, ["cs.LG"], ["al-bo", "zz-top"], position=3),
    ]
    return lines


def test_an_ambiguous_name_with_every_kind_of_decision():
    compiled = native_module.required()
    heavy = {"big-name": 800, "huge": 20_000}
    assert identity.co_author_weight(800) == 0.25
    assert identity.co_author_weight(20_000) < identity.IGNORE_BELOW
    out = _same(compiled, [("wei-zhang", _ambiguous(_numbers()))], heavy)
    people, ambiguous, assigned = out[6:]
    assert people > 3 and ambiguous == 1
    assert {by for by, _ in assigned} == {"name", "coauthors", "field", "new"}
    authored = out[3][0]
    assert '"al-bo, ce-di, ef-gh"' in authored and '"shared institutions"' in authored
    assert '"field","math.CO"' in authored  # the least code shared with the record
    assert "\twei-zhang--cond-mat-0101001\n" in out[4]  # moved; the slash of the id replaced


def test_both_orders_of_a_block_in_one_chunk():
    """Blocks in one chunk do not see each other; the same block given twice gives the same."""
    compiled = native_module.required()
    lines = _ambiguous(_numbers())
    blocks = [("wei-zhang", lines), ("wei-zhang-2", lines[::-1]), ("x", lines[:2])]
    _same(compiled, blocks, {"big-name": 800, "huge": 20_000})


def test_a_name_twice_on_one_paper_hubs_and_topic_counts():
    compiled = native_module.required()
    number = _numbers()
    twice = next(number)
    many = [f"co-{k}" for k in range(STRONG_TIES // 2)]
    prolific = [
        ev(
            f"19{k % 12 + 1:02d}.{k:05d}",
            next(number),
            2019,
            [["cs.LG", "cs.AI"], ["cs.AI"], ["stat.ML", "cs.LG"]][k % 3],
            ["pal"],
            name="Li Na",
        )
        for k in range(TOPIC_COUNTS + 1)
    ]
    blocks = [
        (
            "jo-kim",
            [
                ev("2101.00001", twice, 2021, coauthors=["x-y"], position=1, name="Jo Kim"),
                ev("2101.00001", twice, 2021, coauthors=["x-y"], position=4, name="Jo Kim"),
            ],
        ),
        ("li-na", prolific),
        (
            "mo-yu",
            [
                ev("2101.00003", next(number), 2021, coauthors=many, name="Mo Yu"),
                ev("2101.00004", next(number), 2021, coauthors=many, name="Mo Yu"),
                ev("2101.00005", next(number), 2021, coauthors=many[:1], name="Mo Yu"),
            ],
        ),
    ]
    out = _same(compiled, blocks, {})
    assert out[1] == ["li-na", "mo-yu"]
    assert '"cs.AI\x1fcs.LG\x1fstat.ML","68\x1f67\x1f33"' in out[2][0]


def test_odd_characters_in_names():
    compiled = native_module.required()
    number = _numbers()
    blocks = [
        (
            "zihang-liu",
            [
                ev("2101.00001", next(number), 2021, name="Zíhang Liú", written="Liú, Zíhang"),
                ev("2101.00002", next(number), 2021, written='Z. "Zed"\x1fLiu 😀'),
                ev("2101.00003", next(number), 2021, written="Zihang\tLiu\nII\r"),
                ev("2101.00004", next(number), 2021, institutions=["é\x1fcole", 'a"b']),
            ],
        ),
        ("émile-ßtraße", [ev("2101.00005", next(number), 2021, name="Émile \\ Straße")]),
    ]
    out = _same(compiled, blocks, {})
    assert out[0][2] and out[3][2]  # line breaks in values: the multiline flag


def test_malformed_evidence_is_a_value_error_naming_the_line():
    compiled = native_module.required()
    weights = bulk_people.native_weights(compiled, {})
    good = ev("2101.00001", "1", 2021)
    for bad in ('["2101.00001", 1]', "{}", '["a", "1", "n", 2021, [], [], [], "x", "y"]', "[1"):
        with pytest.raises(ValueError, match=r"wei-zhang.*line 2") as caught:
            compiled.resolve_chunk([("wei-zhang", [good, bad])], weights)
        assert bad[:10] in str(caught.value)
    with pytest.raises(ValueError, match="no authorships"):
        compiled.resolve_chunk([("wei-zhang", [])], weights)


def _blocks(records: list[Any], tmp: Path) -> tuple[Blocks, dict[str, int]]:
    """A corpus's name blocks and heavy names, as `write_people` reads them."""
    authorship, names = tmp / "authorship.tsv", tmp / "names.tsv"
    with authorship.open("w", encoding="utf-8") as a, names.open("w", encoding="utf-8") as n:
        for chunk in format_records(records, MAX_AUTHORS):
            write_any(a, chunk.scratch["authorship"])
            write_any(n, chunk.scratch["names"])
    heavy = bulk_people.heavy_names(names, tmp)
    return list(runs(sorted_lines(authorship, tmp))), heavy


def _synthetic(tmp: Path) -> list[Any]:
    """3,000 papers over the smallest author pool: prolific names, many ambiguous."""
    path = tmp / "synthetic.jsonl"
    synthetic.generate(path, 3000, seed=3, authors=5000, workers=1)
    return [record for _, record in snapshot.read(path, RejectLog())]


def _identity(tmp: Path) -> list[Any]:
    """2,000 papers by known people, a share of them with very common names."""
    path = tmp / "identity.jsonl"
    identity_corpus.write(path, tmp / "truth.jsonl", 2000, seed=3, common_share=0.3)
    return [record for _, record in snapshot.read(path, RejectLog())]


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Any]]:
    tmp = tmp_path_factory.mktemp("corpora")
    return {"synthetic": _synthetic(tmp), "identity": _identity(tmp), "records": RECORDS}


@pytest.mark.parametrize("corpus", ["synthetic", "identity"])
@pytest.mark.parametrize("specific", [identity.SPECIFIC_WORKS, 20, 1])
def test_real_name_blocks(corpora, corpus, specific, tmp_path, monkeypatch):
    """A lower `SPECIFIC_WORKS` makes many names heavy: weights below 1 and below
    `IGNORE_BELOW` (the compiled code takes them from Python)."""
    compiled = native_module.required()
    monkeypatch.setattr(identity, "SPECIFIC_WORKS", specific)
    blocks, heavy = _blocks(corpora[corpus], tmp_path)
    out = _same(compiled, blocks, heavy)
    if specific == 1:  # co-authors weigh 1/n: few records reach LINK
        assert min(map(identity.co_author_weight, heavy.values())) < identity.IGNORE_BELOW
    else:
        assert out[7] > 10  # ambiguous names
    for start in range(0, len(blocks), 700):  # chunk by chunk too
        _same(compiled, blocks[start : start + 700], heavy)


def _files(out: Path) -> dict[str, bytes]:
    files = {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.name != "manifest.json"}
    manifest = orjson.loads((out / bulk_csv.MANIFEST).read_bytes())
    for timing in ("pass_seconds", "aggregate_seconds", "aggregate_steps"):
        manifest["stats"].pop(timing, None)
    files["manifest.json"] = orjson.dumps(manifest)
    return files


@pytest.mark.parametrize("corpus", ["synthetic", "identity", "records"])
@pytest.mark.parametrize("workers", [1, 2])
def test_bulk_csv_files_are_the_same(corpora, corpus, workers, tmp_path, monkeypatch):
    """Every file of the bulk import (the author, authored and author-ties tables, and all
    that come after the people phase) with and without the compiled people phase."""
    compiled = native_module.required()
    monkeypatch.setattr(bulk_people, "WORKERS", workers)
    monkeypatch.setattr(bulk_people, "PARALLEL_FROM", 0)  # Python's process pool too
    monkeypatch.setattr(bulk_people, "CHUNK", 500)
    written = {}
    for engine, module in (("python", None), ("native", compiled)):
        monkeypatch.setattr(bulk_people, "_native", lambda module=module: module)
        bulk_csv.write_csv(iter(corpora[corpus]), tmp_path / engine, MAX_AUTHORS)
        written[engine] = _files(tmp_path / engine)
    assert written["native"].keys() == written["python"].keys()
    for name, data in written["python"].items():
        assert written["native"][name] == data, name
