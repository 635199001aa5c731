"""Who wrote this? Telling apart the people behind one normalised name.

Both load paths hand every block of authorships sharing a name key to `resolve`, which
is pure and order-free (it sorts its input), so the bulk path (the whole corpus at once)
and the transactional path (the block as the graph holds it, plus a batch) agree.

The evidence arXiv metadata carries, strongest first:
1. **Human decisions.** An authorship a curator placed (`assignedBy: curator`) or one on a
   record with a verified claim is pinned where it is; records a curator split apart
   (`NOT_SAME_AS`) are never joined again.
2. **External ids** (OpenAlex author ids, which fold in ORCIDs, once `kg load openalex`
   ran): same id, same person; different ids, different people. A human decision still
   wins (a pinned record keeps its works, a curator's split is kept), and the record says
   where OpenAlex disagrees (`Author.identityNotes`).
3. **Shared co-authors**, weighted by how specific the co-author's name is: a co-author
   called "Yang Liu" says little, a rare name says a lot. Authorships join a record when
   the weights they share with it reach `LINK`; a new authorship linking two records
   joins them (that is how the block is reconsidered when new evidence arrives).
   A shared institution adds a little.
4. **The name alone.** A block whose authorships link into fewer than `AMBIGUOUS`
   established records (two or more authorships each) is one person, as name keys always
   were: thin evidence is never a reason to split (nor, once a human decided about a
   record of the name, to add to it). Otherwise the name is ambiguous: an authorship with
   no shared co-authors joins the one established record of its field if the field has
   only one, else it starts a record of its own (conservative: a wrong split costs one
   authorship, a wrong merge makes a chimera).
Every assignment says why on its `AUTHORED` edge: `assignedBy` names the evidence (one of
`ASSIGNED_BY`) and `reason` gives the specifics where there are any (the shared co-authors,
the field, the external id).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

LINK = 0.5
"""Shared-evidence weight that puts an authorship on a record: one co-author of specific
name is enough, a co-author whose name is on hundreds of authorships is not."""

SPECIFIC_WORKS = 200
"""A co-author name on at most this many authorships weighs 1; beyond, `SPECIFIC_WORKS / n`."""

INSTITUTION = 0.25
"""Weight of one shared institution key (two people of one name often share a big one)."""

AMBIGUOUS = 3
"""Established records (two or more authorships linked by co-authors) a name needs before
it counts as several people: one person's separate collaborations give one or two."""

FIELD_LINKS = True
"""Co-authors link only authorships whose fields share an arXiv archive (`_compatible`)."""

IGNORE_BELOW = 0.02
"""Co-author names this common are not indexed at all (they can never add up to `LINK`)."""

CURATOR = "curator"
"""Placed by a curator (`kg identity`) or held by a record with a verified claim."""
EXTERNAL = "external"
"""The same OpenAlex author id as the record's other authorships."""
COAUTHORS = "coauthors"
"""Shares co-authors (weighted by how specific their names are) with the record."""
FIELD = "field"
"""No shared co-authors, but the record is the only established one of its name in the field."""
NAME = "name"
"""The only record of its name: nothing says there are two people."""
NEW = "new"
"""A name several researchers hold, and no evidence for any of them: a record of its own."""
ASSIGNED_BY = (CURATOR, EXTERNAL, COAUTHORS, FIELD, NAME, NEW)
"""`AUTHORED.assignedBy`, strongest evidence first."""


def co_author_weight(works: int) -> float:
    """How much sharing a co-author whose name key has `works` authorships says."""
    return 1.0 if works <= SPECIFIC_WORKS else SPECIFIC_WORKS / works


@dataclass(frozen=True, slots=True)
class Clue:
    """One authorship of the block, with the evidence about who wrote it."""

    paper: str
    position: int
    year: int
    categories: tuple[str, ...]
    coauthors: tuple[str, ...]
    """Name keys of the other authors (none for papers above the COAUTHOR cap)."""
    institutions: tuple[str, ...] = ()
    external: str | None = None
    """The OpenAlex author id of the authorship, once `kg load openalex` ran: the same id
    is one person, different ids are different people, unless a human decided otherwise.
    (OpenAlex folds ORCIDs into its ids, so they add nothing a second slot would.)"""
    pinned: str | None = None
    """The record a human decision holds this authorship on."""
    record: str | None = None
    """The record it is on now (transactional path): records a curator split apart
    (`apart`) are never grouped together again."""


