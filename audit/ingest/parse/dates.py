"""Dates and times in any form seen in exports and hand-made sheets, as UTC.

Dates are mostly distinct, so they go through vectorised passes (pandas' ISO 8601 parser,
pyarrow regular expressions, numpy calendar arithmetic) and only the few leftovers are
parsed one by one in Python.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from audit.ingest.parse.cells import (
    DATE,
    DATETIME,
    NUMBER,
    STR,
    Cells,
    Parsed,
    arrow,
    fold,
    matches,
    per_distinct,
    row_mask,
    sort_cells,
)

# Dates outside this range are typos ("0202", "20266") or placeholders ("1899-12-30",
# "9999-12-31"); refusing them also keeps every value inside what time zone conversion
# supports.
_YEAR_MIN, _YEAR_MAX = 1900, 2199
_UTC_MIN = np.datetime64(f"{_YEAR_MIN}-01-01", "us")
_UTC_MAX = np.datetime64(f"{_YEAR_MAX + 1}-01-01", "us")
_NAT = np.datetime64("NaT", "us")

# Zone abbreviations as fixed offsets in hours. The US ones are what 4CAT and CrowdTangle
# write; CST is US Central (not China, not Cuba); ECT is Ecuador (not Eastern Caribbean).
_ZONE_HOURS = {
    "UTC": 0, "GMT": 0, "Z": 0, "UT": 0,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "CET": 1, "CEST": 2, "WET": 0, "WEST": 1,
    "ART": -3, "COT": -5, "PET": -5, "CLT": -4, "CLST": -3, "BRT": -3, "VET": -4,
    "BOT": -4, "ECT": -5, "UYT": -3,
}
_ZONE_OFFSETS = {
    zone: f"{'-' if hours < 0 else '+'}{abs(hours):02d}:00" for zone, hours in _ZONE_HOURS.items()
}

# Regular expressions run by pyarrow (RE2) are kept simple: RE2 is fast on one-pass
# patterns and slow on many optional groups.
# ISO dates, optionally with a time and a numeric offset; strings ending with a zone
# abbreviation ("... EST") are left to _zone_pass rather than failing pandas' parser.
_ISO = r"^\d{4}-\d{2}-\d{2}(?:[T ][\d:.,+\- ]*Z?)?$"
# A zone after the time ("-23" at the end of a bare date is the day, not an offset).
_ISO_WITH_ZONE = r"^\d{4}-\d{2}-\d{2}[T ].*(?:Z|[+-]\d{2}(?::?\d{2})?)$"
# Numeric day/month/year, then anything not starting with a digit.
_DMY = r"^(?P<a>\d\d?)[/.-](?P<b>\d\d?)[/.-](?P<y>\d\d(?:\d\d)?)(?P<rest>\D.*|)$"
# The rest that the vectorised pass reads: nothing, or a time with optional AM/PM.
_DMY_TIME = r"^(?:(?:T|,?\s+)\d\d?:\d\d(?::\d\d)?(?:\s?[AaPp]\.?\s?[Mm]\.?)?)?$"
_NUMERIC = r"^\d{1,15}(?:\.\d{1,9})?$"  # longer digit runs are no date of any kind
_ZONE_SUFFIX = r"^(?P<body>.*\d)\s*(?P<zone>[A-Za-z]{1,4})$"
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
              "Dec")
_TWITTER_V1 = (
    r"^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?P<mon>[A-Z][a-z]{2}) (?P<d>\d\d) "
    r"(?P<H>\d\d):(?P<M>\d\d):(?P<S>\d\d) (?P<sign>[+-])(?P<oh>\d\d)(?P<om>\d\d) (?P<y>\d{4})$"
)


def _two_digit_year(year, digits):
    """Two-digit years as POSIX strptime reads them: 69-99 -> 19xx, 00-68 -> 20xx."""
    short = digits == 2
    return np.where(short & (year >= 69), year + 1900, np.where(short, year + 2000, year))


_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def _compose(year, month, day, hour=0, minute=0, second=0, micro=0) -> np.ndarray:
    """Build datetime64[us] from integer arrays; NaT where the parts make no date.

    Works by calendar arithmetic in integers (the days of each month, leap years), which
    rejects 31/02 (unlike strptime-style parsers that roll it over into March); the day
    count since 1970 is the proleptic Gregorian one ("days from civil").
    """
    year, month, day, hour, minute, second, micro = np.broadcast_arrays(
        *(np.asarray(x, dtype=np.int64) for x in (year, month, day, hour, minute, second,
                                                   micro))
    )
    ok = ((year >= _YEAR_MIN) & (year <= _YEAR_MAX) & (month >= 1) & (month <= 12)
          & (hour >= 0) & (hour <= 23) & (minute >= 0) & (minute <= 59)
          & (second >= 0) & (second <= 59) & (micro >= 0) & (micro <= 999_999))
    month = np.where(ok, month, 1)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    ok &= (day >= 1) & (day <= _MONTH_DAYS[month] + (leap & (month == 2)))
    # Years counted from March, so that the leap day ends the year.
    shifted = year - (month <= 2)
    era = shifted // 400
    of_era = shifted - era * 400
    of_year = (153 * np.where(month > 2, month - 3, month + 9) + 2) // 5 + day - 1
    days = era * 146_097 + of_era * 365 + of_era // 4 - of_era // 100 + of_year - 719_468
    clock = ((days * 24 + hour) * 60 + minute) * 60 + second
    result = (clock * 1_000_000 + micro).astype("datetime64[us]")
    return np.where(ok, result, _NAT)


def _as_utc_wall(parsed: pd.Series | pd.DatetimeIndex) -> np.ndarray:
    """datetime64[us] of pandas datetimes: aware ones in UTC, naive ones as written."""
    index = pd.DatetimeIndex(parsed)
    if index.tz is not None:
        index = index.tz_convert("UTC").tz_localize(None)
    return index.as_unit("us").to_numpy()


class _DateColumn:
    """Collects a column's datetimes as they are parsed, pass after pass.

    ``wall`` holds naive datetime64[us]; ``local`` marks those written without a zone,
    which are wall-clock times in ``assume_tz`` and are converted to UTC at the end, in
    one vectorised call.
    """

    def __init__(self, n: int):
        self.wall = np.full(n, _NAT)
        self.local = np.zeros(n, dtype=bool)

    def put(self, positions: np.ndarray, values: np.ndarray, local: bool | np.ndarray):
        self.wall[positions] = values
        self.local[positions] = local

    def put_numbers(self, positions: np.ndarray, numbers: np.ndarray):
        """Excel serials (20000-80000, local) and Unix epochs in s or ms (UTC)."""
        with np.errstate(invalid="ignore", over="ignore"):
            serial = (numbers >= 20_000) & (numbers <= 80_000)
            seconds = (numbers >= 1e8) & (numbers < 1e10)
            millis = (numbers >= 1e11) & (numbers < 1e13)
            # Excel's 1900 system counts days from 1899-12-30 (its fake 1900-02-29 is
            # before 20000); times are fractions of a day, rounded to the millisecond
            # Excel shows to undo float error (14:05 is 0.58680555...).
            micros = np.select(
                [serial, seconds, millis],
                [np.round(numbers * 86_400_000) * 1000 - 2_209_161_600_000_000,
                 np.round(numbers * 1_000_000), np.round(numbers * 1000)],
                0,
            ).astype(np.int64)
        values = np.where(serial | seconds | millis, micros.astype("datetime64[us]"), _NAT)
        self.put(positions, values, serial)


def _check_zone(assume_tz: str) -> str:
    try:
        zoneinfo.ZoneInfo(assume_tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError) as error:
        raise ValueError(f"unknown time zone {assume_tz!r}: use an IANA name") from error
    return assume_tz



def _extract(text: pd.Series, pattern: str) -> tuple[pa.StructArray, np.ndarray]:
    """Named groups of the rows that match, and which rows those are."""
    match = pc.extract_regex(arrow(text), pattern)
    found = match.is_valid().to_numpy(zero_copy_only=False).astype(bool)
    if not found.all():  # filtering costs time: skip it in the usual all-match case
        match = match.filter(pa.array(found))
    return match, found


def _field(struct: pa.StructArray, name: str) -> np.ndarray:
    """An all-digit field of a regex match as int64 ("" -> 0)."""
    column = struct.field(name)
    column = pc.if_else(pc.equal(column, ""), "0", column)
    return pc.cast(column, pa.int64()).to_numpy(zero_copy_only=False)


def _to_datetime(text: pd.Series, utc: bool) -> np.ndarray:
    """pandas' ISO 8601 parser, tolerant: whatever it refuses is left to later passes."""
    try:
        parsed = pd.to_datetime(text, format="ISO8601", errors="coerce", utc=utc)
        return _as_utc_wall(parsed)
    except (ValueError, TypeError, OverflowError, pd.errors.OutOfBoundsDatetime):
        return np.full(len(text), _NAT)


