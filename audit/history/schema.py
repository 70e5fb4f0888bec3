"""The history database's tables and the migrations that build them, one per version.

The schema version is SQLite's own ``PRAGMA user_version``. ``MIGRATIONS[i]`` takes a
database at version ``i`` to ``i + 1``; a new database runs them all, an older one only the
ones it lacks, each in its own transaction with the version bump, so a migration either
happens entirely or not at all. A change to the tables is a new function appended to
``MIGRATIONS``, never an edit of an old one: a database written by an earlier version of
the tool must still open.

    audits       one row per saved audit: dates, language, window, software, rubric
    inputs       the files it read: name, sha256, size
    institutions level, overall score, coverage; ``key`` matches it across audits
    dimensions   score, coverage (share of its weight evaluated), weight, label
    criteria     score (empty = not evaluated), status, weight, metric, label
    profiles     network, handle, status: what reactivated or closed
    actions      recommended actions: id, criteria covered, tier, horizon, rank, title

Nothing here holds a text a citizen wrote: no evidence, no post, no comment. An action's
title is the rubric's label of what it covers, not the action text (which may quote the
oldest complaint waiting).

Version 1 matched institutions by their name as written; version 2 adds the normalised
``key`` (so "Ayuntamiento de Prueba" and "AYUNTAMIENTO DE PRUEBA" are one institution) and
the fingerprint of the rubric's maturity levels (whether two levels can be compared).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from audit.ingest.contract import normalize_name

__all__ = ["MIGRATIONS", "VERSION", "institution_key", "migrate", "version"]

_V1 = (
    """CREATE TABLE audits (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        saved_at TEXT NOT NULL,
        as_of TEXT NOT NULL,
        lang TEXT NOT NULL,
        window_days INTEGER,
        posts_sample INTEGER NOT NULL,
        software_version TEXT NOT NULL,
        rubric_id TEXT NOT NULL,
        rubric_version TEXT NOT NULL,
        rubric_sha256 TEXT NOT NULL,
        status TEXT NOT NULL)""",
    """CREATE TABLE inputs (
        audit_id INTEGER NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        bytes INTEGER)""",
    """CREATE TABLE institutions (
        audit_id INTEGER NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
        institution TEXT NOT NULL,
        sector TEXT,
        country TEXT,
        level INTEGER,
        level_label_es TEXT,
        level_label_en TEXT,
        overall REAL,
        coverage REAL,
        PRIMARY KEY (audit_id, institution))""",
    """CREATE TABLE dimensions (
        audit_id INTEGER NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
        institution TEXT NOT NULL,
        dimension TEXT NOT NULL,
        score REAL,
        coverage REAL,
        weight REAL,
        label_es TEXT,
        label_en TEXT,
        PRIMARY KEY (audit_id, institution, dimension))""",
    """CREATE TABLE criteria (
        audit_id INTEGER NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
        institution TEXT NOT NULL,
        dimension TEXT NOT NULL,
        criterion TEXT NOT NULL,
        metric TEXT,
        score REAL,
        status TEXT NOT NULL,
        weight REAL,
        label_es TEXT,
        label_en TEXT,
        PRIMARY KEY (audit_id, institution, dimension, criterion))""",
    """CREATE TABLE profiles (
        audit_id INTEGER NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
        institution TEXT NOT NULL,
        network TEXT NOT NULL,
        handle TEXT NOT NULL,
        status TEXT NOT NULL)""",
    """CREATE TABLE actions (
        audit_id INTEGER NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
        institution TEXT NOT NULL,
        action_id TEXT NOT NULL,
        dimension TEXT,
        criteria TEXT,
        tier TEXT,
        horizon TEXT,
        rank INTEGER,
        in_plan INTEGER NOT NULL,
        title_es TEXT,
        title_en TEXT)""",
    "CREATE INDEX criteria_by_audit ON criteria(audit_id, institution)",
    "CREATE INDEX profiles_by_audit ON profiles(audit_id, institution)",
    "CREATE INDEX actions_by_audit ON actions(audit_id, institution)",
)


def institution_key(name: str) -> str:
    """The name institutions are matched by across audits: case, accents and separators
    folded, the same rule the reader uses to match a governance answer to its profiles."""
    return normalize_name(name)


def _v1(conn: sqlite3.Connection) -> None:
    for statement in _V1:
        conn.execute(statement)


def _v2(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE institutions ADD COLUMN key TEXT")
    names = [row[0] for row in conn.execute("SELECT DISTINCT institution FROM institutions")]
    conn.executemany("UPDATE institutions SET key = ? WHERE institution = ?",
                     [(institution_key(name), name) for name in names])
    conn.execute("CREATE INDEX institutions_by_key ON institutions(key)")
    conn.execute("ALTER TABLE audits ADD COLUMN levels_sha256 TEXT")


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_v1, _v2)
VERSION = len(MIGRATIONS)


def version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection) -> tuple[int, int]:
    """Bring the database (opened in autocommit mode) to ``VERSION``; returns (version
    found, version now). A database newer than this code is left untouched: the caller
    refuses it, because an older tool would misread tables it does not know."""
    found = version(conn)
    for step in range(found, VERSION):
        conn.execute("BEGIN IMMEDIATE")
        try:
            if version(conn) == step:  # another process may have migrated meanwhile
                MIGRATIONS[step](conn)
                conn.execute(f"PRAGMA user_version = {step + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return found, version(conn)
