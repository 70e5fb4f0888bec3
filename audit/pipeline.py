"""One audit, from uploaded files to results: the single entry point the CLI and the app share.

    sources ─read─▶ raw tables ─validate─▶ Dataset ─activity─▶ profiles
        ─features─▶ Features ─score─▶ Scorecard (criteria, dimensions, level)
        ─recommend─▶ ranked actions
        ─peers─▶ clusters of similar institutions; best peer of the sector per action
    one problem log runs through every stage

``recluster`` redoes only the clusters with other settings (method, k, size): the app's
controls and a researcher's second look do not need to re-read or re-score anything.

Each stage is a pure function of the previous one plus the rubric and the audit date, so the
same input gives the same audit.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import os
import zoneinfo
from dataclasses import replace
from pathlib import Path

import pandas as pd

from audit.gc_pause import gc_paused
from audit.ingest.archive import DEFAULT_LIMITS, ArchiveLimits
from audit.ingest.mapping import ColumnMapping
from audit.ingest.problems import ProblemLog
from audit.ingest.reader import read_inputs
from audit.ingest.validate import Dataset, validate
from audit.measure.features import build_features
from audit.measure.privacy import Privacy
from audit.measure.profile_status import profile_activity
from audit.messages import Message, msg
from audit.peers.clusters import (
    Clusters,
    ClusterSettings,
    best_peers,
    cluster_institutions,
    size_covariate,
)
from audit.result import DEFAULT_CLUSTERING, AuditResult
from audit.score.engines import EngineOptionError, check_engine, score_sharded, start_pool
from audit.score.recommend import recommendations
from audit.score.rubric import Rubric, load_rubric, rubric_from_data
from audit.score.scorecard import Scorecard, score_audit
from audit.score.shards import INPUT_BYTES_PER_POST, SHARD_MIN_POSTS

__all__ = ["AuditResult", "OptionError", "Source", "recluster", "rescore", "run_audit",
           "with_window"]

Source = str | Path | tuple[str, bytes]


def run_audit(sources: list[Source], *, as_of: dt.date | None = None, lang: str = "es",
              rubric: str | Rubric = "gobierno", assume_tz: str = "UTC",
              content_model: str | Path | None = None,
              clustering: ClusterSettings = DEFAULT_CLUSTERING,
              window_days: int | str | None = None, posts_sample: bool = False,
              quote_citizens: bool = False,
              column_map: ColumnMapping | None = None,
              archive_limits: ArchiveLimits = DEFAULT_LIMITS, workers: int | None = 1,
              engine: str = "local", scheduler: str | None = None,
              shard_min_posts: int = SHARD_MIN_POSTS) -> AuditResult:
    """Audit the given files (paths, or (name, bytes) pairs from an upload). With a
    ``content_model`` (trained by ``python -m audit code train``), every post is coded with
    its taxonomy and the content mix per institution is added. ``clustering`` sets how peers
    are clustered (default: k-means, k by silhouette, no size).

    ``window_days`` replaces the rubric's audit window (``profile_status.window_days``: the
    days before the audit date whose posts every post-based measure reads); the rubric is
    then a copy with that window, so its texts, its hash and the reports state the window
    used. ``posts_sample`` says the posts sheet is a sample, not full timelines: the
    criteria that need full timelines are then not evaluated (see
    ``audit.measure.profile_status``). ``quote_citizens`` lets the evidence quote citizens'
    texts, masked; by default they are counted and located, never quoted (see
    ``audit.measure.privacy``). ``column_map`` says which header is which column where the
    contract's names do not (``audit.ingest.mapping``). ``archive_limits`` bounds what a zip
    or a workbook may expand to (``audit.ingest.archive``).

    ``workers`` above 1, or ``engine="dask"`` (on the cluster at ``scheduler``, or on a local
    one of ``workers`` processes), score the institutions in shards (``audit.score.shards``,
    ``audit.score.engines``), with the same result as one process; only from
    ``shard_min_posts`` posts in the window, below which one process is quicker, and the
    problem log says so (info). ``workers=None`` is this machine's cores, a default rather
    than the user's choice: left unused, it is not noted. With workers=1 and the local
    engine the audit runs in this process, as it always did."""
    _check_timezone(assume_tz)
    asked = (workers is not None and workers != 1) or engine == "dask"
    workers = (os.cpu_count() or 1) if workers is None else workers
    try:
        check_engine(workers, engine, scheduler)
    except EngineOptionError as exc:
        raise OptionError(exc.message) from None
    rubric = rubric if isinstance(rubric, Rubric) else load_rubric(rubric)
    if window_days is not None:
        rubric = with_window(rubric, window_days)
    # With large files the worker processes start now and warm up while this one reads.
    # The cyclic collector is paused for the whole audit (see ``audit.gc_pause``).
    with _early_pool(sources, workers, engine, shard_min_posts) as pool, gc_paused():
        log = ProblemLog()
        loaded = []
        for source in sources:
            try:
                loaded.append(_load(source))
            except OSError:
                log.add("error", "file_not_found", file=str(source))
        read = read_inputs(loaded, log, mapping=column_map, limits=archive_limits)
        del loaded  # the files' bytes: what the audit needs of them is in ``read`` now
        if not read.usable:
            return AuditResult(log, read, rubric, None, None, lang, clustering=clustering)
        data = validate(read, log, as_of=as_of, assume_tz=assume_tz)
        read = read.record()  # the raw cells, validated into ``data``, are let go
        if data.profiles.empty:
            log.add("error", "no_usable_profiles", file=", ".join(i.name for i in read.inputs))
            return AuditResult(log, read, rubric, None, None, lang, clustering=clustering)
        profiles = profile_activity(data, rubric.status_days, rubric.window_days, posts_sample)
        features = build_features(data, profiles, rubric.status_days, rubric.window_days,
                                  posts_sample, Privacy(quote_citizens=bool(quote_citizens)))
        # sharded when asked (more workers, or Dask) and large enough for the workers to pay
        sharded = (workers > 1 or engine == "dask") and len(features.posts) >= shard_min_posts
        scorecard = _score(features, rubric, sharded, workers, engine, scheduler, pool)
        if pool is not None:  # the workers' memory is given back before what follows
            pool.shutdown()
        if asked and not sharded:
            # the option named as written, but without its dashes: a cell that starts
            # with "-" would be written inert (with a leading apostrophe) in problems.csv
            option = ("engine", "dask") if engine == "dask" else ("workers", workers)
            log.add("info", "one_process", column=option[0], value=option[1],
                    count=len(features.posts), limit=shard_min_posts)
        _log_check_errors(log, scorecard)
        actions = _best_peers(scorecard, rubric, profiles)
        clusters = _clusters(scorecard, data, clustering)
        mix = content_mix(data.posts, content_model) if content_model else None
        return AuditResult(log, read, rubric, data, profiles, lang, features, scorecard, actions,
                           clusters, mix, clustering)


def _early_pool(sources: list[Source], workers: int, engine: str,
                shard_min_posts: int) -> contextlib.AbstractContextManager:
    """The local engine's worker processes, started now when the files are large enough
    that the audit will likely be sharded (``INPUT_BYTES_PER_POST``): they start and warm
    up while this process reads and validates. Otherwise nothing; the workers are then
    started when the audit turns out to need them."""
    if engine != "local" or workers < 2:
        return contextlib.nullcontext()
    size = 0
    for source in sources:
        try:
            size += len(source[1]) if isinstance(source, tuple) else Path(source).stat().st_size
        except OSError:  # reported as a file not found when it is read
            continue
    if size < shard_min_posts * INPUT_BYTES_PER_POST:
        return contextlib.nullcontext()
    return start_pool(workers)


class OptionError(ValueError):
    """An option of the audit that cannot be used, such as a time zone that does not exist:
    the user's mistake, said in the user's language (``message``), never an internal error."""

    def __init__(self, message: Message):
        super().__init__(message.render("en"))
        self.message = message


def _check_timezone(name: str) -> None:
    """Refuse an unknown time zone before reading anything, suggesting the IANA names that
    end as the user wrote it ('Bogota' -> 'America/Bogota')."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        wanted = str(name).strip().replace(" ", "_").casefold()
        close = sorted(z for z in zoneinfo.available_timezones()
                       if z.rsplit("/", 1)[-1].casefold() == wanted)
        raise OptionError(msg("options.unknown_timezone", value=name,
                              suggestion=", ".join(close) or "America/Bogota")) from None


