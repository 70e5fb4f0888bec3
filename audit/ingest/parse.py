"""Value parsers: turn the cells of a spreadsheet column into typed, comparable values.

Auditors upload whatever their tools and colleagues produced: CSV exports (every cell a
string), Excel workbooks read by python-calamine (an object column mixing str, int, float,
bool, datetime, date and time), hand-typed sheets in Spanish or English. Each parser takes
one column as a ``pd.Series`` and returns the typed values plus a mask of the cells that
were written but could not be read, so the validator can point the auditor at them
instead of silently dropping data. Blank cells are never an error here: whether a value
is required is the validator's business.

Two rules hold for every public function:

* it never raises on cell content (only on a programming error such as an unknown time
  zone name), and
* its outputs keep the input's index, so they can be assigned back to the frame.

Columns are large (a posts sheet may have 200,000 rows) and must be checked about as fast
as pandas reads them, so the parsers work on whole columns: low-cardinality kinds parse
each distinct value once and map the result back; dates, which are mostly distinct, go
through vectorised passes (pandas' ISO 8601 parser, pyarrow regular expressions, numpy
calendar arithmetic) and only the few leftovers are parsed one by one in Python.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import numbers
import re
import unicodedata
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qs, unquote, urlsplit

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import fuzz, process

from audit.ingest.contract import ANSWERS, NETWORKS, normalize_name

__all__ = [
    "HandleParse",
    "Parsed",
    "is_blank",
    "parse_answers",
    "parse_booleans",
    "parse_choices",
    "parse_counts",
    "parse_datetimes",
    "parse_handles",
    "parse_networks",
    "parse_post_urls",
]


@dataclass(frozen=True)
class Parsed:
    """The typed values of one column.

    ``invalid`` marks cells that hold something but could not be read; blank cells are NA
    in ``values`` and False in ``invalid``. ``note`` carries a decision taken for the whole
    column that the user should hear about (for dates: ``"month_first"``).
    """

    values: pd.Series
    invalid: pd.Series
    note: str | None = None


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

_STR = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas' default "str" dtype

# What sort of thing a cell holds. Parsers decide per sort, never per Python type.
_BLANK, _TEXT, _NUMBER, _BOOL, _DATETIME, _DATE, _OTHER = range(7)

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


@dataclass(frozen=True)
class _Cells:
    """A column sorted by kind of content, positionally (index 0..n-1).

    ``text`` is stripped and NA wherever the cell is not non-blank text; ``number`` is
    NaN wherever the cell is not a (non-boolean) number; ``objects`` keeps the original
    Python objects for the kinds that need them (None for typed columns).
    """

    kind: np.ndarray  # int8, one of _BLANK.._OTHER
    text: pd.Series  # _STR dtype, RangeIndex
    number: np.ndarray  # float64
    objects: np.ndarray | None  # object

    @property
    def blank(self) -> np.ndarray:
        return self.kind == _BLANK

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
        return _TEXT
    if issubclass(kind, (bool, np.bool_)):
        return _BOOL
    if issubclass(kind, (numbers.Real, decimal.Decimal)):
        return _NUMBER
    if issubclass(kind, (dt.datetime, np.datetime64)):
        return _DATETIME
    if issubclass(kind, dt.date):
        return _DATE
    return _OTHER  # time of day, bytes, timedelta, complex, containers...


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
        return pd.Series(values, dtype=_STR)
    except (UnicodeError, pa.ArrowException):
        fixed = [
            v.encode("utf-8", "replace").decode("utf-8") if isinstance(v, str) else v
            for v in values
        ]
        return pd.Series(np.array(fixed, dtype=object), dtype=_STR)


def _cells(raw: pd.Series) -> _Cells:
    """Sort a column's cells by kind, strip text and recognise blanks."""
    n = len(raw)
    dtype = raw.dtype
    kind = np.full(n, _BLANK, dtype=np.int8)
    number = np.full(n, np.nan)
    objects = None

    if isinstance(dtype, pd.StringDtype):
        text = raw.astype(_STR).reset_index(drop=True)
        kind[text.notna().to_numpy()] = _TEXT
    elif pd.api.types.is_bool_dtype(dtype):
        objects = raw.to_numpy(dtype=object, na_value=None)
        kind[raw.notna().to_numpy()] = _BOOL
        text = pd.Series([None] * n, dtype=_STR)
    elif pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_complex_dtype(dtype):
        number = raw.to_numpy(dtype="float64", na_value=np.nan)
        kind[~np.isnan(number)] = _NUMBER
        text = pd.Series([None] * n, dtype=_STR)
    else:  # object, category, datetime64, anything else: look at each Python object
        objects = raw.to_numpy(dtype=object)
        missing = _missing(objects)
        inferred = pd.api.types.infer_dtype(objects, skipna=True)
        # Whole-column answers from pandas' C type inference ("date" is left out: pandas
        # says "date" for a mix of dates and datetimes).
        shortcut = {
            "string": _TEXT, "empty": _TEXT, "integer": _NUMBER, "floating": _NUMBER,
            "mixed-integer-float": _NUMBER, "decimal": _NUMBER, "boolean": _BOOL,
            "datetime": _DATETIME, "datetime64": _DATETIME,
        }.get(inferred)
        if shortcut is not None:
            kind[:] = shortcut
        else:
            kind[:] = np.fromiter((_kind_of_type(type(v)) for v in objects), np.int8, n)
        kind[missing] = _BLANK
        is_number = kind == _NUMBER
        if is_number.any():
            try:
                number[is_number] = objects[is_number].astype("float64")
            except (OverflowError, TypeError, ValueError, ArithmeticError):
                number[is_number] = [_to_float(v) for v in objects[is_number]]
            kind[is_number & np.isnan(number)] = _BLANK  # e.g. Decimal("NaN")
        text = _text_series(np.where(kind == _TEXT, objects, None))

    # Blank text: strip, then look for placeholders among the short strings only.
    is_text = kind == _TEXT
    if is_text.any():
        text = text.str.strip(_EDGE_CHARS)
        short = (text.str.len() <= _BLANK_TOKEN_MAX).fillna(False).to_numpy(dtype=bool)
        if short.any():
            placeholder = text[short].str.lower().isin(_BLANK_TOKENS).to_numpy(dtype=bool)
            blank_pos = np.flatnonzero(short)[placeholder]
            if len(blank_pos):
                kind[blank_pos] = _BLANK
                text = text.where(kind == _TEXT)
    return _Cells(kind=kind, text=text, number=number, objects=objects)


def is_blank(raw: pd.Series) -> pd.Series:
    """True where a cell holds nothing: missing, empty, whitespace or a placeholder.

    Placeholders ("-", "N/A", "null", "#N/A"...) are what exports and people write for
    "no value"; treating them as blank keeps them out of the error list.
    """
    return pd.Series(_cells(raw).blank, index=raw.index, dtype=bool)


# --------------------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    """Lower case without accents, spaces collapsed: how people vary a short word.

    Non-spacing marks go: accents once decomposed, and emoji variation selectors ("✔️").
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(plain.casefold().split()).rstrip(".")


def _per_distinct(text: pd.Series, parse: Callable[[str], object]) -> tuple[np.ndarray, list]:
    """Parse each distinct non-NA string once; return codes (-1 for NA) and results."""
    codes, uniques = pd.factorize(text)
    return codes, [parse(u) for u in uniques]


def _spread(codes: np.ndarray, results: list, fill: object = None) -> np.ndarray:
    """Map per-distinct results back to rows; rows with code -1 get ``fill``."""
    table = np.empty(len(results) + 1, dtype=object)
    for i, result in enumerate(results):  # a loop, so tuples stay single objects
        table[i] = result
    table[-1] = fill
    return table[codes]


