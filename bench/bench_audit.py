"""Benchmark: the whole audit of a large observatory against a bare pandas read.

    python bench/bench_audit.py [--institutions 1000] [--profiles 5000] [--posts 1000000]
                                [--interactions 200000]

Generates (once, into bench/data/, not committed) the four sheets of the input contract as
CSV files, then runs in separate processes, so that each peak memory is its own:
  - the bare read: pd.read_csv of the four files;
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


def _texts(lengths: np.ndarray, rng: np.random.Generator) -> list[str]:
    """Post texts with the long tail of real posts: Zipf-distributed words from a large
    frequency list, capitalised sentence starts, trailing punctuation, and hashtags,
    mentions, numbers and links, so that the distinct tokens of a million posts are about
    as many as in real ones (some 84,000) and per-distinct-token costs show."""
    vocab = _vocabulary(VOCABULARY, rng)
    weights = 1 / np.arange(1, len(vocab) + 1)
    weights /= weights.sum()
    words = rng.choice(vocab, lengths.sum(), p=weights).astype(object)
    starts = np.cumsum(lengths) - lengths
    words[starts] = [w.capitalize() for w in words[starts]]
    marks = rng.random(len(words))
    words[marks < 0.04] = words[marks < 0.04] + ","
    words[(marks >= 0.04) & (marks < 0.07)] = words[(marks >= 0.04) & (marks < 0.07)] + "."
    extras = np.array([f"#{w.capitalize()}{y}" for w in vocab[:400] for y in ("", "2025")]
                      + [f"@{w}{n}" for w in vocab[:300] for n in range(4)]
                      + [str(n) for n in range(2100)])
    n_posts = len(lengths)
    tail = rng.choice(extras, n_posts).astype(object)
    tail[rng.random(n_posts) < 0.6] = ""
    links = rng.random(n_posts) < 0.15
    tail[links] = [f"https://bit.ly/{k:x}" for k in rng.integers(0, 1 << 40, links.sum())]
    texts = [" ".join(chunk) for chunk in np.split(words, np.cumsum(lengths)[:-1])]
    return [f"{t} {x}" if x else t for t, x in zip(texts, tail.tolist(), strict=True)]


def distinct_tokens(texts: pd.Series) -> int:
    """Distinct space-separated tokens of the texts (links apart: the audit reads each link
    as a break, not as a word)."""
    tokens = pc.list_flatten(pc.split_pattern(pa.array(texts, pa.string()), " "))
    return len(pc.unique(tokens.filter(pc.invert(pc.starts_with(tokens, "https://")))))


def generate(n_inst: int, n_prof: int, n_posts: int, n_inter: int) -> list[Path]:
    tag = f"{n_inst}_{n_prof}_{n_posts}_{n_inter}_v3"
    paths = [DATA / f"{name}_{tag}.csv" for name in
             ("perfiles", "publicaciones", "interacciones", "gobernanza")]
    if all(p.exists() for p in paths):
        return paths
    DATA.mkdir(exist_ok=True)
    print(f"generating {n_posts:,} posts (once)...", flush=True)
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
    owner = rng.integers(0, n_prof, n_posts)
    texts = _texts(rng.integers(8, 40, n_posts), rng)
    start = pd.Timestamp("2025-11-01", tz="UTC").value // 10**9
    stamps = start + rng.integers(0, 365 * 86400, n_posts)
    posts = pd.DataFrame({
        "red": profiles["red"].to_numpy()[owner],
        "usuario": profiles["usuario"].to_numpy()[owner],
        "fecha": pd.to_datetime(stamps, unit="s", utc=True).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "texto": texts,
        "tipo": rng.choice(["foto", "vídeo", "enlace", "texto"], n_posts),
        "me_gusta": rng.integers(0, 800, n_posts),
        "comentarios": rng.integers(0, 60, n_posts),
        "compartidos": rng.integers(0, 90, n_posts),
        "id_publicacion": np.arange(n_posts),
    })
    who = rng.integers(0, n_prof, n_inter)
    received = start + rng.integers(0, 365 * 86400, n_inter)
    delay = rng.exponential(20 * 3600, n_inter).astype("int64")
    replied = pd.to_datetime(received + delay, unit="s", utc=True).strftime("%Y-%m-%d %H:%M")
    interactions = pd.DataFrame({
        "red": profiles["red"].to_numpy()[who],
        "usuario": profiles["usuario"].to_numpy()[who],
        "fecha_recibido": pd.to_datetime(received, unit="s", utc=True).strftime(
            "%Y-%m-%d %H:%M"),
        "texto": rng.choice(["¿A qué hora abre?", "Llevo tres días sin agua, nadie contesta",
                             "Gracias por la información", "¿Dónde pido cita?"], n_inter),
        "es_queja": rng.choice(["sí", "no", ""], n_inter),
        "fecha_respuesta": np.where(rng.random(n_inter) < 0.7, replied, ""),
    })
    items = ["responsable", "objetivos", "guia_estilo", "protocolos", "protocolo_quejas"]
    governance = pd.DataFrame(
        [(f"Institución {i:05d}", item, rng.choice(["sí", "parcial", "no"]))
         for i in range(n_inst) for item in items],
        columns=["institución", "pregunta", "respuesta"])
    for path, frame in zip(paths, (profiles, posts, interactions, governance), strict=True):
        frame.to_csv(path, index=False)
    return paths


def _stages(paths: list[str], workers: int = 1, engine: str = "local") -> dict:
    """Time each stage of the audit on its own, and each check, to show where time goes;
    with more workers or Dask, also the split into shards, their pickled size and the
    sharded scoring (workers started, shards scored, joined)."""
    sys.path.insert(0, str(ROOT))
    from audit import load_rubric, run_audit, write_outputs
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
        """Run ``func``; keep its wall and CPU seconds (CPU above wall means threads)."""
        start, cpu = time.perf_counter(), time.process_time()
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
    start = time.perf_counter()
    if phase == "bare":
        rows = sum(len(pd.read_csv(p)) for p in paths)
    else:
        sys.path.insert(0, str(ROOT))
        from audit import run_audit, write_outputs

        result = run_audit(paths, workers=workers, engine=engine)
        assert result.usable, result.problems.fatal_lines("en")
        with tempfile.TemporaryDirectory() as out:
            write_outputs(result, out)
        rows = sum(v["read"] for v in result.manifest()["rows"].values())
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    # Worker processes (reaped once the pool closes) count too: CPU is theirs added, peak
    # memory the sum of this process's and the largest worker's, an upper bound.
    workers_usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = (usage.ru_maxrss + workers_usage.ru_maxrss) / 1024  # KiB -> MiB on Linux
    # CPU seconds of the whole process: on a shared machine wall time varies with the load.
    cpu = usage.ru_utime + usage.ru_stime + workers_usage.ru_utime + workers_usage.ru_stime
    return {"seconds": seconds, "cpu": cpu, "peak_mb": peak, "rows": rows}


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--phase":
        print(json.dumps(_phase(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5:])))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--generate":
        generate(*map(int, sys.argv[2:6]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--institutions", type=int, default=1000)
    parser.add_argument("--profiles", type=int, default=5000)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--interactions", type=int, default=200_000)
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
    subprocess.run([sys.executable, __file__, "--generate", *map(str, sizes)], check=True)
    paths = [str(p) for p in generate(args.institutions, args.profiles, args.posts,
                                      args.interactions)]
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
    texts = pd.read_csv(paths[1], usecols=["texto"], dtype={"texto": "str"})["texto"]
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
