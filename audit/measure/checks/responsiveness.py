"""Responsiveness: does the institution answer the citizens who write to it, and fast?

Guideline: on social networks people demand speed, and every complaint must be handled,
since an ignored complaint grows (001); citizens file complaints and requests through
messages and chats (003).

Read from the interactions sheet (one row per citizen comment, mention or message):
``answered`` (a reply date before the audit date), ``response_hours`` (reply minus
arrival; NaN when unanswered, or when the reply date came before the message and the time
was dropped in validation), ``is_complaint``, ``text``.

    response_rate              answered / interactions
    median_first_reply_hours   median hours to the first reply, over timed replies
    replied_within_24h_share   interactions answered within `hours`, over ALL interactions
    complaint_response_rate    answered complaints / complaints

Not evaluated: an institution with no interaction rows (absence of data is never a zero).
Late replies: a reply after `max_days` (7 for the 24-hour share, as one analytics
vendor counts it) is taken as no reply; response_rate and complaint_response_rate count
every reply unless the rubric sets `max_days` for them too, because a late answer still
answers (Colombia's Ley 1755/2015 gives 15 business days to answer a petition).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from audit.ingest.contract import NETWORK_LABELS
from audit.measure.checks import Measure, check, empty
from audit.measure.checks.formats import commas
from audit.measure.checks.quoting import masked_column, own_handles, quote
from audit.measure.checks.transparency import matches_terms
from audit.measure.features import Features
from audit.measure.privacy import pseudonym
from audit.messages import Message, msg

#: Rows of the input listed for the complaints waiting when their texts are not quoted.
ROWS_SHOWN = 5


def _answered(frame: pd.DataFrame, max_days: float | None) -> pd.Series:
    """Answered interactions; with `max_days`, a reply later than that counts as none."""
    answered = frame["answered"].fillna(False).astype(bool)
    if max_days is not None:
        late = frame["response_hours"].to_numpy(dtype="float64", na_value=np.nan) \
            > 24 * float(max_days)
        answered &= ~late
    return answered


def _network_label(network: str) -> str:
    return NETWORK_LABELS.get(network, str(network).capitalize())


def _per_network(values: pd.Series, frame: pd.DataFrame,
                 how: str) -> dict[str, list[tuple[str, float]]]:
    """Per institution on several networks: `values` aggregated by network, as (network,
    value) pairs in network order (for evidence). Read from the aggregated table's columns
    in one pass: a Series per institution cost seconds for a thousand of them."""
    table = values.groupby([frame["institution"], frame["network"]]).agg(how)
    nets: dict[str, list[tuple[str, float]]] = {}
    for name, net, value in zip(table.index.get_level_values(0).tolist(),
                                table.index.get_level_values(1).tolist(), table.tolist(),
                                strict=True):
        nets.setdefault(name, []).append((net, value))
    return {name: pairs for name, pairs in nets.items() if len(pairs) > 1}


def _add_networks(evidence: dict, nets: dict[str, list[tuple[str, float]]], shown) -> None:
    """Append the per-network breakdown ('Facebook 96 %, X 80 %') to each institution's
    evidence; ``shown(v)`` is one value as a message value."""
    for name, pairs in nets.items():
        if name in evidence:
            listed = commas([msg("evidence.network_value", network=_network_label(net),
                                 value=shown(v)) for net, v in pairs])
            evidence[name] = msg("evidence.by_network", evidence=evidence[name],
                                 networks=listed)


def _share(value: float) -> Message:
    return msg("evidence.share", share=value)


def _hours(value: float) -> Message:
    """'3,5 h', and the days too when it passes two days: '72 h (3 días)'."""
    if value >= 48:
        return msg("evidence.hours_and_days", hours=value, days=round(value / 24, 1))
    return msg("evidence.hours", hours=value)


@check("response_rate", options={"max_days": None})
def response_rate(f: Features, params: dict) -> Measure:
    """Share of the citizens' comments, mentions and messages that got a reply."""
    frame = f.interactions
    if frame.empty:
        return empty()
    answered = _answered(frame, params["max_days"])
    grouped = answered.groupby(frame["institution"])
    value, hits, total = grouped.mean(), grouped.sum(), grouped.size()
    nets = _per_network(answered, frame, "mean")
    evidence = {name: msg("evidence.interactions_answered", hits=hits[name], total=total[name])
                for name in value.index}
    _add_networks(evidence, nets, _share)
    return Measure(value, pd.Series(evidence, dtype="object"))


