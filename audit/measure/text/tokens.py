"""Tokens: a column of texts cut into tokens, judged once per distinct token, summed per post.

How it scales. An audit may hold a million posts, so no Python loop runs over posts or
tokens; Python judges each DISTINCT token once:

    texts ──pyarrow──► links and line breaks marked ──split on " "──► raw tokens
    raw tokens ──dictionary_encode──► codes (one per occurrence) + distinct raw tokens
    distinct raw tokens ──Python, cached──► a table: words, syllables, misspelt, greeting...
    table[codes] ──numpy cumulative sums over each post's token range──► per-post counts
    sentence breaks, two-word greetings, sentence-initial imperatives ──numpy on positions──►

A raw token is what lies between two spaces ("¡Hola,", "#COVID19", "salud.",
":pill:Información"); links, e-mail addresses and line breaks become a line-break token
first. Inside a raw token a small regular expression finds words, hashtags, mentions, emoji
names (":red_circle:", as the health-es exports write emoji), HTML entities and sentence
breaks. A word is a run of letters (digits allowed: "covid19"); numbers, hashtags (counted
apart), mentions, links, e-mails, emoji, emoji names and HTML entities are not words.

The subject modules judge words (`spelling`, `warmth`, `readability`, `language`); the
passes here that need token positions (sentences, two-word markers, "x" next to a number)
read their rules from those modules.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from audit.measure.text.language import OTHER_LANGUAGE_WORDS
from audit.measure.text.readability import MIN_SENTENCE_WORDS, syllable_count
from audit.measure.text.spelling import (
    CONFUSABLES,
    NUMERIC_CONTEXT,
    check_word,
    context_read,
    homophones_between,
    is_truncation,
    word_after,
    word_before,
)
from audit.measure.text.verdict_cache import cached_rows
from audit.measure.text.warmth import (
    initial_markers,
    pair_bits,
    pair_marker_table,
    pair_markers,
    word_markers,
)

# ---------------------------------------------------------------------------------------------
# One distinct raw token -> its row of the token table
# ---------------------------------------------------------------------------------------------

_PIECES = re.compile(
    r"(?P<skip>:[^\s:]*[A-Za-z][^\s:]*:|&#?\w+;|[\w.%+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<hashtag>#\w+)|(?P<mention>@\w+)"
    r"|(?P<word>\w+(?:@\w*)?)"
    r"|(?P<brk>[.!?…]+|\n)"
    r"|(?P<opener>[¡¿])"
)

# Columns of the token table (int64).
T_WORDS, T_SYLL, T_MISS, T_CLIP, T_TAGS, T_LETTERS, T_UPPER = range(7)
_T_HEAD, _T_TAIL, _T_INNER, _T_BREAK, _T_ENDS_BREAK, _T_MARKERS = range(7, 13)
_T_FIRST_INITIAL, _T_OPENS, _T_LAST_PAIR, _T_FIRST_PAIR, _T_NUMBER, _T_NUMCTX = range(13, 19)
T_FOREIGN, _T_BLANK, _T_CONFUSABLE = 19, 20, 21
_N_COLUMNS = 22


class _TokenInfo(NamedTuple):
    row: tuple[int, ...]
    flagged: tuple[tuple[str, str, str], ...]  # (word, reason, suggestion) per occurrence


def _token_info(raw: str) -> _TokenInfo:
    """Everything the per-post sums need from one raw token (text between spaces)."""
    row = [0] * _N_COLUMNS
    flagged: list[tuple[str, str, str]] = []
    # NFKC: composed accents, and styled letters ("𝐀𝐕𝐈𝐒𝐎", full-width) read as letters.
    text = unicodedata.normalize("NFKC", raw)
    segment = 0  # words since the last break
    seen_break = False
    first_word = True
    prev_pair = 0
    prev_was_word = False
    has_digits_only = False
    for m in _PIECES.finditer(text):
        kind = m.lastgroup
        piece = m.group()
        if kind == "hashtag":
            row[T_TAGS] += 1
            prev_was_word = False
        elif kind == "brk":
            if seen_break:
                row[_T_INNER] += segment >= MIN_SENTENCE_WORDS
            else:
                row[_T_HEAD] = segment
            seen_break = True
            segment = 0
            prev_was_word = False
            if first_word:
                row[_T_OPENS] = 1
        elif kind == "opener":
            if first_word:
                row[_T_OPENS] = 1
        elif kind == "word":
            if not any(ch.isalpha() for ch in piece):
                has_digits_only = True
                prev_was_word = False
                continue
            lower = piece.lower()
            elided = len(piece) == 1 and text.startswith(("'", "’"), m.end())
            row[T_FOREIGN] += (lower in OTHER_LANGUAGE_WORDS and not piece.isupper()) or (
                elided and lower in "dl")
            row[T_WORDS] += 1
            segment += 1
            row[T_SYLL] += syllable_count(piece)
            row[T_LETTERS] += sum(ch.isalpha() for ch in piece)
            row[T_UPPER] += sum(ch.isupper() for ch in piece)
            verdict = None if elided else check_word(piece)  # "d'Hondt", "l'Ajuntament"
            if (verdict is not None and verdict.reason == "misspelt"
                    and text.startswith(".", m.end()) and is_truncation(lower)):
                verdict = None  # an abbreviation: "secr." (secretario)
            if verdict is not None:
                flagged.append((lower, verdict.reason, verdict.suggestion.lower()))
                row[T_MISS if verdict.reason != "clipped" else T_CLIP] += 1
                if verdict.reason == "clipped" and lower in NUMERIC_CONTEXT:
                    row[_T_NUMCTX] = 1
            row[_T_CONFUSABLE] |= lower in CONFUSABLES
            markers = word_markers(lower)
            first_side, second_side = pair_bits(lower, 0), pair_bits(lower, 1)
            if prev_was_word:
                markers |= pair_markers(prev_pair, second_side)
            if first_word:
                row[_T_FIRST_INITIAL] = initial_markers(lower)
                row[_T_FIRST_PAIR] = second_side
                first_word = False
            elif segment == 1 and seen_break:
                markers |= initial_markers(lower)
            row[_T_MARKERS] |= markers
            row[_T_LAST_PAIR] = first_side
            prev_pair = first_side
            prev_was_word = True
        else:
            prev_was_word = False
    if seen_break:
        row[_T_TAIL] = segment
        row[_T_BREAK] = 1
        row[_T_ENDS_BREAK] = int(segment == 0)
    else:
        row[_T_HEAD] = segment
    if not prev_was_word:
        row[_T_LAST_PAIR] = 0
    row[_T_NUMBER] = int(has_digits_only and row[T_WORDS] == 0)
    row[_T_BLANK] = int(row[T_WORDS] == 0 and not seen_break and row[T_TAGS] == 0
                        and not row[_T_NUMBER])
    # Per-post sums are packed on the promise that no count exceeds the post's length in
    # bytes; NFKC can expand a character ("ﷺ" is 18 letters), so counts are capped.
    size = len(raw.encode("utf-8", "surrogatepass"))
    for col in (T_WORDS, T_SYLL, T_LETTERS, T_UPPER, _T_HEAD, _T_TAIL):
        row[col] = min(row[col], size)
    if row[T_WORDS] != 1:
        row[_T_NUMCTX] = 0
    return _TokenInfo(tuple(row), tuple(flagged))


#: How a token the cache lacks is judged.
_judge = _token_info
# Tokens remembered at most by this process (the app audits again on every change); past
# it, the memory starts again from the tokens of the latest column.
_MEMORY_MAX_TOKENS = 1 << 20


class _Memory:
    """The rows and flags of the tokens this process has already read, kept as arrays (a
    look-up is one hashed search in C, a new token one more row), so that remembering a
    shard's 80,000 tokens costs no Python object per token."""

    def __init__(self) -> None:
        self.raws = pa.array([], type=pa.string())
        self.rows = np.zeros((0, _N_COLUMNS), dtype=np.int64)
        self.flagged: list[tuple] = []

    def look_up(self, raws: pa.Array) -> np.ndarray:
        """The index of each raw token in the memory, -1 where it is not remembered."""
        if not len(self.raws):
            return np.full(len(raws), -1, dtype=np.int64)
        return pc.fill_null(pc.index_in(raws, value_set=self.raws), -1) \
            .to_numpy(zero_copy_only=False).astype(np.int64)

    def add(self, raws: pa.Array, rows: np.ndarray, flagged: list[tuple]) -> None:
        """Remember tokens it does not hold."""
        if len(self.raws) + len(raws) > _MEMORY_MAX_TOKENS:
            self.__init__()
        self.raws = pa.concat_arrays([self.raws, raws])
        self.rows = np.concatenate([self.rows, rows])
        self.flagged.extend(flagged)


