"""Presentation tables built from an audit result: what a page shows, not how it scores.

Everything here selects, joins, sorts and words what the library computed (percentiles
within a sector or cluster come from ``audit.percentiles``). The one number computed here,
the sector median of each dimension, describes the peers for the reader and feeds no
score, level or action.
Functions return new frames and never modify the (shared, cached) audit result.
"""

from __future__ import annotations

import pandas as pd

from audit import (
    CLIFF_CUTOFFS,
    EPSILON_CUTOFFS,
    MIN_GROUP,
    AuditResult,
    Dendrogram,
    compare_groups,
    dendrogram_data,
    pairwise,
    percentiles,
)

from . import fmt
from .i18n import TEXT

__all__ = ["ALPHA", "cluster_map", "cluster_profiles", "compare_table",
           "criteria_table", "dendrogram", "details_for", "group_comparison",
           "group_comparison_text", "group_method_note", "group_reading", "groupings",
           "pairwise_comparison", "pairwise_note", "pairwise_text", "peer_frame",
           "percentile_table", "profiles_of", "risks"]

# Columns of the evidence rows that repeat what the page already says.
_REDUNDANT = ("institution", "sector", "country", "region")
# The conventional significance level: a difference with p below it is worded as unlikely
# to be chance, one above it as possibly chance.
ALPHA = 0.05
# Decimals shown for each statistic: enough to tell an effect size from its cut-off.
_DIGITS = {"H": 2, "U": 1, "epsilon_squared": 3, "cliffs_delta": 3, "median_a": 1,
           "median_b": 1}


def peer_frame(result: AuditResult, institution: str) -> tuple[pd.DataFrame, int]:
    """One row per dimension: the institution's score and the median of its sector, with
    the number of institutions in that sector."""
    card = result.scorecard.institutions
    sector = card.loc[institution, "sector"]
    peers = card[card["sector"] == sector]
    lang = result.lang
    labels = fmt.dimension_labels(result.rubric, lang)
    rows = []
    for dimension, label in labels.items():
        value = card.loc[institution, dimension]
        median = peers[dimension].median()
        rows.append({"dimension": dimension, "label": label, "score": value,
                     "median": median, "score_text": fmt.score(value, lang),
                     "median_text": fmt.score(median, lang)})
    return pd.DataFrame(rows), len(peers)


def profiles_of(result: AuditResult, institution: str) -> pd.DataFrame:
    profiles = result.profiles
    return profiles[profiles["institution"] == institution]


def risks(result: AuditResult, institution: str) -> list[tuple[str, str, str]]:
    """(icon, headline, detail) for each of the institution's risks (``AuditResult.risks``:
    abandoned profiles and risk criteria below target, the same list as the PDF)."""
    lang, t = result.lang, TEXT[result.lang]
    labels = fmt.criterion_labels(result.rubric, lang)
    found = []
    for risk in result.risks(institution):
        if risk.kind == "abandoned" and risk.days is None:
            text = t["risk_abandoned_nodate"].format(profile=risk.profile)
        elif risk.kind == "abandoned":
            text = t["risk_abandoned"].format(profile=risk.profile,
                                              days=fmt.number(risk.days, lang))
        else:
            text = f"{labels[risk.criterion]}: {fmt.score(risk.score, lang)} / 100"
        detail = risk.evidence[lang] if risk.evidence else ""
        found.append((fmt.RISK_ICONS[risk.kind], text, detail))
    return found


def criteria_table(result: AuditResult, institution: str, dimension: str) -> pd.DataFrame:
    """The criteria of one dimension for one institution, worded for reading."""
    lang = result.lang
    scores = result.scorecard.scores
    rows = scores[(scores["institution"] == institution) & (scores["dimension"] == dimension)]
    labels = fmt.criterion_labels(result.rubric, lang)
    return pd.DataFrame({
        "criterion": [labels[(dimension, c)] for c in rows["criterion"]],
        "value": [fmt.measured(v, u, lang) for v, u in zip(rows["value"], rows["unit"],
                                                          strict=True)],
        "score": [fmt.score(s, lang) for s in rows["score"]],
        "target": [fmt.score(s, lang) for s in rows["target"]],
        "weight": rows["weight"].to_numpy(),
        "evidence": rows[f"evidence_{lang}"].to_numpy(),
    })


def details_for(result: AuditResult, institution: str, dimension: str,
                criterion: str) -> pd.DataFrame | None:
    """The evidence rows (posts, profiles, answers) behind one criterion of one institution,
    without the columns that repeat the institution or are empty."""
    details = result.scorecard.details.get((dimension, criterion))
    if details is None or "institution" not in details:
        return None
    rows = details[details["institution"] == institution]
    rows = rows.drop(columns=[c for c in _REDUNDANT if c in rows])
    rows = rows.dropna(axis="columns", how="all").reset_index(drop=True)
    # Columns the user added (kept by the reader) may mix numbers and text: show them as text.
    mixed = [c for c in rows if rows[c].dtype == object]
    return rows.astype(dict.fromkeys(mixed, "string")) if mixed else rows


