"""TikTok Studio's content export (Analytics > Content > export), one row per video.

    Video title,Video link,Post time,Total likes,Total comments,Total shares,Total views,
    Average watch time,...

What only the layout knows, settled here:

* No column names the account: each video's link (https://www.tiktok.com/@user/video/ID)
  does, and gives the video id.
* "Post time" is local time without a zone ("2026-08-02 19:05:00" or "08/16/2026 15:00",
  always month first, as TikTok's English interface writes it): the slashed form is
  rewritten year first here, so no day and month are ever guessed, and read in the
  audit's time zone.
* Counts may be abbreviated ("1.2K") or grouped ("18,400"); the validator reads both.
"""

from __future__ import annotations

import pandas as pd

from audit.ingest.importers.base import (
    STR,
    Export,
    Imported,
    Importer,
    Problem,
    account_from_urls,
    accounts,
    has_headers,
)

__all__ = ["STUDIO"]

_MONTH_FIRST = r"^(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})"
_COUNTS = {"likes": "Total likes", "comments": "Total comments", "shares": "Total shares",
           "views": "Total views"}


class _Studio(Importer):
    name = "tiktok_studio"

    def recognise(self, file_name: str, headers: list[str]) -> bool:
        return has_headers(headers, "Video link", "Post time", "Total likes")

    def to_contract(self, export: Export) -> Imported:
        urls = export.text("Video link")
        handle = account_from_urls(urls)
        published = export.text("Post time").str.replace(
            _MONTH_FIRST, lambda m: f"{m['y']}-{int(m['m']):02d}-{int(m['d']):02d}",
            regex=True).astype(STR)
        index = export.frame.index
        columns = {"network": pd.Series("tiktok", index=index, dtype=STR), "handle": handle,
                   "published_at": published, "text": export.text("Video title"),
                   "url": urls, "post_id": urls.str.extract(r"/video/(\d+)")[0].astype(STR),
                   "format": pd.Series("video", index=index, dtype=STR)}
        headers = {"published_at": export.header("Post time"),
                   "text": export.header("Video title"), "url": export.header("Video link")}
        problems = []
        for name, header in _COUNTS.items():
            columns[name], found = export.counts(header)
            headers[name] = export.header(header)
            problems += found
        missing = handle.isna().to_numpy()
        problems += [Problem("error", "account_unknown", int(row), headers["url"], value)
                     for row, value in zip(export.rows[missing], urls[missing], strict=True)]
        posts = export.table("posts", columns, {k: v for k, v in headers.items() if v},
                             keep=~missing)
        profiles = accounts(export, "tiktok", handle, pd.Series(pd.NA, index=index, dtype=STR),
                            published)
        return Imported(self.name, [posts, profiles], problems)


STUDIO = _Studio()
