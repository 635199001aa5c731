"""What the synthetic corpus draws from: categories, author counts, text, dates.

Kept apart from the generator in `synthetic_papers.py`, which only samples from these;
author names are in `synthetic_names.py`.
"""

from __future__ import annotations

import calendar
import math
import time
from collections.abc import Sequence

from kg.bench.synthetic_names import split_words

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
FIELD = {code: fld for code, fld, _ in _CATEGORIES}
SMALL_TEAMS = {"math.AP", "math.CO", "math.PR", "math.NT", "math.AG", "math.OC", "math.ST"}
SMALL_TEAMS |= {"stat.ME", "econ.EM", "hep-th", "gr-qc", "cond-mat.stat-mech"}
"""Categories where papers have fewer authors (a mathematician, a theorist or two)."""


def _cumulative(weights: Sequence[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


CAT_CUM = _cumulative([w for _, _, w in _CATEGORIES])
FIELD_CATS = {
    fld: [c for c, f, _ in _CATEGORIES if f == fld] for fld in dict.fromkeys(FIELD.values())
}
FIELD_CUM = {fld: _cumulative([w for c, f, w in _CATEGORIES if f == fld]) for fld in FIELD_CATS}

# --- authors per paper ------------------------------------------------------------------------

TEAM_CUM = _cumulative([12, 22, 21, 16, 11, 7, 4.5, 2.8, 2, 1.7])
SMALL_CUM = _cumulative([30, 34, 20, 9, 4, 1.5, 0.7, 0.4, 0.2, 0.2])
TAIL_P = {True: 0.002, False: 0.015}
"""Share of papers (small-team categories, others) with 11-250 authors, Pareto-distributed."""
TAIL_MAX = 250
BIG_PAPER_P = 1 / 5000
"""Share of collaboration papers with 500-3000 authors."""
LOCAL_P = 0.5
"""Chance that a co-author comes from the first author's group (repeat collaborators)."""
GROUP_BITS = 6
"""Groups are runs of 64 consecutive pool indices; a group shares a home field too."""

COLLABORATIONS: list[tuple[str, int, tuple[str, ...]]] = [
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
NAME_CACHE = 8192
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
FIELD_TERMS = {f: [" ".join(t.split()) for t in text.split("|")] for f, text in _TERMS.items()}

ADJECTIVES = split_words(
    """efficient robust scalable unified adaptive novel general exact optimal
sharp improved universal simple fast hierarchical interpretable nonlinear stochastic
probabilistic geometric local global sparse self-supervised dynamical
emergent"""
)
NOUNS = split_words(
    """framework approach analysis bounds structure dynamics limits geometry
complexity stability estimates theory model method representation regularity
classification signatures constraints phases correlations"""
)
VERBS = split_words(
    """propose study introduce present develop derive establish investigate
analyse characterise revisit construct"""
)
TITLES = [
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
WORDS = split_words(
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
WORD_CUM = _cumulative([1.0 / (rank + 8) for rank in range(len(WORDS))])
"""Zipf-like word frequencies, as in real text (and in full-text index sizes)."""

JOURNALS: dict[str, list[tuple[str, str | None]]] = {
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
VENUES = ["NeurIPS", "ICML", "ICLR", "CVPR", "ACL", "SIGMOD", "STOC", "the ApJ", "PRL"]
REPORT_NOS = ["CERN-EP-{y}-{n}", "FERMILAB-PUB-{yy}-{n}-T", "MIT-CTP/{n}", "DESY {yy}-{n}"]
_NONEXCLUSIVE = "http://arxiv.org/licenses/nonexclusive-distrib/1.0/"
_CC = "http://creativecommons.org/licenses/"
LICENSES = {
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
END = calendar.timegm((2026, 11, 1, 0, 0, 0))
"""No version is dated after this (fixed, so the output does not depend on today)."""
_GROWTH = 0.094
"""Yearly growth of submissions, about arXiv's: ~4k a month in 2007, ~24k in 2024."""
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
VERSIONS_CUM = _cumulative([62, 25, 8, 3, 2])
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
