"""Property tests: whatever bytes or cells arrive, reading only reports problems, never raises."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.ingest.problems import ProblemLog
from audit.ingest.reader import read_inputs
from audit.ingest.validate import validate

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
HEADERS = ["institución", "red", "usuario", "seguidores", "verificada", "última_publicación",
           "sector", "publicaciones_90d"]

# Cells openpyxl can store (no control characters, which Excel itself refuses).
text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)
cell = st.one_of(
    st.none(), text, st.integers(-10**15, 10**15), st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
    st.sampled_from(["@x", "Facebook", "X (Twitter)", "12,5 mil", "31/02/2026", "sí", "-", "N/A",
                     "https://www.facebook.com/a/", "ig", "youtube.com/@b"]),
)


@SETTINGS
@given(name=st.sampled_from(["a.csv", "a.xlsx", "a.ods", "a.zip", "a.tsv"]),
       data=st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(name, data):
    log = ProblemLog()
    read_inputs([(name, data)], log)
    assert log.fatal or len(log) >= 0  # reaching here without an exception is the property


@pytest.mark.slow  # each example writes and reads a workbook
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(cell, min_size=len(HEADERS), max_size=len(HEADERS)),
                     min_size=1, max_size=8))
def test_arbitrary_cells_never_raise_and_every_row_is_accounted_for(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "perfiles"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    log = ProblemLog()  # reading and validation: where rows are kept or dropped
    read = read_inputs([("libro.xlsx", buffer.getvalue())], log)
    if log.fatal:  # e.g. no usable header: said, not raised
        assert log.fatal_lines("en")
    else:
        counts = validate(read, log).rows["profiles"]
        assert counts["used"] + counts["excluded"] == counts["read"]
        table = log.frame("es")
        assert table["message"].str.len().gt(0).all()


@SETTINGS
@given(rows=st.lists(st.lists(text, min_size=1, max_size=5), max_size=6),
       sep=st.sampled_from([",", ";", "\t"]), encoding=st.sampled_from(["utf-8", "utf-16"]))
def test_arbitrary_csv_text_never_raises(rows, sep, encoding):
    body = "\n".join(sep.join(r) for r in [["institución", "red", "usuario"], *rows])
    log = ProblemLog()
    read_inputs([("perfiles.csv", body.encode(encoding, errors="replace"))], log)
    assert all(r["severity"] in {"error", "warning", "info"} for r in log._records)
