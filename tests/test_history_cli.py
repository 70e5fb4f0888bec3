"""``python -m audit run --history`` and ``python -m audit history list|show|compare|delete``
as a user runs them: two audits of one workbook on two dates are saved, listed, shown,
compared (in both languages and as JSON) and deleted; mistakes are one line and status 2."""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys
from contextlib import closing, redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from conftest import SPANISH, write_xlsx

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def history_of_two_audits(tmp_path_factory):
    """The Spanish workbook audited on two dates, both saved to one history file: once for
    the module, since the two whole audits are the costly part."""
    from audit.cli import main

    folder = tmp_path_factory.mktemp("history-cli")
    book = write_xlsx(folder / "auditoria.xlsx", SPANISH)
    db = folder / "h" / "historial.sqlite3"
    said = []
    for as_of, lang in (("2026-10-15", "es"), ("2026-12-31", "en")):
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = main(["run", str(book), "--out", str(folder / as_of), "--as-of", as_of,
                         "--lang", lang, "--history", str(db)])
        assert code == 0, err.getvalue()
        said.append(out.getvalue().splitlines()[-1])
    assert said == [f"Auditoría guardada en el historial con el número 1 ({db}).",
                    f"Audit saved to the history as number 2 ({db})."]
    return db


@pytest.fixture
def saved_twice(history_of_two_audits, tmp_path):
    """A copy of that history for each test (a test deletes an audit from its own)."""
    db = tmp_path / "historial.sqlite3"
    with closing(sqlite3.connect(history_of_two_audits)) as source, \
            closing(sqlite3.connect(db)) as copy:
        source.backup(copy)
    return db


def test_two_dates_saved_listed_compared_and_deleted(cli, saved_twice):
    db = str(saved_twice)
    code, out, _ = cli("history", "list", "--history", db)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"2 auditorías en {db}:"
    assert lines[1].startswith("#1 · auditoría a 2026-10-15 · guardada ")
    assert lines[2].startswith("#2 · auditoría a 2026-12-31")
    assert lines[2].endswith("rúbrica gobierno 1.0.0 · 2 instituciones · auditoria.xlsx")

    code, out, _ = cli("history", "show", "2", "--history", db, "--lang", "en")
    assert code == 0
    assert out.startswith("Audit #2 as of 2026-12-31")
    assert "  Ayuntamiento de Prueba: level 1 (Initial) · overall 56.9" in out

    code, out, _ = cli("history", "compare", "1", "2", "--history", db)
    assert code == 0
    assert "Cambios de la auditoría #1 (a 2026-10-15) a la #2 (a 2026-12-31):" in out
    assert "Misma rúbrica (gobierno 1.0.0): se compara todo." in out
    assert "  Nivel: 3 → 1 (−2)" in out
    assert "Perfiles que dejaron de publicar: Facebook @aytoprueba (activo → abandonado)" in out
    assert "(2.ª auditoría seguida)" in out
    assert "Acciones nuevas: Cerrar los perfiles abandonados" in out

    code, out, _ = cli("history", "compare", "1", "2", "--history", db, "--json")
    record = json.loads(out)
    town = next(i for i in record["institutions"]
                if i["institution"] == "Ayuntamiento de Prueba")
    assert town["level"] == [3, 1] and town["level_change"] == -2
    assert {p["change"] for p in town["profiles"]} == {"lapsed"}
    assert {a["state"] for a in town["actions"]} == {"open", "new", "done"}
    assert record["comparability"]["same_rubric"] is True

    code, out, _ = cli("history", "list", "--history", db, "--json")
    assert [a["id"] for a in json.loads(out)] == [1, 2]

    code, out, _ = cli("history", "delete", "1", "--history", db)
    assert code == 0 and out.strip() == f"Auditoría 1 borrada del historial ({db})."
    code, out, _ = cli("history", "list", "--history", db, "--json")
    assert [a["id"] for a in json.loads(out)] == [2]


def test_mistakes_are_one_line_and_status_2(cli, saved_twice, tmp_path):
    db = str(saved_twice)
    code, out, err = cli("history", "show", "7", "--history", db)
    assert code == 2 and not out
    assert err.strip() == f"No hay ninguna auditoría con el número 7 en el historial {db}."
    code, _, err = cli("history", "delete", "7", "--history", db, "--lang", "en")
    assert code == 2 and err.strip() == f"There is no audit number 7 in the history {db}."
    absent = tmp_path / "nada.sqlite3"
    code, _, err = cli("history", "list", "--history", str(absent))
    assert code == 2 and err.strip() == f"No hay historial en {absent}."
    assert not absent.exists()  # reading never creates a history


def test_run_saves_to_the_variable_s_history_and_refuses_a_broken_one(
        cli, tmp_path, spanish_xlsx, monkeypatch):
    db = tmp_path / "desde-variable.sqlite3"
    monkeypatch.setenv("AUDIT_HISTORY", str(db))
    code, out, _ = cli("run", str(spanish_xlsx), "--out", str(tmp_path / "o"), "--history")
    assert code == 0 and f"número 1 ({db})" in out
    code, out, _ = cli("history", "list")
    assert out.splitlines()[0] == f"1 auditorías en {db}:"

    junk = tmp_path / "roto.sqlite3"
    junk.write_bytes(b"not a database at all" * 50)
    code, out, err = cli("run", str(spanish_xlsx), "--out", str(tmp_path / "o2"),
                         "--history", str(junk))
    assert code == 2
    assert (tmp_path / "o2" / "institutions.csv").exists()  # the outputs are written
    assert err.startswith(f"No se puede abrir el historial {junk}:")
    assert "Traceback" not in err


@pytest.mark.slow  # a real process: `python -m audit history` as a user types it
def test_history_as_a_process(tmp_path):
    absent = tmp_path / "none.sqlite3"
    done = subprocess.run([sys.executable, "-m", "audit", "history", "list", "--history",
                           str(absent), "--lang", "en"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip() == f"There is no history at {absent}."
