"""The blank workbook an auditor fills in, generated from the input contract.

An auditor who starts from scratch should not have to guess sheet names, headers or the
spellings the reader accepts, so the template is written from ``audit.ingest.contract`` rather
than kept as a hand-made file that would drift from it:

    Instrucciones / Instructions   what each sheet and column holds, which are required,
                                   the accepted values and the governance questionnaire
    perfiles      / profiles       header row only (one sheet per contract sheet, in
    publicaciones / posts          contract order; Spanish headers are ``header_es``,
    interacciones / interactions   English ones the canonical ``name``)
    gobernanza    / governance

The same contract always gives the same workbook, byte for byte on one machine:
``save_reproducible`` pins the document properties and the zip entry times, which
``Workbook.save`` would set to the wall clock.
"""

from __future__ import annotations

import zipfile
from datetime import datetime
from typing import IO

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from audit.ingest.contract import (
    GOVERNANCE_ITEMS,
    NETWORKS,
    SECTOR_LABELS,
    SHEETS,
    Column,
    Sheet,
)

__all__ = ["FIXED_TIME", "INSTRUCTIONS_TITLE", "save_reproducible", "write_template"]

# Document properties and zip entry times of generated workbooks: any fixed instant will
# do; what matters is that it never comes from the clock.
FIXED_TIME = datetime(2026, 1, 1, 0, 0, 0)

INSTRUCTIONS_TITLE = {"es": "Instrucciones", "en": "Instructions"}

# How the instructions name values the contract stores as ids.
_NETWORK_LABELS = {
    "facebook": "Facebook (FB)",
    "instagram": "Instagram (IG)",
    "x": "X (Twitter)",
    "youtube": "YouTube (YT)",
    "tiktok": "TikTok",
    "linkedin": "LinkedIn",
    "pinterest": "Pinterest",
    "threads": "Threads",
    "whatsapp": "WhatsApp",
    "telegram": "Telegram",
    "flickr": "Flickr",
    "blog": "blog",
}
_CHOICE_LABELS = {
    "photo": ("foto", "photo"),
    "video": ("vídeo", "video"),
    "link": ("enlace", "link"),
    "text": ("texto", "text"),
    "live": ("directo", "live"),
    "reel": ("reel", "reel"),
    "story": ("historia", "story"),
    "comment": ("comentario", "comment"),
    "mention": ("mención", "mention"),
    "dm": ("mensaje directo", "direct message"),
    "review": ("reseña", "review"),
    **SECTOR_LABELS,
}

