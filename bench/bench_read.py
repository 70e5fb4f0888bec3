"""Benchmark: reading and validating a 200,000-row posts sheet against a bare pandas read.

    python bench/bench_read.py [--rows 200000] [--repeat 3]

Generates (once, into bench/data/, not committed) a workbook and a CSV set with a small
profiles sheet and a large posts sheet in the contract's Spanish form, then times, in the
same run and best of N:
  - the bare read: pd.read_excel(engine="calamine") of the posts sheet / pd.read_csv of
    the posts file;
  - the audit's reader + validation (read_inputs, validate) of the same input: every cell
    parsed, every problem collected (scoring is bench_audit.py's subject).
Prints the figures and the ratio; the target is at most 1.3x the bare read.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
import tracemalloc
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from audit.ingest.problems import ProblemLog
from audit.ingest.reader import read_inputs
from audit.ingest.validate import validate
from audit.pipeline import _load

DATA = Path(__file__).resolve().parent / "data"
NETWORKS = ["Facebook", "Instagram", "X", "YouTube", "TikTok"]
WORDS = ("horario atención ciudadanía presupuesto obras vacunación biblioteca taller evento "
         "consulta trámite agua luz parque cultura deporte salud cita información").split()
POST_HEADERS = ["red", "usuario", "fecha", "texto", "tipo", "me_gusta", "comentarios",
                "compartidos", "reproducciones", "url", "id_publicacion"]


def _rows(n: int, seed: int = 7):
    rng = random.Random(seed)
    handles = [f"institucion{i:03d}" for i in range(200)]
    start = datetime(2025, 11, 1)
    profiles = [["institución", "red", "usuario", "sector", "país", "seguidores"]]
    for i, handle in enumerate(handles):
        for network in NETWORKS:
            profiles.append([f"Institución {i:03d}", network, f"@{handle}", "gobierno local",
                             "España", rng.randint(100, 90000)])
    posts = [POST_HEADERS]
    for k in range(n):
        handle = rng.choice(handles)
        network = rng.choice(NETWORKS)
        when = start + timedelta(minutes=rng.randint(0, 365 * 24 * 60))
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 30)))
        posts.append([network, handle, when, text, rng.choice(["foto", "vídeo", "enlace"]),
                      rng.randint(0, 500), rng.randint(0, 60), rng.randint(0, 40),
                      rng.randint(0, 9000), f"https://example.org/p/{k}", str(k)])
    return profiles, posts


def _prepare(n: int) -> tuple[Path, Path, Path]:
    DATA.mkdir(exist_ok=True)
    xlsx, posts_csv, profiles_csv = (DATA / f"bench_{n}.xlsx", DATA / f"publicaciones_{n}.csv",
                                     DATA / f"perfiles_{n}.csv")
    if xlsx.exists() and posts_csv.exists() and profiles_csv.exists():
        return xlsx, posts_csv, profiles_csv
    print(f"generating {n:,} posts (once)...", flush=True)
    profiles, posts = _rows(n)
    book = openpyxl.Workbook(write_only=True)
    for name, rows in (("perfiles", profiles), ("publicaciones", posts)):
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(xlsx)
    for path, rows in ((profiles_csv, profiles), (posts_csv, posts)):
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            for row in rows:
                writer.writerow([v.strftime("%d/%m/%Y %H:%M") if isinstance(v, datetime) else v
                                 for v in row])
    return xlsx, posts_csv, profiles_csv


def _best(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def _peak_mb(func) -> float:
    tracemalloc.start()
    func()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    xlsx, posts_csv, profiles_csv = _prepare(args.rows)

    def audit(paths):
        log = ProblemLog()
        data = validate(read_inputs([_load(p) for p in paths], log), log)
        assert not log.fatal and len(data.posts) == args.rows, log.fatal_lines("en")

    cases = [
        ("xlsx", lambda: pd.read_excel(xlsx, sheet_name="publicaciones", engine="calamine"),
         lambda: audit([xlsx])),
        ("csv", lambda: pd.read_csv(posts_csv, sep=";"),
         lambda: audit([profiles_csv, posts_csv])),
    ]
    print(f"{args.rows:,} posts, best of {args.repeat}")
    print(f"{'input':<6} {'bare read s':>12} {'audit read s':>13} {'ratio':>6} "
          f"{'audit peak MB':>14}")
    for name, bare, ours in cases:
        bare_s, ours_s = _best(bare, args.repeat), _best(ours, args.repeat)
        print(f"{name:<6} {bare_s:>12.2f} {ours_s:>13.2f} {ours_s / bare_s:>6.2f} "
              f"{_peak_mb(ours):>14.0f}", flush=True)


if __name__ == "__main__":
    main()