def _integer_text(cells: _Cells) -> pd.Series:
    """Text cells plus integral number cells written as digits (phone numbers, page ids).

    Excel stores a WhatsApp number or a Facebook page id as a number; matching them as
    text is what the user means. Python ints are used exactly; floats only when exact.
    """
    text = cells.text
    is_number = cells.is_(_NUMBER)
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
    extra = pd.Series(digits, dtype=_STR)
    return text.where(text.notna(), extra)


def _take_text(codes: np.ndarray, table: list, index: pd.Index) -> pd.Series:
    """Per-distinct strings (or None) mapped to rows by codes (-1 -> NA), in Arrow.

    Cheaper than building a column of Python objects: long columns repeat few values.
    """
    strings = pa.array([*table, None], type=pa.large_string())
    rows = np.where(codes < 0, len(table), codes)
    return pd.Series(strings.take(pa.array(rows)), index=index, dtype=_STR)


def _mask(values: np.ndarray, index: pd.Index) -> pd.Series:
    return pd.Series(np.asarray(values, dtype=bool), index=index, dtype=bool)


# --------------------------------------------------------------------------------------
# Counts
# --------------------------------------------------------------------------------------

# Suffix (lower case, accents, dots and spaces removed) -> multiplier. "M" is million, as
# Facebook and X write it in Spanish ("1,2 M") and English ("1.2M"); "mil" is thousand.
_MULTIPLIERS = {
    "": 1, "k": 10**3, "mil": 10**3, "miles": 10**3, "thousand": 10**3,
    "m": 10**6, "mm": 10**6, "mn": 10**6, "mill": 10**6, "millon": 10**6, "millones": 10**6,
    "million": 10**6, "millions": 10**6,
    "b": 10**9, "bn": 10**9, "billion": 10**9, "milmillones": 10**9,
}
_COUNT_RE = re.compile(r"(?P<number>\d(?:[\d.,' ]*\d)?)\s*(?P<suffix>\D*)", re.ASCII)


def _decimal_number(number: str, has_suffix: bool) -> decimal.Decimal | None:
    """Read digits with thousands and decimal separators, in either convention.

    Spaces and apostrophes only group thousands. With both "." and "," the last one is
    the decimal mark. A single separator followed by exactly three digits, in a number
    without a suffix, groups thousands ("1.234" is 1234, as Spanish sheets write it);
    otherwise it is a decimal mark ("12,5", "1938.0", "1.234K").
    """
    if " " in number or "'" in number:
        if not re.fullmatch(r"\d{1,3}(?:[ ']\d{3})+(?:[.,]\d+)?", number):
            return None
        number = number.replace(" ", "").replace("'", "")
    marks = [c for c in number if c in ".,"]
    if not marks:
        return decimal.Decimal(number)
    if len(set(marks)) == 2:
        point = marks[-1]
        group = "," if point == "." else "."
        if not re.fullmatch(rf"\d{{1,3}}(?:\{group}\d{{3}})*\{point}\d+", number):
            return None
        return decimal.Decimal(number.replace(group, "").replace(point, "."))
    mark = marks[0]
    if len(marks) > 1:
        if not re.fullmatch(rf"\d{{1,3}}(?:\{mark}\d{{3}})+", number):
            return None
        return decimal.Decimal(number.replace(mark, ""))
    whole, fraction = number.split(mark)
    if not has_suffix and len(fraction) == 3 and whole != "0":
        return decimal.Decimal(whole + fraction)
    return decimal.Decimal(f"{whole}.{fraction}")


@lru_cache(maxsize=65536)
def _count_from_text(text: str) -> float | None:
    """A count written by a person or an export; None when unreadable or negative."""
    s = unicodedata.normalize("NFKC", text).strip().lower()  # NBSP -> space, ０ -> 0
    s = s.removesuffix("+").strip().lstrip("+~≈").strip()  # "10K+" is at least 10K
    match = _COUNT_RE.fullmatch(s)
    if not match:
        return None
    suffix = re.sub(r"[\s.]", "", _fold(match["suffix"]))
    if suffix not in _MULTIPLIERS:
        return None
    try:
        value = _decimal_number(match["number"], has_suffix=bool(suffix))
        result = float(value * _MULTIPLIERS[suffix]) if value is not None else None
    except (decimal.DecimalException, OverflowError, ValueError):
        return None
    return result if result is not None and math.isfinite(result) else None


def parse_counts(raw: pd.Series) -> Parsed:
    """Non-negative numbers (followers, likes, views) as nullable Float64.

    Accepts "1.234", "1,234", "1 234", "12,5 mil", "1.2K", "3,4 M", "2 millones", "10K+",
    "1938.0" and numeric cells. Negative numbers, infinities and booleans are invalid:
    a count cannot be any of them, so they point at a wrong column or a typo.
    """
    cells = _cells(raw)
    n = len(cells.kind)
    values = np.full(n, np.nan)
    invalid = np.isin(cells.kind, (_BOOL, _DATETIME, _DATE, _OTHER))

    is_number = cells.is_(_NUMBER)
    good = is_number & np.isfinite(cells.number) & (cells.number >= 0)
    values[good] = cells.number[good] + 0.0  # + 0.0 turns -0.0 into 0.0
    invalid |= is_number & ~good

    text = cells.text.dropna()
    if len(text):
        # Fast path: plain digits (and X analytics' "1938.0") need no Python per value.
        plain = _matches(text, r"^\d{1,15}(?:\.\d{1,2})?$")
        pos = text.index.to_numpy()
        values[pos[plain]] = pc.cast(_arrow(text[plain]), pa.float64()).to_numpy(
            zero_copy_only=False)
        rest = text[~plain]
        if len(rest):
            codes, results = _per_distinct(rest, _count_from_text)
            parsed = _spread(codes, results).astype("float64")  # None -> NaN
            values[rest.index.to_numpy()] = parsed
            invalid[rest.index.to_numpy()[np.isnan(parsed)]] = True
    return Parsed(pd.Series(pd.array(values, dtype="Float64"), index=raw.index),
                  _mask(invalid, raw.index))


# --------------------------------------------------------------------------------------
# Booleans and governance answers
# --------------------------------------------------------------------------------------

_TRUE_WORDS = {"si", "s", "yes", "y", "true", "verdadero", "1", "1.0", "x", "✓", "✔", "ok"}
_FALSE_WORDS = {"no", "n", "false", "falso", "0", "0.0"}


def _boolean_word(text: str) -> bool | None:
    word = _fold(text)
    return True if word in _TRUE_WORDS else False if word in _FALSE_WORDS else None


def parse_booleans(raw: pd.Series) -> Parsed:
    """Yes/no cells as nullable booleans: sí/no, yes/no, true/false, 1/0, x, ✓.

    "x" and ticks are true because that is how people mark a checkbox column in a sheet.
    Numbers other than 1 and 0 are invalid rather than "truthy": 2 in a yes/no column is
    a mistake worth showing.
    """
    cells = _cells(raw)
    n = len(cells.kind)
    values = np.full(n, None, dtype=object)
    is_bool = cells.is_(_BOOL)
    values[is_bool] = [bool(v) for v in cells.objects_of(_BOOL)]
    is_number = cells.is_(_NUMBER)
    values[is_number & (cells.number == 1)] = True
    values[is_number & (cells.number == 0)] = False
    if cells.is_(_TEXT).any():
        codes, results = _per_distinct(cells.text, _boolean_word)
        is_text = codes >= 0
        values[is_text] = _spread(codes, results)[is_text]
    invalid = ~cells.blank & pd.isna(values)
    mask = pd.isna(values)
    data = pd.arrays.BooleanArray(np.where(mask, False, values).astype(bool), mask)
    return Parsed(pd.Series(data, index=raw.index), _mask(invalid, raw.index))


