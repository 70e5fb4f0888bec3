"""Read the files an auditor uploads into raw tables, one per recognised sheet.

    source files (.xlsx .xlsm .ods .csv .parquet .json .jsonl .ndjson .zip)
        └─ workbook sheets / CSV and Parquet files
             ├─ a known export (importers/)? its importer maps it to the contract
             ├─ kind recognised by name, else by headers  -> profiles | posts | ...
             ├─ header row found (title rows above it are allowed)
             ├─ headers matched to contract columns       -> canonical names
             └─ RawTable: untouched cell values + the Excel row number of each row

Accounts found in exports become profiles when no profiles sheet is given
(``importers.profiles``). A folder is read as the files in it (``read_folder``).

Reading never interprets values (that is ``validate``'s job) and never raises on bad
input: an unreadable, empty or incomplete file becomes a problem in the log.
"""

from __future__ import annotations

import csv
import hashlib
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import python_calamine
from rapidfuzz import process

from audit.ingest.archive import (
    DEFAULT_LIMITS,
    ArchiveLimits,
    check_package,
    check_parquet,
    unpack,
)
from audit.ingest.contract import SHEETS, Sheet, normalize_name
from audit.ingest.encoding import decode
from audit.ingest.importers import Recognised, import_sheet
from audit.ingest.importers.json_records import records_cells
from audit.ingest.importers.profiles import Found, settle_profiles
from audit.ingest.mapping import ColumnMapping, SheetColumns
from audit.ingest.parquet import parquet_cells
from audit.ingest.parse import is_blank
from audit.ingest.problems import ProblemLog, reason
from audit.ingest.sniff import ENCRYPTED, HTML, TEXT, sniff_workbook

__all__ = ["InputFile", "RawTable", "ReadRecord", "ReadResult", "TableRecord", "read_folder",
           "read_inputs"]

SPREADSHEETS = {".xlsx", ".xlsm", ".xls", ".ods"}
JSON = {".json", ".jsonl", ".ndjson"}
PARQUET = ".parquet"
# The first record of a CSV file (the header, or Excel's "sep=" line) is looked for in its
# first this many bytes; a file whose first line is longer goes through the general path.
_CSV_HEAD_BYTES = 100_000
IMAGES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp"}
# The header row is searched among the first rows that hold anything, this many of them
# (title and note rows above the header are common); a header below them is reported as
# not found, with this number in the message.
_HEADER_SCAN_ROWS = 10
# What _add_table did with a sheet: made a table of it (or reported why it cannot be
# used), found nothing in it, or did not recognise it as any sheet of the contract.
USED, EMPTY, UNRECOGNISED = "used", "empty", "unrecognised"
_SUGGEST_MIN_SCORE = 80
# Columns that may be absent when a post's address can stand in for them (X analytics
# exports, for instance, carry a permalink but neither network nor handle).
_DERIVABLE = {"posts": {"network": "url", "handle": "url"}}


@dataclass
class RawTable:
    """One recognised sheet: cell values as read, columns renamed to the contract's names."""

    kind: str
    file: str
    sheet: str
    frame: pd.DataFrame
    rows: np.ndarray  # Excel row number of each frame row (header = its own row number)
    headers: dict[str, str]  # canonical column -> header as the user wrote it
    extra: list[str] = field(default_factory=list)  # unknown columns kept as written
    encoding: str | None = None  # CSV only
    delimiter: str | None = None  # CSV only
    importer: str | None = None  # the export layout it was read as, if any


@dataclass(frozen=True)
class TableRecord:
    """What the audit's record says of one table read (``RawTable`` without its cells)."""

    kind: str
    file: str
    sheet: str
    row_count: int
    encoding: str | None = None
    delimiter: str | None = None
    importer: str | None = None


@dataclass
class InputFile:
    """What was read from one uploaded file, for the audit manifest."""

    name: str
    sha256: str
    bytes: int
    format: str


