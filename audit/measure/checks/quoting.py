"""The posts a check reads and how it quotes them: posts with text, "12 publicaciones", a
text cut to one line.

Apart from the checks so that the tone checks can use the transparency check's term
matching (to keep campaign posts out of their examples) while transparency uses these."""

from __future__ import annotations

import pandas as pd

from audit.measure.features import Features
from audit.messages import Message, msg

__all__ = ["n_posts", "posts_with_text", "shorten"]


def posts_with_text(f: Features) -> pd.DataFrame:
    """The posts that carry some text (not only spaces), with their index kept.

    The index is kept so that rows align with ``f.text.posts``; ``f.text`` is not touched
    here, so an audit without texts never loads the dictionary.
    """
    posts = f.posts
    if posts.empty:
        return posts
    has_text = posts["text"].str.strip().str.len().fillna(0).to_numpy() > 0
    return posts[has_text]


def shorten(text: str, width: int = 80) -> str:
    """A text on one line, cut at `width` characters with an ellipsis."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def n_posts(n: float) -> Message:
    """'1 publicación', '12 publicaciones'; '1 post', '12 posts'."""
    return msg("evidence.one_post" if int(n) == 1 else "evidence.n_posts", n=n)
