"""The PDF scorecard of one institution: one or two A4 pages for the director who signs the
audit off, in the audit's language.

    header     institution, sector, country, audit date
    level      maturity level, what it means (the rubric's description) and why not higher
    figures    overall score, coverage, standing in its sector, live profiles
    chart      dimensions against the sector median and the peer group (chart.py)
    networks   every profile's status, problems first
    risks      abandoned profiles and risk criteria below target
    actions    the plan's first actions with horizon and owner role
    progress   change since the previous stored audit and the trend, when a history holds
               one (pdf_progress.py); each action then says how many audits in a row
               raised it
    sources    input files with their sha256, rubric id, version and sha256

Every number and sentence comes from the audit result as the app's scorecard page shows it
(level, reasons, next level, evidence, plan): nothing is scored again here. Long lists are
cut with a line saying how many rows the CSV files hold beyond them, never silently.
"""

from __future__ import annotations

import io
import re

import pandas as pd

from audit._version import __version__
from audit.history import Since
from audit.ingest.contract import NETWORK_LABELS, SECTOR_LABELS
from audit.messages import number, percent, text
from audit.peers.clusters import percentiles
from audit.report.chart import dimension_chart_svg, dimension_frame
from audit.report.pdf_document import ACCENT, MUTED, SHADE, Document, printable
from audit.report.pdf_progress import in_a_row_note, progress_section
from audit.result import AuditResult

__all__ = ["MAX_PROFILES", "MAX_RISKS", "audit_date", "footer", "scorecard_pdf",
           "sector_label"]

MAX_PROFILES = 12  # rows of the networks table; the rest are counted, in profiles.csv
MAX_RISKS = 5  # the main ones; the rest are counted
# Problems first: a director reads the top of the list (the app's order).
STATUS_ORDER = {"abandoned": 0, "inactive": 1, "no_data": 2, "irregular": 3, "active": 4}


def scorecard_pdf(result: AuditResult, institution: str,
                  progress: Since | None = None) -> bytes:
    """The scorecard of ``institution`` as PDF bytes, in ``result.lang``. ``progress``: its
    change since its previous stored audit (``audit.history.since_previous``), or None when
    there is no history or no earlier audit of it."""
    lang = result.lang
    card = result.scorecard.institutions
    row = card.loc[institution]
    sector = sector_label(row["sector"], lang)
    pdf = Document(title=text("pdf.scorecard_title", lang, institution=institution),
                   lang=lang, as_of=result.data.as_of, footer=footer(result))
    pdf.set_subject(text("pdf.scorecard_kind", lang))
    _header(pdf, result, institution, row, sector)
    _level(pdf, result, row)
    _figures(pdf, result, institution, row)
    _chart(pdf, result, institution, sector)
    _networks(pdf, result, institution)
    _risks(pdf, result, institution)
    _actions(pdf, result, institution, {} if progress is None else progress.in_a_row())
    if progress is not None:
        progress_section(pdf, lang, progress)
    _sources(pdf, result)
    return bytes(pdf.output())


def footer(result: AuditResult) -> str:
    """The line under every page: audit date, rubric and its sha256, software version."""
    rubric = result.rubric
    return text("ui.footer", result.lang, as_of=audit_date(result), rubric=rubric.id,
                version=rubric.version, sha=rubric.sha256[:12], software=__version__)


def audit_date(result: AuditResult) -> str:
    """'31 de octubre de 2026' / '31 October 2026'."""
    day, lang = result.data.as_of, result.lang
    month = text(f"ui.months.{day.month}", lang)
    return text("pdf.date", lang, day=day.day, month=month, year=day.year)


def sector_label(value: object, lang: str) -> str:
    if pd.isna(value) or value == "":
        return text("ui.no_sector", lang)
    labels = SECTOR_LABELS.get(value)
    return labels[0 if lang == "es" else 1] if labels else str(value)


def _score(value: float, lang: str) -> str:
    return text("ui.not_evaluated", lang) if pd.isna(value) else number(round(value), lang)


def _header(pdf: Document, result: AuditResult, institution: str, row: pd.Series,
            sector: str) -> None:
    lang = result.lang
    pdf.text_block(text("pdf.scorecard_kind", lang), 8, color=MUTED)
    pdf.ln(0.5)
    pdf.text_block(institution, 16, bold=True, height=7.2)
    pdf.ln(0.5)
    country = "" if pd.isna(row["country"]) else f" · {row['country']}"
    pdf.text_block(f"{sector}{country} · {text('pdf.audit_date', lang, date=audit_date(result))}",
                   9, color=MUTED)
    pdf.ln(1.5)
    pdf.rule()