@dataclass
class ReadResult:
    tables: list[RawTable] = field(default_factory=list)
    inputs: list[InputFile] = field(default_factory=list)
    images: dict[str, bytes] = field(default_factory=dict)
    empty_rows: int = 0
    mapping: ColumnMapping | None = None  # the auditor's column mapping, applied on reading
    unrecognised: list[SheetColumns] = field(default_factory=list)  # sheets left unread
    accounts: list[Found] = field(default_factory=list)  # accounts found in exports

    @property
    def usable(self) -> bool:
        """Something can be audited: a profiles table, given or made from the exports. An
        unusable file among others is reported and left out; it stops nothing."""
        return any(t.kind == "profiles" for t in self.tables)

    def record(self) -> ReadRecord:
        """What the manifest, the reports and the app need of the reading once the tables
        are validated: the raw cells (as large as the files, a third of the memory of a
        million-post audit) are then dropped, and the images stay with the dataset."""
        return ReadRecord(
            tables=[TableRecord(t.kind, t.file, t.sheet, len(t.frame), t.encoding,
                                t.delimiter, t.importer) for t in self.tables],
            inputs=self.inputs, images=self.images, empty_rows=self.empty_rows,
            mapping=self.mapping, unrecognised=self.unrecognised)


@dataclass(frozen=True)
class ReadRecord:
    """The reading as the audit's result keeps it: each file and table without its cells,
    the column mapping and the sheets left unread (their few preview rows, for the
    mapping form)."""

    tables: list[TableRecord]
    inputs: list[InputFile]
    images: dict[str, bytes]
    empty_rows: int
    mapping: ColumnMapping | None
    unrecognised: list[SheetColumns]

    @property
    def usable(self) -> bool:
        return any(t.kind == "profiles" for t in self.tables)


def read_inputs(sources: list[tuple[str, bytes]], log: ProblemLog, *,
                mapping: ColumnMapping | None = None,
                limits: ArchiveLimits = DEFAULT_LIMITS) -> ReadResult:
    """Read every (file name, content) pair; problems go to ``log``. A column ``mapping``
    says which header is which column where the contract's names do not (``mapping.py``).
    Zips and workbooks are held to ``limits`` (see audit/ingest/archive.py)."""
    result = ReadResult(mapping=mapping)
    # The files' hashes are worked out on a thread while they are parsed: hashlib lets go
    # of the interpreter's lock on large buffers (0.6 s for a million posts' files).
    with ThreadPoolExecutor(max_workers=1) as hasher:
        hashes = [hasher.submit(_sha256, data) for _, data in sources]
        for name, data in sources:
            result.inputs.append(InputFile(name=name, sha256="", bytes=len(data),
                                           format=_suffix(name).lstrip(".")))
            _read_one(name, data, result, log, top=True, limits=limits)
        for found, digest in zip(result.inputs, hashes, strict=True):
            found.sha256 = digest.result()
    if mapping:
        mapping.report_unused([t.kind for t in result.tables], result.unrecognised, log,
                              files=", ".join(n for n, _ in sources))
    given = [t for t in result.tables if t.kind == "profiles"]
    for file, sheet, table in settle_profiles(result.accounts, given, log):
        result.tables.append(RawTable(kind="profiles", file=file, sheet=sheet, frame=table.frame,
                                      rows=table.rows, headers=table.headers,
                                      importer="accounts"))
    if not result.usable and (result.tables or not log.fatal):
        log.add("error", "no_profiles_sheet", file=", ".join(n for n, _ in sources))
    return result


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_folder(folder: str | Path) -> list[tuple[str, bytes]]:
    """Every file under ``folder`` (hidden files and folders left out), each named by its
    path from the folder's own name, so two files of the same name stay apart."""
    root = Path(folder)
    found = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and not any(p.startswith((".", "__MACOSX")) for p in relative.parts):
            found.append(((PurePosixPath(root.name) / relative.as_posix()).as_posix(),
                          path.read_bytes()))
    return found


def _suffix(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).suffix.lower()


