"""Posts in other languages: Galician, Catalan, Basque... are not judged as Spanish.

Spanish public bodies also post in Galician, Catalan and Basque, where "unha", "xa" or "amb"
are right. A post with words from `OTHER_LANGUAGE_WORDS` is not Spanish (`spanish` False):
its misspelt and clipped counts are 0, its words are not in the flagged table, and its
readability is NaN.
"""

from __future__ import annotations

import numpy as np

#: Frequent words of the other languages public posts in Spain and Latin America are written
#: in, that are not Spanish words: Galician, Catalan/Valencian, Basque, Asturian (by hand),
#: Portuguese and English (from wordfreq's top words of each language that are at least 30
#: times rarer in Spanish). A post with OTHER_LANGUAGE_MIN_WORDS of them, making at least
#: OTHER_LANGUAGE_SHARE of its words, is not Spanish: its spelling is not judged ("unha",
#: "xa", "hoxe" are right in Galician) and its readability is NaN (the formulas are
#: calibrated for Spanish). A single marker counts with the words that read as misspelt
#: Spanish ("prazo", "xornada"). On the 2,264 town-hall tweets (uam-ayuntamientos) this sets
#: aside 45: 41 Galician, one Catalan, one Asturian and two bilingual (Spanish with Basque,
#: Spanish with English); about five short Galician ones still pass as Spanish.
OTHER_LANGUAGE_WORDS = frozenset("""
    unha unhas dunha dunhas nunha nunhas cunha cunhas algunha ningunha dun nun coa coas hoxe
    xa máis tamén ás aos á é súa súas seu seus nosa noso nosas nosos concello concellos
    cidade veciñanza veciños veciñas xornada xaneiro febreiro xuño xullo setembro outubro
    novembro decembro mañá dende neste nesta deste desta moi pola persoas proxecto servizo
    servizos lembra lembramos rúa rúas praza prazas hai isto galego galega agora
    els amb és més dels aquest però aquesta molt als també això fins pel perquè tots després
    només persones sense així durant gràcies lloc mateix món pels ciutat millor aquests
    seves nostra abans nostre segons nostres aquestes avui totes dues tenen nosaltres
    qualsevol ells mentre dins informació projecte vegada feina moltes hui ajuntament dijous
    dimarts dimecres divendres dissabte diumenge setmana activitats veïns veïnes servei
    serveis
    eta dira ere bat egin gara dute izango baita beste hau hori zure gure bere udala herri
    eguna ondo urte bihar gaur ekitaldia ordutan herritarrak euskara euskal kalea jaiak
    zorionak eskerrik
    tamién ye güei conceyu asturies llingua
    não uma são você muito isso até ainda estão então há tão nós vocês têm após através
    pessoas hoje
    the and of to is that it with this was be are have at not but from my or we an your all
    they if will just about what when more were who had their there which been would she how
    some also them now other its our than only after into these because very where should
    here need for you
""".split())
OTHER_LANGUAGE_MIN_WORDS = 2
OTHER_LANGUAGE_SHARE = 0.08


def is_spanish(words: np.ndarray, foreign: np.ndarray, misspelt: np.ndarray) -> np.ndarray:
    """Posts with words, not written in another language.

    Another language: OTHER_LANGUAGE_MIN_WORDS marker words, or one marker plus words that
    read as misspelt Spanish ("prazo", "xornada" in Galician), together at least
    OTHER_LANGUAGE_SHARE of the words.
    """
    evidence = foreign + np.where(foreign > 0, misspelt, 0)
    other = (evidence >= OTHER_LANGUAGE_MIN_WORDS + (foreign < OTHER_LANGUAGE_MIN_WORDS)) & \
        (evidence >= OTHER_LANGUAGE_SHARE * words)
    return (words > 0) & ~other
