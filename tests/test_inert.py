import pandas as pd

from audit.report.inert import inert_frame, inert_text


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
