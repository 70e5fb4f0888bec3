"""The history of audits: what is stored (and what never is), the schema's migrations, a
writer killed mid-save, and the progress of each institution from one audit to the next.

The small Spanish workbook is audited on two dates (the later date turns active profiles
inactive or abandoned, so levels, scores, statuses and actions all change); the demo
workbook on two dates checks the same on forty institutions."""

from __future__ import annotations

import copy
import datetime as dt
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from conftest import DEMO, SPANISH, write_xlsx

from audit import History, HistoryError, history_path, institution_key, progress, run_audit
from audit.history import VERSION, progress_lines, snapshot
from audit.history.describe import progress_record, signed
from audit.pipeline import rescore
from audit.score.rubric import load_rubric, rubric_from_data

ROOT = Path(__file__).resolve().parent.parent
EARLY, LATE = dt.date(2026, 10, 15), dt.date(2026, 12, 31)
TOWN = "Ayuntamiento de Prueba"


@pytest.fixture(scope="module")
def two_dates(tmp_path_factory):
    """The Spanish workbook audited on its own date and 11 weeks later."""
    book = write_xlsx(tmp_path_factory.mktemp("two") / "auditoria.xlsx", SPANISH)
    return run_audit([book], as_of=EARLY), run_audit([book], as_of=LATE)


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "historial.sqlite3"


def _saved(db: Path, *results) -> list[int]:
    with History(db) as store:
        return [store.save(result) for result in results]


# --- where it lives ------------------------------------------------------------------------


def test_the_history_file_is_the_option_then_the_variable_then_the_user_folder(
        monkeypatch, tmp_path):
    monkeypatch.setenv("AUDIT_HISTORY", str(tmp_path / "env.sqlite3"))
    assert history_path(tmp_path / "given.sqlite3") == tmp_path / "given.sqlite3"
    assert history_path("") == tmp_path / "env.sqlite3"
    monkeypatch.delenv("AUDIT_HISTORY")
    default = history_path()
    assert default.name == "historial.sqlite3" and default.parent.name == "auditoria-redes"
    assert not default.exists() or default.is_file()  # found, never created here


# --- save, list, load, delete --------------------------------------------------------------


def test_save_list_load_and_delete(db, two_dates):
    early, late = two_dates
    first, second = _saved(db, late, early)  # saved out of date order
    with History(db) as store:
        listed = store.audits()
        assert list(listed["id"]) == [second, first]  # by audit date
        assert list(listed["as_of"]) == ["2026-10-15", "2026-12-31"]
        assert list(listed["institutions"]) == [2, 2]
        assert set(listed["inputs"]) == {"auditoria.xlsx"}
        stored = store.load(second)
    meta = stored.meta
    assert meta["rubric_id"] == "gobierno" and len(meta["rubric_sha256"]) == 64
    assert meta["window_days"] == 90 and meta["lang"] == "es"
    assert meta["software_version"] and meta["saved_at"]
    inputs = stored.table("inputs")
    assert len(inputs) == 1 and len(inputs["sha256"][0]) == 64
    card = early.scorecard.institutions
    institutions = stored.table("institutions").set_index("institution")
    assert institutions.loc[TOWN, "level"] == card.loc[TOWN, "maturity_level"]
    assert institutions.loc[TOWN, "overall"] == pytest.approx(card.loc[TOWN, "overall_score"])
    assert institutions.loc[TOWN, "key"] == "ayuntamiento_de_prueba"
    assert len(stored.table("criteria")) == len(early.scorecard.scores)
    assert set(stored.table("criteria")["status"]) <= {"ok", "not_evaluated", "error"}
    dims = stored.table("dimensions", TOWN).set_index("dimension")
    assert dims.loc["identity", "score"] == pytest.approx(
        early.scorecard.dimensions.loc[TOWN, "identity"])
    assert 0 < dims.loc["identity", "coverage"] < 1  # some identity criteria not evaluated
    profiles = stored.table("profiles")
    assert list(profiles.columns) == ["institution", "network", "handle", "status"]
    assert len(profiles) == len(early.profiles)
    actions = stored.table("actions")
    assert len(actions) == len(early.recommendations)
    assert {"action_id", "tier", "horizon", "rank", "in_plan"} <= set(actions.columns)
    assert actions["title_es"].str.len().gt(0).all() and actions["title_en"].str.len().gt(0).all()

    with History(db) as store:
        store.delete(first)
        assert list(store.audits()["id"]) == [second]
        with pytest.raises(HistoryError, match="no audit number 99"):
            store.delete(99)
        with pytest.raises(HistoryError, match="no audit number"):
            store.load(first)
    with sqlite3.connect(db) as conn:  # nothing of the deleted audit is left behind
        for table in ("inputs", "institutions", "dimensions", "criteria", "profiles",
                      "actions"):
            left = conn.execute(f"SELECT COUNT(*) FROM {table} WHERE audit_id = ?",
                                (first,)).fetchone()[0]
            assert left == 0, table


