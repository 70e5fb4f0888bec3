"""Recommendations: the rubric's action for every criterion below its target, ranked.

priority = weight of the criterion in the overall score x gap to the target / effort,
where the weight in the overall score is the dimension's share of the rubric times the
criterion's share of its dimension, and the gap is target - score (both 0-1). The horizon
(an id of the rubric's ``horizons``, which give its days and labels) and the effort come
from the rubric; the evidence from the check; the source is the work the criterion cites:
its id in the bibliography (``source``), the citation a reader sees (``source_es``,
``source_en``: "Title (Author, Year)") and the passage, quoted or labelled a paraphrase
(``source_passage_es``, ``source_passage_en``; see ``audit.score.sources``).
"""

from __future__ import annotations

import pandas as pd

from audit.messages import LANGS
from audit.score.rubric import Rubric
from audit.score.sources import citation, passage

__all__ = ["recommendations"]
COLUMNS = ["institution", "rank", "dimension", "criterion", "priority", "score", "target",
           "horizon", "effort", "action_es", "action_en", "evidence_es", "evidence_en",
           "source", "source_es", "source_en", "source_passage_es", "source_passage_en"]


def recommendations(scores: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """One row per (institution, criterion) below target, ranked within each institution."""
    if scores.empty:
        return pd.DataFrame(columns=COLUMNS)
    dim_weights = {d["id"]: float(d["weight"]) for d in rubric.dimensions}
    total = sum(dim_weights.values())
    specs, shares = {}, {}
    for dimension, criterion in rubric.criteria():
        in_dimension = sum(float(c["weight"]) for c in dimension["criteria"])
        shares[(dimension["id"], criterion["id"])] = (
            dim_weights[dimension["id"]] / total * float(criterion["weight"]) / in_dimension)
        specs[(dimension["id"], criterion["id"])] = criterion
    below = scores[scores["score"].notna() & (scores["score"] < scores["target"])].copy()
    keys = list(zip(below["dimension"], below["criterion"], strict=True))
    gap = (below["target"] - below["score"]) / 100
    below["priority"] = [shares[k] for k in keys] * gap / [specs[k]["effort"] for k in keys]
    below["priority"] = below["priority"].round(6)
    below["horizon"] = [specs[k]["horizon"] for k in keys]
    below["effort"] = [specs[k]["effort"] for k in keys]
    below["action_es"] = [specs[k]["action"]["es"] for k in keys]
    below["action_en"] = [specs[k]["action"]["en"] for k in keys]
    below["source"] = [specs[k]["source"]["id"] for k in keys]
    for lang in LANGS:
        below[f"source_{lang}"] = [citation(specs[k]["source"]["id"], lang) for k in keys]
        below[f"source_passage_{lang}"] = [passage(specs[k]["source"], lang) for k in keys]
    order = {d: i for i, d in enumerate(dim_weights)}
    below["_order"] = below["dimension"].map(order)
    below = below.sort_values(["institution", "priority", "_order", "criterion"],
                              ascending=[True, False, True, True], kind="stable")
    below["rank"] = below.groupby("institution").cumcount() + 1
    return below[COLUMNS].reset_index(drop=True)