def _read_one(name: str, data: bytes, result: ReadResult, log: ProblemLog, top: bool,
              limits: ArchiveLimits = DEFAULT_LIMITS) -> None:
    ext = _suffix(name)
    if not data:
        log.add("error", "file_empty", file=name)
    elif ext == ".zip" and top:
        for member, content in unpack(name, data, log, limits):
            _read_one(member, content, result, log, top=False, limits=limits)
    elif ext in SPREADSHEETS:
        if check_package(name, data, log, limits):
            _read_workbook(name, data, result, log)
    elif ext in {".csv", ".tsv", ".txt"}:
        _read_csv(name, data, result, log)
    elif ext in JSON:
        _read_json(name, data, result, log)
    elif ext == PARQUET:
        if check_parquet(name, data, log, limits):
            _read_parquet(name, data, result, log)
    elif ext in IMAGES and not top:
        result.images[PurePosixPath(name.split("!/", 1)[-1]).name] = data
    elif top:
        log.add("error", "file_unsupported", file=name, ext=ext or "?")
    else:
        log.add("info", "zip_member_ignored", file=name)


# --- workbooks ---------------------------------------------------------------------------


def _read_workbook(name: str, data: bytes, result: ReadResult, log: ProblemLog) -> None:
    disguised = sniff_workbook(data)
    if disguised:
        log.add("error", {HTML: "file_is_html", ENCRYPTED: "file_encrypted",
                          TEXT: "file_is_text"}[disguised],
                file=name, ext=_suffix(name))
        return
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        hidden = {m.name for m in book.sheets_metadata
                  if m.visible != python_calamine.SheetVisibleEnum.Visible}
        sheets = []
        for sheet_name in book.sheet_names:
            sheet = book.get_sheet_by_name(sheet_name)
            cells = sheet.to_python()
            first_row = sheet.start[0] + 1 if sheet.start else 1
            sheets.append((sheet_name, pd.DataFrame(cells, dtype=object), first_row))
    except python_calamine.PasswordError:
        log.add("error", "file_encrypted", file=name, ext=_suffix(name))
        return
    except (python_calamine.CalamineError, OSError, ValueError, EOFError) as exc:
        # CalamineError covers corrupt and unrecognised workbooks (its XmlError, ZipError...);
        # anything else is a bug of ours and must surface as one.
        log.add("error", "file_unreadable", file=name, reason=reason(exc))
        return
    found = []
    for sheet_name, cells, first_row in sheets:
        if sheet_name not in hidden:
            found.append(_add_table(name, sheet_name, cells, first_row, result, log))
            if found[-1] == UNRECOGNISED:
                log.add("info", "sheet_ignored", file=name, sheet=sheet_name)
    found += _hidden_sheets(name, sheets, hidden, result, log)
    _report_unused(name, found, log)


def _hidden_sheets(name: str, sheets: list, hidden: set[str], result: ReadResult,
                   log: ProblemLog) -> list[str]:
    """Hidden sheets hold stale copies, lookup lists and workings more often than data: one
    is read only when no visible sheet of the workbook is of its kind, and said either way."""
    visible = {_sheet_kind(s, cells) for s, cells, _ in sheets if s not in hidden}
    found = []
    for sheet_name, cells, first_row in sheets:
        if sheet_name not in hidden:
            continue
        kind = _sheet_kind(sheet_name, cells)
        if kind is None or kind in visible:
            log.add("info", "sheet_hidden_ignored", file=name, sheet=sheet_name)
            continue
        log.add("info", "sheet_hidden_used", file=name, sheet=sheet_name)
        found.append(_add_table(name, sheet_name, cells, first_row, result, log))
    return found


def _report_unused(name: str, found: list[str], log: ProblemLog) -> None:
    """A file that gave no table: unrecognised (left out, the rest is audited) or empty."""
    if USED in found or log.has_error(name):
        return
    if UNRECOGNISED in found:
        log.add("warning", "file_not_recognised", file=name)
    else:
        log.add("error", "file_empty", file=name)


def _typed(cells: pd.DataFrame) -> pd.DataFrame:
    """Give all-text columns the text dtype so later steps run vectorised; mixed columns
    (a date cell among text cells, say) stay as Python objects."""
    for column in cells.columns:
        if cells[column].dtype == object and \
                pd.api.types.infer_dtype(cells[column], skipna=True) == "string":
            cells[column] = cells[column].astype(pd.StringDtype("pyarrow", np.nan))
    return cells


# --- CSV ---------------------------------------------------------------------------------


