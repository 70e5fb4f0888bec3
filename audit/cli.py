"""Command line: ``python -m audit run INPUT... --out DIR [--as-of DATE] [--lang es|en]``.

Peer clustering: ``--cluster-method kmeans|ward``, ``--clusters K`` (2-8; default: the best
silhouette) and ``--cluster-size`` (audience size joins the distances); see audit/peers/clusters.py.

``python -m audit code evaluate FILE --text COL --label COL [--folds K] [--label2 COL]``
prints cross-validated figures of a content classifier as JSON; ``code train ... --out
MODEL`` also saves the model (see audit/research/coding.py).

Every line it prints is a ``cli.*`` message of the catalogue (audit/messages/cli.yaml).

Exit status: 0 audited (possibly with row problems), 2 input unusable, 1 internal error
(a crash, or a check that failed: the outputs are written but must not be signed).
A user never sees a traceback: an internal error prints one line and the log file that
holds the details.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from audit.messages import msg, text
from audit.pipeline import OptionError
from audit.research.coding import CodingError
from audit.score.rubric import RubricError

if TYPE_CHECKING:
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
                     help=".xlsx .xlsm .ods .csv .zip, or a folder of them")
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
    run.add_argument("--cluster-method", choices=("kmeans", "ward"), default="kmeans",
                     help="peer clustering method (default: kmeans)")
    run.add_argument("--clusters", metavar="K",
                     help="fixed number of peer clusters, 2-8 (default: best silhouette)")
    run.add_argument("--cluster-size", action="store_true",
                     help="add audience size, log10(1 + followers), to the clustering")
    _add_code(commands)
    return parser


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
    try:
        return _run(args)
    except Exception as exc:  # the last line of defence: log it, say one line
        log = _log_path(args.out)
        log.write_text(traceback.format_exc(), encoding="utf-8")
        print(text("cli.internal", args.lang, kind=type(exc).__name__, log=log), file=sys.stderr)
        return EXIT_INTERNAL


def _run(args: argparse.Namespace) -> int:
    from audit.peers.clusters import K_RANGE
    from audit.pipeline import run_audit
    from audit.report.write import write_outputs

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
    try:
        result = run_audit(_sources(args.inputs), as_of=as_of, lang=args.lang, rubric=args.rubric,
                           assume_tz=args.timezone, content_model=args.content_model,
                           clustering=clustering, window_days=args.window_days,
                           posts_sample=args.posts_sample)
    except RubricError as exc:
        print(text("cli.rubric", args.lang), exc, sep="\n", file=sys.stderr)
        return EXIT_INPUT
    except (CodingError, OptionError) as exc:
        print(exc.message.render(args.lang), file=sys.stderr)
        return EXIT_INPUT
    written = write_outputs(result, args.out)
    counts = result.problems.counts()["by_severity"]
    problems_path = next(p for p in written if p.name == "problems.csv")
    if not result.usable:
        print(text("cli.unusable", args.lang), file=sys.stderr)
        for line in result.problems.fatal_lines(args.lang):
            print(f"  - {line}", file=sys.stderr)
        print(text("cli.problems", args.lang, path=problems_path, **counts), file=sys.stderr)
        return EXIT_INPUT
    manifest = result.manifest()
    print(text("cli.done", args.lang, as_of=manifest["as_of"], **manifest["counts"]))
    print(text("cli.problems", args.lang, path=problems_path, **counts))
    for line in result.problems.lines("check_failed", args.lang):
        print(f"  - {line}")
    print(text("cli.written", args.lang, out=args.out))
    if result.check_errors:
        lines = result.problems.lines("check_failed", args.lang)
        log = _log_path(args.out)
        log.write_text("\n".join(e.trace for e in result.scorecard.errors), encoding="utf-8")
        print(text("cli.check_failed", args.lang, n=len(lines), path=problems_path, log=log),
              file=sys.stderr)
        for line in lines:
            print(f"  - {line}", file=sys.stderr)
        return EXIT_INTERNAL
    return EXIT_OK


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
    try:
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        return folder / "audit-error.log"
    except (OSError, TypeError):
        return Path(tempfile.mkstemp(prefix="audit-error-", suffix=".log")[1])
