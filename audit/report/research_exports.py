"""Research exports: the files a researcher needs to reuse, cite and re-analyse an audit.

    metrics_tidy.csv                 every measured metric in long (tidy) form, one row per
                                     institution and criterion, with sector and country, then
                                     the unscored research metrics (Bonsón's indices)
    codebook.csv                     one row per column of every output CSV: meaning, unit,
                                     rule or formula and source (rubric criterion, guideline)
    institutions_by_dimension.tex/.md  institutions x dimension scores, overall and level
    group_comparison_sector.tex/.md  Kruskal-Wallis comparison of sectors (audit/peers/compare.py)
    group_comparison_country.tex/.md the same across countries (a cross-national observatory
                                     compares countries as often as sectors)
    methods_appendix.md              rubric and software versions, inputs and their sha256,
                                     criteria, not-evaluated rule, maturity levels, statistics

The outputs in audit/report/tables.py serve auditors; these serve a paper's methods section and
supplementary material, so they must be reproducible to the byte: every file is built from
the audit alone (never the clock or the machine's locale), rows and columns are sorted, and
numbers are written with fixed decimals. Texts are Spanish first, English after, like
docs/methodology.md.
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
import json
import math
import platform
import re
from collections.abc import Mapping, Sequence

import pandas as pd

from audit.measure.checks import measure
from audit.peers.compare import CLIFF_CUTOFFS, EPSILON_CUTOFFS, MIN_GROUP, compare_groups
from audit.report.tables import csv_text, tables
from audit.result import AuditResult
from audit.score.rubric import DIMENSIONS
from audit.score.sources import bibliography, citation, passage, reference

__all__ = ["CODEBOOK_COLUMNS", "EXPORT_NAMES", "TEX_PREAMBLE", "latex_escape", "md_text",
           "research_exports"]

CODEBOOK_COLUMNS = ["file", "column", "type", "unit", "meaning_es", "meaning_en", "rule",
                    "source"]
TIDY_COLUMNS = ["institution", "sector", "country", "dimension", "criterion", "metric", "unit",
                "value", "score"]
# Every file ``research_exports`` may return.
EXPORT_NAMES = ("codebook.csv", "group_comparison_country.md", "group_comparison_country.tex",
                "group_comparison_sector.md", "group_comparison_sector.tex",
                "institutions_by_dimension.md", "institutions_by_dimension.tex",
                "methods_appendix.md", "metrics_tidy.csv")
PACKAGES = ("pandas", "numpy", "scipy", "scikit-learn")
_MISSING = "—"  # not evaluated, in Markdown tables (LaTeX gets ---)

# --- the codebook: what every output column means ------------------------------------------
# (unit, meaning_es, meaning_en, rule). A column documented under "*" holds in every file
# unless the file has its own entry.
_DOC: dict[str, dict[str, tuple[str, str, str, str]]] = {
    "*": {
        "institution": ("", "Nombre de la institución, tal como figura en la hoja de perfiles",
                        "Institution name, as written in the profiles sheet",
                        "identificador de fila / row key"),
        "sector": ("", "Sector de la institución (identificador normalizado)",
                   "Institution sector (normalised identifier)",
                   "valor de la hoja de perfiles normalizado / profiles sheet value, normalised"),
        "country": ("", "País de la institución", "Institution country",
                    "valor de la hoja de perfiles / profiles sheet value"),
        "dimension": ("", "Identificador de la dimensión de la rúbrica",
                      "Rubric dimension identifier", "rubric dimensions[].id"),
        "criterion": ("", "Identificador del criterio de la rúbrica",
                      "Rubric criterion identifier", "rubric dimensions[].criteria[].id"),
        "metric": ("", "Métrica (comprobación en audit/measure/checks) que mide el criterio",
                   "Metric (check in audit/measure/checks) that measures the criterion",
                   "rubric criteria[].metric"),
        "unit": ("", "Unidad del valor medido", "Unit of the measured value",
                 "rubric criteria[].unit"),
        "value": ("criterion unit", "Valor medido por la métrica; vacío = sin evaluar",
                  "Value measured by the metric; empty = not evaluated",
                  "métrica del criterio / criterion metric"),
        "score": ("0-100", "Puntuación del criterio; vacío = sin evaluar",
                  "Criterion score; empty = not evaluated",
                  "100 × curva de puntuación de la rúbrica aplicada al valor / "
                  "100 × rubric scoring curve applied to value"),
        "target": ("0-100", "Puntuación objetivo del criterio; por debajo se recomienda acción",
                   "Criterion target score; below it an action is recommended",
                   "100 × rubric criteria[].target"),
        "weight": ("", "Peso del criterio dentro de su dimensión",
                   "Criterion weight within its dimension", "rubric criteria[].weight"),
        "evidence": ("", "Evidencia de la medición, en el idioma de la auditoría",
                     "Evidence for the measurement, in the audit language",
                     "texto generado por la métrica / text produced by the metric"),
    },
    "institutions": {
        "overall_score": ("0-100", "Puntuación global",
                          "Overall score",
                          "media ponderada de las dimensiones; una dimensión sin evaluar "
                          "cuenta 0 / weighted mean of the dimensions, one not evaluated "
                          "counting 0 (rubric dimensions[].weight)"),
        "coverage": ("0-1", "Parte del peso de la rúbrica que se pudo evaluar",
                     "Share of the rubric's weight that could be evaluated",
                     "pesos de dimensiones y criterios evaluados / weights of the evaluated "
                     "dimensions and criteria"),
        "missing_inputs": ("", "Hojas que evaluarían las dimensiones sin evaluar (separadas "
                               "por ;)",
                           "Sheets that would evaluate the dimensions left out (separated "
                           "by ;)", "profiles, posts, interactions, governance"),
        "maturity_level": ("1-5", "Nivel de madurez; vacío = datos insuficientes",
                           "Maturity level; empty = insufficient data",
                           "nivel más alto cuyo umbral y condiciones se cumplen, con cobertura "
                           "suficiente / highest level whose min_score and gates hold, with "
                           "enough coverage (rubric maturity)"),
        "next_level": ("1-5", "Nivel siguiente", "Next level",
                       "rubric maturity.levels"),
        "next_level_points": ("0-100", "Puntos que faltan para el umbral del nivel siguiente",
                              "Points missing for the next level's min_score",
                              "min_score - overall_score"),
        "next_level_conditions": ("", "Condiciones del nivel siguiente que no se cumplen",
                                  "Conditions of the next level not met",
                                  "rubric maturity.levels[].gates, maturity.knockouts"),
        "maturity_label": ("", "Nombre del nivel de madurez", "Maturity level name",
                           "rubric maturity.levels[].label"),
        "maturity_stage": ("", "Etapa del modelo de adopción (Mergel y Bretschneider, 2013)",
                           "Adoption-model stage (Mergel & Bretschneider, 2013)",
                           "rubric maturity.levels[].stage"),
        "maturity_note": ("", "Condición que limitó el nivel, si la hubo",
                          "Gate that capped the level, if any",
                          "rubric maturity.levels[].gates, maturity.knockouts, "
                          "maturity.min_coverage"),
        "cluster": ("", "Grupo de pares (orden: su primer miembro alfabético); vacío = sin grupo",
                    "Peer cluster (order: its alphabetically first member); empty = no cluster",
                    "k-means o Ward sobre puntuaciones z de las dimensiones "
                    "(audit/peers/clusters.py; "
                    "ajustes en methods_appendix.md §9) / k-means or Ward on dimension "
                    "z-scores (settings in methods_appendix.md §9)"),
        "cluster_label": ("", "Nombre: dimensión alta y baja del centroide, en bandas fijas",
                          "Cluster name: high and low centroid dimension, in fixed bands",
                          "audit/peers/clusters.py"),
    },
    "scores": {},
    "metrics_tidy": {
        "criterion": ("", "Identificador del criterio de la rúbrica; vacío = métrica de "
                      "investigación que no puntúa (índices de Bonsón)",
                      "Rubric criterion identifier; empty = research metric that is not "
                      "scored (Bonsón's indices)", "rubric dimensions[].criteria[].id"),
        "metric": ("", "Métrica que mide el criterio; bonson_P1..bonson_E: índices de Bonsón, "
                   "Royo y Ratkai (2015), media de los perfiles con seguidores en la ventana "
                   "de la tasa de interacción (P/C/V1 proporción de publicaciones con me "
                   "gusta/comentarios/compartidos; P/C/V2 por publicación; P/C/V3 por "
                   "publicación y 1.000 seguidores; E = P3 + C3 + V3). No puntúan: E mide lo "
                   "mismo que la tasa de interacción (rho 0,96-1,00)",
                   "Metric that measures the criterion; bonson_P1..bonson_E: Bonsón, Royo & "
                   "Ratkai's (2015) indices, mean over the profiles with followers in the "
                   "interaction rate's window (P/C/V1 share of posts with likes/comments/"
                   "shares; P/C/V2 per post; P/C/V3 per post per 1,000 followers; E = P3 + "
                   "C3 + V3). Not scored: E measures what the interaction rate does "
                   "(rho 0.96-1.00)",
                   "rubric criteria[].metric; audit/measure/checks/engagement.py "
                   "bonson_indices"),
        "value": ("criterion unit", "Valor medido por la métrica (6 decimales); vacío = sin "
                  "evaluar", "Value measured by the metric (6 decimals); empty = not evaluated",
                  "métrica del criterio / criterion metric"),
        "score": ("0-100", "Puntuación del criterio (4 decimales); vacío = sin evaluar",
                  "Criterion score (4 decimals); empty = not evaluated",
                  "100 × curva de puntuación de la rúbrica aplicada al valor / "
                  "100 × rubric scoring curve applied to value"),
    },
    "profiles": {
        "network": ("", "Red social normalizada", "Normalised social network",
                    "hoja de perfiles / profiles sheet"),
        "handle": ("", "Usuario normalizado (minúsculas, sin @ ni URL)",
                   "Normalised handle (lower case, no @ or URL)",
                   "hoja de perfiles / profiles sheet"),
        "handle_original": ("", "Usuario tal como se escribió", "Handle as written",
                            "hoja de perfiles / profiles sheet"),
        "display_name": ("", "Nombre visible del perfil", "Profile display name",
                         "hoja de perfiles / profiles sheet"),
        "followers": ("count", "Seguidores", "Followers", "hoja de perfiles / profiles sheet"),
        "last_post_at": ("ISO 8601 UTC", "Fecha de la última publicación",
                         "Date of the latest post",
                         "máximo entre la hoja de publicaciones y la fecha declarada / later of "
                         "posts sheet and stated date"),
        "days_since_last_post": ("days", "Días desde la última publicación hasta la fecha de "
                                 "auditoría", "Days from the latest post to the audit date",
                                 "as_of − last_post_at"),
        "posts_in_window": ("posts", "Publicaciones en la ventana de la rúbrica",
                            "Posts in the rubric window",
                            "hoja de publicaciones o posts_90d escalado / posts sheet or "
                            "scaled posts_90d (rubric profile_status.window_days)"),
        "posts_per_week": ("posts/week", "Publicaciones por semana",
                           "Posts per week", "posts_in_window / (window_days / 7)"),
        "posts_source": ("", "Origen del recuento: posts, profile o none",
                         "Source of the count: posts, profile or none",
                         "posts si hay filas en la hoja de publicaciones / posts when the "
                         "posts sheet has rows"),
        "status": ("", "Estado del perfil: active, irregular, inactive, abandoned, no_data",
                   "Profile status: active, irregular, inactive, abandoned, no_data",
                   "days_since_last_post frente a rubric profile_status.days (límites "
                   "inclusivos / inclusive bounds)"),
        "source_row": ("Excel row", "Fila de Excel de la hoja de perfiles (encabezado = 1)",
                       "Excel row in the profiles sheet (header = 1)", "lectura / reader"),
    },
    "content_mix": {
        "label": ("", "Etiqueta de contenido asignada por el modelo del investigador",
                  "Content label given by the researcher's model",
                  "python -m audit run --content-model MODEL (audit/research/coding.py predict)"),
        "posts": ("posts", "Publicaciones de la institución con esa etiqueta",
                  "Posts of the institution with that label", "recuento / count"),
        "share": ("0-1", "Proporción de las publicaciones con texto de la institución",
                  "Share of the institution's posts with text", "posts / total por institución"),
    },
    "recommendations": {
        "rank": ("", "Orden de la acción dentro de la institución",
                 "Order of the action within the institution",
                 "por nivel y, dentro del nivel, por prioridad / by tier, then by priority"),
        "in_plan": ("true/false", "La acción está en el plan (true) o en el apéndice (false)",
                    "The action is in the plan (true) or in the appendix (false)",
                    "rank <= rubric actions.plan_size"),
        "tier": ("", "Nivel de prioridad: compliance (incumplimientos), citizens_waiting "
                 "(ciudadanía esperando respuesta), profiles (cerrar o reactivar perfiles), "
                 "rest", "Priority tier: compliance (incidents), citizens_waiting (citizens "
                 "waiting for an answer), profiles (close or revive profiles), rest",
                 "rubric criteria[].tier, actions.data_requests[].tier"),
        "action_id": ("", "Identificador de la acción: criterio, grupo de criterios "
                      "(close_profiles, reactivate_profiles) o petición de datos (provide_*)",
                      "Action identifier: a criterion, a group of criteria, a profile "
                      "decision (close_profiles, reactivate_profiles) or a data request "
                      "(provide_*)", "rubric criteria[].id, actions.groups, "
                      "audit/score/recommend.py"),
        "criteria": ("", "Criterios bajo su objetivo que cubre la acción (separados por ;); "
                     "vacío en una petición de datos",
                     "Criteria below target the action covers (separated by ;); empty for a "
                     "data request", "rubric criteria[].group, criteria[].tier"),
        "action": ("", "Acción recomendada", "Recommended action",
                   "rubric criteria[].action | sector_actions, actions.groups[].action, "
                   "audit/messages/actions.yaml"),
        "horizon": ("", "Plazo: short (30 días), medium (90), long (12 meses)",
                    "Horizon: short (30 days), medium (90), long (12 months)",
                    "rubric criteria[].horizon, actions.groups[].horizon, "
                    "actions.data_requests[].horizon"),
        "effort": ("1-3", "Esfuerzo estimado", "Estimated effort",
                   "rubric criteria[].effort, actions.groups[].effort, "
                   "actions.data_requests[].effort"),
        "priority": ("", "Prioridad de la acción", "Action priority",
                     "suma sobre los criterios cubiertos de peso en la puntuación global × "
                     "(objetivo − puntuación) / esfuerzo; petición de datos: peso de las "
                     "dimensiones sin evaluar / esfuerzo / sum over the covered criteria of "
                     "weight in overall score × (target − score) / effort; data request: "
                     "weight of the dimensions not evaluated / effort"),
        "score": ("0-100", "Puntuación actual de los criterios cubiertos (media ponderada por "
                  "su peso); vacío en una petición de datos",
                  "Current score of the covered criteria (mean weighted by their weight); "
                  "empty for a data request", "scores.csv"),
        "target": ("0-100", "Objetivo de los criterios cubiertos (media ponderada por su peso)",
                   "Target of the covered criteria (mean weighted by their weight)",
                   "100 × rubric criteria[].target"),
        "source": ("", "Obra de la que procede el criterio principal: título (autor, año); "
                   "vacío en una petición de datos",
                   "Work the lead criterion comes from: title (author, year); empty for a "
                   "data request",
                   "rubric criteria[].source.id, rubrics/sources.yaml"),
        "source_passage": ("", "Palabras de la guía entre comillas, o paráfrasis señalada "
                           "como tal", "The guideline's own words in quotation marks, or a "
                           "paraphrase labelled as such",
                           "rubric criteria[].source.quote | paraphrase"),
        "best_peer": ("", "Institución del mismo sector con la mejor puntuación en el criterio "
                      "principal de la acción, si alcanza el objetivo; vacío si no hay",
                      "Institution of the same sector with the best score on the action's "
                      "lead criterion, if it reaches the target; empty if none",
                      "audit/peers/clusters.py best_peers (empates: orden alfabético / ties: "
                      "alphabetical)"),
        "best_peer_evidence": ("", "Evidencia del criterio en esa institución",
                               "Evidence for the criterion at that institution",
                               "scores.csv evidence"),
    },
    "problems": {
        "severity": ("", "Gravedad: error (fila excluida), warning (fila corregida), info",
                     "Severity: error (row excluded), warning (row fixed up), info",
                     "audit/ingest/problems.py"),
        "file": ("", "Archivo de entrada", "Input file", "lectura / reader"),
        "sheet": ("", "Hoja", "Sheet", "lectura / reader"),
        "row": ("Excel row", "Fila de Excel (encabezado = 1); vacío = todo el archivo",
                "Excel row (header = 1); empty = whole file", "lectura / reader"),
        "column": ("", "Columna tal como la escribió el usuario", "Column as the user wrote it",
                   "lectura / reader"),
        "value": ("", "Valor de la celda", "Cell value", "lectura / reader"),
        "code": ("", "Código estable del problema", "Stable problem code",
                 "audit/messages/problems.yaml"),
        "message": ("", "Mensaje en el idioma de la auditoría", "Message in the audit language",
                    "audit/messages/problems.yaml"),
    },
}
# Bonsón's indices written to metrics_tidy (unscored), with their units, in this order.
BONSON_UNITS = {"P1": "share", "P2": "per_post", "P3": "per_1000_followers",
                "C1": "share", "C2": "per_post", "C3": "per_1000_followers",
                "V1": "share", "V2": "per_post", "V3": "per_1000_followers",
                "E": "per_1000_followers"}
_UNDOCUMENTED = ("", "(sin descripción)", "(undocumented)", "")
# Symbols the notes use, written as commands so that pdfLaTeX knows them too.
_UNICODE_TEX = {"ε": r"$\varepsilon$", "²": r"\textsuperscript{2}", "≥": r"$\geq$",
                "≤": r"$\leq$", "−": r"$-$", "—": "---", "×": r"$\times$"}
_TEX_REPLACE = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
                "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
                "^": r"\textasciicircum{}", "[": "{[}", "]": "{]}", "<": r"\textless{}",
                ">": r"\textgreater{}", "|": r"\textbar{}",
                **_UNICODE_TEX}
# What latex_escape rewrites: the characters above, and control characters and line breaks
# (each becomes a space).
_TEX_SPECIAL = re.compile("[" + re.escape("".join(_TEX_REPLACE))
                          + r"\x00-\x1f\x7f-\x9f\u2028\u2029]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&$])")
# How to compile the .tex tables with any text in them: xelatex, with fontspec for UTF-8
# fonts. A font with wide coverage draws every script (e.g. \setmainfont{Noto Serif}); with
# the default one, characters it lacks are left blank with a warning, never an error.
TEX_PREAMBLE = ("\\documentclass{article}\n\\usepackage{fontspec}\n"
                "\\begin{document}\n\\input{TABLE.tex}\n\\end{document}\n")
# The comment each .tex table opens with: how to compile it.
_TEX_HEADER = ("Compilar con / compile with xelatex (UTF-8, cualquier escritura / any script):",
               *TEX_PREAMBLE.replace("TABLE", "<este archivo / this file>").splitlines())
_PARAMS_CHARS = 80


# --- small formatting helpers ---------------------------------------------------------------


def latex_escape(text: object) -> str:
    """Text safe inside a LaTeX table cell, whatever it holds.

    Every character TeX gives a meaning is written as a command that prints it: the ten
    specials, brackets (a row's ``\\\\`` followed by ``[`` reads it as a length), and the
    ASCII characters the classic fonts draw as something else (``<`` ``>`` ``|``).
    Line breaks and control characters become spaces (a blank line ends a table cell with an
    error). Any other character, accented letters, emoji and every script included, is kept
    as UTF-8: xelatex with ``fontspec`` typesets it (see ``TEX_PREAMBLE``).
    """
    return _TEX_SPECIAL.sub(lambda m: _TEX_REPLACE.get(m.group(), " "), str(text))


def md_text(text: object) -> str:
    """Data as literal Markdown text, on one line.

    A backslash before every character that opens inline syntax (emphasis, code spans,
    links and images, raw HTML, entities, table pipes, strikethrough, math): an
    institution named ``![t](http://x/t.png)`` or ``<img onerror=...>`` reads as written and
    never becomes an image, a link or a tag. Line breaks become spaces, so data never starts
    a line (no heading, list or quote either).
    """
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).splitlines()))


def _md_code(text: object) -> str:
    """``text`` as an inline code span (identifiers, hashes, paths), whatever it holds: the
    fence is longer than any run of backticks inside, pipes are escaped for tables."""
    body = " ".join(str(text).splitlines()).replace("|", "\\|")
    runs = [len(run) for run in re.findall(r"`+", body)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if body.startswith("`") or body.endswith("`") else ""
    return f"{fence}{pad}{body}{pad}{fence}"


def _number(value: object, decimals: int = 1) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{float(value):.{decimals}f}"


def _p(value: float) -> str:
    if not math.isfinite(value):
        return ""
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def _markdown(headers: Sequence[str], rows: Sequence[Sequence[str]],
              right: Sequence[bool]) -> str:
    lines = ["| " + " | ".join(md_text(h) for h in headers) + " |",
             "|" + "|".join("---:" if r else "---" for r in right) + "|"]
    lines += ["| " + " | ".join(md_text(c) if c else _MISSING for c in row) + " |"
              for row in rows]
    return "\n".join(lines) + "\n"


def _latex(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool],
           caption: str, label: str) -> str:
    """A complete table float; headers are LaTeX already, cells are escaped here."""
    spec = "".join("r" if r else "l" for r in right)
    lines = [
        *(f"% {line}" for line in _TEX_HEADER),
        r"\begin{table}[htbp]",
        r"\centering",
        r"\small",
        rf"\caption{{{latex_escape(caption)}}}",
        rf"\label{{{label}}}",
        rf"\begin{{tabular}}{{{spec}}}",
        r"\hline",
        " & ".join(headers) + r" \\",
        r"\hline",
    ]
    lines += [" & ".join(latex_escape(c) if c else "---" for c in row) + r" \\" for row in rows]
    lines += [r"\hline", r"\end{tabular}", r"\end{table}"]
    return "\n".join(lines) + "\n"


# --- the files ------------------------------------------------------------------------------


def _bonson_metrics(result: AuditResult) -> pd.DataFrame:
    """Bonsón, Royo & Ratkai's (2015) indices per institution (mean over its profiles), in
    the long form of the scored metrics with no criterion and no score.

    Why unscored: E and the interaction rate are the same quantity (Spearman rho 0.96-1.00
    on the demo and on real town halls), so scoring both counted engagement twice; the
    indices stay here because the literature on government social media reports them.
    Measured over the audit window, as the interaction rate, so both describe the same posts.
    """
    details = measure(result.features, "bonson_engagement", {}).details
    if details is None or details.empty:  # the shape of the long form below, with no rows
        return pd.DataFrame(columns=["institution", "index", "value", "dimension",
                                     "criterion", "metric", "unit"])
    means = details.groupby("institution")[list(BONSON_UNITS)].mean()
    long = means.rename_axis(columns="index").stack().rename("value").reset_index()
    return long.assign(dimension="engagement", criterion="",
                       metric="bonson_" + long["index"], unit=long["index"].map(BONSON_UNITS))


def metrics_tidy(result: AuditResult) -> pd.DataFrame:
    """Every criterion measure in long form, with the institution's sector and country;
    after each institution's criteria, its unscored research metrics."""
    scores = result.scorecard.scores
    order = {c["id"]: i for i, (_, c) in enumerate(result.rubric.criteria())}
    research = _bonson_metrics(result)
    research = research.assign(score=float("nan"),
                               _order=len(order) + research["metric"].map(
                                   {f"bonson_{k}": i for i, k in enumerate(BONSON_UNITS)}))
    tidy = pd.concat([scores.assign(_order=scores["criterion"].map(order)), research],
                     ignore_index=True)
    places = result.scorecard.institutions[["sector", "country"]]
    tidy = tidy.join(places, on="institution")
    tidy = tidy.assign(value=tidy["value"].round(6), score=tidy["score"].round(4))
    tidy = tidy.sort_values(["institution", "_order"], kind="stable")
    return tidy[TIDY_COLUMNS].reset_index(drop=True)


def _dimension_sources(result: AuditResult) -> dict[str, str]:
    sources = {}
    for dimension in result.rubric.dimensions:
        criteria = ", ".join(c["id"] for c in dimension["criteria"])
        works = ", ".join(sorted({c["source"]["id"] for c in dimension["criteria"]}))
        sources[dimension["id"]] = (f"rubric {result.rubric.id} {result.rubric.version} "
                                    f"dimensions.{dimension['id']} ({criteria}); {works} "
                                    f"(methods_appendix.md §4)")
    return sources


def codebook(result: AuditResult, files: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per column of every CSV in ``files``, in file then column order."""
    rubric = result.rubric
    labels = {d["id"]: d["label"] for d in rubric.dimensions}
    dim_sources = _dimension_sources(result)
    rubric_source = (f"rubric {rubric.id} {rubric.version}: criterio, métrica y obra citada en "
                     f"methods_appendix.md §4 / criterion, metric and work cited in "
                     f"methods_appendix.md §4")
    rows = []
    for name in sorted(files):
        frame = files[name]
        for column in frame.columns:
            if name == "institutions" and column in DIMENSIONS:
                label = labels.get(column, {"es": column, "en": column})
                doc = ("0-100", f"Puntuación de la dimensión {label['es']}; vacío = sin evaluar",
                       f"{label['en']} dimension score; empty = not evaluated",
                       "media ponderada de los criterios evaluados / weighted mean of "
                       "evaluated criteria (rubric criteria[].weight)")
                source = dim_sources.get(column, rubric_source)
            else:
                doc = _DOC.get(name, {}).get(column) or _DOC["*"].get(column) or _UNDOCUMENTED
                by_rubric = "rubric" in doc[3] or column in ("value", "score", "metric")
                source = rubric_source if by_rubric else f"audit/report/tables.py {name}"
            rows.append({"file": f"{name}.csv", "column": column, "type": _kind(frame[column]),
                         "unit": doc[0], "meaning_es": doc[1], "meaning_en": doc[2],
                         "rule": doc[3], "source": source})
    return pd.DataFrame(rows, columns=CODEBOOK_COLUMNS)


def _kind(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_numeric_dtype(series):
        return "number"
    return "text"


def _level_text(row: pd.Series) -> str:
    level = row["maturity_level"]
    if level is None or level is pd.NA:
        return ""
    return f"{int(level)} {row['maturity_label_es']} ({row['maturity_label_en']})"


def _institutions_table(result: AuditResult) -> tuple[str, str]:
    card = result.scorecard.institutions.sort_index(kind="stable")
    labels = {d["id"]: d["label"] for d in result.rubric.dimensions}
    dims = [d for d in DIMENSIONS if d in card.columns]
    headers = ["Institución / Institution", "Sector", "País / Country",
               *(f"{labels.get(d, {}).get('es', d)} / {labels.get(d, {}).get('en', d)}"
                 for d in dims), "Global / Overall", "Nivel / Level"]
    right = [False, False, False, *(True for _ in dims), True, False]
    rows = [[str(name), str(row["sector"]), str(row["country"]),
             *(_number(row[d]) for d in dims), _number(row["overall_score"]), _level_text(row)]
            for name, row in card.iterrows()]
    title = "Puntuación por dimensión (0-100) y nivel de madurez"
    title_en = "Score by dimension (0-100) and maturity level"
    note = "— = sin evaluar / not evaluated"
    md = f"# {title} / {title_en}\n\n{note}.\n\n" + _markdown(headers, rows, right)
    tex = _latex([latex_escape(h) for h in headers], rows, right,
                 f"{title} / {title_en}. --- = sin evaluar / not evaluated.",
                 "tab:institutions-by-dimension")
    return md, tex


def _comparison_table(result: AuditResult, by: str = "sector") -> tuple[str, str]:
    table = compare_groups(result.scorecard.institutions, by)
    labels = {d["id"]: d["label"] for d in result.rubric.dimensions}
    labels["overall_score"] = {"es": "Global", "en": "Overall"}
    groups = sorted(c[len("median_"):] for c in table.columns if c.startswith("median_"))
    names = {"sector": ("Sector", "sector"), "country": ("País", "country")}[by]
    md_headers = ["Dimensión / Dimension", "k", "n", "Sin evaluar / Not evaluated", "H",
                  "gl / df", "p", "ε²", "Efecto / Effect",
                  *(f"Mediana (n) {g}" for g in groups)]
    tex_headers = ["Dimensión / Dimension", "$k$", "$n$", "Sin evaluar / Not evaluated", "$H$",
                   "gl / df", "$p$", r"$\varepsilon^2$", "Efecto / Effect",
                   *(f"Md ($n$) {latex_escape(g)}" for g in groups)]
    right = [False, True, True, True, True, True, True, True, False, *(True for _ in groups)]
    rows = []
    for _, row in table.iterrows():
        label = labels.get(row["column"], {"es": row["column"], "en": row["column"]})
        per_group = []
        for g in groups:
            n = row.get(f"n_{g}")
            per_group.append("" if n is None or pd.isna(n)
                             else f"{_number(row[f'median_{g}'])} ({int(n)})")
        rows.append([f"{label['es']} / {label['en']}", str(row["k"]), str(row["n"]),
                     str(row["n_not_evaluated"]), _number(row["H"], 2),
                     "" if pd.isna(row["df"]) else str(int(row["df"])), _p(row["p"]),
                     _number(row["epsilon_squared"], 3), row["effect"], *per_group])
    title = f"Comparación por {names[0].lower()} (Kruskal-Wallis)"
    title_en = f"Comparison by {names[1]} (Kruskal-Wallis)"
    note_es = (f"Grupos con al menos {MIN_GROUP} instituciones evaluadas; ε² = H / (n − 1) "
               f"(Tomczak y Tomczak, 2014); efecto: {_cutoffs(EPSILON_CUTOFFS)}.")
    note_en = (f"Groups with at least {MIN_GROUP} evaluated institutions; ε² = H / (n − 1) "
               f"(Tomczak & Tomczak, 2014); effect: {_cutoffs(EPSILON_CUTOFFS)}.")
    small = sorted({g for s in table["small_groups"] for g in s.split("; ") if g})
    excluded = (f"\n\nGrupos excluidos / groups left out: {', '.join(map(md_text, small))}."
                if small else "")
    md = (f"# {title} / {title_en}\n\n{note_es}\n\n{note_en}{excluded}\n\n"
          + _markdown(md_headers, rows, right))
    tex = _latex(tex_headers, rows, right,
                 f"{title} / {title_en}. {note_en}", f"tab:group-comparison-{by}")
    return md, tex


def _cutoffs(cutoffs) -> str:
    first = f"{cutoffs[0][1]} < {cutoffs[1][0]:g}"
    return ", ".join([first, *(f"{name} ≥ {bound:g}" for bound, name in cutoffs[1:])])


# --- the methods appendix -------------------------------------------------------------------


def _versions() -> list[tuple[str, str]]:
    found = [("python", platform.python_version())]
    for package in PACKAGES:
        try:
            found.append((package, importlib.metadata.version(package)))
        except importlib.metadata.PackageNotFoundError:
            found.append((package, "no instalado / not installed"))
    return found


def _scoring_text(scoring: Mapping) -> str:
    extra = ", ".join(f"{k}={v}" for k, v in sorted(scoring.items()) if k != "type")
    return f"{scoring['type']} ({extra})" if extra else str(scoring["type"])


def _params_text(params: Mapping) -> str:
    """Short params in full; long ones (term lists) by their keys, to keep the table legible."""
    if not params:
        return ""
    text = json.dumps(params, sort_keys=True, ensure_ascii=False)
    if len(text) <= _PARAMS_CHARS:
        return text
    return f"{', '.join(sorted(map(str, params)))} (ver la rúbrica / see the rubric)"


def _gate_text(gate: Mapping, labels: Mapping[str, Mapping[str, str]]) -> str:
    rule, dim = gate["rule"], gate.get("dimension", "")
    name = labels.get(dim, {"es": dim, "en": dim})
    texts = {
        "no_abandoned_profiles": "sin perfiles abandonados / no abandoned profiles",
        "dimension_evaluated": f"{name['es']} evaluada / {name['en']} evaluated",
        "dimension_min": f"{name['es']} ≥ {gate.get('min')} / {name['en']} ≥ {gate.get('min')}",
        "all_dimensions_evaluated": "todas las dimensiones evaluadas / all dimensions evaluated",
        "every_dimension_min": f"todas las dimensiones ≥ {gate.get('min')} / "
                               f"every dimension ≥ {gate.get('min')}",
    }
    return texts.get(rule, rule)


def _settings(result: AuditResult) -> dict | None:
    """Clustering settings when the audit grouped peers: ``result.peers.settings``, a
    mapping or a method taking the language (read with getattr, so that an audit object
    without peers works too)."""
    peers = getattr(result, "peers", None)
    if peers is None:
        return None
    settings = peers.get("settings") if isinstance(peers, Mapping) else getattr(
        peers, "settings", None)
    if callable(settings):
        settings = settings(result.lang)
    if settings is None:
        return None
    if dataclasses.is_dataclass(settings) and not isinstance(settings, type):
        settings = dataclasses.asdict(settings)
    if not isinstance(settings, Mapping):
        return {"settings": str(settings)}
    return dict(settings)


def _works_cited(rubric) -> list[str]:
    """§4's reference list: each work the criteria cite, by the id the codebook names, and
    the benchmarks some thresholds come from; then what each criterion quotes or
    paraphrases and where its thresholds come from."""
    cited = {c["source"]["id"] for _, c in rubric.criteria()}
    ids = sorted(sid for sid, entry in bibliography().items()
                 if sid in cited or entry.file is None)
    out = ["", "Obras citadas / Works cited:", ""]
    out += [f"- {_md_code(sid)}: {md_text(reference(sid, 'es'))}" for sid in ids]
    out += ["", "Pasaje citado y origen de los umbrales / passage cited and where the "
            "thresholds come from:", ""]
    for _, criterion in rubric.criteria():
        line = passage(criterion["source"], "es")
        threshold = criterion.get("threshold_source")
        if threshold:
            line += f" Umbrales: {threshold['es']} / Thresholds: {threshold['en']}"
        saturation = criterion.get("saturation")
        if saturation:
            line += f" Saturación: {saturation['es']} / Saturation: {saturation['en']}"
        out.append(f"- {_md_code(criterion['id'])}: {md_text(line)}")
    return [*out, ""]


def methods_appendix(result: AuditResult) -> str:
    """The methods appendix: everything needed to reproduce and cite this audit."""
    manifest = result.manifest()
    rubric = result.rubric
    labels = {d["id"]: d["label"] for d in rubric.dimensions}
    out = ["# Apéndice metodológico / Methods appendix", "",
           "*Español primero; English follows each section. Generado por / generated by "
           f"audit {manifest['software']['version']}.*", ""]

    out += ["## 1. Auditoría y software / Audit and software", "",
            f"- Fecha de auditoría / audit date (as_of): {manifest['as_of'] or '—'} "
            f"(origen / source: {manifest.get('as_of_source') or '—'})",
            f"- Software: {manifest['software']['name']} {manifest['software']['version']}"]
    out += [f"- {name}: {version}" for name, version in _versions()]
    out += ["", "## 2. Rúbrica / Rubric", "",
            f"- id: {_md_code(rubric.id)}", f"- versión / version: {_md_code(rubric.version)}",
            f"- archivo / file: {_md_code(rubric.path)}", f"- sha256: `{rubric.sha256}`", ""]

    out += ["## 3. Archivos de entrada / Input files", "",
            "| archivo / file | formato / format | bytes | sha256 |", "|---|---|---:|---|"]
    out += [f"| {_md_code(i['name'])} | {md_text(i['format'])} | {i['bytes']} | `{i['sha256']}` |"
            for i in manifest["inputs"]]
    counts = manifest.get("counts", {})
    out += ["", "Recuentos / counts: " + ", ".join(f"{k} = {v}" for k, v in counts.items()), ""]

    out += ["## 4. Criterios / Criteria", "",
            "Cada criterio mide una métrica (`audit/measure/checks/`) y la convierte en una "
            "puntuación "
            "0-100 con la curva de la rúbrica; la dimensión es la media ponderada de sus "
            "criterios evaluados y la puntuación global la de las dimensiones evaluadas.",
            "Each criterion measures a metric and turns it into a 0-100 score with the rubric's "
            "curve; a dimension is the weighted mean of its evaluated criteria, the overall "
            "score that of the evaluated dimensions.", "",
            "| dimensión / dimension (peso / weight) | criterio / criterion | métrica / metric "
            "| unidad / unit | parámetros / params | puntuación / scoring | peso / weight "
            "| objetivo / target | fuente / source |",
            "|---|---|---|---|---|---|---:|---:|---|"]
    for dimension, criterion in rubric.criteria():
        out.append("| " + " | ".join((
            md_text(f"{dimension['label']['es']} / {dimension['label']['en']} "
                    f"({dimension['weight']})"),
            f"{_md_code(criterion['id'])} "
            + md_text(f"{criterion['label']['es']} / {criterion['label']['en']}"),
            _md_code(criterion["metric"]), *map(md_text, (
                criterion.get("unit", ""), _params_text(criterion.get("params") or {}),
                _scoring_text(criterion["scoring"]), criterion["weight"], criterion["target"],
                citation(criterion["source"]["id"], "es"))))) + " |")
    out += _works_cited(rubric)

    out += ["## 5. Sin evaluar / Not evaluated", "",
            "Un criterio sin datos (o cuya medición falló) queda **sin evaluar**: vacío en los "
            "CSV, nunca cero. Su peso pasa a los criterios evaluados de la dimensión; una "
            "dimensión sin criterios evaluados queda sin evaluar y su peso pasa a las demás. "
            "En las comparaciones estadísticas los valores sin evaluar se excluyen y se cuentan "
            "(`n_not_evaluated`).",
            "A criterion without data (or whose measurement failed) is **not evaluated**: "
            "empty in the CSVs, never zero. Its weight goes to the evaluated criteria of its "
            "dimension; a dimension with no evaluated criterion is not evaluated and its weight "
            "goes to the others. Statistical comparisons leave not-evaluated values out and "
            "count them (`n_not_evaluated`).", ""]

    status = rubric.data["profile_status"]
    days = status["days"]
    out += ["## 6. Estado de los perfiles / Profile status", "",
            f"Días desde la última publicación (límites inclusivos) / days since the latest "
            f"post (inclusive bounds): active ≤ {days['active']}, irregular ≤ "
            f"{days['irregular']}, inactive ≤ {days['inactive']}, abandoned > "
            f"{days['inactive']}.", "",
            f"Ventana de la auditoría: {status['window_days']} días antes de la fecha de "
            "auditoría; todas las medidas sobre publicaciones (frecuencia, regularidad, tono, "
            "transparencia, interacción, usos del contenido) leen solo esas publicaciones. / "
            f"Audit window: {status['window_days']} days before the audit date; every "
            "post-based measure (frequency, regularity, tone, transparency, engagement, content "
            "uses) reads only those posts."
            + (" Las publicaciones son una muestra: la actividad sale solo de la hoja de "
               "perfiles. / The posts are a sample: activity comes only from the profiles "
               "sheet." if manifest["window"]["posts_sample"] else ""), ""]

    out += ["## 7. Niveles de madurez / Maturity levels", "",
            "Se asigna el nivel más alto cuyo umbral y condiciones (y los de todos los niveles "
            "inferiores) se cumplen. / The highest level whose score floor and gates (and "
            "those of every lower level) hold.", "",
            "| nivel / level | puntuación mínima / min score | etapa / stage "
            "| condiciones / gates |", "|---|---:|---|---|"]
    for level in rubric.levels:
        gates = "; ".join(_gate_text(g, labels) for g in level.get("gates", []) or []) or "—"
        out.append("| " + " | ".join(md_text(c) for c in (
            f"{level['level']} {level['label']['es']} / {level['label']['en']}",
            level["min_score"], level.get("stage", ""), gates)) + " |")
    out.append("")

    out += ["## 8. Estadística / Statistics", "",
            "Comparación entre grupos (sector, país) con la prueba de Kruskal-Wallis "
            "(`scipy.stats.kruskal`), no paramétrica porque las puntuaciones están acotadas, "
            "son asimétricas y tienen empates; tamaño del efecto ε² = H / ((n² − 1) / (n + 1)) "
            f"(Tomczak y Tomczak, 2014), {_cutoffs(EPSILON_CUTOFFS)}. Solo entran los grupos "
            f"con al menos {MIN_GROUP} instituciones evaluadas. Comparaciones por pares con "
            "U de Mann-Whitney bilateral, p corregida por Holm (1979) y delta de Cliff "
            f"(Romano et al., 2006: {_cutoffs(CLIFF_CUTOFFS)}).",
            "Group comparisons (sector, country) use the Kruskal-Wallis test, non-parametric "
            "because scores are bounded, skewed and tied; effect size ε² = H / ((n² − 1) / "
            f"(n + 1)) (Tomczak & Tomczak, 2014). Only groups with at least {MIN_GROUP} "
            "evaluated institutions enter. Pairwise comparisons use the two-sided Mann-Whitney "
            "U with Holm-adjusted p values and Cliff's delta. See "
            "`group_comparison_sector.md` and `group_comparison_country.md`.", ""]

    settings = _settings(result)
    out += ["## 9. Agrupación de pares / Peer clustering", ""]
    if settings is None:
        out += ["Esta auditoría no agrupó instituciones. / This audit did not cluster "
                "institutions.", ""]
    else:
        out += ["Método (`method`: k-means o Ward), número de grupos (`k`; `k_fixed` = fijado "
                "por el usuario, si no elegido por la silueta) y covariables (`covariates`: con "
                "`log10_followers`, el tamaño de la audiencia, log10(1 + seguidores de todos "
                "los perfiles), entra en las distancias para que los pares tengan también una "
                "audiencia parecida; no entra en los nombres ni en los perfiles de los grupos).",
                "Method (`method`: k-means or Ward), number of clusters (`k`; `k_fixed` = set "
                "by the user, otherwise chosen by silhouette) and covariates (`covariates`: "
                "with `log10_followers`, audience size, log10(1 + followers of all profiles), "
                "joins the distances so that peers also have a similar audience; it does not "
                "enter cluster names or profiles).", ""]
        out += [f"- {md_text(k)}: "
                + md_text(json.dumps(v, sort_keys=True, ensure_ascii=False, default=str))
                for k, v in sorted(settings.items(), key=lambda kv: str(kv[0]))]
        out.append("")
    return "\n".join(out)


# --- entry points ---------------------------------------------------------------------------


def research_exports(result: AuditResult,
                     frames: Mapping[str, pd.DataFrame] | None = None) -> dict[str, str]:
    """File name -> content (UTF-8 text, '\\n' line ends) of every research export.
    ``frames``: ``tables(result)`` when the caller already has them (computed once for
    every file of an audit); they are not changed.

    With an unusable input there are no scores: only the codebook of problems.csv and the
    methods appendix are produced.
    """
    frames = dict(tables(result) if frames is None else frames)
    files: dict[str, str] = {}
    if result.scorecard is not None:
        frames["metrics_tidy"] = metrics_tidy(result)
        files["metrics_tidy.csv"] = csv_text(frames["metrics_tidy"])
        md, tex = _institutions_table(result)
        files["institutions_by_dimension.md"], files["institutions_by_dimension.tex"] = md, tex
        for by in ("sector", "country"):
            md, tex = _comparison_table(result, by)
            files[f"group_comparison_{by}.md"], files[f"group_comparison_{by}.tex"] = md, tex
    files["codebook.csv"] = csv_text(codebook(result, frames))
    files["methods_appendix.md"] = methods_appendix(result)
    return dict(sorted(files.items()))