@check("median_first_reply_hours")
def median_first_reply_hours(f: Features, params: dict) -> Measure:
    """Median hours from a message to its first reply, over the answered interactions with
    both times. The median, not the mean: one reply after a month would drag a mean far from
    what a citizen usually waits (0.17, 0.75, 2, 20 and 0.88 h: median 0.88 h, mean 4.76 h).

    Unanswered messages do not enter the median (response_rate counts them). An institution
    with interactions but no timed reply is not evaluated, with the reason as evidence.
    """
    frame = f.interactions
    if frame.empty:
        return empty()
    timed = frame[frame["answered"].fillna(False).astype(bool)
                  & frame["response_hours"].notna()]
    hours = timed["response_hours"].astype("float64")
    grouped = hours.groupby(timed["institution"])
    value, counts = grouped.median(), grouped.size()
    nets = _per_network(hours, timed, "median")
    evidence = {name: msg("evidence.median_reply", hours=_hours(value[name]),
                          replies=counts[name]) for name in value.index}
    _add_networks(evidence, nets, _hours)
    for name in frame["institution"].unique():
        if name not in value.index:
            evidence[name] = msg("evidence.no_timed_reply")
    return Measure(value, pd.Series(evidence, dtype="object"))


@check("replied_within_24h_share", options={"hours": 24, "max_days": 7})
def replied_within_24h_share(f: Features, params: dict) -> Measure:
    """Share of ALL interactions answered within `hours`. Unanswered ones, and
    replies whose time is unknown, count as not within; a reply later than `max_days`
    counts as no reply, which only matters when `hours` exceeds it."""
    hours = float(params["hours"])
    max_days = float(params["max_days"])
    frame = f.interactions
    if frame.empty:
        return empty()
    limit = min(hours, 24 * max_days)
    answered = _answered(frame, max_days)
    within = answered & (frame["response_hours"].to_numpy(dtype="float64", na_value=np.nan)
                         <= limit)
    late = frame["answered"].fillna(False).astype(bool) & ~answered
    grouped = within.groupby(frame["institution"])
    value, hits, total = grouped.mean(), grouped.sum(), grouped.size()
    n_late = late.groupby(frame["institution"]).sum()
    evidence = {}
    for name in value.index:
        evidence[name] = msg("evidence.answered_within", hits=hits[name], total=total[name],
                             hours=hours)
        if n_late[name]:
            evidence[name] = msg("evidence.late_as_unanswered", evidence=evidence[name],
                                 late=n_late[name], max_days=max_days)
    return Measure(value, pd.Series(evidence, dtype="object"))


def complaints(frame: pd.DataFrame, terms: list[str] | None) -> tuple[pd.Series, pd.Series]:
    """(is a complaint, was detected from the text) for each interaction.

    The sheet's ``is_complaint`` wins where it is given; where it is empty, the text is
    matched against the rubric's complaint terms (see transparency.matches_terms). Without
    terms, only the rows marked in the sheet are complaints.
    """
    given = frame["is_complaint"]
    detected = pd.Series(False, index=frame.index)
    unknown = given.isna().to_numpy()
    if terms and unknown.any():
        detected.loc[unknown] = matches_terms(frame.loc[unknown, "text"], list(terms))
    is_complaint = given.fillna(False).astype(bool) | detected
    return is_complaint, detected


