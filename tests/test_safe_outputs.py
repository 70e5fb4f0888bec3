"""Outputs that stay inert whatever the input holds: a spreadsheet never runs a cell, a
Markdown viewer never shows a tag, link or image from the data, every .tex table compiles.

An audit of institutions with hostile names (formulas, Markdown and HTML, LaTeX specials,
emoji and several scripts), countries and texts, from a file whose own name is a formula,
is written once and read back; the escaping functions are then tried on any Unicode text.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from audit import run_audit, write_outputs
from audit.report import write
from audit.report.excel import excel_parts, excel_report
from audit.report.inert import FORMULA_STARTS
from audit.report.research_exports import TEX_PREAMBLE, latex_escape, md_text
from audit.report.tables import csv_text
from audit.report.write import GROUP_FILE, PDF_FOLDER

HOSTILE = ['=HYPERLINK("http://evil.example/x","clic")', "+34 600 000 000",
           "-1 Ayuntamiento", "@vecino", "[x](http://evil.example)",
           "![t](http://evil.example/t.png) **bold**", "<script>alert(1)</script>",
           "<img src=x onerror=alert(1)>", "\\[ {a} % # _ & ~ ^ $ \\\\ | `code`",
           "Ayuntamiento 😀 日本 مرحبا Ελληνικά עברית Москва"]
COUNTRIES = ["=1+2", "=1+2", "[p](http://evil.example)", "[p](http://evil.example)", "%#_&",
             "%#_&", "España", "España", "Perú", "Perú"]
# Pieces a hostile text may start with or hold, mixed into the generated texts below.
PIECES = ["=", "+", "-", "@", "\t", "\r", "\n\n", "<img src=x onerror=alert(1)>", "<script>",
          "![t](http://e.example/t.png)", "[x](http://e.example)", "<http://e.example>",
          "`", "|", "**", "\\[", "{", "}", "%", "#", "_", "&", "~", "^", "$", "\\", "&lt;",
          "😀", "مرحبا", "日本"]
hostile_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text()), max_size=6).map("".join)
# Markdown as the viewers researchers use render it: CommonMark with raw HTML and tables.
MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
STRUCTURE_TAGS = {"p", "table", "thead", "tbody", "tr", "th", "td"}


@pytest.fixture(scope="module")
def hostile_out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    profiles = [["institución", "red", "usuario", "sector", "país", "seguidores",
                 "última_publicación", "biografía"]]
    posts = [["red", "usuario", "fecha", "texto", "me_gusta"]]
    interactions = [["red", "usuario", "fecha_recibido", "texto", "es_queja",
                     "fecha_respuesta"]]
    for i, (name, country) in enumerate(zip(HOSTILE, COUNTRIES, strict=True)):
        profiles.append([name, "Facebook", f"@h{i}", "Salud" if i % 2 else "Gobierno local",
                         country, 1000 + i, "2026-10-01", '=cmd|"/c calc"!A1'])
        posts += [["Facebook", f"@h{i}", f"2026-09-{5 * d:02d}",
                   "=SUM(A1) <b>hola</b> [x](http://e.example) @vecino", 3] for d in (1, 2, 3)]
        interactions.append(["Facebook", f"@h{i}", "2026-09-10 10:00", "-No hay agua =1+1",
                             "sí", ""])
    inputs = []
    for name, rows in (("=1+2 perfiles.csv", profiles), ("publicaciones.csv", posts),
                       ("interacciones.csv", interactions)):
        path = folder / name
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)
        inputs.append(str(path))
    result = run_audit(inputs)
    assert result.usable and len(result.scorecard.institutions) == len(HOSTILE)
    out = folder / "out"
    write_outputs(result, out)
    return out


def _cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


def test_no_csv_cell_begins_with_a_formula(hostile_out):
    csvs = sorted(hostile_out.glob("*.csv"))
    assert {p.name for p in csvs} >= {"institutions.csv", "scores.csv", "profiles.csv",
                                      "recommendations.csv", "metrics_tidy.csv"}
    for path in csvs:
        bad = [c for c in _cells(path) if c.startswith(FORMULA_STARTS)]
        assert not bad, (path.name, bad[:5])
    institutions = pd.read_csv(hostile_out / "institutions.csv")
    assert "'=HYPERLINK(\"http://evil.example/x\",\"clic\")" in set(institutions["institution"])
    assert "'=1+2" in set(institutions["country"])
    assert pd.api.types.is_float_dtype(institutions["overall_score"])  # numbers stay numbers
    inputs = pd.read_json(hostile_out / "audit.json", typ="series")["inputs"]
    assert inputs[0]["name"] == "=1+2 perfiles.csv"  # the record keeps the real name


def _tags(html: str) -> set[str]:
    return {tag.lower() for tag in re.findall(r"<\s*/?\s*([A-Za-z][A-Za-z0-9]*)", html)}


def test_markdown_exports_show_the_names_as_text(hostile_out):
    for path in sorted(hostile_out.glob("*.md")):
        html = MARKDOWN.render(path.read_text(encoding="utf-8"))
        assert _tags(html) <= STRUCTURE_TAGS | {"h1", "h2", "ul", "li", "em", "strong", "code"}, \
            path.name
    html = MARKDOWN.render((hostile_out / "institutions_by_dimension.md").read_text("utf-8"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "![t](http://evil.example/t.png) **bold**" in html
    assert "<a " not in html and "<img" not in html


def _compile(tex: str, folder: Path, name: str) -> subprocess.CompletedProcess:
    (folder / f"{name}.tex").write_text(tex, encoding="utf-8")
    (folder / f"doc_{name}.tex").write_text(TEX_PREAMBLE.replace("TABLE", name),
                                            encoding="utf-8")
    return subprocess.run(["xelatex", "-interaction=nonstopmode", "-halt-on-error",
                           f"doc_{name}.tex"], cwd=folder, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("xelatex") is None,
                    reason="xelatex is not installed (Debian: texlive-xetex)")
def test_tex_tables_compile_with_xelatex(hostile_out, demo_audit, tmp_path):
    from audit import research_exports

    tables = {f"demo_{n[:-4]}": t for n, t in research_exports(demo_audit).items()
              if n.endswith(".tex")}
    tables |= {f"hostile_{p.stem}": p.read_text(encoding="utf-8")
               for p in hostile_out.glob("*.tex")}
    assert len(tables) == 6
    assert any("{[}x{]}" in tex for tex in tables.values())
    for name, tex in tables.items():
        done = _compile(tex, tmp_path, name)
        assert done.returncode == 0, (name, done.stdout[-2000:])
        assert (tmp_path / f"doc_{name}.pdf").stat().st_size > 0


# --- the escaping functions on any text ----------------------------------------------------


@settings(deadline=None)  # shared machines: the time of a case varies
@given(hostile_text, st.floats(allow_nan=False, allow_infinity=False))
def test_csv_text_cells_never_start_a_formula(value, number):
    frame = pd.DataFrame({"name": [value, "ok"], "score": [number, -1.5]})
    header, *rows = csv.reader(io.StringIO(csv_text(frame), newline=""))
    assert header == ["name", "score"] and len(rows) == 2
    assert not any(name.startswith(FORMULA_STARTS) for name, _ in rows)
    assert [float(score) for _, score in rows] == [number, -1.5]  # numbers stay numbers


@settings(deadline=None)
@given(hostile_text)
def test_markdown_escaping_leaves_no_tag_link_or_image(value):
    # as the exports use it: after a label, or in a table cell
    for doc in (f"Nombre: {md_text(value)}", f"| h |\n|---|\n| {md_text(value)} |\n"):
        html = MARKDOWN.render(doc)
        assert _tags(html) <= STRUCTURE_TAGS, (value, html)
    assert "\n" not in md_text(value) and "\r" not in md_text(value)


# What latex_escape may write: its commands, and any character TeX reads as text.
_TEX_COMMAND = re.compile(r"\\(textbackslash|textasciitilde|textasciicircum|textless|"
                          r"textgreater|textbar)\{\}|\\[&%$#_{}]|\{[\[\]]\}|"
                          r"\$\\(varepsilon|geq|leq|times)\$|\$-\$|\\textsuperscript\{2\}")
_TEX_SPECIAL = re.compile(r"[\\{}$&#^_%~\[\]<>|\x00-\x1f\x7f-\x9f\u2028\u2029]")


@settings(deadline=None)
@given(hostile_text)
def test_latex_escaping_leaves_no_special_character(value):
    escaped = latex_escape(value)
    assert not _TEX_SPECIAL.search(_TEX_COMMAND.sub("", escaped)), (value, escaped)


# --- report.xlsx is inert for any name and text ---------------------------------------------


def _xlsx_cells(data: bytes) -> list:
    """Every non-empty cell of every sheet of an xlsx, as openpyxl reads it."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
            if cell.value is not None]


