"""What every importer shares: the export it is given, what it gives back, and the helpers
that turn a platform's columns into the contract's.

An importer never parses values the validator parses (dates with a zone, counts, handles):
it chooses which of the export's columns means which contract column, combines columns
(reactions summed, a caption taken from one of two columns), and settles what only the
layout knows (the order of day and month, the account a permalink does not name). The
validator then reads its tables like a typed workbook, so every problem keeps its file, row
and column.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from audit.ingest.contract import SHEETS, normalize_name
from audit.ingest.parse import is_blank, parse_counts, parse_datetimes, parse_post_urls

__all__ = ["ContractTable", "Export", "Imported", "Importer", "Problem", "has_headers"]

STR = pd.StringDtype("pyarrow", np.nan)
_CANONICAL = {c.name for sheet in SHEETS.values() for c in sheet.columns} | {
    "institution", "handle_original", "source_file", "source_sheet", "source_row", "answered"}


def has_headers(headers: list[str], *wanted: str) -> bool:
    """True when every one of ``wanted`` is among ``headers`` (names folded as the contract
    folds them: case, accents and separators ignored)."""
    folded = {normalize_name(h) for h in headers}
    return all(normalize_name(w) in folded for w in wanted)


@dataclass(frozen=True)
class Problem:
    """A problem an importer found: ``row`` is the Excel row (None: the whole file)."""

    severity: str
    code: str
    row: int | None = None
    column: str = ""
    value: object = None
    params: dict = field(default_factory=dict)


@dataclass
class ContractTable:
    """One table in the contract's terms: ``frame`` has the contract's column names (plus
    the export's other columns, as written), ``rows`` the Excel row of each frame row and
    ``headers`` the export header each contract column was taken from."""

    kind: str  # "posts" or "profiles"
    frame: pd.DataFrame
    rows: np.ndarray
    headers: dict[str, str]
    extra: list[str] = field(default_factory=list)


@dataclass
class Imported:
    """What an importer made of one export."""

    layout: str
    tables: list[ContractTable] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Export:
    """One sheet or CSV file recognised as an export: cells as text under their headers.

    ``frame`` has one column per header as written (made unique), blank rows removed;
    ``rows`` holds the Excel row of each; ``preamble`` the rows above the header."""

    file: str
    sheet: str
    name: str  # the file's own name, without folders or the zip it came in
    headers: list[str]
    frame: pd.DataFrame
    rows: np.ndarray
    preamble: list[list[str]] = field(default_factory=list)

    def header(self, *names: str) -> str | None:
        """The first header, as written, that folds to one of ``names``."""
        folded = {normalize_name(h): h for h in reversed(self.headers)}
        return next((folded[normalize_name(n)] for n in names if normalize_name(n) in folded),
                    None)

    def text(self, *names: str) -> pd.Series:
        """The first present column of ``names`` as trimmed text, NA where blank."""
        header = self.header(*names)
        if header is None:
            return pd.Series(np.nan, index=self.frame.index, dtype=STR)
        cells = self.frame[header].astype(STR).str.strip()
        return cells.where(~is_blank(cells))

    def counts(self, *names: str) -> tuple[pd.Series, list[Problem]]:
        """The first present column of ``names`` as numbers, and a warning for each cell
        written but not a number (it counts as empty)."""
        header = self.header(*names)
        if header is None:
            return pd.Series(np.nan, index=self.frame.index, dtype="Float64"), []
        parsed = parse_counts(self.frame[header])
        problems = [Problem("warning", "invalid_value_ignored", int(self.rows[i]), header,
                            self.frame[header].iat[i], {"kind": "count"})
                    for i in np.flatnonzero(parsed.invalid.to_numpy(dtype=bool))]
        return parsed.values.astype("Float64"), problems

    def table(self, kind: str, columns: dict[str, pd.Series], headers: dict[str, str],
              keep: np.ndarray | None = None) -> ContractTable:
        """A contract table of ``columns`` (contract name -> values), keeping every export
        column not used among them under its own header; ``keep`` selects rows."""
        used = set(headers.values())
        frame = pd.DataFrame({name: _as_cells(values) for name, values in columns.items()},
                             index=self.frame.index)
        extra = []
        for header in self.headers:
            if header in used:
                continue
            shown = f"{header} (export)" if header in _CANONICAL else header
            frame[shown] = self.frame[header]
            extra.append(shown)
        rows = self.rows
        if keep is not None:
            frame, rows = frame[keep].reset_index(drop=True), rows[keep]
        return ContractTable(kind, frame, rows, headers, extra)


def _as_cells(values: pd.Series) -> pd.Series:
    """Numbers as plain text ("1250", never "1,250.0"), text as text: what the validator
    reads back without a second guess about separators."""
    if pd.api.types.is_numeric_dtype(values.dtype):
        return values.astype("Float64").map(_number_text, na_action="ignore").astype(STR)
    return values.astype(STR)


def _number_text(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else repr(float(value))


def first_filled(*columns: pd.Series) -> pd.Series:
    """Row by row, the first of ``columns`` that is not blank."""
    out = columns[0]
    for column in columns[1:]:
        out = out.where(out.notna(), column)
    return out


def joined_text(first: pd.Series, second: pd.Series) -> pd.Series:
    """Two text columns read as one post text: either alone, or both (once if equal)."""
    both = first.notna() & second.notna() & (first != second)
    out = first_filled(first, second)
    return out.where(~both, first.str.cat(second, sep="\n\n"))


def account_from_urls(urls: pd.Series) -> pd.Series:
    """The account each permalink names (NA where it names none, as /reel/ID or /p/ID)."""
    return pd.Series(parse_post_urls(urls).handle, index=urls.index, dtype=STR)


def sum_counts(export: Export, names: tuple[str, ...]) -> tuple[pd.Series, list[Problem]]:
    """The row sum of the count columns present among ``names`` (NA when all are blank)."""
    parts, problems = [], []
    for name in names:
        if export.header(name) is None:
            continue
        values, found = export.counts(name)
        parts.append(values)
        problems += found
    if not parts:
        return pd.Series(np.nan, index=export.frame.index, dtype="Float64"), problems
    stacked = pd.concat(parts, axis=1)
    return stacked.sum(axis=1, min_count=1).astype("Float64"), problems


def file_handle(name: str, pattern: re.Pattern) -> str | None:
    """The account named by a file name such as tweet_activity_metrics_<handle>_..."""
    match = pattern.match(name)
    return match.group("handle") if match else None


def accounts(export: Export, network: str, handle: pd.Series, display_name: pd.Series,
             published: pd.Series, followers: pd.Series | None = None) -> ContractTable:
    """The accounts an export's posts come from, one profile row each: its display name,
    its latest post (``published`` as written, compared once parsed) and the followers
    written beside that post. The institution is the display name (else the handle):
    without a profiles sheet, accounts are grouped by the name they show."""
    order = parse_datetimes(published, assume_tz="UTC").values
    frame = pd.DataFrame({"handle": handle, "display_name": display_name,
                          "published": published, "order": order,
                          "followers": followers if followers is not None else np.nan,
                          "row": export.rows}).dropna(subset=["handle"])
    frame["key"] = frame["handle"].str.lstrip("@").str.casefold()
    first = frame.drop_duplicates("key")
    latest = frame.sort_values("order", kind="stable", na_position="first") \
        .drop_duplicates("key", keep="last").set_index("key")
    names = frame.dropna(subset=["display_name"]).drop_duplicates("key") \
        .set_index("key")["display_name"]
    shown = first["key"].map(names)
    columns = {
        # Without a display name, the account name as written (no "@": an institution name
        # that starts with one reads as a formula in a spreadsheet).
        "institution": shown.where(shown.notna(), first["handle"].str.lstrip("@")),
        "network": pd.Series(network, index=first.index, dtype=STR),
        "handle": first["handle"],
        "display_name": shown,
        "followers": first["key"].map(latest["followers"]),
        "last_post_at": first["key"].map(latest["published"]),
    }
    frame_out = pd.DataFrame({k: _as_cells(v.reset_index(drop=True)) for k, v in columns.items()})
    return ContractTable("profiles", frame_out, first["row"].to_numpy(), {})


class Importer(ABC):
    """One export layout: how to recognise it and how to read it into the contract.

    ``name`` is the layout's stable id (problems and docs use it); ``recognise`` sees the
    file's own name and one candidate header row, as written; ``to_contract`` gets the
    export under that header and returns contract tables plus what it could not map."""

    name: str = ""

    @abstractmethod
    def recognise(self, file_name: str, headers: list[str]) -> bool:
        """True when ``headers`` (and perhaps the file name) are this layout's."""

    @abstractmethod
    def to_contract(self, export: Export) -> Imported:
        """The export as contract tables (posts, and the accounts found as profiles)."""