def with_window(rubric: Rubric, days: int | str) -> Rubric:
    """``rubric`` with its audit window set to ``days``, a whole number of days above 0
    (given as a number or as the text of one, as the command line passes it)."""
    try:
        window = int(str(days).strip())
    except ValueError:
        window = 0
    if isinstance(days, bool) or window < 1 or str(window) != str(days).strip():
        raise OptionError(msg("options.bad_window", value=days))
    data = copy.deepcopy(rubric.data)
    data["profile_status"]["window_days"] = window
    return rubric_from_data(data, rubric.path)


def _score(features, rubric: Rubric, sharded: bool, workers: int, engine: str,
           scheduler: str | None, pool=None) -> Scorecard:
    """Score in this process, or in shards on ``engine``."""
    if not sharded:
        return score_audit(features, rubric)
    try:
        return score_sharded(features, rubric, workers, engine, scheduler, pool)
    except EngineOptionError as exc:
        raise OptionError(exc.message) from None


def _log_check_errors(log: ProblemLog, scorecard: Scorecard) -> None:
    """A check that raised is an error of the audit, not missing data: it goes to the log
    (and from there to problems.csv, audit.json, the terminal and the app's banner)."""
    for failed in scorecard.errors:
        log.add("error", "check_failed", column=failed.criterion, value=failed.error,
                criterion=failed.criterion, dimension=failed.dimension, metric=failed.metric)


