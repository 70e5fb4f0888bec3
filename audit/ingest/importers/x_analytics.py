"""X (Twitter) analytics exports of one account.

    legacy  tweet_activity_metrics_<handle>_<YYYYMMDD>_<YYYYMMDD>_<lang>.csv
            "Tweet id","Tweet permalink","Tweet text","time","impressions",...,"retweets",
            "replies","likes",...
    2024+   account_analytics_content_<YYYY-MM-DD>_<YYYY-MM-DD>.csv
            Post id,Date,Post text,Post Link,Impressions,Likes,...,Shares,...,Replies,Reposts,...

What only the layout knows, settled here:

* The legacy file names its account only in the file name: the handle is taken from there
  (else from the permalinks). The newer one names it in each "Post Link".
* Texts carry HTML entities ("&amp;"): they are read as the characters they stand for.
* "Reposts" are what the contract calls shares; the newer "Shares" (sent by message or
  link) is kept in its own column.
* Dates: the legacy "time" carries its offset ("+0000"); the newer "Date" is a day only
  ("Tue, Jul 14, 2026"), read in the audit's time zone.
"""

from __future__ import annotations

import html
import re
from typing import ClassVar

import pandas as pd

from audit.ingest.importers.base import (
    STR,
    Export,
    Imported,
    Importer,
    Problem,
    account_from_urls,
    accounts,
    file_handle,
    first_filled,
    has_headers,
)

__all__ = ["CONTENT", "TWEET_ACTIVITY"]

_LEGACY_NAME = re.compile(
    r"^(?:daily_)?tweet_activity_metrics_(?P<handle>\w+?)_\d{8}_\d{8}(?:_[a-z]{2,3})?\.\w+$",
    re.IGNORECASE)


class _Analytics(Importer):
    """Both layouts: which header holds what, and where the account comes from."""

    columns: ClassVar[dict[str, tuple[str, ...]]] = {}

    def account(self, export: Export, urls: pd.Series) -> pd.Series:
        return account_from_urls(urls)

    def to_contract(self, export: Export) -> Imported:
        names = self.columns
        urls = export.text(*names["url"])
        handle = self.account(export, urls)
        published = export.text(*names["published_at"])
        text = export.text(*names["text"]).map(html.unescape, na_action="ignore").astype(STR)
        columns = {"network": pd.Series("x", index=export.frame.index, dtype=STR),
                   "handle": handle, "published_at": published, "text": text, "url": urls,
                   "post_id": export.text(*names["post_id"])}
        headers = {k: export.header(*names[k]) for k in names}
        problems = []
        for name in ("likes", "comments", "shares", "views"):
            columns[name], found = export.counts(*names[name])
            problems += found
        missing = handle.isna().to_numpy()
        problems += [Problem("error", "account_unknown", int(row), headers["url"] or "", url)
                     for row, url in zip(export.rows[missing], urls[missing], strict=True)]
        posts = export.table("posts", columns, {k: v for k, v in headers.items() if v},
                             keep=~missing)
        profiles = accounts(export, "x", handle,
                            pd.Series(pd.NA, index=export.frame.index, dtype=STR), published)
        return Imported(self.name, [posts, profiles], problems)


class _TweetActivity(_Analytics):
    name = "x_tweet_activity"
    columns: ClassVar[dict[str, tuple[str, ...]]] = {
        "post_id": ("Tweet id",), "url": ("Tweet permalink",), "text": ("Tweet text",),
        "published_at": ("time",), "likes": ("likes",), "comments": ("replies",),
        "shares": ("retweets",), "views": ("impressions",)}

    def recognise(self, file_name: str, headers: list[str]) -> bool:
        return has_headers(headers, "Tweet id", "Tweet permalink", "Tweet text", "time")

    def account(self, export: Export, urls: pd.Series) -> pd.Series:
        named = file_handle(export.name, _LEGACY_NAME)
        from_urls = account_from_urls(urls)
        if named is None:
            return from_urls
        return first_filled(pd.Series(named, index=urls.index, dtype=STR), from_urls)


class _Content(_Analytics):
    name = "x_account_analytics_content"
    columns: ClassVar[dict[str, tuple[str, ...]]] = {
        "post_id": ("Post id",), "url": ("Post Link",), "text": ("Post text",),
        "published_at": ("Date",), "likes": ("Likes",), "comments": ("Replies",),
        "shares": ("Reposts",), "views": ("Impressions",)}

    def recognise(self, file_name: str, headers: list[str]) -> bool:
        return has_headers(headers, "Post id", "Post text", "Post Link", "Date")


TWEET_ACTIVITY = _TweetActivity()
CONTENT = _Content()
