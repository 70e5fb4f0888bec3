"""Content coding: cross-validated figures, saved models and inter-coder agreement."""

from __future__ import annotations

import json
import math
import random
import statistics
from contextlib import redirect_stderr, redirect_stdout
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from audit.cli import main
from audit.research import coding

VOCABULARY = {
    "obras": ["asfaltado", "calle", "obras", "acera", "licitación", "rotonda", "pavimento",
              "alcantarillado"],
    "cultura": ["concierto", "teatro", "festival", "exposición", "museo", "biblioteca",
                "música", "danza"],
    "servicio": ["corte", "agua", "tráfico", "cerrado", "horario", "incidencia", "aviso",
                 "recogida"],
}


def _coded_sample(per_class: int = 20, seed: int = 1) -> tuple[list[str], list[str]]:
    """Short Spanish posts, each class with its own vocabulary plus shared filler words."""
    rng = random.Random(seed)
    filler = ["el", "la", "de", "en", "hoy", "ayuntamiento", "vecinos", "municipal"]
    texts, labels = [], []
    for label, words in VOCABULARY.items():
        for _ in range(per_class):
            chosen = rng.sample(words, 3) + rng.sample(filler, 3)
            rng.shuffle(chosen)
            texts.append(" ".join(chosen).capitalize() + ".")
            labels.append(label)
    return texts, labels


@pytest.fixture(scope="module")
def sample_csv(tmp_path_factory) -> Path:
    texts, labels = _coded_sample()
    rng = random.Random(7)
    second = [lab if rng.random() > 0.2 else rng.choice(sorted(VOCABULARY)) for lab in labels]
    path = tmp_path_factory.mktemp("coded") / "codificado.csv"
    pd.DataFrame({"texto": texts, "codigo": labels, "codigo2": second}).to_csv(path, index=False)
    return path


def _cli(*args: str) -> SimpleNamespace:
    """The command line called in this process: its exit status and what it printed (the
    process itself is tested once, in test_cli.py)."""
    out, err = StringIO(), StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return SimpleNamespace(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())


def test_distinct_vocabularies_are_learnt():
    texts, labels = _coded_sample()
    result = coding.evaluate(texts, labels, folds=5, n_jobs=1)
    assert result["n"] == 60 and result["folds"] == 5
    assert result["macro_f1"] >= 0.95
    assert result["kappa"] >= 0.9
    assert set(result["per_class"]) == set(VOCABULARY)
    matrix = result["confusion_matrix"]
    assert matrix["labels"] == sorted(VOCABULARY)
    assert sum(map(sum, matrix["matrix"])) == 60


def test_evaluate_is_deterministic():
    texts, labels = _coded_sample()
    a = coding.evaluate(texts, labels, folds=4, seed=3, n_jobs=1)
    b = coding.evaluate(texts, labels, folds=4, seed=3, n_jobs=1)
    assert a == b


@pytest.mark.slow  # tunes offsets inside every fold, twice
def test_offset_tuning_runs_and_is_deterministic():
    texts, labels = _coded_sample()
    a = coding.evaluate(texts, labels, folds=3, n_jobs=1, tune_offsets=True)
    assert a == coding.evaluate(texts, labels, folds=3, n_jobs=1, tune_offsets=True)
    assert a["macro_f1"] >= 0.9


def test_repeats_give_mean_and_spread_and_keep_the_first_run():
    texts, labels = _coded_sample()
    rng = random.Random(3)  # some wrong codes, so that the shuffles disagree
    labels = [lab if rng.random() > 0.3 else rng.choice(sorted(VOCABULARY)) for lab in labels]
    runs = [coding.evaluate(texts, labels, folds=4, seed=5 + i, n_jobs=1) for i in range(3)]
    repeated = coding.evaluate(texts, labels, folds=4, seed=5, n_jobs=1, repeats=3)
    assert {k: v for k, v in repeated.items() if k != "repeated"} == runs[0]
    block = repeated["repeated"]
    each = [r["macro_f1"] for r in runs]
    assert block["repeats"] == 3 and block["seeds"] == [5, 6, 7]
    assert block["macro_f1_each"] == each
    assert block["macro_f1_mean"] == pytest.approx(statistics.mean(each), abs=1e-3)
    assert block["macro_f1_sd"] == pytest.approx(statistics.stdev(each), abs=1e-3)
    assert block["macro_f1_min"] == min(each) and block["macro_f1_max"] == max(each)
    assert block["kappa_each"] == [r["kappa"] for r in runs]
    assert "repeated" not in runs[0]
    with pytest.raises(coding.CodingError, match="repeticiones"):
        coding.evaluate(texts, labels, folds=4, repeats=0)


