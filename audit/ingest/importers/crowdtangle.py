"""CrowdTangle Facebook and Instagram CSV exports (and the archives made from them).

    Facebook 2021+  Page Name,User Name,Facebook Id,...,Followers at Posting,Post Created,...,
                    Likes,Comments,Shares,Love,Wow,Haha,Sad,Angry,Care,...,URL,Message,...
    Facebook 2020   Page Name,User Name,Facebook Id,Likes at Posting,Created,Type,Likes,...
    Instagram       Account,User Name,Followers at Posting,Post Created (or Created),Type,
                    Likes,Comments,Views,URL,Link,Photo,Title,Description

What only the layout knows, settled here:

* "Page Name" / "Account" is the name the page shows, not its handle: the handle is
  "User Name", else the account the post's URL names (pages without a username have
  numeric URLs, /100069351265250/posts/...).
* "Likes" is only the Like reaction: every reaction (Like, Love, Wow, Haha, Sad, Angry,
  Care) is summed into the likes, and the split stays in the export's own columns.
* Dates end with the zone of the exporting user's dashboard ("EST", "EDT", "CET"), read
  as such; counts may carry thousands separators ("1,972,048").
* "Followers at Posting" (2020: "Likes at Posting", the page's fans) becomes the profile's
  followers, from the account's latest post.
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
    joined_text,
    sum_counts,
)

__all__ = ["FACEBOOK", "INSTAGRAM"]

REACTIONS = ("Likes", "Love", "Wow", "Haha", "Sad", "Angry", "Care")


class _CrowdTangle(Importer):
    network = ""
    display = ("Page Name", "Group Name")
    reactions: tuple[str, ...] = ("Likes",)
    views = ("Post Views",)
    anchor = ""  # the header that tells Facebook from Instagram

    def recognise(self, file_name: str, headers: list[str]) -> bool:
        created = has_headers(headers, "Post Created") or has_headers(headers, "Created")
        return created and has_headers(headers, "User Name", "URL", self.anchor)

    def post_text(self, export: Export) -> pd.Series:
        return export.text("Message")

    def to_contract(self, export: Export) -> Imported:
        urls = export.text("URL")
        handle = first_filled(export.text("User Name"), account_from_urls(urls))
        published_header = export.header("Post Created", "Created")
        published = export.text(published_header)
        likes, problems = sum_counts(export, self.reactions)
        columns = {"network": pd.Series(self.network, index=export.frame.index, dtype=STR),
                   "handle": handle, "published_at": published, "text": self.post_text(export),
                   "format": export.text("Type"), "url": urls, "likes": likes}
        headers = {"handle": export.header("User Name") or export.header("URL"),
                   "published_at": published_header, "url": export.header("URL"),
                   "text": export.header("Message", "Description"),
                   "format": export.header("Type"), "likes": export.header("Likes")}
        for name, wanted in (("comments", ("Comments",)), ("shares", ("Shares",)),
                             ("views", self.views)):
            columns[name], found = export.counts(*wanted)
            headers[name] = export.header(*wanted)
            problems += found
        followers, found = export.counts("Followers at Posting", "Likes at Posting")
        problems += found
        missing = handle.isna().to_numpy()
        problems += [Problem("error", "account_unknown", int(row), export.header("URL") or "",
                             url) for row, url in zip(export.rows[missing], urls[missing],
                                                      strict=True)]
        posts = export.table("posts", columns, {k: v for k, v in headers.items() if v},
                             keep=~missing)
        profiles = accounts(export, self.network, handle, export.text(*self.display),
                            published, followers)
        return Imported(self.name, [posts, profiles], problems)


class _Facebook(_CrowdTangle):
    name = "crowdtangle_facebook"
    network = "facebook"
    anchor = "Facebook Id"
    reactions = REACTIONS


class _Instagram(_CrowdTangle):
    name = "crowdtangle_instagram"
    network = "instagram"
    anchor = "Account"
    display = ("Account",)
    views = ("Views", "Post Views")

    def post_text(self, export: Export) -> pd.Series:
        return joined_text(export.text("Title"), export.text("Description"))


FACEBOOK = _Facebook()
INSTAGRAM = _Instagram()
