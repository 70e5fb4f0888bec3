"""Write the synthetic demo workbook and the blank template into ``sample_data/``.

    python sample_data/generate_demo.py

The demo exists so that every page of the app and every stage of the pipeline has
something realistic to show without anyone's real data: forty FICTIONAL institutions in
six countries, twelve months of posts ending on ``AS_OF``, citizen interactions, the
governance questionnaire and a handful of planted data problems. Every institution is
given a quality archetype (exemplary, good, average, weak, neglected) that drives how
often it posts, how it writes, how consistent its profiles are and how fast it answers,
so that scores spread and the peer clusters have something to find.

Nothing here reads the clock or an unseeded random source: one ``random.Random(SEED)``
drives every choice, the workbook properties are fixed and the files are saved with
``audit.ingest.template.save_reproducible``, so running the script again gives the same cells
(and, with the same zlib, the same bytes).

The names, places, texts and templates are data files in ``sample_data/demo/``; this
script holds the rules that draw from them:

    institutions.csv   the forty institutions: name, sector, country, archetype, networks
    roles.yaml         those without governance or interactions, hand-made workbooks...
    vocabulary.yaml    what each country calls its neighbourhoods, taxes, leaders...
    slots.yaml         the values of the {slots} in templates, shared by every country
    post_templates.csv and citizen_texts.csv   texts by topic and sector group
    texts.yaml         openers, closers, hashtags, names, evidence notes, sloppy writing
    spellings.yaml     how auditors spell networks, formats, answers and kinds

The shape of the data:

    INSTITUTIONS ──> profiles      one row per account, 3-6 networks each
                               ──> posts         per profile: weekly rate x archetype,
                                                 silent weeks, forced stops, cross-posts
                               ──> interactions  per institution: complaints, questions,
                                                 praise; reply delay drawn per archetype
                               ──> governance    34 institutions x 10 questionnaire items
    PLANTED problems are applied last and listed, with their Excel rows, in «Léame».
"""

from __future__ import annotations

import csv
import math
import random
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make the project's package importable
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from openpyxl.styles import Alignment, Font  # noqa: E402
from openpyxl.utils import get_column_letter  # noqa: E402

from audit.ingest.contract import GOVERNANCE_ITEMS, SHEETS  # noqa: E402
from audit.ingest.template import save_reproducible, write_template  # noqa: E402

__all__ = ["AS_OF", "DEMO_NAME", "INSTITUTIONS", "SEED", "TEMPLATE_NAME", "generate", "main"]

SEED = 20261031
AS_OF = datetime(2026, 10, 31, 23, 59)
WINDOW_START = datetime(2025, 11, 1)
WINDOW_DAYS = (AS_OF.date() - WINDOW_START.date()).days + 1  # 365
DEMO_NAME = "demo_auditoria_sintetica.xlsx"
TEMPLATE_NAME = "plantilla_auditoria.xlsx"
WORKBOOK_TIME = datetime(2026, 11, 1, 9, 0)
DATE_FORMAT = "dd/mm/yyyy hh:mm"
TEXT_DATE = "%d/%m/%Y %H:%M"
# The planted misspelt header: an optional column the scoring does not rely on.
MISSPELT = ("created_at", "fecha_creacoin")

# ---------------------------------------------------------------------------------------
# Reading the data files (sample_data/demo/).
# ---------------------------------------------------------------------------------------

DATA = Path(__file__).resolve().parent / "demo"


def _tuples(value):
    """YAML lists as tuples, like the rest of the generator's fixed tables."""
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    if isinstance(value, dict):
        return {k: _tuples(v) for k, v in value.items()}
    return value


def _yaml(name: str):
    with (DATA / name).open(encoding="utf-8") as f:
        return _tuples(yaml.safe_load(f))


def _csv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _bank(name: str, key: str) -> dict[str, tuple[tuple[str, str], ...]]:
    """Templates by topic or category, each as (sector groups, text), in file order."""
    bank: dict[str, list[tuple[str, str]]] = {}
    for row in _csv(name):
        bank.setdefault(row[key], []).append((row["sectors"], row["text"]))
    return {topic: tuple(texts) for topic, texts in bank.items()}


# ---------------------------------------------------------------------------------------
# The institutions and the roles they play in the demo.
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Institution:
    """One fictional institution and what shapes its data."""

    name: str
    short: str
    sector: str  # as the auditor wrote it; every spelling maps to a contract sector
    country: str
    region: str
    archetype: str
    handle: str  # its main handle
    place: str  # the town, region or country its posts talk about
    domain: str
    networks: tuple[str, ...]

    @property
    def kind(self) -> str:
        """Sector group used to pick texts: L, R, N (government), H (health), B (library)."""
        sector = _fold(self.sector)
        if any(w in sector for w in ("biblioteca",)):
            return "B"
        if any(w in sector for w in ("salud", "hospital", "consultorio")):
            return "H"
        if any(w in sector for w in ("nacional", "federal", "ministerio")):
            return "N"
        if any(w in sector for w in ("regional", "estatal", "provincial", "gobernacion")):
            return "R"
        return "L"

    @property
    def practice(self) -> bool:
        """A doctor's practice: small, few followers, few posts."""
        return "consultorio" in _fold(self.name)


_NETS = {"fb": "facebook", "ig": "instagram", "x": "x", "yt": "youtube", "tt": "tiktok",
         "li": "linkedin", "wa": "whatsapp", "tg": "telegram", "fl": "flickr", "blog": "blog"}


# The institutions. All names, places, handles and domains are invented (domains use the
# reserved .example suffix); regions are real except those of the invented regional
# governments. Networks are written as short codes.
INSTITUTIONS: tuple[Institution, ...] = tuple(
    Institution(**{k: v for k, v in row.items() if k != "networks"},
                networks=tuple(_NETS[n] for n in row["networks"].split()))
    for row in _csv("institutions.csv")
)

ROLES = _yaml("roles.yaml")
NO_GOVERNANCE = ROLES["no_governance"]
NO_INTERACTIONS = ROLES["no_interactions"]
UNLABELLED_COMPLAINTS = ROLES["unlabelled_complaints"]
HAND_MADE = ROLES["hand_made"]
OVERCLAIMS = ROLES["overclaims"]
# (institution, network) -> last post as days before AS_OF, or, for a profile that never
# posts in the window, the last_post_at the auditor recorded (possibly None).
FORCED_LAST_POST = {(p["institution"], p["network"]): p["days"]
                    for p in ROLES["forced_last_post"]}
NEVER_POSTS = {(p["institution"], p["network"]): p["last_post_at"]
               for p in ROLES["never_posts"]}

# ---------------------------------------------------------------------------------------
# Archetypes: how often and how well each quality level posts, answers and governs.
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Archetype:
    """How an institution of one quality level behaves; every number is a tendency."""

    post_scale: float  # multiplies the base weekly rate of each network
    silent: float  # chance that a week goes without posts
    stop: float  # chance that a profile stops posting part-way through the year
    topics: dict[str, float]
    sloppy: float  # share of posts with texting abbreviations, no accents, shouting...
    verbatim: float  # share of secondary-network posts copied word for word
    engagement: float  # likes per follower per post
    reply_rate: float
    complaint_reply_rate: float
    reply_hours: float  # median hours to the first reply
    governance: tuple[float, float]  # chance of «sí», of «parcial»
    evidence: float
    hours: tuple[int, int]  # posting hours


