"""Validation of the spelling measures of audit.measure.text on real institutional tweets.

    python bench/validate_spelling.py [--sample 600] [--seed 2020] [--real-data DIR]

Reads ../shared/real-data/health-es/tweets_2020q4.jsonl (original tweets of the Spanish
Ministry of Health, its public-health account and the medicines agency, 2020 Q4; retweets
skipped; --real-data names another folder holding health-es/) and prints two figures:

1. False positives: words flagged (misspelt, missing accent or clipped) over all words. These
   are professional texts, so nearly every flag is a false positive; the words a person
   reading them in context judged to be real errors are listed in JUDGED_ERRORS below and
   reported apart. The top 30 flagged words are printed for a human to judge. For
   reference, the naive rule DESIGN.md quotes (a lower-case word with wordfreq zipf < 2.0
   is misspelt) is computed on the same tweets. The homophones and h-errors found in
   context ("a sido", "asta mañana": spelling.CONFUSABLES) are counted apart, so the share
   flagged is shown without and with them, and each is printed with its tweet.
2. Catch rate: a deterministic sample of the tweets gets one planted error each (accents
   removed, que->q, porque->xq, también->tb, por favor->xfa, saludos->slds, two letters
   swapped or one dropped in a common word) and we count the planted words flagged. A
   swap or drop that happens to make another real word ("casa" -> "cas") is not planted.

When ../shared is not there (the project's repository alone), it says so and exits 0.

    python bench/validate_spelling.py --scale 1000000

also times text_features on that many synthetic posts of about 25 words drawn from a
20,000-word vocabulary (wordfreq's most frequent Spanish words, some capitalised or with
punctuation, plus hashtags, mentions, links, emoji names, numbers and line breaks); that
part needs no real data.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from audit.measure.text import flagged_words, text_features

REAL_DATA = Path(__file__).resolve().parents[2] / "shared/real-data"
HEALTH = "health-es/tweets_2020q4.jsonl"

# Flagged words that are real errors in these tweets, judged by reading each in context.
JUDGED_ERRORS = {
    "déscargate": "descárgate (accent on the wrong syllable)",
    "vácunate": "vacúnate (accent on the wrong syllable)",
    "hipertension": "hipertensión (missing accent)",
}

CLIPPINGS = [("que", "q"), ("porque", "xq"), ("también", "tb"), ("por favor", "xfa"),
             ("saludos", "slds")]
# Links, mentions, hashtags and emoji names are not words; planted errors avoid them.
NOT_TEXT = re.compile(r"https?://\S+|[@#]\w+|:[^\s:]*[A-Za-z][^\s:]*:")
WORD = re.compile(r"\b[^\W\d_]+\b")


def load(path: Path) -> pd.Series:
    texts = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if not row.get("is_retweet"):
                texts.append(row["text"])
    return pd.Series(texts, dtype="str")


def naive_rate(texts: pd.Series) -> tuple[int, int]:
    """DESIGN's baseline: lower-case words with zipf < 2.0 over all words."""
    from wordfreq import zipf_frequency

    flagged = total = 0
    for text in texts:
        for word in WORD.findall(NOT_TEXT.sub(" ", text)):
            total += 1
            flagged += word.islower() and zipf_frequency(word, "es") < 2.0
    return flagged, total


