"""``quotes`` quotes a batch of texts exactly as ``quote`` quotes each one: the texts the
pre-filter leaves out are only cut, and none of them held personal data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.measure.checks.quoting import quote, quotes

DEMO = Path(__file__).resolve().parent.parent / "sample_data" / "demo_auditoria_sintetica.xlsx"
HANDLES = frozenset({"ayto_villa", "biblioteca_norte"})


def test_quotes_equal_quote_on_the_demo_texts():
    for sheet in ("publicaciones", "interacciones"):
        texts = pd.read_excel(DEMO, sheet_name=sheet, dtype=str, engine="calamine")["texto"]
        texts = texts.dropna().tolist()
        assert quotes(texts, HANDLES) == [quote(t, HANDLES) for t in texts]
        assert quotes(texts, HANDLES, width=30) == [quote(t, HANDLES, 30) for t in texts]


def test_quotes_mask_what_they_must_and_cut_the_rest():
    texts = ["Llame al 612 345 678", "Gracias @ayto_villa y @vecina_ana",
             "Hoy abrimos la biblioteca de 10 a 14 h " * 5, "DNI 12345678Z", float("nan")]
    quoted = quotes(texts, HANDLES)
    assert quoted == [quote(t, HANDLES) for t in texts]
    assert "[teléfono]" in quoted[0]["es"] and "@ayto_villa" in quoted[1]["es"]
    assert quoted[2]["es"].endswith("…") and quoted[2]["es"] == quoted[2]["en"]
    assert quotes([], HANDLES) == []


_PIECES = st.sampled_from(["612 345 678", "12345678Z", "@ayto_villa", "@vecina", " ", "de",
                           "mi hijo", "Pablo", "historia clínica", "123456", "https://bit.ly/",
                           "440be86989", "ana@correo.es", "Atentamente,", "Ana Ruiz", "2025"])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(_PIECES, min_size=1, max_size=10).map("".join), max_size=8))
def test_quotes_equal_quote_on_generated_texts(texts):
    assert quotes(texts, HANDLES) == [quote(t, HANDLES) for t in texts]