_TEXT = {
    "es": {
        "title": "Plantilla de auditoría de redes sociales institucionales",
        "intro": (
            "Rellene una hoja por tipo de dato, una fila por registro, sin cambiar la fila de "
            "encabezados. Solo la hoja «perfiles» es obligatoria: las demás enriquecen la "
            "auditoría y, si faltan, la dimensión que depende de ellas se informa como «no "
            "evaluada», nunca como cero.",
            "Los nombres de hojas y columnas se reconocen sin importar mayúsculas, tildes ni "
            "separadores, en español o en inglés. También se pueden subir, sin editarlas y "
            "sin cambiarles el nombre, las exportaciones de publicaciones de Meta Business "
            "Suite (Facebook e Instagram), CrowdTangle, X Analytics, 4CAT, twarc2 y la API "
            "v2 de Twitter (CSV o JSON), YouTube Studio (el .zip), TikTok Studio, Facepager "
            "y Zeeschuimer (NDJSON), solas, en una "
            "carpeta o en un .zip: sin hoja de perfiles, cada cuenta encontrada es un perfil, "
            "agrupado en una institución por el nombre que muestra. De otras herramientas, "
            "copie las columnas a estas hojas.",
            "Las columnas obligatorias tienen el encabezado en naranja: una fila sin ellas no "
            "se puede usar y aparece en el informe de problemas con su número de fila.",
            "Escriba cada institución y cada cuenta igual en todas las hojas: así se enlazan "
            "las publicaciones y las interacciones con su perfil.",
            "Esta hoja no se lee al auditar; puede dejarla o borrarla.",
        ),
        "sheet": "Hoja «{name}»",
        "required_sheet": "obligatoria",
        "optional_sheet": "opcional",
        "table": ("Columna", "Obligatoria", "Qué contiene", "Valores aceptados"),
        "yes": "sí",
        "no": "no",
        "questionnaire": "Cuestionario de gobernanza (columna «pregunta» de la hoja «gobernanza»)",
        "questionnaire_note": (
            "Una fila por institución y pregunta. En «pregunta» escriba el identificador, el "
            "alias en español o el texto de la pregunta; en «respuesta», sí / parcial / no."
        ),
        "questionnaire_table": ("Identificador", "Alias en español", "Pregunta"),
        "kinds": {
            "text": "Texto libre.",
            "institution": "Texto libre; el mismo nombre en todas las hojas.",
            "handle": "@usuario, usuario o la dirección del perfil "
            "(https://www.facebook.com/Nombre/, x.com/nombre).",
            "datetime": "23/11/2026 14:05 (día primero), 23/11/2026, 2026-11-23T14:05 "
            "o una fecha de Excel.",
            "count": "1234, 1.234, 12,5 mil, 1.2K, 3,4 M (vacío o N/A si no se sabe).",
            "boolean": "sí / no (también yes / no, 1 / 0, x).",
            "answer": "sí / parcial / no (también 1 / 0,5 / 0, yes / partial / no).",
            "url": "Una dirección web (https://...).",
        },
        "networks": "{labels}.",
        "item": "El identificador, el alias o el texto de una pregunta del cuestionario "
        "(tabla de abajo).",
        "avatar": "El nombre del archivo de imagen dentro del .zip (logo_facebook.png) o su "
        "hash perceptual de 16 dígitos hexadecimales (c3a1e0f0f8d8c4c2).",
    },
    "en": {
        "title": "Institutional social media audit template",
        "intro": (
            "Fill in one sheet per kind of data, one row per record, keeping the header row as "
            "it is. Only the «profiles» sheet is required: the others enrich the audit and, "
            "when one is missing, the dimension that needs it is reported as «not evaluated», "
            "never as zero.",
            "Sheet and column names are recognised regardless of case, accents and "
            "separators, in Spanish or English. Post exports of Meta Business Suite "
            "(Facebook and Instagram), CrowdTangle, X Analytics, 4CAT, twarc2 and the Twitter "
            "API v2 (CSV or JSON), YouTube Studio (the .zip), TikTok Studio, Facepager and "
            "Zeeschuimer (NDJSON) can also be uploaded "
            "unedited and unrenamed, alone, in a folder or in a .zip: without a profiles "
            "sheet, each account found becomes a profile, grouped into an institution by the "
            "name it shows. From other tools, copy the columns into these sheets.",
            "Required columns have an orange header: a row without them cannot be used and "
            "appears in the problem report with its row number.",
            "Write each institution and each account the same way on every sheet: that is how "
            "posts and interactions are linked to their profile.",
            "This sheet is not read by the audit; keep it or delete it.",
        ),
        "sheet": "Sheet «{name}»",
        "required_sheet": "required",
        "optional_sheet": "optional",
        "table": ("Column", "Required", "What it holds", "Accepted values"),
        "yes": "yes",
        "no": "no",
        "questionnaire": "Governance questionnaire (column «item» of the «governance» sheet)",
        "questionnaire_note": (
            "One row per institution and question. In «item» write the id, the Spanish alias "
            "or the question text; in «answer», yes / partial / no."
        ),
        "questionnaire_table": ("Id", "Spanish alias", "Question"),
        "kinds": {
            "text": "Free text.",
            "institution": "Free text; the same name on every sheet.",
            "handle": "@name, name or the profile's address "
            "(https://www.facebook.com/Name/, x.com/name).",
            "datetime": "23/11/2026 14:05 (day first), 23/11/2026, 2026-11-23T14:05 "
            "or an Excel date.",
            "count": "1234, 1,234, 1.2K, 12,5 mil, 3,4 M (empty or N/A when unknown).",
            "boolean": "yes / no (also sí / no, 1 / 0, x).",
            "answer": "yes / partial / no (also sí / parcial / no, 1 / 0.5 / 0).",
            "url": "A web address (https://...).",
        },
        "networks": "{labels}.",
        "item": "The id, the alias or the text of a questionnaire question (table below).",
        "avatar": "The image file's name inside the .zip (logo_facebook.png) or its "
        "16-hex-digit perceptual hash (c3a1e0f0f8d8c4c2).",
    },
}

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_SECTION = Font(bold=True, size=12)
_REQUIRED_FILL = PatternFill("solid", fgColor="F8CBAD")
_OPTIONAL_FILL = PatternFill("solid", fgColor="D9E1F2")
_WRAP = Alignment(wrap_text=True, vertical="top")

# Column widths (in characters) by kind: wide enough for a typical value, never so wide
# that the sheet has to be scrolled sideways to see the required columns.
_WIDTHS = {
    "text": 48,
    "institution": 34,
    "network": 14,
    "handle": 26,
    "datetime": 18,
    "count": 13,
    "boolean": 13,
    "answer": 12,
    "choice": 16,
    "url": 32,
}


def _check_lang(lang: str) -> str:
    if lang not in _TEXT:
        raise ValueError(f"lang must be one of {sorted(_TEXT)}, not {lang!r}")
    return lang


def _header(column: Column | Sheet, lang: str) -> str:
    return column.header_es if lang == "es" else column.name


def _help(column: Column | Sheet, lang: str) -> str:
    return column.help_es if lang == "es" else column.help_en