_memory = _Memory()


def _token_rows(raws: list[str]) -> tuple[np.ndarray, list[tuple]]:
    """The token table's rows (int64, one per distinct raw token) and their flags: from this
    process's memory, else from the persistent cache of verdicts (`verdict_cache`), else
    judged now."""
    wanted = pa.array(raws, type=pa.string())
    at = _memory.look_up(wanted)
    hit = np.flatnonzero(at >= 0)
    rows = np.zeros((len(raws), _N_COLUMNS), dtype=np.int64)
    rows[hit] = _memory.rows[at[hit]]
    flagged: list[tuple] = [()] * len(raws)
    for k, i in zip(hit.tolist(), at[hit].tolist(), strict=True):
        flagged[k] = _memory.flagged[i]
    missing = np.flatnonzero(at < 0)
    if len(missing):
        found, flags = cached_rows([raws[k] for k in missing.tolist()], _judge, _N_COLUMNS)
        rows[missing] = found
        for k, flag in zip(missing.tolist(), flags, strict=True):
            flagged[k] = flag
        _memory.add(wanted.take(pa.array(missing)), found, flags)
    return rows, flagged


# ---------------------------------------------------------------------------------------------
# The column pipeline
# ---------------------------------------------------------------------------------------------

# Links (and e-mail addresses) end a sentence in posts; they and line breaks become a
# line-break token. Bare domains need a known top-level domain, so "EE.UU." stays text.
_BREAKS = (
    r"(?:https?:)?//\S+|www\.\S+|[\p{L}\p{N}._%+-]+@(?:[\p{L}\p{N}-]+\.)+\p{L}{2,}"
    r"|(?:[\p{L}\p{N}-]+\.)+(?:com|es|org|net|gob|gov|edu|info|eu|int|mx|ar|co|cl|pe|ec|uy"
    r"|bo|ve|gt|cr|do|py|hn|sv|ni|pa|cu|pr|io|ly|me|tv|app)(?:/\S*)?"
    r"|\r?\n|\r|\t|\x{2028}|\x{2029}"
)


