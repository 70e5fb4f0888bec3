"""Text of a CSV file, decoded the way the spreadsheet program that saved it encoded it.

    BOM (UTF-8, UTF-16)                 -> that encoding
    many NUL bytes, no BOM              -> UTF-16 (little or big endian)
    valid UTF-8                         -> UTF-8
    otherwise                           -> Windows-1252 (latin-1 for bytes it leaves undefined)

A file pasted together from two sources may mix UTF-8 lines with Windows-1252 lines.
Decoding it whole as Windows-1252 turns every accent of the UTF-8 lines into mojibake
("café" read as "cafÃ©") without a word. So when a file is not valid UTF-8 but some of its lines
are (and hold non-ASCII text), every line is decoded on its own and the lines that were not
UTF-8 are returned, by line number, to be reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Decoded", "decode"]

MIXED = "utf-8+cp1252"
_UTF16_SAMPLE = 4000


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    foreign_lines: list[tuple[int, str]] = field(default_factory=list)  # (line number, text)


def decode(data: bytes) -> Decoded:
    """The file's text and the encoding it was read with; see the module's docstring."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _utf8_or_mixed(data[3:], "utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Decoded(data.decode("utf-16", errors="replace"), "utf-16")
    sample = data[:_UTF16_SAMPLE]
    if sample.count(b"\x00") > len(sample) // 4:  # UTF-16 without a BOM
        encoding = "utf-16-le" if sample[1:2] == b"\x00" else "utf-16-be"
        return Decoded(data.decode(encoding, errors="replace"), encoding)
    return _utf8_or_mixed(data, "utf-8")


def _utf8_or_mixed(data: bytes, utf8_name: str) -> Decoded:
    try:
        return Decoded(data.decode("utf-8"), utf8_name)
    except UnicodeDecodeError:
        pass
    lines = data.split(b"\n")
    utf8_text = False
    decoded, foreign = [], []
    for number, line in enumerate(lines, start=1):
        try:
            text = line.decode("utf-8")
            utf8_text = utf8_text or not line.isascii()
        except UnicodeDecodeError:
            text = _legacy(line)
            foreign.append((number, text.rstrip("\r")))
        decoded.append(text)
    if utf8_text:
        return Decoded("\n".join(decoded), MIXED, foreign)
    try:
        return Decoded(data.decode("cp1252"), "cp1252")
    except UnicodeDecodeError:
        return Decoded(data.decode("latin-1"), "latin-1")


def _legacy(line: bytes) -> str:
    try:
        return line.decode("cp1252")
    except UnicodeDecodeError:
        return line.decode("latin-1")
