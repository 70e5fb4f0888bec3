import pandas as pd

from audit.report.inert import inert_frame, inert_text, runs_as_formula


def test_formula_starts_get_a_quote():
    for raw in ("=1+2", "+34 600", "-x", "@vecino", "\tz", "\rz"):
        assert inert_text(raw) == "'" + raw


def test_plain_text_and_numbers_untouched():
    assert inert_text("Ayto. Norte") == "Ayto. Norte"
    assert inert_text(-3) == -3
    assert inert_text(None) is None


def test_frame_keeps_numbers_numeric():
    frame = pd.DataFrame({"name": ["=HYPERLINK(\"x\")", "ok"], "score": [-1.5, 2.0]})
    out = inert_frame(frame)
    assert out["name"].tolist() == ["'=HYPERLINK(\"x\")", "ok"]
    assert out["score"].tolist() == [-1.5, 2.0]
    assert frame["name"].iloc[0].startswith("=")  # the input frame is not changed


def test_a_text_column_and_a_mixed_one_find_the_same_formulas():
    cells = ["=1+2", "ok", None, "@vecino", "\tz", "-", "", "a=b"]
    expected = [True, False, False, True, True, True, False, False]
    assert runs_as_formula(pd.Series(cells, dtype="str")).tolist() == expected
    assert runs_as_formula(pd.Series([*cells, 3.5], dtype=object)).tolist() == [*expected,
                                                                                  False]
    frame = inert_frame(pd.DataFrame({"name": pd.Series(cells, dtype="str")}))
    assert frame["name"].dtype == "str" and pd.isna(frame["name"].iloc[2])
    assert frame["name"].drop(2).tolist() == ["'=1+2", "ok", "'@vecino", "'\tz", "'-", "",
                                              "a=b"]
