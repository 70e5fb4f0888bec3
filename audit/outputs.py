"""Write an audit's results as files: the output contract researchers and checks rely on.

Files are written in a fixed order with fixed formatting (UTF-8, '\\n' line ends, sorted
keys) so that the same audit gives the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .pipeline import AuditResult

__all__ = ["write_outputs"]


def write_outputs(result: AuditResult, out_dir: str | Path) -> list[Path]:
    """Write problems.csv, audit.json and, when the input was usable, profiles.csv."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = [_csv(result.problems.frame(result.lang), out / "problems.csv")]
    if result.profiles is not None:
        written.append(_csv(result.profiles, out / "profiles.csv"))
    manifest = out / "audit.json"
    manifest.write_text(json.dumps(result.manifest(), indent=2, sort_keys=True,
                                   ensure_ascii=False) + "\n", encoding="utf-8")
    written.append(manifest)
    return written


def _csv(frame: pd.DataFrame, path: Path) -> Path:
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    return path
