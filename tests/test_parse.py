"""Tests of the value parsers: the forms real files contain, and robustness to anything.

Table-driven tests pin the reading of each real-world form; property-based tests feed
columns of arbitrary mixed cells (what python-calamine returns from a messy workbook) and
check the invariants every parser promises: it never raises, its outputs keep the input's
index, blank cells are NA and not invalid, and non-blank cells are either read or invalid.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.ingest import parse
from audit.ingest.contract import INTERACTION_KINDS, NETWORKS, POST_FORMATS, SECTORS
from audit.ingest.parse.dates import _date_from_text

UTC = dt.UTC
BOGOTA = "America/Bogota"


def one(parser, cell, **kwargs):
    """Parse a single cell in an object column, as it comes from Excel."""
    return parser(pd.Series([cell], dtype=object), **kwargs)


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


# --------------------------------------------------------------------------------------
# Blanks
# --------------------------------------------------------------------------------------

BLANKS = [None, float("nan"), pd.NA, pd.NaT, np.nan, "", "   ", "\u00a0", "\u200b", "-", "—",
          "–", "N/A", "n/a", "NA", "null", "None", "nan", "#N/A", " - ", "NULL"]
NOT_BLANKS = ["0", 0, 0.0, False, "x", "--x", "nada", "N/A.", dt.date(2026, 1, 1), b""]


@pytest.mark.parametrize("cell", BLANKS)
def test_blank_cells(cell):
    assert parse.is_blank(pd.Series([cell], dtype=object)).tolist() == [True]


@pytest.mark.parametrize("cell", NOT_BLANKS)
def test_cells_that_are_not_blank(cell):
    assert parse.is_blank(pd.Series([cell], dtype=object)).tolist() == [False]


def test_is_blank_on_csv_strings_keeps_index():
    raw = pd.Series(["a", "", " - ", None, "N/A"], index=[5, 3, 9, 1, 0], dtype="str")
    blank = parse.is_blank(raw)
    assert blank.index.equals(raw.index)
    assert blank.tolist() == [False, True, True, True, True]


# --------------------------------------------------------------------------------------
# Dates and times
# --------------------------------------------------------------------------------------

DATES = [
    # ISO 8601, with and without zone
    ("2026-11-23", "2026-11-23 00:00"),
    ("2026-11-23T14:05:00Z", "2026-11-23 14:05"),
    ("2026-11-23T14:05:00-05:00", "2026-11-23 19:05"),
    ("2026-11-23 14:05:00", "2026-11-23 14:05"),
    ("2026-11-23T14:05:00.250Z", "2026-11-23 14:05:00.250"),
    ("2016-12-23 18:50 +0000", "2016-12-23 18:50"),
    ("2019-03-04T12:33:00+0000", "2019-03-04 12:33"),  # Graph API
    ("2026-11-23T14:05:00.123456789Z", "2026-11-23 14:05:00.123456"),
    ("2026/11/23", "2026-11-23 00:00"),
    # day first
    ("23/11/2026", "2026-11-23 00:00"),
    ("23/11/2026 14:05", "2026-11-23 14:05"),
    ("23/11/2026 14:05:07", "2026-11-23 14:05:07"),
    ("23/11/2026, 14:05:07", "2026-11-23 14:05:07"),
    ("3/4/2026 9:05", "2026-04-03 09:05"),
    ("23-11-2026", "2026-11-23 00:00"),
    ("23.11.2026", "2026-11-23 00:00"),
    ("23/11/26", "2026-11-23 00:00"),
    ("23/11/99", "1999-11-23 00:00"),
    ("23/11/2026 2:05 PM", "2026-11-23 14:05"),
    ("23/11/2026 12:05 a. m.", "2026-11-23 00:05"),
    ("23/11/2026 14:05:07.5 -03:00", "2026-11-23 17:05:07.500"),
    ("29/02/2024", "2024-02-29 00:00"),
    # Excel serials and epochs, as numbers or text
    (45619, "2024-11-23 00:00"),
    (45619.5, "2024-11-23 12:00"),
    ("45619.25", "2024-11-23 06:00"),
    (46349.586805555555, "2026-11-23 14:05"),
    (1700000000, "2023-11-14 22:13:20"),
    ("1700000000", "2023-11-14 22:13:20"),
    (1700000000123, "2023-11-14 22:13:20.123"),
    ("1700000000000", "2023-11-14 22:13:20"),
    (1.7e9, "2023-11-14 22:13:20"),
    # zone abbreviations (fixed offsets)
    ("2023-11-13 04:30:36 EST", "2023-11-13 09:30:36"),
    ("2023-07-13 04:30:36 EDT", "2023-07-13 08:30:36"),
    ("2023-11-13 04:30:36 CST", "2023-11-13 10:30:36"),
    ("2023-11-13 04:30:36 PST", "2023-11-13 12:30:36"),
    ("2023-11-13 04:30:36 UTC", "2023-11-13 04:30:36"),
    ("2023-11-13 04:30:36 GMT", "2023-11-13 04:30:36"),
    ("2023-11-13 04:30:36 CET", "2023-11-13 03:30:36"),
    ("2023-07-13 04:30:36 CEST", "2023-07-13 02:30:36"),
    ("2023-11-13 04:30:36 ART", "2023-11-13 07:30:36"),
    ("2023-11-13 04:30:36 COT", "2023-11-13 09:30:36"),
    ("2023-11-13 04:30:36 CLT", "2023-11-13 08:30:36"),
    ("2023-11-13 04:30:36 BRT", "2023-11-13 07:30:36"),
    ("23/11/2026 14:05 CET", "2026-11-23 13:05"),
    ("2026-11-23 14:05 UTC-03:00", "2026-11-23 17:05"),
    # month names, English and Spanish
    ("Jan 6, 2024", "2024-01-06 00:00"),
    ("Tue, Jul 14, 2026", "2026-07-14 00:00"),
    ("January 6, 2024", "2024-01-06 00:00"),
    ("6 Jan 2024", "2024-01-06 00:00"),
    ("Wed Oct 10 20:19:24 +0000 2018", "2018-10-10 20:19:24"),
    ("Wed Oct 10 20:19:24 -0300 2018", "2018-10-10 23:19:24"),
    ("6 de enero de 2024", "2024-01-06 00:00"),
    ("06-ene-2024", "2024-01-06 00:00"),
    ("6 ene. 2024", "2024-01-06 00:00"),
    ("ene 6, 2024", "2024-01-06 00:00"),
    ("6 de enero de 2024 a las 14:05", "2024-01-06 14:05"),
    ("lunes, 1 de septiembre de 2025", "2025-09-01 00:00"),
    ("1 setiembre 2025", "2025-09-01 00:00"),
    ("mar 5, 2024", "2024-03-05 00:00"),  # "mar" is March, not martes
    ("6 Jan 2024 14:05 GMT-5", "2024-01-06 19:05"),
    # Python objects from Excel
    (dt.datetime(2026, 11, 23, 14, 5), "2026-11-23 14:05"),
    (dt.datetime(2026, 11, 23, 14, 5, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
     "2026-11-23 19:05"),
    (pd.Timestamp("2026-11-23 14:05"), "2026-11-23 14:05"),
    (dt.date(2026, 11, 23), "2026-11-23 00:00"),
    # unreadable
    (dt.time(14, 5), None),
    ("31/02/2026", None),
    ("29/02/2023", None),
    ("hola", None),
    ("2026-13-01", None),
    ("2026-11-23 25:00", None),
    ("23/11/2026 13:05 PM", None),
    ("14:05", None),
    ("enero 2024", None),
    ("2026", None),  # a year alone names no day
    (1234, None),  # not a serial (20000-80000) nor an epoch
    (True, None),
    (float("inf"), None),
    (10**400, None),
    (b"2026-11-23", None),
    ("0202-11-23", None),  # outside 1900-2199: a typo
    (dt.datetime(1, 1, 1), None),
    ("23/11/2026 14:05 XYZ", None),
]


@pytest.mark.parametrize(("cell", "expected"), DATES)
def test_dates(cell, expected):
    parsed = one(parse.parse_datetimes, cell)
    assert str(parsed.values.dtype) == "datetime64[us, UTC]"
    if expected is None:
        assert parsed.invalid.tolist() == [True]
        assert parsed.values.isna().all()
    else:
        assert parsed.invalid.tolist() == [False]
        assert parsed.values.iloc[0] == utc(expected)
    assert parsed.note is None


@pytest.mark.parametrize(("cell", "expected"), [(c, e) for c, e in DATES if isinstance(c, str)])
def test_dates_from_csv_strings(cell, expected):
    """A CSV column ("str" dtype) reads the same as an object column."""
    parsed = parse.parse_datetimes(pd.Series([cell], dtype="str"))
    assert parsed.invalid.tolist() == [expected is None]
    if expected is not None:
        assert parsed.values.iloc[0] == utc(expected)


@pytest.mark.parametrize(("cell", "expected"), [
    ("2026-11-23 14:05", "2026-11-23 19:05"),  # naive: Bogotá wall clock
    ("23/11/2026 14:05", "2026-11-23 19:05"),
    ("2026-11-23T14:05:00Z", "2026-11-23 14:05"),  # zoned: kept
    ("2026-11-23T14:05:00+01:00", "2026-11-23 13:05"),
    ("2023-11-13 04:30:36 EST", "2023-11-13 09:30:36"),
    (1700000000, "2023-11-14 22:13:20"),  # epochs are UTC
    (45619, "2024-11-23 05:00"),  # serials are wall clock
    (dt.datetime(2026, 11, 23, 14, 5), "2026-11-23 19:05"),
    (dt.date(2026, 11, 23), "2026-11-23 05:00"),
    ("6 de enero de 2024", "2024-01-06 05:00"),
])
def test_naive_dates_are_in_assume_tz(cell, expected):
    parsed = one(parse.parse_datetimes, cell, assume_tz=BOGOTA)
    assert parsed.values.iloc[0] == utc(expected)


@pytest.mark.parametrize(("cell", "zone", "expected"), [
    ("2026-11-01 01:30", "America/New_York", "2026-11-01 05:30"),  # repeated hour: DST one
    ("2026-03-08 02:30", "America/New_York", "2026-03-08 07:00"),  # skipped hour: forward
    ("2026-07-01 12:00", "Europe/Madrid", "2026-07-01 10:00"),
    ("2026-01-01 12:00", "Europe/Madrid", "2026-01-01 11:00"),
])
def test_daylight_saving_edges(cell, zone, expected):
    assert one(parse.parse_datetimes, cell, assume_tz=zone).values.iloc[0] == utc(expected)


def test_unknown_zone_name_is_a_programming_error():
    with pytest.raises(ValueError, match="time zone"):
        parse.parse_datetimes(pd.Series(["2026-01-01"]), assume_tz="Mars/Olympus")


def test_month_first_column():
    """A US export: some second part > 12, no first part > 12 -> whole column month first."""
    raw = pd.Series(["11/23/2026", "01/02/2026 10:00", "12/31/2025 11:59 PM", "", "hola"],
                    dtype="str")
    parsed = parse.parse_datetimes(raw)
    assert parsed.note == "month_first"
    assert parsed.values.iloc[:3].tolist() == [
        utc("2026-11-23"), utc("2026-01-02 10:00"), utc("2025-12-31 23:59")]
    assert parsed.invalid.tolist() == [False, False, False, False, True]


@pytest.mark.parametrize("column", [
    ["01/02/2026", "03/04/2026"],  # ambiguous: day first
    ["23/11/2026", "11/23/2026"],  # contradictory: day first, second invalid
    ["2026-01-02", "Jan 6, 2024"],  # no numeric d/m/y at all
])
def test_day_first_is_the_default(column):
    parsed = parse.parse_datetimes(pd.Series(column, dtype="str"))
    assert parsed.note is None
    if column[0] == "01/02/2026":
        assert parsed.values.tolist() == [utc("2026-02-01"), utc("2026-04-03")]
    if column[0] == "23/11/2026":
        assert parsed.invalid.tolist() == [False, True]


def test_dates_keep_index_and_mix_forms():
    raw = pd.Series(["2026-11-23", 45619, None, "23/11/2026 14:05", dt.date(2026, 1, 2), "x"],
                    index=list("abcdef"), dtype=object)
    parsed = parse.parse_datetimes(raw)
    assert parsed.values.index.equals(raw.index) and parsed.invalid.index.equals(raw.index)
    assert parsed.invalid.tolist() == [False, False, False, False, False, True]
    assert parsed.values["d"] == utc("2026-11-23 14:05")


def test_datetime64_columns():
    naive = pd.Series(pd.to_datetime(["2026-11-23 14:05", None]))
    parsed = parse.parse_datetimes(naive, assume_tz=BOGOTA)
    assert parsed.values.iloc[0] == utc("2026-11-23 19:05")
    assert parsed.invalid.tolist() == [False, False]
    aware = naive.dt.tz_localize("Europe/Madrid")
    assert parse.parse_datetimes(aware).values.iloc[0] == utc("2026-11-23 13:05")


# --------------------------------------------------------------------------------------
# Counts
# --------------------------------------------------------------------------------------

COUNTS = [
    ("1234", 1234), ("1.234", 1234), ("1,234", 1234), ("1.234.567", 1234567),
    ("1,234,567", 1234567), ("1 234", 1234), ("1\u00a0234", 1234), ("1\u202f234", 1234),
    ("1.234,5", 1234.5), ("1,234.5", 1234.5),
    ("12,5 mil", 12500), ("12.5 mil", 12500), ("12 mil", 12000), ("1.2K", 1200),
    ("1,2k", 1200), ("1.15k", 1150), ("3,4 M", 3_400_000), ("3.4M", 3_400_000),
    ("1,2 mill.", 1_200_000), ("2 millones", 2_000_000), ("1 millón", 1_000_000),
    ("1.5B", 1_500_000_000), ("1938.0", 1938), ("12,5", 12.5), ("0.5", 0.5), ("0,500", 0.5),
    ("10K+", 10000), ("+1.000", 1000), ("0", 0), (" 42 ", 42), ("１２３", 123),
    (1234, 1234), (12.5, 12.5), (0, 0), (-0.0, 0), (Decimal("7"), 7), (np.int64(9), 9),
    (10**10, 1e10),
    # blanks
    ("-", None), ("N/A", None), ("", None), (None, None), (float("nan"), None),
]
BAD_COUNTS = [-3, "-3", "−3", -0.5, float("inf"), float("-inf"), True, False, "muchos",
              "12%", "1.2.3", "12,34,5", "1e5", "K", "12 kg", 10**400, "9" * 400,
              dt.date(2026, 1, 1), dt.time(1, 2)]


def assert_number(parser, cell, expected) -> None:
    """A valid cell read as a nullable float: ``expected``, or blank where it is None."""
    parsed = one(parser, cell)
    assert str(parsed.values.dtype) == "Float64"
    assert parsed.invalid.tolist() == [False]
    if expected is None:
        assert parsed.values.isna().all()
    else:
        assert parsed.values.iloc[0] == expected


@pytest.mark.parametrize(("cell", "expected"), COUNTS)
def test_counts(cell, expected):
    assert_number(parse.parse_counts, cell, expected)


@pytest.mark.parametrize("cell", [10**10 + 1, 1e19, 10**20, "10000000000000000000",
                                  "9" * 19, "20.000.000.000", "11B"])
def test_counts_beyond_a_plausible_range_are_flagged_and_not_used(cell):
    """Ten billion is more than any account's audience; beyond it a count is an error that
    would overflow integer columns downstream, so it is marked and left empty."""
    parsed = one(parse.parse_counts, cell)
    assert parsed.values.isna().all()
    assert parsed.out_of_range.tolist() == [True] and parsed.invalid.tolist() == [False]


@pytest.mark.parametrize("cell", BAD_COUNTS)
def test_unreadable_counts(cell):
    parsed = one(parse.parse_counts, cell)
    assert parsed.invalid.tolist() == [True]
    assert parsed.values.isna().all()


def test_counts_from_typed_columns():
    ints = parse.parse_counts(pd.Series([1, 2, 3], index=[7, 8, 9]))
    assert ints.values.tolist() == [1, 2, 3] and ints.values.index.tolist() == [7, 8, 9]
    floats = parse.parse_counts(pd.Series([1.5, np.nan, -1.0]))
    assert floats.values.isna().tolist() == [False, True, True]
    assert floats.invalid.tolist() == [False, False, True]
    nullable = parse.parse_counts(pd.Series([1, None], dtype="Int64"))
    assert nullable.invalid.tolist() == [False, False]


# --------------------------------------------------------------------------------------
# Booleans and answers
# --------------------------------------------------------------------------------------

BOOLEANS = [
    *[(c, True) for c in ("sí", "Sí", "si", "SI", "s", "yes", "Y", "true", "TRUE", "verdadero",
                          "1", "x", "X", "✓", "✔", "✔️", "ok", "OK", True, 1, 1.0,
                          np.True_)],
    *[(c, False) for c in ("no", "No", "n", "false", "falso", "FALSO", "0", False, 0, 0.0)],
    *[(c, None) for c in ("", " ", "-", "N/A", None, float("nan"))],
]


@pytest.mark.parametrize(("cell", "expected"), BOOLEANS)
def test_booleans(cell, expected):
    parsed = one(parse.parse_booleans, cell)
    assert str(parsed.values.dtype) == "boolean"
    assert parsed.invalid.tolist() == [False]
    assert (parsed.values.iloc[0] is pd.NA) if expected is None else (
        parsed.values.iloc[0] == expected)


@pytest.mark.parametrize("cell", ["quizá", "2", 2, 0.5, "sí no", "nope", dt.date(2026, 1, 1)])
def test_unreadable_booleans(cell):
    parsed = one(parse.parse_booleans, cell)
    assert parsed.invalid.tolist() == [True] and parsed.values.isna().all()


def test_boolean_dtype_column():
    parsed = parse.parse_booleans(pd.Series([True, None, False], dtype="boolean"))
    assert parsed.values.tolist() == [True, pd.NA, False]
    assert parsed.invalid.tolist() == [False, False, False]


ANSWER_CASES = [
    ("sí", 1), ("Si", 1), ("yes", 1), ("cumple", 1), ("100%", 1), ("1", 1), (1, 1),
    (1.0, 1), (True, 1),
    ("parcial", 0.5), ("Parcialmente", 0.5), ("partial", 0.5), ("en proceso", 0.5),
    ("0,5", 0.5), ("0.5", 0.5), ("50 %", 0.5), (0.5, 0.5),
    ("no", 0), ("No cumple", 0), ("0", 0), (0, 0), (False, 0), ("0%", 0),
    ("", None), (None, None), ("-", None),
]


@pytest.mark.parametrize(("cell", "expected"), ANSWER_CASES)
def test_answers(cell, expected):
    assert_number(parse.parse_answers, cell, expected)


@pytest.mark.parametrize("cell", ["tal vez", 2, 0.7, "75%", "sí y no", dt.date(2026, 1, 1)])
def test_unreadable_answers(cell):
    parsed = one(parse.parse_answers, cell)
    assert parsed.invalid.tolist() == [True] and parsed.values.isna().all()


# --------------------------------------------------------------------------------------
# Choices and networks
# --------------------------------------------------------------------------------------

CHOICES = [
    (SECTORS, "Gobierno Local", "local_government"),
    (SECTORS, "local_government", "local_government"),
    (SECTORS, "Ayuntamiento", "local_government"),
    (SECTORS, "Alcaldía", "local_government"),
    (SECTORS, "Hospital público", "health"),
    (SECTORS, "Biblioteca municipal", "library"),
    # Ministerio de Salud: a ministry; the head word (first) decides. See _ChoiceMatcher.
    (SECTORS, "Ministerio de Salud", "national_government"),
    (SECTORS, "Biblioteca Nacional", "library"),
    (SECTORS, "Hospital Municipal", "health"),
    (SECTORS, "Universidad Nacional", "education"),
    (SECTORS, "Centro de Salud Municipal", "health"),
    (SECTORS, "gobierno locl", "local_government"),  # typo: fuzzy
    (SECTORS, "Educación", "education"),
    (SECTORS, "OTRO", "other"),
    (POST_FORMATS, "Foto", "photo"),
    (POST_FORMATS, "Vídeo", "video"),
    (POST_FORMATS, "Live Video Complete", "live"),
    (POST_FORMATS, "carousel_album", "photo"),
    (POST_FORMATS, "Reel de Instagram", "reel"),
    (INTERACTION_KINDS, "Mensaje directo", "dm"),
    (INTERACTION_KINDS, "Reseña", "review"),
    (INTERACTION_KINDS, "comentarios", "comment"),
]


@pytest.mark.parametrize(("choices", "cell", "expected"), CHOICES)
def test_choices(choices, cell, expected):
    parsed = one(parse.parse_choices, cell, choices=choices)
    assert parsed.values.tolist() == [expected]
    assert parsed.invalid.tolist() == [False]


@pytest.mark.parametrize("cell", ["nada", "xyz", 3, True, dt.date(2026, 1, 1), "???"])
def test_unknown_choices(cell):
    parsed = one(parse.parse_choices, cell, choices=SECTORS)
    assert parsed.invalid.tolist() == [True] and parsed.values.isna().all()


def test_blank_choice():
    parsed = parse.parse_choices(pd.Series(["", None, " - "], dtype=object), SECTORS)
    assert parsed.invalid.tolist() == [False] * 3 and parsed.values.isna().all()


NETWORK_CASES = [
    ("Facebook", "facebook"), ("FB", "facebook"), ("facebook.com", "facebook"),
    ("Página de Facebook", "facebook"), ("Facebok", "facebook"),
    ("Instagram", "instagram"), ("IG", "instagram"), ("insta", "instagram"),
    ("X", "x"), ("Twitter", "x"), ("X (Twitter)", "x"), ("Twitter / X", "x"),
    ("twitter.com", "x"), ("x.com", "x"),
    ("YouTube", "youtube"), ("YT", "youtube"), ("You Tube", "youtube"),
    ("TikTok", "tiktok"), ("Tik Tok", "tiktok"), (" tiktok ", "tiktok"),
    ("LinkedIn", "linkedin"), ("Linked In", "linkedin"), ("Pinterest", "pinterest"),
    ("Threads", "threads"), ("WhatsApp", "whatsapp"), ("WhatsApp Business", "whatsapp"),
    ("Telegram", "telegram"), ("Flickr", "flickr"), ("blog", "blog"), ("Bitácora", "blog"),
    ("https://www.facebook.com/x", "facebook"), ("https://x.com/in", "x"),
    ("https://www.linkedin.com/in/name", "linkedin"), ("www.instagram.com/name", "instagram"),
    ("https://t.me/name", "telegram"), ("https://www.municipio.gob.ar/blog", "blog"),
]


@pytest.mark.parametrize(("cell", "expected"), NETWORK_CASES)
def test_networks(cell, expected):
    parsed = one(parse.parse_networks, cell)
    assert parsed.values.tolist() == [expected]
    assert parsed.invalid.tolist() == [False]


@pytest.mark.parametrize("cell", ["Mastodonte", "@alcaldia", "red social", 1, True, "http://"])
def test_unknown_networks(cell):
    parsed = one(parse.parse_networks, cell)
    assert parsed.invalid.tolist() == [True] and parsed.values.isna().all()


def test_every_network_alias_reads_as_its_network():
    for network, aliases in NETWORKS.items():
        parsed = parse.parse_networks(pd.Series([network, *aliases], dtype="str"))
        assert set(parsed.values) == {network}, network


# --------------------------------------------------------------------------------------
# Handles and post URLs
# --------------------------------------------------------------------------------------

HANDLES = [
    ("@Name", "name", None), ("name", "name", None), (" @Name ", "name", None),
    ("@@Name", "name", None), ("alcaldia.bogota", "alcaldia.bogota", None),
    ("https://www.facebook.com/Name/", "name", "facebook"),
    ("http://m.facebook.com/Name?ref=bookmarks", "name", "facebook"),
    ("facebook.com/profile.php?id=123", "123", "facebook"),
    ("https://www.facebook.com/profile.php?id=100064123456789", "100064123456789", "facebook"),
    ("facebook.com/pages/Name/123456", "123456", "facebook"),
    ("https://www.facebook.com/p/Alcald%C3%ADa-de-X-100064123456789/", "100064123456789",
     "facebook"),
    ("https://es-la.facebook.com/Name", "name", "facebook"),
    ("fb.com/Name", "name", "facebook"),
    ("https://x.com/name?lang=es", "name", "x"),
    ("https://twitter.com/Name", "name", "x"),
    ("twitter.com/#!/name", "name", "x"),
    ("mobile.twitter.com/name", "name", "x"),
    ("youtube.com/@name", "name", "youtube"),
    ("https://www.youtube.com/@Name/videos", "name", "youtube"),
    ("youtube.com/c/name", "name", "youtube"),
    ("youtube.com/user/name", "name", "youtube"),
    ("youtube.com/channel/UCxyz", "ucxyz", "youtube"),
    ("instagram.com/name/", "name", "instagram"),
    ("https://www.instagram.com/Name/?hl=es", "name", "instagram"),
    ("tiktok.com/@name", "name", "tiktok"),
    ("linkedin.com/company/name/", "name", "linkedin"),
    ("https://co.linkedin.com/company/name", "name", "linkedin"),
    ("linkedin.com/in/name", "name", "linkedin"),
    ("linkedin.com/school/name", "name", "linkedin"),
    ("t.me/name", "name", "telegram"),
    ("telegram.me/name", "name", "telegram"),
    ("https://t.me/s/name", "name", "telegram"),
    ("pinterest.com/name/", "name", "pinterest"),
    ("pinterest.es/name", "name", "pinterest"),
    ("https://www.pinterest.com.mx/name/", "name", "pinterest"),
    ("threads.net/@name", "name", "threads"),
    ("https://www.threads.com/@name", "name", "threads"),
    ("flickr.com/photos/name", "name", "flickr"),
    ("wa.me/573001234567", "573001234567", "whatsapp"),
    ("https://wa.me/+573001234567", "573001234567", "whatsapp"),
    ("https://api.whatsapp.com/send?phone=573001234567", "573001234567", "whatsapp"),
    ("whatsapp.com/channel/ID", "id", "whatsapp"),
    ("https://blog.example.org/", "blog.example.org", "blog"),
    ("https://alcaldia.blogspot.com/", "alcaldia.blogspot.com", "blog"),
    ("https://medium.com/@name", "name", "blog"),
    (573001234567, "573001234567", None),  # a WhatsApp number typed into Excel
    (5.73001234567e11, "573001234567", None),
]
BAD_HANDLES = [
    ("Alcaldía de X", None), ("@", None), ("  @  ", None), (True, None), (1.5, None),
    (dt.date(2026, 1, 1), None), ("https://www.youtube.com/watch?v=abc", "youtube"),
    ("https://www.instagram.com/p/ABC/", "instagram"), ("facebook.com", "facebook"),
    ("https://www.facebook.com/sharer/sharer.php?u=x", "facebook"), ("http://", None),
    ("ftp://example.org/x", None),
]


@pytest.mark.parametrize(("cell", "handle", "network"), HANDLES)
def test_handles(cell, handle, network):
    parsed = one(parse.parse_handles, cell)
    assert parsed.handle.tolist() == [handle]
    assert parsed.network.iloc[0] == network if network else parsed.network.isna().all()
    assert parsed.invalid.tolist() == [False]


@pytest.mark.parametrize(("cell", "network"), BAD_HANDLES)
def test_unreadable_handles(cell, network):
    parsed = one(parse.parse_handles, cell)
    assert parsed.invalid.tolist() == [True]
    assert parsed.handle.isna().all()
    assert parsed.network.iloc[0] == network if network else parsed.network.isna().all()


POST_URLS = [
    ("https://twitter.com/rOpenSci/status/812369747765362688", "x", "ropensci"),
    ("https://x.com/rOpenSci/status/812369747765362688", "x", "ropensci"),
    ("https://mobile.twitter.com/name/status/1?s=20", "x", "name"),
    ("https://twitter.com/i/web/status/1", "x", None),
    ("facebook.com/Name/posts/123", "facebook", "name"),
    ("https://www.facebook.com/Name/videos/123/", "facebook", "name"),
    ("https://www.facebook.com/permalink.php?story_fbid=1&id=999", "facebook", "999"),
    ("https://www.facebook.com/photo.php?fbid=1", "facebook", None),
    ("https://www.facebook.com/watch/?v=1", "facebook", None),
    ("instagram.com/p/ABC/", "instagram", None),
    ("https://www.instagram.com/reel/ABC/", "instagram", None),
    ("https://www.instagram.com/name/p/ABC/", "instagram", "name"),
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "youtube", None),
    ("https://youtu.be/dQw4w9WgXcQ", "youtube", None),
    ("https://www.youtube.com/shorts/abc", "youtube", None),
    ("https://www.tiktok.com/@name/video/123", "tiktok", "name"),
    ("https://vm.tiktok.com/ZM123/", "tiktok", None),
    ("https://www.linkedin.com/posts/alcaldia-x_agua-activity-7123-AbCd", "linkedin",
     "alcaldia-x"),
    ("https://www.linkedin.com/feed/update/urn:li:activity:7123/", "linkedin", None),
    ("https://www.threads.net/@name/post/C1", "threads", "name"),
    ("https://t.me/name/123", "telegram", "name"),
    ("https://www.flickr.com/photos/name/123", "flickr", "name"),
    ("https://blog.example.org/2024/05/titulo", "blog", "blog.example.org"),
]


@pytest.mark.parametrize(("cell", "network", "handle"), POST_URLS)
def test_post_urls(cell, network, handle):
    parsed = one(parse.parse_post_urls, cell)
    assert parsed.network.tolist() == [network]
    assert parsed.handle.tolist() == [handle] if handle else parsed.handle.isna().all()
    assert parsed.invalid.tolist() == [False]


@pytest.mark.parametrize("cell", ["@name", "hola", "Alcaldía de X", 12, True, "http://"])
def test_post_urls_need_a_url(cell):
    parsed = one(parse.parse_post_urls, cell)
    assert parsed.invalid.tolist() == [True]
    assert parsed.handle.isna().all() and parsed.network.isna().all()


def test_post_urls_in_a_long_column_match_one_by_one():
    """Long columns are parsed once per URL prefix; results equal parsing each alone."""
    cells = [url for url, _, _ in POST_URLS] + [h for h, _, _ in HANDLES if isinstance(h, str)]
    column = parse.parse_post_urls(pd.Series(cells * 3, dtype="str"))
    for i, cell in enumerate(cells * 3):
        alone = parse.parse_post_urls(pd.Series([cell], dtype=object))
        assert column.handle.iloc[i] == alone.handle.iloc[0] or (
            pd.isna(column.handle.iloc[i]) and pd.isna(alone.handle.iloc[0])), cell
        assert column.invalid.iloc[i] == alone.invalid.iloc[0], cell


# --------------------------------------------------------------------------------------
# Properties: any cell, any parser
# --------------------------------------------------------------------------------------

REAL_WORLD = sorted(
    {str(c) for c, _ in DATES} | {str(c) for c, _ in COUNTS} | {str(c) for c in BAD_COUNTS[:14]}
    | {h for h, _, _ in HANDLES if isinstance(h, str)} | {u for u, _, _ in POST_URLS}
    | {c for c, _ in NETWORK_CASES} | {c for _, c, _ in CHOICES}
    | {str(c) for c in BLANKS if isinstance(c, str)}
)
ZONES = st.sampled_from([None, UTC, dt.timezone(dt.timedelta(hours=-5)),
                         dt.timezone(dt.timedelta(hours=14))])
CELLS = st.one_of(
    st.none(),
    st.sampled_from(REAL_WORLD),
    st.text(max_size=25),
    st.from_regex(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}( \d{1,2}:\d{2}(:\d{2})?( [AP]M)?)?",
                  fullmatch=True),
    st.from_regex(r"-?\d{1,3}([.,\u00a0 ]\d{1,4}){0,3} ?(k|K|mil|M|millones)?\+?", fullmatch=True),
    st.from_regex(r"(https?://)?(www\.)?(facebook|x|youtube|t)\.(com|me)(/[@a-zA-Z0-9.#!?=%]{0,8})"
                  r"{0,3}", fullmatch=True),
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(),
    st.booleans(),
    st.datetimes(timezones=ZONES),
    st.dates(),
    st.times(),
    st.binary(max_size=6),
    st.decimals(allow_nan=True),
    st.sampled_from([float("nan"), float("inf"), pd.NA, pd.NaT, np.int64(7), np.float64(2.5),
                     np.nan, dt.timedelta(days=1), 1 + 2j, [], {}]),
)
COLUMNS = st.lists(CELLS, max_size=12)
PARSERS = {
    "datetimes": parse.parse_datetimes,
    "datetimes_bogota": lambda raw: parse.parse_datetimes(raw, assume_tz=BOGOTA),
    "counts": parse.parse_counts,
    "booleans": parse.parse_booleans,
    "answers": parse.parse_answers,
    "choices": lambda raw: parse.parse_choices(raw, SECTORS),
    "networks": parse.parse_networks,
    "handles": parse.parse_handles,
    "post_urls": parse.parse_post_urls,
}
FAST = settings(max_examples=30, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def check_invariants(raw: pd.Series, result) -> None:
    blank = parse.is_blank(raw).to_numpy()
    invalid = result.invalid
    assert invalid.dtype == bool and invalid.index.equals(raw.index)
    assert not invalid.to_numpy()[blank].any(), "a blank cell was reported invalid"
    outputs = ([result.handle, result.network] if isinstance(result, parse.HandleParse)
               else [result.values])
    for output in outputs:
        assert output.index.equals(raw.index)
        assert output.isna().to_numpy()[blank].all(), "a blank cell got a value"
    # An invalid cell has no value; a profile URL naming no account keeps its network.
    assert outputs[0].isna().to_numpy()[invalid.to_numpy()].all(), "an invalid cell got a value"
    # A readable cell has a value. A bare handle has no network and a post URL may lack
    # the handle, but one of the two is always there.
    read = ~blank & ~invalid.to_numpy()
    out_of_range = getattr(result, "out_of_range", None)
    if out_of_range is not None:
        assert not (out_of_range.to_numpy() & invalid.to_numpy()).any()
        assert outputs[0].isna().to_numpy()[out_of_range.to_numpy()].all()
        read &= ~out_of_range.to_numpy()
    has = np.logical_or.reduce([o.notna().to_numpy() for o in outputs])
    assert has[read].all(), "a readable cell has no value"


@pytest.mark.parametrize("name", sorted(PARSERS))
@FAST
@given(cells=COLUMNS, shuffle=st.randoms(use_true_random=False))
def test_any_object_column(name, cells, shuffle):
    index = list(range(len(cells)))
    shuffle.shuffle(index)
    raw = pd.Series(cells, index=[f"r{i}" for i in index], dtype=object)
    check_invariants(raw, PARSERS[name](raw))


@pytest.mark.parametrize("name", sorted(PARSERS))
@FAST
@given(cells=st.lists(st.one_of(st.none(), st.sampled_from(REAL_WORLD), st.text(max_size=25)),
                      max_size=12))
def test_any_text_column(name, cells):
    """A CSV column: "str" dtype. Same answers as the object column of the same strings."""
    text = pd.Series(cells, dtype="str")
    result = PARSERS[name](text)
    check_invariants(text, result)
    other = PARSERS[name](pd.Series(cells, dtype=object))
    pd.testing.assert_series_equal(result.invalid, other.invalid)


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_empty_and_typed_columns(name):
    for raw in (pd.Series([], dtype=object), pd.Series([], dtype="str"),
                pd.Series([1, 2], dtype="int64"), pd.Series([1.5, np.nan]),
                pd.Series([True, False]), pd.Series([1, None], dtype="Int64"),
                pd.Series(["a", "b"], dtype="category"),
                pd.Series(pd.to_datetime(["2026-01-01", None])),
                pd.Series(["a", None], dtype="string")):
        check_invariants(raw, PARSERS[name](raw))


@FAST
@given(moment=st.datetimes(min_value=dt.datetime(1901, 1, 1), max_value=dt.datetime(2198, 1, 1)),
       form=st.sampled_from(["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M:%S",
                             "%d/%m/%Y %H:%M", "%d-%m-%Y", "%d.%m.%y", "%d/%m/%Y %I:%M %p",
                             "%a %b %d %H:%M:%S +0000 %Y", "%Y-%m-%d %H:%M:%S EST",
                             "%d %b %Y", "%b %d, %Y %H:%M"]))
def test_vectorised_and_one_by_one_dates_agree(moment, form):
    """The vectorised passes and the per-value parser read the same string the same way."""
    text = moment.strftime(form)
    if "%y" in form and not 1969 <= moment.year <= 2068:
        return  # two-digit years only mean 1969-2068
    column = parse.parse_datetimes(pd.Series([text] * 3, dtype="str"))
    alone, local = _date_from_text(text, False)
    assert not column.invalid.any(), text
    assert column.values.iloc[0].to_datetime64() == alone, text
    expected = moment.replace(microsecond=0, second=moment.second if "%S" in form else 0)
    if "%H" not in form and "%I" not in form:
        expected = expected.replace(hour=0, minute=0)
    shift = dt.timedelta(hours=5) if "EST" in form else dt.timedelta()
    assert column.values.iloc[0] == pd.Timestamp(expected + shift, tz="UTC"), text
    assert local == ("EST" not in form and "+0000" not in form)


@FAST
@given(number=st.integers(min_value=0, max_value=parse.MAX_COUNT),
       form=st.sampled_from(["{:,}", "{:_}", "{}", "{:,}.0"]))
def test_counts_with_thousands_separators(number, form):
    text = form.format(number)
    spanish = text.replace(",", ".").replace("_", " ")
    parsed = parse.parse_counts(pd.Series([text.replace("_", ""), spanish], dtype="str"))
    if form == "{:,}.0" and number >= 1000:
        assert parsed.values.iloc[0] == number  # "1,234.0"
        return
    assert parsed.values.tolist() == [number, number]


def test_huge_and_odd_values_do_not_leak_warnings():
    """pytest turns warnings into errors; odd cells must not trigger numpy/pandas ones."""
    raw = pd.Series([10**400, -(10**400), float("inf"), -1e308, 1e308, Decimal("NaN"),
                     Decimal("1e999"), "9" * 500, "\ud800", "a\x00b"], dtype=object)
    for parser in PARSERS.values():
        check_invariants(raw, parser(raw))


# --- stripping only the cells that need it ----------------------------------------------

_ENDS = ["", " ", "\t", "\u00a0", "\u200b", "\ufeff", "\u3000", "\u2028", "\x85", "\x1c",
         "¿", "é", "a", "-", "—", "N", "#", "\u0130", "😀"]


def _chunked(values: list) -> pd.Series:
    """A "str" column of several Arrow chunks, the last one a slice (an offset into its
    buffers), as Arrow's CSV reader and row filters leave them."""
    import pyarrow as pa

    third = max(1, len(values) // 3)
    whole = pa.array(["pad", *values[2 * third:]], type=pa.large_string()).slice(1)
    chunks = pa.chunked_array([pa.array(values[:third], type=pa.large_string()),
                               pa.array(values[third:2 * third], type=pa.large_string()),
                               whole])
    return pd.Series(pd.array(chunks, dtype=parse.cells.STR))


@given(st.lists(st.one_of(st.none(), st.builds(lambda a, m, b: a + m + b, st.sampled_from(_ENDS),
                                               st.text(max_size=6), st.sampled_from(_ENDS))),
                min_size=1, max_size=40))
@settings(max_examples=200, deadline=None)
def test_strip_edges_equals_stripping_every_cell(values):
    column = _chunked(values)
    for chars in (None, parse.cells._EDGE_CHARS):
        expected = column.str.strip(chars).tolist()
        assert parse.strip_edges(column, chars).tolist() == expected


@given(st.lists(st.one_of(st.none(), st.sampled_from(["", "-", "—", "–", "N/A", "na", "NULL",
                                                      "None", "NaN", "#n/a", " n/a ", "\u200b-",
                                                      "nada", "0", "ñ", "İ", "x"])),
                min_size=1, max_size=30))
@settings(max_examples=200, deadline=None)
def test_placeholders_found_in_chunked_columns(values):
    tokens = {"", "-", "—", "–", "n/a", "na", "null", "none", "nan", "#n/a"}
    expected = [v is None or v.strip(parse.cells._EDGE_CHARS).lower() in tokens for v in values]
    assert parse.is_blank(_chunked(values)).tolist() == expected


_FIXED_EDGES = [
    "2026-02-28T20:30:48Z", "2026-02-28 20:30:48", "2026-02-28 20:30", "2026-02-28",
    "2024-02-29T00:00:00Z", "2026-02-29 10:00", "2026-02-30", "2026-04-31 12:00:00",
    "2026-01-01 24:00", "2026-01-01T23:59:60Z", "2026-01-01 23:60", "2026-13-01",
    "1850-06-01 10:00", "2300-06-01T10:00:00Z", "0000-00-00", "2026-01-01t10:00:00Z",
    "2026-01-01T10:00:00z", "2026/01/01 10:00", "2026-01-01_10:00", "2026-01-01T10:00",
    "2026-01-01 10:00Z", "2026-01-01 10:00:00+02", "2026-1-01 10:00:0", "20a6-01-01",
    "2026-01-01 10:0a", "２０２６-01-01", "2026-01-01T10:00:00.5", "2026-03-29 02:30",
    "2026-10-25 02:30:00", "2026-01-01 10:00:00 ", " 2026-01-01", "2026-01-0110:00:00",
]


@pytest.mark.parametrize("assume_tz", ["UTC", "Europe/Madrid"])
def test_fixed_layout_dates_read_as_pandas_reads_them(monkeypatch, assume_tz):
    """The byte-by-byte reading of the common ISO layouts gives what pandas' ISO parser
    gave for every cell, valid or not (the pass switched off is the reference)."""
    from audit.ingest.parse import dates

    raw = pd.Series(_FIXED_EDGES * 2, index=range(100, 100 + 2 * len(_FIXED_EDGES)), dtype="str")
    fast = parse.parse_datetimes(raw, assume_tz=assume_tz)
    monkeypatch.setattr(dates, "_fixed_pass", lambda text, column, utc_is_local: text)
    reference = parse.parse_datetimes(raw, assume_tz=assume_tz)
    pd.testing.assert_series_equal(fast.values, reference.values)
    pd.testing.assert_series_equal(fast.invalid, reference.invalid)
    assert fast.values.notna().sum() > 20  # most are read


@FAST
@given(moment=st.datetimes(min_value=dt.datetime(1890, 1, 1), max_value=dt.datetime(2210, 1, 1)),
       form=st.sampled_from(["%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M",
                             "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]))
def test_fixed_layout_dates_agree_with_pandas(moment, form):
    from audit.ingest.parse import dates

    raw = pd.Series([moment.strftime(form)], dtype="str")
    fast = parse.parse_datetimes(raw, assume_tz="America/Bogota")
    original = dates._fixed_pass
    dates._fixed_pass = lambda text, column, utc_is_local: text
    try:
        reference = parse.parse_datetimes(raw, assume_tz="America/Bogota")
    finally:
        dates._fixed_pass = original
    pd.testing.assert_series_equal(fast.values, reference.values)


@FAST
@given(year=st.integers(1890, 2210), month=st.integers(-1, 14), day=st.integers(-1, 32),
       hour=st.integers(-1, 24), minute=st.integers(-1, 60), second=st.integers(-1, 60))
def test_composed_dates_are_the_calendars(year, month, day, hour, minute, second):
    """Dates built from their parts are Python's, and NaT exactly where Python refuses
    them (or the year is outside the accepted range)."""
    from audit.ingest.parse.dates import _compose

    got = _compose(np.array([year]), np.array([month]), np.array([day]), hour, minute,
                   second)[0]
    try:
        expected = np.datetime64(dt.datetime(year, month, day, hour, minute, second), "us")
    except ValueError:
        expected = np.datetime64("NaT", "us")
    if not 1900 <= year <= 2199:
        expected = np.datetime64("NaT", "us")
    assert (np.isnat(got) and np.isnat(expected)) or got == expected