ARCHETYPES = {
    "exemplary": Archetype(
        1.0, 0.0, 0.0,
        {"service": 30, "event": 12, "transparency": 20, "thanks": 7, "invite": 12, "live": 6,
         "greeting": 5},
        0.01, 0.02, 0.010, 0.93, 0.98, 0.4, (0.85, 0.13), 0.7, (8, 20)),
    "good": Archetype(
        0.55, 0.05, 0.0,
        {"service": 35, "event": 15, "transparency": 12, "thanks": 7, "invite": 8, "live": 5,
         "greeting": 7, "political": 1},
        0.05, 0.10, 0.007, 0.82, 0.88, 2.5, (0.6, 0.3), 0.5, (8, 21)),
    "average": Archetype(
        0.32, 0.15, 0.05,
        {"service": 35, "event": 18, "transparency": 7, "thanks": 8, "invite": 4, "live": 4,
         "greeting": 12, "political": 5},
        0.12, 0.25, 0.004, 0.6, 0.55, 14.0, (0.3, 0.4), 0.3, (7, 22)),
    "weak": Archetype(
        0.16, 0.35, 0.15,
        {"service": 30, "event": 18, "transparency": 3, "thanks": 7, "invite": 2, "live": 3,
         "greeting": 15, "political": 14},
        0.32, 0.45, 0.0025, 0.3, 0.2, 50.0, (0.1, 0.3), 0.15, (6, 23)),
    "neglected": Archetype(
        0.07, 0.55, 0.35,
        {"service": 35, "event": 15, "transparency": 2, "thanks": 5, "invite": 1, "live": 1,
         "greeting": 20, "political": 12},
        0.38, 0.5, 0.0012, 0.12, 0.05, 120.0, (0.0, 0.15), 0.1, (0, 24)),
}

# Posts per week of an exemplary, mid-sized institution on each network.
BASE_RATE = {"facebook": 3.6, "x": 4.2, "instagram": 2.6, "youtube": 0.45, "tiktok": 1.3,
             "linkedin": 0.8, "whatsapp": 1.6, "telegram": 1.6, "flickr": 0.35, "blog": 0.45}
# The least an archetype posts on any network it keeps, in posts per week.
RATE_FLOOR = {"exemplary": 0.6, "good": 0.4, "average": 0.15, "weak": 0.0, "neglected": 0.0}
# Days within which an exemplary or good institution has posted on every network it keeps.
KEEP_ALIVE_DAYS = {"exemplary": 14, "good": 30}
SECTOR_RATE = {"L": 1.0, "R": 1.0, "N": 1.25, "H": 0.75, "B": 0.65}
# Followers of the Facebook page of a mid-sized institution, by sector (low, high).
FOLLOWERS = {"L": (4_000, 70_000), "R": (20_000, 160_000), "N": (80_000, 900_000),
             "H": (5_000, 60_000), "B": (800, 14_000)}
# The national flagship has over a million followers on its main page («1,6 M»).
FOLLOWERS_OVERRIDE = {"Instituto Nacional de Atención Ciudadana Digital": 1_200_000}
NETWORK_FOLLOWERS = {"facebook": 1.0, "x": 0.65, "instagram": 0.6, "youtube": 0.12,
                     "tiktok": 0.3, "linkedin": 0.15, "whatsapp": 0.12, "telegram": 0.05,
                     "flickr": 0.01, "blog": 0.0}
NETWORK_ENGAGEMENT = {"facebook": 1.0, "x": 0.35, "instagram": 1.6, "youtube": 0.6,
                      "tiktok": 2.0, "linkedin": 0.8, "whatsapp": 0.25, "telegram": 0.0,
                      "flickr": 0.3, "blog": 0.02}
ARCHETYPE_FOLLOWERS = {"exemplary": 1.5, "good": 1.2, "average": 1.0, "weak": 0.7,
                       "neglected": 0.4}
INTERACTIONS_PER_INSTITUTION = {"exemplary": 125, "good": 95, "average": 80, "weak": 60,
                                "neglected": 30}
INTERACTION_NETWORKS = {"facebook": 5, "instagram": 3, "x": 3, "whatsapp": 4, "telegram": 1,
                        "youtube": 1, "tiktok": 1.5, "linkedin": 0.5, "flickr": 0.1,
                        "blog": 0.3}

# ---------------------------------------------------------------------------------------
# Texts, vocabulary and spellings.
# ---------------------------------------------------------------------------------------

SPELLINGS = _yaml("spellings.yaml")
NETWORK_SPELLINGS = SPELLINGS["networks"]
FORMAT_SPELLINGS = SPELLINGS["formats"]
BOOLEAN_SPELLINGS = SPELLINGS["booleans"]
ANSWER_SPELLINGS = SPELLINGS["answers"]
KIND_SPELLINGS = SPELLINGS["kinds"]

VOCABULARY = _yaml("vocabulary.yaml")
COUNTRY = dict(VOCABULARY["countries"])
COUNTRY["Mexico"] = COUNTRY["México"]
COUNTRY["Peru"] = COUNTRY["Perú"]
MONTHS = VOCABULARY["months"]
WEEKDAYS = VOCABULARY["weekdays"]
WORDS = _yaml("slots.yaml")

# Templates: (sector groups, text). L/R/N government, H health, B library, * any.
POST_TEMPLATES = _bank("post_templates.csv", "topic")
INTERACTION_TEMPLATES = _bank("citizen_texts.csv", "category")

TEXTS = _yaml("texts.yaml")
OPENERS = TEXTS["openers"]
CLOSING_TOPICS = ("service", "event", "transparency", "invite")
CLOSERS = TEXTS["closers"]
EMOJIS = TEXTS["emojis"]
TOPIC_HASHTAGS = TEXTS["topic_hashtags"]
SECTOR_HASHTAGS = TEXTS["sector_hashtags"]
FIRST_NAMES = TEXTS["first_names"]
SURNAMES = TEXTS["surnames"]
EVIDENCE_NOTES = TEXTS["evidence_notes"]
CLIPPED = TEXTS["clipped"]
MISSPELLINGS = TEXTS["misspellings"]
SLOPPY_ENDINGS = TEXTS["sloppy_endings"]

# Relative weights of what citizens write; complaints weigh more where service is worse.
CITIZEN_CATEGORIES = {"question": 0.38, "praise": 0.2, "other": 0.12}
COMPLAINT_SHARE = {"exemplary": 0.22, "good": 0.26, "average": 0.3, "weak": 0.36,
                   "neglected": 0.4}

# ---------------------------------------------------------------------------------------
# Helpers.
# ---------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    """Lower case without accents, to compare words."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _strip_accents(text: str) -> str:
    """Remove the accents a hurried writer leaves out (keeps ñ, emoji and punctuation)."""
    out = []
    for char in text:
        if char in "ñÑ":
            out.append(char)
            continue
        decomposed = unicodedata.normalize("NFD", char)
        out.append(decomposed[0] if decomposed[0].isascii() and len(decomposed) > 1 else char)
    return "".join(out)


def _replace_word(text: str, word: str, new: str) -> str:
    """Replace a whole word, keeping a capital initial."""
    def swap(match: re.Match) -> str:
        found = match.group(0)
        return new[:1].upper() + new[1:] if found[:1].isupper() else new
    return re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", swap, text, flags=re.IGNORECASE)


def _contract(text: str) -> str:
    """Spanish contracts «a el» and «de el» (but not before a capitalised name: «de El Hato»)."""
    return text.replace(" a el ", " al ").replace(" de el ", " del ")


def _camel(place: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in _strip_accents(place).split())


