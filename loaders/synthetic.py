"""Synthetic arXiv metadata in the bulk snapshot's format, for load and query benchmarks.

Real format, made-up papers: one JSON object per line with the fields of Kaggle's
`arxiv-metadata-oai-snapshot.json`, shaped like arXiv so that a load behaves as it would on
the real thing: a few authors write hundreds of papers and most write one or two, most
papers have 1-6 authors but a collaboration paper now and then has thousands, categories
are skewed towards cs.LG, and volume grows year on year.

Everything streams: authors are indices into an implicit pool (a name is a pure function of
its index), so memory stays flat at any size; only a one-bit-per-author map is kept, to
count distinct authors. Abstracts are drawn from a stock of sentences built at the start
(writing them word by word would dominate the run time). Blocks of papers are made in
parallel processes, each from its own seeded random stream, so the file does not depend
on the number of processes: the same seed always gives the same file.
"""

from __future__ import annotations

import argparse
import calendar
import gzip
import json
import math
import os
import random
import sys
import time
import unicodedata
from array import array
from bisect import bisect
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqdm import tqdm

# --- names ------------------------------------------------------------------------------------


def _split(text: str) -> list[str]:
    """Words of a word list, each once, in order."""
    return list(dict.fromkeys(text.split()))


FIRST_NAMES = _split(
    """
Wei Jing Hao Yu Xin Yang Jun Lei Min Tao Yan Bo Fang Qiang Hui Jie Ling Peng Rui Shuang Ting
Xiao Yi Zhen Chao Dong Feng Gang Hong Jian Kai Lin Ming Ning Qing Song Tian Ying Zhi Yue
Aditya Priya Rahul Ananya Arjun Deepak Kavya Nikhil Pooja Rohan Sanjay Shreya Vikram Anil
Divya Karthik Meera Suresh Amit Neha Anna David Maria Thomas Laura Michael Sarah Daniel
Julia Martin Elena Peter Sophie Andrea Marco Paolo Giulia Luca Francesca Matteo Pierre
Camille Antoine Claire Nicolas Hans Katrin Stefan Jan Eva Tomasz Ivan Olga Dmitry Sergey
Natalia Alexei Yuri Irina John James Robert Emily Jessica Christopher Matthew Andrew Rachel
Benjamin Samuel Hannah Kevin Brian Emma Olivia Noah Liam Ethan Grace Alice Carlos Ana Juan
Luis Miguel Pablo Sofia Diego Lucas Gabriel Rafael Fernanda Ahmed Mohammed Fatima Omar Ali
Hassan Leila Yusuf Mehmet Emre Kenji Yuki Hiroshi Takashi Akira Sakura Haruto Minji Jisoo
Hyun Seung Jae Sung Thanh Minh Linh Kwame Amara Chidi Ngozi Tariq Reza Maryam Dario Nils
Ingrid Lars Astrid Henrik Mikko Aino Pieter Sanne Bram Joost Tobias Lena Felix Jonas Clara
Simon Helen George Victoria Patrick Joseph Mark Paul Steven Susan Karen Lisa Nancy Chen
Jean-Pierre Marie-Claire Sung-Min Ji-Woo José François Jürgen Zoë Łukasz Søren Inês Björn
Renée Andrés Álvaro Hélène Miloš Jiří Ákos Çağlar Thérèse Göran Dušan Ayşe Mónica Sebastián
"""
)
"""Given names; a few accented, none that would share a key with another (José, no Jose)."""

LAST_NAMES = [
    *_split(
        """
Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Gao Luo Zheng
Liang Xie Tang Han Cao Deng Feng Zeng Peng Xiao Cai Pan Tian Dong Yuan Jiang Ye Du Su Wei Lu
Shen Yao Cui Qian Fan Jin Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Tanaka Suzuki Sato
Takahashi Watanabe Ito Yamamoto Nakamura Kobayashi Kato Yoshida Yamada Nguyen Tran Pham
Kumar Singh Sharma Gupta Patel Reddy Rao Iyer Nair Das Bose Chatterjee Mukherjee Banerjee
Ghosh Jain Mehta Agarwal Verma Mishra Krishnan Menon Pillai Joshi Müller Schmidt Schneider
Fischer Weber Meyer Wagner Becker Hoffmann Schäfer Koch Richter Klein Wolf Neumann Schwarz
Zimmermann Krüger Hartmann Lange Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci
Marino Greco Bruno Gallo Conti Costa Giordano Mancini Lombardi Moretti García Martínez López
Sánchez Pérez Gómez Fernández Rodríguez González Díaz Álvarez Moreno Muñoz Romero Navarro
Torres Domínguez Vázquez Ramos Gil Serrano Núñez Silva Santos Oliveira Souza Pereira Ferreira
Almeida Carvalho Gonçalves Ribeiro Bernard Dubois Durand Lefèvre Moreau Laurent Michel
Leroy Roux Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Chevalier Nowak
Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak Novák
Svoboda Dvořák Černý Horváth Nagy Kovács Tóth Szabó Ivanov Petrov Smirnov Kuznetsov Popov
Sokolov Lebedev Kozlov Novikov Morozov Volkov Pavlov Orlov Andersson Johansson Karlsson
Nilsson Eriksson Larsson Olsson Persson Jensen Nielsen Hansen Pedersen Andersen Christensen
Larsen Sørensen Berg Haugen Virtanen Korhonen Mäkinen Nieminen Jansen Bakker Visser Smit
Meijer Mulder Peeters Janssens Maes O'Brien Murphy Kelly Byrne Smith Johnson Williams Brown
Jones Miller Davis Wilson Anderson Taylor Moore Jackson White Harris Thompson Clark Lewis
Robinson Walker Young Allen King Wright Scott Green Baker Adams Nelson Hill Campbell Mitchell
Roberts Carter Phillips Evans Turner Parker Collins Edwards Stewart Morris Murray Cohen Levy
Friedman Katz Shapiro Goldberg Yilmaz Kaya Demir Şahin Çelik Öztürk Aydin Ahmed Khan Hussain
Rahman Haddad Nasser Mansour Karimi Hosseini Ahmadi Rezaei Mohammadi Papadopoulos Georgiou
Dimitriou Nikolaidis Okafor Adeyemi Mensah Okonkwo
"""
    ),
    "De Luca",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "de Boer",
]
"""Family names; a few accented and a few in two words (`van den Berg`)."""