def test_an_unusable_audit_is_not_saved(db, tmp_path):
    broken = run_audit([("roto.xlsx", b"PK\x03\x04 not a workbook")])
    with History(db) as store, pytest.raises(HistoryError) as raised:
        store.save(broken)
    assert "no se pudo usar" in raised.value.message.render("es")


def test_a_file_that_is_not_a_history_is_refused(tmp_path):
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(HistoryError) as raised:
        History(junk)
    assert "No se puede abrir el historial" in raised.value.message.render("es")
    with pytest.raises(HistoryError, match="no history"):
        History(tmp_path / "absent.sqlite3", create=False)
    assert not (tmp_path / "absent.sqlite3").exists()


def test_no_citizen_text_is_stored(tmp_path, db):
    """Planted texts in posts, comments and complaints: with citizens quoted, the audit's
    evidence quotes the complaint waiting for an answer; the history file holds none of them."""
    sheets = copy.deepcopy(SPANISH)
    sheets["publicaciones"][1][3] = "Corte de agua xq PLANTADO-PUBLICACION el jueves"
    sheets["interacciones"][2][3:5] = ["Queja PLANTADA-QUEJA sin responder", "sí"]
    sheets["interacciones"][3][3] = "Comentario PLANTADO-COMENTARIO"
    result = run_audit([write_xlsx(tmp_path / "plantado.xlsx", sheets)], quote_citizens=True)
    everything = " ".join(" ".join(map(str, frame.astype(str).to_numpy().ravel()))
                          for frame in (result.scorecard.scores, result.recommendations))
    assert "PLANTADA-QUEJA" in everything  # the audit quotes the complaint: it could leak
    _saved(db, result)
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("historial.sqlite3*"))
    assert TOWN.encode() in stored  # the grep reads the file
    for planted in ("PLANTADO-PUBLICACION", "PLANTADA-QUEJA", "PLANTADO-COMENTARIO"):
        assert planted.encode() not in stored


# --- schema versions -----------------------------------------------------------------------

