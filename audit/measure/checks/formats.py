"""Small helpers for writing evidence: profiles named as a reader expects, items listed.

``number`` and ``percent`` are the catalogue's (``audit.messages``), kept here for the
interface modules that import them from this one."""

from __future__ import annotations

from audit.ingest.contract import NETWORK_LABELS
from audit.messages import Message, msg, number, percent

__all__ = ["commas", "number", "percent", "profile_name"]


def commas(items: list) -> Message:
    """Evidence items written "a, b, c" (a list value in a message is joined with "; ")."""
    if len(items) == 1:
        return msg("evidence.joined", items=items)
    return msg("evidence.comma", first=items[0], rest=commas(items[1:]))


def profile_name(network: str, handle: str) -> str:
    """('instagram', 'ayto') -> 'Instagram @ayto'."""
    label = NETWORK_LABELS.get(network, str(network).capitalize())
    return f"{label} @{handle}" if network != "blog" else f"{label} {handle}"
