"""Write an audit's results as files, in one folder: the tables, the research exports and
``audit.json``. The file list and its byte-for-byte rules are in ``report/tables.py``.

A folder of results is what an auditor signs, so it must never mix two audits or hold half
of one:

- **checked first**: ``output_folder`` refuses a path that is a file, a folder that cannot
  be created or written, before any audit work is done (``FolderError``);
- **one audit at a time**: it holds a lock on ``.audit.lock`` in the folder while the audit
  runs and writes; a second audit into the same folder is refused at once (``FolderError``).
  The lock is the operating system's (``filelock``): it ends with the process that holds
  it, so a crashed audit never leaves a stale lock, and the file left behind is harmless;
- **no stale results**: the files of a previous audit (only the names this product writes,
  ``OUTPUT_NAMES``, and in ``pdf/`` the PDFs named as the product names them,
  ``PDF_NAME``: lower-case ASCII letters, digits and "-", never anything else) are removed
  before the new ones are written, so a failed audit never leaves old results beside its
  ``audit.json``, nor an institution's scorecard from an audit it is no longer in;
- **whole files only**: each file is written under a temporary name in the same folder and
  renamed (``os.replace``, atomic within a file system: ``write_atomic``, which the PDFs
  use too), ``audit.json`` last. If writing
  fails (disk full, permission), the files of this audit written so far are removed as well
  and ``WriteError`` says what happened: the folder never holds an incomplete set.

Every CSV is written by ``tables.csv_text``: its text cells never begin with a formula.
"""

from __future__ import annotations

import errno
import json
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from audit.gc_pause import gc_paused
from audit.messages import Message, msg
from audit.report.excel import REPORT_FILE, excel_report
from audit.report.research_exports import EXPORT_NAMES, research_exports
from audit.report.tables import TABLE_NAMES, csv_text, tables
from audit.result import AuditResult

__all__ = ["ERROR_LOG", "GROUP_FILE", "LOCK_NAME", "OUTPUT_NAMES", "PDF_FOLDER", "PDF_NAME",
           "FolderError", "OutputError", "WriteError", "output_folder", "write_atomic",
           "write_files", "write_outputs"]

LOCK_NAME = ".audit.lock"
MANIFEST = "audit.json"
ERROR_LOG = "audit-error.log"  # the command line's record of an internal error
# Every file an audit may leave in its folder: removed before an audit writes its own.
OUTPUT_NAMES = frozenset({f"{name}.csv" for name in TABLE_NAMES} | set(EXPORT_NAMES)
                         | {REPORT_FILE, MANIFEST, ERROR_LOG})
PDF_FOLDER = "pdf"  # the --pdf scorecards and group report (audit/report/pdf.py)
GROUP_FILE = "group_report.pdf"
# The PDFs this product writes: <slug>.pdf, <slug>-<hash>.pdf, <hash>.pdf, group_report.pdf
PDF_NAME = re.compile(r"(?:[a-z0-9]+(?:-[a-z0-9]+)*|group_report)\.pdf")
_PARTIAL = ".partial"  # suffix of a file being written: ``.<name>.<pid>.partial``


class OutputError(Exception):
    """The results cannot be written; ``message`` says why, in the user's language."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.render("en"))
        self.message = message


class FolderError(OutputError):
    """The output folder cannot be used (a file, not writable, busy): found before the audit."""


class WriteError(OutputError):
    """Writing failed part way (disk full, permission): nothing of this audit was kept."""


@contextmanager
def output_folder(out_dir: str | Path) -> Iterator[Path]:
    """The output folder, created if needed, checked and locked for one audit."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise FolderError(msg("cli.out_not_folder", out=out))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FolderError(msg("cli.out_cannot_create", out=out, reason=_reason(exc))) from exc
    if not os.access(out, os.W_OK | os.X_OK):
        raise FolderError(msg("cli.out_not_writable", out=out,
                              reason=os.strerror(errno.EACCES)))
    lock = FileLock(out / LOCK_NAME, timeout=0)
    try:
        lock.acquire()
    except Timeout as exc:
        raise FolderError(msg("cli.out_busy", out=out, lock=LOCK_NAME)) from exc
    except OSError as exc:
        raise FolderError(msg("cli.out_not_writable", out=out, reason=_reason(exc))) from exc
    try:
        yield out
    finally:
        lock.release()


def write_outputs(result: AuditResult, out_dir: str | Path) -> list[Path]:
    """Write every output file; with an unusable input, only problems.csv and audit.json.
    The folder is checked and locked while writing (see the module's docstring)."""
    with output_folder(out_dir) as out:
        return write_files(result, out)


def write_files(result: AuditResult, out: Path,
                raised_before: Mapping[tuple[str, str], int] | None = None) -> list[Path]:
    """Write every output file into ``out``, a folder held by ``output_folder``: first
    remove a previous audit's files, then write each file whole, ``audit.json`` last.
    ``raised_before``: from the history, for recommendations.csv (see tables.py)."""
    with gc_paused():
        contents = _contents(result, raised_before)
    _clear(out)
    written: list[Path] = []
    try:
        for name, data in contents.items():
            path = out / name
            write_atomic(path, data)
            written.append(path)
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        key = {errno.ENOSPC: "cli.disk_full", errno.EDQUOT: "cli.disk_full",
               errno.EACCES: "cli.write_denied", errno.EPERM: "cli.write_denied",
               errno.EROFS: "cli.write_denied"}.get(exc.errno, "cli.write_failed")
        raise WriteError(msg(key, path=out / name, reason=_reason(exc))) from exc
    return written


def _contents(result: AuditResult,
              raised_before: Mapping[tuple[str, str], int] | None) -> dict[str, bytes]:
    """File name -> bytes of every output, in the order they are written."""
    files = {}
    for name, frame in tables(result, raised_before).items():
        files[f"{name}.csv"] = csv_text(frame).encode("utf-8")
    if result.scorecard is not None:
        files.update((name, content.encode("utf-8"))
                     for name, content in research_exports(result).items())
        files[REPORT_FILE] = excel_report(result)
    files[MANIFEST] = (json.dumps(result.manifest(), indent=2, sort_keys=True,
                                  ensure_ascii=False) + "\n").encode("utf-8")
    return files


def _clear(out: Path) -> None:
    """Remove the files a previous audit left in ``out`` and its ``pdf/``, and any
    half-written ones: only names this product writes."""
    for path in out.iterdir():
        if _ours(path.name, OUTPUT_NAMES.__contains__) and path.is_file():
            path.unlink()
    pdfs = out / PDF_FOLDER
    if pdfs.is_dir():
        for path in pdfs.iterdir():
            if _ours(path.name, PDF_NAME.fullmatch) and path.is_file():
                path.unlink()


def _ours(name: str, written) -> bool:
    """True when ``name`` is a file this product writes (``written(name)``), or one it
    was writing (``.<name>.<pid>.partial``)."""
    if name.startswith(".") and name.endswith(_PARTIAL):
        name = name[1:].rsplit(".", 2)[0]
    return bool(written(name))


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all: into a temporary file beside it, then
    renamed over it; the temporary file is removed if anything fails."""
    partial = path.with_name(f".{path.name}.{os.getpid()}{_PARTIAL}")
    try:
        with open(partial, "wb") as handle:
            handle.write(data)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__