def _leftovers(text: pd.Series, column: _DateColumn) -> pd.Series:
    return text[np.isnat(column.wall[text.index.to_numpy()])]


# The ISO 8601 layouts exports write most, by length in bytes, and whether a "Z" (UTC)
# closes them; where each part's digits are, and which bytes may separate them (the time
# follows the date after a "T" or a space). A layout holds the parts that fit in it.
_FIXED_LAYOUTS = {10: False, 16: False, 19: False, 20: True}
_FIXED_PARTS = {"year": (0, 4), "month": (5, 2), "day": (8, 2), "hour": (11, 2),
                "minute": (14, 2), "second": (17, 2)}
_FIXED_SEPARATORS = {4: b"-", 7: b"-", 10: b"T ", 13: b":", 16: b":"}


def _fixed_pass(text: pd.Series, column: _DateColumn, utc_is_local: bool) -> pd.Series:
    """"2026-02-28T20:30:48Z", "2026-02-28 20:30:48", "2026-02-28 20:30", "2026-02-28":
    read from the column's bytes with numpy; returns the leftovers.

    A million posts' dates cost pandas' ISO parser (and the regex that picks its
    candidates) some 0.4 s; these layouts are nearly all of them. A cell of another
    layout, or of one of these that names no real moment (30 February, hour 24, a year
    outside 1900-2199), is left to ``_iso_pass`` as before, so its value is pandas'."""
    strings = arrow(text)
    if not len(strings) or strings.type not in (pa.string(), pa.large_string()):
        return text
    _, offsets, data = strings.buffers()
    if data is None or not data.size:
        return text
    wide = np.int64 if strings.type == pa.large_string() else np.int32
    offsets = np.frombuffer(offsets, dtype=wide)[strings.offset:strings.offset + len(strings) + 1]
    data = np.frombuffer(data, dtype=np.uint8)
    length = np.diff(offsets)
    positions = text.index.to_numpy()
    for width, zulu in _FIXED_LAYOUTS.items():
        rows = np.flatnonzero(length == width)
        if not len(rows):
            continue
        cells = _cell_bytes(data, offsets[:-1][rows], width)
        digits = cells - np.uint8(ord("0"))  # a byte that is no digit comes out above 9
        ok = np.ones(len(rows), dtype=bool)
        for at, allowed in _FIXED_SEPARATORS.items():
            if at < width - zulu:
                ok &= (cells[at] == allowed[0]) | (cells[at] == allowed[-1])
        if zulu:
            ok &= cells[-1] == ord("Z")
        parts = {}
        for name, (at, count) in _FIXED_PARTS.items():
            if at + count <= width - zulu:
                value = np.zeros(len(rows), dtype=np.int64)
                for k in range(at, at + count):
                    ok &= digits[k] <= 9
                    value = value * 10 + digits[k]
                parts[name] = value
        values = _compose(**parts)
        ok &= ~np.isnat(values)
        column.put(positions[rows[ok]], values[ok], not (zulu or utc_is_local))
    return _leftovers(text, column)


