"""Twitter API v2 tweets: twarc2's CSV, and the API's own JSON / JSON lines.

    twarc2 csv   id,conversation_id,referenced_tweets.replied_to.id,
                 referenced_tweets.retweeted.id,...,created_at,text,...,
                 public_metrics.impression_count,public_metrics.reply_count,
                 public_metrics.retweet_count,...,public_metrics.like_count,...,
                 author.id,...,author.username,author.name,...,
                 author.public_metrics.followers_count,...
    API JSON     {"data": [tweet, ...], "includes": {"users": [...]}} pages, one per file
                 or one per line; flattened to the same column names on reading
                 (``json_records``)

What only the layout knows, settled here:

* There is no network column: every row is X.
* "author.username" is the handle; an API page saved without its "includes" names no
  author, and its tweets are listed as of an unknown account. "author.name" is the name
  shown, "author.public_metrics.followers_count" the followers at collection time.
* A tweet with "referenced_tweets.retweeted.id" is a retweet, another account's words:
  left out of the account's own posts, each one listed in the problem list.
* "created_at" carries its zone ("...Z"); the post's address is built from the handle and
  the tweet id, as X writes it.
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
    has_headers,
)

__all__ = ["TWEETS"]

_METRICS = {"likes": "public_metrics.like_count", "comments": "public_metrics.reply_count",
            "shares": "public_metrics.retweet_count", "views": "public_metrics.impression_count"}
_HANDLE, _NAME = "author.username", "author.name"
_RETWEETED = "referenced_tweets.retweeted.id"


class _Tweets(Importer):
    name = "twitter_api_v2"

    def recognise(self, file_name: str, headers: list[str]) -> bool:
        return has_headers(headers, "id", "created_at", "text", "author_id",
                           "public_metrics.like_count")

    def to_contract(self, export: Export) -> Imported:
        handle = export.text(_HANDLE)
        post_id = export.text("id")
        url = ("https://x.com/" + handle + "/status/" + post_id).astype(STR)
        columns = {"network": pd.Series("x", index=export.frame.index, dtype=STR),
                   "handle": handle, "published_at": export.text("created_at"),
                   "text": export.text("text"), "url": url, "post_id": post_id}
        headers = {"handle": export.header(_HANDLE),
                   "published_at": export.header("created_at"),
                   "text": export.header("text"), "post_id": export.header("id")}
        problems = []
        for name, header in _METRICS.items():
            columns[name], found = export.counts(header)
            headers[name] = export.header(header)
            problems += found
        followers, found = export.counts("author.public_metrics.followers_count")
        problems += found
        retweet = export.text(_RETWEETED).notna().to_numpy()
        problems += [Problem("info", "retweet_excluded", int(row), export.header(_RETWEETED),
                             value) for row, value in zip(export.rows[retweet],
                                                          post_id[retweet], strict=True)]
        missing = handle.isna().to_numpy() & ~retweet
        problems += [Problem("error", "account_unknown", int(row), _HANDLE, value)
                     for row, value in zip(export.rows[missing], post_id[missing],
                                           strict=True)]
        keep = ~(retweet | missing)
        posts = export.table("posts", columns, {k: v for k, v in headers.items() if v},
                             keep=keep)
        own = pd.Series(keep, index=export.frame.index)
        profiles = accounts(export, "x", handle.where(own), export.text(_NAME),
                            columns["published_at"], followers)
        return Imported(self.name, [posts, profiles], problems)


TWEETS = _Tweets()
