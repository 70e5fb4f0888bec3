"""Command line: ``python -m audit run INPUT... --out DIR [--as-of DATE] [--lang es|en]``.

Peer clustering: ``--cluster-method kmeans|ward``, ``--clusters K`` (2-8; default: the best
silhouette) and ``--cluster-size`` (audience size joins the distances); see audit/peers/clusters.py.
``--map sheet.column=header,...`` or ``--map preset.yaml`` says which header is which column
where the contract's names do not (see audit/ingest/mapping.py).

``python -m audit code evaluate FILE --text COL --label COL [--folds K] [--label2 COL]``
prints cross-validated figures of a content classifier as JSON; ``code train ... --out
MODEL`` also saves the model (see audit/research/coding.py).

``run ... --workers N --engine local|dask [--scheduler ADDRESS]`` scores the institutions
in shards, in N processes or on a Dask cluster, with the same results (see docs/scale.md).

``run ... --history [PATH]`` also saves the audit to the history of audits; ``python -m audit
history list|show ID|compare ID1 ID2|delete ID [--json]`` reads it (see audit/history/).

Every line it prints is a ``cli.*`` or ``history.*`` message of the catalogue
(audit/messages/cli.yaml, history.yaml).

Exit status: 0 audited (possibly with row problems), 2 input unusable or an option that
cannot be used (``--out`` a file, not writable, or busy with another audit: found before the
audit starts), 1 internal error (a crash, or a check that failed: the outputs are written
but must not be signed; or writing the results failed, disk full or permission denied: then
none of them is kept). The output folder is locked while an audit writes there and a
previous audit's files are removed first, so two audits never mix (audit/report/write.py).
A user never sees a traceback: an internal error prints one line and the log file that
holds the details.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import sys
import tempfile
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from audit.ingest.archive import ArchiveLimits
from audit.messages import msg, text
from audit.research.errors import CodingError

if TYPE_CHECKING:  # the stages are imported where used: a refusal or --help stays quick
    from audit.ingest.mapping import ColumnMapping
    from audit.peers.clusters import ClusterSettings

__all__ = ["main"]

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT = 0, 1, 2

def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m audit",
        description="Social media audit of public institutions / Auditoría de redes sociales "
                    "de instituciones públicas.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="audit workbooks, CSV files or zips")
    run.add_argument("inputs", nargs="+", metavar="INPUT",
                     help=".xlsx .xlsm .ods .csv .parquet .zip, or a folder of them")
    run.add_argument("--out", required=True, metavar="DIR", help="output folder")
    run.add_argument("--as-of", metavar="YYYY-MM-DD",
                     help="audit date (default: the latest date in the data)")
    run.add_argument("--lang", choices=("es", "en"), default="es",
                     help="language of messages (default: es)")
    run.add_argument("--rubric", default="gobierno", metavar="NAME|PATH",
                     help="rubric name in rubrics/ or a YAML file (default: gobierno)")
    run.add_argument("--content-model", metavar="MODEL",
                     help="code every post with a model from 'code train' and add the "
                          "content mix per institution (content_mix.csv)")
    run.add_argument("--timezone", default="UTC", metavar="ZONE",
                     help="zone of dates written without one, e.g. Europe/Madrid (default: UTC)")
    run.add_argument("--window-days", metavar="N",
                     help="audit window: days before the audit date whose posts every "
                          "post-based measure reads (default: the rubric's, "
                          "profile_status.window_days)")
    run.add_argument("--posts-sample", action="store_true",
                     help="the posts sheet is a sample, not full timelines: recency, "
                          "frequency, regularity and statuses come only from the profiles "
                          "sheet")
    run.add_argument("--quote-citizens", action="store_true",
                     help="quote citizens' texts in the evidence, with their personal data "
                          "masked (default: counted and located, never quoted)")
    run.add_argument("--cluster-method", choices=("kmeans", "ward"), default="kmeans",
                     help="peer clustering method (default: kmeans)")
    run.add_argument("--clusters", metavar="K",
                     help="fixed number of peer clusters, 2-8 (default: best silhouette)")
    run.add_argument("--cluster-size", action="store_true",
                     help="add audience size, log10(1 + followers), to the clustering")
    run.add_argument("--pdf", action="store_true",
                     help="also write pdf/<institution>.pdf scorecards and pdf/group_report.pdf")
    run.add_argument("--institution", metavar="NAME",
                     help="only this institution's PDF scorecard (implies --pdf)")
    run.add_argument("--map", action="append", metavar="SHEET.COLUMN=HEADER,...|PRESET.yaml",
                     help="column mapping: which header is which column, inline or as a "
                          "preset file; may be repeated (see docs/column-mapping.md)")
    run.add_argument("--max-unzipped-mb", type=int, default=ArchiveLimits.max_unzipped_mb,
                     metavar="MB", help="refuse a zip or workbook that expands beyond this "
                     "(default: %(default)s)")
    run.add_argument("--max-zip-members", type=int, default=ArchiveLimits.max_members,
                     metavar="N", help="refuse a zip of more files (default: %(default)s)")
    run.add_argument("--workers", metavar="N",
                     help="processes that score the institutions in shards, from 100,000 "
                          f"posts (default: this machine's cores, {os.cpu_count() or 1}; see "
                          "docs/scale.md)")
    run.add_argument("--engine", default="local", metavar="local|dask",
                     help="where the shards run: local processes or a Dask cluster "
                          "(optional: pip install \"dask[distributed]\"; default: local)")
    run.add_argument("--scheduler", metavar="ADDRESS",
                     help="address of a running Dask scheduler, e.g. tcp://host:8786 "
                          "(with --engine dask; default: a local cluster of --workers)")
    run.add_argument("--history", nargs="?", const="", metavar="PATH",
                     help="also save the audit to the history (default database: "
                          "$AUDIT_HISTORY or the user's data folder)")
    _add_code(commands)
    _add_history(commands)
    return parser


def _add_history(commands) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--history", metavar="PATH",
                        help="history database (default: $AUDIT_HISTORY or the user's data "
                             "folder)")
    common.add_argument("--lang", choices=("es", "en"), default="es",
                        help="language of messages (default: es)")
    common.add_argument("--json", action="store_true", help="machine-readable output")
    history = commands.add_parser("history", help="audits saved with run --history: list, "
                                                  "show, compare, delete")
    actions = history.add_subparsers(dest="action", required=True)
    actions.add_parser("list", parents=[common], help="every stored audit")
    show = actions.add_parser("show", parents=[common], help="one audit's institutions")
    show.add_argument("id", type=int, metavar="ID")
    compare = actions.add_parser("compare", parents=[common],
                                 help="progress from audit ID1 to audit ID2")
    compare.add_argument("before", type=int, metavar="ID1")
    compare.add_argument("after", type=int, metavar="ID2")
    delete = actions.add_parser("delete", parents=[common], help="remove one audit")
    delete.add_argument("id", type=int, metavar="ID")


def _add_code(commands) -> None:
    code = commands.add_parser("code", help="content coding: evaluate or train a classifier "
                                            "on a hand-coded sample")
    actions = code.add_subparsers(dest="action", required=True)
    for name, help_text in (("evaluate", "cross-validated figures as JSON"),
                            ("train", "cross-validate, fit on all rows and save the model")):
        action = actions.add_parser(name, help=help_text)
        action.add_argument("file", metavar="FILE", help=".csv .tsv .xlsx .ods .json .jsonl")
        action.add_argument("--text", required=True, metavar="COL", help="text column")
        action.add_argument("--label", required=True, metavar="COL", help="label column")
        action.add_argument("--folds", type=int, default=10, metavar="K",
                            help="stratified cross-validation folds (default: 10)")
        action.add_argument("--seed", type=int, default=0, help="fold shuffling seed")
        action.add_argument("--jobs", type=int, default=-1, metavar="N",
                            help="parallel folds (default: all processors)")
        action.add_argument("--lang", choices=("es", "en"), default="es",
                            help="language of messages (default: es)")
        action.add_argument("--tune-offsets", action="store_true",
                            help="fit per-class offsets for macro F1 by inner cross-validation "
                                 "(slower; helps small classes)")
        if name == "evaluate":
            action.add_argument("--label2", metavar="COL",
                                help="a second coder's labels: adds inter-coder agreement")
            action.add_argument("--repeats", type=int, default=1, metavar="R",
                                help="repeat the cross-validation with R fold shufflings "
                                     "(seeds SEED..SEED+R-1): adds mean and spread "
                                     "(default: 1)")
        else:
            action.add_argument("--out", required=True, metavar="MODEL",
                                help="model file to write (a pickle: load only your own)")
    apply = actions.add_parser("predict", help="label every row of a file with a saved model")
    apply.add_argument("model", metavar="MODEL",
                       help="file written by `code train` (a pickle: load only your own)")
    apply.add_argument("file", metavar="FILE", help=".csv .tsv .xlsx .ods .json .jsonl")
    apply.add_argument("--text", required=True, metavar="COL", help="text column")
    apply.add_argument("--out", required=True, metavar="CSV",
                       help="CSV written: the input plus a column predicted_label")
    apply.add_argument("--lang", choices=("es", "en"), default="es",
                       help="language of messages (default: es)")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "code":
        return _code(args)
    if args.command == "history":
        return _history(args)
    try:
        return _run(args)
    except Exception as exc:  # the last line of defence: log it, say one line
        log = _log_path(args.out)
        log.write_text(traceback.format_exc(), encoding="utf-8")
        print(text("cli.internal", args.lang, kind=type(exc).__name__, log=log), file=sys.stderr)
        return EXIT_INTERNAL


def _run(args: argparse.Namespace) -> int:
    from audit.ingest.mapping import ColumnMapping, MappingError
    from audit.peers.clusters import K_RANGE
    from audit.report.write import FolderError, WriteError, output_folder

    as_of = None
    if args.as_of:
        try:
            as_of = dt.date.fromisoformat(args.as_of)
        except ValueError:
            print(text("cli.bad_date", args.lang, value=args.as_of), file=sys.stderr)
            return EXIT_INPUT
    clustering = _clustering(args)
    if clustering is None:
        print(text("cli.bad_clusters", args.lang, value=args.clusters, low=K_RANGE[0],
                   high=K_RANGE[1]), file=sys.stderr)
        return EXIT_INPUT
    workers = None if args.workers is None else _workers(args.workers)
    if args.workers is not None and workers is None:
        print(text("options.bad_workers", args.lang, value=args.workers), file=sys.stderr)
        return EXIT_INPUT
    args.workers = workers
    try:  # a mapping that cannot be used is found before the output folder is touched
        column_map = ColumnMapping.from_options(args.map) if args.map else None
    except MappingError as exc:
        print(exc.message.render(args.lang), file=sys.stderr)
        return EXIT_INPUT
    try:
        with output_folder(args.out) as out:
            return _audit_into(args, out, as_of, clustering, column_map)
    except FolderError as exc:  # found before the audit: nothing was done
        print(exc.message.render(args.lang), file=sys.stderr)
        return EXIT_INPUT
    except WriteError as exc:  # disk full, permission: nothing of this audit was kept
        print(exc.message.render(args.lang), file=sys.stderr)
        return EXIT_INTERNAL


def _audit_into(args: argparse.Namespace, out: Path, as_of: dt.date | None,
                clustering: ClusterSettings, column_map: ColumnMapping | None) -> int:
    """Audit the inputs and write the results into ``out``, a folder checked and locked by
    ``output_folder`` (audit/report/write.py), so that no other audit writes there meanwhile."""
    from audit.history import raised_before as history_raised_before
    from audit.ingest.mapping import MappingError
    from audit.pipeline import OptionError, run_audit
    from audit.report.write import ERROR_LOG, write_files
    from audit.score.engines import ShardFailed
    from audit.score.rubric import RubricError

    try:
        result = run_audit(_sources(args.inputs), as_of=as_of, lang=args.lang, rubric=args.rubric,
                           assume_tz=args.timezone, content_model=args.content_model,
                           clustering=clustering, window_days=args.window_days,
                           posts_sample=args.posts_sample,
                           quote_citizens=args.quote_citizens, column_map=column_map,
                           archive_limits=ArchiveLimits(max_unzipped_mb=args.max_unzipped_mb,
                                                        max_members=args.max_zip_members),
                           workers=args.workers, engine=args.engine, scheduler=args.scheduler)
    except ShardFailed as exc:  # a worker died: nothing of this audit is written
        print(exc.message.render(args.lang), file=sys.stderr)
        return EXIT_INTERNAL
    except RubricError as exc:
        print(text("cli.rubric", args.lang), exc, sep="\n", file=sys.stderr)
        return EXIT_INPUT
    except (CodingError, OptionError, MappingError) as exc:
        print(exc.message.render(args.lang), file=sys.stderr)
        return EXIT_INPUT
    with contextlib.ExitStack() as stack:
        store, since = _open_history(args, result, stack)
        raised = None if since is None else history_raised_before(result, since)
        written = write_files(result, out, raised)
        counts = result.problems.counts()["by_severity"]
        problems_path = next(p for p in written if p.name == "problems.csv")
        if not result.usable:
            print(text("cli.unusable", args.lang), file=sys.stderr)
            for line in result.problems.fatal_lines(args.lang):
                print(f"  - {line}", file=sys.stderr)
            print(text("cli.problems", args.lang, path=problems_path, **counts),
                  file=sys.stderr)
            return EXIT_INPUT
        manifest = result.manifest()
        print(text("cli.done", args.lang, as_of=manifest["as_of"], **manifest["counts"]))
        print(text("cli.problems", args.lang, path=problems_path, **counts))
        for line in result.problems.lines("check_failed", args.lang):
            print(f"  - {line}")
        print(text("cli.written", args.lang, out=args.out))
        if (args.pdf or args.institution) and \
                (status := _pdfs(args, result, since)) != EXIT_OK:
            return status
        if args.history is not None and (store is None or
                                         not _save_history(result, store, args)):
            return EXIT_INPUT
    if result.check_errors:
        lines = result.problems.lines("check_failed", args.lang)
        log = out / ERROR_LOG
        log.write_text("\n".join(e.trace for e in result.scorecard.errors), encoding="utf-8")
        print(text("cli.check_failed", args.lang, n=len(lines), path=problems_path, log=log),
              file=sys.stderr)
        for line in lines:
            print(f"  - {line}", file=sys.stderr)
        return EXIT_INTERNAL
    return EXIT_OK


def _workers(value) -> int | None:
    """``--workers``: a whole number above 0, or None."""
    try:
        workers = int(str(value).strip())
    except ValueError:
        return None
    return workers if workers >= 1 and str(workers) == str(value).strip() else None


def _pdfs(args: argparse.Namespace, result, since: dict | None) -> int:
    """``--pdf``: the scorecards (one with ``--institution``) and the group report; with a
    history, each scorecard shows the change since the institution's previous audit."""
    from audit.report.pdf import UnknownInstitution, write_pdfs

    try:
        written = write_pdfs(result, args.out, args.institution, since=since)
    except UnknownInstitution as exc:
        print(exc.message.render(args.lang), file=sys.stderr)
        return EXIT_INPUT
    print(text("pdf.written", args.lang, n=len(written), folder=written[0].parent))
    return EXIT_OK