def _cell_bytes(data: np.ndarray, start: np.ndarray, width: int) -> np.ndarray:
    """The ``width`` bytes of each cell starting at ``start``: row k holds every cell's
    k-th byte, contiguous. Cells that follow each other in the buffer (a column of dates
    all of one layout) are one block of it, turned; others are gathered byte by byte."""
    if len(start) and start[-1] - start[0] == width * (len(start) - 1) and (
            np.diff(start) == width).all():
        block = data[start[0]:start[0] + width * len(start)].reshape(len(start), width)
        return np.ascontiguousarray(block.T)
    cells = np.empty((width, len(start)), dtype=np.uint8)
    for k in range(width):
        cells[k] = data[start + k]
    return cells


def _iso_pass(text: pd.Series, column: _DateColumn, utc_is_local: bool) -> pd.Series:
    """ISO 8601 (and Graph API's "+0000") via pandas' fast parser; returns the leftovers."""
    candidate = text[matches(text, _ISO)]
    if not len(candidate):
        return text
    if utc_is_local:  # naive values are UTC anyway: one call reads everything
        column.put(candidate.index.to_numpy(), _to_datetime(candidate, utc=True), False)
    else:
        zoned = matches(candidate, _ISO_WITH_ZONE)
        for part, local in ((candidate[zoned], False), (candidate[~zoned], True)):
            if len(part):
                column.put(part.index.to_numpy(), _to_datetime(part, utc=not local), local)
    return _leftovers(text, column)


