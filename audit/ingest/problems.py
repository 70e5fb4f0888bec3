"""Every problem found in the input, collected in one pass and explained in the user's language.

A problem is one row of a tidy table, the table an auditor reads to fix the data:

    severity  error   the row (or, with no row, the whole file) cannot be used
              warning the row is used after a fix-up (a value ignored, a network inferred)
              info    nothing is wrong, but the auditor should know (an extra column kept,
                      a row outside the audited period)
    file, sheet, row (as Excel shows it, header = 1), column (as the user wrote it), value,
    code (stable, English, machine-readable) and message (Spanish or English).

Messages live in ``MESSAGES`` keyed by code, so the same log renders in either language.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

__all__ = ["COLUMNS", "EXPECTED", "MESSAGES", "SEVERITIES", "ProblemLog"]

SEVERITIES = ("error", "warning", "info")
COLUMNS = ["severity", "file", "sheet", "row", "column", "value", "code", "message"]
_VALUE_CHARS = 200

# What a cell of each kind should look like, said to the user.
EXPECTED: dict[str, tuple[str, str]] = {
    "datetime": (
        "una fecha como 23/11/2026, 23/11/2026 14:05 o 2026-11-23T14:05:00Z",
        "a date such as 23/11/2026, 23/11/2026 14:05 or 2026-11-23T14:05:00Z",
    ),
    "count": (
        "un número no negativo como 1234, 1.234, 12,5 mil o 1.2K",
        "a non-negative number such as 1234, 1,234, 12.5K or 1.2M",
    ),
    "boolean": ("sí o no", "yes or no"),
    "answer": ("sí, parcial o no (o 1, 0,5, 0)", "yes, partial or no (or 1, 0.5, 0)"),
    "network": (
        "una red conocida: Facebook, Instagram, X, YouTube, TikTok, LinkedIn, Pinterest, "
        "Threads, WhatsApp, Telegram, Flickr o blog",
        "a known network: Facebook, Instagram, X, YouTube, TikTok, LinkedIn, Pinterest, "
        "Threads, WhatsApp, Telegram, Flickr or blog",
    ),
    "handle": (
        "un @usuario o la dirección del perfil, sin espacios",
        "an @name or the profile's address, without spaces",
    ),
    "choice": ("uno de los valores de la hoja de instrucciones",
               "one of the values listed in the instructions"),
}

# code -> (Spanish, English). Placeholders are filled from the problem's parameters.
MESSAGES: dict[str, tuple[str, str]] = {
    "file_unreadable": (
        "No se pudo leer el archivo: {reason}.",
        "The file could not be read: {reason}.",
    ),
    "file_not_found": (
        "No se encontró el archivo o no se puede abrir.",
        "The file was not found or cannot be opened.",
    ),
    "file_empty": (
        "El archivo está vacío: no tiene filas de datos.",
        "The file is empty: it has no data rows.",
    ),
    "file_unsupported": (
        "Tipo de archivo no admitido ({ext}): use .xlsx, .xlsm, .ods, .csv o un .zip con ellos.",
        "Unsupported file type ({ext}): use .xlsx, .xlsm, .ods, .csv or a .zip holding them.",
    ),
    "zip_member_ignored": (
        "Archivo dentro del zip ignorado: no es una hoja de cálculo ni una imagen.",
        "File inside the zip ignored: it is neither a spreadsheet nor an image.",
    ),
    "sheet_ignored": (
        "Hoja no reconocida, no se usa. Nombres admitidos: perfiles, publicaciones, "
        "interacciones, gobernanza (o profiles, posts, interactions, governance).",
        "Sheet not recognised and not used. Accepted names: perfiles, publicaciones, "
        "interacciones, gobernanza (or profiles, posts, interactions, governance).",
    ),
    "no_profiles_sheet": (
        "Falta la hoja de perfiles (perfiles/profiles), la única obligatoria: una fila por "
        "cuenta con institución, red y usuario.",
        "The profiles sheet (perfiles/profiles) is missing; it is the only required one: "
        "one row per account with institution, network and handle.",
    ),
    "no_usable_profiles": (
        "Ninguna fila de la hoja de perfiles se puede usar: corrija los errores de la lista.",
        "No row of the profiles sheet can be used: fix the errors listed.",
    ),
    "missing_required_column": (
        "Falta la columna obligatoria «{field}» en la hoja {sheet_kind}.{suggestion_es}",
        "The required column '{field}' is missing from the {sheet_kind} sheet.{suggestion_en}",
    ),
    "unknown_column": (
        "Columna desconocida: se conserva pero no se usa.{suggestion_es}",
        "Unknown column: kept but not used.{suggestion_en}",
    ),
    "duplicate_column": (
        "Columna repetida: ya se usa «{first}» para {field}; esta se conserva sin usar.",
        "Repeated column: '{first}' is already used for {field}; this one is kept unused.",
    ),
    "ragged_row": (
        "La fila tiene más celdas que el encabezado; las sobrantes se ignoran.",
        "The row has more cells than the header; the extra cells are ignored.",
    ),
    "dates_month_first": (
        "Las fechas de esta columna están escritas mes/día/año (formato de EE. UU.) y se "
        "leyeron así.",
        "The dates in this column are written month/day/year (US format) and were read so.",
    ),
    "missing_value": (
        "Falta el valor obligatorio: la fila no se usa.",
        "The required value is missing: the row is not used.",
    ),
    "invalid_value": (
        "Valor no válido: se esperaba {expected_es}. La fila no se usa.",
        "Invalid value: expected {expected_en}. The row is not used.",
    ),
    "invalid_value_ignored": (
        "Valor no válido: se esperaba {expected_es}. Se deja vacío.",
        "Invalid value: expected {expected_en}. Left empty.",
    ),
    "network_from_url": (
        "La red se dedujo de la dirección: {network}.",
        "The network was inferred from the address: {network}.",
    ),
    "network_mismatch": (
        "La dirección es de {url_network} pero la fila dice {network}; se usa {network}.",
        "The address belongs to {url_network} but the row says {network}; {network} is used.",
    ),
    "handle_from_url": (
        "La cuenta se dedujo de la dirección de la publicación: {handle}.",
        "The account was inferred from the post's address: {handle}.",
    ),
    "duplicate_profile": (
        "Perfil repetido: la misma red y usuario ya están en la fila {first_row}. "
        "La fila no se usa.",
        "Duplicate profile: the same network and handle are already in row {first_row}. "
        "The row is not used.",
    ),
    "duplicate_post": (
        "Publicación repetida: igual a la fila {first_row}. La fila no se usa.",
        "Duplicate post: same as row {first_row}. The row is not used.",
    ),
    "duplicate_item": (
        "Pregunta repetida para esta institución: ya respondida en la fila {first_row}. "
        "La fila no se usa.",
        "Question repeated for this institution: already answered in row {first_row}. "
        "The row is not used.",
    ),
    "unknown_profile": (
        "La red y el usuario no coinciden con ningún perfil de la hoja de perfiles: la fila no "
        "se puede atribuir a una institución y no se usa.{suggestion_es}",
        "The network and handle match no profile in the profiles sheet: the row cannot be "
        "attributed to an institution and is not used.{suggestion_en}",
    ),
    "unknown_institution": (
        "La institución no aparece en la hoja de perfiles: la fila no se usa.{suggestion_es}",
        "The institution is not in the profiles sheet: the row is not used.{suggestion_en}",
    ),
    "institution_renamed": (
        "La institución está escrita de otra forma en la fila {first_row}; se unifica como "
        "«{name}».",
        "The institution is spelt differently in row {first_row}; unified as '{name}'.",
    ),
    "unknown_item": (
        "Pregunta de gobernanza desconocida: use un identificador (responsable, objetivos, "
        "guia_estilo, ...) o el texto de la pregunta. La fila no se usa.",
        "Unknown governance question: use an id (owner, objectives, style_guide, ...) or the "
        "question's text. The row is not used.",
    ),
    "reply_before_message": (
        "La respuesta tiene fecha anterior al mensaje: se cuenta como respondido, sin tiempo "
        "de respuesta.",
        "The reply is dated before the message: counted as answered, with no response time.",
    ),
    "after_as_of": (
        "Fecha posterior a la fecha de auditoría ({as_of}): la fila no se cuenta.",
        "Date after the audit date ({as_of}): the row is not counted.",
    ),
    "value_after_as_of": (
        "Fecha posterior a la fecha de auditoría ({as_of}): se deja vacía.",
        "Date after the audit date ({as_of}): left empty.",
    ),
    "check_failed": (
        "El criterio «{criterion}» ({dimension}) no se pudo medir por un error del programa, "
        "no de sus datos: queda sin puntuación y la auditoría no debe firmarse así. Avise al "
        "equipo que mantiene la herramienta.",
        "The criterion '{criterion}' ({dimension}) could not be measured because of an error "
        "in the program, not in your data: it has no score and the audit should not be signed "
        "as it is. Tell the team that maintains the tool.",
    ),
    "reply_after_as_of": (
        "Respondido después de la fecha de auditoría ({as_of}): se cuenta como sin responder.",
        "Answered after the audit date ({as_of}): counted as unanswered.",
    ),
}


def _suggestion(params: dict) -> dict:
    """Turn an optional closest-match into the sentence tails used by several messages."""
    hint = params.get("suggestion")
    if hint:
        return {"suggestion_es": f" ¿Quiso decir «{hint}»?",
                "suggestion_en": f" Did you mean '{hint}'?"}
    return {"suggestion_es": "", "suggestion_en": ""}


def _expected(params: dict) -> dict:
    es, en = EXPECTED.get(params.get("kind", ""), ("", ""))
    return {"expected_es": es, "expected_en": en}


def _cell(value: object) -> str:
    """Show a cell's value as text, short enough for a table."""
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, pd.Timestamp):
        value = value.strftime("%Y-%m-%d %H:%M") + (" UTC" if value.tzinfo else "")
    text = str(value)
    return text if len(text) <= _VALUE_CHARS else text[: _VALUE_CHARS - 1] + "…"


