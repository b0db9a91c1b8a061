"""Tell boilerplate lines (menus, prompts, credits, share buttons ...) from article text, in many languages.

Two signals: a table of multilingual patterns, one row per boilerplate family (matched on the folded line, so
``Czytaj także`` and ``czytaj takze`` are the same), and structural cues (link lists, repeated lines, lines
mostly made of non-letters, short unpunctuated lines at the very start or end of the text).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["classify_lines", "is_sentence_like", "line_reason", "pattern_reason"]


@dataclass(frozen=True)
class _Family:
    """A boilerplate family: a pattern on the folded line, and the longest line it may be applied to."""

    reason: str
    pattern: re.Pattern[str]
    max_len: int
    sentences: bool  # may it remove a line that reads like a sentence ("Subscribe to our newsletter.")?
    needle: str  # a substring every match contains: a C-speed test before the regex runs


def _family(
    reason: str, pattern: str, max_len: int = 160, *, sentences: bool = True, needle: str = ""
) -> _Family:
    return _Family(reason, re.compile(pattern), max_len, sentences, needle)  # lines are casefolded first


# Patterns are written against fold(line): lowercase, no diacritics (Cyrillic stays Cyrillic, й -> и).
# Languages: en, pl, cs, sk, ro, de, fr, es, it, ru, uk.
_FAMILIES: tuple[_Family, ...] = (
    _family(
        "continued-below marker",
        r"(artykul jest kontynuowany|dalsza czesc (artykulu|tekstu)|pokracovani clanku|pokracovanie clanku"
        r"|clanek pokracuje|clanok pokracuje|articolul continua|continuarea articolului|weiter nach der (anzeige|werbung)"
        r"|(story|article|text) continues (below|after)|continue reading|czytaj dalej|lesen sie (hier )?weiter"
        r"|l'article continue|la suite (apres|ci-dessous)|el articulo continua|sigue leyendo|l'articolo continua"
        r"|continua (a leggere|dopo)|статья продолжается|продолжение (статьи )?ниже|читать далее|читати далі"
        r"|стаття продовжується)",
        120,
    ),
    _family(
        # Any "continue(d/s)" word then, within a few words, "below/after/under": the shape of every such marker
        # ("Continued below the video", "Fortsetzung unter dem Video", "Suite après la publicité").
        "continued-below marker",
        # A marker is short: at most two words before, two between and three after.
        r"^\W*(\w+\W+){0,2}?(continu\w*|weiter\w*|fortsetzung|suite|segue|sigue|kontynu\w*|pokracov\w*"
        r"|pokracuj\w*|продолж\w*|продовж\w*)\W+(\w+\W+){0,2}?(below|beneath|under|after|unter|nach|apres"
        r"|dessous|sotto|dopo|debajo|abajo|despues|ponizej|nizej|pod|dole|nize|mai jos|dupa|ниже|после|под|нижче"
        r"|після)\b(\W+\w+){0,3}\W*$",
        90,
        sentences=False,
    ),
    _family(
        "comment form",
        r"(e-?mail|adres\w* e-?mail|e-?mailov\w* adres\w*|adresa de e-?mail|e-?mail-adresse|adresse e-?mail"
        r"|correo electronico|indirizzo e-?mail|электронн\w* (адрес|почт\w*)|адрес\w* электронн\w*)"
        r".{0,40}(not be (published|shared|displayed)|nie zostanie (opublikowany|upubliczniony)|nebude zverejn"
        r"|nu va fi (publicat|facuta publica)|wird nicht veroffentlicht|ne sera pas publiee|no sera publicad"
        r"|non sara pubblicat|не будет опубликован)"
        r"|save my name|required fields are marked|wymagane pola sa oznaczone|povinne polozky jsou oznaceny"
        r"|campurile obligatorii sunt marcate|erforderliche felder sind|pflichtfelder sind mit"
        r"|les champs obligatoires sont indiques|los campos obligatorios estan marcados"
        r"|i campi obbligatori sono contrassegnati|обязательные поля помечены"
        r"|(must|need to) be logged in to (post|leave|write) a comment",
        200,
    ),
    _family(
        "read-also link",
        r"^\W*(czytaj (takze|tez|rowniez|wiecej)|zobacz (takze|tez|rowniez|wiecej)|przeczytaj (takze|tez|rowniez)"
        r"|ctete (take|vice)|ctete tez|prectete si|citajte (aj|tiez|viac)|pozrite si|citeste (si|mai mult)"
        r"|cititi si|vezi si|read (also|more)|see also|related( (articles?|stories|content|coverage))?\b"
        r"|more on this|recommended\b|lesen sie (auch|mehr)|mehr zum thema|auch interessant|das konnte sie"
        r"|lire (aussi|egalement)|a lire (aussi|egalement)|voir aussi|lea (tambien|mas)|lee (tambien|mas)"
        r"|leer mas|ver tambien|te puede interesar|leggi (anche|pure)|potrebbe interessarti"
        r"|читаите (также|еще|тоже)|смотрите также|по теме\b|читаите також|дивiться також|дивіться також)",
    ),
    _family(
        "subscription or login prompt",
        r"^\W*(log ?in|register|anmelden|registrieren|abonnieren|accedi|registrati|abbonati|prihlasit( se)?"
        r"|zaloguj sie|войти|увiити|увіити)\W*$"
        r"|^\W*(subscribe\b|sign (up|in)\b|log ?in (to|or|with)|register (now|for|to|here)|already a subscriber|become a (member|subscriber)"
        r"|unlock (this|the full)|zaloguj|zarejestruj|subskrybuj|zapisz sie|wykup (dostep|subskrypcje|prenumerate)"
        r"|masz juz konto|prihlas|zaregistruj|predplat|odebir|aboneaza|autentifica|inregistreaza|conecteaza"
        r"|jetzt (abo|abonnieren|anmelden|registrieren|weiterlesen)|abonnez|s'abonner|connectez-vous"
        r"|je m'abonne|suscribete|inicia sesion|registrate|abbonati (a|ora|subito)|accedi (a|per)"
        r"|подпишитесь|подписаться|зарегистрируйтесь|підпишіться|підписатися)"
        r"|^\W*(newsletter|newsletteru?|newslettera)\b|(only|exclusively) for subscribers|tylko dla (subskrybentow|prenumeratorow)"
        r"|pro predplatitele|pentru abonati|nur fur abonnenten|reserve aux abonnes|solo para suscriptores"
        r"|riservato agli abbonati|только для подписчиков",
    ),
    _family(
        "cookie notice",
        r"cookie.{0,200}(accept|akcept|zgod|souhlas|accepta|akzept|consent|agree|zustimm|acept|accett|соглас|zgadza)"
        r"|(we|this (site|website)) uses? cookie|uzywamy (plikow )?cookie|pouzivame (soubory |subory )?cookie"
        r"|(strona|serwis) uzywa (plikow )?cookie|folosim (module )?cookie|wir (verwenden|nutzen) cookie"
        r"|nous utilisons des cookie|utilizamos cookie|utilizziamo (i )?cookie|используем (файлы )?cookie"
        r"|використовуємо (файли )?cookie",
        300,
        needle="cookie",
    ),
    _family(
        "cookie notice",
        r"^\W*(accept all|akceptuje|zgadzam sie|souhlasim|accepta tot|alle akzeptieren|tout accepter|aceptar todas"
        r"|accetta tutti)\b",
        60,
    ),
    _family(
        "cookie notice",
        r"\b(cookies?|ciasteczk\w*|pliki cookie|soubory cookie|privacy policy|polityk\w* prywatnosci"
        r"|ochrana osobnich udaju|ochrana osobnych udajov|politica de confidentialitate|datenschutz\w*"
        r"|politique de confidentialite|politica de privacidad|informativa (sulla )?privacy"
        r"|политик\w* конфиденциальности)\b",
        120,
        sentences=False,
    ),
    _family(
        "share buttons",
        r"^\W*((share|udostepnij|sdilej|sdilet|zdielat|distribuie|teilen|partager|compartir|condividi|поделиться"
        r"|поділитися|tweet|copy link|kopiuj link|skopiuj link|kopirovat odkaz|copiaza link|link kopieren"
        r"|facebook|twitter|x|linkedin|whatsapp|telegram|e-?mail|pinterest|reddit|messenger|print|drukuj|tisk"
        r"|vytisknout|printeaza|drucken|imprimer|imprimir|stampa|печать|друк|вконтакте|vk|ok)\b\W*){1,12}$",
        120,
    ),
    _family(
        "photo credit or caption",
        r"^\W*(fot|foto|photo|photos|photograph|picture|image|pictures|zdjecie|zdjecia|ilustracja|ilustracne foto"
        r"|ilustracni foto|sursa( foto)?|credit( foto)?|bild|bildquelle|quelle|fuente|fonte|источник|фото|джерело"
        r"|getty images|reuters|afp|ap photo|epa|pap|ctk|tasr|agerpres|dpa|zdroj|image caption|caption)"
        r"\s*[:./|]\s*\S"
        r"|(\b(fot|foto|photo|sursa|zdroj|bild|фото)\s*[.:]|\((photo|foto|fot)\b[^)]*\))\s*[^.!?]{0,80}$"
        r"|^\W*(photo|foto) by\b|/\s*(getty images|afp|reuters|ap|epa|pap|ctk|dpa|east news|shutterstock)\W*$",
        200,
    ),
    _family(
        "comment form",
        r"^\W*(dodaj komentarz|skomentuj|napiste komentar|napiste nazor|napisat komentar"
        r"|adauga (un )?comentariu|lasa un comentariu|comentarii|leave a (comment|reply)|post a comment"
        r"|add a comment|join the (conversation|discussion)|kommentar schreiben|jetzt kommentieren"
        r"|laisser un commentaire|deja (un|tu) comentario|lascia un commento|оставить комментарии"
        r"|залишити коментар)"
        r"|^\W*(comments?|kommentare?|commentaires|reagir|comentarios|commenti|комментарии|коментарi|коментарі"
        r"|обсуждение)\W*(\d+)?\W*$"
        r"|^\W*(komentarze|diskuse|diskuze|komentare|komentarii|comentarii)\W*(\d+)?\W*$"
        r"|^\W*\d+\s+(comments?|komentarz\w*|komentar\w*|comentari\w*|kommentar\w*|commentaires?|commenti"
        r"|комментари\w*|коментар\w*)\W*$",
        100,
    ),
    _family(
        "author box",
        r"^\W*(autor|autorka|author|authors|redaktor|redaktorka|redakcja|redakce|redactor|editor|edited by"
        r"|reporter|text|tekst|napisal|written by|reporting by|writing by|additional reporting|opracowanie"
        r"|oprac\.|zpracoval|zpracovala|autori|verfasst von|auteur|autora|автор|редактор|підготував"
        r"|source|zrodlo|zdroj|sursa|quelle|fuente|fonte)\s*[:|]"
        r"|^\W*(reporting|writing|editing) by\b",
        90,
    ),
    _family(
        "tag list",
        r"^\W*(tags?|tagi|tagy|stitky|etichete|schlagworte|schlagworter|themen|mots-cles|etiquetas|argomenti"
        r"|теги|тэги|теги|tematy|temat|temata|topics|related topics|subjects|keywords|slowa kluczowe"
        r"|klicova slova|cuvinte cheie)\s*[:|]",
    ),
    _family(
        "copyright line",
        r"(©|\(c\)\s*\d{4}|copyright|all rights reserved|wszelkie prawa zastrzezone|vsechna prava vyhrazena"
        r"|vsetky prava vyhradene|toate drepturile rezervate|alle rechte vorbehalten|tous droits reserves"
        r"|todos los derechos reservados|tutti i diritti riservati|все права защищены|всі права захищені"
        r"|усі права захищені)",
        200,
    ),
    _family(
        "advertisement marker",
        r"^\W*(advertisement|advertising|sponsored( content)?|promoted|reklama|reklamă|publicitate|anzeige|werbung"
        r"|publicite|publicidad|pubblicita|реклама|sponsorowane|material (partnera|promocyjny)|partner content"
        r"|komercni sdeleni|advertorial|paid content)\W*$",
    ),
    _family(
        "navigation",
        r"^\W*(home|strona glowna|hlavni strana|titulni strana|uvod|pagina principala|acasa|startseite|accueil"
        r"|inicio|portada|главная|головна|menu|search|szukaj|wyszukaj|hledat|vyhladat|cauta|suche|rechercher"
        r"|buscar|cerca|поиск|пошук)\W*$"
        r"|^\W*(skip to (main )?content|back to top|next article|previous article"
        r"|nastepny artykul|poprzedni artykul|dalsi clanek|predchozi clanek|articolul (urmator|anterior)"
        r"|nachster artikel|article suivant|siguiente articulo|articolo successivo|следующая статья"
        r"|follow us|obserwuj nas|sledujte nas|urmariti-ne|urmareste-ne|folgen sie uns|suivez-nous|siguenos"
        r"|seguici|подписывайтесь на нас|download (our|the) app|pobierz aplikacje|stahnete si aplikaci"
        r"|descarca aplikatia)\b",
        100,
    ),
)

_SENTENCE_END = re.compile(r"[.!?…:;)\]\"'”“»«„。！？」』]\s*$")
# Scripts written without spaces between words (Chinese, Japanese, Thai, ...): about two characters a word.
_UNSPACED = re.compile("[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_WORD = re.compile(r"[^\W\d_]+")
_LIST_SEPARATOR = re.compile(r"\s[|•·»›>/]\s|\s*[|•·]\s*")
_EDGE_WORDS = 6
_MAX_PATTERN_LEN = max(family.max_len for family in _FAMILIES)
_COMBINING = re.compile(r"[\u0300-\u036f]+")
_EXTRA_FOLD = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ß": "ss"})
_MAX_STRUCTURAL_LEN = 150
_SEPARATOR_CHARS = "|•·»›>/"
_EXTRA_LETTERS = re.compile("[łŁđĐøØß]")
_WHITESPACE = re.compile(r"\s+")
_NON_LETTER = re.compile(r"[\W\d_]+")
_FULL_STOP = re.compile(r"[.!?…][\"'”»)\]]*\s*$")
# A web form's field label: a few words then the required-field asterisk ("Name *", "E-mail *", "Imię *").
_FORM_FIELD = re.compile(r"[^\W\d_][\w '’.-]{0,30}\s?\*")
_BYLINE = re.compile(r"^\W*(?:by|von|par|por|di|от|від)\s+(\w+)", re.IGNORECASE)


def pattern_reason(line: str) -> str | None:
    """The boilerplate family a single line belongs to by the pattern table, or ``None``.

    >>> pattern_reason("Fot. PAP/Leszek Szymański")
    'photo credit or caption'
    >>> pattern_reason("Analysts said few readers subscribe to newsletters.") is None
    True
    """
    stripped = line.strip()
    return _pattern_reason(stripped, is_sentence_like(stripped))


def line_reason(line: str) -> str | None:
    """Why a single line, seen alone, is boilerplate (pattern table or structure), or ``None``.

    >>> line_reason("Home | World | Europe | Sport")
    'list of links or tags'
    """
    stripped = line.strip()
    sentence = is_sentence_like(stripped)
    return _pattern_reason(stripped, sentence) or _structural_reason(stripped, sentence)


def _pattern_reason(stripped: str, sentence: bool) -> str | None:
    if len(stripped) > _MAX_PATTERN_LEN:
        return None
    folded = _quick_fold(stripped)
    for family in _FAMILIES:
        if (
            len(stripped) > family.max_len
            or (sentence and not family.sentences)
            or family.needle not in folded
        ):
            continue
        if family.pattern.search(folded):
            return family.reason
    return None if sentence else _byline_reason(stripped)


def _quick_fold(text: str) -> str:
    """``fold`` for pattern matching, at C speed: strips the common combining marks with one regex."""
    if _EXTRA_LETTERS.search(text):  # str.translate is slow per call; most lines have none of these letters
        text = text.translate(_EXTRA_FOLD)
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text)).casefold()


def _byline_reason(line: str) -> str | None:
    """ "By John Smith, correspondent" is a byline; "By Friday, the river had risen." is not."""
    match = _BYLINE.match(line)
    if match is None or not match.group(1)[0].isupper() or _SENTENCE_END.search(line):
        return None
    return "author box" if len(_WORD.findall(line)) <= 8 else None


def is_sentence_like(line: str) -> bool:
    """True for a line that reads like running text: several words and sentence-final punctuation.

    >>> is_sentence_like("The Oder rose by two metres overnight.")
    True
    >>> is_sentence_like("World | Europe | Sport")
    False
    >>> is_sentence_like("東京で強い地震があり、政府は被害状況を確認していると発表した。")
    True
    """
    words = len(line.split())  # whitespace tokens: close enough, and much cheaper than a word regex
    if words < 15 and not line.isascii():
        words = max(words, len(_UNSPACED.findall(line)) // 2)
    return (words >= 4 and bool(_SENTENCE_END.search(line))) or words >= 15


def _structural_reason(stripped: str, sentence: bool) -> str | None:
    if len(stripped) > _MAX_STRUCTURAL_LEN:
        return None  # a long line is running text (or a table, which the extractor already judged)
    if _FORM_FIELD.fullmatch(stripped):
        return "form field"
    visible = len(_WHITESPACE.sub("", stripped))
    letters = len(_NON_LETTER.sub("", stripped))
    if visible >= 4 and letters < 0.4 * visible:
        return "mostly non-letters"
    if sentence or not any(separator in stripped for separator in _SEPARATOR_CHARS):
        return None
    parts = [part for part in _LIST_SEPARATOR.split(stripped) if part.strip()]
    if len(parts) >= 3 and all(len(_WORD.findall(part)) <= 4 for part in parts):
        return "list of links or tags"
    return None


def classify_lines(lines: Sequence[str]) -> list[str | None]:
    """A removal reason for each line (``None`` keeps it); blank lines are always kept (``None``).

    Short lines without sentence punctuation are dropped only before the first and after the last
    sentence-like line, so headings inside the body survive.

    >>> classify_lines(["World | Europe | Sport", "The river rose by two metres overnight, police said.", "Share"])
    ['list of links or tags', None, 'share buttons']
    """
    reasons: list[str | None] = [None] * len(lines)
    stripped = [line.strip() for line in lines]
    sentence = [bool(text) and is_sentence_like(text) for text in stripped]
    # casefold, not fold: repeats are exact copies, and this runs on every line, long ones included
    keys = [text.casefold() for text in stripped]
    counts = Counter(key for key in keys if key)
    sentence_rows = [row for row, flag in enumerate(sentence) if flag]
    first = sentence_rows[0] if sentence_rows else len(lines)
    last = sentence_rows[-1] if sentence_rows else -1
    seen: set[str] = set()
    for row, text in enumerate(stripped):
        if not text:
            continue
        reason = _pattern_reason(text, sentence[row]) or _structural_reason(text, sentence[row])
        key = keys[row]
        if reason is None and counts[key] > 1 and (len(key) < 80 or key in seen):
            reason = "repeated line"
        seen.add(key)
        if reason is None and (row < first or row > last) and _short_unpunctuated(text):
            reason = "short line without sentence punctuation"
        reasons[row] = reason
    return reasons


def _short_unpunctuated(text: str) -> bool:
    return not _FULL_STOP.search(text) and len(_WORD.findall(text)) <= _EDGE_WORDS
