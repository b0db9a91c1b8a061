"""Data tables for claim extraction: verbs of saying per language, stance classes, roles, pronouns.

Every word is stored folded (``newsloom.text.fold``: lowercase, no diacritics, Cyrillic kept), so lookups work
on folded tokens of the article. Tables are per language; an article in a language not listed here is matched
against the union of all tables. See ``docs/digest.md`` for how stances are assigned.

Example::

    lex = lexicon_for("pl")
    lex.cue("zaprzeczyły")  # -> "deny"
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Literal

from ...text import fold
from . import lexicon_scripts as _scripts

CueClass = Literal["say", "deny", "question", "report"]


def _pl(*stems: str) -> list[str]:
    """Polish past tense: stem + ł/ła/ło/li/ły (gendered and plural forms)."""
    return [s + e for s in stems for e in ("ł", "ła", "ło", "li", "ły")]


def _cs(*stems: str) -> list[str]:
    """Czech and Slovak past participle: stem + l/la/lo/li/ly."""
    return [s + e for s in stems for e in ("l", "la", "lo", "li", "ly")]


def _ru(*stems: str) -> list[str]:
    """Russian past tense: stem + л/ла/ли (or the bare stem for -г/-к verbs, then +ла/+ли)."""
    out: list[str] = []
    for s in stems:
        out += [s + "л", s + "ла", s + "ли"] if not s.endswith(("г", "к")) else [s, s + "ла", s + "ли"]
    return out


# Verbs of saying whose claim the speaker makes in their own voice.
# fmt: off
_SAY: dict[str, list[str]] = {
    "en": ["said", "says", "say", "stated", "states", "told", "tells", "added", "wrote", "writes", "declared",
          "claimed", "claims", "claim", "insisted", "insists", "stressed", "noted", "warned", "warns",
          "accused", "accuses", "argued", "argues", "asserted", "explained", "confirmed", "confirms",
          "maintained", "alleged", "alleges", "announced", "announces", "emphasised", "emphasized",
          "underlined", "vowed", "promised", "assured", "replied", "responded", "commented", "believes",
          "suggested", "concluded"],
    "pl": [*_pl("powiedzia", "stwierdzi", "oświadczy", "podkreśli", "doda", "zaznaczy", "napisa", "przyzna",
          "zapewni", "ostrzeg", "oskarży", "twierdzi", "mówi", "oceni", "zapowiedzia", "przekonywa", "wskaza",
          "zadeklarowa", "ogłosi", "potwierdzi", "uzna", "odpowiedzia", "przekaza", "zauważy"), "powiedzieli",
          "powiedziały", "zapowiedzieli", "zapowiedziały", "mówi", "mówią", "twierdzi", "twierdzą",
          "podkreśla", "podkreślają", "zaznacza", "dodaje", "przekonuje", "zapewnia", "ostrzega", "oskarża",
          "oskarżają", "pisze", "piszą", "ocenia", "uważa", "uważają", "wskazuje", "oświadcza"],
    "cs": [*_cs("uved", "řek", "prohlási", "sděli", "napsa", "zdůrazni", "tvrdi", "varova", "obvini",
          "doplni", "potvrdi", "poznamena", "upozorni", "ujisti", "odpověd", "konstatova", "prohlásil"),
          "uvádí", "uvádějí", "tvrdí", "říká", "říkají", "píše", "píší", "dodává", "zdůrazňuje", "prohlašuje",
          "obviňuje", "obviňují", "varuje", "míní"],
    "sk": ["uviedol", "uviedla", "uviedli", "uvádza", "uvádzajú", "tvrdí", "tvrdia", "hovorí", *_cs("poveda",
          "vyhlási", "napísa", "zdôrazni", "varova", "obvini", "doplni", "potvrdi", "tvrdi", "vyhlási",
          "upozorni", "konštatova", "odkáza"), "píše", "dodáva", "zdôrazňuje", "obviňuje", "varuje"],
    "ro": ["declarat", "declară", "spus", "spune", "afirmat", "afirmă", "precizat", "subliniat", "subliniază",
          "adăugat", "transmis", "scris", "scrie", "avertizat", "avertizează", "acuzat", "acuză", "susținut",
          "susține", "susțin", "explicat", "arătat", "confirmat", "insistat", "menționat", "afirmă", "spun",
          "declarau", "anunțat", "anunță", "comentat", "răspuns", "promis", "asigurat"],
    "de": ["sagte", "sagten", "sagt", "sagen", "erklärte", "erklärten", "erklärt", "betonte", "betonten",
          "betont", "fügte", "schrieb", "schrieben", "schreibt", "warnte", "warnten", "behauptete",
          "behaupteten", "behauptet", "meinte", "bestätigte", "versicherte", "unterstrich", "warf",
          "beschuldigte", "kündigte", "antwortete", "erklären", "sagten", "äußerte", "teilte", "gesagt",
          "angekündigt", "mitgeteilt", "verwies", "verweist", "forderte", "forderten", "fordert", "kritisierte",
          "kritisierten", "kritisiert", "hieß", "meint", "meinen", "bekräftigte", "ergänzte", "räumte",
          "glaubt", "glaubte", "vermutet", "vermutete", "befürchtet", "befürchtete", "hofft", "hoffte",
          "geäußert", "betonten", "erklärten", "bestätigt", "bestätigten", "warnt", "behauptete"],
    "fr": ["déclaré", "déclare", "dit", "affirmé", "affirme", "souligné", "souligne", "ajouté", "ajoute",
          "écrit", "estimé", "estime", "averti", "accusé", "accuse", "assuré", "assure", "indiqué", "précisé",
          "expliqué", "confirmé", "annoncé", "insisté", "martelé", "répondu", "prévenu"],
    "es": ["dijo", "dijeron", "dice", "dicen", "afirmó", "afirmaron", "afirma", "declaró", "declararon",
          "aseguró", "aseguraron", "asegura", "señaló", "añadió", "escribió", "advirtió", "acusó", "acusaron",
          "explicó", "indicó", "sostuvo", "subrayó", "confirmó", "anunció", "insistió", "respondió",
          "manifestó", "agregó", "destacó"],
    "it": ["detto", "dice", "dicono", "dichiarato", "dichiara", "affermato", "afferma", "sottolineato",
          "sottolinea", "aggiunto", "aggiunge", "scritto", "scrive", "avvertito", "accusato", "accusa",
          "spiegato", "ribadito", "ribadisce", "confermato", "annunciato", "assicurato", "precisato",
          "osservato", "risposto", "sostenuto", "sostiene"],
    "ru": [*_ru("заяви", "сказа", "отмети", "подчеркну", "добави", "написа", "предупреди", "обвини",
          "утвержда", "пообеща", "завери", "поясни", "подтверди", "ответи", "объяви", "указа"), "заявляет",
          "заявляют", "говорит", "говорят", "утверждает", "утверждают", "пишет", "считает", "считают",
          "подчеркивает", "отмечает", "обвиняет", "обвиняют", "уверен", "уверена"],
}
# fmt: on
# Postpositions that pass a claim on ("X zufolge", "X'e göre", "X szerint"): the speaker comes before them.
_REPORT_POSTPOSITIONS: dict[str, list[str]] = {"de": ["zufolge"], "tr": ["göre", "gore"], "hu": ["szerint"]}
# Verbless trailing attributions right after a quotation ("„…“, so Foullong.", "„…”, aldus De Wever"): the
# speaker follows the particle.
_TRAILING_PARTICLES: dict[str, list[str]] = {"de": ["so"], "nl": ["aldus"]}

# More verbs of saying: reactions and participles ("..., saying", "dodając") that open a further claim.
# fmt: off
_SAY_MORE: dict[str, list[str]] = {
    "en": ["reacted", "saying", "adding", "noting", "stressing", "warning", "insisting"],
    "pl": [*_pl("zareagowa", "apelowa", "zaapelowa"), "dodając", "podkreślając", "mówiąc", "zaznaczając"],
    "cs": [*_cs("reagova", "vyzva")],
    "sk": [*_cs("reagova", "vyzva")],
    "ro": ["reacționat", "adăugând", "precizând", "subliniind", "afirmând", "declarând"],
    "de": ["sprach", "sprachen", "reagierte"],
    "fr": ["réagi", "répété", "ajoutant", "soulignant", "affirmant", "estimant"],
    "es": ["reaccionó", "añadiendo", "señalando", "afirmando"],
    "it": ["reagito", "aggiungendo", "sottolineando"],
    "ru": [*_ru("напомни", "отреагирова"), "добавив", "отметив", "подчеркнув", "заявив"],
}
# fmt: on

# Verbs that name or label something ("called the reports propaganda"): the claim is what follows them.
# fmt: off
_LABEL: dict[str, list[str]] = {
    "en": ["called", "calls", "described", "labelled", "labeled", "branded", "termed"],
    "pl": [*_pl("nazwa", "określi"), "nazywa", "nazywają", "określa"],
    "cs": [*_cs("označi", "nazva"), "označuje", "označují", "nazývá"],
    "sk": [*_cs("označi", "nazva"), "označuje", "nazýva"],
    "ro": ["numit", "calificat", "descris", "numește", "califică"],
    "de": ["nannte", "nannten", "nennt", "bezeichnete", "bezeichneten", "bezeichnet"],
    "fr": ["qualifié", "qualifie", "qualifient", "appelé", "décrit"],
    "es": ["calificó", "calificaron", "califica", "llamó", "describió"],
    "it": ["definito", "definisce", "definiscono", "chiamato", "descritto"],
    "ru": [*_ru("назва", "охарактеризова"), "называет", "называют"],
}
# fmt: on

# Verbs that deny or reject what follows (stance "deny").
# fmt: off
_DENY: dict[str, list[str]] = {
    "en": ["denied", "denies", "deny", "denying", "refused", "rejected", "rejects", "reject", "dismissed", "dismisses",
          "refuted", "refutes", "rebuffed", "repudiated", "contradicted"],
    "pl": [*_pl("zaprzeczy", "zdementowa", "dementowa", "odrzuci", "zanegowa"), "zaprzecza", "zaprzeczają",
          "dementuje", "dementują", "odrzuca", "odrzucają", "negują", "neguje"],
    "cs": [*_cs("popře", "odmít", "dementova", "vyvrát", "odmítnu"), "odmítá", "odmítají", "popírá",
          "popírají", "dementuje", "dementují", "vyvrací"],
    "sk": ["odmietol", "odmietla", "odmietli", "odmieta", "odmietajú", *_cs("popre", "dementova", "vyvráti"),
          "popiera", "popierajú"],
    "ro": ["negat", "neagă", "neaga", "respins", "respinge", "resping", "dezmințit", "dezminte", "infirmat",
          "infirmă", "contrazis", "combătut"],
    "de": ["bestritt", "bestritten", "bestreitet", "bestreiten", "dementierte", "dementierten", "dementiert",
          "zurückgewiesen", "leugnete", "leugnet", "verneinte", "widersprach", "widersprachen"],
    "fr": ["démenti", "dément", "démentent", "refusé", "nié", "nie", "nient", "rejeté", "rejette", "rejettent",
          "réfuté", "contesté", "conteste"],
    "es": ["negó", "negaron", "niega", "niegan", "desmintió", "desmintieron", "desmiente", "rechazó",
          "rechazaron", "rechaza", "refutó"],
    "it": ["negato", "nega", "negano", "smentito", "smentisce", "smentiscono", "respinto", "respinge",
          "confutato"],
    "ru": [*_ru("опроверг", "отрица", "отверг", "опровергну", "опроверга", "отверга"), "опровергает", "опровергают", "отрицает", "отказался",
          "отказалась", "отказались",
          "отрицают", "отвергает", "отвергают", "опровергла", "опровергли"],
}
# fmt: on

# Verbs that cast doubt (stance "question").
# fmt: off
_QUESTION: dict[str, list[str]] = {
    "en": ["questioned", "doubted", "queried", "challenged"],  # not "question"/"doubt": nouns ("no doubt")
    "pl": ["wątpi", "wątpią", *_pl("zakwestionowa", "kwestionowa", "podważy", "powątpiewa", "wątpi"),
          "kwestionuje", "kwestionują", "podważa", "podważają", "powątpiewa"],
    "cs": ["pochybuje", "pochybují", *_cs("zpochybni", "pochybova"), "zpochybňuje", "zpochybňují"],
    "sk": ["pochybuje", "pochybujú", *_cs("spochybni", "pochybova"), "spochybňuje"],
    "ro": ["contestat", "contestă", "chestionat", "îndoiește", "îndoiesc"],
    "de": ["bezweifelte", "bezweifelten", "bezweifelt", "bezweifeln", "zweifelte", "zweifelt",
          "hinterfragte"],
    "fr": ["doutent", "douté", "interroge", "questionné", "s'interroge"],
    "es": ["cuestionó", "cuestionaron", "cuestiona", "dudó", "dudan"],
    "it": ["dubita", "dubitano", "dubitato", "contestato"],
    "ru": [*_ru("усомни", "сомнева"), "усомнился", "усомнилась", "усомнились", "сомневается", "сомневаются"],
}
# fmt: on

# Reporting verbs and prepositions: the claim is passed on second hand (stance "report").
# fmt: off
_REPORT: dict[str, list[str]] = {
    "en": ["reported", "reports", "informed", "quoted", "cited"],
    "pl": ["według", "zdaniem", *_pl("poinformowa", "informowa", "poda", "donosi", "relacjonowa"),
          "informuje", "informują", "podaje", "podają", "donosi", "donoszą"],
    "cs": ["podle", *_cs("informova", "oznámi"), "informuje", "informují", "oznamuje"],
    "sk": ["podľa", *_cs("informova", "oznámi"), "informuje", "informujú"],
    "ro": ["potrivit", "conform", "citat", "citată", "informat", "informează", "relatat", "relatează"],
    "de": ["laut", "zufolge", "berichtete", "berichteten", "berichtet", "meldete", "meldet", "zitiert"],
    "fr": ["selon", "d'après", "rapporté", "rapporte", "cité"],
    "es": ["según", "informó", "informaron", "informa", "citado"],
    "it": ["secondo", "riferito", "riferisce", "riportato", "citato"],
    "ru": ["сообщил", "сообщила", "сообщили", "сообщает", "сообщают", "согласно", "передает", "передаёт"],
}
# fmt: on

# Prepositions that pass a claim on ("according to X", "według X"): the speaker follows them.
# fmt: off
_REPORT_PREPS: dict[str, list[str]] = {
    "en": [],
    "pl": ["według", "zdaniem"],
    "cs": ["podle"],
    "sk": ["podľa"],
    "ro": ["potrivit", "conform"],
    "de": ["laut"],
    "fr": ["selon", "d'après"],
    "es": ["según"],
    "it": ["secondo"],
    "ru": ["согласно"],
}
# fmt: on

# Two-word reporting cues ("according to X"): (first, second) folded tokens.
# fmt: off
_REPORT_PAIRS: dict[str, list[tuple[str, str]]] = {
    "en": [("according", "to"), ("in", "words"), ("quoted", "by"), ("cited", "by")],
    "pl": [("w", "opinii"), ("cytowany", "przez")],
    "ro": [("potrivit", "lui"), ("conform", "lui"), ("după", "cum")],
    "es": [("acuerdo", "con")],
    "ru": [("по", "словам"), ("по", "данным"), ("по", "мнению"), ("как", "сообщает")],
    "de": [("nach", "angaben"), ("nach", "aussagen"), ("nach", "ansicht"), ("nach", "meinung"),
           ("nach", "einschätzung"), ("nach", "auffassung"), ("nach", "informationen"), ("nach", "darstellung"),
           ("nach", "aussage"), ("nach", "bericht"), ("nach", "berichten"), ("nach", "meldungen"),
           ("nach", "schätzungen"), ("nach", "erkenntnissen"), ("nach", "worten"), ("nach", "studie"),
           ("nach", "untersuchungen")],
    "fr": [("d'", "après"), ("aux", "yeux"), ("de", "l'avis")],
}
# fmt: on

# Separable verbs of saying ("gab ... an", "wies ... zurück"): the finite stem and its particle, which stands
# at the end of the clause in a main clause. The stem alone ("gab", "wies") is no cue; with its particle it is.
# fmt: off
_SEPARABLE: dict[str, list[tuple[str, list[str], CueClass]]] = {
    "de": [
        ("an", ["gab", "gaben", "gibt", "geben", "kündigte", "kündigten", "kündigt"], "say"),
        ("bekannt", ["gab", "gaben", "gibt", "geben"], "say"),
        ("zu", ["gab", "gaben", "gibt", "räumte"], "say"),
        ("mit", ["teilte", "teilten", "teilt", "teilen"], "report"),
        ("hinzu", ["fügte", "fügten", "fügt"], "say"),
        ("fest", ["stellte", "stellten", "stellt"], "say"),
        ("klar", ["stellte", "stellten", "stellt"], "say"),
        ("aus", ["führte", "führten", "führt", "sagte", "sagten"], "say"),
        ("hin", ["wies", "wiesen", "weist"], "say"),
        ("ein", ["räumte", "räumten", "räumt"], "say"),
        ("vor", ["warf", "warfen", "wirft", "schlug", "schlugen", "schlägt"], "say"),
        ("auf", ["forderte", "forderten", "fordert"], "say"),
        ("zurück", ["wies", "wiesen", "weist"], "deny"),
        ("ab", ["lehnte", "lehnten", "lehnt", "stritt", "stritten", "streitet"], "deny"),
    ],
    "nl": [],
}
# fmt: on

# Languages that write compounds as one word with the head last ("Polizeiangaben" = Polizei + Angaben): a
# reporting noun of a two-word cue also matches as the end of a longer word.
_SOLID_COMPOUNDS = frozenset({"de", "nl"})

# Words that open a reported clause ("said *that* ...").
# fmt: off
_COMPLEMENTIZERS: dict[str, list[str]] = {
    "en": ["that"],
    "pl": ["że", "iż", "by", "aby", "żeby"],
    "cs": ["že"],
    "sk": ["že"],
    "ro": ["că", "ca"],
    "de": ["dass", "daß"],
    "fr": ["que", "qu"],
    "es": ["que"],
    "it": ["che"],
    "ru": ["что", "чтобы"],
}
# fmt: on

# Conjunctions that join two speakers or two speech verbs ("Moscow *and* Pyongyang", "said ... *and* denied").
# fmt: off
_CONJUNCTIONS: dict[str, list[str]] = {
    "en": ["and", "but"],
    "pl": ["i", "oraz", "ale", "a"],
    "cs": ["a", "i", "ale"],
    "sk": ["a", "i", "ale"],
    "ro": ["și", "dar", "iar"],
    "de": ["und", "aber"],
    "fr": ["et", "mais"],
    "es": ["y", "e", "pero"],
    "it": ["e", "ed", "ma"],
    "ru": ["и", "но", "а"],
}
# fmt: on

# Personal pronouns that may stand for the speaker.
# fmt: off
_PRONOUNS: dict[str, list[str]] = {
    "en": ["he", "she", "they", "him", "her", "them", "his"],
    "pl": ["on", "ona", "oni", "one", "niego", "niej", "nich", "jego"],
    "cs": ["on", "ona", "oni", "ony", "něj", "ní", "nich", "něho"],
    "sk": ["on", "ona", "oni", "ony", "neho", "nej", "nich"],
    "ro": ["el", "ea", "ei", "ele", "acesta", "aceasta", "său", "sa"],
    "de": ["er", "sie", "ihm", "ihr", "ihnen", "ihm"],
    "fr": ["il", "elle", "ils", "elles", "lui"],
    "es": ["él", "ella", "ellos", "ellas"],
    "it": ["lui", "lei", "egli", "essi"],
    "ru": ["он", "она", "они", "его", "её", "ее", "него", "неё", "нее", "них"],
}
# fmt: on

# Negation particles: a reported clause that opens with one denies its proposition.
# fmt: off
_NEGATIONS: dict[str, list[str]] = {
    "en": ["not", "no", "never", "nothing", "n't"],
    "pl": ["nie", "nigdy", "żadnych", "żadnej", "żadne"],
    "cs": ["nikdy", "žádné", "žádná", "žádný", "nebyl", "nebyla", "nebylo", "nebyly", "není", "nejsou"],
    "sk": ["nikdy", "žiadne", "nebol", "nebola", "nebolo", "nie"],
    "ro": ["nu", "niciodată", "niciun", "nicio"],
    "de": ["nicht", "kein", "keine", "keinen", "nie", "niemals"],
    "fr": ["pas", "jamais", "aucun", "aucune"],
    "es": ["no", "nunca", "ningún", "ninguna"],
    "it": ["non", "mai", "nessun", "nessuna"],
    "ru": ["не", "нет", "никогда", "никаких"],
}
# fmt: on

# Nouns of evidence: "no evidence", "no indication", "brak dowodów", "keine Hinweise", "aucune preuve",
# "нет доказательств". A negation right before one denies the proposition the evidence would support. Signs
# are left out: "no sign of slowing" describes, it does not deny.
_EVIDENCE_STEMS: list[str] = [
    "evidence", "indication", "proof",
    "dowod", "dowód", "przesłank",
    "důkaz", "náznak", "dôkaz",
    "dovad", "dovez", "indici",
    "beweis", "hinweis", "beleg", "indiz",
    "preuve", "indice",
    "prueba", "indicio",
    "prova", "prove", "indizi",
    "доказательств", "признак", "свидетельств", "данных",
    *_scripts.EVIDENCE_STEMS,
]  # fmt: skip
_EVIDENCE_WINDOW = (
    3  # words from the negation to the evidence noun: "no credible evidence", "keine konkreten Hinweise"
)

# Word stems that call a claim false; an asserted quote built on them is a denial.
_FALSITY_STEMS: list[str] = [
    "false",
    "fake",
    "lie",
    "lies",
    "lying",
    "unfounded",
    "baseless",
    "groundless",
    "absurd",
    "nonsense",
    "fabricat",
    "fałszyw",
    "kłamstw",
    "bezpodstawn",
    "nieprawd",
    "bzdur",
    "wymysł",
    "nepravd",
    "lež",
    "lži",
    "nesmysl",
    "nepodložen",
    "smyšlen",
    "nezmysel",
    "výmysl",
    "minciun",
    "nefondat",
    "falsă",
    "falsuri",
    "aberați",
    "falsch",
    "lüge",
    "unbegründet",
    "haltlos",
    "erfunden",
    "mensonge",
    "infondé",
    "mentira",
    "infundad",
    "menzogn",
    "infondat",
    "ложь",
    "лжив",
    "безоснователь",
    "абсурд",
    "фейк",
    "неправд",
    "вымысел",
    "выдумк",
    "клевет",
    "беспочвен",
    "propagand",
    "пропаганд",
    *_scripts.FALSITY_STEMS,
]

# Role nouns (folded stems) -> role class, for "the spokesman" / "rzecznik Kremla" style references.
# fmt: off
_ROLE_STEMS: dict[str, str] = {
    "spokes": "spokesperson",
    "rzeczni": "spokesperson",
    "mluvč": "spokesperson",
    "hovor": "spokesperson",
    "purtăto": "spokesperson",
    "sprecher": "spokesperson",
    "пресс-секретар": "spokesperson",
    "представител": "spokesperson",
    "porte-parole": "spokesperson",
    "portavo": "spokesperson",
    "president": "president",
    "prezyden": "president",
    "prezident": "president",
    "președint": "president",
    "präsident": "president",
    "президент": "president",
    "presiden": "president",
    "prime": "prime minister",
    "premier": "prime minister",
    "premiér": "prime minister",
    "премьер": "prime minister",
    "minist": "minister",
    "министр": "minister",
    "leader": "leader",
    "przywódc": "leader",
    "vůdc": "leader",
    "vodc": "leader",
    "lider": "leader",
    "лидер": "leader",
    "machthaber": "leader",
    "dictator": "leader",
    "dyktator": "leader",
    "diktátor": "leader",
    "chancellor": "chancellor",
    "kanclerz": "chancellor",
    "kancléř": "chancellor",
    "kanzler": "chancellor",
    "cancelar": "chancellor",
    "канцлер": "chancellor",
    "ambassador": "ambassador",
    "ambasador": "ambassador",
    "velvysla": "ambassador",
    "botschafter": "ambassador",
    "посол": "ambassador",
    "szef": "head",
    "šéf": "head",
    "chief": "head",
    "head": "head",
    "chef": "head",
    "шеф": "head",
    "глава": "head",
    "secretary": "secretary",
    "sekretarz": "secretary",
    "secretar": "secretary",
    "sekretář": "secretary",
}
# fmt: on


# Bodies whose names share a role's stem (ministry / minister, presidency / president): they are collective
# speakers in their own right, never a role to resolve to a person.
_BODY_STEMS: tuple[str, ...] = tuple(
    fold(s)
    for s in (
        "ministry", "ministries", "ministerium", "ministerien", "ministerstv", "ministère", "ministerio",
        "ministero", "ministerul", "министерств", "минобороны", "мид", "presidency", "presidential", "präsidialamt",
        "prezydencj", "prezidentsk", "администрац", "chancellery", "kanzleramt",
    )
)  # fmt: skip


# Future and modal auxiliaries (folded) of the supported languages; Romance futures are inflected, so their
# endings are matched instead (folded: "finirà" -> "finira", "terminará" -> "terminara", "finiront").
_FUTURE_MODALS: frozenset[str] = frozenset(
    fold(w)
    for w in (
        "will", "would", "won't", "wont", "could", "can", "may", "might", "should", "shall",
        "wird", "werden", "würde", "würden", "kann", "können", "soll", "sollen", "dürfte",
        "będzie", "będą", "może", "mogą", "bude", "budou", "může", "mohou", "va", "vor", "poate",
        "будет", "будут", "может", "могут", "буде", "будуть", "може", "ще",
        "potrebbe", "può", "puede", "podría", "pourrait", "peut", "va", "vont",
    )
)  # fmt: skip
_ROMANCE_FUTURE: tuple[str, ...] = ("ira", "era", "ara", "iront", "eront", "ranno", "ran", "remo")


@dataclass(frozen=True)
class Lexicon:
    """Folded word tables for one language (or the union of all of them)."""

    cues: dict[str, CueClass]
    report_pairs: frozenset[tuple[str, str]]
    report_preps: frozenset[str]
    report_postpositions: frozenset[str]
    trailing_particles: frozenset[str]
    quote_particles: frozenset[str]
    verb_final: bool
    solid_compounds: bool
    separable: dict[str, tuple[tuple[str, CueClass], ...]]
    substring_cues: tuple[str, ...]
    complementizers: frozenset[str]
    conjunctions: frozenset[str]
    label_verbs: frozenset[str]
    pronouns: frozenset[str]
    negations: frozenset[str]
    falsity_stems: tuple[str, ...]
    evidence_stems: tuple[str, ...]
    role_stems: tuple[tuple[str, str], ...]

    def cue(self, token: str) -> CueClass | None:
        """The cue class of a token (any case or accents), or None: ``cue("Zaprzeczyły")`` -> ``"deny"``."""
        return self.cues.get(fold(token))

    def role(self, token: str) -> str | None:
        """The role class a token names (``"rzecznika"`` -> ``"spokesperson"``), or None."""
        folded = fold(token)
        if folded.startswith(_BODY_STEMS):
            return None  # "Ministerium", "ministerstvo", "министерство": the body speaks, not a minister
        for stem, role in self.role_stems:
            if folded.startswith(stem):
                return role
        return None

    def predicts(self, folded_tokens: Iterable[str]) -> bool:
        """True when a word is a future or modal auxiliary ("will", "wird", "będzie", "будет") or a Romance
        future form ("finirà", "terminará", "finira"): a negation next to it makes a prediction, not a denial."""
        return any(t in _FUTURE_MODALS or (len(t) > 4 and t.endswith(_ROMANCE_FUTURE)) for t in folded_tokens)

    def says_false(self, folded_tokens: Iterable[str]) -> bool:
        """True when a token calls something false (``"kłamstwo"``, ``"unfounded"``) or a negation denies the
        evidence for it (``"no credible evidence"``, ``"keine Hinweise"``, ``"brak dowodów"``)."""
        tokens = list(folded_tokens)
        if any(t.startswith(self.falsity_stems) for t in tokens):
            return True
        # Polish "brak" ("lack of") is itself the negation: "brak dowodów".
        return any(
            (t in self.negations or t == "brak")
            and any(u.startswith(self.evidence_stems) for u in tokens[i + 1 : i + 1 + _EVIDENCE_WINDOW])
            for i, t in enumerate(tokens)
        )


def _pick(table: dict[str, list[str]], language: str) -> list[str]:
    if language:
        return table.get(
            language, []
        )  # a known language without an entry has none (Chinese: no conjunctions)
    return [w for words in table.values() for w in words]


# Languages in other scripts (lexicon_scripts.py) join the tables above.
for _ours, _theirs in (
    (_SAY, _scripts.SAY),
    (_DENY, _scripts.DENY),
    (_QUESTION, _scripts.QUESTION),
    (_REPORT, _scripts.REPORT),
    (_REPORT_PREPS, _scripts.REPORT_PREPS),
    (_COMPLEMENTIZERS, _scripts.COMPLEMENTIZERS),
    (_CONJUNCTIONS, _scripts.CONJUNCTIONS),
    (_PRONOUNS, _scripts.PRONOUNS),
    (_NEGATIONS, _scripts.NEGATIONS),
):
    _ours.update(_theirs)
_REPORT_PAIRS.update(_scripts.REPORT_PAIRS)


@cache
def lexicon_for(language: str) -> Lexicon:
    """The tables for an ISO 639-1 code; unknown codes get the union of every language.

    Example: ``lexicon_for("cs").cue("popřeli")`` -> ``"deny"``.
    """
    known = language if language in _SAY else ""
    cues: dict[str, CueClass] = {}
    # Later classes win on collisions: a deny verb outranks a say verb spelled the same.
    tables = (
        ("say", _SAY),
        ("say", _SAY_MORE),
        ("say", _LABEL),
        ("report", _REPORT),
        ("question", _QUESTION),
        ("deny", _DENY),
    )
    for cls, table in tables:
        for word in _pick(table, known):
            cues[fold(word)] = cls  # type: ignore[assignment]
    if not known:
        # Across languages a negation in one is a verb in another (pl "nie" = fr "denies"): drop those.
        for word in _pick(_NEGATIONS, ""):
            cues.pop(fold(word), None)
    pairs = frozenset((fold(a), fold(b)) for a, b in _pick_pairs(known))
    return Lexicon(
        cues=cues,
        report_pairs=pairs,
        report_preps=frozenset(fold(w) for w in _pick(_REPORT_PREPS, known)),
        report_postpositions=frozenset(fold(w) for w in _REPORT_POSTPOSITIONS.get(known, [])),
        trailing_particles=frozenset(fold(w) for w in _TRAILING_PARTICLES.get(known, [])),
        quote_particles=frozenset(fold(w) for w in _scripts.QUOTE_PARTICLES.get(known, [])),
        verb_final=known in _scripts.VERB_FINAL,
        solid_compounds=known in _SOLID_COMPOUNDS,
        separable=_separable(known),
        # Longest first, so "否认" is found before a shorter cue inside it.
        substring_cues=tuple(sorted(cues, key=len, reverse=True)) if known in _scripts.SUBSTRING_CUES else (),
        complementizers=frozenset(fold(w) for w in _pick(_COMPLEMENTIZERS, known)),
        conjunctions=frozenset(fold(w) for w in _pick(_CONJUNCTIONS, known)),
        label_verbs=frozenset(fold(w) for w in _pick(_LABEL, known)),
        pronouns=frozenset(fold(w) for w in _pick(_PRONOUNS, known)),
        negations=frozenset(fold(w) for w in _pick(_NEGATIONS, known)),
        falsity_stems=tuple(fold(s) for s in _FALSITY_STEMS),
        evidence_stems=tuple(fold(s) for s in _EVIDENCE_STEMS),
        role_stems=tuple(sorted(((fold(k), v) for k, v in _ROLE_STEMS.items()), key=lambda kv: -len(kv[0]))),
    )


def _separable(language: str) -> dict[str, tuple[tuple[str, CueClass], ...]]:
    """Folded finite stem -> its (particle, class) readings, for one language."""
    out: dict[str, list[tuple[str, CueClass]]] = {}
    for particle, stems, cls in _SEPARABLE.get(language, []):
        for stem in stems:
            out.setdefault(fold(stem), []).append((fold(particle), cls))
    return {k: tuple(v) for k, v in out.items()}


def _pick_pairs(language: str) -> list[tuple[str, str]]:
    if language in _REPORT_PAIRS:
        return _REPORT_PAIRS[language]
    if language in _SAY:
        return []
    return [p for pairs in _REPORT_PAIRS.values() for p in pairs]


LANGUAGES: tuple[str, ...] = tuple(sorted(_SAY))
