"""Yes/no cells and governance answers (sí / parcial / no), in Spanish or English."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from audit.ingest.contract import ANSWERS
from audit.ingest.parse.cells import (
    BOOL,
    NUMBER,
    TEXT,
    Parsed,
    fold,
    per_distinct,
    row_mask,
    sort_cells,
    spread,
)

_TRUE_WORDS = {"si", "s", "yes", "y", "true", "verdadero", "1", "1.0", "x", "✓", "✔", "ok"}
_FALSE_WORDS = {"no", "n", "false", "falso", "0", "0.0"}


def _boolean_word(text: str) -> bool | None:
    word = fold(text)
    return True if word in _TRUE_WORDS else False if word in _FALSE_WORDS else None


def parse_booleans(raw: pd.Series) -> Parsed:
    """Yes/no cells as nullable booleans: sí/no, yes/no, true/false, 1/0, x, ✓.

    "x" and ticks are true because that is how people mark a checkbox column in a sheet.
    Numbers other than 1 and 0 are invalid rather than "truthy": 2 in a yes/no column is
    a mistake worth showing.
    """
    cells = sort_cells(raw)
    n = len(cells.kind)
    values = np.full(n, None, dtype=object)
    is_bool = cells.is_(BOOL)
    values[is_bool] = [bool(v) for v in cells.objects_of(BOOL)]
    is_number = cells.is_(NUMBER)
    values[is_number & (cells.number == 1)] = True
    values[is_number & (cells.number == 0)] = False
    if cells.is_(TEXT).any():
        codes, results = per_distinct(cells.text, _boolean_word)
        is_text = codes >= 0
        values[is_text] = spread(codes, results)[is_text]
    invalid = ~cells.blank & pd.isna(values)
    mask = pd.isna(values)
    data = pd.arrays.BooleanArray(np.where(mask, False, values).astype(bool), mask)
    return Parsed(pd.Series(data, index=raw.index), row_mask(invalid, raw.index))


_ANSWER_WORDS = {fold(name): value for value, names in ANSWERS.items() for name in names}


def _answer_word(text: str) -> float | None:
    """An answer written as a word, a number ("0,5") or a percentage ("50 %")."""
    word = fold(text)
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
    cells = sort_cells(raw)
    n = len(cells.kind)
    values = np.full(n, np.nan)
    is_bool = cells.is_(BOOL)
    values[is_bool] = [1.0 if v else 0.0 for v in cells.objects_of(BOOL)]
    is_number = cells.is_(NUMBER)
    answer = is_number & np.isin(cells.number, list(ANSWERS))
    values[answer] = cells.number[answer]
    if cells.is_(TEXT).any():
        codes, results = per_distinct(cells.text, _answer_word)
        is_text = codes >= 0
        values[is_text] = spread(codes, results)[is_text].astype("float64")
    invalid = ~cells.blank & np.isnan(values)
    return Parsed(pd.Series(pd.array(values, dtype="Float64"), index=raw.index),
                  row_mask(invalid, raw.index))
