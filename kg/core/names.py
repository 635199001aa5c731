"""Author identity: one stable key per full name as written, never merged on initials.

"Zihang Liu", "ZIHANG  LIU", "Liu, Zihang" and "Zíhang Liu" share the key `zihang-liu`;
"Z. Liu" gets `z-liu`, a different author, because an initial cannot tell two people apart.
"""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^\w]+")
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")


def clean_name(raw: str) -> str:
    """The name for display: whitespace collapsed, "Last, First" turned to "First Last"."""
    name = _SPACE.sub(" ", unicodedata.normalize("NFC", raw)).strip().translate(_DASHES)
    if name.count(",") == 1:
        last, first = (part.strip() for part in name.split(","))
        if first and last and not _is_suffix(first):
            name = f"{first} {last}"
    return name


def _is_suffix(text: str) -> bool:
    return text.rstrip(".").lower() in {"jr", "sr", "ii", "iii", "iv"}


def author_key(raw: str) -> str:
    """Stable key: accents stripped, case folded, punctuation and spaces turned into `-`."""
    return _slug(clean_name(raw))


def institution_name(raw: str) -> str:
    """Institution names keep their commas: "University of California, Berkeley"."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", raw)).strip().translate(_DASHES)


def institution_key(raw: str) -> str:
    return _slug(institution_name(raw))


def _slug(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_WORD.sub("-", stripped.casefold()).strip("-")


def person_key(name_key: str, arxiv_id: str, position: int | None = None) -> str:
    """The stable id of a researcher record founded by an authorship on `arxiv_id`.

    A name's main record (its first or biggest person) keeps the bare name key
    (`zihang-liu`), so rare names read as before; a namesake gets
    `wei-zhang--2101.00001`, from the paper that founded the record (`-3` adds the
    author position when one paper founds two).
    Name keys never contain `--`, so these can never collide with a name key.
    """
    paper = arxiv_id.replace("/", "-")
    return f"{name_key}--{paper}" + (f"-{position}" if position is not None else "")
