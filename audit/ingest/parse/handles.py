"""Handles and URLs: the account a handle, a profile URL or a post permalink names."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qs, unquote, urlsplit

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from audit.ingest.parse.cells import (
    STR,
    HandleParse,
    integer_text,
    per_distinct,
    row_mask,
    sort_cells,
    spread,
    take_text,
)

# Registered domains of each network (a host matches itself and its sub-domains, so
# m.facebook.com, es-la.facebook.com, mobile.twitter.com and co.linkedin.com all count).
_NETWORK_DOMAINS = {
    "facebook.com": "facebook", "fb.com": "facebook", "fb.me": "facebook",
    "fb.watch": "facebook",
    "instagram.com": "instagram", "instagr.am": "instagram",
    "twitter.com": "x", "x.com": "x",
    "youtube.com": "youtube", "youtu.be": "youtube",
    "tiktok.com": "tiktok",
    "linkedin.com": "linkedin", "lnkd.in": "linkedin",
    "pinterest.com": "pinterest", "pin.it": "pinterest",
    "threads.net": "threads", "threads.com": "threads",
    "whatsapp.com": "whatsapp", "wa.me": "whatsapp",
    "t.me": "telegram", "telegram.me": "telegram", "telegram.dog": "telegram",
    "flickr.com": "flickr", "flic.kr": "flickr",
}
# Networks with a country top-level domain (pinterest.es, pinterest.com.mx).
_COUNTRY_DOMAINS = re.compile(r"(?:^|\.)(?P<name>pinterest)\.[a-z]{2,3}(?:\.[a-z]{2})?$")

_SCHEME_RE = re.compile(r"[a-z][a-z0-9+.\-]*://", re.IGNORECASE | re.ASCII)
_HOST_RE = re.compile(
    r"(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+[a-z]{2,}\.?(?::\d{1,5})?",
    re.IGNORECASE | re.ASCII,
)


def _network_of_host(host: str) -> str | None:
    for domain, network in _NETWORK_DOMAINS.items():
        if host == domain or host.endswith("." + domain):
            return network
    match = _COUNTRY_DOMAINS.search(host)
    return match["name"] if match else None


@dataclass(frozen=True)
class _Url:
    """A web address taken apart. ``host`` is empty when the text was URL-like but broken."""

    host: str  # lower case, without "www."
    network: str | None  # known network, "blog" for any other site
    path: tuple[str, ...]  # decoded, non-empty segments, case kept
    query: dict[str, str]


@lru_cache(maxsize=65536)
def split_url(text: str) -> _Url | None:
    """Take a URL apart, or return None when ``text`` is not a URL.

    Without a scheme, text is a URL only when it starts with "www.", names a known network
    host ("facebook.com/name", "t.me/name") or has a path after a host ("site.org/blog").
    A bare "name.surname" is left alone: it is a valid Instagram or TikTok handle.
    """
    if not _SCHEME_RE.match(text):
        head = re.split(r"[/?#]", text, maxsplit=1)[0]
        if not _HOST_RE.fullmatch(head):
            return None
        host = head.lower().rstrip(".").split(":")[0]
        if not (host.startswith("www.") or _network_of_host(host) or len(head) < len(text)):
            return None
        text = "https://" + text
    broken = _Url(host="", network=None, path=(), query={})
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").rstrip(".")
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    except ValueError:
        return broken
    if parts.scheme.lower() not in ("http", "https") or "." not in host:
        return broken
    path = parts.path
    if parts.fragment.startswith("!/") and path in ("", "/"):  # old Twitter: .com/#!/name
        path = parts.fragment[1:].split("?")[0]
    host = host.removeprefix("www.")
    segments = tuple(unquote(s) for s in path.split("/") if s.strip())
    return _Url(host=host, network=_network_of_host(host) or "blog", path=segments,
                query=query)


# First path segments (lower case) after which a network's account rule reads more of the
# URL than the host and that segment. Every other URL is decided by its host and first
# segment alone, which lets long columns of permalinks be parsed once per account
# (see _handles). The rules below read these sets, so the two cannot drift apart.
_READS_FURTHER: dict[str, frozenset[str]] = {
    "facebook": frozenset({"profile.php", "permalink.php", "story.php", "pages", "people", "p",
                           "pg", "groups"}),
    "x": frozenset({"intent"}),
    "instagram": frozenset({"stories"}),
    "youtube": frozenset({"c", "user", "channel"}),
    "linkedin": frozenset({"company", "in", "school", "showcase", "pub", "posts"}),
    "whatsapp": frozenset({"channel", "send"}),
    "telegram": frozenset({"s"}),
    "flickr": frozenset({"photos", "people", "groups"}),
}


def _first(path: tuple[str, ...], at: int = 0) -> str:
    return path[at] if len(path) > at else ""


def _trailing_id(segment: str) -> str | None:
    """The numeric id at the end of a Facebook slug: "Alcaldia-de-X-100064123" -> id."""
    match = re.search(r"(?:^|-)(\d+)$", segment, re.ASCII)
    if match and (len(match[1]) >= 5 or match[1] == segment):
        return match[1]
    return None


_FACEBOOK_NOT_ACCOUNTS = {
    "watch", "photo.php", "photo", "photos", "sharer", "sharer.php", "share", "events",
    "hashtag", "login", "login.php", "home.php", "reel", "reels", "stories", "video.php",
    "plugins", "dialog", "l.php", "help", "gaming", "marketplace", "media", "search",
    "notes", "ads", "business", "privacy", "policies", "settings", "messages", "friends",
    "bookmarks", "legal", "terms",
}


def _facebook_account(url: _Url) -> str | None:
    first = _first(url.path).lower()
    if url.host == "fb.watch":
        return None
    if first not in _READS_FURTHER["facebook"]:
        if first in _FACEBOOK_NOT_ACCOUNTS or first.endswith(".php"):
            return None
        return _first(url.path) or None
    if first in ("profile.php", "permalink.php", "story.php"):
        return url.query.get("id")
    if first in ("pages", "people", "p"):
        # pages/Name/123456, pages/category/Kind/Name-123456, people/Name/100012345,
        # p/Name-100064123456789: the numeric id is the stable identifier; the slug
        # is a display name, not a username.
        for segment in reversed(url.path[1:]):
            if number := _trailing_id(segment):
                return number
        return _first(url.path, 1) if first != "pages" or len(url.path) == 2 else None
    return _first(url.path, 1) or None  # pg/Name, groups/name


_X_NOT_ACCOUNTS = {
    "i", "home", "search", "hashtag", "share", "explore", "settings", "messages",
    "notifications", "compose", "login", "signup", "tos", "privacy", "intent",
}


def _x_account(url: _Url) -> str | None:
    first = _first(url.path).lower()
    if first in _READS_FURTHER["x"]:  # intent/user?screen_name=name
        return url.query.get("screen_name")
    if first in _X_NOT_ACCOUNTS:
        return None
    return _first(url.path) or None


def _instagram_account(url: _Url) -> str | None:
    first = _first(url.path).lower()
    if first in _READS_FURTHER["instagram"]:  # stories/name/123
        return _first(url.path, 1) or None
    if first in ("p", "reel", "reels", "tv", "explore", "accounts", "direct", "about",
                 "legal", "developer", "web"):
        return None  # a post or a page of Instagram itself: no account in it
    return _first(url.path) or None


def _youtube_account(url: _Url) -> str | None:
    first = _first(url.path)
    if url.host == "youtu.be":
        return None
    if first.startswith("@"):
        return first
    if first.lower() in _READS_FURTHER["youtube"]:
        return _first(url.path, 1) or None
    if first.lower() in ("watch", "shorts", "live", "embed", "playlist", "results", "feed",
                         "redirect", "hashtag", "premium", "post", "v", "attribution_link"):
        return None
    return first or None  # legacy custom URL: youtube.com/name


def _linkedin_account(url: _Url) -> str | None:
    first = _first(url.path).lower()
    if first not in _READS_FURTHER["linkedin"]:
        return None  # feed/update/urn:li:activity:..., jobs, search...
    if first == "posts":  # posts/<vanity name>_<words>-activity-<id>-<code>
        return _first(url.path, 1).split("_")[0] or None
    return _first(url.path, 1) or None  # company/name, in/name, school/name


def _whatsapp_account(url: _Url) -> str | None:
    first = _first(url.path)
    if first.lower() == "channel":
        return _first(url.path, 1) or None
    if first.lower() == "send":  # api.whatsapp.com/send?phone=57300...
        return url.query.get("phone", "").lstrip("+") or None
    if url.host == "wa.me":
        return first.lstrip("+") if first.lower() != "message" else None
    return first if url.host.startswith("chat.") else None  # group invite code


def _telegram_account(url: _Url) -> str | None:
    first = _first(url.path)
    if first.lower() in _READS_FURTHER["telegram"]:  # t.me/s/name: a channel's preview
        return _first(url.path, 1) or None
    if first.lower() in ("joinchat", "addstickers", "share") or first.startswith("+"):
        return None
    return first or None


def _flickr_account(url: _Url) -> str | None:
    if url.host == "flic.kr":
        return None
    first = _first(url.path).lower()
    return (_first(url.path, 1) or None) if first in _READS_FURTHER["flickr"] else None


def _pinterest_account(url: _Url) -> str | None:
    first = _first(url.path)
    if url.host == "pin.it" or first.lower() in ("pin", "search", "ideas", "today", "explore",
                                                   "_", "business"):
        return None
    return first or None


def _at_account(url: _Url) -> str | None:
    """TikTok and Threads put the account as "@name" first; anything else names none."""
    first = _first(url.path)
    return first if first.startswith("@") else None


def _blog_account(url: _Url) -> str | None:
    """A blog or web site is its host (a post on it has the same host)."""
    first = _first(url.path)
    if url.host == "medium.com" and first.startswith("@"):
        return first
    return url.host


_ACCOUNT_RULES: dict[str, Callable[[_Url], str | None]] = {
    "facebook": _facebook_account, "x": _x_account, "instagram": _instagram_account,
    "youtube": _youtube_account, "tiktok": _at_account, "linkedin": _linkedin_account,
    "pinterest": _pinterest_account, "threads": _at_account, "whatsapp": _whatsapp_account,
    "telegram": _telegram_account, "flickr": _flickr_account, "blog": _blog_account,
}


def _clean_handle(name: str | None) -> str | None:
    """Lower case, no leading "@"; None when empty or with spaces (no network allows them)."""
    if name is None:
        return None
    name = name.strip().lstrip("@").strip().lower()
    return name if name and not any(c.isspace() for c in name) else None


@lru_cache(maxsize=65536)
def _handle_from_text(text: str, post: bool) -> tuple[str | None, str | None, bool]:
    """(handle, network, invalid) for a handle or profile URL (or a post URL if ``post``)."""
    url = split_url(text)
    if url is None:
        if post:
            return None, None, True  # a post is identified by its URL; a name is not one
        handle = _clean_handle(text)
        return handle, None, handle is None
    if not url.host:
        return None, None, True
    handle = _clean_handle(_ACCOUNT_RULES[url.network](url))
    # A profile URL must name the account; a post URL may not (instagram.com/p/ABC).
    return handle, url.network, handle is None and not post


# An http(s) URL cut after its first path segment; no white space, no query or fragment.
_URL_PREFIX = r"^(?P<prefix>[Hh][Tt][Tt][Pp][Ss]?://[^/?#\s]+/[^/?#\s]+)"


@lru_cache(maxsize=65536)
def _handle_from_prefix(prefix: str, post: bool) -> tuple[str | None, str | None, bool] | None:
    """The result for every URL starting with ``prefix``, or None if the rest matters."""
    url = split_url(prefix)
    if url is None or not url.host:
        return None
    if _first(url.path).lower() in _READS_FURTHER.get(url.network, ()):
        return None
    return _handle_from_text(prefix, post)


def _url_prefixes(text: pd.Series) -> pd.Series:
    """Each URL's prefix (NA where there is none), found by pyarrow for whole columns."""
    prefix = pc.struct_field(pc.extract_regex(pa.array(text), _URL_PREFIX), [0])
    return pd.Series(prefix, index=text.index, dtype=STR)


