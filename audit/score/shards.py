"""Shards of an audit by institution: split the features, score each shard, join the results.

Everything up to an institution's scores is local to that institution: the text measures
of its posts, every check (each groups by institution), criterion scores, dimensions and
level gates. So the institutions can be cut into shards, each shard scored on its own (in
another process or on another machine, see ``audit.score.engines``) and the scorecards
joined into the one ``score_audit`` gives on the whole. What compares institutions stays in
the main process, after the join: recommendations and their best peer by sector,
clusters, sector medians, writing.

    split(features, n, first)   -> contiguous blocks of the sorted institution index,
                                   balanced by posts; each a Features of its own rows only
    score_shard(shard, rubric)  -> (Scorecard, TextFeatures | None): the text measures
                                   are computed inside the shard, where the checks read them
    join(features, parts)       -> one Scorecard, and the joined text measures

Why the join is exact: shards are contiguous blocks of ``Features.names`` (sorted), so
concatenating per-institution rows in shard order gives the whole's order; ``scores`` is
criterion by criterion, each criterion's rows in institution order, and is rebuilt so;
rows of the other tables keep their original index and order within each shard.
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from audit.gc_pause import gc_paused
from audit.measure.checks import Measure
from audit.measure.features import Features
from audit.measure.text import TextFeatures
from audit.measure.text.lexicon import lexicon
from audit.measure.text.verdict_cache import rules_version
from audit.score.rubric import Rubric
from audit.score.scorecard import Scorecard, score_audit

__all__ = ["INPUT_BYTES_PER_POST", "SHARD_MIN_POSTS", "UNREAD_POST_COLUMNS", "Shard", "join",
           "score_shard", "split", "warm_up"]

#: Posts in the audit window below which an audit runs in one process. Starting the worker
#: processes, loading the dictionaries in each and sending a shard back and forth costs
#: about 3 s on two cores; one process audits 100,000 posts in about that time, so below
#: this size sharding would not pay (bench/bench_audit.py --workers 2).
SHARD_MIN_POSTS = 100_000
#: Bytes of input files per post, between what the bench's files take (about 80 in Parquet,
#: 215 in CSV, the other sheets included): from ``SHARD_MIN_POSTS`` times this, the worker
#: processes are started before the files are read, to be ready when the shards are. This
#: guess decides only when the workers start: whether the audit is sharded is decided on the
#: posts counted after validation.
INPUT_BYTES_PER_POST = 150
#: Columns of the posts that say where a post came from and no check reads: a shard leaves
#: them out, so that neither the main process's shard nor the one pickled for a worker
#: copies them (a third of the posts' memory: the file and sheet names repeated on every
#: row). A check that one day reads one of them raises in the shard with a missing column
#: and is retried on the whole (``join``), so the result would still be the same.
UNREAD_POST_COLUMNS = ("source_file", "source_sheet", "handle_original", "url", "post_id",
                       "views")


@dataclass
class Shard:
    """What a worker sends back: the shard's scorecard and its text measures (None when the
    shard has no posts), kept for re-scoring so no stage recomputes them."""

    scorecard: Scorecard
    text: TextFeatures | None


def split(features: Features, n: int, first: float = 1.0) -> list[Features]:
    """At most ``n`` shards of ``features``: contiguous blocks of the sorted institution
    index, cut where the running count of posts (plus one per institution, so that
    institutions without posts weigh something) crosses each n-th of the total. A shard never
    is empty: fewer institutions than ``n`` give one shard per institution.

    ``first``: the first shard's weight against each other one's. The local engine's main
    process scores the first shard itself (``engines.MAIN_SHARD_WEIGHT``) while each worker
    waits for its shard to be pickled to it and sends its result back; Dask's shards are
    all scored elsewhere, and equal.

    Contiguous blocks, not a round robin: the join is then a concatenation in shard order,
    and one institution's rows never leave its shard."""
    names = features.names
    if n < 1:
        raise ValueError(f"shards must be at least 1, not {n}")
    unread = [c for c in UNREAD_POST_COLUMNS if c in features.posts.columns]
    tables = {"profiles": features.profiles, "posts": features.posts.drop(columns=unread),
              "interactions": features.interactions, "governance": features.governance}
    codes = {key: _codes(names, table, key) for key, table in tables.items()}
    weight = np.bincount(codes["posts"], minlength=len(names)) + 1
    cumulative = np.cumsum(weight)
    # the first shard weighs ``first``, each other one 1: cut where these shares end
    shares = np.arange(1, n) + (first - 1)
    targets = cumulative[-1] * shares / (n - 1 + first) if len(names) else np.array([])
    cuts = np.unique(np.searchsorted(cumulative, targets, side="left") + 1)
    cuts = cuts[(cuts > 0) & (cuts < len(names))]
    bounds = np.concatenate([[0], cuts, [len(names)]]).astype(np.int64)
    block = np.repeat(np.arange(len(bounds) - 1), np.diff(bounds))
    shards = []
    for number, (start, stop) in enumerate(itertools.pairwise(bounds)):
        if start == stop:
            continue
        rows = {key: table[block[codes[key]] == number] for key, table in tables.items()}
        shards.append(dataclasses.replace(
            features, institutions=features.institutions.iloc[start:stop], **rows,
            images=_images_of(features.images, rows["profiles"]), memo={}))
    return shards


