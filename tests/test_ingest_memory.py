"""What validation and the text measures do to hold less memory, without changing a value:
the file and sheet names of posts and interactions kept as categories (the same names, row
numbers and problems), texts split into tokens block by block of posts and the tokens'
cumulative sums read only where they are needed."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from conftest import csv_bytes

from audit.ingest.problems import ProblemLog
from audit.ingest.reader import read_inputs
from audit.ingest.validate import validate
from audit.measure.text import tokens

PROFILES = [["institución", "red", "cuenta"], ["Museo", "X", "@museo"],
            ["Biblioteca", "X", "@biblio"]]
POSTS = [["red", "cuenta", "fecha", "texto"],
         ["X", "museo", "2026-10-01", "Hola"],
         ["X", "nadie", "2026-10-02", "Cuenta desconocida"],   # 3: unknown profile, excluded
         ["X", "biblio", "2026-10-03", "Buenos días"]]
MORE_POSTS = [["red", "cuenta", "fecha", "texto"],
              ["X", "biblio", "2026-10-04", "Otra hoja"]]


def _validated():
    log = ProblemLog()
    read = read_inputs([("perfiles.csv", csv_bytes(PROFILES)),
                        ("publicaciones.csv", csv_bytes(POSTS)),
                        ("publicaciones_2.csv", csv_bytes(MORE_POSTS))], log)
    return validate(read, log, as_of=dt.date(2026, 10, 31)), log


def test_source_names_of_posts_are_categories_with_the_same_names_and_rows():
    data, log = _validated()
    posts = data.posts
    for name in ("source_file", "source_sheet"):
        assert isinstance(posts[name].dtype, pd.CategoricalDtype)
        assert list(posts[name].cat.categories) == sorted(posts[name].cat.categories)
    assert posts["source_file"].tolist() == ["publicaciones.csv", "publicaciones.csv",
                                             "publicaciones_2.csv"]
    assert posts["source_sheet"].tolist() == ["publicaciones", "publicaciones",
                                              "publicaciones_2"]
    assert posts["source_row"].tolist() == [2, 4, 2]
    assert posts["text"].tolist() == ["Hola", "Buenos días", "Otra hoja"]
    unknown = log.frame("en")
    unknown = unknown[unknown["code"] == "unknown_profile"]
    assert unknown[["file", "row"]].values.tolist() == [["publicaciones.csv", 3]]


def test_source_names_group_and_compare_as_text():
    posts = _validated()[0].posts
    counts = posts.groupby("source_file", sort=True).size()
    assert counts.to_dict() == {"publicaciones.csv": 2, "publicaciones_2.csv": 1}
    assert (posts["source_file"] == "publicaciones_2.csv").tolist() == [False, False, True]
    assert isinstance(_validated()[0].interactions["source_file"].dtype, pd.CategoricalDtype)


def test_cumulative_sums_at_positions_equal_one_pass_and_wrap_alike(monkeypatch):
    monkeypatch.setattr(tokens, "_GATHER_BLOCK", 7)
    rng = np.random.default_rng(3)
    values = rng.integers(0, 2**63, size=50, dtype=np.uint64) * np.uint64(3)  # sums wrap
    codes = rng.integers(0, 50, size=100).astype(np.int32)
    whole = np.zeros(len(codes) + 1, dtype=np.uint64)
    np.cumsum(values[codes], out=whole[1:])
    every = np.arange(len(codes) + 1)
    some = np.array([0, 0, 6, 7, 8, 14, 99, 100, 100])
    at_every, at_some = tokens._cumsum_at(values, codes, every, some)
    assert np.array_equal(at_every, whole) and np.array_equal(at_some, whole[some])
    (none,) = tokens._cumsum_at(values, codes[:0], np.zeros(3, dtype=np.int64))
    assert none.tolist() == [0, 0, 0]


TEXTS = pd.Series(["¡Hola, vecinos! Consulta https://x.gob/a hoy.", None, "", "a sido   asta",
                   "Gracias\nBuenos días 3 x 4", "Hola otra vez, vecinos"] * 3, dtype="str")


def test_texts_split_in_blocks_give_the_codes_and_sums_of_one_split(monkeypatch):
    whole = tokens.analyse(TEXTS)
    monkeypatch.setattr(tokens, "_SPLIT_BLOCK", 4)
    monkeypatch.setattr(tokens, "_GATHER_BLOCK", 5)
    blocks = tokens.analyse(TEXTS)
    assert blocks.raws == whole.raws
    for name in ("codes", "offsets", "rare", "cut_offsets", "cut_rare"):
        assert np.array_equal(getattr(blocks, name), getattr(whole, name)), name
    assert blocks.sums.keys() == whole.sums.keys()
    assert all(np.array_equal(blocks.sums[k], whole.sums[k]) for k in whole.sums)
    assert np.array_equal(tokens.count_sentences(blocks), tokens.count_sentences(whole))


def test_no_text_gives_no_tokens():
    empty = tokens.analyse(pd.Series([], dtype="str"))
    assert empty.n_posts == 0 and len(empty.codes) == 0 and empty.offsets.tolist() == [0]


def test_a_window_holding_every_post_shares_them_and_a_new_column_stays_in_the_window():
    from audit import load_rubric
    from audit.measure.features import build_features
    from audit.measure.profile_status import profile_activity

    data = _validated()[0]
    rubric = load_rubric()
    activity = profile_activity(data, rubric.status_days, rubric.window_days)
    for window, kept in ((365, 3), (28, 1)):  # posts of 1, 3 and 4 October; audit 31 October
        features = build_features(data, activity, rubric.status_days, window)
        assert features.posts["text"].tolist() == data.posts["text"].tolist()[-kept:]
        assert features.posts is not data.posts
        features.posts["added"] = 1
        assert "added" not in data.posts
