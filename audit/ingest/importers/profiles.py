"""Profiles from the exports: the accounts the posts come from, when no sheet lists them.

    accounts found by every importer (network, handle, display name, followers, last post)
        ├─ no profiles sheet given: one profile per account, grouped into an institution
        │  by the name it shows (a note per profile says so)
        └─ a profiles sheet given: it groups the accounts and wins; the exports only fill
           the followers its rows leave empty (a note per filled row)

The same account in several exports is one profile: its followers are those written
beside its latest post. A page-level series (Meta's daily followers) names no account: it
goes to the one account of its network, or is reported when there are several or none.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from audit.ingest.importers.base import STR, ContractTable
from audit.ingest.parse import is_blank, parse_datetimes, parse_handles, parse_networks
from audit.ingest.problems import ProblemLog

__all__ = ["Found", "settle_profiles"]

Found = tuple[str, str, ContractTable]  # (file, sheet, accounts table)
_COLUMNS = ["institution", "network", "handle", "display_name", "followers", "last_post_at"]


def _keys(network: pd.Series, handle: pd.Series) -> pd.Series:
    """(network, handle) as the validator will compare them, joined in one text."""
    networks = pd.Series(parse_networks(network).values, index=network.index, dtype=STR)
    handles = pd.Series(parse_handles(handle).handle, index=handle.index, dtype=STR)
    return (networks + "\x1f" + handles).astype(STR)


def _accounts(found: list[Found]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every account row of every export, and the page-level series (no handle)."""
    parts = []
    for file, sheet, table in found:
        frame = table.frame.reindex(columns=_COLUMNS).assign(
            file=file, sheet=sheet, row=table.rows)
        parts.append(frame)
    frame = pd.concat(parts, ignore_index=True)
    series = frame[frame["handle"].isna()]
    frame = frame[frame["handle"].notna()].copy()
    frame["key"] = _keys(frame["network"], frame["handle"])
    frame["order"] = parse_datetimes(frame["last_post_at"], assume_tz="UTC").values
    return frame, series


def _merged(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per account: where it was first found, its first display name, its latest
    post and the followers written beside the latest post that states them."""
    first = frame.drop_duplicates("key").set_index("key")
    by_date = frame.sort_values("order", kind="stable", na_position="first")
    latest = by_date.drop_duplicates("key", keep="last").set_index("key")
    followers = by_date.dropna(subset=["followers"]).drop_duplicates("key", keep="last") \
        .set_index("key")["followers"]
    names = frame.dropna(subset=["display_name"]).drop_duplicates("key") \
        .set_index("key")["display_name"]
    first["display_name"] = names.reindex(first.index)
    first["institution"] = first["display_name"].where(first["display_name"].notna(),
                                                       first["institution"])
    first["followers"] = followers.reindex(first.index)
    first["last_post_at"] = latest["last_post_at"].reindex(first.index)
    return first


def _attach_series(series: pd.DataFrame, keys: pd.Series, followers: pd.Series,
                   log: ProblemLog) -> None:
    """Give each series' followers to the one account of its network (where it has none)."""
    for entry in series.itertuples():
        network = parse_networks(pd.Series([entry.network], dtype=STR)).values.iloc[0]
        matching = keys[keys.str.startswith(f"{network}\x1f")].unique()
        if len(matching) != 1:
            log.add("warning", "series_unattached", file=entry.file, sheet=entry.sheet,
                    row=int(entry.row), value=entry.followers, network=network,
                    n=len(matching))
            continue
        key = matching[0]
        if pd.isna(followers.get(key)):
            followers[key] = entry.followers
            log.add("info", "followers_from_series", file=entry.file, sheet=entry.sheet,
                    row=int(entry.row), value=entry.followers, handle=key.split("\x1f")[1])


def settle_profiles(found: list[Found], given: list, log: ProblemLog) -> list[Found]:
    """The profile tables the exports add: none when a profiles sheet is ``given`` (its
    empty followers are filled in place), else one table per file of first appearance."""
    if not found:
        return []
    frame, series = _accounts(found)
    accounts = _merged(frame) if not frame.empty else pd.DataFrame(
        columns=[*_COLUMNS, "file", "sheet", "row"])
    if given:
        _fill_followers(given, accounts, series, log)
        return []
    followers = accounts["followers"].copy()
    _attach_series(series, pd.Series(accounts.index, dtype=STR), followers, log)
    accounts["followers"] = followers
    tables = []
    for (file, sheet), group in accounts.groupby(["file", "sheet"], sort=False):
        rows = group["row"].to_numpy(dtype=np.int64)
        for row, institution in zip(rows, group["institution"], strict=True):
            log.add("info", "profile_from_export", file=file, sheet=sheet, row=int(row),
                    column="institution", value=institution, institution=institution)
        table = ContractTable("profiles", group[_COLUMNS].reset_index(drop=True).astype(STR),
                              rows, {})
        tables.append((file, sheet, table))
    return tables


def _fill_followers(given: list, accounts: pd.DataFrame, series: pd.DataFrame,
                    log: ProblemLog) -> None:
    """Followers from the exports where the profiles sheet has none; the sheet wins."""
    known = accounts["followers"].dropna() if not accounts.empty else pd.Series(dtype=STR)
    keys = pd.concat([_keys(t.frame["network"], t.frame["handle"]) for t in given],
                     ignore_index=True)
    known = known.copy()
    _attach_series(series, keys.dropna(), known, log)
    for table in given:
        frame = table.frame
        current = frame["followers"] if "followers" in frame else pd.Series(
            np.nan, index=frame.index, dtype=STR)
        fill = _keys(frame["network"], frame["handle"]).map(known)
        empty = (is_blank(current) if "followers" in frame else pd.Series(True, index=frame.index))
        use = (empty & fill.notna()).to_numpy()
        if not use.any():
            continue
        column = table.headers.get("followers", "followers")
        frame["followers"] = current.astype(object).where(~use, fill.astype(object))
        table.headers.setdefault("followers", column)
        for row, value in zip(table.rows[use], fill[use], strict=True):
            log.add("info", "followers_from_export", file=table.file, sheet=table.sheet,
                    row=int(row), column=column, value=value)
