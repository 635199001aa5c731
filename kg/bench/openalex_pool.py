"""What the synthetic OpenAlex snapshot draws from: institutions, careers, ORCIDs, citations.

Everything about a person is a pure function of a 64-bit hash of their name and the seed,
so nothing per person is stored to know where they worked in a given year or their ORCID;
`openalex_corpus.py` only samples from here and writes the files.
"""

from __future__ import annotations

import hashlib
import math
from bisect import bisect
from functools import cache, lru_cache
from typing import Any

SNAPSHOT_YEAR = 2026
"""The year the snapshot is "taken": counts_by_year covers the ten years up to it."""
WINDOW = tuple(range(SNAPSHOT_YEAR - 9, SNAPSHOT_YEAR + 1))
"""OpenAlex's counts_by_year covers the last ten years only, older ones are dropped."""
UPDATED_DATES = ("2026-01-05", "2026-02-02", "2026-03-02")
"""The `updated_date=` partitions works and authors are spread over, as a monthly snapshot is."""

ARXIV_SOURCE = {
    "id": "https://openalex.org/S4306400194",
    "display_name": "arXiv (Cornell University)",
    "issn_l": None,
    "issn": None,
    "is_oa": True,
    "is_in_doaj": False,
    "host_organization": "https://openalex.org/I205783295",
    "type": "repository",
}

_CITIES = [
    ("Beijing", "CN", "China"), ("Shanghai", "CN", "China"), ("Hangzhou", "CN", "China"),
    ("Shenzhen", "CN", "China"), ("Nanjing", "CN", "China"), ("Wuhan", "CN", "China"),
    ("Tokyo", "JP", "Japan"), ("Kyoto", "JP", "Japan"), ("Osaka", "JP", "Japan"),
    ("Seoul", "KR", "South Korea"), ("Daejeon", "KR", "South Korea"),
    ("Bangalore", "IN", "India"), ("Mumbai", "IN", "India"), ("Delhi", "IN", "India"),
    ("Chennai", "IN", "India"), ("Singapore", "SG", "Singapore"), ("Sydney", "AU", "Australia"),
    ("Melbourne", "AU", "Australia"), ("Toronto", "CA", "Canada"), ("Montreal", "CA", "Canada"),
    ("Vancouver", "CA", "Canada"), ("Boston", "US", "United States"),
    ("Chicago", "US", "United States"), ("Austin", "US", "United States"),
    ("Seattle", "US", "United States"), ("Pittsburgh", "US", "United States"),
    ("San Diego", "US", "United States"), ("Princeton", "US", "United States"),
    ("Ann Arbor", "US", "United States"), ("Atlanta", "US", "United States"),
    ("Berlin", "DE", "Germany"), ("Munich", "DE", "Germany"), ("Heidelberg", "DE", "Germany"),
    ("Hamburg", "DE", "Germany"), ("Paris", "FR", "France"), ("Lyon", "FR", "France"),
    ("Grenoble", "FR", "France"), ("Zurich", "CH", "Switzerland"), ("Geneva", "CH", "Switzerland"),
    ("Milan", "IT", "Italy"), ("Rome", "IT", "Italy"), ("Padua", "IT", "Italy"),
    ("Madrid", "ES", "Spain"), ("Barcelona", "ES", "Spain"), ("Lisbon", "PT", "Portugal"),
    ("Amsterdam", "NL", "Netherlands"), ("Delft", "NL", "Netherlands"),
    ("Leuven", "BE", "Belgium"), ("Copenhagen", "DK", "Denmark"), ("Stockholm", "SE", "Sweden"),
    ("Helsinki", "FI", "Finland"), ("Oslo", "NO", "Norway"), ("Warsaw", "PL", "Poland"),
    ("Prague", "CZ", "Czechia"), ("Vienna", "AT", "Austria"), ("Budapest", "HU", "Hungary"),
    ("Moscow", "RU", "Russia"), ("Istanbul", "TR", "Turkey"), ("Tehran", "IR", "Iran"),
    ("Haifa", "IL", "Israel"), ("Cairo", "EG", "Egypt"), ("Lagos", "NG", "Nigeria"),
    ("Cape Town", "ZA", "South Africa"), ("Sao Paulo", "BR", "Brazil"),
    ("Buenos Aires", "AR", "Argentina"), ("Mexico City", "MX", "Mexico"),
    ("Santiago", "CL", "Chile"), ("Edinburgh", "GB", "United Kingdom"),
    ("Manchester", "GB", "United Kingdom"), ("Cambridge", "GB", "United Kingdom"),
]  # fmt: skip
_KINDS = [
    ("University of {c}", "education"),
    ("{c} Institute of Technology", "education"),
    ("{c} Normal University", "education"),
    ("{c} National Laboratory", "facility"),
    ("{c} Institute for Advanced Study", "nonprofit"),
    ("{c} University Hospital", "healthcare"),
    ("{c} Research Centre of Sciences", "government"),
    ("{c} AI Lab", "company"),
]
_DEPARTMENTS = [
    "Department of Physics", "Department of Computer Science", "Department of Mathematics",
    "School of Engineering", "Department of Statistics", "Institute of Theoretical Physics",
    "Department of Electrical Engineering", "Center for Data Science", "Department of Astronomy",
    "Department of Economics", "Laboratory of Quantum Matter", "Department of Biology",
]  # fmt: skip
_ROR_CHARS = "0123456789abcdefghjkmnpqrstvwxyz"
_GOLDEN = 0x9E3779B97F4A7C15
_MASK = (1 << 64) - 1