def _accepted(sheet: Sheet, column: Column, lang: str) -> str:
    """What a cell of the column may hold, in words an auditor understands."""
    text = _TEXT[lang]
    if column.kind == "network":
        labels = ", ".join(_NETWORK_LABELS.get(n, n) for n in NETWORKS)
        return text["networks"].format(labels=labels)
    if column.kind == "choice":
        index = 0 if lang == "es" else 1
        labels = [_CHOICE_LABELS.get(c, (c, c))[index] for c in column.choices]
        return ", ".join(labels) + "."
    if sheet.name == "governance" and column.name == "item":
        return text["item"]
    if column.name == "avatar":
        return text["avatar"]
    return text["kinds"].get(column.kind, text["kinds"]["text"])


def _write_row(ws, row: int, values, font=None, fill=None) -> None:
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col, value=value)
        cell.alignment = _WRAP
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill


def _write_instructions(ws, lang: str) -> None:
    """Explain the workbook: purpose, rules, every column and the questionnaire."""
    text = _TEXT[lang]
    ws.cell(row=1, column=1, value=text["title"]).font = _TITLE
    row = 3
    for paragraph in text["intro"]:
        ws.cell(row=row, column=1, value=paragraph).alignment = _WRAP
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        ws.row_dimensions[row].height = 45
        row += 1
    for sheet in SHEETS.values():
        row += 1
        status = text["required_sheet"] if sheet.required else text["optional_sheet"]
        name = text["sheet"].format(name=_header(sheet, lang))
        title = f"{name} ({status}): {_help(sheet, lang)}"
        ws.cell(row=row, column=1, value=title).font = _SECTION
        row += 1
        _write_row(ws, row, text["table"], font=_BOLD, fill=_OPTIONAL_FILL)
        row += 1
        for column in sheet.columns:
            required = text["yes"] if column.required else text["no"]
            values = (_header(column, lang), required, _help(column, lang),
                      _accepted(sheet, column, lang))
            _write_row(ws, row, values, fill=_REQUIRED_FILL if column.required else None)
            row += 1
    row += 1
    ws.cell(row=row, column=1, value=text["questionnaire"]).font = _SECTION
    row += 1
    ws.cell(row=row, column=1, value=text["questionnaire_note"]).alignment = _WRAP
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
    ws.row_dimensions[row].height = 30
    row += 1
    _write_row(ws, row, text["questionnaire_table"], font=_BOLD, fill=_OPTIONAL_FILL)
    row += 1
    for item_id, (alias, question_es, question_en) in GOVERNANCE_ITEMS.items():
        question = question_es if lang == "es" else question_en
        _write_row(ws, row, (item_id, alias, question))
        row += 1
    for letter, width in zip("ABCD", (24, 16, 60, 60), strict=True):
        ws.column_dimensions[letter].width = width


def _write_data_sheet(ws, sheet: Sheet, lang: str) -> None:
    """The header row of one contract sheet: bold, frozen, required columns highlighted."""
    for col, column in enumerate(sheet.columns, start=1):
        header = _header(column, lang)
        cell = ws.cell(row=1, column=col, value=header)
        cell.font = _BOLD
        cell.fill = _REQUIRED_FILL if column.required else _OPTIONAL_FILL
        cell.comment = Comment(_help(column, lang), "audit", width=260, height=80)
        width = max(_WIDTHS.get(column.kind, 16), len(header) + 4)
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"


def save_reproducible(workbook: Workbook, target: str | IO[bytes], when: datetime = FIXED_TIME
                      ) -> None:
    """Save ``workbook`` so that the same content always gives the same file.

    ``Workbook.save`` stamps the modification time and every zip entry with the clock, so
    two runs of a deterministic generator would still differ and a committed sample file
    would show as changed. Here both are pinned to ``when``.
    """
    workbook.properties.created = when
    workbook.properties.modified = when
    with _FixedTimeZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True,
                           when=when) as archive:
        ExcelWriter(workbook, archive).write_data()


class _FixedTimeZipFile(zipfile.ZipFile):
    """A zip archive whose entries all carry one fixed time instead of the clock's."""

    def __init__(self, *args, when: datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self._date_time = when.timetuple()[:6]

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=self._date_time)
            zinfo_or_arcname.compress_type = self.compression
            zinfo_or_arcname.external_attr = 0o600 << 16
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        with open(filename, "rb") as handle:
            data = handle.read()
        self.writestr(arcname or filename, data, compress_type, compresslevel)


def write_template(target: str | IO[bytes], lang: str = "es") -> None:
    """Write the blank template to a path or a binary file object.

    ``lang`` ("es" or "en") chooses the sheet names, the headers (``header_es`` or the
    canonical ``name``) and the language of the instructions; the reader accepts either.
    """
    lang = _check_lang(lang)
    workbook = Workbook()
    instructions = workbook.active
    instructions.title = INSTRUCTIONS_TITLE[lang]
    _write_instructions(instructions, lang)
    for sheet in SHEETS.values():
        _write_data_sheet(workbook.create_sheet(_header(sheet, lang)), sheet, lang)
    title = _TEXT[lang]["title"]
    workbook.properties.title = title
    workbook.properties.creator = "audit"
    save_reproducible(workbook, target)
