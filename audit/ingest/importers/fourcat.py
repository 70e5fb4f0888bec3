"""4CAT CSV downloads of Twitter (API v2) and Facebook (CrowdTangle import) datasets.

    Twitter   id,thread_id,timestamp,unix_timestamp,link,subject,body,author,author_fullname,
              author_id,author_followers,...,retweet_count,reply_count,like_count,...,is_retweet,...
    Facebook  id,thread_id,body,author,timestamp,unix_timestamp,page_name,...,page_followers,...,
              type,interactions,comments,shares,likes,likes_love,...,likes_care,...,url,...

What only the layout knows, settled here:

* "timestamp" is UTC without saying so: it is read as UTC, whatever ``--timezone`` says.
* Retweets ("is_retweet" = yes) are other accounts' words: they are left out of the
  account's own posts, each one listed in the problem list.
* "author" is the handle; "author_fullname" / "page_name" the name shown;
  "author_followers" / "page_followers" the followers at collection time.
* Facebook reactions are summed into likes (like, love, wow, haha, sad, angry, care), the
  split kept in the export's own columns.
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
    first_filled,
    has_headers,
    sum_counts,
)

__all__ = ["FACEBOOK", "TWITTER"]

_TRUE = {"yes", "true", "1"}


def _utc(cells: pd.Series) -> pd.Series:
    """4CAT's "YYYY-MM-DD HH:MM:SS" in UTC, said so for the validator."""
    plain = cells.str.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?").fillna(False)
    return cells.where(~plain, cells + "+00:00").astype(STR)


class _FourCat(Importer):
    network = ""
    display = ""
    followers = ""
    likes: tuple[str, ...] = ()
    views: tuple[str, ...] = ()
    url = ""

    def to_contract(self, export: Export) -> Imported:
        urls = export.text(self.url)
        handle = first_filled(export.text("author"), account_from_urls(urls))
        published = _utc(export.text("timestamp"))
        likes, problems = sum_counts(export, self.likes)
        columns = {"network": pd.Series(self.network, index=export.frame.index, dtype=STR),
                   "handle": handle, "published_at": published, "text": export.text("body"),
                   "url": urls, "post_id": export.text("id"), "likes": likes}
        headers = {"handle": export.header("author"), "published_at": export.header("timestamp"),
                   "text": export.header("body"), "url": export.header(self.url),
                   "post_id": export.header("id"), "likes": export.header(self.likes[0])}
        for name, wanted in (("comments", ("reply_count", "comments")),
                             ("shares", ("retweet_count", "shares")), ("views", self.views)):
            columns[name], found = export.counts(*wanted)
            headers[name] = export.header(*wanted)
            problems += found
        if self.network == "facebook":
            columns["format"], headers["format"] = export.text("type"), export.header("type")
        followers, found = export.counts(self.followers)
        problems += found
        retweet = export.text("is_retweet").str.lower().isin(_TRUE).to_numpy()
        problems += [Problem("info", "retweet_excluded", int(row), export.header("is_retweet"),
                             value) for row, value in zip(export.rows[retweet], urls[retweet],
                                                          strict=True)]
        missing = handle.isna().to_numpy() & ~retweet
        problems += [Problem("error", "account_unknown", int(row), headers["handle"] or "",
                             value) for row, value in zip(export.rows[missing], urls[missing],
                                                          strict=True)]
        keep = ~(retweet | missing)
        posts = export.table("posts", columns, {k: v for k, v in headers.items() if v},
                             keep=keep)
        own = pd.Series(keep, index=export.frame.index)
        profiles = accounts(export, self.network, handle.where(own),
                            export.text(self.display), published, followers)
        return Imported(self.name, [posts, profiles], problems)


class _Twitter(_FourCat):
    name = "4cat_twitter"
    network = "x"
    display = "author_fullname"
    followers = "author_followers"
    likes = ("like_count",)
    views = ("impression_count",)
    url = "link"

    def recognise(self, file_name: str, headers: list[str]) -> bool:
        return has_headers(headers, "id", "thread_id", "timestamp", "body", "author",
                           "retweet_count", "is_retweet")


class _Facebook(_FourCat):
    name = "4cat_facebook"
    network = "facebook"
    display = "page_name"
    followers = "page_followers"
    likes = ("likes", "likes_love", "likes_wow", "likes_haha", "likes_sad", "likes_angry",
             "likes_care")
    views = ("views_post", "views_total")
    url = "url"

    def recognise(self, file_name: str, headers: list[str]) -> bool:
        return has_headers(headers, "id", "thread_id", "timestamp", "body", "page_name",
                           "likes_love")


TWITTER = _Twitter()
FACEBOOK = _Facebook()