def _level(pdf: Document, result: AuditResult, row: pd.Series) -> None:
    """The level as the app's scorecard says it: its label and meaning, then the next
    level's distance and the reasons it is not reached, from the scorecard's own columns."""
    lang, levels = result.lang, result.rubric.levels
    level = row["maturity_level"]
    why, ahead = row[f"maturity_capped_{lang}"], row[f"next_level_{lang}"]
    pdf.ln(2)
    if pd.isna(level):
        headline = text("pdf.level_none", lang, state=text(
            "ui.insufficient_data" if why else "ui.not_evaluated", lang))
        meaning, note = "", why or text("ui.no_level", lang)
    else:
        spec = next(lv for lv in levels if lv["level"] == int(level))
        headline = text("pdf.level", lang, level=int(level), top=len(levels),
                        label=spec["label"][lang])
        meaning = (spec.get("description") or {}).get(lang, "")
        note = ". ".join(part for part in (ahead, why) if part) or text("ui.top_level", lang)
    pdf.text_block(headline, 13, bold=True, color=ACCENT, height=6.5)
    if meaning:
        pdf.text_block(meaning, 9)
    pdf.ln(1)
    pdf.text_block(f"{text('ui.why_not_higher', lang)}: {note}", 9, bold=True)


def _figures(pdf: Document, result: AuditResult, institution: str, row: pd.Series) -> None:
    lang = result.lang
    card = result.scorecard.institutions
    rank = percentiles(card)["overall_score"][institution]
    profiles = _profiles(result, institution)
    live = int(profiles["status"].isin(["active", "irregular"]).sum())
    figures = [
        (text("ui.overall", lang), text("ui.out_of_100", lang,
                                        score=_score(row["overall_score"], lang))),
        (text("ui.coverage", lang), percent(row["coverage"], lang)),
        (text("ui.sector_position", lang), text("ui.not_evaluated", lang) if pd.isna(rank)
         else text("ui.percentile_value", lang, p=number(rank, lang))),
        (text("ui.active_profiles", lang), text("ui.active_value", lang, active=live,
                                                total=len(profiles))),
    ]
    pdf.ln(2.5)
    width = pdf.epw / len(figures)
    top = pdf.get_y()
    pdf.set_fill_color(*SHADE)
    pdf.rect(pdf.l_margin, top, pdf.epw, 13, style="F")
    for i, (label, value) in enumerate(figures):
        pdf.set_xy(pdf.l_margin + i * width + 2, top + 1.5)
        pdf.style(7.5, color=MUTED)
        pdf.cell(width - 4, 4, printable(label))
        pdf.set_xy(pdf.l_margin + i * width + 2, top + 6)
        pdf.style(12, bold=True)
        pdf.cell(width - 4, 6, printable(value))
    pdf.set_xy(pdf.l_margin, top + 14)


def _chart(pdf: Document, result: AuditResult, institution: str, sector: str) -> None:
    frame = dimension_frame(result, institution, sector)
    pdf.heading(text("pdf.chart_title", result.lang))
    if frame.peer is not None:
        pdf.text_block(text("pdf.chart_peer_note", result.lang, peer=frame.peer), 7.5,
                       color=MUTED)
    svg = dimension_chart_svg(frame, result.lang)
    width = pdf.epw
    height = width * _svg_ratio(svg)
    if pdf.will_page_break(height):
        pdf.add_page()
    pdf.image(io.BytesIO(svg), x=pdf.l_margin, w=width, h=height)


