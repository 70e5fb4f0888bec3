"""Turn raw tables into clean, typed frames, reporting every problem on the way.

    RawTable per sheet ──parse each column by its kind (parse)──▶ typed frame + problems
        └─ concatenated per kind ──cross-sheet checks──▶ Dataset
              duplicate profiles and posts, posts and interactions of no known profile,
              governance of no known institution, replies before the message,
              the audit date (as_of) and rows after it

A row with an error is excluded and counted; a row with a warning is kept after a fix-up;
nothing leaves without a line in the problem log. Every clean row keeps where it came from
(``source_file``, ``source_sheet``, ``source_row``) so later stages can cite it as evidence.
"""

from __future__ import annotations

import datetime as dt
import os
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
from rapidfuzz import fuzz, process

from audit.ingest import parse
from audit.ingest.contract import GOVERNANCE_ITEMS, SHEETS, Column, normalize_name
from audit.ingest.problems import ProblemLog
from audit.ingest.reader import RawTable, ReadResult

__all__ = ["Dataset", "resolve_as_of", "validate"]

SOURCE = ["source_file", "source_sheet", "source_row"]
EXTRA_PREFIX = "input: "  # unknown columns, kept as written after this prefix
_AS_OF_OUTLIER_DAYS = 30
_SUGGEST_MIN_SCORE = 80
_ITEM_MIN_SCORE = 80
#: Threads that parse a table's columns: most of the parsing is Arrow's and numpy's work on
#: whole columns, done without Python's global lock, so two columns parse at once (a
#: million posts' columns: 1.1-1.5 s on one thread, 0.7-0.8 s on two, 2 cores).
PARSE_THREADS = min(4, os.cpu_count() or 1)
#: From this many rows in a sheet, its columns are parsed one at a time: two columns'
#: temporaries held at once cost more memory than the time saved is worth there (25 million
#: posts: 309 s and a peak of 18,674 MB on two threads, 340 s and 15,240 MB on one).
PARALLEL_PARSE_MAX_ROWS = 5_000_000


@dataclass
class Dataset:
    """The clean input of an audit: one typed frame per sheet, the audit date, the counts."""

    profiles: pd.DataFrame
    posts: pd.DataFrame
    interactions: pd.DataFrame
    governance: pd.DataFrame
    as_of: dt.date
    as_of_source: str  # "argument" or "data"
    rows: dict[str, dict[str, int]] = field(default_factory=dict)
    images: dict[str, bytes] = field(default_factory=dict)

    @property
    def as_of_end(self) -> pd.Timestamp:
        """The first instant after the audit date: everything before it is audited."""
        return pd.Timestamp(self.as_of, tz="UTC") + pd.Timedelta(days=1)


def validate(read: ReadResult, log: ProblemLog, as_of: dt.date | None = None,
             assume_tz: str = "UTC") -> Dataset:
    """Parse, check and join the raw tables; problems go to ``log``.

    The raw tables' cells are consumed: each column is taken out of its table once parsed,
    so that a million posts' cells and their parsed values are not all held at once.
    A table keeps its rows, headers and unknown columns (all ``ReadResult.record`` reads).
    The columns of a table are parsed on ``PARSE_THREADS`` threads (one from
    ``PARALLEL_PARSE_MAX_ROWS`` rows); their problems are logged in the contract's column
    order, as one thread would."""
    parsed = {kind: [] for kind in SHEETS}
    largest = max((len(table.frame) for table in read.tables), default=0)
    threads = PARSE_THREADS if largest < PARALLEL_PARSE_MAX_ROWS else 1
    with ThreadPoolExecutor(threads, thread_name_prefix="parse") as pool:
        for table in read.tables:
            parsed[table.kind].append(_parse_table(table, log, assume_tz, pool))
    frames = {kind: _concat(kind, parts) for kind, parts in parsed.items()}
    rows = {kind: {"read": int(sum(n for _, n in parsed[kind]))} for kind in SHEETS}
    headers = {(t.file, t.sheet): t.headers for t in read.tables}
    report = _Reporter(log, headers)

    profiles = _check_profiles(frames["profiles"], report)
    posts = _attribute(frames["posts"], profiles, report)
    posts = _drop_duplicate_posts(posts, report)
    interactions = _attribute(frames["interactions"], profiles, report)
    governance = _check_governance(frames["governance"], profiles, report)

    source = "argument" if as_of else "data"
    as_of = as_of or resolve_as_of(profiles, posts, interactions)
    end = pd.Timestamp(as_of, tz="UTC") + pd.Timedelta(days=1)
    profiles = _clip_profile_dates(profiles, end, as_of, report)
    posts, posts_later = _drop_after(posts, "published_at", end, as_of, report)
    interactions, interactions_later = _drop_after(interactions, "received_at", end, as_of, report)
    interactions = _check_replies(interactions, end, as_of, report)

    clean = {"profiles": _one_chunk(profiles), "posts": _one_chunk(posts),
             "interactions": _one_chunk(interactions), "governance": _one_chunk(governance)}
    later = {"posts": posts_later, "interactions": interactions_later}
    for kind, frame in clean.items():
        rows[kind]["used"] = len(frame)
        rows[kind]["outside_period"] = later.get(kind, 0)
        rows[kind]["excluded"] = rows[kind]["read"] - len(frame) - later.get(kind, 0)
    return Dataset(**clean, as_of=as_of, as_of_source=source, rows=rows, images=read.images)