def _spanish_number(value: float, decimals: int = 0) -> str:
    """1234.5 -> '1.234,5': how Spanish writers format numbers."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _templates(bank, kind: str):
    return [text for groups, text in bank if groups == "*" or kind in groups]


class _Slots(dict):
    """Template values, drawn on first use so each post gets its own combination."""

    def __init__(self, rng: random.Random, inst: Institution, when: datetime,
                 leader: tuple[str, bool]):
        super().__init__()
        self.rng, self.inst, self.when, self.leader = rng, inst, when, leader
        self.vocab = COUNTRY[inst.country]

    def __missing__(self, key: str) -> str:
        value = self._draw(key)
        self[key] = value
        return value

    def _later(self, low: int, high: int) -> datetime:
        return self.when + timedelta(days=self.rng.randint(low, high))

    def _fill(self, text: str) -> str:
        return text.format_map(self) if "{" in text else text

    def _draw(self, key: str) -> str:
        rng, inst, vocab = self.rng, self.inst, self.vocab
        if f"{key}_{inst.kind}" in WORDS:
            return self._fill(rng.choice(WORDS[f"{key}_{inst.kind}"]))
        if key in WORDS:
            return self._fill(rng.choice(WORDS[key]))
        if key in ("barrio", "calle", "calle2"):
            pool = vocab["barrios"] if key == "barrio" else vocab["calles"]
            value = rng.choice(pool)
            if key == "calle2" and value == self.get("calle"):
                value = pool[(pool.index(value) + 1) % len(pool)]
            return value
        if key == "impuesto":
            return rng.choice(vocab["impuestos"])
        if key in ("feriado", "movil", "emergencias"):
            return vocab[key]
        if key == "telefono":
            return vocab["telefono"].format(a=rng.randint(100, 999), b=rng.randint(1000, 9999))
        if key == "web":
            return f"www.{inst.domain}.example"
        if key == "place":
            return inst.place
        if key == "fecha":
            day = self._later(2, 14)
            return f"el {day.day} de {MONTHS[day.month - 1]}"
        if key == "fecha_cap":
            return "E" + self["fecha"][1:]
        if key == "dia_fecha":
            day = self._later(1, 6)
            while day.weekday() > 4:  # a working day: offices close, water is cut on these
                day += timedelta(days=1)
            return f"{WEEKDAYS[day.weekday()]} {day.day} de {MONTHS[day.month - 1]}"
        if key == "dia_semana":
            return WEEKDAYS[self._later(1, 6).weekday()]
        if key in ("h1", "h2", "hora", "h_noche"):
            start = {"h1": (7, 10), "h2": (13, 20), "hora": (10, 19), "h_noche": (20, 22)}[key]
            return f"{rng.randint(*start)}:{rng.choice(('00', '00', '30'))}"
        if key == "anio":
            return str(self.when.year)
        if key == "anio_ant":
            return str(self.when.year - 1)
        if key == "mes":
            return MONTHS[(self.when.month - 2) % 12]
        if key == "trimestre":
            return ("cuarto", "primer", "segundo", "tercer")[(self.when.month - 1) // 3]
        if key in ("monto", "monto_pequeno"):
            unit, low, high = vocab["moneda"]
            amount = math.exp(rng.uniform(math.log(low), math.log(high)))
            if key == "monto_pequeno":
                amount /= 200
            elif inst.kind in ("H", "B"):
                amount /= 15
            if "millones" in unit:
                return f"{_spanish_number(amount, 1 if amount < 100 else 0)} {unit}"
            if amount >= 1:
                return f"{_spanish_number(amount, 1)} millones de {unit}"
            return f"{_spanish_number(amount * 1_000_000, 0)} {unit}"
        ranges = {"pct": (3, 28), "pct_alto": (62, 97), "n_medio": (120, 4_800),
                  "n_grande": (8_000, 140_000), "n_act": (6, 90), "n_dias": (7, 45),
                  "n_min": (25, 140), "n_libros": (3, 8), "n_planta": (1, 4),
                  "n_prestamo": (14, 21)}
        if key.rstrip("2") in ranges:
            return _spanish_number(rng.randint(*ranges[key.rstrip("2")]))
        if key == "logro2":  # a second result, with its own numbers and place
            text = rng.choice(WORDS["logro"])
            return self._fill(re.sub(r"\{(\w+)\}", r"{\g<1>2}", text))
        if key in ("barrio2", "tramite2", "area_gasto2"):
            return self._draw(key[:-1])
        if key == "festividad":  # greetings follow the calendar
            month, day = self.when.month, self.when.day
            if month == 12 and day >= 20:
                return "Navidad"
            if month == 1 and day <= 6:
                return "Año Nuevo"
            return "fin de semana largo"
        if key == "hashtag_inst":
            return f"#{_camel(inst.place)}"
        if key == "sesion":
            return vocab["sesion"].get(inst.kind, "la rueda de prensa")
        if key in ("el_lider", "El_lider", "nuestro_lider"):
            title, feminine = self.leader
            article, ours = ("la", "nuestra") if feminine else ("el", "nuestro")
            return {"el_lider": f"{article} {title}", "El_lider": f"{article.title()} {title}",
                    "nuestro_lider": f"{ours} {title}"}[key]
        if key == "slogan":
            return rng.choice((f"#{_camel(inst.place)}Avanza", "#SeguimosCumpliendo",
                               "#ElCambioSeNota", f"#Juntos{_camel(inst.place)}"))
        if key == "slogan_text":
            return rng.choice((f"{inst.place} avanza", "Seguimos cumpliendo",
                               "El cambio se nota"))
        if key == "emoji":
            return rng.choice(EMOJIS)
        raise KeyError(key)


def _leader(rng: random.Random, inst: Institution) -> tuple[str, bool]:
    """The title of whoever heads the institution, and whether it is a woman."""
    titles = COUNTRY[inst.country]["lider"].get(inst.kind, ("director", "directora"))
    feminine = rng.random() < 0.5
    return titles[feminine], feminine


def _sloppy(rng: random.Random, text: str, inst: Institution) -> str:
    """Roughen a text the way a hurried community manager does: one to three habits."""
    habits = rng.sample(("clip", "accents", "misspell", "shout", "hashtags"), rng.randint(1, 3))
    if "clip" in habits:
        for word, short in CLIPPED:
            if rng.random() < 0.85:
                text = _replace_word(text, word, short)
        if rng.random() < 0.6:
            text = f"{text} {rng.choice(SLOPPY_ENDINGS)}"
    if "misspell" in habits:
        for word, wrong in MISSPELLINGS:
            text = _replace_word(text, word, wrong)
        text = text.replace("¿", "").replace("¡", "")
    if "accents" in habits:
        text = _strip_accents(text)
    if "shout" in habits:
        text = text.upper().rstrip(".") + rng.choice(("!!!", "!!", " !!!!"))
    if "hashtags" in habits:
        tags = rng.sample(WORDS["hashtag_extra"], rng.randint(6, 10))
        text = f"{text} #{_camel(inst.place)} {' '.join(tags)}"
    return text


def _post_text(rng: random.Random, inst: Institution, network: str, topic: str,
               when: datetime, leader: tuple[str, bool], arche: Archetype) -> str:
    """One post: a template with its slots filled, dressed for the network and archetype."""
    slots = _Slots(rng, inst, when, leader)
    body = rng.choice(_templates(POST_TEMPLATES[topic], inst.kind)).format_map(slots)
    if topic in ("service", "event") and rng.random() < 0.35:
        opener = rng.choice(OPENERS)
        if opener.endswith(": "):  # Spanish goes on in lower case after a colon
            body = re.sub(r"^([¿¡]?)(\w)", lambda m: m.group(1) + m.group(2).lower(), body)
        body = opener + body
    if topic in CLOSING_TOPICS and network not in ("x", "tiktok") and rng.random() < 0.3:
        body = f"{body} {rng.choice(CLOSERS).format_map(slots)}"
    body = _contract(body)
    if network == "youtube":
        title = re.split(r"(?<=[.!?])\s", body)[0].rstrip(".")
        body = f"{title} | {inst.short}" if rng.random() < 0.6 else title
    tags = list(TOPIC_HASHTAGS[topic]) + list(SECTOR_HASHTAGS.get(inst.kind, ()))
    n_tags = {"x": 2, "instagram": 3, "tiktok": 4}.get(network, 1)
    if tags and topic != "political" and rng.random() < 0.45:
        chosen = rng.sample(tags, min(len(tags), rng.randint(1, n_tags)))
        body = f"{body} {' '.join(chosen)}"
    if rng.random() < 0.12 and topic not in ("greeting", "political"):
        body = f"{body} {rng.choice(EMOJIS)}"
    if rng.random() < arche.sloppy:
        body = _sloppy(rng, body, inst)
    return body


# ---------------------------------------------------------------------------------------
# Profiles.
# ---------------------------------------------------------------------------------------


@dataclass
class Profile:
    """One account, with the values written to the sheet and what drives its posts."""

    inst: Institution
    network: str
    handle: str  # bare handle, without @ or URL
    written: str  # as written in the profiles sheet
    followers: int
    row: dict = field(default_factory=dict)
    posts: list = field(default_factory=list)


def _handle_variants(rng: random.Random, inst: Institution) -> list[str]:
    """Plausible other handles an institution ends up with when nobody coordinates."""
    main = inst.handle
    place = re.sub(r"\W", "", _fold(inst.place))
    year = rng.choice(("2015", "2019", "2021", "2023"))
    return [f"{main}_", f"{main}Oficial", f"{main.lower()}.oficial", f"{main}{year[2:]}",
            f"prensa{main.lower()}", f"{place}{inst.short.split()[0].lower().strip('.')}",
            f"{place}_{year}", f"comunicaciones{place}", f"{main[:6]}{place[:5]}"]


def _written_handle(rng: random.Random, network: str, handle: str, domain: str) -> str:
    """The handle as an auditor copies it: @name, name or one of the profile URL forms."""
    forms = {
        "facebook": (f"https://www.facebook.com/{handle}/", f"facebook.com/{handle}",
                     f"@{handle}", handle),
        "instagram": (f"instagram.com/{handle.lower()}/", f"https://www.instagram.com/{handle}",
                      f"@{handle.lower()}"),
        "x": (f"https://x.com/{handle}?lang=es", f"@{handle}", f"twitter.com/{handle}",
              f"https://twitter.com/{handle}"),
        "youtube": (f"youtube.com/@{handle}", f"https://www.youtube.com/@{handle}",
                    f"@{handle}"),
        "tiktok": (f"https://www.tiktok.com/@{handle.lower()}", f"@{handle.lower()}"),
        "linkedin": (f"https://www.linkedin.com/company/{handle.lower()}/",
                     f"linkedin.com/company/{handle.lower()}"),
        "whatsapp": (f"@{handle}", handle),
        "telegram": (f"t.me/{handle}", f"@{handle}", f"https://t.me/{handle}"),
        "flickr": (f"flickr.com/photos/{handle.lower()}", handle.lower()),
        "blog": (f"https://blog.{domain}.example", f"blog.{domain}.example"),
    }[network]
    return rng.choice(forms)


def _profile_url(network: str, handle: str, domain: str) -> str:
    return {
        "facebook": f"https://www.facebook.com/{handle}",
        "instagram": f"https://www.instagram.com/{handle.lower()}/",
        "x": f"https://x.com/{handle}",
        "youtube": f"https://www.youtube.com/@{handle}",
        "tiktok": f"https://www.tiktok.com/@{handle.lower()}",
        "linkedin": f"https://www.linkedin.com/company/{handle.lower()}/",
        "whatsapp": f"https://whatsapp.com/channel/{handle}",
        "telegram": f"https://t.me/{handle}",
        "flickr": f"https://www.flickr.com/photos/{handle.lower()}/",
        "blog": f"https://blog.{domain}.example",
    }[network]


def _followers_cell(rng: random.Random, value: int):
    """Mostly a number; sometimes the text an auditor copies from the profile page."""
    if value >= 1_000_000:  # pages show millions rounded, and that is what gets copied
        return f"{_spanish_number(value / 1_000_000, 1)} M"
    if rng.random() > 0.16 or value < 1000:
        return value
    if value >= 10_000 and rng.random() < 0.6:
        thousands = round(value / 1000, 1)
        return f"{_spanish_number(thousands, 0 if thousands == int(thousands) else 1)} mil"
    return _spanish_number(value)


def _flip_bits(rng: random.Random, value: int, bits: int) -> int:
    for position in rng.sample(range(64), bits):
        value ^= 1 << position
    return value


def _bio(rng: random.Random, inst: Institution, archetype: str) -> str | None:
    purpose = {
        "L": "Información de servicios, trámites y actualidad municipal",
        "R": "Programas, obras y servicios del gobierno regional",
        "N": "Trámites, programas y rendición de cuentas",
        "H": "Citas, campañas de salud y servicios. No atendemos emergencias por esta vía: "
             f"llama al {COUNTRY[inst.country]['emergencias']}",
        "B": "Préstamos, actividades, club de lectura y novedades",
    }[inst.kind]
    web = f"www.{inst.domain}.example"
    options = {
        "exemplary": (f"Cuenta oficial de {inst.name}. {purpose}. Atención de lunes a viernes "
                      f"de 8:00 a 15:00. Normas de participación: {web}/redes",),
        "good": (f"Cuenta oficial de {inst.name}. {purpose}.", f"{purpose}. {web}"),
        "average": (f"{purpose}.", f"{inst.short} 🌳", None),
        "weak": ("Bienvenidos a la página oficial!!", f"Trabajando por {inst.place} 💪", None,
                 None),
        "neglected": (None, None, None, "Página en construcción"),
    }[archetype]
    return rng.choice(options)


def _display_names(rng: random.Random, inst: Institution, archetype: str) -> list[str | None]:
    variants = [inst.name, inst.short, inst.name.upper(), f"{inst.short} - Oficial",
                f"{inst.place} Avanza", f"{inst.short} 2023-2027", inst.place, None]
    if archetype == "exemplary":
        pool, weights = variants[:1], [1]
    elif archetype == "good":
        pool, weights = variants[:2], [6, 1]
    elif archetype == "average":
        pool, weights = variants[:4], [4, 3, 1, 1]
    elif archetype == "weak":
        pool, weights = variants[1:7], [3, 1, 2, 2, 1, 1]
    else:
        pool, weights = variants[1:], [2, 1, 1, 1, 1, 1, 2]
    return rng.choices(pool, weights=weights, k=len(inst.networks))


def _make_profiles(rng: random.Random, inst: Institution, used: set[tuple[str, str]]
                   ) -> list[Profile]:
    """The accounts of one institution, with identity quality set by its archetype."""
    archetype = inst.archetype
    variants = _handle_variants(rng, inst)
    keep_main = {"exemplary": 1.0, "good": 0.85, "average": 0.55, "weak": 0.3,
                 "neglected": 0.1}[archetype]
    size = math.exp(rng.uniform(*(math.log(v) for v in FOLLOWERS[inst.kind])))
    if inst.practice:
        size = rng.uniform(250, 3_500)
    size = FOLLOWERS_OVERRIDE.get(inst.name, size) * ARCHETYPE_FOLLOWERS[archetype]
    names = _display_names(rng, inst, archetype)
    bio = _bio(rng, inst, archetype)
    has_avatar = rng.random() < 0.5 or archetype == "exemplary"
    base_hash = rng.getrandbits(64)
    verified_style = rng.choice(BOOLEAN_SPELLINGS)
    listed_style = rng.choice(BOOLEAN_SPELLINGS[:4])
    listed_rate = {"exemplary": 1.0, "good": 0.8, "average": 0.5, "weak": 0.2,
                   "neglected": 0.0}[archetype]
    website_rate = {"exemplary": 1.0, "good": 0.85, "average": 0.6, "weak": 0.25,
                    "neglected": 0.1}[archetype]
    created_base = datetime(rng.randint(2010, 2019), rng.randint(1, 12), rng.randint(1, 28))
    profiles = []
    for index, network in enumerate(inst.networks):
        handle = inst.handle
        if index > 0 and rng.random() > keep_main:
            handle = rng.choice(variants[:4] if archetype in ("good", "average") else variants)
        if network in ("x", "youtube"):
            handle = handle.replace(".", "_")
        while (network, handle.lower()) in used:
            handle += str(rng.randint(1, 9))
        used.add((network, handle.lower()))
        followers = int(size * NETWORK_FOLLOWERS[network] * rng.uniform(0.6, 1.5))
        if network == "blog":
            followers = 0
        profile = Profile(inst, network, handle,
                          _written_handle(rng, network, handle, inst.domain), followers)
        big = network in ("facebook", "x", "instagram", "youtube")
        verified = {"exemplary": big, "good": network in ("facebook", "x") and rng.random() < 0.7,
                    "average": big and rng.random() < 0.2}.get(archetype, False)
        if has_avatar:
            bits = {"exemplary": rng.choice((0, 0, 1)), "good": rng.randint(0, 3),
                    "average": rng.choice((1, 3, 5, 30)), "weak": rng.choice((4, 28, 32)),
                    "neglected": rng.choice((26, 30, 34))}[archetype]
            avatar = f"{_flip_bits(rng, base_hash, bits):016x}"
        else:
            avatar = None
        created = created_base + timedelta(days=rng.randint(0, 2500))
        if network == "tiktok":
            created = max(created, datetime(2020, 3, 1) + timedelta(days=rng.randint(0, 900)))
        profile.row = {
            "institution": inst.name,
            "network": None,  # spelt later, per institution
            "handle": profile.written,
            "sector": inst.sector,
            "country": inst.country,
            "region": inst.region,
            "display_name": names[index],
            "url": _profile_url(network, handle, inst.domain) if rng.random() < 0.45 else None,
            "followers": _followers_cell(rng, followers) if network != "blog" else None,
            "verified": verified_style[0] if verified else verified_style[1],
            "bio": bio if rng.random() < 0.9 else None,
            "website": (f"https://www.{inst.domain}.example" if rng.random() < website_rate
                        else None),
            "avatar": avatar,
            "listed_on_website": listed_style[0 if rng.random() < listed_rate else 1],
            "created_at": created if rng.random() < 0.85 and created < WINDOW_START else None,
            "last_post_at": None,
            "posts_90d": None,
        }
        if archetype in ("weak", "neglected") and profile.row["website"] and rng.random() < 0.5:
            profile.row["website"] = f"http://{inst.domain}.blogspot.example"
        profiles.append(profile)
    return profiles


# ---------------------------------------------------------------------------------------
# Posts.
# ---------------------------------------------------------------------------------------

FORMATS = {
    "facebook": {"photo": 50, "link": 25, "video": 10, "text": 10, "reel": 5},
    "instagram": {"photo": 50, "reel": 30, "story": 20},
    "x": {"text": 40, "photo": 35, "link": 20, "video": 5},
    "youtube": {"video": 1},
    "tiktok": {"video": 1},
    "linkedin": {"text": 40, "link": 30, "photo": 30},
    "whatsapp": {"text": 60, "link": 30, "photo": 10},
    "telegram": {"text": 60, "link": 30, "photo": 10},
    "flickr": {"photo": 1},
    "blog": {"text": 70, "link": 30},
}
TOPIC_ENGAGEMENT = {"service": 1.0, "event": 1.25, "transparency": 0.8, "thanks": 1.3,
                    "invite": 1.1, "live": 1.2, "greeting": 0.9, "political": 0.7}


def _post_times(rng: random.Random, profile: Profile, arche: Archetype, rate: float,
                start: datetime, end: datetime) -> list[datetime]:
    """When a profile posts: a weekly on/off chain, then a binomial count per week."""
    times = []
    silent = False
    day = start
    while day <= end:
        stay = 0.6 if silent else 1 - arche.silent
        silent = rng.random() < stay if silent else rng.random() > stay
        if not silent:
            count = sum(1 for _ in range(21) if rng.random() < min(rate / 21, 1.0))
            for _ in range(count):
                when = day + timedelta(days=rng.randint(0, 6))
                low, high = arche.hours
                hour = rng.randint(low, high - 1)
                if arche.hours == (0, 24) and rng.random() < 0.7:
                    hour = rng.randint(8, 22)
                when = when.replace(hour=hour, minute=rng.randint(0, 59))
                if start <= when <= end:
                    times.append(when)
        day += timedelta(days=7)
    return sorted(times)


def _metrics(rng: random.Random, profile: Profile, arche: Archetype, topic: str, fmt: str
             ) -> tuple:
    followers = max(profile.followers, 50)
    rate = arche.engagement * NETWORK_ENGAGEMENT[profile.network] * TOPIC_ENGAGEMENT[topic]
    rate *= {"video": 1.3, "reel": 1.5, "live": 1.2, "text": 0.7, "story": 0.6}.get(fmt, 1.0)
    likes = int(followers * rate * rng.lognormvariate(0, 0.8))
    if profile.network == "blog":
        likes = None
    comments = int((likes or 3) * 0.07 * rng.lognormvariate(0, 0.7)
                   * (3 if topic in ("invite", "political") else 1))
    shares = int((likes or 0) * 0.15 * rng.lognormvariate(0, 0.8))
    views = None
    if fmt in ("video", "reel", "live", "story"):
        views = int(followers * 0.25 * rng.lognormvariate(0, 0.7))
    elif profile.network in ("x", "telegram", "whatsapp"):
        views = int(followers * 0.3 * rng.lognormvariate(0, 0.6))
    elif profile.network == "blog":
        views = int(rng.lognormvariate(5.5, 0.8))
    if profile.network in ("telegram",):
        likes, comments, shares = None, None, None
    if profile.network in ("whatsapp",):
        comments, shares = None, None
    return likes, comments, shares, views


def _post_id(rng: random.Random, network: str) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
    if network in ("x", "tiktok"):
        return str(rng.randint(10**18, 2 * 10**18))
    if network == "facebook":
        return f"{rng.randint(10**14, 10**15)}_{rng.randint(10**15, 10**16)}"
    if network in ("instagram", "youtube"):
        return "".join(rng.choice(alphabet) for _ in range(11))
    return str(rng.randint(10**8, 10**9))


def _post_url(profile: Profile, post_id: str) -> str:
    handle, network = profile.handle, profile.network
    return {
        "facebook": f"https://www.facebook.com/{handle}/posts/{post_id.split('_')[-1]}",
        "instagram": f"https://www.instagram.com/p/{post_id}/",
        "x": f"https://x.com/{handle}/status/{post_id}",
        "youtube": f"https://www.youtube.com/watch?v={post_id}",
        "tiktok": f"https://www.tiktok.com/@{handle.lower()}/video/{post_id}",
        "linkedin": f"https://www.linkedin.com/feed/update/urn:li:activity:{post_id}",
        "whatsapp": f"https://whatsapp.com/channel/{handle}/{post_id}",
        "telegram": f"https://t.me/{handle}/{post_id}",
        "flickr": f"https://www.flickr.com/photos/{handle.lower()}/{post_id}",
        "blog": f"https://blog.{profile.inst.domain}.example/{post_id}",
    }[network]


def _make_posts(rng: random.Random, profiles: list[Profile]) -> None:
    """Fill ``profile.posts`` for one institution's profiles."""
    inst = profiles[0].inst
    arche = ARCHETYPES[inst.archetype]
    leader = _leader(rng, inst)
    intensity = rng.uniform(0.75, 1.35) * (1.4 if inst.kind == "N" and
                                            inst.archetype == "exemplary" else 1.0)
    if inst.practice:
        intensity *= 0.45
    topics = dict(arche.topics)
    if inst.kind in ("H", "B") and "political" in topics:
        topics["political"] *= 0.3
    primary_by_day: dict = {}
    written: set[str] = set()
    for index, profile in enumerate(profiles):
        key = (inst.name, profile.network)
        if key in NEVER_POSTS:
            continue
        rate = BASE_RATE[profile.network] * SECTOR_RATE[inst.kind] * arche.post_scale
        rate *= intensity * rng.uniform(0.7, 1.3)
        rate = max(rate, RATE_FLOOR[inst.archetype])
        start, end = WINDOW_START, AS_OF
        if key in FORCED_LAST_POST:
            end = (AS_OF - timedelta(days=FORCED_LAST_POST[key])).replace(hour=23, minute=0)
            rate = max(rate, 0.8)
        elif index > 0 and rng.random() < arche.stop:
            end = WINDOW_START + timedelta(days=rng.randint(90, 330))
        if profile.network == "tiktok" and rng.random() < 0.3:
            start = WINDOW_START + timedelta(days=rng.randint(30, 150))
        times = _post_times(rng, profile, arche, rate, start, end)
        if key in FORCED_LAST_POST:
            times = [t for t in times if t.date() < end.date()]
            times.append(end.replace(hour=rng.randint(9, 18), minute=rng.randint(0, 59)))
        elif inst.archetype in KEEP_ALIVE_DAYS:  # well-run accounts never go quiet for long
            recent = AS_OF - timedelta(days=KEEP_ALIVE_DAYS[inst.archetype])
            if not times or times[-1] < recent:
                day = recent + timedelta(days=rng.randint(1, KEEP_ALIVE_DAYS[inst.archetype] - 1))
                times.append(day.replace(hour=rng.randint(9, 18), minute=rng.randint(0, 59)))
        for when in times:
            topic = _weighted(rng, topics)
            text = None
            if index > 0 and rng.random() < arche.verbatim:
                recent = [post for back in range(7)
                          for post in primary_by_day.get((when - timedelta(days=back)).date(), ())]
                if recent:  # cross-posted word for word, a few minutes after the main network
                    source_time, text, topic = rng.choice(recent)
                    when = source_time + timedelta(minutes=rng.randint(0, 4))
            if text is None:
                for _ in range(8):  # distinct texts unless copied on purpose
                    text = _post_text(rng, inst, profile.network, topic, when, leader, arche)
                    if text not in written:
                        break
                written.add(text)
            fmt = _weighted(rng, FORMATS[profile.network])
            if topic == "live" and profile.network in ("facebook", "youtube", "instagram",
                                                        "tiktok"):
                fmt = "live"
            elif topic == "live":
                fmt = "link"
            profile.posts.append({"when": when, "text": text, "format": fmt, "topic": topic,
                                  "metrics": _metrics(rng, profile, arche, topic, fmt)})
            if index == 0:
                primary_by_day.setdefault(when.date(), []).append((when, text, topic))
        profile.posts.sort(key=lambda post: post["when"])