def _delimiter(text: str) -> tuple[str, str]:
    """Pick , ; or tab from the first record (quotes respected); honour Excel's 'sep=' line.

    Returns the delimiter and the text to parse (without the 'sep=' line)."""
    first = text.split("\n", 1)[0].strip()
    if first.lower().startswith("sep=") and len(first) == 5:
        return first[4], text.split("\n", 1)[1] if "\n" in text else ""
    counts = dict.fromkeys([",", ";", "\t"], 0)
    in_quotes = False
    for char in text[:20000]:
        if char == '"':
            in_quotes = not in_quotes
        elif not in_quotes:
            if char == "\n":
                break
            if char in counts:
                counts[char] += 1
    return max(counts, key=lambda d: (counts[d], d == ",")), text


def _read_csv(name: str, data: bytes, result: ReadResult, log: ProblemLog) -> None:
    plain = _plain_utf8_cells(data)
    if plain is not None:
        cells, delimiter, first_row, encoding = plain
        found = _add_table(name, _stem(name), cells, first_row, result, log, encoding=encoding,
                           delimiter={"\t": "tab"}.get(delimiter, delimiter))
        _report_unused(name, [found], log)
        return
    decoded = decode(data)
    text = decoded.text.replace("\x00", "")
    delimiter, body = _delimiter(text)
    first_row = 2 if body is not text else 1
    try:
        cells = _csv_cells(body, delimiter)
    except csv.Error as exc:
        log.add("error", "file_unreadable", file=name, reason=reason(exc))
        return
    stem = _stem(name)
    foreign = "mixed_encoding_utf16" if decoded.encoding.startswith("utf-16") else \
        "mixed_encoding"
    for line, content in decoded.foreign_lines:
        log.add("warning", foreign, file=name, sheet=stem, row=line, value=content)
    for line, content in decoded.damaged_lines:
        log.add("warning", "encoding_damaged", file=name, sheet=stem, row=line, value=content,
                encoding=decoded.encoding.split("+")[0].upper())
    found = _add_table(name, stem, cells, first_row, result, log,
                       encoding=decoded.encoding,
                       delimiter={"\t": "tab"}.get(delimiter, delimiter))
    _report_unused(name, [found], log)


def _read_json(name: str, data: bytes, result: ReadResult, log: ProblemLog) -> None:
    """JSON and JSON-lines exports (Twitter API v2, twarc2, 4CAT, Zeeschuimer): records as
    rows of flattened key paths, read like a sheet. Row N is the Nth record, which in a
    file of one record per line is line N; a line that is not JSON is listed, not dropped."""
    cells, bad = records_cells(decode(data).text)
    stem = _stem(name)
    for line, start in bad:
        log.add("warning", "json_line_unreadable", file=name, sheet=stem, row=line, value=start)
    if cells.empty:
        if not bad:
            log.add("error", "file_empty", file=name)
        return
    _report_unused(name, [_add_table(name, stem, cells, 0, result, log)], log)


def _read_parquet(name: str, data: bytes, result: ReadResult, log: ProblemLog) -> None:
    """A Parquet file is read as a CSV file is: one sheet named by the file, the header in
    row 1, data from row 2 (``audit/ingest/parquet.py``). A web page or a text file named
    .parquet is said to be one."""
    disguised = sniff_workbook(data)
    if disguised in (HTML, TEXT):
        log.add("error", {HTML: "file_is_html", TEXT: "file_is_text"}[disguised],
                file=name, ext=_suffix(name))
        return
    try:
        cells = parquet_cells(data)
    except (pa.ArrowException, OSError) as exc:
        log.add("error", "file_unreadable", file=name, reason=reason(exc))
        return
    stem = _stem(name)
    _report_unused(name, [_add_table(name, stem, cells, 1, result, log)], log)


def _stem(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).stem