_LETTERS = "ABCDEFGHIJKLMNOPRSTVWY"
_MIDDLES = ["", *(f"{a}." for a in _LETTERS), *(f"{a}. {b}." for a in _LETTERS for b in _LETTERS)]
_COMBOS = len(FIRST_NAMES) * len(LAST_NAMES)
_SCRAMBLE = 2654435761
"""A prime larger than `_COMBOS`, so `i * _SCRAMBLE % _COMBOS` permutes the (first, last) pairs."""

MAX_POOL = _COMBOS * len(_MIDDLES)
"""Distinct names available: every index below this has its own author key."""


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c) and c.isalnum())
    return kept.lower().encode("ascii", "ignore").decode()


def author_name(index: int) -> tuple[str, str, str]:
    """(last, first, suffix) of pool author `index`: fixed per index, distinct per index.

    The first `len(FIRST_NAMES) * len(LAST_NAMES)` indices have no middle initial, later
    ones one or two, so low (prolific) indices look like "Wei Wang" and namesakes that
    differ only in an initial appear once the pool is large, as on arXiv.
    """
    middle, pair = divmod(index, _COMBOS)
    last, first = divmod(pair * _SCRAMBLE % _COMBOS, len(FIRST_NAMES))
    given = FIRST_NAMES[first]
    if middle:
        given = f"{given} {_MIDDLES[middle]}"
    suffix = "Jr." if ((index + 12345) * 0x9E3779B1 >> 11) % 64 == 0 else ""
    return LAST_NAMES[last], given, suffix


def written_name(parsed: Sequence[str]) -> str:
    """How the `authors` string writes an `authors_parsed` entry: "Ann C. Bee Jr."."""
    last, first, suffix = parsed[0], parsed[1], parsed[2]
    name = f"{first} {last}" if first else last
    return f"{name} {suffix}" if suffix else name


# --- categories -------------------------------------------------------------------------------

_CATEGORIES: list[tuple[str, str, float]] = [
    # (code, field, relative share of primary listings)
    ("cs.LG", "cs", 10.0),
    ("cs.CV", "cs", 8.0),
    ("cs.CL", "cs", 6.0),
    ("cs.AI", "cs", 4.5),
    ("cs.RO", "cs", 2.5),
    ("cs.CR", "cs", 2.0),
    ("cs.IT", "cs", 1.8),
    ("cs.DS", "cs", 1.5),
    ("cs.SE", "cs", 1.5),
    ("cs.IR", "cs", 1.2),
    ("cs.DC", "cs", 1.2),
    ("cs.HC", "cs", 1.0),
    ("cs.SI", "cs", 0.9),
    ("cs.NE", "cs", 0.7),
    ("cs.DB", "cs", 0.6),
    ("cs.PL", "cs", 0.5),
    ("stat.ML", "cs", 2.5),
    ("eess.SP", "cs", 1.5),
    ("eess.IV", "cs", 1.0),
    ("eess.AS", "cs", 0.6),
    ("stat.ME", "math", 1.5),
    ("math.ST", "math", 1.0),
    ("math.AP", "math", 2.4),
    ("math.CO", "math", 2.0),
    ("math.OC", "math", 2.0),
    ("math.PR", "math", 2.0),
    ("math.NT", "math", 1.4),
    ("math.AG", "math", 1.4),
    ("econ.EM", "math", 0.4),
    ("hep-ph", "hep", 4.0),
    ("hep-th", "hep", 3.5),
    ("gr-qc", "hep", 2.0),
    ("hep-ex", "hep", 1.2),
    ("nucl-th", "hep", 1.1),
    ("astro-ph.GA", "astro", 3.0),
    ("astro-ph.CO", "astro", 2.5),
    ("astro-ph.SR", "astro", 2.4),
    ("astro-ph.HE", "astro", 2.0),
    ("quant-ph", "cond", 5.0),
    ("cond-mat.mtrl-sci", "cond", 3.0),
    ("cond-mat.mes-hall", "cond", 2.4),
    ("cond-mat.str-el", "cond", 2.0),
    ("cond-mat.stat-mech", "cond", 1.8),
    ("physics.optics", "cond", 1.8),
    ("physics.flu-dyn", "cond", 1.1),
    ("q-bio.NC", "cond", 0.7),
]
CATEGORIES = [code for code, _, _ in _CATEGORIES]
_FIELD = {code: fld for code, fld, _ in _CATEGORIES}
_SMALL_TEAMS = {"math.AP", "math.CO", "math.PR", "math.NT", "math.AG", "math.OC", "math.ST"}
_SMALL_TEAMS |= {"stat.ME", "econ.EM", "hep-th", "gr-qc", "cond-mat.stat-mech"}
"""Categories where papers have fewer authors (a mathematician, a theorist or two)."""


