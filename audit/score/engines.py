"""Where the shards of an audit are scored: a process pool on this machine, or a Dask cluster.

    score_sharded(features, rubric, workers, engine, scheduler) -> Scorecard

Both engines run the same function (``shards.score_shard``) on the same shards and join
them in shard order, so the engine changes the time an audit takes, never its result.

``local``: a ``concurrent.futures.ProcessPoolExecutor`` started with ``forkserver``. Not
``fork``: the main process has pyarrow's and numpy's threads running by then, and forking a
threaded process may copy a held lock into the child and hang it; not ``spawn``: each
worker would run the main module again. The fork server preloads nothing: each worker
imports the library in its warm-up (``shards.warm_up``), while the main process reads the
files when they are large. A preloading fork server stays alive with the library's 120 MB
beside the workers until the audit ends, for nothing once they are forked. A shard
leaves out the posts' columns no check reads; the main process keeps no copy of a shard
once pickled, a worker none once scored (``_Handover``), and the pool is shut as soon as
the scores are joined (bench/bench_audit.py --workers 2 --stages prints the split, the
pickled size of one shard and the sharded scoring).

``dask``: ``distributed.Client`` on the given scheduler address, or on a
``LocalCluster(n_workers=workers, threads_per_worker=1)`` started and closed by the audit.
Dask is optional: imported here only, and a clear message (exit status 2) when missing.
"""

from __future__ import annotations

import importlib.util
import multiprocessing
import pickle
import urllib.parse
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from audit.gc_pause import gc_paused
from audit.measure.features import Features
from audit.messages import Message, msg
from audit.score.rubric import Rubric
from audit.score.scorecard import Scorecard
from audit.score.shards import Shard, join, score_shard, split, warm_up

__all__ = ["ENGINES", "EngineOptionError", "ShardFailed", "check_engine", "score_sharded",
           "start_pool"]

ENGINES = ("local", "dask")
#: Protocols of Dask's communication layer a scheduler address may start with.
SCHEDULER_PROTOCOLS = ("tcp", "tls", "inproc", "ucx", "ws", "wss")
#: Seconds to wait for a Dask scheduler to answer before saying it cannot be reached.
SCHEDULER_TIMEOUT = 10
#: The weight of the shard the main process scores, against a worker's (``shards.split``):
#: a worker starts once its shard is pickled to it and its result must come back after it
#: ends, about 0.3 s each way at a million posts. There, with two processes, the sharded
#: scoring (split to join) took 5.1-5.5 s with equal shards, 4.9-5.0 s at 1.1 and
#: 4.7-5.0 s at 1.2, paired runs (30 November 2026, after the checks were made cheaper).
MAIN_SHARD_WEIGHT = 1.15


class EngineOptionError(ValueError):
    """An engine option that cannot be used (no Dask installed, a bad worker count, a
    scheduler that does not answer): the user's mistake, said in their language."""

    def __init__(self, message: Message):
        super().__init__(message.render("en"))
        self.message = message


class ShardFailed(RuntimeError):
    """A worker died while scoring a shard (killed, out of memory): no partial result is
    kept, the audit stops with this message."""

    def __init__(self, message: Message):
        super().__init__(message.render("en"))
        self.message = message


def check_engine(workers: int, engine: str, scheduler: str | None) -> None:
    """Refuse options that cannot be used before anything is read."""
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise EngineOptionError(msg("options.bad_workers", value=workers))
    if engine not in ENGINES:
        raise EngineOptionError(msg("options.bad_engine", value=engine,
                                    engines=", ".join(ENGINES)))
    if scheduler is not None and engine != "dask":
        raise EngineOptionError(msg("options.scheduler_without_dask", scheduler=scheduler))
    if scheduler is not None and not _well_formed(scheduler):
        raise EngineOptionError(msg("options.bad_scheduler", scheduler=scheduler))
    if engine == "dask" and importlib.util.find_spec("distributed") is None:
        raise EngineOptionError(msg("options.dask_missing"))


def _well_formed(address: str) -> bool:
    """A scheduler address as Dask takes it: ``[protocol://]host[:port]``, with a known
    protocol and a port from 1 to 65535. Checked before reading, because an audit below
    ``SHARD_MIN_POSTS`` never connects: a mistyped address would otherwise go unnoticed."""
    text = str(address).strip()
    if any(char.isspace() for char in text):
        return False
    protocol, _, rest = text.rpartition("://")
    if protocol and protocol not in SCHEDULER_PROTOCOLS:
        return False
    try:
        parts = urllib.parse.urlsplit(f"//{rest}")
        port = parts.port
    except ValueError:  # a port that is not a number, or out of range
        return False
    return bool(parts.hostname) and port != 0 and not (parts.path or parts.query
                                                      or parts.fragment or parts.username)


