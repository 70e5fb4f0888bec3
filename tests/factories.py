"""Build checks' input (Features) from tiny hand-written sheets, through the real pipeline."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl

from audit import run_audit
from audit.measure.features import Features

AS_OF = dt.date(2026, 10, 31)


def features(profiles: list[list], posts: list[list] | None = None,
             interactions: list[list] | None = None, governance: list[list] | None = None,
             as_of: dt.date = AS_OF) -> Features:
    """Each argument is a sheet: a header row (contract names, English) then data rows."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in (("profiles", profiles), ("posts", posts),
                       ("interactions", interactions), ("governance", governance)):
        if rows:
            sheet = book.create_sheet(name)
            for row in rows:
                sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    result = run_audit([("test.xlsx", buffer.getvalue())], as_of=as_of)
    assert result.usable, result.problems.frame("en").to_string()
    return result.features


def dimension_score(f: Features, dimension: str):
    """One dimension's score per institution (0-100), computed by the real scorecard."""
    from audit import load_rubric
    from audit.score.scorecard import score_audit

    return score_audit(f, load_rubric()).dimensions[dimension]
