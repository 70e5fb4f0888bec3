"""YouTube Studio's Analytics export: a zip of three CSV files, named for the channel.

    Contenido 2026-01-01_2026-03-31 Canal Ayto Norte.zip
        Table data.csv   Content,Video title,Video publish time,Duration,Likes,...,Views,...
                         (one row per video, after a "Total" row)
        Chart data.csv   Date,Content,...  a daily series per video: not posts
        Totals.csv       Date,...          the channel's daily totals: not posts

What only the layout knows, settled here:

* Only "Table data.csv" holds posts; its first row, "Total", sums the channel and is
  skipped (and said so). "Chart data" and "Totals" are recognised and reported as not
  used: the contract has no column for daily figures, and Studio's "Subscribers" are
  those gained in the period, not the channel's total.
* No file names the channel: it is taken from the zip's name (or from the folder the zip
  was unpacked into), the part after the period. A name with spaces is the channel's
  title; the handle is written without them and the problem list says so. Without that
  name, every video is listed as of an unknown account.
* "Content" is the video id; the post's address is https://www.youtube.com/watch?v=ID.
* "Video publish time" is a day ("Jan 6, 2024"), read in the audit's time zone.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

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

__all__ = ["CHART", "TABLE", "TOTALS"]

_EXPORT_NAME = re.compile(r"^\S+ \d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2} (?P<channel>.+?)(?:\.zip)?$",
                          re.IGNORECASE)
_COUNTS = {"likes": ("Likes",), "comments": ("Comments added", "Comments"),
           "shares": ("Shares",), "views": ("Views",)}


def channel_name(file: str) -> str | None:
    """The channel the export's zip (or its unpacked folder) is named for, if any."""
    parts = [p for p in re.split(r"!/|/", file.replace("\\", "/")) if p]
    for part in reversed(parts[:-1]):
        match = _EXPORT_NAME.match(PurePosixPath(part).name)
        if match:
            return match.group("channel").strip()
    return None


class _Table(Importer):
    name = "youtube_studio"

    def recognise(self, file_name: str, headers: list[str]) -> bool:
        return has_headers(headers, "Content", "Video title", "Video publish time")

    def to_contract(self, export: Export) -> Imported:
        video = export.text("Content")
        total = video.str.casefold().eq("total").fillna(False).to_numpy()
        problems = [Problem("info", "total_row_skipped", int(row), export.header("Content"))
                    for row in export.rows[total]]
        channel = channel_name(export.file)
        index = export.frame.index
        if channel is None:
            handle = pd.Series(pd.NA, index=index, dtype=STR)
            problems.append(Problem("error", "youtube_channel_unknown"))
        else:
            handle = pd.Series(channel.lstrip("@").replace(" ", ""), index=index, dtype=STR)
            if " " in channel:
                problems.append(Problem("info", "youtube_channel_from_name", params={
                    "channel": channel, "handle": handle.iat[0] if len(handle) else channel}))
        published = export.text("Video publish time")
        columns = {"network": pd.Series("youtube", index=index, dtype=STR), "handle": handle,
                   "published_at": published, "text": export.text("Video title"),
                   "url": ("https://www.youtube.com/watch?v=" + video).astype(STR),
                   "post_id": video, "format": pd.Series("video", index=index, dtype=STR)}
        headers = {"published_at": export.header("Video publish time"),
                   "text": export.header("Video title"), "post_id": export.header("Content")}
        for name, wanted in _COUNTS.items():
            columns[name], found = export.counts(*wanted)
            headers[name] = export.header(*wanted)
            problems += found
        keep = ~total & handle.notna().to_numpy()
        posts = export.table("posts", columns, {k: v for k, v in headers.items() if v},
                             keep=keep)
        display = pd.Series(channel, index=index, dtype=STR)
        profiles = accounts(export, "youtube", handle.where(pd.Series(keep, index=index)),
                            display, published)
        return Imported(self.name, [posts, profiles], problems)


class _NotPosts(Importer):
    """A file of the zip that holds no posts: recognised, so it is said why it is unused."""

    def __init__(self, name: str, file_name: str, code: str) -> None:
        self.name, self.file_name, self.code = name, file_name, code

    def recognise(self, file_name: str, headers: list[str]) -> bool:
        return file_name.casefold() == self.file_name and has_headers(headers, "Date")

    def to_contract(self, export: Export) -> Imported:
        return Imported(self.name, [], [Problem("info", self.code)])


TABLE = _Table()
CHART = _NotPosts("youtube_studio_chart", "chart data.csv", "youtube_chart_not_used")
TOTALS = _NotPosts("youtube_studio_totals", "totals.csv", "youtube_totals_not_used")