# ---------------------------------------------------------------------------------------
# Interactions and governance.
# ---------------------------------------------------------------------------------------


def _author(rng: random.Random) -> str:
    first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
    style = rng.randint(0, 5)
    if style == 0:
        return f"{first} {last[0]}."
    if style == 1:
        return f"@{_fold(first)}_{_fold(last)}{rng.randint(1, 99)}"
    if style == 2:
        return f"{_fold(first)}.{_fold(last)}"
    if style == 3:
        return f"{first} {last}"
    if style == 4:
        return rng.choice(("Vecino preocupado", "Anónimo", "Una vecina", "Usuario de Facebook",
                           "Contribuyente"))
    return f"@{_fold(first)[:4]}{_fold(last)[:3]}{rng.randint(70, 2005)}"


def _citizen_text(rng: random.Random, inst: Institution, category: str, profile: Profile,
                  when: datetime) -> str:
    slots = _Slots(rng, inst, when, ("", False))
    text = rng.choice(_templates(INTERACTION_TEMPLATES[category], inst.kind)).format_map(slots)
    text = _contract(text)
    if rng.random() < 0.35:
        if rng.random() < 0.6:
            text = _strip_accents(text.lower())
        for word, short in CLIPPED:
            if rng.random() < 0.5:
                text = _replace_word(text, word, short)
        if category == "complaint" and rng.random() < 0.4:
            text = text.upper() + "!!!"
    return text


