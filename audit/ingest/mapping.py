"""A column mapping: the auditor says which header of a file is which contract column.

The reader recognises the headers the contract knows (``contract.py``: Spanish, English and
the exports of common tools). Any other file, an in-house spreadsheet or a tool nobody wrote
an importer for, needs the auditor to say it once, inline or as a named preset to reuse:

    python -m audit run FILE --map posts.published_at="Fecha de publicación",posts.text=Mensaje
    python -m audit run FILE --map preset.yaml

    # preset.yaml                             (the app's "save as preset" writes the same)
    name: Gestor de redes municipal
    description: Exportación mensual de publicaciones
    files: "exportacion_*.csv"                # optional: the files or sheets it applies to
    sheet: posts                              # optional: their kind, whatever their headers
    columns:
      posts: {published_at: "Fecha de publicación", text: Mensaje}
      profiles: {handle: Cuenta oficial}

How the reader uses it (``locate`` and ``assign``, a few lines in ``reader._add_table``):

    sheet name names a kind ─▶ that kind      (a "perfiles" sheet stays profiles)
    else ``sheet`` given     ─▶ that kind      (for the files ``files`` matches)
    else                     ─▶ the kind whose mapped headers the sheet holds, if any
    header row               ─▶ the first rows' row holding most mapped headers
    each mapped header       ─▶ that column, before and over the contract's recognition

A mapped header matches a written one exactly once spaces and case are normalised: the
auditor named it, so nothing is guessed. A mapped header the sheet lacks is an error with the
closest headers it has; a mapping no sheet used is an error too. Sheet kinds and columns are
checked against the contract when the mapping is made (``MappingError``, with the valid
names), so a typo never reaches the reader. Kinds and columns may be given by their English
name or the Spanish template header (``publicaciones.fecha``); presets store English names.
"""

from __future__ import annotations

import fnmatch
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pandas as pd
import yaml
from rapidfuzz import fuzz, process

from audit.ingest.contract import SHEETS, normalize_name
from audit.ingest.problems import ProblemLog
from audit.messages import Message, msg

__all__ = ["PRESET_KEYS", "ColumnMapping", "MappingError", "SheetColumns"]

PRESET_KEYS = ("name", "description", "files", "sheet", "columns")
PREVIEW_ROWS = 5
_HEADER_SCAN_ROWS = 10  # non-blank rows searched for the headers, as the reader does
_CLOSE_SCORE = 60  # rapidfuzz ratio from which a written header is offered as a close match
_CLOSE_MAX = 3
_PRESET_SUFFIXES = (".yaml", ".yml")


class MappingError(ValueError):
    """A mapping that cannot be used (an unknown sheet kind or column, a malformed preset):
    the user's mistake, said in the user's language (``message``)."""

    def __init__(self, message: Message):
        super().__init__(message.render("en"))
        self.message = message


def _fold(header: object) -> str:
    """A header as compared: Unicode composed, spaces collapsed, case folded."""
    return " ".join(unicodedata.normalize("NFC", str(header)).split()).casefold()


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value) or not str(value).strip()


# --- names checked against the contract ----------------------------------------------------

_KINDS = {normalize_name(n): kind for kind, s in SHEETS.items() for n in (s.name, s.header_es)}
_COLUMNS = {kind: {normalize_name(n): c.name for c in s.columns for n in (c.name, c.header_es)}
            for kind, s in SHEETS.items()}


def _kind(name: object) -> str:
    kind = _KINDS.get(normalize_name(name))
    if kind is None:
        raise MappingError(msg("mapping.unknown_sheet", value=name, valid=", ".join(SHEETS)))
    return kind


def _column(kind: str, name: object) -> str:
    column = _COLUMNS[kind].get(normalize_name(name))
    if column is None:
        valid = ", ".join(f"{kind}.{c.name}" for c in SHEETS[kind].columns)
        raise MappingError(msg("mapping.unknown_column", value=f"{kind}.{name}", valid=valid))
    return column


