"""JSON exports as cells: one row per record, one column per flattened key path.

    Twitter API v2 page   {"data": [tweet, ...], "includes": {"users": [...]}, ...}
    twarc2 JSONL          one such page per line (or one flattened tweet per line)
    4CAT / Zeeschuimer    one item per line: {"source_platform": ..., "data" | "item": {...}}

Importers recognise headers, so a record becomes the columns its key paths name
("author.username", "data.stats.diggCount"), the same names twarc2's CSV writes. Two
shapes of the API are made to read like that CSV, which the twarc importer then reads
both ways: a page's tweets get their author from ``includes.users`` ("author.*"), and
``referenced_tweets`` becomes "referenced_tweets.<type>.id" (a retweet is marked so).
Lists left in a record are kept as JSON text.
"""

from __future__ import annotations

import json

import pandas as pd

__all__ = ["records_cells"]


def _tweets(page: dict) -> list[dict]:
    """A Twitter API v2 page's tweets, each with its author's record under "author"."""
    users = {u.get("id"): u for u in page.get("includes", {}).get("users", [])
             if isinstance(u, dict)}
    tweets = []
    for tweet in page["data"]:
        if not isinstance(tweet, dict):
            continue
        tweet = dict(tweet)
        if "author" not in tweet and tweet.get("author_id") in users:
            tweet["author"] = users[tweet["author_id"]]
        tweets.append(tweet)
    return tweets


def _referenced(record: dict) -> dict:
    """``referenced_tweets`` as twarc2's CSV writes it: one "<type>.id" per reference."""
    refs = record.get("referenced_tweets")
    if isinstance(refs, list) and all(isinstance(r, dict) for r in refs):
        record = dict(record)
        record["referenced_tweets"] = {r.get("type", "other"): {"id": r.get("id")}
                                       for r in refs}
    return record


def _expand(value: object) -> list[dict]:
    if isinstance(value, dict) and isinstance(value.get("data"), list):
        return [_referenced(t) for t in _tweets(value)]
    if isinstance(value, list):
        return [_referenced(v) for v in value if isinstance(v, dict)]
    if isinstance(value, dict):
        return [_referenced(value)]
    return []


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def records_cells(text: str) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    """The records of a JSON document or of JSON lines as cells, the header (key paths)
    first; and each line that is not JSON, as (line number, its start)."""
    try:
        records, bad = _expand(json.loads(text)), []
    except json.JSONDecodeError:
        records, bad = [], []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                records += _expand(json.loads(line))
            except json.JSONDecodeError:
                bad.append((number, line.strip()[:80]))
    if not records:
        return pd.DataFrame(dtype=object), bad
    flat = pd.json_normalize(records, sep=".")
    header = [str(c) for c in flat.columns]
    rows = [[_cell(v) for v in row] for row in flat.itertuples(index=False, name=None)]
    return pd.DataFrame([header, *rows], dtype=object), bad