_ANSWER_WORDS = {_fold(name): value for value, names in ANSWERS.items() for name in names}


def _answer_word(text: str) -> float | None:
    """An answer written as a word, a number ("0,5") or a percentage ("50 %")."""
    word = _fold(text)
    if word in _ANSWER_WORDS:
        return _ANSWER_WORDS[word]
    match = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*(%?)", word, re.ASCII)
    if not match:
        return None
    value = float(match[1].replace(",", "."))
    value = value / 100 if match[2] else value
    return value if value in ANSWERS else None


def parse_answers(raw: pd.Series) -> Parsed:
    """Governance answers as Float64 in {0, 0.5, 1}: sí/parcial/no, yes/partial/no, numbers.

    Booleans count as 1 and 0, like "true"/"false" written as text.
    """
    cells = _cells(raw)
    n = len(cells.kind)
    values = np.full(n, np.nan)
    is_bool = cells.is_(_BOOL)
    values[is_bool] = [1.0 if v else 0.0 for v in cells.objects_of(_BOOL)]
    is_number = cells.is_(_NUMBER)
    answer = is_number & np.isin(cells.number, list(ANSWERS))
    values[answer] = cells.number[answer]
    if cells.is_(_TEXT).any():
        codes, results = _per_distinct(cells.text, _answer_word)
        is_text = codes >= 0
        values[is_text] = _spread(codes, results)[is_text].astype("float64")
    invalid = ~cells.blank & np.isnan(values)
    return Parsed(pd.Series(pd.array(values, dtype="Float64"), index=raw.index),
                  _mask(invalid, raw.index))


# --------------------------------------------------------------------------------------
# Choices and networks
# --------------------------------------------------------------------------------------


class _ChoiceMatcher:
    """Finds the choice a written label means.

    In order: the id or an alias, exactly (after ``normalize_name``); then an alias whose
    words all appear in the label; then the closest alias by edit distance (rapidfuzz
    ratio >= 85, which forgives a typo or two but not a different word).

    When several aliases' words appear in the label, the one whose words start earliest
    wins, then the longer alias, then the choice listed first. Spanish names put the kind
    of institution first ("Ministerio de Salud" is a ministry, so national_government;
    "Biblioteca Nacional" is a library; "Hospital Municipal" is health), so the earliest
    word is the head of the name.
    """

    FUZZY_CUTOFF = 85

    def __init__(self, choices: dict[str, tuple[str, ...]]):
        self.exact: dict[str, str] = {}
        self.word_aliases: list[tuple[tuple[str, ...], int, str]] = []
        self.fuzzy_names: list[str] = []
        self.fuzzy_ids: list[str] = []
        for order, (choice, aliases) in enumerate(choices.items()):
            for name in (choice, *aliases):
                key = normalize_name(name)
                if not key:
                    continue
                self.exact.setdefault(key, choice)
                self.word_aliases.append((tuple(key.split("_")), order, choice))
                self.fuzzy_names.append(key)
                self.fuzzy_ids.append(choice)

    def __call__(self, label: str) -> str | None:
        key = normalize_name(label)
        if not key:
            return None
        if key in self.exact:
            return self.exact[key]
        first_seen: dict[str, int] = {}
        for position, word in enumerate(key.split("_")):
            first_seen.setdefault(word, position)
        best: tuple[tuple[int, int, int], str] | None = None
        for words, order, choice in self.word_aliases:
            if all(w in first_seen for w in words):
                rank = (min(first_seen[w] for w in words), -len(words), order)
                if best is None or rank < best[0]:
                    best = (rank, choice)
        if best is not None:
            return best[1]
        found = process.extractOne(
            key, self.fuzzy_names, scorer=fuzz.ratio, score_cutoff=self.FUZZY_CUTOFF
        )
        return self.fuzzy_ids[found[2]] if found else None


def _labels(raw: pd.Series, match: Callable[[str], str | None]) -> Parsed:
    cells = _cells(raw)
    codes, results = _per_distinct(_integer_text(cells), match)
    unread = np.array([r is None for r in results] + [True])[codes]  # -1: not text at all
    invalid = ~cells.blank & unread
    return Parsed(_take_text(codes, results, raw.index), _mask(invalid, raw.index))


def parse_choices(raw: pd.Series, choices: dict[str, tuple[str, ...]]) -> Parsed:
    """Canonical choice ids (keys of ``choices``) for labels written in many ways.

    See ``_ChoiceMatcher`` for the matching order and how ties are broken.
    """
    return _labels(raw, _ChoiceMatcher(choices))


_NETWORK_MATCHER = _ChoiceMatcher(NETWORKS)


@lru_cache(maxsize=4096)
def _network_label(label: str) -> str | None:
    """A network name, or the network of a URL (an unknown web site is a blog/site)."""
    url = _split_url(label)
    if url is not None:
        return url.network if url.host else None
    return _NETWORK_MATCHER(label)


def parse_networks(raw: pd.Series) -> Parsed:
    """Canonical network ids from names ("FB", "X (Twitter)", "Tik Tok") or URLs.

    A URL is read by its host before the name matching, because a URL's words ("x" in
    a path, "in" in linkedin.com/in/...) would otherwise match the wrong network.
    """
    return _labels(raw, _network_label)


# --------------------------------------------------------------------------------------
# Handles and URLs
# --------------------------------------------------------------------------------------

# Registered domains of each network (a host matches itself and its sub-domains, so
# m.facebook.com, es-la.facebook.com, mobile.twitter.com and co.linkedin.com all count).
_NETWORK_DOMAINS = {
    "facebook.com": "facebook", "fb.com": "facebook", "fb.me": "facebook",
    "fb.watch": "facebook",
    "instagram.com": "instagram", "instagr.am": "instagram",
    "twitter.com": "x", "x.com": "x",
    "youtube.com": "youtube", "youtu.be": "youtube",
    "tiktok.com": "tiktok",
    "linkedin.com": "linkedin", "lnkd.in": "linkedin",
    "pinterest.com": "pinterest", "pin.it": "pinterest",
    "threads.net": "threads", "threads.com": "threads",
    "whatsapp.com": "whatsapp", "wa.me": "whatsapp",
    "t.me": "telegram", "telegram.me": "telegram", "telegram.dog": "telegram",
    "flickr.com": "flickr", "flic.kr": "flickr",
}
# Networks with a country top-level domain (pinterest.es, pinterest.com.mx).
_COUNTRY_DOMAINS = re.compile(r"(?:^|\.)(?P<name>pinterest)\.[a-z]{2,3}(?:\.[a-z]{2})?$")

_SCHEME_RE = re.compile(r"[a-z][a-z0-9+.\-]*://", re.IGNORECASE | re.ASCII)
_HOST_RE = re.compile(
    r"(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+[a-z]{2,}\.?(?::\d{1,5})?",
    re.IGNORECASE | re.ASCII,
)


def _network_of_host(host: str) -> str | None:
    for domain, network in _NETWORK_DOMAINS.items():
        if host == domain or host.endswith("." + domain):
            return network
    match = _COUNTRY_DOMAINS.search(host)
    return match["name"] if match else None


@dataclass(frozen=True)
class _Url:
    """A web address taken apart. ``host`` is empty when the text was URL-like but broken."""

    host: str  # lower case, without "www."
    network: str | None  # known network, "blog" for any other site
    path: tuple[str, ...]  # decoded, non-empty segments, case kept
    query: dict[str, str]


