"""Zeeschuimer captures and 4CAT's NDJSON downloads: one item per line, each the platform's
own record in an envelope.

    {"item_id": ..., "timestamp_collected": <ms>, "source_platform": "tiktok.com", ...,
     "data": {<the platform's record>}}           (4CAT writes the payload under "item")

Flattened on reading (``json_records``), the record's fields are "data.<path>" (or
"item.<path>"). Per item, by ``source_platform``:

    TikTok     id, desc, createTime (Unix seconds), author.uniqueId, author.nickname,
               stats.diggCount / commentCount / shareCount / playCount,
               authorStats.followerCount
    Instagram  code, caption.text, taken_at (Unix seconds), user.username, user.full_name,
               like_count, comment_count, play_count or view_count
    X          rest_id, legacy.full_text, legacy.created_at, the author's screen_name and
               name (core.user_results.result.legacy or .core), legacy.favorite_count /
               reply_count / retweet_count, views.count, the author's followers_count;
               a retweet (legacy.retweeted_status_result) is left out and listed

An item of another platform is listed as not read; the post's address is built as each
platform writes it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
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

__all__ = ["ITEMS"]

_USER = ("core.user_results.result.legacy", "core.user_results.result.core")


@dataclass(frozen=True)
class _Platform:
    network: str
    fields: dict[str, tuple[str, ...]]
    url: str  # format with {handle} and {id}
    epoch: bool = False  # the date is in Unix seconds


_PLATFORMS = {
    "tiktok": _Platform("tiktok", {
        "post_id": ("id",), "text": ("desc",), "published_at": ("createTime",),
        "handle": ("author.uniqueId", "author"), "display_name": ("author.nickname",),
        "likes": ("stats.diggCount",), "comments": ("stats.commentCount",),
        "shares": ("stats.shareCount",), "views": ("stats.playCount",),
        "followers": ("authorStats.followerCount",)},
        "https://www.tiktok.com/@{handle}/video/{id}", epoch=True),
    "instagram": _Platform("instagram", {
        "post_id": ("code",), "text": ("caption.text",), "published_at": ("taken_at",),
        "handle": ("user.username", "owner.username"),
        "display_name": ("user.full_name", "owner.full_name"),
        "likes": ("like_count",), "comments": ("comment_count",),
        "views": ("play_count", "view_count")},
        "https://www.instagram.com/p/{id}/", epoch=True),
    "x": _Platform("x", {
        "post_id": ("rest_id",), "text": ("legacy.full_text",),
        "published_at": ("legacy.created_at",),
        "handle": tuple(f"{u}.screen_name" for u in _USER),
        "display_name": tuple(f"{u}.name" for u in _USER),
        "likes": ("legacy.favorite_count",), "comments": ("legacy.reply_count",),
        "shares": ("legacy.retweet_count",), "views": ("views.count",),
        "followers": tuple(f"{u}.followers_count" for u in _USER),
        "retweet": ("legacy.retweeted_status_result.result.rest_id",)},
        "https://x.com/{handle}/status/{id}"),
}
_COUNTS = ("likes", "comments", "shares", "views", "followers")


def _platform(source: str) -> str | None:
    host = source.casefold()
    if "tiktok" in host:
        return "tiktok"
    if "instagram" in host:
        return "instagram"
    if host in {"x.com", "twitter.com"} or host.endswith((".x.com", ".twitter.com")):
        return "x"
    return None


def _paths(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"{envelope}.{n}" for n in names for envelope in ("data", "item"))


def _epoch(cells: pd.Series) -> pd.Series:
    """Unix seconds as an ISO date in UTC, for the validator; other text as written."""
    seconds = pd.to_numeric(cells, errors="coerce")
    iso = pd.to_datetime(seconds, unit="s", utc=True).dt.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    return iso.where(seconds.notna(), cells).astype(STR)


class _Items(Importer):
    name = "zeeschuimer_ndjson"

    def recognise(self, file_name: str, headers: list[str]) -> bool:
        return has_headers(headers, "source_platform") and any(
            h.startswith(("data.", "item.")) for h in headers)

    def to_contract(self, export: Export) -> Imported:
        index = export.frame.index
        platform = export.text("source_platform").fillna("").map(_platform)
        out = {name: pd.Series(pd.NA, index=index, dtype=STR)
               for name in ("network", "handle", "display_name", "published_at", "text",
                            "url", "post_id", "retweet")}
        out.update({name: pd.Series(np.nan, index=index, dtype="Float64") for name in _COUNTS})
        problems, headers = [], {}
        for key, spec in _PLATFORMS.items():
            rows = (platform == key).to_numpy()
            if not rows.any():
                continue
            out["network"] = out["network"].mask(rows, spec.network)
            for name, paths in spec.fields.items():
                headers.setdefault(name, export.header(*_paths(paths)))
                if name in _COUNTS:
                    values, found = export.counts(*_paths(paths))
                    problems += [p for p in found if rows[np.searchsorted(export.rows, p.row)]]
                else:
                    values = export.text(*_paths(paths))
                    if name == "published_at" and spec.epoch:
                        values = _epoch(values)
                out[name] = out[name].mask(rows, values)
            url = pd.Series([spec.url.format(handle=h, id=i) if isinstance(h, str) and
                             isinstance(i, str) else pd.NA
                             for h, i in zip(out["handle"], out["post_id"], strict=True)],
                            index=index, dtype=STR)
            out["url"] = out["url"].mask(rows, url)
        unknown = platform.isna().to_numpy()
        sources = export.text("source_platform")
        problems += [Problem("warning", "platform_not_read", int(row),
                             export.header("source_platform"), value)
                     for row, value in zip(export.rows[unknown], sources[unknown], strict=True)]
        retweet = out["retweet"].notna().to_numpy()
        problems += [Problem("info", "retweet_excluded", int(row), "", value)
                     for row, value in zip(export.rows[retweet], out["url"][retweet],
                                           strict=True)]
        missing = ~unknown & ~retweet & out["handle"].isna().to_numpy()
        problems += [Problem("error", "account_unknown", int(row), "", value)
                     for row, value in zip(export.rows[missing], out["post_id"][missing],
                                           strict=True)]
        keep = ~(unknown | retweet | missing)
        columns = {k: out[k] for k in ("network", "handle", "published_at", "text", "url",
                                       "post_id", "likes", "comments", "shares", "views")}
        posts = export.table("posts", columns,
                             {k: v for k, v in headers.items() if v and k in columns}, keep=keep)
        # The rest of a captured item (other users' comments, tracking fields) is not kept.
        posts.frame, posts.extra = posts.frame.drop(columns=posts.extra), []
        own = pd.Series(keep, index=index)
        profiles = []
        for key, spec in _PLATFORMS.items():
            rows = own & (platform == key)
            if rows.any():
                profiles.append(accounts(export, spec.network, out["handle"].where(rows),
                                         out["display_name"], out["published_at"],
                                         out["followers"]))
        return Imported(self.name, [posts, *profiles], problems)


ITEMS = _Items()