def _dmy_pass(text: pd.Series, column: _DateColumn) -> tuple[pd.Series, bool]:
    """Numeric dates "23/11/2026 14:05", "23-11-26", "11/23/2026 2:05 PM".

    Day first unless, in this column, some value has a second part over 12 and none has
    a first part over 12: then the column came from a US export and is read month first.
    Every numeric date counts for that decision, including those left to the one-by-one
    pass (with seconds' fractions or offsets). Returns the leftovers and the decision.
    """
    if not len(text):
        return text, False
    match, found = _extract(text, _DMY)
    if not found.any():
        return text, False
    first, second, year = _field(match, "a"), _field(match, "b"), _field(match, "y")
    month_first = bool((second > 12).any() and not (first > 12).any())
    day, month = (second, first) if month_first else (first, second)
    year = _two_digit_year(year, pc.utf8_length(match.field("y")).to_numpy())

    # The time, when written plainly (else the row is left to the one-by-one pass):
    # drop the colons and trim separators and AM/PM letters, leaving "HHMM" or "HHMMSS".
    rest = match.field("rest")
    plain = pc.match_substring_regex(rest, _DMY_TIME).to_numpy(zero_copy_only=False)
    digits = pc.utf8_trim(pc.replace_substring(rest, ":", ""), " \t,.TAPMapm")
    width = pc.utf8_length(digits).to_numpy()
    digits = pc.if_else(pc.and_(pa.array(plain), pc.not_equal(digits, "")), digits, "0")
    clock = pc.cast(digits, pa.int64()).to_numpy(zero_copy_only=False)
    with_seconds = width >= 5
    hour = np.where(with_seconds, clock // 10_000, clock // 100)
    minute = np.where(with_seconds, clock // 100 % 100, clock % 100)
    second_ = np.where(with_seconds, clock % 100, 0)
    pm = pc.match_substring(rest, "p", ignore_case=True).to_numpy(zero_copy_only=False)
    am = pc.match_substring(rest, "a", ignore_case=True).to_numpy(zero_copy_only=False)
    bad_clock = (am | pm) & ((hour < 1) | (hour > 12))
    hour = np.where(pm & (hour < 12), hour + 12, np.where(am & (hour == 12), 0, hour))

    values = _compose(year, month, day, np.where(bad_clock, -1, hour), minute, second_)
    positions = text.index.to_numpy()[found]
    column.put(positions[plain], values[plain], True)
    return _leftovers(text, column), month_first


def _numeric_text_pass(text: pd.Series, column: _DateColumn) -> pd.Series:
    """Serials and epochs written as text ("45619", "1700000000000")."""
    numeric = matches(text, _NUMERIC)
    if numeric.any():
        values = pc.cast(arrow(text[numeric]), pa.float64()).to_numpy(zero_copy_only=False)
        column.put_numbers(text.index.to_numpy()[numeric], values)
    return text[~numeric]


def _twitter_pass(text: pd.Series, column: _DateColumn) -> pd.Series:
    """Twitter API v1 "Wed Oct 10 20:19:24 +0000 2018", as twarc and old exports write it."""
    match, found = _extract(text, _TWITTER_V1)
    if not found.any():
        return text
    month = pc.index_in(match.field("mon"), value_set=pa.array(_MONTHS_EN)).to_numpy(
        zero_copy_only=False) + 1
    fields = {name: _field(match, name) for name in ("y", "d", "H", "M", "S", "oh", "om")}
    sign = np.where(pc.equal(match.field("sign"), "-").to_numpy(zero_copy_only=False), -1, 1)
    offset = (sign * (fields["oh"] * 60 + fields["om"])).astype("timedelta64[m]")
    wall = _compose(fields["y"], month, fields["d"], fields["H"], fields["M"], fields["S"])
    column.put(text.index.to_numpy()[found], wall - offset, False)
    return _leftovers(text, column)


def _zone_pass(text: pd.Series, column: _DateColumn) -> pd.Series:
    """"2023-11-13 04:30:36 EST" (4CAT, CrowdTangle): abbreviation -> offset, then ISO."""
    match, found = _extract(text, _ZONE_SUFFIX)
    if not found.any():
        return text
    zone_codes, zones = pd.factorize(pd.Series(pc.utf8_upper(match.field("zone")), dtype=STR))
    body = match.field("body")
    offsets = pa.array([_ZONE_OFFSETS.get(z) for z in zones] + [None], body.type)
    offset = offsets.take(pa.array(zone_codes % (len(zones) + 1)))  # code -1 -> None
    known = offset.is_valid().to_numpy(zero_copy_only=False).astype(bool)
    rewritten = pc.binary_join_element_wise(body, offset, pa.scalar("", body.type))
    rewritten = pd.Series(rewritten, index=text.index[found], dtype=STR)[known]
    _iso_pass(rewritten, column, utc_is_local=False)
    return _leftovers(text, column)


# --- Per-value parsing of the leftovers -------------------------------------------------

_MONTHS = {
    **{m: i for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)},
    **{m: i for i, m in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"), 1)},
    **{m: i for i, m in enumerate(
        ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"), 1)},
    **{m: i for i, m in enumerate(
        ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
         "septiembre", "octubre", "noviembre", "diciembre"), 1)},
    "sept": 9, "set": 9, "setiembre": 9,  # "setiembre" in Peru and Uruguay
}
# Weekdays are skipped. Spanish "mar" (martes) is left out: it is also March.
_WEEKDAYS = {
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "monday",
    "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "lun", "mie", "jue",
    "vie", "sab", "dom", "lunes", "martes", "miercoles", "jueves", "viernes", "sabado",
    "domingo",
}
_FILLER = {"de", "del", "el", "la", "las", "a", "at", "on", "the", "of", "h", "hs", "hrs",
           "horas", "hora"}

_TIME_RE = re.compile(
    r"(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<f>\d{1,6})\d*)?)?"
    r"\s*(?:(?P<ampm>[ap])\.?\s?m\b\.?)?"
    r"(?:\s*(?:utc|gmt)?\s*(?P<sign>[+-])(?P<oh>\d{2}):?(?P<om>\d{2}))?",
    re.ASCII | re.IGNORECASE,
)
_DMY_RE = re.compile(
    r"(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<y>\d{4}|\d{2})(?P<rest>\D.*)?", re.ASCII)
_YMD_RE = re.compile(r"(?P<y>\d{4})[/.](?P<m>\d{1,2})[/.](?P<d>\d{1,2})(?P<rest>\D.*)?",
                     re.ASCII)
_ZONE_WORD_RE = re.compile(r"(?:utc|gmt)(?P<sign>[+-])(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?",
                           re.ASCII)


def _time_of_day(text: str) -> tuple[dt.time, dt.tzinfo | None] | None:
    """Clock time and zone written after a date ("14:05", " 2:05 p. m.", "T14:05Z");
    midnight without zone when there is nothing; None when unreadable."""
    text = text.strip().removeprefix(",").removeprefix("T").strip()
    if not text:
        return dt.time(), None
    match = _TIME_RE.match(text)
    clock = _clock(match) if match else None
    if clock is None:
        return None
    tail = text[match.end():].strip()
    if match["sign"]:
        zone = _offset(match["sign"], match["oh"], match["om"])
        return (clock, zone) if zone is not None and not tail else None
    if not tail:
        return clock, None
    zone = _zone_word(tail)
    return (clock, zone) if zone is not None else None


def _offset(sign: str, hours: str, minutes: str | None) -> dt.timezone | None:
    """A UTC offset; None beyond the ±14 h that real zones use."""
    delta = dt.timedelta(hours=int(hours), minutes=int(minutes or 0))
    if delta > dt.timedelta(hours=14):
        return None
    return dt.timezone(-delta if sign == "-" else delta)


def _zone_word(word: str) -> dt.timezone | None:
    """A zone abbreviation ("EST"), or "UTC-5" / "GMT+01:00"."""
    word = word.lower()
    if word.upper() in _ZONE_HOURS:
        return dt.timezone(dt.timedelta(hours=_ZONE_HOURS[word.upper()]))
    match = _ZONE_WORD_RE.fullmatch(word)
    return _offset(match["sign"], match["h"], match["m"]) if match else None


def _clock(match: re.Match) -> dt.time | None:
    hour, minute = int(match["h"]), int(match["m"])
    second = int(match["s"] or 0)
    micro = int((match["f"] or "0").ljust(6, "0"))
    if match["ampm"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["ampm"].lower() == "p" else 0)
    try:
        return dt.time(hour, minute, second, micro)
    except ValueError:
        return None


def _combine(year: int, month: int, day: int, rest: str | None) -> dt.datetime | None:
    clock = _time_of_day(rest or "")
    if clock is None:
        return None
    time_, zone = clock
    try:
        return dt.datetime.combine(dt.date(year, month, day), time_, tzinfo=zone)
    except ValueError:
        return None


def _words_date(text: str) -> dt.datetime | None:
    """Dates with month names, in English or Spanish, in any order people write them.

    "Jan 6, 2024", "Tue, Jul 14, 2026", "6 de enero de 2024", "06-ene-2024",
    "6 ene. 2024 14:05", Twitter v1 "Wed Oct 10 20:19:24 +0000 2018".
    """
    text = fold(text)
    clock: tuple[dt.time, dt.timezone | None] | None = None
    time_match = _TIME_RE.search(text)
    if time_match:
        time_ = _clock(time_match)
        if time_ is None:
            return None
        zone = _offset(time_match["sign"], time_match["oh"], time_match["om"]) if (
            time_match["sign"]) else None
        clock = (time_, zone)
        text = text[: time_match.start()] + " " + text[time_match.end():]
    month = zone_word = None
    numbers: list[str] = []
    for token in re.findall(r"(?:utc|gmt)[+-]\d{1,2}(?::?\d{2})?|[a-z]+|\d+", text, re.ASCII):
        if token.isdigit():
            numbers.append(token)
        elif token in _MONTHS and month is None:
            month = _MONTHS[token]
        elif token in _WEEKDAYS or token in _FILLER:
            continue
        elif zone_word is None and _zone_word(token) is not None:
            zone_word = _zone_word(token)
        else:
            return None
    if month is None or len(numbers) != 2:
        return None
    long_years = [x for x in numbers if len(x) == 4]
    if len(long_years) == 1:
        year = int(long_years[0])
        day_text = numbers[1] if numbers[0] == long_years[0] else numbers[0]
    elif not long_years and all(len(x) <= 2 for x in numbers):
        day_text, year = numbers[0], int(_two_digit_year(int(numbers[1]), 2))
    else:
        return None
    if len(day_text) > 2:
        return None
    time_, zone = clock if clock else (dt.time(), None)
    if zone is not None and zone_word is not None:
        return None
    try:
        return dt.datetime.combine(dt.date(year, month, int(day_text)), time_,
                                   tzinfo=zone or zone_word)
    except ValueError:
        return None


@lru_cache(maxsize=65536)
def _date_from_text(text: str, month_first: bool) -> tuple[np.datetime64, bool]:
    """(datetime64[us], written without zone) for one string; NaT when unreadable.

    Handles what the vectorised passes leave: ISO forms pandas refuses, numeric dates
    with offsets or fractions, year-first with slashes, and dates with month names.
    """
    parsed: dt.datetime | None = None
    if match := _DMY_RE.fullmatch(text):
        a, b = int(match["a"]), int(match["b"])
        day, month = (b, a) if month_first else (a, b)
        year = int(_two_digit_year(int(match["y"]), len(match["y"])))
        parsed = _combine(year, month, day, match["rest"])
    elif match := _YMD_RE.fullmatch(text):
        parsed = _combine(int(match["y"]), int(match["m"]), int(match["d"]), match["rest"])
    elif re.match(r"\d{4}-\d{2}-\d{2}", text, re.ASCII):
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            parts = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(\D.*)?", text, re.ASCII)
            if parts:
                parsed = _combine(int(parts[1]), int(parts[2]), int(parts[3]), parts[4])
    else:
        parsed = _words_date(text)
    if parsed is None:
        return _NAT, False
    local = parsed.tzinfo is None
    if not local:
        try:
            parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
        except (OverflowError, ValueError):
            return _NAT, False
    return np.datetime64(parsed, "us"), local


def _one_by_one_pass(text: pd.Series, column: _DateColumn, month_first: bool) -> None:
    if not len(text):
        return
    codes, results = per_distinct(text, lambda t: _date_from_text(t, month_first))
    values = np.array([r[0] for r in results], dtype="datetime64[us]")[codes]
    local = np.array([r[1] for r in results], dtype=bool)[codes]
    column.put(text.index.to_numpy(), values, local)


def _objects_pass(cells: Cells, column: _DateColumn) -> None:
    """Python datetime and date objects, as Excel readers return them."""
    for kind in (DATETIME, DATE):
        positions = np.flatnonzero(cells.is_(kind))
        objects = cells.objects_of(kind)
        if not len(positions):
            continue
        if kind == DATE:
            days = np.array([np.datetime64(v, "D") for v in objects], dtype="datetime64[D]")
            column.put(positions, days.astype("datetime64[us]"), True)
            continue
        aware = np.array([getattr(v, "tzinfo", None) is not None for v in objects], dtype=bool)
        for part, local in ((~aware, True), (aware, False)):
            if part.any():
                parsed = pd.to_datetime(list(objects[part]), errors="coerce", utc=not local)
                column.put(positions[part], _as_utc_wall(parsed), local)


def _localize(wall: np.ndarray, assume_tz: str) -> np.ndarray:
    """Wall-clock times in ``assume_tz`` to UTC.

    In the hour repeated when clocks go back, the first (summer time) reading is taken;
    in the hour skipped when they go forward, the time moves forward to a real one.
    """
    index = pd.DatetimeIndex(wall).tz_localize(
        assume_tz, ambiguous=np.ones(len(wall), dtype=bool), nonexistent="shift_forward")
    return _as_utc_wall(index)


def parse_datetimes(raw: pd.Series, assume_tz: str = "UTC") -> Parsed:
    """Dates and times in any form seen in exports and hand-made sheets, as UTC.

    Values written without a zone are wall-clock times in ``assume_tz`` (an IANA name);
    values with an offset or a zone abbreviation keep it. Epoch numbers are UTC; Excel
    serial numbers and date cells are wall-clock. A time of day alone is invalid: it
    names no day. Dates outside 1900-2199 are invalid (typos or placeholders).
    ``note`` is "month_first" when numeric dates were read month first (see _dmy_pass).
    """
    assume_tz = _check_zone(assume_tz)
    month_first = False
    if isinstance(raw.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(raw):
        values = pd.DatetimeIndex(raw)
        local = values.tz is None
        column = _DateColumn(len(raw))
        column.put(np.arange(len(raw)), _as_utc_wall(values), local)
        blank = np.isnat(column.wall)
    else:
        cells = sort_cells(raw)
        blank = cells.blank
        column = _DateColumn(len(blank))
        numbers = np.flatnonzero(cells.is_(NUMBER))
        column.put_numbers(numbers, cells.number[numbers])
        _objects_pass(cells, column)
        text = cells.text.dropna()
        if len(text):
            utc_is_local = assume_tz == "UTC"
            text = _fixed_pass(text, column, utc_is_local)
            if len(text):
                text = _iso_pass(text, column, utc_is_local)
            text, month_first = _dmy_pass(text, column)
            text = _numeric_text_pass(text, column)
            if len(text):
                text = _twitter_pass(text, column)
            if len(text):
                text = _zone_pass(text, column)
            _one_by_one_pass(text, column, month_first)
    wall, local = column.wall, column.local & ~np.isnat(column.wall)
    if assume_tz != "UTC" and local.any():
        in_range = local & (wall >= _UTC_MIN) & (wall < _UTC_MAX)
        wall[local & ~in_range] = _NAT
        wall[in_range] = _localize(wall[in_range], assume_tz)
    wall[(wall < _UTC_MIN) | (wall >= _UTC_MAX)] = _NAT  # NaT compares False: unchanged
    values = pd.Series(wall, index=raw.index).dt.tz_localize("UTC")
    invalid = ~blank & np.isnat(wall)
    return Parsed(values, row_mask(invalid, raw.index), "month_first" if month_first else None)
