"""Governance: the self-assessment questionnaire, one criterion per item.

The items (``contract.GOVERNANCE_ITEMS``) come from the 8 steps of the Colombian guideline
(001: one accountable owner, community managers, objectives, channel choice, tone, protocols,
complaint handling, promotion on the website, monitoring, resources and calendar) and the
questions of a strategic plan (002). Each answer is already a score: yes 1, partial 0.5,
no 0, so the rubric scores it with ``identity``.

A self-assessment is a claim, and a level must not rest on claims alone: a "yes" with nothing
in the evidence column (a document, a link, a resolution) counts at most
``unsupported_max`` (by default as "partial"), and the evidence says so.

Unanswered items: an institution that sent no questionnaire is not evaluated on any item
(the data are absent, and the maturity gates say so); one that answered some items but
skipped this one scores 0 on it, with "sin respuesta" as evidence. A skipped question in a
self-assessment most often means the practice does not exist, and scoring it as absent
would let an institution raise its governance score by answering only what it does well.
"""

from __future__ import annotations

import pandas as pd

from audit.ingest.contract import GOVERNANCE_ITEMS
from audit.measure.checks import REQUIRED, Measure, check
from audit.measure.features import Features
from audit.messages import msg

ANSWER_WORDS = {1.0: "evidence.answer_yes", 0.5: "evidence.answer_partial",
                0.0: "evidence.answer_no"}


@check("governance_item", options={"item": REQUIRED, "unsupported_max": 0.5})
def governance_item(f: Features, params: dict) -> Measure:
    """The answer (1 / 0.5 / 0) to questionnaire item ``params['item']`` (an id of
    contract.GOVERNANCE_ITEMS), at most ``unsupported_max`` without evidence; 0 with "sin
    respuesta" when the institution answered other items but not this one; not evaluated
    without any questionnaire answer."""
    item, ceiling = params["item"], float(params["unsupported_max"])
    if item not in GOVERNANCE_ITEMS:
        raise ValueError(f"governance_item: unknown item {item!r}; expected one of "
                         f"{', '.join(GOVERNANCE_ITEMS)}")
    governance = f.governance
    answered = pd.Index(governance["institution"].unique())
    rows = governance[governance["item"] == item].drop_duplicates("institution") \
        .set_index("institution")
    answers = pd.Series(rows["answer"].to_numpy(dtype="float64", na_value=float("nan")),
                        index=rows.index)
    supported = rows["evidence"].map(lambda s: pd.notna(s) and bool(str(s).strip()))
    value = answers.where(supported, answers.clip(upper=ceiling)).reindex(answered).fillna(0.0)

    evidence = {}
    for name in answered:
        if name not in rows.index:
            evidence[name] = msg("evidence.no_answer")
            continue
        answer = float(rows.at[name, "answer"])
        word = msg(ANSWER_WORDS[answer]) if answer in ANSWER_WORDS else str(answer)
        if supported[name]:
            evidence[name] = msg("evidence.answer_with_support", answer=word,
                                 support=str(rows.at[name, "evidence"]).strip())
        elif answer > ceiling:
            evidence[name] = msg("evidence.answer_without_support_capped", answer=word,
                                 counted=ceiling)
        else:
            evidence[name] = msg("evidence.answer_without_support", answer=word)
    return Measure(value, pd.Series(evidence, dtype="object"))
