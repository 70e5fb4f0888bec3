"""The dimensions chart of the PDF scorecard: one institution against its sector and its peer
group, drawn with matplotlib as vector graphics.

Why matplotlib and not the app's Altair chart rendered by vl-convert: matplotlib already ships
the font the PDF uses, draws to SVG in pure Python (no JavaScript engine, no browser, nothing
fetched at run time) and is deterministic once its SVG ids and date are fixed. The SVG keeps
its text as text (``svg.fonttype: none``), which fpdf2 prints in the PDF's own DejaVu Sans:
vector, searchable, and far faster to embed than text drawn as glyph outlines.

The data are the app's: the scorecard's dimension scores and the median of each dimension
over the institutions of the same sector (as the scorecard page draws it), plus the median
over the institution's peer cluster.

Like the app's chart, meaning is carried by the kind of mark and by text, never by hue alone:
a bar is the institution, a thick vertical tick the sector median, a hollow diamond the
peer-group median, and each row ends with the score written out (or "sin evaluar").
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from audit.messages import number, text
from audit.report.pdf_document import printable
from audit.result import AuditResult

__all__ = ["DimensionFrame", "dimension_chart_svg", "dimension_frame"]

_BAR, _INK, _MUTED = "#4c78a8", "#262730", "#5f636e"
_WIDTH_IN, _ROW_IN, _EXTRA_IN = 7.1, 0.3, 0.75  # figure width, height per row, legend/axis
# Every colour set (fpdf2 draws matplotlib's default black text pale); fixed SVG ids.
_STYLE = {"font.family": "DejaVu Sans", "font.size": 8.5, "text.color": _INK,
          "axes.labelcolor": _MUTED, "xtick.color": _MUTED, "ytick.color": _INK,
          "xtick.labelcolor": _MUTED, "ytick.labelcolor": _INK, "legend.labelcolor": _INK,
          "svg.hashsalt": "audit-pdf", "svg.fonttype": "none"}
# No <metadata> block (fpdf2 warns about it) and no date: the same chart gives the same bytes.
_NO_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}


@dataclass(frozen=True)
class DimensionFrame:
    """One row per dimension (``label``, ``score``, ``sector_median``, ``peer_median``) and
    how many institutions each comparison stands on; ``peer`` is None when the institution
    is in no peer cluster."""

    rows: pd.DataFrame
    sector: str
    sector_size: int
    peer: str | None
    peer_size: int


def dimension_frame(result: AuditResult, institution: str, sector: str) -> DimensionFrame:
    """The institution's dimension scores with the medians of its sector (``sector`` is
    its label for the reader) and of its peer cluster."""
    card = result.scorecard.institutions
    lang = result.lang
    same_sector = card[card["sector"].fillna("") == _blank(card.loc[institution, "sector"])]
    members, peer = _peer_members(result, institution)
    rows = []
    for dimension in result.rubric.dimensions:
        key = dimension["id"]
        rows.append({"dimension": key, "label": dimension["label"][lang],
                     "score": card.loc[institution, key],
                     "sector_median": same_sector[key].median(),
                     "peer_median": card.loc[members, key].median() if peer else np.nan})
    return DimensionFrame(pd.DataFrame(rows), sector, len(same_sector), peer, len(members))


def _blank(value: object) -> object:
    return "" if pd.isna(value) else value


def _peer_members(result: AuditResult, institution: str) -> tuple[list[str], str | None]:
    """The institutions of ``institution``'s peer cluster and the cluster's name."""
    peers = result.peers
    if peers is None or not peers.ok or institution not in peers.assignments.index:
        return [], None
    assigned = peers.assignments
    cluster = assigned.loc[institution, "cluster"]
    members = list(assigned.index[assigned["cluster"] == cluster])
    label = assigned.loc[institution, f"cluster_label_{result.lang}"]
    return members, text("pdf.peer_group", result.lang, number=int(cluster), label=label)


def dimension_chart_svg(frame: DimensionFrame, lang: str) -> bytes:
    """The chart as SVG bytes, the same bytes for the same frame; its texts are limited to
    what the PDF's font prints (pdf_document.printable)."""
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    rows = frame.rows
    n = len(rows)
    positions = np.arange(n)[::-1]
    with matplotlib.rc_context(_STYLE):
        figure = Figure(figsize=(_WIDTH_IN, _ROW_IN * n + _EXTRA_IN))
        FigureCanvasSVG(figure)
        axes = figure.add_axes((0.25, 0.3, 0.62, 0.66))
        axes.barh(positions, rows["score"].fillna(0.0), height=0.62, color=_BAR)
        axes.scatter(rows["sector_median"], positions, marker="|", s=260, linewidths=2.6,
                     color=_INK, zorder=3)
        handles = [Patch(color=_BAR, label=text("pdf.chart_bar", lang)),
                   Line2D([], [], color=_INK, marker="|", markersize=11, markeredgewidth=2.6,
                          linestyle="none", label=text("pdf.chart_sector", lang,
                                                       sector=printable(frame.sector),
                                                       n=frame.sector_size))]
        if frame.peer is not None:
            axes.scatter(rows["peer_median"], positions, marker="D", s=38, facecolors="white",
                         edgecolors=_INK, linewidths=1.3, zorder=4)
            handles.append(Line2D([], [], color=_INK, marker="D", markerfacecolor="white",
                                  markersize=6, linestyle="none",
                                  label=text("pdf.chart_peer", lang, n=frame.peer_size)))
        for y, score in zip(positions, rows["score"], strict=True):
            written = text("ui.not_evaluated", lang) if pd.isna(score) else \
                number(round(score), lang)
            axes.text(103, y, written, va="center", ha="left", fontsize=8.5,
                      fontweight="bold", color=_INK if pd.notna(score) else _MUTED,
                      clip_on=False)
        axes.set_xlim(0, 100)
        axes.set_ylim(-0.6, n - 0.4)
        axes.set_yticks(positions, [printable(label) for label in rows["label"]])
        axes.set_xlabel(text("pdf.chart_x", lang))
        axes.tick_params(axis="y", length=0)
        axes.grid(axis="x", color="#dddddd", linewidth=0.6)
        axes.set_axisbelow(True)
        for side in ("top", "right", "left"):
            axes.spines[side].set_visible(False)
        figure.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.01, 0.0),
                      ncol=len(handles), frameon=False, fontsize=7.5, handlelength=1.4)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata=_NO_METADATA)
    # matplotlib writes font sizes in "px" meaning the drawing's own unit (its viewBox is in
    # points); fpdf2 reads px as 0.75 pt, so the text would print a quarter smaller.
    return re.sub(rb"font-size: ([\d.]+)px", rb"font-size: \1pt", buffer.getvalue())
