"""Presentation tables built from an audit result: what a page shows, not how it scores.

Everything here selects, joins, sorts and words what the library computed. The two numbers
computed here, the sector median of each dimension and the percentile of the overall score
within the sector, describe the peers for the reader and feed no score, level or action.
Functions return new frames and never modify the (shared, cached) audit result.
"""

from __future__ import annotations

import pandas as pd

from audit import AuditResult
from audit.peers import percentiles

from . import fmt
from .i18n import TEXT

__all__ = ["RISK_CRITERIA", "cluster_map", "cluster_profiles", "compare_table",
           "criteria_table", "details_for", "peer_frame", "percentile_table", "profiles_of",
           "risks", "sector_percentiles"]

# Criteria whose shortfall an executive should hear about first: unanswered complaints,
# political content and, in health, personal data of patients. Abandoned profiles come
# from the profile statuses.
RISK_CRITERIA = (("responsiveness", "complaint_response"),
                 ("transparency", "political_content"),
                 ("governance", "patient_privacy"))
# Columns of the evidence rows that repeat what the page already says.
_REDUNDANT = ("institution", "sector", "country", "region")


def sector_percentiles(institutions: pd.DataFrame) -> pd.Series:
    """Percentile (0-100) of each overall score within its sector: the share of the sector's
    institutions scoring the same or lower, so the best of a sector is at 100."""
    ranks = institutions.groupby("sector")["overall_score"].rank(pct=True, method="max")
    return (100 * ranks).round()


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
    """(icon, headline, detail) for each abandoned profile and each risk criterion below its
    target, from the profile statuses and the scores' evidence."""
    lang, t = result.lang, TEXT[result.lang]
    found = []
    for row in profiles_of(result, institution).itertuples():
        if row.status != "abandoned":
            continue
        profile = fmt.profile_name(row.network, row.handle)
        if fmt.is_missing(row.days_since_last_post):
            text = t["risk_abandoned_nodate"].format(profile=profile)
        else:
            days = fmt.number(row.days_since_last_post, lang)
            text = t["risk_abandoned"].format(profile=profile, days=days)
        found.append((fmt.RISK_ICONS["abandoned"], text, ""))
    scores = result.scorecard.scores
    mine = scores[scores["institution"] == institution].set_index(["dimension", "criterion"])
    labels = fmt.criterion_labels(result.rubric, lang)
    for key in RISK_CRITERIA:
        if key not in mine.index:
            continue
        row = mine.loc[key]
        if not fmt.is_missing(row["score"]) and row["score"] < row["target"]:
            text = f"{labels[key]}: {fmt.score(row['score'], lang)} / 100"
            found.append((fmt.RISK_ICONS["criterion"], text, row[f"evidence_{lang}"]))
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
        "percentile": sector_percentiles(card).to_numpy(),
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
