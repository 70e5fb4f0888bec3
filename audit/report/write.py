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

The tables are computed once, for the CSVs, the research exports and the workbook. A large
workbook (``CHILD_MIN_SCORES`` criterion rows or more) is written by another process while
this one writes the CSVs and research exports: its cells cost XlsxWriter more than every
other file together. That process is a new interpreter (``python -m
audit.report.excel_render``), not a fork: the audit's process has Arrow's and numpy's
threads running, and a fork may copy a held lock into the child; nor a ``multiprocessing``
process, which runs the caller's script again when it has no ``__main__`` guard. It imports
only XlsxWriter, starts while this process builds the tables, and is sent the workbook's
plan through a pipe one sheet at a time, every cell already converted, writing each while
the next is made. An error there is raised here as the same exception; a process that dies
is a ``WriteError``. Either way nothing is written: every file is made before the first is.
Because it is a new interpreter, it works from any caller (the command line, a script, the
app's server); ``excel_report``, which the app's download calls, renders in the caller.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import json
import os
import pickle
import queue
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from audit.gc_pause import gc_paused
from audit.messages import Message, msg
from audit.report import excel_render
from audit.report.excel import REPORT_FILE, excel_parts
from audit.report.research_exports import EXPORT_NAMES, research_exports
from audit.report.tables import TABLE_NAMES, csv_text, tables, with_raised_before
from audit.result import AuditResult

__all__ = ["CHILD_MIN_SCORES", "ERROR_LOG", "GROUP_FILE", "LOCK_NAME", "OUTPUT_NAMES",
           "PDF_FOLDER", "PDF_NAME", "FolderError", "OutputError", "WriteError",
           "output_folder", "write_atomic", "write_files", "write_outputs"]

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
# From this many rows in scores.csv (criteria x institutions; 40,000 at a thousand
# institutions) the workbook is written by another process: below, its 0.2 s start costs
# more than the workbook (the demo's takes 0.05 s).
CHILD_MIN_SCORES = 10_000


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
    try:
        with gc_paused():
            contents = _contents(result, raised_before)
    except _RenderFailed as exc:
        raise WriteError(msg("cli.write_failed", path=out / REPORT_FILE,
                             reason=str(exc))) from exc
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
    card = result.scorecard
    with _workbook_writer(card is not None and len(card.scores) >= CHILD_MIN_SCORES) as book:
        frames = tables(result)
        report = book(excel_parts(result, frames)) if card is not None else None
        for name, frame in with_raised_before(frames, raised_before).items():
            files[f"{name}.csv"] = csv_text(frame).encode("utf-8")
        if report is not None:
            files.update((name, content.encode("utf-8"))
                         for name, content in research_exports(result, frames).items())
            files[REPORT_FILE] = report()
    files[MANIFEST] = (json.dumps(result.manifest(), indent=2, sort_keys=True,
                                  ensure_ascii=False) + "\n").encode("utf-8")
    return files


class _RenderFailed(Exception):
    """The process rendering the workbook ended without an answer (killed, out of memory)."""


@contextmanager
def _workbook_writer(in_child: bool) -> Iterator[Callable]:
    """``book(parts)`` takes the parts of a workbook's plan (``excel_parts``) and returns
    what gives its bytes: written in another process when ``in_child`` (started here, at
    once, so that it is ready when the first part is; each part is written there while this
    process makes the next), else in this one when the bytes are asked for. The process
    ends with the block."""
    if not in_child:
        def here(parts) -> Callable[[], bytes]:
            plan = excel_render.WorkbookPlan.joined(parts)
            return lambda: excel_render.render(plan)
        yield here
        return
    root = str(Path(excel_render.__file__).resolve().parents[2])  # where ``audit`` is
    path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)
    with tempfile.TemporaryFile() as errors:  # its stderr: a traceback if it dies
        process = subprocess.Popen([sys.executable, "-m", excel_render.__name__],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors,
                                   env={**os.environ, "PYTHONPATH": path})
        pickled: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()

        def feed() -> None:  # in a thread: the pipe's waits for the other process free the GIL
            try:
                while (data := pickled.get()) is not None:
                    process.stdin.write(data)
                process.stdin.close()
            except OSError:  # it stopped reading: its answer or its exit status says why
                pass

        feeder = threading.Thread(target=feed)
        feeder.start()

        def book(parts) -> Callable[[], bytes]:
            for part in itertools.chain(parts, [None]):  # None: the plan's end, over there
                pickled.put(pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL))
            pickled.put(None)  # the feeder's end

            def bytes_of() -> bytes:
                answer = process.stdout.read()
                if process.wait() != 0:
                    errors.seek(0)
                    lines = errors.read().decode("utf-8", "replace").strip().splitlines()
                    raise _RenderFailed(lines[-1] if lines else f"exit status {process.returncode}")
                done, value = pickle.loads(answer)
                if not done:
                    raise value
                return value
            return bytes_of

        try:
            yield book
        finally:
            if process.poll() is None:  # this process failed first: the workbook is not needed
                process.kill()
            pickled.put(None)  # the feeder's end, if ``book`` never gave it
            feeder.join()
            process.wait()
            for pipe in (process.stdin, process.stdout):
                with contextlib.suppress(OSError):  # unwritten bytes: the process is gone
                    pipe.close()


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