def _make_interactions(rng: random.Random, profiles: list[Profile]) -> list[dict]:
    """Citizen comments, questions and complaints, with the institution's reply times."""
    inst = profiles[0].inst
    arche = ARCHETYPES[inst.archetype]
    scale = {"N": 1.3, "R": 1.1, "L": 1.0, "H": 0.9, "B": 0.55}[inst.kind]
    if inst.practice:
        scale = 0.35
    count = int(INTERACTIONS_PER_INSTITUTION[inst.archetype] * scale * rng.uniform(0.75, 1.25))
    candidates = [p for p in profiles if p.posts]
    if not candidates:
        return []
    weights = [INTERACTION_NETWORKS[p.network] for p in candidates]
    median = arche.reply_hours * rng.uniform(0.6, 1.6)
    kinds = rng.choice(KIND_SPELLINGS)
    complaint_style = rng.choice((*BOOLEAN_SPELLINGS[:4], (1, 0)))
    labelled = inst.name not in UNLABELLED_COMPLAINTS
    categories = dict(CITIZEN_CATEGORIES, complaint=COMPLAINT_SHARE[inst.archetype])
    rows = []
    for _ in range(count):
        profile = rng.choices(candidates, weights=weights)[0]
        last_post = profile.posts[-1]["when"]
        received = WINDOW_START + timedelta(minutes=rng.randint(0, WINDOW_DAYS * 1440 - 1))
        received = received.replace(hour=rng.choice(range(7, 24)))
        category = _weighted(rng, categories)
        kind = {"whatsapp": "dm", "telegram": "dm",
                "facebook": _weighted(rng, {"comment": 60, "dm": 25, "review": 10,
                                            "mention": 5}),
                "instagram": _weighted(rng, {"comment": 70, "dm": 25, "mention": 5}),
                "x": _weighted(rng, {"mention": 60, "comment": 30, "dm": 10}),
                "linkedin": _weighted(rng, {"comment": 80, "mention": 20}),
                }.get(profile.network, "comment")
        if kind == "review" and inst.kind not in ("H", "B"):
            kind = "comment"
        text = _citizen_text(rng, inst, category, profile, received)
        if kind == "mention":
            text = f"@{profile.handle} {text}"
        complaint = category == "complaint"
        answered = rng.random() < (arche.complaint_reply_rate if complaint else arche.reply_rate)
        replied = None
        if answered and received <= last_post + timedelta(days=20):
            delay = rng.lognormvariate(math.log(median), 1.1)
            replied = received + timedelta(minutes=max(2, int(delay * 60)))
            if replied > AS_OF:
                replied = None
        rows.append({
            "network": profile.network, "profile": profile, "received_at": received,
            "text": text, "kind": kinds[kind],
            "is_complaint": (complaint_style[0] if complaint else complaint_style[1])
            if labelled else None,
            "replied_at": replied, "author": _author(rng),
        })
    rows.sort(key=lambda row: (row["received_at"]))
    return rows


