"""The Excel report, ``report.xlsx``: the audit as a workbook an auditor hands over.

    Cover                what was audited and how: institutions, audit date and window,
                         rubric id, version and sha256, coverage, institutions by level,
                         problem counts by severity, software version, input files with sha256
    Institutions         the tables of ``tables.py``, one sheet each, with headers in the
    Dimensions chart     audit's language, frozen, filtered, fitted widths, number and date
    Scores               formats; scores on one colour scale (0-100, the same on every sheet)
    Profiles             and, beside each criterion score, its band in words, so the sheet
    Recommendations      reads without colour; the chart sheet holds one native bar chart per
    Problems             sector with the table it draws (at most ``CHART_INSTITUTIONS``)

Written with XlsxWriter rather than openpyxl (which reads the inputs): XlsxWriter is made for
writing formatted reports, with native charts, conditional formats, frozen panes and filters
in a small API; it writes faster; and it stores every part of the file with a fixed
timestamp, so with the workbook's creation date set to the audit date the same audit gives
the same bytes. Strings are written as strings (never read as formulas or links), and every
text cell goes through ``inert_text`` first, so a name like ``=HYPERLINK(...)`` stays text
in any spreadsheet program.

The content mix (``content_mix.csv``, only with a content model) stays a CSV: its columns are
the labels of the researcher's own taxonomy, not a table a director reads.

An unusable input has no report: ``problems.csv`` and ``audit.json`` say why, and a workbook
with a cover and no audit could be mistaken for one (``excel_report`` refuses it).

The band of a score is the label of the highest rubric level whose score floor
(``maturity.levels[].min_score``) it reaches: the rubric's own thresholds, named in its own
words. It describes the number, not the institution's level, which also needs the gates.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Mapping

import numpy as np
import pandas as pd

from audit._version import __version__
from audit.gc_pause import gc_paused
from audit.ingest.contract import SECTOR_LABELS
from audit.ingest.problems import SEVERITIES
from audit.messages import catalogue, text
from audit.report.excel_render import CELLS, Recorder, Style, WorkbookPlan, render
from audit.report.inert import inert_text
from audit.report.tables import tables
from audit.result import AuditResult
from audit.score.rubric import DIMENSIONS

__all__ = ["CHART_INSTITUTIONS", "REPORT_FILE", "SHEETS", "excel_parts", "excel_plan",
           "excel_report", "sheet_name"]

REPORT_FILE = "report.xlsx"
# Sheet keys in workbook order; each table sheet shows the table of the same name.
SHEETS = ("cover", "institutions", "chart", "scores", "profiles", "recommendations", "problems")
CHART_INSTITUTIONS = 15  # bars per chart: 15 institutions x 7 dimensions still read
WIDTH_LIMITS = (8, 60)  # column widths in characters, fitted to the content between these
_FORBIDDEN = set("[]:*?/\\")  # characters Excel refuses in a sheet name
_SHEET_NAME_MAX = 31
# One colour scale for every score, fixed at 0-50-100 so that a colour means the same score
# on every sheet; light tints (orange to blue, readable for colour-blind readers) under
# black text.
_SCORE_SCALE = {"type": "3_color_scale", "min_type": "num", "min_value": 0,
                "mid_type": "num", "mid_value": 50, "max_type": "num", "max_value": 100,
                "min_color": "#F4A582", "mid_color": "#F7F7F7", "max_color": "#92C5DE"}
_SCORE_COLUMNS = {"overall_score", "score", *DIMENSIONS}  # 0-100, coloured
_NUMBER_FORMATS = {  # column -> Excel number format; other numbers keep Excel's General
    **{c: "0.0" for c in (*_SCORE_COLUMNS, "target", "next_level_points")},
    "coverage": "0.0%", "followers": "#,##0", "posts_per_week": "0.00",
    "last_post_at": "yyyy-mm-dd hh:mm",
}
_SHARE_FORMAT = "0.0%"  # a measured value whose unit is a share
_DATE_FORMAT = "yyyy-mm-dd"
_FIRST_COLUMN_FROZEN = {"institutions", "scores", "profiles", "recommendations"}


def excel_report(result: AuditResult,
                 frames: Mapping[str, pd.DataFrame] | None = None) -> bytes:
    """The workbook's bytes, in the audit's language; the same audit gives the same bytes.
    ``frames``: ``tables(result)`` when the caller already has them."""
    with gc_paused():
        return render(excel_plan(result, frames))


def excel_plan(result: AuditResult,
               frames: Mapping[str, pd.DataFrame] | None = None) -> WorkbookPlan:
    """What the workbook holds, as the calls that write it (excel_render.py): every value
    already converted and inert, so that writing it needs neither the audit nor pandas."""
    with gc_paused():
        return WorkbookPlan.joined(excel_parts(result, frames))


def excel_parts(result: AuditResult, frames: Mapping[str, pd.DataFrame] | None = None
                ) -> Iterator[WorkbookPlan | tuple[str, Recorder]]:
    """The plan made one part at a time, for a renderer that writes each as it comes:
    first the plan without its sheets, then each sheet as ``(name, Recorder)``."""
    if result.scorecard is None or result.data is None:
        raise ValueError("an unusable input has no Excel report; see problems.csv")
    frames = tables(result) if frames is None else frames
    lang = result.lang
    yield WorkbookPlan(properties={
        "title": text("report.title", lang, rubric=result.rubric.label[lang]),
        "created": dt.datetime.combine(result.data.as_of, dt.time()),
    }, formats=_FORMATS)
    styles = _Styles()
    institutions = _prepare("institutions", frames["institutions"], result)
    for key in SHEETS:  # each table prepared when its sheet is made: the first part is sent
        sheet = Recorder()  # sooner, and only one large table is held at a time
        if key == "cover":
            _cover(sheet, styles, result, institutions)
        elif key == "chart":
            _charts(sheet, styles, result, institutions)
        else:
            shown = institutions if key == "institutions" else _prepare(key, frames[key], result)
            _table(sheet, styles, key, shown, result)
        yield sheet_name(key, lang), sheet


def sheet_name(key: str, lang: str) -> str:
    """A sheet's name in ``lang``, checked against Excel's rules (a catalogue edit that
    breaks them fails here, not in the auditor's spreadsheet program)."""
    name = text(f"report.sheet_{key}", lang)
    if not 0 < len(name) <= _SHEET_NAME_MAX or _FORBIDDEN & set(name) or name[0] == "'":
        raise ValueError(f"report.sheet_{key} ({lang}): {name!r} is not a valid sheet name "
                         f"(1-{_SHEET_NAME_MAX} characters, none of []:*?/\\, no leading ')")
    return name


def header(table: str, column: str, lang: str, rubric_labels: dict[str, str]) -> str:
    """A column's header: a dimension by its rubric label, any other column from the
    catalogue (``col_<table>_<column>`` where the column means something else in that
    table, else ``col_<column>``); a column without a header fails loudly."""
    if column in rubric_labels:
        return rubric_labels[column]
    specific = f"report.col_{table}_{column}"
    return text(specific if specific in catalogue() else f"report.col_{column}", lang)


# The workbook's cell formats by key, made once in this order (XlsxWriter shares them
# between cells).
_FORMATS = {
    "header": {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#E7E6E6",
               "bottom": 1},
    "title": {"bold": True, "font_size": 16},
    "section": {"bold": True, "font_size": 12},
    "label": {"bold": True, "valign": "top"},
    "wrap": {"text_wrap": True, "valign": "top"},
    "date": {"num_format": _DATE_FORMAT, "align": "left"},
    "share": {"num_format": _SHARE_FORMAT, "align": "left"},
    "count": {"num_format": "#,##0", "align": "left"},
    "cell_share": {"num_format": _SHARE_FORMAT},
    **{f"num:{f}": {"num_format": f} for f in sorted(set(_NUMBER_FORMATS.values()))},
}


class _Styles:
    """The cell formats by key, as a plan names them (``Style``)."""

    def __getitem__(self, key: str) -> Style:
        if key not in _FORMATS:
            raise KeyError(key)
        return Style(key)

    def number(self, column: str) -> Style | None:
        found = _NUMBER_FORMATS.get(column)
        return Style(f"num:{found}") if found else None


def _prepare(name: str, frame: pd.DataFrame, result: AuditResult) -> pd.DataFrame:
    """A table as the sheet shows it: dates as dates (UTC, as the CSV writes them), and the
    band in words beside each criterion score."""
    out = frame.reset_index(drop=True)
    if "last_post_at" in out:
        out["last_post_at"] = pd.to_datetime(out["last_post_at"], utc=True).dt.tz_localize(None)
    if name in ("scores", "recommendations"):
        out.insert(out.columns.get_loc("score") + 1, "score_band", _bands(out["score"], result))
    return out


def _bands(scores: pd.Series, result: AuditResult) -> pd.Series:
    """Each score's band: the label of the highest rubric level whose score floor it
    reaches, or "not evaluated"."""
    levels = result.rubric.levels
    floors = np.array([level["min_score"] for level in levels], dtype=float)
    labels = np.array([level["label"][result.lang] for level in levels], dtype=object)
    values = scores.to_numpy(dtype=float, na_value=np.nan)
    reached = np.searchsorted(floors, np.nan_to_num(values), side="right") - 1
    bands = np.where(np.isnan(values), text("report.band_not_evaluated", result.lang),
                     labels[np.clip(reached, 0, len(labels) - 1)])
    return pd.Series(bands, index=scores.index, dtype="str")


def _table(sheet, styles: _Styles, table: str, frame: pd.DataFrame,
           result: AuditResult) -> None:
    """One output table: header row, typed cells, widths, frozen header, filter, colours."""
    lang = result.lang
    labels = {d["id"]: d["label"][lang] for d in result.rubric.dimensions}
    rows = len(frame)
    lines = 1
    for col, column in enumerate(frame.columns):
        title = header(table, column, lang, labels)
        _write_text(sheet, 0, col, title, styles["header"])
        formats = styles.number(column)
        if table == "scores" and column == "value":  # a share reads as a percentage
            share = frame["unit"].eq("share").to_numpy()
            formats = [styles["cell_share"] if s else None for s in share]
        _write_values(sheet, col, frame[column], formats)
        width = _width(frame[column], title)
        sheet.set_column(col, col, width)
        lines = max(lines, math.ceil(len(title) / (width - 2)))
        if column in _SCORE_COLUMNS and rows:
            sheet.conditional_format(1, col, rows, col, _SCORE_SCALE)
    sheet.set_row(0, 15 * lines)  # the header wraps: as tall as its longest title needs
    sheet.freeze_panes(1, 1 if table in _FIRST_COLUMN_FROZEN else 0)
    sheet.autofilter(0, 0, rows, len(frame.columns) - 1)


def _write_values(sheet, col: int, series: pd.Series, formats, first: int = 1) -> None:
    """A column's cells from row ``first`` down, with their type: numbers, booleans and
    dates stay sortable values, text is written inert, and a missing value is an empty
    cell (never a zero). ``formats`` is one number format or one per row.

    The values are turned into Python ones column by column and each cell costs one call:
    the scores sheet of a thousand institutions has some 400,000 cells."""
    if pd.api.types.is_bool_dtype(series):
        kind = "boolean"
        values = [bool(v) if pd.notna(v) else None for v in series]
    elif pd.api.types.is_datetime64_any_dtype(series):
        kind = "datetime"
        values = [v.to_pydatetime() if pd.notna(v) else None for v in series]
    elif pd.api.types.is_numeric_dtype(series):
        kind = "number"
        values = [v if math.isfinite(v) else None
                  for v in series.to_numpy(dtype=float, na_value=np.nan).tolist()]
    else:
        kind = "string"
        missing = series.isna().to_numpy()
        texts = [None if gone else str(v) for v, gone in zip(series.tolist(), missing,
                                                              strict=True)]
        values = [inert_text(t) if t else None for t in texts]
    getattr(sheet, CELLS)(col, first, values, kind, formats)


def _write_text(sheet, row: int, col: int, value: str, cell_format=None) -> None:
    sheet.write_string(row, col, inert_text(value), cell_format)


def _width(series: pd.Series, title: str) -> float:
    """Characters a column needs: its longest value, or its header's longest word (the
    header wraps), between ``WIDTH_LIMITS``."""
    low, high = WIDTH_LIMITS
    present = series.dropna()
    if present.empty:
        content = 0
    elif pd.api.types.is_datetime64_any_dtype(series):
        content = len("2026-12-31 23:59")
    elif pd.api.types.is_float_dtype(series):
        content = len(f"{present.abs().max():,.2f}") + 1
    else:
        content = int(present.astype("str").str.len().max())
    word = max(len(w) for w in title.split())
    return float(min(high, max(low, content, word, math.ceil(len(title) / 3)) + 2))


def _cover(sheet, styles: _Styles, result: AuditResult, institutions: pd.DataFrame) -> None:
    """What was audited, when, against which rubric, how completely, and from which files.

    The manifest is read without the clustering's settings, which hold its stability (30
    refits, computed when first read): the cover is the workbook's first sheet, and another
    process renders the others only after it (``write.py``), while this one computes the
    stability for the files that show it."""
    lang = result.lang
    data, rubric, manifest = result.data, result.rubric, result.manifest(clusters=False)

    def t(key: str, **values: object) -> str:
        return text(f"report.{key}", lang, **values)

    sheet.set_column(0, 0, 48)
    sheet.set_column(1, 1, 70)
    sheet.set_column(2, 4, 14)
    _write_text(sheet, 0, 0, t("title", rubric=rubric.label[lang]), styles["title"])
    errors = len(result.scorecard.errors)
    status = t("status_audited_with_errors", n=errors) if errors else t("status_audited")
    start = data.as_of - dt.timedelta(days=rubric.window_days - 1)
    coverage = institutions["coverage"]
    levels = institutions["maturity_level"]
    rows: list[tuple[str, object, str | None]] = [
        (t("status"), status, "wrap"),
        (t("institutions"), len(institutions), "count"),
        (t("profiles"), manifest["counts"]["profiles"], "count"),
        (t("as_of"), data.as_of, "date"),
        (t("as_of_source"), t(f"as_of_{data.as_of_source}"), None),
        (t("window"), t("window_span", days=rubric.window_days, start=start.isoformat(),
                        end=data.as_of.isoformat()), None),
        (t("posts_sample"), t("posts_sample_yes" if manifest["window"]["posts_sample"]
                              else "posts_sample_no"), None),
        (t("rubric"), f"{rubric.label[lang]} ({rubric.id})", None),
        (t("rubric_version"), rubric.version, None),
        (t("rubric_sha256"), rubric.sha256, None),
        (t("software"), __version__, None),
        None,
        (t("coverage"), None, "section"),
        (t("coverage_median"), coverage.median(), "share"),
        (t("coverage_min"), coverage.min(), "share"),
        (t("with_level"), int(levels.notna().sum()), "count"),
        (t("without_level"), int(levels.isna().sum()), "count"),
        None,
        (t("levels"), None, "section"),
        *[(t("level_row", level=level["level"], label=level["label"][lang]),
           int((levels == level["level"]).sum()), "count") for level in rubric.levels],
        None,
        (t("problems"), None, "section"),
        *[(t(f"severity_{s}"), manifest["problems"]["by_severity"][s], "count")
          for s in SEVERITIES],
        None,
        (t("inputs"), None, "section"),
    ]
    row = 2
    for entry in rows:
        if entry is not None:
            label, value, kind = entry
            _write_text(sheet, row, 0, label, styles["section" if kind == "section" else
                                                        "label"])
            _cover_value(sheet, row, value, kind, styles)
        row += 1
    columns = ("file", "sha256", "format", "bytes")
    for col, column in enumerate(columns):
        _write_text(sheet, row, col, text(f"report.col_{column}", lang), styles["header"])
    for entry in manifest["inputs"]:
        row += 1
        _write_text(sheet, row, 0, entry["name"])
        _write_text(sheet, row, 1, entry["sha256"])
        _write_text(sheet, row, 2, entry["format"])
        sheet.write_number(row, 3, entry["bytes"], styles["count"])
    _write_text(sheet, row + 2, 0, t("sheets_note"))


def _cover_value(sheet, row: int, value: object, kind: str | None, styles: _Styles) -> None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return
    if kind == "date":
        sheet.write_datetime(row, 1, dt.datetime.combine(value, dt.time()), styles["date"])
    elif isinstance(value, str):
        _write_text(sheet, row, 1, value, styles[kind] if kind else None)
    else:
        sheet.write_number(row, 1, float(value), styles[kind])


def _charts(sheet, styles: _Styles, result: AuditResult,
            institutions: pd.DataFrame) -> None:
    """One bar chart of the dimension scores per sector, each beside the table it draws: at
    most ``CHART_INSTITUTIONS`` institutions (the highest overall scores), so that a large
    observatory still gives charts one can read; the note under the title says how many."""
    lang = result.lang
    dimensions = [(d["id"], d["label"][lang]) for d in result.rubric.dimensions]
    name = sheet_name("chart", lang)
    sheet.set_column(0, 0, 40)
    sheet.set_column(1, len(dimensions), 12)
    sectors = institutions["sector"].fillna("")
    row = 0
    for sector in sorted(sectors.unique(), key=lambda s: _sector_label(s, lang)):
        group = institutions[sectors == sector].sort_values(
            ["overall_score", "institution"], ascending=[False, True], na_position="last")
        shown = group.head(CHART_INSTITUTIONS)
        title = text("report.chart_title", lang, sector=_sector_label(sector, lang))
        note = (text("report.chart_all", lang, total=len(group)) if len(shown) == len(group)
                else text("report.chart_first", lang, shown=len(shown), total=len(group),
                          sheet=sheet_name("institutions", lang)))
        _write_text(sheet, row, 0, title, styles["section"])
        _write_text(sheet, row + 1, 0, note)
        top, first, last = row + 2, row + 3, row + 2 + len(shown)
        _write_text(sheet, top, 0, text("report.col_institution", lang), styles["header"])
        for col, (dimension, label) in enumerate(dimensions, start=1):
            _write_text(sheet, top, col, label, styles["header"])
            _write_values(sheet, col, shown[dimension], styles.number(dimension), first)
        _write_values(sheet, 0, shown["institution"], None, first)
        sheet.conditional_format(first, 1, last, len(dimensions), _SCORE_SCALE)
        chart = Recorder({"type": "bar"})
        for col, _ in enumerate(dimensions, start=1):
            chart.add_series({"name": [name, top, col],
                              "categories": [name, first, 0, last, 0],
                              "values": [name, first, col, last, col], "gap": 60})
        chart.set_title({"name": title, "name_font": {"size": 12}})
        chart.set_x_axis({"min": 0, "max": 100, "major_unit": 25,
                          "name": text("report.chart_axis", lang)})
        chart.set_y_axis({"reverse": True})
        chart.set_legend({"position": "bottom"})
        height = 140 + 6 * len(dimensions) * len(shown)
        chart.set_size({"width": 760, "height": height})
        sheet.insert_chart(row, len(dimensions) + 2, chart)
        row += max(len(shown) + 3, math.ceil(height / 20)) + 2


def _sector_label(sector: str, lang: str) -> str:
    if not sector:
        return text("report.no_sector", lang)
    labels = SECTOR_LABELS.get(sector)
    return labels[0 if lang == "es" else 1] if labels else sector