def _cumulative(weights: Sequence[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


_CAT_CUM = _cumulative([w for _, _, w in _CATEGORIES])
_FIELD_CATS = {
    fld: [c for c, f, _ in _CATEGORIES if f == fld] for fld in dict.fromkeys(_FIELD.values())
}
_FIELD_CUM = {fld: _cumulative([w for c, f, w in _CATEGORIES if f == fld]) for fld in _FIELD_CATS}

# --- authors per paper ------------------------------------------------------------------------

_TEAM_CUM = _cumulative([12, 22, 21, 16, 11, 7, 4.5, 2.8, 2, 1.7])
_SMALL_CUM = _cumulative([30, 34, 20, 9, 4, 1.5, 0.7, 0.4, 0.2, 0.2])
_TAIL_P = {True: 0.002, False: 0.015}
"""Share of papers (small-team categories, others) with 11-250 authors, Pareto-distributed."""
_TAIL_MAX = 250
BIG_PAPER_P = 1 / 5000
"""Share of collaboration papers with 500-3000 authors."""
_LOCAL_P = 0.5
"""Chance that a co-author comes from the first author's group (repeat collaborators)."""
_GROUP_BITS = 6
"""Groups are runs of 64 consecutive pool indices; a group shares a home field too."""

_COLLABORATIONS: list[tuple[str, int, tuple[str, ...]]] = [
    ("ATLAS Collaboration", 3000, ("hep-ex", "hep-ph")),
    ("CMS Collaboration", 2400, ("hep-ex",)),
    ("ALICE Collaboration", 1900, ("nucl-th", "hep-ex")),
    ("LHCb Collaboration", 1000, ("hep-ex",)),
    ("LIGO Scientific Collaboration", 1500, ("gr-qc", "astro-ph.HE")),
    ("Belle II Collaboration", 1100, ("hep-ex",)),
    ("IceCube Collaboration", 700, ("astro-ph.HE",)),
    ("Pierre Auger Collaboration", 700, ("astro-ph.HE", "hep-ex")),
]
"""(author name, roster size, categories): members are a fixed run of pool indices."""
MIN_POOL = 5000
"""Pool floor, so that the largest roster fits in a tiny corpus."""
_NAME_CACHE = 8192
"""Names of the lowest (most drawn) pool indices are built once and reused."""

# --- text -------------------------------------------------------------------------------------

_TERMS = {
    "cs": """neural networks|large language models|graph neural networks|reinforcement
learning|diffusion models|transformers|contrastive learning|federated learning|object
detection|semantic segmentation|knowledge distillation|few-shot learning|speech
recognition|retrieval-augmented generation|vision-language models|adversarial
robustness|differential privacy|recommender systems|program synthesis|motion
planning|stochastic gradient descent|kernel methods|causal inference|anomaly
detection|query optimization|distributed training|code generation|image
restoration|time series forecasting|multi-agent systems""",
    "math": """elliptic equations|random walks|Hilbert spaces|convex optimization|graph
colourings|modular forms|algebraic varieties|Sobolev inequalities|Markov chains|Banach
spaces|Ramsey numbers|Navier-Stokes equations|moduli spaces|spectral gaps|Gaussian
processes|extremal combinatorics|high-dimensional statistics|empirical processes|Brownian
motion|toric varieties|free boundary problems|Hamilton-Jacobi equations|L-functions|matroid
theory|optimal transport|stochastic control|sparse regression|mixing times""",
    "hep": """dark matter|the Standard Model|Higgs boson decays|neutrino oscillations|black
holes|gravitational waves|string compactifications|the AdS/CFT correspondence|lattice
QCD|parton distributions|supersymmetry|effective field theories|scattering
amplitudes|conformal field theories|inflation|quark-gluon plasma|top quark
production|heavy-ion collisions|axions|holography|the cosmological constant|jet
substructure|flavour anomalies|modified gravity""",
    "astro": """galaxy clusters|the cosmic microwave background|exoplanets|star
formation|active galactic nuclei|fast radio bursts|supernova remnants|weak
lensing|stellar populations|dark energy|the interstellar medium|protoplanetary
discs|neutron stars|gamma-ray bursts|the circumgalactic medium|galaxy mergers|tidal
disruption events|binary stars|cosmic rays|reionization""",
    "cond": """topological insulators|quantum error correction|superconductivity|quantum
spin liquids|entanglement entropy|moiré materials|magnons|quantum walks|variational
quantum algorithms|phase transitions|Bose-Einstein condensates|thin films|perovskite
solar cells|quantum dots|open quantum systems|photonic crystals|density functional
theory|many-body localization|turbulence|nonlinear optics|spiking neurons|quantum
metrology|active matter|two-dimensional materials""",
}
_FIELD_TERMS = {f: [" ".join(t.split()) for t in text.split("|")] for f, text in _TERMS.items()}

_ADJECTIVES = _split(
    """efficient robust scalable unified adaptive novel general exact optimal
sharp improved universal simple fast hierarchical interpretable nonlinear stochastic
probabilistic geometric local global sparse self-supervised dynamical
emergent"""
)
_NOUNS = _split(
    """framework approach analysis bounds structure dynamics limits geometry
complexity stability estimates theory model method representation regularity
classification signatures constraints phases correlations"""
)
_VERBS = _split(
    """propose study introduce present develop derive establish investigate
analyse characterise revisit construct"""
)
_TITLES = [
    "{A} {n} for {t}",
    "On the {n} of {t}",
    "{T}: {a} {n} and {u}",
    "Towards {a} {t}",
    "{A} {n} of {t} in {u}",
    "{T} with {u}",
    "A {a} {n} to {t}",
    "{T} and {u}: {a} {n}",
    "Revisiting {t} via {u}",
    "{A} results on {t}",
    "When {t} meet {u}",
    "{T} beyond {u}",
]
_WORDS = _split(
    """the of and a in to we is that for with on this by are as an be our which from
at results show these can model method approach data problem paper it using based two new
also performance framework first both study such than its between while over into has not
proposed analysis under existing more under order large can case terms each provide well
present non show use obtain approach large small different however high low energy state
systems system function functions number time space field structure properties effect
effects observed measurements simulations experiments theoretical numerical significant
significantly demonstrate state-of-the-art benchmark benchmarks accuracy training learning
estimate estimates bound bounds prove proof conjecture equation equations parameter
parameters distribution distributions sample samples limit regime regimes scale scales
mass density temperature phase phases signal noise network networks local global
dynamics stability robust efficient optimal linear nonlinear random general specific key
main novel recent previous known open important particular physical quantum classical
statistical computational empirical analytical via respectively thereby moreover finally
furthermore here therefore thus $N$ $\\alpha$ $d$ $k$ $\\mathcal{O}(n^2)$ $10^{-3}$
$T_c$ 95\\% $\\epsilon$ $L^2$"""
)
_WORD_CUM = _cumulative([1.0 / (rank + 8) for rank in range(len(_WORDS))])
"""Zipf-like word frequencies, as in real text (and in full-text index sizes)."""

_JOURNALS: dict[str, list[tuple[str, str | None]]] = {
    "cs": [
        ("IEEE Trans. Pattern Anal. Mach. Intell. {v}({i}), {p}-{q} ({y})", "10.1109/{d}"),
        ("Proceedings of NeurIPS {y}", None),
        ("J. Mach. Learn. Res. {v}, {p}-{q} ({y})", None),
        ("Proc. ACM Manag. Data {v}({i}), {p} ({y})", "10.1145/{d}"),
    ],
    "math": [
        ("J. Combin. Theory Ser. A {v} ({y}) {p}-{q}", "10.1016/j.jcta.{y}.{d}"),
        ("Ann. Probab. {v}({i}), {p}-{q} ({y})", "10.1214/{y}-AOP{d}"),
        ("Comm. Math. Phys. {v}, {p}-{q} ({y})", "10.1007/s00220-{y}-{d}-x"),
    ],
    "hep": [
        ("Phys. Rev. D {v}, {p} ({y})", "10.1103/PhysRevD.{v}.{p}"),
        ("JHEP {i:02d} ({y}) {p}", "10.1007/JHEP{i:02d}({y}){p}"),
        ("Phys. Lett. B {v} ({y}) {p}-{q}", "10.1016/j.physletb.{y}.{d}"),
    ],
    "astro": [
        ("Astrophys. J. {v}, {p} ({y})", "10.3847/1538-4357/{d}"),
        ("Mon. Not. Roy. Astron. Soc. {v}, {p}-{q} ({y})", "10.1093/mnras/stab{d}"),
        ("Astron. Astrophys. {v}, A{p} ({y})", "10.1051/0004-6361/{y}{d}"),
    ],
    "cond": [
        ("Phys. Rev. B {v}, {p} ({y})", "10.1103/PhysRevB.{v}.{p}"),
        ("Phys. Rev. Lett. {v}, {p} ({y})", "10.1103/PhysRevLett.{v}.{p}"),
        ("Nature Physics {v}, {p}-{q} ({y})", "10.1038/s41567-{y}-{d}-x"),
    ],
}
_VENUES = ["NeurIPS", "ICML", "ICLR", "CVPR", "ACL", "SIGMOD", "STOC", "the ApJ", "PRL"]
_REPORT_NOS = ["CERN-EP-{y}-{n}", "FERMILAB-PUB-{yy}-{n}-T", "MIT-CTP/{n}", "DESY {yy}-{n}"]
_NONEXCLUSIVE = "http://arxiv.org/licenses/nonexclusive-distrib/1.0/"
_CC = "http://creativecommons.org/licenses/"
_LICENSES = {
    # era -> (cumulative weights, licenses)
    0: (_cumulative([70, 30]), [None, _NONEXCLUSIVE]),
    1: (
        _cumulative([8, 80, 8, 4]),
        [None, _NONEXCLUSIVE, _CC + "by/3.0/", _CC + "by-nc-sa/3.0/"],
    ),
    2: (
        _cumulative([2, 62, 22, 6, 4, 2, 2]),
        [
            None,
            _NONEXCLUSIVE,
            _CC + "by/4.0/",
            _CC + "by-nc-sa/4.0/",
            _CC + "by-nc-nd/4.0/",
            _CC + "by-sa/4.0/",
            "http://creativecommons.org/publicdomain/zero/1.0/",
        ],
    ),
}

# --- dates ------------------------------------------------------------------------------------

FIRST_MONTH = (2007, 4)
"""New-style ids (YYMM.NNNN) start in April 2007."""
LAST_MONTH = (2026, 10)
_END = calendar.timegm((2026, 11, 1, 0, 0, 0))
"""No version is dated after this (fixed, so the output does not depend on today)."""
_GROWTH = 0.094
"""Yearly growth of submissions, about arXiv's: ~4k a month in 2007, ~24k in 2024."""
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_VERSIONS_CUM = _cumulative([62, 25, 8, 3, 2])
MAX_PER_MONTH = 99_999
"""Five-digit sequence numbers: the busiest month caps the corpus at about 10.7M papers."""


def monthly_counts(papers: int) -> list[tuple[int, int, int]]:
    """(year, month, papers) for every month, growing exponentially, summing to `papers`."""
    months = []
    year, month = FIRST_MONTH
    while (year, month) <= LAST_MONTH:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    weights = [math.exp(_GROWTH * k / 12) for k in range(len(months))]
    total = sum(weights)
    exact = [papers * w / total for w in weights]
    counts = [int(x) for x in exact]
    # Largest remainders get the papers that rounding down left over; ties go to later months.
    by_remainder = sorted(range(len(months)), key=lambda k: (exact[k] - counts[k], k))
    for k in by_remainder[len(by_remainder) - (papers - sum(counts)) :]:
        counts[k] += 1
    return [(y, m, n) for (y, m), n in zip(months, counts, strict=True)]


def rfc2822(stamp: int) -> str:
    """arXiv's version date style: `Mon, 2 Apr 2007 19:18:42 GMT` (day not zero-padded)."""
    t = time.gmtime(stamp)
    return (
        f"{_WEEKDAYS[t.tm_wday]}, {t.tm_mday} {_MONTHS[t.tm_mon]} {t.tm_year} "
        f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} GMT"
    )


# --- the generator ----------------------------------------------------------------------------


@dataclass
class GenStats:
    papers: int = 0
    authorships: int = 0
    """Author entries over all papers (collaboration names included)."""
    authors: int = 0
    """Distinct author names, i.e. the Author nodes a load should create."""
    max_authors: int = 0
    bytes: int = 0
    """Size of the written file."""
    seconds: float = 0.0

    def summary(self, out: Path) -> str:
        return (
            f"wrote {out}: {self.papers:,} papers, {self.authorships:,} authorships, "
            f"{self.authors:,} distinct authors, max {self.max_authors:,} on one paper; "
            f"{self.bytes / 1e6:,.1f} MB in {self.seconds:.1f}s"
        )


class _Generator:
    """One corpus: the seeded random stream plus the pool's shape. Papers come out in id order."""

    def __init__(self, papers: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.random = self.rng.random
        # One pool slot per paper; the Zipf draw leaves about 30% of them unused, so a corpus
        # has about 0.7 distinct authors per paper.
        self.pool = max(MIN_POOL, papers)
        if self.pool > MAX_POOL:
            raise ValueError(f"at most {MAX_POOL:,} papers (distinct names run out)")
        # Author draws follow 1/(rank + q): a Zipf law whose head is flattened by q, so the
        # top authors have hundreds of papers, not a fixed share of the corpus.
        self.zipf_q = max(2.0, 0.6 * math.sqrt(self.pool))
        self.zipf_log = math.log((self.pool + self.zipf_q) / self.zipf_q)
        slots = len(_COLLABORATIONS) + 2
        self.roster_base = [self.pool * (k + 1) // slots for k in range(len(_COLLABORATIONS))]
        self.seed = seed
        self.used: set[int] = set()
        """Pool indices (and collaborations) that wrote a paper in the current block."""
        self.collabs_used: set[str] = set()
        self.authorships = 0
        self.max_authors = 0
        self.names: dict[int, tuple[list[str], str]] = {}
        """(authors_parsed entry, written name) of the most prolific authors, built once."""
        self.banks = {fld: self.sentences(fld, 2048) for fld in _FIELD_TERMS}
        self.openings = {fld: self.opening_sentences(fld, 512) for fld in _FIELD_TERMS}

    def pick(self, seq: Sequence[str]) -> str:
        """`random.choice`, without its overhead (it is called some twenty times a paper)."""
        return seq[int(self.random() * len(seq))]

    def sentences(self, fld: str, count: int) -> list[str]:
        """A field's stock of sentences; abstracts are drawn from it, since building every
        sentence word by word would be most of the run time."""
        rng, terms = self.rng, _FIELD_TERMS[fld]
        bank = []
        for _ in range(count):
            words = rng.choices(_WORDS, cum_weights=_WORD_CUM, k=10 + int(rng.random() * 16))
            words[int(rng.random() * len(words))] = self.pick(terms)
            words[0] = words[0][0].upper() + words[0][1:]
            bank.append(" ".join(words) + ".")
        return bank

    def opening_sentences(self, fld: str, count: int) -> list[str]:
        pick, terms = self.pick, _FIELD_TERMS[fld]
        return [
            f"We {pick(_VERBS)} the {pick(_ADJECTIVES)} {pick(_NOUNS)} of {pick(terms)} "
            f"based on {pick(terms)}."
            for _ in range(count)
        ]

    # authors

    def draw_author(self) -> int:
        """A pool index, low ones far more often (inverse CDF of the flattened Zipf law)."""
        return min(
            int(self.zipf_q * (math.exp(self.rng.random() * self.zipf_log) - 1)), self.pool - 1
        )

    def home_category(self, index: int) -> str:
        """Every group of authors works mainly in one category (a stable hash of the group)."""
        h = ((index >> _GROUP_BITS) * 0x9E3779B1 & 0xFFFFFFFF) / 2**32
        return CATEGORIES[bisect(_CAT_CUM, h * _CAT_CUM[-1])]

    def author_count(self, primary: str) -> int:
        rnd = self.rng.random
        small = primary in _SMALL_TEAMS
        if rnd() < _TAIL_P[small]:
            # Pareto tail, exponent 1.5: 11 authors up to a few hundred.
            return min(int(11 * (1.0 - rnd()) ** (-1 / 1.5)), _TAIL_MAX)
        cum = _SMALL_CUM if small else _TEAM_CUM
        return bisect(cum, rnd() * cum[-1]) + 1

    def coauthors(self, first: int, n: int) -> list[int]:
        rnd = self.rng.random
        chosen = [first]
        taken = {first}
        group = first >> _GROUP_BITS << _GROUP_BITS
        while len(chosen) < n:
            cand = group + int(rnd() * (1 << _GROUP_BITS)) if rnd() < _LOCAL_P else -1
            while cand in taken or not 0 <= cand < self.pool:
                cand = self.draw_author()
            taken.add(cand)
            chosen.append(cand)
        if n > 2 and rnd() < 0.5:  # the prolific one is often the senior, last author
            chosen.append(chosen.pop(0))
        return chosen

    def collaboration(self) -> tuple[str | None, list[int], list[str]]:
        """(collaboration author or None, members, categories) of a 500+ author paper.

        Members are a window of the collaboration's roster, so they share many papers, and
        the collaboration itself is listed as an author on most of them.
        """
        rnd = self.rng.random
        k = int(rnd() * len(_COLLABORATIONS))
        name, roster, cats = _COLLABORATIONS[k]
        n = max(500, int(roster * (0.75 + 0.25 * rnd())))
        n = min(n, roster, self.pool)
        start = int(rnd() * (roster - n + 1))
        base = self.roster_base[k] + start
        members = [(base + j) % self.pool for j in range(n)]
        if rnd() < 0.6:
            members.pop()
            return name, members, list(cats)
        return None, members, list(cats)

    # categories and text

    def categories(self, primary: str) -> list[str]:
        rnd = self.rng.random
        u = rnd()
        extra = 0 if u < 0.45 else 1 if u < 0.8 else 2
        cats = [primary]
        fld = _FIELD[primary]
        for _ in range(extra * 3):  # a few tries: duplicates are skipped
            if len(cats) > extra:
                break
            if rnd() < 0.7:
                pick = _FIELD_CATS[fld][bisect(_FIELD_CUM[fld], rnd() * _FIELD_CUM[fld][-1])]
            else:
                pick = CATEGORIES[bisect(_CAT_CUM, rnd() * _CAT_CUM[-1])]
            if pick not in cats:
                cats.append(pick)
        return cats

    def title(self, fld: str) -> str:
        pick = self.pick
        terms = _FIELD_TERMS[fld]
        t, u, a = pick(terms), pick(terms), pick(_ADJECTIVES)
        text = pick(_TITLES).format(
            t=t, u=u, T=t[0].upper() + t[1:], a=a, A=a.capitalize(), n=pick(_NOUNS)
        )
        if self.rng.random() < 0.5:
            text = " ".join(w[0].upper() + w[1:] if len(w) > 3 else w for w in text.split(" "))
        if len(text) > 72:  # arXiv wraps long titles: newline and two spaces
            cut = text.rfind(" ", 0, 72)
            text = f"{text[:cut]}\n  {text[cut + 1 :]}"
        return text

    def abstract(self, fld: str) -> str:
        """Two spaces, lines of at most about 80 characters, a final newline, as arXiv has them."""
        rnd = self.random
        bank = self.banks[fld]
        size = len(bank)
        # Sentences at a random start and stride: millions of distinct abstracts, few draws.
        start, stride = int(rnd() * size), 1 + int(rnd() * (size - 1))
        body = [bank[(start + k * stride) % size] for k in range(3 + int(rnd() * 6))]
        text = " ".join([self.pick(self.openings[fld]), *body])
        lines, pos, end = [], 0, len(text)
        while end - pos > 80:
            cut = text.rfind(" ", pos, pos + 81)
            if cut <= pos:
                break
            lines.append(text[pos:cut])
            pos = cut + 1
        lines.append(text[pos:])
        return "  " + "\n".join(lines) + "\n"

    def comments(self, fld: str, year: int, parsed: list[list[str]]) -> str | None:
        rng = self.rng
        rnd = rng.random
        parts = []
        if rnd() < 0.78:
            pages, figures = 4 + int(rnd() * 30), int(rnd() * 14)
            parts.append(f"{pages} pages, {figures} figure{'' if figures == 1 else 's'}")
            if rnd() < 0.15:
                parts.append(f"accepted at {self.pick(_VENUES)} {year + int(rnd() * 2)}")
        if rnd() < 0.10:
            human = next((p for p in parsed if p[1]), parsed[-1])
            user = _ascii(human[1].split(" ")[0] + human[0]) or "arxiv-user"
            repo = "-".join(_ascii(w) for w in self.pick(_FIELD_TERMS[fld]).split(" "))
            parts.append(f"Code: https://github.com/{user}/{repo}")
        return "; ".join(parts) or None

    def publication(self, fld: str, year: int) -> tuple[str | None, str | None]:
        rnd = self.rng.random
        if rnd() < max(0.15, 0.5 - 0.016 * (year - 2007)):
            ref_fmt, doi_fmt = self.rng.choice(_JOURNALS[fld])
            y = min(year + int(rnd() * 3), 2026)
            v, i, p = 50 + int(rnd() * 900), 1 + int(rnd() * 12), 1 + int(rnd() * 9999)
            fields = {"v": v, "i": i, "p": p, "q": p + 5 + int(rnd() * 30), "y": y}
            fields["d"] = 10000 + int(rnd() * 89999)
            ref = ref_fmt.format(**fields)
            doi = doi_fmt.format(**fields) if doi_fmt and rnd() < 0.85 else None
            return ref, doi
        if rnd() < 0.08:
            return None, f"10.{1000 + int(rnd() * 9000)}/{int(rnd() * 1e7):07d}"
        return None, None

    def paper(self, arxiv_id: str, submitted: int, year: int) -> dict[str, Any]:
        rng = self.rng
        rnd = rng.random
        collab = None
        if rnd() < BIG_PAPER_P:
            collab, members, cats = self.collaboration()
            if rnd() < 0.5:
                cats = [cats[0]]
        else:
            first = self.draw_author()
            primary = self.home_category(first) if rnd() < 0.8 else None
            if primary is None:
                primary = CATEGORIES[bisect(_CAT_CUM, rnd() * _CAT_CUM[-1])]
            members = self.coauthors(first, min(self.author_count(primary), self.pool // 2))
            cats = self.categories(primary)
        fld = _FIELD[cats[0]]

        names = self.names
        parsed: list[list[str]] = []
        written: list[str] = []
        if collab is not None:
            parsed.append([collab, "", ""])
            written.append(collab)
            self.collabs_used.add(collab)
        for i in members:
            entry = names.get(i) if i < _NAME_CACHE else None
            if entry is None:
                name = list(author_name(i))
                entry = name, written_name(name)
                if i < _NAME_CACHE:
                    names[i] = entry
            parsed.append(entry[0])
            written.append(entry[1])
        authors = written[-1]
        if len(written) > 1:
            authors = ", ".join(written[:-1]) + " and " + authors
        humans = written[1:] if collab else written
        submitter = humans[0] if rnd() < 0.6 else self.pick(humans)

        versions = [{"version": "v1", "created": rfc2822(submitted)}]
        last = submitted
        for v in range(2, bisect(_VERSIONS_CUM, rnd() * _VERSIONS_CUM[-1]) + 2):
            later = last + 3600 + int(rng.expovariate(1 / (45 * 86400)))
            if later >= _END:
                break
            last = later
            versions.append({"version": f"v{v}", "created": rfc2822(last)})
        updated = time.gmtime(last)

        journal_ref, doi = self.publication(fld, year)
        report_no = None
        if rnd() < (0.12 if fld == "hep" else 0.01):
            n = 1 + int(rnd() * 400)
            report_no = self.pick(_REPORT_NOS).format(y=year, yy=year % 100, n=f"{n:03d}")
        era = 0 if year < 2009 else 1 if year < 2015 else 2
        lic_cum, licenses = _LICENSES[era]

        self.used.update(members)
        self.authorships += len(parsed)
        self.max_authors = max(self.max_authors, len(parsed))
        return {
            "id": arxiv_id,
            "submitter": submitter,
            "authors": authors,
            "title": self.title(fld),
            "comments": self.comments(fld, year, parsed),
            "journal-ref": journal_ref,
            "doi": doi,
            "report-no": report_no,
            "categories": " ".join(cats),
            "license": licenses[bisect(lic_cum, rnd() * lic_cum[-1])],
            "abstract": self.abstract(fld),
            "versions": versions,
            "update_date": (f"{updated.tm_year:04d}-{updated.tm_mon:02d}-{updated.tm_mday:02d}"),
            "authors_parsed": parsed,
        }


BLOCK = 2000
"""Papers per block: a block is generated, and compressed, in one worker process."""


@dataclass(frozen=True)
class _Spec:
    number: int
    year: int
    month: int
    first: int
    """Sequence number (from 0) of the block's first paper within its month."""
    count: int
    month_count: int


@dataclass
class _Block:
    count: int
    data: bytes
    authorships: int
    max_authors: int
    used: array[int]
    collabs: set[str]


def _specs(months: list[tuple[int, int, int]]) -> Iterator[_Spec]:
    number = 0
    for year, month, month_count in months:
        for first in range(0, month_count, BLOCK):
            yield _Spec(number, year, month, first, min(BLOCK, month_count - first), month_count)
            number += 1


def _make_block(gen: _Generator, spec: _Spec, gz: bool) -> _Block:
    """One block of JSON lines. Its random stream is seeded by (seed, block number) alone,
    so the file is the same whichever process makes which block."""
    gen.rng = random.Random(f"{gen.seed}:{spec.number}")
    gen.random = gen.rng.random
    gen.used, gen.collabs_used, gen.authorships, gen.max_authors = set(), set(), 0, 0
    year, month = spec.year, spec.month
    start = calendar.timegm((year, month, 1, 0, 0, 0))
    span = calendar.monthrange(year, month)[1] * 86400
    # Ids before 2015 have four digits, as on arXiv, unless a month needs more.
    width = 4 if year < 2015 and spec.month_count <= 9999 else 5
    prefix = f"{year % 100:02d}{month:02d}."
    lines = []
    for seq in range(spec.first, spec.first + spec.count):
        # Submission times rise with the sequence number, as arXiv's do.
        stamp = start + int((seq + gen.random()) * span / spec.month_count)
        lines.append(_encode(gen.paper(f"{prefix}{seq + 1:0{width}d}", stamp, year)))
    data = ("\n".join(lines) + "\n").encode()
    if gz:
        # One gzip member per block; gzip readers take the concatenation as one stream.
        # Level 1: a quarter larger than level 6 and three times faster.
        data = gzip.compress(data, compresslevel=1, mtime=0)
    used = array("I", gen.used)
    return _Block(spec.count, data, gen.authorships, gen.max_authors, used, gen.collabs_used)


_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_worker: _Generator | None = None


def _start_worker(papers: int, seed: int) -> None:
    global _worker
    _worker = _Generator(papers, seed)


def _worker_block(spec: _Spec, gz: bool) -> _Block:
    assert _worker is not None
    return _make_block(_worker, spec, gz)


def _in_order(
    pool: ProcessPoolExecutor, specs: Iterator[_Spec], gz: bool, ahead: int
) -> Iterator[_Block]:
    """Blocks in file order, with at most `ahead` in flight, so memory stays flat."""
    pending: deque[Future[_Block]] = deque()
    for spec in specs:
        pending.append(pool.submit(_worker_block, spec, gz))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def generate(
    out: Path, papers: int, seed: int = 0, *, progress: bool = False, workers: int | None = None
) -> GenStats:
    """Write `papers` synthetic records to `out` (gzip if it ends in `.gz`), in id order.

    Blocks of papers are made in `workers` processes (default: one per CPU); the output
    does not depend on how many. Writes to `out` + `.part` and renames at the end, so a
    half-written file never has the final name. Same seed, same lines, and same bytes for
    a given zlib.
    """
    if papers < 1:
        raise ValueError("papers must be at least 1")
    months = monthly_counts(papers)
    busiest = max(n for _, _, n in months)
    if busiest > MAX_PER_MONTH:
        raise ValueError(
            f"{papers:,} papers would put {busiest:,} in one month; ids allow {MAX_PER_MONTH:,}"
        )
    started = time.perf_counter()
    gz = out.name.endswith(".gz")
    workers = max(1, workers or os.cpu_count() or 1)
    stats = GenStats(papers=papers)
    seen = bytearray(max(MIN_POOL, papers) // 8 + 1)
    collabs: set[str] = set()
    part = out.with_name(out.name + ".part")
    bar = tqdm(total=papers, unit="paper", unit_scale=True, disable=not progress, desc=out.name)
    try:
        with part.open("wb") as sink, bar, ExitStack() as stack:
            blocks: Iterator[_Block]
            if workers == 1:
                gen = _Generator(papers, seed)
                blocks = (_make_block(gen, spec, gz) for spec in _specs(months))
            else:
                pool = stack.enter_context(
                    ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(papers, seed))
                )
                stack.callback(pool.shutdown, cancel_futures=True)
                blocks = _in_order(pool, _specs(months), gz, ahead=2 * workers)
            for block in blocks:
                sink.write(block.data)
                stats.authorships += block.authorships
                stats.max_authors = max(stats.max_authors, block.max_authors)
                for i in block.used:
                    seen[i >> 3] |= 1 << (i & 7)
                collabs |= block.collabs
                bar.update(block.count)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    os.replace(part, out)
    stats.authors = int.from_bytes(seen, "little").bit_count() + len(collabs)
    stats.bytes = out.stat().st_size
    stats.seconds = time.perf_counter() - started
    return stats


# --- command line -----------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `kg bench gen`."""
    parser.add_argument("--papers", type=int, required=True, help="how many papers to write")
    parser.add_argument(
        "--out",
        type=Path,
        help="output file, JSON lines; gzipped if it ends in .gz "
        "(default synthetic-PAPERS.jsonl.gz)",
    )
    parser.add_argument("--seed", type=int, default=0, help="same seed, same file (default 0)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    out: Path = args.out or Path(f"synthetic-{args.papers}.jsonl.gz")
    try:
        stats = generate(out, args.papers, args.seed, progress=not args.quiet)
    except ValueError as err:
        print(f"kg bench gen: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"kg bench gen: cannot write {out}: {err}", file=sys.stderr)
        return 1
    print(stats.summary(out))
    return 0
