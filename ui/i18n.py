"""The app's texts, one mapping per language, read from the message catalogue's ``ui`` area.

The texts themselves live in ``audit/messages/ui.yaml`` with every other message of the
project; pages look them up as ``t["key"]`` with ``t = TEXT[lang]`` and fill them with
``str.format``. A catalogue key ``group.name`` (``statuses.active``) is served as
``t["group"]["name"]``, for texts chosen by a value (a status, a horizon). Texts that the
audit produces (problem messages, evidence, actions, rubric and level labels) come rendered
from the library and are not repeated here.
"""

from __future__ import annotations

from audit import texts

__all__ = ["LANGS", "MONTHS", "TEXT"]

# Each language named in itself, for the language selector.
LANGS = {"es": "Español", "en": "English"}


def _table(lang: str) -> dict:
    """The ``ui`` texts of ``lang``, with ``group.name`` keys gathered into a mapping."""
    table: dict = {}
    for key, template in texts("ui", lang).items():
        group, _, name = key.partition(".")
        if name:
            table.setdefault(group, {})[name] = template
        else:
            table[key] = template
    return table


TEXT: dict[str, dict] = {lang: _table(lang) for lang in LANGS}
MONTHS = {lang: tuple(TEXT[lang]["months"][str(m)] for m in range(1, 13)) for lang in LANGS}
