"""Once validated, the raw cells and the files' bytes are let go: the audit's measures and
scores run without them, and the result keeps only the record of the reading (files,
hashes, tables and their row counts, mapping, sheets left unread)."""

from __future__ import annotations

import datetime as dt
import gc

from conftest import SPANISH, csv_bytes

import audit.pipeline
from audit import run_audit
from audit.ingest.reader import RawTable, ReadRecord


def _raw_tables() -> int:
    gc.collect()
    return sum(isinstance(o, RawTable) for o in gc.get_objects())


def test_the_raw_tables_are_let_go_before_the_measures(monkeypatch):
    sources = [(f"{name}.csv", csv_bytes(rows)) for name, rows in SPANISH.items()]
    alive = []
    build = audit.pipeline.build_features

    def counting(*args, **kwargs):
        alive.append(_raw_tables())
        return build(*args, **kwargs)

    before = _raw_tables()
    monkeypatch.setattr(audit.pipeline, "build_features", counting)
    result = run_audit(sources, as_of=dt.date(2026, 10, 31))
    assert result.usable and alive == [before]
    assert isinstance(result.read, ReadRecord)
    sheets = result.manifest()["sheets"]
    assert [(s["sheet"], s["kind"], s["rows"]) for s in sheets] == [
        ("perfiles", "profiles", 8), ("publicaciones", "posts", 6),
        ("interacciones", "interactions", 3), ("gobernanza", "governance", 4)]
    assert {s["encoding"] for s in sheets} == {"cp1252"}


def test_an_unusable_input_keeps_the_record_too():
    result = run_audit([("notas.csv", b"a;b\r\n1;2\r\n")])
    assert not result.usable and isinstance(result.read, ReadRecord)
    assert result.manifest()["inputs"][0]["name"] == "notas.csv"
