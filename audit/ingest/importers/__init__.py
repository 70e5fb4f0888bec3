"""Importers: the exports auditors already have, read as they come into the input contract.

    a sheet or CSV file, as cells
        └─ import_sheet: each of the first rows tried as a header, against every importer
             ├─ recognised: the importer maps it  -> contract tables (posts, accounts)
             │                                     + problems for what it could not map
             └─ not recognised: None, and the reader matches it against the contract

The interface (``base.Importer``) is small on purpose:

    name                             the layout's stable id ("crowdtangle_facebook")
    recognise(file_name, headers)    True for this layout (headers as written, the file's
                                     own name without folders)
    to_contract(export) -> Imported  ``base.Export`` (cells as text under their headers,
                                     Excel row numbers, rows above the header) in;
                                     ``ContractTable``s and ``Problem``s out

An importer chooses columns and settles what only its layout knows (which column holds the
caption, the order of day and month, the account a permalink leaves out); it never parses
what the validator parses, so its tables go through the same validation as a typed
workbook, with every problem by file, row and column. Accounts an importer finds become
profiles when no profiles sheet is given (``profiles.settle_profiles``).

Adding a platform: one module beside these with an ``Importer`` subclass, and one line in
``IMPORTERS`` (the first importer that recognises a header wins, so a narrower layout goes
before a broader one). Each family is documented for auditors in docs/importers/.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

import numpy as np
import pandas as pd

from audit.ingest.importers import (
    crowdtangle,
    facepager,
    fourcat,
    meta,
    tiktok,
    twarc,
    x_analytics,
    youtube,
    zeeschuimer,
)
from audit.ingest.importers.base import STR, ContractTable, Export, Imported, Importer, Problem
from audit.ingest.parse import is_blank

__all__ = ["IMPORTERS", "ContractTable", "Importer", "Problem", "Recognised", "import_sheet"]

IMPORTERS: tuple[Importer, ...] = (
    meta.FACEBOOK_POSTS,
    meta.INSTAGRAM_POSTS,
    meta.DAILY_SERIES,
    crowdtangle.FACEBOOK,
    crowdtangle.INSTAGRAM,
    x_analytics.TWEET_ACTIVITY,
    x_analytics.CONTENT,
    fourcat.TWITTER,
    fourcat.FACEBOOK,
    twarc.TWEETS,
    youtube.CHART,
    youtube.TOTALS,
    youtube.TABLE,
    tiktok.STUDIO,
    facepager.PAGE_POSTS,
    zeeschuimer.ITEMS,
)
_HEADER_SCAN_ROWS = 10


@dataclass
class Recognised:
    """An export an importer read: what it made of it, and the blank rows skipped."""

    importer: Importer
    imported: Imported
    empty_rows: int


def _text(cell: object) -> str:
    if cell is None or (isinstance(cell, float) and cell != cell):
        return ""
    return str(cell).replace("\ufeff", "").strip()


def _unique(headers: list[str]) -> list[str]:
    names, seen = [], {}
    for i, header in enumerate(headers):
        label = header or f"column {i + 1}"
        count = seen.get(label, 0)
        seen[label] = count + 1
        names.append(label if count == 0 else f"{label} ({count + 1})")
    return names


def import_sheet(file: str, sheet: str, cells: pd.DataFrame,
                 first_row: int) -> Recognised | None:
    """Read ``cells`` (one sheet, positional columns) with the importer that recognises one
    of its first rows as its header; None when no importer does."""
    name = PurePosixPath(file.replace("\\", "/").split("!/")[-1]).name
    top = cells.head(_HEADER_SCAN_ROWS * 3).to_numpy(dtype=object).tolist()
    filled = [i for i, row in enumerate(top) if any(_text(c) for c in row)]
    for index in filled[:_HEADER_SCAN_ROWS]:
        headers = [_text(c) for c in top[index]]
        importer = next((i for i in IMPORTERS if i.recognise(name, headers)), None)
        if importer is None:
            continue
        while headers and not headers[-1]:  # trailing empty cells are padding
            headers.pop()
        body = cells.iloc[index + 1:, :len(headers)].reset_index(drop=True)
        body.columns = _unique(headers)
        body = body.astype(STR) if body.dtypes.map(lambda d: d != STR).any() else body
        blank = np.column_stack([is_blank(body[c]).to_numpy() for c in body.columns]) \
            if len(body.columns) else np.ones((len(body), 1), dtype=bool)
        keep = ~blank.all(axis=1)
        rows = np.arange(len(body)) + first_row + index + 1
        preamble = [[_text(c) for c in row if _text(c)] for row in top[:index]]
        export = Export(file, sheet, name, list(body.columns), body[keep].reset_index(drop=True),
                        rows[keep], preamble)
        return Recognised(importer, importer.to_contract(export), int((~keep).sum()))
    return None
