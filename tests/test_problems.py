"""The problem log: codes and severities are checked, messages render in both languages."""

from __future__ import annotations

import pytest

from audit.ingest.problems import ProblemLog, problem_codes


def test_unknown_code_or_severity_is_a_programming_error():
    log = ProblemLog()
    with pytest.raises(ValueError):
        log.add("error", "no_such_code")
    with pytest.raises(ValueError):
        log.add("fatal", "file_empty")


def test_every_message_renders_in_both_languages_without_placeholders():
    log = ProblemLog()
    for code in problem_codes():
        log.add("warning", code, file="f.xlsx", sheet="s", row=2, column="c", value="v",
                kind="datetime", first_row=1, network="x", url_network="facebook", handle="h",
                as_of="2026-01-01", field="red", sheet_kind="perfiles", first="a", name="n",
                reason="r", ext=".pdf", suggestion="sugerida", rows=10, columns="red",
                limit=10, size=1024, count=10_000, member="m.csv", ratio=1000, declared=10,
                method=9)
    for lang in ("es", "en"):
        messages = log.frame(lang)["message"]
        assert messages.str.len().gt(10).all()
        assert not messages.str.contains(r"[{}]").any()


def test_fatal_only_for_file_level_errors_and_counts():
    log = ProblemLog()
    log.add("error", "missing_value", file="a.csv", row=3, column="red")
    assert not log.fatal
    log.add("error", "file_empty", file="b.csv")
    assert log.fatal
    assert log.counts()["by_severity"] == {"error": 2, "warning": 0, "info": 0}
    assert log.fatal_lines("en") == ["b.csv: The file is empty: it has no data rows."]


def test_long_values_are_shortened():
    log = ProblemLog()
    log.add("warning", "invalid_value_ignored", file="a", row=2, value="x" * 1000, kind="count")
    assert len(log.frame()["value"].iloc[0]) == 200


def test_suggestion_and_expected_kind_fill_their_sentence_parts():
    log = ProblemLog()
    log.add("info", "unknown_column", file="a", row=1, column="fecah", suggestion="fecha")
    log.add("warning", "invalid_value_ignored", file="a", row=2, kind="boolean")
    log.add("warning", "invalid_value_ignored", file="a", row=3, kind="no_such_kind")
    assert list(log.frame("es")["message"]) == [
        "Columna desconocida: se conserva pero no se usa. ¿Quiso decir «fecha»?",
        "Valor no válido: se esperaba sí o no. Se deja vacío.",
        "Valor no válido: se esperaba . Se deja vacío.",
    ]
    assert log.frame("en")["message"].iloc[0] == (
        "Unknown column: kept but not used. Did you mean 'fecha'?")