def compare_table(result: AuditResult) -> pd.DataFrame:
    """Every institution side by side: level, overall score, sector percentile, dimensions."""
    lang = result.lang
    card = result.scorecard.institutions
    dimensions = list(fmt.dimension_labels(result.rubric, lang))
    table = pd.DataFrame({
        "institution": card.index,
        "sector": [fmt.sector(s, lang) for s in card["sector"]],
        "country": card["country"].to_numpy(),
        "level": card["maturity_level"].to_numpy(),
        "level_label": card[f"maturity_label_{lang}"].to_numpy(),
        "overall": card["overall_score"].round().to_numpy(),
        "percentile": percentiles(card)["overall_score"].to_numpy(),
    })
    for dimension in dimensions:
        table[dimension] = card[dimension].round().to_numpy()
    return table.sort_values("overall", ascending=False, na_position="last",
                             ignore_index=True)


def _cluster_name(number: int, label: str) -> str:
    return f"{number} · {label}"


def cluster_map(result: AuditResult) -> pd.DataFrame:
    """The clustered institutions on the 2-D map (PCA), with their cluster written out."""
    lang = result.lang
    peers = result.peers
    frame = peers.map.reset_index()
    card = result.scorecard.institutions
    return pd.DataFrame({
        "institution": frame["institution"],
        "sector": [fmt.sector(s, lang) for s in card.loc[frame["institution"], "sector"]],
        "x": frame["x"].round(3), "y": frame["y"].round(3),
        "cluster": frame["cluster"].astype(str),
        "cluster_name": [_cluster_name(c, lab) for c, lab in
                         zip(frame["cluster"], frame[f"cluster_label_{lang}"], strict=True)],
    })


def cluster_profiles(result: AuditResult) -> pd.DataFrame:
    """One row per cluster: its name, size and centroid (0-100) on every dimension."""
    lang = result.lang
    profiles = result.peers.profiles
    table = pd.DataFrame({
        "cluster": profiles.index.to_numpy(),
        "name": profiles[f"label_{lang}"].to_numpy(),
        "size": profiles["size"].to_numpy(),
    })
    for dimension in fmt.dimension_labels(result.rubric, lang):
        if dimension in profiles:
            table[dimension] = profiles[dimension].round().to_numpy()
    return table


def dendrogram(result: AuditResult) -> Dendrogram:
    """The Ward tree of the peers, each leaf labelled "institution · Grupo n" so that its
    cluster reads in the text and not only in a colour. Empty frames for k-means."""
    tree = dendrogram_data(result.peers)
    word = TEXT[result.lang]["cluster"]
    leaves = tree.leaves.assign(label=[
        f"{name} · {word} {number}"
        for name, number in zip(tree.leaves["institution"], tree.leaves["cluster"], strict=True)])
    return tree._replace(leaves=leaves)


def percentile_table(result: AuditResult, by: str) -> pd.DataFrame:
    """Percentile (0-100) of each institution within its sector or cluster, overall and per
    dimension; empty where not evaluated or (by cluster) not clustered."""
    lang = result.lang
    card = result.scorecard.institutions
    ranks = percentiles(card, by, result.peers)
    groups = ranks[by]
    if by == "sector":
        group = [fmt.sector(s, lang) for s in groups]
    else:
        assigned = result.peers.assignments if result.peers is not None else None
        group = [None if pd.isna(c) or assigned is None else
                 _cluster_name(int(c), assigned.loc[i, f"cluster_label_{lang}"])
                 for i, c in groups.items()]
    table = pd.DataFrame({"institution": card.index, "group": group,
                          "overall": ranks["overall_score"].to_numpy()})
    for dimension in fmt.dimension_labels(result.rubric, lang):
        table[dimension] = ranks[dimension].to_numpy()
    return table.sort_values(["group", "overall"], ascending=[True, False],
                             na_position="last", ignore_index=True)


# --- group comparison ----------------------------------------------------------------------


def groupings(result: AuditResult) -> list[str]:
    """The groupings the Compare page offers: peer clusters only when the audit found them."""
    peers = result.peers
    clustered = peers is not None and peers.ok and not peers.assignments.empty
    return ["sector", "country", *(["cluster"] if clustered else [])]


def _grouped(result: AuditResult, by: str) -> pd.DataFrame:
    """The institutions' scores with ``by`` holding each group as the reader names it (sector
    in their language, country as written, cluster as 'number · name', empty outside the
    clusters), so the statistics come back already labelled."""
    lang = result.lang
    card = result.scorecard.institutions
    if by == "sector":
        return card.assign(sector=[fmt.sector(s, lang) for s in card["sector"]])
    if by == "country":
        return card
    assigned = result.peers.assignments.reindex(card.index)
    return card.assign(cluster=[
        None if pd.isna(c) else _cluster_name(int(c), label)
        for c, label in zip(assigned["cluster"], assigned[f"cluster_label_{lang}"],
                            strict=True)])


def _score_labels(result: AuditResult) -> dict[str, str]:
    """Overall first (what an executive asks about), then the rubric's dimensions."""
    lang = result.lang
    return {"overall_score": TEXT[lang]["groups_overall"],
            **fmt.dimension_labels(result.rubric, lang)}


