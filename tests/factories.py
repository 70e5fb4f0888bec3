"""Build checks' input (Features) from tiny hand-written sheets, through the real reading path.

The checks read ``Features`` only, so these builders stop there: read, validate, profile
statuses (with the default rubric's thresholds), features. No scoring, recommendations or
clustering run, which keeps a check test in milliseconds instead of a whole audit.
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl

from audit import load_rubric
from audit.ingest.problems import ProblemLog
from audit.ingest.reader import read_inputs
from audit.ingest.validate import validate
from audit.measure.features import Features, build_features
from audit.measure.profile_status import profile_activity

AS_OF = dt.date(2026, 10, 31)


def workbook(profiles: list[list], posts: list[list] | None = None,
             interactions: list[list] | None = None,
             governance: list[list] | None = None) -> bytes:
    """An .xlsx file of the given sheets (each a header row, contract names, then rows)."""
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
    return buffer.getvalue()


def features_of(sources: list[tuple[str, bytes]], as_of: dt.date = AS_OF,
                window_days: int | None = None, posts_sample: bool = False) -> Features:
    """The features an audit of ``sources`` (name, bytes) would score, without scoring them
    (over the default rubric's window unless ``window_days`` is given). Fails, showing the
    problems, when the input is not usable."""
    log = ProblemLog()
    read = read_inputs(sources, log)
    assert not log.fatal, log.frame("en").to_string()
    data = validate(read, log, as_of=as_of)
    assert not data.profiles.empty, log.frame("en").to_string()
    rubric = load_rubric()
    window = window_days or rubric.window_days
    profiles = profile_activity(data, rubric.status_days, window, posts_sample)
    return build_features(data, profiles, rubric.status_days, window, posts_sample)


def features(profiles: list[list], posts: list[list] | None = None,
             interactions: list[list] | None = None, governance: list[list] | None = None,
             as_of: dt.date = AS_OF, window_days: int | None = None,
             posts_sample: bool = False) -> Features:
    """Each argument is a sheet: a header row (contract names, English) then data rows."""
    return features_of([("test.xlsx", workbook(profiles, posts, interactions, governance))],
                       as_of=as_of, window_days=window_days, posts_sample=posts_sample)


def dimension_score(f: Features, dimension: str):
    """One dimension's score per institution (0-100), computed by the real scorecard."""
    from audit.score.scorecard import score_audit

    return score_audit(f, load_rubric()).dimensions[dimension]
