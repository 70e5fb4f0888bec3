"""The text measures against people: how often the tool's own, explainable term lists agree
with hand coding of real tweets, and what a trained classifier reaches on the same target.

    python bench/validate_measures.py [--real-data DIR] [--rubric gobierno] [--folds 10]
                                      [--no-model] [--half all|tune|test]

Measures (the rubric's term lists, matched exactly as the audit matches them, with
audit.measure.checks.transparency.find_terms):

- accountability (criterion ``accountability``, check accountability_share) on the 2,264
  town-hall tweets of uam-ayuntamientos, against the coders' layer-2 label "decisiones"
  (the town hall reports what it decided or did) and layer-3 "resultados" (it reports
  results); a tweet without that code is a negative;
- complaints (criterion ``complaint_response``, option complaint_terms, as
  audit.measure.checks.responsiveness.complaints detects them in texts) on the 2,498
  citizen tweets, against "informativo_demandante" (a request or report of a problem),
  "destructivo" (an attack or complaint) and their union;
- political content (criterion ``political_content``, check political_share, the rubric's
  ``term_lists.campaign``) on tests/data/political_sample.csv: 163 short posts written for
  the purpose and labelled by docs/political_codebook.md before measuring (no trained model:
  too few posts). A self-written sample flatters a term list: its author knows the phrasings.

For each: the confusion counts, precision, recall and F1 of the positive class, macro F1
(mean of both classes' F1) and Cohen's kappa (sklearn.metrics). Beside it, with ``--folds``
k-fold cross-validation (seed 0), the project's trained classifier
(audit.research.coding.evaluate) on the same binary target and the same tweets.

Hold-out: the term lists were revised looking only at a fixed random half of each file
(``--half tune``: seed 0, every other tweet of a shuffled order); ``--half test`` reports
on the other half, never looked at, ``--half all`` (default) on every tweet. Without the
real-data folder it says so and exits 0. The political sample is split by id instead: the
list was revised on the odd ids (tune) and the even ids (test) were only measured.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score, confusion_matrix, f1_score
from validate_rubric import CITIZENS, REAL_DATA, TOWN_HALLS, town_hall_tweets

from audit.measure.checks.transparency import find_terms
from audit.research import coding
from audit.score.rubric import load_rubric

#: The seed of the tune / test split of each file.
SPLIT_SEED = 0
#: Posts written and labelled by hand for political content (docs/political_codebook.md).
POLITICAL_SAMPLE = ROOT / "tests" / "data" / "political_sample.csv"


def citizen_tweets(real_data: Path) -> pd.DataFrame:
    """The 2,498 labelled citizen tweets: text and their list of labels."""
    records = json.loads((real_data / CITIZENS).read_text(encoding="utf-8"))
    return pd.DataFrame({"text": [r["text"] for r in records],
                         "labels": [list(r["label"] or []) for r in records]})


def half(frame: pd.DataFrame, which: str) -> pd.DataFrame:
    """The tune half, the test half or all of a file (a fixed shuffle, seed SPLIT_SEED)."""
    if which == "all":
        return frame
    order = np.random.default_rng(SPLIT_SEED).permutation(len(frame))
    picked = order[0::2] if which == "tune" else order[1::2]
    return frame.iloc[np.sort(picked)]


def political_half(frame: pd.DataFrame, which: str) -> pd.DataFrame:
    """The tune half (odd ids), the test half (even ids) or all of the political sample."""
    if which == "all":
        return frame
    return frame[frame["id"] % 2 == (1 if which == "tune" else 0)]


def political_sample(rubric, which: str) -> dict:
    """The campaign term list against the hand-labelled sample, with the posts it gets wrong."""
    sample = political_half(pd.read_csv(POLITICAL_SAMPLE, dtype={"text": str}), which)
    detected, _ = find_terms(sample["text"], criterion_params(rubric, "political_content")
                             ["terms"])
    coded = (sample["political"] == 1).to_numpy()
    print(f"Political sample ({which}): campaign terms of rubric {rubric.id}")
    out = report("political content vs labels", sample["text"], detected, coded, None)
    for name, wrong in (("missed", coded & ~detected), ("false alarm", ~coded & detected)):
        for row in sample[wrong].itertuples():
            print(f"  {name}: {row.id} {row.text}")
    return out


def criterion_params(rubric, criterion_id: str) -> dict:
    for _, criterion in rubric.criteria():
        if criterion["id"] == criterion_id:
            return rubric.params(criterion)
    raise SystemExit(f"the rubric has no criterion {criterion_id!r}")


def agreement(coded: np.ndarray, predicted: np.ndarray) -> dict:
    """Confusion counts and the figures of the positive class, macro F1 and kappa."""
    tn, fp, fn, tp = confusion_matrix(coded, predicted, labels=[False, True]).ravel()
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {"n": len(coded), "coded": int(coded.sum()), "detected": int(predicted.sum()),
            "tp": int(tp), "fp": int(fp), "fn": int(fn), "tn": int(tn),
            "precision": round(float(precision), 3), "recall": round(float(recall), 3),
            "f1": round(float(f1_score(coded, predicted, zero_division=0)), 3),
            "macro_f1": round(float(f1_score(coded, predicted, average="macro",
                                             zero_division=0)), 3),
            "kappa": round(float(cohen_kappa_score(coded, predicted)), 3)}


def classifier(texts: pd.Series, coded: np.ndarray, folds: int) -> dict:
    """The trained classifier's cross-validated figures on the same binary target."""
    labels = np.where(coded, "yes", "no").tolist()
    result = coding.evaluate(texts.tolist(), labels, folds=folds, n_jobs=-1)
    yes = result["per_class"]["yes"]
    return {"precision": yes["precision"], "recall": yes["recall"], "f1": yes["f1"],
            "macro_f1": result["macro_f1"], "kappa": result["kappa"]}


