"""The page every PDF of the audit is printed on: A4, a Unicode font, text that cannot break
the layout, and metadata that make the same audit give the same file.

Why each choice:
- Font: DejaVu Sans, the TTF that matplotlib ships in its own package data. It prints every
  letter of Spanish and English, dashes, arrows and "□", and it comes with a pinned
  dependency, so the PDF looks the same on every machine; a system font would not.
- Glyphs the font lacks (emoji, most symbols outside its coverage) are printed as "□", one
  per character, so a reader sees that something was there; characters with no glyph of
  their own (zero-width joiners, direction marks, variation selectors) are dropped, so a
  family emoji is one □ per person, not a row of boxes for its joiners. Control characters become
  spaces. Right-to-left text prints in its stored order, letter by letter (no shaping).
- Text is never Markdown nor a link: an institution named ``=HYPERLINK(...)`` or ``**x**``
  is printed as written. A word longer than its line is cut between characters (fpdf2 does
  so when no space is left to break at).
- Reproducibility: the creation date is the audit date (not the clock) and fpdf2 derives the
  file identifier from the content, so the same audit gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from functools import lru_cache
from pathlib import Path

import matplotlib
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from audit._version import __version__

__all__ = ["FONT", "MISSING_GLYPH", "Document", "font_path", "printable"]

FONT = "DejaVu Sans"
MISSING_GLYPH = "□"
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
INK = (38, 39, 48)
MUTED = (95, 99, 110)
ACCENT = (76, 120, 168)
RULE = (200, 203, 210)
SHADE = (238, 241, 246)


def font_path(style: str = "") -> Path:
    """The DejaVu Sans file matplotlib ships (``style`` "" or "B")."""
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / _FONT_FILES[style]


@lru_cache(maxsize=1)
def _covered() -> frozenset[int]:
    """Code points that both the regular and the bold font can print."""
    from fontTools.ttLib import TTFont

    maps = []
    for style in _FONT_FILES:
        with TTFont(font_path(style), lazy=True) as font:
            maps.append(set(font.getBestCmap()))
    return frozenset(maps[0] & maps[1])


def printable(value: object) -> str:
    """``value`` as text the font can print: each missing glyph as □, format characters
    (joiners, direction marks) and marks without a glyph dropped, controls as spaces."""
    covered = _covered()
    out = []
    for char in unicodedata.normalize("NFC", str(value)):
        kind = unicodedata.category(char)
        if kind == "Cf" or 0xFE00 <= ord(char) <= 0xFE0F:
            continue  # joiner, direction mark, soft hyphen, variation selector: unseen
        if ord(char) in covered:
            out.append(char)
        elif kind == "Cc":
            out.append(" ")
        elif kind in ("Mn", "Me"):
            continue  # a mark the font lacks (a keycap frame): no glyph of its own
        else:
            out.append(MISSING_GLYPH)
    return "".join(out)


class Document(FPDF):
    """An A4 page in DejaVu Sans with a footer line and page numbers, for one audit."""

    def __init__(self, *, title: str, lang: str, as_of: dt.date, footer: str,
                 orientation: str = "portrait"):
        super().__init__(orientation=orientation, unit="mm", format="A4")
        for style in _FONT_FILES:
            self.add_font(FONT, style, font_path(style))
        self.set_margins(15, 14, 15)
        self.set_auto_page_break(True, margin=16)
        self.footer_text = printable(footer)
        self.set_title(printable(title))
        self.set_lang(lang)
        self.set_creator(f"audit {__version__}")
        self.set_creation_date(dt.datetime.combine(as_of, dt.time(), dt.UTC))
        self.set_text_color(*INK)
        self.set_draw_color(*RULE)
        self.alias_nb_pages("{nb}")
        self.add_page()

    def footer(self) -> None:
        self.set_y(-12)
        self.style(7, color=MUTED)
        self.cell(self.epw - 20, 4, self.footer_text)
        self.cell(20, 4, f"{self.page_no()}/{{nb}}", align="R")

    def style(self, size: float, bold: bool = False, color: tuple = INK) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.set_text_color(*color)

    def text_block(self, value: object, size: float = 9, *, bold: bool = False,
                   color: tuple = INK, width: float = 0, height: float | None = None,
                   indent: float = 0) -> None:
        """A paragraph that wraps at the margin (or ``width``) and cuts over-long words."""
        self.style(size, bold, color)
        self.set_x(self.l_margin + indent)
        self.multi_cell(width or self.epw - indent, height or size * 0.5, printable(value),
                        align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def heading(self, value: str, size: float = 11) -> None:
        """A section title, moved to the next page rather than left alone at the bottom."""
        if self.will_page_break(size * 0.5 + 14):
            self.add_page()
        self.ln(2.5)
        self.text_block(value, size, bold=True, color=ACCENT)
        self.ln(0.8)

    def rule(self) -> None:
        self.line(self.l_margin, self.get_y(), self.l_margin + self.epw, self.get_y())

    def grid(self, rows: list[list[str]], weights: tuple[float, ...], size: float = 8,
             aligns: tuple[str, ...] | None = None) -> None:
        """A table whose first row is its header (a point smaller, repeated on a new page);
        cells wrap, and each column is widened to hold its longest word (see _widths)."""
        rows = [[printable(cell) for cell in row] for row in rows]
        head = FontFace(emphasis="BOLD", color=INK, fill_color=SHADE, size_pt=size - 1)
        widths = self._widths(rows, weights, size)
        self.style(size)
        with self.table(col_widths=widths, width=self.epw, text_align=aligns or "LEFT",
                        headings_style=head, line_height=size * 0.48, padding=_PADDING,
                        borders_layout="HORIZONTAL_LINES", repeat_headings=1) as table:
            for row in rows:
                line = table.row()
                for cell in row:
                    line.cell(cell)

    def _widths(self, rows: list[list[str]], weights: tuple[float, ...],
                size: float) -> tuple[float, ...]:
        """Column widths in mm from ``weights``, each widened to fit its longest word
        (words up to _WORD_FIT characters: longer ones are cut anyway) and the extra taken
        from the columns with room to spare, so that "Transparencia" never wraps as
        "Transpare-ncia". Without room enough the weights stand and words are cut."""
        total = sum(weights)
        widths = [self.epw * w / total for w in weights]
        need = [0.0] * len(widths)
        for r, row in enumerate(rows):
            self.set_font(FONT, "B" if r == 0 else "", size - 1 if r == 0 else size)
            for i, cell in enumerate(row):
                words = [w for w in cell.split() if len(w) <= _WORD_FIT] or [""]
                need[i] = max(need[i], max(self.get_string_width(w) for w in words)
                              + 2 * _PADDING[1] + 0.5)
        deficit = sum(max(0.0, n - w) for n, w in zip(need, widths, strict=True))
        slack = sum(max(0.0, w - n) for n, w in zip(need, widths, strict=True))
        if not deficit or deficit > slack:
            return tuple(widths)
        share = deficit / slack
        return tuple(n if n >= w else w - (w - n) * share
                     for n, w in zip(need, widths, strict=True))


_PADDING = (0.8, 1.2)  # mm: top and bottom, left and right of a table cell
_WORD_FIT = 20  # characters: the longest word a column is widened for