def _make_governance(rng: random.Random, inst: Institution) -> list[dict]:
    arche = ARCHETYPES[inst.archetype]
    style = rng.choice(ANSWER_SPELLINGS)
    p_yes, p_partial = (1.0, 0.0) if inst.name == OVERCLAIMS else arche.governance
    rows = []
    for alias, question, _english in GOVERNANCE_ITEMS.values():
        draw = rng.random()
        answer = 0 if draw < p_yes else 1 if draw < p_yes + p_partial else 2
        evidence = None
        if answer < 2 and rng.random() < arche.evidence:
            evidence = rng.choice(EVIDENCE_NOTES).format(
                n=rng.randint(12, 480), anio=rng.choice((2024, 2025, 2026)),
                p=rng.randint(3, 40), mes=rng.choice(MONTHS), domain=inst.domain)
        rows.append({"institution": inst.name,
                     "item": question if rng.random() < 0.15 else alias,
                     "answer": style[answer], "evidence": evidence})
    return rows


# ---------------------------------------------------------------------------------------
# Assembly: rows per sheet, planted problems, workbook.
# ---------------------------------------------------------------------------------------


@dataclass
class Demo:
    """Everything generated, as sheet rows (dicts keyed by canonical column name)."""

    profiles: list[dict]
    posts: list[dict]
    interactions: list[dict]
    governance: list[dict]
    planted: list[dict]
    archetypes: dict[str, str]
    last_posts: dict[tuple[str, str], datetime | None]