@lru_cache(maxsize=65536)
def _split_url(text: str) -> _Url | None:
    """Take a URL apart, or return None when ``text`` is not a URL.

    Without a scheme, text is a URL only when it starts with "www.", names a known network
    host ("facebook.com/name", "t.me/name") or has a path after a host ("site.org/blog").
    A bare "name.surname" is left alone: it is a valid Instagram or TikTok handle.
    """
    if not _SCHEME_RE.match(text):
        head = re.split(r"[/?#]", text, maxsplit=1)[0]
        if not _HOST_RE.fullmatch(head):
            return None
        host = head.lower().rstrip(".").split(":")[0]
        if not (host.startswith("www.") or _network_of_host(host) or len(head) < len(text)):
            return None
        text = "https://" + text
    broken = _Url(host="", network=None, path=(), query={})
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").rstrip(".")
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    except ValueError:
        return broken
    if parts.scheme.lower() not in ("http", "https") or "." not in host:
        return broken
    path = parts.path
    if parts.fragment.startswith("!/") and path in ("", "/"):  # old Twitter: .com/#!/name
        path = parts.fragment[1:].split("?")[0]
    host = host.removeprefix("www.")
    segments = tuple(unquote(s) for s in path.split("/") if s.strip())
    return _Url(host=host, network=_network_of_host(host) or "blog", path=segments,
                query=query)


# First path segments (lower case) after which a network's account rule reads more of the
# URL than the host and that segment. Every other URL is decided by its host and first
# segment alone, which lets long columns of permalinks be parsed once per account
# (see _handles). The rules below read these sets, so the two cannot drift apart.
_READS_FURTHER: dict[str, frozenset[str]] = {
    "facebook": frozenset({"profile.php", "permalink.php", "story.php", "pages", "people", "p",
                           "pg", "groups"}),
    "x": frozenset({"intent"}),
    "instagram": frozenset({"stories"}),
    "youtube": frozenset({"c", "user", "channel"}),
    "linkedin": frozenset({"company", "in", "school", "showcase", "pub", "posts"}),
    "whatsapp": frozenset({"channel", "send"}),
    "telegram": frozenset({"s"}),
    "flickr": frozenset({"photos", "people", "groups"}),
}


def _first(path: tuple[str, ...], at: int = 0) -> str:
    return path[at] if len(path) > at else ""


def _trailing_id(segment: str) -> str | None:
    """The numeric id at the end of a Facebook slug: "Alcaldia-de-X-100064123" -> id."""
    match = re.search(r"(?:^|-)(\d+)$", segment, re.ASCII)
    if match and (len(match[1]) >= 5 or match[1] == segment):
        return match[1]
    return None


_FACEBOOK_NOT_ACCOUNTS = {
    "watch", "photo.php", "photo", "photos", "sharer", "sharer.php", "share", "events",
    "hashtag", "login", "login.php", "home.php", "reel", "reels", "stories", "video.php",
    "plugins", "dialog", "l.php", "help", "gaming", "marketplace", "media", "search",
    "notes", "ads", "business", "privacy", "policies", "settings", "messages", "friends",
    "bookmarks", "legal", "terms",
}


def _facebook_account(url: _Url) -> str | None:
    first = _first(url.path).lower()
    if url.host == "fb.watch":
        return None
    if first not in _READS_FURTHER["facebook"]:
        if first in _FACEBOOK_NOT_ACCOUNTS or first.endswith(".php"):
            return None
        return _first(url.path) or None
    if first in ("profile.php", "permalink.php", "story.php"):
        return url.query.get("id")
    if first in ("pages", "people", "p"):
        # pages/Name/123456, pages/category/Kind/Name-123456, people/Name/100012345,
        # p/Name-100064123456789: the numeric id is the stable identifier; the slug
        # is a display name, not a username.
        for segment in reversed(url.path[1:]):
            if number := _trailing_id(segment):
                return number
        return _first(url.path, 1) if first != "pages" or len(url.path) == 2 else None
    return _first(url.path, 1) or None  # pg/Name, groups/name


_X_NOT_ACCOUNTS = {
    "i", "home", "search", "hashtag", "share", "explore", "settings", "messages",
    "notifications", "compose", "login", "signup", "tos", "privacy", "intent",
}


def _x_account(url: _Url) -> str | None:
    first = _first(url.path).lower()
    if first in _READS_FURTHER["x"]:  # intent/user?screen_name=name
        return url.query.get("screen_name")
    if first in _X_NOT_ACCOUNTS:
        return None
    return _first(url.path) or None


def _instagram_account(url: _Url) -> str | None:
    first = _first(url.path).lower()
    if first in _READS_FURTHER["instagram"]:  # stories/name/123
        return _first(url.path, 1) or None
    if first in ("p", "reel", "reels", "tv", "explore", "accounts", "direct", "about",
                 "legal", "developer", "web"):
        return None  # a post or a page of Instagram itself: no account in it
    return _first(url.path) or None


def _youtube_account(url: _Url) -> str | None:
    first = _first(url.path)
    if url.host == "youtu.be":
        return None
    if first.startswith("@"):
        return first
    if first.lower() in _READS_FURTHER["youtube"]:
        return _first(url.path, 1) or None
    if first.lower() in ("watch", "shorts", "live", "embed", "playlist", "results", "feed",
                         "redirect", "hashtag", "premium", "post", "v", "attribution_link"):
        return None
    return first or None  # legacy custom URL: youtube.com/name


def _linkedin_account(url: _Url) -> str | None:
    first = _first(url.path).lower()
    if first not in _READS_FURTHER["linkedin"]:
        return None  # feed/update/urn:li:activity:..., jobs, search...
    if first == "posts":  # posts/<vanity name>_<words>-activity-<id>-<code>
        return _first(url.path, 1).split("_")[0] or None
    return _first(url.path, 1) or None  # company/name, in/name, school/name


def _whatsapp_account(url: _Url) -> str | None:
    first = _first(url.path)
    if first.lower() == "channel":
        return _first(url.path, 1) or None
    if first.lower() == "send":  # api.whatsapp.com/send?phone=57300...
        return url.query.get("phone", "").lstrip("+") or None
    if url.host == "wa.me":
        return first.lstrip("+") if first.lower() != "message" else None
    return first if url.host.startswith("chat.") else None  # group invite code


def _telegram_account(url: _Url) -> str | None:
    first = _first(url.path)
    if first.lower() in _READS_FURTHER["telegram"]:  # t.me/s/name: a channel's preview
        return _first(url.path, 1) or None
    if first.lower() in ("joinchat", "addstickers", "share") or first.startswith("+"):
        return None
    return first or None


def _flickr_account(url: _Url) -> str | None:
    if url.host == "flic.kr":
        return None
    first = _first(url.path).lower()
    return (_first(url.path, 1) or None) if first in _READS_FURTHER["flickr"] else None


def _pinterest_account(url: _Url) -> str | None:
    first = _first(url.path)
    if url.host == "pin.it" or first.lower() in ("pin", "search", "ideas", "today", "explore",
                                                   "_", "business"):
        return None
    return first or None


def _at_account(url: _Url) -> str | None:
    """TikTok and Threads put the account as "@name" first; anything else names none."""
    first = _first(url.path)
    return first if first.startswith("@") else None


def _blog_account(url: _Url) -> str | None:
    """A blog or web site is its host (a post on it has the same host)."""
    first = _first(url.path)
    if url.host == "medium.com" and first.startswith("@"):
        return first
    return url.host


_ACCOUNT_RULES: dict[str, Callable[[_Url], str | None]] = {
    "facebook": _facebook_account, "x": _x_account, "instagram": _instagram_account,
    "youtube": _youtube_account, "tiktok": _at_account, "linkedin": _linkedin_account,
    "pinterest": _pinterest_account, "threads": _at_account, "whatsapp": _whatsapp_account,
    "telegram": _telegram_account, "flickr": _flickr_account, "blog": _blog_account,
}