@dataclass
class ProblemLog:
    """Collects problems from every stage; renders them as one table in either language."""

    _records: list[dict] = field(default_factory=list)

    def add(self, severity: str, code: str, *, file: str = "", sheet: str = "",
            row: int | None = None, column: str = "", value: object = None, **params) -> None:
        """Record one problem. ``row=None`` means the problem concerns the whole file or sheet."""
        if severity not in SEVERITIES:
            raise ValueError(f"unknown severity {severity!r}")
        if code not in MESSAGES:
            raise ValueError(f"unknown problem code {code!r}")
        self._records.append({
            "severity": severity, "file": file, "sheet": sheet, "row": row, "column": column,
            "value": _cell(value), "code": code, "params": params,
        })

    def add_rows(self, severity: str, code: str, *, file: str, sheet: str, rows: Sequence[int],
                 column: str, values: Iterable[object], per_row: dict | None = None,
                 **params) -> None:
        """Record the same problem for many rows at once; ``per_row`` holds parameters that vary."""
        per_row = per_row or {}
        for i, (row, value) in enumerate(zip(rows, values, strict=True)):
            row_params = {**params, **{k: v[i] for k, v in per_row.items()}}
            self.add(severity, code, file=file, sheet=sheet, row=int(row), column=column,
                     value=value, **row_params)

    def without(self, code: str) -> ProblemLog:
        """A copy of the log without the problems of ``code`` (a re-score logs its own)."""
        return ProblemLog([dict(r) for r in self._records if r["code"] != code])

    def lines(self, code: str, lang: str = "es") -> list[str]:
        """One line per problem of ``code``, for the terminal."""
        table = self.frame(lang)
        table = table[table["code"] == code]
        return [f"{r.column}: {r.message} ({r.value})" for r in table.itertuples()]

    def __len__(self) -> int:
        return len(self._records)

    def has_error(self, file: str) -> bool:
        """True when ``file`` (or a sheet or member of it) already has an error."""
        return any(r["severity"] == "error" and r["file"].startswith(file) for r in self._records)

    @property
    def fatal(self) -> bool:
        """True when some file cannot be used at all (an error that names no row)."""
        return any(r["severity"] == "error" and r["row"] is None for r in self._records)

    def counts(self) -> dict:
        """Problem counts by severity and by code, for the audit manifest."""
        by_severity = Counter(r["severity"] for r in self._records)
        by_code = Counter(r["code"] for r in self._records)
        return {
            "total": len(self._records),
            "by_severity": {s: by_severity.get(s, 0) for s in SEVERITIES},
            "by_code": dict(sorted(by_code.items())),
        }

    def frame(self, lang: str = "es") -> pd.DataFrame:
        """The problem table with messages in ``lang`` ('es' or 'en'), in a stable order."""
        index = 0 if lang == "es" else 1
        rows = []
        for record in self._records:
            params = {**record["params"], **_suggestion(record["params"]),
                      **_expected(record["params"])}
            message = MESSAGES[record["code"]][index].format_map(_Blank(params))
            rows.append({k: record[k] for k in COLUMNS if k != "message"} | {"message": message})
        table = pd.DataFrame(rows, columns=COLUMNS)
        table["row"] = table["row"].astype("Int64")
        order = {s: i for i, s in enumerate(SEVERITIES)}
        table["_severity"] = table["severity"].map(order)
        table = table.sort_values(["file", "sheet", "row", "_severity", "column", "code"],
                                  kind="stable", na_position="first")
        return table.drop(columns="_severity").reset_index(drop=True)

    def fatal_lines(self, lang: str = "es") -> list[str]:
        """One line per problem that stops a file, for the terminal."""
        table = self.frame(lang)
        table = table[(table["severity"] == "error") & table["row"].isna()]
        return [
            f"{r.file}{' [' + r.sheet + ']' if r.sheet else ''}: {r.message}"
            for r in table.itertuples()
        ]


class _Blank(dict):
    """format_map helper: a placeholder without a value renders empty instead of failing."""

    def __missing__(self, key: str) -> str:
        return ""
