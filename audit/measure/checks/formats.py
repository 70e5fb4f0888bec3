"""Small helpers for writing evidence: numbers and profiles as a reader of each language expects."""

from __future__ import annotations

import math

from audit.ingest.contract import NETWORK_LABELS

__all__ = ["number", "percent", "profile_name"]


def number(value: float, lang: str, digits: int = 1) -> str:
    """1234.5 -> '1.234,5' (es) or '1,234.5' (en); whole numbers without decimals."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    digits = 0 if float(value).is_integer() else digits
    text = f"{value:,.{digits}f}"
    if lang == "es":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def percent(share: float, lang: str) -> str:
    """0.923 -> '92,3 %' (es) or '92.3%' (en)."""
    text = number(100 * share, lang, 1)
    return f"{text} %" if lang == "es" else f"{text}%"


def profile_name(network: str, handle: str) -> str:
    """('instagram', 'ayto') -> 'Instagram @ayto'."""
    label = NETWORK_LABELS.get(network, str(network).capitalize())
    return f"{label} @{handle}" if network != "blog" else f"{label} {handle}"