def _open_history(args: argparse.Namespace, result, stack: contextlib.ExitStack):
    """``--history``: the open database (closed with ``stack``) and each institution's
    change since its previous stored audit, read before the outputs are written so that
    recommendations.csv and the PDFs can say what was raised before. (None, None) without
    ``--history``, for an unusable audit, or when the history cannot be used (one line
    says why; the outputs are written all the same, without the history's columns)."""
    from audit import history

    if args.history is None or not result.usable:
        return None, None
    try:
        store = stack.enter_context(history.History(history.history_path(args.history)))
        return store, history.since_previous(store, result)
    except history.HistoryError as exc:
        print(exc.message.render(args.lang), file=sys.stderr)
        return None, None


def _save_history(result, store, args: argparse.Namespace) -> bool:
    """Save the audit to the open history; False (and one line) if it cannot be saved: the
    outputs are written all the same."""
    from audit import history

    try:
        audit_id = store.save(history.snapshot(result))
    except history.HistoryError as exc:
        print(exc.message.render(args.lang), file=sys.stderr)
        return False
    print(text("history.saved", args.lang, id=audit_id, path=store.path))
    return True


def _history(args: argparse.Namespace) -> int:
    """The ``history`` subcommand: lines to read, or JSON with ``--json``."""
    from audit import history

    try:
        with history.History(history.history_path(args.history), create=False) as store:
            lines, record = _history_action(args, store, history)
    except history.HistoryError as exc:
        print(exc.message.render(args.lang), file=sys.stderr)
        return EXIT_INPUT
    except Exception as exc:  # the last line of defence: log it, say one line
        log = _log_path(None)
        log.write_text(traceback.format_exc(), encoding="utf-8")
        print(text("cli.internal", args.lang, kind=type(exc).__name__, log=log),
              file=sys.stderr)
        return EXIT_INTERNAL
    if args.json:
        print(json.dumps(record, ensure_ascii=False, indent=2))
    else:
        print("\n".join(lines))
    return EXIT_OK


