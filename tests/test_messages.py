"""The message catalogue: complete in both languages, every id the code uses defined, and the
value formats each language expects."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from audit.messages import (
    LANGS,
    CatalogueError,
    Message,
    catalogue,
    msg,
    number,
    percent,
    placeholders,
    render,
    text,
    text_lenient,
    texts,
)
from ui.i18n import TEXT

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [p for folder in ("audit", "ui", "app_pages") for p in (ROOT / folder).rglob("*.py")]
SOURCES.append(ROOT / "app.py")


def _source(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_every_message_has_both_languages_with_the_same_placeholders():
    messages = catalogue()
    assert len(messages) > 400
    for id, both in messages.items():
        assert set(both) == set(LANGS), id
        assert all(both[lang].strip() for lang in LANGS), id
        assert placeholders(both["es"]) == placeholders(both["en"]), id


# A call naming its id as a literal: msg("area.key"), text("area.key", ...),
# text_lenient("area.key", ...).
_CALL = re.compile(r"""\b(?:msg|text|text_lenient)\(\s*["']([a-z_]+\.[\w.]+)["']""")


def test_every_message_id_the_code_names_exists():
    used = {(path.name, id) for path in SOURCES for id in _CALL.findall(_source(path))}
    assert len(used) > 15  # the scan finds the calls (a broken pattern would find none)
    missing = sorted((name, id) for name, id in used if id not in catalogue())
    assert missing == []


def test_every_problem_code_and_coding_error_the_code_raises_exists():
    codes = set()
    for path in SOURCES:
        source = _source(path)
        codes |= {f"problems.{c}" for c in re.findall(
            r"""\.add(?:_rows)?\(\s*["'](?:error|warning|info)["'],\s*["'](\w+)["']""", source)}
        codes |= {f"coding.{c}" for c in re.findall(r"""\b_err\(\s*["'](\w+)["']""", source)}
    assert len(codes) > 20  # the scan finds the calls
    assert sorted(c for c in codes if c not in catalogue()) == []


def test_every_interface_key_the_pages_use_exists_in_both_languages():
    pattern = re.compile(r"""\b(?:t|TEXT\[\w+\])\[["'](\w+)["']\]""")
    used = {key for path in SOURCES if path.name != "i18n.py"  # its docstring's examples
            for key in pattern.findall(_source(path))}
    assert len(used) > 150
    for lang in LANGS:
        assert sorted(used - set(TEXT[lang])) == [], lang
    assert set(TEXT["es"]) == set(TEXT["en"])


def test_catalogue_loads_with_the_c_loader(monkeypatch):
    """The C loader reads the catalogue several times faster than the Python one (a figure
    for a benchmark, not an assertion on a shared machine): every file goes through it."""
    assert hasattr(yaml, "CSafeLoader")
    before = catalogue()
    loaders, real = [], yaml.load
    monkeypatch.setattr(yaml, "load", lambda stream, Loader: (loaders.append(Loader),
                                                               real(stream, Loader=Loader))[1])
    catalogue.cache_clear()
    texts.cache_clear()
    try:
        assert catalogue() == before
    finally:
        catalogue.cache_clear()
        texts.cache_clear()
    assert loaders and set(loaders) == {yaml.CSafeLoader}


def test_render_fills_formats_nested_messages_lists_and_labels():
    assert text("coding.too_few_classes", "es", n=1) == "Se necesitan al menos 2 clases; hay 1"
    nested = msg("problems.unknown_column", suggestion=msg("hints.did_you_mean", hint="red"))
    assert nested.render("en") == "Unknown column: kept but not used. Did you mean 'red'?"
    assert render([nested, "x"], "es") == (
        "Columna desconocida: se conserva pero no se usa. ¿Quiso decir «red»?; x")
    assert render({"es": "Identidad", "en": "Identity"}, "en") == "Identity"
    assert render(Message("evidence.no_data"), "es") == "Sin datos para evaluar"


def test_number_and_percent_as_each_language_writes_them():
    assert number(1234.5, "es") == "1.234,5"
    assert number(1234.5, "en") == "1,234.5"
    assert number(1234.0, "es") == "1.234"
    assert number(0.12345, "en", 3) == "0.123"
    assert number(float("nan"), "es") == "—"
    assert number(None, "en") == "—"
    assert percent(0.923, "es") == "92,3 %"
    assert percent(0.923, "en") == "92.3%"
    assert percent(1.0, "en") == "100%"


def test_placeholder_formats_in_templates(monkeypatch):
    fake = {"t.share": {"es": "{x:pct} de {n:n2} y {k:n0}", "en": "{x:pct} of {n:n2} and {k:n0}"}}
    monkeypatch.setattr("audit.messages.catalogue", lambda: fake)
    assert text("t.share", "es", x=0.5, n=1234.567, k=2.4) == "50 % de 1.234,57 y 2"
    assert text("t.share", "en", x=0.5, n=1234.567, k=2.4) == "50% of 1,234.57 and 2"
    assert placeholders(fake["t.share"]["es"]) == {"x:pct", "n:n2", "k:n0"}


def test_unknown_ids_languages_and_missing_values_fail_loudly():
    with pytest.raises(CatalogueError):
        msg("problems.no_such_code")
    with pytest.raises(CatalogueError):
        text("evidence.no_data", "fr")
    with pytest.raises(KeyError):
        text("coding.too_few_classes", "es")
    assert text_lenient("coding.too_few_classes", "en") == "At least 2 classes are needed; found "


def test_area_texts_by_key():
    assert texts("evidence", "en")["no_data"] == "No data to evaluate"
    with pytest.raises(CatalogueError):
        texts("score", "fr")
