"""The history database: save, list, load and delete audits in one SQLite file.

Why SQLite through the standard library: one file the auditor can copy, nothing to
install or run, and transactions that survive a crash. Each save is one transaction
(``BEGIN IMMEDIATE`` ... ``COMMIT``) in write-ahead-log mode: a process killed in the
middle of a save leaves the file as it was before the save began, and a reader (the app)
is never blocked by a writer (the command line). Opening a database migrates it to the
current schema (``schema.py``); one written by a newer version of the tool is refused
rather than misread.

    with History(history_path()) as history:
        audit_id = history.save(result)     # or a StoredAudit
        history.audits()                   # one row per audit, oldest first
        history.load(audit_id)             # a StoredAudit
        history.previous(key, as_of)       # the last audit of an institution before a date
        history.earlier(stored)            # the audits before one, newest first
        history.trend(key)                 # an institution's level and scores, audit by audit
        history.delete(audit_id)
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pandas as pd

from audit.history.record import COLUMNS, HistoryError, StoredAudit, snapshot
from audit.history.schema import VERSION, migrate, version
from audit.messages import msg
from audit.result import AuditResult

__all__ = ["BUSY_TIMEOUT_S", "History"]

#: How long a writer waits for another one to finish before giving up.
BUSY_TIMEOUT_S = 10.0
_META = ["saved_at", "as_of", "lang", "window_days", "posts_sample", "software_version",
         "rubric_id", "rubric_version", "rubric_sha256", "levels_sha256", "status"]


class History:
    """An open history database (a context manager: ``with History(path) as h``)."""

    def __init__(self, path: str | Path, *, create: bool = True):
        """Open (and, with ``create``, create) the database at ``path`` and bring its schema
        up to date. Raises HistoryError when it cannot be used: not found (``create`` off),
        not a database, or written by a newer version of the tool."""
        self.path = Path(path)
        if not create and not self.path.exists():
            raise HistoryError(msg("history.not_found", path=self.path))
        try:
            if create:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S,
                                         isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise HistoryError(msg("history.cannot_open", path=self.path,
                                   error=str(exc))) from exc
        try:
            self._prepare()
        except BaseException:
            self._conn.close()
            raise

    def _prepare(self) -> None:
        try:
            found = version(self._conn)
            if found > VERSION:
                raise HistoryError(msg("history.newer", path=self.path, found=found,
                                       known=VERSION))
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA foreign_keys = ON")
            migrate(self._conn)
        except sqlite3.DatabaseError as exc:
            raise HistoryError(msg("history.cannot_open", path=self.path,
                                   error=str(exc))) from exc

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- writing ---------------------------------------------------------------------------

    def save(self, audit: StoredAudit | AuditResult) -> int:
        """Store ``audit`` (an audit's result is snapshot first) in one transaction and
        return its new id."""
        if isinstance(audit, AuditResult):
            audit = snapshot(audit)
        meta = audit.meta
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            cursor = self._conn.execute(
                f"INSERT INTO audits ({', '.join(_META)}) VALUES "
                f"({', '.join('?' * len(_META))})",
                [int(meta[k]) if k == "posts_sample" else meta[k] for k in _META])
            audit_id = cursor.lastrowid
            for name, columns in COLUMNS.items():
                self._insert(name, columns, audit_id, audit.tables[name])
            self._conn.execute("COMMIT")
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        return audit_id

    def _insert(self, table: str, columns: list[str], audit_id: int,
                frame: pd.DataFrame) -> None:
        rows = [(audit_id, *row) for row in frame[columns].itertuples(index=False, name=None)]
        self._conn.executemany(
            f"INSERT INTO {table} (audit_id, {', '.join(columns)}) VALUES "
            f"(?, {', '.join('?' * len(columns))})", rows)

    def delete(self, audit_id: int) -> None:
        """Remove one audit and everything stored with it (one transaction)."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            deleted = self._conn.execute("DELETE FROM audits WHERE id = ?",
                                         (audit_id,)).rowcount
            self._conn.execute("COMMIT")
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        if not deleted:
            raise HistoryError(msg("history.unknown_id", audit=audit_id, path=self.path))

    # --- reading ---------------------------------------------------------------------------

    def audits(self) -> pd.DataFrame:
        """One row per stored audit, by audit date then id: id, the metadata, the number of
        institutions and the input file names."""
        frame = pd.read_sql_query(
            "SELECT a.id, a.as_of, a.saved_at, a.lang, a.rubric_id, a.rubric_version, "
            "a.rubric_sha256, a.window_days, a.posts_sample, a.status, "
            "(SELECT COUNT(*) FROM institutions i WHERE i.audit_id = a.id) AS institutions, "
            "(SELECT group_concat(name, ', ') FROM inputs n WHERE n.audit_id = a.id) "
            "AS inputs FROM audits a ORDER BY a.as_of, a.id", self._conn)
        frame["posts_sample"] = frame["posts_sample"].astype(bool)
        return frame

    def load(self, audit_id: int) -> StoredAudit:
        """The stored audit ``audit_id``; HistoryError if there is none."""
        row = self._conn.execute(f"SELECT id, {', '.join(_META)} FROM audits WHERE id = ?",
                                 (audit_id,)).fetchone()
        if row is None:
            raise HistoryError(msg("history.unknown_id", audit=audit_id, path=self.path))
        meta = dict(zip(["id", *_META], row, strict=True))
        meta["posts_sample"] = bool(meta["posts_sample"])
        tables = {name: pd.read_sql_query(
            f"SELECT {', '.join(columns)} FROM {name} WHERE audit_id = ? ORDER BY rowid",
            self._conn, params=(audit_id,)) for name, columns in COLUMNS.items()}
        tables["actions"]["in_plan"] = tables["actions"]["in_plan"].astype(bool)
        return StoredAudit(meta=meta, tables=tables)

    def of_institution(self, key: str, before: dt.date | None = None) -> list[int]:
        """The ids of the audits holding institution ``key`` (see ``institution_key``),
        oldest first by audit date then id; with ``before``, only those dated earlier."""
        query = ("SELECT a.id FROM audits a JOIN institutions i ON i.audit_id = a.id "
                 "WHERE i.key = ?")
        params: list = [key]
        if before is not None:
            query += " AND a.as_of < ?"
            params.append(before.isoformat())
        return [row[0] for row in self._conn.execute(query + " ORDER BY a.as_of, a.id",
                                                     params)]

    def previous(self, key: str, as_of: dt.date) -> StoredAudit | None:
        """The last stored audit of institution ``key`` dated before ``as_of``, if any."""
        ids = self.of_institution(key, before=as_of)
        return self.load(ids[-1]) if ids else None

    def earlier(self, audit: StoredAudit) -> list[StoredAudit]:
        """The stored audits dated before ``audit`` (on the same date: saved before it),
        newest first: what ``progress`` reads to count how many audits in a row raised an
        action."""
        rows = self._conn.execute(
            "SELECT id FROM audits WHERE as_of < ? OR (as_of = ? AND id < ?) "
            "ORDER BY as_of DESC, id DESC",
            (audit.meta["as_of"], audit.meta["as_of"], audit.id or 0)).fetchall()
        return [self.load(row[0]) for row in rows]

    def trend(self, key: str) -> pd.DataFrame:
        """Every stored audit of institution ``key``: audit id, date, rubric, level,
        overall score and coverage, and one column per dimension score, oldest first."""
        base = pd.read_sql_query(
            "SELECT a.id AS audit_id, a.as_of, a.rubric_id, a.rubric_version, i.institution, "
            "i.level, i.level_label_es, i.level_label_en, i.overall, i.coverage "
            "FROM audits a JOIN institutions i ON i.audit_id = a.id WHERE i.key = ? "
            "ORDER BY a.as_of, a.id", self._conn, params=(key,))
        dims = pd.read_sql_query(
            "SELECT d.audit_id, d.dimension, d.score FROM dimensions d JOIN institutions i "
            "ON i.audit_id = d.audit_id AND i.institution = d.institution WHERE i.key = ?",
            self._conn, params=(key,))
        wide = dims.pivot(index="audit_id", columns="dimension", values="score")
        return base.join(wide, on="audit_id")

    def integrity(self) -> str:
        """SQLite's own check of the file ('ok' when sound)."""
        return self._conn.execute("PRAGMA integrity_check").fetchone()[0]
