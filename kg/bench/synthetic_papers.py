"""One synthetic corpus's papers, drawn from a seeded random stream in arXiv id order.

`synthetic.py` runs blocks of these in parallel processes and writes the file; this module
only knows what a paper looks like: its authors (from the implicit pool), categories, text,
versions and dates.
"""

from __future__ import annotations

import math
import random
import time
from bisect import bisect
from collections.abc import Sequence
from typing import Any

from kg.bench.synthetic_names import MAX_POOL, ascii_fold, author_name, written_name
from kg.bench.synthetic_vocab import (
    ADJECTIVES,
    BIG_PAPER_P,
    CAT_CUM,
    CATEGORIES,
    COLLABORATIONS,
    END,
    FIELD,
    FIELD_CATS,
    FIELD_CUM,
    FIELD_TERMS,
    GROUP_BITS,
    JOURNALS,
    LICENSES,
    LOCAL_P,
    MIN_POOL,
    NAME_CACHE,
    NOUNS,
    REPORT_NOS,
    SMALL_CUM,
    SMALL_TEAMS,
    TAIL_MAX,
    TAIL_P,
    TEAM_CUM,
    TITLES,
    VENUES,
    VERBS,
    VERSIONS_CUM,
    WORD_CUM,
    WORDS,
    rfc2822,
)
from kg.core.errors import UsageError


def pool_size(papers: int, authors: int | None) -> int:
    """The implicit author pool: `authors` when given (at least MIN_POOL), else one per paper."""
    if authors is None:
        return max(MIN_POOL, papers)
    if authors < MIN_POOL:
        raise UsageError(
            f"--authors must be at least {MIN_POOL:,}, so the largest collaboration's roster "
            "fits in the pool"
        )
    return authors


