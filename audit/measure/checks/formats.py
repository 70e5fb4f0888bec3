"""Small helpers for writing evidence: profiles named as a reader expects, items listed.
Numbers and percentages are the catalogue's own formats (``audit.messages``)."""

from __future__ import annotations

from audit.ingest.contract import NETWORK_LABELS
from audit.messages import Message, msg

__all__ = ["commas", "profile_name"]


def commas(items: list) -> Message:
    """Evidence items written "a, b, c" (a list value in a message is joined with "; ")."""
    if len(items) == 1:
        return msg("evidence.joined", items=items)
    return msg("evidence.comma", first=items[0], rest=commas(items[1:]))


def profile_name(network: str, handle: str) -> str:
    """('instagram', 'ayto') -> 'Instagram @ayto'."""
    label = NETWORK_LABELS.get(network, str(network).capitalize())
    return f"{label} @{handle}" if network != "blog" else f"{label} {handle}"