def _history_action(args: argparse.Namespace, store, history) -> tuple[list[str], object]:
    lang = args.lang
    if args.action == "list":
        frame = store.audits()
        return history.audits_lines(frame, store.path, lang), history.audits_records(frame)
    if args.action == "show":
        stored = store.load(args.id)
        return history.audit_lines(stored, lang), history.audit_record(stored)
    if args.action == "compare":
        before, after = store.load(args.before), store.load(args.after)
        found = history.progress(after, before, store.earlier(before))
        return history.progress_lines(found, lang), history.progress_record(found)
    store.delete(args.id)
    return [text("history.deleted", lang, id=args.id, path=store.path)], \
        {"deleted": args.id, "path": str(store.path)}
def _sources(inputs: list[str]) -> list:
    """The files to audit: a folder stands for every file in it."""
    from audit.ingest.reader import read_folder

    return [source for name in inputs
            for source in (read_folder(name) if Path(name).is_dir() else [name])]


def _clustering(args: argparse.Namespace) -> ClusterSettings | None:
    """The clustering settings the options ask for, or None when ``--clusters`` is not an
    integer in range (ClusterSettings holds the rule, so the app and the CLI agree)."""
    from audit.peers.clusters import ClusterSettings

    try:
        k = None if args.clusters is None else int(args.clusters)
        return ClusterSettings(method=args.cluster_method, k=k, size=args.cluster_size)
    except ValueError:
        return None


