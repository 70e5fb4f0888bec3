"""What a file named as a workbook really holds, told from its first bytes.

Spreadsheet readers answer "cannot detect file format" for two files auditors meet often,
and that sentence helps nobody:

    web page   information systems export an HTML table and call it ``.xls`` (Excel opens
               it with a warning); a "single file web page" (MHTML) is the same story
    encrypted  a workbook protected with a password to open is an OLE compound file
               (magic bytes D0 CF 11 E0 A1 B1 1A E1) holding an ``EncryptedPackage`` stream

    text       a CSV or text file renamed ``.xls`` (or saved as "Excel" by a program that
               writes text): no workbook signature (zip, OLE) and text that decodes cleanly

Telling them apart lets the problem say what the file is and what to do with it.
"""

from __future__ import annotations

from audit.ingest.encoding import decode

__all__ = ["ENCRYPTED", "HTML", "TEXT", "sniff_workbook"]

HTML, ENCRYPTED, TEXT = "html", "encrypted", "text"
_ZIP_MAGIC = b"PK\x03\x04"  # .xlsx .xlsm .ods
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Stream names in an OLE directory are UTF-16LE.
_ENCRYPTED_STREAMS = ("EncryptedPackage".encode("utf-16-le"),)
_HTML_STARTS = (b"<!doctype html", b"<html", b"<table", b"<head", b"<body", b"<meta",
                b"mime-version:")
_SNIFF_BYTES = 2048


def sniff_workbook(data: bytes) -> str | None:
    """``HTML``, ``ENCRYPTED`` or ``TEXT`` when the bytes show it, else None (a real
    workbook, or something the spreadsheet reader will judge)."""
    if data.startswith(_OLE_MAGIC):
        return ENCRYPTED if any(s in data for s in _ENCRYPTED_STREAMS) else None
    head = data[:_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml"):
        head = head.split(b"?>", 1)[-1].lstrip()
    if head.startswith(_HTML_STARTS):
        return HTML
    return TEXT if not data.startswith(_ZIP_MAGIC) and _is_text(data[:_SNIFF_BYTES]) else None


def _is_text(head: bytes) -> bool:
    """True when the first bytes decode (in any encoding ``decode`` knows) to printable text
    with line ends or separators: what no binary workbook starts with."""
    decoded = decode(head)
    text = decoded.text.rstrip("\ufffd")  # the sample may cut a character in two
    return (bool(text.strip()) and not decoded.damaged_lines[:-1]
            and all(c.isprintable() or c in "\t\r\n" for c in text))