def _handles(raw: pd.Series, post: bool) -> HandleParse:
    """Shared by parse_handles and parse_post_urls: parse distinct cells, map back."""
    cells = sort_cells(raw)
    codes, uniques = pd.factorize(integer_text(cells))
    handle, network, invalid = _distinct_handles(pd.Series(uniques, dtype=STR), post)
    invalid_rows = np.append(invalid, False)[codes]
    invalid_rows |= ~cells.blank & (codes < 0)  # booleans, dates and other objects
    return HandleParse(take_text(codes, handle, raw.index),
                       take_text(codes, network, raw.index), row_mask(invalid_rows, raw.index))


def _distinct_handles(distinct: pd.Series, post: bool) -> tuple[list, list, np.ndarray]:
    """(handles, networks, invalid) for distinct non-blank cells.

    A posts sheet holds one distinct permalink per row; parsing each in Python would
    cost seconds. Most are decided by host and first segment ("twitter.com/name/...",
    "instagram.com/p/..."), so those are parsed once per prefix; the rest one by one.
    """
    n = len(distinct)
    handle = np.full(n, None, dtype=object)
    network = np.full(n, None, dtype=object)
    invalid = np.zeros(n, dtype=bool)
    codes, results = per_distinct(_url_prefixes(distinct),
                                   lambda p: _handle_from_prefix(p, post))
    decided = np.array([r is not None for r in results] + [False])[codes]
    for field, out in enumerate((handle, network, invalid)):
        out[decided] = spread(codes, [r[field] if r else None for r in results])[decided]
    for i in np.flatnonzero(~decided):
        handle[i], network[i], invalid[i] = _handle_from_text(distinct.iat[i], post)
    return handle.tolist(), network.tolist(), invalid


def parse_handles(raw: pd.Series) -> HandleParse:
    """Account handles from "@Name", "name" or a profile URL of any network.

    Invalid: text with spaces that is not a URL ("Alcaldía de X" is a display name, not
    a handle), a URL of a network that names no account (youtube.com/watch?v=...), or
    nothing left after normalising. Ids stay as written but lower-cased, like names
    (profile.php?id=123 -> "123", youtube.com/channel/UCxyz -> "ucxyz"), so the same
    account written two ways compares equal.
    """
    return _handles(raw, post=False)


def parse_post_urls(raw: pd.Series) -> HandleParse:
    """Network and account handle from post permalinks.

    The handle is NA, without the cell being invalid, when the permalink does not name
    the account (instagram.com/p/ABC, youtube.com/watch?v=...). Text that is not a URL
    is invalid.
    """
    return _handles(raw, post=True)
