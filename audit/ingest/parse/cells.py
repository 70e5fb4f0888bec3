"""Cells: one pass that sorts a column's cells by kind, and what every parser shares.

Each parser starts from ``sort_cells``, which strips text, recognises blanks and placeholders
and says, per cell, whether it holds text, a number, a boolean, a date or something else;
parsers decide per kind, never per Python type. The helpers below it parse each distinct
value once and map results back to rows, which keeps long, repetitive columns cheap.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import numbers
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


@dataclass(frozen=True)
class Parsed:
    """The typed values of one column.

    ``invalid`` marks cells that hold something but could not be read; blank cells are NA
    in ``values`` and False in ``invalid``. ``note`` carries a decision taken for the whole
    column that the user should hear about (for dates: ``"month_first"``).
    ``out_of_range`` marks cells read fine whose value cannot be true (a count of 10^19
    followers); they are NA in ``values`` too. None when the kind has no such range.
    """

    values: pd.Series
    invalid: pd.Series
    note: str | None = None
    out_of_range: pd.Series | None = None


@dataclass(frozen=True)
class HandleParse:
    """Accounts named by a column of handles or URLs.

    ``handle`` is lower case, without "@" or URL parts; ``network`` is the network a URL
    implies (NA for a bare handle, which could belong to any network).
    """

    handle: pd.Series
    network: pd.Series
    invalid: pd.Series


# --------------------------------------------------------------------------------------
# Cells: one pass that sorts a column's cells by Python type
# --------------------------------------------------------------------------------------

STR = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas' default "str" dtype

# What sort of thing a cell holds. Parsers decide per sort, never per Python type.
BLANK, TEXT, NUMBER, BOOL, DATETIME, DATE, OTHER = range(7)

# Stripped from both ends of text: whitespace (incl. no-break and narrow no-break spaces
# that Spanish locales put in numbers) and the invisible characters copy-paste from web
# pages leaves behind (zero-width spaces, word joiner, byte-order mark).
_EDGE_CHARS = (
    " \t\n\r\v\f\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\u200b\u200c\u200d\u2060\ufeff"
)
# Written placeholders that mean "nothing here", compared in lower case after stripping.
_BLANK_TOKENS = ("", "-", "—", "–", "n/a", "na", "null", "none", "nan", "#n/a")
_BLANK_TOKEN_MAX = max(len(t) for t in _BLANK_TOKENS)
# The bytes a placeholder may start with, as a table indexed by byte: its ASCII first
# letters in either case (a cell starting with any other ASCII byte is no placeholder:
# lower case maps ASCII to ASCII) and every byte beyond ASCII, which is looked at.
_BLANK_FIRST_BYTES = np.zeros(256, dtype=bool)
_BLANK_FIRST_BYTES[[ord(c) for t in _BLANK_TOKENS if t and t[0].isascii()
                    for c in (t[0], t[0].upper())]] = True
_BLANK_FIRST_BYTES[0x80:] = True
# Every character stripped (``_EDGE_CHARS``, Unicode whitespace) is a control or space below
# "!" or lies beyond ASCII, so a cell whose first and last bytes are printable ASCII keeps
# its ends.
_PRINTABLE = (0x21, 0x7F)


@dataclass(frozen=True)
class Cells:
    """A column sorted by kind of content, positionally (index 0..n-1).

    ``text`` is stripped and NA wherever the cell is not non-blank text; ``number`` is
    NaN wherever the cell is not a (non-boolean) number; ``objects`` keeps the original
    Python objects for the kinds that need them (None for typed columns).
    """

    kind: np.ndarray  # int8, one of BLANK..OTHER
    text: pd.Series  # STR dtype, RangeIndex
    number: np.ndarray  # float64
    objects: np.ndarray | None  # object

    @property
    def blank(self) -> np.ndarray:
        return self.kind == BLANK

    def is_(self, kind: int) -> np.ndarray:
        return self.kind == kind

    def objects_of(self, kind: int) -> np.ndarray:
        """The original objects of one kind (typed columns have none of the object kinds)."""
        mask = self.kind == kind
        if self.objects is None or not mask.any():
            return np.empty(0, dtype=object)
        return self.objects[mask]


@lru_cache(maxsize=256)
def _kind_of_type(kind: type) -> int:
    """Sort a Python type; bool before int because bool is a subclass of int."""
    if issubclass(kind, str):
        return TEXT
    if issubclass(kind, (bool, np.bool_)):
        return BOOL
    if issubclass(kind, (numbers.Real, decimal.Decimal)):
        return NUMBER
    if issubclass(kind, (dt.datetime, np.datetime64)):
        return DATETIME
    if issubclass(kind, dt.date):
        return DATE
    return OTHER  # time of day, bytes, timedelta, complex, containers...


def _to_float(value: object) -> float:
    """A number as float; huge integers become ±inf (invalid later) instead of raising."""
    try:
        return float(value)  # type: ignore[arg-type]
    except OverflowError:
        return -math.inf if value < 0 else math.inf  # type: ignore[operator]
    except (TypeError, ValueError):
        return math.nan


def _missing(objects: np.ndarray) -> np.ndarray:
    """pd.isna, surviving objects whose comparison raises (Decimal("sNaN") does)."""
    try:
        return np.asarray(pd.isna(objects), dtype=bool)
    except (ArithmeticError, TypeError, ValueError):
        def missing(value: object) -> bool:
            try:
                return bool(pd.isna(value))
            except (ArithmeticError, TypeError, ValueError):
                return isinstance(value, decimal.Decimal) and value.is_nan()
        return np.fromiter((missing(v) for v in objects), dtype=bool, count=len(objects))


def _text_series(values: np.ndarray) -> pd.Series:
    """Strings (None elsewhere) as a "str" Series.

    Arrow stores UTF-8, so a string with lone surrogates (possible from odd decoders)
    cannot be stored as is; those few are re-encoded with replacement characters.
    """
    try:
        return pd.Series(values, dtype=STR)
    except (UnicodeError, pa.ArrowException):
        fixed = [
            v.encode("utf-8", "replace").decode("utf-8") if isinstance(v, str) else v
            for v in values
        ]
        return pd.Series(np.array(fixed, dtype=object), dtype=STR)


def sort_cells(raw: pd.Series) -> Cells:
    """Sort a column's cells by kind, strip text and recognise blanks."""
    n = len(raw)
    dtype = raw.dtype
    kind = np.full(n, BLANK, dtype=np.int8)
    number = np.full(n, np.nan)
    objects = None

    if isinstance(dtype, pd.StringDtype):
        text = raw.astype(STR).reset_index(drop=True)
        kind[text.notna().to_numpy()] = TEXT
    elif pd.api.types.is_bool_dtype(dtype):
        objects = raw.to_numpy(dtype=object, na_value=None)
        kind[raw.notna().to_numpy()] = BOOL
        text = pd.Series([None] * n, dtype=STR)
    elif pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_complex_dtype(dtype):
        number = raw.to_numpy(dtype="float64", na_value=np.nan)
        kind[~np.isnan(number)] = NUMBER
        text = pd.Series([None] * n, dtype=STR)
    else:  # object, category, datetime64, anything else: look at each Python object
        objects = raw.to_numpy(dtype=object)
        missing = _missing(objects)
        inferred = pd.api.types.infer_dtype(objects, skipna=True)
        # Whole-column answers from pandas' C type inference ("date" is left out: pandas
        # says "date" for a mix of dates and datetimes).
        shortcut = {
            "string": TEXT, "empty": TEXT, "integer": NUMBER, "floating": NUMBER,
            "mixed-integer-float": NUMBER, "decimal": NUMBER, "boolean": BOOL,
            "datetime": DATETIME, "datetime64": DATETIME,
        }.get(inferred)
        if shortcut is not None:
            kind[:] = shortcut
        else:
            kind[:] = np.fromiter((_kind_of_type(type(v)) for v in objects), np.int8, n)
        kind[missing] = BLANK
        is_number = kind == NUMBER
        if is_number.any():
            try:
                number[is_number] = objects[is_number].astype("float64")
            except (OverflowError, TypeError, ValueError, ArithmeticError):
                number[is_number] = [_to_float(v) for v in objects[is_number]]
            kind[is_number & np.isnan(number)] = BLANK  # e.g. Decimal("NaN")
        text = _text_series(np.where(kind == TEXT, objects, None))

    # Blank text: strip, then look for placeholders among the short strings only.
    is_text = kind == TEXT
    if is_text.any():
        text, ends = _strip_edges(text, _EDGE_CHARS)
        # A placeholder has at most _BLANK_TOKEN_MAX characters, so at most four bytes each,
        # and is empty or starts with one of its first bytes.
        short = np.flatnonzero((ends.length <= 4 * _BLANK_TOKEN_MAX) & (
            (ends.length == 0) | _BLANK_FIRST_BYTES[ends.first]))
        if len(short):
            placeholder = text.iloc[short].str.lower().isin(_BLANK_TOKENS).to_numpy(dtype=bool)
            blank_pos = short[placeholder]
            if len(blank_pos):
                kind[blank_pos] = BLANK
                text = text.where(kind == TEXT)
    return Cells(kind=kind, text=text, number=number, objects=objects)


