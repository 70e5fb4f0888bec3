"""Text of a CSV file, decoded the way the spreadsheet program that saved it encoded it.

    BOM (UTF-8, UTF-16)                 -> that encoding
    NUL bytes on one side of each pair  -> UTF-16 without a BOM: little endian when they
                                           follow each character, big endian when they lead
    valid UTF-8                         -> UTF-8
    otherwise                           -> Windows-1252 (latin-1 for bytes it leaves undefined)

UTF-16 is told apart by where its NUL bytes fall, not by how many there are: every ASCII
character (the separators and line ends a CSV always has) is one NUL and one byte, the NUL
always on the same side, so even a file of Chinese or Arabic names shows it, while UTF-8 text
holds no NUL at all. A UTF-16 file that does not decode whole (an odd byte at the end, half a
surrogate pair, lines pasted in from a file of another encoding) is read with "\ufffd" for
what cannot be read, and the lines that hold it are returned to be reported
(``damaged_lines``): never replacement characters without a word. Rows of an 8-bit file
pasted into a UTF-16 one hold no NUL byte: they are read as UTF-8 (or Windows-1252) and
returned as ``foreign_lines``.

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
_UTF16_SAMPLE = 4000  # bytes looked at to tell UTF-16 without a BOM
_UTF16_MIN_NULS = 2  # NULs on one side of the pairs, at the least (a line end and a separator)
_UTF16_SIDE_RATIO = 8  # ... and this many times as many as on the other side


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    foreign_lines: list[tuple[int, str]] = field(default_factory=list)  # (line number, text)
    damaged_lines: list[tuple[int, str]] = field(default_factory=list)  # (line number, text)


def decode(data: bytes) -> Decoded:
    """The file's text and the encoding it was read with; see the module's docstring."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _utf8_or_mixed(data[3:], "utf-8-sig")
    if data.startswith(b"\xff\xfe"):
        return _utf16(data[2:], "utf-16-le", "utf-16")
    if data.startswith(b"\xfe\xff"):
        return _utf16(data[2:], "utf-16-be", "utf-16")
    if encoding := _utf16_without_bom(data[:_UTF16_SAMPLE]):
        return _utf16(data, encoding)
    return _utf8_or_mixed(data, "utf-8")


def _utf16_without_bom(sample: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when the sample's NUL bytes fall on one side of the byte
    pairs (at least ``_UTF16_MIN_NULS`` of them, ``_UTF16_SIDE_RATIO`` times as many as on
    the other side), else None."""
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    side, other = max(even, odd), min(even, odd)
    if side < max(_UTF16_MIN_NULS, len(sample) // 64) or side < _UTF16_SIDE_RATIO * other:
        return None
    return "utf-16-le" if odd > even else "utf-16-be"


def _utf16(data: bytes, encoding: str, name: str | None = None) -> Decoded:
    """``data`` decoded with ``encoding`` and recorded as ``name`` (default: the same)."""
    name = name or encoding
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        text = data.decode(encoding, errors="replace")
    lines, foreign, damaged = text.split("\n"), [], []
    for number, line in enumerate(lines, start=1):
        raw = b"" if "\ufffd" in line else line.encode(encoding, errors="surrogatepass")
        if _eight_bit_row(raw):  # a row pasted in from an 8-bit file: read it as such
            lines[number - 1] = line = _utf8_or_mixed(raw, "utf-8").text
            foreign.append((number, line.rstrip("\r\n")))
        elif "\ufffd" in line:
            damaged.append((number, line.rstrip("\r")))
    if not foreign:
        return Decoded(text, name, damaged_lines=damaged)
    return Decoded("\n".join(lines), f"{name}+8-bit", foreign, damaged)


def _eight_bit_row(raw: bytes) -> bool:
    """True when bytes read as UTF-16 are really a CSV row of an 8-bit encoding: no NUL (an
    ASCII character in UTF-16 always has one), a separator, mostly printable ASCII."""
    if not raw or b"\x00" in raw or not any(sep in raw for sep in b",;\t"):
        return False
    printable = sum(32 <= byte < 127 or byte in b"\t\r\n" for byte in raw)
    return printable * 2 >= len(raw)


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