@dataclass(frozen=True)
class Analysis:
    """The tokens of a column and the per-post sums every measure needs.

    codes[offsets[p]:offsets[p + 1]] are the tokens of post p, as indexes into `raws` and
    `flagged` (one per distinct raw token) and into the columns of `table` (column-major, so
    that table[col][codes] gathers from one small contiguous array).
    """

    n_posts: int
    codes: np.ndarray
    offsets: np.ndarray
    raws: list[str]  # the distinct raw tokens, as written
    flagged: list[tuple[tuple[str, str, str], ...]]  # (word, reason, suggestion) of each
    table: np.ndarray  # int64, (_N_COLUMNS + 1, distinct tokens): the columns and _T_STREAM
    sums: dict[int, np.ndarray]  # per-post sums of _DENSE and _SPARSE columns
    # Packed cumulative sums of the first pass of dense columns (whose first field is
    # _T_STREAM) before each post's first token and the end (cut_offsets), and before each
    # token of `rare` (cut_rare): all that sentences read of a sum over every token.
    cut_offsets: np.ndarray
    cut_rare: np.ndarray
    bits: int  # bits per field of the packed sums
    rare: np.ndarray  # positions of tokens with a nonzero _SPARSE column or a break

    def at(self, col: int, positions: np.ndarray) -> np.ndarray:
        return self.table[col][self.codes[positions]]

    def post_of(self, positions: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.offsets, positions, side="right") - 1


# Summed over every token (packed several to a uint64) and over the few tokens that have
# them (with bincount). _T_STREAM = words before the first break + after the last one.
_T_STREAM = _N_COLUMNS
_DENSE = (_T_STREAM, T_WORDS, T_SYLL, T_LETTERS, T_UPPER)
_SPARSE = (T_MISS, T_CLIP, T_TAGS, _T_INNER, T_FOREIGN)
_CONTEXT = (_T_BREAK, _T_MARKERS, _T_FIRST_INITIAL, _T_LAST_PAIR, _T_NUMCTX, _T_CONFUSABLE)


