"""The command line as a user runs it: exit codes, files written, no traceback ever.

One test starts ``python -m audit`` as a process, as a user would; the others call
``main`` in this process (same code from the argument list on) and read what it printed."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from audit.cli import main
from audit.report.write import LOCK_NAME

ROOT = Path(__file__).resolve().parent.parent


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "audit", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.slow  # a real process: the one end-to-end smoke test of `python -m audit`
def test_run_writes_the_output_contract(tmp_path, spanish_xlsx):
    out = tmp_path / "out"
    done = _cli("run", str(spanish_xlsx), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert {p.name for p in out.iterdir()} - {LOCK_NAME} == {
        "problems.csv", "profiles.csv", "audit.json", "institutions.csv", "scores.csv",
        "recommendations.csv", "metrics_tidy.csv", "codebook.csv", "methods_appendix.md",
        "institutions_by_dimension.tex", "institutions_by_dimension.md",
        "group_comparison_sector.tex", "group_comparison_sector.md",
        "group_comparison_country.tex", "group_comparison_country.md", "report.xlsx"}
    manifest = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    assert manifest["as_of"] == "2026-10-15"
    assert manifest["inputs"][0]["name"] == "auditoria.xlsx"
    assert len(manifest["inputs"][0]["sha256"]) == 64
    assert manifest["rows"]["posts"]["read"] == 6
    assert manifest["problems"]["by_severity"]["error"] == 8
    problems = pd.read_csv(out / "problems.csv")
    assert list(problems.columns) == ["severity", "file", "sheet", "row", "column", "value",
                                      "code", "message"]
    profiles = pd.read_csv(out / "profiles.csv")
    assert {"institution", "network", "handle", "handle_original", "followers", "last_post_at",
            "days_since_last_post", "posts_per_week", "status"} <= set(profiles.columns)
    institutions = pd.read_csv(out / "institutions.csv")
    assert list(institutions.columns) == [
        "institution", "sector", "country", "overall_score", "coverage", "missing_inputs",
        "maturity_level", "maturity_label", "maturity_stage", "maturity_note", "next_level",
        "next_level_points", "next_level_conditions", "activity", "identity", "tone",
        "responsiveness", "transparency", "engagement", "governance", "cluster",
        "cluster_label"]
    assert institutions["cluster"].isna().all()  # 2 institutions: no clusters
    recommendations = pd.read_csv(out / "recommendations.csv")
    assert list(recommendations.columns) == [
        "institution", "rank", "in_plan", "tier", "action_id", "dimension", "criteria",
        "action", "horizon", "effort",
        "priority", "score", "target", "evidence", "source", "source_passage", "best_peer",
        "best_peer_evidence"]
    clustering = manifest["clustering"]
    assert clustering["method"] == "kmeans" and clustering["seed"] == 0
    assert clustering["k"] is None and "al menos 4" in clustering["reason"]
    assert "Auditoría completada" in done.stdout


def test_same_input_same_bytes(tmp_path, spanish_xlsx):
    for name in ("a", "b"):
        assert main(["run", str(spanish_xlsx), "--out", str(tmp_path / name)]) == 0
    files = sorted(p.name for p in (tmp_path / "a").iterdir() if p.name != LOCK_NAME)
    assert len(files) == 16
    for file in files:
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes()


def test_english_messages(tmp_path, spanish_xlsx, cli):
    code, out, _ = cli("run", str(spanish_xlsx), "--out", str(tmp_path), "--lang", "en",
                       "--as-of", "2026-10-20")
    assert code == 0
    assert "Audit completed as of 2026-10-20" in out
    problems = pd.read_csv(tmp_path / "problems.csv")
    assert problems["message"].str.contains("Duplicate profile").any()


@pytest.mark.parametrize("name,data,expected", [
    ("vacio.csv", b"", "vacío"),
    ("roto.xlsx", b"PK\x03\x04garbage", "No se pudo leer"),
    ("sin_usuario.csv", b"institucion;red\r\nMuseo;IG\r\n", "usuario"),
])
def test_broken_inputs_exit_2_naming_the_file(tmp_path, name, data, expected, cli):
    path = tmp_path / name
    path.write_bytes(data)
    code, out, err = cli("run", str(path), "--out", str(tmp_path / "out"))
    assert code == 2
    assert name in err and expected in err
    assert "Traceback" not in err + out
    assert (tmp_path / "out" / "problems.csv").exists()
    assert json.loads((tmp_path / "out" / "audit.json").read_text())["status"] == "input_unusable"


def test_missing_file_and_bad_date_exit_2(tmp_path, cli):
    code, _, err = cli("run", str(tmp_path / "no_existe.xlsx"), "--out", str(tmp_path / "o"))
    assert code == 2 and "no_existe.xlsx" in err
    code, _, err = cli("run", str(tmp_path / "x.xlsx"), "--out", str(tmp_path / "o"),
                       "--as-of", "ayer")
    assert code == 2 and "AAAA-MM-DD" in err


def test_internal_error_prints_one_line_and_logs(tmp_path, spanish_xlsx, monkeypatch, capsys):
    def boom(*args, **kwargs):
        raise RuntimeError("unexpected")

    monkeypatch.setattr("audit.pipeline.profile_activity", boom)
    code = main(["run", str(spanish_xlsx), "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and "RuntimeError" in err
    assert "Traceback" in (tmp_path / "audit-error.log").read_text()


def test_invalid_rubric_exits_2(tmp_path, spanish_xlsx, cli):
    rubric = tmp_path / "mala.yaml"
    rubric.write_text("id: x\nversion: '1'\nlabel: {es: a}\n")
    code, _, err = cli("run", str(spanish_xlsx), "--out", str(tmp_path / "o"),
                       "--rubric", str(rubric))
    assert code == 2
    assert "mala.yaml" in err and "label" in err


def test_clustering_options_reach_audit_json(tmp_path, spanish_xlsx):
    out = tmp_path / "out"
    code = main(["run", str(spanish_xlsx), "--out", str(out), "--cluster-method", "ward",
                 "--clusters", "3", "--cluster-size"])
    assert code == 0
    clustering = json.loads((out / "audit.json").read_text(encoding="utf-8"))["clustering"]
    assert clustering["method"] == "ward" and clustering["k_fixed"]
    assert list(clustering["covariates"]) == ["log10_followers"]
    assert clustering["k"] is None  # 2 institutions: no clusters, and the reason says so
    assert '- method: "ward"' in (out / "methods_appendix.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang,value,expected", [
    ("es", "9", "Número de grupos no válido: 9 (se espera un entero de 2 a 8)"),
    ("en", "tres", "Invalid number of clusters: tres (expected an integer from 2 to 8)"),
])
def test_bad_number_of_clusters_exits_2(tmp_path, spanish_xlsx, lang, value, expected, cli):
    code, out, err = cli("run", str(spanish_xlsx), "--out", str(tmp_path / "o"),
                         "--clusters", value, "--lang", lang)
    assert code == 2
    assert expected in err
    assert "Traceback" not in err + out
    assert not (tmp_path / "o").exists()  # stopped before auditing anything


# --- the output folder: checked first, one audit at a time, never half written ------------


def _not_audited(monkeypatch) -> None:
    """Make any audit fail the test: the folder must be refused before one starts."""
    def audit(*args, **kwargs):
        raise AssertionError("the audit started")

    monkeypatch.setattr("audit.pipeline.run_audit", audit)


def test_out_that_is_a_file_is_refused_before_auditing(tmp_path, monkeypatch, cli):
    _not_audited(monkeypatch)
    taken = tmp_path / "resultados"
    taken.write_text("mío", encoding="utf-8")
    code, out, err = cli("run", "x.xlsx", "--out", str(taken))
    assert code == 2 and "Traceback" not in out + err
    assert err.strip() == (f"La carpeta de resultados {taken} es un archivo, no una carpeta: "
                           "elija otra con --out.")
    assert taken.read_text(encoding="utf-8") == "mío"
    code, _, err = cli("run", "x.xlsx", "--out", str(taken / "sub"), "--lang", "en")
    assert code == 2 and err.startswith(f"Cannot create the output folder {taken / 'sub'} (")


def test_out_that_cannot_be_written_is_refused_before_auditing(tmp_path, monkeypatch, cli):
    _not_audited(monkeypatch)
    monkeypatch.setattr("audit.report.write.os.access", lambda path, mode: False)
    code, out, err = cli("run", "x.xlsx", "--out", str(tmp_path))
    assert code == 2 and "Traceback" not in out + err
    assert err.startswith(f"No se puede escribir en la carpeta de resultados {tmp_path} (")


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root writes in a read-only folder; the check is tested above")
def test_read_only_out_is_refused(tmp_path, cli):
    folder = tmp_path / "solo_lectura"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        code, out, err = cli("run", "x.xlsx", "--out", str(folder))
    finally:
        folder.chmod(0o755)
    assert code == 2 and "No se puede escribir" in err and "Traceback" not in out + err


def test_a_busy_folder_is_refused_at_once(tmp_path, monkeypatch, cli):
    """Another process holds the folder (an audit writing there): refused, nothing done."""
    _not_audited(monkeypatch)
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, filelock; lock = filelock.FileLock(sys.argv[1]); "
         "lock.acquire(); print('held', flush=True); sys.stdin.read()",
         str(out / LOCK_NAME)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        code, stdout, err = cli("run", "x.xlsx", "--out", str(out), "--lang", "en")
    finally:
        holder.communicate("")
    assert code == 2 and "Traceback" not in stdout + err
    assert err.strip() == (f"Another audit is writing in {out} right now (lock {LOCK_NAME}): "
                           "wait for it to finish or choose another folder with --out. "
                           "Nothing was audited.")
    assert [p.name for p in out.iterdir()] == [LOCK_NAME]
    _, _, err = cli("run", "x.xlsx", "--out", str(out))  # free again once the holder ended
    assert "Otra auditoría" not in err


def test_a_failed_audit_leaves_no_stale_results(tmp_path, spanish_xlsx, cli):
    out = tmp_path / "out"
    assert cli("run", str(spanish_xlsx), "--out", str(out))[0] == 0
    (out / "notas.txt").write_text("del auditor", encoding="utf-8")
    (out / "mi_tabla.csv").write_text("a,b\n", encoding="utf-8")
    empty = tmp_path / "vacio.csv"
    empty.write_bytes(b"")
    assert cli("run", str(empty), "--out", str(out))[0] == 2
    assert {p.name for p in out.iterdir()} == {"problems.csv", "audit.json", "notas.txt",
                                               "mi_tabla.csv", LOCK_NAME}
    assert (out / "notas.txt").read_text(encoding="utf-8") == "del auditor"


@pytest.mark.parametrize("error,said", [
    (errno.ENOSPC, "Disco lleno al escribir"),
    (errno.EACCES, "Permiso denegado al escribir"),
])
def test_a_write_that_fails_keeps_nothing_and_says_why(tmp_path, spanish_xlsx, monkeypatch,
                                                       cli, error, said):
    """The third file fails (disk full, permission): one line, exit 1, no file of this
    audit left, complete or partial."""
    from audit.report import write

    calls = []
    real_replace = write.os.replace

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(error, os.strerror(error))
        real_replace(src, dst)

    monkeypatch.setattr(write.os, "replace", replace)
    out = tmp_path / "out"
    code, stdout, err = cli("run", str(spanish_xlsx), "--out", str(out))
    assert code == 1 and "Traceback" not in stdout + err
    assert err.count("\n") == 1 and err.startswith(f"{said} {calls[2]}")
    assert [p.name for p in out.iterdir()] == [LOCK_NAME]