def _tiny_audit(names: list[str], texts: list[str]):
    """An audit of one institution per name, each with a post, a bio and an unanswered
    complaint taken from ``texts``, read from CSV files as an auditor would upload them."""
    def table(rows: list[list]) -> bytes:
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        return buffer.getvalue().encode("utf-8")

    profiles = [["institución", "red", "usuario", "sector", "última_publicación", "biografía"]]
    posts = [["red", "usuario", "fecha", "texto", "me_gusta"]]
    interactions = [["red", "usuario", "fecha_recibido", "texto", "es_queja",
                     "fecha_respuesta"]]
    for i, name in enumerate(names):
        text = texts[i % len(texts)]
        profiles.append([name, "Facebook", f"@h{i}", "Salud", "2026-10-01", text])
        posts.append(["Facebook", f"@h{i}", "2026-09-05", text, 3])
        interactions.append(["Facebook", f"@h{i}", "2026-09-10 10:00", text, "sí", ""])
    return run_audit([("perfiles.csv", table(profiles)), ("publicaciones.csv", table(posts)),
                      ("interacciones.csv", table(interactions))], quote_citizens=True)


# A name: a piece a spreadsheet would run first, then any text (a letter keeps it a name).
hostile_name = st.tuples(st.sampled_from(PIECES), st.text(max_size=12)).map(
    lambda parts: f"{parts[0]}A{parts[1]}")