@pytest.mark.parametrize("labels,message", [
    (["a"] * 12, "2 clases"),
    (["a"] * 10 + ["b"] * 2, "'b' tiene 2"),
])
def test_unusable_label_sets_are_refused(labels, message):
    with pytest.raises(coding.CodingError, match=message):
        coding.evaluate([f"texto {i}" for i in range(len(labels))], labels, folds=5)


def test_train_save_load_predict_round_trip(tmp_path):
    texts, labels = _coded_sample()
    path = tmp_path / "modelo.joblib"
    model = coding.train(texts, labels, folds=3, out=path, n_jobs=1)
    assert model["metrics"]["macro_f1"] >= 0.9
    loaded = coding.load_model(path)
    assert loaded["sklearn_version"] and loaded["labels"] == sorted(VOCABULARY)
    assert loaded["metrics"] == model["metrics"]
    new = ["Concierto en el teatro municipal", "Corte de agua por incidencia",
           "Obras de asfaltado en la calle Mayor"]
    assert coding.predict(loaded, new) == ["cultura", "servicio", "obras"]
    assert coding.predict(loaded, []) == []


def test_load_model_refuses_other_files(tmp_path):
    other = tmp_path / "x.joblib"
    other.write_bytes(b"not a pickle")
    with pytest.raises(coding.CodingError):
        coding.load_model(other)
    with pytest.raises(coding.CodingError, match="No existe"):
        coding.load_model(tmp_path / "none.joblib")


def test_read_coded_formats_and_empty_rows(tmp_path):
    frame = pd.DataFrame({"t": ["uno", "dos", "", "cuatro"], "l": [1, 2, 1, None]})
    frame.to_excel(tmp_path / "c.xlsx", index=False)
    frame.to_json(tmp_path / "c.json", orient="records")
    for name in ("c.xlsx", "c.json"):
        read = coding.read_coded(tmp_path / name, "t", "l")
        assert read["text"].tolist() == ["uno", "dos"]
        assert read["label"].tolist() == ["1", "2"]
    pd.DataFrame({"t": ["a"], "l": [["x", "y"]]}).to_json(tmp_path / "l.json", orient="records")
    with pytest.raises(coding.CodingError, match="listas"):
        coding.read_coded(tmp_path / "l.json", "t", "l")


def test_cohen_kappa_and_alpha_hand_computed():
    # Units: (x,x) (x,y) (y,y) (y,y). p_o = 3/4; coder A is 1/2 x, coder B 1/4 x, so
    # p_e = 1/2*1/4 + 1/2*3/4 = 1/2 and kappa = (3/4 - 1/2) / (1/2) = 0.5.
    # Coincidence matrix: o_xx = 2, o_xy = o_yx = 1, o_yy = 4; n_x = 3, n_y = 5, n = 8.
    # alpha = 1 - (n - 1) * (o_xy + o_yx) / (2 n_x n_y) = 1 - 7 * 2 / 30 = 8/15.
    a, b = ["x", "x", "y", "y"], ["x", "y", "y", "y"]
    assert coding.cohen_kappa(a, b) == pytest.approx(0.5)
    assert coding.krippendorff_alpha(a, b) == pytest.approx(8 / 15)
    result = coding.agreement(a, b)
    assert result == {"n": 4, "percent_agreement": 0.75, "cohen_kappa": 0.5,
                      "krippendorff_alpha": round(8 / 15, 4)}


def test_alpha_three_values_and_missing():
    # Units: (a,a) (a,b) (b,c) (c,c) (a,-): the last one is pairable with nothing.
    # o_aa = 2, o_ab = o_ba = 1, o_bc = o_cb = 1, o_cc = 2; n_a = 3, n_b = 2, n_c = 3, n = 8.
    # sum_{c!=k} n_c n_k = 2 (3*2 + 3*3 + 2*3) = 42; disagreement = 4.
    # alpha = 1 - 7 * 4 / 42 = 1/3.
    a = ["a", "a", "b", "c", "a"]
    b = ["a", "b", "c", "c", None]
    assert coding.krippendorff_alpha(a, b) == pytest.approx(1 / 3)
    assert coding.agreement(a, b)["n"] == 4


def test_agreement_without_variation_is_undefined():
    assert math.isnan(coding.cohen_kappa(["a", "a"], ["a", "a"]))
    assert coding.agreement(["a", "a"], ["a", "a"])["krippendorff_alpha"] is None