def _date_cell(rng: random.Random, when: datetime | None, as_text: bool):
    if when is None:
        return None
    if as_text or rng.random() < 0.01:
        return when.strftime(TEXT_DATE)
    return when


def _build(rng: random.Random) -> Demo:
    used: set[tuple[str, str]] = set()
    profile_rows, post_rows, interaction_rows, governance_rows = [], [], [], []
    last_posts: dict[tuple[str, str], datetime | None] = {}
    all_profiles: dict[tuple[str, str], Profile] = {}
    for inst in INSTITUTIONS:
        profiles = _make_profiles(rng, inst, used)
        _make_posts(rng, profiles)
        spell_profiles = rng.choice(NETWORK_SPELLINGS)
        spell_posts = rng.choice(NETWORK_SPELLINGS)
        formats = rng.choice(FORMAT_SPELLINGS)
        hand_made = inst.name in HAND_MADE
        exported = not hand_made and rng.random() < 0.55
        handle_style = rng.choice(("literal", "at", "plain"))
        record_activity = rng.random() < 0.65
        newest_first = rng.random() < 0.25
        for profile in profiles:
            all_profiles[(inst.name, profile.network)] = profile
            profile.row["network"] = spell_profiles[profile.network]
            times = [p["when"] for p in profile.posts]
            if record_activity and times:
                profile.row["last_post_at"] = times[-1]
                profile.row["posts_90d"] = sum(1 for t in times
                                               if t > AS_OF - timedelta(days=90))
            key = (inst.name, profile.network)
            last_posts[key] = times[-1] if times else None
            if key in NEVER_POSTS:
                profile.row["last_post_at"] = NEVER_POSTS[key]
                profile.row["posts_90d"] = 0
            profile_rows.append(profile.row)
            if profile.network in ("facebook", "x", "instagram", "youtube", "tiktok"):
                posted_as = {"literal": profile.written, "at": f"@{profile.handle}",
                             "plain": profile.handle}[handle_style]
            else:
                posted_as = profile.written
            posts = reversed(profile.posts) if newest_first else profile.posts
            for post in posts:
                likes, comments, shares, views = post["metrics"]
                post_id = None if hand_made else _post_id(rng, profile.network)
                post_rows.append({
                    "network": spell_posts[profile.network], "handle": posted_as,
                    "published_at": _date_cell(rng, post["when"], hand_made),
                    "text": post["text"], "format": formats[post["format"]],
                    "likes": likes, "comments": comments, "shares": shares, "views": views,
                    "url": _post_url(profile, post_id) if exported else None,
                    "post_id": post_id, "_inst": inst.name, "_network": profile.network,
                })
        if inst.name not in NO_INTERACTIONS:
            for row in _make_interactions(rng, profiles):
                profile = row.pop("profile")
                row["network"] = spell_posts[profile.network]
                row["handle"] = profile.written if handle_style == "literal" else (
                    f"@{profile.handle}" if profile.network != "blog" else profile.written)
                row["received_at"] = _date_cell(rng, row["received_at"], hand_made)
                row["replied_at"] = _date_cell(rng, row["replied_at"], hand_made)
                row["_inst"] = inst.name
                interaction_rows.append(row)
        if inst.name not in NO_GOVERNANCE:
            governance_rows.extend(_make_governance(rng, inst))
    demo = Demo(profile_rows, post_rows, interaction_rows, governance_rows, [],
                {inst.name: inst.archetype for inst in INSTITUTIONS}, last_posts)
    _plant_problems(demo, all_profiles)
    return demo


def _nth(rows: list[dict], n: int, **where) -> int:
    """Index of the ``n``-th row (from 0) whose fields match ``where``."""
    matches = [i for i, row in enumerate(rows) if all(row.get(k) == v for k, v in where.items())]
    return matches[n]


def _plant_problems(demo: Demo, profiles: dict) -> None:
    """Apply the data problems the validator should report; rows are found after all edits."""
    planted: list[tuple[str, dict, str, object, str, str]] = []
    # profiles: a misspelt optional header (reported on the header row).
    planted.append(("profiles", {}, "created_at", MISSPELT[1],
                    "encabezado mal escrito (se esperaba «fecha_creacion»)",
                    "misspelt header (expected «fecha_creacion»)"))
    # profiles: followers written as a word.
    row = profiles[("Municipio de San Jacinto de las Peñas", "instagram")].row
    row["followers"] = "muchos"
    planted.append(("profiles", row, "followers", "muchos", "seguidores no numérico",
                    "followers not a number"))
    # profiles: a duplicated row, pasted at the end of the institution's block.
    original = profiles[("Hospital General Regional de Cerro Pardo", "facebook")].row
    duplicate = dict(original)
    last = max(i for i, r in enumerate(demo.profiles) if r["institution"] == original[
        "institution"])
    demo.profiles.insert(last + 1, duplicate)
    planted.append(("profiles", duplicate, "handle", duplicate["handle"],
                    "fila de perfil duplicada", "duplicated profile row"))
    # profiles: an unknown network.
    torremiel = profiles[("Ayuntamiento de Torremiel del Campo", "facebook")].row
    mastodon = dict(torremiel, network="Mastodonte", handle="@AytoTorremiel",
                    url=None, followers=312, verified=None, avatar=None, last_post_at=None,
                    posts_90d=None, display_name="Ayto. Torremiel")
    last = max(i for i, r in enumerate(demo.profiles)
               if r["institution"] == torremiel["institution"])
    demo.profiles.insert(last + 1, mastodon)
    planted.append(("profiles", mastodon, "network", "Mastodonte", "red desconocida",
                    "unknown network"))
    # profiles: a row without institution.
    orphan = dict(profiles[("Biblioteca Municipal de Huaylla Verde", "instagram")].row,
                  institution=None, handle="@cultura_huaylla", display_name="Cultura Huaylla",
                  url=None, followers=845, avatar=None, last_post_at=None, posts_90d=None)
    last = max(i for i, r in enumerate(demo.profiles)
               if r["institution"] == "Biblioteca Municipal de Huaylla Verde")
    demo.profiles.insert(last + 1, orphan)
    planted.append(("profiles", orphan, "institution", None, "fila sin institución",
                    "row without institution"))
    # posts: an impossible date.
    post = demo.posts[_nth(demo.posts, 10, _inst="Alcaldía de Santa Rita del Monte",
                           _network="facebook")]
    post["published_at"] = "31/02/2026 10:30"
    planted.append(("posts", post, "published_at", "31/02/2026 10:30", "fecha imposible",
                    "impossible date"))
    # posts: a negative like count.
    post = demo.posts[_nth(demo.posts, 5, _inst="Municipalidad de Lomas del Pehuén",
                           _network="x")]
    post["likes"] = -12
    planted.append(("posts", post, "likes", -12, "me gusta negativo", "negative like count"))
    # posts: a post whose handle matches no profile.
    index = _nth(demo.posts, 0, _inst="Ayuntamiento de Torremiel del Campo",
                 _network="instagram")
    stray = dict(demo.posts[index], handle="@AytoTorremiel_Cultura",
                 text="Hoy abrimos la nueva sala de exposiciones de la casa de la cultura. "
                      "¡Los esperamos! #Cultura", post_id=None, url=None)
    demo.posts.insert(index, stray)
    planted.append(("posts", stray, "handle", "@AytoTorremiel_Cultura",
                    "cuenta que no está en perfiles", "handle not in profiles"))
    # posts: a duplicated post row.
    index = _nth(demo.posts, 7, _inst="Gobierno del Estado de Altamar", _network="x")
    duplicate = dict(demo.posts[index])
    demo.posts.insert(index + 1, duplicate)
    planted.append(("posts", duplicate, "post_id", duplicate["post_id"],
                    "publicación duplicada", "duplicated post row"))
    # interactions: a reply dated before the message.
    index = next(i for i, r in enumerate(demo.interactions)
                 if r["_inst"] == "Hospital San Lázaro de Guayacanes"
                 and isinstance(r["replied_at"], datetime)
                 and isinstance(r["received_at"], datetime))
    row = demo.interactions[index]
    row["replied_at"] = row["received_at"] - timedelta(days=1, hours=3, minutes=12)
    planted.append(("interactions", row, "replied_at", row["replied_at"],
                    "respuesta anterior al mensaje", "reply dated before the message"))
    # governance: an answer outside sí / parcial / no.
    row = next(r for r in demo.governance
               if r["institution"] == "Ministerio de Asuntos Vecinales"
               and r["item"] in GOVERNANCE_ITEMS["complaint_protocol"][:2])
    row["answer"] = "depende"
    planted.append(("governance", row, "answer", "depende", "respuesta no reconocida",
                    "unrecognised answer"))
    for sheet, target, column, value, problem_es, problem_en in planted:
        rows = getattr(demo, sheet)
        excel_row = 1 if not target else next(
            i for i, r in enumerate(rows) if r is target) + 2
        header = MISSPELT[1] if column == MISSPELT[0] else SHEETS[sheet].column(column).header_es
        demo.planted.append({
            "sheet": SHEETS[sheet].header_es, "row": excel_row, "column": header,
            "letter": get_column_letter(
                [c.name for c in SHEETS[sheet].columns].index(column) + 1),
            "value": value, "problem_es": problem_es, "problem_en": problem_en})


