"""Identity checks on tiny hand-built inputs: handles, display names, avatars, completeness
and links from the website."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
from factories import AS_OF, features
from PIL import Image

from audit import run_audit
from audit.measure.checks import measure
from audit.measure.checks.identity import avatar_hashes

HEADER = ["institution", "network", "handle"]


def _profiles(*handles: str, institution: str = "A") -> list[list]:
    """Profiles of one institution on facebook, instagram, x, youtube... in that order."""
    networks = ["facebook", "instagram", "x", "youtube", "tiktok"]
    return [[institution, network, handle] for network, handle in zip(networks, handles,
                                                                       strict=False)]


# --- handle_consistency --------------------------------------------------------------------

@pytest.mark.parametrize("handles,expected", [
    (("aytovilla", "aytovilla", "aytovilla"), 1.0),
    # ratio("ayto_villa", "aytovilla") = 2 x 9 matching / 19 characters = 0.947
    (("aytovilla", "aytovilla", "ayto_villa"), (1 + 1 + 18 / 19) / 3),
    # unrelated handles: the main one is Facebook's (first in network order); others score 0
    (("aytovilla", "villacultura", "deportesvilla"), 1 / 3),
    (("aytovilla", "villa"), 0.5),
])
def test_handle_consistency_values(handles, expected):
    m = measure(features([HEADER, *_profiles(*handles)]), "handle_consistency", {})
    assert m.value["A"] == pytest.approx(expected, abs=1e-6)


def test_identical_handles_score_higher_than_scattered():
    f = features([HEADER, *_profiles("aytovilla", "aytovilla", "aytovilla"),
                  *_profiles("ayto_b", "bmunicipio", "b.oficial", institution="B")])
    m = measure(f, "handle_consistency", {})
    assert m.value["A"] > m.value["B"]


def test_handle_evidence_names_the_profiles_that_differ():
    f = features([HEADER, *_profiles("aytovilla", "aytovilla", "ayto_villa", "deportes")])
    m = measure(f, "handle_consistency", {})
    # The furthest first.
    assert m.text("es")["A"] == ("YouTube @deportes difiere de @aytovilla (sin parecido); "
                                  "X @ayto_villa difiere de @aytovilla (similitud 94,7 %)")
    assert m.text("en")["A"].endswith("X @ayto_villa differs from @aytovilla "
                                       "(similarity 94.7%)")


def test_handle_main_is_most_frequent_then_first_in_network_order():
    # Two handles once each: Facebook comes before X in network order, whatever the rows say.
    f = features([HEADER, ["A", "x", "villa_x"], ["A", "facebook", "villa_fb"]])
    m = measure(f, "handle_consistency", {})
    assert m.text("es")["A"].startswith("X @villa_x difiere de @villa_fb")
    # The most frequent wins over network order.
    f = features([HEADER, ["A", "facebook", "solo"], ["A", "x", "villa"],
                  ["A", "instagram", "villa"]])
    assert measure(f, "handle_consistency", {}).text("es")["A"].startswith(
        "Facebook @solo difiere de @villa")


def test_handle_threshold_is_a_parameter():
    f = features([HEADER, *_profiles("aytovilla", "ayto_villa")])
    assert measure(f, "handle_consistency", {"threshold": 0.99}).value["A"] == 0.5
    assert measure(f, "handle_consistency", {"threshold": 0.5}).value["A"] > 0.9


def test_handle_leaves_out_blogs_and_numeric_ids():
    f = features([HEADER, ["A", "facebook", "aytovilla"], ["A", "x", "aytovilla"],
                  ["A", "blog", "https://blog.aytovilla.example/"],
                  ["A", "whatsapp", "https://wa.me/34600111222"]])
    assert measure(f, "handle_consistency", {}).value["A"] == 1.0


def test_handle_not_evaluated_with_a_single_profile():
    f = features([HEADER, ["A", "facebook", "aytovilla"], ["A", "blog", "blog.villa.example"]])
    m = measure(f, "handle_consistency", {})
    assert np.isnan(m.value["A"])
    assert "nada que comparar" in m.text("es")["A"]


# --- display_name_consistency --------------------------------------------------------------

NAMES = ["institution", "network", "handle", "display_name"]


@pytest.mark.parametrize("names,expected", [
    # case, accents, punctuation and spacing are folded
    (("Ayuntamiento de Villa", "AYUNTAMIENTO DE VILLA.", "Ayuntamiento  dé Villa"), 1.0),
    (("Ayuntamiento de Villa", "Ayuntamiento de Villa", "Ayto. Villa"), 2 / 3),
    (("Ayuntamiento de Villa", None, "Ayuntamiento de Villa"), 1.0),  # blank: left out
])
def test_display_name_values(names, expected):
    rows = [["A", n, "villa", name] for n, name in zip(["facebook", "instagram", "x"], names,
                                                        strict=True)]
    m = measure(features([NAMES, *rows]), "display_name_consistency", {})
    assert m.value["A"] == pytest.approx(expected)


def test_display_name_evidence_quotes_both_names():
    f = features([NAMES, ["A", "facebook", "villa", "Ayuntamiento de Villa"],
                  ["A", "instagram", "villa", "Ayuntamiento de Villa"],
                  ["A", "x", "villa", "Ayto. Villa"]])
    m = measure(f, "display_name_consistency", {})
    assert m.text("es")["A"] == ("X @villa: «Ayto. Villa» difiere de «Ayuntamiento de Villa» "
                                  "(sin parecido)")


def test_display_name_not_evaluated_without_names():
    f = features([NAMES, ["A", "facebook", "villa", None], ["A", "x", "villa", None],
                  ["B", "facebook", "b", "Biblioteca"], ["B", "x", "b", None]])
    m = measure(f, "display_name_consistency", {})
    assert m.value.isna().all()


# --- avatar_consistency --------------------------------------------------------------------

AVATARS = ["institution", "network", "handle", "avatar"]


def picture(seed: int, size: int = 128) -> Image.Image:
    """A smooth random picture: its perceptual hash is stable under resizing and JPEG."""
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, (8, 8, 3), dtype=np.uint8)
    return Image.fromarray(small).resize((size, size), Image.Resampling.BICUBIC)


def encoded(image: Image.Image, kind: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, kind, **options)
    return buffer.getvalue()


def zipped_features(profiles: list[list], images: dict[str, bytes]):
    """Features from a zip holding the workbook and the profile images, as auditors send."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "profiles"
    for row in profiles:
        sheet.append(row)
    workbook = io.BytesIO()
    book.save(workbook)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("audit.xlsx", workbook.getvalue())
        for name, data in images.items():
            z.writestr(f"imagenes/{name}", data)
    result = run_audit([("audit.zip", archive.getvalue())], as_of=AS_OF)
    assert result.usable
    return result.features


