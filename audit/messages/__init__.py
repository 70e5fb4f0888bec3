"""One message catalogue: every text a user reads, in Spanish and English, keyed by id.

The texts live in data files beside this module, one per area (``problems.yaml``,
``cli.yaml``, ...), each a mapping ``key: {es: template, en: template}``; a message's id is
``area.key``. A template names its placeholders (``{days}``) and may say how a value is
written (``{share:pct}``, ``{median:n1}``), because 1.234,5 and 1,234.5 are the same number
for different readers.

The library passes ``Message`` objects (an id and its values) and renders them in the user's
language only at the edge, the file writer, the terminal or the page, so the same result
serves a Spanish meeting and an English paper. A test checks that both languages carry every
id with the same placeholders.

Value formats (the part after ``:`` in a placeholder):

    n, n0, n1, n2   a number with that many decimals (n = n1); whole numbers lose them
    pct             a share 0-1 as a percentage with one decimal ("92,3 %" / "92.3%")
    (none)          text; a Message is rendered in the same language, a mapping by language
                    (a rubric's ``{es: ..., en: ...}`` label) gives its text for that
                    language, and a list of values is joined with "; "
"""

from __future__ import annotations

import math
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

__all__ = ["LANGS", "CatalogueError", "Message", "catalogue", "fill", "msg", "number", "percent",
           "placeholders", "render", "text", "text_lenient", "texts"]

LANGS = ("es", "en")
_DIR = Path(__file__).resolve().parent


class CatalogueError(ValueError):
    """A catalogue file that is malformed, or an id that no file defines."""


@dataclass(frozen=True)
class Message:
    """A text to show, not yet in a language: a catalogue id and the values it names."""

    id: str
    values: Mapping[str, object] = field(default_factory=dict)

    def render(self, lang: str) -> str:
        return text(self.id, lang, **self.values)


def msg(id: str, **values: object) -> Message:
    """A message with its values; the id is checked now so that a typo fails where made."""
    if id not in catalogue():
        raise CatalogueError(f"unknown message id {id!r}")
    return Message(id, values)


def text(id: str, lang: str, /, **values: object) -> str:
    """The message ``id`` in ``lang`` with its placeholders filled from ``values``."""
    template = _template(id, lang)
    return _FORMATTERS[lang].vformat(template, (), values)


def text_lenient(id: str, lang: str, /, **values: object) -> str:
    """Like ``text``, but a placeholder without a value is left empty.

    For messages whose details are optional (a problem may or may not know the cell's kind);
    everywhere else a missing value is a bug that ``text`` reports.
    """
    template = _template(id, lang)
    return _FORMATTERS[lang].vformat(template, (), _Blank(values))


def fill(template: str, lang: str, values: Mapping[str, object]) -> str:
    """A template that lives outside the catalogue (a rubric's own prose), filled with the
    catalogue's value formats. Raises KeyError for a placeholder without a value and
    CatalogueError (a ValueError) for an unknown format, so the caller can say where."""
    return _FORMATTERS[lang].vformat(template, (), values)


@lru_cache(maxsize=32)
def texts(area: str, lang: str) -> dict[str, str]:
    """Every template of one area in one language, by key without the area ('footer'), for
    callers that fill them themselves (the app's pages)."""
    if lang not in LANGS:
        raise CatalogueError(f"unknown language {lang!r}")
    prefix = f"{area}."
    return {id.removeprefix(prefix): both[lang] for id, both in catalogue().items()
            if id.startswith(prefix)}


def _template(id: str, lang: str) -> str:
    try:
        return catalogue()[id][lang]
    except KeyError:
        raise CatalogueError(f"no message {id!r} in language {lang!r}") from None


def render(value: object, lang: str) -> str:
    """Any value a message may hold, written for a reader of ``lang``."""
    if isinstance(value, Message):
        return value.render(lang)
    if isinstance(value, Mapping) and lang in value:
        return str(value[lang])
    if isinstance(value, list | tuple):
        return "; ".join(render(v, lang) for v in value)
    return str(value)


def number(value: float | None, lang: str, digits: int = 1) -> str:
    """1234.5 -> '1.234,5' (es) or '1,234.5' (en); whole numbers without decimals."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    digits = 0 if float(value).is_integer() else digits
    written = f"{value:,.{digits}f}"
    if lang == "es":
        written = written.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return written


def percent(share: float, lang: str) -> str:
    """0.923 -> '92,3 %' (es) or '92.3%' (en)."""
    written = number(100 * share, lang, 1)
    return f"{written} %" if lang == "es" else f"{written}%"


class _Formatter(string.Formatter):
    """str.format with the catalogue's value formats, in one language."""

    def __init__(self, lang: str):
        self.lang = lang

    def vformat(self, format_string: str, args: tuple, kwargs: Mapping[str, object]) -> str:
        """``string.Formatter.vformat`` with each template parsed once: an audit writes the
        same few templates hundreds of thousands of times, and parsing them again each time
        was most of the cost. Templates with positional, indexed, converted or nested
        fields (none in the catalogue) take the general path."""
        pieces = _parsed(format_string)
        if pieces is None:
            return super().vformat(format_string, args, kwargs)
        out = []
        for literal, name, spec in pieces:
            out.append(literal)
            if name is not None:
                out.append(self.format_field(kwargs[name], spec))
        return "".join(out)

    def format_field(self, value: object, spec: str) -> str:
        if spec == "pct":
            return percent(value, self.lang)
        if spec in ("n", "n0", "n1", "n2"):
            return number(value, self.lang, int(spec[1:] or 1))
        if spec:
            raise CatalogueError(f"unknown value format {spec!r}; expected pct, n, n0, n1 "
                                 f"or n2")
        return render(value, self.lang)


@lru_cache(maxsize=1024)
def _parsed(template: str) -> tuple[tuple[str, str | None, str], ...] | None:
    """(literal text, field name or None, format) pieces of a template whose fields are all
    plain names with a plain format; None for any other template."""
    pieces = tuple(string.Formatter().parse(template))
    if any(name is not None and (not name.isidentifier() or conversion or "{" in spec)
           for _, name, spec, conversion in pieces):
        return None
    return tuple((literal, name, spec) for literal, name, spec, _ in pieces)


_FORMATTERS = {lang: _Formatter(lang) for lang in LANGS}


class _Blank(dict):
    """Values for ``text_lenient``: a name without a value reads as empty text."""

    def __missing__(self, key: str) -> str:
        return ""


def placeholders(template: str) -> set[str]:
    """The names a template fills, with their formats ('share:pct')."""
    return {f"{name}:{spec}" if spec else name
            for _, name, spec, _ in string.Formatter().parse(template) if name is not None}


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """Every message, read once per process from the area files."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    messages: dict[str, dict[str, str]] = {}
    for path in sorted(_DIR.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
        if not isinstance(data, dict):
            raise CatalogueError(f"{path.name}: expected a mapping of message keys")
        for key, texts in data.items():
            if not isinstance(texts, dict) or set(texts) != set(LANGS) or not all(
                    isinstance(t, str) for t in texts.values()):
                raise CatalogueError(f"{path.name}: {key}: expected texts for es and en")
            messages[f"{path.stem}.{key}"] = texts
    return messages
