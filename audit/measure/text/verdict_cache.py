"""A persistent cache of per-token verdicts, so that a second audit does not judge again the
words the first one judged.

Judging a distinct token (spelling verdict, syllables, warmth markers, the other-language
test) is the Python part of the text measures; an audit of a million posts has about 85,000
distinct tokens, and most of them come back in the next audit and in every shard of a
sharded one (each shard is a process of its own and would judge the words it shares with the
others again). The cache keeps each token's row of the token table (`tokens._TokenInfo`) on
disk.

Where: ``$AUDIT_CACHE_DIR``, else the user's cache folder (platformdirs);
``AUDIT_CACHE_DIR=off`` turns it off. One SQLite file per version of the rules
(``tokens-<version>.sqlite3``), in write-ahead-log mode, each write one ``BEGIN IMMEDIATE``
transaction of ``INSERT OR IGNORE``: concurrent audits and shard processes read while one
writes and never see half a write, and two processes adding the same token agree on its row.

The version is a hash of everything a verdict depends on, computed, not bumped by hand, so it
cannot be forgotten: the source of the modules that judge a token (this package's
``tokens``, ``spelling``, ``lexicon``, ``readability``, ``warmth``, ``language``), wordfreq's
version and Spanish data files, pyphen's version and Spanish dictionary, and Python's Unicode
version (NFKC and ``str.isalpha`` follow it). A change of any of them starts a new file.

A cache that cannot be read or written (a corrupt file, a full disk, a folder without
permission, a row of the wrong shape) is reported once per process as a warning on stderr,
in Spanish and English, and set aside: the tokens are judged again, never taken from it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np
import platformdirs

from audit.messages import text

__all__ = ["ENV_VAR", "OFF", "cache_file", "cached_infos", "rules_version"]

ENV_VAR = "AUDIT_CACHE_DIR"
#: The value of ENV_VAR that turns the cache off.
OFF = "off"
_APP_FOLDER = "auditoria-redes"
# Rows per look-up query: well under SQLite's limit of bound parameters.
_CHUNK = 500
# Seconds a writer waits for another process's write before giving up (and warning).
_BUSY_TIMEOUT_S = 30.0
# The modules of this package whose source decides a token's row.
_RULE_MODULES = ("tokens", "spelling", "lexicon", "readability", "warmth", "language")

_log = logging.getLogger(__name__)
_state = {"broken": False}


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


def cached_infos(raws: list[str], judge: Callable[[str], tuple[tuple[int, ...], tuple]],
                 n_columns: int) -> list[tuple[tuple[int, ...], tuple]]:
    """(row, flagged) for each raw token: from the cache when it has it, else from
    ``judge``; the tokens judged here are added to the cache.

    ``n_columns`` is the length of a row: a stored row of another length is a corrupt cache.
    """
    path = None if _state["broken"] else cache_file()
    if path is None:
        return [judge(raw) for raw in raws]
    try:
        known = _read(path, raws, n_columns)
    except (sqlite3.Error, OSError, ValueError, TypeError) as exc:
        _set_aside(path, exc)
        return [judge(raw) for raw in raws]
    result = []
    new: list[tuple[str, str]] = []
    for raw in raws:
        hit = known.get(raw)
        if hit is None:
            hit = judge(raw)
            new.append((raw, json.dumps(hit, ensure_ascii=False, separators=(",", ":"))))
        result.append(hit)
    if new:
        try:
            _write(path, new)
        except (sqlite3.Error, OSError) as exc:
            _set_aside(path, exc)
    return result


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, timeout=_BUSY_TIMEOUT_S, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("CREATE TABLE IF NOT EXISTS token (raw TEXT PRIMARY KEY, info TEXT NOT NULL)"
                    " WITHOUT ROWID")
    except sqlite3.Error:
        con.close()
        raise
    return con


def _read(path: Path, raws: list[str], n_columns: int) -> dict[str, tuple]:
    """The cached (row, flagged) of those raw tokens the file has; checked for shape."""
    if not path.exists():
        return {}
    found: list[tuple[str, str]] = []
    con = _connect(path)
    try:
        for start in range(0, len(raws), _CHUNK):
            chunk = raws[start:start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            found.extend(con.execute(f"SELECT raw, info FROM token WHERE raw IN ({marks})",
                                     chunk))
    finally:
        con.close()
    if not found:
        return {}
    # One JSON document for all rows: a parse per row would cost as much as judging some.
    decoded = json.loads("[" + ",".join(info for _raw, info in found) + "]")
    rows = np.array([row for row, _flagged in decoded])
    if rows.dtype != np.int64 or rows.shape != (len(found), n_columns):
        raise ValueError("cached rows of the wrong shape")
    if not all(len(f) == 3 and all(isinstance(s, str) for s in f)
               for _row, flagged in decoded for f in flagged):
        raise ValueError("a cached flag of the wrong shape")
    return {raw: (tuple(row), tuple(tuple(f) for f in flagged))
            for (raw, _info), (row, flagged) in zip(found, decoded, strict=True)}


def _write(path: Path, rows: Iterable[tuple[str, str]]) -> None:
    con = _connect(path)
    try:
        con.execute("BEGIN IMMEDIATE")
        con.executemany("INSERT OR IGNORE INTO token (raw, info) VALUES (?, ?)", rows)
        con.execute("COMMIT")
    finally:
        con.close()


def _set_aside(path: Path, exc: BaseException) -> None:
    """Warn once per process and judge every token again from now on."""
    _state["broken"] = True
    values = {"path": str(path), "error": f"{type(exc).__name__}: {exc}"}
    _log.warning("%s / %s", text("cache.unusable", "es", **values),
                 text("cache.unusable", "en", **values))
