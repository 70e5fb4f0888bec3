"""Load a rubric: the YAML file that holds every threshold and the guideline behind it.

A rubric is named (``gobierno``, a file in ``rubrics/``) or given by path. Loading checks
the file and reports each mistake with the file, the key and what was expected, because
rubrics are edited by auditors, not only by developers.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml

__all__ = ["RUBRICS_DIR", "Rubric", "RubricError", "load_rubric"]

RUBRICS_DIR = Path(__file__).resolve().parent.parent / "rubrics"


class RubricError(ValueError):
    """A rubric file that cannot be used; the message lists every mistake found."""


@dataclass(frozen=True)
class Rubric:
    id: str
    version: str
    label: dict[str, str]
    data: dict
    sha256: str
    path: str

    @property
    def status_days(self) -> dict[str, float]:
        return self.data["profile_status"]["days"]

    @property
    def window_days(self) -> int:
        return int(self.data["profile_status"]["window_days"])


def load_rubric(name_or_path: str = "gobierno") -> Rubric:
    """Read and check a rubric by name (a file in rubrics/) or by path."""
    path = Path(name_or_path)
    if not path.suffix:
        path = RUBRICS_DIR / f"{name_or_path}.yaml"
    try:
        raw = path.read_bytes()
    except OSError as exc:
        known = ", ".join(sorted(p.stem for p in RUBRICS_DIR.glob("*.yaml")))
        raise RubricError(f"{path.name}: cannot be read ({exc.strerror}); known rubrics: {known}") \
            from None
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise RubricError(f"{path.name}: not valid YAML: {exc}") from None
    mistakes = _check(data)
    if mistakes:
        raise RubricError("\n".join(f"{path.name}: {m}" for m in mistakes))
    return Rubric(id=str(data["id"]), version=str(data["version"]), label=data["label"],
                  data=data, sha256=hashlib.sha256(raw).hexdigest(), path=path.name)


def _check(data: object) -> list[str]:
    if not isinstance(data, dict):
        return ["the file must be a mapping of keys (id, version, label, ...)"]
    mistakes = []
    for key in ("id", "version"):
        if not isinstance(data.get(key), str) or not data.get(key):
            mistakes.append(f"'{key}': expected a non-empty text")
    label = data.get("label")
    if not isinstance(label, dict) or not all(isinstance(label.get(k), str) for k in ("es", "en")):
        mistakes.append("'label': expected texts for 'es' and 'en'")
    status = data.get("profile_status")
    if not isinstance(status, dict):
        return [*mistakes, "'profile_status': expected a mapping with 'days' and 'window_days'"]
    days = status.get("days")
    names = ("active", "irregular", "inactive")
    if not isinstance(days, dict) or not all(_positive(days.get(k)) for k in names):
        mistakes.append("'profile_status.days': expected positive numbers for "
                        "active, irregular and inactive")
    elif not days["active"] <= days["irregular"] <= days["inactive"]:
        mistakes.append("'profile_status.days': expected active <= irregular <= inactive")
    if not _positive(status.get("window_days")):
        mistakes.append("'profile_status.window_days': expected a positive number of days")
    return mistakes


def _positive(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0
