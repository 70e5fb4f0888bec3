"""A persistent cache of per-token verdicts, so that a second audit does not judge again the
words the first one judged.

Judging a distinct token (spelling verdict, syllables, warmth markers, the other-language
test) is the Python part of the text measures; an audit of a million posts has about 85,000
distinct tokens, and most of them come back in the next audit and in every shard of a
sharded one (each shard is a process of its own and would judge the words it shares with the
others again). The cache keeps each token's row of the token table (see `tokens`) on disk.

Where: ``$AUDIT_CACHE_DIR``, else the user's cache folder (platformdirs);
``AUDIT_CACHE_DIR=off`` turns it off. One SQLite file per version of the rules
(``tokens-<version>.sqlite3``), in write-ahead-log mode, holding one snapshot of every token
judged so far: an Arrow IPC stream of three columns (the raw token, its row of integers, its
flags as JSON or null). Reading it is a handful of C calls (the blob, the Arrow columns, a
hashed look-up of the wanted tokens, a gather of their rows) instead of one Python object per
token: a row per token with its own JSON text cost about 0.5 s per process on a million
posts. Each write is one ``BEGIN IMMEDIATE`` transaction that reads the snapshot again, adds
the tokens it lacks and replaces it: concurrent audits and shard processes read while one
writes, never see half a write, and never lose another's tokens. A file of an earlier layout
(a table of one JSON row per token) is ignored and its table dropped at the next write.

The version is a hash of everything a verdict depends on, computed, not bumped by hand, so it
cannot be forgotten: the source of the modules that judge a token (this package's
``tokens``, ``spelling``, ``lexicon``, ``readability``, ``warmth``, ``language``), wordfreq's
version and Spanish data files, pyphen's version and Spanish dictionary, and Python's Unicode
version (NFKC and ``str.isalpha`` follow it). A change of any of them starts a new file.

A cache that cannot be read or written (a file that is not a database, a full disk, a folder
without permission) is reported once per process as a warning on stderr, in Spanish and
English, and set aside: the tokens are judged again, never taken from it. A snapshot that
does not decode or has the wrong shape is never trusted either: it is reported and replaced
by the tokens judged now.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np
import platformdirs
import pyarrow as pa
import pyarrow.compute as pc

from audit.messages import text

__all__ = ["ENV_VAR", "OFF", "cache_file", "cached_rows", "rules_version"]

ENV_VAR = "AUDIT_CACHE_DIR"
#: The value of ENV_VAR that turns the cache off.
OFF = "off"
_APP_FOLDER = "auditoria-redes"
# Seconds a writer waits for another process's write before giving up (and warning).
_BUSY_TIMEOUT_S = 30.0
# The modules of this package whose source decides a token's row.
_RULE_MODULES = ("tokens", "spelling", "lexicon", "readability", "warmth", "language")
# The table of the earlier layout (one JSON row per token), dropped when a snapshot is written.
_OLD_TABLE = "token"

_log = logging.getLogger(__name__)
_state = {"broken": False, "warned": False}

#: (row, flagged) of one token: its row of the token table and its flags, each
#: (word, reason, suggestion).
Judged = tuple[tuple[int, ...], tuple[tuple[str, str, str], ...]]


@lru_cache(maxsize=1)
def rules_version() -> str:
    """A short hash of everything a token's verdict depends on (see the module docstring)."""
    import pyphen
    import wordfreq

    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in _RULE_MODULES:
        digest.update((here / f"{name}.py").read_bytes())
    wf_data = Path(wordfreq.__file__).resolve().parent / "data"
    data_files = sorted(wf_data.glob("*_es.msgpack.gz"))
    data_files.append(Path(pyphen.LANGUAGES["es"]))
    for path in data_files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for part in (metadata.version("wordfreq"), metadata.version("pyphen"),
                 unicodedata.unidata_version):
        digest.update(part.encode())
    return digest.hexdigest()[:16]


def cache_file() -> Path | None:
    """The cache file to use, or None when the cache is off. Nothing is created here."""
    chosen = os.environ.get(ENV_VAR, "").strip()
    if chosen.lower() == OFF:
        return None
    folder = Path(chosen).expanduser() if chosen else \
        platformdirs.user_cache_path(_APP_FOLDER, appauthor=False)
    return folder / f"tokens-{rules_version()}.sqlite3"