def _readme_rows(demo: Demo) -> list[tuple]:
    counts = _counts(demo)
    rows: list[tuple] = [
        ("DATOS SINTÉTICOS — SYNTHETIC DATA",),
        ("",),
        ("ES: Todos los datos de este libro son SINTÉTICOS: los generó el programa "
         "sample_data/generate_demo.py (semilla fija "
         f"{SEED}) y describen instituciones FICTICIAS. Cualquier parecido de un nombre, una "
         "cuenta o un texto con una institución o persona real es pura coincidencia. Sirven "
         "para probar y mostrar la herramienta de auditoría; no evalúan a nadie.",),
        ("EN: Every figure in this workbook is SYNTHETIC: it was generated by "
         f"sample_data/generate_demo.py (fixed seed {SEED}) and describes FICTIONAL "
         "institutions. Any resemblance of a name, account or text to a real institution or "
         "person is coincidental. The data exist to test and demonstrate the audit tool; "
         "they judge no one.",),
        ("",),
        (f"Fecha de la auditoría (as_of): {AS_OF:%Y-%m-%d}. Publicaciones de los doce meses "
         f"anteriores ({WINDOW_START:%Y-%m-%d} a {AS_OF:%Y-%m-%d}).",),
        (f"Instituciones: {counts['institutions']} · perfiles (filas): {counts['profiles']} · "
         f"publicaciones: {counts['posts']} · interacciones: {counts['interactions']} · "
         f"respuestas de gobernanza: {counts['governance']}",),
        ("Hojas: perfiles (una fila por cuenta), publicaciones, interacciones (comentarios, "
         "menciones, mensajes y quejas de la ciudadanía) y gobernanza (cuestionario de "
         "autoevaluación). Sheets: profiles, posts, interactions, governance.",),
        ("Variedad deliberada, que no es un error: cuentas escritas como @nombre, nombre o "
         "URL; redes como FB, IG, Twitter o «X (Twitter)»; seguidores como «12,5 mil» o "
         "«1.234»; algunas fechas como texto día/mes/año; respuestas como sí, Parcial, 1 o "
         "0,5; textos con abreviaturas, sin tildes o en mayúsculas. / Deliberate variety, not "
         "errors: handles, network names, numbers, dates and answers written in the many "
         "ways real files hold them; some sloppy texts.",),
        ("",),
        ("Problemas sembrados a propósito (para el informe de problemas) / Problems planted "
         "on purpose (for the problem report):",),
        ("Hoja / Sheet", "Fila / Row", "Columna / Column", "Valor / Value", "Problema",
         "Problem"),
    ]
    for item in demo.planted:
        value = item["value"]
        if isinstance(value, datetime):
            value = value.strftime(TEXT_DATE)
        rows.append((item["sheet"], item["row"], item["column"],
                     "(vacío / empty)" if value is None else value,
                     item["problem_es"], item["problem_en"]))
    rows += [
        ("",),
        ("Arquetipo de calidad con el que se generó cada institución / Quality archetype "
         "each institution was generated with:",),
        ("Institución / Institution", "Arquetipo / Archetype"),
    ]
    rows += [(name, archetype) for name, archetype in demo.archetypes.items()]
    return rows


def _counts(demo: Demo) -> dict[str, int]:
    return {
        "institutions": len({r["institution"] for r in demo.profiles if r["institution"]}),
        "profiles": len(demo.profiles),
        "posts": len(demo.posts),
        "interactions": len(demo.interactions),
        "governance": len(demo.governance),
    }


def _write_sheet(workbook: Workbook, sheet_name: str, rows: list[dict]) -> None:
    sheet = SHEETS[sheet_name]
    ws = workbook.create_sheet(sheet.header_es)
    headers = [MISSPELT[1] if c.name == MISSPELT[0] and sheet_name == "profiles"
               else c.header_es for c in sheet.columns]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    names = [c.name for c in sheet.columns]
    for row in rows:
        ws.append([row.get(name) for name in names])
    for column_cells in ws.iter_cols(min_row=2):
        for cell in column_cells:
            if isinstance(cell.value, datetime):
                midnight = cell.value.hour == cell.value.minute == 0
                cell.number_format = "dd/mm/yyyy" if midnight else DATE_FORMAT
    for index, column in enumerate(sheet.columns, start=1):
        width = {"text": 60 if column.name == "text" else 28, "datetime": 17,
                 "count": 12, "url": 40, "handle": 30, "institution": 38}.get(column.kind, 14)
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"


def _write_demo(demo: Demo, path: Path) -> None:
    workbook = Workbook()
    readme = workbook.active
    readme.title = "Léame"
    for row in _readme_rows(demo):
        readme.append(list(row))
    readme["A1"].font = Font(bold=True, size=14)
    for cell in readme["A"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    readme.column_dimensions["A"].width = 90
    for letter in "BCDEF":
        readme.column_dimensions[letter].width = 24
    for name, rows in (("profiles", demo.profiles), ("posts", demo.posts),
                       ("interactions", demo.interactions), ("governance", demo.governance)):
        _write_sheet(workbook, name, rows)
    workbook.properties.title = "Auditoría de redes sociales: datos sintéticos de demostración"
    workbook.properties.creator = "sample_data/generate_demo.py"
    save_reproducible(workbook, path, when=WORKBOOK_TIME)


def generate(out_dir: str | Path) -> dict:
    """Write both workbooks into ``out_dir``.

    Returns the two paths, the row counts, the planted problems (sheet, Excel row, column,
    value), each institution's archetype and each profile's last post in the window.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    demo = _build(random.Random(SEED))
    demo_path = out_dir / DEMO_NAME
    template_path = out_dir / TEMPLATE_NAME
    _write_demo(demo, demo_path)
    write_template(template_path, lang="es")
    return {"demo": demo_path, "template": template_path, "counts": _counts(demo),
            "planted": demo.planted, "archetypes": demo.archetypes,
            "last_posts": demo.last_posts}


def main() -> int:
    result = generate(Path(__file__).resolve().parent)
    counts = result["counts"]
    print("Synthetic demo data (fictional institutions)")
    for key, value in counts.items():
        print(f"  {key:<13} {value:>6}")
    for key in ("demo", "template"):
        path = result[key]
        print(f"  {path.name:<32} {path.stat().st_size / 1024:8.1f} KiB")
    print("Planted problems:")
    for item in result["planted"]:
        print(f"  {item['sheet']:<14} row {item['row']:>5}  {item['column']:<15} "
              f"{item['value']!s:<28} {item['problem_en']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