def strip_edges(text: pd.Series, chars: str | None = None) -> pd.Series:
    """``text.str.strip(chars)`` (Unicode whitespace when ``chars`` is None), touching
    only the cells that start or end with such a character.

    Almost no cell needs it, and stripping every cell writes a copy of the whole column
    (a million posts' texts are some 200 MB): the first and last character of each cell
    are looked at instead (Arrow's own test of whitespace, the one its strip uses), and
    the column is returned as it is when none of them is to go.
    """
    return _strip_edges(text, chars)[0]


def _strip_edges(text: pd.Series, chars: str | None) -> tuple[pd.Series, _Ends]:
    """``strip_edges`` and the end bytes of what it returns, read once when nothing is
    stripped (the usual case) rather than again by the caller."""
    ends = _end_bytes(text)
    low, high = _PRINTABLE
    kept = (ends.length == 0) | ((ends.first >= low) & (ends.first < high)
                                 & (ends.last >= low) & (ends.last < high))
    maybe = np.flatnonzero(~kept)
    if not len(maybe):
        return text, ends
    strings = pa.array(text.iloc[maybe].array)
    head, tail = pc.utf8_slice_codeunits(strings, 0, 1), pc.utf8_slice_codeunits(strings, -1)
    if chars is None:
        ragged = pc.or_(pc.utf8_is_space(head), pc.utf8_is_space(tail))
    else:
        edge = pa.array(list(chars))
        ragged = pc.or_(pc.is_in(head, edge), pc.is_in(tail, edge))
    positions = maybe[np.flatnonzero(pc.fill_null(ragged, False))]
    if not len(positions):
        return text, ends
    stripped = text.copy()
    stripped.iloc[positions] = text.iloc[positions].str.strip(chars).array
    return stripped, _end_bytes(stripped)


