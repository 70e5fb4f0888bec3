"""Research exports on the demo workbook: parseable, documented, cited and reproducible."""

from __future__ import annotations

import copy
import io
import re
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from audit import run_audit, write_outputs
from audit.peers.compare import compare_groups
from audit.report.research_exports import (
    CODEBOOK_COLUMNS,
    latex_escape,
    research_exports,
)
from audit.report.tables import tables

DEMO = Path(__file__).resolve().parent.parent / "sample_data" / "demo_auditoria_sintetica.xlsx"
EXPECTED = {"codebook.csv", "group_comparison_sector.md", "group_comparison_sector.tex",
            "group_comparison_country.md", "group_comparison_country.tex",
            "institutions_by_dimension.md", "institutions_by_dimension.tex",
            "methods_appendix.md", "metrics_tidy.csv"}


@pytest.fixture(scope="module")
def result(demo_audit):
    return demo_audit


@pytest.fixture(scope="module")
def files(result):
    return research_exports(result)


def test_every_file_is_produced(files):
    assert set(files) == EXPECTED
    assert all(isinstance(content, str) and content.endswith("\n") for content in files.values())
    assert all("\r" not in content for content in files.values())


def test_metrics_tidy_has_every_metric(result, files):
    tidy = pd.read_csv(io.StringIO(files["metrics_tidy.csv"]))
    assert list(tidy.columns) == ["institution", "sector", "country", "dimension", "criterion",
                                  "metric", "unit", "value", "score"]
    scored = tidy[tidy["criterion"].notna()]
    assert len(scored) == len(result.scorecard.scores)
    assert scored["score"].isna().sum() == result.scorecard.scores["score"].isna().sum()
    assert scored.drop_duplicates(["institution", "criterion"]).shape[0] == len(scored)
    research = tidy[tidy["criterion"].isna()]  # Bonsón's indices: measured, never scored
    assert set(research["metric"]) == {f"bonson_{k}" for k in
                                       ("P1", "P2", "P3", "C1", "C2", "C3", "V1", "V2", "V3",
                                        "E")}
    assert research["score"].isna().all() and research["value"].notna().any()


def test_codebook_lists_the_columns_of_every_csv(result, files):
    codebook = pd.read_csv(io.StringIO(files["codebook.csv"]), keep_default_na=False)
    assert list(codebook.columns) == CODEBOOK_COLUMNS
    csvs = {f"{name}.csv": frame for name, frame in tables(result).items()}
    csvs["metrics_tidy.csv"] = pd.read_csv(io.StringIO(files["metrics_tidy.csv"]))
    assert set(codebook["file"]) == set(csvs)
    for name, frame in csvs.items():
        # written and parsed back as the CSV outputs are
        parsed = pd.read_csv(io.StringIO(frame.to_csv(index=False, lineterminator="\n")))
        listed = codebook.loc[codebook["file"] == name, "column"].tolist()
        assert listed == list(parsed.columns), name
    undocumented = codebook.loc[codebook["meaning_en"] == "(undocumented)", ["file", "column"]]
    assert undocumented.empty, f"describe these columns in audit/exports._DOC:\n{undocumented}"
    assert (codebook["source"] != "").all()
    activity = codebook[(codebook["file"] == "institutions.csv")
                        & (codebook["column"] == "activity")].iloc[0]
    assert "active_profiles" in activity["source"]
    assert "gestion-redes-administraciones-publicas" in activity["source"]


def _tabular_rows(tex: str) -> tuple[int, list[str]]:
    spec = re.search(r"\\begin\{tabular\}\{([lrc]+)\}", tex).group(1)
    body = tex.split(r"\begin{tabular}", 1)[1].split(r"\end{tabular}", 1)[0]
    rows = [line for line in body.splitlines() if line.rstrip().endswith(r"\\")]
    return len(spec), rows


@pytest.mark.parametrize("name", ["institutions_by_dimension.tex", "group_comparison_sector.tex",
                                  "group_comparison_country.tex"])