def analyse(texts: pd.Series) -> Analysis:
    """Tokenise a column (pyarrow), judge its distinct tokens (Python) and sum per post."""
    if not isinstance(texts, pd.Series):
        raise TypeError(f"texts must be a pandas Series, not {type(texts).__name__}")
    values = texts if isinstance(texts.dtype, pd.StringDtype) else texts.astype("str")
    arr = pa.array(values, from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    arr = pc.fill_null(arr.cast(pa.large_string()), "")
    max_bytes = int(pc.max(pc.binary_length(arr)).as_py() or 0) if len(arr) else 0
    n = len(arr)
    offsets, codes, raws = _tokenised(arr)
    del arr
    rows, flagged = _token_rows(raws)
    table = np.zeros((_N_COLUMNS + 1, len(raws)), dtype=np.int64)
    if raws:
        table[:_N_COLUMNS] = rows.T
        table[_T_STREAM] = table[_T_HEAD] + table[_T_TAIL]
    del rows

    # Dense sums: every count of a post is at most its length in bytes, so fields of
    # `bits` bits never carry into each other within a post, and the difference of two
    # cumulative sums inside one post is exact even though the running total wraps. Tweets
    # need 11 bits: the five columns go in one pass.
    bits = max(1, max_bytes.bit_length())
    per_pass = max(1, 64 // bits)
    flags = np.zeros(len(raws), dtype=bool)
    for col in _SPARSE + _CONTEXT:
        flags |= table[col] != 0
    rare = np.flatnonzero(flags[codes]) if len(codes) else np.zeros(0, dtype=np.int64)
    sums: dict[int, np.ndarray] = {}
    mask = np.uint64((1 << bits) - 1) if bits < 64 else np.uint64(2**64 - 1)
    for first in range(0, len(_DENSE), per_pass):
        group = _DENSE[first:first + per_pass]
        packed = np.zeros(len(raws), dtype=np.uint64)
        for k, col in enumerate(group):
            packed |= table[col].astype(np.uint64) << np.uint64(bits * k)
        if first == 0:  # the first pass holds the stream's words: sentences need its cuts
            at_offsets, at_rare = _cumsum_at(packed, codes, offsets, rare)
            cuts = (at_offsets, at_rare)
        else:
            (at_offsets,) = _cumsum_at(packed, codes, offsets)
        totals = at_offsets[1:] - at_offsets[:-1]
        for k, col in enumerate(group):
            sums[col] = ((totals >> np.uint64(bits * k)) & mask).astype(np.int64)

    owners = np.searchsorted(offsets, rare, side="right") - 1
    for col in _SPARSE:
        sums[col] = np.bincount(owners, weights=table[col][codes[rare]],
                                minlength=n).astype(np.int64)
    return Analysis(n, codes, offsets, raws, flagged, table, sums, *cuts, bits, rare)


# Posts split into tokens at a time: the marked texts, tokens and codes of one block only
# (a few tens of MB) instead of several copies of every text at once.
_SPLIT_BLOCK = 100_000
# Tokens gathered at a time for the cumulative sums: a few MB of temporary values instead
# of one per token (the sums are read at post starts and a few tokens only).
_GATHER_BLOCK = 1 << 20


def _tokenised(texts: pa.Array) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Offsets of each post's tokens (int64, one per post + 1), the code of each token and
    the distinct raw tokens, in order of first appearance: as one split of the whole column
    would give them. Links and line breaks are marked, the texts split and the tokens
    encoded block by block of posts, so only one block's marked texts and tokens are held;
    each block's distinct tokens are then given their codes in the whole column."""
    offsets = [np.zeros(1, dtype=np.int64)]
    codes = [np.zeros(0, dtype=np.int32)]
    known: dict[str, int] = {}
    for start in range(0, len(texts), _SPLIT_BLOCK):
        block = texts.slice(start, _SPLIT_BLOCK)
        # 32-bit offsets (half the memory per token) when the marked block surely fits
        # them: marking at most triples a text ("\n" -> " \n ").
        if (pc.sum(pc.binary_length(block)).as_py() or 0) * 3 < 2**31:
            block = block.cast(pa.string())
        tokens = pc.split_pattern(pc.replace_substring_regex(block, _BREAKS, " \n "), " ")
        del block
        ends = tokens.offsets.to_numpy(zero_copy_only=False).astype(np.int64)
        offsets.append(ends[1:] - ends[0] + offsets[-1][-1])
        encoded = pc.dictionary_encode(pc.list_flatten(tokens))
        del tokens
        # A block's distinct tokens in their order of first appearance in the block: the
        # new ones take the next codes, as they would in one pass over the column.
        whole = np.array([known.setdefault(raw, len(known))
                          for raw in encoded.dictionary.to_pylist()], dtype=np.int32)
        codes.append(whole[encoded.indices.to_numpy(zero_copy_only=False)])
    return np.concatenate(offsets), np.concatenate(codes), list(known)


def _cumsum_at(values: np.ndarray, codes: np.ndarray,
               *positions: np.ndarray) -> list[np.ndarray]:
    """For each sorted array of ``positions`` (0 to ``len(codes)``), the sums of
    ``values[codes[:p]]`` at those positions, as the cumulative sums of all tokens would
    give them (unsigned sums wrap alike), gathered ``_GATHER_BLOCK`` tokens at a time
    without keeping one sum per token."""
    found = [np.zeros(len(p), dtype=np.uint64) for p in positions]
    carry = np.uint64(0)
    for start in range(0, len(codes), _GATHER_BLOCK):
        part = np.cumsum(values[codes[start:start + _GATHER_BLOCK]])
        part += carry
        end = start + len(part)
        for wanted, out in zip(positions, found, strict=True):
            lo = np.searchsorted(wanted, start + 1, side="left")
            hi = np.searchsorted(wanted, end, side="right")
            out[lo:hi] = part[wanted[lo:hi] - start - 1]
        carry = part[-1]
    return found


def _neighbour(an: Analysis, at: np.ndarray, step: int) -> np.ndarray:
    """Index of the previous (step -1) or next (+1) token in the same post, skipping one
    token without words (a second space, a mention, an emoji); -1 where there is none."""
    posts = an.post_of(at)
    lo, hi = an.offsets[posts], an.offsets[posts + 1]
    result = np.full(len(at), -1, dtype=np.int64)
    for hop in (1, 2):
        nb = at + step * hop
        inside = (nb >= lo) & (nb < hi) & (result < 0)
        ok = np.flatnonzero(inside)
        if hop == 1:
            blank = an.at(_T_BLANK, nb[ok]).astype(bool)
            result[ok[~blank]] = nb[ok[~blank]]
            pending = np.zeros(len(at), dtype=bool)
            pending[ok[blank]] = True
        else:
            take = ok[pending[ok]]
            result[take] = nb[take]
    return result


def count_sentences(an: Analysis) -> np.ndarray:
    """Sentences per post: fragments between breaks with >= MIN_SENTENCE_WORDS words.

    The stream of words (heads and tails of tokens) is cut at each post start and after the
    head of each token that holds a break; a fragment is the run of words between two
    cuts. Cut positions are read from the packed cumulative sums.
    """
    n = an.n_posts
    mask = np.uint64((1 << an.bits) - 1) if an.bits < 64 else np.uint64(2**64 - 1)
    is_break = an.at(_T_BREAK, an.rare) > 0
    brk = an.rare[is_break]
    starts = an.offsets[:-1]
    post_cut = an.cut_offsets[:-1]
    brk_cut = an.cut_rare[is_break] + an.at(_T_HEAD, brk).astype(np.uint64)
    # Merge both sorted lists of cuts (post starts first at equal positions).
    brk_index = np.arange(len(brk)) + np.searchsorted(starts, brk, side="right")
    post_index = np.arange(n) + np.searchsorted(brk, starts, side="left")
    cuts = np.empty(n + len(brk), dtype=np.uint64)
    owner = np.empty(n + len(brk), dtype=np.int64)
    cuts[post_index], owner[post_index] = post_cut, np.arange(n)
    cuts[brk_index], owner[brk_index] = brk_cut, an.post_of(brk)
    lengths = (np.append(cuts[1:], an.cut_offsets[-1]) - cuts) & mask
    valid = lengths >= MIN_SENTENCE_WORDS
    sentences = np.bincount(owner[valid], minlength=n) + an.sums[_T_INNER]
    words = an.sums[T_WORDS]
    return np.where(words > 0, np.maximum(sentences, 1), 0)


def post_markers(an: Analysis) -> np.ndarray:
    """Marker bits per post: those of single tokens, two-word greetings and invitations
    split by a space ("buenos días", "te esperamos"), and imperatives that start a
    sentence ("Consulta", "Participa")."""
    out = np.zeros(an.n_posts, dtype=np.int64)
    rare = an.rare
    bits = an.at(_T_MARKERS, rare)
    np.bitwise_or.at(out, an.post_of(rare[bits > 0]), bits[bits > 0])
    at = rare[an.at(_T_LAST_PAIR, rare) > 0]
    at = at[an.at(_T_ENDS_BREAK, at) == 0]
    nxt = _neighbour(an, at, +1)
    at, nxt = at[nxt >= 0], nxt[nxt >= 0]
    if len(at):
        first, second = an.at(_T_LAST_PAIR, at), an.at(_T_FIRST_PAIR, nxt)
        pair = pair_marker_table()[first, second]
        np.bitwise_or.at(out, an.post_of(at), pair)
    at = rare[an.at(_T_FIRST_INITIAL, rare) > 0]
    prev = _neighbour(an, at, -1)
    starts = (prev < 0) | an.at(_T_OPENS, at).astype(bool)
    starts[prev >= 0] |= an.at(_T_ENDS_BREAK, prev[prev >= 0]).astype(bool)
    np.bitwise_or.at(out, an.post_of(at[starts]), an.at(_T_FIRST_INITIAL, at[starts]))
    return out


def numeric_context(an: Analysis) -> np.ndarray:
    """Positions of clipped "x"/"k" tokens standing next to a number ("3 x 4", "10 k")."""
    at = an.rare[an.at(_T_NUMCTX, an.rare) > 0]
    near = np.zeros(len(at), dtype=bool)
    for step in (-1, +1):
        nb = _neighbour(an, at, step)
        near[nb >= 0] |= an.at(_T_NUMBER, nb[nb >= 0]).astype(bool)
    return at[near]


def homophones(an: Analysis) -> tuple[np.ndarray, list[tuple[tuple[str, str, str], ...]]]:
    """Positions of the tokens holding a homophone or h-error ("a sido", "asta mañana") and
    the flags of each: (phrase, "homophone", suggestion), from `spelling.homophones_between`.

    Only tokens with a word of `spelling.CONFUSABLES` are read, each distinct (word before,
    token, word after) once, where the word before is kept only when the token's rules
    compare it (`spelling.context_read`: "a" reads "olor" or "puede", not "la") and the
    word after only when its last word reads it: 50,000 judgements instead of 170,000
    for half a million posts.
    """
    at = an.rare[an.at(_T_CONFUSABLE, an.rare) > 0]
    if not len(at):
        return at, []
    raw = [*an.raws, ""]  # code -1: the edge of the post
    middle, mid = np.unique(an.codes[at], return_inverse=True)
    reads = [context_read(raw[code]) for code in middle.tolist()]
    before = _context_ids(an, _neighbour(an, at, -1), word_before)
    after = _context_ids(an, _neighbour(an, at, +1), word_after)
    # A word before that the token's rules do not compare reads as a non-word (""); the
    # word after, when the token does not read it, as well.
    keep = np.zeros((len(middle), len(before.values)), dtype=bool)
    for k, (words, _reads_after) in enumerate(reads):
        if words is not None:
            keep[k, [before.values[v] for v in (None, *words) if v in before.values]] = True
    left = np.where(keep[mid, before.ids], before.ids, before.values[""])
    reads_after = np.array([r for _w, r in reads], dtype=bool)
    right = np.where(reads_after[mid], after.ids, after.values[""])
    keys = np.stack([left, mid, right])
    order = np.lexsort(keys[::-1])
    ordered = keys[:, order]
    first = np.ones(len(at), dtype=bool)
    first[1:] = (ordered[:, 1:] != ordered[:, :-1]).any(axis=0)
    inverse = np.empty(len(at), dtype=np.int64)
    inverse[order] = np.cumsum(first) - 1
    words_before, words_after = list(before.values), list(after.values)
    judged = [homophones_between(words_before[b], raw[middle[m]], words_after[a])
              for b, m, a in ordered[:, first].T.tolist()]
    found = np.array([bool(flags) for flags in judged], dtype=bool)[inverse]
    return at[found], [judged[i] for i in inverse[found].tolist()]


class _Context(NamedTuple):
    ids: np.ndarray  # per position, the index of the word its neighbour reads as
    values: dict[str | None, int]  # the distinct words read -> index; "" (a non-word) is 0


def _context_ids(an: Analysis, neighbours: np.ndarray, word) -> _Context:
    """The word each neighbour token (-1: none, the post's edge) reads as, ``word`` of its
    raw token, as indexes into the distinct words."""
    codes = np.where(neighbours >= 0, an.codes[neighbours], -1)
    distinct, inverse = np.unique(codes, return_inverse=True)
    values: dict[str | None, int] = {"": 0}
    ids = np.array([values.setdefault(word(an.raws[c] if c >= 0 else ""), len(values))
                    for c in distinct.tolist()], dtype=np.int64)
    return _Context(ids[inverse.ravel()], values)
