"""The bibliography the rubrics cite, and how a citation is written for a reader.

Every work a rubric cites is an entry of ``rubrics/sources.yaml`` under a stable id (such as
``mejia-redes-entidades-publicas``); a criterion names that id in ``source: {id: ...}``.
Readers see the citation built from the entry, "Title (Author, Year)", never the name of a
file: where the author or the date is not known it says so ("autor no indicado", "s. f.")
rather than guess.

A criterion's source carries either a ``quote`` (the guideline's own words, shown in
quotation marks; a list of fragments is shown joined by "[…]") or a ``paraphrase`` (the
rubric's summary, always shown labelled as such), never both: a reader must be able to tell
what the guideline says from what the rubric makes of it. A test checks every quote word for
word against the guideline texts when they are at hand (the ``file`` of an entry is only that
key; it is never shown).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from audit.messages import text

__all__ = ["BIBLIOGRAPHY", "PASSAGE_KINDS", "Source", "bibliography", "citation", "passage",
           "passage_kind", "quote_fragments", "reference"]

BIBLIOGRAPHY = Path(__file__).resolve().parents[2] / "rubrics" / "sources.yaml"
PASSAGE_KINDS = ("quote", "paraphrase")
_FIELDS = ("title", "author", "year", "published_in", "address")


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    author: str | None
    year: str | None
    published_in: str | None
    address: str | None
    note: dict[str, str] | None
    file: str | None


@lru_cache(maxsize=1)
def bibliography() -> dict[str, Source]:
    """Source id -> its entry, from rubrics/sources.yaml (read once per process)."""
    data = yaml.safe_load(BIBLIOGRAPHY.read_text(encoding="utf-8")) or {}
    entries = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(entries, dict) or not entries:
        raise ValueError(f"{BIBLIOGRAPHY.name}: expected a mapping 'sources' of entries")
    out = {}
    for sid, entry in entries.items():
        if not isinstance(entry, dict) or not entry.get("title"):
            raise ValueError(f"{BIBLIOGRAPHY.name}: sources.{sid}: expected a 'title'")
        values = {k: None if entry.get(k) is None else str(entry[k]) for k in _FIELDS}
        out[str(sid)] = Source(id=str(sid), note=entry.get("note"), file=entry.get("file"),
                               **values)
    return out


def citation(source_id: str, lang: str) -> str:
    """The short citation a reader sees: "Title (Author, Year)"."""
    entry = bibliography()[source_id]
    return text("cite.citation", lang, title=entry.title,
                author=entry.author or text("cite.no_author", lang),
                year=entry.year or text("cite.no_date", lang))


def reference(source_id: str, lang: str) -> str:
    """The full entry of a reference list: author, year, title, where published, address."""
    entry = bibliography()[source_id]
    parts = [f"{entry.author or text('cite.no_author', lang)} "
             f"({entry.year or text('cite.no_date', lang)}). {entry.title}."]
    if entry.published_in:
        parts.append(f"{entry.published_in}.")
    if entry.note:
        parts.append(" ".join(entry.note[lang].split()))
    if entry.address:
        parts.append(entry.address)
    return " ".join(parts)


def passage_kind(source: dict) -> str:
    """``quote`` or ``paraphrase``: which one a criterion's source block carries."""
    return "quote" if "quote" in source else "paraphrase"


def quote_fragments(source: dict) -> list[str]:
    """The verbatim fragments of a source's quote, each on one line ([] for a paraphrase)."""
    quote = source.get("quote")
    if quote is None:
        return []
    return [" ".join(str(part).split()) for part in ([quote] if isinstance(quote, str)
                                                     else quote)]


def passage(source: dict, lang: str) -> str:
    """The passage as a reader sees it: a quote in quotation marks, or a paraphrase
    labelled as one."""
    if passage_kind(source) == "quote":
        return text("cite.quote", lang, quote=" […] ".join(quote_fragments(source)))
    return text("cite.paraphrase", lang, paraphrase=" ".join(str(source["paraphrase"]).split()))