def score_sharded(features: Features, rubric: Rubric, workers: int, engine: str = "local",
                  scheduler: str | None = None,
                  pool: ProcessPoolExecutor | None = None) -> Scorecard:
    """Split ``features`` into ``workers`` shards (with a scheduler, at least one per thread
    of the cluster), score them with the engine and join them (see ``shards.join``). A
    ``pool`` from ``start_pool`` (started while the main process read the files) is used
    and left open for its owner to shut; without one, one is started here and shut."""
    check_engine(workers, engine, scheduler)
    if engine == "dask":
        parts = _dask(features, rubric, workers, scheduler)
    elif pool is not None:
        parts = _local(split(features, workers, MAIN_SHARD_WEIGHT), rubric, pool)
    else:
        with start_pool(workers) as own:
            parts = _local(split(features, workers, MAIN_SHARD_WEIGHT), rubric, own)
    return join(features, rubric, parts)


def start_pool(workers: int) -> ProcessPoolExecutor:
    """The ``workers - 1`` processes that score shards beside the main process (which
    scores the first shard itself rather than wait idle), each sent ``shards.warm_up`` at
    once: each worker's start and import of the library then overlap whatever the main
    process does meanwhile (reading, validating)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([])  # not even ``__main__``, the default: see above
    pool = ProcessPoolExecutor(max_workers=max(workers - 1, 1), mp_context=context)
    for _ in range(max(workers - 1, 1)):
        pool.submit(warm_up)
    return pool


def _local(shards: list[Features], rubric: Rubric, pool: ProcessPoolExecutor) -> list[Shard]:
    """Every shard but the first scored in ``pool``, the first in this process meanwhile.

    The main process would otherwise wait idle: scoring a shard here saves a worker, the
    pickling of that shard there and back, and the memory of that worker's copy."""
    first = shards.pop(0)
    try:
        futures = []
        while shards:  # each handed over, so that only the pickle's reference remains
            futures.append(pool.submit(_score_handed, _Handover(shards.pop(0)), rubric))
        first = score_shard(first, rubric)  # its rows let go once it is scored
        return [first, *(pickle.loads(future.result()) for future in futures)]
    except BrokenProcessPool as exc:
        raise ShardFailed(msg("cli.shard_failed", engine="local", reason=str(exc))) from exc


class _Handover:
    """A shard on its way to a worker process, held so that each side can let it go.

    The pool keeps a task's arguments until its result is back, in this process and in the
    worker (which sends the result while still holding them): a shard passed as is would
    stay in both while nothing reads it any more. Pickled once (by the pool's feeder
    thread), the handover here lets the shard go; in the worker, ``take`` hands it to the
    scoring and keeps nothing, so the shard and what the checks derived from it are freed
    before the result is pickled and sent back."""

    def __init__(self, shard: Features):
        self._shard = shard

    def __reduce__(self):
        shard, self._shard = self._shard, None
        return _Handover, (shard,)

    def take(self) -> Features:
        shard, self._shard = self._shard, None
        return shard


def _score_handed(handover: _Handover, rubric: Rubric) -> bytes:
    """``score_shard`` on the shard a worker received, holding no other reference to it;
    the result is pickled here, with the cyclic collector paused. Returned as it is, it
    would be pickled by the pool once this function has returned, with the collector
    running again over the tens of thousands of evidence objects being pickled (about
    0.5 s more for half a million posts)."""
    with gc_paused():
        return pickle.dumps(score_shard(handover.take(), rubric), protocol=pickle.HIGHEST_PROTOCOL)


def _dask(features: Features, rubric: Rubric, workers: int,
          scheduler: str | None) -> list[Shard]:
    from distributed import Client, LocalCluster
    from distributed.scheduler import KilledWorker

    with _cluster(LocalCluster, workers, scheduler) as cluster, \
            _client(Client, cluster or scheduler) as client:
        threads = sum(w["nthreads"] for w in client.scheduler_info()["workers"].values())
        shards = split(features, max(workers, threads) if scheduler else workers)
        # scattered first: shards sent inside the task graph would make it large and slow
        futures = client.map(score_shard, client.scatter(shards), rubric=rubric, pure=False)
        try:
            return client.gather(futures)
        except KilledWorker as exc:
            raise ShardFailed(msg("cli.shard_failed", engine="dask", reason=str(exc))) from exc


def _cluster(local_cluster, workers: int, scheduler: str | None):
    """A LocalCluster of ``workers`` single-threaded processes, or nothing with a scheduler."""
    import contextlib

    if scheduler:
        return contextlib.nullcontext()
    return local_cluster(n_workers=workers, threads_per_worker=1, processes=True,
                         dashboard_address=None)


def _client(client_class, address):
    try:
        return client_class(address, timeout=SCHEDULER_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise EngineOptionError(msg("options.scheduler_unreachable", scheduler=address,
                                    reason=str(exc))) from exc
