"""Validation alone: required values, invalid values with their Excel row and column as the
user wrote it, duplicates, posts of unknown profiles, governance of unknown institutions,
and the row counts that say where every row went."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow as pa
from conftest import csv_bytes

from audit.ingest.problems import ProblemLog
from audit.ingest.reader import read_inputs
from audit.ingest.validate import _one_chunk, validate

AS_OF = dt.date(2026, 10, 31)
PROFILES = [
    ["institución", "red", "cuenta", "seguidores"],                    # 1: "cuenta" = handle
    ["Museo", "Facebook", "@museo", "1.500"],                           # 2
    ["Museo", "X", "@museo", "muchos"],                                 # 3 followers ignored
    ["", "Instagram", "@sin_dueno", "10"],                              # 4 no institution
    ["Museo", "Myspace", "@museo", "10"],                               # 5 unknown network
    ["Biblioteca", "facebook", "https://facebook.com/Museo/", "20"],    # 6 repeats row 2
    ["Biblioteca", "X", "@biblio", ""],                                 # 7
    ["museo", "Instagram", "@museo", "5"],                              # 8 spelling of row 2
]
POSTS = [
    ["red", "cuenta", "fecha", "texto", "me gusta"],
    ["Facebook", "museo", "2026-10-01 10:00", "Hola", "3"],           # 2
    ["Facebook", "museo", "2026-10-01 10:00", "Hola", "3"],           # 3 repeats row 2
    ["X", "biblio", "30/02/2026", "Fecha imposible", "1"],            # 4 invalid date
    ["X", "bilbio", "2026-10-02", "Cuenta mal escrita", "1"],         # 5 unknown profile
    ["X", "biblio", "2026-10-03", "Me gusta negativo", "-2"],         # 6 likes ignored
    ["X", "biblio", "2026-11-05", "Después de la auditoría", "1"],    # 7 after as_of
]
GOVERNANCE = [
    ["institución", "pregunta", "respuesta"],
    ["Museo", "responsable", "sí"],                                   # 2
    ["MUSEO", "responsable", "no"],                                   # 3 same item again
    ["Museo", "¿Tienen mascota?", "sí"],                              # 4 unknown item
    ["Bibliotec", "responsable", "sí"],                               # 5 unknown institution
    ["Biblioteca", "objetivos", "tal vez"],                           # 6 invalid answer
]


def _validate(**sheets: list[list]):
    log = ProblemLog()
    read = read_inputs([(f"{name}.csv", csv_bytes(rows)) for name, rows in sheets.items()], log)
    assert not log.fatal, log.frame("en").to_string()
    return validate(read, log, as_of=AS_OF), log


def _problems(log: ProblemLog, sheet: str) -> list[tuple]:
    table = log.frame("es")
    table = table[table["sheet"] == sheet]
    return [(r.row, r.column, r.code, r.severity, r.value) for r in table.itertuples()]


def test_profiles_problems_name_their_excel_row_and_written_column():
    data, log = _validate(perfiles=PROFILES)
    assert _problems(log, "perfiles") == [
        (3, "seguidores", "invalid_value_ignored", "warning", "muchos"),
        (4, "institución", "missing_value", "error", ""),
        (5, "red", "invalid_value", "error", "Myspace"),
        (6, "cuenta", "duplicate_profile", "error", "https://facebook.com/Museo/"),
        (8, "institución", "institution_renamed", "warning", "museo"),
    ]
    messages = log.frame("en").set_index("row")["message"]
    assert "row 2" in messages[6]  # the duplicate names the row it repeats
    profiles = data.profiles
    assert profiles[["institution", "network", "handle"]].values.tolist() == [
        ["Museo", "facebook", "museo"], ["Museo", "x", "museo"], ["Biblioteca", "x", "biblio"],
        ["Museo", "instagram", "museo"]]
    assert profiles["source_row"].tolist() == [2, 3, 7, 8]
    assert profiles["followers"].fillna(-1).tolist() == [1500, -1, -1, 5]  # -1: empty
    assert data.rows["profiles"] == {"read": 7, "used": 4, "excluded": 3, "outside_period": 0}


def test_posts_are_checked_against_the_profiles():
    data, log = _validate(perfiles=PROFILES, publicaciones=POSTS)
    assert _problems(log, "publicaciones") == [
        (3, "texto", "duplicate_post", "error", "Hola"),
        (4, "fecha", "invalid_value", "error", "30/02/2026"),
        (5, "cuenta", "unknown_profile", "error", "bilbio"),
        (6, "me gusta", "invalid_value_ignored", "warning", "-2"),
        (7, "fecha", "after_as_of", "info", "2026-11-05 00:00 UTC"),
    ]
    unknown = log.frame("es").query("code == 'unknown_profile'")["message"].iloc[0]
    assert "@biblio" in unknown  # the near spelling is suggested
    posts = data.posts
    assert posts[["institution", "handle", "text"]].values.tolist() == [
        ["Museo", "museo", "Hola"], ["Biblioteca", "biblio", "Me gusta negativo"]]
    assert pd.isna(posts["likes"].iloc[1])
    assert data.rows["posts"] == {"read": 6, "used": 2, "excluded": 3, "outside_period": 1}


def test_governance_answers_need_a_known_institution_and_item():
    data, log = _validate(perfiles=PROFILES, gobernanza=GOVERNANCE)
    assert _problems(log, "gobernanza") == [
        (3, "pregunta", "duplicate_item", "error", "owner"),  # shown by its id
        (4, "pregunta", "unknown_item", "error", "¿Tienen mascota?"),
        (5, "institución", "unknown_institution", "error", "Bibliotec"),
        (6, "respuesta", "invalid_value", "error", "tal vez"),
    ]
    assert "Biblioteca" in log.frame("es").query("code == 'unknown_institution'")[
        "message"].iloc[0]
    assert data.governance[["institution", "item", "answer"]].values.tolist() == [
        ["Museo", "owner", 1.0]]
    assert data.rows["governance"]["excluded"] == 4


def test_interactions_replies_before_the_message_lose_their_time():
    interactions = [["red", "cuenta", "fecha_recibido", "es_queja", "fecha_respuesta"],
                    ["X", "biblio", "2026-10-02 10:00", "sí", "2026-10-02 09:00"],   # 2
                    ["X", "biblio", "2026-10-03 10:00", "no", "2026-11-02 09:00"],   # 3
                    ["X", "biblio", "2026-10-04 10:00", "no", "2026-10-04 11:00"]]   # 4
    data, log = _validate(perfiles=PROFILES, interacciones=interactions)
    assert [(row, code) for row, _, code, _, _ in _problems(log, "interacciones")] == [
        (2, "reply_before_message"), (3, "reply_after_as_of")]
    frame = data.interactions
    assert frame["answered"].tolist() == [True, False, True]
    assert frame["replied_at"].isna().tolist() == [True, True, False]


def test_the_audit_date_comes_from_the_data_when_not_given():
    log = ProblemLog()
    read = read_inputs([("perfiles.csv", csv_bytes(PROFILES)),
                        ("publicaciones.csv", csv_bytes(POSTS[:3]))], log)
    data = validate(read, log)
    assert (data.as_of, data.as_of_source) == (dt.date(2026, 10, 1), "data")
    data = validate(read_inputs([("perfiles.csv", csv_bytes(PROFILES))], ProblemLog()),
                    ProblemLog(), as_of=AS_OF)
    assert (data.as_of, data.as_of_source) == (AS_OF, "argument")


def test_a_profiles_sheet_with_only_bad_rows_leaves_nothing():
    data, log = _validate(perfiles=[PROFILES[0], PROFILES[3], PROFILES[4]])
    assert data.profiles.empty
    assert [code for _, _, code, _, _ in _problems(log, "perfiles")] == [
        "missing_value", "invalid_value"]
    assert data.rows["profiles"] == {"read": 2, "used": 0, "excluded": 2, "outside_period": 0}



def test_text_columns_leave_validation_in_one_chunk():
    """A large file is read in blocks, so a text column arrives in many Arrow chunks;
    validation joins each into one, values, blanks and index unchanged, so that every later
    string operation works on one array."""
    parts = [pd.Series(["Hola", None, "Otra"], dtype="str") for _ in range(3)]
    frame = pd.concat([pd.DataFrame({"text": part, "n": range(3)}) for part in parts])
    frame.index = range(10, 19)
    assert pa.array(frame["text"].array).num_chunks == 3
    joined = _one_chunk(frame.copy())
    pd.testing.assert_frame_equal(joined, frame)
    chunks = pa.array(joined["text"].array)
    assert not isinstance(chunks, pa.ChunkedArray) or chunks.num_chunks == 1


def test_first_rows_agree_with_pandas_duplicated():
    """Repeated keys and the row each repeats, by codes and in one pass, equal pandas'
    ``duplicated`` and first occurrences, whether the first key column settles every row
    (all distinct) or not, blanks matching each other."""
    import numpy as np

    from audit.ingest.validate import _first_rows

    rng = np.random.default_rng(3)
    n = 500
    frame = pd.DataFrame({
        "a": pd.Series(rng.choice(["x", "y", None], n), dtype="str"),
        "b": rng.integers(0, 4, n),
        "unique": pd.Series([f"id{i}" for i in rng.permutation(n)], dtype="str"),
        "source_row": np.arange(2, n + 2),
    })
    for key in (["a", "b"], ["unique", "a"], ["b", "unique"], ["a"]):
        dup, first = _first_rows(frame, key)
        expected = frame.duplicated(key).to_numpy()
        assert (dup == expected).all(), key
        firsts = frame.groupby(key, dropna=False, sort=False)["source_row"].transform("first")
        assert first.tolist() == firsts.tolist(), key
    assert not _first_rows(frame, ["unique", "a"])[0].any()


def test_columns_parse_on_threads_below_the_row_limit_and_one_at_a_time_above(monkeypatch):
    """The same frames and the same problems, in the same order, however many threads
    parse; a sheet of PARALLEL_PARSE_MAX_ROWS rows or more gets one."""
    from concurrent.futures import ThreadPoolExecutor

    import audit.ingest.validate as validation

    asked = []

    def pool(threads, **options):
        asked.append(threads)
        return ThreadPoolExecutor(threads, **options)

    monkeypatch.setattr(validation, "ThreadPoolExecutor", pool)
    monkeypatch.setattr(validation, "PARSE_THREADS", 2)
    runs = {}
    for limit in (10**9, len(POSTS) - 1):  # the posts sheet's rows, header left out
        monkeypatch.setattr(validation, "PARALLEL_PARSE_MAX_ROWS", limit)
        runs[limit] = _validate(profiles=PROFILES, posts=POSTS, governance=GOVERNANCE)
    assert asked == [2, 1]
    (many, many_log), (one, one_log) = runs.values()
    assert many_log.frame().equals(one_log.frame())
    for kind in ("profiles", "posts", "governance"):
        pd.testing.assert_frame_equal(getattr(many, kind), getattr(one, kind))
