"""The compiled record pass (`native/src/record_pass.rs`) against the Python pass it
reproduces: for any block, the same `ChunkResult` as `parse_block`, or None where it
leaves the block to Python; and for a whole file, the same text with any worker count."""

# ruff: noqa: RUF001  (look-alike characters are what these tests are about)

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kg.bench import synthetic
from loaders import bulk_pass
from loaders.bulk_pass import Block, ChunkResult, SnapshotPass, _Job, native_block, parse_block
from loaders.pipeline import RejectLog
from loaders.snapshot import Filters
from tests import native_module

compiled = native_module.for_module()
pytestmark = pytest.mark.skipif(compiled is None, reason=native_module.NO_CARGO)

MAX_AUTHORS = 6
FIXTURES = Path(__file__).parent / "fixtures" / "snapshot"
FILTERS = [
    Filters(),
    Filters(since=date(2008, 1, 1)),
    Filters(since=date(2021, 1, 6)),
    Filters(category="cs"),
    Filters(category="cs.LG"),
    Filters(category="hep-th"),
]
STAMP = "Mon, 2 Apr 2007 19:18:42 GMT"


@pytest.fixture(autouse=True)
def native_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """The compiled module whatever KG_NATIVE says; `python` turns it off per call."""
    monkeypatch.setattr(bulk_pass, "module", lambda: compiled)


def python(job: _Job) -> ChunkResult:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(bulk_pass, "module", lambda: None)
        return parse_block(job)


def job(data: bytes, filters: Filters | None = None, cap: int | None = None, **kw: Any) -> _Job:
    block = Block(kw.get("chunk", 12), kw.get("first_line", 1), data)
    max_authors = kw.get("max_authors", MAX_AUTHORS)
    return _Job("test.jsonl", block, filters or Filters(), max_authors, cap)


def decoded(result: ChunkResult | None) -> ChunkResult | None:
    """The compiled pass hands its text over as UTF-8 bytes; Python's is str."""
    if result is None:
        return None
    text = result.text

    def str_of(value: str | bytes) -> str:
        return value.decode() if isinstance(value, bytes) else value

    tables = {n: replace(t, text=str_of(t.text)) for n, t in text.tables.items()}
    scratch: dict[str, str | bytes] = {n: str_of(v) for n, v in text.scratch.items()}
    return replace(result, text=replace(text, tables=tables, scratch=scratch))


def same(j: _Job, *, native: bool = True) -> ChunkResult | None:
    """The compiled answer, checked against Python's; `native` says it must not decline."""
    got, want = decoded(native_block(j)), python(j)
    if got is None:
        assert not native, "the compiled pass declined a block it should do"
    else:
        assert not want.rejects, "the compiled pass took a block Python rejects lines of"
        assert got == want
    return got


def paper(**fields: Any) -> bytes:
    """A snapshot line: a valid record, `fields` replacing or adding (None drops one)."""
    doc: dict[str, Any] = {
        "id": "2101.00001",
        "submitter": "Ann Lee",
        "authors": "Ann Lee, Ben Ode",
        "title": "Graph sparsifiers",
        "comments": None,
        "journal-ref": None,
        "doi": None,
        "report-no": None,
        "categories": "cs.LG stat.ML",
        "license": None,
        "abstract": "  We report results.\n",
        "versions": [{"version": "v1", "created": STAMP}],
        "update_date": "2021-01-05",
        "authors_parsed": [["Lee", "Ann", ""], ["Ode", "Ben", ""]],
    }
    for name, value in fields.items():
        if value is None:
            doc.pop(name, None)
        else:
            doc[name] = value
    return json.dumps(doc, ensure_ascii=False).encode()