# The tables as version 1 of the tool wrote them (before institutions had a matching key and
# audits the fingerprint of their rubric's levels).
V1 = """
CREATE TABLE audits (id INTEGER PRIMARY KEY AUTOINCREMENT, saved_at TEXT NOT NULL,
    as_of TEXT NOT NULL, lang TEXT NOT NULL, window_days INTEGER,
    posts_sample INTEGER NOT NULL, software_version TEXT NOT NULL, rubric_id TEXT NOT NULL,
    rubric_version TEXT NOT NULL, rubric_sha256 TEXT NOT NULL, status TEXT NOT NULL);
CREATE TABLE inputs (audit_id INTEGER NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
    name TEXT NOT NULL, sha256 TEXT NOT NULL, bytes INTEGER);
CREATE TABLE institutions (audit_id INTEGER NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
    institution TEXT NOT NULL, sector TEXT, country TEXT, level INTEGER,
    level_label_es TEXT, level_label_en TEXT, overall REAL, coverage REAL,
    PRIMARY KEY (audit_id, institution));
CREATE TABLE dimensions (audit_id INTEGER NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
    institution TEXT NOT NULL, dimension TEXT NOT NULL, score REAL, coverage REAL,
    weight REAL, label_es TEXT, label_en TEXT, PRIMARY KEY (audit_id, institution, dimension));
CREATE TABLE criteria (audit_id INTEGER NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
    institution TEXT NOT NULL, dimension TEXT NOT NULL, criterion TEXT NOT NULL,
    metric TEXT, score REAL, status TEXT NOT NULL, weight REAL, label_es TEXT,
    label_en TEXT, PRIMARY KEY (audit_id, institution, dimension, criterion));
CREATE TABLE profiles (audit_id INTEGER NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
    institution TEXT NOT NULL, network TEXT NOT NULL, handle TEXT NOT NULL,
    status TEXT NOT NULL);
CREATE TABLE actions (audit_id INTEGER NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
    institution TEXT NOT NULL, action_id TEXT NOT NULL, dimension TEXT, criteria TEXT,
    tier TEXT, horizon TEXT, rank INTEGER, in_plan INTEGER NOT NULL, title_es TEXT,
    title_en TEXT);
INSERT INTO audits VALUES (1, '2026-07-01T10:00:00+00:00', '2026-06-30', 'es', 90, 0,
    '0.0.9', 'gobierno', '0.9.0', 'aaaa', 'audited');
INSERT INTO inputs VALUES (1, 'junio.xlsx', 'bbbb', 1234);
INSERT INTO institutions VALUES (1, 'AYUNTAMIENTO DE PRUEBA', 'local_government', 'España',
    2, 'Exploratorio', 'Exploratory', 41.5, 0.8);
INSERT INTO dimensions VALUES (1, 'AYUNTAMIENTO DE PRUEBA', 'activity', 30.0, 1.0, 20.0,
    'Actividad', 'Activity');
INSERT INTO criteria VALUES (1, 'AYUNTAMIENTO DE PRUEBA', 'activity', 'recency',
    'days_since_last_post', 30.0, 'ok', 2.0, 'Actualidad', 'Recency');
INSERT INTO profiles VALUES (1, 'AYUNTAMIENTO DE PRUEBA', 'facebook', 'aytoprueba',
    'inactive');
INSERT INTO actions VALUES (1, 'AYUNTAMIENTO DE PRUEBA', 'frequency', 'activity',
    'frequency', 'rest', 'medium', 1, 1, 'Frecuencia', 'Frequency');
PRAGMA user_version = 1;
"""


def test_an_older_schema_is_migrated_and_its_audits_kept(db, two_dates):
    with sqlite3.connect(db) as conn:
        conn.executescript(V1)
    with History(db) as store:
        old = store.load(1)
        assert old.meta["rubric_version"] == "0.9.0" and old.meta["levels_sha256"] is None
        assert old.table("institutions")["key"].tolist() == ["ayuntamiento_de_prueba"]
        assert old.table("profiles")["status"].tolist() == ["inactive"]
        assert store.integrity() == "ok"
        new = store.save(two_dates[0])
        # the old audit, written in capitals, is the same institution as the new one
        assert store.previous(institution_key(TOWN), EARLY).id == 1
        assert store.of_institution("ayuntamiento_de_prueba") == [1, new]
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == VERSION == 2


def test_a_newer_schema_is_refused_untouched(db):
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE future (x)")
        conn.execute("PRAGMA user_version = 99")
    with pytest.raises(HistoryError) as raised:
        History(db)
    assert "newer version" in str(raised.value)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 99
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("future",)]


# --- a writer killed in the middle of a save -----------------------------------------------

