"""The persistent cache of word verdicts: same results with it, without it and from it; an
unusable cache warned about once and set aside; concurrent writers; a new file when the
rules change."""

from __future__ import annotations

import logging
import multiprocessing
import sqlite3

import pandas as pd
import pytest

from audit.measure.text import text_features, tokens, verdict_cache

TEXTS = pd.Series([
    "¡Hola! Informacion sobre la vacunasion q empieza mañana, a sido un éxito.",
    "GRACIAS A TODOS POR PARTICIPAR EN LA JORNADA DE HOY EN EL CONCELLO",
    "Hoxe a xornada é no concello, unha festa para a veciñanza.",
    "Te esperamos x la tarde en el centro de salud. Más info: www.salud.gob.mx",
    None,
    "",
], dtype="str")


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """An empty cache folder, nothing remembered by this process, no earlier warning."""
    monkeypatch.setenv(verdict_cache.ENV_VAR, str(tmp_path))
    monkeypatch.setattr(tokens, "_memory", {})
    monkeypatch.setattr(verdict_cache, "_state", {"broken": False})
    return tmp_path


def _frames(texts: pd.Series) -> tuple[pd.DataFrame, ...]:
    got = text_features(texts)
    return got.posts, got.flagged, got.post_words


def _assert_same(a, b) -> None:
    for x, y in zip(a, b, strict=True):
        pd.testing.assert_frame_equal(x, y, check_exact=True)


def test_results_are_the_same_without_cache_first_and_second_run(fresh, monkeypatch):
    monkeypatch.setenv(verdict_cache.ENV_VAR, verdict_cache.OFF)
    without = _frames(TEXTS)
    assert verdict_cache.cache_file() is None
    assert list(fresh.iterdir()) == []
    monkeypatch.setenv(verdict_cache.ENV_VAR, str(fresh))
    monkeypatch.setattr(tokens, "_memory", {})
    first = _frames(TEXTS)
    path = verdict_cache.cache_file()
    assert path.exists() and path.parent == fresh
    with sqlite3.connect(path) as con:
        stored = con.execute("SELECT count(*) FROM token").fetchone()[0]
    assert stored > 20
    monkeypatch.setattr(tokens, "_memory", {})
    judged = []
    monkeypatch.setattr(tokens, "_judge", lambda raw: judged.append(raw))
    second = _frames(TEXTS)
    assert judged == []  # every token came from the file
    _assert_same(without, first)
    _assert_same(without, second)


def test_a_corrupt_cache_is_reported_once_and_ignored(fresh, caplog):
    path = verdict_cache.cache_file()
    path.write_bytes(b"this is not a database" * 100)
    with caplog.at_level(logging.WARNING, logger=verdict_cache.__name__):
        first = _frames(TEXTS)
        second = _frames(pd.Series(["Otra publicación distinta, con palabras nuevas."]))
    warnings = [r for r in caplog.records if r.name == verdict_cache.__name__]
    assert len(warnings) == 1
    assert str(path) in warnings[0].getMessage()
    assert "caché" in warnings[0].getMessage() and "cache" in warnings[0].getMessage()
    reference = text_features(TEXTS)
    _assert_same(first, (reference.posts, reference.flagged, reference.post_words))
    assert len(second[0]) == 1


def test_a_wrong_row_in_the_cache_is_never_used(fresh, monkeypatch, caplog):
    _frames(TEXTS)
    path = verdict_cache.cache_file()
    with sqlite3.connect(path) as con:
        con.execute("UPDATE token SET info = '[[1,2,3],[]]' WHERE raw = 'vacunasion'")
    monkeypatch.setattr(tokens, "_memory", {})
    with caplog.at_level(logging.WARNING, logger=verdict_cache.__name__):
        got = text_features(TEXTS)
    assert any(w == "vacunasion" for w in got.flagged["word"])
    assert len([r for r in caplog.records if r.name == verdict_cache.__name__]) == 1


def test_a_cache_folder_that_cannot_be_made_is_reported(fresh, monkeypatch, caplog):
    blocker = fresh / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv(verdict_cache.ENV_VAR, str(blocker / "cache"))
    with caplog.at_level(logging.WARNING, logger=verdict_cache.__name__):
        got = text_features(TEXTS)
    assert len([r for r in caplog.records if r.name == verdict_cache.__name__]) == 1
    assert got.posts["words"].sum() > 0


def _fill(folder: str, texts: list[str], queue) -> None:
    import os

    os.environ[verdict_cache.ENV_VAR] = folder
    got = text_features(pd.Series(texts, dtype="str"))
    queue.put(got.posts.to_json())


def test_concurrent_processes_share_one_cache(fresh, monkeypatch):
    texts = [f"Palabra{k} vacunasion informacion número {k} con texto propio y otras mas"
             for k in range(300)]
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [context.Process(target=_fill, args=(str(fresh), texts[k::3], queue))
               for k in range(3)]
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    assert len(results) == 3
    path = verdict_cache.cache_file()
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {raw for (raw,) in con.execute("SELECT raw FROM token")}
    assert {f"Palabra{k}" for k in range(300)} <= stored
    from_cache = _frames(pd.Series(texts, dtype="str"))
    monkeypatch.setenv(verdict_cache.ENV_VAR, verdict_cache.OFF)
    monkeypatch.setattr(tokens, "_memory", {})
    _assert_same(from_cache, _frames(pd.Series(texts, dtype="str")))


def test_the_version_follows_the_rules(fresh, monkeypatch):
    version = verdict_cache.rules_version()
    assert len(version) == 16 and version in verdict_cache.cache_file().name
    verdict_cache.rules_version.cache_clear()
    monkeypatch.setattr(verdict_cache, "_RULE_MODULES", verdict_cache._RULE_MODULES[:-1])
    try:
        assert verdict_cache.rules_version() != version
    finally:
        verdict_cache.rules_version.cache_clear()
