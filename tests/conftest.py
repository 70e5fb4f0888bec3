"""Shared builders: small hand-made workbooks and CSV sets with known problems, and the few
whole audits that many tests read (run once per test session: an audit is the costly part,
and no test changes a result it is given)."""

from __future__ import annotations

import csv
import io
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest

from audit import run_audit

DEMO = Path(__file__).resolve().parent.parent / "sample_data" / "demo_auditoria_sintetica.xlsx"

# A small audit in Spanish, with one planted problem per kind. Row numbers in comments are
# the Excel rows (header = 1).
PERFILES = [
    ["institución", "red", "usuario", "sector", "país", "seguidores", "verificada"],
    ["Ayuntamiento de Prueba", "Facebook", "https://www.facebook.com/AytoPrueba/",
     "Gobierno local", "España", "12,5 mil", "sí"],                                    # 2
    ["Ayuntamiento de Prueba", "Twitter", "@AytoPrueba", "gobierno local", "España",
     "1.234", "no"],                                                                   # 3
    ["Ayuntamiento de Prueba", "IG", "instagram.com/aytoprueba/", "Gobierno local",
     "España", "3,4 M", "x"],                                                          # 4
    ["Hospital Norte", "X (Twitter)", "https://x.com/HospNorte?lang=es", "Salud",
     "México", "800", ""],                                                             # 5
    ["Hospital Norte", "twitter", "@hospnorte", "Salud", "México", "800", ""],         # 6 dup
    ["", "Facebook", "@SinInstitucion", "Salud", "México", "10", ""],                  # 7 no inst.
    ["Hospital Norte", "Mastodonte", "@hn", "Salud", "México", "10", ""],              # 8 network
    ["Hospital Norte", "YouTube", "youtube.com/@hospnorte", "Salud", "México",
     "muchos", "sí"],                                                                  # 9 count
]
PUBLICACIONES = [
    ["red", "usuario", "fecha", "texto", "me_gusta"],
    ["Facebook", "aytoprueba", "01/10/2026 10:00", "Corte de agua el jueves", "5"],       # 2
    ["twitter", "@AytoPrueba", "2026-10-15T08:00:00Z", "Presupuesto 2027 aprobado", "1.2K"],  # 3
    ["X", "hospnorte", "31/02/2026", "Vacunación", "4"],                                  # 4 date
    ["X", "hospnorte", "2026-09-10 12:00", "Campaña de donación", "-3"],                  # 5 likes
    ["X", "desconocido", "2026-10-01", "Hola", "1"],                                      # 6 orphan
    ["Facebook", "aytoprueba", "01/10/2026 10:00", "Corte de agua el jueves", "5"],       # 7 dup
]
INTERACCIONES = [
    ["red", "usuario", "fecha_recibido", "texto", "es_queja", "fecha_respuesta"],
    ["Facebook", "aytoprueba", "2026-10-02 10:00", "No hay agua", "sí", "2026-10-02 09:00"],  # 2
    ["X", "hospnorte", "2026-10-03 09:00", "¿Horario?", "no", ""],                           # 3
    ["X", "hospnorte", "2026-10-04 09:00", "Gracias", "no", "2026-10-04 09:30"],             # 4
]
GOBERNANZA = [
    ["institución", "pregunta", "respuesta"],
    ["Ayuntamiento de Prueba", "responsable", "sí"],                                      # 2
    ["ayuntamiento de prueba",
     "¿Están escritos los objetivos generales y específicos de la presencia en redes?",
     "parcial"],                                                                          # 3
    ["Hospital Norte", "pregunta inventada", "sí"],                                       # 4 item
    ["Biblioteca Fantasma", "responsable", "no"],                                         # 5 inst.
]
SPANISH = {"perfiles": PERFILES, "publicaciones": PUBLICACIONES,
           "interacciones": INTERACCIONES, "gobernanza": GOBERNANZA}

ENGLISH_HEADERS = {
    "perfiles": ("profiles", ["institution", "network", "handle", "sector", "country",
                              "followers", "verified"]),
    "publicaciones": ("posts", ["network", "handle", "published_at", "text", "likes"]),
    "interacciones": ("interactions", ["network", "handle", "received_at", "text",
                                       "is_complaint", "replied_at"]),
    "gobernanza": ("governance", ["institution", "item", "answer"]),
}
ENGLISH = {name: [headers, *SPANISH[es][1:]] for es, (name, headers) in ENGLISH_HEADERS.items()}


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def csv_bytes(rows: list[list], sep: str = ";", encoding: str = "cp1252") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def write_csv_set(folder: Path, sheets: dict[str, list[list]], sep: str = ";",
                  encoding: str = "cp1252") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, rows in sheets.items():
        path = folder / f"{name}.csv"
        path.write_bytes(csv_bytes(rows, sep, encoding))
        paths.append(path)
    return paths


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.fixture
def cli(capsys):
    """Run the command line in process: (exit status, stdout, stderr)."""
    from audit.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def spanish_xlsx(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "auditoria.xlsx", SPANISH)


@pytest.fixture
def english_xlsx(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "audit.xlsx", ENGLISH)


@pytest.fixture(scope="session")
def spanish_audit(tmp_path_factory):
    """The audit of the Spanish workbook above (as of its own date), shared by every test."""
    return run_audit([write_xlsx(tmp_path_factory.mktemp("spanish") / "auditoria.xlsx",
                                 SPANISH)])


@pytest.fixture(scope="session")
def demo_audit():
    """The audit of the demo workbook with the default settings, shared by every test."""
    return run_audit([DEMO])


@pytest.fixture(autouse=True, scope="session")
def _history_in_a_temporary_file(tmp_path_factory):
    """No test reads or writes the user's own history of audits: the default history file
    (``AUDIT_HISTORY``) is a temporary one for the whole session."""
    before = os.environ.get("AUDIT_HISTORY")
    os.environ["AUDIT_HISTORY"] = str(tmp_path_factory.mktemp("history") / "historial.sqlite3")
    yield
    if before is None:
        os.environ.pop("AUDIT_HISTORY", None)
    else:
        os.environ["AUDIT_HISTORY"] = before


@pytest.fixture(autouse=True)
def _main_module_restored():
    """Every test ends with the ``__main__`` module it started with. Streamlit's AppTest
    installs its script as ``__main__`` and leaves it there; a later test in the same
    process that starts processes by "spawn" or "forkserver" (which run the parent's main
    module again in each child) would then run that script in them, and a script made by
    ``AppTest.from_function`` fails there (its arguments are not defined)."""
    import sys

    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main


@pytest.fixture(autouse=True, scope="session")
def _word_cache_in_a_temporary_folder(tmp_path_factory):
    """No test reads or writes the user's own cache of word verdicts: the cache folder
    (``AUDIT_CACHE_DIR``) is a temporary one for the whole session."""
    before = os.environ.get("AUDIT_CACHE_DIR")
    os.environ["AUDIT_CACHE_DIR"] = str(tmp_path_factory.mktemp("word-cache"))
    yield
    if before is None:
        os.environ.pop("AUDIT_CACHE_DIR", None)
    else:
        os.environ["AUDIT_CACHE_DIR"] = before