@check("complaint_response_rate", options={"complaint_terms": None, "max_days": None})
def complaint_response_rate(f: Features, params: dict) -> Measure:
    """Share of complaints that got a reply: 001 says every complaint must be handled.

    Complaints are the rows marked in ``is_complaint``, and where that cell is empty, those
    whose text matches `params.complaint_terms`. Not evaluated without interactions, nor
    for an institution that received no complaint (nothing to handle). Evidence: counts and
    the complaints still waiting: how many, the oldest's age and their rows in the input, or,
    when the audit quotes citizens, up to 3 of them, most recent first, masked (see
    ``audit.measure.privacy``); details: every unanswered complaint, its author a pseudonym.
    """
    frame = f.interactions
    if frame.empty:
        return empty()
    is_complaint, detected = complaints(frame, params["complaint_terms"])
    answered = _answered(frame, params["max_days"])
    table = frame[is_complaint.to_numpy()].assign(answered=answered[is_complaint],
                                                  detected=detected[is_complaint])
    grouped = table.groupby("institution")
    value = grouped["answered"].mean()
    hits, total, found = grouped["answered"].sum(), grouped.size(), grouped["detected"].sum()

    open_ = table[~table["answered"]].sort_values("received_at", ascending=False, kind="stable")
    quoted = dict(tuple(open_.groupby("institution", sort=False))) \
        if f.privacy.quote_citizens else {}
    waiting = {} if quoted else _waiting(open_, f)
    evidence = {}
    for name in value.index:
        evidence[name] = msg("evidence.complaints_answered", hits=hits[name], total=total[name])
        if found[name]:
            evidence[name] = msg("evidence.complaints_from_text", evidence=evidence[name],
                                 found=found[name])
        if name in quoted:
            evidence[name] = _quoted(evidence[name], quoted[name], f)
        elif name in waiting:
            evidence[name] = _waiting_said(evidence[name], *waiting[name])
    received = frame["institution"].value_counts()
    for name, n in received.items():
        if name not in value.index:
            evidence[name] = msg("evidence.no_complaint", n=n)
    return Measure(value, pd.Series(evidence, dtype="object"),
                   details=_waiting_rows(open_, f))


def _waiting_rows(open_: pd.DataFrame, f: Features) -> pd.DataFrame:
    """The unanswered complaints as detail rows: where they are in the input, and their
    author as a pseudonym code; the text only when the audit quotes citizens, masked."""
    rows = open_.assign(author=open_["author"].map(f.privacy.code))
    columns = ["institution", "network", "handle", "received_at", "kind", "author",
               "detected", "source_file", "source_sheet", "source_row"]
    if f.privacy.quote_citizens:
        rows = rows.assign(text=masked_column(rows["text"], own_handles(f)))
        columns.insert(columns.index("detected"), "text")
    return rows[columns]


def _quoted(evidence: Message, waiting: pd.DataFrame, f: Features) -> Message:
    """The evidence with the complaints still waiting quoted (masked, most recent first, up
    to 3, each with its author's pseudonym), for an audit that quotes citizens."""
    handles = own_handles(f)
    items = []
    for r in waiting.head(3).itertuples():
        said = quote(r.text, handles) if isinstance(r.text, str) else "—"
        who = pseudonym(f.privacy.code(r.author))
        values = {"date": f"{r.received_at:%Y-%m-%d}", "network": _network_label(r.network),
                  "text": said}
        items.append(msg("evidence.complaint_item_by", author=who, **values) if who
                     else msg("evidence.complaint_item", **values))
    return msg("evidence.complaints_unanswered", evidence=evidence, items=items)


def _waiting(open_: pd.DataFrame, f: Features) -> dict[str, tuple[int, int, list[str]]]:
    """Per institution with complaints waiting, what its evidence says of them when they
    are not quoted: how many, how long the oldest has waited in days and their rows in the
    input, in order. Counted, aged and listed for every institution at once (a frame per
    institution cost seconds for a thousand)."""
    by = open_.groupby("institution", sort=False)
    counts = by.size()
    # an unknown date waits 0 days, as max(0, NaT.days) said
    days = (f.as_of_end - by["received_at"].min()).dt.days.clip(lower=0).fillna(0) \
        .astype("int64")
    ordered = open_.sort_values(["institution", "source_row"], kind="stable")
    rows: dict[str, list[str]] = {}
    for name, row in zip(ordered["institution"].tolist(), ordered["source_row"].tolist(),
                         strict=True):
        rows.setdefault(name, []).append(str(int(row)))
    return {name: (n, age, rows[name])
            for name, n, age in zip(counts.index, counts.tolist(), days.tolist(), strict=True)}


def _waiting_said(evidence: Message, n: int, days: int, rows: list[str]) -> Message:
    """The evidence with how many complaints wait, the oldest's age in days and their rows
    in the input (the first ``ROWS_SHOWN``)."""
    listed = ", ".join(rows[:ROWS_SHOWN]) if len(rows) <= ROWS_SHOWN else msg(
        "evidence.listing_more", items=", ".join(rows[:ROWS_SHOWN]), rest=len(rows) - ROWS_SHOWN)
    key = "evidence.complaints_not_quoted" if n > 1 else "evidence.complaint_not_quoted"
    return msg(key, evidence=evidence, n=n, days=days, rows=listed)
