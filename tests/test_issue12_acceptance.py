"""Acceptance of "hostile and broken inputs": what an audit writes is inert and keeps
citizens' personal data in.

Two audits go through the command line with ``--pdf``, as an auditor runs them:
  - the demo workbook (one institution's scorecard, to keep it quick), whose citizens
    appear in the interactions by name (the ``autor`` column);
  - a small workbook built to be hostile: institutions, handles, bios, posts and texts
    that begin with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, and citizens'
    complaints that carry national ID numbers, phones and e-mails (and a hospital post
    that exposes a patient's), audited with ``--quote-citizens``, the setting that quotes
    their texts (masked).
Then every file written is read back as its reader would: each CSV and xlsx cell, the
Markdown, LaTeX and JSON text, and the text of every PDF (pypdf). No cell may begin as a
formula, and none of the planted personal data may appear anywhere.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import openpyxl
import pytest
from conftest import write_xlsx
from pypdf import PdfReader

from audit.cli import main
from audit.report.inert import FORMULA_STARTS

DEMO = Path(__file__).resolve().parents[1] / "sample_data" / "demo_auditoria_sintetica.xlsx"
WEAK = "Gobierno Regional de Alto Marañón"  # in the demo: unanswered complaints

# Planted personal data, each as written in a complaint; masking must remove all of them.
PLANTED = {
    "dni": "12345678Z", "nie": "X1234567L", "curp": "GODE561231HDFRRN09",
    "phone_es": "+34 612 345 678", "phone_mx": "(55) 1234-5678",
    "email": "maria.perez.vecina@correo.es", "email2": "juanito_1990@mail.com",
    "record": "historia clínica 4455667",
}
COMPLAINTS = [
    f"=HYPERLINK(\"http://evil.example\") Soy María Pérez, DNI {PLANTED['dni']}, "
    f"llámenme al {PLANTED['phone_es']}",
    f"+No me atienden. Mi NIE es {PLANTED['nie']} y mi correo {PLANTED['email']}",
    f"-Mi CURP {PLANTED['curp']}, teléfono {PLANTED['phone_mx']}",
    f"@vecino_enfadado escriban a {PLANTED['email2']} ya",
    f"\tsin respuesta desde hace un mes, DNI {PLANTED['dni']}",
    f"\rQueja: {PLANTED['record']} perdida",
]
NAMES = ['=cmd|"/c calc"!A1', "+Hospital Norte", "-Ayuntamiento Sur", "@Museo Central",
         "\tBiblioteca Este", "=1+2 Concejo"]


def _hostile_workbook(path: Path) -> Path:
    profiles = [["institución", "red", "usuario", "sector", "país", "seguidores",
                 "última_publicación", "biografía"]]
    posts = [["red", "usuario", "fecha", "texto", "me_gusta"]]
    interactions = [["red", "usuario", "fecha_recibido", "texto", "es_queja",
                     "fecha_respuesta", "autor"]]
    for i, name in enumerate(NAMES):
        handle = f"@inst{i}"
        profiles.append([name, "Facebook", handle, "Salud", "=1+1", 1000 + i, "2026-10-01",
                         f"-Cuenta oficial. Escríbanos: {PLANTED['email']}" if i == 1 else
                         "+Información pública"])
        posts += [["Facebook", handle, f"2026-09-{5 * d:02d}",
                   "=SUM(A1) AVISO IMPORTANTE A TODA LA CIUDADANÍA", 3] for d in (1, 2, 3)]
        interactions += [["Facebook", handle, f"2026-09-{10 + j:02d} 10:00", text, "sí", "",
                          f"=Vecina {j}"] for j, text in enumerate(COMPLAINTS)]
    posts.append(["Facebook", "@inst1", "2026-09-20",
                  f"Buscamos a la familia del paciente Juan García, {PLANTED['record']}, "
                  f"teléfono {PLANTED['phone_es']}", 1])
    write_xlsx(path, {"perfiles": profiles, "publicaciones": posts,
                      "interacciones": interactions})
    book = openpyxl.load_workbook(path)
    for cell in (c for sheet in book.worksheets for row in sheet.iter_rows() for c in row):
        if cell.data_type == "f":  # openpyxl took the text for a formula: keep it text
            cell.data_type = "s"
    book.save(path)
    return path


def _audit(tmp_path_factory, name: str, *args: str) -> Path:
    out = tmp_path_factory.mktemp(name) / "out"
    assert main([*args, "--out", str(out), "--pdf"]) == 0
    return out


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory) -> Path:
    return _audit(tmp_path_factory, "demo", "run", str(DEMO), "--institution", WEAK)


@pytest.fixture(scope="module")
def hostile_out(tmp_path_factory) -> Path:
    source = _hostile_workbook(tmp_path_factory.mktemp("input") / "=1+2 auditoría.xlsx")
    return _audit(tmp_path_factory, "hostile", "run", str(source), "--quote-citizens")


def _files(out: Path) -> dict[str, list[Path]]:
    files: dict[str, list[Path]] = {}
    for path in sorted(out.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            files.setdefault(path.suffix, []).append(path)
    return files


def _cells(path: Path) -> list[str]:
    """The text of every cell of a CSV or xlsx output."""
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as handle:
            return [cell for row in csv.reader(handle) for cell in row]
    book = openpyxl.load_workbook(path)
    formulas = [c.coordinate for s in book.worksheets for r in s.iter_rows() for c in r
                if c.data_type == "f"]
    assert not formulas, (path.name, formulas[:5])
    return [c.value for s in book.worksheets for r in s.iter_rows() for c in r
            if isinstance(c.value, str)]


def _text(path: Path) -> str:
    if path.suffix == ".pdf":
        return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    if path.suffix in (".csv", ".xlsx"):
        return "\n".join(_cells(path))
    return path.read_text(encoding="utf-8")


def _squeezed(text: str) -> str:
    """Text without spaces and the punctuation phones and IDs are written with, so that a
    number split over a table cell or a PDF line is still found."""
    return re.sub(r"[\s.()\-]", "", text).casefold()


def _leaks(out: Path, planted: list[str], squeeze=_squeezed) -> dict[str, list[str]]:
    """Output file -> the planted values found in it (compared after ``squeeze``)."""
    wanted = {value: squeeze(value) for value in planted}
    leaks = {}
    for paths in _files(out).values():
        for path in paths:
            text = squeeze(_text(path))
            found = [value for value, squeezed in wanted.items() if squeezed in text]
            if found:
                leaks[str(path.relative_to(out))] = found
    return leaks


def _formula_cells(out: Path) -> dict[str, list[str]]:
    bad = {}
    for path in [*_files(out).get(".csv", []), *_files(out).get(".xlsx", [])]:
        cells = [c for c in _cells(path) if c.startswith(FORMULA_STARTS)]
        if cells:
            bad[path.name] = cells[:5]
    return bad


@pytest.mark.parametrize("name", ["demo_out", "hostile_out"])
def test_every_kind_of_output_is_written(name, request):
    files = _files(request.getfixturevalue(name))
    assert {".csv", ".xlsx", ".md", ".tex", ".json", ".pdf"} <= set(files)


@pytest.mark.parametrize("name", ["demo_out", "hostile_out"])
def test_no_cell_of_any_output_begins_as_a_formula(name, request):
    assert _formula_cells(request.getfixturevalue(name)) == {}


def test_the_hostile_names_are_kept_as_quoted_text(hostile_out):
    cells = set(_cells(hostile_out / "institutions.csv"))
    # a tab or a carriage return around a value is blank space the reader trims
    assert {"'" + name for name in NAMES if name[0] != "\t"} <= cells


def test_no_planted_personal_data_leaves_the_tool(hostile_out):
    assert _leaks(hostile_out, list(PLANTED.values())) == {}


def test_the_complaints_are_quoted_masked(hostile_out):
    """The check above must see the complaints: with --quote-citizens they are quoted, with
    their personal data masked."""
    evidence = _text(hostile_out / "scores.csv")
    assert {"[documento]", "[correo]", "[expediente]"} <= set(re.findall(r"\[\w+\]", evidence))


def test_no_citizen_of_the_demo_is_named_in_any_output(demo_out):
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(DEMO)
    header, *rows = book.get_sheet_by_name("interacciones").to_python()
    authors = sorted({str(row[header.index("autor")]) for row in rows} - {""})
    assert len(authors) > 1000
    # as written: squeezed, a short name like "Ana M." would be found inside other words
    assert _leaks(demo_out, authors, squeeze=str) == {}