EDGE_LINES = [
    paper(),
    paper(  # non-ASCII names and affiliations; names that differ by case and accents
        id="2101.00002v2",
        authors_parsed=[
            ["Müller", "Jörg", "", "ETH Zürich", "ETH  Zürich", "Université Paris–Saclay"],
            ["MÜLLER", "JÖRG", ""],
            ["Mu\u0308ller", "Jo\u0308rg", "", "Straße 1"],
            ["Muller", "Jorg", "", "MIT", "M.I.T.", "???", "  "],
            ["李", "小龙", ""],
            ["Ørsted", "Hans Christian", "Jr."],
            ["Ｏｎｅ", "K\u212aelvin", ""],
        ],
    ),
    paper(  # one name listed twice, the second with its own affiliation (dropped)
        id="2101.00003",
        authors_parsed=[
            ["Smith", "John", "", "MIT"],
            ["Doe", "Jane", ""],
            ["smith", "john", "", "CERN"],
        ],
    ),
    paper(id="2101.00004", authors_parsed=None, authors="Ann Bee (MIT), Carl Dee and Eve Fay"),
    paper(id="2101.00005", authors_parsed=None, authors="Smith, J. and Doe,  J. ,and O'Neil"),
    paper(id="2101.00006", comments="This paper has been withdrawn by the author"),
    paper(id="2101.00007", comments="withdrawn  BY arXiv admin; ſee below"),
    paper(id="2101.00008", comments="Résumé: this submission is withdrawn"),
    paper(id="2101.00009", comments="unwithdrawn by nobody"),
    paper(id="2101.00010", comments="Unwithdrawn by ſomeone, this ärticle is withdrawn"),
    paper(
        id="2101.00011",
        title='A "quoted"\ttitle\x1fwith\ncontrol  characters\u2028and\u3000spaces',
        abstract='  Line one,\n  line two "quoted";\r\n\tend\x85.\n',
        doi="10.1/x\x1fy",
        **{"journal-ref": "Phys. Rev. D 76 (2007)\n  013009"},
    ),
    paper(
        id="2101.00012",
        authors_parsed=[
            ["Tab\tName", "Ann\x1fB", ""],
            ['O"Brien', "Back\\slash", ""],
            ["Del\x7f", "é/", ""],
        ],
    ),
    paper(  # versions out of order: v10 is the latest, v1 the first
        id="2101.00013",
        versions=[
            {"version": "v2", "created": "Tue, 24 Jul 2007 20:10:27 GMT"},
            {"version": "v10", "created": "Fri, 1 Jan 2021 10:00:00 GMT"},
            {"version": "v1", "created": "Mon, 02 Apr 2007 19:18:42 GMT"},
        ],
    ),
    paper(id="2101.00014v7", versions=None, update_date="2008-11-13"),
    paper(id="2101.00015v3", versions=[{"version": "v0", "created": STAMP}]),
    paper(id="hep-th/9901001v2", categories="hep-th  hep-th\tgr-qc", update_date=""),
    paper(id="http://arxiv.org/abs/math.AG/0101001", categories="math.AG"),
    paper(id="2101.00016", categories="cs.AI", update_date="2007-01-01"),
    paper(id="2101.00017", categories="quant-ph cs.LG", abstract=None),
    paper(  # many authors: above MAX_AUTHORS, no co-authors in the evidence
        id="2101.00018",
        authors_parsed=[[f"Member{i}", "A.", "", "CERN"] for i in range(9)],
    ),
    paper(
        id="2101.00019", authors_parsed=[["Lee", "Ann", ""], ["Ode", "", ""], ["", "Ben", "III"]]
    ),
    paper(id="0704.0001", update_date="2008-02-29", versions=[{"version": "v3", "created": STAMP}]),
]


def test_each_edge_case_gives_python_text():
    for line in EDGE_LINES:
        for filters in FILTERS:
            same(job(line, filters))


def test_edge_cases_together_with_filters_and_caps():
    data = b"\n".join([*EDGE_LINES, b"", b"  \t", *EDGE_LINES[::-1]])
    for filters in FILTERS:
        for cap in (None, 1, 3, 17):
            for max_authors in (-1, 1, 2, 6, 100):
                same(job(data, filters, cap, max_authors=max_authors, chunk=max_authors + 1))


