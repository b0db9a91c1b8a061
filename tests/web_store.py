"""A small store for the web tests, written through the store's own methods (no models, builds in ms).

It holds an English and a Polish article about one event, an old event id merged into it, a story, an entity
with aliases in two languages, a claim, and one hostile article whose title and text try every way to run
script in a page.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import make_article
from newsloom.engine.plan import BatchPlan
from newsloom.models import Alias, Claim, Entity, Event, Mention, RemovedLine, Story
from newsloom.store import SQLiteStore

HOSTILE_TITLE = 'Breaking <script>alert("t")</script> \u202egnp.exe <img src=x onerror=alert(1)>'
HOSTILE_TEXT = (
    "Click <a href=\"javascript:alert('x')\">here</a> and <svg onload=alert(2)></svg>.\n"
    '\u202eevil reversed\u202c text with <iframe src="javascript:alert(3)"></iframe> '
    "and </p><script>document.title='pwned'</script> and {{ 7*7 }}"
)
EN_TEXT = 'Vladimir Putin arrived in Pyongyang on Wednesday. "We will sign a treaty," Putin said.'
PL_TEXT = "Władimir Putin przyleciał do Pjongjangu w środę. Spotkanie trwało do nocy w Łodzi."


def build_store(path: Path) -> Path:
    """Write the small store at ``path`` and return it."""
    en = make_article("a1en00000001", "Putin arrives in Pyongyang", EN_TEXT, "en", site="East Wire")
    pl = make_article(
        "a2pl00000002",
        "Putin przyleciał do Pjongjangu",
        PL_TEXT,
        "pl",
        removed=(RemovedLine(1, "Czytaj także: cookies", "boilerplate"),),
    )
    bad = make_article(
        "a3xx00000003",
        HOSTILE_TITLE,
        HOSTILE_TEXT,
        "en",
        published=dt.date(2024, 7, 1),
        url="javascript:alert('url')",
        removed=(RemovedLine(2, "<script>alert('removed')</script>", "boilerplate"),),
    )
    with SQLiteStore(path) as store:
        store.add_articles([en, pl, bad], {})
        putin = Entity(
            "Eputin0001",
            "Vladimir Putin",
            "PER",
            (Alias("Vladimir Putin", "en", 2), Alias("Władimir Putin", "pl", 1)),
            3,
        )
        hostile = Entity("Ehostile01", '<script>alert("e")</script>', "ORG", (Alias("<b>x</b>", "en", 1),), 1)
        mentions = (
            Mention(en.id, "Vladimir Putin", 0, 14, "PER", "putin", putin.id),
            Mention(pl.id, "Władimir Putin", 0, 14, "PER", "putin", putin.id),
            Mention(bad.id, "Click", 0, 5, "ORG", "click", hostile.id),
        )
        event = Event(
            "ev-1",
            "Putin visits Pyongyang",
            dt.date(2024, 6, 19),
            dt.date(2024, 6, 19),
            (en.id, pl.id),
            ("en", "pl"),
            2,
            story_id="st-1",
            titles={"en": "Putin visits Pyongyang", "pl": "Putin w Pjongjangu"},
        )
        odd = Event("ev-2", HOSTILE_TITLE, dt.date(2024, 7, 1), dt.date(2024, 7, 1), (bad.id,), ("en",), 1)
        quote_start = EN_TEXT.index("We will")
        claims = (
            Claim(
                "cl-1",
                en.id,
                "ev-1",
                "Vladimir Putin",
                putin.id,
                "We will sign a treaty",
                "assert",
                "direct",
                quote_start,
                quote_start + 21,
            ),
            Claim("cl-2", bad.id, "ev-2", HOSTILE_TITLE, None, HOSTILE_TEXT[:60], "deny", "direct", 0, 60),
        )
        # An old event id merged into ev-1 first, then the analysis of all three articles, as the engine writes it.
        store.apply(BatchPlan(merges={"ev-old": "ev-1"}))
        store.apply(
            BatchPlan(
                analysed=(en.id, pl.id, bad.id),
                article_updates={
                    en.id: {"event_id": "ev-1"},
                    pl.id: {"event_id": "ev-1"},
                    bad.id: {"event_id": "ev-2"},
                },
                mentions=mentions,
                entities=(putin, hostile),
                events=(event, odd),
                stories=(Story("st-1", "Russia and North Korea", ("ev-1",)),),
                claims=claims,
            )
        )
    return path
