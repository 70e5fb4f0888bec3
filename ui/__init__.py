"""The Streamlit interface's helpers: texts, formatting, cached calls into ``audit``, charts.

    app.py        router and shared sidebar (language, audit, rubric, date, institution)
    app_pages/*.py  one page each, UI only (not pages/: see app.py)
    ui/i18n.py    every interface text by language (from the catalogue, audit/messages/ui.yaml)
    ui/fmt.py     numbers, dates, statuses and rubric labels as each language writes them
    ui/state.py   session state, the cached audit (the only place that runs the library)
                  and the pages' tables kept under what they depend on (kept)
    ui/views.py   presentation tables built from an audit result (peers, risks, plan)
    ui/charts.py  Altair charts, labelled in the chosen language
    ui/vega.py    a chart's Vega-Lite spec made once per data and kept, then drawn
    ui/history.py the history file, saving the audit in use, the scorecard's progress block
    ui/rubric_edit.py  rubric <-> editable tables, YAML in and out

Nothing here scores: scores, levels and recommendations come from ``audit``.
"""