def _code(args: argparse.Namespace) -> int:
    """The ``code`` subcommand: JSON on stdout, one line on stderr for anything wrong."""
    from audit.research import coding

    try:
        if args.action == "predict":
            return _code_predict(args, coding)
        frame = coding.read_coded(args.file, args.text, args.label,
                                  getattr(args, "label2", None))
        texts, labels = frame["text"].tolist(), frame["label"].tolist()
        if args.action == "evaluate":
            result = coding.evaluate(texts, labels, folds=args.folds, seed=args.seed,
                                     n_jobs=args.jobs, repeats=args.repeats,
                                     tune_offsets=args.tune_offsets)
            if args.label2:
                result["agreement"] = coding.agreement(labels, frame["label2"].tolist())
        else:
            model = coding.train(texts, labels, folds=args.folds, seed=args.seed,
                                 out=args.out, n_jobs=args.jobs,
                                 tune_offsets=args.tune_offsets)
            result = {"model": str(args.out), "sklearn_version": model["sklearn_version"],
                      **model["metrics"]}
    except coding.CodingError as exc:
        print(exc.message.render(args.lang), file=sys.stderr)
        return EXIT_INPUT
    except OSError as exc:
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except Exception as exc:  # never a traceback on the terminal
        log = _log_path(None)
        log.write_text(traceback.format_exc(), encoding="utf-8")
        print(text("cli.internal", args.lang, kind=type(exc).__name__, log=log),
              file=sys.stderr)
        return EXIT_INTERNAL
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return EXIT_OK


def _code_predict(args: argparse.Namespace, coding) -> int:
    model = coding.load_model(args.model)
    frame = coding.read_table(args.file)
    if args.text not in frame.columns:
        columns = ", ".join(map(str, frame.columns[:20]))
        raise coding.CodingError(msg("coding.missing_column", file=Path(args.file).name,
                                     column=args.text, columns=columns))
    frame["predicted_label"] = coding.predict(model, frame[args.text].tolist())
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(out, index=False, encoding="utf-8")
    counts = frame["predicted_label"].value_counts().sort_index()
    print(json.dumps({"out": str(out), "n": len(frame), "predicted": counts.to_dict(),
                      "model_metrics": {k: model["metrics"][k] for k in ("macro_f1", "kappa")}},
                     ensure_ascii=False, indent=2))
    return EXIT_OK


def _log_path(out: str | None) -> Path:
    """Where to put a traceback: the output folder if it can be written, else a temp file."""
    from audit.report.write import ERROR_LOG

    try:
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        return folder / ERROR_LOG
    except (OSError, TypeError):
        return Path(tempfile.mkstemp(prefix="audit-error-", suffix=".log")[1])
