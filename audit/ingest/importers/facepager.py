"""Facepager's CSV export of Facebook page posts (Graph API), ";"-separated by default.

    "level";"id";"parent_id";"object_id";"object_type";"query_status";"query_time";
    "query_type";<the auditor's columns: "from.name";"created_time";"message";"type";
    "link";"comments.summary.total_count";"shares.count";
    "reactions.summary.total_count" or "like.summary.total_count";"love.summary...";...>

What only the layout knows, settled here:

* Only rows of ``object_type`` "data" are posts; the seed rows (the pages queried) and
  any other kind are skipped, each one listed.
* ``object_id`` is "<page id>_<post id>": the page id is the account (Facepager keeps no
  page user name), the whole id the post's address (https://www.facebook.com/<id>).
  ``from.name`` is the page's name shown, which groups profiles into institutions.
* ``link`` is the site a post shares, not the post's address: it is kept as written.
* Reactions: the total when collected, else like, love, haha, wow, sad and angry summed.
"""

from __future__ import annotations

import pandas as pd

from audit.ingest.importers.base import (
    STR,
    Export,
    Imported,
    Importer,
    Problem,
    accounts,
    first_filled,
    has_headers,
    sum_counts,
)

__all__ = ["PAGE_POSTS"]

_PAGE_ID, _PAGE_NAME = "from.id", "from.name"

_REACTIONS = tuple(f"{r}.summary.total_count"
                   for r in ("like", "love", "haha", "wow", "sad", "angry"))


class _PagePosts(Importer):
    name = "facepager_facebook"

    def recognise(self, file_name: str, headers: list[str]) -> bool:
        return has_headers(headers, "object_id", "object_type", "query_status", "created_time")

    def to_contract(self, export: Export) -> Imported:
        kind = export.text("object_type")
        data = kind.str.casefold().eq("data").fillna(False).to_numpy()
        problems = [Problem("info", "facepager_row_skipped", int(row),
                            export.header("object_type"), value)
                    for row, value in zip(export.rows[~data], kind[~data], strict=True)]
        object_id = export.text("object_id")
        page = first_filled(export.text(_PAGE_ID), object_id.str.extract(r"^(\d+)_")[0]
                            .astype(STR))
        published = export.text("created_time")
        likes, found = export.counts("reactions.summary.total_count")
        problems += found
        if export.header("reactions.summary.total_count") is None:
            likes, found = sum_counts(export, _REACTIONS)
            problems += found
        columns = {"network": pd.Series("facebook", index=export.frame.index, dtype=STR),
                   "handle": page, "published_at": published, "text": export.text("message"),
                   "url": ("https://www.facebook.com/" + object_id).astype(STR),
                   "post_id": object_id, "likes": likes, "format": export.text("type")}
        headers = {"published_at": export.header("created_time"),
                   "text": export.header("message"), "post_id": export.header("object_id"),
                   "format": export.header("type"),
                   "likes": export.header("reactions.summary.total_count", *_REACTIONS)}
        for name, header in (("comments", "comments.summary.total_count"),
                             ("shares", "shares.count")):
            columns[name], found = export.counts(header)
            headers[name] = export.header(header)
            problems += found
        missing = data & page.isna().to_numpy()
        problems += [Problem("error", "account_unknown", int(row), headers["post_id"] or "",
                             value) for row, value in zip(export.rows[missing],
                                                          object_id[missing], strict=True)]
        keep = data & ~missing
        posts = export.table("posts", columns, {k: v for k, v in headers.items() if v},
                             keep=keep)
        profiles = accounts(export, "facebook", page.where(pd.Series(keep, index=page.index)),
                            export.text(_PAGE_NAME), published)
        return Imported(self.name, [posts, profiles], problems)


PAGE_POSTS = _PagePosts()
