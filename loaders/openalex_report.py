"""What an OpenAlex load did, for the CLI to print and the benchmark to time."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from loaders.pipeline import RejectLog


@dataclass
class OpenAlexReport:
    """Counts of one `kg load openalex` run; every paper it could not use is a reject."""

    works_read: int = 0
    """Work objects read: API answers, or snapshot lines (arXiv or not)."""
    works_matched: int = 0
    """Works written onto a paper of the graph."""
    papers_asked: int = 0
    """Papers of the graph looked up (API route)."""
    authorships_matched: int = 0
    authorships_unmatched: int = 0
    """OpenAlex authorships no author of the paper could be paired with (another spelling)."""
    citations_linked: int = 0
    """`CITES` edges created (both ends in the graph)."""
    people_checked: int = 0
    people_regrouped: int = 0
    """Names resolved again because OpenAlex's ids disagreed with their records."""
    identity_notes: int = 0
    """Records where a human decision overrides OpenAlex's grouping (`identityNotes`)."""
    authors_read: int = 0
    authors_matched: int = 0
    requests: int = 0
    retries: int = 0
    resumed_after: str | None = None
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)
    """Seconds per phase: works, citations, people, authors."""
    rejects: RejectLog = field(default_factory=RejectLog)

    def write_rejects(self, path: Path) -> None:
        self.rejects.write_to(path)

    @property
    def unmatched(self) -> int:
        return len(self.rejects)

    def summary(self) -> str:
        lines = [
            f"{self.works_matched:,} papers got OpenAlex data from {self.works_read:,} works read"
            + (f" ({self.papers_asked:,} papers asked for)" if self.papers_asked else "")
            + (f"; resumed after {self.resumed_after}" if self.resumed_after else ""),
            f"authorships: {self.authorships_matched:,} matched to OpenAlex authors, "
            f"{self.authorships_unmatched:,} OpenAlex authorships left unpaired; "
            f"{self.citations_linked:,} CITES edges added",
            f"people: {self.people_checked:,} records checked against OpenAlex's ids, "
            f"{self.people_regrouped:,} names resolved again, {self.identity_notes:,} where "
            "a human decision overrides OpenAlex (see identityNotes)",
            f"authors: {self.authors_matched:,} OpenAlex author records written "
            f"({self.authors_read:,} read)",
        ]
        if self.requests:
            lines.append(f"{self.requests:,} API requests, {self.retries:,} retried")
        if self.phases:
            lines.append(
                f"{self.seconds:.1f}s: "
                + ", ".join(f"{name} {secs:.1f}s" for name, secs in self.phases.items())
            )
        lines += [f"  not loaded {r.where}: {r.reason}" for r in self.rejects.first(10)]
        if len(self.rejects) > 10:
            lines.append(f"  ... and {len(self.rejects) - 10:,} more in the rejects file")
        return "\n".join(lines)