@pytest.mark.parametrize("hashes,expected", [
    (("8ce7f058b83a27ca", "8ce7f058b83a27ca", "8ce7f058b83a27ca"), 1.0),
    (("8ce7f058b83a27ca", "8ce7f058b83a27cb", "8CE7F058B83A27C8"), 1.0),  # 1-2 bits apart
    (("8ce7f058b83a27ca", "8ce7f058b83a27ca", "bd4c9b8d075b9524"), 2 / 3),  # 38 bits apart
    (("8ce7f058b83a27ca", "bd4c9b8d075b9524"), 0.5),
])
def test_avatar_hashes_agree_within_max_distance(hashes, expected):
    rows = [["A", n, "villa", h] for n, h in zip(["facebook", "instagram", "x"], hashes,
                                                 strict=False)]
    m = measure(features([AVATARS, *rows]), "avatar_consistency", {})
    assert m.value["A"] == pytest.approx(expected)


def test_avatar_max_distance_is_a_parameter():
    rows = [["A", "facebook", "v", "8ce7f058b83a27ca"], ["A", "x", "v", "8ce7f058b83a27c5"]]
    f = features([AVATARS, *rows])  # 4 bits apart
    assert measure(f, "avatar_consistency", {"max_distance": 3}).value["A"] == 0.5
    assert measure(f, "avatar_consistency", {"max_distance": 4}).value["A"] == 1.0


def test_avatar_images_in_the_zip_are_hashed():
    logo = picture(1)
    images = {"logo.png": encoded(logo, "PNG"),
              "logo_x.jpg": encoded(logo.resize((200, 200)), "JPEG", quality=40),
              "otro.png": encoded(picture(2), "PNG")}
    f = zipped_features([AVATARS, ["A", "facebook", "villa", "logo.png"],
                         ["A", "x", "villa", "Logo_X.JPG"],  # case of the name ignored
                         ["A", "instagram", "villa", "otro.png"],
                         ["A", "youtube", "villa", "perdido.png"]], images)
    m = measure(f, "avatar_consistency", {})
    assert m.value["A"] == pytest.approx(2 / 3)
    assert m.text("es")["A"].startswith("Instagram @villa: imagen distinta de la principal "
                                         "(logo.png; distancia")
    assert m.text("es")["A"].endswith("Sin imagen utilizable: YouTube @villa (perdido.png)")