def _clean_handle(name: str | None) -> str | None:
    """Lower case, no leading "@"; None when empty or with spaces (no network allows them)."""
    if name is None:
        return None
    name = name.strip().lstrip("@").strip().lower()
    return name if name and not any(c.isspace() for c in name) else None


@lru_cache(maxsize=65536)
def _handle_from_text(text: str, post: bool) -> tuple[str | None, str | None, bool]:
    """(handle, network, invalid) for a handle or profile URL (or a post URL if ``post``)."""
    url = _split_url(text)
    if url is None:
        if post:
            return None, None, True  # a post is identified by its URL; a name is not one
        handle = _clean_handle(text)
        return handle, None, handle is None
    if not url.host:
        return None, None, True
    handle = _clean_handle(_ACCOUNT_RULES[url.network](url))
    # A profile URL must name the account; a post URL may not (instagram.com/p/ABC).
    return handle, url.network, handle is None and not post


# An http(s) URL cut after its first path segment; no white space, no query or fragment.
_URL_PREFIX = r"^(?P<prefix>[Hh][Tt][Tt][Pp][Ss]?://[^/?#\s]+/[^/?#\s]+)"


@lru_cache(maxsize=65536)
def _handle_from_prefix(prefix: str, post: bool) -> tuple[str | None, str | None, bool] | None:
    """The result for every URL starting with ``prefix``, or None if the rest matters."""
    url = _split_url(prefix)
    if url is None or not url.host:
        return None
    if _first(url.path).lower() in _READS_FURTHER.get(url.network, ()):
        return None
    return _handle_from_text(prefix, post)


def _url_prefixes(text: pd.Series) -> pd.Series:
    """Each URL's prefix (NA where there is none), found by pyarrow for whole columns."""
    prefix = pc.struct_field(pc.extract_regex(pa.array(text), _URL_PREFIX), [0])
    return pd.Series(prefix, index=text.index, dtype=_STR)


def _handles(raw: pd.Series, post: bool) -> HandleParse:
    """Shared by parse_handles and parse_post_urls: parse distinct cells, map back."""
    cells = _cells(raw)
    codes, uniques = pd.factorize(_integer_text(cells))
    handle, network, invalid = _distinct_handles(pd.Series(uniques, dtype=_STR), post)
    invalid_rows = np.append(invalid, False)[codes]
    invalid_rows |= ~cells.blank & (codes < 0)  # booleans, dates and other objects
    return HandleParse(_take_text(codes, handle, raw.index),
                       _take_text(codes, network, raw.index), _mask(invalid_rows, raw.index))


def _distinct_handles(distinct: pd.Series, post: bool) -> tuple[list, list, np.ndarray]:
    """(handles, networks, invalid) for distinct non-blank cells.

    A posts sheet holds one distinct permalink per row; parsing each in Python would
    cost seconds. Most are decided by host and first segment ("twitter.com/name/...",
    "instagram.com/p/..."), so those are parsed once per prefix; the rest one by one.
    """
    n = len(distinct)
    handle = np.full(n, None, dtype=object)
    network = np.full(n, None, dtype=object)
    invalid = np.zeros(n, dtype=bool)
    codes, results = _per_distinct(_url_prefixes(distinct),
                                   lambda p: _handle_from_prefix(p, post))
    decided = np.array([r is not None for r in results] + [False])[codes]
    for field, out in enumerate((handle, network, invalid)):
        out[decided] = _spread(codes, [r[field] if r else None for r in results])[decided]
    for i in np.flatnonzero(~decided):
        handle[i], network[i], invalid[i] = _handle_from_text(distinct.iat[i], post)
    return handle.tolist(), network.tolist(), invalid


def parse_handles(raw: pd.Series) -> HandleParse:
    """Account handles from "@Name", "name" or a profile URL of any network.

    Invalid: text with spaces that is not a URL ("Alcaldía de X" is a display name, not
    a handle), a URL of a network that names no account (youtube.com/watch?v=...), or
    nothing left after normalising. Ids stay as written but lower-cased, like names
    (profile.php?id=123 -> "123", youtube.com/channel/UCxyz -> "ucxyz"), so the same
    account written two ways compares equal.
    """
    return _handles(raw, post=False)


def parse_post_urls(raw: pd.Series) -> HandleParse:
    """Network and account handle from post permalinks.

    The handle is NA, without the cell being invalid, when the permalink does not name
    the account (instagram.com/p/ABC, youtube.com/watch?v=...). Text that is not a URL
    is invalid.
    """
    return _handles(raw, post=True)


# --------------------------------------------------------------------------------------
# Dates and times
# --------------------------------------------------------------------------------------

# Dates outside this range are typos ("0202", "20266") or placeholders ("1899-12-30",
# "9999-12-31"); refusing them also keeps every value inside what time zone conversion
# supports.
_YEAR_MIN, _YEAR_MAX = 1900, 2199
_UTC_MIN = np.datetime64(f"{_YEAR_MIN}-01-01", "us")
_UTC_MAX = np.datetime64(f"{_YEAR_MAX + 1}-01-01", "us")
_NAT = np.datetime64("NaT", "us")

# Zone abbreviations as fixed offsets in hours. The US ones are what 4CAT and CrowdTangle
# write; CST is US Central (not China, not Cuba); ECT is Ecuador (not Eastern Caribbean).
_ZONE_HOURS = {
    "UTC": 0, "GMT": 0, "Z": 0, "UT": 0,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "CET": 1, "CEST": 2, "WET": 0, "WEST": 1,
    "ART": -3, "COT": -5, "PET": -5, "CLT": -4, "CLST": -3, "BRT": -3, "VET": -4,
    "BOT": -4, "ECT": -5, "UYT": -3,
}
_ZONE_OFFSETS = {
    zone: f"{'-' if hours < 0 else '+'}{abs(hours):02d}:00" for zone, hours in _ZONE_HOURS.items()
}

# Regular expressions run by pyarrow (RE2) are kept simple: RE2 is fast on one-pass
# patterns and slow on many optional groups.
# ISO dates, optionally with a time and a numeric offset; strings ending with a zone
# abbreviation ("... EST") are left to _zone_pass rather than failing pandas' parser.
_ISO = r"^\d{4}-\d{2}-\d{2}(?:[T ][\d:.,+\- ]*Z?)?$"
# A zone after the time ("-23" at the end of a bare date is the day, not an offset).
_ISO_WITH_ZONE = r"^\d{4}-\d{2}-\d{2}[T ].*(?:Z|[+-]\d{2}(?::?\d{2})?)$"
# Numeric day/month/year, then anything not starting with a digit.
_DMY = r"^(?P<a>\d\d?)[/.-](?P<b>\d\d?)[/.-](?P<y>\d\d(?:\d\d)?)(?P<rest>\D.*|)$"
# The rest that the vectorised pass reads: nothing, or a time with optional AM/PM.
_DMY_TIME = r"^(?:(?:T|,?\s+)\d\d?:\d\d(?::\d\d)?(?:\s?[AaPp]\.?\s?[Mm]\.?)?)?$"
_NUMERIC = r"^\d{1,15}(?:\.\d{1,9})?$"  # longer digit runs are no date of any kind
_ZONE_SUFFIX = r"^(?P<body>.*\d)\s*(?P<zone>[A-Za-z]{1,4})$"
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
              "Dec")
_TWITTER_V1 = (
    r"^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?P<mon>[A-Z][a-z]{2}) (?P<d>\d\d) "
    r"(?P<H>\d\d):(?P<M>\d\d):(?P<S>\d\d) (?P<sign>[+-])(?P<oh>\d\d)(?P<om>\d\d) (?P<y>\d{4})$"
)


