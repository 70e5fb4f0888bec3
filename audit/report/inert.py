"""Make text cells inert before they reach a spreadsheet (CSV injection, OWASP).

A spreadsheet program reads a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula, so an institution named ``=HYPERLINK(...)`` or a post that
starts with ``@vecino`` could run when an auditor opens the output. OWASP's advice is to
put a single quote before such a cell: the spreadsheet then shows the text as written.
Only text is touched: numbers, dates and missing values keep their type, so a score stays a
number an auditor can sort and sum.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["FORMULA_STARTS", "inert_frame", "inert_text", "runs_as_formula"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert_text(value: object) -> object:
    """``value`` with a leading quote when it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def inert_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells are inert; other columns are left as they are."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series):
            continue
        if runs_as_formula(series).any():
            out[column] = series.map(inert_text).astype(series.dtype)
    return out


def runs_as_formula(series: pd.Series) -> pd.Series:
    """True for each text cell a spreadsheet would run. A text column is checked in one
    vectorised pass (a table of a thousand institutions has a million cells); a column of
    mixed values cell by cell."""
    if isinstance(series.dtype, pd.StringDtype):
        return series.str.startswith(FORMULA_STARTS).fillna(False).astype(bool)
    return series.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_STARTS)).astype(
        bool)
