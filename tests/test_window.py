"""One audit window for every post-based measure, and posts flagged as a sample.

Audit date 2026-10-31, default window 90 days: posts from 2026-08-03 on count.
"""

from __future__ import annotations

import pandas as pd
import pytest
from factories import features, workbook

from audit.cli import main
from audit.measure.checks import measure
from audit.pipeline import OptionError, run_audit

PROFILES = [["institution", "network", "handle", "followers"],
            ["Old", "facebook", "old", 1000],
            ["Live", "facebook", "live", 1000]]
WARM = "Hola vecinos, gracias por venir: os esperamos en la biblioteca municipal"
COLD = "Corte de agua programado en la calle mayor durante toda la mañana del martes"
POSTS = [["network", "handle", "published_at", "text"],
         ["facebook", "old", "2025-08-01 10:00", WARM],     # 14 months before: outside
         ["facebook", "live", "2026-10-20 10:00", COLD],
         ["facebook", "live", "2026-09-01 10:00", WARM]]


@pytest.mark.parametrize("window,old,live", [
    (90, None, 0.5),    # the 14-month-old post does not count: Old is not evaluated
    (500, 1.0, 0.5),    # a window that reaches it
    (30, None, 0.0),    # only the October post of Live
])
def test_tone_reads_only_the_posts_of_the_window(window, old, live):
    value = measure(features(PROFILES, POSTS, window_days=window), "warmth_share", {}).value
    assert (pd.isna(value["Old"]) if old is None else value["Old"] == old)
    assert value["Live"] == live


@pytest.mark.parametrize("metric,old,live", [
    ("posting_frequency", 0.0, 0.16),    # 2 posts in 90 days: 0.16 a week, target 1
    ("regularity", 0.0, 2 / 12),                     # 2 of the 12 whole weeks of 90 days
    ("active_profiles_share", 0.0, 1.0),
])
def test_silent_in_the_window_scores_zero_on_activity(metric, old, live):
    value = measure(features(PROFILES, POSTS), metric, {}).value
    assert value["Old"] == 0.0
    assert value["Live"] == pytest.approx(live, abs=0.005)


def test_a_profile_absent_from_full_timelines_is_a_measured_zero():
    profiles = [*PROFILES, ["Quiet", "x", "quiet", 10]]
    f = features(profiles, POSTS)
    for metric in ("posting_frequency", "regularity", "active_profiles_share"):
        assert measure(f, metric, {}).value["Quiet"] == 0.0, metric


@pytest.mark.parametrize("metric", ["active_profiles_share", "days_since_last_post",
                                    "posting_frequency", "regularity"])
def test_sample_posts_leave_activity_not_evaluated(metric):
    m = measure(features(PROFILES, POSTS, posts_sample=True), metric, {})
    assert m.value.isna().all()
    assert m.text("es")["Old"] == "Muestra de publicaciones: no permite medir la actividad"


def test_sample_posts_call_no_profile_abandoned_but_stated_dates_count():
    profiles = [["institution", "network", "handle", "last_post_at"],
                ["Old", "facebook", "old", ""],
                ["Live", "facebook", "live", "2026-10-25"]]
    f = features(profiles, POSTS, posts_sample=True)
    status = f.profiles.set_index("handle")["status"]
    assert status.to_dict() == {"old": "no_data", "live": "active"}
    assert measure(f, "days_since_last_post", {}).value["Live"] == 6
    # Tone still reads the sample, within the window.
    assert measure(f, "warmth_share", {}).value["Live"] == 0.5


def test_the_window_is_the_rubrics_unless_the_audit_sets_it(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(workbook(PROFILES, POSTS))
    default = run_audit([path])
    assert default.rubric.window_days == 90
    assert default.features.window_days == 90
    result = run_audit([path], window_days=500)
    assert result.rubric.window_days == 500
    assert result.rubric.sha256 != default.rubric.sha256
    assert result.manifest()["window"] == {"days": 500, "posts_sample": False}
    criteria = {c["id"]: c for _, c in result.rubric.criteria()}
    assert "500" in criteria["regularity"]["description"]["es"]


@pytest.mark.parametrize("value", [0, -5, "abc", "2.5", True])
def test_a_bad_window_is_an_option_error(value):
    with pytest.raises(OptionError):
        run_audit([], window_days=value)


@pytest.mark.parametrize("value,es", [
    ("0", "Ventana de auditoría no válida: «0» (se espera un número entero de días mayor "
          "que 0)."),
    ("-5", "Ventana de auditoría no válida: «-5» (se espera un número entero de días mayor "
           "que 0)."),
    ("abc", "Ventana de auditoría no válida: «abc» (se espera un número entero de días mayor "
            "que 0)."),
])
def test_cli_refuses_a_bad_window_in_one_line(tmp_path, capsys, value, es):
    path = tmp_path / "a.xlsx"
    path.write_bytes(workbook(PROFILES, POSTS))
    code = main(["run", str(path), "--out", str(tmp_path / "out"), "--window-days", value])
    out, err = capsys.readouterr()
    assert code == 2
    assert err.splitlines() == [es]
    assert out == ""
