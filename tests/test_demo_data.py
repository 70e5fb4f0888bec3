"""The synthetic demo workbook and the blank template: reproducible, as described, and in
step with the input contract.

The generator is a script, not a package module, so it is loaded from its file path.
"""

from __future__ import annotations

import importlib.util
import io
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from audit.ingest.contract import NETWORKS, SECTORS, SHEETS, normalize_name
from audit.ingest.template import write_template

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"


def _load_generator():
    path = SAMPLE / "generate_demo.py"
    spec = importlib.util.spec_from_file_location("generate_demo", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while loading
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


def _cells(path: Path) -> dict[str, list[list]]:
    """Every sheet's cell values, in order."""
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def _lookup(aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {normalize_name(a): key for key, names in aliases.items() for a in (key, *names)}


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> dict:
    return gen.generate(tmp_path_factory.mktemp("first"))


@pytest.fixture(scope="module")
def demo(fresh) -> dict[str, list[list]]:
    return _cells(fresh["demo"])


def _rows(demo: dict, sheet: str) -> list[dict]:
    header, *rows = demo[SHEETS[sheet].header_es]
    names = {c.header_es: c.name for c in SHEETS[sheet].columns}
    names[gen.MISSPELT[1]] = gen.MISSPELT[0]
    return [{names[h]: v for h, v in zip(header, row, strict=True)} for row in rows]


def test_generation_is_deterministic(fresh):
    """What a generation returns beside its workbooks comes out the same when the data are
    built again (the workbooks' cells are pinned by the committed ones, below: written by an
    earlier process, so writing them a second time here would prove nothing more)."""
    again = gen._build(random.Random(gen.SEED))
    assert again.planted == fresh["planted"]
    assert again.archetypes == fresh["archetypes"]
    assert again.last_posts == fresh["last_posts"]
    assert gen._counts(again) == fresh["counts"]


def test_committed_workbooks_equal_a_fresh_generation(fresh):
    assert _cells(SAMPLE / gen.DEMO_NAME) == _cells(fresh["demo"])
    assert _cells(SAMPLE / gen.TEMPLATE_NAME) == _cells(fresh["template"])


def test_workbook_layout_and_size(fresh, demo):
    expected = ["Léame", *(sheet.header_es for sheet in SHEETS.values())]
    assert list(demo) == expected
    for sheet in SHEETS.values():
        headers = [c.header_es for c in sheet.columns]
        if sheet.name == "profiles":
            headers = [gen.MISSPELT[1] if h == "fecha_creacion" else h for h in headers]
        assert demo[sheet.header_es][0] == headers
    assert fresh["demo"].stat().st_size < 2 * 1024 * 1024


def test_readme_says_the_data_are_synthetic(demo):
    text = " ".join(str(cell) for row in demo["Léame"] for cell in row)
    assert "SINTÉTICO" in text.upper()
    assert "SYNTHETIC" in text.upper()
    assert "FICTICIAS" in text and "FICTIONAL" in text
    assert "generate_demo.py" in text


def test_counts_are_as_stated(fresh, demo):
    counts = fresh["counts"]
    assert counts["institutions"] == 40
    assert 8_000 <= counts["posts"] <= 10_000
    assert 2_500 <= counts["interactions"] <= 3_500
    governed = {r["institution"] for r in _rows(demo, "governance")}
    assert len(governed) == 34
    assert counts["governance"] == 34 * 10
    assert counts["posts"] == len(demo["publicaciones"]) - 1
    assert counts["interactions"] == len(demo["interacciones"]) - 1


def test_sector_country_and_network_spread(demo):
    sectors, networks = _lookup(SECTORS), _lookup(NETWORKS)
    by_institution: dict[str, dict] = {}
    for row in _rows(demo, "profiles"):
        if not row["institution"]:
            continue
        entry = by_institution.setdefault(row["institution"], {"networks": set()})
        entry["sector"] = sectors[normalize_name(row["sector"])]
        entry["country"] = normalize_name(row["country"])
        assert row["region"]
        network = networks.get(normalize_name(row["network"]))
        if network:
            entry["networks"].add(network)
    assert len(by_institution) == 40
    per_sector = {s: sum(e["sector"] == s for e in by_institution.values())
                  for s in ("local_government", "regional_government", "national_government",
                            "health", "library")}
    assert all(count >= 5 for count in per_sector.values()), per_sector
    assert sum(per_sector.values()) == 40
    practices = [name for name in by_institution if "Consultorio" in name]
    assert len(practices) >= 2
    countries = {e["country"] for e in by_institution.values()}
    assert len(countries) >= 4
    assert all(3 <= len(e["networks"]) <= 6 for e in by_institution.values())


def test_archetypes_cover_every_quality_level(fresh):
    levels = list(fresh["archetypes"].values())
    for level in ("exemplary", "good", "average", "weak", "neglected"):
        assert levels.count(level) >= 5


def test_posts_fall_in_the_twelve_months_before_as_of(demo):
    start = gen.AS_OF - timedelta(days=366)
    dates = [r["published_at"] for r in _rows(demo, "posts")]
    stamps = [d for d in dates if isinstance(d, datetime)]
    assert len(stamps) > 0.9 * len(dates)  # mostly real Excel dates, some text
    assert all(start <= d <= gen.AS_OF for d in stamps)
    assert max(stamps).date() == gen.AS_OF.date()
    replies = [r["replied_at"] for r in _rows(demo, "interactions")]
    assert all(d <= gen.AS_OF for d in replies if isinstance(d, datetime))


def test_inactive_abandoned_and_silent_profiles(fresh):
    last = fresh["last_posts"]
    for key, days in gen.FORCED_LAST_POST.items():
        assert (gen.AS_OF.date() - last[key].date()).days == days
    for key in gen.NEVER_POSTS:
        assert last[key] is None
    assert 50 < sum(1 for when in last.values()
                    if when and (gen.AS_OF - when).days <= 14) < len(last)


def test_planted_problems_are_where_the_readme_says(fresh, demo):
    planted = fresh["planted"]
    assert 8 <= len(planted) <= 12
    readme_rows = {(row[0], int(row[1])) for row in demo["Léame"]
                   if row[0] in demo and isinstance(row[1], float)}
    for item in planted:
        assert (item["sheet"], item["row"]) in readme_rows
        sheet = demo[item["sheet"]]
        column = sheet[0].index(item["column"])
        cell = sheet[item["row"] - 1][column]
        value = item["value"]
        if value is None:
            assert cell == ""
        elif isinstance(value, datetime):
            assert cell == value
        else:
            assert str(cell).removesuffix(".0") == str(value)


def test_websites_use_the_reserved_example_domain(demo):
    for row in _rows(demo, "profiles"):
        if row["website"]:
            assert row["website"].split("/")[2].endswith(".example"), row["website"]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_template_has_every_contract_sheet_with_its_headers(lang):
    buffer = io.BytesIO()
    write_template(buffer, lang=lang)
    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    names = [s.header_es if lang == "es" else s.name for s in SHEETS.values()]
    assert book.sheetnames == [{"es": "Instrucciones", "en": "Instructions"}[lang], *names]
    for sheet, name in zip(SHEETS.values(), names, strict=True):
        ws = book[name]
        expected = [c.header_es if lang == "es" else c.name for c in sheet.columns]
        assert [cell.value for cell in ws[1]] == expected
        assert ws.max_row == 1
        assert ws.freeze_panes == "A2"
    instructions = " ".join(str(c.value) for row in book.worksheets[0].iter_rows()
                            for c in row if c.value)
    for sheet in SHEETS.values():
        for column in sheet.columns:
            assert (column.help_es if lang == "es" else column.help_en) in instructions
    assert "protocolo_quejas" in instructions


def test_template_is_byte_for_byte_reproducible(tmp_path):
    first, second = io.BytesIO(), io.BytesIO()
    write_template(first)
    write_template(second)
    assert first.getvalue() == second.getvalue()
    with pytest.raises(ValueError):
        write_template(tmp_path / "x.xlsx", lang="fr")