def group_comparison(result: AuditResult, by: str) -> pd.DataFrame:
    """Kruskal-Wallis of every score across the groups of ``by`` (audit.peers.compare), each score
    named: the numbers as computed, which the CSV keeps and the page words."""
    labels = _score_labels(result)
    table = compare_groups(_grouped(result, by), by, list(labels))
    table.insert(1, "score", [labels[c] for c in table["column"]])
    return table


def pairwise_comparison(result: AuditResult, by: str, column: str) -> pd.DataFrame:
    """Mann-Whitney of every pair of groups of ``by`` on one score (audit.peers.compare), named."""
    table = pairwise(_grouped(result, by), by, column)
    table.insert(1, "score", _score_labels(result)[column])
    return table


def _as_text(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Statistics written with the reader's decimal mark (a table cell cannot format a
    number the Spanish way) and effect sizes in words; other columns unchanged."""
    out = table.copy()
    for column, digits in _DIGITS.items():
        if column in out:
            out[column] = [fmt.number(v, lang, digits) for v in out[column]]
    for column in ("p", "p_holm"):
        if column in out:
            out[column] = [fmt.p_value(v, lang) for v in out[column]]
    words = TEXT[lang]["groups_effect"]
    out["effect"] = [words.get(e, "—") for e in out["effect"]]
    return out


def group_comparison_text(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The Kruskal-Wallis table as the page shows it: one row per score, the groups left out
    named, then n per group headed 'n · group' (the medians stay in the CSV)."""
    groups = [c[len("median_"):] for c in table if c.startswith("median_")]
    out = _as_text(table, lang)
    out["small_groups"] = out["small_groups"].str.replace("; ", ", ")
    fixed = ["score", "k", "n", "n_not_evaluated", "H", "df", "p", "epsilon_squared", "effect",
             "small_groups"]
    return out[fixed + [f"n_{g}" for g in groups]].rename(
        columns={f"n_{g}": f"n · {g}" for g in groups})


def pairwise_text(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The pairwise table as the page shows it: the pair, its sizes, medians and tests."""
    return _as_text(table, lang)[["group_a", "group_b", "n_a", "n_b", "median_a", "median_b",
                                  "U", "p", "p_holm", "cliffs_delta", "effect"]]


def _effect_scale(cutoffs: tuple, digits: int, lang: str) -> str:
    """'despreciable < 0,01; pequeño ≥ 0,01; …' from the cut-offs audit.peers.compare labels with,
    so the words on the page cannot drift from the ones in the tables."""
    words = TEXT[lang]["groups_effect"]
    parts = [f"{words[cutoffs[0][1]]} < {fmt.number(cutoffs[1][0], lang, digits)}"]
    parts += [f"{words[name]} ≥ {fmt.number(bound, lang, digits)}"
              for bound, name in cutoffs[1:]]
    return "; ".join(parts)


def group_method_note(lang: str) -> str:
    """How the group comparison is made and how its effect words are read."""
    return TEXT[lang]["groups_method"].format(min=MIN_GROUP,
                                              scale=_effect_scale(EPSILON_CUTOFFS, 2, lang))


def pairwise_note(pairs: int, lang: str) -> str:
    """How the pairwise comparison is made and how its effect words are read."""
    return TEXT[lang]["groups_pairs_method"].format(n=pairs,
                                                    scale=_effect_scale(CLIFF_CUTOFFS, 3, lang))


def _untested_key(row: pd.Series) -> str:
    """The text saying why a score got no test: all values tied, groups too small, a single
    group, or nothing evaluated (the cases in which audit.peers.compare leaves H empty)."""
    if row["k"] >= 2:
        return "groups_ties"
    if not row["n"] and not row["n_small_groups"]:
        return "groups_none"
    return "groups_small" if row["small_groups"] else "groups_one"


def group_reading(row: pd.Series, by: str, lang: str) -> str:
    """One sentence on one score of ``group_comparison`` for whoever will not read the
    table: how large the differences between groups are and whether chance could explain
    them, or why there is no test."""
    t = TEXT[lang]
    words = {"score": t["groups_overall_phrase"] if row["column"] == "overall_score"
             else row["score"], "group": t["groups_singular"][by],
             "groups": t["groups_plural"][by], "min": MIN_GROUP}
    if pd.isna(row["H"]):
        return t[_untested_key(row)].format(small=row["small_groups"].replace("; ", ", "),
                                            **words)
    chance = t["groups_chance" if row["p"] >= ALPHA else "groups_no_chance"]
    return t["groups_reading"].format(
        k=row["k"], n=row["n"], effect=t["groups_effect_plural"][row["effect"]],
        eps=fmt.number(row["epsilon_squared"], lang, 3), p=_p_relation(row["p"], lang),
        chance=chance, **words)


def _p_relation(value: float, lang: str) -> str:
    """'= 0,455' or '< 0,001': a p value after the letter p in a sentence."""
    text = fmt.p_value(value, lang)
    return text if text.startswith("<") else f"= {text}"
