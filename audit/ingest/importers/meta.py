"""Meta Business Suite: Facebook and Instagram post exports, and the page-level daily series.

    Facebook posts   "Post ID","Page ID","Page name",Title,Description,...,"Publish time",
                     Permalink,...,"Post type",...,Date ("Lifetime"),Views,Reach,Reactions,...
    Instagram posts  Post ID,Account ID,Account username,Account name,Description,...
    daily series     UTF-16, "sep=," then a title row ("Facebook follows"), then "Date","Primary"

What only the layout knows, settled here:

* "Date" holds the word "Lifetime", not a date: the post's date is "Publish time", local
  time of the account, without a zone (the audit's ``--timezone`` gives it one).
* "Publish time" is written with numbers only, and its order (month/day as Meta writes it,
  or day/month from a Spanish-language account) is decided by any date of the file whose
  day is above 12, else by the period in the file name (``Aug-01-2025_Aug-31-2025_<id>``);
  when neither decides, the file is read month first and a warning says so.
* A photo's caption is in "Title", other posts' in "Description": both are read.
* A Facebook page's account is the one its permalinks name; a permalink that names none
  (``/reel/ID``, ``photo.php``) keeps the account of its page ("Page ID").
"""

from __future__ import annotations

import datetime as dt
import re
from abc import abstractmethod

import numpy as np
import pandas as pd

from audit.ingest.importers.base import (
    STR,
    ContractTable,
    Export,
    Imported,
    Importer,
    Problem,
    account_from_urls,
    accounts,
    has_headers,
    joined_text,
)

__all__ = ["DAILY_SERIES", "FACEBOOK_POSTS", "INSTAGRAM_POSTS"]

_NUMERIC_TIME = re.compile(
    r"^(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})(?:,?\s+(?P<H>\d{1,2}):(?P<M>\d{2}))?")
_PERIOD = re.compile(r"(?P<m1>[A-Za-z]{3})-(?P<d1>\d{2})-(?P<y1>\d{4})_"
                     r"(?P<m2>[A-Za-z]{3})-(?P<d2>\d{2})-(?P<y2>\d{4})")
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
                                       "sep", "oct", "nov", "dec"), 1)}
# Post types as Meta writes them -> the contract's formats.
_FORMATS = {"photos": "photo", "photo": "photo", "videos": "video", "video": "video",
            "reels": "reel", "reel": "reel", "links": "link", "link": "link", "text": "text",
            "status": "text", "ig image": "photo", "ig carousel": "photo", "ig reel": "reel",
            "ig video": "video", "ig story": "story", "live": "live"}
_VIEWS = ("Views", "Impressions", "Plays")
# A series of the total followers; "Facebook follows" counts new follows per day instead,
# which is no follower count and is reported as not used.
_TOTAL_FOLLOWERS = re.compile(r"followers|seguidores")


def _period(name: str) -> tuple[dt.date, dt.date] | None:
    """The period a Meta file name states, as dates (None when it states none)."""
    match = _PERIOD.search(name)
    if not match:
        return None
    try:
        return tuple(dt.date(int(match[f"y{i}"]), _MONTHS[match[f"m{i}"].lower()],
                             int(match[f"d{i}"])) for i in (1, 2))
    except (KeyError, ValueError):
        return None


def _within(parts: pd.DataFrame, month_first: bool, period: tuple[dt.date, dt.date]) -> bool:
    """True when every date, read in that order, falls inside the period."""
    month, day = (parts["a"], parts["b"]) if month_first else (parts["b"], parts["a"])
    try:
        dates = [dt.date(int(y), int(m), int(d)) for y, m, d in
                 zip(parts["y"], month, day, strict=True)]
    except ValueError:
        return False
    return all(period[0] <= d <= period[1] for d in dates)


def publish_times(export: Export, header: str) -> tuple[pd.Series, list[Problem]]:
    """"Publish time" as ISO text without a zone, its order of day and month decided (see
    the module's docstring); values not written with numbers are passed on as they are."""
    cells = export.text(header)
    parts = cells.str.extract(_NUMERIC_TIME)
    numeric = parts["a"].notna()
    if not numeric.any():
        return cells, []
    first, second = parts["a"].astype(float), parts["b"].astype(float)
    day_first, month_first = bool((first > 12).any()), bool((second > 12).any())
    problems = []
    if day_first == month_first:  # neither or both: the data alone does not decide
        period = _period(export.name)
        fits = {order: _within(parts[numeric], order, period) for order in (True, False)} \
            if period else {}
        if fits and fits[True] != fits[False]:
            month_first = fits[True]
        else:
            month_first = True
            problems.append(Problem("warning", "dates_order_ambiguous", column=header,
                                    value=cells[numeric].iloc[0]))
    month, day = (parts["a"], parts["b"]) if month_first else (parts["b"], parts["a"])
    iso = (parts["y"] + "-" + month.str.zfill(2) + "-" + day.str.zfill(2))
    clock = (" " + parts["H"].str.zfill(2) + ":" + parts["M"]).fillna("")
    return cells.where(~numeric, iso + clock).astype(STR), problems


