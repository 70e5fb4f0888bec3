"""Counts: followers, likes and views as people and exports write them, within a
plausible range."""

from __future__ import annotations

import decimal
import math
import re
import unicodedata
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from audit.ingest.parse.cells import (
    BOOL,
    DATE,
    DATETIME,
    NUMBER,
    OTHER,
    Parsed,
    arrow,
    fold,
    matches,
    per_distinct,
    row_mask,
    sort_cells,
    spread,
)

# Suffix (lower case, accents, dots and spaces removed) -> multiplier. "M" is million, as
# Facebook and X write it in Spanish ("1,2 M") and English ("1.2M"); "mil" is thousand.
_MULTIPLIERS = {
    "": 1, "k": 10**3, "mil": 10**3, "miles": 10**3, "thousand": 10**3,
    "m": 10**6, "mm": 10**6, "mn": 10**6, "mill": 10**6, "millon": 10**6, "millones": 10**6,
    "million": 10**6, "millions": 10**6,
    "b": 10**9, "bn": 10**9, "billion": 10**9, "milmillones": 10**9,
}
# No public account has ten billion followers, and no post that many views: a larger count
# is a typing or export error (a 1e19 from a broken export would otherwise overflow integer
# columns downstream and zero the engagement scores).
MAX_COUNT = 10**10
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
    suffix = re.sub(r"[\s.]", "", fold(match["suffix"]))
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
    a count cannot be any of them, so they point at a wrong column or a typo. Counts above
    ``MAX_COUNT`` are read but marked ``out_of_range`` and left NA.
    """
    cells = sort_cells(raw)
    n = len(cells.kind)
    values = np.full(n, np.nan)
    invalid = np.isin(cells.kind, (BOOL, DATETIME, DATE, OTHER))

    is_number = cells.is_(NUMBER)
    good = is_number & np.isfinite(cells.number) & (cells.number >= 0)
    values[good] = cells.number[good] + 0.0  # + 0.0 turns -0.0 into 0.0
    invalid |= is_number & ~good

    text = cells.text.dropna()
    if len(text):
        # Fast path: plain digits (and X analytics' "1938.0") need no Python per value.
        plain = matches(text, r"^\d{1,15}(?:\.\d{1,2})?$")
        pos = text.index.to_numpy()
        values[pos[plain]] = pc.cast(arrow(text[plain]), pa.float64()).to_numpy(
            zero_copy_only=False)
        rest = text[~plain]
        if len(rest):
            codes, results = per_distinct(rest, _count_from_text)
            parsed = spread(codes, results).astype("float64")  # None -> NaN
            values[rest.index.to_numpy()] = parsed
            invalid[rest.index.to_numpy()[np.isnan(parsed)]] = True
    too_large = values > MAX_COUNT  # NaN compares False
    values[too_large] = np.nan
    return Parsed(pd.Series(pd.array(values, dtype="Float64"), index=raw.index),
                  row_mask(invalid, raw.index), out_of_range=row_mask(too_large, raw.index))
