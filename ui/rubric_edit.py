"""A rubric as editable tables, and back; YAML in and out.

The Rubric page lets an auditor change what the rubric file would: dimension and criterion
weights, each criterion's target and the control points of its scoring curve, and the day
thresholds of the profile statuses. The edited tables are written back into a copy of the
rubric's data and validated by the library (``rubric_from_data``), so an edited rubric obeys
exactly the rules a file does and carries its own sha256 into the audit record.
"""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path

import pandas as pd
import yaml

from audit import Rubric, load_rubric, rubric_from_data

__all__ = ["EDITED_SUFFIX", "apply_edits", "criteria_frame", "dimension_frame",
           "from_upload", "status_frame", "to_yaml"]

EDITED_SUFFIX = "+edited"
# Scoring keys an auditor may edit, per curve type (the rest stay as the file has them).
SCORING_FIELDS = {"lognormal": ("good", "median"), "share": ("target",),
                  "inverse_share": ("max",)}
_SCORING_COLUMNS = {"good": "good", "median": "median", "target": "share_target",
                    "max": "max"}


def status_frame(rubric: Rubric) -> pd.DataFrame:
    status = rubric.data["profile_status"]
    days = status["days"]
    return pd.DataFrame([{"active": days["active"], "irregular": days["irregular"],
                          "inactive": days["inactive"], "window_days": status["window_days"]}])


def dimension_frame(rubric: Rubric, lang: str) -> pd.DataFrame:
    return pd.DataFrame([{"dimension": d["id"], "label": d["label"][lang],
                          "weight": float(d["weight"])} for d in rubric.dimensions])


def criteria_frame(rubric: Rubric, lang: str) -> pd.DataFrame:
    rows = []
    for dimension, criterion in rubric.criteria():
        scoring = criterion["scoring"]
        row = {"dimension": dimension["id"], "criterion": criterion["id"],
               "dimension_label": dimension["label"][lang], "label": criterion["label"][lang],
               "type": scoring["type"], "weight": float(criterion["weight"]),
               "target": float(criterion["target"]),
               "good": None, "median": None, "share_target": None, "max": None}
        for key in SCORING_FIELDS.get(scoring["type"], ()):
            row[_SCORING_COLUMNS[key]] = float(scoring[key])
        rows.append(row)
    frame = pd.DataFrame(rows)
    for column in ("good", "median", "share_target", "max"):
        frame[column] = frame[column].astype("float64")
    return frame


def _tidy(value: object) -> int | float:
    """Whole numbers back as int, so the YAML reads as the auditor typed it."""
    number = float(value)
    return int(number) if number.is_integer() else number


def apply_edits(rubric: Rubric, status: pd.DataFrame, dimensions: pd.DataFrame,
                criteria: pd.DataFrame, version: str) -> Rubric:
    """A new rubric: ``rubric`` with the edited tables written in. Raises ``RubricError``
    (listing every mistake) when the result is not a valid rubric."""
    data = copy.deepcopy(rubric.data)
    data.pop("extends", None)  # the data are already merged with the rubric they extended
    data["version"] = version
    row = status.iloc[0]
    days = data["profile_status"]["days"]
    for key in ("active", "irregular", "inactive"):
        days[key] = _number_or_none(row[key])
    data["profile_status"]["window_days"] = _number_or_none(row["window_days"])
    by_id = {d["id"]: d for d in data["dimensions"]}
    for edited in dimensions.itertuples():
        by_id[edited.dimension]["weight"] = _number_or_none(edited.weight)
    for edited in criteria.itertuples():
        criterion = next(c for c in by_id[edited.dimension]["criteria"]
                         if c["id"] == edited.criterion)
        criterion["weight"] = _number_or_none(edited.weight)
        criterion["target"] = _number_or_none(edited.target)
        scoring = criterion["scoring"]
        for key in SCORING_FIELDS.get(scoring["type"], ()):
            scoring[key] = _number_or_none(getattr(edited, _SCORING_COLUMNS[key]))
    return rubric_from_data(data, f"{rubric.id}.yaml")


def _number_or_none(value: object) -> int | float | None:
    """An emptied cell stays empty, so the library's check names it instead of a crash."""
    if value is None or pd.isna(value):
        return None
    return _tidy(value)


def to_yaml(rubric: Rubric) -> bytes:
    """The rubric as a complete YAML file (merged: it no longer needs the one it extended)."""
    data = {k: v for k, v in rubric.data.items() if k != "extends"}
    header = (f"# Rubric {rubric.id} {rubric.version}, exported by the audit app.\n"
              f"# sha256 of the rubric it was exported from: {rubric.sha256}\n")
    return (header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True,
                                    width=100)).encode("utf-8")


def from_upload(name: str, data: bytes) -> Rubric:
    """Load an uploaded rubric as ``load_rubric`` loads a file (so ``extends:`` works and
    YAML errors are reported the same way). Raises ``RubricError``."""
    safe_name = Path(name).name or "rubric.yaml"
    if not safe_name.endswith((".yaml", ".yml")):
        safe_name += ".yaml"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / safe_name
        path.write_bytes(data)
        return load_rubric(str(path))