@pytest.mark.parametrize("name", ["small.jsonl", "collab.jsonl"])
def test_fixture_lines_give_python_text(name):
    lines = (FIXTURES / name).read_bytes().split(b"\n")
    rejects = 0
    for line in lines:
        if same(job(line), native=False) is None:
            assert python(job(line)).rejects
            rejects += 1
    assert rejects == (6 if name == "small.jsonl" else 0)
    good = b"\n".join(line for line in lines if not python(job(line)).rejects)
    for filters in FILTERS:
        same(job(good, filters))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3,000 synthetic papers: many non-ASCII names, multi-line titles and abstracts."""
    path = tmp_path_factory.mktemp("native") / "synthetic.jsonl"
    synthetic.generate(path, 3000, seed=11, workers=1)
    return path


def _blocks(path: Path, size: int) -> Iterator[Block]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(bulk_pass, "BLOCK_BYTES", size)
        yield from bulk_pass.blocks(path)


def test_synthetic_blocks_give_python_text(corpus):
    blocks = list(_blocks(corpus, 400_000))
    assert len(blocks) > 4
    for block in blocks:
        for filters in FILTERS:
            assert same(_Job(corpus.name, block, filters, MAX_AUTHORS)) is not None
        same(_Job(corpus.name, block, Filters(category="cs"), 50, cap=77))


def test_a_rejected_line_hands_the_block_to_python(tmp_path):
    good = [paper(id=f"2101.{i:05d}") for i in range(1, 40)]
    bad = paper(id="2101.99999", title=12345)
    data = b"\n".join([*good[:20], bad, *good[20:]])
    assert native_block(job(data)) is None
    assert native_block(job(b"\n".join(good))) is not None
    path = tmp_path / "mixed.jsonl.gz"
    small = (FIXTURES / "small.jsonl").read_bytes()
    path.write_bytes(gzip.compress(b"\n".join(good) + b"\n" + small + b"\n".join(good) + b"\n"))
    native = _whole(path, workers=2, size=3000)
    assert native == _whole(path, workers=2, size=3000, off=True)
    idents = {5: "2101.00006", 13: "2102.00014"}  # the rejects Python could read an id from
    assert [where for where, _ in native[1]] == [
        f"mixed.jsonl.gz:{40 + i}" + (f" ({idents[i]})" if i in idents else "")
        for i in (4, 5, 7, 8, 9, 13)
    ]


def test_forms_not_ported_fall_back_to_python():
    """Python reads these; the compiled pass declines them and the block stays right."""
    for line in [
        paper(versions=[{"version": "v1", "created": "2024-03-01T10:00:00Z"}]),
        paper(update_date="20210105"),
        paper(id="２１０１.00001"),
        paper(authors_parsed=None, authors="Jörg Müller and Ann Lee"),
        paper(versions=[{"version": 1, "created": STAMP}]),
    ]:
        assert native_block(job(line)) is None
        result = decoded(bulk_pass.run_block(job(line)))
        assert result == python(job(line)) and not result.rejects


def _whole(path: Path, workers: int, size: int, off: bool = False, **kw: Any) -> tuple:
    """Every chunk's text, the rejects and the tallies of a whole pass over `path`."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(bulk_pass, "BLOCK_BYTES", size)
        if off:
            mp.setattr(bulk_pass, "module", lambda: None)
        rejects = RejectLog()
        source = SnapshotPass(path, rejects, workers=workers, **kw)
        chunks = [decoded(ChunkResult(c)).text for c in source.chunks(MAX_AUTHORS)]  # type: ignore[union-attr]
    return chunks, [(r.where, r.reason) for r in rejects], source.seen, source.papers


@pytest.mark.parametrize("workers", [1, 2])
def test_a_whole_file_gives_python_text(corpus, tmp_path, workers):
    path = tmp_path / "corpus.jsonl.gz"
    lines = corpus.read_bytes().splitlines(keepends=True)
    small = (FIXTURES / "small.jsonl").read_bytes().splitlines(keepends=True)
    path.write_bytes(gzip.compress(b"".join(lines[:1000] + small + lines[1000:])))
    native = _whole(path, workers, 300_000)
    assert len(native[0]) > 6 and len(native[1]) == 6
    assert native == _whole(path, workers, 300_000, off=True)
    for options in ({"limit": 1234}, {"filters": Filters(category="cs"), "limit": 700}):
        assert _whole(path, workers, 300_000, **options) == _whole(
            path, workers, 300_000, off=True, **options
        )