def _plain_utf8_cells(data: bytes) -> tuple[pd.DataFrame, str, int, str] | None:
    """The cells, delimiter, first row and encoding of a CSV file in plain UTF-8 (with or
    without a BOM, no NUL byte, rows of even length), parsed by Arrow from the bytes as
    they are: the common case, read without the decoded copy of the whole file (twice
    its size in memory) that ``decode`` makes. Arrow checks the UTF-8 as it parses; any
    other file (UTF-16, Windows-1252, mixed lines, uneven rows) gives None and is read by
    the general path, which says what it found."""
    bom = data.startswith(b"\xef\xbb\xbf")
    body = memoryview(data)[3:] if bom else memoryview(data)
    head = bytes(body[:_CSV_HEAD_BYTES])
    if b"\x00" in data or (b"\n" not in head and len(body) > len(head)):
        return None
    text = head.decode("utf-8", errors="ignore")  # at most a character cut at the end
    delimiter, rest = _delimiter(text)
    skipped = 0 if rest is text else head.find(b"\n") + 1 or len(head)  # the sep= line
    try:
        cells = _arrow_cells(rest, pa.py_buffer(body[skipped:]), delimiter)
    except pa.ArrowInvalid:
        return None
    return cells, delimiter, 2 if rest is not text else 1, "utf-8-sig" if bom else "utf-8"


def _csv_cells(body: str, delimiter: str) -> pd.DataFrame:
    """Every cell as text, positional columns. Arrow's multi-threaded reader does the work;
    files it refuses (rows of uneven length) go through the csv module, cell by cell."""
    try:
        return _arrow_cells(body[:_CSV_HEAD_BYTES], body.encode("utf-8"), delimiter)
    except pa.ArrowInvalid:
        rows = list(csv.reader(io.StringIO(body, newline=""), delimiter=delimiter))
        width = max(len(r) for r in rows)
        cells = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
    cells.columns = range(cells.shape[1])
    return cells


def _arrow_cells(head: str, payload, delimiter: str) -> pd.DataFrame:
    """Arrow's parse of the CSV bytes ``payload`` (``head``: its first characters, whose
    first record gives the number of columns). Raises ``pa.ArrowInvalid`` on rows of
    uneven length or bytes that are not UTF-8."""
    first = next(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter), None)
    if not first:
        return pd.DataFrame(dtype=object)
    names = [f"c{i}" for i in range(len(first))]
    table = pacsv.read_csv(
        pa.BufferReader(payload),
        read_options=pacsv.ReadOptions(column_names=names),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True,
                                         ignore_empty_lines=False),
        convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                             strings_can_be_null=False,
                                             quoted_strings_can_be_null=False))
    # Arrow reads in blocks, a column in as many chunks (206 for a million posts); every
    # later pass over a column then works chunk by chunk, so each is joined once here,
    # the columns on as many threads as Arrow uses, side by side (a join lets go of the
    # interpreter's lock): the posts' texts are joined while the other columns are.
    with ThreadPoolExecutor(max_workers=pa.cpu_count()) as joiners:
        columns = list(joiners.map(_joined, table.columns))
    table = pa.table(columns, names=table.column_names)
    cells = table.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow", np.nan)}.get)
    cells.columns = range(cells.shape[1])
    return cells


def _joined(column: pa.ChunkedArray) -> pa.ChunkedArray:
    return pa.chunked_array([column.combine_chunks()], type=column.type)


# --- sheets ------------------------------------------------------------------------------

_ALIASES = {kind: sheet.names() for kind, sheet in SHEETS.items()}
_COLUMN_NAMES = {kind: {n: c.name for c in sheet.columns for n in c.names()}
                 for kind, sheet in SHEETS.items()}


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and value != value)


def _kind_by_name(name: str) -> str | None:
    folded = normalize_name(name)
    for kind, aliases in _ALIASES.items():
        if folded in aliases:
            return kind
    tokens = set(folded.split("_"))
    for kind, aliases in _ALIASES.items():
        if any(a in tokens or (len(a) > 8 and a in folded) for a in aliases):
            return kind
    return None


def _sheet_kind(sheet: str, cells: pd.DataFrame) -> str | None:
    """The contract sheet a sheet is, by its name or else by its header row."""
    return _find_header(cells, _kind_by_name(sheet))[1]


def _header_matches(kind: str, row: list) -> int:
    names = _COLUMN_NAMES[kind]
    return len({names[normalize_name(c)] for c in row if normalize_name(c) in names})