def cached_rows(raws: list[str], judge: Callable[[str], Judged],
                n_columns: int) -> tuple[np.ndarray, list[tuple]]:
    """The rows (int64, one per raw token, ``n_columns`` wide) and the flags of each raw
    token: from the cache when it has it, else from ``judge``; the tokens judged here are
    added to the cache.

    ``n_columns`` is the length of a row: a stored row of another length is a corrupt cache.
    """
    path = None if _state["broken"] else cache_file()
    if path is None:
        return _judged_rows(raws, judge, n_columns)
    rows = np.zeros((len(raws), n_columns), dtype=np.int64)
    flagged: list[tuple] = [()] * len(raws)
    try:
        at = _look_up(path, raws, n_columns, rows, flagged)
    except (sqlite3.Error, OSError) as exc:
        _set_aside(path, exc)
        return _judged_rows(raws, judge, n_columns)
    except ValueError as exc:  # a snapshot that does not decode: replaced below
        _warn(path, exc, "cache.rebuilt")
        at = np.full(len(raws), -1, dtype=np.int64)
    missing = np.flatnonzero(at < 0).tolist()
    if missing:
        new_raws = [raws[k] for k in missing]
        new_rows, new_flags = _judged_rows(new_raws, judge, n_columns)
        rows[missing] = new_rows
        for k, flags in zip(missing, new_flags, strict=True):
            flagged[k] = flags
        try:
            _write(path, _encode(new_raws, new_rows, new_flags, n_columns), n_columns)
        except (sqlite3.Error, OSError) as exc:
            _set_aside(path, exc)
    return rows, flagged


def _look_up(path: Path, raws: list[str], n_columns: int, rows: np.ndarray,
             flagged: list[tuple]) -> np.ndarray:
    """Fill ``rows`` and ``flagged`` with what the snapshot holds of those raw tokens; the
    index of each in the snapshot, -1 for those it lacks."""
    stored = _read(path, n_columns)
    if stored is None:
        return np.full(len(raws), -1, dtype=np.int64)
    wanted = pa.array(raws, type=pa.string())
    at = pc.fill_null(pc.index_in(wanted, value_set=stored.column("raw")), -1) \
        .to_numpy(zero_copy_only=False).astype(np.int64)
    hit = np.flatnonzero(at >= 0)
    if len(hit):
        rows[hit] = _rows_of(stored, n_columns)[at[hit]]
        for k, flags in zip(hit.tolist(), _flags_of(stored, at[hit]), strict=True):
            flagged[k] = flags
    return at


def _judged_rows(raws: list[str], judge: Callable[[str], Judged],
                 n_columns: int) -> tuple[np.ndarray, list[tuple]]:
    judged = [judge(raw) for raw in raws]
    rows = np.array([row for row, _flags in judged], dtype=np.int64).reshape(-1, n_columns)
    return rows, [flags for _row, flags in judged]


def _schema(n_columns: int) -> pa.Schema:
    return pa.schema([("raw", pa.string()), ("row", pa.list_(pa.int64(), n_columns)),
                      ("flagged", pa.string())])


def _encode(raws: list[str], rows: np.ndarray, flagged: list[tuple],
            n_columns: int) -> pa.Table:
    """A snapshot of those tokens: flags as JSON, null for the many tokens without any."""
    values = pa.array(np.ascontiguousarray(rows, dtype=np.int64).ravel())
    return pa.Table.from_arrays(
        [pa.array(raws, type=pa.string()),
         pa.FixedSizeListArray.from_arrays(values, n_columns),
         pa.array([json.dumps(f, ensure_ascii=False, separators=(",", ":")) if f else None
                   for f in flagged], type=pa.string())],
        schema=_schema(n_columns))


