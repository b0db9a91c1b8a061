"""Context words that tell what a capitalised sequence names: titles and roles (a person follows), verbs of
saying (a person is near), organisation head words, and place prepositions. Stems are folded (``fold``) and
match inflected forms by prefix ("prezydenta", "ministrul", "президента").
"""

from __future__ import annotations

import functools

from newsloom.text import fold


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


PERSON_TITLES = _words(
    """prezydent prezident president presedinte президент prasident premier премьер minist министр kanclerz
    kancler cancelar chancellor канцлер kanzler rzeczni mluvc purtator spokes sprecher secretar sekretar
    секретар tajemnik leader lider лидер przywodc vudce general генерал ambasador ambassador velvyslan посол
    botschafter king krol kral regel король konig pope papiez papez папа domnul doamna господин herr frau
    senator сенатор posel posl deputat депутат abgeordnet mayor burmistrz primator primar мэр burgermeister starost hejtman wojewod
    governor gubernator guvernator губернатор commissioner komisarz komisar comisar комиссар kommissar szef
    sef глава director dyrektor reditel директор prosecutor prokurator procuror прокурор judge sedzia soudce
    judecator судья richter prezes predsed председател vorsitzend chairman coach trener antrenor тренер
    trainer analyst analityk analytik analist аналитик professor profesor профессор expert ekspert эксперт
    colonel pulkownik plukovnik полковник marszalek marsal patriarch патриарх bishop biskup episcop епископ
    wicepremier vicepremier вице-премьер deputy zastupce zastepca заместител ministerprasident dictator
    dyktator diktator диктатор general-secretary secretary-general sekretarz sekretarzem hetman journalist
    dziennikarz novinar ziarist журналист reporter rabbi imam ayatollah ajatollah kandidat candidate kandydat
    candidat кандидат vice"""
)
COMPOUND_TITLES = (
    "kanzler",
    "prasident",
    "minister",
    "sprecher",
    "sekretar",
    "kommissar",
    "botschafter",
    "chef",
)
# Short titles match only exactly (with a case ending at most): "pan" must not match "panel".
SHORT_TITLES = _words("pan pani pana panu panem pán paní pana mr mrs ms dr mgr sir gen prof")
SAYING = _words(
    """powiedzia stwierdzi oswiadczy zapowiedzia podkresli oceni napisa dodal dodala rekl rekla uvedl uvedla
    prohlasil prohlasila napsal napsala declarat spus afirmat precizat subliniat anuntat заявил сказал отметил
    добавил сообщил подчеркнул sagte erklarte betonte kundigte said says told stated added announced warned
    insisted argued"""
)
ACCORDING = _words("wedlug podle potrivit laut according словам")
ORG_WORDS = _words(
    """bank banku komisj commission ministerstw ministerstv ministry ministerul министерств ministerium party
    partia partii strana partidul партия partei council rada rady consiliul совет court sad soud curtea суд
    gericht university uniwersytet univerzit universitat университет agency agencj agentur agentia агентство
    fund fundusz fond фонд institute instytut institut институт organization organisation organizac
    organizat организац company spolka spolecnost compania компания group grupa skupina grupul группа
    corporation inc ltd gmbh plc army armia armada armata армия police policja policie politia полиция
    polizei office urzad urad biroul служба committee komitet vybor comitetul комитет ausschuss assembly
    zgromadzen shromazden adunarea собрание parliament parlament парламент senate senat сенат airlines
    holding tribunal trybunal tribunalul трибунал foundation fundacj nadace fundatia federation federacj
    federace federatia федерация association stowarzyszen asociace asociatia ассоциация verband league liga
    лига club klub movement ruch hnuti miscarea движение coalition koalicj koalice coalitia коалиция
    koalition ministry ministerstvo agence"""
)
PLACE_PREPOSITIONS = _words("w we v ve na do ze z u în in la din spre в во из на from near nach aus bei")
# Words that join parts of one capitalised name ("Bank of England", "Ursula von der Leyen").
CONNECTORS = _words("of de van von da di du la al el bin ibn dos del")
# Second words of two-word connectors ("von der", "van den", "de la"); alone they are articles.
CONNECTOR_TAILS = _words("der den la le los las")


def _prefix_hit(word: str, stems: frozenset[str], slack: int) -> bool:
    return any(word[:cut] in stems for cut in range(max(2, len(word) - slack), len(word) + 1))


@functools.lru_cache(maxsize=100_000)
def is_title(token: str) -> bool:
    """True for a title or role word that introduces a person ("prezydenta", "Secretary", "purtătorul")."""
    word = fold(token)
    if word in SHORT_TITLES or (len(word) > 3 and _prefix_hit(word, PERSON_TITLES, 4)):
        return True
    # German and Polish compounds: "Bundeskanzler", "Außenministerin", "wiceminister".
    return len(word) > 8 and any(stem in word[3:] for stem in COMPOUND_TITLES)


@functools.lru_cache(maxsize=100_000)
def is_saying(token: str) -> bool:
    """True for a verb of saying ("powiedział", "řekla", "заявил", "said")."""
    word = fold(token)
    return len(word) > 3 and _prefix_hit(word, SAYING, 3)


@functools.lru_cache(maxsize=100_000)
def is_according(token: str) -> bool:
    """True for "według", "podle", "potrivit", "laut", "according" (a source follows)."""
    return fold(token) in ACCORDING


@functools.lru_cache(maxsize=100_000)
def is_org_word(token: str) -> bool:
    """True for an organisation head word ("Bank", "Komisja", "Partidul", "Ministerstwo")."""
    word = fold(token)
    return len(word) > 2 and _prefix_hit(word, ORG_WORDS, 4)


COMPASS = _words("north south east west northern southern eastern western central upper lower greater")
STRONG_PLACE_PREPOSITIONS = _words("w we v ve na в во на în in near nach")
# Closed-class English words written with a capital that are never names by themselves.
ENGLISH_CALENDAR = _words(
    "january february march april may june july august september october november december monday tuesday "
    "wednesday thursday friday saturday sunday"
)


# Words that introduce a named storm or weather system, which is an event rather than a person or place.
WEATHER = _words(
    "storm hurricane typhoon cyclone sturmtief tief orkan hurrikan taifun huragan cyklon niz nize "
    "ciclonul ciclon furtuna uragan циклон ураган тайфун шторм"
)


@functools.lru_cache(maxsize=100_000)
def is_weather(token: str) -> bool:
    """True for a word naming a storm or weather system ("Storm", "Sturmtief", "ciclonul", "níže")."""
    return fold(token) in WEATHER


@functools.lru_cache(maxsize=100_000)
def is_strong_place_preposition(token: str) -> bool:
    """True for a preposition after which even a multi-word unknown name is a place ("near Stronie Slaskie")."""
    return fold(token) in STRONG_PLACE_PREPOSITIONS


@functools.lru_cache(maxsize=100_000)
def is_place_preposition(token: str) -> bool:
    """True for a preposition that usually introduces a place ("w", "v", "în", "в", "in")."""
    return fold(token) in PLACE_PREPOSITIONS