def _find_header(cells: pd.DataFrame, kind: str | None) -> tuple[int, str | None, int]:
    """Choose the header row among the first rows and, if unknown, the sheet kind from it;
    also say how many of the contract's columns that row names (0: no header found)."""
    top = cells.head(_HEADER_SCAN_ROWS * 3).to_numpy(dtype=object).tolist()
    candidates = [i for i, row in enumerate(top) if not all(_blank(c) for c in row)]
    candidates = candidates[:_HEADER_SCAN_ROWS]
    if not candidates:
        return -1, kind, 0
    best = (0, candidates[0], kind)
    for i in candidates:
        for k in [kind] if kind else list(SHEETS):
            score = _header_matches(k, top[i])
            if score > best[0]:
                best = (score, i, k)
    score, index, found = best
    if not kind and score < 2:
        return candidates[0], None, score
    return index, found, score


def _header_names(row: list) -> list[str]:
    """Headers as written, made unique; an empty header becomes 'column N'."""
    names, seen = [], {}
    for i, cell in enumerate(row):
        label = str(cell).strip() if not _blank(cell) else f"column {i + 1}"
        count = seen.get(label, 0)
        seen[label] = count + 1
        names.append(label if count == 0 else f"{label} ({count + 1})")
    return names


def _add_table(file: str, sheet: str, cells: pd.DataFrame, first_row: int, result: ReadResult,
               log: ProblemLog, encoding: str | None = None, delimiter: str | None = None) -> str:
    """Turn a sheet's cells into a RawTable; return USED (a table, or the problems that
    stop it), EMPTY or UNRECOGNISED (the caller says so: a sheet or a whole file). An
    export a platform importer recognises is read by it (audit/ingest/importers/)."""
    recognised = import_sheet(file, sheet, cells, first_row)
    if recognised is not None:
        return _add_imported(file, sheet, recognised, result, log, encoding, delimiter)
    kind = _kind_by_name(sheet)
    located = result.mapping and result.mapping.locate(cells, file, sheet, kind)
    if located:
        (header_index, kind), matched = located, True
    else:
        header_index, kind, matched = _find_header(cells, kind)
    if header_index < 0:
        return EMPTY
    if kind is None:
        result.unrecognised.append(SheetColumns(file, sheet, None, _header_names(
            cells.iloc[header_index].tolist()), cells.iloc[header_index + 1:]))
        return UNRECOGNISED
    contract = SHEETS[kind]
    if not matched:
        log.add("error", "header_not_found", file=file, sheet=sheet, rows=_HEADER_SCAN_ROWS,
                sheet_kind=f"{contract.header_es} / {contract.name}",
                columns=", ".join(c.header_es for c in contract.required_columns))
        return USED
    headers = _header_names(cells.iloc[header_index].tolist())
    frame = _typed(cells.iloc[header_index + 1:].reset_index(drop=True))
    frame.columns = headers
    rows = np.arange(len(frame)) + first_row + header_index + 1
    keep = ~_blank_rows(frame)
    result.empty_rows += int((~keep).sum())
    frame, rows = frame[keep].reset_index(drop=True), rows[keep]
    # A column with neither a header nor any value is spreadsheet padding, not data.
    padding = [h for h in headers if h.startswith("column ") and is_blank(frame[h]).all()]
    frame = frame.drop(columns=padding)
    header_row = first_row + header_index
    written = [h for h in headers if h not in padding]
    fixed = result.mapping.assign(kind, written, file=file, sheet=sheet, row=header_row,
                                  log=log) if result.mapping else {}
    mapping, extra = _match_columns(contract, written, file, sheet, header_row, log, fixed)
    frame.columns = [mapping.get(h, h) for h in frame.columns]
    missing = [c for c in contract.required_columns if c.name not in mapping.values()]
    derivable = _DERIVABLE.get(kind, {})
    missing = [c for c in missing if derivable.get(c.name) not in mapping.values()]
    for column in missing:
        log.add("error", "missing_required_column", file=file, sheet=sheet,
                column=column.header_es, field=f"{column.header_es} / {column.name}",
                sheet_kind=f"{contract.header_es} / {contract.name}",
                suggestion=_closest(column, extra))
    if missing:
        result.unrecognised.append(SheetColumns(file, sheet, kind, headers,
                                                cells.iloc[header_index + 1:], mapping))
        return USED
    if frame.empty:
        log.add("error", "file_empty", file=file, sheet=sheet)
        return USED
    result.tables.append(RawTable(kind=kind, file=file, sheet=sheet, frame=frame, rows=rows,
                                  headers={v: k for k, v in mapping.items()}, extra=extra,
                                  encoding=encoding, delimiter=delimiter))
    return USED