def _formats(export: Export) -> pd.Series:
    kinds = export.text("Post type", "Media type")
    return kinds.str.lower().map(_FORMATS).where(kinds.notna() & kinds.str.lower().isin(
        list(_FORMATS)), kinds).astype(STR)


def _page_accounts(export: Export, urls: pd.Series) -> pd.Series:
    """Each Facebook post's account: the one its permalink names, else the one the other
    permalinks of its page name (most often), else the page's id."""
    named = account_from_urls(urls)
    page = export.text("Page ID")
    if page.isna().all():
        return named
    known = pd.DataFrame({"page": page, "named": named}).dropna()
    main = known.groupby("page")["named"].agg(lambda s: s.value_counts().index[0])
    return named.where(named.notna(), page.map(main)).where(
        named.notna() | page.map(main).notna(), page).astype(STR)


class _Posts(Importer):
    """What the Facebook and Instagram post exports share; each says where its account is."""

    network = ""
    likes: tuple[str, ...] = ()  # the column(s) counted as likes

    @abstractmethod
    def _account(self, export: Export, urls: pd.Series) -> tuple[pd.Series, pd.Series]:
        """Each row's account handle and display name."""

    def to_contract(self, export: Export) -> Imported:
        published_header = export.header("Publish time")
        published, problems = publish_times(export, published_header)
        urls = export.text("Permalink")
        handle, display = self._account(export, urls)
        text = joined_text(export.text("Title"), export.text("Description"))
        columns = {"network": pd.Series(self.network, index=export.frame.index, dtype=STR),
                   "handle": handle, "published_at": published, "text": text,
                   "format": _formats(export), "url": urls, "post_id": export.text("Post ID")}
        headers = {"published_at": published_header, "url": export.header("Permalink"),
                   "post_id": export.header("Post ID"),
                   "text": export.header("Description", "Title"),
                   "format": export.header("Post type")}
        for name, wanted in (("likes", self.likes), ("comments", ("Comments",)),
                             ("shares", ("Shares",)), ("views", _VIEWS)):
            columns[name], found = export.counts(*wanted)
            headers[name] = export.header(*wanted)
            problems += found
        headers = {k: v for k, v in headers.items() if v}
        missing = handle.isna()
        problems += [Problem("error", "account_unknown", int(r), export.header("Permalink") or "",
                             u) for r, u in zip(export.rows[missing.to_numpy()],
                                                urls[missing], strict=True)]
        posts = export.table("posts", columns, headers, keep=~missing.to_numpy())
        profiles = accounts(export, self.network, handle, display, published)
        return Imported(self.name, [posts, profiles], problems)


class _FacebookPosts(_Posts):
    name = "meta_facebook_posts"
    network = "facebook"
    likes = ("Reactions",)

    def recognise(self, file_name: str, headers: list[str]) -> bool:
        return has_headers(headers, "Post ID", "Page ID", "Publish time", "Permalink")

    def _account(self, export: Export, urls: pd.Series) -> tuple[pd.Series, pd.Series]:
        return _page_accounts(export, urls), export.text("Page name")


class _InstagramPosts(_Posts):
    name = "meta_instagram_posts"
    network = "instagram"
    likes = ("Likes",)

    def recognise(self, file_name: str, headers: list[str]) -> bool:
        return has_headers(headers, "Post ID", "Account username", "Publish time")

    def _account(self, export: Export, urls: pd.Series) -> tuple[pd.Series, pd.Series]:
        return export.text("Account username"), export.text("Account name")


class _DailySeries(Importer):
    """A metric per day for the whole page, not posts. A series of followers gives the
    profile its followers (the latest day's); any other metric (new follows per day,
    reach) is reported as not used. The file does not say whose page it is: the followers
    go to the one account of its network found in the other files (see
    ``profiles.settle_profiles``)."""

    name = "meta_daily_series"

    def recognise(self, file_name: str, headers: list[str]) -> bool:
        return [h.strip().lower() for h in headers if h.strip()] == ["date", "primary"]

    def to_contract(self, export: Export) -> Imported:
        title = " ".join(c for row in export.preamble for c in row if c).strip()
        lowered = title.lower()
        network = next((n for n in ("facebook", "instagram") if n in lowered), None)
        if network is None or not _TOTAL_FOLLOWERS.search(lowered):
            shown = title or export.name
            return Imported(self.name, [], [Problem("warning", "series_not_used", value=shown,
                                                    params={"title": shown})])
        values, problems = export.counts("Primary")
        dates = export.text("Date")
        latest = int(np.argmax(dates.fillna("").to_numpy())) if dates.notna().any() else 0
        frame = pd.DataFrame({"network": [network], "followers": [values.iloc[latest]],
                              "series_date": [dates.iloc[latest]]})
        frame["followers"] = frame["followers"].map(
            lambda v: np.nan if pd.isna(v) else f"{v:.0f}").astype(STR)
        # The latest value as a profile row with no handle yet.
        series = ContractTable("profiles", frame, export.rows[[latest]],
                               {"followers": export.header("Primary")})
        return Imported(self.name, [series], problems)


FACEBOOK_POSTS = _FacebookPosts()
INSTAGRAM_POSTS = _InstagramPosts()
DAILY_SERIES = _DailySeries()