@dataclass(frozen=True)
class _Ends:
    """Byte length, first and last byte of each cell (0 where empty or NA)."""

    length: np.ndarray
    first: np.ndarray
    last: np.ndarray


def _end_bytes(text: pd.Series) -> _Ends:
    """Read from Arrow's offsets and data buffers with numpy: a few milliseconds for a
    million cells, where Arrow's slicing of each cell's first and last character writes two
    new columns of strings."""
    chunks = pa.array(text.array)
    chunks = chunks.chunks if isinstance(chunks, pa.ChunkedArray) else [chunks]
    parts = []
    for chunk in chunks:
        if chunk.type not in (pa.string(), pa.large_string()):
            chunk = chunk.cast(pa.large_string())
        wide = np.int64 if chunk.type == pa.large_string() else np.int32
        _, offsets, data = chunk.buffers()
        offsets = np.frombuffer(offsets, dtype=wide)[chunk.offset:chunk.offset + len(chunk) + 1]
        data = np.frombuffer(data, dtype=np.uint8) if data is not None and data.size else \
            np.zeros(1, dtype=np.uint8)
        start, stop = offsets[:-1], offsets[1:]
        length = (stop - start).astype(np.int64)
        if chunk.null_count:
            length[chunk.is_null().to_numpy(zero_copy_only=False)] = 0
        # Every cell's first and last byte taken (clipped to the buffer), then zeroed where
        # the cell is empty: cheaper than selecting the non-empty cells first.
        full = length > 0
        first = np.where(full, data.take(start, mode="clip"), 0).astype(np.uint8)
        last = np.where(full, data.take(stop - 1, mode="clip"), 0).astype(np.uint8)
        parts.append((length, first, last))
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return _Ends(empty, empty.astype(np.uint8), empty.astype(np.uint8))
    return _Ends(*(np.concatenate(p) for p in zip(*parts, strict=True)))


