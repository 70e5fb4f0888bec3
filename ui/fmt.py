"""Numbers, dates, statuses and rubric labels written as a reader of each language expects.

Numbers go through the library's own formatters (``audit.number``, ``audit.percent``) so that
the app and the evidence texts agree: 1.234,5 in Spanish, 1,234.5 in English. User
text shown through Markdown is escaped first, because a handle or an institution name must
never become a link, an emphasis or a Streamlit directive; tables downloaded as CSV go
through ``csv_bytes``, so that no cell runs as a spreadsheet formula.
"""

from __future__ import annotations

import datetime as dt
import math
import re

import pandas as pd

from audit import (
    NETWORK_LABELS,
    SECTOR_LABELS,
    Rubric,
    csv_text,
    number,
    percent,
    profile_name,
)

from .i18n import MONTHS, TEXT

__all__ = [
    "RISK_ICONS",
    "STATUS_ICONS",
    "criterion_labels",
    "csv_bytes",
    "date",
    "dimension_labels",
    "effort",
    "escape_md",
    "is_missing",
    "measured",
    "network",
    "number",
    "p_value",
    "percent",
    "profile_name",
    "score",
    "scoring",
    "sector",
    "status_md",
]

_ANSWERS = {1.0: "yes", 0.5: "partial", 0.0: "no"}  # an answer's score -> its word's key
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&])")


def escape_md(text: object) -> str:
    """User text made inert for ``st.markdown``: every Markdown punctuation mark escaped."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A table to download as CSV, written as the audit's own CSVs are: a cell that a
    spreadsheet would run as a formula (an institution named ``=HYPERLINK(...)``) is not."""
    return csv_text(frame).encode("utf-8")


def is_missing(value: object) -> bool:
    """True for None, NaN and pandas' NA, which the audit uses for 'not evaluated'."""
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def date(value: dt.date | str | None, lang: str) -> str:
    """2026-10-31 -> '31 de octubre de 2026' (es) or '31 October 2026' (en)."""
    if value is None or value == "":
        return "—"
    day = dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value
    month = MONTHS[lang][day.month - 1]
    return f"{day.day} de {month} de {day.year}" if lang == "es" else \
        f"{day.day} {month} {day.year}"


def score(value: float | None, lang: str) -> str:
    """A 0-100 score as a whole number, or 'sin evaluar' / 'not evaluated'."""
    return TEXT[lang]["not_evaluated"] if is_missing(value) else number(round(value), lang)


def measured(value: float | None, unit: str, lang: str) -> str:
    """A criterion's measured value in its unit: shares as percentages, answers as words."""
    if is_missing(value):
        return "—"
    t = TEXT[lang]
    if unit == "share":
        return percent(value, lang)
    if unit == "answer":
        answer = _ANSWERS.get(float(value))
        return t["answers"][answer] if answer else number(value, lang, 2)
    if unit in t["units"]:
        return t["units"][unit].format(v=number(value, lang))
    return number(value, lang, 2)


def effort(value: int, lang: str) -> str:
    """An action's effort, 1-3, in words ('esfuerzo bajo' / 'low effort')."""
    return TEXT[lang]["efforts"][str(int(value))]


# Streamlit's own icon font, so the icons render in any browser (emoji fonts are not a given).
STATUS_ICONS = {"active": ":green[:material/check_circle:]",
                "irregular": ":orange[:material/schedule:]",
                "inactive": ":orange[:material/warning:]",
                "abandoned": ":red[:material/block:]",
                "no_data": ":gray[:material/help:]"}
RISK_ICONS = {"abandoned": ":red[:material/block:]", "criterion": ":orange[:material/warning:]"}


def status_md(value: str, lang: str) -> str:
    """A profile status as Markdown: Streamlit icon and word."""
    word = TEXT[lang]["status_words"].get(value, value)
    return f"{STATUS_ICONS.get(value, '')} {word}"


def sector(value: str, lang: str) -> str:
    """A sector's label; a profiles sheet without a sector gives "Sin sector"."""
    if is_missing(value) or value == "":
        return TEXT[lang]["no_sector"]
    labels = SECTOR_LABELS.get(value)
    return labels[0 if lang == "es" else 1] if labels else str(value)


def network(value: str) -> str:
    return NETWORK_LABELS.get(value, str(value).capitalize())


def dimension_labels(rubric: Rubric, lang: str) -> dict[str, str]:
    return {d["id"]: d["label"][lang] for d in rubric.dimensions}


def criterion_labels(rubric: Rubric, lang: str) -> dict[tuple[str, str], str]:
    return {(d["id"], c["id"]): c["label"][lang] for d, c in rubric.criteria()}


def scoring(block: dict, lang: str) -> str:
    """A criterion's scoring block said in words (the thresholds an auditor can edit)."""
    kinds = TEXT[lang]["scoring_kinds"]
    kind = block.get("type")
    values = {k: number(v, lang, 2) for k, v in block.items() if isinstance(v, int | float)}
    if kind == "steps":
        values["steps"] = ", ".join(f"≤ {number(b, lang, 2)} → {number(s, lang, 2)}"
                                    for b, s in block.get("steps", []))
    template = kinds.get(kind)
    return template.format(**values) if template else str(kind)


def p_value(value: float, lang: str) -> str:
    """A p value with three decimals, always (so that a column of them lines up, 1 included),
    '< 0,001' below that (more digits claim a precision that small samples do not have),
    '—' when there was no test."""
    if is_missing(value):
        return "—"
    if value < 0.001:
        return f"< {number(0.001, lang, 3)}"
    text = f"{value:.3f}"
    return text.replace(".", ",") if lang == "es" else text