def _two_digit_year(year, digits):
    """Two-digit years as POSIX strptime reads them: 69-99 -> 19xx, 00-68 -> 20xx."""
    short = digits == 2
    return np.where(short & (year >= 69), year + 1900, np.where(short, year + 2000, year))


def _compose(year, month, day, hour=0, minute=0, second=0, micro=0) -> np.ndarray:
    """Build datetime64[us] from integer arrays; NaT where the parts make no date.

    Works by calendar arithmetic in numpy, which rejects 31/02 (unlike strptime-style
    parsers that roll it over into March).
    """
    year, month, day, hour, minute, second, micro = np.broadcast_arrays(
        *(np.asarray(x, dtype=np.int64) for x in (year, month, day, hour, minute, second,
                                                   micro))
    )
    ok = ((year >= _YEAR_MIN) & (year <= _YEAR_MAX) & (month >= 1) & (month <= 12)
          & (hour >= 0) & (hour <= 23) & (minute >= 0) & (minute <= 59)
          & (second >= 0) & (second <= 59) & (micro >= 0) & (micro <= 999_999))
    months = np.where(ok, (year - 1970) * 12 + month - 1, 0)
    first = np.datetime64("1970-01", "M") + months.astype("timedelta64[M]")
    month_days = ((first + 1).astype("datetime64[D]") - first.astype("datetime64[D]")).astype(
        np.int64)
    ok &= (day >= 1) & (day <= month_days)
    days = first.astype("datetime64[D]") + np.where(ok, day - 1, 0).astype("timedelta64[D]")
    clock = ((hour * 60 + minute) * 60 + second) * 1_000_000 + micro
    result = days.astype("datetime64[us]") + np.where(ok, clock, 0).astype("timedelta64[us]")
    return np.where(ok, result, _NAT)


def _as_utc_wall(parsed: pd.Series | pd.DatetimeIndex) -> np.ndarray:
    """datetime64[us] of pandas datetimes: aware ones in UTC, naive ones as written."""
    index = pd.DatetimeIndex(parsed)
    if index.tz is not None:
        index = index.tz_convert("UTC").tz_localize(None)
    return index.as_unit("us").to_numpy()


class _DateColumn:
    """Collects a column's datetimes as they are parsed, pass after pass.

    ``wall`` holds naive datetime64[us]; ``local`` marks those written without a zone,
    which are wall-clock times in ``assume_tz`` and are converted to UTC at the end, in
    one vectorised call.
    """

    def __init__(self, n: int):
        self.wall = np.full(n, _NAT)
        self.local = np.zeros(n, dtype=bool)

    def put(self, positions: np.ndarray, values: np.ndarray, local: bool | np.ndarray):
        self.wall[positions] = values
        self.local[positions] = local

    def put_numbers(self, positions: np.ndarray, numbers: np.ndarray):
        """Excel serials (20000-80000, local) and Unix epochs in s or ms (UTC)."""
        with np.errstate(invalid="ignore", over="ignore"):
            serial = (numbers >= 20_000) & (numbers <= 80_000)
            seconds = (numbers >= 1e8) & (numbers < 1e10)
            millis = (numbers >= 1e11) & (numbers < 1e13)
            # Excel's 1900 system counts days from 1899-12-30 (its fake 1900-02-29 is
            # before 20000); times are fractions of a day, rounded to the millisecond
            # Excel shows to undo float error (14:05 is 0.58680555...).
            micros = np.select(
                [serial, seconds, millis],
                [np.round(numbers * 86_400_000) * 1000 - 2_209_161_600_000_000,
                 np.round(numbers * 1_000_000), np.round(numbers * 1000)],
                0,
            ).astype(np.int64)
        values = np.where(serial | seconds | millis, micros.astype("datetime64[us]"), _NAT)
        self.put(positions, values, serial)


def _check_zone(assume_tz: str) -> str:
    try:
        zoneinfo.ZoneInfo(assume_tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError) as error:
        raise ValueError(f"unknown time zone {assume_tz!r}: use an IANA name") from error
    return assume_tz


def _arrow(text: pd.Series) -> pa.Array:
    """The column's Arrow strings, to run pyarrow compute functions (RE2) on them."""
    array = pa.array(text)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def _matches(text: pd.Series, pattern: str) -> np.ndarray:
    """Regex search per row, always in pyarrow (pandas may fall back to Python's re)."""
    found = pc.match_substring_regex(_arrow(text), pattern)
    return found.to_numpy(zero_copy_only=False).astype(bool)


def _extract(text: pd.Series, pattern: str) -> tuple[pa.StructArray, np.ndarray]:
    """Named groups of the rows that match, and which rows those are."""
    match = pc.extract_regex(_arrow(text), pattern)
    found = match.is_valid().to_numpy(zero_copy_only=False).astype(bool)
    if not found.all():  # filtering costs time: skip it in the usual all-match case
        match = match.filter(pa.array(found))
    return match, found


def _field(struct: pa.StructArray, name: str) -> np.ndarray:
    """An all-digit field of a regex match as int64 ("" -> 0)."""
    column = struct.field(name)
    column = pc.if_else(pc.equal(column, ""), "0", column)
    return pc.cast(column, pa.int64()).to_numpy(zero_copy_only=False)


def _to_datetime(text: pd.Series, utc: bool) -> np.ndarray:
    """pandas' ISO 8601 parser, tolerant: whatever it refuses is left to later passes."""
    try:
        parsed = pd.to_datetime(text, format="ISO8601", errors="coerce", utc=utc)
        return _as_utc_wall(parsed)
    except (ValueError, TypeError, OverflowError, pd.errors.OutOfBoundsDatetime):
        return np.full(len(text), _NAT)


def _leftovers(text: pd.Series, column: _DateColumn) -> pd.Series:
    return text[np.isnat(column.wall[text.index.to_numpy()])]


def _iso_pass(text: pd.Series, column: _DateColumn, utc_is_local: bool) -> pd.Series:
    """ISO 8601 (and Graph API's "+0000") via pandas' fast parser; returns the leftovers."""
    candidate = text[_matches(text, _ISO)]
    if not len(candidate):
        return text
    if utc_is_local:  # naive values are UTC anyway: one call reads everything
        column.put(candidate.index.to_numpy(), _to_datetime(candidate, utc=True), False)
    else:
        zoned = _matches(candidate, _ISO_WITH_ZONE)
        for part, local in ((candidate[zoned], False), (candidate[~zoned], True)):
            if len(part):
                column.put(part.index.to_numpy(), _to_datetime(part, utc=not local), local)
    return _leftovers(text, column)


