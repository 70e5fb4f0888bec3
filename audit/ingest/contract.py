"""The input contract: the sheets an auditor may upload and the columns each holds.

Everything the reader and the validator know about names lives here, as data:

    Sheet (profiles | posts | interactions | governance)
      ├── aliases        names the sheet or CSV file may have (Spanish, English)
      └── Column
            ├── kind     how its cells are parsed (see ``KINDS``)
            ├── required a row without it cannot be used
            └── aliases  header names seen in hand-made workbooks and in the
                         exports of CrowdTangle, Meta Business Suite, X analytics,
                         twarc, YouTube Studio and Facepager

Names are compared after ``normalize_name``: lower case, accents of Latin letters removed,
every run of other characters turned into one underscore. So "Fecha de publicación",
"fecha_publicacion" and "FECHA-PUBLICACION" are the same header; letters of other scripts
are kept, so names in Arabic or Chinese stay distinct.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

__all__ = [
    "ANSWERS",
    "GOVERNANCE_ITEMS",
    "KINDS",
    "NETWORKS",
    "NETWORK_LABELS",
    "SECTORS",
    "SHEETS",
    "Column",
    "Sheet",
    "normalize_name",
    "strip_accents",
]

_SEPARATORS = re.compile(r"_+")
_LATIN_LAST = "\u024f"  # end of Latin Extended-B: the letters whose accents are folded

KINDS = (
    "text",  # kept as written (trimmed)
    "institution",  # text; the key that groups profiles
    "network",  # one of NETWORKS
    "handle",  # @name, name or a profile URL
    "datetime",  # stored in UTC
    "count",  # non-negative number: 1.234, 12,5 mil, 1.2K
    "boolean",  # sí/no, yes/no, true/false, 1/0, x
    "answer",  # governance answer: 1, 0.5 or 0
    "choice",  # one of the column's choices
    "url",  # a web address
)


def normalize_name(name: object) -> str:
    """Fold a sheet, column or label name for matching: case, accents and separators ignored.

    Only what does not tell names apart is folded: case, the accents of Latin letters
    ("publicación" = "publicacion"), compatibility forms (full-width, ligatures) and runs
    of separators. Letters of every script stay themselves, so names in Arabic, Hebrew,
    Cyrillic or Chinese keep their identity; a name of symbols only (emoji) is kept as
    written. A name with anything but spaces never folds to "".
    """
    raw = str(name)
    kept, previous = [], ""
    for char in unicodedata.normalize("NFKD", raw):
        if unicodedata.combining(char) and previous <= _LATIN_LAST:
            continue  # an accent on a Latin letter (in other scripts, marks are letters)
        kept.append(char)
        previous = char
    text = unicodedata.normalize("NFC", "".join(kept)).casefold()
    words: list[str] = []
    for char in text:  # a mark belongs to the letter before it; anything else separates
        word = char.isalnum() or (unicodedata.category(char)[0] == "M"
                                  and bool(words) and words[-1] != "_")
        words.append(char if word else "_")
    folded = _SEPARATORS.sub("_", "".join(words)).strip("_")
    return folded or unicodedata.normalize("NFC", raw).strip().casefold()


def strip_accents(text: str) -> str:
    """The text without accents, diaeresis or tilde ("vergüenza" -> "verguenza"), case and
    everything else kept: rubric terms are matched against texts however they were typed."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(
        ch for ch in decomposed if not unicodedata.combining(ch)))


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its canonical English name, its kind and the names it goes by."""

    name: str
    kind: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    header_es: str = ""  # the header the Spanish template uses
    help_es: str = ""
    help_en: str = ""
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def names(self) -> set[str]:
        """Every normalised header that means this column."""
        return {normalize_name(n) for n in (self.name, self.header_es, *self.aliases) if n}


@dataclass(frozen=True)
class Sheet:
    """One sheet of the workbook (or one CSV file)."""

    name: str
    header_es: str
    aliases: tuple[str, ...]
    columns: tuple[Column, ...]
    required: bool = False
    help_es: str = ""
    help_en: str = ""

    def names(self) -> set[str]:
        return {normalize_name(n) for n in (self.name, self.header_es, *self.aliases)}

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def required_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)


# Canonical network ids and the names they appear under in real files.
NETWORKS: dict[str, tuple[str, ...]] = {
    "facebook": ("facebook", "fb", "facebook.com", "meta", "facebook page", "pagina de facebook"),
    "instagram": ("instagram", "ig", "insta", "instagram.com"),
    "x": ("x", "twitter", "x (twitter)", "twitter / x", "x/twitter", "twitter.com", "x.com", "tw"),
    "youtube": ("youtube", "yt", "youtube.com", "you tube"),
    "tiktok": ("tiktok", "tik tok", "tiktok.com", "tt"),
    "linkedin": ("linkedin", "linked in", "linkedin.com", "in"),
    "pinterest": ("pinterest", "pinterest.com"),
    "threads": ("threads", "threads.net"),
    "whatsapp": ("whatsapp", "whats app", "wa", "whatsapp business", "canal de whatsapp"),
    "telegram": ("telegram", "telegram.me", "t.me", "canal de telegram"),
    "flickr": ("flickr", "flickr.com"),
    "blog": ("blog", "bitacora", "wordpress", "blogger", "blogspot", "sitio web", "web"),
}

# Sector ids (English, machine-readable) with their Spanish label and the names seen.
SECTORS: dict[str, tuple[str, ...]] = {
    "local_government": (
        "gobierno local", "local government", "municipio", "municipalidad", "ayuntamiento",
        "alcaldia", "gobierno municipal", "intendencia", "local",
    ),
    "regional_government": (
        "gobierno regional", "regional government", "gobernacion", "gobierno autonomico",
        "comunidad autonoma", "provincia", "gobierno provincial", "gobierno estatal", "regional",
    ),
    "national_government": (
        "gobierno nacional", "national government", "ministerio", "gobierno central",
        "gobierno federal", "administracion general del estado", "nacional", "agencia nacional",
    ),
    "health": (
        "salud", "health", "sanidad", "hospital", "centro de salud", "consultorio",
        "consultorio medico", "medico", "clinica", "healthcare",
    ),
    "library": ("biblioteca", "library", "bibliotecas", "libraries", "archivo"),
    "education": ("educacion", "education", "universidad", "university", "escuela", "colegio"),
    "other": ("otro", "other", "otros", "otra"),
}

SECTOR_LABELS: dict[str, tuple[str, str]] = {
    "local_government": ("Gobierno local", "Local government"),
    "regional_government": ("Gobierno regional", "Regional government"),
    "national_government": ("Gobierno nacional", "National government"),
    "health": ("Salud", "Health"),
    "library": ("Biblioteca", "Library"),
    "education": ("Educación", "Education"),
    "other": ("Otro", "Other"),
}

POST_FORMATS: dict[str, tuple[str, ...]] = {
    "photo": ("photo", "foto", "imagen", "image", "picture", "album", "photo album", "carousel",
              "carrusel", "carousel_album", "igtv photo"),
    "video": ("video", "native video", "youtube", "vine", "clip", "short", "shorts"),
    "link": ("link", "enlace", "vinculo", "url", "shared link"),
    "text": ("text", "texto", "status", "estado", "tweet", "post", "publicacion"),
    "live": ("live", "directo", "en directo", "en vivo", "live video", "live video complete",
             "live video scheduled", "transmision en vivo", "streaming"),
    "reel": ("reel", "reels", "facebook reel", "instagram reel"),
    "story": ("story", "historia", "stories", "historias"),
}

INTERACTION_KINDS: dict[str, tuple[str, ...]] = {
    "comment": ("comment", "comentario", "comments", "comentarios", "reply", "respuesta"),
    "mention": ("mention", "mencion", "menciones", "mentions", "tweet", "etiqueta", "tag"),
    "dm": ("dm", "mensaje", "mensaje directo", "mensaje privado", "privado", "message",
           "direct message", "inbox", "md", "chat", "whatsapp"),
    "review": ("review", "resena", "opinion", "valoracion", "calificacion", "rating"),
}

# Governance items: id -> (Spanish alias, Spanish question, English question, source).
GOVERNANCE_ITEMS: dict[str, tuple[str, str, str]] = {
    "owner": (
        "responsable",
        "¿Hay una sola persona o cargo responsable de la estrategia de redes sociales?",
        "Is one person or post accountable for the social media strategy?",
    ),
    "community_manager": (
        "community_manager",
        "¿Hay uno o varios community managers que gestionan los canales a diario?",
        "Do one or more community managers run the channels day to day?",
    ),
    "objectives": (
        "objetivos",
        "¿Están escritos los objetivos generales y específicos de la presencia en redes?",
        "Are the general and specific objectives of the social media presence written down?",
    ),
    "channel_selection": (
        "seleccion_canales",
        "¿Se eligió cada red según los objetivos y el público al que se quiere llegar?",
        "Was each network chosen for the objectives and the audience it should reach?",
    ),
    "style_guide": (
        "guia_estilo",
        "¿Existe una guía de estilo con el tono y el lenguaje de la institución?",
        "Is there a style guide with the institution's tone and language?",
    ),
    "protocols": (
        "protocolos",
        "¿Hay protocolos de gestión con las responsabilidades de cada cargo o área?",
        "Are there management protocols with the responsibilities of each post or area?",
    ),
    "complaint_protocol": (
        "protocolo_quejas",
        "¿Hay un protocolo para atender quejas, críticas y crisis en redes?",
        "Is there a protocol for handling complaints, criticism and crises on social media?",
    ),
    "website_promotion": (
        "divulgacion_web",
        "¿Se divulgan los perfiles en el sitio web institucional y entre el personal?",
        "Are the profiles promoted on the institution's website and among its staff?",
    ),
    "monitoring": (
        "monitoreo",
        "¿Se usa una herramienta para monitorear lo que se dice de la institución?",
        "Is a tool used to monitor what is said about the institution?",
    ),
    "resources_calendar": (
        "recursos_calendario",
        "¿Hay recursos garantizados y un calendario de corto, mediano y largo plazo?",
        "Are resources secured, with a short, medium and long-term calendar?",
    ),
}

# Governance answers: value -> names seen.
ANSWERS: dict[float, tuple[str, ...]] = {
    1.0: ("si", "sí", "yes", "y", "s", "1", "1.0", "true", "verdadero", "x", "cumple", "completo",
          "total", "100%"),
    0.5: ("parcial", "partial", "partially", "parcialmente", "en parte", "a medias", "0.5",
          "0,5", "50%", "en proceso", "in progress"),
    0.0: ("no", "n", "0", "0.0", "false", "falso", "no cumple", "ninguno", "0%"),
}


def _col(name, kind, header_es, *aliases, required=False, help_es="", help_en="", choices=None):
    return Column(
        name=name, kind=kind, required=required, aliases=tuple(aliases), header_es=header_es,
        help_es=help_es, help_en=help_en, choices=choices or {},
    )


PROFILES = Sheet(
    name="profiles",
    header_es="perfiles",
    aliases=("perfil", "cuentas", "accounts", "profile", "canales", "channels", "redes"),
    required=True,
    help_es="Una fila por cuenta de la institución en cada red social.",
    help_en="One row per account of the institution on each network.",
    columns=(
        _col("institution", "institution", "institución", "institucion", "entidad", "organismo",
             "organizacion", "organization", "organisation", "nombre_institucion",
             "institution_name",
             required=True, help_es="Nombre de la institución dueña de la cuenta.",
             help_en="Name of the institution that owns the account."),
        _col("network", "network", "red", "red social", "red_social", "plataforma", "platform",
             "canal", "channel", "social network", required=True,
             help_es="Facebook, Instagram, X, YouTube, TikTok, LinkedIn...",
             help_en="Facebook, Instagram, X, YouTube, TikTok, LinkedIn..."),
        _col("handle", "handle", "usuario", "cuenta", "nombre de usuario", "username", "user name",
             "account", "perfil", "profile", "arroba", "screen_name", "user", "id_usuario",
             required=True, help_es="@usuario o la dirección del perfil.",
             help_en="@name or the profile's address."),
        _col("sector", "choice", "sector", "tipo de entidad", "tipo", "type", "ambito",
             choices=SECTORS, help_es="gobierno local, regional o nacional, salud, biblioteca...",
             help_en="local, regional or national government, health, library..."),
        _col("country", "text", "país", "pais", "nation", help_es="País.", help_en="Country."),
        _col("region", "text", "región", "region", "provincia", "estado", "departamento",
             "comunidad", "state", help_es="Región, provincia o departamento.",
             help_en="Region, province or state."),
        _col("display_name", "text", "nombre", "nombre visible", "nombre del perfil", "name",
             "page name", "nombre_mostrado", "user_name_display",
             help_es="Nombre que muestra el perfil.", help_en="Name the profile shows."),
        _col("url", "url", "url", "enlace", "link", "direccion", "profile_url", "url_perfil",
             help_es="Dirección del perfil.", help_en="Profile address."),
        _col("followers", "count", "seguidores", "followers_count", "fans", "suscriptores",
             "subscribers", "page likes", "likes at posting", "followers at posting",
             "seguidores_totales", "user_followers_count",
             help_es="Número de seguidores (admite 12,5 mil o 1.2K).",
             help_en="Number of followers (accepts 12,5 mil or 1.2K)."),
        _col("verified", "boolean", "verificada", "verificado", "verified", "cuenta verificada",
             "user_verified", "insignia", help_es="sí / no", help_en="yes / no"),
        _col("bio", "text", "biografía", "biografia", "bio", "descripcion", "description",
             "page description", "acerca de", "about", "presentacion",
             help_es="Texto de presentación del perfil.", help_en="The profile's bio."),
        _col("website", "url", "sitio_web", "sitio web", "web", "pagina web", "website", "user_url",
             help_es="Enlace que muestra el perfil.", help_en="Link shown in the profile."),
        _col("avatar", "text", "imagen_perfil", "imagen de perfil", "foto de perfil", "avatar",
             "profile image", "profile_image_url", "logo", "hash_imagen", "image_hash",
             help_es="Archivo de imagen dentro del zip o su hash perceptual.",
             help_en="Image file inside the zip, or its perceptual hash."),
        _col("listed_on_website", "boolean", "enlazada_en_web", "enlazada en la web",
             "listada en web", "en el sitio web", "listed on website", "linked from website",
             help_es="¿El sitio web de la institución enlaza este perfil? sí / no",
             help_en="Does the institution's website link to this profile? yes / no"),
        _col("created_at", "datetime", "fecha_creacion", "fecha de creación", "creada",
             "created", "page created", "alta", help_es="Fecha de creación de la cuenta.",
             help_en="Date the account was created."),
        _col("last_post_at", "datetime", "última_publicación", "ultima publicacion",
             "fecha ultima publicacion", "last post", "most recent post", "last_post",
             "ultimo post", help_es="Fecha de la última publicación.",
             help_en="Date of the latest post."),
        _col("posts_90d", "count", "publicaciones_90d", "publicaciones ultimos 90 dias",
             "posts last 90 days", "posts_90_days",
             help_es="Publicaciones en los últimos 90 días.",
             help_en="Posts in the last 90 days."),
    ),
)

POSTS = Sheet(
    name="posts",
    header_es="publicaciones",
    aliases=("publicacion", "post", "entradas", "contenidos", "tweets", "tuits", "videos",
             "mensajes_publicados", "table_data", "tweet_activity_metrics"),
    help_es="Una fila por publicación.",
    help_en="One row per post.",
    columns=(
        _col("network", "network", "red", "red social", "red_social", "plataforma", "platform",
             "canal", required=True, help_es="Red social de la publicación.",
             help_en="Network of the post."),
        _col("handle", "handle", "usuario", "cuenta", "username", "user name", "screen_name",
             "account", "perfil", "author.username", "from.name", "page name",
             "author_username", required=True,
             help_es="Cuenta que publicó (igual que en perfiles).",
             help_en="Account that posted (as in profiles)."),
        _col("published_at", "datetime", "fecha", "fecha de publicación", "fecha_publicacion",
             "publicado", "date", "time", "created_at", "created_time", "post created",
             "publish time", "video publish time", "timestamp", "hora de publicacion",
             required=True, help_es="Fecha y hora (23/11/2026 14:05, ISO...).",
             help_en="Date and time (23/11/2026 14:05, ISO...)."),
        _col("text", "text", "texto", "mensaje", "message", "contenido", "content_text",
             "tweet text", "caption", "body", "description", "video title", "titulo",
             "descripcion", "copy", help_es="Texto de la publicación.",
             help_en="Text of the post."),
        _col("format", "choice", "tipo", "formato", "type", "post type", "media type",
             "tipo de publicacion", choices=POST_FORMATS,
             help_es="foto, vídeo, enlace, texto, directo, reel, historia",
             help_en="photo, video, link, text, live, reel, story"),
        _col("likes", "count", "me_gusta", "me gusta", "reacciones", "reactions", "like_count",
             "public_metrics.like_count", "favorite_count", "favoritos", "likes count",
             help_es="Me gusta o reacciones.", help_en="Likes or reactions."),
        _col("comments", "count", "comentarios", "replies", "respuestas", "reply_count",
             "public_metrics.reply_count", "comments count",
             help_es="Comentarios recibidos.", help_en="Comments received."),
        _col("shares", "count", "compartidos", "compartido", "veces compartido", "retweets",
             "retweet_count", "public_metrics.retweet_count", "rt_count", "reposts",
             "shares count", help_es="Veces compartida.", help_en="Times shared."),
        _col("views", "count", "reproducciones", "vistas", "visualizaciones", "impresiones",
             "impressions", "alcance", "reach", "public_metrics.impression_count", "post views",
             "total views", "plays", help_es="Reproducciones, vistas o impresiones.",
             help_en="Plays, views or impressions."),
        _col("url", "url", "url", "enlace", "link", "permalink", "tweet permalink",
             "enlace permanente", "post url", help_es="Dirección de la publicación.",
             help_en="Address of the post."),
        _col("post_id", "text", "id_publicacion", "id publicación", "post id", "tweet id",
             "id", "tweet_id", "content", "video id", "object_id",
             help_es="Identificador de la publicación.", help_en="Identifier of the post."),
    ),
)

INTERACTIONS = Sheet(
    name="interactions",
    header_es="interacciones",
    aliases=("interaccion", "comentarios", "comments", "menciones", "mentions", "mensajes",
             "messages", "conversaciones", "consultas", "atencion_ciudadana"),
    help_es="Una fila por comentario, mención o mensaje de la ciudadanía.",
    help_en="One row per citizen comment, mention or message.",
    columns=(
        _col("network", "network", "red", "red social", "red_social", "plataforma", "platform",
             required=True, help_es="Red social.", help_en="Network."),
        _col("handle", "handle", "usuario", "cuenta", "cuenta institucional", "perfil", "account",
             "username", required=True, help_es="Cuenta de la institución que lo recibió.",
             help_en="The institution's account that received it."),
        _col("received_at", "datetime", "fecha_recibido", "fecha recibido", "fecha", "recibido",
             "fecha del mensaje", "date", "created_at", "received", required=True,
             help_es="Fecha y hora en que llegó.", help_en="Date and time it arrived."),
        _col("text", "text", "texto", "mensaje", "message", "comentario", "comment", "contenido",
             help_es="Texto del ciudadano.", help_en="The citizen's text."),
        _col("kind", "choice", "tipo", "type", "clase", "canal", choices=INTERACTION_KINDS,
             help_es="comentario, mención, mensaje directo, reseña",
             help_en="comment, mention, dm, review"),
        _col("is_complaint", "boolean", "es_queja", "queja", "reclamo", "es reclamo", "complaint",
             "is complaint", help_es="¿Es una queja o reclamo? sí / no",
             help_en="Is it a complaint? yes / no"),
        _col("replied_at", "datetime", "fecha_respuesta", "fecha de respuesta", "respondido",
             "respuesta", "replied", "reply date", "answered_at", "first reply",
             help_es="Fecha y hora de la primera respuesta; vacío = sin responder.",
             help_en="Date and time of the first reply; empty = unanswered."),
        _col("author", "text", "autor", "ciudadano", "usuario_ciudadano", "from", "author_name",
             help_es="Quién escribió.", help_en="Who wrote it."),
    ),
)

GOVERNANCE = Sheet(
    name="governance",
    header_es="gobernanza",
    aliases=("gobierno", "cuestionario", "autoevaluacion", "questionnaire", "self_assessment",
             "encuesta", "gestion"),
    help_es="Cuestionario de autoevaluación: una fila por institución y pregunta.",
    help_en="Self-assessment questionnaire: one row per institution and question.",
    columns=(
        _col("institution", "institution", "institución", "institucion", "entidad", "organismo",
             required=True, help_es="Institución (igual que en perfiles).",
             help_en="Institution (as in profiles)."),
        _col("item", "text", "pregunta", "item", "ítem", "criterio", "question", "indicador",
             required=True, help_es="Identificador o texto de la pregunta.",
             help_en="Question id or text."),
        _col("answer", "answer", "respuesta", "answer", "valor", "value", "cumple", required=True,
             help_es="sí / parcial / no", help_en="yes / partial / no"),
        _col("evidence", "text", "evidencia", "evidence", "soporte", "comentario", "notas",
             "notes", help_es="Documento o enlace que lo respalda.",
             help_en="Document or link that backs it."),
    ),
)

SHEETS: dict[str, Sheet] = {s.name: s for s in (PROFILES, POSTS, INTERACTIONS, GOVERNANCE)}

NETWORK_LABELS: dict[str, str] = {
    "facebook": "Facebook", "instagram": "Instagram", "x": "X", "youtube": "YouTube",
    "tiktok": "TikTok", "linkedin": "LinkedIn", "pinterest": "Pinterest", "threads": "Threads",
    "whatsapp": "WhatsApp", "telegram": "Telegram", "flickr": "Flickr", "blog": "Blog",
}
