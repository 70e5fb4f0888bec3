"""Streamlit app: upload an institution's social media workbook (or load the demo) and see
what was read, every data problem and the status of each profile.

The app holds no audit logic: it calls ``audit.run_audit`` like the command line does.
Run: ``python -m streamlit run app.py``.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import streamlit as st

from audit import run_audit, write_template

DEMO = Path(__file__).parent / "sample_data" / "demo_auditoria_sintetica.xlsx"

TEXT = {
    "es": {
        "title": "Auditoría de redes sociales de instituciones públicas",
        "intro": "Suba el libro de perfiles, publicaciones e interacciones de una o varias "
                 "instituciones, o pruebe con los datos de demostración.",
        "upload": "Archivos (.xlsx, .ods, .csv o .zip)",
        "demo": "Cargar datos de demostración",
        "template": "Descargar plantilla en blanco",
        "running": "Auditando…",
        "as_of": "Fecha de auditoría",
        "institutions": "Instituciones", "profiles": "Perfiles", "posts": "Publicaciones",
        "interactions": "Interacciones",
        "problems": "Problemas en los datos",
        "no_problems": "No se encontraron problemas en los datos.",
        "severity": "Gravedad", "download_problems": "Descargar problemas (CSV)",
        "unusable": "No se puede auditar: revise los problemas de la lista.",
        "status": "Estado de los perfiles",
        "waiting": "Aún no hay datos: suba archivos o cargue la demostración.",
        "severities": {"error": "error", "warning": "aviso", "info": "nota"},
        "statuses": {"active": "✅ activo", "irregular": "🟡 irregular",
                     "inactive": "⚠️ inactivo", "abandoned": "⛔ abandonado",
                     "no_data": "❔ sin datos"},
    },
    "en": {
        "title": "Social media audit of public institutions",
        "intro": "Upload the workbook of profiles, posts and interactions of one or more "
                 "institutions, or try the demo data.",
        "upload": "Files (.xlsx, .ods, .csv or .zip)",
        "demo": "Load the demo data",
        "template": "Download the blank template",
        "running": "Auditing…",
        "as_of": "Audit date",
        "institutions": "Institutions", "profiles": "Profiles", "posts": "Posts",
        "interactions": "Interactions",
        "problems": "Data problems",
        "no_problems": "No data problems found.",
        "severity": "Severity", "download_problems": "Download problems (CSV)",
        "unusable": "Cannot audit: check the problems listed.",
        "status": "Profile status",
        "waiting": "No data yet: upload files or load the demo.",
        "severities": {"error": "error", "warning": "warning", "info": "note"},
        "statuses": {"active": "✅ active", "irregular": "🟡 irregular",
                     "inactive": "⚠️ inactive", "abandoned": "⛔ abandoned",
                     "no_data": "❔ no data"},
    },
}


@st.cache_data(show_spinner=False, max_entries=8)
def audit_files(files: tuple[tuple[str, bytes], ...], lang: str):
    """Run the audit once per distinct upload and language."""
    result = run_audit(list(files), lang=lang)
    return {
        "usable": result.usable,
        "manifest": result.manifest(),
        "problems": result.problems.frame(lang),
        "profiles": result.profiles,
    }


@st.cache_data(show_spinner=False)
def template_bytes(lang: str) -> bytes:
    buffer = io.BytesIO()
    write_template(buffer, lang=lang)
    return buffer.getvalue()


def main() -> None:
    st.set_page_config(page_title="Auditoría de redes sociales", layout="wide")
    lang = "en" if st.sidebar.radio("Idioma / Language", ["Español", "English"]) == "English" \
        else "es"
    t = TEXT[lang]
    st.title(t["title"])
    st.write(t["intro"])
    uploads = st.file_uploader(t["upload"], type=["xlsx", "xlsm", "ods", "csv", "zip"],
                               accept_multiple_files=True)
    left, right = st.columns(2)
    if left.button(t["demo"]):
        st.session_state["files"] = ((DEMO.name, DEMO.read_bytes()),)
    right.download_button(t["template"], template_bytes(lang),
                          file_name="plantilla_auditoria.xlsx" if lang == "es"
                          else "audit_template.xlsx")
    if uploads:
        st.session_state["files"] = tuple((u.name, u.getvalue()) for u in uploads)
    files = st.session_state.get("files")
    if not files:
        st.info(t["waiting"])
        return
    with st.spinner(t["running"]):
        audit = audit_files(files, lang)
    show_summary(audit, t)
    show_problems(audit["problems"], t)
    if audit["profiles"] is not None:
        show_profiles(audit["profiles"], t)


def show_summary(audit: dict, t: dict) -> None:
    if not audit["usable"]:
        st.error(t["unusable"])
        return
    manifest = audit["manifest"]
    counts = manifest["counts"]
    cols = st.columns(5)
    cols[0].metric(t["as_of"], manifest["as_of"])
    for col, key in zip(cols[1:], ("institutions", "profiles", "posts", "interactions"),
                        strict=True):
        col.metric(t[key], f"{counts[key]:,}".replace(",", "." if t is TEXT["es"] else ","))


def show_problems(problems: pd.DataFrame, t: dict) -> None:
    st.subheader(t["problems"])
    if problems.empty:
        st.success(t["no_problems"])
        return
    shown = problems.assign(severity=problems["severity"].map(t["severities"]))
    chosen = st.multiselect(t["severity"], list(t["severities"].values()),
                            default=list(t["severities"].values()))
    st.dataframe(shown[shown["severity"].isin(chosen)], hide_index=True, width="stretch")
    st.download_button(t["download_problems"], problems.to_csv(index=False).encode("utf-8"),
                       file_name="problems.csv", mime="text/csv")


def show_profiles(profiles: pd.DataFrame, t: dict) -> None:
    st.subheader(t["status"])
    shown = profiles.assign(status=profiles["status"].map(t["statuses"]))
    st.dataframe(shown.drop(columns=["source_row"]), hide_index=True, width="stretch")


main()