def content_mix(posts: pd.DataFrame, model_path: str | Path) -> pd.DataFrame:
    """Code every post with a trained content model; per institution, how many posts carry
    each label and their share. Posts without text are left out and not coded."""
    from audit.research.coding import load_model, predict

    model = load_model(model_path)
    coded = posts.dropna(subset=["text"])
    labels = pd.Series(predict(model, coded["text"].tolist()), index=coded.index)
    counts = labels.groupby(coded["institution"]).value_counts().rename("posts").reset_index()
    counts.columns = ["institution", "label", "posts"]
    totals = counts.groupby("institution")["posts"].transform("sum")
    counts["share"] = (counts["posts"] / totals).round(4)
    return counts.sort_values(["institution", "label"], kind="stable").reset_index(drop=True)


def _best_peers(scorecard: Scorecard, rubric: Rubric, profiles: pd.DataFrame) -> pd.DataFrame:
    """The recommendations (from the scores, the profile statuses, the complaints waiting
    and the sheets left out), each with the best institution of the same sector on its lead
    criterion (by sector, not cluster: so they do not change when the clusters do)."""
    actions = recommendations(scorecard.scores, rubric, institutions=scorecard.institutions,
                              profiles=profiles, details=scorecard.details)
    return best_peers(scorecard.scores, scorecard.institutions, actions)


def _clusters(scorecard: Scorecard, data: Dataset, settings: ClusterSettings) -> Clusters:
    """Clusters of similar institutions as ``settings`` ask (seed 0); with ``size``, the
    followers of the validated profiles give each institution its size covariate."""
    covariates = size_covariate(data.profiles) if settings.size else None
    return cluster_institutions(scorecard.institutions, k=settings.k, method=settings.method,
                                covariates=covariates)


def _load(source: Source) -> tuple[str, bytes]:
    if isinstance(source, tuple):
        return source
    path = Path(source)
    return path.name, path.read_bytes()


def rescore(result: AuditResult, rubric: Rubric) -> AuditResult:
    """The same audit scored with another rubric (edited weights or thresholds), reusing the
    validated data and features: only the checks, scores and recommendations run again.
    The profile statuses follow the new rubric's thresholds too, and the clusters keep the
    result's settings (a user who chose Ward keeps Ward when editing a weight), and posts
    flagged as a sample stay a sample. The window is the new rubric's.

    The app re-scores on every edit of the Rubric page, so what the edit cannot change is
    reused: with the same status days and window the profile statuses and features are the
    result's own, and every measure (value and evidence) whose metric and options are
    unchanged is taken from the result's scorecard, and the clusters are kept when the
    dimension scores they are computed from did not move (a dimension weight changes only
    the overall score); only scores, dimensions, levels and actions are computed again."""
    if not result.usable:
        return replace(result, rubric=rubric)
    if (rubric.status_days == result.rubric.status_days
            and rubric.window_days == result.rubric.window_days):
        profiles, features, same = result.profiles, result.features, True
    else:
        sample = result.features.posts_sample
        profiles = profile_activity(result.data, rubric.status_days, rubric.window_days,
                                    sample)
        features = build_features(result.data, profiles, rubric.status_days,
                                  rubric.window_days, sample, result.features.privacy)
        same = (features.profiles["status"].equals(result.features.profiles["status"])
                and features.window_days == result.features.window_days)
        if same and "text" in result.features.__dict__:
            features.__dict__["text"] = result.features.text  # reuse the text measures
    scorecard = score_audit(features, rubric, reuse=result.scorecard if same else None)
    problems = result.problems.without("check_failed")
    _log_check_errors(problems, scorecard)
    # the clusters read only the dimension scores: a dimension weight leaves them as they were
    peers = result.peers if scorecard.dimensions.equals(result.scorecard.dimensions) \
        else _clusters(scorecard, result.data, result.clustering)
    return replace(result, problems=problems, rubric=rubric, profiles=profiles,
                   features=features,
                   scorecard=scorecard, recommendations=_best_peers(scorecard, rubric, profiles),
                   peers=peers)


def recluster(result: AuditResult, settings: ClusterSettings) -> AuditResult:
    """The same audit with its peers clustered as ``settings`` ask. Only the clusters run
    again: scores, levels and actions do not depend on them (best peers are by sector), so
    trying Ward or another k costs a clustering, not an audit."""
    if not result.usable:
        return replace(result, clustering=settings)
    return replace(result, clustering=settings,
                   peers=_clusters(result.scorecard, result.data, settings))