def false_positives(texts: pd.Series) -> None:
    start = time.perf_counter()
    features = text_features(texts)
    elapsed = time.perf_counter() - start
    words = int(features.posts["words"].sum())
    table = features.flagged
    flagged = int(table["count"].sum())
    judged = int(table.loc[table["word"].isin(JUDGED_ERRORS), "count"].sum())
    naive, naive_total = naive_rate(texts)
    print("=" * 78)
    print("1. FALSE POSITIVES on real institutional tweets (health-es, retweets skipped)")
    print("=" * 78)
    print(f"tweets: {len(texts):,}   words: {words:,}   text_features: {elapsed:.2f} s")
    print(f"flagged words:            {flagged:5d}  = {flagged / words:.3%} of words")
    print(f"  judged real errors:     {judged:5d}")
    print(f"  false positives (est.): {flagged - judged:5d}  = "
          f"{(flagged - judged) / words:.3%} of words")
    print(f"naive rule (lower-case, zipf < 2.0): {naive:,} / {naive_total:,} = "
          f"{naive / naive_total:.2%} of words")
    confused = table[table["reason"] == "homophone"]
    n_confused = int(confused["count"].sum())
    print(f"  without the homophone rules: {flagged - n_confused:5d}  = "
          f"{(flagged - n_confused) / words:.3%} of words")
    print(f"  added by the homophone rules: {n_confused:4d}  = {n_confused / words:.3%} of words")
    if n_confused:
        shown = set(confused["word"])
        for text, found in zip(texts, flagged_words(texts), strict=True):
            for phrase in shown.intersection(found):
                print(f"    {phrase!r}: {' '.join(text.split())[:110]}")
    print("\nTop 30 flagged words (judged: error = a real error in context, ? = not judged):")
    print(f"{'word':<18}{'reason':<16}{'suggestion':<24}{'count':>6}  judged")
    for row in table.head(30).itertuples():
        judged_as = "error" if row.word in JUDGED_ERRORS else "?"
        print(f"{row.word:<18}{row.reason:<16}{row.suggestion:<24}{row.count:>6}  {judged_as}")


def _replace_first(text: str, old: str, new: str) -> str | None:
    """Replace the first occurrence of the whole word(s) `old` outside links and tags."""
    protected = [m.span() for m in NOT_TEXT.finditer(text)]
    for m in re.finditer(rf"(?<!\w){re.escape(old)}(?!\w)", text):
        if not any(a <= m.start() < b for a, b in protected):
            return text[:m.start()] + new + text[m.end():]
    return None


def _strip_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def _typo(word: str, kind: str, rng: random.Random) -> str | None:
    from wordfreq import zipf_frequency

    inner = range(1, len(word) - 2) if kind == "swap" else range(1, len(word) - 1)
    positions = list(inner)
    rng.shuffle(positions)
    for i in positions:
        if kind == "swap":
            if word[i] == word[i + 1]:
                continue
            typo = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        else:
            typo = word[:i] + word[i + 1:]
        if zipf_frequency(typo, "es") < 3.0:  # not another everyday word
            return typo
    return None


def plant(text: str, kind: str, rng: random.Random) -> tuple[str, str] | None:
    """Plant one error of `kind` in `text`: (new text, planted word) or None."""
    from wordfreq import zipf_frequency

    words = WORD.findall(NOT_TEXT.sub(" ", text))
    if kind == "accent":
        choices = [w for w in words if w.islower() and _strip_accents(w) != w]
        if choices:
            word = rng.choice(choices)
            new = _replace_first(text, word, _strip_accents(word))
            return (new, _strip_accents(word)) if new else None
        return None
    if kind == "clipped":
        options = [(old, new) for old, new in CLIPPINGS if _replace_first(text, old, new)]
        if options:
            old, new = rng.choice(options)
            return _replace_first(text, old, new), new
        return None
    choices = [w for w in words if w.islower() and len(w) >= 5
               and zipf_frequency(w, "es") >= 4.0]
    rng.shuffle(choices)
    for word in choices:
        typo = _typo(word, kind, rng)
        if typo:
            new = _replace_first(text, word, typo)
            if new:
                return new, typo
    return None


