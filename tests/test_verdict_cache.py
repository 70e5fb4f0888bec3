"""The persistent cache of word verdicts: same results with it, without it and from it; an
unusable cache warned about once and set aside, a snapshot that does not decode rebuilt;
a file of the earlier layout ignored; concurrent writers; a new file when the rules
change."""

from __future__ import annotations

import logging
import multiprocessing
import sqlite3

import pandas as pd
import pyarrow as pa
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


def _stored(path) -> pa.Table:
    """The snapshot in the cache file, decoded and checked as a read does."""
    with sqlite3.connect(path) as con:
        (blob,) = con.execute("SELECT data FROM snapshot").fetchone()
    return verdict_cache._decode(blob, tokens._N_COLUMNS)


def _replace_snapshot(path, blob: bytes) -> None:
    with sqlite3.connect(path) as con:
        con.execute("UPDATE snapshot SET data = ?", (blob,))


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """An empty cache folder, nothing remembered by this process, no earlier warning."""
    monkeypatch.setenv(verdict_cache.ENV_VAR, str(tmp_path))
    monkeypatch.setattr(tokens, "_memory", tokens._Memory())
    monkeypatch.setattr(verdict_cache, "_state", {"broken": False, "warned": False})
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
    monkeypatch.setattr(tokens, "_memory", tokens._Memory())
    first = _frames(TEXTS)
    path = verdict_cache.cache_file()
    assert path.exists() and path.parent == fresh
    stored = _stored(path)
    assert stored.num_rows > 20
    assert "vacunasion" in stored.column("raw").to_pylist()
    monkeypatch.setattr(tokens, "_memory", tokens._Memory())
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


def _wrong_row_blob(path) -> bytes:
    """The stored snapshot with the row of "vacunasion" cut to three numbers."""
    table = _stored(path)
    rows = [list(r) for r in table.column("row").to_pylist()]
    at = table.column("raw").to_pylist().index("vacunasion")
    rows[at] = [1, 2, 3]
    bad = pa.table({"raw": table.column("raw"), "row": pa.array(rows, pa.list_(pa.int64())),
                    "flagged": table.column("flagged")})
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, bad.schema) as writer:
        writer.write_table(bad)
    return sink.getvalue().to_pybytes()


@pytest.mark.parametrize("damage", ["wrong_row", "truncated", "wrong_flag"])
def test_a_damaged_snapshot_is_never_used_and_is_rebuilt(fresh, monkeypatch, caplog, damage):
    reference = _frames(TEXTS)
    path = verdict_cache.cache_file()
    good = _stored(path)
    if damage == "wrong_row":
        blob = _wrong_row_blob(path)
    elif damage == "truncated":
        with sqlite3.connect(path) as con:
            (blob,) = con.execute("SELECT data FROM snapshot").fetchone()
        blob = blob[: len(blob) // 2]
    else:
        flags = good.column("flagged").to_pylist()
        flags[good.column("raw").to_pylist().index("vacunasion")] = '[["vacunasion"]]'
        table = good.set_column(2, "flagged", pa.array(flags, pa.string()))
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        blob = sink.getvalue().to_pybytes()
    _replace_snapshot(path, blob)
    monkeypatch.setattr(tokens, "_memory", tokens._Memory())
    judged = []
    monkeypatch.setattr(tokens, "_judge", lambda raw: judged.append(raw) or
                        tokens._token_info(raw))
    with caplog.at_level(logging.WARNING, logger=verdict_cache.__name__):
        got = _frames(TEXTS)
    _assert_same(reference, got)
    assert "vacunasion" in judged  # judged again, never taken from the damaged snapshot
    warnings = [r for r in caplog.records if r.name == verdict_cache.__name__]
    assert len(warnings) == 1 and str(path) in warnings[0].getMessage()
    rebuilt = _stored(path)  # the snapshot was replaced by the tokens judged again
    assert sorted(rebuilt.column("raw").to_pylist()) == sorted(good.column("raw").to_pylist())
    assert rebuilt.column("row").to_pylist() == [
        good.column("row")[good.column("raw").to_pylist().index(raw)].as_py()
        for raw in rebuilt.column("raw").to_pylist()]


def test_a_file_of_the_earlier_layout_is_ignored_and_replaced(fresh, monkeypatch):
    path = verdict_cache.cache_file()
    with sqlite3.connect(path) as con:  # one JSON row per token, with a wrong verdict
        con.execute("CREATE TABLE token (raw TEXT PRIMARY KEY, info TEXT NOT NULL)")
        con.execute("INSERT INTO token VALUES ('vacunasion', ?)",
                    ("[[" + ",".join("0" * tokens._N_COLUMNS) + "],[]]",))
    got = text_features(TEXTS)
    assert "vacunasion" in set(got.flagged["word"])
    with sqlite3.connect(path) as con:
        tables = {name for (name,) in con.execute("SELECT name FROM sqlite_master")}
    assert "token" not in tables and "snapshot" in tables
    assert "vacunasion" in _stored(path).column("raw").to_pylist()


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
    stored = set(_stored(path).column("raw").to_pylist())
    assert {f"Palabra{k}" for k in range(300)} <= stored
    from_cache = _frames(pd.Series(texts, dtype="str"))
    monkeypatch.setenv(verdict_cache.ENV_VAR, verdict_cache.OFF)
    monkeypatch.setattr(tokens, "_memory", tokens._Memory())
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


def test_the_process_remembers_the_tokens_it_read(fresh, monkeypatch):
    first = _frames(TEXTS)
    monkeypatch.setenv(verdict_cache.ENV_VAR, verdict_cache.OFF)
    judged = []
    monkeypatch.setattr(tokens, "_judge", lambda raw: judged.append(raw) or
                        tokens._token_info(raw))
    again = _frames(TEXTS)
    _assert_same(first, again)
    assert judged == []  # every token from the memory: no cache, nothing judged
    more = pd.Series(["Otra publicación con vacunasion y palabras nuevas."], dtype="str")
    got = text_features(more)
    assert set(judged) == {"Otra", "publicación", "con", "y", "palabras", "nuevas."}
    assert list(got.flagged["word"]) == ["vacunasion"]


def test_the_memory_starts_again_past_its_size(fresh, monkeypatch):
    monkeypatch.setattr(tokens, "_MEMORY_MAX_TOKENS", 50)
    reference = _frames(TEXTS)
    assert len(tokens._memory.raws) == 46  # every distinct token of the column
    _frames(pd.Series(["Otra publicación distinta, con palabras nuevas."]))
    # 46 + 6 new tokens are more than 50: only those of the latest column are kept
    assert tokens._memory.raws.to_pylist() == ["Otra", "publicación", "distinta,", "con",
                                               "palabras", "nuevas."]
    assert len(tokens._memory.rows) == len(tokens._memory.flagged) == len(tokens._memory.raws)
    _assert_same(reference, _frames(TEXTS))