def _codes(names: pd.Index, table: pd.DataFrame, key: str) -> np.ndarray:
    """The position in ``names`` of each row's institution. Validation gives every row a
    known institution; a row without one would be lost by the split, so it is refused."""
    codes = names.get_indexer(table["institution"])
    if (codes < 0).any():
        raise ValueError(f"{key}: {int((codes < 0).sum())} rows of no known institution")
    return codes


def _images_of(images: dict[str, bytes], profiles: pd.DataFrame) -> dict[str, bytes]:
    """The shipped images the shard's avatars may name (matched as ``avatar_hashes``
    matches: the file name, case ignored), so a shard does not carry every logo."""
    if not images or "avatar" not in profiles.columns:
        return {}
    wanted = {str(a).strip().lower().replace("\\", "/").rsplit("/", 1)[-1]
              for a in profiles["avatar"].dropna()}
    return {name: data for name, data in images.items() if name.lower() in wanted}


def score_shard(shard: Features, rubric: Rubric) -> Shard:
    """Score one shard as ``score_audit`` scores a whole audit; the text measures are
    computed here, by the first check that reads them, and sent back with the scorecard
    (computed even when no criterion read them, so that every post of the joined table has
    its row: a re-score with a rubric that reads them must not compute them again)."""
    with gc_paused():  # as the main process's audit is (see audit.gc_pause)
        scorecard = score_audit(shard, rubric)
    return Shard(scorecard, shard.text if len(shard.posts) else None)


def warm_up() -> None:
    """What a worker process does before its first shard, while the main process still
    reads: the import of the library (this module's, by unpickling this function), the
    hash of the text rules that names the word-verdict cache (it reads the dictionaries'
    files) and the lexicon (wordfreq's frequencies sorted by their folded forms, about
    0.3 s; the indexes for judging new words are built when a word is first judged),
    which every shard with posts loads: the homophone test reads it for every post, cached
    verdicts or not. The worker is idle meanwhile; the main process, which scores the
    first shard, pays these in its own shard instead (see ``split``)."""
    rules_version()
    lexicon()


def join(features: Features, rubric: Rubric, parts: list[Shard]) -> Scorecard:
    """One scorecard from the shards' (in shard order), equal to ``score_audit(features,
    rubric)``. The joined text measures are set on ``features``, so that a re-score or a
    report reads them rather than computing them again in this process.

    A check that raised in some shard is retried on the whole, in this process, with every
    other measure reused: the error is then reported exactly as one process reports it
    (the same criterion, message and evidence on every institution)."""
    cards = [part.scorecard for part in parts]
    text = join_text(features, [part.text for part in parts])
    if text is not None:
        features.__dict__["text"] = text
    measures = _join_measures(cards)
    if any(card.errors for card in cards):
        return score_audit(features, rubric, reuse=Scorecard(
            scores=pd.DataFrame(), dimensions=pd.DataFrame(), institutions=pd.DataFrame(),
            measures=measures))
    return Scorecard(scores=_join_scores(cards), dimensions=_concat([c.dimensions for c in cards]),
                     institutions=_same_dtypes(_concat([c.institutions for c in cards]),
                                               [c.institutions for c in cards]),
                     details=_join_details(rubric, [c.details for c in cards]),
                     measures=measures, errors=[])


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    return pd.concat(frames) if len(frames) > 1 else frames[0]


def _same_dtypes(joined: pd.DataFrame, frames: list[pd.DataFrame]) -> pd.DataFrame:
    """A text column that is all empty in one shard comes back as objects (None); on the
    whole it is text with NaN: such a column takes the dtype the other shards give it."""
    for column in joined.columns:
        kinds = [frame[column].dtype for frame in frames if frame[column].dtype != object]
        if joined[column].dtype == object and kinds:
            joined[column] = joined[column].astype(kinds[0])
    return joined


