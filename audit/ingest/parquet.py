"""Parquet files as the cells of a sheet, so they go through the same recognition,
validation and problem locations as a CSV file.

Observatories that collect millions of posts keep them in Parquet: a fraction of the CSV's
size, columns typed, read by Arrow without parsing text. The reader still wants what it
gets from a CSV file: positional columns whose first row is the header, every cell as
written. So each column becomes one column of cells headed by its name:

    text (and dictionary-coded text)  kept as Arrow text, the header put before it
                                      without copying the values
    integers                          written as decimal text ("1234"), which the count
                                      and handle parsers read exactly as from a CSV file
    anything else (decimals, floats,  Python values, as a workbook's cells come from the
    booleans, dates, timestamps)      spreadsheet reader (a timestamp with its time zone)
    nested values (lists, structs)    their JSON text

Rows are numbered as in a CSV file: the header is row 1 and the Nth data row is row N + 1.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

__all__ = ["parquet_cells"]

_TEXT = pd.StringDtype("pyarrow", np.nan)


def parquet_cells(data: bytes) -> pd.DataFrame:
    """Every column of the Parquet file ``data`` as cells, its name in the first row.
    Raises ``pa.ArrowException`` (or ``OSError``) when the bytes are not a Parquet file."""
    table = pq.read_table(pa.BufferReader(data))
    return pd.DataFrame({i: _cells(name, column) for i, (name, column)
                         in enumerate(zip(table.column_names, table.columns, strict=True))})


def _cells(name: str, column: pa.ChunkedArray) -> pd.Series:
    kind = column.type
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_integer(kind):
        text = column.cast(pa.large_string())
        return pd.Series(pa.chunked_array([pa.array([name], pa.large_string()), *text.chunks],
                                          pa.large_string()), dtype=_TEXT)
    if pa.types.is_nested(kind):
        values = [None if v is None else json.dumps(v, ensure_ascii=False, default=str)
                  for v in column.to_pylist()]
    else:
        values = column.to_pylist()
    return pd.Series([name, *values], dtype=object)
