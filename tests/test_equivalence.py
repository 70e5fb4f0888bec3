"""The demo workbook and the same data saved as a Spanish Excel would save CSV files
(semicolons, Windows-1252, day-first dates, '414,403 mil') give the same profiles.csv."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl

from audit import run_audit, write_outputs

DEMO = Path(__file__).resolve().parent.parent / "sample_data" / "demo_auditoria_sintetica.xlsx"


def _spanish_cell(value: object, row: int) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, bool):
        return "VERDADERO" if value else "FALSO"
    if isinstance(value, int) and value >= 10_000 and row % 2:
        return f"{value / 1000:.3f}".replace(".", ",") + " mil"  # 414403 -> "414,403 mil"
    if isinstance(value, float):
        return str(value).replace(".", ",")
    return str(value)


def _spanish_csv_set(folder: Path) -> list[Path]:
    book = openpyxl.load_workbook(DEMO, read_only=True)
    paths = []
    for sheet in book.worksheets:
        if sheet.title == "Léame":
            continue
        path = folder / f"{sheet.title}.csv"
        with path.open("w", encoding="cp1252", errors="replace", newline="") as handle:
            writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
            for i, row in enumerate(sheet.iter_rows(values_only=True)):
                writer.writerow([_spanish_cell(v, i) for v in row])
        paths.append(path)
    return paths


def test_spanish_excel_csv_set_gives_the_same_profiles(tmp_path, demo_audit):
    from_xlsx = demo_audit
    from_csv = run_audit(_spanish_csv_set(tmp_path))
    assert from_xlsx.usable and from_csv.usable
    assert {t["encoding"] for t in from_csv.manifest()["sheets"]} == {"cp1252"}
    assert {t["delimiter"] for t in from_csv.manifest()["sheets"]} == {";"}
    write_outputs(from_xlsx, tmp_path / "xlsx")
    write_outputs(from_csv, tmp_path / "csv")
    assert (tmp_path / "xlsx" / "profiles.csv").read_bytes() == \
        (tmp_path / "csv" / "profiles.csv").read_bytes()
    xlsx_rows = from_xlsx.problems.frame("en")[["sheet", "row", "code"]]
    csv_rows = from_csv.problems.frame("en")[["sheet", "row", "code"]]
    keep = xlsx_rows["sheet"] != "Léame"
    assert xlsx_rows[keep].reset_index(drop=True).equals(csv_rows)