def _join_scores(cards: list[Scorecard]) -> pd.DataFrame:
    """Criterion by criterion, each criterion's rows of every shard in shard order: the
    order ``score_audit`` writes them in on the whole."""
    frames = [card.scores for card in cards]
    if all(frame.empty for frame in frames):
        return frames[0]
    criteria = frames[0]["criterion"].drop_duplicates().tolist()
    # Each shard's scores are len(criteria) blocks of its institutions, in rubric order.
    order = np.concatenate([np.repeat(np.arange(len(criteria)), len(card.institutions))
                            for card in cards])
    shard = np.concatenate([np.full(len(frame), i) for i, frame in enumerate(frames)])
    joined = pd.concat(frames, ignore_index=True)
    return joined.take(np.lexsort((shard, order))).reset_index(drop=True)


def _details_frame(frames: list[pd.DataFrame | None]) -> pd.DataFrame | None:
    """The detail rows of one criterion, shard after shard; None when no shard has any."""
    present = [frame for frame in frames if frame is not None]
    if not present:
        return None
    if len(present) == 1:
        return present[0]
    ranged = all(isinstance(f.index, pd.RangeIndex) and f.index.start == 0 for f in present)
    return pd.concat(present, ignore_index=ranged)


def _join_details(rubric: Rubric, details: list[dict]) -> dict:
    """Each criterion's detail rows, in the rubric's order of criteria (as on the whole).
    Within a frame, rows come shard after shard: a check that ranks its detail rows across
    institutions (by a ratio, say) ranks them within each shard; every reader takes an
    institution's rows, whose order is the same."""
    found = {key for part in details for key in part}
    keys = [(d["id"], c["id"]) for d, c in rubric.criteria() if (d["id"], c["id"]) in found]
    return {key: _details_frame([part.get(key) for part in details]) for key in keys}


def _join_measures(cards: list[Scorecard]) -> dict[str, Measure]:
    """Measures taken in every shard, joined; one missing somewhere (it failed there) is
    left out, so that a re-score retries it, as one process would."""
    keys = [key for key in cards[0].measures if all(key in c.measures for c in cards)]
    joined = {}
    for key in keys:
        parts = [card.measures[key] for card in cards]
        joined[key] = Measure(value=pd.concat([p.value for p in parts]),
                              evidence=pd.concat([p.evidence for p in parts]),
                              details=_details_frame([p.details for p in parts]))
    return joined


def join_text(features: Features, texts: list[TextFeatures | None]) -> TextFeatures | None:
    """The text measures of every post from the shards' (None when no shard computed them).

    ``posts`` is reindexed to the whole's posts; ``post`` in ``post_words`` becomes the
    position among the whole's posts; ``flagged`` counts are summed per word, reason and
    suggestion and ranked as ``text_features`` ranks them (most frequent, then by word).
    Within one post, ``post_words`` lists its words by word, not by first appearance in the
    corpus: every reader groups them, none depends on that order."""
    present = [(i, t) for i, t in enumerate(texts) if t is not None]
    if not present:
        return None
    if len(present) == 1 and len(texts) == 1:
        return present[0][1]
    posts = pd.concat([t.posts for _, t in present])
    position = pd.Series(np.arange(len(features.posts)), index=features.posts.index)
    words = []
    for _, t in present:
        global_post = position.reindex(t.posts.index).to_numpy()[t.post_words["post"].to_numpy()]
        words.append(pd.DataFrame({"post": global_post, "word": t.post_words["word"]}))
    post_words = pd.concat(words, ignore_index=True).sort_values(
        ["post", "word"], kind="stable", ignore_index=True)
    flagged = pd.concat([t.flagged for _, t in present], ignore_index=True)
    if len(flagged):
        flagged = (flagged.groupby(["word", "reason", "suggestion"], sort=False)["count"].sum()
                   .reset_index())
        flagged = flagged.assign(negative=-flagged["count"]).sort_values(
            ["negative", "word", "reason", "suggestion"], ignore_index=True).drop(
            columns="negative")
    missing = features.posts.index.difference(posts.index)
    if len(missing):
        raise ValueError(f"text measures missing for {len(missing)} posts")
    return TextFeatures(posts.reindex(features.posts.index), flagged,
                        post_words)
