"""Benchmark: the whole audit of a large observatory against a bare pandas read.

    python bench/bench_audit.py [--institutions 1000] [--profiles 5000] [--posts 1000000]
                                [--interactions 200000] [--format csv|parquet]

Generates (once, into bench/data/, not committed; a million posts in seconds, in batches, so
25 million fit in memory) the four sheets of the input contract as CSV or Parquet files,
then runs in separate processes, so that each peak memory is its own:
  - the bare read: pandas' read_csv or read_parquet of the four files;
  - the audit: run_audit (read, validate, features, every check, scores, recommendations)
    plus writing every output file.
Prints wall and CPU time, peak resident memory, the ratio and the distinct tokens of the
posts. Targets on a 2-core machine:
at most 3x the bare read (aim 1.5x), peak memory under 3 GB.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
NETWORKS = np.array(["facebook", "instagram", "x", "youtube", "tiktok"])
SECTORS = np.array(["gobierno local", "gobierno regional", "gobierno nacional", "salud",
                    "biblioteca"])
VOCABULARY = 16_000  # words of the frequency list drawn from
SYLLABLES = ("ma pe si lo tu ra ne ci da vo ga le mi so fu ta ri co be na pa te lu ve ro ca "
             "di me sa bo la ni to re gu mo").split()
COMMON = ("de la que el en y a los se del las por un para con no una su al es lo como más "
          "pero sus le ya o este sí porque esta entre cuando muy sin sobre también me hasta "
          "hay donde quien desde todo nos durante todos uno les ni contra otros ese eso ante "
          "ayuntamiento vecinos servicio horario información presupuesto obras salud cita "
          "biblioteca taller evento consulta trámite agua parque cultura deporte gracias "
          "hola invitamos participa ciudad programa atención municipal").split()


def _vocabulary(size: int, rng: np.random.Generator) -> np.ndarray:
    """Real Spanish words in frequency order (as posts are mostly made of), with 5% invented
    words spread through the tail, standing for names, typos and jargon, which cost the
    spelling checker the most."""
    from wordfreq import top_n_list

    words = list(dict.fromkeys(COMMON + [w for w in top_n_list("es", size) if w.isalpha()]))
    invented = ["".join(rng.choice(SYLLABLES, rng.integers(2, 5))) for _ in range(size // 20)]
    for word, at in zip(invented, rng.integers(len(COMMON), len(words), len(invented)),
                        strict=True):
        words.insert(int(at), word)
    return np.array(list(dict.fromkeys(words)))


def _texts(lengths: np.ndarray, vocab: np.ndarray, rng: np.random.Generator) -> pa.Array:
    """Post texts with the long tail of real posts: Zipf-distributed words from a large
    frequency list, capitalised sentence starts, trailing punctuation, and hashtags,
    mentions, numbers and links, so that the distinct tokens of a million posts are about
    as many as in real ones (some 84,000) and per-distinct-token costs show.

    Built in Arrow, not in Python: every post is a list of indices into a table of token
    forms (each word plain, capitalised, with a comma or a full stop; then the hashtags,
    mentions and numbers; then this batch's links), joined with spaces in one call."""
    n_words, n_posts = int(lengths.sum()), len(lengths)
    size = len(vocab)
    weights = 1 / np.arange(1, size + 1)
    # Zipf draws as exact counts per word in a shuffled order: the same law as drawing each
    # word on its own, several times faster than searching a cumulative table per word.
    counts = rng.multinomial(n_words, weights / weights.sum())
    words = rng.permutation(np.repeat(np.arange(size, dtype=np.int32), counts))
    starts = np.cumsum(lengths) - lengths
    form = np.zeros(n_words, dtype=np.int32)
    form[starts] = 3  # capitalised
    marks = rng.random(n_words, dtype=np.float32)
    form += (marks < 0.07).astype(np.int32) + (marks < 0.04)  # 1 full stop, 2 comma
    del marks
    capitalised = [w.capitalize() for w in vocab.tolist()]
    forms = [w + m for base in (vocab.tolist(), capitalised) for m in ("", ".", ",")
             for w in base]
    extras = ([f"#{w.capitalize()}{y}" for w in vocab[:400] for y in ("", "2025")]
              + [f"@{w}{n}" for w in vocab[:300] for n in range(4)]
              + [str(n) for n in range(2100)])
    tail = rng.integers(0, len(extras), n_posts) + len(forms)
    tail[rng.random(n_posts) < 0.6] = -1
    links = rng.random(n_posts) < 0.15
    tail[links] = np.arange(links.sum()) + len(forms) + len(extras)
    link_texts = [f"https://bit.ly/{k:x}" for k in rng.integers(0, 1 << 40, links.sum())]
    tokens = pa.array(forms + extras + link_texts, pa.string())
    has_tail = tail >= 0
    ends = np.cumsum(lengths + has_tail)
    index = np.empty(ends[-1], dtype=np.int32)
    is_word = np.ones(len(index), dtype=bool)
    is_word[ends[has_tail] - 1] = False
    index[is_word] = words + size * form
    index[~is_word] = tail[has_tail]
    offsets = pa.array(np.concatenate([[0], ends]).astype(np.int32))
    return pc.binary_join(pa.ListArray.from_arrays(offsets, tokens.take(pa.array(index))), " ")


def distinct_tokens(texts: pd.Series) -> int:
    """Distinct space-separated tokens of the texts (links apart: the audit reads each link
    as a break, not as a word)."""
    tokens = pc.list_flatten(pc.split_pattern(pa.array(texts, pa.string()), " "))
    return len(pc.unique(tokens.filter(pc.invert(pc.starts_with(tokens, "https://")))))


def generate(n_inst: int, n_prof: int, n_posts: int, n_inter: int,
             fmt: str = "csv") -> list[Path]:
    """The four sheets as ``fmt`` files (csv or parquet), made once. Posts and interactions
    are made and appended in batches of ``CHUNK`` rows, each batch from its own seed, so
    memory stays that of one batch at any size and a larger file starts with the rows of a
    smaller one (the 1M file is the first million posts of the 25M file)."""
    tag = f"{n_inst}_{n_prof}_{n_posts}_{n_inter}_v4"
    paths = [DATA / f"{name}_{tag}.{fmt}" for name in
             ("perfiles", "publicaciones", "interacciones", "gobernanza")]
    if all(p.exists() for p in paths):
        return paths
    DATA.mkdir(exist_ok=True)
    print(f"generating {n_posts:,} posts as {fmt} (once)...", flush=True)
    rng = np.random.default_rng(7)
    inst = np.arange(n_prof) % n_inst
    profiles = pd.DataFrame({
        "institución": [f"Institución {i:05d}" for i in inst],
        "red": NETWORKS[(np.arange(n_prof) // n_inst) % len(NETWORKS)],
        "usuario": [f"@inst{i:05d}" for i in inst],
        "sector": SECTORS[inst % len(SECTORS)],
        "país": np.array(["España", "México", "Colombia", "Chile"])[inst % 4],
        "seguidores": rng.integers(100, 500_000, n_prof),
        "biografía": "Cuenta oficial",
        "verificada": rng.choice(["sí", "no"], n_prof),
    })
    profiles["usuario"] = np.where(rng.random(n_prof) < 0.1, profiles["usuario"] + "_of",
                                   profiles["usuario"])
    items = ["responsable", "objetivos", "guia_estilo", "protocolos", "protocolo_quejas"]
    governance = pd.DataFrame(
        [(f"Institución {i:05d}", item, rng.choice(["sí", "parcial", "no"]))
         for i in range(n_inst) for item in items],
        columns=["institución", "pregunta", "respuesta"])
    vocab = _vocabulary(VOCABULARY, rng)
    accounts = (pa.array(profiles["red"].to_numpy(str)),
                pa.array(profiles["usuario"].to_numpy(str)))
    _write(paths[0], [pa.Table.from_pandas(profiles, preserve_index=False)])
    _write(paths[1], (_posts(i, min(CHUNK, n_posts - i), accounts, vocab)
                      for i in range(0, n_posts, CHUNK)))
    _write(paths[2], (_interactions(i, min(CHUNK, n_inter - i), accounts)
                      for i in range(0, n_inter, CHUNK)))
    _write(paths[3], [pa.Table.from_pandas(governance, preserve_index=False)])
    return paths


CHUNK = 1_000_000  # rows made and written at a time
_START = pd.Timestamp("2025-11-01", tz="UTC").value // 10**9
_YEAR = 365 * 86400


def _stamps(seconds: np.ndarray, clock: str, sep: str, end: str = "") -> pa.Array:
    """Unix ``seconds`` as text: the date, ``sep``, the time of day as ``clock`` lays it
    out, then ``end``. Made from tables of the days and of the seconds of a day, which
    formats a million stamps several times faster than formatting each."""
    days, second = np.divmod(seconds, 86400)
    first = int(days.min())
    dates = pc.strftime(pa.array(np.arange(first, days.max() + 1) * 86400,
                                 pa.timestamp("s", "UTC")), "%Y-%m-%d")
    times = pc.strftime(pa.array(np.arange(86400), pa.timestamp("s", "UTC")), clock + end)
    return pc.binary_join_element_wise(dates.take(pa.array(days - first)),
                                       times.take(pa.array(second)), sep)


def _pick(choices: list[str], n: int, rng: np.random.Generator) -> pa.Array:
    """``n`` of ``choices`` drawn uniformly."""
    return pa.array(choices).take(pa.array(rng.integers(0, len(choices), n)))


def _posts(first: int, n: int, accounts: tuple[pa.Array, pa.Array],
           vocab: np.ndarray) -> pa.Table:
    """Posts ``first`` to ``first + n``, from the seed of that batch."""
    rng = np.random.default_rng([7, first])
    owner = pa.array(rng.integers(0, len(accounts[0]), n))
    return pa.table({
        "red": accounts[0].take(owner),
        "usuario": accounts[1].take(owner),
        "fecha": _stamps(_START + rng.integers(0, _YEAR, n), "%H:%M:%S", "T", "Z"),
        "texto": _texts(rng.integers(8, 40, n), vocab, rng),
        "tipo": _pick(["foto", "vídeo", "enlace", "texto"], n, rng),
        "me_gusta": rng.integers(0, 800, n),
        "comentarios": rng.integers(0, 60, n),
        "compartidos": rng.integers(0, 90, n),
        "id_publicacion": np.arange(first, first + n),
    })


def _interactions(first: int, n: int, accounts: tuple[pa.Array, pa.Array]) -> pa.Table:
    """Interactions ``first`` to ``first + n``: 70% answered after an exponential delay."""
    rng = np.random.default_rng([8, first])
    who = pa.array(rng.integers(0, len(accounts[0]), n))
    received = _START + rng.integers(0, _YEAR, n)
    replied = _stamps(received + rng.exponential(20 * 3600, n).astype("int64"),
                      "%H:%M", " ")
    return pa.table({
        "red": accounts[0].take(who),
        "usuario": accounts[1].take(who),
        "fecha_recibido": _stamps(received, "%H:%M", " "),
        "texto": _pick(["¿A qué hora abre?", "Llevo tres días sin agua, nadie contesta",
                        "Gracias por la información", "¿Dónde pido cita?"], n, rng),
        "es_queja": _pick(["sí", "no", ""], n, rng),
        "fecha_respuesta": pc.if_else(pa.array(rng.random(n) < 0.7), replied, ""),
    })


def _write(path: Path, tables) -> None:
    """Append each table to ``path`` (CSV or Parquet by its suffix); written under a
    temporary name and renamed at the end, so an interrupted run leaves no partial file."""
    partial = path.with_suffix(path.suffix + ".partial")
    writer = None
    for table in tables:
        if writer is None:
            writer = (pq.ParquetWriter(partial, table.schema, compression="zstd")
                      if path.suffix == ".parquet" else pacsv.CSVWriter(partial, table.schema))
        writer.write_table(table)
    writer.close()
    partial.rename(path)


def _bare_read(path: str, columns: list[str] | None = None) -> pd.DataFrame:
    """The plain pandas read of one generated file, CSV or Parquet."""
    if path.endswith(".parquet"):
        return pd.read_parquet(path, columns=columns)
    return pd.read_csv(path, usecols=columns, dtype=dict.fromkeys(columns or [], "str"))


def _stages(paths: list[str], workers: int = 1, engine: str = "local") -> dict:
    """Time each stage of the audit on its own, and each check, to show where time goes;
    with more workers or Dask, also the split into shards, their pickled size and the
    sharded scoring (workers started, shards scored, joined)."""
    sys.path.insert(0, str(ROOT))
    from audit import load_rubric, run_audit, write_outputs
    from audit.gc_pause import gc_paused
    from audit.ingest.problems import ProblemLog
    from audit.ingest.reader import read_inputs
    from audit.ingest.validate import validate
    from audit.measure.checks import measure
    from audit.measure.features import build_features
    from audit.measure.profile_status import profile_activity
    from audit.peers.clusters import cluster_institutions
    from audit.pipeline import _load
    from audit.score.recommend import recommendations
    from audit.score.scorecard import score_audit

    times = {}

    def timed(name, func):
        """Run ``func``; keep its wall and CPU seconds (CPU above wall means threads).
        The cyclic collector is paused as ``run_audit`` pauses it."""
        start, cpu = time.perf_counter(), time.process_time()
        with gc_paused():
            value = func()
        times[name] = (time.perf_counter() - start, time.process_time() - cpu)
        return value

    rubric, log = load_rubric(), ProblemLog()
    read = timed("read", lambda: read_inputs([_load(p) for p in paths], log))
    data = timed("validate", lambda: validate(read, log))
    activity = timed("profile activity", lambda: profile_activity(
        data, rubric.status_days, rubric.window_days))
    features = timed("features", lambda: build_features(data, activity, rubric.status_days,
                                                        rubric.window_days))
    timed("text measures", lambda: features.text)
    for dimension, criterion in rubric.criteria():
        name = f"check {dimension['id']}.{criterion['id']}"
        timed(name, lambda c=criterion: measure(f=features, metric=c["metric"],
                                                params=c.get("params") or {}))
    card = timed("scorecard (every check again)", lambda: score_audit(features, rubric))
    if workers > 1 or engine == "dask":
        import pickle

        from audit.score.engines import score_sharded
        from audit.score.shards import split

        parts = timed(f"split into {workers} shards", lambda: split(features, workers))
        blob = timed("pickle one shard", lambda: pickle.dumps(parts[0], protocol=5))
        times[f"  (one shard: {len(blob) / 2**20:.0f} MB pickled)"] = (0.0, 0.0)
        features.__dict__.pop("text", None)
        timed(f"sharded scoring ({engine}, {workers} workers, with join)",
              lambda: score_sharded(features, rubric, workers, engine))
    timed("recommendations", lambda: recommendations(card.scores, rubric))
    timed("peers (clustering)", lambda: cluster_institutions(card.institutions))
    result = run_audit(paths, workers=workers, engine=engine)
    with tempfile.TemporaryDirectory() as out:
        timed("writing every output", lambda: write_outputs(result, out))
    return times


def _phase(phase: str, workers: int, engine: str, paths: list[str]) -> dict:
    if phase == "stages":
        return _stages(paths, workers, engine)
    monitor = _TreeMonitor()
    start = time.perf_counter()
    if phase == "bare":
        rows = sum(len(_bare_read(p)) for p in paths)
    else:
        sys.path.insert(0, str(ROOT))
        from audit import run_audit, write_outputs

        result = run_audit(paths, workers=workers, engine=engine)
        assert result.usable, result.problems.fatal_lines("en")
        with tempfile.TemporaryDirectory() as out:
            write_outputs(result, out)
        rows = sum(v["read"] for v in result.manifest()["rows"].values())
    seconds = time.perf_counter() - start
    tree_peak, workers_cpu = monitor.stop()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    # This process's own peak (the kernel's figure) or, with worker processes, the largest
    # sum of the memory (PSS) of this process and all its descendants seen at one time.
    peak = max(usage.ru_maxrss / 1024, tree_peak)  # KiB -> MiB on Linux
    # CPU seconds of the whole tree: on a shared machine wall time varies with the load.
    cpu = usage.ru_utime + usage.ru_stime + workers_cpu
    return {"seconds": seconds, "cpu": cpu, "peak_mb": peak, "rows": rows}


class _TreeMonitor:
    """Samples, every ``interval`` seconds on a thread, the memory of this process plus every
    descendant (worker processes, the fork server's children, Dask's workers) and each
    descendant's CPU seconds. The kernel's own counters cannot give these: a worker started
    by a fork server is not this process's child, so RUSAGE_CHILDREN misses it.

    Memory is the proportional set size (PSS): a page shared by several processes counts
    once in the sum. Resident sizes would count it in each: a library that forks the whole
    process to run a command (scikit-learn asks ``lscpu`` for the physical cores) showed,
    for the instant before the command started, twice the audit's memory.
    CPU of a descendant is its last sample, so up to one interval of each is not counted."""

    def __init__(self, interval: float = 0.05):
        import threading

        import psutil

        self._me, self._interval = psutil.Process(), interval
        self._peak, self._cpu = 0.0, {}
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psutil

        while not self._done.wait(self._interval):
            total = self._me.memory_full_info().pss
            for child in self._me.children(recursive=True):
                try:
                    total += child.memory_full_info().pss
                    times = child.cpu_times()
                    self._cpu[child.pid] = times.user + times.system
                except psutil.Error:  # it ended between the listing and the reading
                    continue
            self._peak = max(self._peak, total / 2**20)

    def stop(self) -> tuple[float, float]:
        """(peak MiB of the whole tree, CPU seconds of the descendants)."""
        self._done.set()
        self._thread.join()
        return self._peak, sum(self._cpu.values())


def size_arguments(parser: argparse.ArgumentParser) -> None:
    """The sizes of the generated observatory, shared by every benchmark that reads it."""
    parser.add_argument("--institutions", type=int, default=1000)
    parser.add_argument("--profiles", type=int, default=5000)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--interactions", type=int, default=200_000)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--phase":
        print(json.dumps(_phase(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5:])))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--generate":
        generate(*map(int, sys.argv[2:6]), *sys.argv[6:7])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size_arguments(parser)
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv",
                        help="file format of the generated sheets")
    parser.add_argument("--stages", action="store_true",
                        help="also time each stage and each check separately")
    parser.add_argument("--workers", type=int, default=1,
                        help="processes that score the institutions in shards (default: 1)")
    parser.add_argument("--engine", choices=("local", "dask"), default="local",
                        help="where the shards run (default: local processes)")
    args = parser.parse_args()
    engine = [str(args.workers), args.engine]
    sizes = (args.institutions, args.profiles, args.posts, args.interactions)
    # Generating in a process of its own: a child process starts with its parent's peak
    # memory, so a parent that generated the data would inflate every peak measured.
    subprocess.run([sys.executable, __file__, "--generate", *map(str, sizes), args.format],
                   check=True)
    paths = [str(p) for p in generate(args.institutions, args.profiles, args.posts,
                                      args.interactions, args.format)]
    results = {}
    for phase in ("bare", "audit"):
        done = subprocess.run([sys.executable, __file__, "--phase", phase, *engine, *paths],
                              capture_output=True, text=True, check=True)
        results[phase] = json.loads(done.stdout.strip().splitlines()[-1])
    bare, audit = results["bare"], results["audit"]
    print(f"{args.institutions:,} institutions, {args.profiles:,} profiles, {args.posts:,} posts, "
          f"{args.interactions:,} interactions; {args.workers} worker(s), {args.engine} engine")
    for name, run in (("bare read ", bare), ("full audit", audit)):
        print(f"{name}: {run['seconds']:7.1f} s   CPU {run['cpu']:7.1f} s   "
              f"peak {run['peak_mb']:7.0f} MB")
    print(f"ratio     : {audit['seconds'] / bare['seconds']:7.2f} x")
    texts = _bare_read(paths[1], ["texto"])["texto"]
    print(f"distinct tokens in the posts: {distinct_tokens(texts):,}")
    if args.stages:
        done = subprocess.run([sys.executable, __file__, "--phase", "stages", *engine, *paths],
                              capture_output=True, text=True, check=True)
        times = json.loads(done.stdout.strip().splitlines()[-1])
        print("stages (wall and CPU seconds, slowest first):")
        for name, (wall, cpu) in sorted(times.items(), key=lambda kv: -kv[1][0])[:18]:
            print(f"  {wall:6.2f}  {cpu:6.2f}  {name}")


if __name__ == "__main__":
    main()