@settings(deadline=None, max_examples=6)
@given(st.lists(hostile_name, min_size=2, max_size=3, unique=True),
       st.lists(hostile_text, min_size=1, max_size=3))
def test_the_excel_report_holds_no_formula_for_any_name_or_text(names, texts):
    result = _tiny_audit(names, texts)
    if result.scorecard is None:  # names the reader refuses leave no report to check
        return
    cells = _xlsx_cells(excel_report(result))
    assert cells
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    running = [c.value for c in cells if isinstance(c.value, str)
               and c.value.startswith(FORMULA_STARTS)]
    assert not running, running[:5]


def test_the_excel_report_quotes_what_would_run_and_keeps_numbers(hostile_out):
    cells = _xlsx_cells((hostile_out / "report.xlsx").read_bytes())
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert "'=HYPERLINK(\"http://evil.example/x\",\"clic\")" in texts
    assert not any(t.startswith(FORMULA_STARTS) for t in texts)
    assert any(isinstance(c.value, float) for c in cells)  # scores stay numbers


# --- the PDFs of a previous audit do not outlive it -----------------------------------------


def test_a_new_audit_clears_the_previous_pdfs_and_only_them(demo_audit, tmp_path):
    pdfs = tmp_path / PDF_FOLDER
    pdfs.mkdir()
    stale = ["alcaldia-de-un-lugar.pdf", "ab12cd34.pdf", GROUP_FILE,
             ".alcaldia-de-un-lugar.pdf.99.partial"]
    kept = ["Informe firmado.pdf", "notas.txt", "Alcaldía.pdf"]
    for name in stale + kept:
        (pdfs / name).write_bytes(b"%PDF-1.4 old")
    write_outputs(demo_audit, tmp_path)
    assert sorted(p.name for p in pdfs.iterdir()) == sorted(kept)


def test_pdfs_are_written_whole_or_not_at_all(demo_audit, tmp_path, monkeypatch):
    from audit.report import pdf

    first = demo_audit.scorecard.institutions.index[0]
    path = pdf.write_pdfs(demo_audit, tmp_path, first)[0]
    before = path.read_bytes()

    def fails(result, name, since=None):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pdf, "scorecard_pdf", fails)
    with pytest.raises(OSError):
        pdf.write_pdfs(demo_audit, tmp_path, first)
    assert path.read_bytes() == before  # the previous file, whole
    monkeypatch.setattr(os, "replace", lambda *a: (_ for _ in ()).throw(OSError(28, "full")))
    monkeypatch.setattr(pdf, "scorecard_pdf", lambda result, name, since=None: b"%PDF-1.4 new")
    with pytest.raises(OSError):
        pdf.write_pdfs(demo_audit, tmp_path, first)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no partial file left


def _written(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_a_workbook_written_in_another_process_has_the_same_bytes(demo_audit, tmp_path,
                                                                  monkeypatch):
    write_outputs(demo_audit, tmp_path / "here")
    monkeypatch.setattr(write, "CHILD_MIN_SCORES", 0)  # the demo's workbook in a child
    write_outputs(demo_audit, tmp_path / "child")
    assert _written(tmp_path / "child") == _written(tmp_path / "here")


def test_an_error_in_the_workbook_process_reaches_the_caller(demo_audit, tmp_path,
                                                             monkeypatch):
    import xlsxwriter.exceptions

    def bad_plan(result, frames=None):
        parts = excel_parts(result, frames)
        yield next(parts)
        yield "a[b]", next(parts)[1]  # a name Excel refuses

    monkeypatch.setattr(write, "CHILD_MIN_SCORES", 0)
    monkeypatch.setattr(write, "excel_parts", bad_plan)
    with pytest.raises(xlsxwriter.exceptions.InvalidWorksheetName):
        write_outputs(demo_audit, tmp_path)
    assert not list(tmp_path.glob("*.csv"))  # nothing of this audit written


class _Dies:
    """Ends the process that unpickles it, as a process killed while rendering would."""

    def __reduce__(self):
        return os._exit, (3,)


def test_a_workbook_process_that_dies_is_a_write_error(demo_audit, tmp_path, monkeypatch):
    def dying_plan(result, frames=None):
        parts = excel_parts(result, frames)
        plan = next(parts)
        plan.properties["title"] = _Dies()
        yield plan
        yield from parts

    monkeypatch.setattr(write, "CHILD_MIN_SCORES", 0)
    monkeypatch.setattr(write, "excel_parts", dying_plan)
    with pytest.raises(write.WriteError) as raised:
        write_outputs(demo_audit, tmp_path)
    assert raised.value.message.id == "cli.write_failed"
    assert write.REPORT_FILE in raised.value.message.render("en")
    assert not list(tmp_path.glob("*.csv"))
