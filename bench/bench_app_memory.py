"""Benchmark: memory of the app's server after hostile uploads, then a good one.

    python bench/bench_app_memory.py

Drives the real app headless (Streamlit's AppTest, in this process: the process is the
server) and prints its resident memory (current, from /proc/self/status, and peak) after
each step:
  1. the app started;
  2. a zip bomb uploaded (a profiles CSV and 1 GiB of zeros, about 1 MB compressed);
  3. a broken workbook uploaded in its place;
  4. the demo workbook uploaded in its place.
Target: the bomb raises the server by far less than its expanded size (it is refused from
the zip's directory), and after the good upload the memory is that of one audit of the
demo: no failed audit is held by a cache (ui/state.py).
"""

from __future__ import annotations

import gc
import resource
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_hostile import bomb
from streamlit.testing.v1 import AppTest

DEMO = ROOT / "sample_data" / "demo_auditoria_sintetica.xlsx"


def rss_mb() -> tuple[float, float]:
    """Current and peak resident memory of this process, MB."""
    status = Path("/proc/self/status").read_text(encoding="ascii")
    current = next(int(line.split()[1]) for line in status.splitlines()
                   if line.startswith("VmRSS:"))
    return current / 1024, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        zipped = bomb(Path(tmp) / "bomb_1gib.zip").read_bytes()
    steps = [("zip bomb (1 GiB unzipped)", ("bomba.zip", zipped, "application/zip")),
             ("broken workbook", ("roto.xlsx", b"PK\x03\x04 not a workbook",
                                  "application/octet-stream")),
             ("demo workbook", (DEMO.name, DEMO.read_bytes(), "application/vnd.ms-excel"))]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300).run()
    print(f"{'step':32} {'errors shown':>12} {'RSS MB':>8} {'peak MB':>8}")
    current, peak = rss_mb()
    print(f"{'app started':32} {'':>12} {current:8.0f} {peak:8.0f}")
    for label, upload in steps:
        at.file_uploader[0].set_value(upload).run()
        if at.exception:
            raise SystemExit(f"the app raised: {at.exception[0].value}")
        gc.collect()
        current, peak = rss_mb()
        print(f"{label:32} {len(at.error):>12} {current:8.0f} {peak:8.0f}", flush=True)


if __name__ == "__main__":
    main()