def _add_imported(file: str, sheet: str, recognised: Recognised, result: ReadResult,
                  log: ProblemLog, encoding: str | None, delimiter: str | None) -> str:
    """Keep what an importer made of an export: its posts as tables to validate, its
    accounts for the profiles, its problems in the log."""
    imported = recognised.imported
    result.empty_rows += recognised.empty_rows
    for problem in imported.problems:
        log.add(problem.severity, problem.code, file=file, sheet=sheet, row=problem.row,
                column=problem.column, value=problem.value, **problem.params)
    for table in imported.tables:
        if table.kind == "profiles":
            result.accounts.append((file, f"{sheet} (accounts)", table))
        elif not table.frame.empty:
            result.tables.append(RawTable(
                kind=table.kind, file=file, sheet=sheet, frame=table.frame, rows=table.rows,
                headers=table.headers, extra=table.extra, encoding=encoding,
                delimiter=delimiter, importer=imported.layout))
    if not any(len(t.frame) for t in imported.tables) and not imported.problems \
            and not log.has_error(file):
        log.add("error", "file_empty", file=file, sheet=sheet)
    return USED


def _blank_rows(frame: pd.DataFrame) -> np.ndarray:
    """True where every cell of a row holds nothing (empty, spaces, or a placeholder such
    as '-').

    Each column is tested only in the rows still blank in the columns before it: the first
    column with data clears nearly every row, so a million posts cost about one column's
    test instead of one per column (0.9 s of the reading of a million posts)."""
    blank = np.ones(len(frame), dtype=bool)
    for position in range(frame.shape[1]):
        rows = np.flatnonzero(blank)
        if not len(rows):
            break
        column = frame.iloc[:, position]
        if len(rows) < len(frame):
            column = column.iloc[rows]
        blank[rows] = is_blank(column).to_numpy()
    return blank


def _match_columns(contract: Sheet, headers: list[str], file: str, sheet: str, header_row: int,
                   log: ProblemLog, fixed: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """Map each written header to a contract column; report unknown and repeated ones. The
    ``fixed`` headers (the auditor's mapping) come first and win over recognition."""
    names = _COLUMN_NAMES[contract.name]
    mapping: dict[str, str] = dict(fixed)
    extra: list[str] = []
    for header in (h for h in headers if h not in fixed):
        field_name = names.get(normalize_name(header))
        if field_name and field_name not in mapping.values():
            mapping[header] = field_name
        elif field_name:
            first = next(h for h, f in mapping.items() if f == field_name)
            log.add("warning", "duplicate_column", file=file, sheet=sheet, row=header_row,
                    column=header, first=first, field=field_name)
            extra.append(header)
        else:
            extra.append(header)
    for header in extra:
        if header.startswith("column ") or names.get(normalize_name(header)):
            continue
        unused = [c for c in contract.columns if c.name not in mapping.values()]
        log.add("info", "unknown_column", file=file, sheet=sheet, row=header_row, column=header,
                suggestion=_closest_header(header, unused))
    return mapping, extra


def _closest_header(header: str, columns) -> str | None:
    """The contract header nearest to a misspelt one, if it is near enough to suggest."""
    choices = {n: c.header_es for c in columns for n in c.names()}
    if not choices:
        return None
    match = process.extractOne(normalize_name(header), list(choices),
                               score_cutoff=_SUGGEST_MIN_SCORE)
    return choices[match[0]] if match else None


def _closest(column, extra: list[str]) -> str | None:
    """Among the unknown headers, the one that looks like a misspelling of ``column``."""
    if not extra:
        return None
    folded = {normalize_name(e): e for e in extra}
    match = process.extractOne(normalize_name(column.header_es), list(folded),
                               score_cutoff=_SUGGEST_MIN_SCORE)
    if not match:
        match = process.extractOne(column.name, list(folded), score_cutoff=_SUGGEST_MIN_SCORE)
    return folded[match[0]] if match else None