def test_latex_tables_are_balanced(files, name):
    tex = files[name]
    assert r"\begin{tabular}" in tex and r"\end{tabular}" in tex
    assert tex.count(r"\begin{table}") == tex.count(r"\end{table}") == 1
    columns, rows = _tabular_rows(tex)
    assert len(rows) > 2
    for row in rows:
        assert len(re.findall(r"(?<!\\)&", row)) == columns - 1, row
    # nothing a LaTeX table would choke on is left unescaped outside math
    text = re.sub(r"\$[^$]*\$", "", tex)
    assert not re.search(r"(?<!\\)[%#_]", "\n".join(
        line for line in text.splitlines() if not line.startswith("%")))
    assert "ε" not in tex and "≥" not in tex


def test_institutions_table_rows(result, files):
    _, rows = _tabular_rows(files["institutions_by_dimension.tex"])
    assert len(rows) == 1 + len(result.scorecard.institutions)  # header + one per institution
    md = files["institutions_by_dimension.md"]
    table_lines = [line for line in md.splitlines() if line.startswith("|")]
    assert len(table_lines) == 2 + len(result.scorecard.institutions)
    assert len({line.count(" | ") for line in table_lines[2:]}) == 1
    assert "Agencia Estatal de Ventanilla Única" in md  # accents kept
    assert "national\\_government" in files["institutions_by_dimension.tex"]


def test_latex_escape():
    assert latex_escape("R&D 50% #1 a_b {x} ~^\\ Perú") == (
        r"R\&D 50\% \#1 a\_b \{x\} \textasciitilde{}\textasciicircum{}\textbackslash{} Perú")


@pytest.mark.parametrize("by", ["sector", "country"])
def test_group_comparison_matches_stats(result, files, by):
    table = compare_groups(result.scorecard.institutions, by)
    overall = table.set_index("column").loc["overall_score"]
    md = files[f"group_comparison_{by}.md"]
    line = next(row for row in md.splitlines() if row.startswith("| Global / Overall"))
    assert f"| {overall['H']:.2f} |" in line
    assert f"| {overall['epsilon_squared']:.3f} |" in line


def test_methods_appendix_cites_rubric_inputs_and_criteria(result, files):
    text = files["methods_appendix.md"]
    manifest = result.manifest()
    assert result.rubric.sha256 in text and result.rubric.version in text
    for item in manifest["inputs"]:
        assert item["sha256"] in text and item["name"] in text
    assert manifest["as_of"] in text and manifest["software"]["version"] in text
    for name in ("pandas", "numpy", "scipy"):
        assert f"- {name}: " in text
    for _, criterion in result.rubric.criteria():
        assert f"`{criterion['id']}`" in text
        assert f"`{criterion['source']['id']}`: " in text
    assert "Sin evaluar / Not evaluated" in text and "Tomczak" in text
    assert "## 9. Agrupación de pares / Peer clustering" in text


def test_methods_appendix_shows_peer_settings(result):
    from audit.report.research_exports import methods_appendix

    with_peers = copy.copy(result)
    manifest = result.manifest()
    with_peers.manifest = lambda: manifest  # the fake peers below are not real Clusters
    settings = {"k": 4, "method": "kmeans", "random_state": 0}
    with_peers.peers = SimpleNamespace(settings=settings)
    text = methods_appendix(with_peers)
    assert '- method: "kmeans"' in text and "- k: 4" in text
    with_peers.peers = SimpleNamespace(settings=lambda lang: {**settings, "lang": lang})
    assert '- lang: "es"' in methods_appendix(with_peers)
    with_peers.peers = None
    assert "no agrupó" in methods_appendix(with_peers)


def test_written_files_are_identical_across_runs(tmp_path, result, files):
    first = [p for p in write_outputs(result, tmp_path / "a") if p.name in EXPECTED]
    fresh = run_audit([str(DEMO)])  # a fresh audit
    again = [p for p in write_outputs(fresh, tmp_path / "b") if p.name in EXPECTED]
    assert [p.name for p in first] == sorted(EXPECTED) == [p.name for p in again]
    for a, b in zip(first, again, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
        assert a.read_bytes() == files[a.name].encode("utf-8")


def test_unusable_input_still_documents_problems(tmp_path):
    bad = tmp_path / "vacío.csv"
    bad.write_text("", encoding="utf-8")
    result = run_audit([str(bad)])
    assert not result.usable
    files = research_exports(result)
    assert set(files) == {"codebook.csv", "methods_appendix.md"}
    codebook = pd.read_csv(io.StringIO(files["codebook.csv"]))
    assert set(codebook["file"]) == {"problems.csv"}