def _one_chunk(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with each text column in one Arrow chunk.

    Reading in blocks and filtering leave a text column in many chunks (149 for a million
    posts); every later string operation then works chunk by chunk, about twice as slow
    (the accountability check: 13 s on 149 chunks, 7 s on one). Joined once here, for all.
    """
    for name in frame.columns:
        column = frame[name]
        if isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow":
            chunks = pa.array(column.array)
            if isinstance(chunks, pa.ChunkedArray) and chunks.num_chunks > 1:
                frame[name] = pd.Series(pd.array(chunks.combine_chunks(), dtype=column.dtype),
                                        index=frame.index)
    return frame


def _repeated(name: str, n: int) -> pd.Categorical:
    """A file or sheet name for each of ``n`` rows, as one category: a million posts
    repeat a name a million times (about 50 MB as text, 1 MB as codes). Every reader still
    reads the name (``tolist``, comparisons, grouping, writing)."""
    return pd.Categorical.from_codes(np.zeros(n, dtype=np.int8),
                                     categories=pd.Index([name], dtype="str"))


def resolve_as_of(profiles: pd.DataFrame, posts: pd.DataFrame,
                  interactions: pd.DataFrame) -> dt.date:
    """The latest date in the data, never the clock, so the same input gives the same audit.

    A timestamp more than 30 days after the 99th percentile of all timestamps is treated as a
    typing error (a 2062 for a 2026) rather than as the audit date; such rows are then
    reported as lying after the audit date.
    """
    stamps = pd.concat([
        profiles["last_post_at"], posts["published_at"], interactions["received_at"],
        interactions["replied_at"],
    ]).dropna()
    if stamps.empty:
        return dt.date(1970, 1, 1)
    ceiling = stamps.quantile(0.99) + pd.Timedelta(days=_AS_OF_OUTLIER_DAYS)
    return stamps[stamps <= ceiling].max().date()


# --- parsing one table -------------------------------------------------------------------


class _Reporter:
    """Writes problems about rows of clean frames, naming columns as the user wrote them."""

    def __init__(self, log: ProblemLog, headers: dict[tuple[str, str], dict[str, str]]):
        self.log = log
        self.headers = headers

    def rows(self, severity: str, code: str, frame: pd.DataFrame, mask, field_name: str = "",
             value=None, per_row: dict | None = None, **params) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        hit = frame[mask]
        shown = hit[value] if isinstance(value, str) else (
            hit[field_name] if field_name in hit else pd.Series("", index=hit.index))
        per_row = {k: list(np.asarray(v)[mask]) for k, v in (per_row or {}).items()}
        for (file, sheet), group in hit.groupby(["source_file", "source_sheet"], sort=False):
            positions = [hit.index.get_loc(i) for i in group.index]
            self.log.add_rows(
                severity, code, file=file, sheet=sheet, rows=group["source_row"].tolist(),
                column=self.headers.get((file, sheet), {}).get(field_name, field_name),
                values=shown.loc[group.index].tolist(),
                per_row={k: [v[p] for p in positions] for k, v in per_row.items()}, **params)


def _as_text(raw: pd.Series) -> pd.Series:
    """Cells as trimmed text; whole numbers from Excel lose their '.0'; blanks become NA."""
    blank = parse.is_blank(raw).to_numpy()
    if isinstance(raw.dtype, pd.StringDtype):
        text = parse.strip_edges(raw)
    else:
        text = raw.map(_show, na_action="ignore").astype("str")
    return (text.where(~blank, None) if blank.any() else text).astype("str")


def _show(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _empty(kind: str) -> pd.Series:
    return {"datetime": pd.Series(pd.NaT, dtype="datetime64[us, UTC]"),
            "count": pd.Series(dtype="Float64"), "answer": pd.Series(dtype="Float64"),
            "boolean": pd.Series(dtype="boolean")}.get(kind, pd.Series(dtype="str"))


def _parse_table(table: RawTable, log: ProblemLog, assume_tz: str,
                 pool: Executor) -> tuple[pd.DataFrame, int]:
    """Parse every contract column of one table on ``pool``; return the rows without errors."""
    contract = SHEETS[table.kind]
    raw = table.frame
    parsing = {column.name: pool.submit(_parse_column, column, raw[column.name], assume_tz)
               for column in contract.columns if column.name in raw}
    written = set(raw.columns)
    n = len(raw)
    out = pd.DataFrame(index=raw.index)
    out["source_file"] = _repeated(table.file, n)
    out["source_sheet"] = _repeated(table.sheet, n)
    out["source_row"] = table.rows
    excluded = np.zeros(n, dtype=bool)
    report = _Reporter(log, {(table.file, table.sheet): table.headers})

    for column in contract.columns:
        if column.name not in raw:
            out[column.name] = _empty(column.kind).reindex(raw.index)
            continue
        cells = raw.pop(column.name)  # the raw cells go once parsed (see validate)
        parsed = parsing.pop(column.name).result()
        if column.kind == "handle":
            out[column.name] = parsed.handle
            out["handle_original"] = _as_text(cells)
            out["_url_network"] = parsed.network
        else:
            out[column.name] = parsed.values
        invalid = parsed.invalid.to_numpy(dtype=bool)
        if getattr(parsed, "note", None) == "month_first":
            log.add("warning", "dates_month_first", file=table.file, sheet=table.sheet,
                    column=table.headers.get(column.name, column.name))
        out_of_range = getattr(parsed, "out_of_range", None)
        if out_of_range is not None and out_of_range.any():
            out["_raw"] = cells
            report.rows("warning", "count_out_of_range", out, out_of_range,
                        column.name, value="_raw", limit=parse.MAX_COUNT)
        if invalid.any():
            severity = "error" if column.required else "warning"
            code = "invalid_value" if column.required else "invalid_value_ignored"
            kind = "choice" if column.kind in ("choice",) else column.kind
            out["_raw"] = cells
            report.rows(severity, code, out, invalid, column.name, value="_raw", kind=kind)
            if column.required:
                excluded |= invalid

    del cells
    out = _fill_from_urls(table.kind, written, out, report)
    for column in contract.required_columns:
        missing = out[column.name].isna().to_numpy() & ~excluded
        report.rows("error", "missing_value", out, missing, column.name)
        excluded |= missing
    # Unknown columns ride along under a name no derived column can take: a file the tool
    # itself wrote (profiles.csv has ``status``, ``handle_original``...) read back as input
    # must not put two columns under one name.
    extras = (raw[table.extra].add_prefix(EXTRA_PREFIX) if table.extra
              else pd.DataFrame(index=raw.index))
    out = pd.concat([out.drop(columns=["_raw", "_url_network"], errors="ignore"), extras], axis=1)
    return _without(out, excluded), n


def _parse_column(column: Column, cells: pd.Series, assume_tz: str):
    kind = column.kind
    if kind == "datetime":
        return parse.parse_datetimes(cells, assume_tz=assume_tz)
    if kind == "count":
        return parse.parse_counts(cells)
    if kind == "boolean":
        return parse.parse_booleans(cells)
    if kind == "answer":
        return parse.parse_answers(cells)
    if kind == "choice":
        return parse.parse_choices(cells, column.choices)
    if kind == "network":
        return parse.parse_networks(cells)
    if kind == "handle":
        return parse.parse_handles(cells)
    return parse.Parsed(values=_as_text(cells), invalid=pd.Series(False, index=cells.index))


def _fill_from_urls(kind: str, written: set[str], out: pd.DataFrame,
                    report: _Reporter) -> pd.DataFrame:
    """Fill a missing network from the handle's URL; for posts, network and handle from the
    post's permalink (exports such as X analytics carry nothing else). ``written``: the
    columns the table had."""
    if "_url_network" in out:
        url_network = out["_url_network"]
        fill = out["network"].isna() & url_network.notna()
        report.rows("warning", "network_from_url", out, fill, "network", value="handle_original",
                    per_row={"network": url_network.fillna("")})
        clash = out["network"].notna() & url_network.notna() & (out["network"] != url_network)
        report.rows("warning", "network_mismatch", out, clash, "handle",
                    value="handle_original", per_row={"network": out["network"].fillna(""),
                                                      "url_network": url_network.fillna("")})
        out["network"] = out["network"].where(~fill, url_network)
    if kind == "posts" and "url" in written:
        from_url = parse.parse_post_urls(out["url"])
        for name, derived in (("network", from_url.network), ("handle", from_url.handle)):
            fill = out[name].isna() & derived.notna()
            if name not in written:
                out[name] = derived
                if name == "handle":
                    out["handle_original"] = out["url"]
            elif fill.any():
                report.rows("warning", "network_from_url" if name == "network" else
                            "handle_from_url", out, fill, name, value="url",
                            per_row={name: derived.fillna("")})
                out[name] = out[name].where(~fill, derived)
    if "handle_original" not in out:
        out["handle_original"] = out.get("handle")
    return out


def _without(frame: pd.DataFrame, drop: np.ndarray) -> pd.DataFrame:
    """``frame`` without the rows of ``drop``, renumbered. When no row goes, the columns
    are shared rather than copied: a million posts' texts are some 100 MB a copy."""
    kept = frame[~drop] if drop.any() else frame
    return kept.reset_index(drop=True)


def _concat(kind: str, parts: list[tuple[pd.DataFrame, int]]) -> pd.DataFrame:
    frames = [f for f, _ in parts]
    if not frames:
        contract = SHEETS[kind]
        empty = {c.name: _empty(c.kind) for c in contract.columns}
        if kind != "governance":
            empty["handle_original"] = pd.Series(dtype="str")
        names = pd.Series(pd.Categorical([], categories=pd.Index([], dtype="str")))
        sources = {"source_file": names, "source_sheet": names,
                   "source_row": pd.Series(dtype="str")}
        return pd.DataFrame({**sources, **empty})
    if len(frames) == 1:
        return frames[0]
    for name in SOURCE[:2]:  # the same categories in every part, so the whole keeps them
        names = sorted(set().union(*(f[name].cat.categories for f in frames)))
        frames = [f.assign(**{name: f[name].cat.set_categories(names)}) for f in frames]
    return pd.concat(frames, ignore_index=True)


# --- cross-sheet checks ------------------------------------------------------------------


def _first_rows(frame: pd.DataFrame, key: list[str]) -> tuple[np.ndarray, pd.Series]:
    """Mask of rows repeating an earlier row's key, and the Excel row each one repeats.

    By integer codes: each key column factorised once and the codes combined, instead of a
    MultiIndex of network, handle, date and text (8.1 s for a million posts; 1.4 s so).
    Blank cells match each other, as in ``DataFrame.duplicated``. Once the columns read so
    far tell every row apart, the others cannot make a row repeat one: they are not read
    (a post's id, put first, usually settles it alone)."""
    group = np.zeros(len(frame), dtype=np.int64)
    for name in key:
        codes, uniques = pd.factorize(frame[name])
        group = pd.factorize(group * (len(uniques) + 1) + codes + 1)[0]
        if len(group) and group.max() == len(group) - 1:
            return np.zeros(len(frame), dtype=bool), pd.Series(
                frame["source_row"].to_numpy(), index=frame.index)
    first_at = _first_positions(group)[group]
    dup = first_at != np.arange(len(frame))
    first = frame["source_row"].iloc[first_at].to_numpy()
    return dup, pd.Series(first, index=frame.index)


def _first_positions(codes: np.ndarray) -> np.ndarray:
    """The row where each code first appears, for codes numbered in order of first
    appearance (as ``pd.factorize`` numbers them): a row holds a new code exactly when
    its code exceeds every code before it. One pass, where ``np.unique`` sorts the rows."""
    seen = np.maximum.accumulate(codes)
    new = np.empty(len(codes), dtype=bool)
    new[:1] = True
    new[1:] = codes[1:] > seen[:-1]
    return np.flatnonzero(new)


def _check_profiles(profiles: pd.DataFrame, report: _Reporter) -> pd.DataFrame:
    """One row per (network, handle); one spelling per institution."""
    dup, first = _first_rows(profiles, ["network", "handle"])
    report.rows("error", "duplicate_profile", profiles, dup, "handle", value="handle_original",
                per_row={"first_row": first})
    profiles = profiles[~dup].reset_index(drop=True)
    folded = _folded(profiles["institution"])
    canonical = profiles.groupby(folded, sort=False)["institution"].transform("first")
    renamed = (canonical != profiles["institution"]).to_numpy()
    first_row = profiles.groupby(folded, sort=False)["source_row"].transform("first")
    report.rows("warning", "institution_renamed", profiles, renamed, "institution",
                per_row={"name": canonical, "first_row": first_row})
    profiles["institution"] = canonical
    return profiles


def _folded(names: pd.Series) -> pd.Series:
    """``normalize_name`` of each cell, worked out once per distinct name (a thousand
    institutions repeat over five thousand profiles and governance rows)."""
    return names.map(_cached(normalize_name))


def _cached(func):
    """``func`` remembering its answers for one call of ``Series.map``."""
    answers = {}

    def once(value):
        if value not in answers:
            answers[value] = func(value)
        return answers[value]

    return once


def _attribute(frame: pd.DataFrame, profiles: pd.DataFrame, report: _Reporter) -> pd.DataFrame:
    """Give each post or interaction its institution, through its profile."""
    if frame.empty:
        frame["institution"] = pd.Series(dtype="str")
        return frame
    owners = profiles.set_index(["network", "handle"])["institution"]
    # Each distinct (network, handle) looked up once: a million posts name some 5,000
    # accounts, and a MultiIndex of a million keys was most of the time.
    pair = np.zeros(len(frame), dtype=np.int64)
    for name in ("network", "handle"):
        codes, uniques = pd.factorize(frame[name])
        pair = pair * (len(uniques) + 1) + codes + 1
    pair = pd.factorize(pair)[0]
    keys = pd.MultiIndex.from_frame(frame[["network", "handle"]].iloc[_first_positions(pair)])
    # Each account's institution spread to its rows in Arrow, not as a million objects.
    per_account = pa.array(owners.reindex(keys).to_numpy(), type=pa.large_string(),
                           from_pandas=True)
    institution = pd.Series(per_account.take(pa.array(pair)), index=frame.index, dtype="str")
    unknown = institution.isna().to_numpy()
    if unknown.any():
        suggestions = {}
        pairs = zip(frame["network"][unknown], frame["handle"][unknown], strict=True)
        for network, handle in set(pairs):
            known = profiles.loc[profiles["network"] == network, "handle"].tolist()
            match = process.extractOne(handle, known, score_cutoff=_SUGGEST_MIN_SCORE)
            suggestions[(network, handle)] = f"@{match[0]}" if match else ""
        hint = [suggestions.get(k, "") for k in zip(frame["network"], frame["handle"],
                                                    strict=True)]
        report.rows("error", "unknown_profile", frame, unknown, "handle",
                    value="handle_original", per_row={"suggestion": hint})
    frame = frame.copy(deep=False)  # a new column only: the others are shared, not copied
    frame.insert(0, "institution", institution)
    return _without(frame, unknown)


def _drop_duplicate_posts(posts: pd.DataFrame, report: _Reporter) -> pd.DataFrame:
    """The same post twice: by its id when it has one, else by date and text."""
    with_id = posts["post_id"].notna().to_numpy()
    dup = np.zeros(len(posts), dtype=bool)
    first = pd.Series(np.nan, index=posts.index)
    for mask, key in ((with_id, ["post_id", "network", "handle"]),
                      (~with_id, ["network", "handle", "published_at", "text"])):
        if mask.any():
            part = posts[mask]
            part_dup, part_first = _first_rows(part, key)
            dup[np.flatnonzero(mask)[part_dup]] = True
            first[part.index] = part_first
    report.rows("error", "duplicate_post", posts, dup, "post_id" if with_id.any() else "text",
                value="post_id" if with_id.any() else "text",
                per_row={"first_row": first.astype("Int64")})
    return _without(posts, dup)


def _check_governance(governance: pd.DataFrame, profiles: pd.DataFrame,
                      report: _Reporter) -> pd.DataFrame:
    """Institutions must exist in profiles; items are resolved to their ids."""
    if governance.empty:
        return governance
    names = dict(zip(_folded(profiles["institution"]), profiles["institution"], strict=True))
    folded = _folded(governance["institution"])
    institution = folded.map(names)
    unknown = institution.isna().to_numpy()
    # a suggestion only for the names not found (the only ones reported), each name once
    choices = list(names)
    hint = {}
    for name in set(folded[unknown]):
        match = process.extractOne(name, choices, scorer=fuzz.WRatio,
                                   score_cutoff=_SUGGEST_MIN_SCORE)
        hint[name] = names[match[0]] if match else ""
    hints = [hint.get(name, "") if gone else "" for name, gone in zip(folded, unknown,
                                                                       strict=True)]
    report.rows("error", "unknown_institution", governance, unknown, "institution",
                per_row={"suggestion": hints})
    governance = governance.assign(institution=institution.astype("str"))
    item = governance["item"].map(_cached(_governance_item))
    bad_item = item.isna().to_numpy() & ~unknown
    report.rows("error", "unknown_item", governance, bad_item, "item")
    governance = governance.assign(item=item.astype("str"))[~(unknown | bad_item)]
    governance = governance.reset_index(drop=True)
    dup, first = _first_rows(governance, ["institution", "item"])
    report.rows("error", "duplicate_item", governance, dup, "item",
                per_row={"first_row": first})
    return governance[~dup].reset_index(drop=True)


def _item_names() -> dict[str, str]:
    names = {}
    for item, (alias, question_es, question_en) in GOVERNANCE_ITEMS.items():
        for name in (item, alias, question_es, question_en):
            names[normalize_name(name)] = item
    return names


_ITEMS = _item_names()


def _governance_item(text: str) -> str | None:
    """An item id from its id, its Spanish alias or (approximately) its question."""
    folded = normalize_name(text)
    if folded in _ITEMS:
        return _ITEMS[folded]
    match = process.extractOne(folded, list(_ITEMS), scorer=fuzz.token_set_ratio,
                               score_cutoff=_ITEM_MIN_SCORE)
    return _ITEMS[match[0]] if match and len(folded) > 12 else None


# --- the audit date ----------------------------------------------------------------------


def _clip_profile_dates(profiles: pd.DataFrame, end: pd.Timestamp, as_of: dt.date,
                        report: _Reporter) -> pd.DataFrame:
    for name in ("last_post_at", "created_at"):
        later = (profiles[name] >= end).fillna(False).to_numpy(dtype=bool)
        report.rows("warning", "value_after_as_of", profiles, later, name,
                    as_of=as_of.isoformat())
        profiles[name] = profiles[name].where(~later)
    return profiles


def _drop_after(frame: pd.DataFrame, column: str, end: pd.Timestamp, as_of: dt.date,
                report: _Reporter) -> tuple[pd.DataFrame, int]:
    later = (frame[column] >= end).fillna(False).to_numpy(dtype=bool)
    report.rows("info", "after_as_of", frame, later, column, as_of=as_of.isoformat())
    return _without(frame, later), int(later.sum())


def _check_replies(interactions: pd.DataFrame, end: pd.Timestamp, as_of: dt.date,
                   report: _Reporter) -> pd.DataFrame:
    """Answered = a reply date before the audit date; a reply before the message keeps the
    'answered' but loses its time."""
    frame = interactions.copy(deep=False)  # columns replaced, never changed in place
    replied = frame["replied_at"]
    later = (replied >= end).fillna(False).to_numpy(dtype=bool)
    report.rows("info", "reply_after_as_of", frame, later, "replied_at", as_of=as_of.isoformat())
    replied = replied.where(~later)
    frame["answered"] = replied.notna().astype("boolean")
    before = (replied < frame["received_at"]).fillna(False).to_numpy(dtype=bool)
    report.rows("warning", "reply_before_message", frame, before, "replied_at")
    frame["replied_at"] = replied.where(~before)
    return frame
