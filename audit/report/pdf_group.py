"""The group report: every institution of a multi-institution audit on one table, for the
commissioner who reads them side by side (A4 landscape, headers repeated on every page).

Rows are sorted by level, then overall score (highest first); institutions without a level
(insufficient data) come last, so the table reads from the most to the least mature. The
columns are the scorecard's own: sector, country, level and its label, overall score,
coverage and every dimension of the rubric, with "—" where a dimension was not evaluated.
"""

from __future__ import annotations

import pandas as pd

from audit.messages import number, percent, text
from audit.report.pdf_document import MUTED, Document
from audit.report.pdf_scorecard import audit_date, footer, sector_label
from audit.result import AuditResult

__all__ = ["group_order", "group_report_pdf"]


def group_order(result: AuditResult) -> pd.DataFrame:
    """The scorecard's institutions in the report's order."""
    card = result.scorecard.institutions
    return card.assign(_name=card.index.str.casefold()).sort_values(
        ["maturity_level", "overall_score", "_name"], ascending=[False, False, True],
        na_position="last").drop(columns="_name")


def group_report_pdf(result: AuditResult) -> bytes:
    """The group report as PDF bytes, in ``result.lang``."""
    lang = result.lang
    card = group_order(result)
    pdf = Document(title=text("pdf.group_title", lang, n=len(card)), lang=lang,
                   as_of=result.data.as_of, footer=footer(result), orientation="landscape")
    pdf.set_subject(text("pdf.group_kind", lang))
    pdf.text_block(text("pdf.group_kind", lang), 8, color=MUTED)
    pdf.text_block(text("pdf.group_title", lang, n=len(card)), 16, bold=True, height=7.2)
    pdf.text_block(text("pdf.audit_date", lang, date=audit_date(result)), 9, color=MUTED)
    pdf.ln(1)
    pdf.text_block(_distribution(result, card), 9)
    pdf.text_block(text("pdf.group_order", lang), 8, color=MUTED)
    pdf.ln(2)
    dimensions = result.rubric.dimensions
    header = [text("pdf.col_institution", lang), text("pdf.col_sector", lang),
              text("pdf.col_country", lang), text("pdf.col_level", lang),
              text("ui.overall", lang), text("ui.coverage", lang),
              *(d["label"][lang] for d in dimensions)]
    rows = [header]
    for name, row in card.iterrows():
        rows.append([name, sector_label(row["sector"], lang),
                     "" if pd.isna(row["country"]) else row["country"], _level(row, lang),
                     _score(row["overall_score"], lang), percent(row["coverage"], lang),
                     *(_score(row[d["id"]], lang) for d in dimensions)])
    share = 0.43 / len(dimensions)
    pdf.grid(rows, (0.17, 0.09, 0.07, 0.11, 0.065, 0.065, *(share,) * len(dimensions)),
             size=7.5, aligns=("LEFT",) * 4 + ("RIGHT",) * (2 + len(dimensions)))
    return bytes(pdf.output())


def _score(value: float, lang: str) -> str:
    return "—" if pd.isna(value) else number(round(value), lang)


def _level(row: pd.Series, lang: str) -> str:
    """'3 · En desarrollo', or why there is no level."""
    level = row["maturity_level"]
    if pd.isna(level):
        return text("ui.insufficient_data" if row[f"maturity_capped_{lang}"]
                    else "ui.not_evaluated", lang)
    return f"{int(level)} · {row[f'maturity_label_{lang}']}"


def _distribution(result: AuditResult, card: pd.DataFrame) -> str:
    """How many institutions reached each level: the headline for a commissioner."""
    lang = result.lang
    counts = card["maturity_level"].value_counts(dropna=False)
    parts = [text("pdf.group_level_count", lang, level=spec["level"],
                  label=spec["label"][lang], n=int(counts.get(spec["level"], 0)))
             for spec in sorted(result.rubric.levels, key=lambda s: -s["level"])]
    missing = int(card["maturity_level"].isna().sum())
    if missing:
        parts.append(text("pdf.group_no_level", lang, n=missing))
    return " · ".join(parts)