def _decode(blob: bytes, n_columns: int) -> pa.Table:
    """The snapshot in a blob, checked: its schema, its buffers and its tokens' uniqueness
    (a ValueError otherwise)."""
    try:
        with pa.ipc.open_stream(blob) as reader:
            table = reader.read_all()
        table.validate(full=True)
    except (pa.ArrowException, OSError) as exc:  # a cut stream is an ArrowIOError
        raise ValueError(f"the cached snapshot does not decode: {exc}") from exc
    if not table.schema.equals(_schema(n_columns)):
        raise ValueError("a cached snapshot of the wrong shape")
    raw = table.column("raw")
    if raw.null_count or pc.count_distinct(raw).as_py() != len(raw):
        raise ValueError("a cached snapshot with a missing or repeated token")
    if table.column("row").null_count:
        raise ValueError("a cached snapshot with a missing row")
    return table.combine_chunks()


def _rows_of(table: pa.Table, n_columns: int) -> np.ndarray:
    return table.column("row").combine_chunks().flatten().to_numpy().reshape(-1, n_columns)


def _flags_of(table: pa.Table, at: np.ndarray) -> list[tuple]:
    """The flags of the tokens at those indexes of the snapshot, checked for shape: one JSON
    document for all of them (a parse per token would cost as much as judging some)."""
    texts = table.column("flagged").take(pa.array(at)).to_pylist()
    present = [k for k, t in enumerate(texts) if t is not None]
    flagged: list[tuple] = [()] * len(texts)
    if not present:
        return flagged
    decoded = json.loads("[" + ",".join(texts[k] for k in present) + "]")
    if not all(isinstance(flags, list) and flags and all(
            isinstance(f, list) and len(f) == 3 and all(isinstance(s, str) for s in f)
            for f in flags) for flags in decoded):
        raise ValueError("a cached flag of the wrong shape")
    for k, flags in zip(present, decoded, strict=True):
        flagged[k] = tuple(tuple(f) for f in flags)
    return flagged


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, timeout=_BUSY_TIMEOUT_S, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("CREATE TABLE IF NOT EXISTS snapshot"
                    " (id INTEGER PRIMARY KEY CHECK (id = 1), data BLOB NOT NULL)")
    except sqlite3.Error:
        con.close()
        raise
    return con


def _stored(con: sqlite3.Connection, n_columns: int) -> pa.Table | None:
    found = con.execute("SELECT data FROM snapshot WHERE id = 1").fetchone()
    return None if found is None else _decode(found[0], n_columns)


def _read(path: Path, n_columns: int) -> pa.Table | None:
    """The stored snapshot (None when there is none yet), checked for shape."""
    if not path.exists():
        return None
    con = _connect(path)
    try:
        return _stored(con, n_columns)
    finally:
        con.close()


def _write(path: Path, new: pa.Table, n_columns: int) -> None:
    """Add the tokens of ``new`` the snapshot lacks, read again inside the transaction so
    that another process's write in between is kept; a snapshot that does not decode is
    replaced (it was already reported by the read)."""
    con = _connect(path)
    try:
        con.execute("BEGIN IMMEDIATE")
        try:
            try:
                stored = _stored(con, n_columns)
            except ValueError:
                stored = None
            if stored is not None:
                fresh = pc.invert(pc.is_in(new.column("raw"), value_set=stored.column("raw")))
                new = pa.concat_tables([stored, new.filter(fresh)])
            sink = pa.BufferOutputStream()
            with pa.ipc.new_stream(sink, new.schema) as writer:
                writer.write_table(new.combine_chunks())
            con.execute("INSERT OR REPLACE INTO snapshot (id, data) VALUES (1, ?)",
                        (sink.getvalue().to_pybytes(),))
            con.execute(f"DROP TABLE IF EXISTS {_OLD_TABLE}")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    finally:
        con.close()


def _warn(path: Path, exc: BaseException, message: str = "cache.unusable") -> None:
    """One warning per process, in Spanish and English."""
    if _state["warned"]:
        return
    _state["warned"] = True
    values = {"path": str(path), "error": f"{type(exc).__name__}: {exc}"}
    _log.warning("%s / %s", text(message, "es", **values), text(message, "en", **values))


def _set_aside(path: Path, exc: BaseException) -> None:
    """Warn once per process and judge every token again from now on."""
    _state["broken"] = True
    _warn(path, exc)