def _line(name: str, figures: dict) -> str:
    return (f"  {name:<22} P {figures['precision']:.3f}  R {figures['recall']:.3f}  "
            f"F1 {figures['f1']:.3f}  macro F1 {figures['macro_f1']:.3f}  "
            f"kappa {figures['kappa']:.3f}")


def report(title: str, texts: pd.Series, detected: np.ndarray, coded: np.ndarray,
           folds: int | None) -> dict:
    measured = agreement(coded, detected)
    print(f"\n{title}: n={measured['n']}, coded {measured['coded']}, detected "
          f"{measured['detected']} (TP {measured['tp']}, FP {measured['fp']}, FN "
          f"{measured['fn']}, TN {measured['tn']})")
    print(_line("term list (rubric)", measured))
    out = {"terms": measured}
    if folds:
        out["model"] = classifier(texts, coded, folds)
        print(_line(f"trained model, {folds}-fold", out["model"]))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real-data", type=Path, default=REAL_DATA,
                        help="folder with uam-ayuntamientos/ "
                             "(default: shared/real-data beside the repository)")
    parser.add_argument("--rubric", default="gobierno")
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--no-model", action="store_true",
                        help="skip the trained classifier (seconds instead of minutes)")
    parser.add_argument("--half", choices=["all", "tune", "test"], default="all")
    args = parser.parse_args(argv)
    rubric = load_rubric(args.rubric)
    summary = {"political~labels": political_sample(rubric, args.half)}
    if not (args.real_data / TOWN_HALLS).is_file():
        print(f"\nReal data not found ({args.real_data}); nothing else to validate.")
        print("\n" + json.dumps(summary, indent=2))
        return 0
    folds = None if args.no_model else args.folds

    town = half(town_hall_tweets(args.real_data), args.half)
    print()
    accountability, _ = find_terms(town["text"], criterion_params(rubric, "accountability")
                                   ["terms"])
    print(f"Town-hall tweets ({args.half}): accountability terms of rubric {rubric.id}")
    for target, layer in (("decisiones", "layer_2"), ("resultados", "layer_3")):
        summary[f"accountability~{target}"] = report(
            f"accountability vs {target}", town["text"], accountability,
            (town[layer] == target).to_numpy(), folds)

    citizens = half(citizen_tweets(args.real_data), args.half)
    terms = criterion_params(rubric, "complaint_response")["complaint_terms"]
    complaint, _ = find_terms(citizens["text"], list(terms))
    print(f"\nCitizen tweets ({args.half}): complaint terms of rubric {rubric.id}")
    targets = {"informativo_demandante": {"informativo_demandante"},
               "destructivo": {"destructivo"},
               "demandante+destructivo": {"informativo_demandante", "destructivo"}}
    for target, wanted in targets.items():
        coded = citizens["labels"].map(lambda labels, w=wanted: bool(w & set(labels)))
        summary[f"complaints~{target}"] = report(
            f"complaints vs {target}", citizens["text"], complaint, coded.to_numpy(), folds)
    print("\n" + json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