def _checked(columns: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    """Canonical kinds and columns in contract order, headers trimmed; one header names one
    column of a sheet."""
    out: dict[str, dict[str, str]] = {}
    for kind_name, pairs in columns.items():
        kind = _kind(kind_name)
        if not isinstance(pairs, Mapping):
            raise MappingError(msg("mapping.bad_columns"))
        given = out.setdefault(kind, {})
        for column_name, header in pairs.items():
            column = _column(kind, column_name)
            if _blank(header) or isinstance(header, Mapping | list):
                raise MappingError(msg("mapping.bad_pair", value=f"{kind}.{column}={header or ''}"))
            given[column] = str(header).strip()
    for kind, given in out.items():
        seen: dict[str, str] = {}
        for column, header in given.items():
            if _fold(header) in seen:
                raise MappingError(msg("mapping.header_twice", header=header, sheet=kind,
                                       columns=f"{seen[_fold(header)]}, {column}"))
            seen[_fold(header)] = column
    order = {kind: [c.name for c in s.columns] for kind, s in SHEETS.items()}
    return {kind: {c: out[kind][c] for c in order[kind] if c in out[kind]}
            for kind in SHEETS if out.get(kind)}


# --- the mapping ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnMapping:
    """Which written header is which contract column, per sheet kind; optionally the files
    it applies to (``files``, a pattern such as ``export_*.csv``) and their kind (``sheet``).

    Build it with ``from_options`` (command-line values), ``from_yaml`` (a preset) or
    ``create`` (the app's form): each checks every name against the contract."""

    columns: Mapping[str, Mapping[str, str]]  # kind -> column -> header as written
    name: str = ""
    description: str = ""
    files: str = ""  # empty: every file and sheet
    sheet: str = ""  # empty: the kind comes from the sheet's name or its headers

    @classmethod
    def create(cls, columns: Mapping[str, Mapping[str, str]], *, name: str = "",
               description: str = "", files: str = "", sheet: str = "") -> ColumnMapping:
        return cls(columns=_checked(columns), name=str(name or "").strip(),
                   description=str(description or "").strip(),
                   files=str(files or "").strip(), sheet=_kind(sheet) if sheet else "")

    @classmethod
    def from_options(cls, values: Sequence[str]) -> ColumnMapping:
        """The ``--map`` values of a command line: presets (a path ending in .yaml or .yml)
        and inline ``sheet.column=header`` lists, merged in order (a later header for the
        same column wins; the last preset's name, files and sheet are kept)."""
        merged = cls(columns={})
        for value in values:
            if value.strip().lower().endswith(_PRESET_SUFFIXES):
                merged = merged._merge(cls.load(value))
            else:
                merged = merged._merge(cls._inline(value))
        return merged

    @classmethod
    def load(cls, path: str | Path) -> ColumnMapping:
        """A preset file; an unreadable one is a MappingError, never an OSError."""
        try:
            content = Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise MappingError(msg("mapping.preset_unreadable", file=str(path),
                                   reason=type(exc).__name__)) from None
        return cls.from_yaml(content, source=Path(path).name)

    @classmethod
    def from_yaml(cls, content: str | bytes, source: str = "preset") -> ColumnMapping:
        """A preset from its YAML text (a file's content, or an upload in the app)."""
        if isinstance(content, bytes):
            content = content.decode("utf-8-sig", errors="replace")
        try:
            data = yaml.safe_load(content)
        except yaml.YAMLError as exc:
            reason = str(exc).strip().splitlines()[0][:200]
            raise MappingError(msg("mapping.preset_unreadable", file=source,
                                   reason=reason)) from None
        if not isinstance(data, dict) or not isinstance(data.get("columns"), dict) or any(
                not isinstance(data.get(key) or "", str) for key in PRESET_KEYS[:-1]):
            raise MappingError(msg("mapping.preset_shape", file=source))
        unknown = [str(k) for k in data if k not in PRESET_KEYS]
        if unknown:
            raise MappingError(msg("mapping.preset_keys", file=source, keys=", ".join(unknown),
                                   valid=", ".join(PRESET_KEYS)))
        return cls.create(data["columns"], name=data.get("name") or "",
                          description=data.get("description") or "",
                          files=data.get("files") or "", sheet=data.get("sheet") or "")

    @classmethod
    def _inline(cls, value: str) -> ColumnMapping:
        """``posts.published_at=Fecha de publicación,posts.text=Mensaje``; a header holding
        a comma goes in double quotes (``posts.text="Texto, completo"``)."""
        pairs: dict[str, dict[str, str]] = {}
        for item in _split(value):
            target, equals, header = item.partition("=")
            kind_name, dot, column_name = target.strip().partition(".")
            header = header.strip()
            if len(header) > 1 and header[0] == header[-1] == '"':
                header = header[1:-1]
            if not equals or not dot or _blank(header):
                raise MappingError(msg("mapping.bad_pair", value=item))
            kind = _kind(kind_name)
            column = _column(kind, column_name)
            if column in pairs.get(kind, {}):
                raise MappingError(msg("mapping.column_twice", column=f"{kind}.{column}",
                                       first=pairs[kind][column], second=header))
            pairs.setdefault(kind, {})[column] = header
        if not pairs:
            raise MappingError(msg("mapping.bad_pair", value=value))
        return cls.create(pairs)

    def _merge(self, other: ColumnMapping) -> ColumnMapping:
        columns = {kind: dict(pairs) for kind, pairs in self.columns.items()}
        for kind, pairs in other.columns.items():
            columns.setdefault(kind, {}).update(pairs)
        return ColumnMapping.create(columns, name=other.name or self.name,
                                    description=other.description or self.description,
                                    files=other.files or self.files,
                                    sheet=other.sheet or self.sheet)

    def to_dict(self) -> dict:
        """The preset as plain data (also what ``audit.json`` records of it)."""
        data = {"name": self.name, "description": self.description, "files": self.files,
                "sheet": self.sheet,
                "columns": {kind: dict(pairs) for kind, pairs in self.columns.items()}}
        return {k: v for k, v in data.items() if v or k in ("name", "columns")}

    def to_yaml(self) -> str:
        """The preset, as ``from_yaml`` and ``--map preset.yaml`` read it."""
        return yaml.safe_dump(self.to_dict(), allow_unicode=True, sort_keys=False, width=100)

    # --- what the reader asks ----------------------------------------------------------

    def applies(self, file: str, sheet: str) -> bool:
        """Whether the mapping is for this file or sheet (``files`` matched, case ignored,
        against the file's name, without folders or zip, and against the sheet's name)."""
        if not self.files:
            return True
        base = PurePosixPath(file.replace("\\", "/").split("!/")[-1]).name
        pattern = self.files.casefold()
        return any(fnmatch.fnmatchcase(name.casefold(), pattern)
                   for name in (base, PurePosixPath(base).stem, sheet))

    def locate(self, cells: pd.DataFrame, file: str, sheet: str,
               named: str | None) -> tuple[int, str] | None:
        """The header row (position in ``cells``) and the kind of a sheet, as the mapping
        says; None leaves both to the contract's recognition. ``named`` is the kind the
        sheet's name gives, if any: a name is as explicit as a mapping and is kept."""
        if not self.applies(file, sheet):
            return None
        kinds = [named] if named else [self.sheet] if self.sheet else list(self.columns)
        top = cells.head(_HEADER_SCAN_ROWS * 3).to_numpy(dtype=object).tolist()
        rows = [i for i, row in enumerate(top) if not all(_blank(c) for c in row)]
        rows = rows[:_HEADER_SCAN_ROWS]
        best = (0, 0, None)
        for kind in kinds:
            wanted = {_fold(h) for h in self.columns.get(kind, {}).values()}
            for i in rows:
                found = len(wanted & {_fold(c) for c in top[i] if not _blank(c)})
                if found > best[0]:
                    best = (found, i, kind)
        if best[2]:
            return best[1], best[2]
        if self.sheet and not named and rows:
            return rows[0], self.sheet
        return None

    def assign(self, kind: str, headers: Sequence[str], *, file: str, sheet: str, row: int,
               log: ProblemLog) -> dict[str, str]:
        """Header as written -> contract column, for the mapped headers of ``kind`` that the
        sheet holds; each one it lacks is an error naming the closest headers it has."""
        if not self.applies(file, sheet):
            return {}
        written = {_fold(h): h for h in headers}
        assigned = {}
        for column, header in self.columns.get(kind, {}).items():
            if _fold(header) in written:
                assigned[written[_fold(header)]] = column
            else:
                log.add("error", "mapped_header_missing", file=file, sheet=sheet, row=None,
                        column=header, header=header, field=f"{kind}.{column}",
                        close=", ".join(_close(header, headers)) or "—")
        return assigned

    def report_unused(self, read_kinds: Iterable[str], unread: Sequence[SheetColumns],
                      log: ProblemLog, files: str) -> None:
        """A mapped sheet kind that no sheet of the input turned out to be is an error: the
        auditor's mapping would otherwise vanish without a word."""
        kinds = set(read_kinds) | {u.kind for u in unread if u.kind}
        seen = [h for u in unread for h in u.headers]
        for kind, pairs in self.columns.items():
            if kind not in kinds:
                headers = list(pairs.values())
                close = list(dict.fromkeys(c for h in headers for c in _close(h, seen)))
                log.add("error", "mapping_unused", file=files, column=", ".join(headers),
                        sheet_kind=kind, headers=", ".join(headers),
                        close=", ".join(close) or "—")


def _split(value: str) -> list[str]:
    """Split at commas outside double quotes."""
    items, current, quoted = [], [], False
    for char in value:
        if char == '"':
            quoted = not quoted
        if char == "," and not quoted:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return [item for item in items if item.strip()]


def _close(header: str, headers: Sequence[str]) -> list[str]:
    """The written headers nearest to a mapped one, for the problem message."""
    folded = {}
    for h in headers:
        folded.setdefault(_fold(h), h)
    matches = process.extract(_fold(header), list(folded), scorer=fuzz.WRatio,
                              score_cutoff=_CLOSE_SCORE, limit=_CLOSE_MAX)
    return [folded[m[0]] for m in matches]


# --- a sheet the reader could not use ------------------------------------------------------


@dataclass
class SheetColumns:
    """A sheet the reader found but could not use (headers not recognised, or a required
    column missing): its headers as written and its first rows, for a mapping form."""

    file: str
    sheet: str
    kind: str | None  # the kind recognised, None when not even that
    headers: list[str]
    rows: pd.DataFrame  # cells below the header row, positional columns
    recognised: dict[str, str] = field(default_factory=dict)  # header -> column

    def __post_init__(self):
        rows = self.rows.head(PREVIEW_ROWS * 10)
        rows = rows[~rows.map(_blank).all(axis=1)].head(PREVIEW_ROWS)
        self.rows = pd.DataFrame(rows.to_numpy(dtype=object), columns=self.headers)

    def preview(self, mapping: ColumnMapping, kind: str) -> pd.DataFrame:
        """The first rows as the reader would take them with ``mapping``: one column per
        mapped contract column of ``kind``, in contract order, cells as written."""
        written = {_fold(h): h for h in self.headers}
        taken = {column: written[_fold(header)]
                 for column, header in mapping.columns.get(kind, {}).items()
                 if _fold(header) in written}
        return pd.DataFrame({column: self.rows[header].to_numpy()
                             for column, header in taken.items()}, index=self.rows.index)
