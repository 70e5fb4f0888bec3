"""Zips unpacked within limits checked before a byte is decompressed.

A zip is a promise about sizes: its central directory lists every member with its
compressed and uncompressed size. A reader that trusts it blindly can be made to spend
gigabytes and minutes by a "zip bomb" (a few megabytes that expand to a gigabyte) or by an
archive of 100,000 tiny members. So, for every uploaded zip:

    directory  member count (from the end record, before the directory is parsed), total
               uncompressed size and each member's compression ratio
               against ``ArchiveLimits`` -> over a limit, the whole archive is refused with
               one error that names the limit (nothing is decompressed)
    methods    only "stored" and "deflate" (what Windows, macOS and spreadsheet programs
               write), whose decompression is bounded per read; others are reported
    reading    each member streamed in chunks, never more bytes than its header declares
               nor than the budget left: a header that lies is caught by the bytes read
    names      hidden and system members (``__MACOSX/``, ``.DS_Store``) skipped with a note;
               a name that climbs out of the archive (``..\\..\\x.csv``, ``/x.csv``,
               ``C:\\x.csv``) is read by its base name, with a warning that quotes it
    nesting    a zip inside the zip is opened (one level) under the same budget; a zip
               inside that one is reported and left out

A workbook (.xlsx, .xlsm, .ods) is a zip too: ``check_package`` holds it to the same size
and member limits before the spreadsheet reader inflates it. A Parquet file compresses its
columns too: ``check_parquet`` holds the sizes its footer declares to the same ratio.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.parquet as pq

from audit.ingest.problems import ProblemLog, reason

__all__ = ["DEFAULT_LIMITS", "MIB", "ArchiveLimits", "check_package", "check_parquet", "unpack"]

MIB = 1024 * 1024
_CHUNK = MIB
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
_DRIVE = re.compile(r"^[A-Za-z]:")
_END_SIGNATURE, _ZIP64_END, _ZIP64_LOCATOR = b"PK\x05\x06", b"PK\x06\x06", b"PK\x06\x07"
_END_SEARCH = 22 + 65535  # the end record and the longest comment it may carry


@dataclass(frozen=True)
class ArchiveLimits:
    """What one uploaded zip (nested zips included) or workbook may expand to.

    The defaults leave room for a large real audit (workbooks with 200,000 posts, CSV
    files, one image per profile) while refusing a zip bomb before it costs anything.

    ``max_unzipped_mb``  total uncompressed size of every member (command line:
                         ``--max-unzipped-mb``)
    ``max_members``      number of members (``--max-zip-members``)
    ``max_ratio``        uncompressed / compressed size of one member; text compresses
                         5 to 20 times, a bomb a thousand times or more
    ``ratio_from_mb``    the ratio is checked only for members larger than this: a small
                         file of repeated text may compress very well and harms nobody
    """

    max_unzipped_mb: int = 512
    max_members: int = 2_000
    max_ratio: int = 100
    ratio_from_mb: int = 1

    @property
    def max_unzipped_bytes(self) -> int:
        return self.max_unzipped_mb * MIB


DEFAULT_LIMITS = ArchiveLimits()


class _Refused(Exception):
    """An archive over a limit: the problem is logged where it is found."""


@dataclass
class _Budget:
    """What is left to unpack for one uploaded archive and everything nested in it."""

    bytes_left: int
    members_left: int


def unpack(name: str, data: bytes, log: ProblemLog,
           limits: ArchiveLimits = DEFAULT_LIMITS) -> Iterator[tuple[str, bytes]]:
    """Each member worth reading as (``name!/member``, content), in name order.

    Problems go to ``log``: an archive over a limit yields nothing more after the error.
    """
    budget = _Budget(limits.max_unzipped_bytes, limits.max_members)
    try:
        yield from _members(name, data, log, limits, budget, nested=False)
    except _Refused:
        return


def check_parquet(name: str, data: bytes, log: ProblemLog,
                  limits: ArchiveLimits = DEFAULT_LIMITS) -> bool:
    """False (with an error) when a Parquet file's footer declares columns that expand to
    more than ``max_ratio`` times the file (a file under ``ratio_from_mb`` counting as that
    size): the shape of a bomb, refused before a column is decompressed. A large genuine
    file passes, as text compresses a few times. A footer that cannot be read is left to
    the Parquet reader to judge."""
    try:
        meta = pq.ParquetFile(pa.BufferReader(data)).metadata
    except (pa.ArrowException, OSError):
        return True
    expanded = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    ratio = expanded / max(len(data), limits.ratio_from_mb * MIB)
    if ratio > limits.max_ratio:
        log.add("error", "parquet_ratio", file=name, size=_mb(expanded),
                ratio=round(expanded / len(data)), limit=limits.max_ratio)
        return False
    return True


def check_package(name: str, data: bytes, log: ProblemLog,
                  limits: ArchiveLimits = DEFAULT_LIMITS) -> bool:
    """False (with an error) when a zip-based workbook expands beyond the size or member
    limits; a file that is not a zip is left to the spreadsheet reader to judge."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return True
    total = sum(i.file_size for i in infos)
    if total > limits.max_unzipped_bytes:
        log.add("error", "workbook_too_large", file=name, size=_mb(total),
                limit=limits.max_unzipped_mb)
        return False
    if len(infos) > limits.max_members:
        log.add("error", "zip_too_many_members", file=name, count=len(infos),
                limit=limits.max_members)
        return False
    return True


