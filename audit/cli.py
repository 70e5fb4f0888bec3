"""Command line: ``python -m audit run INPUT... --out DIR [--as-of DATE] [--lang es|en]``.

Exit status: 0 audited (possibly with row problems), 2 input unusable, 1 internal error.
A user never sees a traceback: an internal error prints one line and the log file that
holds the details.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import traceback
from pathlib import Path

from .rubric import RubricError

__all__ = ["main"]

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT = 0, 1, 2

TEXT = {
    "es": {
        "done": "Auditoría completada a {as_of}: {institutions} instituciones, {profiles} "
                "perfiles, {posts} publicaciones, {interactions} interacciones.",
        "problems": "Problemas en los datos: {error} errores, {warning} avisos, {info} notas "
                    "(ver {path}).",
        "unusable": "No se puede auditar: la entrada no se puede usar.",
        "written": "Resultados en {out}",
        "internal": "Error interno inesperado ({kind}). Detalles en {log}",
        "rubric": "Rúbrica no válida:",
        "bad_date": "Fecha de auditoría no válida: {value} (se espera AAAA-MM-DD).",
    },
    "en": {
        "done": "Audit completed as of {as_of}: {institutions} institutions, {profiles} "
                "profiles, {posts} posts, {interactions} interactions.",
        "problems": "Data problems: {error} errors, {warning} warnings, {info} notes "
                    "(see {path}).",
        "unusable": "Cannot audit: the input is unusable.",
        "written": "Results in {out}",
        "internal": "Unexpected internal error ({kind}). Details in {log}",
        "rubric": "Invalid rubric:",
        "bad_date": "Invalid audit date: {value} (expected YYYY-MM-DD).",
    },
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m audit",
        description="Social media audit of public institutions / Auditoría de redes sociales "
                    "de instituciones públicas.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="audit workbooks, CSV files or zips")
    run.add_argument("inputs", nargs="+", metavar="INPUT", help=".xlsx .xlsm .ods .csv .zip")
    run.add_argument("--out", required=True, metavar="DIR", help="output folder")
    run.add_argument("--as-of", metavar="YYYY-MM-DD",
                     help="audit date (default: the latest date in the data)")
    run.add_argument("--lang", choices=("es", "en"), default="es",
                     help="language of messages (default: es)")
    run.add_argument("--rubric", default="gobierno", metavar="NAME|PATH",
                     help="rubric name in rubrics/ or a YAML file (default: gobierno)")
    run.add_argument("--timezone", default="UTC", metavar="ZONE",
                     help="zone of dates written without one, e.g. Europe/Madrid (default: UTC)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    text = TEXT[args.lang]
    try:
        return _run(args, text)
    except Exception as exc:  # the last line of defence: log it, say one line
        log = _log_path(args.out)
        log.write_text(traceback.format_exc(), encoding="utf-8")
        print(text["internal"].format(kind=type(exc).__name__, log=log), file=sys.stderr)
        return EXIT_INTERNAL


def _run(args: argparse.Namespace, text: dict[str, str]) -> int:
    from .outputs import write_outputs
    from .pipeline import run_audit

    as_of = None
    if args.as_of:
        try:
            as_of = dt.date.fromisoformat(args.as_of)
        except ValueError:
            print(text["bad_date"].format(value=args.as_of), file=sys.stderr)
            return EXIT_INPUT
    try:
        result = run_audit(args.inputs, as_of=as_of, lang=args.lang, rubric=args.rubric,
                           assume_tz=args.timezone)
    except RubricError as exc:
        print(text["rubric"], exc, sep="\n", file=sys.stderr)
        return EXIT_INPUT
    written = write_outputs(result, args.out)
    counts = result.problems.counts()["by_severity"]
    problems_path = next(p for p in written if p.name == "problems.csv")
    if not result.usable:
        print(text["unusable"], file=sys.stderr)
        for line in result.problems.fatal_lines(args.lang):
            print(f"  - {line}", file=sys.stderr)
        print(text["problems"].format(path=problems_path, **counts), file=sys.stderr)
        return EXIT_INPUT
    manifest = result.manifest()
    print(text["done"].format(as_of=manifest["as_of"], **manifest["counts"]))
    print(text["problems"].format(path=problems_path, **counts))
    print(text["written"].format(out=args.out))
    return EXIT_OK


def _log_path(out: str | None) -> Path:
    """Where to put a traceback: the output folder if it can be written, else a temp file."""
    try:
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        return folder / "audit-error.log"
    except (OSError, TypeError):
        return Path(tempfile.mkstemp(prefix="audit-error-", suffix=".log")[1])