# A writer that saves two audits, then starts a third and stops, mid-transaction, after
# its first table, waiting to be killed.
WRITER = """
import sys, time
from audit.history import History, StoredAudit
from audit.history import store as store_module
import pickle

db, audits = sys.argv[1], pickle.load(open(sys.argv[2], "rb"))
with History(db) as history:
    for audit in audits[:2]:
        history.save(audit)
    insert = store_module.History._insert
    def stalled(self, table, *args):
        insert(self, table, *args)
        if table == "institutions":
            print("mid-save", flush=True)
            time.sleep(600)
    store_module.History._insert = stalled
    history.save(audits[2])
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_writer_killed_mid_save_leaves_every_earlier_audit_intact(db, tmp_path,
                                                                     two_dates):
    import pickle

    early, late = two_dates
    audits = [snapshot(early), snapshot(late), snapshot(late)]
    (tmp_path / "audits.pkl").write_bytes(pickle.dumps(audits))
    writer = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(WRITER), str(db), str(tmp_path / "audits.pkl")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "mid-save", writer.stderr.read()
        with sqlite3.connect(db) as conn:  # the third save is under way, not visible
            assert conn.execute("SELECT COUNT(*) FROM audits").fetchone()[0] == 2
        writer.send_signal(signal.SIGKILL)
    finally:
        if writer.poll() is None and writer.returncode is None:
            writer.kill()  # a failed assertion above must not leave it sleeping
        writer.wait(timeout=30)
        writer.stdout.close()
        writer.stderr.close()
    assert writer.returncode == -signal.SIGKILL
    with History(db) as store:
        assert store.integrity() == "ok"
        listed = store.audits()
        assert list(listed["id"]) == [1, 2]
        for audit_id, expected in zip((1, 2), audits[:2], strict=True):
            stored = store.load(audit_id)
            for name, frame in expected.tables.items():
                assert len(stored.table(name)) == len(frame), name
        assert store.save(late) == 3  # and it takes the next save
    with sqlite3.connect(db) as conn:  # no row of the killed save survived
        orphans = conn.execute("SELECT COUNT(*) FROM institutions WHERE audit_id NOT IN "
                               "(SELECT id FROM audits)").fetchone()[0]
        assert orphans == 0


# --- progress ------------------------------------------------------------------------------


def test_progress_between_two_dates(db, two_dates):
    early, late = two_dates
    first, second = _saved(db, early, late)
    with History(db) as store:
        before, after = store.load(first), store.load(second)
        assert store.previous(institution_key(TOWN), LATE).id == first
        assert store.previous(institution_key(TOWN), EARLY) is None
    found = progress(after, before)
    assert found.comparability.same_rubric and found.comparability.complete
    assert set(found.institutions) == {TOWN, "Hospital Norte"}
    town = found.institutions[TOWN]
    assert town.level == (3, 1) and town.level_change == -2
    assert town.overall_change == pytest.approx(
        late.scorecard.institutions.loc[TOWN, "overall_score"]
        - early.scorecard.institutions.loc[TOWN, "overall_score"])
    dims = town.dimensions.set_index("dimension")
    assert len(dims) == 7
    assert dims.loc["activity", "change"] < -30  # the profiles went quiet
    assert dims.loc["identity", "change"] == 0
    lapsed = town.profiles_where("lapsed")
    assert set(zip(lapsed["network"], lapsed["current"], strict=True)) == {
        ("facebook", "abandoned"), ("x", "inactive")}
    assert set(town.actions_where("new")["action_id"]) == {"close_profiles",
                                                           "reactivate_profiles"}
    assert "active_profiles" in set(town.actions_where("done")["action_id"])
    still = town.actions_where("open")
    assert len(still) >= 3 and set(still["in_a_row"]) == {2}

    # the same progress from the audit in use, not saved
    unsaved = progress(late, before)
    assert unsaved.current["id"] is None
    assert unsaved.institutions[TOWN].overall_change == pytest.approx(town.overall_change)

    # backwards in time the same profiles were reactivated
    back = progress(before, after).institutions[TOWN]
    assert set(back.profiles_where("reactivated")["network"]) == {"facebook", "x"}

    lines = progress_lines(found, "es")
    assert lines[0] == (f"Cambios de la auditoría #{first} (a 2026-10-15) a la #{second} "
                        "(a 2026-12-31):")
    assert "  Nivel: 3 → 1 (−2)" in lines
    assert any(line.startswith("  Perfiles que dejaron de publicar: Facebook @aytoprueba "
                               "(activo → abandonado)") for line in lines)
    assert any("(2.ª auditoría seguida)" in line for line in lines)
    english = progress_lines(found, "en")
    assert "  Level: 3 → 1 (−2)" in english
    assert any("(2 audits in a row)" in line for line in english)
    record = progress_record(found)
    assert record["institutions"][0]["level"] == [3, 1]
    assert record["comparability"]["same_rubric"] is True


def test_actions_raised_audit_after_audit_are_counted(db, two_dates):
    early, late = two_dates
    ids = _saved(db, early, late, late)
    with History(db) as store:
        audits = [store.load(i) for i in ids]
        earlier = store.earlier(audits[1])
    assert [a.id for a in earlier] == [ids[0]]
    found = progress(audits[2], audits[1], earlier)
    open_ = found.institutions[TOWN].actions_where("open").set_index("action_id")
    in_all = set(audits[0].table("actions", TOWN)["action_id"])
    assert all(open_.loc[a, "in_a_row"] == 3 for a in open_.index if a in in_all)
    assert all(open_.loc[a, "in_a_row"] == 2 for a in open_.index if a not in in_all)
    assert any("3.ª auditoría seguida" in line for line in progress_lines(found, "es"))


def test_institutions_and_profiles_in_one_audit_only_are_listed(two_dates):
    early, late = two_dates
    before, after = snapshot(early).with_id(1), snapshot(late).with_id(2)
    gone = {name: frame[frame["institution"] != "Hospital Norte"]
            for name, frame in after.tables.items() if "institution" in frame}
    profiles = gone["profiles"]
    gone["profiles"] = profiles[profiles["network"] != "instagram"]  # closed
    after = type(after)(after.meta, {**after.tables, **gone})
    found = progress(after, before)
    assert found.only_previous == ("Hospital Norte",) and found.only_current == ()
    closed = found.institutions[TOWN].profiles_where("closed")
    assert closed[["network", "previous", "current"]].values.tolist() == [
        ["instagram", "no_data", None]]
    assert progress_lines(found, "en")[-1] == "Only in audit #1: Hospital Norte."
    opened = progress(before, after).institutions[TOWN].profiles_where("opened")
    assert opened["network"].tolist() == ["instagram"]


def test_different_rubrics_compare_only_what_is_comparable(two_dates):
    early, late = two_dates
    data = copy.deepcopy(load_rubric("gobierno").data)
    data["version"] = "2.0.0"
    tone = next(d for d in data["dimensions"] if d["id"] == "tone")
    dropped = tone["criteria"].pop()["id"]
    engagement = next(d for d in data["dimensions"] if d["id"] == "engagement")
    engagement["criteria"][0]["weight"] = float(engagement["criteria"][0]["weight"]) + 1
    other = rescore(late, rubric_from_data(data, "gobierno-2.yaml"))
    found = progress(other, snapshot(early).with_id(1))
    c = found.comparability
    assert not c.same_rubric and not c.overall and not c.level and not c.complete
    assert set(c.left_out_dimensions) == {"tone", "engagement"}
    assert ("tone", dropped) in c.left_out_criteria
    assert ("tone", dropped) not in c.criteria and ("activity", "recency") in c.criteria
    town = found.institutions[TOWN]
    assert town.level_change is None and town.overall_change is None
    assert set(town.dimensions["dimension"]) == {"activity", "identity", "responsiveness",
                                                 "transparency", "governance"}
    lines = progress_lines(found, "es")
    assert lines[1].startswith("Rúbricas distintas (gobierno 1.0.0 → gobierno 2.0.0): solo "
                               "se comparan")
    assert "La puntuación global no se compara" in " ".join(lines)
    assert not any(line.startswith("  Nivel:") for line in lines)
    english = " ".join(progress_lines(found, "en"))
    assert "Dimensions not compared (changed in the rubric): engagement, tone." in english


def test_the_demo_workbook_on_two_dates(demo_audit):
    """Acceptance: two audits of the same workbook at different dates, saved, compared."""
    earlier = run_audit([DEMO], as_of=dt.date(2026, 8, 31))
    found = progress(demo_audit, snapshot(earlier).with_id(1))
    assert len(found.institutions) == 40 and not found.only_current
    changes = pd.DataFrame([{"level": i.level_change, "overall": i.overall_change,
                             "profiles": len(i.profiles), "done": len(i.actions_where("done")),
                             "open": len(i.actions_where("open"))}
                            for i in found.institutions.values()])
    assert changes["overall"].abs().gt(0).sum() > 20
    assert changes["level"].ne(0).any()
    assert changes["profiles"].sum() > 0 and changes["done"].sum() > 0
    assert changes["open"].sum() > 40


def test_signed_changes_read_as_people_write_them():
    assert [signed(v, "es") for v in (3.25, -1.0, 0.01, None)] == ["+3,2", "−1", "=", "—"]
    assert signed(1234.5, "en") == "+1,234.5"
