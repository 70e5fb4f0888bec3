"""The PDFs of an audit, written to a folder: one scorecard per institution and the group
report.

    OUT/pdf/<slug>.pdf          the scorecard of each institution (pdf_scorecard.py)
    OUT/pdf/group_report.pdf    every institution on one table (pdf_group.py)

A slug is the institution's name in lower-case ASCII letters and digits joined by "-"
("Alcaldía de Puerto Alondra" -> "alcaldia-de-puerto-alondra"), cut at 60 characters; a
name with no such letter (only emoji, say) or two names that give the same slug get the
first 8 hex digits of the name's sha256 after it, so every institution has its own file.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from audit.history import Since
from audit.messages import Message, msg
from audit.report.pdf_group import group_report_pdf
from audit.report.pdf_scorecard import scorecard_pdf
from audit.report.write import GROUP_FILE, PDF_FOLDER, write_atomic
from audit.result import AuditResult

__all__ = ["GROUP_FILE", "PDF_FOLDER", "UnknownInstitution", "pdf_names", "write_pdfs"]

_SLUG_LENGTH = 60
_CLOSE_MATCHES = 3


class UnknownInstitution(ValueError):
    """An institution asked for by name that the audit does not hold; ``message`` names
    the closest ones."""

    def __init__(self, message: Message):
        super().__init__(message.render("en"))
        self.message = message


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:_SLUG_LENGTH].strip("-")


def pdf_names(institutions: list[str]) -> dict[str, str]:
    """Each institution's file name, unique within the audit."""
    slugs = {name: _slug(name) for name in institutions}
    seen: dict[str, int] = {}
    for slug in slugs.values():
        seen[slug] = seen.get(slug, 0) + 1
    names = {}
    for name, slug in slugs.items():
        if not slug or seen[slug] > 1 or slug == GROUP_FILE.removesuffix(".pdf"):
            digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
            slug = f"{slug}-{digest}" if slug else digest
        names[name] = f"{slug}.pdf"
    return names


def _check_name(institution: str, known: list[str]) -> None:
    if institution in known:
        return
    close = difflib.get_close_matches(institution.casefold(),
                                      [k.casefold() for k in known], n=_CLOSE_MATCHES,
                                      cutoff=0.5)
    by_folded = {k.casefold(): k for k in known}
    if close:
        raise UnknownInstitution(msg("pdf.unknown_institution", name=institution,
                                     close=", ".join(by_folded[c] for c in close)))
    raise UnknownInstitution(msg("pdf.unknown_institution_none", name=institution))


def write_pdfs(result: AuditResult, out_dir: str | Path, institution: str | None = None,
               since: Mapping[str, Since] | None = None) -> list[Path]:
    """Write the scorecard of every institution and the group report into ``out_dir/pdf``;
    with ``institution``, only that institution's scorecard; with ``since`` (from the
    history), each scorecard shows the change since its institution's previous audit.
    Raises UnknownInstitution for a name the audit does not hold (before writing anything)."""
    since = since or {}
    known = list(result.scorecard.institutions.index)
    if institution is not None:
        _check_name(institution, known)
    folder = Path(out_dir) / PDF_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    names = pdf_names(known)
    written = []
    for name in [institution] if institution is not None else known:
        path = folder / names[name]
        write_atomic(path, scorecard_pdf(result, name, since.get(name)))
        written.append(path)
    if institution is None:
        path = folder / GROUP_FILE
        write_atomic(path, group_report_pdf(result))
        written.append(path)
    return written
