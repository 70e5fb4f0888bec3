"""The posts a check reads and how it quotes them: posts with text, "12 publicaciones", a
text cut to one line with its personal data masked.

Every text quoted as evidence goes through ``quote``: the institution's posts always, the
citizens' texts only when the audit allows it (``Features.privacy.quote_citizens``), and
in both cases with the personal data masked in the reader's language
(``audit.measure.text.personal_data``) before the text is cut, so that a cut never leaves
half a number showing. Tables of detail rows hold texts masked with the kinds' ids
(``masked_column``).

Apart from the checks so that the tone checks can use the transparency check's term
matching (to keep campaign posts out of their examples) while transparency uses these."""

from __future__ import annotations

import pandas as pd

from audit.measure.features import Features
from audit.measure.text.personal_data import masked, masks, may_hold
from audit.messages import LANGS, Message, msg

__all__ = ["masked_column", "n_posts", "own_handles", "posts_with_text", "quote", "quotes",
           "shorten"]


def posts_with_text(f: Features) -> pd.DataFrame:
    """The posts that carry some text (not only spaces), with their index kept.

    The index is kept so that rows align with ``f.text.posts``; ``f.text`` is not touched
    here, so an audit without texts never loads the dictionary.
    """
    return f.posts_with_text()


def shorten(text: str, width: int = 80) -> str:
    """A text on one line, cut at `width` characters with an ellipsis."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def own_handles(f: Features) -> frozenset[str]:
    """The audited institutions' handles: mentions of them are no one's personal data."""
    return frozenset(f.profiles["handle"].dropna().astype(str).str.lower())


def quote(text: str, handles: frozenset[str], width: int = 80) -> dict[str, str]:
    """``text`` masked and cut to one line, in every language (a message renders the
    reader's)."""
    return {lang: shorten(shown, width) for lang, shown in masked(str(text), handles).items()}


def quotes(texts: list, handles: frozenset[str], width: int = 80) -> list[dict[str, str]]:
    """``quote`` of each text, the texts that cannot hold personal data (``may_hold``, one
    pass over them all) only cut: a check quotes an example for each of a thousand
    institutions, and the exact search of each one cost a second."""
    maybe = may_hold(pd.Series(texts, dtype="object"))
    return [quote(t, handles, width) if held else dict.fromkeys(LANGS, shorten(str(t), width))
            for t, held in zip(texts, maybe.tolist(), strict=True)]


def masked_column(texts: pd.Series, handles: frozenset[str]) -> pd.Series:
    """Texts for a table of detail rows, each piece of personal data replaced by its kind's
    id ("[phone]"). Only the texts that may hold some are searched (``masks``)."""
    changed = masks(texts, None, handles)
    return texts.map(lambda t: changed.get(t, t) if isinstance(t, str) else t)


def n_posts(n: float) -> Message:
    """'1 publicación', '12 publicaciones'; '1 post', '12 posts'."""
    return msg("evidence.one_post" if int(n) == 1 else "evidence.n_posts", n=n)