def is_blank(raw: pd.Series) -> pd.Series:
    """True where a cell holds nothing: missing, empty, whitespace or a placeholder.

    Placeholders ("-", "N/A", "null", "#N/A"...) are what exports and people write for
    "no value"; treating them as blank keeps them out of the error list.
    """
    return pd.Series(sort_cells(raw).blank, index=raw.index, dtype=bool)


# --------------------------------------------------------------------------------------
# Shared helpers: parse each distinct value once, map back to rows, run pyarrow regexes
# --------------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case without accents, spaces collapsed: how people vary a short word.

    Non-spacing marks go: accents once decomposed, and emoji variation selectors ("✔️").
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(plain.casefold().split()).rstrip(".")


def per_distinct(text: pd.Series, parse: Callable[[str], object]) -> tuple[np.ndarray, list]:
    """Parse each distinct non-NA string once; return codes (-1 for NA) and results."""
    codes, uniques = pd.factorize(text)
    return codes, [parse(u) for u in uniques]


def spread(codes: np.ndarray, results: list, fill: object = None) -> np.ndarray:
    """Map per-distinct results back to rows; rows with code -1 get ``fill``."""
    table = np.empty(len(results) + 1, dtype=object)
    for i, result in enumerate(results):  # a loop, so tuples stay single objects
        table[i] = result
    table[-1] = fill
    return table[codes]


def integer_text(cells: Cells) -> pd.Series:
    """Text cells plus integral number cells written as digits (phone numbers, page ids).

    Excel stores a WhatsApp number or a Facebook page id as a number; matching them as
    text is what the user means. Python ints are used exactly; floats only when exact.
    """
    text = cells.text
    is_number = cells.is_(NUMBER)
    if not is_number.any():
        return text
    digits = np.full(len(is_number), None, dtype=object)
    for pos in np.flatnonzero(is_number):
        original = cells.objects[pos] if cells.objects is not None else None
        if isinstance(original, (int, np.integer)) and original >= 0:
            digits[pos] = str(int(original))
        else:
            value = cells.number[pos]
            if math.isfinite(value) and value >= 0 and value == int(value) and value < 2**53:
                digits[pos] = str(int(value))
    extra = pd.Series(digits, dtype=STR)
    return text.where(text.notna(), extra)


def take_text(codes: np.ndarray, table: list, index: pd.Index) -> pd.Series:
    """Per-distinct strings (or None) mapped to rows by codes (-1 -> NA), in Arrow.

    Cheaper than building a column of Python objects: long columns repeat few values.
    """
    strings = pa.array([*table, None], type=pa.large_string())
    rows = np.where(codes < 0, len(table), codes)
    return pd.Series(strings.take(pa.array(rows)), index=index, dtype=STR)


def row_mask(values: np.ndarray, index: pd.Index) -> pd.Series:
    return pd.Series(np.asarray(values, dtype=bool), index=index, dtype=bool)


def arrow(text: pd.Series) -> pa.Array:
    """The column's Arrow strings, to run pyarrow compute functions (RE2) on them."""
    array = pa.array(text)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def matches(text: pd.Series, pattern: str) -> np.ndarray:
    """Regex search per row, always in pyarrow (pandas may fall back to Python's re)."""
    found = pc.match_substring_regex(arrow(text), pattern)
    return found.to_numpy(zero_copy_only=False).astype(bool)