def _svg_ratio(svg: bytes) -> float:
    """Height over width of an SVG drawn by matplotlib (its viewBox)."""
    box = re.search(rb'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    return float(box[2]) / float(box[1])


def _profiles(result: AuditResult, institution: str) -> pd.DataFrame:
    profiles = result.profiles
    return profiles[profiles["institution"] == institution]


def _networks(pdf: Document, result: AuditResult, institution: str) -> None:
    lang = result.lang
    profiles = _profiles(result, institution)
    order = profiles["status"].map(STATUS_ORDER).fillna(len(STATUS_ORDER))
    profiles = profiles.assign(_order=order).sort_values(["_order", "network", "handle"])
    pdf.heading(text("ui.networks", lang))
    rows = [[text(f"pdf.col_{c}", lang) for c in ("network", "profile", "status", "last_post",
                                                     "per_week")]]
    for row in profiles.head(MAX_PROFILES).itertuples():
        days = row.days_since_last_post
        rows.append([NETWORK_LABELS.get(row.network, str(row.network)), f"@{row.handle}",
                     text(f"ui.status_words.{row.status}", lang),
                     text("pdf.no_date", lang) if pd.isna(days) else
                     text("pdf.days_ago", lang, days=number(days, lang)),
                     "—" if pd.isna(row.posts_per_week) else number(row.posts_per_week, lang)])
    pdf.grid(rows, (0.17, 0.37, 0.15, 0.18, 0.13), aligns=("LEFT",) * 4 + ("RIGHT",))
    if len(profiles) > MAX_PROFILES:
        pdf.text_block(text("pdf.more_profiles", lang, n=len(profiles) - MAX_PROFILES), 8,
                       color=MUTED)


def risks(result: AuditResult, institution: str) -> list[tuple[str, str]]:
    """(headline, detail) of each of the institution's risks (``AuditResult.risks``, the
    same list as the app's scorecard), worded for the PDF."""
    lang = result.lang
    labels = {(d["id"], c["id"]): c["label"][lang] for d, c in result.rubric.criteria()}
    found = []
    for risk in result.risks(institution):
        if risk.kind == "abandoned" and risk.days is None:
            found.append((text("ui.risk_abandoned_nodate", lang, profile=risk.profile), ""))
        elif risk.kind == "abandoned":
            found.append((text("ui.risk_abandoned", lang, profile=risk.profile,
                               days=number(risk.days, lang)), ""))
        else:
            found.append((text("pdf.risk_criterion", lang, criterion=labels[risk.criterion],
                               score=_score(risk.score, lang)), risk.evidence[lang]))
    return found


def _risks(pdf: Document, result: AuditResult, institution: str) -> None:
    lang = result.lang
    found = risks(result, institution)
    pdf.heading(text("ui.risks", lang))
    if not found:
        pdf.text_block(text("ui.no_risks", lang), 9)
    for headline, detail in found[:MAX_RISKS]:
        pdf.text_block(f"• {headline}", 9, bold=True)
        if detail:
            pdf.text_block(detail, 8, color=MUTED, indent=3)
    if len(found) > MAX_RISKS:
        pdf.text_block(text("pdf.more_risks", lang, n=len(found) - MAX_RISKS), 8, color=MUTED)


def plan(result: AuditResult, institution: str) -> pd.DataFrame:
    """The institution's plan: its first actions in rank order (the rubric's plan size)."""
    actions = result.recommendations
    return actions[(actions["institution"] == institution) & actions["in_plan"]] \
        .sort_values("rank")


def _actions(pdf: Document, result: AuditResult, institution: str,
             in_a_row: dict[str, int]) -> None:
    """The plan's first actions; ``in_a_row``: action_id -> audits in a row that raised it
    (from the history; empty without one)."""
    lang = result.lang
    top = plan(result, institution)
    pdf.heading(text("ui.top_actions", lang, n=len(top)))
    if top.empty:
        pdf.text_block(text("ui.no_actions", lang), 9)
    dimensions = {d["id"]: d["label"][lang] for d in result.rubric.dimensions}
    horizons = result.rubric.horizons
    for row in top.itertuples():
        if pdf.will_page_break(14):
            pdf.add_page()
        title = f"{row.rank}. {getattr(row, f'action_{lang}')}"
        pdf.text_block(in_a_row_note(title, in_a_row.get(row.action_id, 1), lang), 9,
                       bold=True)
        pdf.text_block(text("pdf.action_meta", lang, span=horizons[row.horizon]["span"][lang],
                            owner=text(f"pdf.owner.{row.dimension}", lang),
                            dimension=dimensions[row.dimension]), 8, color=MUTED, indent=4)
        pdf.ln(0.8)


def _sources(pdf: Document, result: AuditResult) -> None:
    lang, rubric = result.lang, result.rubric
    pdf.heading(text("pdf.sources", lang), 9.5)
    for item in result.read.inputs:
        pdf.text_block(text("pdf.source_file", lang, name=item.name, sha=item.sha256[:12]),
                       7.5, color=MUTED)
    pdf.text_block(text("pdf.source_rubric", lang, label=rubric.label[lang], id=rubric.id,
                        version=rubric.version, sha=rubric.sha256[:12]), 7.5, color=MUTED)
