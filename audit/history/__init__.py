"""The history of audits: each saved audit's scores, statuses and actions in one SQLite
file, and the progress of every institution from one audit to the next.

    location  where the file is (--history PATH, $AUDIT_HISTORY, the user's data folder)
    schema    its tables and the migrations between versions (PRAGMA user_version)
    record    StoredAudit: what is kept of an audit (no text a citizen wrote), snapshot()
    store     History: save, list, load, delete, the previous audit, the trend
    progress  progress(current, previous): level, overall, dimensions, profiles, actions
    since     each institution's change since its own previous audit, its trend, and how
              many audits in a row raised each action (what the reports show)
    describe  the same as lines to read and records for JSON

A stage after ``result``: it reads an ``AuditResult`` and nothing that made it, and the
report may show the progress it computes.
"""

from audit.history.describe import (
    audit_lines,
    audit_record,
    audits_lines,
    audits_records,
    progress_lines,
    progress_record,
    signed,
)
from audit.history.location import ENV_VAR, history_path
from audit.history.progress import (
    ACTION_STATES,
    PROFILE_CHANGES,
    Comparability,
    InstitutionProgress,
    Progress,
    comparability,
    progress,
)
from audit.history.record import HistoryError, StoredAudit, snapshot
from audit.history.schema import VERSION, institution_key
from audit.history.since import TREND_COLUMNS, Since, raised_before, since_previous
from audit.history.store import History

__all__ = ["ACTION_STATES", "ENV_VAR", "PROFILE_CHANGES", "TREND_COLUMNS", "VERSION",
           "Comparability", "History", "HistoryError", "InstitutionProgress", "Progress",
           "Since", "StoredAudit",
           "audit_lines", "audit_record", "audits_lines", "audits_records", "comparability",
           "history_path", "institution_key", "progress", "progress_lines", "progress_record",
           "raised_before", "signed", "since_previous", "snapshot"]
