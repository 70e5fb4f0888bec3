"""What a file named as a workbook really holds, told from its first bytes.

Spreadsheet readers answer "cannot detect file format" for two files auditors meet often,
and that sentence helps nobody:

    web page   information systems export an HTML table and call it ``.xls`` (Excel opens
               it with a warning); a "single file web page" (MHTML) is the same story
    encrypted  a workbook protected with a password to open is an OLE compound file
               (magic bytes D0 CF 11 E0 A1 B1 1A E1) holding an ``EncryptedPackage`` stream

Telling them apart lets the problem say what the file is and what to do with it.
"""

from __future__ import annotations

__all__ = ["ENCRYPTED", "HTML", "sniff_workbook"]

HTML, ENCRYPTED = "html", "encrypted"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Stream names in an OLE directory are UTF-16LE.
_ENCRYPTED_STREAMS = ("EncryptedPackage".encode("utf-16-le"),)
_HTML_STARTS = (b"<!doctype html", b"<html", b"<table", b"<head", b"<body", b"<meta",
                b"mime-version:")
_SNIFF_BYTES = 2048


def sniff_workbook(data: bytes) -> str | None:
    """``HTML`` or ``ENCRYPTED`` when the bytes show it, else None (a real workbook, or
    something the spreadsheet reader will judge)."""
    if data.startswith(_OLE_MAGIC):
        return ENCRYPTED if any(s in data for s in _ENCRYPTED_STREAMS) else None
    head = data[:_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml"):
        head = head.split(b"?>", 1)[-1].lstrip()
    return HTML if head.startswith(_HTML_STARTS) else None
