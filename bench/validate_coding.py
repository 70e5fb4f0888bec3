"""Validation of audit.research.coding on hand-labelled town-hall tweets (UAM open-government
taxonomy).

    python bench/validate_coding.py [--folds 10] [--repeats 5] [--layers 1 2 3] [--tune-offsets]

Reads ../shared/real-data/uam-ayuntamientos/all_multiclass_20220911.json (2,264 tweets of
128 Spanish town halls, coded by hand by a Universidad Autónoma de Madrid project). Each
record has `label`, a list of the codes of every layer that applies, and the file also
carries one column per layer, `target_layer_1/2/3`, with None where the layer does not
apply. The three data sets are built from those columns (the ones the original project
used), which agree with `label` except for 14 irregular records (two codes in one layer, no
code at all, or a missing parent code), where the file's own per-layer column settles it:

- layer 1, every tweet: transparencia / colaboracion_ciudadana / fomento_de_la_participacion
  (2,264 tweets);
- layer 2, tweets coded transparencia: decisiones / agradecimientos_y_actos_simbolicos /
  estado_de_servicio (1,958 tweets);
- layer 3, tweets with a layer-3 code: resultados / contenido / racionalidad (1,114 tweets;
  1,111 coded decisiones in layer 2 and 3 irregular ones).

For each layer it runs audit.research.coding.evaluate (stratified k-fold, seed 0) and prints macro
F1, Cohen's kappa, per-class F1 and the time taken, then the command line that reproduces
the figure with ``python -m audit code evaluate`` on a temporary CSV of that layer (or on
the JSON file itself: rows whose label column is null are skipped). With ``--repeats R`` it
also prints the mean, standard deviation and range over R fold shufflings (seeds 0..R-1),
the figure to compare settings with: one shuffle moves layer 3 by about 0.01.
Reference: the original project reports, for layer 3 with 10-fold cross-validation, macro F1
0.649 and kappa 0.494 with a logistic regression on transformer sentence embeddings.

When ../shared is not there (the project's repository alone), it says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd

from audit.research import coding

DATA = ROOT.parent / "shared" / "real-data" / "uam-ayuntamientos" / "all_multiclass_20220911.json"
REFERENCE = {"3": {"macro_f1": 0.649, "kappa": 0.494,
                   "source": "UAM project, transformer embeddings + logistic regression"}}


def layers(records: list[dict]) -> dict[str, pd.DataFrame]:
    """One (text, label) frame per layer, from the file's per-layer columns."""
    out = {}
    for layer in ("1", "2", "3"):
        column = f"target_layer_{layer}"
        rows = [(r["text"], r[column]) for r in records if r.get(column) not in (None, "None")]
        out[layer] = pd.DataFrame(rows, columns=["text", "label"])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--layers", nargs="+", default=["1", "2", "3"], choices=["1", "2", "3"])
    parser.add_argument("--tune-offsets", action="store_true",
                        help="per-class offsets for macro F1 by inner CV (slower)")
    parser.add_argument("--repeats", type=int, default=1,
                        help="repeat the cross-validation with seeds 0..R-1: mean and spread")
    parser.add_argument("--jobs", type=int, default=-1)
    args = parser.parse_args(argv)
    if not DATA.is_file():
        print(f"Real data not found ({DATA}); nothing to validate.")
        return 0
    records = json.loads(DATA.read_text(encoding="utf-8"))
    data = layers(records)
    settings = {"tune_offsets": True} if args.tune_offsets else {}
    print(f"Settings: {coding._settings_json(settings)}")
    temp = Path(tempfile.mkdtemp(prefix="uam-coding-"))
    summary = {}
    for layer in args.layers:
        frame = data[layer]
        csv = temp / f"uam_layer{layer}.csv"
        frame.to_csv(csv, index=False)
        start = time.perf_counter()
        result = coding.evaluate(frame["text"].tolist(), frame["label"].tolist(),
                                 folds=args.folds, n_jobs=args.jobs, repeats=args.repeats,
                                 **settings)
        seconds = time.perf_counter() - start
        summary[layer] = {"n": result["n"], "macro_f1": result["macro_f1"],
                          "kappa": result["kappa"], "seconds": round(seconds, 1)}
        per_class = ", ".join(f"{c} {v['f1']:.3f} (n={v['support']})"
                              for c, v in result["per_class"].items())
        print(f"\nLayer {layer}: n={result['n']}  macro F1 {result['macro_f1']:.3f}  "
              f"kappa {result['kappa']:.3f}  accuracy {result['accuracy']:.3f}  "
              f"{seconds:.1f} s")
        print(f"  per-class F1: {per_class}")
        repeated = result.get("repeated")
        if repeated:
            summary[layer]["repeated"] = {k: repeated[k] for k in (
                "repeats", "macro_f1_mean", "macro_f1_sd", "macro_f1_min", "macro_f1_max",
                "kappa_mean", "kappa_sd")}
            print(f"  over {repeated['repeats']} shufflings (seeds {repeated['seeds']}): "
                  f"macro F1 {repeated['macro_f1_mean']:.3f} ± {repeated['macro_f1_sd']:.3f} "
                  f"({repeated['macro_f1_min']:.3f}-{repeated['macro_f1_max']:.3f}), kappa "
                  f"{repeated['kappa_mean']:.3f} ± {repeated['kappa_sd']:.3f}")
        print(f"  confusion (rows coded, columns predicted) {result['confusion_matrix']}")
        if layer in REFERENCE:
            ref = REFERENCE[layer]
            print(f"  reference: macro F1 {ref['macro_f1']}, kappa {ref['kappa']} "
                  f"({ref['source']})")
        flags = (" --tune-offsets" if args.tune_offsets else "") + (
            f" --repeats {args.repeats}" if args.repeats > 1 else "")
        print(f"  reproduce: python -m audit code evaluate {csv} --text text --label label "
              f"--folds {args.folds}{flags}")
        print(f"         or: python -m audit code evaluate {DATA} --text text "
              f"--label target_layer_{layer} --folds {args.folds}{flags}")
    print("\n" + json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