@dataclass(slots=True)
class Decision:
    """Where one clue went and why."""

    person: int
    """Index of its person in `Resolution.people`."""
    by: str
    reason: str | None
    """The specifics: shared co-authors, the field, the external id."""


@dataclass
class Resolution:
    """The people of one block: clue indices per person (earliest clue first)."""

    people: list[list[int]]
    decisions: list[Decision]
    pinned: list[str | None]
    """Per person, the record key a human decision fixed it to, if any."""


@dataclass
class _Group:
    clues: list[int] = field(default_factory=list)
    institutions: set[str] = field(default_factory=set)
    categories: set[str] = field(default_factory=set)
    external: set[str] = field(default_factory=set)
    records: set[str] = field(default_factory=set)
    pinned: str | None = None
    alive: bool = True

    def absorb(self, clue: Clue, index: int) -> None:
        self.clues.append(index)
        self.institutions.update(clue.institutions)
        self.categories.update(clue.categories)
        if clue.external:
            self.external.add(clue.external)
        if clue.record:
            self.records.add(clue.record)


def resolve(
    name: str,
    clues: list[Clue],
    weight: Callable[[str], float],
    apart: Iterable[tuple[str, str]] = (),
) -> Resolution:
    """Group the authorships of name `name` into people (see the module docstring).

    `weight(name_key)` is `co_author_weight` of that co-author name's authorships;
    `apart` lists record keys a curator declared different people.
    """
    order = sorted(range(len(clues)), key=lambda i: (clues[i].year, clues[i].paper, i))
    weights: dict[str, float] = {}

    def weight_of(name: str) -> float:
        w = weights.get(name)
        if w is None:
            w = weights[name] = weight(name)
        return w

    separated = {frozenset(pair) for pair in apart}
    groups: list[_Group] = []
    owner: dict[int, int] = {}  # clue -> group (following merges through `parent`)
    parent: list[int] = []
    by: dict[int, tuple[str, str | None]] = {}
    index: dict[str, set[int]] = {}  # co-author or institution -> groups that have it
    externals: dict[str, int] = {}
    pinned_groups: dict[str, int] = {}

    def find(g: int) -> int:
        while parent[g] != g:
            parent[g] = parent[parent[g]]
            g = parent[g]
        return g

    def new_group(pinned: str | None = None) -> int:
        groups.append(_Group(pinned=pinned))
        parent.append(len(groups) - 1)
        return len(groups) - 1

    def add(g: int, i: int) -> None:
        clue = clues[i]
        groups[g].absorb(clue, i)
        owner[i] = g
        for c in clue.coauthors:
            if weight_of(c) >= IGNORE_BELOW:
                index.setdefault(c, set()).add(g)
        for inst in clue.institutions:
            index.setdefault("\x00" + inst, set()).add(g)
        if clue.external:
            externals.setdefault(clue.external, g)

    def may_join(a: int, b: int) -> bool:
        ga, gb = groups[a], groups[b]
        if ga.pinned and gb.pinned and ga.pinned != gb.pinned:
            return False
        if ga.external and gb.external and not ga.external & gb.external:
            return False
        return not any(
            frozenset((x, y)) in separated for x in ga.records for y in gb.records if x != y
        )

    def kept_apart(g: int, clue: Clue) -> bool:
        """The clue's record and one of the group's were split apart by a curator."""
        return clue.record is not None and any(
            frozenset((clue.record, r)) in separated for r in groups[g].records
        )

    def join(a: int, b: int) -> int:
        """Fold group b into a; which key the person gets is decided from its earliest clue."""
        a, b = find(a), find(b)
        if a == b:
            return a
        ga, gb = groups[a], groups[b]
        for i in gb.clues:
            ga.absorb(clues[i], i)
        ga.pinned = ga.pinned or gb.pinned
        gb.alive = False
        parent[b] = a  # the index keeps b; lookups go through find()
        return a

    # Human decisions first: pinned clues seed the records they are pinned to.
    for i in order:
        pin = clues[i].pinned
        if pin is not None:
            if pin not in pinned_groups:
                pinned_groups[pin] = new_group(pin)
            add(pinned_groups[pin], i)
            by[i] = (CURATOR, None)
    for i in order:
        if i in owner:
            continue
        clue = clues[i]
        if clue.external and clue.external in externals:
            g = find(externals[clue.external])
            if not kept_apart(g, clue):
                add(g, i)
                by[i] = (EXTERNAL, f"OpenAlex {clue.external}")
                continue
        scores: defaultdict[int, float] = defaultdict(float)
        shared: dict[int, list[str]] = {}
        for c in set(clue.coauthors):
            w = weight_of(c)
            if w < IGNORE_BELOW:
                continue
            for g in {find(g) for g in index.get(c, ())}:
                scores[g] += w
                shared.setdefault(g, []).append(c)
        for inst in set(clue.institutions):
            for g in {find(g) for g in index.get("\x00" + inst, ())}:
                scores[g] += INSTITUTION
        linked = sorted(
            (
                g
                for g, s in scores.items()
                if s >= LINK and _compatible(groups[g], clue) and not kept_apart(g, clue)
            ),
            key=lambda g: (-scores[g], g),
        )
        if not linked:
            add(new_group(), i)
            continue
        best = linked[0]
        names = ", ".join(sorted(shared.get(best, []))[:3]) or "shared institutions"
        for other in linked[1:]:
            best, other = find(best), find(other)
            if best != other and may_join(best, other):
                best = join(best, other)
        add(find(best), i)
        by[i] = (COAUTHORS, names)

    live = [g for g, grp in enumerate(groups) if grp.alive]
    established = [g for g in live if len(groups[g].clues) >= 2 or groups[g].pinned]
    ambiguous = len(established) >= AMBIGUOUS or bool(pinned_groups)
    if not ambiguous:  # one person, as far as the evidence goes
        keep = established[0] if established else min(live)  # groups are made in order
        for g in live:
            if g != keep and may_join(keep, g):
                for i in groups[g].clues:
                    by.setdefault(i, (NAME, None))
                keep = join(keep, g)
    else:
        for g in live:
            grp = groups[g]
            if g in established or not grp.alive:
                continue
            i = grp.clues[0]
            same_field = [e for e in established if groups[e].categories & set(clues[i].categories)]
            if len(same_field) == 1 and may_join(find(same_field[0]), g):
                code = sorted(groups[same_field[0]].categories & set(clues[i].categories))[0]
                by[i] = (FIELD, code)
                join(same_field[0], g)
            else:
                by[i] = (NEW, None)
    people: list[list[int]] = []
    decisions: list[Decision | None] = [None] * len(clues)
    pins: list[str | None] = []
    for grp in groups:
        if not grp.alive:
            continue
        members = sorted(grp.clues, key=lambda i: (clues[i].year, clues[i].paper, i))
        for i in members:
            how, why = by.get(i, (NAME, None))
            decisions[i] = Decision(len(people), how, why)
        people.append(members)
        pins.append(grp.pinned)
    people_order = sorted(range(len(people)), key=lambda p: _first(clues, people[p]))
    renumber = {old: new for new, old in enumerate(people_order)}
    for d in decisions:
        assert d is not None
        d.person = renumber[d.person]
    return Resolution(
        people=[people[p] for p in people_order],
        decisions=[d for d in decisions if d is not None],
        pinned=[pins[p] for p in people_order],
    )


def _first(clues: list[Clue], members: list[int]) -> tuple[int, str, int]:
    i = members[0]
    return clues[i].year, clues[i].paper, i


def _compatible(group: _Group, clue: Clue) -> bool:
    """Different external ids are different people, whatever they share; and a co-author
    shared across unrelated fields (no arXiv archive in common) is more likely two
    namesakes' namesakes than one person's collaborator."""
    if clue.external and group.external:
        return clue.external in group.external
    if not FIELD_LINKS or not clue.categories or not group.categories:
        return True
    return bool({_archive(c) for c in clue.categories} & {_archive(c) for c in group.categories})


def _archive(category: str) -> str:
    return category.split(".", 1)[0]
