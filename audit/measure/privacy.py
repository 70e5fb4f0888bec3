"""Privacy settings of one audit: whether citizens' texts may be quoted, and the key of
their pseudonyms.

Citizens' comments and messages are read to measure how an institution answers, not to be
repeated: by default no output quotes them, and evidence says how many there are and where
they are in the input (``quote_citizens`` off). An auditor who needs the words turns quoting
on; the quotes are then masked (``audit.measure.text.personal_data``). A citizen is shown
only as a keyed pseudonym, ``ciudadano-3f9a2c1e``: HMAC-SHA256 of the author with a random
key drawn for each audit and kept in memory, never written, so the same person has one
pseudonym within an audit and none can be traced back to a name or linked across audits.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

from audit.messages import Message, msg

__all__ = ["PSEUDONYM_HEX", "Privacy", "pseudonym"]

#: Hex digits of a pseudonym: 32 bits, so that two of ten thousand authors share one with
#: a chance near 1 %.
PSEUDONYM_HEX = 8


@dataclass(frozen=True)
class Privacy:
    """``quote_citizens``: citizens' texts may be quoted (masked); ``key``: the audit's
    pseudonym key, drawn at random, left out of every representation."""

    quote_citizens: bool = False
    key: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False,
                       compare=False)

    def code(self, author: object) -> str | None:
        """The author's code in this audit (the pseudonym's hex digits), or None for an
        empty author; "@Ana" and "ana" are one author."""
        if not isinstance(author, str) or not author.strip():
            return None
        folded = author.strip().lstrip("@").casefold().encode("utf-8")
        return hmac.new(self.key, folded, hashlib.sha256).hexdigest()[:PSEUDONYM_HEX]

    def record(self) -> dict:
        """What audit.json records: the setting, never the key."""
        return {"quote_citizens": self.quote_citizens, "citizen_authors": "keyed pseudonyms",
                "personal_data_in_quotes": "masked"}


def pseudonym(code: str | None) -> Message | None:
    """A citizen as evidence names one: "ciudadano-3f9a2c1e" ("citizen-..."); None without
    an author."""
    return msg("privacy.pseudonym", code=code) if code else None