def _dmy_pass(text: pd.Series, column: _DateColumn) -> tuple[pd.Series, bool]:
    """Numeric dates "23/11/2026 14:05", "23-11-26", "11/23/2026 2:05 PM".

    Day first unless, in this column, some value has a second part over 12 and none has
    a first part over 12: then the column came from a US export and is read month first.
    Every numeric date counts for that decision, including those left to the one-by-one
    pass (with seconds' fractions or offsets). Returns the leftovers and the decision.
    """
    if not len(text):
        return text, False
    match, found = _extract(text, _DMY)
    if not found.any():
        return text, False
    first, second, year = _field(match, "a"), _field(match, "b"), _field(match, "y")
    month_first = bool((second > 12).any() and not (first > 12).any())
    day, month = (second, first) if month_first else (first, second)
    year = _two_digit_year(year, pc.utf8_length(match.field("y")).to_numpy())

    # The time, when written plainly (else the row is left to the one-by-one pass):
    # drop the colons and trim separators and AM/PM letters, leaving "HHMM" or "HHMMSS".
    rest = match.field("rest")
    plain = pc.match_substring_regex(rest, _DMY_TIME).to_numpy(zero_copy_only=False)
    digits = pc.utf8_trim(pc.replace_substring(rest, ":", ""), " \t,.TAPMapm")
    width = pc.utf8_length(digits).to_numpy()
    digits = pc.if_else(pc.and_(pa.array(plain), pc.not_equal(digits, "")), digits, "0")
    clock = pc.cast(digits, pa.int64()).to_numpy(zero_copy_only=False)
    with_seconds = width >= 5
    hour = np.where(with_seconds, clock // 10_000, clock // 100)
    minute = np.where(with_seconds, clock // 100 % 100, clock % 100)
    second_ = np.where(with_seconds, clock % 100, 0)
    pm = pc.match_substring(rest, "p", ignore_case=True).to_numpy(zero_copy_only=False)
    am = pc.match_substring(rest, "a", ignore_case=True).to_numpy(zero_copy_only=False)
    bad_clock = (am | pm) & ((hour < 1) | (hour > 12))
    hour = np.where(pm & (hour < 12), hour + 12, np.where(am & (hour == 12), 0, hour))

    values = _compose(year, month, day, np.where(bad_clock, -1, hour), minute, second_)
    positions = text.index.to_numpy()[found]
    column.put(positions[plain], values[plain], True)
    return _leftovers(text, column), month_first


def _numeric_text_pass(text: pd.Series, column: _DateColumn) -> pd.Series:
    """Serials and epochs written as text ("45619", "1700000000000")."""
    numeric = _matches(text, _NUMERIC)
    if numeric.any():
        values = pc.cast(_arrow(text[numeric]), pa.float64()).to_numpy(zero_copy_only=False)
        column.put_numbers(text.index.to_numpy()[numeric], values)
    return text[~numeric]


def _twitter_pass(text: pd.Series, column: _DateColumn) -> pd.Series:
    """Twitter API v1 "Wed Oct 10 20:19:24 +0000 2018", as twarc and old exports write it."""
    match, found = _extract(text, _TWITTER_V1)
    if not found.any():
        return text
    month = pc.index_in(match.field("mon"), value_set=pa.array(_MONTHS_EN)).to_numpy(
        zero_copy_only=False) + 1
    fields = {name: _field(match, name) for name in ("y", "d", "H", "M", "S", "oh", "om")}
    sign = np.where(pc.equal(match.field("sign"), "-").to_numpy(zero_copy_only=False), -1, 1)
    offset = (sign * (fields["oh"] * 60 + fields["om"])).astype("timedelta64[m]")
    wall = _compose(fields["y"], month, fields["d"], fields["H"], fields["M"], fields["S"])
    column.put(text.index.to_numpy()[found], wall - offset, False)
    return _leftovers(text, column)


def _zone_pass(text: pd.Series, column: _DateColumn) -> pd.Series:
    """"2023-11-13 04:30:36 EST" (4CAT, CrowdTangle): abbreviation -> offset, then ISO."""
    match, found = _extract(text, _ZONE_SUFFIX)
    if not found.any():
        return text
    zone_codes, zones = pd.factorize(pd.Series(pc.utf8_upper(match.field("zone")), dtype=_STR))
    body = match.field("body")
    offsets = pa.array([_ZONE_OFFSETS.get(z) for z in zones] + [None], body.type)
    offset = offsets.take(pa.array(zone_codes % (len(zones) + 1)))  # code -1 -> None
    known = offset.is_valid().to_numpy(zero_copy_only=False).astype(bool)
    rewritten = pc.binary_join_element_wise(body, offset, pa.scalar("", body.type))
    rewritten = pd.Series(rewritten, index=text.index[found], dtype=_STR)[known]
    _iso_pass(rewritten, column, utc_is_local=False)
    return _leftovers(text, column)


# --- Per-value parsing of the leftovers -------------------------------------------------

_MONTHS = {
    **{m: i for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)},
    **{m: i for i, m in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"), 1)},
    **{m: i for i, m in enumerate(
        ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"), 1)},
    **{m: i for i, m in enumerate(
        ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
         "septiembre", "octubre", "noviembre", "diciembre"), 1)},
    "sept": 9, "set": 9, "setiembre": 9,  # "setiembre" in Peru and Uruguay
}
# Weekdays are skipped. Spanish "mar" (martes) is left out: it is also March.
_WEEKDAYS = {
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "monday",
    "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "lun", "mie", "jue",
    "vie", "sab", "dom", "lunes", "martes", "miercoles", "jueves", "viernes", "sabado",
    "domingo",
}
_FILLER = {"de", "del", "el", "la", "las", "a", "at", "on", "the", "of", "h", "hs", "hrs",
           "horas", "hora"}

_TIME_RE = re.compile(
    r"(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<f>\d{1,6})\d*)?)?"
    r"\s*(?:(?P<ampm>[ap])\.?\s?m\b\.?)?"
    r"(?:\s*(?:utc|gmt)?\s*(?P<sign>[+-])(?P<oh>\d{2}):?(?P<om>\d{2}))?",
    re.ASCII | re.IGNORECASE,
)
_DMY_RE = re.compile(
    r"(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<y>\d{4}|\d{2})(?P<rest>\D.*)?", re.ASCII)
_YMD_RE = re.compile(r"(?P<y>\d{4})[/.](?P<m>\d{1,2})[/.](?P<d>\d{1,2})(?P<rest>\D.*)?",
                     re.ASCII)
_ZONE_WORD_RE = re.compile(r"(?:utc|gmt)(?P<sign>[+-])(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?",
                           re.ASCII)


def _time_of_day(text: str) -> tuple[dt.time, dt.tzinfo | None] | None:
    """Clock time and zone written after a date ("14:05", " 2:05 p. m.", "T14:05Z");
    midnight without zone when there is nothing; None when unreadable."""
    text = text.strip().removeprefix(",").removeprefix("T").strip()
    if not text:
        return dt.time(), None
    match = _TIME_RE.match(text)
    clock = _clock(match) if match else None
    if clock is None:
        return None
    tail = text[match.end():].strip()
    if match["sign"]:
        zone = _offset(match["sign"], match["oh"], match["om"])
        return (clock, zone) if zone is not None and not tail else None
    if not tail:
        return clock, None
    zone = _zone_word(tail)
    return (clock, zone) if zone is not None else None


def _offset(sign: str, hours: str, minutes: str | None) -> dt.timezone | None:
    """A UTC offset; None beyond the ±14 h that real zones use."""
    delta = dt.timedelta(hours=int(hours), minutes=int(minutes or 0))
    if delta > dt.timedelta(hours=14):
        return None
    return dt.timezone(-delta if sign == "-" else delta)


def _zone_word(word: str) -> dt.timezone | None:
    """A zone abbreviation ("EST"), or "UTC-5" / "GMT+01:00"."""
    word = word.lower()
    if word.upper() in _ZONE_HOURS:
        return dt.timezone(dt.timedelta(hours=_ZONE_HOURS[word.upper()]))
    match = _ZONE_WORD_RE.fullmatch(word)
    return _offset(match["sign"], match["h"], match["m"]) if match else None


def _clock(match: re.Match) -> dt.time | None:
    hour, minute = int(match["h"]), int(match["m"])
    second = int(match["s"] or 0)
    micro = int((match["f"] or "0").ljust(6, "0"))
    if match["ampm"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["ampm"].lower() == "p" else 0)
    try:
        return dt.time(hour, minute, second, micro)
    except ValueError:
        return None


def _combine(year: int, month: int, day: int, rest: str | None) -> dt.datetime | None:
    clock = _time_of_day(rest or "")
    if clock is None:
        return None
    time_, zone = clock
    try:
        return dt.datetime.combine(dt.date(year, month, day), time_, tzinfo=zone)
    except ValueError:
        return None


def _words_date(text: str) -> dt.datetime | None:
    """Dates with month names, in English or Spanish, in any order people write them.

    "Jan 6, 2024", "Tue, Jul 14, 2026", "6 de enero de 2024", "06-ene-2024",
    "6 ene. 2024 14:05", Twitter v1 "Wed Oct 10 20:19:24 +0000 2018".
    """
    text = _fold(text)
    clock: tuple[dt.time, dt.timezone | None] | None = None
    time_match = _TIME_RE.search(text)
    if time_match:
        time_ = _clock(time_match)
        if time_ is None:
            return None
        zone = _offset(time_match["sign"], time_match["oh"], time_match["om"]) if (
            time_match["sign"]) else None
        clock = (time_, zone)
        text = text[: time_match.start()] + " " + text[time_match.end():]
    month = zone_word = None
    numbers: list[str] = []
    for token in re.findall(r"(?:utc|gmt)[+-]\d{1,2}(?::?\d{2})?|[a-z]+|\d+", text, re.ASCII):
        if token.isdigit():
            numbers.append(token)
        elif token in _MONTHS and month is None:
            month = _MONTHS[token]
        elif token in _WEEKDAYS or token in _FILLER:
            continue
        elif zone_word is None and _zone_word(token) is not None:
            zone_word = _zone_word(token)
        else:
            return None
    if month is None or len(numbers) != 2:
        return None
    long_years = [x for x in numbers if len(x) == 4]
    if len(long_years) == 1:
        year = int(long_years[0])
        day_text = numbers[1] if numbers[0] == long_years[0] else numbers[0]
    elif not long_years and all(len(x) <= 2 for x in numbers):
        day_text, year = numbers[0], int(_two_digit_year(int(numbers[1]), 2))
    else:
        return None
    if len(day_text) > 2:
        return None
    time_, zone = clock if clock else (dt.time(), None)
    if zone is not None and zone_word is not None:
        return None
    try:
        return dt.datetime.combine(dt.date(year, month, int(day_text)), time_,
                                   tzinfo=zone or zone_word)
    except ValueError:
        return None


@lru_cache(maxsize=65536)
def _date_from_text(text: str, month_first: bool) -> tuple[np.datetime64, bool]:
    """(datetime64[us], written without zone) for one string; NaT when unreadable.

    Handles what the vectorised passes leave: ISO forms pandas refuses, numeric dates
    with offsets or fractions, year-first with slashes, and dates with month names.
    """
    parsed: dt.datetime | None = None
    if match := _DMY_RE.fullmatch(text):
        a, b = int(match["a"]), int(match["b"])
        day, month = (b, a) if month_first else (a, b)
        year = int(_two_digit_year(int(match["y"]), len(match["y"])))
        parsed = _combine(year, month, day, match["rest"])
    elif match := _YMD_RE.fullmatch(text):
        parsed = _combine(int(match["y"]), int(match["m"]), int(match["d"]), match["rest"])
    elif re.match(r"\d{4}-\d{2}-\d{2}", text, re.ASCII):
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            parts = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(\D.*)?", text, re.ASCII)
            if parts:
                parsed = _combine(int(parts[1]), int(parts[2]), int(parts[3]), parts[4])
    else:
        parsed = _words_date(text)
    if parsed is None:
        return _NAT, False
    local = parsed.tzinfo is None
    if not local:
        try:
            parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
        except (OverflowError, ValueError):
            return _NAT, False
    return np.datetime64(parsed, "us"), local


def _one_by_one_pass(text: pd.Series, column: _DateColumn, month_first: bool) -> None:
    if not len(text):
        return
    codes, results = _per_distinct(text, lambda t: _date_from_text(t, month_first))
    values = np.array([r[0] for r in results], dtype="datetime64[us]")[codes]
    local = np.array([r[1] for r in results], dtype=bool)[codes]
    column.put(text.index.to_numpy(), values, local)


def _objects_pass(cells: _Cells, column: _DateColumn) -> None:
    """Python datetime and date objects, as Excel readers return them."""
    for kind in (_DATETIME, _DATE):
        positions = np.flatnonzero(cells.is_(kind))
        objects = cells.objects_of(kind)
        if not len(positions):
            continue
        if kind == _DATE:
            days = np.array([np.datetime64(v, "D") for v in objects], dtype="datetime64[D]")
            column.put(positions, days.astype("datetime64[us]"), True)
            continue
        aware = np.array([getattr(v, "tzinfo", None) is not None for v in objects], dtype=bool)
        for part, local in ((~aware, True), (aware, False)):
            if part.any():
                parsed = pd.to_datetime(list(objects[part]), errors="coerce", utc=not local)
                column.put(positions[part], _as_utc_wall(parsed), local)


def _localize(wall: np.ndarray, assume_tz: str) -> np.ndarray:
    """Wall-clock times in ``assume_tz`` to UTC.

    In the hour repeated when clocks go back, the first (summer time) reading is taken;
    in the hour skipped when they go forward, the time moves forward to a real one.
    """
    index = pd.DatetimeIndex(wall).tz_localize(
        assume_tz, ambiguous=np.ones(len(wall), dtype=bool), nonexistent="shift_forward")
    return _as_utc_wall(index)


def parse_datetimes(raw: pd.Series, assume_tz: str = "UTC") -> Parsed:
    """Dates and times in any form seen in exports and hand-made sheets, as UTC.

    Values written without a zone are wall-clock times in ``assume_tz`` (an IANA name);
    values with an offset or a zone abbreviation keep it. Epoch numbers are UTC; Excel
    serial numbers and date cells are wall-clock. A time of day alone is invalid: it
    names no day. Dates outside 1900-2199 are invalid (typos or placeholders).
    ``note`` is "month_first" when numeric dates were read month first (see _dmy_pass).
    """
    assume_tz = _check_zone(assume_tz)
    month_first = False
    if isinstance(raw.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(raw):
        values = pd.DatetimeIndex(raw)
        local = values.tz is None
        column = _DateColumn(len(raw))
        column.put(np.arange(len(raw)), _as_utc_wall(values), local)
        blank = np.isnat(column.wall)
    else:
        cells = _cells(raw)
        blank = cells.blank
        column = _DateColumn(len(blank))
        numbers = np.flatnonzero(cells.is_(_NUMBER))
        column.put_numbers(numbers, cells.number[numbers])
        _objects_pass(cells, column)
        text = cells.text.dropna()
        if len(text):
            utc_is_local = assume_tz == "UTC"
            text = _iso_pass(text, column, utc_is_local)
            text, month_first = _dmy_pass(text, column)
            text = _numeric_text_pass(text, column)
            if len(text):
                text = _twitter_pass(text, column)
            if len(text):
                text = _zone_pass(text, column)
            _one_by_one_pass(text, column, month_first)
    wall, local = column.wall, column.local & ~np.isnat(column.wall)
    if assume_tz != "UTC" and local.any():
        in_range = local & (wall >= _UTC_MIN) & (wall < _UTC_MAX)
        wall[local & ~in_range] = _NAT
        wall[in_range] = _localize(wall[in_range], assume_tz)
    wall[(wall < _UTC_MIN) | (wall >= _UTC_MAX)] = _NAT  # NaT compares False: unchanged
    values = pd.Series(wall, index=raw.index).dt.tz_localize("UTC")
    invalid = ~blank & np.isnat(wall)
    return Parsed(values, _mask(invalid, raw.index), "month_first" if month_first else None)