def test_random_lines_give_python_text_or_none():
    """Odd whitespace, control characters, Unicode casing traps, bad fields: each line is
    either Python's text or declined, and declined whenever Python rejects it."""
    rng = random.Random(7)
    done = 0
    for _ in range(3000):
        line = _random_line(rng)
        filters = rng.choice(FILTERS)
        j = job(line, filters, rng.choice([None, 1]), max_authors=rng.choice([1, 2, 6]))
        done += same(j, native=False) is not None
    assert done > 300  # 414 with this seed: the rest are rejects and forms not ported


SPACES = "\t\n\x0b\x0c\r\x1c\x1f \x85\xa0\u2003\u2028\u3000\u180e\u200b"
ODD = [
    '"',
    "\\",
    "/",
    "\x7f",
    "\x00",
    "\x1f",
    "é",
    "ß",
    "İ",
    "ſ",
    "\u212a",
    "ǅ",
    "ﬁ",
    "٣",
    "\u0301",
]
ODD += ["–", "\u2212", "'", ",", "(", ")", "_", "-", "😀"]
NAMES = [
    "Zihang",
    "Liu",
    "José",
    "JOSÉ",
    "Jose\u0301",
    "Straße",
    "STRASSE",
    "O'Brien",
    "Jr.",
    "iii",
]
NAMES += ["van der Berg", "Ĳssel", "李", "Ａｎｎ", "_", "-", "()", ""]
WORDS = ["This", "paper", "withdrawn", "by", "has been", "is", "ſubmission", "WITHDRAWN", "ßy"]
STAMPS = [STAMP, "Tue, 24 Jul 2007 20:10:27 GMT", "Sun, 01 Jan 2006 00:00:00 GMT"]
STAMPS += ["Fri, 29 Feb 2008 23:59:59 GMT", "Fri, 29 Feb 2007 23:59:59 GMT", "2024-03-01"]
IDS = [
    "2101.00001v3",
    "2101.0001",
    "0704.0001v0",
    "math.AG/0101001v2",
    " 2101.00002 ",
    "2101.123456",
]
IDS += ["Hep-th/9901001", "2101.00001v", "cs/0101001v00012", "a-b-/1234567", "q.XY/1234567"]


def _mix(rng: random.Random, pool: list[str], most: int) -> str:
    return "".join(rng.choice(pool) for _ in range(rng.randint(0, most)))


def _random_line(rng: random.Random) -> bytes:
    fields: dict[str, Any] = {"id": rng.choice(IDS)}
    if rng.random() < 0.8:
        pool = [*NAMES, *SPACES, *ODD]
        fields["authors_parsed"] = [
            [
                rng.choice(NAMES) + _mix(rng, pool, 2),
                _mix(rng, pool, 3),
                rng.choice(["", "Jr", "é"]),
            ]
            + [_mix(rng, [*ODD, *SPACES, "MIT", "Univ"], 4) for _ in range(rng.choice([0, 0, 2]))]
            for _ in range(rng.choice([1, 2, 3, 8]))
        ]
    else:
        fields["authors_parsed"] = None
        fields["authors"] = rng.choice(["A, and B", "A ,and\tB", "Ann(x) and (y)Bob", "A and"])
    fields["title"] = rng.choice(["Deep Nets", "  A\n  title ", "X\x1fY", "\u3000", ""])
    fields["title"] += _mix(rng, [*SPACES, *ODD], 3)
    fields["abstract"] = "  one\ntwo\r\n" + _mix(rng, [*SPACES, *ODD, "word "], 6)
    fields["comments"] = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 6))) or None
    cats = ["cs.LG", "stat.ML", "hep-th", "cs", "é.x", 'a"b', "cs\x01.DB"]
    fields["categories"] = rng.choice([" ", "\u3000", "\x1f"]).join(
        rng.sample(cats, rng.randint(0, 3))
    )
    fields["versions"] = [
        {
            "version": rng.choice(["v1", "v2", "v10", "v0", "vv2", "2"]),
            "created": rng.choice(STAMPS),
        }
        for _ in range(rng.randint(0, 3))
    ]
    fields["update_date"] = rng.choice(["2008-11-13", "2021-01-05", "", "2023-02-29", "20240101"])
    return paper(**fields)