def test_cli_evaluate_json(sample_csv):
    done = _cli("code", "evaluate", str(sample_csv), "--text", "texto", "--label", "codigo",
                "--folds", "3", "--label2", "codigo2", "--jobs", "1")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert {"macro_f1", "kappa", "per_class", "confusion_matrix", "n", "folds",
            "agreement"} <= set(result)
    assert result["n"] == 60 and result["folds"] == 3
    assert set(result["per_class"]["obras"]) == {"precision", "recall", "f1", "support"}
    assert len(result["confusion_matrix"]["matrix"]) == 3
    assert {"cohen_kappa", "krippendorff_alpha", "n", "percent_agreement"} == set(
        result["agreement"])
    assert "repeated" not in result
    done = _cli("code", "evaluate", str(sample_csv), "--text", "texto", "--label", "codigo",
                "--folds", "3", "--repeats", "2", "--jobs", "1")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["repeated"]["seeds"] == [0, 1]


def test_cli_train_writes_model(sample_csv, tmp_path):
    out = tmp_path / "m" / "modelo.joblib"
    done = _cli("code", "train", str(sample_csv), "--text", "texto", "--label", "codigo",
                "--folds", "3", "--out", str(out), "--jobs", "1")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["model"] == str(out)
    assert coding.predict(coding.load_model(out), ["Festival de música"]) == ["cultura"]
    labelled = tmp_path / "etiquetado.csv"
    done = _cli("code", "predict", str(out), str(sample_csv), "--text", "texto",
                "--out", str(labelled))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["n"] == 60
    frame = pd.read_csv(labelled)
    assert (frame["predicted_label"] == frame["codigo"]).mean() > 0.9
    done = _cli("code", "predict", str(sample_csv), str(sample_csv), "--text", "texto",
                "--out", str(labelled))
    assert done.returncode == 2 and "Traceback" not in done.stderr


@pytest.mark.parametrize("args,expected", [
    (["--text", "texto", "--label", "no_hay"], "no_hay"),
    (["--text", "texto", "--label", "codigo", "--folds", "30"], "particiones"),
    (["--text", "texto", "--label", "codigo", "--repeats", "0"], "repeticiones"),
])
def test_cli_bad_input_exit_2_one_line(sample_csv, args, expected):
    done = _cli("code", "evaluate", str(sample_csv), *args)
    assert done.returncode == 2
    assert expected in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert len(done.stderr.strip().splitlines()) == 1


def test_cli_missing_file_exit_2(tmp_path):
    done = _cli("code", "evaluate", str(tmp_path / "no.csv"), "--text", "t", "--label", "l")
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_run_with_a_content_model_adds_the_content_mix(tmp_path, spanish_xlsx):
    import pandas as pd

    from audit import run_audit, write_outputs

    texts, labels = _coded_sample()
    model = tmp_path / "modelo.joblib"
    coding.train(texts, labels, folds=3, out=model)
    result = run_audit([spanish_xlsx], content_model=model)
    mix = result.content_mix
    assert set(mix["label"]) <= set(labels)
    assert mix.groupby("institution")["share"].sum().round(3).eq(1).all()
    assert mix["posts"].sum() == result.data.posts["text"].notna().sum()
    write_outputs(result, tmp_path / "out")
    written = pd.read_csv(tmp_path / "out" / "content_mix.csv")
    assert list(written.columns) == ["institution", "label", "posts", "share"]
    codebook = pd.read_csv(tmp_path / "out" / "codebook.csv")
    assert set(codebook.loc[codebook["file"] == "content_mix.csv", "column"]) == \
        {"institution", "label", "posts", "share"}


def test_run_with_a_missing_model_exits_2(tmp_path, spanish_xlsx):
    done = _cli("run", str(spanish_xlsx), "--out", str(tmp_path / "o"), "--content-model",
                str(tmp_path / "no_existe.joblib"))
    assert done.returncode == 2
    assert "no_existe.joblib" in done.stderr and "Traceback" not in done.stderr


def test_coding_error_carries_a_message_for_either_language():
    import pickle

    with pytest.raises(coding.CodingError) as caught:
        coding.evaluate([f"texto {i}" for i in range(12)], ["a"] * 10 + ["b"] * 2, folds=5)
    message = caught.value.message
    assert message.id == "coding.small_class"
    assert message.render("en") == ("The class 'b' has 2 members, fewer than the 5 folds; "
                                    "code more posts or use fewer --folds")
    again = pickle.loads(pickle.dumps(caught.value))
    assert again.message == message and str(again) == str(caught.value)