def test_avatar_hashes_of_image_and_typed_hash_compare():
    data = encoded(picture(1), "PNG")
    hashes, reasons = avatar_hashes(
        pd.Series(["a.png", "8ce7f058b83a27ca", "b.png", "no es hash"]),
        {"a.png": data, "b.png": b"not an image"})
    assert hashes[0] == hashes[1] == int("8ce7f058b83a27ca", 16)
    assert reasons.tolist() == ["", "", "unreadable", "not_found"]


def test_avatar_not_evaluated_with_fewer_than_two_known():
    f = features([AVATARS, ["A", "facebook", "v", "8ce7f058b83a27ca"], ["A", "x", "v", None],
                  ["B", "facebook", "b", "logo.png"], ["B", "x", "b", "otro.png"]])
    m = measure(f, "avatar_consistency", {})
    assert m.value.isna().all()
    assert m.text("es")["A"] == "Solo una imagen de perfil utilizable: nada que comparar"
    assert m.text("es")["B"] == "Ninguna imagen de perfil utilizable"


# --- profile_completeness ------------------------------------------------------------------

COMPLETE = ["institution", "network", "handle", "bio", "website", "verified"]


@pytest.mark.parametrize("rows,expected", [
    ([["Ayuntamiento", "https://villa.example", "sí"]], 1.0),
    ([["Ayuntamiento", "https://villa.example", "no"]], 2 / 3),
    # a blank badge is not a badge; each field is provided by one of the profiles
    ([["Ayuntamiento", None, None], [None, "https://villa.example", "no"]], 1 / 3),
    ([[None, None, "no"], ["Ayuntamiento", "https://villa.example", "sí"]], 0.5),
])
def test_completeness_values(rows, expected):
    profiles = [["A", n, "villa", *row] for n, row in zip(["facebook", "x"], rows,
                                                          strict=False)]
    m = measure(features([COMPLETE, *profiles]), "profile_completeness", {})
    assert m.value["A"] == pytest.approx(expected)


def test_completeness_evidence_lists_what_is_missing():
    f = features([COMPLETE, ["A", "facebook", "villa", "Hola", None, "no"],
                  ["A", "x", "villa", "Hola", "https://villa.example", "sí"]])
    m = measure(f, "profile_completeness", {})
    assert m.text("es")["A"] == "Facebook @villa: sin enlace web, sin verificar"
    assert m.text("en")["A"] == "Facebook @villa: no website link, not verified"


def test_completeness_counts_only_fields_the_data_provide():
    # No website column: bio and badge only.
    f = features([["institution", "network", "handle", "bio", "verified"],
                  ["A", "facebook", "villa", "Hola", "sí"]])
    assert measure(f, "profile_completeness", {}).value["A"] == 1.0


def test_completeness_not_evaluated_without_any_field():
    m = measure(features([HEADER, ["A", "facebook", "villa"]]), "profile_completeness", {})
    assert m.value.isna().all()


# --- listed_on_website ---------------------------------------------------------------------

LISTED = ["institution", "network", "handle", "listed_on_website"]


@pytest.mark.parametrize("answers,expected", [
    (("sí", "sí", "sí"), 1.0),
    (("sí", "no", None), 0.5),  # a blank is unknown, not no
    (("no", "no", "no"), 0.0),
])
def test_listed_on_website_values(answers, expected):
    rows = [["A", n, "villa", a] for n, a in zip(["facebook", "instagram", "x"], answers,
                                                 strict=True)]
    m = measure(features([LISTED, *rows]), "listed_on_website", {})
    assert m.value["A"] == pytest.approx(expected)


def test_listed_on_website_evidence_and_not_evaluated():
    f = features([LISTED, ["A", "facebook", "villa", "sí"], ["A", "x", "villa", "no"],
                  ["B", "facebook", "b", None]])
    m = measure(f, "listed_on_website", {})
    assert m.text("es")["A"] == "No enlazados desde el sitio web: X @villa"
    assert np.isnan(m.value["B"])