def catch_rate(texts: pd.Series, sample: int, seed: int) -> None:
    rng = random.Random(seed)
    order = list(range(len(texts)))
    rng.shuffle(order)
    kinds = ["accent", "clipped", "swap", "drop"]
    planted: list[tuple[str, str, str]] = []  # (kind, text, word)
    for n, i in enumerate(order[:sample]):
        for k in range(len(kinds)):
            kind = kinds[(n + k) % len(kinds)]
            result = plant(texts.iloc[i], kind, rng)
            if result:
                planted.append((kind, *result))
                break
    new_texts = pd.Series([t for _, t, _ in planted], dtype="str")
    found = flagged_words(new_texts)
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    missed: Counter[tuple[str, str]] = Counter()
    for (kind, _text, word), flagged in zip(planted, found, strict=True):
        totals[kind] += 1
        if word.lower() in flagged:
            hits[kind] += 1
        else:
            missed[(kind, word)] += 1
    caught, total = sum(hits.values()), sum(totals.values())
    print()
    print("=" * 78)
    print(f"2. CATCH RATE of planted errors ({total} tweets, one error each, seed {seed})")
    print("=" * 78)
    print(f"caught: {caught} / {total} = {caught / total:.1%}")
    for kind in kinds:
        if totals[kind]:
            print(f"  {kind:<8} {hits[kind]:4d} / {totals[kind]:4d} = "
                  f"{hits[kind] / totals[kind]:.1%}")
    print("\nMissed planted words (a plain form that is itself a word, e.g. 'esta' for "
          "'está', cannot be told from context-free spelling):")
    line = ", ".join(f"{w} ({kind})" for (kind, w), _ in missed.most_common(40))
    print("  " + (line or "none"))


def synthetic_posts(n: int, seed: int = 7, vocabulary: int = 20_000) -> pd.Series:
    """n posts of 20-30 tokens drawn from the `vocabulary` most frequent Spanish words."""
    import numpy as np
    from wordfreq import top_n_list

    rng = np.random.default_rng(seed)
    words = [w for w in top_n_list("es", vocabulary + 500) if w.isalpha()][:vocabulary]
    decorated = words + [w.capitalize() + "," for w in words[:2000]] + [
        w + "." for w in words[:2000]] + ["#Salud", "#COVID19", "@Ayto", ":red_circle:",
                                          "2024", "\n", "¡Hola!", "gracias", "q", "xq"]
    pool = np.array(decorated, dtype=object)
    lengths = rng.integers(20, 31, size=n)
    picks = pool[rng.integers(0, len(pool), size=int(lengths.sum()))]
    bounds = np.concatenate([[0], np.cumsum(lengths)])
    texts = [" ".join(picks[a:b]) for a, b in itertools.pairwise(bounds)]
    links = rng.random(n) < 0.3
    texts = [f"{t} https://t.co/{i:x}" if link else t
             for i, (t, link) in enumerate(zip(texts, links, strict=True))]
    return pd.Series(texts, dtype="str")


def scale(n: int) -> None:
    import resource

    posts = synthetic_posts(n)
    tokens = int(posts.str.count(" ").sum()) + n
    start = time.perf_counter()
    features = text_features(posts)
    first = time.perf_counter() - start
    start = time.perf_counter()
    text_features(posts)
    second = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print("=" * 78)
    print(f"3. SCALE: text_features on {n:,} synthetic posts ({tokens:,} tokens)")
    print("=" * 78)
    print(f"first call (loads wordfreq, judges every distinct token): {first:.2f} s")
    print(f"second call (judgements cached):                          {second:.2f} s")
    print(f"peak memory of the process: {peak:,.0f} MiB; "
          f"flagged distinct words: {len(features.flagged):,}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=600)
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--real-data", type=Path, default=REAL_DATA,
                        help="folder holding health-es/ (default: shared/real-data beside "
                             "the repository)")
    parser.add_argument("--scale", type=int, default=0,
                        help="also time text_features on this many synthetic posts")
    args = parser.parse_args()
    if args.scale:
        scale(args.scale)
    data = args.real_data / HEALTH
    if not data.exists():
        print(f"Real data not found at {data} (../shared is not part of the repository): "
              "nothing to validate.")
        return 0
    texts = load(data)
    false_positives(texts)
    catch_rate(texts, args.sample, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