def _members(name: str, data: bytes, log: ProblemLog, limits: ArchiveLimits,
             budget: _Budget, nested: bool) -> Iterator[tuple[str, bytes]]:
    declared = _declared_members(data)
    if declared is not None and declared > budget.members_left:
        log.add("error", "zip_too_many_members", file=name, count=declared,
                limit=limits.max_members)
        raise _Refused
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        log.add("error", "file_unreadable", file=name, reason=reason(exc))
        raise _Refused from exc
    _check_directory(name, infos, log, limits, budget)
    wanted = []
    for info in sorted(infos, key=lambda i: i.filename):
        path, unsafe = _safe_path(info.filename)
        member = f"{name}!/{path}"
        if _hidden(path):
            log.add("info", "zip_member_hidden", file=member)
        elif info.compress_type not in _METHODS:
            log.add("error", "zip_member_method", file=member, method=info.compress_type)
        elif info.flag_bits & 0x1:
            log.add("error", "file_encrypted", file=member)
        else:
            if unsafe:
                log.add("warning", "zip_member_unsafe_path", file=member,
                        value=info.filename, name=path)
            wanted.append((member, info))
    if all(_hidden(_safe_path(i.filename)[0]) for i in infos):
        log.add("error", "file_empty", file=name)
        return
    for member, info in wanted:
        if member.lower().endswith(".zip"):
            if nested:
                log.add("warning", "zip_nested_too_deep", file=member)
                continue
            content = _read_member(archive, info, member, log, budget)
            if content is not None:
                yield from _members(member, content, log, limits, budget, nested=True)
            continue
        content = _read_member(archive, info, member, log, budget)
        if content is not None:
            yield member, content


def _check_directory(name: str, infos: list[zipfile.ZipInfo], log: ProblemLog,
                     limits: ArchiveLimits, budget: _Budget) -> None:
    """Refuse the archive when its directory promises more than the budget left."""
    if len(infos) > budget.members_left:
        log.add("error", "zip_too_many_members", file=name, count=len(infos),
                limit=limits.max_members)
        raise _Refused
    budget.members_left -= len(infos)
    total = sum(i.file_size for i in infos)
    if total > budget.bytes_left:
        log.add("error", "zip_too_large", file=name, size=_mb(total),
                limit=limits.max_unzipped_mb)
        raise _Refused
    for info in infos:
        if info.file_size > limits.ratio_from_mb * MIB and \
                info.file_size > limits.max_ratio * max(info.compress_size, 1):
            log.add("error", "zip_ratio", file=name, member=info.filename,
                    ratio=info.file_size // max(info.compress_size, 1), limit=limits.max_ratio)
            raise _Refused


def _declared_members(data: bytes) -> int | None:
    """The member count the archive's end record declares, read before its directory is
    parsed (parsing 100,000 entries alone takes seconds); None when it cannot be found,
    and the directory check then counts the entries."""
    end = data.rfind(_END_SIGNATURE, max(0, len(data) - _END_SEARCH))
    if end < 0 or end + 22 > len(data):
        return None
    count = struct.unpack_from("<H", data, end + 10)[0]
    locator = end - 20  # a zip64 archive keeps the real count in its own end record
    if count == 0xFFFF and locator >= 0 and data.startswith(_ZIP64_LOCATOR, locator):
        record = struct.unpack_from("<Q", data, locator + 8)[0]
        if data.startswith(_ZIP64_END, record) and record + 40 <= len(data):
            return struct.unpack_from("<Q", data, record + 32)[0]
    return count


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, member: str,
                 log: ProblemLog, budget: _Budget) -> bytes | None:
    """The member's bytes, read in chunks and never beyond what its header declares."""
    cap = min(info.file_size, budget.bytes_left)
    chunks, read = [], 0
    try:
        with archive.open(info) as stream:
            while read <= cap:
                chunk = stream.read(min(_CHUNK, cap + 1 - read))
                if not chunk:
                    break
                chunks.append(chunk)
                read += len(chunk)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error,
            NotImplementedError, RuntimeError) as exc:
        log.add("error", "file_unreadable", file=member, reason=reason(exc))
        return None
    if read > cap:
        log.add("error", "zip_member_size_mismatch", file=member, declared=info.file_size)
        raise _Refused
    budget.bytes_left -= read
    return b"".join(chunks)


def _safe_path(filename: str) -> tuple[str, bool]:
    """The member's path with '/' separators, or its base name when the path would leave
    the archive's folder (parent steps, a root, a drive letter); True in that case."""
    path = filename.replace("\\", "/")
    parts = path.split("/")
    unsafe = path.startswith("/") or ".." in parts or bool(_DRIVE.match(path))
    return (parts[-1] if unsafe else path), unsafe


def _hidden(path: str) -> bool:
    """Files that archivers and operating systems add, never the auditor's data."""
    return path.startswith("__MACOSX/") or path.rsplit("/", 1)[-1].startswith(".")


def _mb(size: int) -> str:
    return f"{size / MIB:.0f}"
