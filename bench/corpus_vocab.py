"""Vocabularies and sentence templates for the synthetic benchmark corpus (``bench/corpus.py``).

Everything here was written for newsloom; names of people, companies and outlets are invented. Templates use
these slots: ``{P}``/``{P2}`` a person's full name, ``{S}``/``{S2}`` their surnames, ``{C}`` a city (nominative),
``{CL}`` "in <city>" with the language's preposition and case, ``{O}``/``{O2}`` companies, ``{D}`` "on <weekday>",
and numbers ``{N}`` (tens to hundreds), ``{M}`` (2-15), ``{X}`` (winning share, %), ``{Y}`` (runner-up, %),
``{T}`` (turnout, %). The per-kind sentence templates are in ``bench/corpus_templates.py``.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

LANGUAGES: Final = ("pl", "cs", "ro", "en", "de", "ru", "sk", "fr")
KINDS: Final = ("visit", "fire", "strike", "deal", "court", "election")

# One line per city: en | de | fr | ro | pl ; pl-in | cs ; cs-in | sk ; sk-in | ru ; ru-in
_CITY_ROWS: Final = """
Krakow|Krakau|Cracovie|Cracovia|Kraków;w Krakowie|Krakov;v Krakově|Krakov;v Krakove|Краков;в Кракове
Wroclaw|Breslau|Wrocław|Wrocław|Wrocław;we Wrocławiu|Vratislav;ve Vratislavi|Vroclav;vo Vroclave|Вроцлав;во Вроцлаве
Gdansk|Danzig|Gdańsk|Gdańsk|Gdańsk;w Gdańsku|Gdaňsk;v Gdaňsku|Gdansk;v Gdansku|Гданьск;в Гданьске
Poznan|Posen|Poznań|Poznań|Poznań;w Poznaniu|Poznaň;v Poznani|Poznaň;v Poznani|Познань;в Познани
Lodz|Lodz|Łódź|Łódź|Łódź;w Łodzi|Lodž;v Lodži|Lodž;v Lodži|Лодзь;в Лодзи
Brno|Brünn|Brno|Brno|Brno;w Brnie|Brno;v Brně|Brno;v Brne|Брно;в Брно
Ostrava|Ostrau|Ostrava|Ostrava|Ostrawa;w Ostrawie|Ostrava;v Ostravě|Ostrava;v Ostrave|Острава;в Остраве
Pilsen|Pilsen|Plzeň|Plzeň|Pilzno;w Pilźnie|Plzeň;v Plzni|Plzeň;v Plzni|Пльзень;в Пльзене
Olomouc|Olmütz|Olomouc|Olomouc|Ołomuniec;w Ołomuńcu|Olomouc;v Olomouci|Olomouc;v Olomouci|Оломоуц;в Оломоуце
Kosice|Kaschau|Košice|Košice|Koszyce;w Koszycach|Košice;v Košicích|Košice;v Košiciach|Кошице;в Кошице
Zilina|Sillein|Žilina|Žilina|Żylina;w Żylinie|Žilina;v Žilině|Žilina;v Žiline|Жилина;в Жилине
Cluj-Napoca|Klausenburg|Cluj-Napoca|Cluj-Napoca|Kluż-Napoka;w Klużu-Napoce|Kluž;v Kluži|Kluž;v Kluži|Клуж-Напока;в Клуж-Напоке
Timisoara|Temeswar|Timișoara|Timișoara|Timișoara;w Timișoarze|Temešvár;v Temešváru|Temešvár;v Temešvári|Тимишоара;в Тимишоаре
Iasi|Jassy|Iași|Iași|Jassy;w Jassach|Jasy;v Jasech|Jasy;v Jasoch|Яссы;в Яссах
Constanta|Konstanza|Constanța|Constanța|Konstanca;w Konstancy|Konstanca;v Konstanci|Konštanca;v Konštanci|Констанца;в Констанце
Leipzig|Leipzig|Leipzig|Leipzig|Lipsk;w Lipsku|Lipsko;v Lipsku|Lipsko;v Lipsku|Лейпциг;в Лейпциге
Dresden|Dresden|Dresde|Dresda|Drezno;w Dreźnie|Drážďany;v Drážďanech|Drážďany;v Drážďanoch|Дрезден;в Дрездене
Lyon|Lyon|Lyon|Lyon|Lyon;w Lyonie|Lyon;v Lyonu|Lyon;v Lyone|Лион;в Лионе
Lille|Lille|Lille|Lille|Lille;w Lille|Lille;v Lille|Lille;v Lille|Лилль;в Лилле
Kazan|Kasan|Kazan|Kazan|Kazań;w Kazaniu|Kazaň;v Kazani|Kazaň;v Kazani|Казань;в Казани
Manchester|Manchester|Manchester|Manchester|Manchester;w Manchesterze|Manchester;v Manchesteru|Manchester;v Manchestri|Манчестер;в Манчестере
Graz|Graz|Graz|Graz|Graz;w Grazu|Štýrský Hradec;ve Štýrském Hradci|Graz;v Grazi|Грац;в Граце
"""

# Prepositions for "in <city>" where the city keeps its nominative form.
IN_CITY: Final = MappingProxyType({"en": "in", "de": "in", "fr": "à", "ro": "la"})

FIRST_NAMES: Final = (
    "Adam", "Anna", "Marek", "Ewa", "Tomasz", "Katarzyna", "Jan", "Petra", "Martin", "Lucie", "Pavel", "Jana",
    "Andrei", "Ioana", "Mihai", "Elena", "Radu", "Cristina", "Thomas", "Sabine", "Klaus", "Julia", "Pierre",
    "Claire", "Nicolas", "Sophie", "Igor", "Olga", "Sergei", "Natalia", "Peter", "Zuzana", "Michal", "Lenka",
    "David", "Laura", "Viktor", "Irina", "Florin", "Agnieszka",
)  # fmt: skip
SURNAMES: Final = (
    "Nowak", "Wróbel", "Kowal", "Mazur", "Dvořák", "Horák", "Kučera", "Beneš", "Popescu", "Ionescu", "Dumitrescu",
    "Stan", "Becker", "Wagner", "Hoffmann", "Krüger", "Lefebvre", "Moreau", "Girard", "Blanc", "Baláž", "Kováč",
    "Hudák", "Smith", "Taylor", "Evans", "Marin", "Lupu", "Sedlák", "Urban", "Fischer", "Roux", "Petit", "Zając",
    "Klein", "Vogel", "Barbu", "Novák", "Holub", "Lambert",
)  # fmt: skip
ORG_PREFIXES: Final = (
    "Nordvik", "Baltis", "Carpatia", "Moravia", "Danubia", "Vistula", "Transilva", "Polaris", "Silesia", "Rhenus",
    "Alpina", "Odra", "Tatra", "Delta", "Lumen", "Argo", "Kestrel", "Vega", "Orion", "Helix", "Boreal", "Sarmat",
)  # fmt: skip
ORG_SUFFIXES: Final = (
    "Energy", "Logistics", "Steel", "Foods", "Chemicals", "Motors", "Textile", "Pharma", "Glass", "Mechanik",
    "Paper", "Cables",
)  # fmt: skip

# Weekdays Monday..Sunday as "on <weekday>" in each language (the preposition varies with the day).
WEEKDAYS: Final = MappingProxyType(
    {
        "en": (
            "on Monday",
            "on Tuesday",
            "on Wednesday",
            "on Thursday",
            "on Friday",
            "on Saturday",
            "on Sunday",
        ),
        "de": (
            "am Montag",
            "am Dienstag",
            "am Mittwoch",
            "am Donnerstag",
            "am Freitag",
            "am Samstag",
            "am Sonntag",
        ),
        "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
        "ro": ("luni", "marți", "miercuri", "joi", "vineri", "sâmbătă", "duminică"),
        "pl": ("w poniedziałek", "we wtorek", "w środę", "w czwartek", "w piątek", "w sobotę", "w niedzielę"),
        "cs": ("v pondělí", "v úterý", "ve středu", "ve čtvrtek", "v pátek", "v sobotu", "v neděli"),
        "sk": ("v pondelok", "v utorok", "v stredu", "vo štvrtok", "v piatok", "v sobotu", "v nedeľu"),
        "ru": (
            "в понедельник",
            "во вторник",
            "в среду",
            "в четверг",
            "в пятницу",
            "в субботу",
            "в воскресенье",
        ),
    }
)

OUTLETS: Final = MappingProxyType(
    {
        "en": ("Danube Wire", "East Wire", "Central Europe Today"),
        "de": ("Nordkurier Welt", "Donaukurier Online", "Mitteleuropa Zeitung"),
        "fr": ("Le Courrier de l'Est", "Europe Centrale Info", "La Dépêche continentale"),
        "ro": ("Știrile Zilei", "Gazeta de Est", "Jurnalul Central"),
        "pl": ("Kurier Wschodni", "Gazeta Środkowa", "Wiadomości24"),
        "cs": ("Zprávy Example", "Moravský deník", "Střední Evropa dnes"),
        "sk": ("Denník Stred", "Správy Východ", "Slovenský kuriér"),
        "ru": ("Восточный вестник", "Европа сегодня", "Центральные новости"),
    }
)

BOILERPLATE: Final = MappingProxyType(
    {
        "en": ("Sign up for our daily briefing", "Share on X | Share on Facebook", "Photo: Reuters",
               "Read more: What we know so far", "We use cookies to improve your experience. Accept all"),
        "de": ("Anmelden | Abo", "Artikel teilen", "Foto: dpa", "Lesen Sie auch: Die wichtigsten Fragen",
               "Wir verwenden Cookies. Alle akzeptieren"),
        "fr": ("Abonnez-vous | Se connecter", "Partager sur Facebook", "Photo : AFP",
               "Lire aussi : Ce que l'on sait", "Ce site utilise des cookies. Tout accepter"),
        "ro": ("Abonează-te | Autentificare", "Distribuie pe Facebook", "Foto: Inquam Photos",
               "Citește și: Ce trebuie să știi", "Lasă un comentariu"),
        "pl": ("Zaloguj się | Subskrybuj", "Udostępnij", "Fot. PAP", "Czytaj także: Co wiemy do tej pory",
               "Artykuł jest kontynuowany pod materiałem wideo", "Dodaj komentarz"),
        "cs": ("Přihlásit se | Předplatné", "Sdílet na Facebooku", "Foto: ČTK", "Čtěte také: Co zatím víme",
               "Pokračování článku pod videem", "Napište komentář"),
        "sk": ("Prihlásiť sa | Predplatné", "Zdieľať na Facebooku", "Foto: TASR", "Čítajte aj: Čo zatiaľ vieme",
               "Pridať komentár"),
        "ru": ("Подписывайтесь на наш канал", "Поделиться", "Фото: ТАСС", "Читайте также: Что известно сейчас",
               "Комментарии"),
    }
)  # fmt: skip

# A tweak a republishing site puts in front of a wire copy's title.
TITLE_TWEAKS: Final = MappingProxyType(
    {
        "en": "UPDATE: ", "de": "Aktualisiert: ", "fr": "Actualisé : ", "ro": "Actualizare: ", "pl": "Aktualizacja: ",
        "cs": "Aktualizováno: ", "sk": "Aktualizované: ", "ru": "Обновлено: ",
    }
)  # fmt: skip

# Event-independent context sentences, added until an article reaches its minimum length.
CONTEXT: Final = MappingProxyType(
    {
        "en": ("Local media in {C} covered the story throughout the day.",
               "The regional authorities said they were following the situation closely.",
               "More details are expected to be published in the coming days.",
               "Officials did not say when a final decision would be taken.",
               "Several residents of {C} told local television they had not been informed in advance.",
               "The case has drawn attention far beyond the region."),
        "de": ("Lokale Medien in {C} berichteten den ganzen Tag über den Fall.",
               "Die Regionalbehörden erklärten, sie verfolgten die Lage aufmerksam.",
               "Weitere Einzelheiten sollen in den kommenden Tagen bekannt gegeben werden.",
               "Wann eine endgültige Entscheidung fällt, blieb zunächst offen.",
               "Mehrere Einwohner von {C} sagten im Lokalfernsehen, sie seien nicht vorab informiert worden.",
               "Der Fall sorgt auch weit über die Region hinaus für Aufsehen."),
        "fr": ("Les médias locaux de {C} ont suivi l'affaire toute la journée.",
               "Les autorités régionales affirment suivre la situation de près.",
               "De nouveaux détails devraient être publiés dans les prochains jours.",
               "Les responsables n'ont pas précisé quand une décision définitive serait prise.",
               "Plusieurs habitants de {C} ont dit à la télévision locale ne pas avoir été prévenus.",
               "L'affaire suscite l'intérêt bien au-delà de la région."),
        "ro": ("Presa locală din {C} a relatat pe larg despre subiect pe tot parcursul zilei.",
               "Autoritățile regionale au transmis că urmăresc îndeaproape situația.",
               "Mai multe detalii sunt așteptate în zilele următoare.",
               "Oficialii nu au precizat când va fi luată o decizie finală.",
               "Mai mulți locuitori din {C} au spus la televiziunea locală că nu au fost informați din timp.",
               "Cazul a atras atenția mult dincolo de granițele regiunii."),
        "pl": ("Lokalne media {CL} przez cały dzień relacjonowały sprawę.",
               "Władze regionu zapewniają, że uważnie śledzą sytuację.",
               "Więcej szczegółów ma zostać podanych w najbliższych dniach.",
               "Urzędnicy nie powiedzieli, kiedy zapadnie ostateczna decyzja.",
               "Kilku mieszkańców mówiło lokalnej telewizji, że nikt ich wcześniej nie poinformował.",
               "Sprawa budzi zainteresowanie daleko poza regionem."),
        "cs": ("Místní média {CL} o případu informovala celý den.",
               "Krajské úřady uvedly, že situaci pozorně sledují.",
               "Další podrobnosti mají být zveřejněny v příštích dnech.",
               "Úředníci neřekli, kdy padne konečné rozhodnutí.",
               "Několik obyvatel řeklo místní televizi, že je nikdo předem neinformoval.",
               "Případ vzbudil pozornost daleko za hranicemi regionu."),
        "sk": ("Miestne médiá {CL} o prípade informovali celý deň.",
               "Krajské úrady uviedli, že situáciu pozorne sledujú.",
               "Ďalšie podrobnosti majú byť zverejnené v najbližších dňoch.",
               "Úradníci nepovedali, kedy padne konečné rozhodnutie.",
               "Niekoľko obyvateľov povedalo miestnej televízii, že ich nikto vopred neinformoval.",
               "Prípad vzbudil pozornosť ďaleko za hranicami regiónu."),
        "ru": ("Местные СМИ {CL} весь день следили за развитием событий.",
               "Региональные власти заявили, что внимательно следят за ситуацией.",
               "Подробности ожидаются в ближайшие дни.",
               "Чиновники не уточнили, когда будет принято окончательное решение.",
               "Несколько жителей рассказали местному телевидению, что их никто не предупредил заранее.",
               "Эта история привлекла внимание далеко за пределами региона."),
    }
)  # fmt: skip


def cities() -> tuple[dict[str, tuple[str, str]], ...]:
    """Each city as language -> (nominative, "in <city>") for all corpus languages."""
    out = []
    for row in _CITY_ROWS.strip().splitlines():
        en, de, fr, ro, *inflected = row.split("|")
        city = {
            lang: (name, f"{IN_CITY[lang]} {name}")
            for lang, name in zip(("en", "de", "fr", "ro"), (en, de, fr, ro), strict=True)
        }
        for lang, cell in zip(("pl", "cs", "sk", "ru"), inflected, strict=True):
            nominative, located = cell.split(";")
            city[lang] = (nominative, located)
        out.append(city)
    return tuple(out)
