"""Benchmark: hostile archives through the command line, time and peak memory of each run.

    python bench/bench_hostile.py

Builds, in a temporary folder:
  - a zip bomb: a profiles CSV and one member of 1 GiB of zeros, a few MB compressed;
  - the same bomb with its headers rewritten to declare 1 KiB (a lying header): the
    directory check passes, the streamed read must stop at what the header declares;
  - zips of 10,000 and 100,000 tiny members;
and runs ``python -m audit run ZIP --out DIR`` on each, in a child process whose peak
resident memory comes from the operating system (``os.wait4``). The demo workbook is run
first as the reference for a normal audit. Target: the 1 GiB bomb refused in under 5 s
with under 500 MB of memory, with a message that says why. A second table times
``read_inputs`` alone in a child that has already imported the reader: the cost of the
refusal itself, without the interpreter's start-up and the library's imports.
"""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "sample_data" / "demo_auditoria_sintetica.xlsx"
MIB = 1024 * 1024
PROFILES = "institución;red;usuario\r\nMuseo;Facebook;@museo\r\n".encode()
TARGET_SECONDS, TARGET_MB = 5.0, 500


def bomb(path: Path, gib: int = 1) -> Path:
    """A profiles CSV and ``gib`` GiB of zeros, deflated (about 1 MB per GiB)."""
    zeros = bytes(MIB)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("perfiles.csv", PROFILES)
        with z.open("publicaciones.csv", "w", force_zip64=True) as member:
            for _ in range(gib * 1024):
                member.write(zeros)
    return path


def lying(source: Path, path: Path, declared: int = 1024) -> Path:
    """The bomb with its big member's uncompressed size rewritten to ``declared`` in both
    headers (the 32-bit field, and the zip64 extra field where the writer used one)."""
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        local = z.getinfo("publicaciones.csv").header_offset
    central = data.rfind(b"PK\x01\x02")  # the last entry: publicaciones.csv
    # (header start, offset of the uncompressed size, offset of the name and extra
    # lengths, length of the fixed part) for the local header and the central entry
    for header, size_at, lengths_at, fixed in ((local, 22, 26, 30), (central, 24, 28, 46)):
        if struct.unpack_from("<I", data, header + size_at)[0] != 0xFFFFFFFF:
            struct.pack_into("<I", data, header + size_at, declared)
        name_len, extra_len = struct.unpack_from("<HH", data, header + lengths_at)
        extra = header + fixed + name_len
        while extra < header + fixed + name_len + extra_len:
            tag, size = struct.unpack_from("<HH", data, extra)
            if tag == 1:  # zip64: the uncompressed size comes first
                struct.pack_into("<Q", data, extra + 4, declared)
            extra += 4 + size
    path.write_bytes(bytes(data))
    return path


def many(path: Path, count: int) -> Path:
    """A profiles CSV and ``count`` tiny CSV members."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("perfiles.csv", PROFILES)
        for i in range(count):
            z.writestr(f"extra/{i:06d}.csv", "a,b\n1,2\n")
    return path


# Run in a child: import the reader, then time read_inputs alone and report peak memory
# before and after it (MB), so that the cost of refusing is told apart from start-up.
_READ_ALONE = """
import resource, sys, time
from pathlib import Path
from audit.ingest.problems import ProblemLog
from audit.ingest.reader import read_inputs
source = Path(sys.argv[1])
data = source.read_bytes()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
start = time.perf_counter()
read_inputs([(source.name, data)], ProblemLog())
seconds = time.perf_counter() - start
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(seconds, before, after)
"""


def run_cli(source: Path, out: Path) -> tuple[int, float, float, float, str]:
    """Exit status, wall and CPU seconds, peak MB and the reason printed, of one CLI run."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "audit", "run", str(source), "--out",
                              str(out), "--lang", "en"], cwd=ROOT, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    err = child.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    lines = [line.strip() for line in err.splitlines() if line.strip()]
    reason = next((line for line in lines if line.startswith("- ")), lines[0] if lines else "")
    return (os.waitstatus_to_exitcode(status), seconds, usage.ru_utime + usage.ru_stime,
            usage.ru_maxrss / 1024, reason)


def run_read(source: Path) -> tuple[float, float, float]:
    """Seconds in read_inputs, and peak MB of its process before and after it."""
    done = subprocess.run([sys.executable, "-c", _READ_ALONE, str(source)], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    seconds, before, after = map(float, done.stdout.split())
    return seconds, before, after


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print("building inputs...", flush=True)
        big = bomb(folder / "bomb_1gib.zip")
        cases = [("demo workbook (reference)", DEMO),
                 ("zip bomb, 1 GiB", big),
                 ("zip bomb, header lies (1 KiB)", lying(big, folder / "bomb_lying.zip")),
                 ("10,000 members", many(folder / "members_10k.zip", 10_000)),
                 ("100,000 members", many(folder / "members_100k.zip", 100_000))]
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"python -m audit run INPUT: the whole command, start-up and imports included "
              f"(load average {load} on {os.cpu_count()} cores: wall time grows with it, "
              "CPU time does not)")
        print(f"{'input':31} {'size':>8} {'exit':>4} {'wall s':>7} {'cpu s':>6} {'peak MB':>7}"
              "  message")
        for label, source in cases:
            code, wall, cpu, peak, reason = run_cli(source, folder / "out")
            size = f"{source.stat().st_size / MIB:.1f} MB"
            print(f"{label:31} {size:>8} {code:>4} {wall:7.2f} {cpu:6.2f} {peak:7.0f}  "
                  f"{reason[:80]}", flush=True)
            if label == "zip bomb, 1 GiB":
                refused = code == 2 and peak < TARGET_MB
                verdict = {(True, True): "met", (True, False): "met in CPU time only"}.get(
                    (refused and cpu < TARGET_SECONDS, wall < TARGET_SECONDS), "NOT MET")
                print(f"{'':31} target refused in < {TARGET_SECONDS:.0f} s with < "
                      f"{TARGET_MB} MB: {verdict}")
        print("\nread_inputs alone, after imports (peak MB of the process before -> after)")
        for label, source in cases[1:]:
            seconds, before, after = run_read(source)
            print(f"{label:31} {seconds:7.3f} s  {before:5.0f} -> {after:5.0f} MB", flush=True)


if __name__ == "__main__":
    main()