def mix(h: int, salt: int) -> int:
    """A 64-bit hash of (h, salt): splitmix64's finaliser, fast and well spread."""
    x = (h + salt * _GOLDEN) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def person_hash(name: str, seed: int) -> int:
    """The 64 bits everything about a person is drawn from."""
    digest = hashlib.blake2b(f"{seed}\x1f{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def _ror(k: int) -> str:
    x = mix(k, 0x0502)
    body = "".join(_ROR_CHARS[(x >> (5 * j)) & 31] for j in range(6))
    return f"https://ror.org/0{body}{x % 97:02d}"


def _institutions() -> list[dict[str, Any]]:
    pool = []
    for ci, (city, code, _) in enumerate(_CITIES):
        for ki, (pattern, kind) in enumerate(_KINDS):
            k = ci * len(_KINDS) + ki
            oid = f"https://openalex.org/I{100_000_000 + mix(k, 0x1) % 4_000_000_000}"
            pool.append(
                {
                    "id": oid,
                    "display_name": pattern.format(c=city),
                    "ror": _ror(k),
                    "country_code": code,
                    "type": kind,
                    "lineage": [oid],
                }
            )
    return pool


INSTITUTIONS = _institutions()
"""The institution pool: one of each kind in every city, each with an id, ROR and country."""
COUNTRY_NAMES = {code: name for _, code, name in _CITIES}


def institution_of(h: int, year: int) -> int:
    """Index into INSTITUTIONS of where person `h` worked in `year`: a stint of 3-8 years at
    one place, then another, so people move now and then and careers have history."""
    stint = 3 + h % 6
    slot = (year + (h >> 8) % stint) // stint
    return mix(h, slot) % len(INSTITUTIONS)


def second_institution(h: int) -> int | None:
    """One person in ten also gives a second, fixed affiliation on every work."""
    return mix(h, 0x2) % len(INSTITUTIONS) if (h >> 40) % 10 == 0 else None


def raw_affiliation(h: int, inst: int) -> str:
    """How the person writes that affiliation on a paper."""
    return _raw_affiliation((h >> 20) % len(_DEPARTMENTS), inst)


@cache
def _raw_affiliation(dept: int, inst: int) -> str:
    place = INSTITUTIONS[inst]
    city = _CITIES[inst // len(_KINDS)][0]
    country = COUNTRY_NAMES[place["country_code"]]
    return f"{_DEPARTMENTS[dept]}, {place['display_name']}, {city}, {country}"


@lru_cache(maxsize=1 << 16)
def orcid(h: int) -> str | None:
    """A valid ORCID (ISO 7064 11,2 check digit) for two people in five, else None."""
    if (h >> 48) % 5 >= 2:
        return None
    digits = f"0000000{10_000_000 + (h >> 3) % 30_000_000:08d}"
    total = 0
    for d in digits:
        total = (total + int(d)) * 2
    check = (12 - total % 11) % 11
    tail = "X" if check == 10 else str(check)
    full = digits + tail
    return f"https://orcid.org/{full[:4]}-{full[4:8]}-{full[8:12]}-{full[12:]}"


def name_alternatives(name: str) -> list[str]:
    """The name as written and with given names cut to initials ("A. C. Bee"), as OpenAlex's
    display_name_alternatives list the forms found on works."""
    words = name.split(" ")
    if len(words) < 2:
        return [name]
    initials = " ".join(w[0] + "." if not w.endswith(".") else w for w in words[:-1])
    return [name, f"{initials} {words[-1]}"]


@cache
def _year_weights(span: int) -> list[float]:
    """Cumulative weights of citations k years after publication: a rise, then a long tail."""
    cum, total = [], 0.0
    for k in range(span):
        total += (k + 1) * math.exp(-k / 3.0)
        cum.append(total)
    return cum


def citations(u: float, zero: float, year: int) -> int:
    """cited_by_count of a work from `year`, skewed: a fifth never cited, most a handful, a few
    thousands (a Pareto tail, exponent 1.3), more for older works."""
    if zero < 0.2:
        return 0
    age = SNAPSHOT_YEAR - year + 0.5
    return min(int(0.8 * age * ((1.0 - u) ** (-1 / 1.3) - 1.0)) + 1, 60_000)


def counts_by_year(cited: int, year: int, rnd: Any) -> list[int]:
    """`cited` citations spread over the years since `year`; counts for WINDOW years, in
    WINDOW order (OpenAlex drops the older ones, so these may sum to less than `cited`)."""
    span = max(1, SNAPSHOT_YEAR - year + 1)
    cum = _year_weights(span)
    per = [0] * span
    if cited <= 40:
        for _ in range(cited):
            per[bisect(cum, rnd() * cum[-1])] += 1
    else:
        prev = 0.0
        for k in range(span):
            per[k] = int(cited * (cum[k] - prev) / cum[-1])
            prev = cum[k]
        per[min(2, span - 1)] += cited - sum(per)
    first = WINDOW[0]
    return [per[y - year] if 0 <= y - year < span else 0 for y in range(first, first + 10)]