class PaperGenerator:
    """One corpus: the seeded random stream plus the pool's shape. Papers come out in id order."""

    def __init__(self, papers: int, seed: int, authors: int | None = None) -> None:
        self.rng = random.Random(seed)
        self.random = self.rng.random
        # One pool slot per paper unless `authors` says otherwise; the Zipf draw leaves about
        # 30% of them unused, so a corpus has about 0.7 distinct authors per paper. A smaller
        # pool makes a hub-heavy corpus: the same papers over fewer, more prolific people.
        self.pool = pool_size(papers, authors)
        if self.pool > MAX_POOL:
            raise UsageError(f"at most {MAX_POOL:,} papers (distinct names run out)")
        # Author draws follow 1/(rank + q): a Zipf law whose head is flattened by q, so the
        # top authors have hundreds of papers, not a fixed share of the corpus.
        self.zipf_q = max(2.0, 0.6 * math.sqrt(self.pool))
        self.zipf_log = math.log((self.pool + self.zipf_q) / self.zipf_q)
        slots = len(COLLABORATIONS) + 2
        self.roster_base = [self.pool * (k + 1) // slots for k in range(len(COLLABORATIONS))]
        self.seed = seed
        self.used: set[int] = set()
        """Pool indices (and collaborations) that wrote a paper in the current block."""
        self.collabs_used: set[str] = set()
        self.authorships = 0
        self.max_authors = 0
        self.names: dict[int, tuple[list[str], str]] = {}
        """(authors_parsed entry, written name) of the most prolific authors, built once."""
        self.banks = {fld: self.sentences(fld, 2048) for fld in FIELD_TERMS}
        self.openings = {fld: self.opening_sentences(fld, 512) for fld in FIELD_TERMS}

    def pick(self, seq: Sequence[str]) -> str:
        """`random.choice`, without its overhead (it is called some twenty times a paper)."""
        return seq[int(self.random() * len(seq))]

    def sentences(self, fld: str, count: int) -> list[str]:
        """A field's stock of sentences; abstracts are drawn from it, since building every
        sentence word by word would be most of the run time."""
        rng, terms = self.rng, FIELD_TERMS[fld]
        bank = []
        for _ in range(count):
            words = rng.choices(WORDS, cum_weights=WORD_CUM, k=10 + int(rng.random() * 16))
            words[int(rng.random() * len(words))] = self.pick(terms)
            words[0] = words[0][0].upper() + words[0][1:]
            bank.append(" ".join(words) + ".")
        return bank

    def opening_sentences(self, fld: str, count: int) -> list[str]:
        pick, terms = self.pick, FIELD_TERMS[fld]
        return [
            f"We {pick(VERBS)} the {pick(ADJECTIVES)} {pick(NOUNS)} of {pick(terms)} "
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
        h = ((index >> GROUP_BITS) * 0x9E3779B1 & 0xFFFFFFFF) / 2**32
        return CATEGORIES[bisect(CAT_CUM, h * CAT_CUM[-1])]

    def author_count(self, primary: str) -> int:
        rnd = self.rng.random
        small = primary in SMALL_TEAMS
        if rnd() < TAIL_P[small]:
            # Pareto tail, exponent 1.5: 11 authors up to a few hundred.
            return min(int(11 * (1.0 - rnd()) ** (-1 / 1.5)), TAIL_MAX)
        cum = SMALL_CUM if small else TEAM_CUM
        return bisect(cum, rnd() * cum[-1]) + 1

    def coauthors(self, first: int, n: int) -> list[int]:
        rnd = self.rng.random
        chosen = [first]
        taken = {first}
        group = first >> GROUP_BITS << GROUP_BITS
        while len(chosen) < n:
            cand = group + int(rnd() * (1 << GROUP_BITS)) if rnd() < LOCAL_P else -1
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
        k = int(rnd() * len(COLLABORATIONS))
        name, roster, cats = COLLABORATIONS[k]
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
        fld = FIELD[primary]
        for _ in range(extra * 3):  # a few tries: duplicates are skipped
            if len(cats) > extra:
                break
            if rnd() < 0.7:
                pick = FIELD_CATS[fld][bisect(FIELD_CUM[fld], rnd() * FIELD_CUM[fld][-1])]
            else:
                pick = CATEGORIES[bisect(CAT_CUM, rnd() * CAT_CUM[-1])]
            if pick not in cats:
                cats.append(pick)
        return cats

    def title(self, fld: str) -> str:
        pick = self.pick
        terms = FIELD_TERMS[fld]
        t, u, a = pick(terms), pick(terms), pick(ADJECTIVES)
        text = pick(TITLES).format(
            t=t, u=u, T=t[0].upper() + t[1:], a=a, A=a.capitalize(), n=pick(NOUNS)
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
                parts.append(f"accepted at {self.pick(VENUES)} {year + int(rnd() * 2)}")
        if rnd() < 0.10:
            human = next((p for p in parsed if p[1]), parsed[-1])
            user = ascii_fold(human[1].split(" ")[0] + human[0]) or "arxiv-user"
            repo = "-".join(ascii_fold(w) for w in self.pick(FIELD_TERMS[fld]).split(" "))
            parts.append(f"Code: https://github.com/{user}/{repo}")
        return "; ".join(parts) or None

    def publication(self, fld: str, year: int) -> tuple[str | None, str | None]:
        rnd = self.rng.random
        if rnd() < max(0.15, 0.5 - 0.016 * (year - 2007)):
            ref_fmt, doi_fmt = self.rng.choice(JOURNALS[fld])
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
                primary = CATEGORIES[bisect(CAT_CUM, rnd() * CAT_CUM[-1])]
            members = self.coauthors(first, min(self.author_count(primary), self.pool // 2))
            cats = self.categories(primary)
        fld = FIELD[cats[0]]

        names = self.names
        parsed: list[list[str]] = []
        written: list[str] = []
        if collab is not None:
            parsed.append([collab, "", ""])
            written.append(collab)
            self.collabs_used.add(collab)
        for i in members:
            entry = names.get(i) if i < NAME_CACHE else None
            if entry is None:
                name = list(author_name(i))
                entry = name, written_name(name)
                if i < NAME_CACHE:
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
        for v in range(2, bisect(VERSIONS_CUM, rnd() * VERSIONS_CUM[-1]) + 2):
            later = last + 3600 + int(rng.expovariate(1 / (45 * 86400)))
            if later >= END:
                break
            last = later
            versions.append({"version": f"v{v}", "created": rfc2822(last)})
        updated = time.gmtime(last)

        journal_ref, doi = self.publication(fld, year)
        report_no = None
        if rnd() < (0.12 if fld == "hep" else 0.01):
            n = 1 + int(rnd() * 400)
            report_no = self.pick(REPORT_NOS).format(y=year, yy=year % 100, n=f"{n:03d}")
        era = 0 if year < 2009 else 1 if year < 2015 else 2
        lic_cum, licenses = LICENSES[era]

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
