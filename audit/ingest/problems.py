"""Every problem found in the input, collected in one pass and explained in the user's language.

A problem is one row of a tidy table, the table an auditor reads to fix the data:

    severity  error   the row (or, with no row, the whole file) cannot be used
              warning the row is used after a fix-up (a value ignored, a network inferred)
              info    nothing is wrong, but the auditor should know (an extra column kept,
                      a row outside the audited period)
    file, sheet, row (as Excel shows it, header = 1), column (as the user wrote it), value,
    code (stable, English, machine-readable) and message (Spanish or English).

The log keeps each problem's code and parameters; its message is the catalogue's
``problems.<code>`` (``audit/messages/problems.yaml``), rendered in the language asked for,
so the same log serves either language.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from audit.messages import catalogue, msg, text_lenient

__all__ = ["COLUMNS", "SEVERITIES", "ProblemLog", "problem_codes", "reason"]

SEVERITIES = ("error", "warning", "info")
COLUMNS = ["severity", "file", "sheet", "row", "column", "value", "code", "message"]
_VALUE_CHARS = 200
_AREA = "problems."


def problem_codes() -> list[str]:
    """Every problem code the catalogue explains."""
    return [id.removeprefix(_AREA) for id in catalogue() if id.startswith(_AREA)]


def reason(exc: Exception) -> str:
    """An exception said in one short line, for a problem's ``{reason}``: the library's own
    words (they name what is wrong with the file), never its traceback."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:_VALUE_CHARS]


def _details(params: dict) -> dict:
    """The problem's parameters plus the sentence parts several messages share."""
    hint = params.get("suggestion")
    kind = f"expected.{params.get('kind', '')}"
    return {**params,
            "suggestion": msg("hints.did_you_mean", hint=hint) if hint else "",
            "expected": msg(kind) if kind in catalogue() else ""}


def _cell(value: object) -> str:
    """Show a cell's value as text, short enough for a table."""
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, pd.Timestamp):
        value = value.strftime("%Y-%m-%d %H:%M") + (" UTC" if value.tzinfo else "")
    text = str(value)
    return text if len(text) <= _VALUE_CHARS else text[: _VALUE_CHARS - 1] + "…"


@dataclass
class ProblemLog:
    """Collects problems from every stage; renders them as one table in either language."""

    _records: list[dict] = field(default_factory=list)

    def add(self, severity: str, code: str, *, file: str = "", sheet: str = "",
            row: int | None = None, column: str = "", value: object = None, **params) -> None:
        """Record one problem. ``row=None`` means the problem concerns the whole file or sheet."""
        if severity not in SEVERITIES:
            raise ValueError(f"unknown severity {severity!r}")
        if _AREA + code not in catalogue():
            raise ValueError(f"unknown problem code {code!r}")
        self._records.append({
            "severity": severity, "file": file, "sheet": sheet, "row": row, "column": column,
            "value": _cell(value), "code": code, "params": params,
        })

    def add_rows(self, severity: str, code: str, *, file: str, sheet: str, rows: Sequence[int],
                 column: str, values: Iterable[object], per_row: dict | None = None,
                 **params) -> None:
        """Record the same problem for many rows at once; ``per_row`` holds parameters that vary."""
        per_row = per_row or {}
        for i, (row, value) in enumerate(zip(rows, values, strict=True)):
            row_params = {**params, **{k: v[i] for k, v in per_row.items()}}
            self.add(severity, code, file=file, sheet=sheet, row=int(row), column=column,
                     value=value, **row_params)

    def without(self, code: str) -> ProblemLog:
        """A copy of the log without the problems of ``code`` (a re-score logs its own)."""
        return ProblemLog([dict(r) for r in self._records if r["code"] != code])

    def lines(self, code: str, lang: str = "es") -> list[str]:
        """One line per problem of ``code``, for the terminal."""
        table = self.frame(lang)
        table = table[table["code"] == code]
        return [f"{r.column}: {r.message} ({r.value})" for r in table.itertuples()]

    def __len__(self) -> int:
        return len(self._records)

    def has_error(self, file: str) -> bool:
        """True when ``file`` (or a sheet or member of it) already has an error."""
        return any(r["severity"] == "error" and r["file"].startswith(file) for r in self._records)

    @property
    def fatal(self) -> bool:
        """True when some file cannot be used at all (an error that names no row)."""
        return any(r["severity"] == "error" and r["row"] is None for r in self._records)

    def counts(self) -> dict:
        """Problem counts by severity and by code, for the audit manifest."""
        by_severity = Counter(r["severity"] for r in self._records)
        by_code = Counter(r["code"] for r in self._records)
        return {
            "total": len(self._records),
            "by_severity": {s: by_severity.get(s, 0) for s in SEVERITIES},
            "by_code": dict(sorted(by_code.items())),
        }

    def frame(self, lang: str = "es") -> pd.DataFrame:
        """The problem table with messages in ``lang`` ('es' or 'en'), in a stable order."""
        rows = []
        for record in self._records:
            message = text_lenient(_AREA + record["code"], lang, **_details(record["params"]))
            rows.append({k: record[k] for k in COLUMNS if k != "message"} | {"message": message})
        table = pd.DataFrame(rows, columns=COLUMNS)
        table["row"] = table["row"].astype("Int64")
        order = {s: i for i, s in enumerate(SEVERITIES)}
        table["_severity"] = table["severity"].map(order)
        table = table.sort_values(["file", "sheet", "row", "_severity", "column", "code"],
                                  kind="stable", na_position="first")
        return table.drop(columns="_severity").reset_index(drop=True)

    def fatal_lines(self, lang: str = "es") -> list[str]:
        """One line per problem that stops a file, for the terminal."""
        table = self.frame(lang)
        table = table[(table["severity"] == "error") & table["row"].isna()]
        return [
            f"{r.file}{' [' + r.sheet + ']' if r.sheet else ''}: {r.message}"
            for r in table.itertuples()
        ]
