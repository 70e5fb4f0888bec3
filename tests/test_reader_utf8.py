"""A plain UTF-8 CSV file is parsed from its bytes, without a decoded copy of the whole
file; what it reads must be exactly what the general path (decode, then parse) reads, and
any other file must be left to the general path."""

from __future__ import annotations

import pandas as pd
import pytest

from audit.ingest import reader
from audit.ingest.encoding import decode

HEADER = "institución;red;usuario\r\n"
CASES = {
    "semicolons": HEADER + "Museo Ñandú;Facebook;@museo\r\nMuseo;X;@m\r\n",
    "bom": "\ufeff" + HEADER + "Museo;X;@m\r\n",
    "sep line": "sep=,\r\ninstitución,red,usuario\r\n\"Museo, Ñandú\",X,@m\r\n",
    "quoted newline": 'institución,red,usuario\n"Museo\nÑandú",X,@m\n\n',
    "no line end": "institución,red,usuario",
    "emoji": "institución\tred\tusuario\nMuseo 🎨\tX\t@m\n",
}


def _general(data: bytes) -> tuple[pd.DataFrame, str, int, str]:
    decoded = decode(data)
    delimiter, body = reader._delimiter(decoded.text)
    return (reader._csv_cells(body, delimiter), delimiter, 2 if body is not decoded.text else 1,
            decoded.encoding)


@pytest.mark.parametrize("name", list(CASES))
def test_plain_utf8_is_read_as_the_general_path_reads_it(name):
    data = CASES[name].encode("utf-8")
    plain = reader._plain_utf8_cells(data)
    assert plain is not None
    cells, *rest = plain
    expected, *expected_rest = _general(data)
    assert rest == expected_rest
    pd.testing.assert_frame_equal(cells, expected)


@pytest.mark.parametrize("data", [
    HEADER.encode("cp1252") + "Museo Ñandú;X;@m\r\n".encode("cp1252"),  # not UTF-8
    HEADER.encode("utf-16"),  # UTF-16 with its BOM
    HEADER.encode("utf-16-le"),  # and without
    HEADER.encode() + b"a;b\r\nc;d;e;f\r\n",  # uneven rows
    b"x" * (reader._CSV_HEAD_BYTES + 10) + b"\n",  # a first line longer than the head
])
def test_any_other_file_is_left_to_the_general_path(data):
    assert reader._plain_utf8_cells(data) is None
